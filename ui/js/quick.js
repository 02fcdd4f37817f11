// Quick search, the small window the global shortcut opens: type, arrows,
// Enter copies the code (in Rust) and hides the window, Escape hides it.
// It shows names only: the code goes straight to the clipboard.

import * as api from "./api.js";
import * as appearance from "./appearance.js";
import { errorText, setSystemTags, t, translatePage } from "./i18n.js";
import { label, matching, normalise } from "./search.js";
import { $ } from "./ui.js";

/** Rows shown at most: quick search is for a few keystrokes, not browsing. */
const MAX_ROWS = 8;

let accounts = [];
let shown = [];
let selected = 0;
let locked = false;

async function load() {
  $("quick-search").value = "";
  selected = 0;
  try {
    // Names only reach this window; codes are Rust's to copy.
    accounts = await api.quickNames();
    locked = false;
    note("");
  } catch (e) {
    accounts = [];
    locked = e.code === "app_locked";
    note(locked ? t("quick.locked") : errorText(e));
  }
  render();
  $("quick-search").focus();
}

function note(text) {
  $("quick-note").textContent = text;
  $("quick-note").hidden = !text;
}

function render() {
  shown = matching(accounts, normalise($("quick-search").value)).slice(0, MAX_ROWS);
  selected = Math.min(selected, Math.max(0, shown.length - 1));
  $("quick-list").replaceChildren(
    ...shown.map((a, i) => {
      const li = document.createElement("li");
      li.dataset.testid = "quick-account";
      li.id = `quick-option-${i}`;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", String(i === selected));
      li.className = i === selected ? "selected" : "";
      li.textContent = label(a);
      li.addEventListener("click", () => copy(a));
      return li;
    }),
  );
  const search = $("quick-search");
  if (shown.length) search.setAttribute("aria-activedescendant", `quick-option-${selected}`);
  else search.removeAttribute("aria-activedescendant");
  if (!locked) note(accounts.length && !shown.length ? t("search.none", { query: $("quick-search").value }) : "");
}

async function copy(account) {
  try {
    await api.quickCopy(account.id);
  } catch (e) {
    note(errorText(e));
  }
}

function onKey(e) {
  if (e.key === "Escape") {
    e.preventDefault();
    api.quickClose();
  } else if (e.key === "Enter") {
    e.preventDefault();
    if (locked) api.openMain();
    else if (shown[selected]) copy(shown[selected]);
  } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
    e.preventDefault();
    const step = e.key === "ArrowDown" ? 1 : -1;
    selected = Math.max(0, Math.min(shown.length - 1, selected + step));
    render();
  }
}

async function init() {
  try {
    setSystemTags([await api.systemLocale()]);
  } catch {
    // The web view's own language list is the fallback.
  }
  translatePage();
  appearance.init();
  $("quick-search").addEventListener("input", () => { selected = 0; render(); });
  document.addEventListener("keydown", onKey);
  api.onQuickOpened(load);
  // Locked: no name stays on screen, nor flashes at the next opening.
  api.onAppLocked(() => {
    accounts = [];
    locked = true;
    note(t("quick.locked"));
    render();
  });
  // Leaving the window (clicking elsewhere) puts it away, as launchers do.
  window.addEventListener("blur", () => api.quickClose());
  await load();
  api.pageReady();
}

init();
