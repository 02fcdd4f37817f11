//! The accessibility tree of the running window, read over AT-SPI by
//! `atspi_probe.py` (Debian's python3 with gi's Atspi, as Orca reads it),
//! one JSON answer per command.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use serde_json::Value;

pub struct Probe {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

impl Probe {
    /// Starts the reader on the session bus at `bus` (where the app found
    /// the accessibility bus) and waits for the window's web document.
    pub fn attach(bus: &str, display: &str) -> Probe {
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
        let mut probe = Probe { child, input, output };
        let attached = probe.ask("attach");
        assert_eq!(attached["ok"], true, "the window on the accessibility bus: {attached}");
        probe
    }

    /// One command's answer (see `atspi_probe.py`).
    pub fn ask(&mut self, command: &str) -> Value {
        writeln!(self.input, "{command}").expect("the reader takes a command");
        let mut line = String::new();
        self.output.read_line(&mut line).expect("the reader answers");
        let answer: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("the reader's answer to {command} is JSON ({e}): {line:?}"));
        assert!(answer.get("error").is_none(), "the reader failed at {command}: {answer}");
        answer
    }
}

impl Drop for Probe {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
