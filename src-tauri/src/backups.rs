//! When the window backs up: after a change (at most one backup a minute)
//! and at least daily while Twofold runs. One thread sleeps until there is
//! something to do, so waiting costs nothing. What a backup is lives in
//! core (`twofold_core::backup`); running one is `actions::back_up_now`.

use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use twofold_core::backup::{BackupError, BackupProblem};

/// At most one backup per this long after changes.
const DEBOUNCE: Duration = Duration::from_secs(60);
/// At least one backup per this long while running.
const DAILY: Duration = Duration::from_secs(24 * 3600);

#[derive(Default)]
pub struct Schedule {
    /// A change waits to be backed up.
    changed: Mutex<bool>,
    wake: Condvar,
    /// Why the last attempt failed; when the last one was is read from the folder.
    problem: Mutex<Option<BackupProblem>>,
}

impl Schedule {
    /// A save happened: back up soon.
    pub fn changed(&self) {
        *self.changed.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.wake.notify_all();
    }
}

impl Schedule {
    /// Keeps how the last attempt went, for the status the page asks for.
    pub fn record(&self, result: Result<(), &BackupError>) {
        *self.problem.lock().unwrap_or_else(PoisonError::into_inner) = result.err().map(BackupProblem::of);
    }

    /// Why the last attempt failed, if it did.
    pub fn problem(&self) -> Option<BackupProblem> {
        *self.problem.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// When the scheduler acts next: a pure function of what happened and when,
/// so the waiting can be tested without waiting.
#[derive(Debug, Clone, Copy)]
struct Plan {
    /// When the last backup ran (None: not yet in this run).
    last: Option<Instant>,
    /// When to look again while none has: a minute after start, then daily.
    next_look: Instant,
}

impl Plan {
    fn new(start: Instant) -> Self {
        Self { last: None, next_look: start + DEBOUNCE }
    }

    fn deadline(&self, changed: bool, now: Instant) -> Instant {
        match (changed, self.last) {
            // The first change is backed up at once, later ones at most
            // once a minute.
            (true, None) => now,
            (true, Some(at)) => at + DEBOUNCE,
            // A first look a minute after start: a folder that went
            // missing while Twofold was closed is said then, not a day later.
            (false, None) => self.next_look,
            (false, Some(at)) => at + DAILY,
        }
    }

    /// Only a backup (or a failed one) starts the minute's wait: with
    /// backups off, the first change after they are turned on is still
    /// backed up at once. With them off, nothing is due until a change or
    /// tomorrow (without this the loop found the same past deadline again).
    fn ran(&mut self, attempted: bool, now: Instant) {
        if attempted {
            self.last = Some(now);
        } else {
            self.next_look = now + DAILY;
        }
    }
}

/// Starts the thread that backs up after changes and daily: `run` backs
/// up and answers whether it tried (backups are on).
pub fn start(schedule: Arc<Schedule>, mut run: impl FnMut() -> bool + Send + 'static) {
    std::thread::spawn(move || {
        let mut plan = Plan::new(Instant::now());
        let mut changed = schedule.changed.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            let now = Instant::now();
            let deadline = plan.deadline(*changed, now);
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
            let attempted = run();
            plan.ran(attempted, Instant::now());
            changed = schedule.changed.lock().unwrap_or_else(PoisonError::into_inner);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the plan over `span` of simulated time with no waiting: each
    /// step jumps to the next deadline. `attempted` says whether backups are
    /// on; `changes` are when saves happen. Answers when backups ran.
    fn simulate(span: Duration, attempted: bool, changes: &[Duration]) -> Vec<Duration> {
        let start = Instant::now();
        let mut plan = Plan::new(start);
        let mut now = start;
        let mut pending: Vec<Instant> = changes.iter().map(|d| start + *d).collect();
        let mut runs = Vec::new();
        // A bound on steps: a plan that never moves its deadline would loop.
        for _ in 0..10_000 {
            let changed = pending.first().is_some_and(|at| *at <= now);
            let deadline = plan.deadline(changed, now);
            let next_change = pending.iter().copied().find(|at| *at > now);
            let wake = next_change.map_or(deadline, |c| c.min(deadline));
            if now < wake {
                now = wake;
                if now > start + span {
                    return runs;
                }
                continue;
            }
            pending.retain(|at| *at > now);
            runs.push(now - start);
            plan.ran(attempted, now);
        }
        panic!("the schedule ran {} times without time moving: {:?}…", runs.len(), &runs[..5]);
    }

    #[test]
    fn with_backups_off_it_looks_once_a_day() {
        let runs = simulate(Duration::from_secs(2 * 24 * 3600), false, &[]);
        assert_eq!(runs, [DEBOUNCE, DEBOUNCE + DAILY]);
    }

    #[test]
    fn changes_are_backed_up_at_once_then_at_most_once_a_minute_and_daily() {
        let s = Duration::from_secs;
        let runs = simulate(s(2 * 24 * 3600), true, &[s(5), s(10), s(20), s(200)]);
        // A look at one minute comes after the first change's backup (at
        // 5 s): it waits for the minute since that one; 10 s and 20 s wait
        // until 65 s; 200 s is more than a minute after, so at once.
        assert_eq!(runs, [s(5), s(65), s(200), s(200) + DAILY]);
    }
}
