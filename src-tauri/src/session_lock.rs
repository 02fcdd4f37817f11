//! The window's app lock, for this session: whether the accounts are hidden
//! now, the idle timer that hides them, and the wrong attempts' waits. What
//! a lock passphrase is and how it is checked lives in core
//! (`twofold_core::app_lock`); this holds the state between commands.
//!
//! Idle costs next to nothing: one thread sleeps until the idle deadline
//! (or until told the deadline moved), a minute at most at a time. The
//! deadline is on the wall clock, which goes on while the computer sleeps
//! (a monotonic clock stands still then): a laptop woken after a night is
//! past its idle time, and locks within a minute of waking even where
//! nothing announced the sleep (`platform::watch_session` locks at the
//! sleep itself where the system says so).

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

/// The longest the idle watcher sleeps before looking at the wall clock again.
const RECHECK: Duration = Duration::from_secs(60);

use twofold_core::app_lock::{Attempts, LockError, LockSettings, SystemAnswer};

pub struct SessionLock {
    locked: AtomicBool,
    /// The lock is on (the vault's settings, mirrored at [`Self::configure`]):
    /// locking reads this, never the vault, whose mutex a key derivation
    /// may hold for a second or more.
    armed: AtomicBool,
    /// The person's last use of the window (Unix milliseconds).
    last_use_ms: AtomicU64,
    /// Idle milliseconds before locking (0: never, or the lock is off).
    idle_ms: AtomicU64,
    /// Read from where they were saved at the first attempt (`None` until then).
    attempts: Mutex<Option<Attempts>>,
    /// Wakes the idle watcher when its deadline may have moved.
    moved: (Mutex<()>, Condvar),
}

impl Default for SessionLock {
    fn default() -> Self {
        Self {
            locked: AtomicBool::new(false),
            armed: AtomicBool::new(false),
            last_use_ms: AtomicU64::new(0),
            idle_ms: AtomicU64::new(0),
            attempts: Mutex::default(),
            moved: (Mutex::new(()), Condvar::new()),
        }
    }
}

impl SessionLock {
    pub fn is_locked(&self) -> bool {
        self.locked.load(Ordering::SeqCst)
    }

    fn now_ms(&self) -> u64 {
        wall_clock_ms()
    }

    /// The person used the window: the idle time starts again.
    pub fn touch(&self) {
        self.last_use_ms.store(self.now_ms(), Ordering::SeqCst);
    }

    /// Takes the vault's settings (at opening, and after they change); a
    /// vault opened with the lock on starts locked.
    pub fn configure(&self, settings: &LockSettings, opening: bool) {
        let idle = settings.idle_limit().map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        self.idle_ms.store(idle, Ordering::SeqCst);
        self.armed.store(settings.is_on(), Ordering::SeqCst);
        if !settings.is_on() {
            self.locked.store(false, Ordering::SeqCst);
        } else if opening {
            self.locked.store(true, Ordering::SeqCst);
        }
        self.touch();
        self.wake();
    }

    /// Locks, when the lock is on; `false` if it is off or already locked.
    /// Never waits for the vault. What else locking does (the page, the
    /// clipboard, the tray) is `actions::lock_now`'s.
    pub fn lock(&self) -> bool {
        self.armed.load(Ordering::SeqCst) && !self.locked.swap(true, Ordering::SeqCst)
    }

    /// Unlocks with `passphrase`, within the waits saved in `saved`.
    pub fn unlock(&self, settings: &LockSettings, passphrase: &str, saved: &Path) -> Result<(), LockError> {
        self.confirm(settings, passphrase, saved)?;
        self.open();
        Ok(())
    }

    /// Unlocked: the idle time starts again.
    fn open(&self) {
        self.locked.store(false, Ordering::SeqCst);
        self.touch();
        self.wake();
    }

    /// Unlocks when the system confirms the person (`ask`: Windows Hello,
    /// Touch ID, polkit), within the same waits as the passphrase: the
    /// system is not asked while one runs, and a refusal earns the next.
    /// The attempts are not held while the system's prompt is open, so the
    /// passphrase can still be typed meanwhile.
    pub fn unlock_with_system(
        &self,
        settings: &LockSettings,
        saved: &Path,
        ask: impl FnOnce() -> Result<SystemAnswer, LockError>,
    ) -> Result<(), LockError> {
        if !settings.is_on() || !settings.system_unlock {
            return Err(LockError::SystemUnavailable);
        }
        self.with_attempts(saved, |attempts, now| attempts.ready(now))?;
        let answer = ask()?;
        self.with_attempts(saved, |attempts, now| attempts.record_system(settings, answer, now))?;
        self.open();
        Ok(())
    }

    /// Runs `attempt` on the saved attempts (read at the first attempt of
    /// this run) and saves them after.
    fn with_attempts(
        &self,
        saved: &Path,
        attempt: impl FnOnce(&mut Attempts, u64) -> Result<(), LockError>,
    ) -> Result<(), LockError> {
        let mut attempts = self.attempts.lock().unwrap_or_else(PoisonError::into_inner);
        let now = wall_clock_ms();
        let attempts = attempts.get_or_insert_with(|| Attempts::load(saved, now));
        let result = attempt(attempts, now);
        // Not saved, not counted: a wrong attempt that cannot be written
        // down is refused as if it had to wait.
        if attempts.save(saved).is_err() && result.is_err() {
            return Err(LockError::Wait { seconds: 1 });
        }
        result
    }

    /// Checks a passphrase (to unlock, or to change the lock itself). The
    /// waits are read from `saved` at the first attempt of this run and
    /// saved there after each: quitting and starting again buys no attempt.
    pub fn confirm(&self, settings: &LockSettings, passphrase: &str, saved: &Path) -> Result<(), LockError> {
        self.with_attempts(saved, |attempts, now| attempts.try_unlock(settings, passphrase, now))
    }

