// The dialogs that change the account list: add, edit (name and tags) and delete.

import * as api from "./api.js";
import { errorText, t } from "./i18n.js";
import { $, showError, toast } from "./ui.js";
import * as list from "./accounts.js";
import * as enroll from "./enroll.js";

let tab = "uri";
let current = null;

export function init() {
  for (const button of document.querySelectorAll(".tab")) {
    button.addEventListener("click", () => selectTab(button.dataset.tab));
  }
  $("m-kind").addEventListener("change", syncKind);
  $("add-form").addEventListener("submit", onAdd);
  $("rename-form").addEventListener("submit", onRename);
  $("delete-form").addEventListener("submit", onDelete);
}

export function openAdd() {
  $("add-form").reset();
  showError($("add-error"), "");
  selectTab("uri");
  syncKind();
  $("add-dialog").showModal();
  $("uri").focus();
}

export function openRename(account) {
  current = account;
  $("r-issuer").value = account.issuer;
  $("r-name").value = account.name;
  $("r-tags").value = account.tags.join(", ");
  showError($("rename-error"), "");
  $("rename-dialog").showModal();
  $("r-issuer").focus();
}

export function openDelete(account) {
  current = account;
  $("delete-title").textContent = t("delete.title", { name: list.label(account) });
  showError($("delete-error"), "");
  $("delete-dialog").showModal();
}

function selectTab(name) {
  tab = name;
  for (const button of document.querySelectorAll(".tab")) {
    button.setAttribute("aria-selected", String(button.dataset.tab === name));
  }
  $("pane-uri").hidden = name !== "uri";
  $("pane-manual").hidden = name !== "manual";
  (name === "uri" ? $("uri") : $("m-issuer")).focus();
}

function syncKind() {
  const kind = $("m-kind").value;
  $("m-period-row").hidden = kind !== "totp";
  $("m-counter-row").hidden = kind !== "hotp";
  for (const id of ["m-algorithm", "m-digits"]) $(id).disabled = kind === "steam";
}

async function onAdd(e) {
  e.preventDefault();
  const submit = $("add-submit");
  submit.disabled = true;
  try {
    const text = $("uri").value;
    if (tab === "uri" && (/^\s*otpauth-migration:/i.test(text) || text.trim().includes("\n"))) {
      const preview = await api.scanText(text);
      $("add-dialog").close();
      $("add-form").reset();
      // A pasted Google Authenticator export, or several links, hold many
      // accounts: the same preview as a scan.
      enroll.show(preview);
      return;
    }
    const added = tab === "uri" ? await api.addAccountUri($("uri").value) : await api.addAccountManual(manualEntry());
    $("add-dialog").close();
    $("add-form").reset();
    toast(t("add.done", { name: list.label(added) }));
  } catch (err) {
    showError($("add-error"), errorText(err));
  } finally {
    submit.disabled = false;
  }
}

function manualEntry() {
  const kind = $("m-kind").value;
  const entry = { issuer: $("m-issuer").value, name: $("m-name").value, secret: $("m-secret").value, kind };
  if (kind !== "steam") {
    entry.algorithm = $("m-algorithm").value;
    entry.digits = Number($("m-digits").value);
  }
  if (kind === "totp") entry.period = Number($("m-period").value);
  if (kind === "hotp") entry.counter = Number($("m-counter").value);
  return entry;
}

async function onRename(e) {
  e.preventDefault();
  try {
    await api.renameAccount(current.id, $("r-issuer").value, $("r-name").value);
    // Only a changed field is split at its commas: an imported tag that
    // holds a comma ("R&D, EU") survives a rename.
    if ($("r-tags").value !== current.tags.join(", ")) await api.setTags(current.id, $("r-tags").value.split(","));
    $("rename-dialog").close();
  } catch (err) {
    showError($("rename-error"), errorText(err));
  }
}

async function onDelete(e) {
  e.preventDefault();
  try {
    await api.deleteAccount(current.id);
    $("delete-dialog").close();
    toast(t("delete.done", { name: list.label(current) }));
  } catch (err) {
    showError($("delete-error"), errorText(err));
  }
}
