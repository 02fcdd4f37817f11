//! A minimal W3C WebDriver client for driving the real Twofold window through
//! WebKitWebDriver, started with `TAURI_WEBVIEW_AUTOMATION=true` (Tauri
//! enables automation only then) and in its own process group, so tearing it
//! down also ends the app.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long a wait may last before the test fails: a backstop for a state
/// that never comes, never a pause.
pub const PATIENCE: Duration = Duration::from_secs(15);

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Driver {
    child: Child,
    base: String,
    session: String,
}

#[derive(Clone)]
pub struct Element(String);

impl Driver {
    /// Starts WebKitWebDriver and a session running the app binary with `env`.
    pub fn start(app: &Path, env: &[(&str, String)]) -> Driver {
        Self::start_with_args(app, env, &[])
    }

    /// [`Driver::start`], with command-line arguments for the app.
    pub fn start_with_args(app: &Path, env: &[(&str, String)], args: &[&str]) -> Driver {
        Self::launch(app, env, args, false)
    }

    /// [`Driver::start`] with GTK's accessibility bridge on, so the app
    /// registers on the accessibility bus of the session in `env` (as it
    /// does on a desktop with a screen reader).
    pub fn start_accessible(app: &Path, env: &[(&str, String)]) -> Driver {
        Self::launch(app, env, &[], true)
    }

