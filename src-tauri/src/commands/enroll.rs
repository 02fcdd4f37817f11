//! Enrolling: a picked or pasted file (raw bytes over IPC), a clipboard
//! screenshot or text, or files dropped on the window (native drag-and-drop,
//! handled here so the web view never sees file paths). Everything goes
//! through `Collected::add` into a pending set the person previews and
//! confirms; nothing is saved before that.

use serde::Serialize;
use tauri::{AppHandle, DragDropEvent, Manager};
use twofold_core::enroll::{self, Collected, Input, NamedFile, Preview};
use twofold_core::formats::FormatError;
use twofold_core::vault::Skipped;
use zeroize::Zeroizing;

use super::{blocking, Result};
use crate::clipboard::{PasteError, Pasted};
use crate::error::{CommandError, ErrorCode};
use crate::state::AppState;
use crate::{actions, events};

/// Adds a file (an image or another app's export; a Steam manifest with
/// its maFiles) to the pending set. An encrypted file is kept, in Rust,
/// until `unlock_file` brings its passphrase (again, after a wrong one).
fn take_file(s: &AppState, source: &str, files: Vec<NamedFile>, passphrase: Option<&str>) -> Result<Preview> {
    s.refuse_if_locked()?;
    let added = s.pending().add_files(source, &files, passphrase);
    match added {
        Ok(_) => s.preview(),
        Err(e @ (FormatError::NeedsPassphrase(_) | FormatError::WrongPassphrase)) => {
            *s.waiting_file() = Some((source.to_owned(), files));
            Err(e.into())
        }
        Err(e) => Err(e.into()),
    }
}

/// The raw body of a request carrying a file; the header `x-twofold-source`
/// (percent-encoded) names it for messages.
fn file_body(request: &tauri::ipc::Request<'_>) -> Result<(String, Zeroizing<Vec<u8>>)> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(CommandError::internal("expected the file as raw bytes"));
    };
    // Checked before the body is copied: the page is not trusted with size.
    if bytes.len() > twofold_core::fs::MAX_IMPORT_BYTES {
        return Err(CommandError::new(
            ErrorCode::FileTooLarge,
            format!("the file is too large (over {} MiB)", twofold_core::fs::MAX_IMPORT_BYTES >> 20),
        ));
    }
    let source = request
        .headers()
        .get("x-twofold-source")
        .and_then(|v| v.to_str().ok())
        .map(|v| percent_encoding::percent_decode_str(v).decode_utf8_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    Ok((source, Zeroizing::new(bytes.clone())))
}

/// A picked file (a screenshot from "Add", another app's export from
/// "Move to a new computer"), sent as the raw request body.
#[tauri::command]
pub async fn preview_file(app: AppHandle, request: tauri::ipc::Request<'_>) -> Result<Preview> {
    let (source, bytes) = file_body(&request)?;
    blocking(app, move |s| take_file(s, &source.clone(), vec![(source, bytes)], None)).await
}

/// The passphrase for the encrypted file waiting since it was picked or dropped.
#[tauri::command]
pub async fn unlock_file(app: AppHandle, passphrase: String) -> Result<Preview> {
    let passphrase = Zeroizing::new(passphrase);
    blocking(app, move |s| {
        // Before the passphrase is tried: no answer about it while locked.
        s.refuse_if_locked()?;
        let waiting = s.waiting_file().take();
        let (source, files) = waiting.ok_or_else(|| CommandError::internal("no file is waiting"))?;
        take_file(s, &source, files, Some(&passphrase))
    })
    .await
}

