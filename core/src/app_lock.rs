//! The app lock: an optional passphrase (or PIN) that hides the window's
//! accounts until it is typed again. The vault stays keychain-protected at
//! rest either way; the lock guards an unlocked session left unattended.
//!
//! The passphrase is kept only as an Argon2id verifier (a PHC string) in the
//! vault's encrypted metadata. After three wrong attempts each next one
//! waits, 1 s, 2 s, 4 s … up to five minutes ([`Attempts`]), and the waits
//! are kept on disk, so quitting and starting again buys no attempts: a
//! thousand guesses take about three and a half days. A PIN of digits only
//! needs six of them.

use std::time::Duration;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, Params};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// The shortest lock passphrase accepted.
pub const MIN_LEN: usize = 4;

/// The shortest PIN (digits only): four digits are guessed too soon.
pub const MIN_PIN_DIGITS: usize = 6;

/// Wrong attempts allowed before the waits start.
const FREE_ATTEMPTS: u32 = 3;

/// The longest wait between attempts.
const MAX_WAIT: Duration = Duration::from_secs(300);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LockError {
    #[error(
        "a lock passphrase needs at least {MIN_LEN} characters, and a PIN at least {MIN_PIN_DIGITS} digits"
    )]
    TooShort,
    #[error("the lock passphrase is not right")]
    Wrong,
    #[error("too many wrong attempts: try again in {seconds} s")]
    Wait { seconds: u64 },
    #[error("the app lock is not set")]
    NotSet,
    #[error("the lock's verifier is damaged")]
    Damaged,
    #[error("no randomness from the operating system")]
    Random,
    /// The system's own prompt (Windows Hello, Touch ID, the system
    /// password) said no: counted as a wrong passphrase.
    #[error("the system did not confirm it is you")]
    SystemRefused,
    /// The person closed the system's prompt: nothing is counted, and the
    /// passphrase still works.
    #[error("the system's prompt was cancelled")]
    SystemCancelled,
    /// Unlocking through the system is off, or the system cannot ask.
    #[error("unlocking with the system is not available")]
    SystemUnavailable,
}

/// What the system answered when asked to confirm the person: Windows
/// Hello, Touch ID or the system password (polkit), beside the lock's own
/// passphrase, never instead of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemAnswer {
    Confirmed,
    Refused,
    Cancelled,
}

/// What the vault stores about the lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockSettings {
    /// Argon2id of the passphrase, as a PHC string; `None`: the lock is off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    verifier: Option<String>,
    /// Seconds without use before the window locks itself (0: never).
    pub idle_seconds: u32,
    /// Lock as soon as the window is put away in the tray.
    #[serde(default)]
    pub when_hidden: bool,
    /// The system may unlock too (Windows Hello, Touch ID, the system
    /// password), beside the passphrase; off unless the person turns it on.
    #[serde(default)]
    pub system_unlock: bool,
}

impl Default for LockSettings {
    fn default() -> Self {
        Self { verifier: None, idle_seconds: 300, when_hidden: false, system_unlock: false }
    }
}

impl LockSettings {
    pub fn is_on(&self) -> bool {
        self.verifier.is_some()
    }

