//! Folder sync in the window (issue 25): turned on in Settings (the folder
//! picked in GTK's chooser, confirmed natively), a change from another
//! computer arriving while the window is open (the folder watched, no
//! button pressed), a conflict resolved in Settings, and a large removal
//! held until it is confirmed. The other computer is core's sync on a
//! vault and keychain service of its own, as `twofold-cli sync` runs it.

use super::*;
use twofold_core::sync;
use twofold_core::vault::keychain::Item;
use twofold_core::{Account, Keychain, Vault};

const SYNC_PASS: &str = "the sync passphrase for tests";

/// The other computer: a vault of its own in the sandbox.
struct Other {
    vault: Vault,
    keychain: Keychain,
}

impl Other {
    fn new(sandbox: &Sandbox) -> Self {
        let keychain = Keychain::new(format!("{}-other", sandbox.service()));
        let path = vault::path_in(&sandbox.root().join("other-computer"));
        let vault = vault::open_or_create(&path, &keychain, None).expect("the other computer's vault");
        Self { vault, keychain }
    }

    fn now_ms() -> u64 {
        unix_now() * 1000
    }

    fn round(&mut self) -> sync::Report {
        sync::round(&mut self.vault, &self.keychain, Self::now_ms(), false)
            .expect("a round on the other computer")
    }

    fn id_of(&self, issuer: &str) -> uuid::Uuid {
        self.vault.accounts().iter().find(|a| a.issuer == issuer).map(|a| a.id).expect(issuer)
    }
}

impl Drop for Other {
    fn drop(&mut self) {
        for item in [Item::VaultKey, Item::SyncKey] {
            let _ = self.keychain.delete(item, self.vault.id());
        }
    }
}

