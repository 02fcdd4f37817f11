//! Two real Syncthing instances (Debian's `syncthing`, 1.19) keeping one
//! folder in step over loopback, for tests of what Twofold does with a
//! vault in a synced folder.
//!
//! Syncthing is a networked tool, so a test runs it in a private network
//! ([`crate::netns`]); [`SyncthingPair::start`] refuses to run anywhere else.
//!
//! ```no_run
//! use twofold_testkit::{netns, syncthing::SyncthingPair};
//!
//! #[test]
//! fn vaults_meet() {
//!     if !netns::in_private_network("vaults_meet") {
//!         return;
//!     }
//!     let a = tempfile::tempdir().expect("a's folder");
//!     let b = tempfile::tempdir().expect("b's folder");
//!     let mut pair = SyncthingPair::start(a.path(), b.path());
//!     pair.wait_connected();
//!     std::fs::write(a.path().join("vault"), b"...").expect("write on a");
//!     pair.a().scan(); // or let the watcher find it, within a second or so
//!     pair.wait_for("the vault on b", || {
//!         std::fs::read(b.path().join("vault")).map_err(|e| e.to_string())
//!     });
//!     pair.wait_in_sync();
//!     pair.a().pause_device_of_other(); // a's changes stay on a
//!     pair.a().resume();
//!     pair.a_mut().kill(); // as a crash would
//!     pair.a_mut().restart();
//! }
//! ```
//!
//! Each instance gets a home of its own (keys, configuration, database, and
//! `syncthing.log`, whose tail every failure message shows), the REST API
//! on a free loopback port with a known key, and a sync port of its own;
//! each knows the other at its loopback address, and both share the folder
//! [`FOLDER`]. Discovery (global and local), relays, NAT traversal, STUN,
//! upgrades, crash and usage reporting are all off, and checked off once
//! running. Every wait polls what Syncthing reports, up to [`DEADLINE`],
//! and when it gives up says what it last saw.
//!
//! Syncthing keeps its marker directory `.stfolder` in each folder (made
//! here if missing) and may leave `.syncthing.*.tmp` files while pulling.

use std::fs::File;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::http;

/// The shared folder's id.
pub const FOLDER: &str = "twofold";
/// How long a wait lasts before it fails: far beyond what a healthy pair
/// needs (a second or two), so only a real fault, not a loaded machine,
/// runs it out.
pub const DEADLINE: Duration = Duration::from_secs(60);
const POLL: Duration = Duration::from_millis(100);
/// How much of each log a failure message shows.
const LOG_LINES: usize = 60;

/// One running Syncthing.
pub struct Syncthing {
    name: &'static str,
    /// In a mutex so a wait, which borrows the instance shared, can still
    /// ask whether the process is alive.
    child: Mutex<Child>,
    /// False after [`Syncthing::kill`], until [`Syncthing::restart`].
    running: bool,
    home: tempfile::TempDir,
    folder: PathBuf,
    api_key: String,
    gui: SocketAddr,
    sync_port: u16,
    id: String,
    peer_id: String,
    /// The other's address in its configuration: `tcp://127.0.0.1:<port>`
    /// on the side that dials, `dynamic` on the other.
    peer_address: String,
}

/// Two instances, `a` and `b`, sharing [`FOLDER`]. Dropping it kills both.
pub struct SyncthingPair {
    a: Syncthing,
    b: Syncthing,
}

impl SyncthingPair {
    /// Starts `a` on `folder_a` and `b` on `folder_b` (made if missing),
    /// and returns once both answer on their REST API with the settings
    /// asked for. They may not be connected yet: [`Self::wait_connected`].
    pub fn start(folder_a: &Path, folder_b: &Path) -> SyncthingPair {
        // Free ports are picked by binding port 0 and letting go; in a
        // private network nobody else can take them in between.
        crate::netns::assert_isolated();
        let (home_a, id_a) = generate("a");
        let (home_b, id_b) = generate("b");
        let [gui_a, sync_a, gui_b, sync_b] = free_ports();
        // Only b dials. When both did, each side's outgoing connection and
        // the other's incoming one now and then waited on each other in
        // the Hello exchange (1.19 handles a device's connections one at a
        // time) until its 20 s timeout: 4 starts in 20 connected only then.
        let a = Setup {
            name: "a",
            home: home_a,
            id: id_a,
            folder: folder_a,
            gui: gui_a,
            sync: sync_a,
            dials: false,
        };
        let b = Setup {
            name: "b",
            home: home_b,
            id: id_b,
            folder: folder_b,
            gui: gui_b,
            sync: sync_b,
            dials: true,
        };
        a.write_config(&b);
        b.write_config(&a);
        let (peer_of_a, peer_of_b) = ((b.id.clone(), a.peer_address(&b)), (a.id.clone(), b.peer_address(&a)));
        // a listening before b starts: b dials at once then, where a dial
        // that fails waits a redial interval (5 s) for the next.
        let a = a.launch(peer_of_a);
        a.wait_ready();
        let b = b.launch(peer_of_b);
        b.wait_ready();
        SyncthingPair { a, b }
    }

