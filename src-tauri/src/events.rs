//! Every event Rust sends the page, named and built here and nowhere else
//! (as the commands are listed in `commands/mod.rs`). `ui/js/api.js` wraps
//! each one in an `on…` function, and `tests/boundary.rs` checks that the
//! two lists agree, so the page cannot listen for a name Rust never sends.

use serde::Serialize;
use tauri::{AppHandle, Emitter, WebviewWindow};
use twofold_core::enroll::Preview;

use crate::error::CommandError;

/// The vault changed (saved here, saved by another process and reloaded,
/// opened, or replaced): the page lists the accounts again.
pub const VAULT_CHANGED: &str = "vault-changed";
/// The app lock closed: the page drops every code and name it holds.
pub const APP_LOCKED: &str = "app-locked";
/// A backup was attempted: the page asks for the status again.
pub const BACKUP_STATUS: &str = "backup-status";
/// A sync round ran: the page asks for the sync status again.
pub const SYNC_STATUS: &str = "sync-status";
/// Files were dropped, or the tray started a screen scan: the page shows
/// that it is busy (the payload is how many inputs).
pub const SCAN_STARTED: &str = "scan-started";
/// A drop's or the tray scan's result: `{preview}` or `{error}`.
pub const SCAN_FINISHED: &str = "scan-finished";
/// Files are dragged over the window (true) or left it (false).
pub const DROP_HOVER: &str = "drop-hover";
/// The clock was measured: the same `ClockStatus` `check_clock` answers.
pub const CLOCK: &str = "clock";
/// Quick search opened again: its page starts afresh.
pub const QUICK_OPENED: &str = "quick-opened";

/// The one event the page sends Rust: its first codes are painted (only a
/// benchmark listens, `bench.rs`).
pub const FIRST_CODES_PAINTED: &str = "first-codes-painted";

// A page that is not listening, or a window already gone, is nothing to
// report: each event is a nudge, and the page asks for the state itself.

pub fn vault_changed(app: &AppHandle) {
    let _ = app.emit(VAULT_CHANGED, ());
}

pub fn app_locked(app: &AppHandle) {
    let _ = app.emit(APP_LOCKED, ());
}

pub fn backup_status(app: &AppHandle) {
    let _ = app.emit(BACKUP_STATUS, ());
}

pub fn sync_status(app: &AppHandle) {
    let _ = app.emit(SYNC_STATUS, ());
}

pub fn scan_started(app: &AppHandle, inputs: usize) {
    let _ = app.emit(SCAN_STARTED, inputs);
}

/// What a drop or the tray's scan found, shaped like a command's answer:
/// the preview, or the same error a command would have rejected with.
#[derive(Serialize, Clone)]
struct ScanFinished<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    preview: Option<&'a Preview>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a CommandError>,
}

pub fn scan_finished(app: &AppHandle, result: &Result<Preview, CommandError>) {
    let payload = match result {
        Ok(preview) => ScanFinished { preview: Some(preview), error: None },
        Err(error) => ScanFinished { preview: None, error: Some(error) },
    };
    let _ = app.emit(SCAN_FINISHED, payload);
}

pub fn drop_hover(app: &AppHandle, over: bool) {
    let _ = app.emit(DROP_HOVER, over);
}

pub fn clock(app: &AppHandle, status: &impl Serialize) {
    let _ = app.emit(CLOCK, status);
}

pub fn quick_opened(window: &WebviewWindow) {
    let _ = window.emit(QUICK_OPENED, ());
}
