//! The page says it has drawn its first screen; its window then appears
//! (`crate::windows`). The page's zoom.

use tauri::{Webview, WebviewWindow};

use crate::error::CommandError;

/// The calling window's page has drawn its first screen (the main window,
/// or quick search, which is also created hidden).
#[tauri::command]
pub fn page_ready(window: WebviewWindow) {
    crate::windows::page_ready(&window);
}

/// Zooms the calling page to `level` (the person's Ctrl+= / Ctrl+−, kept by
/// the page): a page zoom, so the layout reflows at the narrower width
/// rather than scrolling sideways. WebKitGTK also zooms by the system's text
/// scaling (`gtk-xft-dpi`), and the two multiply.
#[tauri::command]
pub fn set_zoom(webview: Webview, level: f64) -> Result<(), CommandError> {
    webview.set_zoom(crate::windows::zoom_factor(level)).map_err(|e| CommandError::internal(e.to_string()))
}