    pub fn a(&self) -> &Syncthing {
        &self.a
    }

    pub fn b(&self) -> &Syncthing {
        &self.b
    }

    /// For [`Syncthing::kill`] and [`Syncthing::restart`].
    pub fn a_mut(&mut self) -> &mut Syncthing {
        &mut self.a
    }

    pub fn b_mut(&mut self) -> &mut Syncthing {
        &mut self.b
    }

    /// Polls `check` until it returns Ok, and returns its value; `check`
    /// returns Err with what it saw, which the failure message shows, with
    /// both logs, if [`DEADLINE`] passes or an instance dies.
    pub fn wait_for<T>(&self, description: &str, check: impl FnMut() -> Result<T, String>) -> T {
        poll(description, &[&self.a, &self.b], check)
    }

    /// Waits until each side reports the other connected.
    pub fn wait_connected(&self) {
        self.wait_for("a and b connected to each other", || {
            let a = self.a.is_connected()?;
            let b = self.b.is_connected()?;
            if a && b {
                Ok(())
            } else {
                Err(format!("a sees b connected: {a}; b sees a connected: {b}"))
            }
        });
    }

    /// Waits until the pair has nothing left to do: connected; each side's
    /// folder idle, needing nothing, with no errors; each side reporting
    /// the other 100% complete; both seeing the same global state. What
    /// neither has scanned yet it cannot know of: call [`Syncthing::scan`]
    /// after writing to a folder, or wait for the change on the other side.
    pub fn wait_in_sync(&self) {
        self.wait_for("a and b in sync", || {
            let a = self.a.settled()?;
            let b = self.b.settled()?;
            let global = |status: &Value| (status["globalFiles"].clone(), status["globalBytes"].clone());
            if global(&a) == global(&b) {
                Ok(())
            } else {
                Err(format!("settled, but the global states differ: a {a}, b {b}"))
            }
        });
    }
}

/// One instance before it runs.
struct Setup<'f> {
    name: &'static str,
    home: tempfile::TempDir,
    id: String,
    folder: &'f Path,
    gui: u16,
    sync: u16,
    /// Whether it knows the other's address and connects to it; if not,
    /// it waits for the other to connect.
    dials: bool,
}

