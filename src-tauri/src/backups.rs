//! Backing up from the window: after a change (at most one backup a
//! minute) and at least daily while Twofold runs. One thread sleeps until
//! there is something to do, so waiting costs nothing.

use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};
use twofold_core::backup;

use crate::state::AppState;

/// At most one backup per this long after changes.
const DEBOUNCE: Duration = Duration::from_secs(60);
/// At least one backup per this long while running.
const DAILY: Duration = Duration::from_secs(24 * 3600);
/// The page is told with this event after every attempt.
pub const STATUS_EVENT: &str = "backup-status";

/// How the last attempt went, for the status line and the checklist.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Outcome {
    /// Unix seconds of the last backup written and checked.
    pub last_ok: Option<u64>,
    /// Why the last attempt failed (English; `problem_code` for the page).
    pub problem: Option<String>,
    pub problem_code: Option<&'static str>,
}

#[derive(Default)]
pub struct Schedule {
    /// A change waits to be backed up.
    changed: Mutex<bool>,
    wake: Condvar,
    pub outcome: Mutex<Outcome>,
}

impl Schedule {
    /// A save happened: back up soon.
    pub fn changed(&self) {
        *self.changed.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.wake.notify_all();
    }
}

/// Backs up now (if backups are on), records how it went and tells the
/// page. Answers whether a backup was attempted (backups are on).
pub fn run_now(app: &AppHandle) -> bool {
    let s = app.state::<AppState>();
    let result = {
        let slot = s.slot();
        match slot.as_ref() {
            Some(vault) => backup::back_up(vault, &s.keychain, twofold_core::unix_now()),
            None => Ok(None),
        }
    };
    let mut outcome = s.backups.outcome.lock().unwrap_or_else(PoisonError::into_inner);
    match result {
        Ok(Some(point)) => {
            outcome.last_ok = Some(point.time);
            outcome.problem = None;
            outcome.problem_code = None;
        }
        Ok(None) => *outcome = Outcome::default(),
        Err(e) => {
            outcome.problem_code = Some(match e {
                backup::BackupError::FolderMissing(_) => "folder_missing",
                backup::BackupError::KeyMissing => "key_missing",
                backup::BackupError::Write { .. } => "unwritable",
                _ => "failed",
            });
            outcome.problem = Some(e.to_string());
        }
    }
    let _ = app.emit(STATUS_EVENT, outcome.clone());
    outcome.last_ok.is_some() || outcome.problem.is_some()
}

/// Starts the thread that backs up after changes and daily.
pub fn start(app: &AppHandle) {
    let app = app.clone();
    std::thread::spawn(move || {
        let schedule = std::sync::Arc::clone(&app.state::<AppState>().backups);
        let started = Instant::now();
        // When the last backup ran (None: not yet in this run).
        let mut last: Option<Instant> = None;
        let mut changed = schedule.changed.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            let deadline = match (*changed, last) {
                // The first change is backed up at once, later ones at most
                // once a minute.
                (true, None) => Instant::now(),
                (true, Some(at)) => at + DEBOUNCE,
                // A first look a minute after start: a folder that went
                // missing while Twofold was closed is said then, not a day later.
                (false, None) => started + DEBOUNCE,
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
            }
            changed = schedule.changed.lock().unwrap_or_else(PoisonError::into_inner);
        }
    });
}
