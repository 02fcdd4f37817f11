//! Recovery codes: save the page a service printed, list them, mark one used.

use std::path::Path;

use twofold_core::account::printable;
use twofold_core::{recovery, unix_now};

use super::find;
use crate::failure::Failure;
use crate::input::{read_secret_file, secret_argument};
use crate::print;
use crate::session::Session;

pub fn add(session: &mut Session, search: &str, file: &Path) -> Result<(), Failure> {
    let text = read_secret_file(file)?;
    let codes = recovery::parse(&text);
    if codes.is_empty() {
        return Err(Failure::BadInput("no recovery codes were found in the file".into()));
    }
    let vault = session.open_existing()?;
    let account = find(vault.accounts(), search)?;
    let (id, name) = (account.id, account.display_name());
    let count = codes.len();
    vault.set_recovery_codes(id, codes, unix_now())?;
    println!("saved {count} recovery codes for {name}");
    Ok(())
}

pub fn list(session: &mut Session, search: &str, json: bool) -> Result<(), Failure> {
    let vault = session.open_existing()?;
    let account = find(vault.accounts(), search)?;
    if json {
        let codes: Vec<_> = account
            .recovery_codes
            .iter()
            .map(|c| serde_json::json!({"code": c.code, "used": c.used_at.is_some(), "used_at": c.used_at}))
            .collect();
        print::json(&codes);
    } else {
        for c in &account.recovery_codes {
            // Filtered on import, and escaped here all the same: a code
            // must never drive the terminal (JSON escapes them itself).
            println!("{}{}", printable(&c.code), if c.used_at.is_some() { "  (used)" } else { "" });
        }
    }
    Ok(())
}

/// Marks the code read from standard input (or, with a warning, given as
/// an argument) used.
pub fn use_code(session: &mut Session, search: &str, code: Option<String>) -> Result<(), Failure> {
    let pipe = format!("twofold-cli recovery use {search}");
    let code = secret_argument(code, &pipe)?;
    let vault = session.open_existing()?;
    let account = find(vault.accounts(), search)?;
    let (id, name) = (account.id, account.display_name());
    let left = vault.use_recovery_code(id, code.trim(), unix_now())?;
    println!("marked used; {left} recovery code{} left for {name}", if left == 1 { "" } else { "s" });
    Ok(())
}
