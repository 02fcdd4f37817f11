//! Backing up from the window: after a change (at most one backup a
//! minute) and at least daily while Twofold runs. One thread sleeps until
//! there is something to do, so waiting costs nothing.

use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tauri::{AppHandle, Emitter, Manager};
use twofold_core::backup;

use crate::state::AppState;

/// At most one backup per this long after changes.
const DEBOUNCE: Duration = Duration::from_secs(60);
/// At least one backup per this long while running.
const DAILY: Duration = Duration::from_secs(24 * 3600);
/// The page is told with this event after every attempt.
pub const STATUS_EVENT: &str = "backup-status";

#[derive(Default)]
pub struct Schedule {
    /// A change waits to be backed up.
    changed: Mutex<bool>,
    wake: Condvar,
    /// Why the last attempt failed ("folder_missing", "key_missing",
    /// "unwritable", "failed"); when the last one was is read from the folder.
    pub problem: Mutex<Option<&'static str>>,
}

impl Schedule {
    /// A save happened: back up soon.
    pub fn changed(&self) {
        *self.changed.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.wake.notify_all();
    }
}

/// Backs up now (if backups are on), records how it went and tells the
/// page, which asks for the status again. Answers whether a backup was
/// attempted (backups are on).
pub fn run_now(app: &AppHandle) -> bool {
    let s = app.state::<AppState>();
    let result = {
        let slot = s.slot();
        match slot.as_ref() {
            Some(vault) => backup::back_up(vault, &s.keychain, twofold_core::unix_now()),
            None => Ok(None),
        }
    };
    let attempted = !matches!(result, Ok(None));
    *s.backups.problem.lock().unwrap_or_else(PoisonError::into_inner) = result.err().map(|e| match e {
        backup::BackupError::FolderMissing(_) => "folder_missing",
        backup::BackupError::KeyMissing => "key_missing",
        backup::BackupError::Write { .. } => "unwritable",
        _ => "failed",
    });
    let _ = app.emit(STATUS_EVENT, ());
    attempted
}

/// Starts the thread that backs up after changes and daily.
pub fn start(app: &AppHandle) {
    let app = app.clone();
    std::thread::spawn(move || {
        let schedule = std::sync::Arc::clone(&app.state::<AppState>().backups);
        // When the last backup ran (None: not yet in this run), and when to
        // look again while none has (a minute after start, then daily).
        let mut last: Option<Instant> = None;
        let mut next_look = Instant::now() + DEBOUNCE;
        let mut changed = schedule.changed.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            let deadline = match (*changed, last) {
                // The first change is backed up at once, later ones at most
                // once a minute.
                (true, None) => Instant::now(),
                (true, Some(at)) => at + DEBOUNCE,
                // A first look a minute after start: a folder that went
                // missing while Twofold was closed is said then, not a day later.
                (false, None) => next_look,
                (false, Some(at)) => at + DAILY,
            };
            let now = Instant::now();
            if now < deadline {
                changed = schedule
                    .wake
                    .wait_timeout(changed, deadline - now)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
                continue;
            }
            *changed = false;
            drop(changed);
            // Only a backup (or a failed one) starts the minute's wait: with
            // backups off, the first change after they are turned on is
            // still backed up at once.
            if run_now(&app) {
                last = Some(Instant::now());
            } else {
                // Backups are off: nothing to do until a change or tomorrow
                // (without this the loop found the same past deadline again).
                next_look = Instant::now() + DAILY;
            }
            changed = schedule.changed.lock().unwrap_or_else(PoisonError::into_inner);
        }
    });
}