    /// Turns the lock on (or changes its passphrase).
    pub fn set_passphrase(&mut self, passphrase: &str) -> Result<(), LockError> {
        let chars = passphrase.chars().count();
        let digits_only = passphrase.chars().all(|c| c.is_ascii_digit());
        if chars < MIN_LEN || (digits_only && chars < MIN_PIN_DIGITS) {
            return Err(LockError::TooShort);
        }
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|_| LockError::Random)?;
        let salt = SaltString::encode_b64(&salt).map_err(|_| LockError::Random)?;
        let hash = hasher().hash_password(passphrase.as_bytes(), &salt).map_err(|_| LockError::Damaged)?;
        self.verifier = Some(hash.to_string());
        Ok(())
    }

    /// Turns the lock off, and with it the system's way in: turned on
    /// again, the lock starts with the passphrase alone.
    pub fn turn_off(&mut self) {
        self.verifier = None;
        self.system_unlock = false;
    }

    /// Whether `passphrase` is the lock's.
    pub fn check(&self, passphrase: &str) -> Result<(), LockError> {
        let verifier = self.verifier.as_deref().ok_or(LockError::NotSet)?;
        let hash = PasswordHash::new(verifier).map_err(|_| LockError::Damaged)?;
        // The verifier sits in the encrypted vault, but its cost is still
        // bounded like any stored parameter: no unlock may take a gigabyte.
        let params = Params::try_from(&hash).map_err(|_| LockError::Damaged)?;
        if params.m_cost() > 256 * 1024 || params.t_cost() > 16 || params.p_cost() > 8 {
            return Err(LockError::Damaged);
        }
        let typed = Zeroizing::new(passphrase.as_bytes().to_vec());
        Argon2::default().verify_password(&typed, &hash).map_err(|e| match e {
            argon2::password_hash::Error::Password => LockError::Wrong,
            _ => LockError::Damaged,
        })
    }

    /// When the window should lock itself, if ever.
    pub fn idle_limit(&self) -> Option<Duration> {
        (self.is_on() && self.idle_seconds > 0).then(|| Duration::from_secs(u64::from(self.idle_seconds)))
    }
}

/// The vault's own Argon2id cost (64 MiB × 3): about a quarter second.
fn hasher() -> Argon2<'static> {
    let params = Params::new(64 * 1024, 3, 1, None).expect("constant Argon2 parameters are valid");
    Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
}

/// Wrong attempts so far, and the wait they earned (until `not_before_ms`,
/// Unix milliseconds: the wall clock, passed in). Saved after each attempt
/// ([`Attempts::save`]) and read at start ([`Attempts::load`]).
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempts {
    failures: u32,
    not_before_ms: u64,
}

impl Attempts {
    /// The attempts saved at `path`; none if there is no such file. An
    /// unreadable one counts as the waits at their longest: deleting or
    /// damaging it must not buy attempts.
    pub fn load(path: &std::path::Path, now_ms: u64) -> Self {
        match crate::fs::read_bounded(path, 4096) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|_| Self::at_longest(now_ms)),
            Err(crate::fs::ReadError::Io(std::io::ErrorKind::NotFound)) => Self::default(),
            Err(_) => Self::at_longest(now_ms),
        }
    }

    fn at_longest(now_ms: u64) -> Self {
        let wait = u64::try_from(MAX_WAIT.as_millis()).unwrap_or(u64::MAX);
        Self { failures: FREE_ATTEMPTS + 16, not_before_ms: now_ms.saturating_add(wait) }
    }

    /// Saves them atomically at `path` (beside the vault).
    pub fn save(&self, path: &std::path::Path) -> std::io::Result<()> {
        let bytes = serde_json::to_vec(self).map_err(std::io::Error::other)?;
        crate::fs::replace_atomically(path, &bytes)
    }

    /// Checks `passphrase` unless a wait is still running.
    pub fn try_unlock(
        &mut self,
        settings: &LockSettings,
        passphrase: &str,
        now_ms: u64,
    ) -> Result<(), LockError> {
        self.ready(now_ms)?;
        self.count(settings.check(passphrase), now_ms)
    }

    /// Whether an attempt may be made now: the waits hold for the system's
    /// prompt as for the passphrase, so the system is not even asked
    /// while one runs.
    pub fn ready(&self, now_ms: u64) -> Result<(), LockError> {
        if now_ms < self.not_before_ms {
            return Err(LockError::Wait { seconds: (self.not_before_ms - now_ms).div_ceil(1000) });
        }
        Ok(())
    }

    /// Counts what the system answered (asked once [`Attempts::ready`]
    /// allowed it) as a passphrase would be counted: confirmed starts the
    /// count again, refused is a wrong attempt with its wait, cancelled
    /// counts nothing. Only with the system's unlock turned on.
    pub fn record_system(
        &mut self,
        settings: &LockSettings,
        answer: SystemAnswer,
        now_ms: u64,
    ) -> Result<(), LockError> {
        if !settings.is_on() || !settings.system_unlock {
            return Err(LockError::SystemUnavailable);
        }
        match answer {
            SystemAnswer::Confirmed => self.count(Ok(()), now_ms),
            SystemAnswer::Refused => self.count(Err(LockError::SystemRefused), now_ms),
            SystemAnswer::Cancelled => Err(LockError::SystemCancelled),
        }
    }

    /// One attempt's result: success clears the count, a wrong answer adds
    /// to it and earns its wait.
    fn count(&mut self, result: Result<(), LockError>, now_ms: u64) -> Result<(), LockError> {
        match result {
            Ok(()) => {
                *self = Self::default();
                Ok(())
            }
            Err(wrong @ (LockError::Wrong | LockError::SystemRefused)) => {
                self.failures = self.failures.saturating_add(1);
                let wait = wait_after(self.failures);
                self.not_before_ms =
                    now_ms.saturating_add(u64::try_from(wait.as_millis()).unwrap_or(u64::MAX));
                Err(wrong)
            }
            Err(other) => Err(other),
        }
    }
}

