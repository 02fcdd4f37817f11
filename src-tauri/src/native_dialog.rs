//! Questions Rust asks the person itself, in the platform's own dialogs: where
//! to write or read a bundle, and whether secrets may be shown or written
//! unencrypted. The page never names a path and cannot skip a confirmation:
//! a compromised page could otherwise overwrite any file, or write every
//! secret anywhere. The words are Rust's too (`messages.rs`), in the
//! language the page last said it shows.
//!
//! On Linux the dialogs are GTK's own (`gtk_dialogs.rs`); elsewhere the dialog
//! plugin's.

use std::path::PathBuf;

use tauri::{AppHandle, Manager};
#[cfg(not(target_os = "linux"))]
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

use crate::messages::{self, Language};
pub use crate::messages::{Notice, Purpose, Question};

fn lang(app: &AppHandle) -> messages::Lang {
    app.state::<Language>().get()
}

#[cfg(target_os = "linux")]
mod gtk_dialogs;

/// Asks `question`; true only if the person chose to go on. Called from a
/// command's blocking thread, like every question here.
pub fn confirm(app: &AppHandle, question: Question) -> bool {
    let lang = lang(app);
    let words = messages::question(lang, question);
    #[cfg(target_os = "linux")]
    return gtk_dialogs::confirm(app, lang, words);
    #[cfg(not(target_os = "linux"))]
    confirm_with_plugin(app, lang, words)
}

#[cfg(not(target_os = "linux"))]
fn confirm_with_plugin(app: &AppHandle, lang: messages::Lang, words: messages::Words) -> bool {
    let mut dialog = app
        .dialog()
        .message(words.body)
        .title(words.title)
        .kind(MessageDialogKind::Warning)
        .buttons(MessageDialogButtons::OkCancelCustom(words.yes.into(), messages::cancel(lang).into()));
    if let Some(window) = app.get_webview_window("main") {
        dialog = dialog.parent(&window);
    }
    dialog.blocking_show()
}

/// A file chosen by the person for `purpose`, or None if they cancelled.
/// `suggested` names the file a save dialog proposes.
pub fn choose_file(app: &AppHandle, purpose: Purpose, suggested: &str) -> Option<PathBuf> {
    #[cfg(target_os = "linux")]
    return gtk_dialogs::choose(app, lang(app), Ok(purpose), suggested.to_owned());
    #[cfg(not(target_os = "linux"))]
    choose_file_with_plugin(app, purpose, suggested)
}

#[cfg(not(target_os = "linux"))]
fn choose_file_with_plugin(app: &AppHandle, purpose: Purpose, suggested: &str) -> Option<PathBuf> {
    let mut dialog = app.dialog().file().set_title(messages::file_title(lang(app), purpose));
    if let Some(dir) = documents_dir() {
        dialog = dialog.set_directory(dir);
    }
    if let Some(window) = app.get_webview_window("main") {
        dialog = dialog.set_parent(&window);
    }
    let chosen = match purpose {
        Purpose::OpenBundle => dialog.add_filter("JSON", &["json"]).blocking_pick_file(),
        Purpose::SaveBundle | Purpose::SavePlain => dialog.set_file_name(suggested).blocking_save_file(),
    };
    chosen.and_then(|path| path.into_path().ok())
}

/// A folder (for backups, for sync), chosen by the person (None: cancelled).
pub fn choose_folder(app: &AppHandle, purpose: messages::FolderFor) -> Option<PathBuf> {
    #[cfg(target_os = "linux")]
    return gtk_dialogs::choose(app, lang(app), Err(purpose), String::new());
    #[cfg(not(target_os = "linux"))]
    choose_folder_with_plugin(app, purpose)
}

#[cfg(not(target_os = "linux"))]
fn choose_folder_with_plugin(app: &AppHandle, purpose: messages::FolderFor) -> Option<PathBuf> {
    let mut dialog = app.dialog().file().set_title(messages::folder_title(lang(app), purpose));
    if let Some(dir) = documents_dir() {
        dialog = dialog.set_directory(dir);
    }
    if let Some(window) = app.get_webview_window("main") {
        dialog = dialog.set_parent(&window);
    }
    dialog.blocking_pick_folder().and_then(|path| path.into_path().ok())
}

/// Where bundles go unless the person picks elsewhere: Documents, or home.
fn documents_dir() -> Option<PathBuf> {
    let dirs = directories::UserDirs::new()?;
    Some(dirs.document_dir().unwrap_or(dirs.home_dir()).to_path_buf())
}

/// Shows `notice` without waiting for it (callable from the main thread).
/// On Linux it is GTK's own, made on the main thread, as every dialog here
/// is (see `gtk_dialogs.rs` for why): the notice comes at a close to the tray, and
/// the next close must work.
pub fn tell(app: &AppHandle, notice: Notice) {
    let (title, body) = messages::notice(lang(app), notice);
    #[cfg(target_os = "linux")]
    {
        let _ = app.run_on_main_thread(move || {
            use gtk::prelude::*;
            let dialog = gtk::MessageDialog::new(
                None::<&gtk::Window>,
                gtk::DialogFlags::empty(),
                gtk::MessageType::Info,
                gtk::ButtonsType::Ok,
                body,
            );
            dialog.set_title(title);
            dialog.connect_response(|dialog, _| dialog.close());
            dialog.show_all();
        });
    }
    #[cfg(not(target_os = "linux"))]
    app.dialog()
        .message(body)
        .title(title)
        .kind(MessageDialogKind::Info)
        .buttons(MessageDialogButtons::Ok)
        .show(|_| {});
}
