//! What the entry points ask for, done in one place: the window's commands,
//! the tray menu, quick search, the global shortcut, the idle and session
//! watchers, drops and a second launch all come here. So a code copied from
//! the tray is noted as used like one copied in the list, and locking from
//! the screen saver does what the lock button does.
//!
//! This is also the one listener of vault changes (`vault_changed`): the
//! backup schedule, the tray and the page hear every change from here.

use serde::Serialize;
use tauri::{AppHandle, Manager};
use twofold_core::account;
use twofold_core::enroll::Preview;
use twofold_core::settings::TraySettings;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::clipboard::CLEAR_AFTER;
use crate::error::{CommandError, ErrorCode};
use crate::messages::{Lang, Language};
use crate::state::{AppState, Change};
use crate::tray::{self, Tray};
use crate::{events, native_dialog, quick, screen_scan, windows};

type Result<T> = std::result::Result<T, CommandError>;

/// Wires the services to these actions, once at start.
pub fn wire(app: &AppHandle, tray_host: bool) {
    let s = app.state::<AppState>();
    let handle = app.clone();
    s.on_vault_changed(move |change| vault_changed(&handle, change));
    let handle = app.clone();
    crate::session_lock::watch_idle(s.lock.clone(), move || lock_now(&handle));
    let handle = app.clone();
    crate::backups::start(s.backups.clone(), move || back_up_now(&handle));
    let handle = app.clone();
    crate::sync_runner::start(s.sync.clone(), move || sync_now(&handle));
    let handle = app.clone();
    crate::platform::watch_session(move || lock_now(&handle));
    if tray_host {
        let handle = app.clone();
        tray::start(app, on_tray_item, move || what_the_tray_shows(&handle));
    }
}

/// The one listener of vault changes.
fn vault_changed(app: &AppHandle, change: Change) {
    let s = app.state::<AppState>();
    if change == Change::Saved {
        s.backups.changed();
    }
    if matches!(change, Change::Saved | Change::Opened) {
        // A change here goes to the other computers; a vault just opened
        // takes in what they did meanwhile.
        s.sync.poke();
    }
    if change == Change::Opened {
        // The shortcut the vault keeps (or the default).
        if let Ok(shortcut) = s.meta(|m| m.quick.shortcut.clone()) {
            quick::register_saved(app, &shortcut);
        }
    }
    app.state::<Tray>().refresh();
    events::vault_changed(app);
}

fn what_the_tray_shows(app: &AppHandle) -> tray::Shown {
    let s = app.state::<AppState>();
    tray::Shown {
        pinned: s.pinned().into_iter().map(|p| (p.id, account::label(&p.issuer, &p.name))).collect(),
        locked: s.lock.is_locked(),
        lock_on: s.meta(|m| m.lock.is_on()).unwrap_or(false),
        lang: app.state::<Language>().get(),
    }
}

fn on_tray_item(app: &AppHandle, item: tray::Item) {
    match item {
        tray::Item::Open => windows::bring_forward(app),
        tray::Item::Lock => lock_now(app),
        tray::Item::Scan => scan_screen_in_background(app),
        tray::Item::Quit => app.exit(0),
        tray::Item::Copy(id) => {
            let app = app.clone();
            // Off the menu's thread: the clipboard and the vault may take a moment.
            std::thread::spawn(move || {
                // Refused while locked (the menu then lists none anyway).
                let _ = copy_account_code(&app.state::<AppState>(), id, Which::Current);
            });
        }
    }
}

/// A second launch asked for the window, or for quick search.
pub fn second_launch(app: &AppHandle, request: crate::single_instance::Request) {
    match request {
        crate::single_instance::Request::Show => windows::bring_forward(app),
        crate::single_instance::Request::Quick => quick::open(app),
    }
}

#[derive(Serialize)]
pub struct Copied {
    clear_after_secs: u64,
}

/// Puts `text` on the clipboard, to be cleared after [`CLEAR_AFTER`].
pub fn copy_text(s: &AppState, text: &str) -> Result<Copied> {
    s.clipboard
        .copy(text)
        .map_err(|e| CommandError::new(ErrorCode::Clipboard, format!("could not use the clipboard: {e}")))?;
    Ok(Copied { clear_after_secs: CLEAR_AFTER.as_secs() })
}