    fn wake(&self) {
        let _guard = self.moved.0.lock().unwrap_or_else(PoisonError::into_inner);
        self.moved.1.notify_all();
    }

    /// How long until the idle deadline; `None`: nothing to wait for.
    fn until_deadline(&self) -> Option<Duration> {
        let idle = self.idle_ms.load(Ordering::SeqCst);
        if idle == 0 || self.is_locked() {
            return None;
        }
        let deadline = self.last_use_ms.load(Ordering::SeqCst).saturating_add(idle);
        Some(Duration::from_millis(deadline.saturating_sub(self.now_ms())))
    }
}

/// Unix milliseconds: idle time and the waits are counted on the wall clock,
/// which goes on while the computer sleeps and while Twofold is not running.
fn wall_clock_ms() -> u64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    since.map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Starts the idle watcher: `on_idle` runs each time the idle deadline
/// passes (it locks, through `actions::lock_now`).
pub fn watch_idle(lock: Arc<SessionLock>, on_idle: impl Fn() + Send + 'static) {
    std::thread::spawn(move || {
        let mut guard = lock.moved.0.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            guard = match lock.until_deadline() {
                None => lock.moved.1.wait(guard).unwrap_or_else(PoisonError::into_inner),
                Some(left) if left.is_zero() => {
                    drop(guard);
                    on_idle();
                    lock.moved.0.lock().unwrap_or_else(PoisonError::into_inner)
                }
                Some(left) => {
                    let left = left.min(RECHECK);
                    lock.moved.1.wait_timeout(guard, left).unwrap_or_else(PoisonError::into_inner).0
                }
            };
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 22 (F17): locking read the lock's settings from the vault, and
    /// so waited behind whatever held it (a key derivation for an export
    /// or a backup). It now reads what `configure` mirrored; with the lock
    /// off, nothing locks.
    #[test]
    fn issue_22_locking_needs_no_vault() {
        let lock = SessionLock::default();
        assert!(!lock.lock() && !lock.is_locked(), "the lock is off: nothing locks");
        let mut on = LockSettings::default();
        on.set_passphrase("a lock passphrase").expect("a passphrase");
        lock.configure(&on, false);
        assert!(lock.lock() && lock.is_locked(), "on: locks at once");
        assert!(!lock.lock(), "already locked");
        lock.configure(&LockSettings::default(), false);
        assert!(!lock.is_locked() && !lock.lock(), "turned off: unlocked, and stays so");
    }

    /// Issue 28: the system's way in keeps the passphrase's waits. The
    /// system is never asked while a wait runs; a refusal is a wrong
    /// attempt saved beside the vault; a cancel is not; a confirmation
    /// unlocks; and with the setting off nothing is asked at all.
    #[test]
    fn issue_28_the_system_is_asked_only_outside_the_waits() {
        let dir = tempfile::tempdir().expect("dir");
        let saved = dir.path().join("lock-attempts.json");
        let lock = SessionLock::default();
        let mut settings = LockSettings::default();
        settings.set_passphrase("a lock passphrase").expect("a passphrase");
        lock.configure(&settings, false);
        assert!(lock.lock());
        let asked = &std::cell::Cell::new(0);
        let ask = |answer| {
            move || {
                asked.set(asked.get() + 1);
                Ok(answer)
            }
        };
        assert_eq!(
            lock.unlock_with_system(&settings, &saved, ask(SystemAnswer::Confirmed)),
            Err(LockError::SystemUnavailable)
        );
        assert_eq!(asked.get(), 0, "off: not asked");
        settings.system_unlock = true;
        assert_eq!(
            lock.unlock_with_system(&settings, &saved, ask(SystemAnswer::Cancelled)),
            Err(LockError::SystemCancelled)
        );
        assert!(lock.is_locked());
        assert_eq!(lock.unlock_with_system(&settings, &saved, ask(SystemAnswer::Confirmed)), Ok(()));
        assert!(!lock.is_locked(), "confirmed: unlocked");
        assert!(lock.lock());
        for _ in 0..3 {
            assert_eq!(
                lock.unlock_with_system(&settings, &saved, ask(SystemAnswer::Refused)),
                Err(LockError::SystemRefused)
            );
        }
        assert_eq!(asked.get(), 5);
        let waiting = lock.unlock_with_system(&settings, &saved, ask(SystemAnswer::Confirmed));
        assert!(matches!(waiting, Err(LockError::Wait { .. })), "{waiting:?}");
        assert_eq!(asked.get(), 5, "not asked while the wait runs");
        assert!(lock.is_locked());
        // The waits were saved: a new run starts with them.
        let again = SessionLock::default();
        assert!(matches!(again.confirm(&settings, "a lock passphrase", &saved), Err(LockError::Wait { .. })));
    }

    /// Issue 22 (F9): the idle time was counted on the monotonic clock,
    /// which stands still while the computer sleeps: a laptop closed for a
    /// night still had its whole idle time left on waking. The last use an
    /// hour ago on the wall clock is past a minute's idle time.
    #[test]
    fn issue_22_time_asleep_counts_as_idle() {
        let lock = SessionLock::default();
        lock.idle_ms.store(60_000, Ordering::SeqCst);
        lock.last_use_ms.store(wall_clock_ms() - 3_600_000, Ordering::SeqCst);
        assert_eq!(lock.until_deadline(), Some(Duration::ZERO));
        lock.touch();
        assert!(lock.until_deadline().is_some_and(|left| left > Duration::from_secs(50)));
    }
}
