//! Every word Rust shows the person itself, in each of the app's languages:
//! the tray menu, the native questions and file dialogs, the notice. These
//! stay in Rust so that a page cannot word a security question; the page's
//! own words live in `ui/js/i18n/`. Each table is a `match` on the language
//! and what is said, so a text missing in one language does not compile.
//!
//! The language is the page's (`set_language`, sent at start and on each
//! change; the page keeps the person's choice), or the system's until the
//! page has said.

use std::sync::atomic::{AtomicBool, Ordering};

use serde::Deserialize;

/// What a confirmation asks.
#[derive(Debug, Clone)]
pub enum Question {
    /// One account's secret as a QR code on screen.
    RevealOne,
    /// Every account's secret as QR codes on screen.
    RevealAll,
    /// Every secret written to a file in plain text.
    WritePlain,
    /// Backups turned on, into this folder.
    BackUpTo(String),
    /// Backups already on: a new passphrase (or folder) for them.
    NewBackupPassphrase(String),
    /// Backups turned off (the files in this folder stay).
    StopBackups(String),
    /// Backups kept for less time than now: older ones will be deleted.
    KeepLess,
    /// The clock checked against this time server, not a well-known one.
    TimeServer(String),
    /// Sync turned on, through this folder.
    SyncThrough(String),
    /// Removals (and new keys) another computer made, held back: applied.
    ApplyHeld { removals: usize, keys: usize },
    /// Sync turned off (this computer's file leaves the folder).
    StopSync(String),
}

/// A file dialog's purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    SaveBundle,
    OpenBundle,
    SavePlain,
}

/// Something Rust tells the person once, in a native message box.
#[derive(Debug, Clone, Copy)]
pub enum Notice {
    /// The window was closed but Twofold keeps running in the tray.
    StillInTray,
}

/// The app's languages; anything else is English.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Ja,
}

/// The language in use now (managed state).
pub struct Language {
    japanese: AtomicBool,
}

impl Default for Language {
    /// The system's, until the page says.
    fn default() -> Self {
        let japanese = sys_locale::get_locale().is_some_and(|l| l.starts_with("ja"));
        Self { japanese: AtomicBool::new(japanese) }
    }
}

impl Language {
    pub fn get(&self) -> Lang {
        if self.japanese.load(Ordering::SeqCst) {
            Lang::Ja
        } else {
            Lang::En
        }
    }

    pub fn set(&self, lang: Lang) {
        self.japanese.store(lang == Lang::Ja, Ordering::SeqCst);
    }
}

/// The system's language (BCP 47), for the page's default. Read in Rust
/// because WebKitGTK reports English whenever the locale is not installed.
pub fn system_locale() -> String {
    sys_locale::get_locale().unwrap_or_else(|| "en".into())
}

pub struct Words {
    pub title: &'static str,
    pub body: String,
    /// With a mnemonic (`_`): Alt and the letter choose it.
    pub yes: &'static str,
}

