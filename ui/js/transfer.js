// Moving to a new computer: export a transfer bundle and verify it, verify
// one later, import another app's file (asking for its passphrase only when
// it is encrypted).

import * as api from "./api.js";
import { errorText, t, current } from "./i18n.js";
import { strength } from "./setup.js";
import { $, busy, showError } from "./ui.js";
import * as enroll from "./enroll.js";

export function init() {
  $("transfer-button").addEventListener("click", open);
  $("transfer-form").addEventListener("submit", onExport);
  $("t-verify").addEventListener("click", onVerify);
  $("t-pass").addEventListener("input", () => { $("t-strength").textContent = strength($("t-pass").value); });
  $("t-import").addEventListener("click", () => $("t-import-input").click());
  $("t-import-input").addEventListener("change", onImportFile);
  $("unlock-form").addEventListener("submit", onUnlock);
}

async function open() {
  $("transfer-form").reset();
  $("t-strength").textContent = "";
  showResult("", "");
  try {
    const status = await api.transferStatus();
    $("t-path").value = status.suggested_path;
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
  if (r.missing.length === 0 && r.different.length === 0 && r.matching === r.total) {
    return ["ok", t("transfer.verified", { count: r.total })];
  }
  const lines = [t("transfer.partial", { matching: r.matching, total: r.total })];
  if (r.missing.length) lines.push(t("transfer.missing", { names: r.missing.join(", ") }));
  if (r.different.length) lines.push(t("transfer.different", { names: r.different.join(", ") }));
  return ["error", lines.join(" ")];
}

async function run(messageKey, call) {
  try {
    const result = await busy(messageKey, call);
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
  await run("status.exporting", () => api.exportBundle($("t-path").value, pass));
}

async function onVerify() {
  await run("status.verifying", () => api.verifyBundle($("t-path").value, $("t-pass").value));
}

async function onImportFile(e) {
  const file = e.target.files[0];
  e.target.value = "";
  if (!file) return;
  $("transfer-dialog").close();
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    enroll.show(await busy("status.reading", () => api.importFile(bytes, file.name)));
  } catch (err) {
    if (err.code === "needs_passphrase_file") return askPassphrase();
    enroll.toastError(err);
  }
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
    const preview = await busy("status.reading", () => api.unlockImport($("u-pass").value));
    $("unlock-dialog").close();
    enroll.show(preview);
  } catch (err) {
    showError($("unlock-error"), errorText(err));
    $("u-pass").select();
  }
}

// Showing secrets on screen, or writing them unencrypted, always asks first.
let confirmed = null;

function confirmReveal(titleKey, bodyKey, actionKey, onYes) {
  $("reveal-title").textContent = t(titleKey);
  $("reveal-body").textContent = t(bodyKey);
  $("reveal-confirm").textContent = t(actionKey);
  confirmed = onYes;
  $("reveal-dialog").showModal();
}

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

export function showAccountQr(account) {
  confirmReveal("reveal.title", "reveal.body", "reveal.show", async () => {
    try {
      const code = await api.accountQr(account.id);
      openCodes([code], [], false);
    } catch (e) {
      enroll.toastError(e);
    }
  });
}

function initReveal() {
  $("reveal-form").addEventListener("submit", (e) => {
    e.preventDefault();
    $("reveal-dialog").close();
    const run = confirmed;
    confirmed = null;
    run?.();
  });
  $("qr-prev").addEventListener("click", () => { if (shown > 0) { shown -= 1; showCode(); } });
  $("qr-next").addEventListener("click", () => { if (shown < codes.length - 1) { shown += 1; showCode(); } });
  // Clear the codes from the page as soon as they are not on screen.
  $("qr-dialog").addEventListener("close", () => { $("qr-image").removeAttribute("src"); codes = []; });
  $("t-phone").addEventListener("click", () => {
    confirmReveal("reveal.title", "reveal.bodyAll", "reveal.show", async () => {
      try {
        const result = await busy("status.reading", api.phoneExport);
        openCodes(result.codes, result.left_out, true);
      } catch (e) {
        showResult("error", errorText(e));
      }
    });
  });
  for (const button of document.querySelectorAll("[data-plain]")) {
    button.addEventListener("click", () => {
      confirmReveal("plain.title", "plain.body", "plain.write", async () => {
        try {
          const written = await api.exportPlain($("t-path").value, button.dataset.plain);
          showResult("error", t("plain.done", { path: written }));
        } catch (e) {
          showResult("error", errorText(e));
        }
      });
    });
  }
}
initReveal();
