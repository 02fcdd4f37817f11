// Keyboard-first: everything a person does every day works without a mouse.
// Typing (or "/") searches, arrows move through the accounts, Enter copies,
// "n" asks for the next HOTP code, Ctrl+, opens the settings, Ctrl+L locks,
// "?" lists the shortcuts. (Ctrl+V pasting a QR screenshot is enroll.js's.)

import * as list from "./accounts.js";
import * as lock from "./lock.js";
import * as settings from "./settings.js";
import { $ } from "./ui.js";

export function init() {
  document.addEventListener("keydown", onKey);
  const search = $("search");
  search.addEventListener("input", () => list.setQuery(search.value));
  search.addEventListener("keydown", onSearchKey);
  $("accounts").addEventListener("keydown", onRowKey);
}

function typingTarget(e) {
  return e.target.closest("input, textarea, select, dialog, [contenteditable]");
}

function onKey(e) {
  if ($("screen-accounts").hidden || document.querySelector("dialog[open]")) return;
  const search = $("search");
  const ctrl = e.ctrlKey || e.metaKey;
  if (ctrl && !e.altKey && e.key === ",") {
    e.preventDefault();
    settings.open();
    return;
  }
  if (ctrl && !e.altKey && e.key.toLowerCase() === "l") {
    e.preventDefault();
    lock.lockNow();
    return;
  }
  if (e.key === "Escape" && search.value) {
    clearSearch();
    return;
  }
  if (typingTarget(e) || ctrl || e.altKey) return;
  if (e.key === "?") {
    e.preventDefault();
    $("keys-dialog").showModal();
  } else if (e.key === "/") {
    e.preventDefault();
    search.focus();
  } else if (e.key.length === 1 && e.key !== " " && !(e.key === "n" && e.target.matches("li.account"))) {
    // Focus before the key's default action, so the character lands in the box.
    search.focus();
  }
}

function clearSearch() {
  $("search").value = "";
  list.setQuery("");
}

function onSearchKey(e) {
  if (e.key === "Enter") {
    const first = list.visible()[0];
    if (first) list.copy(first.id);
  } else if (e.key === "ArrowDown") {
    e.preventDefault();
    $("accounts").querySelector("li.account")?.focus();
  } else if (e.key === "Escape") {
    clearSearch();
    e.target.blur();
  }
}

function onRowKey(e) {
  const row = e.target.closest("li.account");
  if (!row || e.target !== row || e.ctrlKey || e.metaKey) return;
  // Alt+Up / Alt+Down: move the account past its neighbour (its own order).
  if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
    e.preventDefault();
    const other = list.neighbour(row, e.key === "ArrowUp" ? "previous" : "next");
    const id = row.dataset.id;
    list.move(id, other?.dataset.id).then(() => {
      const moved = document.querySelector(`li.account[data-id="${CSS.escape(id)}"]`);
      moved?.focus();
      moved?.scrollIntoView({ block: "nearest" });
    });
    return;
  }
  if (e.altKey) return;
  const move = { ArrowDown: "next", ArrowUp: "previous", Home: "first", End: "last" }[e.key];
  if (move) {
    e.preventDefault();
    const target = list.neighbour(row, move);
    if (target) {
      target.focus();
      target.scrollIntoView({ block: "nearest" });
    } else if (move === "previous") {
      $("search").focus();
    }
  } else if (e.key === "Enter" || e.key === " ") {
    e.preventDefault();
    list.copy(row.dataset.id, e.shiftKey);
  } else if (e.key === "n" && row.dataset.kind === "hotp") {
    e.preventDefault();
    list.nextCode(row.dataset.id);
  }
}
