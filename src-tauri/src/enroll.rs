//! Enrolling from QR images: a pasted or picked image (raw bytes over IPC),
//! or files dropped on the window (native drag-and-drop, handled here so the
//! web view never sees file paths). Scans accumulate in a pending set the
//! person previews and confirms; nothing is saved before that.

use serde::Serialize;
use tauri::{AppHandle, DragDropEvent, Emitter, Manager};
use twofold_core::enroll::{Collected, Preview};
use twofold_core::qr::{self, Limits};
use twofold_core::unix_now;
use twofold_core::vault::Skipped;

use crate::clipboard::Pasted;
use crate::commands::blocking;
use crate::error::CommandError;
use crate::state::AppState;

type Result<T> = std::result::Result<T, CommandError>;

pub(crate) fn preview(state: &AppState) -> Result<Preview> {
    let pending = state.pending();
    state.with_vault(|v| Ok(pending.preview(v.accounts(), state.now())))
}

/// Scans an image sent as the raw request body; the header
/// `x-twofold-source` names it (percent-encoded) for messages.
#[tauri::command]
pub async fn scan_image(app: AppHandle, request: tauri::ipc::Request<'_>) -> Result<Preview> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(CommandError::new("internal", "expected the image as raw bytes"));
    };
    let bytes = bytes.clone();
    let source = source_name(&request, "image");
    blocking(app, move |s| {
        let scan = qr::scan_bytes(&bytes, Limits::default());
        s.pending().add_scan(&source, scan);
        preview(s)
    })
    .await
}

/// Ctrl+V / Cmd+V outside a text field: a QR screenshot (or links) from the
/// clipboard, read in Rust (web views do not reliably expose pasted images).
#[tauri::command]
pub async fn paste_from_clipboard(app: AppHandle) -> Result<Preview> {
    blocking(app, |s| {
        let pasted = s
            .clipboard
            .read()
            .map_err(|_| CommandError::new("clipboard_empty", "the clipboard holds no image or text"))?;
        match pasted {
            Pasted::Image { width, height, rgba } => {
                let scan = qr::scan_rgba(width, height, rgba, Limits::default());
                s.pending().add_scan("pasted image", scan);
            }
            Pasted::Text(text) => {
                let lines: Vec<String> =
                    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
                s.pending().add_texts("pasted text", &lines);
            }
        }
        preview(s)
    })
    .await
}

/// The header `x-twofold-source` (percent-encoded) names a sent file for messages.
pub(crate) fn source_name(request: &tauri::ipc::Request<'_>, fallback: &str) -> String {
    request
        .headers()
        .get("x-twofold-source")
        .and_then(|v| v.to_str().ok())
        .map(|v| percent_encoding::percent_decode_str(v).decode_utf8_lossy().into_owned())
        .unwrap_or_else(|| fallback.into())
}

/// Pasted text: an `otpauth-migration://` export or several links.
#[tauri::command]
pub async fn scan_text(app: AppHandle, text: String) -> Result<Preview> {
    let text = zeroize::Zeroizing::new(text);
    let lines: Vec<String> =
        text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    blocking(app, move |s| {
        s.pending().add_texts("pasted text", &lines);
        preview(s)
    })
    .await
}

/// The pending preview with fresh codes (the window polls it every second).
#[tauri::command]
pub async fn enrollment_preview(app: AppHandle) -> Result<Preview> {
    blocking(app, preview).await
}

#[derive(Serialize)]
pub struct Enrolled {
    added: usize,
    skipped: Vec<Skipped>,
}

/// Saves every new account in ONE vault write, then forgets the scans.
#[tauri::command]
pub async fn confirm_enrollment(app: AppHandle) -> Result<Enrolled> {
    blocking(app, |s| {
        let accounts = s.pending().to_accounts(unix_now());
        let outcome = s.with_vault(|v| Ok(v.add_all(accounts)?))?;
        *s.pending() = Collected::default();
        Ok(Enrolled { added: outcome.added.len(), skipped: outcome.skipped })
    })
    .await
}

#[tauri::command]
pub async fn cancel_enrollment(app: AppHandle) -> Result<()> {
    blocking(app, |s| {
        *s.pending() = Collected::default();
        Ok(())
    })
    .await
}

/// Native drag-and-drop: shows the drop target while dragging, scans dropped
/// files off the UI thread and sends the preview (or an error) as an event.
pub fn on_drag_drop(app: &AppHandle, event: &DragDropEvent) {
    match event {
        DragDropEvent::Enter { .. } => {
            let _ = app.emit("drop-hover", true);
        }
        DragDropEvent::Leave => {
            let _ = app.emit("drop-hover", false);
        }
        DragDropEvent::Drop { paths, .. } => {
            let _ = app.emit("drop-hover", false);
            let _ = app.emit("scan-started", paths.len());
            let paths = paths.clone();
            let app = app.clone();
            tauri::async_runtime::spawn_blocking(move || {
                let state = app.state::<AppState>();
                for path in &paths {
                    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    state.pending().add_scan(&name, qr::scan_file(path, Limits::default()));
                }
                let result = preview(&state);
                let _ = app.emit("scan-finished", result.map_err(|e| serde_json::json!(e)));
            });
        }
        _ => {}
    }
}
