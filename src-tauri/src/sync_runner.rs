//! When the window syncs: at start, after each change saved here, within
//! a second or so of another computer's file changing in the folder (the
//! folder is watched: inotify, FSEvents, ReadDirectoryChangesW through
//! `notify`), and every few minutes anyway (a network share or a sync tool
//! whose writes no watcher sees). One thread sleeps until one of those
//! happens. What a round is lives in core (`twofold_core::sync`); running
//! one is `actions::sync_now`.

use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

/// A round at least this often while sync is on, watcher or not.
const RESCAN: Duration = Duration::from_secs(5 * 60);
/// Changes close together (a sync tool renaming a file into place, this
/// window's own saves) make one round, this long after the first.
const GATHER: Duration = Duration::from_millis(300);

#[derive(Default)]
pub struct Schedule {
    due: Mutex<bool>,
    wake: Condvar,
}

impl Schedule {
    /// Something changed (a save here, a file in the folder): sync soon.
    pub fn poke(&self) {
        *self.due.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.wake.notify_all();
    }
}

/// Starts the thread. `run` does one round and answers the folder to watch
/// (`None`: sync is off, or no vault is open).
pub fn start(schedule: Arc<Schedule>, mut run: impl FnMut() -> Option<PathBuf> + Send + 'static) {
    std::thread::spawn(move || {
        let mut watched: Option<(PathBuf, notify::RecommendedWatcher)> = None;
        let mut next = Instant::now();
        loop {
            {
                let mut due = schedule.due.lock().unwrap_or_else(PoisonError::into_inner);
                while !*due && Instant::now() < next {
                    let left = next.saturating_duration_since(Instant::now());
                    due = schedule.wake.wait_timeout(due, left).unwrap_or_else(PoisonError::into_inner).0;
                }
                *due = false;
            }
            std::thread::sleep(GATHER);
            *schedule.due.lock().unwrap_or_else(PoisonError::into_inner) = false;
            let folder = run();
            next = Instant::now() + RESCAN;
            if watched.as_ref().map(|(f, _)| f) != folder.as_ref() {
                watched = folder.and_then(|folder| watch(&folder, schedule.clone()).map(|w| (folder, w)));
            }
        }
    });
}

/// A watcher that pokes `schedule` at any change in `folder` (its own
/// files included: a round that finds nothing new writes nothing, so it
/// cannot chase itself). `None` when the folder cannot be watched: the
/// periodic rescan still runs.
fn watch(folder: &std::path::Path, schedule: Arc<Schedule>) -> Option<notify::RecommendedWatcher> {
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.is_ok_and(|e| !e.kind.is_access()) {
            schedule.poke();
        }
    })
    .ok()?;
    watcher.watch(folder, RecursiveMode::NonRecursive).ok()?;
    Some(watcher)
}
