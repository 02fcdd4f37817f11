//! Linux: the session's locks reach Twofold over D-Bus. The screen savers'
//! `ActiveChanged` signal on the session bus (`org.freedesktop.ScreenSaver`,
//! KDE and others; `org.gnome.ScreenSaver`, GNOME), logind's `Lock` signal
//! for this session on the system bus, and logind's `PrepareForSleep`: a
//! laptop put to sleep wakes up locked, where the idle time (counted while
//! awake) would show the codes on resume. Each listener is a thread blocked
//! on its bus: nothing runs until a signal arrives. No `unsafe` here: D-Bus
//! is reached through the `dbus` crate's safe API.

use std::time::Duration;

use dbus::blocking::Connection;
use dbus::message::MatchRule;

/// Runs `on_lock` each time the session locks, the screen saver starts or
/// the computer goes to sleep.
pub fn watch_session(on_lock: impl Fn() + Clone + Send + 'static) {
    screen_savers(on_lock.clone());
    logind(on_lock);
}

/// Serves a bus's signals for as long as the connection lives.
fn serve(connection: &Connection) {
    while connection.process(Duration::from_secs(3600)).is_ok() {}
}

fn screen_savers(on_lock: impl Fn() + Clone + Send + 'static) {
    std::thread::spawn(move || {
        let Ok(connection) = Connection::new_session() else { return };
        for interface in ["org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver"] {
            let on_lock = on_lock.clone();
            let rule = MatchRule::new_signal(interface, "ActiveChanged");
            let added = connection.add_match(rule, move |(active,): (bool,), _, _| {
                if active {
                    on_lock();
                }
                true
            });
            if added.is_err() {
                return;
            }
        }
        serve(&connection);
    });
}

fn logind(on_lock: impl Fn() + Clone + Send + 'static) {
    std::thread::spawn(move || {
        let Ok(connection) = Connection::new_system() else { return };
        let on_sleep = on_lock.clone();
        let sleep = MatchRule::new_signal("org.freedesktop.login1.Manager", "PrepareForSleep")
            .with_path("/org/freedesktop/login1");
        let sleeping = connection.add_match(sleep, move |(going,): (bool,), _, _| {
            if going {
                on_sleep();
            }
            true
        });
        let manager = connection.with_proxy(
            "org.freedesktop.login1",
            "/org/freedesktop/login1",
            Duration::from_secs(5),
        );
        let session: Result<(dbus::Path<'static>,), _> =
            manager.method_call("org.freedesktop.login1.Manager", "GetSessionByPID", (std::process::id(),));
        // Not in a logind session (a container, a test display): no
        // session lock to watch, sleep still.
        let locks = session.ok().map(|(session,)| {
            let rule = MatchRule::new_signal("org.freedesktop.login1.Session", "Lock").with_path(session);
            connection.add_match(rule, move |(): (), _, _| {
                on_lock();
                true
            })
        });
        if sleeping.is_ok() || locks.is_some_and(|added| added.is_ok()) {
            serve(&connection);
        }
    });
}

/// polkit's action for "Unlock with your system password", named after the
/// app's identifier and shipped in the packages
/// (`packaging/linux/app.twofold.desktop.policy`, `auth_self`).
pub const UNLOCK_ACTION: &str = "app.twofold.desktop.unlock";

/// How long the desktop's prompt may stay open before the question lapses.
const PROMPT_PATIENCE: Duration = Duration::from_secs(300);

/// Whether polkit can ask here (its authority is on the system bus): the
/// page then offers "Unlock with your system password".
pub fn system_unlock_kind() -> Option<&'static str> {
    let connection = Connection::new_system().ok()?;
    let bus = connection.with_proxy("org.freedesktop.DBus", "/org/freedesktop/DBus", Duration::from_secs(5));
    let (has,): (bool,) =
        bus.method_call("org.freedesktop.DBus", "NameHasOwner", ("org.freedesktop.PolicyKit1",)).ok()?;
    // polkitd is started on demand by the bus where it is not running yet.
    let (activatable,): (Vec<String>,) =
        bus.method_call("org.freedesktop.DBus", "ListActivatableNames", ()).unwrap_or_default();
    (has || activatable.iter().any(|n| n == "org.freedesktop.PolicyKit1")).then_some("system_password")
}

/// Asks polkit whether this process may [`UNLOCK_ACTION`], letting the
/// desktop's authentication agent ask for the person's own password. Blocks
/// until they answer (a command's blocking thread). `Err`: polkit cannot
/// be asked.
pub fn confirm_person() -> Result<twofold_core::app_lock::SystemAnswer, String> {
    use std::collections::HashMap;

    use dbus::arg::{PropMap, Variant};
    use twofold_core::app_lock::SystemAnswer;

    let connection = Connection::new_system().map_err(|e| format!("no system bus: {e}"))?;
    let authority = connection.with_proxy(
        "org.freedesktop.PolicyKit1",
        "/org/freedesktop/PolicyKit1/Authority",
        PROMPT_PATIENCE,
    );
    let (pid, start_time, uid) = this_process()?;
    let mut subject = PropMap::new();
    subject.insert("pid".into(), Variant(Box::new(pid)));
    subject.insert("start-time".into(), Variant(Box::new(start_time)));
    subject.insert("uid".into(), Variant(Box::new(uid)));
    /// polkit's `AllowUserInteraction`: the agent may ask the person.
    const ALLOW_USER_INTERACTION: u32 = 1;
    /// polkit's `AuthorizationResult`: authorized, a challenge, details.
    type Verdict = (bool, bool, HashMap<String, String>);
    let reply: Result<(Verdict,), _> = authority.method_call(
        "org.freedesktop.PolicyKit1.Authority",
        "CheckAuthorization",
        (
            ("unix-process", subject),
            UNLOCK_ACTION,
            HashMap::<String, String>::new(),
            ALLOW_USER_INTERACTION,
            "",
        ),
    );
    let ((authorized, challenge, details),) = reply.map_err(|e| format!("polkit did not answer: {e}"))?;
    Ok(if authorized {
        SystemAnswer::Confirmed
    } else if challenge {
        // Nobody was asked: no authentication agent runs in this session
        // (a bare window manager). The system cannot ask; nothing is counted.
        return Err("no polkit authentication agent is running".into());
    } else if details.get("polkit.dismissed").is_some_and(|v| v == "true") {
        SystemAnswer::Cancelled
    } else {
        SystemAnswer::Refused
    })
}

/// This process as polkit names a subject: its id, its start time (field 22
/// of /proc/self/stat, so a reused id is not mistaken for it) and its user.
fn this_process() -> Result<(u32, u64, i32), String> {
    use std::os::unix::fs::MetadataExt;
    let stat = std::fs::read_to_string("/proc/self/stat").map_err(|e| format!("/proc/self/stat: {e}"))?;
    // The command name (field 2) may hold spaces: count after its ")".
    let after = stat.rsplit_once(')').map(|(_, rest)| rest).ok_or("/proc/self/stat has no command name")?;
    let start_time = after
        .split_whitespace()
        .nth(19)
        .and_then(|f| f.parse().ok())
        .ok_or("/proc/self/stat has no start time")?;
    let uid = std::fs::metadata("/proc/self").map_err(|e| format!("/proc/self: {e}"))?.uid();
    Ok((std::process::id(), start_time, i32::try_from(uid).map_err(|_| "a user id past i32")?))
}
