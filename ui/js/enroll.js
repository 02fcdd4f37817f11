// Enrolling: drop files (native, read in Rust), paste, or pick a file — a QR
// screenshot or another app's export; every way leads to the same preview,
// which the person confirms. An encrypted file asks for its passphrase.

import * as api from "./api.js";
import { errorText, t } from "./i18n.js";
import { $, busy, groupCode, showError, toast } from "./ui.js";
import * as countdown from "./list/countdown.js";

/** The preview shown (Rust's last answer), while its dialog is open. */
let current = null;
/** Answers asked for: only the newest is drawn, so a slow one never undoes a choice. */
let asked = 0;

/** The preview's codes stay live through the list's one timer: flipped at
 * their boundary, then Rust is asked once for the preview again. */
const live = {
  accounts: () => current?.accounts ?? [],
  stale: () => {
    render(current);
    refresh();
  },
};

export function init() {
  api.onDropHover((over) => { $("drop-target").hidden = !over || vaultClosed(); });
  api.onScanStarted(() => { if (!vaultClosed()) showBusy(true); });
  api.onScanFinished((error, preview) => {
    showBusy(false);
    if (vaultClosed()) return;
    if (error) failed(error);
    else show(preview);
  });
  $("unlock-form").addEventListener("submit", onUnlock);

  document.addEventListener("keydown", onKeyDown);
  $("pick-image").addEventListener("click", () => $("image-input").click());
  $("scan-screen").addEventListener("click", () => {
    $("add-dialog").close();
    scanScreen();
  });
  $("image-input").addEventListener("change", async (e) => {
    const files = [...e.target.files];
    e.target.value = "";
    if (files.length === 0) return;
    $("add-dialog").close();
    await addFiles(files);
  });
  $("preview-form").addEventListener("submit", onConfirm);
  $("preview-cancel").addEventListener("click", onCancel);
  // However it closes (added, cancelled, the app locked), nothing stays live.
  $("preview-dialog").addEventListener("close", () => {
    if ($("preview-dialog").open) return; // shown again before this event came
    countdown.unwatch(live);
    current = null;
    asked++;
  });
  $("preview-dialog").addEventListener("cancel", (e) => {
    e.preventDefault();
    onCancel();
  });
}

function vaultClosed() {
  return $("screen-accounts").hidden;
}

let busyCount = 0;
function showBusy(on) {
  busyCount = Math.max(0, busyCount + (on ? 1 : -1));
  $("busy-text").textContent = t("status.scanning");
  $("busy").hidden = busyCount === 0;
}

/** Adds picked files (screenshots or exports) one after another, then previews. */
export async function addFiles(files) {
  let preview = null;
  try {
    preview = await busy("status.scanning", async () => {
      let last = null;
      for (const file of files) {
        const bytes = new Uint8Array(await file.arrayBuffer());
        last = await api.previewFile(bytes, file.name || "image");
      }
      return last;
    });
  } catch (e) {
    return failed(e);
  }
  if (preview) show(preview);
}

/** An encrypted file waits in Rust for its passphrase; anything else is said. */
function failed(err) {
  if (err?.code === "needs_passphrase_file") return askPassphrase();
  toast(errorText(err));
}

function askPassphrase() {
  $("unlock-form").reset();
  showError($("unlock-error"), "");
  $("unlock-dialog").showModal();
  $("u-pass").focus();
}

async function onUnlock(e) {
  e.preventDefault();
  try {
    const preview = await busy("status.reading", () => api.unlockFile($("u-pass").value));
    $("unlock-dialog").close();
    show(preview);
  } catch (err) {
    showError($("unlock-error"), errorText(err));
    $("u-pass").select();
  }
}

/** Twofold steps aside, the screen is scanned, and the preview shows what it held. */
export function scanScreen() {
  if (vaultClosed()) return;
  busy("status.scanning", api.scanScreen).then(show, (err) => toast(errorText(err)));
}

/** Ctrl+Shift+S scans the screen; Ctrl+V / Cmd+V outside a text field pastes a QR screenshot or links. */
function onKeyDown(e) {
  if ((e.ctrlKey || e.metaKey) && e.shiftKey && !e.altKey && e.key.toLowerCase() === "s") {
    if (document.querySelector("dialog[open]")) return;
    e.preventDefault();
    return scanScreen();
  }
  if (vaultClosed() || !(e.ctrlKey || e.metaKey) || e.altKey || e.key.toLowerCase() !== "v") return;
  if (e.target.closest("input, textarea, [contenteditable]")) return;
  if (document.querySelector("dialog[open]:not(#preview-dialog)")) return;
  e.preventDefault();
  busy("status.scanning", api.pasteFromClipboard).then(show, (err) => toast(errorText(err)));
}


export function show(preview) {
  asked++;
  draw(preview);
  const dialog = $("preview-dialog");
  if (!dialog.open) dialog.showModal();
  countdown.watch(live);
}