    fn launch(app: &Path, env: &[(&str, String)], args: &[&str], accessible: bool) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().expect("addr").port();
        let mut command = Command::new("WebKitWebDriver");
        command
            .arg(format!("--port={port}"))
            // Tauri enables WebKit automation only with this set.
            .env("TAURI_WEBVIEW_AUTOMATION", "true");
        if accessible {
            command.env_remove("NO_AT_BRIDGE");
        } else {
            command.env("NO_AT_BRIDGE", "1");
        }
        command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, so teardown can kill the app with it.
            .process_group(0);
        for (key, value) in env {
            command.env(key, value);
        }
        let child = command.spawn().expect("WebKitWebDriver runs (installed by `make test`)");
        let base = format!("http://127.0.0.1:{port}");
        let mut driver = Driver { child, base, session: String::new() };
        driver.wait_ready();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "webkitgtk:browserOptions": {"binary": app.to_string_lossy(), "args": args}
        }}});
        // An app that exits at once (say, finding another instance) leaves
        // WebKitWebDriver waiting for it forever: fail the test instead.
        let response = ureq::post(&format!("{}/session", driver.base))
            .timeout(Duration::from_secs(60))
            .send_json(caps)
            .unwrap_or_else(|e| panic!("no WebDriver session (did the app start and stay?): {e}"));
        let response: Value = response.into_json().expect("JSON reply");
        driver.session = response["value"]["sessionId"].as_str().expect("session id").to_owned();
        driver
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if ureq::get(&format!("{}/status", self.base)).call().is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("WebKitWebDriver did not start");
    }

    fn request(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{}", self.base, path);
        let result = match body {
            Some(body) => ureq::request(method, &url).send_json(body),
            None => ureq::request(method, &url).call(),
        };
        match result {
            Ok(response) => response.into_json::<Value>().expect("JSON reply")["value"].take(),
            Err(ureq::Error::Status(code, response)) => {
                let text = response.into_string().unwrap_or_default();
                panic!("WebDriver {method} {path} failed with {code}: {text}")
            }
            Err(e) => panic!("WebDriver {method} {path} failed: {e}"),
        }
    }

    fn session_path(&self, rest: &str) -> String {
        format!("/session/{}{}", self.session, rest)
    }

    fn try_find(&self, css: &str) -> Option<Element> {
        let body = json!({"using": "css selector", "value": css});
        let url = format!("{}{}", self.base, self.session_path("/element"));
        match ureq::post(&url).send_json(body) {
            Ok(r) => {
                let v: Value = r.into_json().ok()?;
                Some(Element(v["value"][ELEMENT_KEY].as_str()?.to_owned()))
            }
            Err(_) => None,
        }
    }

    /// Waits up to 15 s for an element matching `css` that is displayed.
    pub fn find(&self, css: &str) -> Element {
        self.wait_until(&format!("a displayed {css}"), || self.try_find(css).filter(|e| self.displayed(e)))
    }

    /// Waits for an element matching `css` to exist (visible or not).
    pub fn find_present(&self, css: &str) -> Element {
        self.wait_until(&format!("an element {css}"), || self.try_find(css))
    }

    pub fn find_all(&self, css: &str) -> Vec<Element> {
        let body = json!({"using": "css selector", "value": css});
        let found = self.request("POST", &self.session_path("/elements"), Some(body));
        found
            .as_array()
            .map(|list| {
                list.iter().filter_map(|v| v[ELEMENT_KEY].as_str()).map(|id| Element(id.to_owned())).collect()
            })
            .unwrap_or_default()
    }

    /// Waits for `probe` to find what it looks for in the page. On giving
    /// up it says what the page showed then (see [`Driver::wait_for`]).
    pub fn wait_until<T>(&self, what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
        self.wait_for(what, || probe().ok_or_else(String::new))
    }

    /// Waits for `probe` to answer `Ok`; each `Err` says what it saw instead.
    /// Polls every 100 ms; after [`PATIENCE`] it fails, naming the last thing
    /// the probe saw, what the page showed and a screenshot of it. The
    /// patience is a backstop for a state that never comes, never a pause:
    /// nothing here sleeps for a state to arrive.
    pub fn wait_for<T>(&self, what: &str, mut probe: impl FnMut() -> Result<T, String>) -> T {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let seen = match probe() {
                Ok(found) => return found,
                Err(seen) => seen,
            };
            if Instant::now() > deadline {
                let test = std::thread::current().name().unwrap_or("test").replace("::", "-");
                let shot = self.try_screenshot(&format!("timeout-{test}"));
                let seen = if seen.is_empty() { String::new() } else { format!("\n  last saw: {seen}") };
                panic!(
                    "timed out after {} s waiting for {what}{seen}\n  the page: {}\n  screenshot: {shot}",
                    PATIENCE.as_secs(),
                    self.page_summary()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// What the page shows now, in a line: open dialogs, the toast, the start
    /// of its visible text (or why it could not be read).
    pub fn page_summary(&self) -> String {
        let script = "const open = [...document.querySelectorAll('dialog[open]')].map((d) => d.id || d.dataset.testid);\
                      const toast = document.querySelector('[data-testid=toast]');\
                      return JSON.stringify({dialogs: open, toast: toast && !toast.hidden ? toast.textContent : null,\
                                             text: document.body.innerText.replace(/\\s+/g, ' ').slice(0, 300)});";
        let url = format!("{}{}", self.base, self.session_path("/execute/sync"));
        match ureq::post(&url).send_json(json!({"script": script, "args": []})) {
            Ok(r) => r
                .into_json::<Value>()
                .ok()
                .and_then(|v| v["value"].as_str().map(str::to_owned))
                .unwrap_or_else(|| "(no answer)".into()),
            Err(e) => format!("(could not be read: {e})"),
        }
    }

    pub fn displayed(&self, e: &Element) -> bool {
        let url = format!("{}{}", self.base, self.session_path(&format!("/element/{}/displayed", e.0)));
        ureq::get(&url)
            .call()
            .ok()
            .and_then(|r| r.into_json::<Value>().ok())
            .and_then(|v| v["value"].as_bool())
            .unwrap_or(false)
    }

    pub fn click(&self, e: &Element) {
        self.request("POST", &self.session_path(&format!("/element/{}/click", e.0)), Some(json!({})));
    }

    pub fn send_keys(&self, e: &Element, text: &str) {
        self.request(
            "POST",
            &self.session_path(&format!("/element/{}/value", e.0)),
            Some(json!({"text": text})),
        );
    }

    /// Presses `keys` together (WebDriver key values: "\u{E009}" is Control)
    /// on whatever has the focus, as a keyboard would, then releases them.
    pub fn chord(&self, keys: &str) {
        let down = keys.chars().map(|k| json!({"type": "keyDown", "value": k.to_string()}));
        let up = keys.chars().rev().map(|k| json!({"type": "keyUp", "value": k.to_string()}));
        let actions = json!({"actions": [{"type": "key", "id": "keyboard", "actions": down.chain(up).collect::<Vec<_>>()}]});
        self.request("POST", &self.session_path("/actions"), Some(actions));
    }

    /// Moves the page's pointer to (x, y) in page pixels, pressing nothing.
    pub fn hover(&self, x: f64, y: f64) {
        let step = json!({"type": "pointerMove", "origin": "viewport", "x": x.round() as i64, "y": y.round() as i64, "duration": 0});
        let actions = json!({"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": [step]}]});
        self.request("POST", &self.session_path("/actions"), Some(actions));
    }

    /// Presses the mouse at `from` (page pixels), moves it to `to` in a few
    /// steps, and releases it there: a drag, as a person's hand makes it.
    pub fn drag(&self, from: (f64, f64), to: (f64, f64)) {
        let at = |(x, y): (f64, f64), duration: u64| json!({"type": "pointerMove", "origin": "viewport", "x": x.round() as i64, "y": y.round() as i64, "duration": duration});
        let mut steps = vec![at(from, 0), json!({"type": "pointerDown", "button": 0})];
        for i in 1..=5 {
            let f = f64::from(i) / 5.0;
            steps.push(at((from.0 + (to.0 - from.0) * f, from.1 + (to.1 - from.1) * f), 50));
        }
        steps.push(json!({"type": "pointerUp", "button": 0}));
        let actions = json!({"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": steps}]});
        self.request("POST", &self.session_path("/actions"), Some(actions));
    }

    /// What has the keyboard focus: its `data-testid`, or its tag name.
    pub fn focused(&self) -> String {
        let script = "const e = document.activeElement; return e.dataset.testid || e.tagName.toLowerCase()";
        self.execute(script).as_str().unwrap_or_default().to_owned()
    }

    pub fn text(&self, e: &Element) -> String {
        self.request("GET", &self.session_path(&format!("/element/{}/text", e.0)), None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The `textContent` of the first element matching `css` (waits for it).
    /// WebKit's "visible text" is empty for some laid-out spans, so text
    /// inside account rows is read from the DOM.
    pub fn dom_text(&self, css: &str) -> String {
        self.find_present(css);
        let script = format!(
            "return document.querySelector({}).textContent",
            serde_json::to_string(css).expect("css")
        );
        self.execute(&script).as_str().unwrap_or_default().to_owned()
    }

    pub fn property(&self, e: &Element, name: &str) -> Value {
        self.request("GET", &self.session_path(&format!("/element/{}/property/{name}", e.0)), None)
    }

    pub fn execute(&self, script: &str) -> Value {
        self.request("POST", &self.session_path("/execute/sync"), Some(json!({"script": script, "args": []})))
    }

    /// Runs `script`, which calls its last argument with the answer.
    pub fn execute_async(&self, script: &str) -> Value {
        self.request(
            "POST",
            &self.session_path("/execute/async"),
            Some(json!({"script": script, "args": []})),
        )
    }

    /// Every window of the app WebDriver can drive (their handles).
    pub fn windows(&self) -> Vec<String> {
        serde_json::from_value(self.request("GET", &self.session_path("/window/handles"), None))
            .unwrap_or_default()
    }

    /// Where this session's commands go from now on.
    pub fn switch_to(&self, handle: &str) {
        self.request("POST", &self.session_path("/window"), Some(json!({"handle": handle})));
    }

    /// The window this session's commands go to.
    pub fn current_window(&self) -> String {
        self.request("GET", &self.session_path("/window"), None).as_str().unwrap_or_default().to_owned()
    }

    /// Resizes the window (there is no window manager under Xvfb to maximize it).
    pub fn resize(&self, width: u32, height: u32) {
        let rect = json!({"x": 0, "y": 0, "width": width, "height": height});
        self.request("POST", &self.session_path("/window/rect"), Some(rect));
    }

    /// [`Driver::screenshot`] for a failing test: where it went, or why not.
    fn try_screenshot(&self, name: &str) -> String {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.screenshot(name))) {
            Ok(path) => path.display().to_string(),
            Err(_) => "(none: the window did not answer)".into(),
        }
    }

    /// Saves a PNG of the window under target/tmp/screenshots and returns its path.
    pub fn screenshot(&self, name: &str) -> PathBuf {
        // Screenshots show the last painted frame: let two frames pass first.
        let settle = "const done = arguments[arguments.length - 1];\
                      requestAnimationFrame(() => requestAnimationFrame(() => done(true)));";
        self.execute_async(settle);
        let encoded = self.request("GET", &self.session_path("/screenshot"), None);
        use base64::Engine;
        let png = base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().expect("base64 screenshot"))
            .expect("valid base64");
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        eprintln!("screenshot: {}", path.display());
        path
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = ureq::delete(&format!("{}/session/{}", self.base, self.session)).call();
        }
        // Kill the whole group (WebKitWebDriver and the app it started).
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
        let _ = self.child.wait();
        // The app dies a moment later than asked; until it has, it holds the
        // data directory's single-instance lock, and a test that starts the
        // app again would meet "already open".
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            let alive = Command::new("kill").args(["-0", "--", &group]).stderr(Stdio::null()).status();
            if !alive.is_ok_and(|s| s.success()) {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}
