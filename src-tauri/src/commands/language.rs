//! The language: the system's, for the page's default, and the one the
//! page shows, which the tray and Rust's own dialogs then speak.

use tauri::AppHandle;

use crate::actions;
use crate::messages::{self, Lang};

/// The system's language (BCP 47), for the page's default.
#[tauri::command]
pub fn system_locale() -> String {
    messages::system_locale()
}

/// The page shows `lang` now (at start, and when the person changes it).
#[tauri::command]
pub fn set_language(app: AppHandle, lang: Lang) {
    actions::set_language(&app, lang);
}
