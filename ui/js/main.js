// Start-up and the keyboard: typing anywhere searches, Enter copies the
// first match, Escape clears.

import * as api from "./api.js";
import * as list from "./accounts.js";
import * as accountDialogs from "./account-dialogs.js";
import * as clock from "./clock.js";
import * as enroll from "./enroll.js";
import * as lock from "./lock.js";
import * as recovery from "./recovery.js";
import * as settings from "./settings.js";
import * as transfer from "./transfer.js";
import * as vault from "./vault.js";
import { errorText, setSystemTags, translatePage } from "./i18n.js";
import { $, closeButtons, toast } from "./ui.js";

async function opened() {
  await settings.load();
  vault.show("screen-accounts");
  list.start();
  // In the background: start-up never waits for the network.
  clock.checkClock();
}

function typingTarget(e) {
  return e.target.closest("input, textarea, select, dialog, [contenteditable]");
}

function onKey(e) {
  const search = $("search");
  if ($("screen-accounts").hidden || document.querySelector("dialog[open]")) return;
  if (e.key === "Escape" && search.value) {
    search.value = "";
    list.setQuery("");
    return;
  }
  if (typingTarget(e) || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key.length === 1 && e.key !== " ") {
    // Focus before the key's default action, so the character lands in the box.
    search.focus();
  }
}

async function init() {
  // A failure nobody catches still reaches the person, never a silent spinner.
  window.addEventListener("unhandledrejection", (e) => toast(errorText(e.reason)));
  window.addEventListener("error", (e) => toast(errorText(e.error)));
  try {
    setSystemTags([await api.systemLocale()]);
  } catch {
    // The web view's own language list is the fallback.
  }
  translatePage();

  const search = $("search");
  search.addEventListener("input", () => list.setQuery(search.value));
  search.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      const first = list.visible()[0];
      if (first) list.copy(first.id);
    } else if (e.key === "Escape") {
      search.value = "";
      list.setQuery("");
      search.blur();
    }
  });
  document.addEventListener("keydown", onKey);

  $("add-button").addEventListener("click", accountDialogs.openAdd);
  $("empty-add").addEventListener("click", accountDialogs.openAdd);
  list.init({
    rename: accountDialogs.openRename,
    delete: accountDialogs.openDelete,
    qr: transfer.showAccountQr,
    details: recovery.openDetails,
    locked: lock.showLocked,
  });
  recovery.init();
  clock.init();
  closeButtons();
  accountDialogs.init();
  enroll.init();
  transfer.init();
  settings.init();
  lock.init(opened);
  vault.init(opened, lock.showLocked);
  vault.open();
}

init();
