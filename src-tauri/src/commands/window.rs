//! The page says it has drawn its first screen; its window then appears
//! (`crate::windows`).

use tauri::WebviewWindow;

/// The calling window's page has drawn its first screen (the main window,
/// or quick search, which is also created hidden).
#[tauri::command]
pub fn page_ready(window: WebviewWindow) {
    crate::windows::page_ready(&window);
}
