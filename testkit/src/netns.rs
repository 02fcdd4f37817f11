//! A test that runs networked tools (Syncthing) runs them in a network of
//! its own, with nothing in it but loopback: whatever such a tool tries to
//! reach (discovery servers, relays, the upgrade server), it cannot leave
//! the machine, and two tests' tools cannot meet each other.
//!
//! A test asks for it first thing, and does its work only inside:
//!
//! ```no_run
//! #[test]
//! fn pair_syncs() {
//!     if !twofold_testkit::netns::in_private_network("pair_syncs") {
//!         return; // the run inside the private network passed
//!     }
//!     twofold_testkit::netns::assert_isolated();
//!     // ... the real work ...
//! }
//! ```
//!
//! Outside, [`in_private_network`] runs the same test binary again, only
//! this test (`--exact`), under `unshare` with a new network namespace
//! (loopback brought up) and a new PID namespace, and returns false once
//! that run has passed; inside (`TWOFOLD_PRIVATE_NETWORK` is set) it
//! returns true. The name passed must be the test's full name as the test
//! binary lists it (`module::test` for a test in a module).
//!
//! The PID namespace is there for cleanup: the test process is its first
//! process, and when it ends, however it ends, the kernel kills every
//! process it started. So `std::process::id()` is 1 inside.
//!
//! D-Bus: the session bus the suite inherits (`scripts/test-session`) may
//! listen on an abstract socket, and abstract sockets belong to a network
//! namespace: from inside, that bus is out of reach. A test that needs a
//! keyring inside starts its own there, [`crate::bus::PrivateBus::start`],
//! and hands its [`crate::bus::PrivateBus::env`] to what it runs.
//!
//! Root (as CI runs) may make a network namespace directly; anyone else
//! gets one inside a user namespace (`unshare -r`), where they are root.

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Set in the run inside the private network.
const INSIDE: &str = "TWOFOLD_PRIVATE_NETWORK";
/// A file the run inside makes when the test starts, so the run outside
/// knows the test ran at all: a misspelt name would otherwise match no
/// test, and the empty run would pass.
const STARTED: &str = "TWOFOLD_PRIVATE_NETWORK_STARTED";

/// True inside the private network: the caller does the test's work.
/// Outside, runs the test `test_name` of this binary inside one, panics
/// unless it passed, and returns false: the caller returns.
pub fn in_private_network(test_name: &str) -> bool {
    if std::env::var_os(INSIDE).is_some() {
        if let Some(started) = std::env::var_os(STARTED) {
            std::fs::write(&started, test_name).expect("mark the test as started inside the private network");
        }
        return true;
    }
    let exe = std::env::current_exe().expect("the path of the test binary");
    let unshare = unshare_args();
    let scratch = tempfile::tempdir().expect("a directory for the private run's marker");
    let started = scratch.path().join("started");
    // `sh` brings loopback up (a new namespace's is down), then becomes
    // the test binary, so the test process is the namespace's first.
    let status = Command::new("unshare")
        .args(&unshare)
        .args(["--", "sh", "-c", r#"ip link set lo up && exec "$@""#, "sh"])
        .arg(&exe)
        .args(["--exact", test_name, "--nocapture", "--test-threads", "1"])
        .env(INSIDE, "1")
        .env(STARTED, &started)
        .stdin(Stdio::null())
        .status()
        .expect("run unshare (util-linux)");
    assert!(
        status.success(),
        "the test {test_name} failed inside its private network (unshare {}): {status}; its output is above",
        unshare.join(" ")
    );
    assert_started(&started, test_name);
    false
}

fn assert_started(started: &Path, test_name: &str) {
    assert!(
        started.exists(),
        "the private run of {test_name} passed without running it: is {test_name:?} the test's full name \
         (as `<test binary> --list` prints it), and does the test call in_private_network first?"
    );
}

/// The `unshare` options that work here: a network namespace (and a PID
/// namespace, see the module's header), inside a user namespace if
/// nothing else is permitted. Each is tried on `true` first, so a test
/// failure is never mistaken for a missing permission.
fn unshare_args() -> Vec<&'static str> {
    let direct = ["--net", "--pid", "--fork", "--kill-child"];
    let user = ["--map-root-user", "--net", "--pid", "--fork", "--kill-child"];
    let mut refusals = Vec::new();
    for args in [&direct[..], &user[..]] {
        let probe = Command::new("unshare")
            .args(args)
            .args(["--", "ip", "link", "set", "lo", "up"])
            .stdin(Stdio::null())
            .output()
            .expect("run unshare (util-linux)");
        if probe.status.success() {
            return args.to_vec();
        }
        refusals.push(format!(
            "unshare {}: {}: {}",
            args.join(" "),
            probe.status,
            String::from_utf8_lossy(&probe.stderr).trim()
        ));
    }
    panic!(
        "cannot make a private network for the test: neither a network namespace nor a user \
         namespace is permitted here (run as root, or allow unprivileged user namespaces), and \
         `ip` (iproute2, scripts/install-deps test) must be installed:\n{}",
        refusals.join("\n")
    );
}

/// Panics unless this process is in a private network: `ip -o link` lists
/// loopback alone, up; a connection to loopback works; one to an address
/// off the machine fails at once for want of a route (outside, it would
/// be attempted).
pub fn assert_isolated() {
    assert!(
        std::env::var_os(INSIDE).is_some(),
        "not inside a private network: call netns::in_private_network first"
    );
    let links = Command::new("ip").args(["-o", "link"]).output().expect("run ip (iproute2)");
    assert!(links.status.success(), "ip -o link: {}", links.status);
    let links = String::from_utf8_lossy(&links.stdout).into_owned();
    // Each line: "1: lo: <LOOPBACK,UP,LOWER_UP> mtu ...".
    let names: Vec<&str> = links.lines().filter_map(|line| line.split(": ").nth(1)).collect();
    assert_eq!(names, ["lo"], "the private network has more than loopback:\n{links}");
    assert!(links.contains("<LOOPBACK,UP"), "loopback is down in the private network:\n{links}");

    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("listen on loopback");
    let address = listener.local_addr().expect("the loopback listener's address");
    TcpStream::connect_timeout(&address, Duration::from_secs(5)).expect("connect over loopback");

    // TEST-NET-1 (RFC 5737): an address nobody has, so even a broken
    // isolation would not reach anyone.
    let outside = SocketAddr::from((Ipv4Addr::new(192, 0, 2, 1), 9));
    match TcpStream::connect_timeout(&outside, Duration::from_secs(5)) {
        Err(e) if e.kind() == std::io::ErrorKind::NetworkUnreachable => {}
        other => panic!("{outside} should be unreachable from the private network, got {other:?}"),
    }
}
