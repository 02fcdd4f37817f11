//! The subcommands, grouped by feature under the names of the window's
//! commands (`src-tauri/src/commands/`): accounts, add (the window's
//! enroll), scan, transfer, recovery, backups, sync, clock, vault. Each is a few
//! lines over `twofold_core`; the vault comes from the [`Session`].

mod accounts;
mod add;
mod backups;
mod clock;
mod recovery;
mod scan;
pub mod sync;
mod transfer;
mod vault;

use twofold_core::Account;

use crate::args::{Command, RecoveryCommand};
use crate::failure::Failure;
use crate::session::Session;

pub fn run(session: &mut Session, command: Command) -> Result<(), Failure> {
    match command {
        Command::Code { uri: Some(uri), at, next, json, .. } => accounts::code_of_uri(uri, at, next, json),
        Command::Code { search, at, next, json, .. } => {
            accounts::code(session, search.as_deref().unwrap_or_default(), at, next, json)
        }
        Command::List { json, tag } => accounts::list(session, json, tag.as_deref()),
        Command::Add { uri } => add::add(session, uri),
        Command::Remove { search } => accounts::remove(session, &search),
        Command::Rename { search, issuer, name } => accounts::rename(session, &search, issuer, name),
        Command::Pin { search, off } => accounts::pin(session, &search, !off),
        Command::Tag { search, tags } => accounts::tag(session, &search, &tags),
        Command::Next { search } => accounts::next(session, &search),
        Command::Scan { images, reveal, json } => scan::scan(&images, reveal, json),
        Command::Import { files, passphrase_file, partial } => {
            add::import(session, &files, passphrase_file.as_deref(), partial)
        }
        Command::Export { out, passphrase_file, format, force } => {
            transfer::export(session, &out, passphrase_file, format, force)
        }
        Command::Kit { out, passphrase_file, paper, language, with_recovery_codes, force } => {
            transfer::kit(session, &out, &passphrase_file, paper, language, with_recovery_codes, force)
        }
        Command::Verify { file, passphrase_file } => transfer::verify(session, &file, &passphrase_file),
        Command::Check { json } => transfer::check(session, json),
        Command::Recovery(RecoveryCommand::Add { search, file }) => recovery::add(session, &search, &file),
        Command::Recovery(RecoveryCommand::List { search, json }) => recovery::list(session, &search, json),
        Command::Recovery(RecoveryCommand::Use { search, code }) => {
            recovery::use_code(session, &search, code)
        }
        Command::Clock { server, json } => clock::check(&server, json),
        Command::Backups(command) => backups::run(session, command),
        Command::Sync(command) => sync::run(session, command),
        Command::Restore { force } => vault::restore(session, force),
        Command::Init { new_despite_backup } => vault::init(session, new_despite_backup),
    }
}

/// The one account SEARCH names: an exact issuer, name or "issuer:name"
/// match wins; otherwise it must be the only partial match.
fn find<'a>(accounts: &'a [Account], search: &str) -> Result<&'a Account, Failure> {
    let wanted = search.trim().to_lowercase();
    let exact: Vec<_> = accounts
        .iter()
        .filter(|a| {
            let (issuer, name) = (a.issuer.to_lowercase(), a.name.to_lowercase());
            issuer == wanted || name == wanted || format!("{issuer}:{name}") == wanted
        })
        .collect();
    let candidates =
        if exact.is_empty() { accounts.iter().filter(|a| a.matches(search)).collect() } else { exact };
    match candidates.as_slice() {
        [one] => Ok(one),
        [] => Err(Failure::Failed(format!("no account matches \"{search}\""))),
        many => {
            let names: Vec<_> = many.iter().map(|a| a.display_name()).collect();
            Err(Failure::Failed(format!(
                "{} accounts match \"{search}\" ({}); be more specific",
                many.len(),
                names.join(", ")
            )))
        }
    }
}
