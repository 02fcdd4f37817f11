// The clock: the start-up check, the banner when the clock is off, and its
// part of the settings dialog (whether to check, against which time server).

import * as api from "./api.js";
import * as list from "./accounts.js";
import { errorText, t } from "./i18n.js";
import { $, toast } from "./ui.js";

let clock = null;

export function init() {
  $("clock-fix").addEventListener("click", onClockFix);
  api.onClock(showClock);
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

/** Fills the clock's part of the settings dialog. */
export function fillSettings() {
  $("s-clock").checked = clock?.settings?.enabled ?? true;
  // Rust always reports the server in use (its default included); before the
  // first check the box stays empty, and saving it empty keeps the default.
  $("s-server").value = clock?.settings?.server ?? "";
  $("s-status").textContent = clockLine(clock);
}

export async function saveSettings() {
  // Sent as typed: Rust substitutes its default server for an empty one,
  // and asks natively before any server that is not a well-known one.
  const saved = await api.saveClockSettings({ enabled: $("s-clock").checked, server: $("s-server").value.trim() });
  if (!saved) {
    fillSettings();
    return;
  }
  checkClock();
}
