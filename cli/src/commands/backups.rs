//! `twofold-cli backups …`: automatic encrypted backups (core's `backup`)
//! and their restore points. The backup after a change is the session's
//! (`Session::finish`), whatever the command.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use twofold_core::backup::{self, BackupError, BackupKey, RestorePoint};
use twofold_core::{unix_now, vault, Account, Keychain, KeychainError, VaultError};
use zeroize::Zeroizing;

use crate::args::{BackupsCommand, Elsewhere};
use crate::failure::Failure;
use crate::input::read_secret_file;
use crate::print;
use crate::session::Session;

pub fn run(session: &mut Session, command: BackupsCommand) -> Result<(), Failure> {
    match command {
        BackupsCommand::Enable { folder, passphrase_file } => {
            let passphrase = read_secret_file(&passphrase_file)?;
            let vault = session.open_or_create()?;
            let enabled = backup::enable(vault, &Keychain::from_env(), &folder, &passphrase, unix_now());
            let accounts = vault.accounts().len();
            // Enabling writes the first backup itself (or says why it could
            // not): the session must not write a second one.
            session.backed_up();
            println!("backups on: {} ({accounts} accounts)", enabled?.path.display());
            Ok(())
        }
        BackupsCommand::Disable => {
            let vault = session.open_existing()?;
            backup::disable(vault, &Keychain::from_env())?;
            println!("backups off; the backups already written are kept");
            Ok(())
        }
        BackupsCommand::Keep { hours, days, months, deleted_days } => {
            let vault = session.open_existing()?;
            let mut keep = vault.meta().backup_retention;
            keep.all_hours = hours.unwrap_or(keep.all_hours);
            keep.daily_days = days.unwrap_or(keep.daily_days);
            keep.monthly_months = months.unwrap_or(keep.monthly_months);
            keep.deleted_days = deleted_days.unwrap_or(keep.deleted_days);
            backup::set_retention(vault, keep)?;
            println!(
                "keeping every backup of {} hours, one a day for {} days, one a month for {} months, and deletions for {} days",
                keep.all_hours, keep.daily_days, keep.monthly_months, keep.deleted_days
            );
            Ok(())
        }
        BackupsCommand::Status => {
            let vault = session.open_existing()?;
            let Some(folder) = vault.meta().backup_folder.clone() else {
                println!("backups are off");
                return Ok(());
            };
            println!("folder: {}", folder.display());
            let last = backup::points_of(vault)?.pop();
            match &last {
                Some(point) => println!("last backup: {} ({})", point.id, print::ago(unix_now(), point.time)),
                None => println!("last backup: none yet"),
            }
            backup::key_of(vault, &Keychain::from_env())?;
            Ok(())
        }
        BackupsCommand::List { json, elsewhere } => {
            let (points, keys) = restore_points(session, &elsewhere)?;
            let mut rows = Vec::new();
            for point in &points {
                let accounts = keys.open(point).map(|a| a.len()).ok();
                rows.push((point, accounts));
            }
            if json {
                let list: Vec<_> = rows
                    .iter()
                    .map(|(p, n)| serde_json::json!({"id": p.id, "time": p.time, "accounts": n}))
                    .collect();
                print::json(&list);
            } else {
                for (point, accounts) in rows {
                    let count = accounts.map_or("cannot be opened".into(), |n| format!("{n} accounts"));
                    println!("{}  {count}", point.id);
                }
            }
            Ok(())
        }
        BackupsCommand::Restore { point, elsewhere, start_over: true, .. } => {
            self::start_over(session, &point, &elsewhere)
        }
        BackupsCommand::Restore { point, only, elsewhere, start_over: false } => {
            let (points, keys) = restore_points(session, &elsewhere)?;
            let chosen =
                if point == "latest" { points.last() } else { points.iter().find(|p| p.id == point) };
            let chosen = chosen.ok_or_else(|| Failure::BadInput(format!("no restore point \"{point}\"")))?;
            let accounts: Vec<Account> = keys
                .open(chosen)?
                .into_iter()
                .filter(|a| only.as_deref().is_none_or(|search| a.matches(search)))
                .collect();
            let vault = session.open_or_create()?;
            let outcome = vault.add_all(accounts)?;
            for skipped in &outcome.skipped {
                println!("skipped {} (already in the vault as {})", skipped.account, skipped.existing);
            }
            for id in &outcome.added {
                if let Ok(account) = vault.account(*id) {
                    println!("restored {}", account.display_name());
                }
            }
            Ok(())
        }
    }
}

