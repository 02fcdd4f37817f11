// Start-up: every feature's module is initialised, then the vault opens.

import * as api from "./api.js";
import * as appearance from "./appearance.js";
import * as backups from "./backups.js";
import * as list from "./accounts.js";
import * as accountDialogs from "./account-dialogs.js";
import * as icons from "./icons.js";
import * as clock from "./clock.js";
import * as enroll from "./enroll.js";
import * as keys from "./keys.js";
import * as lock from "./lock.js";
import * as recovery from "./recovery.js";
import * as settings from "./settings.js";
import * as sync from "./sync.js";
import * as transfer from "./transfer.js";
import * as vault from "./vault.js";
import { current, errorText, setSystemTags, translatePage } from "./i18n.js";
import { $, closeButtons, returnFocusFromDialogs, toast } from "./ui.js";

async function opened() {
  await settings.load();
  vault.show("screen-accounts");
  list.start();
  backups.refresh();
  sync.refresh();
  // In the background: start-up never waits for the network.
  clock.checkClock();
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
  appearance.init();
  // The tray and Rust's own dialogs speak the page's language (a change in
  // Settings reloads the page, which says it again).
  api.setLanguage(current()).catch(() => {});

  keys.init();

  $("add-button").addEventListener("click", accountDialogs.openAdd);
  $("empty-add").addEventListener("click", accountDialogs.openAdd);
  list.init({
    rename: accountDialogs.openRename,
    delete: accountDialogs.openDelete,
    qr: transfer.showAccountQr,
    icon: icons.open,
    details: recovery.openDetails,
    locked: lock.showLocked,
  });
  recovery.init();
  icons.init();
  clock.init();
  closeButtons();
  returnFocusFromDialogs();
  accountDialogs.init();
  enroll.init();
  transfer.init();
  settings.init();
  backups.init(settings.open);
  sync.init();
  lock.init(opened);
  vault.init(opened, lock.showLocked);
  vault.open();
}

init();
