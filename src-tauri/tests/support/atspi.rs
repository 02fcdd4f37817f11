//! The accessibility tree of the running window, read over AT-SPI by
//! `atspi_probe.py` (Debian's python3 with gi's Atspi, as Orca reads it),
//! one JSON answer per command.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub struct Probe {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

impl Probe {
    /// Starts the reader on the session bus at `bus` (where the app found
    /// the accessibility bus) and waits for the window's web document. A
    /// loaded machine can make libatspi give up on the accessibility bus
    /// at start ("Did not receive a reply"), which ends the reader before
    /// it answers: it is started again until it attaches (60 s at most).
    pub fn attach(bus: &str, display: &str) -> Probe {
        wait_for_accessibility_bus(bus);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let mut probe = Probe::start(bus, display);
            match probe.try_ask("attach") {
                Ok(attached) => {
                    assert_eq!(attached["ok"], true, "the window on the accessibility bus: {attached}");
                    return probe;
                }
                Err(why) => assert!(Instant::now() < deadline, "the reader never attached: {why}"),
            }
        }
    }

    fn start(bus: &str, display: &str) -> Probe {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/tests/support/atspi_probe.py");
        let mut child = Command::new("/usr/bin/python3")
            .arg(&script)
            .env("DBUS_SESSION_BUS_ADDRESS", bus)
            .env("DISPLAY", display)
            .env_remove("NO_AT_BRIDGE")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("Debian's python3 runs the AT-SPI reader (python3-gi, gir1.2-atspi-2.0: make test installs them)");
        let input = child.stdin.take().expect("stdin");
        let output = BufReader::new(child.stdout.take().expect("stdout"));
        Probe { child, input, output }
    }

    /// One command's answer (see `atspi_probe.py`).
    pub fn ask(&mut self, command: &str) -> Value {
        let answer = self.try_ask(command).unwrap_or_else(|why| panic!("{why}"));
        assert!(answer.get("error").is_none(), "the reader failed at {command}: {answer}");
        answer
    }

    /// The answer, or why there is none (the reader ended).
    fn try_ask(&mut self, command: &str) -> Result<Value, String> {
        writeln!(self.input, "{command}").map_err(|e| format!("the reader took no {command}: {e}"))?;
        let mut line = String::new();
        self.output.read_line(&mut line).map_err(|e| format!("the reader's answer to {command}: {e}"))?;
        serde_json::from_str(&line)
            .map_err(|e| format!("the reader's answer to {command} is not JSON ({e}): {line:?}"))
    }
}

impl Drop for Probe {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until the session's accessibility bus answers: libatspi aborts
/// the reader ("Couldn't connect to accessibility bus") when it starts
/// before the bus launcher, which D-Bus starts on demand, is listening.
fn wait_for_accessibility_bus(session: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut last = String::new();
    while Instant::now() < deadline {
        match accessibility_bus(session) {
            Ok(()) => return,
            Err(e) => last = e,
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the accessibility bus never answered: {last}");
}

/// Asks the session bus for the accessibility bus's address, and connects.
fn accessibility_bus(session: &str) -> Result<(), String> {
    let mut channel =
        dbus::channel::Channel::open_private(session).map_err(|e| format!("session bus: {e}"))?;
    channel.register().map_err(|e| format!("session bus: {e}"))?;
    let connection = dbus::blocking::Connection::from(channel);
    let launcher = connection.with_proxy("org.a11y.Bus", "/org/a11y/bus", Duration::from_secs(10));
    let (address,): (String,) =
        launcher.method_call("org.a11y.Bus", "GetAddress", ()).map_err(|e| format!("GetAddress: {e}"))?;
    let mut a11y = dbus::channel::Channel::open_private(&address).map_err(|e| format!("{address}: {e}"))?;
    a11y.register().map_err(|e| format!("{address}: {e}"))?;
    Ok(())
}
