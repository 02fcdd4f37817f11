//! The tray (Linux: a StatusNotifierItem through libayatana-appindicator;
//! the Windows notification area; the macOS menu bar): pinned accounts,
//! whose codes a click copies (cleared after 30 s, as in the window),
//! "Open Twofold", "Lock" and "Quit". While Twofold is locked the menu
//! names no account.
//!
//! The menu is rebuilt only when what it shows changes (pins, names, the
//! lock), never on a timer: codes are computed at the click. One thread
//! paints it: a refresh only marks it out of date, so no caller waits on
//! the menu (setting it runs on the main thread) and two refreshes can
//! never paint in the wrong order.

use std::sync::{Condvar, Mutex, PoisonError};

use tauri::menu::{Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{AppHandle, Manager, Wry};
use uuid::Uuid;

use crate::messages::{self, Lang};

const OPEN: &str = "open";
const LOCK: &str = "lock";
const SCAN: &str = "scan";
const QUIT: &str = "quit";
/// Menu ids of pinned accounts: this prefix and the account's id.
const COPY: &str = "copy:";

/// What the menu shows; rebuilt only when this changes.
#[derive(PartialEq, Eq, Default)]
pub struct Shown {
    /// The pinned accounts' ids and labels (none while locked).
    pub pinned: Vec<(Uuid, String)>,
    pub locked: bool,
    /// The app lock is on, so "Lock" is offered.
    pub lock_on: bool,
    /// The language the menu speaks.
    pub lang: Lang,
}

/// What a click on the menu asks for (`actions::on_tray_item` does it).
pub enum Item {
    Open,
    Lock,
    Scan,
    Quit,
    Copy(Uuid),
}

/// The tray icon, and whether its menu is out of date.
#[derive(Default)]
pub struct Tray {
    icon: Mutex<Option<TrayIcon>>,
    out_of_date: Mutex<bool>,
    wake: Condvar,
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
        self.icon.lock().unwrap_or_else(PoisonError::into_inner).is_some()
    }

    /// What the menu shows may have changed: the painter looks again.
    pub fn refresh(&self) {
        *self.out_of_date.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.wake.notify_all();
    }
}

/// Creates the tray icon (if the desktop has a tray) and its painter:
/// `on_item` runs for each click on the menu, and `what_to_show` tells the
/// painter what the menu should show now, each time it is out of date.
pub fn start(
    app: &AppHandle,
    on_item: impl Fn(&AppHandle, Item) + Send + Sync + 'static,
    what_to_show: impl Fn() -> Shown + Send + 'static,
) {
    let Some(icon) = app.default_window_icon().cloned() else { return };
    let built = TrayIconBuilder::with_id("twofold")
        .icon(icon)
        .tooltip("Twofold")
        .show_menu_on_left_click(true)
        .on_menu_event(move |app, event| {
            if let Some(item) = item_of(&event) {
                on_item(app, item);
            }
        })
        .build(app);
    let Ok(icon) = built else { return };
    let tray = app.state::<Tray>();
    *tray.icon.lock().unwrap_or_else(PoisonError::into_inner) = Some(icon.clone());
    tray.refresh();
    let app = app.clone();
    std::thread::spawn(move || {
        let tray = app.state::<Tray>();
        let mut shown: Option<Shown> = None;
        loop {
            {
                let mut out_of_date = tray.out_of_date.lock().unwrap_or_else(PoisonError::into_inner);
                while !*out_of_date {
                    out_of_date = tray.wake.wait(out_of_date).unwrap_or_else(PoisonError::into_inner);
                }
                // Cleared before looking: a change from now on paints again.
                *out_of_date = false;
            }
            let now = what_to_show();
            if shown.as_ref() == Some(&now) {
                continue;
            }
            if let Ok(menu) = menu(&app, &now) {
                if icon.set_menu(Some(menu)).is_ok() {
                    shown = Some(now);
                }
            }
        }
    });
}

fn menu(app: &AppHandle, shown: &Shown) -> tauri::Result<Menu<Wry>> {
    let words = messages::tray(shown.lang);
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

fn item_of(event: &MenuEvent) -> Option<Item> {
    match event.id().as_ref() {
        OPEN => Some(Item::Open),
        LOCK => Some(Item::Lock),
        SCAN => Some(Item::Scan),
        QUIT => Some(Item::Quit),
        id => id.strip_prefix(COPY).and_then(|id| Uuid::parse_str(id).ok()).map(Item::Copy),
    }
}
