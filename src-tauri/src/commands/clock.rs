//! The clock check: measured against a time server (SNTP) in the background
//! after the vault opens, an optional correction of the codes, and its settings.

use std::sync::atomic::Ordering;

use serde::Serialize;
use tauri::AppHandle;
use twofold_core::clock;
use twofold_core::settings::ClockSettings;

use super::{blocking, Result};
use crate::native_dialog::{self, Question};
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    /// The person turned the check off.
    Off,
    /// Close enough for codes to work.
    Ok,
    /// Off by enough to break codes: the window shows a banner.
    OffBy,
    /// No answer (no network, a silent or misbehaving server).
    Unavailable,
}

#[derive(Serialize, Clone)]
pub struct ClockStatus {
    state: ClockState,
    offset_seconds: Option<f64>,
    correcting: bool,
    settings: ClockSettings,
}

fn status(s: &AppState, state: ClockState, offset: Option<f64>) -> Result<ClockStatus> {
    let settings = s.with_vault(|v| Ok(v.meta().clock.clone()))?;
    Ok(ClockStatus {
        state,
        offset_seconds: offset,
        correcting: s.correction_ms.load(Ordering::SeqCst) != 0,
        settings,
    })
}

fn state_for(offset: Option<f64>) -> ClockState {
    match offset {
        Some(o) if clock::breaks_codes(o) => ClockState::OffBy,
        _ => ClockState::Ok,
    }
}

/// Measures the clock (if enabled) and sends the result as a `clock` event;
/// run in the background after the vault opens, so start-up never waits.
#[tauri::command]
pub async fn check_clock(app: AppHandle) -> Result<ClockStatus> {
    let emitter = app.clone();
    let result = blocking(app, |s| {
        let settings = s.with_vault(|v| Ok(v.meta().clock.clone()))?;
        if !settings.enabled {
            return status(s, ClockState::Off, None);
        }
        let server = std::env::var("TWOFOLD_TIME_SERVER").unwrap_or(settings.server);
        match clock::measure(&server, std::time::Duration::from_secs(5)) {
            Ok(m) => {
                *s.last_offset() = Some(m.offset_seconds);
                status(s, state_for(Some(m.offset_seconds)), Some(m.offset_seconds))
            }
            // Why it failed is not shown: "unavailable" is all the page says.
            Err(_) => status(s, ClockState::Unavailable, None),
        }
    })
    .await;
    if let Ok(status) = &result {
        crate::events::clock(&emitter, status);
    }
    result
}

/// Generate codes with the measured correction (or stop doing so).
#[tauri::command]
pub async fn set_clock_correction(app: AppHandle, on: bool) -> Result<ClockStatus> {
    blocking(app, move |s| {
        s.refuse_if_locked()?;
        let offset = *s.last_offset();
        let ms = match (on, offset) {
            (true, Some(offset)) => clock::correction_ms(offset)?,
            _ => 0,
        };
        s.correction_ms.store(ms, Ordering::SeqCst);
        status(s, state_for(offset), offset)
    })
    .await
}

/// An empty server means the default one (core fills it in). A new server
/// that is not a well-known public one is asked about natively first, in
/// Rust's words naming it: the page cannot choose the host that Twofold
/// looks up at every start. False: the person declined, nothing changed.
#[tauri::command]
pub async fn save_clock_settings(app: AppHandle, settings: ClockSettings) -> Result<bool> {
    blocking(app.clone(), move |s| {
        s.refuse_if_locked()?;
        let server = clock::chosen_server(&settings.server);
        let current = s.with_vault(|v| Ok(v.meta().clock.server.clone()))?;
        if server != current
            && !clock::is_well_known(&server)
            && !native_dialog::confirm(&app, Question::TimeServer(server))
        {
            return Ok(false);
        }
        if !settings.enabled {
            s.correction_ms.store(0, Ordering::SeqCst);
        }
        s.with_vault(|v| Ok(v.set_clock_settings(settings)?))?;
        Ok(true)
    })
    .await
}