/// No wait after the first two slips; from the third, 1 s, 2 s, 4 s … up
/// to five minutes before the next attempt.
pub fn wait_after(failures: u32) -> Duration {
    match failures.checked_sub(FREE_ATTEMPTS) {
        None => Duration::ZERO,
        Some(n) => Duration::from_secs(1u64 << n.min(16)).min(MAX_WAIT),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 28: the system's answer counts as a passphrase would: a refusal
    /// is a wrong attempt with its wait, the wait holds before the system is
    /// asked again, a cancel counts nothing, a confirmation starts over; and
    /// only when the person turned it on.
    #[test]
    fn issue_28_the_system_answer_counts_as_a_passphrase_would() {
        let mut settings = LockSettings::default();
        settings.set_passphrase("correct horse").expect("set");
        let mut attempts = Attempts::default();
        assert_eq!(
            attempts.record_system(&settings, SystemAnswer::Confirmed, 0),
            Err(LockError::SystemUnavailable),
            "off until turned on"
        );
        settings.system_unlock = true;
        for _ in 0..2 {
            assert_eq!(
                attempts.record_system(&settings, SystemAnswer::Refused, 0),
                Err(LockError::SystemRefused)
            );
        }
        assert_eq!(attempts.ready(0), Ok(()), "no wait after the first two slips");
        assert_eq!(
            attempts.record_system(&settings, SystemAnswer::Refused, 0),
            Err(LockError::SystemRefused)
        );
        assert_eq!(attempts.ready(0), Err(LockError::Wait { seconds: 1 }), "the third earns a wait");
        assert_eq!(
            attempts.try_unlock(&settings, "correct horse", 500),
            Err(LockError::Wait { seconds: 1 }),
            "the wait holds for the passphrase too"
        );
        assert_eq!(
            attempts.record_system(&settings, SystemAnswer::Cancelled, 1000),
            Err(LockError::SystemCancelled)
        );
        assert_eq!(attempts.ready(1000), Ok(()), "a cancel earned no wait");
        assert_eq!(attempts.record_system(&settings, SystemAnswer::Confirmed, 1000), Ok(()));
        assert_eq!(attempts, Attempts::default(), "confirmed: the count starts over");
        settings.turn_off();
        assert_eq!(
            attempts.record_system(&settings, SystemAnswer::Confirmed, 1000),
            Err(LockError::SystemUnavailable)
        );
    }

    #[test]
    fn waits_grow_after_the_free_attempts_and_stop_growing() {
        // Issue 22 (F8): the first wait came after the fourth wrong attempt,
        // not the third as documented.
        let waits: Vec<u64> = (0..=14).map(|n| wait_after(n).as_secs()).collect();
        assert_eq!(waits, [0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
        assert_eq!(wait_after(u32::MAX), MAX_WAIT);
    }
}
