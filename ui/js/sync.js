// Folder sync: its part of the settings dialog (turning it on, what waits
// for the person: conflicts, removals held back), and the status line
// under the list ("In step with 1 other computer (office PC: 3 min ago)").
// Rust runs the rounds; the page only shows what Rust says.

import * as api from "./api.js";
import { ago, errorText, t } from "./i18n.js";
import { $, busy, showError, toast } from "./ui.js";

let view = null;

export function init() {
  $("s-sync-on").addEventListener("click", turnOn);
  $("s-sync-off-button").addEventListener("click", turnOff);
  $("s-sync-now").addEventListener("click", () => act(() => busy("sync.working", () => api.syncNow())));
  $("s-sync-apply").addEventListener("click", () => act(() => api.syncNow("apply")));
  $("s-sync-keep").addEventListener("click", () => act(() => api.syncNow("keep")));
  api.onSyncStatus(() => refresh());
}

/** Reads the status (after opening, after each round) and shows it. */
export async function refresh() {
  try {
    view = await api.syncStatus();
  } catch {
    // Locked, or no vault: nothing to show.
    view = null;
  }
  showLine();
  fillSettings();
}

function fieldName(field) {
  return t(`sync.field.${field}`);
}

function lineText() {
  const status = view.status;
  if (view.conflicts.length) return t("sync.conflictsLine", { n: view.conflicts.length });
  if (status.held_removals || status.held_keys) return t("sync.heldLine");
  if (view.error) return t("sync.failedLine");
  const seen = [...status.computers].sort((a, b) => b.written_ms - a.written_ms);
  if (!seen.length) return t("sync.alone");
  const latest = { name: seen[0].name, when: ago(Math.floor(seen[0].written_ms / 1000)) };
  return seen.length === 1 ? t("sync.inStepOne", latest) : t("sync.inStepMany", { n: seen.length, ...latest });
}

function showLine() {
  const line = $("sync-line");
  line.hidden = !view?.on;
  if (!view?.on) return;
  const warn = Boolean(view.conflicts.length || view.status.held_removals || view.status.held_keys || view.error);
  line.classList.toggle("warn", warn);
  line.textContent = lineText();
}

function fillSettings() {
  const on = Boolean(view?.on);
  $("s-sync-off").hidden = on;
  $("s-sync-on-row").hidden = !on;
  if (!view) return;
  if (!$("s-sync-name").value) $("s-sync-name").value = view.suggested_name;
  const status = view.status;
  const details = on
    ? [t("sync.on", { folder: status.folder, name: status.name }), lineText()]
        .concat(status.computers.filter((c) => c.stale).map((c) => t("sync.unseen", { name: c.name })))
        .concat(view.problems.map((p) => t("sync.problem", { file: p.file, reason: p.reason })))
    : [t("sync.off")];
  $("s-sync-status").textContent = details.join(" ");
  const held = on && (status.held_removals || status.held_keys);
  $("s-sync-held").hidden = !held;
  if (held) $("s-sync-held-text").textContent = t("sync.heldText", { removals: status.held_removals, keys: status.held_keys });
  $("s-sync-conflicts").replaceChildren(...(on ? view.conflicts.map((c) => conflictItem(c, status.device)) : []));
  $("s-sync-computers").replaceChildren(...(on ? status.computers.map(computerItem) : []));
}

/** "office PC, last seen 3 min ago", and a button to stop reading it. */
function computerItem(computer) {
  const li = document.createElement("li");
  li.dataset.testid = "sync-computer";
  const what = document.createElement("span");
  what.textContent = t("sync.computer", { name: computer.name, when: ago(Math.floor(computer.written_ms / 1000)) });
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button small";
  button.dataset.testid = "sync-remove-computer";
  button.textContent = t("sync.removeComputer");
  button.title = t("sync.removeComputerHint");
  button.addEventListener("click", () => act(() => api.removeSyncDevice(computer.device)));
  li.append(what, button);
  return li;
}

/** "GitHub: name changed on both computers", a button per version. */
function conflictItem(conflict, here) {
  const li = document.createElement("li");
  li.dataset.testid = "sync-conflict";
  const what = document.createElement("span");
  what.textContent = t("sync.changedOnBoth", { account: conflict.name, field: fieldName(conflict.field) });
  li.append(what);
  for (const version of conflict.versions) {
    const mine = version.device === here;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button small";
    button.dataset.testid = mine ? "sync-keep-this" : "sync-keep-other";
    button.textContent = t(mine ? "sync.keepThis" : "sync.keepOther", { shown: version.shown });
    button.addEventListener("click", () => act(() => api.resolveSyncConflict(conflict.id, mine ? "this" : "other")));
    li.append(button);
  }
  return li;
}

async function act(run) {
  try {
    const result = await run();
    if (result) view = result;
  } catch (err) {
    return showError($("s-sync-error"), errorText(err));
  }
  showError($("s-sync-error"), "");
  await refresh();
}

async function turnOn() {
  const passphrase = $("s-sync-pass").value;
  try {
    const result = await busy("sync.working", () => api.enableSync(passphrase, $("s-sync-name").value));
    if (!result) return; // a native dialog was cancelled
  } catch (err) {
    return showError($("s-sync-error"), errorText(err));
  }
  $("s-sync-pass").value = "";
  showError($("s-sync-error"), "");
  await refresh();
  toast(t("sync.enabled"));
}

async function turnOff() {
  try {
    if (!(await api.disableSync())) return; // kept on, in Rust's confirmation
  } catch (err) {
    return showError($("s-sync-error"), errorText(err));
  }
  await refresh();
}