/// The issuers of the rows the list has laid out, read from the DOM (as
/// `Driver::dom_text` does: WebKit's visible text of a row's span can be empty).
fn names(driver: &Driver) -> Vec<String> {
    let script =
        "return [...document.querySelectorAll('[data-testid=account-issuer]')].map((e) => e.textContent)";
    let mut names: Vec<String> = driver
        .execute(script)
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn issue_25_sync_in_the_window_changes_arrive_conflicts_settle_removals_wait() {
    let desk = sandbox("sync");
    let env = desk.env_with_home();
    let folder = desk.root().join("Synced");
    std::fs::create_dir(&folder).expect("the synced folder");
    let mut other = Other::new(&desk);
    let mut accounts: Vec<Account> = twofold_testkit::accounts::many(6)
        .iter()
        .map(|u| Account::from_uri(OtpauthUri::parse(u).expect("uri"), 0))
        .collect();
    accounts[0].issuer = "Other".into();
    other.vault.add_all(accounts).expect("the other computer's accounts");
    sync::enable(&mut other.vault, &other.keychain, &folder, SYNC_PASS, "desk PC", Other::now_ms())
        .expect("sync on there");

    let driver = Driver::start(Path::new(APP), &env);
    driver.find("[data-testid=empty-state]");
    add_uri(&driver, URI);

    // Turned on in Settings: the chooser, then Rust's question.
    driver.click(&driver.find("[data-testid=settings-button]"));
    driver.find("[data-testid=settings-dialog]");
    assert!(driver.dom_text("[data-testid=settings-sync-status]").starts_with("Off."));
    set_value(&driver, "settings-sync-name", "laptop");
    driver.send_keys(&driver.find("[data-testid=settings-sync-passphrase]"), SYNC_PASS);
    driver.click(&driver.find("[data-testid=settings-sync-on]"));
    desk.display.choose_file("Choose the folder to sync through", folder.to_str().expect("path"));
    desk.display.keys("Sync through this folder?", &["alt+t"]);
    // The background round can show the status before the command that
    // turned sync on has returned (its busy overlay still up): done is when
    // the page has also cleared the passphrase, after the overlay went.
    driver.wait_for("sync on, with the other computer's accounts", || {
        let status = driver.dom_text("[data-testid=settings-sync-status]");
        let cleared = driver
            .execute("return document.querySelector('[data-testid=settings-sync-passphrase]').value === ''");
        let accounts = driver.find_all("[data-testid=account]").len();
        if status.starts_with("Syncing through") && accounts == 7 && cleared == serde_json::Value::Bool(true)
        {
            Ok(())
        } else {
            Err(format!("status {status:?}, {accounts} accounts, passphrase cleared: {cleared}"))
        }
    });
    driver.screenshot("40-sync-on");
    driver.chord("\u{E00C}"); // Escape closes Settings

    // A change on the other computer reaches the open window by itself.
    other.round();
    let id = other.id_of("Other");
    other.vault.rename(id, "Renamed elsewhere", "me", 0).expect("rename");
    other.round();
    driver.wait_for("the other computer's rename in the list", || {
        let names = names(&driver);
        if names.contains(&"Renamed elsewhere".to_owned()) {
            Ok(())
        } else {
            Err(format!("{names:?}"))
        }
    });
    driver.wait_until("the status line under the list", || {
        let line = driver.dom_text("[data-testid=sync-line]");
        (line.starts_with("In step with 1 other computer (desk PC:")).then_some(line)
    });

    // Both computers change one account's name before seeing each other's:
    // here through another process on this computer (as the CLI would),
    // there on the other computer.
    {
        let keychain = Keychain::new(desk.service());
        let mut here =
            vault::open_if_any(&vault_path(&desk), &keychain, None).expect("opens").expect("a vault");
        let example = here.accounts().iter().find(|a| a.issuer == "Example").map(|a| a.id).expect("Example");
        here.rename(example, "Example", "changed-here", 0).expect("rename here");
    }
    other.round();
    let example = other.id_of("Example");
    other.vault.rename(example, "Example", "changed-there", 0).expect("rename there");
    other.round();
    driver.wait_until("the conflict said under the list", || {
        driver.dom_text("[data-testid=sync-line]").contains("wait for you in Settings").then_some(())
    });
    driver.click(&driver.find("[data-testid=settings-button]"));
    let conflict = driver.wait_for("the conflict in Settings", || {
        let text = driver.dom_text("[data-testid=settings-sync-conflicts]");
        if text.contains("the name changed on both computers") {
            Ok(text)
        } else {
            Err(format!("{text:?}; status: {}", driver.dom_text("[data-testid=settings-sync-status]")))
        }
    });
    assert!(conflict.contains("changed-here") && conflict.contains("changed-there"), "{conflict}");
    driver.screenshot("41-sync-conflict");
    // Each round refreshes Settings; one landing between finding the button
    // and clicking it must not swap the button out (CI went red on exactly
    // that: a stale element). The page refreshes here on purpose, and the
    // button found before it is the one clicked.
    let keep_other = driver.find("[data-testid=sync-keep-other]");
    let refreshed = driver.execute_async(
        "const done = arguments[arguments.length - 1]; \
         import('./js/sync.js').then((m) => m.refresh()).then(() => done(true), (e) => done(String(e)))",
    );
    assert_eq!(refreshed, serde_json::json!(true), "the page refreshed its sync section");
    driver.click(&keep_other);
    driver.wait_until("the conflict settled", || {
        driver.find_all("[data-testid=sync-conflict]").is_empty().then_some(())
    });
    driver.chord("\u{E00C}"); // Escape closes Settings
    other.round();
    assert!(
        sync::conflicts(&other.vault, Other::now_ms()).expect("conflicts").is_empty(),
        "settled there too"
    );
    assert_eq!(
        other.vault.accounts().iter().find(|a| a.id == example).expect("Example").name,
        "changed-there"
    );

    // Four removals at once on the other computer wait here for the person.
    let services: Vec<uuid::Uuid> = other
        .vault
        .accounts()
        .iter()
        .filter(|a| a.issuer.starts_with("Service"))
        .map(|a| a.id)
        .take(4)
        .collect();
    assert_eq!(services.len(), 4);
    for id in services {
        other.vault.remove(id).expect("remove");
    }
    other.round();
    driver.wait_until("the removals held", || {
        driver
            .dom_text("[data-testid=sync-line]")
            .starts_with("Changes from another computer wait")
            .then_some(())
    });
    assert_eq!(driver.find_all("[data-testid=account]").len(), 7, "nothing removed unasked");
    driver.click(&driver.find("[data-testid=settings-button]"));
    driver.wait_until("what waits", || {
        driver.dom_text("[data-testid=settings-sync-held]").contains("removed 4 accounts").then_some(())
    });
    driver.click(&driver.find("[data-testid=settings-sync-apply]"));
    desk.display.keys("Apply the changes from your other computer?", &["alt+a"]);
    driver.wait_until("the removals applied", || {
        (driver.find_all("[data-testid=account]").len() == 3).then_some(())
    });
}
