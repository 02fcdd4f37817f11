//! The quick-search window's commands, and its shortcut setting.

use serde::Serialize;
use tauri::{AppHandle, Manager};
use twofold_core::settings::QuickSettings;
use uuid::Uuid;

use super::{blocking, Result};
use crate::error::{CommandError, ErrorCode};
use crate::{actions, quick, windows};

/// What quick search may know of an account: enough to find it, no code.
#[derive(Serialize)]
pub struct QuickName {
    id: Uuid,
    issuer: String,
    name: String,
    tags: Vec<String>,
}

/// The accounts as the list orders them, names only: quick search finds
/// one by them, and Rust copies its code.
#[tauri::command]
pub async fn quick_names(app: AppHandle) -> Result<Vec<QuickName>> {
    blocking(app, |s| {
        s.with_vault(|v| {
            let names = v.listing(s.now(), None).into_iter();
            Ok(names.map(|a| QuickName { id: a.id, issuer: a.issuer, name: a.name, tags: a.tags }).collect())
        })
    })
    .await
}

/// Copies the account's code (noted as used, as in the list), then gets
/// out of the way.
#[tauri::command]
pub async fn quick_copy(app: AppHandle, id: Uuid) -> Result<()> {
    let handle = app.clone();
    blocking(app, move |s| actions::copy_account_code(s, id, actions::Which::Current).map(drop)).await?;
    quick::hide(&handle);
    Ok(())
}

#[tauri::command]
pub fn quick_close(app: AppHandle) {
    quick::hide(&app);
}

/// From quick search to the main window (to unlock it, say).
#[tauri::command]
pub fn open_main(app: AppHandle) {
    quick::hide(&app);
    windows::bring_forward(&app);
}

/// Changes the global shortcut; one another app holds (or a malformed one)
/// is refused and the previous one kept.
#[tauri::command]
pub async fn set_quick_shortcut(app: AppHandle, shortcut: String) -> Result<()> {
    let shortcut = shortcut.trim().to_owned();
    app.state::<crate::state::AppState>().refuse_if_locked()?;
    quick::register(&app, &shortcut).map_err(|e| {
        CommandError::new(ErrorCode::ShortcutTaken, format!("the shortcut {shortcut} cannot be used: {e}"))
    })?;
    blocking(app, move |s| s.with_vault(|v| Ok(v.set_quick_settings(QuickSettings { shortcut })?))).await
}
