//! Adding accounts: one otpauth URI (`add`), or every account in other
//! apps' exports, transfer bundles and QR images (`import`), through the
//! same `enroll::Collected` as the window.

use std::path::{Path, PathBuf};

use twofold_core::enroll::{self, Collected};
use twofold_core::formats::FormatError;
use twofold_core::{unix_now, Account, OtpauthUri};

use crate::failure::Failure;
use crate::input::{read_secret_file, secret_argument};
use crate::session::Session;

pub fn add(session: &mut Session, uri: Option<String>) -> Result<(), Failure> {
    let uri = secret_argument(uri, "twofold-cli add")?;
    let parsed = OtpauthUri::parse(uri.trim()).map_err(|e| Failure::BadInput(e.to_string()))?;
    let account = Account::from_uri(parsed, unix_now());
    let name = account.display_name();
    let vault = session.open_or_create()?;
    vault.add(account)?;
    println!("added {name}");
    Ok(())
}

pub fn import(
    session: &mut Session,
    files: &[PathBuf],
    passphrase_file: Option<&Path>,
    partial: bool,
) -> Result<(), Failure> {
    let passphrase = passphrase_file.map(read_secret_file).transpose()?;
    let mut collected = Collected::default();
    for file in files {
        let name = file.display().to_string();
        // A Steam manifest brings its maFiles from beside it.
        let files =
            enroll::read_with_companions(file).map_err(|e| Failure::BadInput(format!("{name}: {e}")))?;
        let added = collected.add_files(&name, &files, passphrase.as_deref().map(|p| p.as_str())).map_err(
            |e| match e {
                FormatError::NeedsPassphrase(_) => {
                    Failure::BadInput(format!("{name}: {e}; pass --passphrase-file FILE"))
                }
                other => Failure::Failed(format!("{name}: {other}")),
            },
        )?;
        let format = added.format.map_or("text", |f| f.name());
        eprintln!("twofold-cli: {name}: {format} ({} accounts)", added.accounts);
    }
    for repeat in &collected.file_repeats {
        eprintln!("twofold-cli: {repeat}");
    }
    for problem in &collected.problems {
        eprintln!("twofold-cli: {}: {}", problem.source, problem.message);
    }
    // Judged after every file: a later file may complete an export.
    for batch in collected.incomplete_batches() {
        eprintln!("twofold-cli: warning: {batch}");
    }
    let kits: Vec<String> = collected.incomplete_kits().map(ToString::to_string).collect();
    for kit in &kits {
        eprintln!("twofold-cli: warning: {kit}");
    }
    if collected.accounts.is_empty() && !kits.is_empty() {
        return Err(Failure::Failed(format!(
            "{}; nothing was added. Scan the missing pages and import every page again",
            kits.join("; ")
        )));
    }
    if collected.accounts.is_empty() {
        return Err(Failure::Failed("no accounts were found".into()));
    }
    let incomplete =
        !collected.problems.is_empty() || collected.incomplete_batches().next().is_some() || !kits.is_empty();
    if incomplete && !partial {
        return Err(Failure::Failed(
            "some entries could not be read (above); nothing was added. Fix them, or pass --partial to add the rest".into(),
        ));
    }
    let vault = session.open_or_create()?;
    let outcome = vault.add_all(collected.to_accounts(unix_now()))?;
    for skipped in &outcome.skipped {
        println!("skipped {} (already in the vault as {})", skipped.account, skipped.existing);
    }
    println!("added {} account{}", outcome.added.len(), if outcome.added.len() == 1 { "" } else { "s" });
    Ok(())
}
