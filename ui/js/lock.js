// The app lock: the lock screen, the lock button, and telling Rust the
// person is still here. While locked, Rust answers no command that reads the
// vault, and this page keeps no code or account name (`list.forget`).

import * as api from "./api.js";
import * as list from "./accounts.js";
import * as vault from "./vault.js";
import { errorText, t } from "./i18n.js";
import { $, busy, showError } from "./ui.js";

/** Input tells Rust the person is here at most this often, in ms. */
const TOUCH_EVERY = 5000;

let on = false;
let locked = false;
let lastTouch = 0;
let onUnlocked = () => {};

export function init(unlocked) {
  onUnlocked = unlocked;
  api.onAppLocked(showLocked);
  $("lock-form").addEventListener("submit", onUnlock);
  $("lock-system").addEventListener("click", onUnlockWithSystem);
  $("lock-button").addEventListener("click", lockNow);
  for (const type of ["keydown", "pointerdown", "pointermove", "wheel"]) {
    document.addEventListener(type, touch, { passive: true, capture: true });
  }
}

/** Whether the lock is on (the button shows only then). */
export function setOn(value) {
  on = value;
  $("lock-button").hidden = !on;
}

export function lockNow() {
  if (on) api.lockApp();
}

function touch() {
  if (!on || locked) return;
  const now = Date.now();
  if (now - lastTouch < TOUCH_EVERY) return;
  lastTouch = now;
  api.stillHere().catch(() => {});
}

/** Rust locked (idle, the lock button, the session): forget what was shown. */
export function showLocked() {
  locked = true;
  list.forget();
  // "Copied": no longer true, the clipboard was cleared; and no message
  // (on screen or waiting for a screen reader) keeps an account's name.
  $("toast").hidden = true;
  $("toast").textContent = "";
  $("announce").replaceChildren();
  for (const dialog of document.querySelectorAll("dialog[open]")) dialog.close();
  vault.show("screen-locked");
  $("lock-form").reset();
  showError($("lock-error"), "");
  $("lock-passphrase").focus();
  offerSystem();
}

/** The system's words for its way in ("Unlock with Windows Hello"). */
export function systemWay(kind) {
  const key = { windows_hello: "lock.systemWindowsHello", touch_id: "lock.systemTouchId", system_password: "lock.systemPassword" }[kind];
  return key ? t(key) : "";
}

/** Offers the system's way in beside the passphrase, when it is on here. */
async function offerSystem() {
  const button = $("lock-system");
  let kind = null;
  try {
    kind = (await api.lockOptions()).system_unlock;
  } catch {
    // The passphrase is always there.
  }
  button.textContent = systemWay(kind);
  button.hidden = !kind;
}

async function onUnlockWithSystem() {
  showError($("lock-error"), "");
  try {
    await busy("lock.systemAsking", api.unlockWithSystem);
  } catch (err) {
    // Cancelled, refused or unavailable: the passphrase is the way in.
    showError($("lock-error"), errorText(err));
    $("lock-passphrase").focus();
    return;
  }
  unlocked();
}

async function onUnlock(e) {
  e.preventDefault();
  try {
    await busy("status.unlocking", () => api.unlockApp($("lock-passphrase").value));
  } catch (err) {
    showError($("lock-error"), errorText(err));
    $("lock-passphrase").select();
    return;
  }
  unlocked();
}

function unlocked() {
  locked = false;
  $("lock-form").reset();
  onUnlocked();
}