impl Setup<'_> {
    fn api_key(&self) -> String {
        format!("twofold-test-{}-{}", self.name, self.gui)
    }

    /// The whole configuration, written out rather than patched into the
    /// generated one: every setting that matters is here to read. Options
    /// left out take Syncthing's defaults; a folder's fields do not (1.19
    /// reads a missing one as zero), so the folder lists them all, as
    /// `syncthing generate` writes its default folder.
    fn write_config(&self, peer: &Setup) {
        std::fs::create_dir_all(self.folder.join(".stfolder"))
            .unwrap_or_else(|e| panic!("make the folder {} and its marker: {e}", self.folder.display()));
        let folder = xml_escape(&self.folder.to_string_lossy());
        let (me, other, name, other_name) = (&self.id, &peer.id, self.name, peer.name);
        let (gui, sync, key, other_address) = (self.gui, self.sync, self.api_key(), self.peer_address(peer));
        let config = format!(
            r#"<configuration version="36">
    <folder id="{FOLDER}" label="{FOLDER}" path="{folder}" type="sendreceive" rescanIntervalS="5" fsWatcherEnabled="true" fsWatcherDelayS="1" ignorePerms="false" autoNormalize="true">
        <filesystemType>basic</filesystemType>
        <device id="{me}" introducedBy=""></device>
        <device id="{other}" introducedBy=""></device>
        <minDiskFree unit="%">0</minDiskFree>
        <versioning>
            <cleanupIntervalS>3600</cleanupIntervalS>
            <fsPath></fsPath>
            <fsType>basic</fsType>
        </versioning>
        <copiers>0</copiers>
        <pullerMaxPendingKiB>0</pullerMaxPendingKiB>
        <hashers>0</hashers>
        <order>random</order>
        <ignoreDelete>false</ignoreDelete>
        <scanProgressIntervalS>0</scanProgressIntervalS>
        <pullerPauseS>0</pullerPauseS>
        <maxConflicts>10</maxConflicts>
        <disableSparseFiles>false</disableSparseFiles>
        <disableTempIndexes>false</disableTempIndexes>
        <paused>false</paused>
        <weakHashThresholdPct>25</weakHashThresholdPct>
        <markerName>.stfolder</markerName>
        <copyOwnershipFromParent>false</copyOwnershipFromParent>
        <modTimeWindowS>0</modTimeWindowS>
        <maxConcurrentWrites>2</maxConcurrentWrites>
        <disableFsync>false</disableFsync>
        <blockPullOrder>standard</blockPullOrder>
        <copyRangeMethod>standard</copyRangeMethod>
        <caseSensitiveFS>false</caseSensitiveFS>
        <junctionsAsDirs>false</junctionsAsDirs>
    </folder>
    <device id="{me}" name="{name}" compression="metadata" introducer="false" skipIntroductionRemovals="false" introducedBy="">
        <address>dynamic</address>
        <paused>false</paused>
        <autoAcceptFolders>false</autoAcceptFolders>
    </device>
    <device id="{other}" name="{other_name}" compression="metadata" introducer="false" skipIntroductionRemovals="false" introducedBy="">
        <address>{other_address}</address>
        <paused>false</paused>
        <autoAcceptFolders>false</autoAcceptFolders>
    </device>
    <gui enabled="true" tls="false" debugging="false">
        <address>127.0.0.1:{gui}</address>
        <apikey>{key}</apikey>
        <theme>default</theme>
    </gui>
    <options>
        <listenAddress>tcp://127.0.0.1:{sync}</listenAddress>
        <globalAnnounceEnabled>false</globalAnnounceEnabled>
        <localAnnounceEnabled>false</localAnnounceEnabled>
        <relaysEnabled>false</relaysEnabled>
        <natEnabled>false</natEnabled>
        <stunKeepaliveStartS>0</stunKeepaliveStartS>
        <announceLANAddresses>false</announceLANAddresses>
        <urAccepted>-1</urAccepted>
        <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
        <crashReportingEnabled>false</crashReportingEnabled>
        <startBrowser>false</startBrowser>
        <restartOnWakeup>false</restartOnWakeup>
        <reconnectionIntervalS>5</reconnectionIntervalS>
        <setLowPriority>false</setLowPriority>
        <minHomeDiskFree unit="%">0</minHomeDiskFree>
    </options>
</configuration>
"#
        );
        // 5 s is the shortest redial interval 1.19 takes. Low priority is
        // off so a busy machine slows Syncthing no more than the test; the
        // free-space floors are off so a full test disk is no sync fault.
        let path = self.home.path().join("config.xml");
        std::fs::write(&path, config).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// Where it looks for the other. "dynamic" is an address for discovery
    /// to find, and discovery is off: an instance never dials a device it
    /// knows only so.
    fn peer_address(&self, peer: &Setup) -> String {
        if self.dials {
            format!("tcp://127.0.0.1:{}", peer.sync)
        } else {
            "dynamic".to_owned()
        }
    }

    fn launch(self, (peer_id, peer_address): (String, String)) -> Syncthing {
        let api_key = self.api_key();
        Syncthing {
            name: self.name,
            child: Mutex::new(spawn(self.home.path())),
            running: true,
            folder: self.folder.to_path_buf(),
            api_key,
            gui: SocketAddr::from((Ipv4Addr::LOCALHOST, self.gui)),
            sync_port: self.sync,
            id: self.id,
            peer_id,
            peer_address,
            home: self.home,
        }
    }
}

