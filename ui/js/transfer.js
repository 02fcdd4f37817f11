// Moving to a new computer: the checklist of what to fix first, export a
// transfer bundle and verify it, verify one later, import another app's file
// (through enrolment, which asks for a passphrase only when it is encrypted).

import * as api from "./api.js";
import { errorText, t, current } from "./i18n.js";
import { strength } from "./vault.js";
import { $, busy, showError, toast } from "./ui.js";
import * as enroll from "./enroll.js";

export function init() {
  $("transfer-button").addEventListener("click", open);
  $("transfer-form").addEventListener("submit", onExport);
  $("t-verify").addEventListener("click", onVerify);
  $("t-pass").addEventListener("input", () => { $("t-strength").textContent = strength($("t-pass").value); });
  $("t-import").addEventListener("click", () => $("t-import-input").click());
  $("t-import-input").addEventListener("change", onImportFile);
  $("checklist-open").addEventListener("click", showChecklist);
}

async function open() {
  $("transfer-form").reset();
  $("t-strength").textContent = "";
  showResult("", "");
  try {
    const status = await api.transferStatus();
    showLast(status.last_verified);
  } catch (e) {
    showResult("error", errorText(e));
  }
  $("transfer-dialog").showModal();
  $("t-pass").focus();
}

function showLast(last) {
  $("last-verified").textContent = last
    ? t("transfer.last", { date: new Date(last.at * 1000).toLocaleString(current()), count: last.accounts })
    : t("transfer.never");
}

function showResult(kind, text) {
  const el = $("t-result");
  el.className = `result ${kind}`;
  el.textContent = text;
  el.hidden = !text;
}

function report(r) {
  // Rust decides when a bundle is complete; this only words the verdict.
  if (r.complete) {
    return ["ok", t("transfer.verified", { count: r.total })];
  }
  const lines = [t("transfer.partial", { matching: r.matching, total: r.total })];
  if (r.missing.length) lines.push(t("transfer.missing", { names: r.missing.join(", ") }));
  if (r.different.length) lines.push(t("transfer.different", { names: r.different.join(", ") }));
  return ["error", lines.join(" ")];
}

async function run(messageKey, call) {
  try {
    // Rust asks where first, in a native dialog; null: the person cancelled.
    const result = await busy(messageKey, call);
    if (!result) return;
    showResult(...report(result));
    showLast((await api.transferStatus()).last_verified);
  } catch (e) {
    showResult("error", errorText(e));
  }
}

async function onExport(e) {
  e.preventDefault();
  const pass = $("t-pass").value;
  if (pass !== $("t-pass2").value) return showResult("error", t("passphrase.mismatch"));
  await run("status.exporting", () => api.exportBundle(pass));
}

async function onVerify() {
  await run("status.verifying", () => api.verifyBundle($("t-pass").value));
}

async function showChecklist() {
  let c;
  try {
    c = await api.checklist();
  } catch (e) {
    return toast(errorText(e));
  }
  const box = $("checklist");
  const items = [];
  const add = (key, names) => {
    if (names.length === 0) return;
    const p = document.createElement("p");
    p.className = "note warn";
    p.textContent = `${t(key, { count: names.length })} ${names.join(", ")}`;
    items.push(p);
  };
  const age = document.createElement("p");
  // Staleness and "anything to fix" are Rust's verdicts; JS only lays them out.
  age.className = c.bundle_stale ? "note warn" : "hint";
  age.textContent = c.bundle_age_days == null ? t("checklist.noBundle") : t("checklist.bundleAge", { days: c.bundle_age_days });
  items.push(age);
  if (c.needs_attention) {
    add("checklist.changed", c.changed_since_bundle);
    add("checklist.noCodes", c.without_recovery_codes);
    add("checklist.alone", c.twofold_only);
    add("checklist.hotp", c.hotp);
    add("checklist.unseen", c.unseen_computers);
    if (c.backups.problem) add("checklist.backups", [t(`backup.problem.${c.backups.problem}`, { folder: c.backups.folder })]);
  } else {
    const ok = document.createElement("p");
    ok.className = "note";
    ok.textContent = t("checklist.allClear");
    items.push(ok);
  }
  box.replaceChildren(...items);
  box.hidden = false;
}

/** Another app's file goes through enrolment, like a dropped screenshot. */
async function onImportFile(e) {
  const file = e.target.files[0];
  e.target.value = "";
  if (!file) return;
  $("transfer-dialog").close();
  await enroll.addFiles([file]);
}

// Showing secrets on screen, or writing them unencrypted, is confirmed in a
// native dialog that Rust shows: the page cannot skip it. A null answer means
// the person declined.

let codes = [];
let shown = 0;
let numbered = false;

function showCode() {
  const code = codes[shown];
  $("qr-title").textContent = numbered ? t("qr.batch", { number: code.number, of: code.of }) : t("qr.single");
  $("qr-image").src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(code.svg);
  $("qr-accounts").textContent = code.accounts.join(", ");
  $("qr-prev").hidden = codes.length < 2;
  $("qr-next").hidden = codes.length < 2;
  $("qr-prev").disabled = shown === 0;
  $("qr-next").disabled = shown === codes.length - 1;
}

/** `batch`: Google Authenticator export codes, numbered like Google's. */
function openCodes(list, leftOut, batch) {
  codes = list;
  numbered = batch;
  shown = 0;
  const note = $("qr-left-out");
  note.hidden = !leftOut.length;
  note.textContent = leftOut.length ? t("qr.leftOut", { names: leftOut.join(", ") }) : "";
  if (codes.length === 0) return showResult("error", t("qr.none"));
  showCode();
  $("qr-dialog").showModal();
}

export async function showAccountQr(account) {
  try {
    const code = await api.accountQr(account.id);
    if (code) openCodes([code], [], false);
  } catch (e) {
    enroll.toastError(e);
  }
}

function initReveal() {
  $("qr-prev").addEventListener("click", () => { if (shown > 0) { shown -= 1; showCode(); } });
  $("qr-next").addEventListener("click", () => { if (shown < codes.length - 1) { shown += 1; showCode(); } });
  // Clear the codes from the page as soon as they are not on screen.
  $("qr-dialog").addEventListener("close", () => { $("qr-image").removeAttribute("src"); codes = []; });
  $("t-phone").addEventListener("click", async () => {
    try {
      const result = await api.phoneExport();
      if (result) openCodes(result.codes, result.left_out, true);
    } catch (e) {
      showResult("error", errorText(e));
    }
  });
  for (const button of document.querySelectorAll("[data-plain]")) {
    button.addEventListener("click", async () => {
      try {
        const written = await api.exportPlain(button.dataset.plain);
        if (written) showResult("error", t("plain.done", { path: written }));
      } catch (e) {
        showResult("error", errorText(e));
      }
    });
  }
}
initReveal();
