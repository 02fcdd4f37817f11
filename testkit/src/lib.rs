//! What every Twofold test binary (core, CLI, window) needs and would
//! otherwise write again: a sandbox (a temporary data directory and a
//! keychain service of its own), the path of the shared corpus of other
//! apps' files, SNTP servers on loopback, QR codes drawn as a screen
//! shows them, and one set of test accounts (`accounts`); and, for tests
//! of vaults kept in step by Syncthing, a private network to run networked
//! tools in (`netns`) and a pair of real Syncthing instances (`syncthing`).
//! It depends on nothing of Twofold's, so it checks Twofold from the
//! outside.

pub mod accounts;
#[cfg(target_os = "linux")]
pub mod bus;
#[cfg(target_os = "linux")]
mod http;
#[cfg(target_os = "linux")]
pub mod netns;
mod qr;
pub mod sntp;
#[cfg(target_os = "linux")]
pub mod syncthing;

pub use qr::{qr_image, qr_modules};

use std::path::{Path, PathBuf};

/// `../shared/corpus/<rel>`, beside the repository. A missing corpus fails
/// loudly instead of skipping tests.
pub fn corpus(rel: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus").join(rel);
    assert!(
        path.exists(),
        "test corpus missing at {}: the shared corpus must sit beside the repository",
        path.display()
    );
    path
}

/// [`corpus`] as a string, for command lines.
pub fn corpus_arg(rel: &str) -> String {
    corpus(rel).to_string_lossy().into_owned()
}

pub fn read_json(rel: &str) -> serde_json::Value {
    let path = corpus(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {}: {e}", path.display()))
}

/// A fresh data directory and keychain service for one test, so tests
/// never see each other's vaults or the person's own.
pub struct Sandbox {
    dir: tempfile::TempDir,
    service: String,
}

impl Sandbox {
    /// `family` and `test` name the keychain service (with the process id),
    /// so a leftover entry says which test made it.
    pub fn new(family: &str, test: &str) -> Self {
        Self {
            dir: tempfile::tempdir().expect("tempdir"),
            service: format!("twofold-{family}-{}-{test}", std::process::id()),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// What `TWOFOLD_DATA_DIR` points at: the vault lives here.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// A file in the sandbox (outside the data directory).
    pub fn file(&self, name: &str, contents: &[u8]) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).expect("write test file");
        path.to_string_lossy().into_owned()
    }

    /// The environment a Twofold process runs in: this sandbox's vault and
    /// keychain, English, and a clock check that never leaves the machine
    /// (a closed loopback port).
    pub fn env(&self) -> Vec<(&'static str, String)> {
        let home = self.dir.path();
        vec![
            ("TWOFOLD_DATA_DIR", self.data_dir().to_string_lossy().into_owned()),
            ("TWOFOLD_KEYCHAIN_SERVICE", self.service.clone()),
            ("XDG_CONFIG_HOME", home.join("config").to_string_lossy().into_owned()),
            // The web view's own storage (the page's language, theme and
            // zoom in localStorage) is per test too: on the suite's shared
            // one, a zoom one test chose would be another test's window.
            ("XDG_DATA_HOME", home.join("share").to_string_lossy().into_owned()),
            ("XDG_CACHE_HOME", home.join("cache").to_string_lossy().into_owned()),
            ("LANG", "en_US.UTF-8".into()),
            ("TWOFOLD_TIME_SERVER", "127.0.0.1:9".into()),
        ]
    }
}
