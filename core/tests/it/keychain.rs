//! Keychain vaults against a REAL Secret Service (gnome-keyring on a private
//! D-Bus session, started by `make test`). Without one these tests fail and
//! say how to run them; the "no keychain" message is tested through the CLI.

use twofold_core::vault::{self, ProtectionKind};
use twofold_core::{
    Account, Algorithm, Keychain, KeychainError, Kind, Otp, Secret, Unlock, Vault, VaultError,
};

use crate::common::account;

/// A service name of its own per test, so tests never see each other's keys.
fn keychain(test: &str) -> Keychain {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "keychain tests need a Secret Service: run them with `make test` (or scripts/test-session cargo test)"
    );
    Keychain::new(format!("twofold-test-{}-{test}", std::process::id()))
}

#[test]
fn keychain_vault_round_trip() {
    let kc = keychain("round-trip");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = vault::path_in(dir.path());
    let mut v = Vault::create(&path, Unlock::Keychain(&kc)).expect("create with the Secret Service");
    v.add(account("otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP")).expect("add");
    let reopened =
        Vault::open(&path, Unlock::Keychain(&kc)).expect("open with the key from the Secret Service");
    assert_eq!(reopened.accounts(), v.accounts());
    assert_eq!(vault::protection_of(&path).expect("peek"), Some(ProtectionKind::Keychain));
    assert!(matches!(
        Vault::open(&path, Unlock::Passphrase("whatever at all")),
        Err(VaultError::NeedsKeychain)
    ));
}

#[test]
fn one_keychain_read_opens_a_thousand_accounts() {
    let kc = keychain("thousand");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = vault::path_in(dir.path());
    let mut v = Vault::create(&path, Unlock::Keychain(&kc)).expect("create");
    let accounts = (0..1000u32).map(|i| {
        let otp = Otp::new(
            Secret::from_bytes(i.to_be_bytes().repeat(5)).expect("key"),
            Algorithm::Sha1,
            6,
            Kind::Totp { period: 30 },
        )
        .expect("valid");
        Account::new("Bulk", format!("user{i}"), otp, 0)
    });
    let outcome = v.add_all(accounts.collect()).expect("one save");
    assert_eq!((outcome.added.len(), outcome.skipped.len()), (1000, 0));
    // Opening reads the keychain once, whatever the number of accounts.
    let before = kc.reads();
    let reopened = Vault::open(&path, Unlock::Keychain(&kc)).expect("open");
    assert_eq!(reopened.accounts().len(), 1000);
    assert_eq!(kc.reads() - before, 1, "one keychain read for the whole vault");
}

#[test]
fn a_missing_key_is_reported_plainly() {
    let kc = keychain("missing");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = vault::path_in(dir.path());
    drop(Vault::create(&path, Unlock::Keychain(&kc)).expect("create"));
    // Another service name holds no key for this vault.
    let other = Keychain::new(format!("{}-elsewhere", kc.service()));
    let err = Vault::open(&path, Unlock::Keychain(&other)).expect_err("no key there");
    assert!(matches!(err, VaultError::Keychain(KeychainError::KeyMissing)), "{err:?}");
    assert_eq!(err.to_string(), "the vault key is missing from the keychain");
}

#[test]
fn damaged_file_with_keychain_is_corruption() {
    let kc = keychain("damaged");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = vault::path_in(dir.path());
    let mut v = Vault::create(&path, Unlock::Keychain(&kc)).expect("create");
    v.add(account("otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP")).expect("add");
    let mut bytes = std::fs::read(&path).expect("read");
    let last = bytes.len() - 5;
    bytes[last] ^= 1;
    std::fs::write(&path, bytes).expect("write");
    let err = Vault::open(&path, Unlock::Keychain(&kc)).expect_err("damaged");
    assert!(matches!(err, VaultError::Corrupted { previous: Some(_) }), "{err:?}");
}
