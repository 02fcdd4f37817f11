// The account list: live codes with a countdown, click to copy, search,
// tags, pins and the person's own order. What others import; the parts live
// in list/: state.js (the listing, the search, the tag and the order),
// countdown.js (the one timer behind every live code, and why it costs
// nothing while it waits), rows.js (the rows, virtualised) and reorder.js
// (drag and keyboard moves). This file asks Rust for the list and wires the
// parts together; none of them imports it back.

import * as api from "./api.js";
import { errorText, t } from "./i18n.js";
import { $, toast } from "./ui.js";
import * as countdown from "./list/countdown.js";
import * as reorder from "./list/reorder.js";
import * as rows from "./list/rows.js";
import * as state from "./list/state.js";

export { label } from "./search.js";
export { move } from "./list/reorder.js";
export { neighbour, setHideCodes, setTrayAvailable } from "./list/rows.js";

let started = false;
let painted = false;
let handlers = { rename() {}, icon() {}, delete() {}, qr() {}, details() {}, locked() {} };

/** What the countdown needs of the list: its accounts, and a redraw. */
const live = {
  accounts: () => state.accounts,
  stale: () => {
    rows.render();
    refresh();
  },
  step: rows.redrawTimers,
};

export function init(actions) {
  handlers = actions;
  const list = $("accounts");
  list.addEventListener("click", onClick);
  list.addEventListener("focusin", (e) => {
    if (e.target.matches("li.account")) rows.describeFocused(e.target);
  });
  list.addEventListener("keydown", onMenuKey);
  // Every change to the vault (here, from the tray, the CLI, an import, a
  // restore) comes as one event: the list is asked for again.
  api.onVaultChanged(() => { if (started) refresh(); });
  reorder.init(list, refresh);
  document.addEventListener("click", (e) => {
    if (!e.target.closest(".more, .menu")) rows.closeMenus();
  });
}

export function start() {
  if (started) return refresh();
  started = true;
  // Any scrolling element (capture), and resizes, change which rows are in view.
  document.addEventListener("scroll", rows.redraw, { capture: true, passive: true });
  window.addEventListener("resize", rows.redraw, { passive: true });
  // Coming back to the window shows what the CLI or another window changed.
  window.addEventListener("focus", () => refresh());
  // Hidden, the countdown stops; shown again, it asks for the list (`stale`).
  countdown.watch(live);
  refresh();
}

/** Asks Rust for the list (when the vault changed, at a code boundary, when
 * shown again) and draws it. */
export async function refresh() {
  let listing;
  try {
    listing = await state.load();
  } catch (e) {
    if (e.code === "app_locked") return handlers.locked();
    if (e.code !== "vault_not_open") toast(errorText(e));
    api.pageReady();
    return;
  }
  if (!listing) return;
  countdown.setClock(listing.now_ms);
  renderChips();
  $("list-order").value = state.order;
  $("list-tools").hidden = state.accounts.length < 2 && state.tags.length === 0;
  $("accounts").classList.toggle("movable", state.order === "manual");
  rows.render();
  countdown.schedule();
  if (!painted) {
    painted = true;
    // The window was hidden until now: it opens with its codes in place.
    api.pageReady();
    // Two frames: the codes are on screen, not just in the DOM.
    requestAnimationFrame(() => requestAnimationFrame(() => api.firstCodesPainted()));
  }
}

/** The app locked: keep no code, name or row (an answer still on its way is dropped). */
export function forget() {
  state.forget();
  countdown.schedule();
  rows.clear();
}

async function togglePin(account) {
  try {
    await api.setPinned(account.id, !account.pinned);
  } catch (err) {
    toast(errorText(err));
  }
}

/** Chips above the list, one per tag, when any account has one. Rebuilt
 * only when the tags change, so a focused chip keeps its focus. */
function renderChips() {
  const { tags, activeTag } = state;
  const chips = $("tag-chips");
  const shownTags = [...chips.children].slice(1).map((c) => c.dataset.tag);
  const same = shownTags.length === tags.length && shownTags.every((tag, i) => tag === tags[i]);
  if (!same) chips.replaceChildren(...(tags.length ? [chip(null), ...tags.map(chip)] : []));
  for (const c of chips.children) c.setAttribute("aria-pressed", String((c.dataset.tag ?? null) === activeTag));
}

/** A chip: "All" (`tag` null) or one tag; choosing it asks Rust for the list. */
function chip(tag) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "chip";
  button.dataset.testid = "tag-chip";
  button.textContent = tag ?? t("tags.all");
  if (tag !== null) button.dataset.tag = tag;
  button.addEventListener("click", () => {
    state.chooseTag(tag);
    refresh();
  });
  return button;
}

export function setQuery(text) {
  state.setQuery(text);
  rows.render();
}

export function visible() {
  return state.shown;
}

export function byId(id) {
  return state.byId(id);
}

export async function copy(id, next = false) {
  try {
    const { clear_after_secs } = await api.copyCode(id, next);
    const row = $("accounts").querySelector(`li[data-id="${CSS.escape(id)}"]`);
    row?.classList.add("copied");
    setTimeout(() => row?.classList.remove("copied"), 900);
    toast(t(next ? "copy.doneNext" : "copy.done", { seconds: clear_after_secs }));
  } catch (e) {
    toast(errorText(e));
  }
}

async function onClick(e) {
  const li = e.target.closest("li.account");
  if (!li || e.target.closest(".grip")) return;
  const id = li.dataset.id;
  if (e.target.closest(".more")) {
    const menu = li.querySelector(".menu");
    rows.closeMenus(menu);
    rows.showMenu(li, menu.hidden);
    return;
  }
  const action = e.target.closest("[data-action]")?.dataset.action;
  if (action) {
    rows.closeMenus();
    const account = state.byId(id);
    if (account) (action === "pin" ? togglePin : handlers[action])(account);
    return;
  }
  if (e.target.closest(".reveal")) {
    rows.reveal(id);
    return;
  }
  if (e.target.closest(".next")) return nextCode(id);
  copy(id, e.shiftKey);
}

/** A row's open menu, by keyboard: arrows move between its items, Escape
 * (or Tab away) closes it and gives focus back to its button. */
function onMenuKey(e) {
  const menu = e.target.closest(".menu");
  if (!menu || menu.hidden) return;
  const items = [...menu.querySelectorAll("[role=menuitem]")];
  const at = items.indexOf(e.target);
  const step = { ArrowDown: 1, ArrowUp: -1 }[e.key];
  if (step) {
    e.preventDefault();
    items[(at + step + items.length) % items.length].focus();
  } else if (e.key === "Home" || e.key === "End") {
    e.preventDefault();
    items[e.key === "Home" ? 0 : items.length - 1].focus();
  } else if (e.key === "Escape" || e.key === "Tab") {
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
    }
    const li = menu.closest("li");
    rows.showMenu(li, false);
    if (e.key === "Escape") li.querySelector(".more").focus();
  }
}

/** Asks Rust for an HOTP account's next code. */
export async function nextCode(id) {
  try {
    await api.nextHotp(id);
  } catch (err) {
    toast(errorText(err));
  }
}
