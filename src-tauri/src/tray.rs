//! The tray (Linux: a StatusNotifierItem through libayatana-appindicator;
//! the Windows notification area; the macOS menu bar): pinned accounts,
//! whose codes a click copies (cleared after 30 s, as in the window),
//! "Open Twofold", "Lock" and "Quit". While Twofold is locked the menu
//! names no account.
//!
//! The menu is rebuilt only when what it shows changes (pins, names, the
//! lock), never on a timer: codes are computed at the click.

use std::sync::Mutex;

use tauri::menu::{Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{AppHandle, Manager, Wry};
use twofold_core::account::label;
use uuid::Uuid;
use zeroize::Zeroizing;

use twofold_core::settings::TraySettings;

use crate::native_dialog::Lang;
use crate::state::AppState;

const OPEN: &str = "open";
const LOCK: &str = "lock";
const SCAN: &str = "scan";
const QUIT: &str = "quit";
/// Menu ids of pinned accounts: this prefix and the account's id.
const COPY: &str = "copy:";

/// What the menu shows; rebuilt only when this changes.
#[derive(PartialEq, Eq, Default)]
struct Shown {
    pinned: Vec<(Uuid, String)>,
    locked: bool,
    lock_on: bool,
}

/// The tray icon, and what its menu shows now.
#[derive(Default)]
pub struct Tray {
    icon: Mutex<Option<TrayIcon>>,
    shown: Mutex<Option<Shown>>,
}

struct Words {
    open: &'static str,
    scan: &'static str,
    lock: &'static str,
    quit: &'static str,
    locked: &'static str,
    none: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::En => Words {
            open: "Open Twofold",
            scan: "Scan QR code on screen",
            lock: "Lock",
            quit: "Quit Twofold",
            locked: "Locked: open Twofold to unlock",
            none: "Pin accounts in Twofold to copy their codes here",
        },
        Lang::Ja => Words {
            open: "Twofold を開く",
            scan: "画面の QR コードをスキャン",
            lock: "ロック",
            quit: "Twofold を終了",
            locked: "ロック中：Twofold を開いて解除してください",
            none: "Twofold でアカウントをピン留めすると、ここからコードをコピーできます",
        },
    }
}

fn lang() -> Lang {
    match sys_locale::get_locale() {
        Some(locale) if locale.starts_with("ja") => Lang::Ja,
        _ => Lang::En,
    }
}

/// Whether this desktop shows tray icons. On Linux that takes a
/// StatusNotifierWatcher on the session bus (GNOME has one only with the
/// AppIndicator extension); Windows and macOS always have one.
pub fn host_available() -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::time::Duration;
        let Ok(bus) = dbus::blocking::Connection::new_session() else { return false };
        let proxy = bus.with_proxy("org.freedesktop.DBus", "/org/freedesktop/DBus", Duration::from_secs(2));
        let owned: Result<(bool,), _> =
            proxy.method_call("org.freedesktop.DBus", "NameHasOwner", ("org.kde.StatusNotifierWatcher",));
        owned.is_ok_and(|(owned,)| owned)
    }
    #[cfg(not(target_os = "linux"))]
    true
}

impl Tray {
    /// Whether the tray icon exists (the desktop has a tray).
    pub fn active(&self) -> bool {
        self.icon.lock().unwrap_or_else(|p| p.into_inner()).is_some()
    }
}

/// Creates the tray icon (if the desktop has a tray).
pub fn start(app: &AppHandle) {
    let Some(icon) = app.default_window_icon().cloned() else { return };
    let built = TrayIconBuilder::with_id("twofold")
        .icon(icon)
        .tooltip("Twofold")
        .show_menu_on_left_click(true)
        .on_menu_event(on_menu_event)
        .build(app);
    if let Ok(tray) = built {
        *app.state::<Tray>().icon.lock().unwrap_or_else(|p| p.into_inner()) = Some(tray);
        refresh(app);
    }
}

