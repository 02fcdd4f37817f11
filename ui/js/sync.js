// Folder sync: its part of the settings dialog (turning it on, what waits
// for the person: conflicts, removals held back), and the status line
// under the list ("In step with 1 other computer (office PC: 3 min ago)").
// Rust runs the rounds; the page only shows what Rust says.

import * as api from "./api.js";
import { ago, current, errorText, t } from "./i18n.js";
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
  setText(line, lineText());
}

// Each round asks for the status again, mostly to hear nothing new: what
// has not changed is left alone, so a button is never swapped out from
// under a pointer about to click it, and an idle window does not repaint.
function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

function showList(list, items, build) {
  const shown = JSON.stringify([current(), items]);
  if (list.dataset.shown === shown) return;
  list.dataset.shown = shown;
  list.replaceChildren(...items.map(build));
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
  setText($("s-sync-status"), details.join(" "));
  const held = on && (status.held_removals || status.held_keys);
  $("s-sync-held").hidden = !held;
  if (held) setText($("s-sync-held-text"), t("sync.heldText", { removals: status.held_removals, keys: status.held_keys }));
  showList($("s-sync-conflicts"), on ? view.conflicts.map((c) => ({ ...c, here: status.device })) : [], conflictItem);
  // Keyed by who they are; when each was last seen is written in place,
  // so the Remove buttons stay put as the minutes go by.
  const computers = on ? status.computers : [];
  showList($("s-sync-computers"), computers.map((c) => ({ device: c.device, name: c.name })), computerItem);
  computers.forEach((c, i) => {
    const text = t("sync.computer", { name: c.name, when: ago(Math.floor(c.written_ms / 1000)) });
    setText($("s-sync-computers").children[i].firstElementChild, text);
  });
}

/** "office PC, last seen 3 min ago", and a button to stop reading it. */
function computerItem(computer) {
  const li = document.createElement("li");
  li.dataset.testid = "sync-computer";
  const what = document.createElement("span");
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
function conflictItem(conflict) {
  const li = document.createElement("li");
  li.dataset.testid = "sync-conflict";
  const what = document.createElement("span");
  what.textContent = t("sync.changedOnBoth", { account: conflict.name, field: fieldName(conflict.field) });
  li.append(what);
  for (const version of conflict.versions) {
    const mine = version.device === conflict.here;
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
