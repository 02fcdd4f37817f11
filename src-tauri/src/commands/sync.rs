//! Folder sync from the window: turning it on (the folder chosen in a
//! native dialog, never named by the page), its status and conflicts, a
//! round now, what another computer asked that waits, turning it off. The
//! rounds themselves run in the background (`sync_runner`).

use serde::Serialize;
use tauri::AppHandle;
use twofold_core::replica::Keep;
use twofold_core::sync::{self, Named, Problem, Status};
use zeroize::Zeroizing;

use super::{blocking, Result};
use crate::error::{CommandError, ErrorCode};
use crate::messages::FolderFor;
use crate::native_dialog::{self, Question};
use crate::state::AppState;

#[derive(Serialize)]
pub struct SyncView {
    on: bool,
    /// The name this computer would go by, for the field before sync is on.
    suggested_name: String,
    status: Option<Status>,
    conflicts: Vec<Named>,
    /// Files the last round could not read, each with why.
    problems: Vec<Problem>,
    /// Why the last round failed, if it did.
    error: Option<String>,
}

fn view(s: &AppState) -> Result<SyncView> {
    let now = s.now_ms();
    let (status, conflicts) = s.with_vault(|v| match v.meta().sync {
        Some(_) => Ok((sync::status(v, now).ok(), sync::conflicts(v, now).unwrap_or_default())),
        None => Ok((None, Vec::new())),
    })?;
    let last = s.sync_report.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
    let (problems, error) = match last {
        Some(Ok(report)) => (report.problems, None),
        Some(Err(e)) => (Vec::new(), Some(e)),
        None => (Vec::new(), None),
    };
    Ok(SyncView {
        on: status.is_some(),
        suggested_name: sync::this_computers_name(),
        status,
        conflicts,
        problems,
        error,
    })
}

#[tauri::command]
pub async fn sync_status(app: AppHandle) -> Result<SyncView> {
    blocking(app, view).await
}

/// Turns sync on through a folder the person picks in a native dialog,
/// confirmed in a native dialog Rust words, naming the folder. `None`: a
/// dialog was cancelled.
#[tauri::command]
pub async fn enable_sync(app: AppHandle, passphrase: String, name: String) -> Result<Option<SyncView>> {
    let passphrase = Zeroizing::new(passphrase);
    let chooser = app.clone();
    let chosen =
        tauri::async_runtime::spawn_blocking(move || native_dialog::choose_folder(&chooser, FolderFor::Sync))
            .await
            .map_err(|_| CommandError::internal("the folder chooser stopped"))?;
    let Some(folder) = chosen else { return Ok(None) };
    blocking(app.clone(), move |s| {
        if !native_dialog::confirm(&app, Question::SyncThrough(folder.display().to_string())) {
            return Ok(None);
        }
        let keychain = s.keychain.clone();
        let now = s.now_ms();
        let name = if name.trim().is_empty() { sync::this_computers_name() } else { name };
        let report = s.with_vault(|v| Ok(sync::enable(v, &keychain, &folder, &passphrase, &name, now)?))?;
        *s.sync_report.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Ok(report));
        s.sync.poke();
        view(s).map(Some)
    })
    .await
}

/// A round now. `decision`: "apply" (what another computer asked that was
/// held back, after a native confirmation naming how many) or "keep" (the
/// held accounts stay, on every computer). `None` when the person declined.
#[tauri::command]
pub async fn sync_now(app: AppHandle, decision: Option<String>) -> Result<Option<SyncView>> {
    blocking(app.clone(), move |s| {
        let now = s.now_ms();
        let keychain = s.keychain.clone();
        match decision.as_deref() {
            Some("apply") => {
                let held = s.with_vault(|v| Ok(v.replica().map(|r| r.held.clone()).unwrap_or_default()))?;
                let question = Question::ApplyHeld { removals: held.removals.len(), keys: held.keys.len() };
                if !native_dialog::confirm(&app, question) {
                    return Ok(None);
                }
                s.with_vault(|v| Ok(sync::round(v, &keychain, now, true)?))?;
            }
            Some("keep") => {
                s.with_vault(|v| Ok(sync::keep_held(v, &keychain, now)?))?;
            }
            Some(_) => return Err(CommandError::new(ErrorCode::BadRequest, "no such decision")),
            None => {
                s.refuse_if_locked()?;
                s.sync_round(false);
            }
        }
        view(s).map(Some)
    })
    .await
}

/// Keeps one version of a conflict: "this" computer's or the "other".
#[tauri::command]
pub async fn resolve_sync_conflict(app: AppHandle, id: String, keep: String) -> Result<SyncView> {
    let keep = match keep.as_str() {
        "this" => Keep::This,
        "other" => Keep::Other,
        _ => return Err(CommandError::new(ErrorCode::BadRequest, "keep this or other")),
    };
    blocking(app, move |s| {
        let (keychain, now) = (s.keychain.clone(), s.now_ms());
        s.with_vault(|v| Ok(sync::resolve(v, &keychain, &id, keep, now)?))?;
        view(s)
    })
    .await
}

/// Stops reading another computer's file and removes it from the folder;
/// every account it brought stays (`sync::remove_device`).
#[tauri::command]
pub async fn remove_sync_device(app: AppHandle, device: String) -> Result<SyncView> {
    blocking(app, move |s| {
        s.with_vault(|v| Ok(sync::remove_device(v, &device)?))?;
        view(s)
    })
    .await
}

/// Turns sync off, after a native confirmation. `false`: kept on.
#[tauri::command]
pub async fn disable_sync(app: AppHandle) -> Result<bool> {
    blocking(app.clone(), move |s| {
        let Some(folder) = s.with_vault(|v| Ok(v.meta().sync.as_ref().map(|x| x.folder.clone())))? else {
            return Ok(true);
        };
        if !native_dialog::confirm(&app, Question::StopSync(folder.display().to_string())) {
            return Ok(false);
        }
        let keychain = s.keychain.clone();
        s.with_vault(|v| Ok(sync::disable(v, &keychain)?))?;
        s.sync.poke();
        Ok(true)
    })
    .await
}