/// Rebuilds the menu if what it shows has changed.
pub fn refresh(app: &AppHandle) {
    let tray = app.state::<Tray>();
    let icon = tray.icon.lock().unwrap_or_else(|p| p.into_inner());
    let Some(icon) = icon.as_ref() else { return };
    let s = app.state::<AppState>();
    let locked = s.lock.is_locked();
    let (pinned, lock_on) = s.slot().as_ref().map_or((Vec::new(), false), |v| {
        let pinned =
            v.accounts().iter().filter(|a| a.pinned).map(|a| (a.id, label(&a.issuer, &a.name))).collect();
        (pinned, v.meta().lock.is_on())
    });
    let now = Shown { pinned: if locked { Vec::new() } else { pinned }, locked, lock_on };
    let mut shown = tray.shown.lock().unwrap_or_else(|p| p.into_inner());
    if shown.as_ref() == Some(&now) {
        return;
    }
    if let Ok(menu) = menu(app, &now) {
        let _ = icon.set_menu(Some(menu));
        *shown = Some(now);
    }
}

fn menu(app: &AppHandle, shown: &Shown) -> tauri::Result<Menu<Wry>> {
    let words = words(lang());
    let menu = Menu::new(app)?;
    if shown.locked {
        menu.append(&MenuItem::with_id(app, "locked", words.locked, false, None::<&str>)?)?;
    } else if shown.pinned.is_empty() {
        menu.append(&MenuItem::with_id(app, "none", words.none, false, None::<&str>)?)?;
    }
    for (id, label) in &shown.pinned {
        menu.append(&MenuItem::with_id(app, format!("{COPY}{id}"), label, true, None::<&str>)?)?;
    }
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    menu.append(&MenuItem::with_id(app, OPEN, words.open, true, None::<&str>)?)?;
    if !shown.locked {
        menu.append(&MenuItem::with_id(app, SCAN, words.scan, true, None::<&str>)?)?;
    }
    if shown.lock_on && !shown.locked {
        menu.append(&MenuItem::with_id(app, LOCK, words.lock, true, None::<&str>)?)?;
    }
    menu.append(&MenuItem::with_id(app, QUIT, words.quit, true, None::<&str>)?)?;
    Ok(menu)
}

fn on_menu_event(app: &AppHandle, event: MenuEvent) {
    match event.id().as_ref() {
        OPEN => crate::commands::window::bring_forward(app),
        LOCK => crate::session_lock::lock_now(app),
        SCAN => crate::commands::enroll::scan_screen_in_background(app),
        QUIT => app.exit(0),
        id => {
            if let Some(Ok(account)) = id.strip_prefix(COPY).map(Uuid::parse_str) {
                copy(app, account);
            }
        }
    }
}

/// Copies a pinned account's code, as a click in the window does; refused
/// while locked (the menu then lists none anyway).
fn copy(app: &AppHandle, id: Uuid) {
    let app = app.clone();
    // Off the menu's thread: the clipboard and the vault may take a moment.
    std::thread::spawn(move || {
        let s = app.state::<AppState>();
        let code = s.with_vault(|v| Ok(Zeroizing::new(v.account(id)?.otp.code_at(s.now()).value)));
        if let Ok(code) = code {
            let _ = crate::commands::accounts::copy_text(&s, &code);
        }
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
    let Some(settings) = s.slot().as_ref().map(|v| v.meta().tray.clone()) else { return false };
    if !settings.close_to_tray {
        return false;
    }
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.hide();
    }
    if s.slot().as_ref().is_some_and(|v| v.meta().lock.when_hidden) {
        crate::session_lock::lock_now(app);
    }
    if !settings.notice_shown {
        let notice = TraySettings { notice_shown: true, ..settings };
        if s.with_vault(|v| Ok(v.set_tray_settings(notice)?)).is_ok() {
            crate::native_dialog::tell(app, lang(), crate::native_dialog::Notice::StillInTray);
        }
    }
    true
}
