//! A computer for the sync tests: a sandbox (data directory, keychain
//! service) driven through `twofold-cli`, on the suite's D-Bus session or
//! on one of its own (inside a private network the suite's is out of reach).
//! Each test binary that includes it uses a part of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

use twofold_testkit::bus::PrivateBus;
use twofold_testkit::Sandbox;

const CLI: &str = env!("CARGO_BIN_EXE_twofold-cli");
pub const PASS: &str = "a sync passphrase for tests";

pub struct Computer {
    pub sandbox: Sandbox,
    bus: Option<PrivateBus>,
}

impl Computer {
    /// On the suite's Secret Service (`scripts/test-session`).
    pub fn new(family: &str, test: &str) -> Self {
        assert!(
            std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
            "needs a Secret Service: run under scripts/test-session"
        );
        Self { sandbox: Sandbox::new(family, test), bus: None }
    }

    /// With a D-Bus session and gnome-keyring of its own.
    pub fn with_own_keyring(family: &str, test: &str) -> Self {
        Self { sandbox: Sandbox::new(family, test), bus: Some(PrivateBus::start()) }
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let env = self.sandbox.env();
        let env = match &self.bus {
            Some(bus) => bus.env(env),
            None => env,
        };
        let mut command = Command::new(CLI);
        command.args(args).envs(env).stdin(Stdio::null());
        command
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("runs")
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf-8")
    }

    pub fn enable(&self, folder: &Path, name: &str) -> String {
        let pass = self.sandbox.file("sync-pass", format!("{PASS}\n").as_bytes());
        let folder = folder.to_str().expect("path");
        self.ok(&["sync", "enable", "--folder", folder, "--passphrase-file", &pass, "--name", name])
    }

    fn list(&self) -> Vec<serde_json::Value> {
        let list: serde_json::Value = serde_json::from_str(&self.ok(&["list", "--json"])).expect("json");
        list.as_array().cloned().expect("a list")
    }

    /// Every account as "issuer:name", sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .list()
            .iter()
            .map(|a| format!("{}:{}", a["issuer"].as_str().unwrap_or(""), a["name"].as_str().unwrap_or("")))
            .collect();
        names.sort();
        names
    }

    pub fn pinned(&self, issuer: &str) -> bool {
        self.list().iter().any(|a| a["issuer"] == issuer && a["pinned"] == true)
    }

    pub fn conflicts(&self) -> Vec<serde_json::Value> {
        let out = self.ok(&["sync", "conflicts", "--json"]);
        serde_json::from_str::<serde_json::Value>(&out).expect("json").as_array().cloned().unwrap_or_default()
    }
}
