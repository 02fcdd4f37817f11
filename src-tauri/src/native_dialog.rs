//! Questions Rust asks the person itself, in the platform's own dialogs: where
//! to write or read a bundle, and whether secrets may be shown or written
//! unencrypted. The page never names a path and cannot skip a confirmation:
//! a compromised page could otherwise overwrite any file, or write every
//! secret anywhere. The words are Rust's too (`messages.rs`), in the
//! language the page last said it shows.

use std::path::PathBuf;

use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

use crate::messages::{self, Language};
pub use crate::messages::{Notice, Purpose, Question};

fn lang(app: &AppHandle) -> messages::Lang {
    app.state::<Language>().get()
}

/// Asks `question`; true only if the person chose to go on.
pub fn confirm(app: &AppHandle, question: Question) -> bool {
    let lang = lang(app);
    let words = messages::question(lang, question);
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

/// A folder for backups, chosen by the person (None: cancelled).
pub fn choose_folder(app: &AppHandle) -> Option<PathBuf> {
    let mut dialog = app.dialog().file().set_title(messages::folder_title(lang(app)));
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
///
/// On Linux it is GTK's own dialog, made on the main thread. The dialog
/// plugin's (rfd's) starts a thread that runs a second GTK main loop for as
/// long as the app lives; from then on that thread also takes events meant
/// for Twofold's windows, and a close request of the main window could be
/// handled there and lost. The notice comes at a close to the tray, and the
/// next close must work.
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
