// The one timer behind every live code on the page: the list's countdowns
// and codes, and the add preview's codes.
//
// It costs nothing while it waits. Rust sends each code with the one that
// follows and the time it takes over, so a code flips on its own at its
// boundary and Rust is asked again only then, never in between; and nothing
// runs while the window is hidden or minimised.
//
// Every repaint costs the same whatever changed (on a software-rendered
// desktop, about 1.5 % of a core for one a second), so the countdown steps
// every second, with its digits, only while the person is using the window
// (focused or under the pointer). Otherwise it steps every 15 seconds (half
// a 30 s code), ring only, turns red exactly 5 s before the end, and codes
// still flip exactly at their boundary: a glance shows the code and roughly
// how long it lasts, and the window costs next to nothing.

/** The countdown's step while the window is not in use, in ms. */
const IDLE_STEP = 15000;
/** A code this close to its end is shown as expiring, in seconds. */
export const EXPIRING = 5;

/** Rust's (clock-corrected) time minus this page's clock, in ms. */
let offsetMs = 0;
let timer = null;
let hovered = false;
let listening = false;
/** Every place that shows live codes (see `watch`). */
const watchers = new Set();

/** Sets the clock codes are made for from Rust's time now (a listing's `now_ms`). */
export function setClock(nowMs) {
  offsetMs = nowMs - Date.now();
}

/** The time codes are made for, in ms. */
export function now() {
  return Date.now() + offsetMs;
}

/** Whether the person is using the window: countdowns then step each second. */
export function inUse() {
  return hovered || document.hasFocus();
}

/** Adds a place that shows live codes (again: no change), and plans the timer.
 * - `accounts()`: its timed accounts as Rust last sent them; at a boundary
 *   the timer flips each `code` to its `next_code`;
 * - `stale()`: its codes moved on (a boundary passed, or the window is shown
 *   again): redraw them, and ask Rust for the codes that follow;
 * - `step(at)`, only where a countdown is shown: redraw it. The timer then
 *   also wakes each step and when a code starts expiring. */
export function watch(watcher) {
  if (!listening) listen();
  watchers.add(watcher);
  schedule();
}

export function unwatch(watcher) {
  watchers.delete(watcher);
  schedule();
}

function listen() {
  listening = true;
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) stop();
    else for (const w of [...watchers]) w.stale();
  });
  window.addEventListener("blur", retime);
  document.documentElement.addEventListener("mouseenter", () => { hovered = true; retime(); });
  document.documentElement.addEventListener("mouseleave", () => { hovered = false; retime(); });
}

function stop() {
  clearTimeout(timer);
  timer = null;
}

/** Redraws the countdowns for a change of use, and re-plans the next step. */
function retime() {
  const at = now();
  for (const w of watchers) w.step?.(at);
  schedule();
}

/** One timer for the next step (a second, or 15 s when not in use), the
 * next code turning red, or the next boundary, whichever is soonest; none
 * if no code is timed. Call it when the codes shown change. */
export function schedule() {
  stop();
  if (document.hidden) return;
  const at = now();
  const step = inUse() ? 1000 : IDLE_STEP;
  const nextStep = at - (at % step) + step;
  let next = Infinity;
  for (const w of watchers) {
    for (const a of w.accounts()) {
      if (a.changes_at == null) continue;
      const end = a.changes_at * 1000;
      // The step, the code turning red, the next code joining it, the boundary.
      const joins = end - (a.next_shown_within ?? 0) * 1000;
      const moments = w.step ? [nextStep, end - EXPIRING * 1000, joins, end] : [end];
      for (const moment of moments) {
        if (moment > at && moment < next) next = moment;
      }
    }
  }
  if (next < Infinity) timer = setTimeout(tick, next - at + 5);
}

function tick() {
  timer = null;
  const at = now();
  for (const w of [...watchers]) {
    let rolled = false;
    for (const a of w.accounts()) {
      if (a.changes_at == null || a.changes_at * 1000 > at) continue;
      // The boundary passed: the next code is already here; Rust is asked
      // once for the one after it.
      if (a.next_code != null) a.code = a.next_code;
      a.next_code = null;
      a.changes_at += a.period;
      rolled = true;
    }
    if (rolled) w.stale();
    else w.step?.(at);
  }
  schedule();
}
