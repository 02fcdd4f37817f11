//! Issue 14: the app lock's passphrase, its waits, and where it is kept.

use twofold_core::app_lock::{Attempts, LockError, LockSettings};
use twofold_core::settings::Privacy;
use twofold_core::vault;
use twofold_core::{Unlock, Vault};

const VAULT_PASS: &str = "correct horse battery staple";
const PIN: &str = "246813";

#[test]
fn the_right_passphrase_unlocks_and_a_wrong_one_does_not() {
    let mut lock = LockSettings::default();
    assert!(!lock.is_on());
    assert_eq!(lock.check(PIN), Err(LockError::NotSet));
    assert_eq!(lock.set_passphrase("123"), Err(LockError::TooShort));
    // Issue 22 (F8): four digits were accepted, and fall to guessing in minutes.
    assert_eq!(lock.set_passphrase("2468"), Err(LockError::TooShort));
    lock.set_passphrase("ab12").expect("four characters that are not all digits");
    lock.set_passphrase(PIN).expect("set");
    assert!(lock.is_on());
    assert_eq!(lock.check(PIN), Ok(()));
    assert_eq!(lock.check("246814"), Err(LockError::Wrong));
    lock.turn_off();
    assert_eq!(lock.check(PIN), Err(LockError::NotSet));
}

#[test]
fn wrong_attempts_earn_waits_that_even_the_right_passphrase_must_sit_out() {
    let mut lock = LockSettings::default();
    lock.set_passphrase(PIN).expect("set");
    let mut attempts = Attempts::default();
    let now = 1_000_000;
    for _ in 0..3 {
        assert_eq!(attempts.try_unlock(&lock, "0000", now), Err(LockError::Wrong));
    }
    // The third slip earned a second's wait: not even the PIN is checked.
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

/// Issue 22 (F8): the waits lived in the process, so quitting from the tray
/// and starting again gave free attempts. They are saved beside the vault,
/// and a file that is gone or damaged buys nothing.
#[test]
fn issue_22_the_waits_survive_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("lock-attempts");
    let mut lock = LockSettings::default();
    lock.set_passphrase(PIN).expect("set");
    let now = 1_764_000_000_000;
    let mut attempts = Attempts::load(&file, now);
    for _ in 0..5 {
        let _ = attempts.try_unlock(&lock, "000000", now);
        attempts.save(&file).expect("save");
    }
    // A new start of the app reads them back: the wait goes on.
    let mut again = Attempts::load(&file, now + 10);
    assert!(matches!(again.try_unlock(&lock, PIN, now + 10), Err(LockError::Wait { .. })));
    // A damaged file is the longest wait, not none.
    std::fs::write(&file, b"not json").expect("damage");
    let mut damaged = Attempts::load(&file, now);
    assert_eq!(damaged.try_unlock(&lock, PIN, now + 60_000), Err(LockError::Wait { seconds: 240 }));
}