/// Ctrl+V / Cmd+V outside a text field: a QR screenshot (or links) from the
/// clipboard, read in Rust (web views do not reliably expose pasted images).
#[tauri::command]
pub async fn paste_from_clipboard(app: AppHandle) -> Result<Preview> {
    blocking(app.clone(), move |s| {
        s.refuse_if_locked()?;
        let pasted = s.clipboard.read(&app).map_err(|e| match e {
            PasteError::Empty => {
                CommandError::new(ErrorCode::ClipboardEmpty, "the clipboard holds no image or text")
            }
            PasteError::TooLarge => {
                CommandError::new(ErrorCode::FileTooLarge, "the image on the clipboard is too large to read")
            }
        })?;
        // Images and text never ask for a passphrase. Pixels (a whole
        // screenshot) are moved into the scan, not copied.
        match pasted {
            #[cfg(target_os = "linux")]
            Pasted::Png(png) => s.pending().add("pasted image", Input::File(&png), None)?,
            #[cfg(not(target_os = "linux"))]
            Pasted::Image { width, height, rgba } => {
                s.pending().add("pasted image", Input::Pixels { width, height, rgba }, None)?
            }
            Pasted::Text(text) => s.pending().add("pasted text", Input::Text(&text), None)?,
        };
        s.preview()
    })
    .await
}

/// "Scan screen" (`actions::scan_screen`).
#[tauri::command]
pub async fn scan_screen(app: AppHandle) -> Result<Preview> {
    let handle = app.clone();
    blocking(app, move |s| actions::scan_screen(&handle, s)).await
}

/// Pasted text: an `otpauth-migration://` export or several links.
#[tauri::command]
pub async fn scan_text(app: AppHandle, text: String) -> Result<Preview> {
    let text = Zeroizing::new(text);
    blocking(app, move |s| {
        s.refuse_if_locked()?;
        s.pending().add("pasted text", Input::Text(&text), None)?;
        s.preview()
    })
    .await
}

/// The pending preview with fresh codes.
#[tauri::command]
pub async fn enrollment_preview(app: AppHandle) -> Result<Preview> {
    blocking(app, AppState::preview).await
}

#[derive(Serialize)]
pub struct Enrolled {
    added: usize,
    skipped: Vec<Skipped>,
}

/// Saves every new account in ONE vault write, then forgets the scans.
#[tauri::command]
pub async fn confirm_add(app: AppHandle) -> Result<Enrolled> {
    blocking(app, |s| {
        let accounts = s.pending().to_accounts(s.now());
        let outcome = s.with_vault(|v| Ok(v.add_all(accounts)?))?;
        *s.pending() = Collected::default();
        Ok(Enrolled { added: outcome.added.len(), skipped: outcome.skipped })
    })
    .await
}

/// Leaves one previewed account out of what confirming adds, or puts it back.
#[tauri::command]
pub async fn choose_enrollment(app: AppHandle, index: usize, chosen: bool) -> Result<Preview> {
    blocking(app, move |s| {
        s.refuse_if_locked()?;
        s.pending().choose(index, chosen);
        s.preview()
    })
    .await
}

#[tauri::command]
pub async fn cancel_enrollment(app: AppHandle) -> Result<()> {
    blocking(app, |s| {
        *s.pending() = Collected::default();
        *s.waiting_file() = None;
        Ok(())
    })
    .await
}

/// Native drag-and-drop: shows the drop target while dragging, reads the
/// dropped files off the UI thread through the same path as a picked file,
/// and sends the preview (or an error, e.g. a passphrase is needed) as an event.
pub fn on_drag_drop(app: &AppHandle, event: &DragDropEvent) {
    match event {
        DragDropEvent::Enter { .. } => {
            events::drop_hover(app, true);
        }
        DragDropEvent::Leave => {
            events::drop_hover(app, false);
        }
        DragDropEvent::Drop { paths, .. } => {
            events::drop_hover(app, false);
            events::scan_started(app, paths.len());
            let paths = paths.clone();
            let app = app.clone();
            tauri::async_runtime::spawn_blocking(move || {
                let state = app.state::<AppState>();
                let mut result = state.preview();
                for path in &paths {
                    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    // A Steam manifest brings the maFiles it lists from beside it.
                    result = match enroll::read_with_companions(path) {
                        Ok(files) => take_file(&state, &name, files, None),
                        Err(e) => {
                            state.pending().add_unreadable(&name, &e);
                            state.preview()
                        }
                    };
                    if result.is_err() {
                        break;
                    }
                }
                events::scan_finished(&app, &result);
            });
        }
        _ => {}
    }
}