/// Puts the account's current code on the clipboard and notes it used, for
/// the "recently used" order: the one copy path of the list, the tray and
/// quick search.
pub fn copy_account_code(s: &AppState, id: Uuid, which: Which) -> Result<Copied> {
    let now = s.now();
    let code = s.with_vault(|v| {
        let otp = &v.account(id)?.otp;
        // A counter's code does not expire while it is typed: "next" is the current one.
        let code = match which {
            Which::Current => otp.code_at(now),
            Which::Next => otp.next_code_at(now).unwrap_or_else(|| otp.code_at(now)),
        };
        Ok(Zeroizing::new(code.value))
    })?;
    let copied = copy_text(s, &code)?;
    // Only the order depends on it: a failure to note it is not the person's problem.
    if s.with_vault(|v| Ok(v.mark_used(id, s.now())?)).is_ok() {
        s.changed(Change::Noted);
    }
    Ok(copied)
}

/// Which code a copy takes: the current one, or the one that follows it
/// (Shift+click, Shift+Enter: for a code about to expire while it is typed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Current,
    Next,
}

/// Locks Twofold now (if the lock is on): the page is told to forget what
/// it shows, a code Twofold copied leaves the clipboard, and the tray names
/// no account. The lock button, the tray, idling, the screen saver and
/// closing to the tray all lock through here.
pub fn lock_now(app: &AppHandle) {
    let s = app.state::<AppState>();
    // Never waits for the vault (a key derivation may hold it).
    if s.lock.lock() {
        s.clipboard.clear_if_ours();
        // Quick search shows names: it goes away with them (its page also
        // forgets them on the event).
        quick::hide(app);
        events::app_locked(app);
        app.state::<Tray>().refresh();
    }
}

/// The page shows `lang` now: the tray and Rust's own dialogs speak it too.
pub fn set_language(app: &AppHandle, lang: Lang) {
    app.state::<Language>().set(lang);
    app.state::<Tray>().refresh();
}

/// The person unlocked: the tray names the pinned accounts again.
pub fn unlocked(app: &AppHandle) {
    app.state::<Tray>().refresh();
}

/// Backs up now (if backups are on), records how it went and tells the
/// page, which asks for the status again. Answers whether a backup was
/// attempted (backups are on).
/// One sync round (the background runner's), then the page is told; the
/// list, the tray and the backups hear of any change through the vault's
/// listener. Answers the folder to watch.
pub fn sync_now(app: &AppHandle) -> Option<std::path::PathBuf> {
    let folder = app.state::<AppState>().sync_round(false);
    events::sync_status(app);
    folder
}

pub fn back_up_now(app: &AppHandle) -> bool {
    let s = app.state::<AppState>();
    let result = s.back_up();
    s.backups.record(result.as_ref().map(drop));
    events::backup_status(app);
    !matches!(result, Ok(false))
}

/// "Scan the screen": Twofold steps aside, every monitor is captured, and
/// the setup codes on it go to the preview; none is said plainly.
pub fn scan_screen(app: &AppHandle, s: &AppState) -> Result<Preview> {
    // Locked: nothing is captured and no preview is shown.
    s.with_vault(|_| Ok(()))?;
    let screens = screen_scan::with_windows_aside(app, screen_scan::capture_monitors)
        .unwrap_or_else(|| Err("a scan is already running".into()))
        .map_err(|e| {
            CommandError::new(ErrorCode::ScreenCapture, format!("could not capture the screen: {e}"))
        })?;
    if s.pending().add_screens(screens) == 0 {
        return Err(CommandError::new(ErrorCode::NoCodeOnScreen, "no setup QR code is on the screen"));
    }
    s.preview()
}

/// The tray's "Scan QR code on screen": the same scan, its preview (or
/// what went wrong) sent to the page as a drop's is.
pub fn scan_screen_in_background(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        events::scan_started(&app, 1);
        let result = scan_screen(&app, &app.state::<AppState>());
        events::scan_finished(&app, &result);
    });
}

/// Closing the window: with a tray and the setting on (the default), the
/// window hides and Twofold stays in the tray; the first time, a notice
/// says so. Answers whether the close was turned into a hide.
pub fn close_to_tray(app: &AppHandle) -> bool {
    if !app.state::<Tray>().active() {
        return false;
    }
    let s = app.state::<AppState>();
    let Ok((settings, lock_when_hidden)) = s.meta(|m| (m.tray.clone(), m.lock.when_hidden)) else {
        return false;
    };
    if !settings.close_to_tray {
        return false;
    }
    windows::hide(app);
    if lock_when_hidden {
        lock_now(app);
    }
    if !settings.notice_shown {
        let notice = TraySettings { notice_shown: true, ..settings };
        if s.with_vault(|v| Ok(v.set_tray_settings(notice)?)).is_ok() {
            native_dialog::tell(app, native_dialog::Notice::StillInTray);
        }
    }
    true
}
