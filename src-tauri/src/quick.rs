//! Quick search: a small always-on-top window, opened from anywhere by a
//! global shortcut (default Ctrl+Alt+K) or by `twofold --quick`. Type,
//! arrows, Enter copies the code and hides it; Escape hides it.
//!
//! Global shortcuts work on X11, Windows and macOS (Tauri's plugin). A
//! Wayland session gives apps no global shortcuts: there the desktop's own
//! keyboard settings bind `twofold --quick`, which the running instance
//! receives through its single-instance socket.

use std::sync::Mutex;

use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindowBuilder};
use tauri_plugin_global_shortcut::{GlobalShortcutExt, Shortcut, ShortcutState};

pub const LABEL: &str = "quick";
const TITLE: &str = "Twofold quick search";

/// The shortcut registered now.
#[derive(Default)]
pub struct Registered(Mutex<Option<Shortcut>>);

/// Whether global shortcuts reach apps in this session.
pub fn shortcuts_work() -> bool {
    !crate::windows::wayland()
}

/// Opens (or brings back) the quick-search window.
pub fn open(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(LABEL) {
        let _ = window.show();
        let _ = window.set_focus();
        crate::events::quick_opened(&window);
        return;
    }
    // Created hidden, like the main window: it appears when its page is
    // ready (`page_ready`), so no keystroke lands before the search box.
    let _ = WebviewWindowBuilder::new(app, LABEL, WebviewUrl::App("quick.html".into()))
        .title(TITLE)
        .inner_size(420.0, 300.0)
        .resizable(false)
        .always_on_top(true)
        .skip_taskbar(true)
        .center()
        .visible(false)
        .build();
}

pub fn hide(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(LABEL) {
        let _ = window.hide();
    }
}

/// Registers `accelerator` (e.g. "Ctrl+Alt+K") in place of the previous
/// one. On failure (malformed, or another app holds it) the previous one
/// stays registered.
pub fn register(app: &AppHandle, accelerator: &str) -> Result<(), String> {
    let shortcut: Shortcut = accelerator.parse().map_err(|e| format!("{e}"))?;
    // A bare key would be taken from every app: a letter could no longer be typed.
    if shortcut.mods.is_empty() {
        return Err("a shortcut needs Ctrl, Alt, Shift or Super".into());
    }
    let registered = app.state::<Registered>();
    let mut current = registered.0.lock().unwrap_or_else(|p| p.into_inner());
    if *current == Some(shortcut) {
        return Ok(());
    }
    app.global_shortcut()
        .on_shortcut(shortcut, |app, _, event| {
            if event.state == ShortcutState::Pressed {
                open(app);
            }
        })
        .map_err(|e| e.to_string())?;
    if let Some(previous) = current.replace(shortcut) {
        let _ = app.global_shortcut().unregister(previous);
    }
    Ok(())
}

/// When a vault opens: the shortcut it keeps (or the default).
pub fn register_saved(app: &AppHandle, shortcut: &str) {
    if shortcuts_work() {
        let _ = register(app, shortcut);
    }
}