/// A native question's words.
pub fn question(lang: Lang, question: Question) -> Words {
    match (lang, &question) {
        (Lang::En, Question::RevealOne) => Words {
            title: "Show secrets on screen?",
            body: "This QR code contains the account's secret key. Anyone who sees or photographs it can \
                   create codes for this account. Make sure no one is watching and no screen is being shared.".into(),
            yes: "_Show",
        },
        (Lang::En, Question::RevealAll) => Words {
            title: "Show secrets on screen?",
            body: "These QR codes contain the secret keys of all your accounts. Anyone who sees or \
                   photographs them can sign in as you. Make sure no one is watching and no screen is being \
                   shared.".into(),
            yes: "_Show",
        },
        (Lang::En, Question::WritePlain) => Words {
            title: "Write an unencrypted file?",
            body: "The file will hold every secret key in plain text. Anyone who reads it can sign in as you. \
                   Use it only if the other app cannot read the encrypted bundle, and delete it right after \
                   importing.".into(),
            yes: "_Write unencrypted file",
        },
        (Lang::Ja, Question::RevealOne) => Words {
            title: "秘密鍵を画面に表示しますか？",
            body: "この QR コードにはアカウントの秘密鍵が含まれています。見たり撮影したりした人は、このアカウントのコードを生成できます。誰も見ていないこと、画面共有していないことを確認してください。".into(),
            yes: "表示(_S)",
        },
        (Lang::Ja, Question::RevealAll) => Words {
            title: "秘密鍵を画面に表示しますか？",
            body: "これらの QR コードにはすべてのアカウントの秘密鍵が含まれています。見たり撮影したりした人は、あなたとしてサインインできます。誰も見ていないこと、画面共有していないことを確認してください。".into(),
            yes: "表示(_S)",
        },
        (Lang::Ja, Question::WritePlain) => Words {
            title: "暗号化されていないファイルを書き出しますか？",
            body: "ファイルにはすべての秘密鍵が平文で含まれます。読んだ人は誰でもあなたとしてサインインできます。相手のアプリが暗号化バンドルを読めない場合にだけ使い、読み込んだらすぐ削除してください。".into(),
            yes: "暗号化せずに書き出す(_W)",
        },
        (Lang::En, Question::BackUpTo(folder)) => Words {
            title: "Turn on automatic backups?",
            body: format!(
                "After every change, every account will be written to {folder}, encrypted with the passphrase \
                 you just typed. Anyone with that passphrase and the folder can sign in as you."
            ),
            yes: "_Turn on backups",
        },
        (Lang::En, Question::NewBackupPassphrase(folder)) => Words {
            title: "Change how backups are protected?",
            body: format!(
                "From now on backups go to {folder}, protected by the passphrase you just typed, which replaces \
                 the one that protected them until now. Anyone with the new passphrase and the folder can sign \
                 in as you."
            ),
            yes: "_Change",
        },
        (Lang::En, Question::StopBackups(folder)) => Words {
            title: "Turn off automatic backups?",
            body: format!(
                "Changes will no longer be backed up. The backups already in {folder} stay there; none is deleted."
            ),
            yes: "_Turn off",
        },
        (Lang::En, Question::KeepLess) => Words {
            title: "Keep backups for less time?",
            body: "Backups older than the new periods will be deleted at the next backup, and an account \
                   deleted by mistake may then no longer come back."
                .into(),
            yes: "_Keep less",
        },
        (Lang::Ja, Question::BackUpTo(folder)) => Words {
            title: "自動バックアップをオンにしますか？",
            body: format!("変更のたびに、すべてのアカウントが {folder} に、いま入力したパスフレーズで暗号化して書き込まれます。そのパスフレーズとフォルダーを持つ人は、あなたとしてサインインできます。"),
            yes: "バックアップをオンにする(_T)",
        },
        (Lang::Ja, Question::NewBackupPassphrase(folder)) => Words {
            title: "バックアップの保護を変更しますか？",
            body: format!("これからのバックアップは {folder} に、いま入力したパスフレーズで保護して書き込まれます。これまでのパスフレーズは置き換えられます。新しいパスフレーズとフォルダーを持つ人は、あなたとしてサインインできます。"),
            yes: "変更する(_C)",
        },
        (Lang::Ja, Question::StopBackups(folder)) => Words {
            title: "自動バックアップをオフにしますか？",
            body: format!("これからの変更はバックアップされません。{folder} にあるバックアップはそのまま残り、削除されません。"),
            yes: "オフにする(_T)",
        },
        (Lang::En, Question::SyncThrough(folder)) => Words {
            title: "Sync through this folder?",
            body: format!(
                "Every account will be written to {folder}, encrypted with the sync passphrase you just typed, \
                 after every change. Other computers with the same folder and passphrase get every account. \
                 Anyone with that passphrase and the folder can sign in as you."
            ),
            yes: "_Turn on sync",
        },
        (Lang::Ja, Question::SyncThrough(folder)) => Words {
            title: "このフォルダーで同期しますか？",
            body: format!("変更のたびに、すべてのアカウントが {folder} に、いま入力した同期パスフレーズで暗号化して書き込まれます。同じフォルダーとパスフレーズを使うほかのコンピューターは、すべてのアカウントを受け取ります。そのパスフレーズとフォルダーを持つ人は、あなたとしてサインインできます。"),
            yes: "同期をオンにする(_T)",
        },
        (Lang::En, Question::ApplyHeld { removals, keys }) => Words {
            title: "Apply the changes from your other computer?",
            body: format!(
                "Another computer removed {removals} accounts and gave {keys} a new key. A restore point is \
                 written first, so they can come back from Backups."
            ),
            yes: "_Apply them",
        },
        (Lang::Ja, Question::ApplyHeld { removals, keys }) => Words {
            title: "ほかのコンピューターでの変更を反映しますか？",
            body: format!("ほかのコンピューターで {removals} 件のアカウントが削除され、{keys} 件の鍵が変わりました。先に復元ポイントを書き込むので、バックアップから戻せます。"),
            yes: "反映する(_A)",
        },
        (Lang::En, Question::StopSync(folder)) => Words {
            title: "Turn off sync?",
            body: format!(
                "This computer's file leaves {folder}. Every account stays here and on your other computers."
            ),
            yes: "_Turn off",
        },
        (Lang::Ja, Question::StopSync(folder)) => Words {
            title: "同期をオフにしますか？",
            body: format!("このコンピューターのファイルが {folder} から削除されます。すべてのアカウントは、このコンピューターにもほかのコンピューターにも残ります。"),
            yes: "オフにする(_T)",
        },
        (Lang::En, Question::TimeServer(server)) => Words {
            title: "Use this time server?",
            body: format!(
                "At every start, Twofold will look up {server} and ask it for the time. That server, and the \
                 DNS server that finds it, learn when you use Twofold and from which address. Use it only if \
                 you chose it yourself."
            ),
            yes: "_Use this server",
        },
        (Lang::Ja, Question::TimeServer(server)) => Words {
            title: "このタイムサーバーを使いますか？",
            body: format!("起動のたびに、Twofold は {server} を名前解決して時刻を問い合わせます。そのサーバーと名前解決を行う DNS サーバーは、あなたが Twofold を使う時刻とアドレスを知ることになります。ご自身で選んだ場合にだけ使ってください。"),
            yes: "このサーバーを使う(_U)",
        },
        (Lang::Ja, Question::KeepLess) => Words {
            title: "バックアップの保存期間を短くしますか？",
            body: "新しい期間より古いバックアップは次のバックアップの際に削除され、誤って削除したアカウントを戻せなくなることがあります。".into(),
            yes: "短くする(_K)",
        },
    }
}