/// `backups restore latest --folder DIR --passphrase-file FILE --start-over`:
/// the way back for a vault that cannot be opened (core's
/// `backup::start_over_from`, as the window's), saying why it could not,
/// what the new vault holds, and where the old files were kept.
fn start_over(session: &Session, point: &str, elsewhere: &Elsewhere) -> Result<(), Failure> {
    let (Some(folder), Some(passphrase_file)) = (&elsewhere.folder, &elsewhere.passphrase_file) else {
        return Err(Failure::BadInput("--start-over needs --folder DIR --passphrase-file FILE".into()));
    };
    if point != "latest" {
        return Err(Failure::BadInput(format!(
            "--start-over starts from the newest backup: give \"latest\", not \"{point}\""
        )));
    }
    let path = session.path()?;
    let keychain = Keychain::from_env();
    let vault_passphrase = session.passphrase()?;
    let why = match vault::open_if_any(&path, &keychain, vault_passphrase.as_deref().map(|p| p.as_str())) {
        Ok(Some(_)) => {
            return Err(Failure::Failed(
                "the vault opens, so it was left as it is: --start-over is only for a vault that cannot be opened; without it, the backup's accounts the vault lacks are added".into(),
            ))
        }
        Ok(None) => None,
        Err(e) if cannot_open(&e) => Some(e.to_string()),
        Err(e) => return Err(e.into()),
    };
    let passphrase = read_secret_file(passphrase_file)?;
    let newest = backup::list(folder)?.pop().ok_or_else(|| BackupError::NoBackups(folder.clone()))?;
    let before = kept_aside(&path);
    let vault = backup::start_over_from(folder, &passphrase, &path, &keychain, unix_now())?;
    let count = vault.accounts().len();
    let accounts = format!("{count} account{}", if count == 1 { "" } else { "s" });
    match why {
        Some(why) => println!(
            "the vault could not be opened ({why}): a new vault now holds the {accounts} of {}",
            newest.id
        ),
        None => println!("there was no vault: a new vault now holds the {accounts} of {}", newest.id),
    }
    for aside in kept_aside(&path).difference(&before) {
        println!("kept aside, not deleted: {}", aside.display());
    }
    println!("backups continue into {}", folder.display());
    Ok(())
}

/// The ways a vault cannot be opened that starting over from backups is
/// for. Not a passphrase vault without its passphrase, a keychain that
/// cannot be reached, or a vault from a newer Twofold: those open again.
fn cannot_open(e: &VaultError) -> bool {
    matches!(
        e,
        VaultError::Keychain(KeychainError::KeyMissing | KeychainError::BadKey)
            | VaultError::KeyMismatch
            | VaultError::WrongPassphrase
            | VaultError::Corrupted { .. }
            | VaultError::MissingButFound { .. }
    )
}

/// The old vault files kept beside `path` by starting anew.
fn kept_aside(path: &Path) -> BTreeSet<PathBuf> {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return BTreeSet::new();
    };
    let Ok(entries) = std::fs::read_dir(twofold_core::fs::directory_of(path)) else {
        return BTreeSet::new();
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let other = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            other.starts_with(&name) && other.contains(".before-new-")
        })
        .collect()
}

/// The keys that open backups: the keychain's, or those derived from the
/// passphrase given (once per salt).
enum Keys {
    Stored(BackupKey),
    Passphrase { passphrase: Zeroizing<String>, derived: RefCell<Vec<BackupKey>> },
}

impl Keys {
    fn open(&self, point: &RestorePoint) -> Result<Vec<Account>, BackupError> {
        match self {
            Keys::Stored(key) => backup::open(&point.path, key),
            Keys::Passphrase { passphrase, derived } => {
                for key in derived.borrow().iter() {
                    if let Ok(accounts) = backup::open(&point.path, key) {
                        return Ok(accounts);
                    }
                }
                let key = backup::recover_key(&point.path, passphrase)?;
                let accounts = backup::open(&point.path, &key)?;
                derived.borrow_mut().push(key);
                Ok(accounts)
            }
        }
    }
}

fn restore_points(
    session: &mut Session,
    elsewhere: &Elsewhere,
) -> Result<(Vec<RestorePoint>, Keys), Failure> {
    if let (Some(folder), Some(file)) = (&elsewhere.folder, &elsewhere.passphrase_file) {
        let keys = Keys::Passphrase { passphrase: read_secret_file(file)?, derived: Default::default() };
        return Ok((backup::list(folder)?, keys));
    }
    let vault = session.open_existing()?;
    if vault.meta().backup_folder.is_none() {
        return Err(Failure::Failed(
            "backups are off; name a backup folder with --folder DIR --passphrase-file FILE".into(),
        ));
    }
    let key = backup::key_of(vault, &Keychain::from_env())?;
    Ok((backup::points_of(vault)?, Keys::Stored(key)))
}
