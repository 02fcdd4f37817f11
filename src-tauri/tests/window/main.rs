//! End-to-end tests of the REAL app window under Xvfb, driven through
//! WebKitWebDriver. `make test` provides the display, a D-Bus session and an
//! unlocked Secret Service (scripts/test-session). One binary, one module
//! per area; what the areas share (the desk, waits, fixtures) is here.

#[path = "../support/mod.rs"]
mod support;

mod a11y;
mod accounts;
mod atspi;
mod backups;
mod enroll;
mod lock;
mod opening;
mod organise;
mod recovery;
mod sync;
mod system_unlock;
mod transfer;
mod tray;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use support::native::PrivateDisplay;
use support::tray_host::{self, TrayHost};
use support::webdriver::Driver;
use twofold_core::{unix_now, vault, OtpauthUri};
use twofold_testkit::bus::PrivateBus;
use twofold_testkit::sntp::{self, Reply};
use twofold_testkit::{corpus, Sandbox};

const APP: &str = env!("CARGO_BIN_EXE_twofold");

const URI: &str = "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example";

/// One test's world: a fresh vault directory and keychain service, and an X
/// display of its own. Tests run in parallel, and the clipboard and keyboard
/// focus belong to the X server: on a shared display one test's copy or
/// paste lands in another's (a pasted screenshot became another test's link).
struct Desk {
    sandbox: Sandbox,
    display: PrivateDisplay,
    /// A bus of its own, for a test with a tray (`sandbox_with_tray`).
    bus: Option<PrivateBus>,
}

fn sandbox(test: &str) -> Desk {
    Desk { sandbox: Sandbox::new("window", test), display: PrivateDisplay::start(), bus: None }
}

/// A desk whose app finds a tray: a D-Bus session of its own (with its own
/// Secret Service) where [`Desk::tray`] serves the desktop's tray.
fn sandbox_with_tray(test: &str) -> Desk {
    Desk { bus: Some(PrivateBus::start()), ..sandbox(test) }
}

impl Desk {
    /// The sandbox's environment, on this test's own display (and bus).
    fn env(&self) -> Vec<(&'static str, String)> {
        let env = self.display.env(self.sandbox.env());
        match &self.bus {
            Some(bus) => bus.env(env),
            None => env,
        }
    }

    /// [`Desk::env`] with a home directory of its own (for what the app
    /// writes under $HOME: Documents, the login item under .config).
    fn env_with_home(&self) -> Vec<(&'static str, String)> {
        let home = self.sandbox.root().join("home");
        std::fs::create_dir_all(&home).expect("home");
        let mut env = self.env();
        env.push(("HOME", home.to_string_lossy().into_owned()));
        env
    }

    /// The desktop's tray on this desk's bus; start it before the app.
    fn tray(&self) -> TrayHost<'_> {
        tray_host::host(self.bus.as_ref().expect("a desk made by sandbox_with_tray"))
    }
}

/// The vault directory and the rest of the sandbox (`env` above is the
/// display-aware one).
impl std::ops::Deref for Desk {
    type Target = Sandbox;
    fn deref(&self) -> &Sandbox {
        &self.sandbox
    }
}

fn vault_path(sandbox: &Sandbox) -> PathBuf {
    vault::path_in(&sandbox.data_dir())
}

