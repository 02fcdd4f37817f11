//! `twofold-cli sync …`: folder sync (core's `sync`). A round also runs
//! after any command that saved a change (`Session::finish`).

use twofold_core::replica::Keep;
use twofold_core::sync::{self, Report, SyncError};
use twofold_core::Keychain;

use crate::args::{SyncCommand, SyncKeep};
use crate::failure::Failure;
use crate::input::read_secret_file;
use crate::print;
use crate::session::Session;

fn now_ms() -> u64 {
    twofold_core::unix_now().saturating_mul(1000)
}

pub fn run(session: &mut Session, command: SyncCommand) -> Result<(), Failure> {
    let keychain = Keychain::from_env();
    match command {
        SyncCommand::Enable { folder, passphrase_file, name } => {
            let passphrase = read_secret_file(&passphrase_file)?;
            let vault = session.open_or_create()?;
            let name = name.unwrap_or_else(sync::this_computers_name);
            let report = sync::enable(vault, &keychain, &folder, &passphrase, &name, now_ms())?;
            println!("sync on: {} (this computer: {name})", folder.display());
            said(&report);
        }
        SyncCommand::Now { confirm, keep } => {
            let vault = session.open_existing()?;
            let report = if keep {
                sync::keep_held(vault, &keychain, now_ms())?
            } else {
                sync::round(vault, &keychain, now_ms(), confirm)?
            };
            said(&report);
        }
        SyncCommand::Status { json } => {
            let vault = session.open_existing()?;
            let status = sync::status(vault, now_ms())?;
            if json {
                print::json(&status);
                return Ok(());
            }
            println!("folder: {}", status.folder.display());
            println!("this computer: {} ({})", status.name, status.device);
            let now = twofold_core::unix_now();
            let seen: Vec<String> = status
                .computers
                .iter()
                .map(|c| format!("{}: {}", c.name, print::ago(now, c.written_ms / 1000)))
                .collect();
            match seen.len() {
                0 => println!("no other computer has written to the folder yet"),
                n => println!(
                    "in step with {n} other computer{} ({})",
                    if n == 1 { "" } else { "s" },
                    seen.join(", ")
                ),
            }
            for c in status.computers.iter().filter(|c| c.stale) {
                println!("warning: {} has not been seen for over 30 days", c.name);
            }
            if status.conflicts > 0 {
                println!("{} conflicts wait for you: twofold-cli sync conflicts", status.conflicts);
            }
            held(status.held_removals, status.held_keys);
        }
        SyncCommand::Conflicts { json } => {
            let vault = session.open_existing()?;
            let conflicts = sync::conflicts(vault, now_ms())?;
            if json {
                print::json(&conflicts);
                return Ok(());
            }
            if conflicts.is_empty() {
                println!("no conflicts");
            }
            let this = vault.replica().map(|r| r.device);
            for c in &conflicts {
                println!("{}  {}: {} changed on two computers", c.id, c.name, c.conflict.field.as_str());
                for v in &c.conflict.versions {
                    let whose = if Some(v.device) == this { "this computer" } else { "other" };
                    println!("    {whose}: {}", v.shown);
                }
            }
        }
        SyncCommand::Resolve { id, keep } => {
            let vault = session.open_existing()?;
            let keep = match keep {
                SyncKeep::This => Keep::This,
                SyncKeep::Other => Keep::Other,
            };
            let report = sync::resolve(vault, &keychain, &id, keep, now_ms())?;
            println!("kept; the other computers take it at their next round");
            said(&report);
        }
        SyncCommand::Devices { json } => {
            let vault = session.open_existing()?;
            let status = sync::status(vault, now_ms())?;
            if json {
                print::json(&status.computers);
                return Ok(());
            }
            let now = twofold_core::unix_now();
            for c in &status.computers {
                println!("{}  {}  last seen {}", c.device, c.name, print::ago(now, c.written_ms / 1000));
            }
        }
        SyncCommand::RemoveDevice { id } => {
            sync::remove_device(session.open_existing()?, &id)?;
            println!("removed {id}; the accounts it brought stay");
        }
        SyncCommand::Disable => {
            sync::disable(session.open_existing()?, &keychain)?;
            println!("sync off; every account stays on this computer and on the others");
        }
    }
    session.synced();
    Ok(())
}

fn held(removals: usize, keys: usize) {
    if removals > 0 {
        println!(
            "{removals} accounts removed on another computer are kept here until you agree: twofold-cli sync now --confirm (or --keep)"
        );
    }
    if keys > 0 {
        println!(
            "{keys} accounts got a new key on another computer; the old keys stay until you agree: twofold-cli sync now --confirm (or --keep)"
        );
    }
}

/// What a round did, in a few lines.
pub fn said(report: &Report) {
    let Report { computers, added, changed, removed, conflicts, already_there, .. } = report;
    println!(
        "read {computers} other computer{}: {added} added, {changed} changed, {removed} removed",
        if *computers == 1 { "" } else { "s" }
    );
    if *already_there > 0 {
        println!("{already_there} accounts were already in the folder: each is kept once");
    }
    if *conflicts > 0 {
        println!("{conflicts} conflicts wait for you: twofold-cli sync conflicts");
    }
    held(report.held_removals, report.held_keys);
    for problem in &report.problems {
        eprintln!("twofold-cli: warning: {} was not read: {}", problem.file, problem.reason);
    }
}

impl From<SyncError> for Failure {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::Weak(_)
            | SyncError::WrongPassphrase
            | SyncError::NoSuchConflict(_)
            | SyncError::NoSuchDevice(_) => Failure::BadInput(e.to_string()),
            SyncError::Vault(v) => v.into(),
            other => Failure::Failed(other.to_string()),
        }
    }
}
