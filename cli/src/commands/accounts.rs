//! The account list and one account at a time: its code, a new name, its
//! removal, its pin and tags, the next code of a counter.

use twofold_core::account::label;
use twofold_core::{unix_now, Account, OtpauthUri};

use super::find;
use crate::failure::Failure;
use crate::input::secret_argument;
use crate::print;
use crate::session::Session;

pub fn list(session: &mut Session, json: bool, tag: Option<&str>) -> Result<(), Failure> {
    let summaries: Vec<_> = match session.open_if_any()? {
        Some(vault) => vault.listing(unix_now(), tag),
        None => Vec::new(),
    };
    if json {
        print::json(&summaries);
    } else {
        print::listing(&summaries);
    }
    Ok(())
}

/// `code --uri`: the code of an account that is in no vault, its link read
/// from standard input (or, with a warning, given after `--uri`).
pub fn code_of_uri(uri: String, at: Option<u64>, next: bool, json: bool) -> Result<(), Failure> {
    let uri = secret_argument(Some(uri), "twofold-cli code --uri")?;
    let parsed = OtpauthUri::parse(&uri).map_err(|e| Failure::BadInput(e.to_string()))?;
    print::code(&Account::from_uri(parsed, 0), at.unwrap_or_else(unix_now), next, json)
}

pub fn code(
    session: &mut Session,
    search: &str,
    at: Option<u64>,
    next: bool,
    json: bool,
) -> Result<(), Failure> {
    let vault = session.open_existing()?;
    print::code(find(vault.accounts(), search)?, at.unwrap_or_else(unix_now), next, json)
}

pub fn remove(session: &mut Session, search: &str) -> Result<(), Failure> {
    let vault = session.open_existing()?;
    let id = find(vault.accounts(), search)?.id;
    let removed = vault.remove(id)?;
    println!("removed {}", removed.display_name());
    Ok(())
}

pub fn rename(
    session: &mut Session,
    search: &str,
    issuer: Option<String>,
    name: Option<String>,
) -> Result<(), Failure> {
    let vault = session.open_existing()?;
    let account = find(vault.accounts(), search)?;
    let id = account.id;
    let issuer = issuer.unwrap_or_else(|| account.issuer.clone());
    let name = name.unwrap_or_else(|| account.name.clone());
    vault.rename(id, &issuer, &name, unix_now())?;
    println!("renamed to {}", label(&issuer, &name));
    Ok(())
}

pub fn pin(session: &mut Session, search: &str, pinned: bool) -> Result<(), Failure> {
    let vault = session.open_existing()?;
    let account = find(vault.accounts(), search)?;
    let (id, shown) = (account.id, account.display_name());
    vault.set_pinned(id, pinned, unix_now())?;
    println!("{} {shown}", if pinned { "pinned" } else { "unpinned" });
    Ok(())
}

pub fn tag(session: &mut Session, search: &str, tags: &[String]) -> Result<(), Failure> {
    let vault = session.open_existing()?;
    let id = find(vault.accounts(), search)?.id;
    vault.set_tags(id, tags, unix_now())?;
    let account = vault.account(id)?;
    println!("{}: {}", account.display_name(), account.tags.join(", "));
    Ok(())
}

/// Advances a counter (HOTP) account and prints its new code.
pub fn next(session: &mut Session, search: &str) -> Result<(), Failure> {
    let vault = session.open_existing()?;
    let id = find(vault.accounts(), search)?.id;
    let now = unix_now();
    println!("{}", vault.next_hotp(id, now)?.otp.code_at(now).value);
    Ok(())
}
