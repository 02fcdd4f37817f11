//! "Scan screen": the setup page's QR code straight from the screen, with
//! no screenshot saved first. Twofold's own windows step aside while every
//! monitor is captured (in memory on X11, Windows and macOS; on Wayland,
//! GNOME Shell's screenshot service or the desktop's portal writes a file
//! that xcap reads and deletes at once: `docs/security.md`), then come back
//! with the preview.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tauri::{AppHandle, Manager};

/// Long enough for a compositor to take a window off the screen once the
/// toolkit has hidden it.
const STEP_ASIDE: Duration = Duration::from_millis(300);
/// The longest the toolkit may take to hide the windows (its main thread
/// can be busy, or the machine loaded) before the screen is captured anyway.
const HIDE_PATIENCE: Duration = Duration::from_secs(3);

/// On Wayland the desktop writes each capture to a file under the temporary
/// directory (xcap's `temp_dir()/screenshot`), read and deleted at once;
/// `/tmp` is shared by every user of the machine. Called first thing in
/// `main`, before any thread starts: the temporary directory becomes the
/// person's own runtime directory, when that is private.
pub fn keep_captures_private() {
    if let Some(runtime) = std::env::var_os("XDG_RUNTIME_DIR").map(std::path::PathBuf::from) {
        if cfg!(target_os = "linux") && twofold_core::fs::is_private_dir(&runtime) {
            std::env::set_var("TMPDIR", runtime);
        }
    }
}

/// The folder a Wayland capture lands in, made private (created 0700 if
/// missing), or why the screen is not captured: a folder another user
/// made, or can open, would let them read the setup code on the screen.
fn capture_folder_is_private() -> Result<(), String> {
    let folder = std::env::temp_dir().join("screenshot");
    if !folder.exists() {
        let _ = twofold_core::fs::create_private_dir(&folder);
    }
    if twofold_core::fs::is_private_dir(&folder) {
        Ok(())
    } else {
        Err(format!(
            "{} can be opened by other users, and the screenshot would be written there; \
             set XDG_RUNTIME_DIR to a private folder, or remove that folder",
            folder.display()
        ))
    }
}

/// Every monitor as (width, height, RGBA), the pixels moved, not copied.
pub fn capture_monitors() -> Result<Vec<(u32, u32, Vec<u8>)>, String> {
    if crate::windows::wayland() {
        capture_folder_is_private()?;
    }
    let monitors = xcap::Monitor::all().map_err(|e| e.to_string())?;
    let mut screens = Vec::with_capacity(monitors.len());
    for monitor in monitors {
        let image = monitor.capture_image().map_err(|e| e.to_string())?;
        screens.push((image.width(), image.height(), image.into_raw()));
    }
    Ok(screens)
}

/// One scan at a time: a second (the tray and the shortcut together) would
/// find the windows already hidden and bring them back mid-capture.
static SCANNING: AtomicBool = AtomicBool::new(false);

/// Hides Twofold's visible windows, runs `capture`, and shows them again
/// (the main one focused), whatever `capture` answered. `None`: a scan is
/// already running.
pub fn with_windows_aside<T>(app: &AppHandle, capture: impl FnOnce() -> T) -> Option<T> {
    if SCANNING.swap(true, Ordering::AcqRel) {
        return None;
    }
    let hidden: Vec<_> = app
        .webview_windows()
        .into_values()
        .filter(|w| w.is_visible().unwrap_or(false))
        .filter(|w| w.hide().is_ok())
        .collect();
    if !hidden.is_empty() {
        // A hide is carried out on the main thread, later: wait until each
        // window says it is hidden (on a loaded machine a fixed pause alone
        // captured Twofold's own window), then give the screen a moment.
        let deadline = Instant::now() + HIDE_PATIENCE;
        while hidden.iter().any(|w| w.is_visible().unwrap_or(false)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(STEP_ASIDE);
    }
    let result = capture();
    for window in &hidden {
        let _ = window.show();
    }
    crate::windows::bring_forward(app);
    SCANNING.store(false, Ordering::Release);
    Some(result)
}
