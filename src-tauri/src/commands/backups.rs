//! Automatic backups from the window: turning them on (the folder chosen in
//! a native dialog, never named by the page), their status, and restore
//! points, restored through the same preview as any import.

use std::path::PathBuf;

use serde::Serialize;
use tauri::AppHandle;
use twofold_core::backup::{self, BackupProblem};
use twofold_core::enroll::Preview;
use twofold_core::settings::Retention;
use zeroize::Zeroizing;

use super::{blocking, Result};
use crate::error::{CommandError, ErrorCode};
use crate::messages::FolderFor;
use crate::native_dialog::{self, Question};

#[derive(Serialize)]
pub struct BackupStatus {
    on: bool,
    /// Where they go, to show (the page never chooses it).
    folder: Option<String>,
    /// The newest backup in the folder (Unix seconds).
    last: Option<u64>,
    /// Why the last attempt failed.
    problem: Option<BackupProblem>,
    /// How long they are kept, and the longest each period may be.
    retention: Retention,
    retention_max: Retention,
}

#[tauri::command]
pub async fn backup_status(app: AppHandle) -> Result<BackupStatus> {
    blocking(app, |s| {
        let (folder, retention, last) = s.with_vault(|v| {
            let last = backup::points_of(v).ok().and_then(|p| p.last().map(|p| p.time));
            Ok((v.meta().backup_folder.clone(), v.meta().backup_retention, last))
        })?;
        let problem = s.backups.problem();
        Ok(BackupStatus {
            on: folder.is_some(),
            folder: folder.map(|f| f.display().to_string()),
            last,
            problem,
            retention,
            retention_max: Retention::MAX,
        })
    })
    .await
}

/// "Twofold Backups" in the person's documents folder, unless they choose
/// another in the native dialog (`choose`). Confirmed in a native dialog
/// Rust words, naming the folder: a compromised page must not re-key the
/// backups to a passphrase it chose. `None`: a dialog was cancelled.
#[tauri::command]
pub async fn enable_backups(
    app: AppHandle,
    passphrase: String,
    choose: bool,
) -> Result<Option<BackupStatus>> {
    let passphrase = Zeroizing::new(passphrase);
    let handle = app.clone();
    let Ok(chosen) = pick(&app, choose).await? else { return Ok(None) };
    let enabled = blocking(app.clone(), move |s| {
        // Resuming (the key left the keychain): the same folder.
        let (current, on) =
            s.with_vault(|v| Ok((v.meta().backup_folder.clone(), v.meta().backup_folder.is_some())))?;
        let folder = chosen.or(current).unwrap_or_else(default_folder);
        let named = folder.display().to_string();
        let question = if on { Question::NewBackupPassphrase(named) } else { Question::BackUpTo(named) };
        if !native_dialog::confirm(&app, question) {
            return Ok(false);
        }
        let keychain = s.keychain.clone();
        s.with_vault(|v| Ok(backup::enable(v, &keychain, &folder, &passphrase, twofold_core::unix_now())?))?;
        Ok(true)
    })
    .await?;
    if !enabled {
        return Ok(None);
    }
    backup_status(handle).await.map(Some)
}

/// The folder the person picks in a native dialog when `choose` (`Err`:
/// they cancelled); `Ok(None)`: they did not ask to choose.
/// The chooser is answered on the main loop; the wait for it is on a
/// blocking thread, not on one of the async runtime's few workers.
async fn pick(app: &AppHandle, choose: bool) -> Result<std::result::Result<Option<PathBuf>, ()>> {
    if !choose {
        return Ok(Ok(None));
    }
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        native_dialog::choose_folder(&app, FolderFor::Backups).map(Some).ok_or(())
    })
    .await
    .map_err(|_| CommandError::internal("the folder chooser stopped"))
}

fn default_folder() -> PathBuf {
    let documents = directories::UserDirs::new().and_then(|d| d.document_dir().map(PathBuf::from));
    documents
        .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf()))
        .unwrap_or_default()
        .join("Twofold Backups")
}