/// A home with a fresh key pair, and the device id it makes.
fn generate(name: &str) -> (tempfile::TempDir, String) {
    let home = tempfile::Builder::new()
        .prefix(&format!("syncthing-{name}-"))
        .tempdir()
        .expect("a home directory for syncthing");
    let generated = Command::new("syncthing")
        .arg("generate")
        .arg(format!("--home={}", home.path().display()))
        .args(["--no-default-folder", "--skip-port-probing"])
        .stdin(Stdio::null())
        .output()
        .expect("run syncthing (scripts/install-deps test installs it)");
    assert!(
        generated.status.success(),
        "syncthing generate for {name}: {}\n{}{}",
        generated.status,
        String::from_utf8_lossy(&generated.stdout),
        String::from_utf8_lossy(&generated.stderr)
    );
    let id = Command::new("syncthing")
        .arg("serve")
        .arg(format!("--home={}", home.path().display()))
        .arg("--device-id")
        .stdin(Stdio::null())
        .output()
        .expect("run syncthing --device-id");
    let text = String::from_utf8_lossy(&id.stdout).trim().to_owned();
    // Eight groups of seven: "ABCDEFG-HIJKLMN-...".
    let well_formed = text.len() == 63 && text.split('-').all(|group| group.len() == 7);
    assert!(id.status.success() && well_formed, "syncthing --device-id for {name}: {}: {text:?}", id.status);
    (home, text)
}

/// Four distinct free loopback ports.
fn free_ports() -> [u16; 4] {
    // All held at once, so no two are the same.
    let listeners: Vec<TcpListener> =
        (0..4).map(|_| TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a free loopback port")).collect();
    let port = |i: usize| listeners[i].local_addr().expect("a listener's address").port();
    [port(0), port(1), port(2), port(3)]
}

/// `syncthing serve` on `home`, its output appended to `home/syncthing.log`.
fn spawn(home: &Path) -> Child {
    let log_path = home.join("syncthing.log");
    let log = File::options()
        .create(true)
        .append(true)
        .open(&log_path)
        .unwrap_or_else(|e| panic!("open {}: {e}", log_path.display()));
    let log_err = log.try_clone().expect("the log for stderr too");
    let mut command = Command::new("syncthing");
    command
        .arg("serve")
        .arg(format!("--home={}", home.display()))
        .args(["--no-browser", "--no-restart", "--no-upgrade", "--logflags=6"])
        // 1.19 starts a monitor process that runs Syncthing as its child
        // even with --no-restart; the variable the monitor sets for that
        // child makes this process Syncthing itself, so killing and reaping
        // it leaves nothing behind.
        .env("STMONITORED", "yes")
        .env("STNORESTART", "1")
        .env("STNOUPGRADE", "1")
        .env("STNODEFAULTFOLDER", "1")
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err);
    // Syncthing dials through a proxy named in these; there is none in a
    // private network.
    for proxy in ["all_proxy", "ALL_PROXY", "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"] {
        command.env_remove(proxy);
    }
    command.spawn().expect("start syncthing serve")
}

impl Syncthing {
    /// "a" or "b".
    pub fn name(&self) -> &str {
        self.name
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// The other instance's device id.
    pub fn peer_id(&self) -> &str {
        &self.peer_id
    }

    /// This instance's copy of the shared folder.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// The REST API's (and GUI's) address, plain HTTP.
    pub fn gui_address(&self) -> SocketAddr {
        self.gui
    }

    /// For the REST API's `X-API-Key` header.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The port it syncs on (`tcp://127.0.0.1:<port>`).
    pub fn sync_port(&self) -> u16 {
        self.sync_port
    }

    /// Everything it has logged.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.home.path().join("syncthing.log"))
            .unwrap_or_else(|e| format!("(no log: {e})"))
    }

    /// A REST call; Ok with the body (JSON, or a string when it is not) if
    /// the answer is 200, else Err saying what came back.
    pub fn rest(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let body = body.map(|body| body.to_string());
        let response = http::request(
            self.gui,
            method,
            path,
            &[("X-API-Key", &self.api_key)],
            body.as_deref().map(str::as_bytes),
        )?;
        if response.status != 200 {
            return Err(format!(
                "{method} {path} on {}: {}: {}",
                self.name,
                response.status,
                response.text().trim()
            ));
        }
        Ok(serde_json::from_slice(&response.body).unwrap_or_else(|_| Value::String(response.text())))
    }

    pub fn get(&self, path: &str) -> Result<Value, String> {
        self.rest("GET", path, None)
    }

