//! The app lock and the privacy settings: lock now, unlock, set or remove
//! the lock passphrase, the idle time, hiding codes, and keeping the window
//! out of screen captures.

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager};
use tauri_plugin_autostart::ManagerExt;
use twofold_core::app_lock::LockError;
use twofold_core::settings::{Privacy, TraySettings};
use zeroize::Zeroizing;

use super::{blocking, Result};
use crate::error::{CommandError, ErrorCode};
use crate::state::AppState;
use crate::{actions, windows};

/// What the settings dialog shows, and what the list needs to know.
#[derive(Serialize)]
pub struct Preferences {
    lock_on: bool,
    idle_seconds: u32,
    lock_when_hidden: bool,
    privacy: Privacy,
    /// Whether this platform can keep the window out of screen captures
    /// (Windows and macOS can; Linux desktops offer apps no such control).
    capture_protection: bool,
    /// Whether Twofold has a tray icon here (and so can close to it).
    tray_available: bool,
    close_to_tray: bool,
    quick_shortcut: String,
    /// Twofold starts at login, hidden in the tray.
    start_at_login: bool,
    /// False in a Wayland session: the desktop binds `twofold --quick` instead.
    global_shortcuts: bool,
    /// How this system can confirm the person ("windows_hello", "touch_id",
    /// "system_password"), or null: the page words its offer from it.
    system_unlock: Option<&'static str>,
    /// The person turned it on (with the lock's passphrase).
    system_unlock_on: bool,
}

/// The settings a person changes freely (the passphrase is separate).
#[derive(Deserialize)]
pub struct Changes {
    idle_seconds: u32,
    lock_when_hidden: bool,
    privacy: Privacy,
    close_to_tray: bool,
    start_at_login: bool,
}

const CAPTURE_PROTECTION: bool = cfg!(any(target_os = "windows", target_os = "macos"));

#[tauri::command]
pub async fn preferences(app: AppHandle) -> Result<Preferences> {
    let tray_available = app.state::<crate::tray::Tray>().active();
    let start_at_login = app.autolaunch().is_enabled().unwrap_or(false);
    blocking(app, move |s| {
        s.refuse_if_locked()?;
        // Asks the system (D-Bus, WinRT, LocalAuthentication): off the
        // async workers, as everything here.
        let system_unlock = crate::platform::system_unlock_kind();
        s.meta(|m| Preferences {
            lock_on: m.lock.is_on(),
            idle_seconds: m.lock.idle_seconds,
            lock_when_hidden: m.lock.when_hidden,
            privacy: m.privacy.clone(),
            capture_protection: CAPTURE_PROTECTION,
            tray_available,
            close_to_tray: m.tray.close_to_tray,
            quick_shortcut: m.quick.shortcut.clone(),
            start_at_login,
            global_shortcuts: crate::quick::shortcuts_work(),
            system_unlock,
            system_unlock_on: m.lock.is_on() && m.lock.system_unlock,
        })
    })
    .await
}

#[tauri::command]
pub async fn save_preferences(app: AppHandle, changes: Changes) -> Result<()> {
    let handle = app.clone();
    blocking(app, move |s| {
        let mut lock = s.meta(|m| m.lock.clone())?;
        lock.idle_seconds = changes.idle_seconds;
        lock.when_hidden = changes.lock_when_hidden;
        s.with_vault(|v| {
            v.set_lock_settings(lock.clone())?;
            v.set_tray_settings(TraySettings {
                close_to_tray: changes.close_to_tray,
                ..v.meta().tray.clone()
            })?;
            Ok(v.set_privacy(changes.privacy.clone())?)
        })?;
        s.lock.configure(&lock, false);
        windows::protect_from_capture(&handle, changes.privacy.hide_from_capture);
        // The login item is the system's, not the vault's: it is read back
        // from there, never remembered twice.
        let login = handle.autolaunch();
        if changes.start_at_login != login.is_enabled().unwrap_or(false) {
            let set = if changes.start_at_login { login.enable() } else { login.disable() };
            set.map_err(|e| {
                CommandError::new(ErrorCode::Io, format!("could not change the login item: {e}"))
            })?;
        }
        Ok(())
    })
    .await
}

