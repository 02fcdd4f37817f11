//! Issue 14: the app lock's passphrase, its waits, and where it is kept.

use twofold_core::app_lock::{Attempts, LockError, LockSettings};
use twofold_core::settings::Privacy;
use twofold_core::vault;
use twofold_core::{Unlock, Vault};

const VAULT_PASS: &str = "correct horse battery staple";
const PIN: &str = "2468";

#[test]
fn the_right_passphrase_unlocks_and_a_wrong_one_does_not() {
    let mut lock = LockSettings::default();
    assert!(!lock.is_on());
    assert_eq!(lock.check(PIN), Err(LockError::NotSet));
    assert_eq!(lock.set_passphrase("123"), Err(LockError::TooShort));
    lock.set_passphrase(PIN).expect("set");
    assert!(lock.is_on());
    assert_eq!(lock.check(PIN), Ok(()));
    assert_eq!(lock.check("2469"), Err(LockError::Wrong));
    lock.turn_off();
    assert_eq!(lock.check(PIN), Err(LockError::NotSet));
}

#[test]
fn wrong_attempts_earn_waits_that_even_the_right_passphrase_must_sit_out() {
    let mut lock = LockSettings::default();
    lock.set_passphrase(PIN).expect("set");
    let mut attempts = Attempts::default();
    let now = 1_000_000;
    for _ in 0..4 {
        assert_eq!(attempts.try_unlock(&lock, "0000", now), Err(LockError::Wrong));
    }
    // The fourth slip earned a second's wait: not even the PIN is checked.
    assert_eq!(attempts.try_unlock(&lock, PIN, now + 10), Err(LockError::Wait { seconds: 1 }));
    assert_eq!(attempts.try_unlock(&lock, PIN, now + 1_000), Ok(()));
    // A success starts the count again.
    assert_eq!(attempts.try_unlock(&lock, "0000", now + 1_001), Err(LockError::Wrong));
    assert_eq!(attempts.try_unlock(&lock, PIN, now + 1_002), Ok(()));
}

#[test]
fn the_lock_and_privacy_settings_live_in_the_encrypted_vault() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = vault::path_in(dir.path());
    let mut v = Vault::create(&path, Unlock::Passphrase(VAULT_PASS)).expect("create");
    let mut lock = LockSettings::default();
    lock.idle_seconds = 120;
    lock.set_passphrase(PIN).expect("set");
    v.set_lock_settings(lock.clone()).expect("save lock");
    let privacy = Privacy { hide_codes: true, hide_from_capture: true };
    v.set_privacy(privacy.clone()).expect("save privacy");

    let reopened = Vault::open(&path, Unlock::Passphrase(VAULT_PASS)).expect("open");
    assert_eq!(reopened.meta().lock, lock);
    assert_eq!(reopened.meta().privacy, privacy);
    assert_eq!(reopened.meta().lock.check(PIN), Ok(()));
    assert_eq!(reopened.meta().lock.idle_limit(), Some(std::time::Duration::from_secs(120)));
    let bytes = std::fs::read(&path).expect("read");
    assert!(!String::from_utf8_lossy(&bytes).contains("argon2id"), "the verifier is encrypted too");
}
