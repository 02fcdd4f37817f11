//! Opening the vault: without a keychain, missing, a lost key, one window per vault.

use super::*;

#[test]
fn without_a_keychain_the_app_offers_a_passphrase_vault() {
    let sandbox = sandbox("nokeychain");
    let mut env = sandbox.env();
    // A bus address that leads nowhere: no Secret Service can answer.
    env.push(("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/twofold-test-bus".into()));
    let driver = Driver::start(Path::new(APP), &env);

    let setup = driver.find("[data-testid=setup]");
    assert!(driver.text(&setup).contains("No keychain found"), "{}", driver.text(&setup));
    driver.screenshot("06-no-keychain");
    driver.send_keys(&driver.find("[data-testid=passphrase]"), "a long enough passphrase");
    driver.send_keys(&driver.find("[data-testid=passphrase-confirm]"), "a long enough passphrase");
    driver.click(&driver.find("[data-testid=passphrase-submit]"));
    driver.find("[data-testid=empty-state]");
    assert_eq!(
        vault::protection_of(&vault_path(&sandbox)).expect("peek"),
        Some(vault::ProtectionKind::Passphrase),
        "the vault is passphrase-protected, never plaintext"
    );
}

/// Issue 11: the vault file moved away with its backup still there: the
/// window names the problem instead of starting an empty vault, and
/// restoring brings the accounts back.
#[test]
fn issue_11_a_missing_vault_is_restored_not_started_over() {
    let sandbox = sandbox("missing");
    let accounts = bulk_vault(&sandbox, 3);
    // A second save, so the backup holds the three accounts too.
    let keychain = twofold_core::Keychain::new(sandbox.service());
    let mut v = vault::open_or_create(&vault_path(&sandbox), &keychain, None).expect("open");
    v.rename(accounts[0].id, "Bulk", "user0000", 1).expect("save again");
    drop(v);
    std::fs::rename(vault_path(&sandbox), sandbox.root().join("moved-away")).expect("move it away");

    let driver = Driver::start(Path::new(APP), &sandbox.env());
    let setup = driver.find("[data-testid=setup]");
    let text = driver.text(&setup);
    assert!(text.contains("Your vault file is missing"), "{text}");
    assert!(text.contains("its backup is still here"), "{text}");
    assert!(!vault_path(&sandbox).exists(), "no empty vault was started");
    driver.screenshot("21-vault-missing");
    driver.click(&driver.find("[data-testid=setup-action]"));
    driver.wait_until("the restored accounts", || {
        (driver.find_all("[data-testid=account]").len() == 3).then_some(())
    });
}

/// Issue 11: one window per vault. A second launch on the same data
/// directory does not open a second window on the vault: it asks the first
/// to come to the front and exits.
#[test]
fn issue_11_a_second_launch_defers_to_the_first_window() {
    let sandbox = sandbox("single");
    let driver = Driver::start(Path::new(APP), &sandbox.env());
    driver.find("[data-testid=empty-state]");
    let mut second = Command::new(APP);
    second.envs(sandbox.env()).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
    let out = second.output().expect("a second launch runs");
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("already open"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The first window is still there and working.
    driver.click(&driver.find("[data-testid=add-button]"));
    driver.find("[data-testid=uri-input]");
}

/// Issue 11: the vault is there but its keychain entry is gone (a reinstall,
/// a reset keyring): the window says so plainly and offers a new vault to
/// import a bundle into, keeping the old file.
#[test]
fn issue_11_a_lost_key_is_explained_and_the_old_vault_kept() {
    let sandbox = sandbox("keylost");
    bulk_vault(&sandbox, 2);
    // The same data directory with another keychain: the key is not there.
    let env: Vec<(&str, String)> = sandbox
        .env()
        .into_iter()
        .map(|(k, v)| if k == "TWOFOLD_KEYCHAIN_SERVICE" { (k, format!("{v}-elsewhere")) } else { (k, v) })
        .collect();
    let driver = Driver::start(Path::new(APP), &env);
    let setup = driver.find("[data-testid=setup]");
    let text = driver.text(&setup);
    assert!(text.contains("The key to your vault is missing"), "{text}");
    assert!(text.contains("the old file is kept aside"), "{text}");
    driver.screenshot("22-key-lost");
    driver.click(&driver.find("[data-testid=setup-secondary]"));
    driver.find("[data-testid=empty-state]");
    let kept: Vec<String> = std::fs::read_dir(sandbox.data_dir())
        .expect("data dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("vault.twofold.before-new-"))
        .collect();
    assert_eq!(kept.len(), 1, "the old vault is kept aside: {kept:?}");
}
