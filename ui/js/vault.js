// Opening the vault, and the screens for when that needs the person:
// no keychain (offer a passphrase), a passphrase to unlock, a damaged file.

import * as api from "./api.js";
import { errorText, t } from "./i18n.js";
import { $, busy, showError } from "./ui.js";

let onOpen = () => {};
let onLocked = () => {};
let mode = null; // "create" | "unlock"

export function init(opened, locked) {
  onOpen = opened;
  onLocked = locked;
  $("passphrase-form").addEventListener("submit", onSubmit);
  $("wayback-form").addEventListener("submit", (e) => {
    e.preventDefault();
    wayBack(false);
  });
  $("wayback-choose").addEventListener("click", () => wayBack(true));
  $("passphrase").addEventListener("input", () => {
    if (mode === "create") $("strength").textContent = strength($("passphrase").value);
  });
}

export async function open() {
  show("screen-loading");
  try {
    const status = await api.openVault();
    if (status.state === "needs_passphrase") unlockScreen();
    else if (status.state === "locked") onLocked();
    else onOpen();
  } catch (e) {
    failed(e);
  }
}

function failed(e) {
  if (e.code === "keychain_unavailable") return passphraseScreen("create", e);
  if (e.code === "vault_corrupted_backup" || e.code === "vault_corrupted") return corruptScreen(e);
  if (e.code === "vault_missing_backup" || e.code === "vault_missing_found") return missingScreen(e);
  if (e.code === "keychain_key_missing" || e.code === "keychain_key_mismatch") return keyLostScreen(e);
  setupScreen("setup.errorTitle", null, e);
  action("common.retry", open);
}

function passphraseScreen(kind, error) {
  mode = kind;
  const create = kind === "create";
  setupScreen(create ? "setup.noKeychainTitle" : "setup.unlockTitle", create ? "setup.noKeychainBody" : "setup.unlockBody", create ? error : null);
  $("passphrase-form").hidden = false;
  $("confirm-row").hidden = !create;
  $("strength").hidden = !create;
  $("passphrase").autocomplete = create ? "new-password" : "current-password";
  $("passphrase-submit").textContent = t(create ? "setup.createPassphrase" : "setup.unlock");
  $("passphrase").focus();
}

const unlockScreen = () => passphraseScreen("unlock");

function corruptScreen(e) {
  const backup = e.code === "vault_corrupted_backup";
  setupScreen("setup.corruptTitle", backup ? "setup.corruptBackupBody" : "setup.corruptBody", null);
  if (backup) {
    action("setup.restore", restore);
  }
  offerBackups();
}

/** The automatic backups as the way back, before anything new is created. */
function offerBackups() {
  $("wayback-form").hidden = false;
}

/** Runs `work` with the setup screen inert: a repair replaces the vault
 * file, and a second press while the first runs must not start another. */
async function once(statusKey, work) {
  const screen = $("screen-setup");
  if (screen.inert) return undefined;
  screen.inert = true;
  try {
    return await busy(statusKey, work);
  } finally {
    screen.inert = false;
  }
}

async function wayBack(choose) {
  try {
    const restored = await once("status.restoring", () =>
      api.startOverFromBackups($("wayback-pass").value, choose));
    if (restored == null) return; // the folder dialog was cancelled
    $("wayback-form").reset();
    onOpen();
  } catch (err) {
    showError($("wayback-error"), errorText(err));
    $("wayback-pass").select();
  }
}

/** The vault file is gone but a backup (or another version) is there:
 * never start over silently. Restoring comes first; a new vault is a choice. */
function missingScreen(e) {
  const backup = e.code === "vault_missing_backup";
  setupScreen("setup.missingTitle", null, e);
  if (backup) action("setup.restore", restore);
  action("setup.startAnew", startAnew, !backup);
  offerBackups();
}

/** The vault is there but its key is not (a reinstalled system, a reset
 * keyring): nothing can decrypt it. Say so, keep the file, and offer a new
 * vault into which a transfer bundle or another app's export can be imported. */
function keyLostScreen(e) {
  setupScreen("setup.keyLostTitle", "setup.keyLostBody", e);
  action("common.retry", open);
  action("setup.startAnewImport", startAnew, false);
  offerBackups();
}

/** Runs a repair (`call`, showing `statusKey`), then opens the vault again. */
const repair = (statusKey, call) => async () => {
  try {
    await once(statusKey, call);
    await open();
  } catch (err) {
    failed(err);
  }
};
const restore = repair("status.restoring", api.restorePrevious);
const startAnew = repair("status.creating", api.createVaultAnew);

function setupScreen(titleKey, bodyKey, error) {
  show("screen-setup");
  $("setup-title").textContent = t(titleKey);
  $("setup-body").textContent = bodyKey ? t(bodyKey) : error ? errorText(error) : "";
  // The technical reason (e.g. which keychain failed) helps support; it never holds secrets.
  const detail = $("setup-detail");
  detail.textContent = error?.message ?? "";
  detail.hidden = !error?.message;
  $("passphrase-form").hidden = true;
  $("passphrase-form").reset();
  showError($("passphrase-error"), "");
  $("strength").textContent = "";
  $("setup-actions").replaceChildren();
  $("wayback-form").hidden = true;
  showError($("wayback-error"), "");
}

function action(key, run, primary = true) {
  const button = document.createElement("button");
  button.className = primary ? "button primary" : "button";
  button.dataset.testid = primary ? "setup-action" : "setup-secondary";
  button.textContent = t(key);
  button.addEventListener("click", run);
  $("setup-actions").append(button);
}

async function onSubmit(e) {
  e.preventDefault();
  const passphrase = $("passphrase").value;
  const error = $("passphrase-error");
  if (mode === "create" && passphrase !== $("passphrase-confirm").value) {
    return showError(error, t("passphrase.mismatch"));
  }
  try {
    if (mode === "create") await busy("status.creating", () => api.createPassphraseVault(passphrase));
    else await busy("status.unlocking", () => api.unlockVault(passphrase));
    $("passphrase-form").reset();
    onOpen();
  } catch (err) {
    showError(error, errorText(err));
    $("passphrase").select();
  }
}

/** Rust's minimum (`passphrase_rule`), read once; until then nothing is
 * called weak for its length. */
let minChars = 0;
api.passphraseRule().then((rule) => { minChars = rule.min_chars; }, () => {});

/** A rough hint, not a meter: length and variety of characters, counted
 * as Rust counts them (characters, not UTF-16 units). */
export function strength(text) {
  const chars = [...text].length;
  if (chars < minChars) return t("strength.weak");
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(text)).length;
  const words = text.trim().split(/\s+/).length;
  if (chars >= 20 || (words >= 4 && chars >= 16)) return t("strength.strong");
  if (chars >= 12 && classes >= 2) return t("strength.good");
  return t("strength.fair");
}

export function show(id) {
  for (const screen of document.querySelectorAll(".screen")) screen.hidden = screen.id !== id;
  $("bar").hidden = id !== "screen-accounts";
  // The window is hidden until its first screen is drawn; the accounts
  // screen says so itself, once its codes are in place.
  if (id !== "screen-loading" && id !== "screen-accounts") api.pageReady();
}
