//! `twofold-cli backups …`: automatic encrypted backups (core's `backup`),
//! and the backup every vault-changing command makes before it exits.

use std::path::PathBuf;

use clap::Subcommand;
use twofold_core::backup::{self, BackupError, BackupKey, RestorePoint};
use twofold_core::{unix_now, Account, Keychain, Vault};

use crate::{read_secret_file, Failure, Session};

#[derive(Subcommand)]
pub enum BackupsCommand {
    /// Back up automatically, after every change, into FOLDER; only the
    /// passphrase opens the backups (each is an encrypted Aegis vault).
    Enable {
        #[arg(long, value_name = "DIR")]
        folder: PathBuf,
        /// The backup passphrase ("-" reads standard input).
        #[arg(long, value_name = "FILE")]
        passphrase_file: PathBuf,
    },
    /// Stop backing up (the backups already written stay).
    Disable,
    /// How long backups are kept (unchanged where not given). The last
    /// backup holding an account deleted within --deleted-days is always kept.
    Keep {
        /// Every backup of this many hours (default 24).
        #[arg(long)]
        hours: Option<u64>,
        /// Then the last of each day, for this many days (default 30).
        #[arg(long)]
        days: Option<u64>,
        /// Then the last of each month, for this many months (default 12).
        #[arg(long)]
        months: Option<u64>,
        #[arg(long)]
        deleted_days: Option<u64>,
    },
    /// Where backups go and when the last one was written. Exit status 1
    /// when backups are on but failing.
    Status,
    /// The restore points, oldest first.
    List {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        elsewhere: Elsewhere,
    },
    /// Add back the accounts of a restore point (ID or "latest") that the
    /// vault lacks; nothing is duplicated.
    Restore {
        point: String,
        /// Only accounts whose issuer or name contains this.
        #[arg(long)]
        only: Option<String>,
        #[command(flatten)]
        elsewhere: Elsewhere,
    },
}

/// For a machine whose own settings or keychain are gone: the folder and
/// the backup passphrase.
#[derive(clap::Args)]
pub struct Elsewhere {
    #[arg(long, value_name = "DIR", requires = "passphrase_file")]
    folder: Option<PathBuf>,
    #[arg(long, value_name = "FILE", requires = "folder")]
    passphrase_file: Option<PathBuf>,
}

fn failure(e: BackupError) -> Failure {
    match e {
        BackupError::WeakPassphrase(_) | BackupError::RetentionTooLong(_) => Failure::BadInput(e.to_string()),
        other => Failure::Failed(other.to_string()),
    }
}

/// Called by every command that changed the vault, before it exits: the
/// change is saved either way; a failed backup is said, never silent.
pub fn after_change(vault: &Vault) {
    if let Err(e) = backup::back_up(vault, &Keychain::from_env(), unix_now()) {
        eprintln!("twofold-cli: warning: the change is saved, but no backup was written: {e}");
    }
}

pub fn run(session: &Session, command: BackupsCommand) -> Result<(), Failure> {
    match command {
        BackupsCommand::Enable { folder, passphrase_file } => {
            let passphrase = read_secret_file(&passphrase_file)?;
            let mut vault = session.open_or_create()?;
            let point = backup::enable(&mut vault, &Keychain::from_env(), &folder, &passphrase, unix_now())
                .map_err(failure)?;
            println!("backups on: {} ({} accounts)", point.path.display(), vault.accounts().len());
            Ok(())
        }
        BackupsCommand::Disable => {
            let mut vault = session.open_existing()?;
            backup::disable(&mut vault, &Keychain::from_env()).map_err(failure)?;
            println!("backups off; the backups already written are kept");
            Ok(())
        }
        BackupsCommand::Keep { hours, days, months, deleted_days } => {
            let mut vault = session.open_existing()?;
            let mut keep = vault.meta().backup_retention;
            keep.all_hours = hours.unwrap_or(keep.all_hours);
            keep.daily_days = days.unwrap_or(keep.daily_days);
            keep.monthly_months = months.unwrap_or(keep.monthly_months);
            keep.deleted_days = deleted_days.unwrap_or(keep.deleted_days);
            backup::set_retention(&mut vault, keep).map_err(failure)?;
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
            let last = backup::list(&folder).map_err(failure)?.pop();
            match &last {
                Some(point) => println!("last backup: {} ({})", point.id, ago(unix_now(), point.time)),
                None => println!("last backup: none yet"),
            }
            backup::key_of(&vault, &Keychain::from_env()).map_err(failure)?;
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
                println!("{}", serde_json::to_string_pretty(&list).unwrap_or_default());
            } else {
                for (point, accounts) in rows {
                    let count = accounts.map_or("cannot be opened".into(), |n| format!("{n} accounts"));
                    println!("{}  {count}", point.id);
                }
            }
            Ok(())
        }
        BackupsCommand::Restore { point, only, elsewhere } => {
            let (points, keys) = restore_points(session, &elsewhere)?;
            let chosen =
                if point == "latest" { points.last() } else { points.iter().find(|p| p.id == point) };
            let chosen = chosen.ok_or_else(|| Failure::BadInput(format!("no restore point \"{point}\"")))?;
            let accounts: Vec<Account> = keys
                .open(chosen)
                .map_err(failure)?
                .into_iter()
                .filter(|a| only.as_deref().is_none_or(|search| a.matches(search)))
                .collect();
            let mut vault = session.open_or_create()?;
            let outcome = vault.add_all(accounts)?;
            for skipped in &outcome.skipped {
                println!("skipped {} (already in the vault as {})", skipped.account, skipped.existing);
            }
            for id in &outcome.added {
                if let Ok(account) = vault.account(*id) {
                    println!("restored {}", account.display_name());
                }
            }
            after_change(&vault);
            Ok(())
        }
    }
}

/// The keys that open backups: the keychain's, or those derived from the
/// passphrase given (once per salt).
enum Keys {
    Stored(BackupKey),
    Passphrase { passphrase: zeroize::Zeroizing<String>, derived: std::cell::RefCell<Vec<BackupKey>> },
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

fn restore_points(session: &Session, elsewhere: &Elsewhere) -> Result<(Vec<RestorePoint>, Keys), Failure> {
    if let (Some(folder), Some(file)) = (&elsewhere.folder, &elsewhere.passphrase_file) {
        let keys = Keys::Passphrase { passphrase: read_secret_file(file)?, derived: Default::default() };
        return Ok((backup::list(folder).map_err(failure)?, keys));
    }
    let vault = session.open_existing()?;
    let folder = vault.meta().backup_folder.clone().ok_or_else(|| {
        Failure::Failed(
            "backups are off; name a backup folder with --folder DIR --passphrase-file FILE".into(),
        )
    })?;
    let key = backup::key_of(&vault, &Keychain::from_env()).map_err(failure)?;
    Ok((backup::list(&folder).map_err(failure)?, Keys::Stored(key)))
}

/// "3 hours ago", for a status line.
fn ago(now: u64, then: u64) -> String {
    let s = now.saturating_sub(then);
    match s {
        0..60 => "just now".into(),
        60..3600 => format!("{} minutes ago", s / 60),
        3600..86_400 => format!("{} hours ago", s / 3600),
        _ => format!("{} days ago", s / 86_400),
    }
}