/// Turns the lock on, changes its passphrase (`new`), or turns it off
/// (`new` absent). While it is on, any change needs the current one.
#[tauri::command]
pub async fn set_lock_passphrase(app: AppHandle, current: Option<String>, new: Option<String>) -> Result<()> {
    let (current, new) = (current.map(Zeroizing::new), new.map(Zeroizing::new));
    blocking(app, move |s| {
        let mut lock = s.meta(|m| m.lock.clone())?;
        if lock.is_on() {
            s.lock.confirm(&lock, current.as_deref().map_or("", |c| c.as_str()), &s.lock_attempts_path()?)?;
        }
        match new.as_deref() {
            Some(new) => lock.set_passphrase(new)?,
            None => lock.turn_off(),
        }
        s.with_vault(|v| Ok(v.set_lock_settings(lock.clone())?))?;
        s.lock.configure(&lock, false);
        Ok(())
    })
    .await
}

/// Lets the system unlock too (Windows Hello, Touch ID, the system
/// password), or not. Turning it on needs the lock's passphrase, as any
/// change to the lock does: one found unlocked for a moment cannot add a
/// way in.
#[tauri::command]
pub async fn set_system_unlock(app: AppHandle, current: Option<String>, on: bool) -> Result<()> {
    let current = current.map(Zeroizing::new);
    blocking(app, move |s| {
        let mut lock = s.meta(|m| m.lock.clone())?;
        if on {
            if crate::platform::system_unlock_kind().is_none() {
                return Err(LockError::SystemUnavailable.into());
            }
            s.lock.confirm(&lock, current.as_deref().map_or("", |c| c.as_str()), &s.lock_attempts_path()?)?;
        }
        lock.system_unlock = on;
        s.with_vault(|v| Ok(v.set_lock_settings(lock.clone())?))?;
        s.lock.configure(&lock, false);
        Ok(())
    })
    .await
}

/// What the lock screen offers besides the passphrase: the system's way
/// in ("windows_hello", "touch_id", "system_password"), when the person
/// turned it on and this system can ask now. Answered while locked.
#[derive(Serialize)]
pub struct LockOptions {
    system_unlock: Option<&'static str>,
}

#[tauri::command]
pub async fn lock_options(app: AppHandle) -> Result<LockOptions> {
    blocking(app, |s| {
        let on = s.meta(|m| m.lock.is_on() && m.lock.system_unlock)?;
        Ok(LockOptions { system_unlock: if on { crate::platform::system_unlock_kind() } else { None } })
    })
    .await
}

/// Unlocks when the system confirms the person, within the passphrase's
/// waits (`SessionLock::unlock_with_system`); a cancelled or refused prompt
/// leaves the passphrase to type.
#[tauri::command]
pub async fn unlock_with_system(app: AppHandle) -> Result<()> {
    let handle = app.clone();
    let asker = app.clone();
    blocking(app, move |s| {
        let lock = s.meta(|m| m.lock.clone())?;
        let reason = crate::messages::unlock_reason(asker.state::<crate::messages::Language>().get());
        let window = asker.get_webview_window("main");
        Ok(s.lock.unlock_with_system(&lock, &s.lock_attempts_path()?, || {
            crate::platform::confirm_person(window.as_ref(), reason).map_err(|_| LockError::SystemUnavailable)
        })?)
    })
    .await?;
    actions::unlocked(&handle);
    Ok(())
}

#[tauri::command]
pub fn lock_app(app: AppHandle) {
    actions::lock_now(&app);
}

#[tauri::command]
pub async fn unlock_app(app: AppHandle, passphrase: String) -> Result<()> {
    let passphrase = Zeroizing::new(passphrase);
    let handle = app.clone();
    blocking(app, move |s| {
        let lock = s.meta(|m| m.lock.clone())?;
        Ok(s.lock.unlock(&lock, &passphrase, &s.lock_attempts_path()?)?)
    })
    .await?;
    actions::unlocked(&handle);
    Ok(())
}

/// The person is using the window (the page says so at most every few
/// seconds, on input): the idle time starts again.
#[tauri::command]
pub fn still_here(app: AppHandle) {
    app.state::<AppState>().lock.touch();
}