/// How long backups are kept (refused, changing nothing, past the limits).
/// Keeping any of them for less time than now is confirmed natively (older
/// backups go at the next one). `None`: the person kept them as they were.
#[tauri::command]
pub async fn set_backup_retention(app: AppHandle, retention: Retention) -> Result<Option<BackupStatus>> {
    let handle = app.clone();
    let saved = blocking(app.clone(), move |s| {
        let current = s.with_vault(|v| Ok(v.meta().backup_retention))?;
        if retention.shorter_than(&current) && !native_dialog::confirm(&app, Question::KeepLess) {
            return Ok(false);
        }
        s.with_vault(|v| Ok(backup::set_retention(v, retention)?))?;
        Ok(true)
    })
    .await?;
    if !saved {
        return Ok(None);
    }
    backup_status(handle).await.map(Some)
}

/// Turns backups off, after a native confirmation. `false`: the person
/// kept them on.
#[tauri::command]
pub async fn disable_backups(app: AppHandle) -> Result<bool> {
    blocking(app.clone(), move |s| {
        let Some(folder) = s.with_vault(|v| Ok(v.meta().backup_folder.clone()))? else { return Ok(true) };
        if !native_dialog::confirm(&app, Question::StopBackups(folder.display().to_string())) {
            return Ok(false);
        }
        let keychain = s.keychain.clone();
        s.with_vault(|v| Ok(backup::disable(v, &keychain)?))?;
        Ok(true)
    })
    .await
}

/// The way back when the vault cannot open (gone, damaged, key lost): the
/// backups folder (Documents/Twofold Backups, or one the person picks in a
/// native dialog) and the backup passphrase give a new vault with every
/// account; the old files are kept aside. `None`: the dialog was cancelled.
#[tauri::command]
pub async fn start_over_from_backups(
    app: AppHandle,
    passphrase: String,
    choose: bool,
) -> Result<Option<usize>> {
    let passphrase = Zeroizing::new(passphrase);
    let Ok(chosen) = pick(&app, choose).await? else { return Ok(None) };
    let folder = chosen.unwrap_or_else(default_folder);
    let restored = blocking(app, move |s| {
        s.replace_unopenable(
            || {
                let now = twofold_core::unix_now();
                let vault =
                    backup::start_over_from(&folder, &passphrase, &s.vault_path()?, &s.keychain, now)?;
                let count = vault.accounts().len();
                Ok((Some(vault), count))
            },
            true,
        )
    })
    .await?;
    Ok(Some(restored))
}

/// A restore point and how it differs from the vault now.
#[derive(Serialize)]
pub struct PointView {
    id: String,
    time: u64,
    accounts: usize,
    /// In the backup, not in the vault: what restoring would bring back.
    would_return: usize,
    /// In both, but different (renamed, counter moved, codes changed…).
    changed: usize,
    /// In the vault, added since this backup.
    newer: usize,
}

#[tauri::command]
pub async fn restore_points(app: AppHandle) -> Result<Vec<PointView>> {
    blocking(app, |s| {
        let keychain = s.keychain.clone();
        s.with_vault(|v| {
            let key = backup::key_of(v, &keychain)?;
            let views = backup::points_of(v)?
                .into_iter()
                .rev()
                .filter_map(|point| {
                    let accounts = backup::open(&point.path, &key).ok()?;
                    let diff = twofold_core::compare::verify(&accounts, v.accounts(), point.time);
                    Some(PointView {
                        id: point.id,
                        time: point.time,
                        accounts: accounts.len(),
                        would_return: diff.extra.len(),
                        changed: diff.different.len(),
                        newer: diff.missing.len(),
                    })
                })
                .collect();
            Ok(views)
        })
    })
    .await
}

/// Puts a restore point's accounts in the preview (duplicates flagged),
/// confirmed with `confirm_add` like any import.
#[tauri::command]
pub async fn restore_point(app: AppHandle, id: String) -> Result<Preview> {
    blocking(app, move |s| {
        let keychain = s.keychain.clone();
        let accounts = s.with_vault(|v| {
            let point = backup::points_of(v)?.into_iter().find(|p| p.id == id);
            let point =
                point.ok_or_else(|| CommandError::new(ErrorCode::BackupFailed, "no such restore point"))?;
            Ok(backup::open(&point.path, &backup::key_of(v, &keychain)?)?)
        })?;
        s.pending().add_restored(accounts);
        s.preview()
    })
    .await
}