    /// A REST call that must succeed now (the instance is up): a failure
    /// panics with the instance's log.
    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        self.rest(method, path, body).unwrap_or_else(|e| panic!("{e}\n{}", report(self)))
    }

    /// Polls `check` as [`SyncthingPair::wait_for`] does, showing this
    /// instance's log when it fails.
    pub fn wait_for<T>(&self, description: &str, check: impl FnMut() -> Result<T, String>) -> T {
        poll(description, &[self], check)
    }

    /// Scans the folder now; returns when the scan has finished (1.19's
    /// `/rest/db/scan` answers then), so what was on disk is indexed.
    pub fn scan(&self) {
        self.call("POST", &format!("/rest/db/scan?folder={FOLDER}"), None);
    }

    /// The folder's `/rest/db/status`.
    pub fn folder_status(&self) -> Result<Value, String> {
        self.get(&format!("/rest/db/status?folder={FOLDER}"))
    }

    /// `/rest/db/completion` of the other device: how much of the folder
    /// this instance believes the other has (`completion`, `needItems`).
    pub fn completion_of_other(&self) -> Result<Value, String> {
        self.get(&format!("/rest/db/completion?folder={FOLDER}&device={}", self.peer_id))
    }

    /// What this instance's index says of `name` (a path in the folder):
    /// `/rest/db/file`'s `local` (this side's copy: `size`, `deleted`, ...)
    /// and `global` (the newest any side has announced) records, or None
    /// if it knows nothing of it.
    pub fn file_info(&self, name: &str) -> Result<Option<Value>, String> {
        let path = format!("/rest/db/file?folder={FOLDER}&file={}", query_escape(name));
        let response = http::request(self.gui, "GET", &path, &[("X-API-Key", &self.api_key)], None)?;
        match response.status {
            200 => serde_json::from_slice(&response.body).map(Some).map_err(|e| format!("{path}: {e}")),
            404 => Ok(None),
            status => Err(format!("GET {path} on {}: {status}: {}", self.name, response.text().trim())),
        }
    }

    /// Whether it sees the other device connected now.
    pub fn is_connected(&self) -> Result<bool, String> {
        Ok(self.peer_connection()?["connected"] == Value::Bool(true))
    }

    /// `/rest/system/connections` for the other device.
    pub fn peer_connection(&self) -> Result<Value, String> {
        let connections = self.get("/rest/system/connections")?;
        Ok(connections["connections"][&self.peer_id].clone())
    }

    /// Pauses the other device here and returns once the connection to it
    /// is closed: from then on nothing this side has reaches the other, and
    /// nothing of the other's reaches this side, until [`Self::resume`].
    pub fn pause_device_of_other(&self) {
        self.call("POST", &format!("/rest/system/pause?device={}", self.peer_id), None);
        self.wait_for("the other device paused and disconnected", || {
            let connection = self.peer_connection()?;
            if connection["paused"] == Value::Bool(true) && connection["connected"] == Value::Bool(false) {
                Ok(())
            } else {
                Err(format!("connection to the other: {connection}"))
            }
        });
    }

    /// Resumes the other device here; they reconnect within a redial
    /// interval or so ([`SyncthingPair::wait_connected`]).
    pub fn resume(&self) {
        self.call("POST", &format!("/rest/system/resume?device={}", self.peer_id), None);
        self.wait_for("the other device resumed", || {
            let connection = self.peer_connection()?;
            if connection["paused"] == Value::Bool(false) {
                Ok(())
            } else {
                Err(format!("connection to the other: {connection}"))
            }
        });
    }

    /// SIGKILLs the process and reaps it, as a crash or power cut would end
    /// it. Its home (database, keys) stays for [`Self::restart`].
    pub fn kill(&mut self) {
        let child = self.child.get_mut().unwrap_or_else(|poisoned| poisoned.into_inner());
        // An error means it had already exited; wait reaps it either way.
        let _ = child.kill();
        child.wait().unwrap_or_else(|e| panic!("reap syncthing {}: {e}", self.name));
        self.running = false;
    }

    /// Starts it again on the same home (after [`Self::kill`]), and returns
    /// once its REST API answers.
    pub fn restart(&mut self) {
        if self.running {
            self.kill();
        }
        *self.child.get_mut().unwrap_or_else(|poisoned| poisoned.into_inner()) = spawn(self.home.path());
        self.running = true;
        self.wait_ready();
    }

    /// Waits until the REST API answers as this instance, then checks it
    /// runs with the settings written: that nothing reaches for the world.
    fn wait_ready(&self) {
        let listen = format!("tcp://127.0.0.1:{}", self.sync_port);
        self.wait_for("the REST API up and listening for the other", || {
            let status = self.get("/rest/system/status")?;
            let listener = &status["connectionServiceStatus"][&listen];
            let listening = listener["error"].is_null()
                && listener["lanAddresses"].as_array().is_some_and(|a| !a.is_empty());
            if status["myID"] == Value::String(self.id.clone()) && listening {
                Ok(())
            } else {
                Err(format!("status {status}"))
            }
        });
        let options = self.call("GET", "/rest/config/options", None);
        let expected = serde_json::json!({
            "listenAddresses": [listen],
            "globalAnnounceEnabled": false,
            "localAnnounceEnabled": false,
            "relaysEnabled": false,
            "natEnabled": false,
            "urAccepted": -1,
            "autoUpgradeIntervalH": 0,
            "crashReportingEnabled": false,
            "startBrowser": false,
        });
        for (key, want) in expected.as_object().expect("an object") {
            assert_eq!(
                &options[key],
                want,
                "syncthing {} runs with {key} = {}\n{}",
                self.name,
                options[key],
                report(self)
            );
        }
        let peer = self.call("GET", &format!("/rest/config/devices/{}", self.peer_id), None);
        assert_eq!(
            peer["addresses"],
            serde_json::json!([self.peer_address]),
            "syncthing {}'s address of the other\n{}",
            self.name,
            report(self)
        );
    }

    /// Ok with the folder status if this side has nothing left to do and
    /// believes the other has all of it; Err with what it sees otherwise.
    fn settled(&self) -> Result<Value, String> {
        let name = self.name;
        if !self.is_connected()? {
            return Err(format!("{name} does not see the other connected"));
        }
        let status = self.folder_status()?;
        let completion = self.completion_of_other()?;
        let idle = status["state"] == "idle"
            && status["needTotalItems"] == 0
            && status["errors"] == 0
            && status["pullErrors"] == 0;
        let complete = completion["completion"].as_f64() == Some(100.0)
            && completion["needItems"] == 0
            && completion["needDeletes"] == 0;
        if idle && complete {
            Ok(status)
        } else {
            Err(format!("{name}'s folder: {status}; {name}'s view of the other: {completion}"))
        }
    }

    /// The exit status if the process has ended though it should be
    /// running.
    fn died(&self) -> Option<ExitStatus> {
        if !self.running {
            return None;
        }
        let mut child = self.child.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        child.try_wait().ok().flatten()
    }
}

