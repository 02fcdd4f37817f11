// Never locked out: recovery codes and other ways in per account, the
// clock check, and the checklist before switching computers.

import * as api from "./api.js";
import * as list from "./accounts.js";
import { errorText, t } from "./i18n.js";
import { $, showError, toast } from "./ui.js";

let current = null;
let clock = null;

export function init() {
  $("recovery-save").addEventListener("click", onSaveCodes);
  $("details-form").addEventListener("submit", onSaveWays);
  $("recovery-list").addEventListener("click", onCodeAction);
  $("clock-fix").addEventListener("click", onClockFix);
  $("settings-button").addEventListener("click", openSettings);
  $("settings-form").addEventListener("submit", onSaveSettings);
  $("checklist-open").addEventListener("click", showChecklist);
  api.listen("clock", (e) => showClock(e.payload));
}

export async function openDetails(account) {
  try {
    render(await api.accountDetails(account.id));
  } catch (e) {
    return toast(errorText(e));
  }
  $("recovery-text").value = "";
  showError($("details-error"), "");
  $("details-dialog").showModal();
}

function render(details) {
  current = details;
  $("details-title").textContent = details.label;
  const total = details.recovery.length;
  const status = $("recovery-status");
  status.textContent = total === 0 ? t("recovery.none") : t("recovery.left", { left: details.left, total });
  status.className = total > 0 && details.left <= 1 ? "note warn" : "hint";
  $("recovery-list").replaceChildren(
    ...details.recovery.map((used, index) => {
      const li = document.createElement("li");
      li.className = used ? "used" : "";
      li.dataset.testid = "recovery-code";
      const label = document.createElement("span");
      label.textContent = t(used ? "recovery.usedCode" : "recovery.code", { n: index + 1 });
      li.append(label);
      if (!used) {
        for (const [action, key] of [["copy", "recovery.copy"], ["use", "recovery.markUsed"]]) {
          const button = document.createElement("button");
          button.type = "button";
          button.className = "button small";
          button.dataset.action = action;
          button.dataset.index = String(index);
          button.dataset.testid = `recovery-${action}`;
          button.textContent = t(key);
          li.append(button);
        }
      }
      return li;
    }),
  );
  const w = details.other_ways;
  $("w-sms").checked = w.sms != null;
  $("w-sms-number").value = w.sms ?? "";
  $("w-email").checked = w.email != null;
  $("w-email-address").value = w.email ?? "";
  $("w-key").checked = !!w.security_key;
  $("w-passkey").checked = !!w.passkey;
  $("w-notes").value = details.notes;
}

async function onSaveCodes() {
  try {
    render(await api.saveRecoveryCodes(current.id, $("recovery-text").value));
    $("recovery-text").value = "";
    showError($("details-error"), "");
    list.refresh();
  } catch (e) {
    showError($("details-error"), errorText(e));
  }
}

async function onCodeAction(e) {
  const button = e.target.closest("button[data-action]");
  if (!button) return;
  const index = Number(button.dataset.index);
  try {
    if (button.dataset.action === "copy") {
      const { clear_after_secs } = await api.copyRecoveryCode(current.id, index);
      toast(t("copy.done", { seconds: clear_after_secs }));
    } else {
      render(await api.useRecoveryCode(current.id, index));
      list.refresh();
    }
  } catch (err) {
    showError($("details-error"), errorText(err));
  }
}

async function onSaveWays(e) {
  e.preventDefault();
  const value = (checkbox, input) => ($(checkbox).checked ? $(input).value.trim() : null);
  const ways = {
    other_ways: {
      sms: value("w-sms", "w-sms-number"),
      email: value("w-email", "w-email-address"),
      security_key: $("w-key").checked,
      passkey: $("w-passkey").checked,
    },
    notes: $("w-notes").value,
  };
  try {
    render(await api.saveWaysIn(current.id, ways));
    $("details-dialog").close();
  } catch (err) {
    showError($("details-error"), errorText(err));
  }
}

export async function checkClock() {
  try {
    showClock(await api.checkClock());
  } catch {
    // The status stays unknown; the settings dialog says so.
  }
}

function showClock(status) {
  clock = status;
  const banner = $("clock-banner");
  const off = status.state === "off_by" && status.offset_seconds != null;
  banner.hidden = !off;
  if (!off) return;
  const seconds = Math.round(Math.abs(status.offset_seconds));
  $("clock-text").textContent = status.correcting
    ? t("clock.correcting", { seconds })
    : t(status.offset_seconds > 0 ? "clock.fast" : "clock.slow", { seconds });
  $("clock-fix").textContent = t(status.correcting ? "clock.stop" : "clock.fix");
}

async function onClockFix() {
  try {
    showClock(await api.setClockCorrection(!clock?.correcting));
    list.refresh();
  } catch (e) {
    toast(errorText(e));
  }
}

function clockLine(status) {
  if (!status) return t("clock.unknown");
  switch (status.state) {
    case "off": return t("clock.disabled");
    case "unavailable": return t("clock.unavailable");
    default: {
      const s = Math.abs(status.offset_seconds ?? 0).toFixed(1);
      return t(status.state === "ok" ? "clock.fine" : status.offset_seconds > 0 ? "clock.fast" : "clock.slow", { seconds: s });
    }
  }
}

function openSettings() {
  $("s-clock").checked = clock?.settings?.enabled ?? true;
  $("s-server").value = clock?.settings?.server ?? "pool.ntp.org";
  $("s-status").textContent = clockLine(clock);
  $("settings-dialog").showModal();
}

async function onSaveSettings(e) {
  e.preventDefault();
  try {
    await api.saveClockSettings({ enabled: $("s-clock").checked, server: $("s-server").value.trim() || "pool.ntp.org" });
    $("settings-dialog").close();
    checkClock();
  } catch (err) {
    toast(errorText(err));
  }
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
  age.className = c.bundle_age_days == null || c.bundle_age_days > 30 ? "note warn" : "hint";
  age.textContent = c.bundle_age_days == null ? t("checklist.noBundle") : t("checklist.bundleAge", { days: c.bundle_age_days });
  items.push(age);
  add("checklist.changed", c.changed_since_bundle);
  add("checklist.noCodes", c.without_recovery_codes);
  add("checklist.alone", c.twofold_only);
  add("checklist.hotp", c.hotp);
  if (items.length === 1 && age.className === "hint") {
    const ok = document.createElement("p");
    ok.className = "note";
    ok.textContent = t("checklist.allClear");
    items.push(ok);
  }
  box.replaceChildren(...items);
  box.hidden = false;
}
