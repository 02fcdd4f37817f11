//! A D-Bus session of a test's own, with gnome-keyring's Secret Service on
//! it, for a test that needs something only one client on a bus can hold
//! (the desktop's tray: the StatusNotifierWatcher name), or does something
//! to the keyring no other test should feel (stopping it). On the suite's
//! shared bus, a watcher one test started would give every app started
//! after it a tray, and closing its window would then hide it instead of
//! quitting: the result of a test would depend on which ran first.
//!
//! The daemon listens on a socket file in the bus's own directory, never
//! an abstract socket: abstract sockets belong to a network namespace, so
//! a bus on one would be out of reach from a test in a private network
//! (`netns`), or from outside it for a bus started inside one.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use dbus::blocking::Connection;

pub struct PrivateBus {
    daemon: Child,
    keyring: Option<Child>,
    address: String,
    dir: tempfile::TempDir,
}

impl PrivateBus {
    /// A bus with nothing on it: a stand-in for the system bus, where a
    /// test plays logind (`DBUS_SYSTEM_BUS_ADDRESS`, [`PrivateBus::address`]).
    pub fn bare() -> PrivateBus {
        let dir = tempfile::tempdir().expect("a directory for the bus");
        let (daemon, address) = daemon(dir.path());
        PrivateBus { daemon, keyring: None, address, dir }
    }

    /// The bus's address, for `DBUS_*_BUS_ADDRESS` and `dbus-send --bus`.
    pub fn address(&self) -> &str {
        &self.address
    }

    pub fn start() -> PrivateBus {
        let dir = tempfile::tempdir().expect("a directory for the bus");
        let (daemon, address) = daemon(dir.path());
        // The session's runtime directory, made private by `daemon` as a
        // login session's is.
        let runtime = dir.path().join("runtime");
        std::fs::create_dir_all(dir.path().join("data")).expect("data dir");
        // In the foreground, so it ends with the test; unlocked with a
        // throwaway password read from stdin (an empty one makes no keyring).
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .env("XDG_RUNTIME_DIR", &runtime)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon runs (installed by `make test`)");
        keyring.stdin.take().expect("stdin").write_all(b"twofold-test-keyring").expect("the password");
        let bus = PrivateBus { daemon, keyring: Some(keyring), address, dir };
        bus.wait_for_name("org.freedesktop.secrets");
        bus
    }

    /// The keyring daemon's process id (to stop and continue it).
    pub fn keyring_pid(&self) -> u32 {
        self.keyring.as_ref().expect("a bus with a keyring").id()
    }

    /// A new connection to this bus.
    pub fn connect(&self) -> Connection {
        let mut channel = dbus::channel::Channel::open_private(&self.address).expect("the test's bus");
        channel.register().expect("registered on the test's bus");
        Connection::from(channel)
    }

    /// Waits until `name` has an owner on this bus.
    pub fn wait_for_name(&self, name: &str) {
        let bus = self.connect();
        let proxy = bus.with_proxy("org.freedesktop.DBus", "/org/freedesktop/DBus", Duration::from_secs(5));
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let owned: Result<(bool,), _> =
                proxy.method_call("org.freedesktop.DBus", "NameHasOwner", (name,));
            match owned {
                Ok((true,)) => return,
                seen if Instant::now() > deadline => {
                    panic!("{name} never appeared on the test's bus: {seen:?}")
                }
                _ => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }

    /// `env` with the session bus (and the keyring's runtime directory) here.
    pub fn env(&self, env: Vec<(&'static str, String)>) -> Vec<(&'static str, String)> {
        let mut env: Vec<_> = env
            .into_iter()
            .filter(|(k, _)| !matches!(*k, "DBUS_SESSION_BUS_ADDRESS" | "XDG_RUNTIME_DIR"))
            .collect();
        env.push(("DBUS_SESSION_BUS_ADDRESS", self.address.clone()));
        env.push(("XDG_RUNTIME_DIR", self.dir.path().join("runtime").to_string_lossy().into_owned()));
        env
    }
}

impl Drop for PrivateBus {
    fn drop(&mut self) {
        for child in self.keyring.iter_mut().chain(std::iter::once(&mut self.daemon)) {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A new dbus-daemon, listening on a socket file in `dir`, and its address.
fn daemon(dir: &Path) -> (Child, String) {
    // What the bus starts on demand (the accessibility bus launcher) keeps
    // its sockets under XDG_RUNTIME_DIR, else ~/.cache named by display
    // number: shared by every test, where a launcher ending after one test
    // removed the socket of the next test's launcher on the same display.
    let runtime = dir.join("runtime");
    std::fs::create_dir_all(&runtime).expect("runtime dir");
    std::fs::set_permissions(&runtime, std::os::unix::fs::PermissionsExt::from_mode(0o700))
        .expect("runtime dir private");
    // `--address` replaces the session configuration's `unix:tmpdir=/tmp`,
    // which some dbus versions make an abstract socket (see the module's
    // header); `unix:dir=` always names a file. It also keeps a killed
    // daemon's socket out of /tmp: it goes with the bus's directory.
    let mut daemon = Command::new("dbus-daemon")
        .args(["--session", "--nofork", "--nopidfile", "--print-address=1"])
        .arg(format!("--address=unix:dir={}", dir.display()))
        .env("XDG_RUNTIME_DIR", &runtime)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("dbus-daemon runs (installed by `make test`)");
    let mut address = String::new();
    BufReader::new(daemon.stdout.take().expect("stdout")).read_line(&mut address).expect("its address");
    (daemon, address.trim().to_owned())
}