impl Drop for Syncthing {
    fn drop(&mut self) {
        if self.running {
            let child = self.child.get_mut().unwrap_or_else(|poisoned| poisoned.into_inner());
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Polls `check` every [`POLL`] until it is Ok, failing (with `instances`'
/// logs) when one of them dies or [`DEADLINE`] passes.
fn poll<T>(description: &str, instances: &[&Syncthing], mut check: impl FnMut() -> Result<T, String>) -> T {
    let start = Instant::now();
    loop {
        for instance in instances {
            if let Some(status) = instance.died() {
                panic!(
                    "syncthing {} exited ({status}) while waiting for {description}\n{}",
                    instance.name,
                    reports(instances)
                );
            }
        }
        let seen = match check() {
            Ok(value) => return value,
            Err(seen) => seen,
        };
        if start.elapsed() > DEADLINE {
            panic!(
                "gave up after {} s waiting for {description}; last saw: {seen}\n{}",
                DEADLINE.as_secs(),
                reports(instances)
            );
        }
        std::thread::sleep(POLL);
    }
}

fn reports(instances: &[&Syncthing]) -> String {
    instances.iter().map(|instance| report(instance)).collect::<Vec<_>>().join("\n")
}

/// Who an instance is and the end of its log, for a failure message.
fn report(instance: &Syncthing) -> String {
    let log = instance.log();
    let lines: Vec<&str> = log.lines().collect();
    let tail = lines[lines.len().saturating_sub(LOG_LINES)..].join("\n");
    format!(
        "--- syncthing {} ({}, REST http://{}, sync port {}, home {}), last {LOG_LINES} log lines:\n{tail}",
        instance.name,
        instance.id,
        instance.gui,
        instance.sync_port,
        instance.home.path().display()
    )
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Percent-encodes all but unreserved characters (RFC 3986), for a file
/// name in a query string.
fn query_escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
