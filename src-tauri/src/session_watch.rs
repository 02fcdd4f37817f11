//! Locks Twofold (when its app lock is on) as the desktop session locks or
//! the screen saver starts: a person who locks the screen expects their
//! codes locked too.
//!
//! Linux: the screen savers' `ActiveChanged` signal on the session bus
//! (`org.freedesktop.ScreenSaver`, KDE and others; `org.gnome.ScreenSaver`,
//! GNOME), logind's `Lock` signal for this session on the system bus, and
//! logind's `PrepareForSleep`: a laptop put to sleep wakes up locked, where
//! the idle time (counted while awake) would show the codes on resume.
//! Each listener is a thread blocked on its bus: nothing runs until a
//! signal arrives. Windows and macOS: not yet watched (their session
//! notifications need a window-message hook and a distributed
//! notification observer); the idle time and the lock button still apply.

/// Runs `on_lock` each time the session locks or the screen saver starts
/// (`actions::lock_now`).
#[cfg(target_os = "linux")]
pub fn watch(on_lock: impl Fn() + Clone + Send + 'static) {
    linux::screen_savers(on_lock.clone());
    linux::logind(on_lock);
}

#[cfg(not(target_os = "linux"))]
pub fn watch(on_lock: impl Fn() + Clone + Send + 'static) {
    let _ = on_lock;
}

#[cfg(target_os = "linux")]
mod linux {
    use std::time::Duration;

    use dbus::blocking::Connection;
    use dbus::message::MatchRule;

    /// Serves a bus's signals for as long as the connection lives.
    fn serve(connection: &Connection) {
        while connection.process(Duration::from_secs(3600)).is_ok() {}
    }

    pub fn screen_savers(on_lock: impl Fn() + Clone + Send + 'static) {
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

    pub fn logind(on_lock: impl Fn() + Clone + Send + 'static) {
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
            let session: Result<(dbus::Path<'static>,), _> = manager.method_call(
                "org.freedesktop.login1.Manager",
                "GetSessionByPID",
                (std::process::id(),),
            );
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
}
