// The settings dialog: language, appearance (appearance.js), privacy (hidden codes, screen capture),
// the app lock, and the clock's part (clock.js). Rust keeps every setting
// in the vault; this page only shows them.

import * as api from "./api.js";
import * as appearance from "./appearance.js";
import * as backups from "./backups.js";
import * as list from "./accounts.js";
import * as clock from "./clock.js";
import * as lock from "./lock.js";
import * as sync from "./sync.js";
import { errorText, preference, setPreference, t } from "./i18n.js";
import { $, busy, showError, toast } from "./ui.js";

let prefs = null;

export function init() {
  $("settings-button").addEventListener("click", open);
  $("settings-form").addEventListener("submit", onSave);
  $("language").value = preference();
  $("language").addEventListener("change", (e) => {
    setPreference(e.target.value);
    // Simplest correct re-translation: rebuild the page in the new language.
    location.reload();
  });
  $("theme").value = appearance.theme();
  $("theme").addEventListener("change", (e) => appearance.setTheme(e.target.value));
  $("s-quick-set").addEventListener("click", setQuick);
  $("s-lock-set").addEventListener("click", () => changeLock(true));
  $("s-lock-off").addEventListener("click", () => changeLock(false));
  $("s-system").addEventListener("change", (e) => changeSystemUnlock(e.target.checked));
}

/** Reads the settings the list and the lock need (after opening, unlocking). */
export async function load() {
  try {
    prefs = await api.preferences();
  } catch {
    return;
  }
  list.setHideCodes(prefs.privacy.hide_codes);
  list.setTrayAvailable(prefs.tray_available);
  lock.setOn(prefs.lock_on);
}

export async function open() {
  await load();
  if (!prefs) return;
  $("s-quick-row").hidden = !prefs.global_shortcuts;
  $("s-quick-wayland").hidden = prefs.global_shortcuts;
  $("s-quick").value = prefs.quick_shortcut;
  showError($("s-quick-error"), "");
  $("s-tray-row").hidden = !prefs.tray_available;
  $("s-tray").checked = prefs.close_to_tray;
  $("s-login").checked = prefs.start_at_login;
  $("s-hide-codes").checked = prefs.privacy.hide_codes;
  $("s-capture").checked = prefs.privacy.hide_from_capture;
  $("s-capture").disabled = !prefs.capture_protection;
  $("s-capture-hint").hidden = prefs.capture_protection;
  $("s-idle").value = String(prefs.idle_seconds);
  $("s-lock-hidden").checked = prefs.lock_when_hidden;
  if (!$("s-idle").value) $("s-idle").value = "300";
  showLock();
  await backups.refresh();
  await sync.refresh();
  clock.fillSettings();
  $("settings-dialog").showModal();
}

function showLock() {
  const on = prefs.lock_on;
  $("s-lock-status").textContent = t(on ? "lock.statusOn" : "lock.statusOff");
  $("s-lock-current-row").hidden = !on;
  $("s-lock-new-label").textContent = t(on ? "lock.newPassphrase" : "lock.passphraseNew");
  $("s-lock-set").textContent = t(on ? "lock.change" : "lock.turnOn");
  $("s-lock-off").hidden = !on;
  $("s-idle").disabled = !on;
  $("s-lock-hidden").disabled = !on;
  // The system's way in: offered once the lock is on and the system can ask.
  const way = lock.systemWay(prefs.system_unlock);
  $("s-system-row").hidden = !(on && way);
  $("s-system-hint").hidden = !(on && way) || prefs.system_unlock_on;
  $("s-system").checked = prefs.system_unlock_on;
  $("s-system-label").textContent = t("lock.systemOffer", { way });
  for (const id of ["s-lock-current", "s-lock-new", "s-lock-confirm"]) $(id).value = "";
  showError($("s-lock-error"), "");
}

async function setQuick() {
  const shortcut = $("s-quick").value.trim();
  try {
    await api.setQuickShortcut(shortcut);
  } catch (err) {
    return showError($("s-quick-error"), errorText(err));
  }
  showError($("s-quick-error"), "");
  toast(t("settings.quickSaved", { shortcut }));
}

/** Turns the lock on or changes its passphrase (`set`), or turns it off. */
async function changeLock(set) {
  const next = $("s-lock-new").value;
  if (set && next !== $("s-lock-confirm").value) {
    return showError($("s-lock-error"), t("lock.mismatch"));
  }
  const current = prefs.lock_on ? $("s-lock-current").value : null;
  try {
    await busy("status.saving", () => api.setLockPassphrase(current, set ? next : null));
  } catch (err) {
    return showError($("s-lock-error"), errorText(err));
  }
  await load();
  showLock();
  toast(t(set ? "lock.saved" : "lock.removed"));
}

/** Lets the system unlock too, or not; turning it on needs the passphrase. */
async function changeSystemUnlock(on) {
  const current = on ? $("s-lock-current").value : null;
  try {
    await busy("status.saving", () => api.setSystemUnlock(current, on));
  } catch (err) {
    $("s-system").checked = !on;
    showError($("s-lock-error"), errorText(err));
    return;
  }
  await load();
  showLock();
  toast(t("lock.saved"));
}

async function onSave(e) {
  e.preventDefault();
  try {
    await api.savePreferences({
      idle_seconds: Number($("s-idle").value),
      lock_when_hidden: $("s-lock-hidden").checked,
      privacy: { hide_codes: $("s-hide-codes").checked, hide_from_capture: $("s-capture").checked },
      close_to_tray: $("s-tray").checked,
      start_at_login: $("s-login").checked,
    });
    await clock.saveSettings();
    $("settings-dialog").close();
    await load();
  } catch (err) {
    toast(errorText(err));
  }
}
