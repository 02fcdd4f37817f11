//! Linux: every dialog is GTK's own, made on the main thread.
//!
//! The dialog plugin's (rfd's) GTK dialogs start a thread that runs a second
//! GTK main loop for as long as the app lives. From then on that thread also
//! takes events meant for Twofold's windows, and a close request of the main
//! window could be handled there and lost. Made here, a dialog lives in the
//! app's one main loop; the command that asked waits on its blocking thread.

use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::mpsc;

use gtk::prelude::*;
use tauri::{AppHandle, Manager};

use super::documents_dir;
use crate::messages::{self, Lang, Purpose, Words};

/// Builds a dialog on the main thread (`make` gets the main window as its
/// parent), shows it, and returns `answer`'s reading of the first response.
/// None if the main loop ended first. Called from a command's blocking
/// thread, never from the main thread, which it would wait on.
fn ask<D, T>(
    app: &AppHandle,
    make: impl FnOnce(Option<gtk::ApplicationWindow>) -> D + Send + 'static,
    answer: impl Fn(&D, gtk::ResponseType) -> T + Send + 'static,
) -> Option<T>
where
    D: IsA<gtk::Dialog> + IsA<gtk::Window> + IsA<gtk::Widget>,
    T: Send + 'static,
{
    let (sender, answered) = mpsc::channel();
    let main = app.get_webview_window("main");
    app.run_on_main_thread(move || {
        let dialog = make(main.and_then(|window| window.gtk_window().ok()));
        dialog.set_modal(true);
        // Closing the dialog responds once more (a delete event); only the
        // first response is the person's.
        let sender = RefCell::new(Some(sender));
        dialog.connect_response(move |dialog, response| {
            if let Some(sender) = sender.borrow_mut().take() {
                let _ = sender.send(answer(dialog, response));
                dialog.close();
            }
        });
        dialog.show_all();
    })
    .ok()?;
    answered.recv().ok()
}

pub fn confirm(app: &AppHandle, lang: Lang, words: Words) -> bool {
    let cancel = messages::cancel(lang);
    ask(
        app,
        move |parent| {
            let dialog = gtk::MessageDialog::new(
                parent.as_ref(),
                gtk::DialogFlags::MODAL | gtk::DialogFlags::DESTROY_WITH_PARENT,
                gtk::MessageType::Warning,
                gtk::ButtonsType::None,
                &words.body,
            );
            dialog.set_title(words.title);
            dialog.add_button(cancel, gtk::ResponseType::Cancel);
            dialog.add_button(words.yes, gtk::ResponseType::Accept);
            // Return alone never reveals or writes a secret.
            dialog.set_default_response(gtk::ResponseType::Cancel);
            dialog
        },
        |_, response| response == gtk::ResponseType::Accept,
    )
    .unwrap_or(false)
}

/// A file or folder chooser; `suggested` names the file a save proposes.
pub fn choose(
    app: &AppHandle,
    lang: Lang,
    purpose: Result<Purpose, messages::FolderFor>,
    suggested: String,
) -> Option<PathBuf> {
    let (title, action) = match purpose {
        Ok(purpose @ Purpose::OpenBundle) => {
            (messages::file_title(lang, purpose), gtk::FileChooserAction::Open)
        }
        Ok(purpose @ (Purpose::SaveBundle | Purpose::SavePlain)) => {
            (messages::file_title(lang, purpose), gtk::FileChooserAction::Save)
        }
        Err(folder) => (messages::folder_title(lang, folder), gtk::FileChooserAction::SelectFolder),
    };
    let accept = messages::choose(lang, action == gtk::FileChooserAction::Save);
    let cancel = messages::cancel(lang);
    ask(
        app,
        move |parent| {
            let dialog = gtk::FileChooserDialog::with_buttons(
                Some(title),
                parent.as_ref(),
                action,
                &[(cancel, gtk::ResponseType::Cancel), (accept, gtk::ResponseType::Accept)],
            );
            dialog.set_default_response(gtk::ResponseType::Accept);
            if let Some(dir) = documents_dir() {
                dialog.set_current_folder(dir);
            }
            if action == gtk::FileChooserAction::Save {
                // The export writes over the chosen file: the dialog asks first.
                dialog.set_do_overwrite_confirmation(true);
                dialog.set_current_name(&suggested);
            }
            if purpose == Ok(Purpose::OpenBundle) {
                let json = gtk::FileFilter::new();
                json.set_name(Some("JSON"));
                json.add_pattern("*.json");
                dialog.add_filter(json);
            }
            dialog
        },
        |dialog, response| (response == gtk::ResponseType::Accept).then(|| dialog.filename()).flatten(),
    )
    .flatten()
}
