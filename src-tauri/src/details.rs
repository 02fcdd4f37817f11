//! Never locked out: per-account recovery codes, other ways in and notes;
//! the device-change checklist; and the clock check.

use std::sync::atomic::Ordering;

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter};
use twofold_core::account::OtherWays;
use twofold_core::checklist::Checklist;
use twofold_core::vault::ClockSettings;
use twofold_core::{clock, recovery, unix_now};
use uuid::Uuid;

use crate::commands::{blocking, Copied};
use crate::error::CommandError;
use crate::state::AppState;

type Result<T> = std::result::Result<T, CommandError>;

/// An account's details. Recovery codes are not sent: only whether each is
/// used; copying one goes through Rust like a code.
#[derive(Serialize)]
pub struct Details {
    id: Uuid,
    label: String,
    notes: String,
    other_ways: OtherWays,
    recovery: Vec<bool>,
    left: usize,
}

fn details(s: &AppState, id: Uuid) -> Result<Details> {
    s.with_vault(|v| {
        let a = v.account(id)?;
        Ok(Details {
            id,
            label: a.display_name(),
            notes: a.notes.clone(),
            other_ways: a.other_ways.clone(),
            recovery: a.recovery_codes.iter().map(|c| c.used_at.is_some()).collect(),
            left: a.recovery_codes.iter().filter(|c| c.used_at.is_none()).count(),
        })
    })
}

#[tauri::command]
pub async fn account_details(app: AppHandle, id: Uuid) -> Result<Details> {
    blocking(app, move |s| details(s, id)).await
}

/// Saves the codes a service printed, replacing any saved before.
#[tauri::command]
pub async fn save_recovery_codes(app: AppHandle, id: Uuid, text: String) -> Result<Details> {
    let text = zeroize::Zeroizing::new(text);
    blocking(app, move |s| {
        let codes = recovery::parse(&text);
        if codes.is_empty() {
            return Err(CommandError::new("recovery_none_found", "no recovery codes were found in the text"));
        }
        s.with_vault(|v| Ok(v.set_recovery_codes(id, codes, unix_now())?))?;
        details(s, id)
    })
    .await
}

#[tauri::command]
pub async fn use_recovery_code(app: AppHandle, id: Uuid, index: usize) -> Result<Details> {
    blocking(app, move |s| {
        s.with_vault(|v| {
            let code = v.account(id)?.recovery_codes.get(index).map(|c| c.code.clone());
            let code = code.ok_or(twofold_core::VaultError::NoSuchRecoveryCode)?;
            Ok(v.use_recovery_code(id, &code, unix_now())?)
        })?;
        details(s, id)
    })
    .await
}

#[tauri::command]
pub async fn copy_recovery_code(app: AppHandle, id: Uuid, index: usize) -> Result<Copied> {
    blocking(app, move |s| {
        let code = s.with_vault(|v| {
            let code =
                v.account(id)?.recovery_codes.get(index).map(|c| zeroize::Zeroizing::new(c.code.clone()));
            Ok(code.ok_or(twofold_core::VaultError::NoSuchRecoveryCode)?)
        })?;
        crate::commands::copy_text(s, &code)
    })
    .await
}

#[derive(Deserialize)]
pub struct WaysIn {
    other_ways: OtherWays,
    notes: String,
}

#[tauri::command]
pub async fn save_ways_in(app: AppHandle, id: Uuid, ways: WaysIn) -> Result<Details> {
    blocking(app, move |s| {
        s.with_vault(|v| {
            let now = unix_now();
            v.set_other_ways(id, ways.other_ways, now)?;
            Ok(v.set_notes(id, &ways.notes, now)?)
        })?;
        details(s, id)
    })
    .await
}

#[tauri::command]
pub async fn checklist(app: AppHandle) -> Result<Checklist> {
    blocking(app, |s| s.with_vault(|v| Ok(Checklist::build(v.accounts(), v.meta(), unix_now())))).await
}

#[derive(Serialize, Clone)]
pub struct ClockStatus {
    /// "off", "checking", "ok", "off_by" or "unavailable".
    state: &'static str,
    offset_seconds: Option<f64>,
    correcting: bool,
    settings: ClockSettings,
    message: Option<String>,
}

fn status(
    s: &AppState,
    state: &'static str,
    offset: Option<f64>,
    message: Option<String>,
) -> Result<ClockStatus> {
    let settings = s.with_vault(|v| Ok(v.meta().clock.clone()))?;
    Ok(ClockStatus {
        state,
        offset_seconds: offset,
        correcting: s.correction_ms.load(Ordering::SeqCst) != 0,
        settings,
        message,
    })
}

/// Measures the clock (if enabled) and sends the result as a `clock` event;
/// run in the background after the vault opens, so start-up never waits.
#[tauri::command]
pub async fn check_clock(app: AppHandle) -> Result<ClockStatus> {
    let emitter = app.clone();
    let result = blocking(app, |s| {
        let settings = s.with_vault(|v| Ok(v.meta().clock.clone()))?;
        if !settings.enabled {
            return status(s, "off", None, None);
        }
        let server = std::env::var("TWOFOLD_TIME_SERVER").unwrap_or(settings.server);
        match clock::measure(&server, std::time::Duration::from_secs(5)) {
            Ok(m) => {
                *s.last_offset() = Some(m.offset_seconds);
                let state = if m.breaks_codes() { "off_by" } else { "ok" };
                status(s, state, Some(m.offset_seconds), None)
            }
            Err(e) => status(s, "unavailable", None, Some(e.to_string())),
        }
    })
    .await;
    if let Ok(status) = &result {
        let _ = emitter.emit("clock", status.clone());
    }
    result
}

/// Generate codes with the measured correction (or stop doing so).
#[tauri::command]
pub async fn set_clock_correction(app: AppHandle, on: bool) -> Result<ClockStatus> {
    blocking(app, move |s| {
        let offset = *s.last_offset();
        let ms = match (on, offset) {
            (true, Some(offset)) => (offset * 1000.0).round() as i64,
            _ => 0,
        };
        s.correction_ms.store(ms, Ordering::SeqCst);
        let state = if offset.is_some_and(|o| o.abs() > clock::WARN_AFTER_SECONDS) { "off_by" } else { "ok" };
        status(s, state, offset, None)
    })
    .await
}

#[tauri::command]
pub async fn save_clock_settings(app: AppHandle, settings: ClockSettings) -> Result<()> {
    blocking(app, move |s| {
        if !settings.enabled {
            s.correction_ms.store(0, Ordering::SeqCst);
        }
        s.with_vault(|v| Ok(v.set_clock_settings(settings)?))
    })
    .await
}
