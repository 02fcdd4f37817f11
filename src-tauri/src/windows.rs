//! Twofold's windows: when the main one appears, bringing it forward, and
//! keeping it out of screen captures. A leaf: every entry point that shows a
//! window (a command, the tray, a second launch, the screen scan) comes here.
//!
//! The main window is created hidden (`tauri.conf.json`), so a person never
//! sees an empty frame or a "Loading" screen: the first thing on screen is
//! the codes, or the screen that needs them (unlock, repair). If the page
//! never says it is ready (a script failed), `show_anyway` shows it after a
//! short wait rather than never.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tauri::{AppHandle, Manager, WebviewWindow};

/// The main window's label (`tauri.conf.json`).
pub const MAIN: &str = "main";

/// How long a window may stay hidden waiting for its page.
const PATIENCE: Duration = Duration::from_secs(3);

/// How the main window comes on screen: managed in `setup`, which runs
/// before the event loop hands over any command of the page's.
pub struct MainWindow {
    /// Started at login (`--hidden`) with a tray to live in: the window
    /// stays hidden until the person opens it from the tray.
    start_hidden: bool,
    /// Whether its page has said it is ready once already.
    ready: AtomicBool,
}

impl MainWindow {
    pub fn new(start_hidden: bool) -> Self {
        Self { start_hidden, ready: AtomicBool::new(false) }
    }
}

/// A page has drawn its first screen: its window appears. Only the first
/// time for the main window: the page says so again each time it changes
/// screens (the lock screen, say), and a window put away in the tray and
/// locked there must stay away.
pub fn page_ready(window: &WebviewWindow) {
    if window.label() != MAIN {
        show_window(window);
        return;
    }
    let app = window.app_handle();
    if app.try_state::<MainWindow>().is_none_or(|main| !main.ready.swap(true, Ordering::SeqCst)) {
        show(app);
    }
}

/// Shows the main window if the page has not done so by then.
pub fn show_anyway(app: &AppHandle) {
    let app = app.clone();
    std::thread::spawn(move || {
        std::thread::sleep(PATIENCE);
        show(&app);
    });
}

/// Brings the window forward whatever its state (hidden in the tray,
/// minimised, behind others): "Open Twofold" in the tray, a second launch.
pub fn bring_forward(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

/// Shows the main window, unless Twofold started hidden in the tray.
pub fn show(app: &AppHandle) {
    if app.try_state::<MainWindow>().is_some_and(|main| main.start_hidden) {
        return;
    }
    if let Some(window) = app.get_webview_window(MAIN) {
        show_window(&window);
    }
}

fn show_window(window: &WebviewWindow) {
    // Already shown: leave the person's focus where it is.
    if window.is_visible().unwrap_or(false) {
        return;
    }
    let _ = window.show();
    let _ = window.set_focus();
}

/// Whether this is a Linux Wayland session (no global shortcuts; screen
/// captures go through a file the desktop writes).
pub fn wayland() -> bool {
    cfg!(target_os = "linux")
        && (std::env::var("XDG_SESSION_TYPE").is_ok_and(|t| t == "wayland")
            || std::env::var_os("WAYLAND_DISPLAY").is_some())
}

/// Hides the main window (closing it to the tray).
pub fn hide(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.hide();
    }
}

/// Keeps the main window out of screen captures, or lets it be captured
/// (at start and when the setting changes).
pub fn protect_from_capture(app: &AppHandle, on: bool) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.set_content_protected(on);
    }
}

/// The zoom a page's `level` asks for: within what a page stays usable at
/// (50 % to 300 %), and anything else (not a number) is 100 %.
pub fn zoom_factor(level: f64) -> f64 {
    if level.is_finite() {
        level.clamp(0.5, 3.0)
    } else {
        1.0
    }
}

#[cfg(test)]
mod zoom_tests {
    use super::zoom_factor;

    #[test]
    fn a_page_zoom_stays_within_usable_bounds() {
        assert_eq!(zoom_factor(2.0), 2.0);
        assert_eq!(zoom_factor(10.0), 3.0);
        assert_eq!(zoom_factor(0.0), 0.5);
        assert_eq!(zoom_factor(f64::NAN), 1.0);
    }
}
