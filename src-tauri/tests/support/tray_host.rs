//! A minimal StatusNotifierWatcher on a test's own bus (`bus.rs`), standing
//! in for the desktop's tray (KDE's, or GNOME's AppIndicator extension):
//! apps that find one register their tray icon with it. Started before the
//! app that should see a tray; only apps on that test's bus see it. Tests
//! then read an icon's menu (`com.canonical.dbusmenu`) and click its items,
//! as the tray would.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dbus::arg::{PropMap, RefArg, Variant};
use dbus::blocking::Connection;
use dbus::channel::MatchingReceiver;
use dbus::message::MatchRule;
use dbus::Message;

use twofold_testkit::bus::PrivateBus;

const WATCHER: &str = "org.kde.StatusNotifierWatcher";

/// The items registered so far: (bus name, object path).
type Items = Arc<Mutex<Vec<(String, String)>>>;

pub struct TrayHost<'bus> {
    items: Items,
    bus: &'bus PrivateBus,
}

/// A watcher on `bus`, serving until the test ends (its thread ends with
/// the bus).
pub fn host(bus: &PrivateBus) -> TrayHost<'_> {
    let items: Items = Arc::default();
    let served = Arc::clone(&items);
    let connection = bus.connect();
    connection.request_name(WATCHER, false, true, true).expect("the watcher's name");
    connection.start_receive(
        MatchRule::new_method_call(),
        Box::new(move |call, connection| {
            if let Some(reply) = answer(&call, &served) {
                let _ = dbus::channel::Sender::send(connection, reply);
            }
            true
        }),
    );
    std::thread::spawn(move || while connection.process(Duration::from_millis(200)).is_ok() {});
    TrayHost { items, bus }
}

fn answer(call: &Message, items: &Items) -> Option<Message> {
    let interface = call.interface()?.to_string();
    let member = call.member()?.to_string();
    let registered =
        || items.lock().expect("items").iter().map(|(bus, path)| format!("{bus}{path}")).collect::<Vec<_>>();
    match (interface.as_str(), member.as_str()) {
        (WATCHER, "RegisterStatusNotifierItem") => {
            let service: String = call.read1().ok()?;
            let sender = call.sender()?.to_string();
            // Some register a bus name, others (Ayatana) an object path.
            let (bus, path) = if service.starts_with('/') {
                (sender, service)
            } else {
                (service, "/StatusNotifierItem".to_owned())
            };
            items.lock().expect("items").push((bus, path));
            Some(call.method_return())
        }
        (WATCHER, "RegisterStatusNotifierHost") => Some(call.method_return()),
        ("org.freedesktop.DBus.Properties", "GetAll") => {
            let mut all = PropMap::new();
            all.insert("IsStatusNotifierHostRegistered".into(), Variant(Box::new(true)));
            all.insert("ProtocolVersion".into(), Variant(Box::new(0i32)));
            all.insert("RegisteredStatusNotifierItems".into(), Variant(Box::new(registered())));
            Some(call.method_return().append1(all))
        }
        ("org.freedesktop.DBus.Properties", "Get") => {
            let (_, name): (String, String) = call.read2().ok()?;
            let value: Box<dyn RefArg> = match name.as_str() {
                "IsStatusNotifierHostRegistered" => Box::new(true),
                "ProtocolVersion" => Box::new(0i32),
                _ => Box::new(registered()),
            };
            Some(call.method_return().append1(Variant(value)))
        }
        ("org.freedesktop.DBus.Introspectable", "Introspect") => Some(
            call.method_return().append1("<node><interface name=\"org.kde.StatusNotifierWatcher\"/></node>"),
        ),
        _ => Some(call.error(&"org.freedesktop.DBus.Error.UnknownMethod".into(), c"not served here")),
    }
}

/// One entry of a tray icon's menu.
#[derive(Debug, Clone)]
pub struct MenuEntry {
    pub id: i32,
    pub label: String,
    pub enabled: bool,
    /// A line between groups of entries (dbusmenu's `type`), not an entry.
    pub separator: bool,
}

