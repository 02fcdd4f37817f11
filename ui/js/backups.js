// Automatic backups: their part of the settings dialog, the restore points
// (restored through the same preview as any import), and the quiet status
// line under the list ("Backed up 3 minutes ago", or what is wrong).

import * as api from "./api.js";
import { show as showPreview } from "./enroll.js";
import { ago, current as language, errorText, t } from "./i18n.js";
import { $, busy, showError, toast } from "./ui.js";

let status = null;
/** "Not now" to the offer is remembered on this machine. */
const DECLINED = "twofold.backupOfferDeclined";
let openSettings = () => {};

export function init(settingsOpener) {
  openSettings = settingsOpener;
  $("backup-offer-yes").addEventListener("click", async () => {
    $("backup-offer").hidden = true;
    await openSettings();
    $("s-backup-pass").focus();
  });
  $("backup-offer-no").addEventListener("click", () => {
    localStorage.setItem(DECLINED, "1");
    $("backup-offer").hidden = true;
  });
  $("s-backup-on").addEventListener("click", () => turnOn(false));
  $("s-backup-choose").addEventListener("click", () => turnOn(true));
  $("s-backup-off-button").addEventListener("click", turnOff);
  $("s-backup-points").addEventListener("click", openPoints);
  for (const input of $("s-backup-keep").querySelectorAll("input")) input.addEventListener("change", saveRetention);
  api.onBackupStatus(() => refresh());
}

/** Reads the status (after opening, after each backup) and shows it. */
export async function refresh() {
  try {
    status = await api.backupStatus();
  } catch {
    return;
  }
  showLine();
  fillSettings();
  // First run (and until answered): offer backups, once per machine.
  $("backup-offer").hidden = status.on || localStorage.getItem(DECLINED) === "1" || $("screen-accounts").hidden;
}

function problemText() {
  return status.problem ? t(`backup.problem.${status.problem}`, { folder: status.folder }) : "";
}

function showLine() {
  const line = $("backup-line");
  line.hidden = !status?.on;
  if (!status?.on) return;
  line.classList.toggle("warn", Boolean(status.problem));
  line.textContent = status.problem ? problemText() : status.last ? t("backup.last", { when: ago(status.last) }) : "";
}

function fillSettings() {
  if (!status) return;
  $("s-backup-status").textContent = status.on
    ? `${t("backup.on", { folder: status.folder })} ${status.last ? t("backup.last", { when: ago(status.last) }) : ""} ${problemText()}`.trim()
    : t("backup.off");
  // The key left the keychain: the passphrase again resumes them.
  const resume = status.problem === "key_missing";
  $("s-backup-off").hidden = status.on && !resume;
  $("s-backup-choose").hidden = resume;
  $("s-backup-on").textContent = t(resume ? "backup.resume" : "backup.turnOn");
  $("s-backup-on-row").hidden = !status.on;
  $("s-backup-keep").hidden = !status.on;
  for (const input of $("s-backup-keep").querySelectorAll("input")) {
    input.value = status.retention[input.dataset.field];
    input.max = status.retention_max[input.dataset.field];
  }
  showError($("s-backup-error"), "");
}

async function turnOn(choose) {
  const passphrase = $("s-backup-pass").value;
  if (passphrase !== $("s-backup-confirm").value) return showError($("s-backup-error"), t("lock.mismatch"));
  try {
    const result = await busy("backup.writing", () => api.enableBackups(passphrase, choose));
    if (!result) return; // the folder dialog or Rust's confirmation was cancelled
  } catch (err) {
    return showError($("s-backup-error"), errorText(err));
  }
  $("s-backup-pass").value = "";
  $("s-backup-confirm").value = "";
  await refresh();
  toast(t("backup.enabled"));
}

/** Any of the four periods changed: all four are saved together. */
async function saveRetention() {
  const inputs = [...$("s-backup-keep").querySelectorAll("input")];
  if (!inputs.every((i) => i.checkValidity())) return showError($("s-backup-error"), t("error.retention_too_long"));
  const retention = Object.fromEntries(inputs.map((i) => [i.dataset.field, Number(i.value)]));
  let saved;
  try {
    saved = await api.setBackupRetention(retention);
  } catch (err) {
    return showError($("s-backup-error"), errorText(err));
  }
  // Declined in Rust's confirmation: the periods as they were.
  if (!saved) return refresh();
  status = saved;
  showError($("s-backup-error"), "");
  toast(t("backup.keepSaved"));
}

async function turnOff() {
  try {
    if (!(await api.disableBackups())) return; // kept on, in Rust's confirmation
  } catch (err) {
    return showError($("s-backup-error"), errorText(err));
  }
  await refresh();
}

async function openPoints() {
  let points;
  try {
    points = await busy("backup.reading", api.restorePoints);
  } catch (err) {
    return showError($("s-backup-error"), errorText(err));
  }
  $("points-list").replaceChildren(
    ...points.map((p) => {
      const li = document.createElement("li");
      li.dataset.testid = "restore-point";
      const what = document.createElement("span");
      const differences = [
        p.would_return && t("backup.wouldReturn", { n: p.would_return }),
        p.changed && t("backup.changed", { n: p.changed }),
        p.newer && t("backup.newer", { n: p.newer }),
      ].filter(Boolean);
      what.textContent = [new Date(p.time * 1000).toLocaleString(language()), t("backup.accounts", { n: p.accounts }), ...differences].join(" — ");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button small";
      button.dataset.testid = "restore-point-restore";
      button.textContent = t("backup.restore");
      button.addEventListener("click", () => restore(p.id));
      li.append(what, button);
      return li;
    }),
  );
  $("settings-dialog").close();
  $("points-dialog").showModal();
}

async function restore(id) {
  try {
    const preview = await api.restorePoint(id);
    $("points-dialog").close();
    showPreview(preview);
  } catch (err) {
    toast(errorText(err));
  }
}
