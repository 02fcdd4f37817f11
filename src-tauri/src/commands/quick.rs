//! The quick-search window's commands, and its shortcut setting.

use tauri::AppHandle;
use twofold_core::settings::QuickSettings;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::{blocking, Result};
use crate::error::{CommandError, ErrorCode};
use crate::quick;

/// Copies the account's code, then gets out of the way.
#[tauri::command]
pub async fn quick_copy(app: AppHandle, id: Uuid) -> Result<()> {
    let handle = app.clone();
    blocking(app, move |s| {
        let code = s.with_vault(|v| Ok(Zeroizing::new(v.account(id)?.otp.code_at(s.now()).value)))?;
        super::accounts::copy_text(s, &code).map(drop)
    })
    .await?;
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
    super::window::bring_forward(&app);
}

/// Changes the global shortcut; one another app holds (or a malformed one)
/// is refused and the previous one kept.
#[tauri::command]
pub async fn set_quick_shortcut(app: AppHandle, shortcut: String) -> Result<()> {
    let shortcut = shortcut.trim().to_owned();
    quick::register(&app, &shortcut).map_err(|e| {
        CommandError::new(ErrorCode::ShortcutTaken, format!("the shortcut {shortcut} cannot be used: {e}"))
    })?;
    blocking(app, move |s| s.with_vault(|v| Ok(v.set_quick_settings(QuickSettings { shortcut })?))).await
}