/// Waits until the clock is well inside a 30 s period, so a code read now
/// and one computed now belong to the same period.
fn mid_period() -> u64 {
    loop {
        let now = unix_now();
        if (2..=26).contains(&(now % 30)) {
            return now;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// Waits until the next 30 s boundary is at most 5 s away and answers it,
/// so what the boundary brings (the next codes) comes within a wait's
/// patience.
fn next_boundary_soon() -> u64 {
    loop {
        let now = unix_now();
        let boundary = now - now % 30 + 30;
        if boundary - now <= 5 {
            return boundary;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

fn expected_code(now: u64) -> String {
    OtpauthUri::parse(URI).expect("test URI").otp.code_at(now).value
}

fn add_uri(driver: &Driver, uri: &str) {
    let before = driver.find_all("[data-testid=account]").len();
    driver.click(&driver.find("[data-testid=add-button]"));
    driver.send_keys(&driver.find("[data-testid=uri-input]"), uri);
    driver.click(&driver.find("[data-testid=add-submit]"));
    driver.wait_until("the new account", || {
        (driver.find_all("[data-testid=account]").len() == before + 1).then_some(())
    });
}

fn set_value(driver: &Driver, testid: &str, value: &str) {
    let script = format!(
        "const e = document.querySelector('[data-testid={testid}]'); e.value = {}; e.dispatchEvent(new Event('input'));",
        serde_json::to_string(value).expect("json")
    );
    driver.execute(&script);
}

const BUNDLE_PASS: &str = "new laptop, same accounts";

/// A second public test key (base32 of "abcdefghij").
const MAIL_URI: &str = "otpauth://totp/Mailbox:me?secret=MFRGGZDFMZTWQ2LK&issuer=Mailbox";

const URI_2: &str = "otpauth://hotp/Bank:alice?secret=GEZDGNBVGY3TQOJQ&counter=7";

/// Types a wrong passphrase into the field `field` and submits it with
/// `submit`; `error` must say so; then the `right` one, submitted.
fn wrong_then_right(driver: &Driver, field: &str, submit: &str, error: &str, right: &str) {
    driver.send_keys(&driver.find(&format!("[data-testid={field}]")), "not the passphrase at all");
    driver.click(&driver.find(&format!("[data-testid={submit}]")));
    driver.wait_until("the wrong passphrase said", || {
        (driver.dom_text(error) == "Wrong passphrase.").then_some(())
    });
    set_value(driver, field, right);
    driver.click(&driver.find(&format!("[data-testid={submit}]")));
}

/// Confirms the import preview, then waits for `accounts` rows with URI's
/// account first, showing the same code as computed here.
fn confirm_preview_and_see_the_code(driver: &Driver, accounts: usize) {
    driver.click(&driver.find("[data-testid=preview-confirm]"));
    driver.wait_until("the accounts in the list", || {
        (driver.find_all("[data-testid=account]").len() == accounts).then_some(())
    });
    let now = mid_period();
    let want = expected_code(now);
    driver.wait_until("the same code", || {
        (driver.dom_text("[data-testid=account-code]").replace(' ', "") == want).then_some(())
    });
}

/// A vault of `count` generated accounts, written before the window starts
/// ("Bulk" / "user0000"…, each with its own 20-byte key).
fn bulk_vault(sandbox: &Sandbox, count: u32) -> Vec<twofold_core::Account> {
    use twofold_core::{Account, Algorithm, Keychain, Kind, Otp, Secret};
    let keychain = Keychain::new(sandbox.service());
    let mut v = vault::open_or_create(&vault_path(sandbox), &keychain, None).expect("a keychain vault");
    let accounts: Vec<Account> = (0..count)
        .map(|i| {
            let key = Secret::from_bytes([i.to_be_bytes(), 0x5eed_u32.to_be_bytes()].concat().repeat(3))
                .expect("24-byte key");
            let otp = Otp::new(key, Algorithm::Sha1, 6, Kind::Totp { period: 30 }).expect("valid");
            Account::new("Bulk", format!("user{i:04}"), otp, 0)
        })
        .collect();
    v.add_all(accounts.clone()).expect("one save");
    accounts
}

const PIN: &str = "246813";

/// Calls a command as the page would (or a compromised page could), and
/// answers "ok" or the error's code.
fn invoke(driver: &Driver, command: &str, args: serde_json::Value) -> String {
    let script = format!(
        "return window.__TAURI__.core.invoke({}, {args}).then(() => 'ok', (e) => e.code)",
        serde_json::to_string(command).expect("json")
    );
    driver.execute(&script).as_str().unwrap_or_default().to_owned()
}

/// Reloads the page and waits for the new one. The reload is started after
/// the script has answered (a reload inside it can end the call with "no
/// such frame"), and the old page is marked, so nothing is mistaken for the
/// new one before the reload lands.
fn reload_page(driver: &Driver) {
    driver.execute("window.__oldPage = true; setTimeout(() => location.reload(), 0);");
    driver.wait_for("the page reloaded", || {
        let now = driver.execute("return [!window.__oldPage, document.readyState]");
        (now[0] == true && now[1] == "complete").then_some(()).ok_or(format!("new page, ready state: {now}"))
    });
}

/// The native question before backups start.
const TURN_ON: &str = "Turn on automatic backups?";

/// Turns backups on from Settings (left open) with `passphrase`, answering
/// Rust's own question, and waits until they are on.
fn turn_backups_on(driver: &Driver, display: &PrivateDisplay, passphrase: &str) {
    driver.click(&driver.find("[data-testid=settings-button]"));
    driver.send_keys(&driver.find("[data-testid=settings-backup-passphrase]"), passphrase);
    driver.send_keys(&driver.find("[data-testid=settings-backup-confirm]"), passphrase);
    driver.click(&driver.find("[data-testid=settings-backup-on]"));
    display.keys(TURN_ON, &["alt+t"]);
    driver.wait_until("backups on", || {
        driver.dom_text("[data-testid=settings-backup-status]").starts_with("On:").then_some(())
    });
}

fn turn_lock_on(driver: &Driver) {
    driver.click(&driver.find("[data-testid=settings-button]"));
    driver.send_keys(&driver.find("[data-testid=settings-lock-new]"), PIN);
    driver.send_keys(&driver.find("[data-testid=settings-lock-confirm]"), PIN);
    driver.click(&driver.find("[data-testid=settings-lock-set]"));
    driver.wait_until("the lock on", || {
        driver.dom_text("[data-testid=settings-lock-status]").starts_with("On:").then_some(())
    });
    driver.screenshot("23-settings-lock-on");
    driver.chord("\u{E00C}"); // Escape closes the dialog
    driver.wait_until("the settings closed", || driver.find_all("dialog[open]").is_empty().then_some(()));
}

fn unlock(driver: &Driver, passphrase: &str) {
    let field = driver.find("[data-testid=lock-passphrase]");
    set_value(driver, "lock-passphrase", "");
    driver.send_keys(&field, passphrase);
    driver.click(&driver.find("[data-testid=lock-submit]"));
}

fn uuid_of_first(sandbox: &Desk) -> String {
    let keychain = twofold_core::Keychain::new(sandbox.service());
    let v = vault::open_or_create(&vault_path(sandbox), &keychain, None).expect("open");
    v.accounts()[0].id.to_string()
}

/// Closes the main window as a person does with ×, until `done`. GTK
/// ignores a close while any widget of the window holds a grab, and
/// WebDriver's synthesised clicks can leave one for a moment: like a person
/// whose first click did nothing, it asks again each second.
fn close_until(driver: &Driver, display: &PrivateDisplay, what: &str, done: impl Fn() -> bool) {
    // As a hand on its way to the close button leaves the page: the pointer
    // WebDriver's clicks left over a control would keep its tooltip open,
    // and a close request sent while a tooltip was open went unanswered.
    driver.hover(2.0, 2.0);
    let mut polls = 0;
    driver.wait_for(what, || {
        if polls % 10 == 0 && display.has_window("Twofold") {
            display.close_window("Twofold");
        }
        polls += 1;
        done().then_some(()).ok_or_else(|| display.visible_windows())
    });
}

/// Waits for the window titled `title` to be on screen (`shown`) or gone.
fn wait_window(driver: &Driver, display: &PrivateDisplay, what: &str, title: &str, shown: bool) {
    driver.wait_for(what, || {
        (display.has_window(title) == shown).then_some(()).ok_or_else(|| display.visible_windows())
    });
}

/// A probe for `wait_for`: the clipboard holds `want`, or what it holds instead.
fn clipboard_is(display: &PrivateDisplay, want: &str) -> Result<(), String> {
    let held = display.clipboard();
    if held == want {
        Ok(())
    } else {
        Err(format!("the clipboard held {held:?}"))
    }
}

/// The issuers of the list's rows, top to bottom.
fn issuers(driver: &Driver) -> Vec<String> {
    let names = driver.execute(
        "return [...document.querySelectorAll('[data-testid=account-issuer]')].map((n) => n.textContent)",
    );
    serde_json::from_value(names).unwrap_or_default()
}

/// Runs the CLI built beside the app with this desk's environment.
fn cli(desk: &Desk, args: &[&str]) {
    let path = Path::new(APP).with_file_name("twofold-cli");
    assert!(path.exists(), "{} is built (cargo build -p twofold-cli)", path.display());
    let out =
        Command::new(&path).args(args).envs(desk.env()).stdin(Stdio::null()).output().expect("the CLI runs");
    assert!(out.status.success(), "twofold-cli {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}