/** Draws an answer from Rust and plans the timer for its codes. */
function draw(preview) {
  current = preview;
  render(preview);
  countdown.schedule();
}

/** Asks Rust for the preview again (its codes moved on). */
async function refresh() {
  const mine = ++asked;
  try {
    const preview = await api.enrollmentPreview();
    if (mine === asked) draw(preview);
  } catch {
    // The next boundary asks again; the dialog stays usable.
  }
}

function render(preview) {
  const ul = $("preview-list");
  // Rows are updated in place (the codes change at each boundary), so a
  // checkbox keeps its keyboard focus.
  if (ul.children.length !== preview.accounts.length) {
    ul.replaceChildren(...preview.accounts.map((_, i) => row(i)));
  }
  preview.accounts.forEach((a, i) => {
    const li = ul.children[i];
    li.classList.toggle("duplicate", Boolean(a.duplicate_of));
    li.querySelector(".issuer").textContent = a.issuer || a.name;
    li.querySelector(".name").textContent = a.duplicate_of
      ? t("preview.duplicate", { name: a.duplicate_of })
      : a.issuer ? a.name : "";
    const box = li.querySelector("input");
    box.hidden = Boolean(a.duplicate_of);
    box.checked = a.chosen;
    box.setAttribute("aria-label", t("preview.choose", { name: a.issuer || a.name }));
    li.querySelector(".code").textContent = groupCode(a.code, a.kind);
  });
  $("preview-none").hidden = preview.accounts.length > 0;

  const notes = [];
  for (const b of preview.batches) {
    if (b.missing.length > 0) {
      notes.push(["warn", t("preview.batch", { scanned: b.scanned.length, size: b.size, missing: b.missing.join(", ") })]);
    }
  }
  // Repeats inside one file are named; any others (across files) counted.
  let inFiles = 0;
  for (const r of preview.file_repeats) {
    inFiles += r.count;
    notes.push(["info", t("preview.fileRepeats", { count: r.count, label: r.label, source: r.source })]);
  }
  if (preview.repeats > inFiles) notes.push(["info", t("preview.repeats", { count: preview.repeats - inFiles })]);
  for (const p of preview.problems) notes.push(["error", problemText(p)]);
  $("preview-notes").replaceChildren(
    ...notes.map(([kind, text]) => {
      const li = document.createElement("li");
      li.className = `note ${kind}`;
      li.dataset.testid = `preview-note-${kind}`;
      li.textContent = text;
      return li;
    }),
  );
  const confirm = $("preview-confirm");
  confirm.textContent = preview.new_count ? t("preview.confirm", { count: preview.new_count }) : t("preview.nothingNew");
  confirm.disabled = preview.new_count === 0;
}

/** One preview row; its checkbox leaves the account out or puts it back. */
function row(index) {
  const li = document.createElement("li");
  li.className = "preview-item";
  li.dataset.testid = "preview-account";
  const box = document.createElement("input");
  box.type = "checkbox";
  box.dataset.testid = "preview-choose";
  box.addEventListener("change", async () => {
    const mine = ++asked;
    try {
      const preview = await api.chooseEnrollment(index, box.checked);
      if (mine === asked) draw(preview);
    } catch (err) {
      toast(errorText(err));
    }
  });
  const who = document.createElement("span");
  who.className = "who";
  const issuer = document.createElement("span");
  issuer.className = "issuer";
  const name = document.createElement("span");
  name.className = "name";
  who.append(issuer, name);
  const code = document.createElement("span");
  code.className = "code small";
  code.dataset.testid = "preview-code";
  li.append(box, who, code);
  return li;
}

/** One problem in the person's language: every kind has words in each
 * (a Rust test checks), so nothing falls back to Rust's English. */
function problemText(p) {
  const source = p.source;
  if (p.kind === "bad_entry") {
    const entry = p.entry;
    const key = entry.label ? "preview.badEntry" : "preview.badEntryUnnamed";
    return t(key, { source, position: entry.position, label: entry.label, reason: t(`entryReason.${entry.reason}`) });
  }
  // A QR code that holds something else (a web address, Wi-Fi…) says what it holds.
  return t(p.kind === "not_authenticator" ? `problem.${p.holds}` : `problem.${p.kind}`, { source });
}

async function onConfirm(e) {
  e.preventDefault();
  try {
    const result = await api.confirmAdd();
    $("preview-dialog").close();
    const skipped = result.skipped.length;
    toast(skipped ? t("preview.doneSkipped", { count: result.added, skipped }) : t("preview.done", { count: result.added }));
  } catch (err) {
    toast(errorText(err));
  }
}

async function onCancel() {
  $("preview-dialog").close();
  try {
    await api.cancelEnrollment();
  } catch (err) {
    toast(errorText(err));
  }
}