/// A registered tray icon's menu, through its own D-Bus interfaces.
pub struct TrayMenu {
    bus: Connection,
    owner: String,
    menu_path: dbus::Path<'static>,
}

impl TrayHost<'_> {
    /// Waits up to 15 s for a registered icon whose menu has an entry
    /// labelled `label` (each test pins accounts with names of its own).
    pub fn menu_with(&self, label: &str) -> TrayMenu {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let items = self.items.lock().expect("items").clone();
            for (owner, path) in items {
                if let Some(menu) = TrayMenu::of(self.bus.connect(), &owner, &path) {
                    if menu.entries().iter().any(|e| e.label == label) {
                        return menu;
                    }
                }
            }
            if Instant::now() > deadline {
                let menus: Vec<Vec<String>> = self
                    .items
                    .lock()
                    .expect("items")
                    .iter()
                    .filter_map(|(owner, path)| TrayMenu::of(self.bus.connect(), owner, path))
                    .map(|m| m.entries().into_iter().map(|e| e.label).collect())
                    .collect();
                panic!("no tray icon registered with a menu entry {label:?}; the menus: {menus:?}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl TrayMenu {
    fn of(bus: Connection, owner: &str, item_path: &str) -> Option<TrayMenu> {
        use dbus::blocking::stdintf::org_freedesktop_dbus::Properties;
        let item = bus.with_proxy(owner, item_path, Duration::from_secs(5));
        let menu_path: dbus::Path<'static> = item.get("org.kde.StatusNotifierItem", "Menu").ok()?;
        Some(TrayMenu { bus, owner: owner.to_owned(), menu_path })
    }

    /// The top level of the menu, as the tray shows it.
    pub fn entries(&self) -> Vec<MenuEntry> {
        let menu = self.bus.with_proxy(&self.owner, &self.menu_path, Duration::from_secs(5));
        type Layout = (i32, PropMap, Vec<Variant<Box<dyn RefArg>>>);
        let reply: Result<(u32, Layout), _> =
            menu.method_call("com.canonical.dbusmenu", "GetLayout", (0i32, -1i32, Vec::<String>::new()));
        let Ok((_, (_, _, children))) = reply else { return Vec::new() };
        children.iter().filter_map(|child| entry(&child.0)).collect()
    }

    /// Clicks the entry labelled `label`. The app repaints its menu when
    /// what it shows changes, and each repaint numbers the entries anew: a
    /// click that names an entry the repaint just replaced is made again on
    /// the menu as it is now (for 15 s at most).
    pub fn click(&self, label: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let entries = self.entries();
            let entry = entries
                .iter()
                .find(|e| e.label == label)
                .unwrap_or_else(|| panic!("{label:?} in {entries:?}"));
            let menu = self.bus.with_proxy(&self.owner, &self.menu_path, Duration::from_secs(5));
            let sent: Result<(), _> = menu.method_call(
                "com.canonical.dbusmenu",
                "Event",
                (entry.id, "clicked", Variant(0i32), 0u32),
            );
            match sent {
                Ok(()) => return,
                Err(e)
                    if Instant::now() < deadline
                        && e.message().is_some_and(|m| m.contains("does not refer")) =>
                {
                    std::thread::sleep(Duration::from_millis(50))
                }
                Err(e) => panic!("the click on {label:?} is delivered: {e}"),
            }
        }
    }
}

/// One `(ia{sv}av)` layout node: its id, label and whether it is enabled.
fn entry(node: &dyn RefArg) -> Option<MenuEntry> {
    let mut fields = node.as_iter()?;
    let id = i32::try_from(fields.next()?.as_i64()?).ok()?;
    let props = fields.next()?;
    let (mut label, mut enabled, mut separator) = (String::new(), true, false);
    let mut pairs = props.as_iter()?;
    while let (Some(key), Some(value)) = (pairs.next(), pairs.next()) {
        match key.as_str()? {
            "label" => label = value.as_str().unwrap_or_default().replace('_', ""),
            "enabled" => enabled = value.as_i64() != Some(0),
            "type" => separator = value.as_str() == Some("separator"),
            _ => {}
        }
    }
    Some(MenuEntry { id, label, enabled, separator })
}
