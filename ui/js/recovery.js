// Never locked out, per account: recovery codes, other ways in, and notes.

import * as api from "./api.js";
import { errorText, t } from "./i18n.js";
import { $, showError, toast } from "./ui.js";

let current = null;

export function init() {
  $("recovery-save").addEventListener("click", onSaveCodes);
  $("details-form").addEventListener("submit", onSaveWays);
  $("recovery-list").addEventListener("click", onCodeAction);
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
  // Rust decides what "running low" means; the list's badge uses the same verdict.
  status.className = details.low ? "note warn" : "hint";
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