/// Why Twofold asks the system to confirm the person (Windows Hello's
/// title; macOS says "Twofold is trying to …" before it). polkit's prompt
/// says its own, from the action's policy file.
pub fn unlock_reason(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "unlock Twofold",
        Lang::Ja => "Twofold のロックを解除",
    }
}

pub fn cancel(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "_Cancel",
        Lang::Ja => "キャンセル(_C)",
    }
}

/// A file dialog's button that takes the choice: save, or open/select
/// (GTK's dialogs, made by Twofold, need their buttons' words).
#[cfg(target_os = "linux")]
pub fn choose(lang: Lang, save: bool) -> &'static str {
    match (lang, save) {
        (Lang::En, true) => "_Save",
        (Lang::En, false) => "_Select",
        (Lang::Ja, true) => "保存(_S)",
        (Lang::Ja, false) => "選択(_S)",
    }
}

pub fn file_title(lang: Lang, purpose: Purpose) -> &'static str {
    match (lang, purpose) {
        (Lang::En, Purpose::SaveBundle) => "Save the transfer bundle",
        (Lang::En, Purpose::OpenBundle) => "Choose a transfer bundle to verify",
        (Lang::En, Purpose::SavePlain) => "Save the UNENCRYPTED export",
        (Lang::Ja, Purpose::SaveBundle) => "移行バンドルを保存",
        (Lang::Ja, Purpose::OpenBundle) => "確認する移行バンドルを選択",
        (Lang::Ja, Purpose::SavePlain) => "暗号化されていないエクスポートを保存",
    }
}

/// What a folder is chosen for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FolderFor {
    Backups,
    Sync,
}

pub fn folder_title(lang: Lang, purpose: FolderFor) -> &'static str {
    match (lang, purpose) {
        (Lang::En, FolderFor::Backups) => "Choose where backups go",
        (Lang::Ja, FolderFor::Backups) => "バックアップの保存先を選択",
        (Lang::En, FolderFor::Sync) => "Choose the folder to sync through",
        (Lang::Ja, FolderFor::Sync) => "同期に使うフォルダーを選択",
    }
}

/// A notice's title and body.
pub fn notice(lang: Lang, notice: Notice) -> (&'static str, &'static str) {
    match (lang, notice) {
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
    }
}

/// The tray menu's words.
pub struct TrayWords {
    pub open: &'static str,
    pub scan: &'static str,
    pub lock: &'static str,
    pub quit: &'static str,
    pub locked: &'static str,
    pub none: &'static str,
}

pub fn tray(lang: Lang) -> TrayWords {
    match lang {
        Lang::En => TrayWords {
            open: "Open Twofold",
            scan: "Scan QR code on screen",
            lock: "Lock",
            quit: "Quit Twofold",
            locked: "Locked: open Twofold to unlock",
            none: "Pin accounts in Twofold to copy their codes here",
        },
        Lang::Ja => TrayWords {
            open: "Twofold を開く",
            scan: "画面の QR コードをスキャン",
            lock: "ロック",
            quit: "Twofold を終了",
            locked: "ロック中：Twofold を開いて解除してください",
            none: "Twofold でアカウントをピン留めすると、ここからコードをコピーできます",
        },
    }
}
