//! Questions Rust asks the person itself, in the platform's own dialogs: where
//! to write or read a bundle, and whether secrets may be shown or written
//! unencrypted. The page never names a path and cannot skip a confirmation:
//! a compromised page could otherwise overwrite any file, or write every
//! secret anywhere. The words are Rust's too; the page only says which of
//! the app's languages it is showing.

use std::path::PathBuf;

use serde::Deserialize;
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

/// The page's language; anything else is English.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Ja,
}

/// What a confirmation asks.
#[derive(Debug, Clone, Copy)]
pub enum Question {
    /// One account's secret as a QR code on screen.
    RevealOne,
    /// Every account's secret as QR codes on screen.
    RevealAll,
    /// Every secret written to a file in plain text.
    WritePlain,
}

/// A file dialog's purpose.
#[derive(Debug, Clone, Copy)]
pub enum Purpose {
    SaveBundle,
    OpenBundle,
    SavePlain,
}

struct Words {
    title: &'static str,
    body: &'static str,
    /// With a mnemonic (`_`): Alt and the letter choose it.
    yes: &'static str,
}

fn words(lang: Lang, question: Question) -> Words {
    match (lang, question) {
        (Lang::En, Question::RevealOne) => Words {
            title: "Show secrets on screen?",
            body: "This QR code contains the account's secret key. Anyone who sees or photographs it can \
                   create codes for this account. Make sure no one is watching and no screen is being shared.",
            yes: "_Show",
        },
        (Lang::En, Question::RevealAll) => Words {
            title: "Show secrets on screen?",
            body: "These QR codes contain the secret keys of all your accounts. Anyone who sees or \
                   photographs them can sign in as you. Make sure no one is watching and no screen is being \
                   shared.",
            yes: "_Show",
        },
        (Lang::En, Question::WritePlain) => Words {
            title: "Write an unencrypted file?",
            body: "The file will hold every secret key in plain text. Anyone who reads it can sign in as you. \
                   Use it only if the other app cannot read the encrypted bundle, and delete it right after \
                   importing.",
            yes: "_Write unencrypted file",
        },
        (Lang::Ja, Question::RevealOne) => Words {
            title: "秘密鍵を画面に表示しますか？",
            body: "この QR コードにはアカウントの秘密鍵が含まれています。見たり撮影したりした人は、このアカウントのコードを生成できます。誰も見ていないこと、画面共有していないことを確認してください。",
            yes: "表示(_S)",
        },
        (Lang::Ja, Question::RevealAll) => Words {
            title: "秘密鍵を画面に表示しますか？",
            body: "これらの QR コードにはすべてのアカウントの秘密鍵が含まれています。見たり撮影したりした人は、あなたとしてサインインできます。誰も見ていないこと、画面共有していないことを確認してください。",
            yes: "表示(_S)",
        },
        (Lang::Ja, Question::WritePlain) => Words {
            title: "暗号化されていないファイルを書き出しますか？",
            body: "ファイルにはすべての秘密鍵が平文で含まれます。読んだ人は誰でもあなたとしてサインインできます。相手のアプリが暗号化バンドルを読めない場合にだけ使い、読み込んだらすぐ削除してください。",
            yes: "暗号化せずに書き出す(_W)",
        },
    }
}

fn cancel(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "_Cancel",
        Lang::Ja => "キャンセル(_C)",
    }
}

fn file_title(lang: Lang, purpose: Purpose) -> &'static str {
    match (lang, purpose) {
        (Lang::En, Purpose::SaveBundle) => "Save the transfer bundle",
        (Lang::En, Purpose::OpenBundle) => "Choose a transfer bundle to verify",
        (Lang::En, Purpose::SavePlain) => "Save the UNENCRYPTED export",
        (Lang::Ja, Purpose::SaveBundle) => "移行バンドルを保存",
        (Lang::Ja, Purpose::OpenBundle) => "確認する移行バンドルを選択",
        (Lang::Ja, Purpose::SavePlain) => "暗号化されていないエクスポートを保存",
    }
}

/// Asks `question`; true only if the person chose to go on.
pub fn confirm(app: &AppHandle, lang: Lang, question: Question) -> bool {
    let words = words(lang, question);
    let mut dialog = app
        .dialog()
        .message(words.body)
        .title(words.title)
        .kind(MessageDialogKind::Warning)
        .buttons(MessageDialogButtons::OkCancelCustom(words.yes.into(), cancel(lang).into()));
    if let Some(window) = app.get_webview_window("main") {
        dialog = dialog.parent(&window);
    }
    dialog.blocking_show()
}

/// A file chosen by the person for `purpose`, or None if they cancelled.
/// `suggested` names the file a save dialog proposes.
pub fn choose_file(app: &AppHandle, lang: Lang, purpose: Purpose, suggested: &str) -> Option<PathBuf> {
    let mut dialog = app.dialog().file().set_title(file_title(lang, purpose));
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
pub fn choose_folder(app: &AppHandle, lang: Lang) -> Option<PathBuf> {
    let title = match lang {
        Lang::En => "Choose where backups go",
        Lang::Ja => "バックアップの保存先を選択",
    };
    let mut dialog = app.dialog().file().set_title(title);
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

/// Something Rust tells the person once, in a native message box.
#[derive(Debug, Clone, Copy)]
pub enum Notice {
    /// The window was closed but Twofold keeps running in the tray.
    StillInTray,
}

/// Shows `notice` without waiting for it (callable from the main thread).
pub fn tell(app: &AppHandle, lang: Lang, notice: Notice) {
    let (title, body) = match (lang, notice) {
        (Lang::En, Notice::StillInTray) => (
            "Twofold is still running",
            "Twofold stays in the tray so your pinned codes are a click away. To quit, choose \
             \u{201c}Quit Twofold\u{201d} in its tray menu; to quit when the window closes, turn this off in Settings.",
        ),
        (Lang::Ja, Notice::StillInTray) => (
            "Twofold は実行中です",
            "ピン留めしたコードをすぐ使えるよう、Twofold はトレイに残ります。終了するにはトレイのメニューで\
             「Twofold を終了」を選んでください。ウィンドウを閉じたときに終了させるには、設定でオフにしてください。",
        ),
    };
    app.dialog()
        .message(body)
        .title(title)
        .kind(MessageDialogKind::Info)
        .buttons(MessageDialogButtons::Ok)
        .show(|_| {});
}
