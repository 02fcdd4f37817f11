// The account list: live codes with a countdown, click to copy, search.
//
// It costs nothing while it waits. Rust sends each code with the one that
// follows and the time it takes over, so the page asks again only once per
// code boundary, never in between. One shared tick moves the countdowns of
// the rows in view; the list is virtualised (only the rows in view exist), so
// 1,000 accounts cost what a screenful does; and nothing runs while the
// window is hidden or minimised.
//
// Every repaint costs the same whatever changed (on a software-rendered
// desktop, about 1.5 % of a core for one a second), so the countdown steps
// every second, with its digits, only while the person is using the window
// (focused or under the pointer). Otherwise it steps every 15 seconds (half
// a 30 s code), ring only, turns red exactly 5 s before the end, and codes still flip exactly
// at their boundary: a glance shows the code and roughly how long it lasts,
// and the window costs next to nothing.

import * as api from "./api.js";
import { errorText, t } from "./i18n.js";
import { haystack, matching, normalise } from "./search.js";
import { $, glyph, groupCode, hue, toast } from "./ui.js";

const RING = 2 * Math.PI * 15;
/** Rows drawn beyond each edge of the view, so a quick scroll shows no gap. */
const OVERSCAN = 4;
/** The countdown's step while the window is not in use, in ms. */
const IDLE_STEP = 15000;
/** A code this close to its end is shown as expiring, in seconds. */
const EXPIRING = 5;

let accounts = [];
let shown = [];
let query = "";
/** Every tag in use (from Rust), and the one the list is filtered by. */
let tags = [];
let activeTag = null;
/** How Rust ordered the list: "manual" lets the person move rows. */
let order = "manual";
/** Rust's (clock-corrected) time minus this page's clock, in ms. */
let offsetMs = 0;
let timer = null;
let started = false;
let painted = false;
let generation = 0;
let frame = 0;
let handlers = { rename() {}, icon() {}, delete() {}, qr() {}, details() {}, locked() {} };
let hovered = false;
/** "Hide codes until clicked": codes show as dots, unless revealed. */
let hideCodes = false;
/** How long a revealed code stays visible, in ms. */
const REVEAL_FOR = 8000;
/** Rows revealed now: id → the timeout that hides them again. */
const revealed = new Map();
/** Whether there is a tray to pin accounts to. */
let trayAvailable = false;

export function init(actions) {
  handlers = actions;
  const list = $("accounts");
  list.addEventListener("click", onClick);
  // Every change to the vault (here, from the tray, the CLI, an import, a
  // restore) comes as one event: the list is asked for again.
  api.onVaultChanged(() => { if (started) refresh(); });
  list.addEventListener("pointerdown", onGripDown);
  $("list-order").addEventListener("change", setOrder);
  document.addEventListener("click", (e) => {
    if (!e.target.closest(".more, .menu")) closeMenus();
  });
}

export function start() {
  if (started) return refresh();
  started = true;
  // Any scrolling element (capture), and resizes, change which rows are in view.
  document.addEventListener("scroll", redraw, { capture: true, passive: true });
  window.addEventListener("resize", redraw, { passive: true });
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) stop();
    else refresh();
  });
  // Coming back to the window shows what the CLI or another window changed.
  window.addEventListener("focus", () => refresh());
  window.addEventListener("blur", () => retime());
  document.documentElement.addEventListener("mouseenter", () => { hovered = true; retime(); });
  document.documentElement.addEventListener("mouseleave", () => { hovered = false; retime(); });
  refresh();
}

/** Asks Rust for the list (when the vault changed, at a code boundary, when
 * shown again). Only the newest answer is used, so a slow one never undoes a
 * change. */
export async function refresh() {
  const mine = ++generation;
  let listing;
  try {
    listing = await api.listAccounts(activeTag);
  } catch (e) {
    if (e.code === "app_locked") return handlers.locked();
    if (e.code !== "vault_not_open") toast(errorText(e));
    api.pageReady();
    return;
  }
  if (mine !== generation) return;
  offsetMs = listing.now_ms - Date.now();
  accounts = listing.accounts.map((a) => ({ ...a, haystack: haystack(a) }));
  tags = listing.tags;
  order = listing.order;
  // The tag filtered by is gone (its last account untagged): show all.
  if (activeTag !== null && !tags.includes(activeTag)) {
    activeTag = null;
    return refresh();
  }
  renderChips();
  $("list-order").value = order;
  $("list-tools").hidden = accounts.length < 2 && tags.length === 0;
  $("accounts").classList.toggle("movable", order === "manual");
  filter();
  render();
  schedule();
  if (!painted) {
    painted = true;
    // The window was hidden until now: it opens with its codes in place.
    api.pageReady();
    // Two frames: the codes are on screen, not just in the DOM.
    requestAnimationFrame(() => requestAnimationFrame(() => api.firstCodesPainted()));
  }
}

/** The time codes are made for, in ms. */
function now() {
  return Date.now() + offsetMs;
}

function stop() {
  clearTimeout(timer);
  timer = null;
}

/** The app locked: keep no code, name or row (an answer still on its way is dropped). */
export function forget() {
  generation++;
  stop();
  accounts = [];
  shown = [];
  for (const hide of revealed.values()) clearTimeout(hide);
  revealed.clear();
  $("accounts").replaceChildren();
  $("empty").hidden = true;
  $("no-match").hidden = true;
}

export function setTrayAvailable(on) {
  if (trayAvailable === on) return;
  trayAvailable = on;
  render();
}

async function togglePin(account) {
  try {
    await api.setPinned(account.id, !account.pinned);
  } catch (err) {
    toast(errorText(err));
  }
}

export function setHideCodes(on) {
  if (hideCodes === on) return;
  hideCodes = on;
  render();
}

/** Shows one row's code for a few seconds. */
function reveal(id) {
  clearTimeout(revealed.get(id));
  revealed.set(id, setTimeout(() => { revealed.delete(id); render(); }, REVEAL_FOR));
  render();
}

/** Whether the person is using the window: countdowns then step each second. */
function inUse() {
  return hovered || document.hasFocus();
}

/** Redraws the countdowns for a change of use, and re-plans the next step. */
function retime() {
  const at = now();
  for (const li of $("accounts").children) updateTimer(li, byId(li.dataset.id), at);
  schedule();
}

/** One timer for the next step (a second, or 15 s when not in use), the
 * next code turning red, or the next boundary, whichever is soonest; none
 * if no code is timed. */
function schedule() {
  stop();
  if (document.hidden) return;
  const at = now();
  const step = inUse() ? 1000 : IDLE_STEP;
  let next = at - (at % step) + step;
  let timed = false;
  for (const a of accounts) {
    if (a.changes_at == null) continue;
    timed = true;
    for (const moment of [a.changes_at * 1000 - EXPIRING * 1000, a.changes_at * 1000]) {
      if (moment > at && moment < next) next = moment;
    }
  }
  if (timed) timer = setTimeout(tick, next - at + 5);
}

function tick() {
  timer = null;
  const at = now();
  let rolled = false;
  for (const a of accounts) {
    if (a.changes_at == null || a.changes_at * 1000 > at) continue;
    // The boundary passed: the next code is already here; Rust is asked
    // once for the one after it.
    if (a.next_code != null) a.code = a.next_code;
    a.next_code = null;
    a.changes_at += a.period;
    rolled = true;
  }
  if (rolled) {
    render();
    refresh();
  } else {
    for (const li of $("accounts").children) updateTimer(li, byId(li.dataset.id), at);
  }
  schedule();
}

/** Rust has already kept only the accounts with the chosen tag. */
function filter() {
  shown = matching(accounts, query);
}

/** Chips above the list, one per tag, when any account has one. Rebuilt
 * only when the tags change, so a focused chip keeps its focus. */
function renderChips() {
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
    activeTag = tag;
    refresh();
  });
  return button;
}

async function setOrder() {
  try {
    await api.setListOrder($("list-order").value);
  } catch (err) {
    toast(errorText(err));
    await refresh();
  }
}

/** Moves `id` to `other`'s place in the person's own order. */
export async function move(id, other) {
  if (order !== "manual" || !other || id === other) return;
  try {
    await api.moveAccount(id, other);
  } catch (err) {
    return toast(errorText(err));
  }
  // Awaited here (the vault-changed event also comes): Alt+arrow keeps the
  // focus on the moved row once it is drawn in its new place.
  await refresh();
}

/** Dragging a row by its grip onto another row moves it there: pointer
 * events, so it works the same with a mouse, a pen or a touch screen. */
function onGripDown(e) {
  const grip = e.target.closest(".grip");
  const row = grip?.closest("li.account");
  if (!row || order !== "manual" || e.button !== 0) return;
  e.preventDefault();
  grip.setPointerCapture(e.pointerId);
  row.classList.add("dragging");
  let target = null;
  const over = (ev) => {
    const under = document.elementFromPoint(ev.clientX, ev.clientY)?.closest("li.account");
    if (target && target !== under) target.classList.remove("drop-here");
    target = under && under !== row ? under : null;
    target?.classList.add("drop-here");
  };
  const done = (ev) => {
    grip.removeEventListener("pointermove", over);
    grip.removeEventListener("pointerup", done);
    grip.removeEventListener("pointercancel", done);
    row.classList.remove("dragging");
    target?.classList.remove("drop-here");
    if (ev.type === "pointerup" && target) move(row.dataset.id, target.dataset.id);
  };
  grip.addEventListener("pointermove", over);
  grip.addEventListener("pointerup", done);
  grip.addEventListener("pointercancel", done);
}

export function setQuery(text) {
  query = normalise(text);
  filter();
  render();
}

export function visible() {
  return shown;
}

export function byId(id) {
  return accounts.find((a) => a.id === id);
}

export { label } from "./search.js";

export async function copy(id) {
  try {
    const { clear_after_secs } = await api.copyCode(id);
    const row = $("accounts").querySelector(`li[data-id="${CSS.escape(id)}"]`);
    row?.classList.add("copied");
    setTimeout(() => row?.classList.remove("copied"), 900);
    toast(t("copy.done", { seconds: clear_after_secs }));
  } catch (e) {
    toast(errorText(e));
  }
}

/** Scrolling redraws at most once a frame. */
function redraw() {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    render();
  });
}

/** Which of `shown` are in view: rows have one fixed height (CSS `--row`). */
function range(list) {
  const style = getComputedStyle(list);
  const columns = Math.max(1, style.gridTemplateColumns.split(" ").length);
  const stride = parseFloat(style.getPropertyValue("--row")) + parseFloat(style.rowGap || "0");
  const rows = Math.ceil(shown.length / columns);
  if (!(stride > 0)) return { first: 0, last: shown.length, columns, rows, stride: 0 };
  const top = list.getBoundingClientRect().top + parseFloat(style.paddingTop || "0");
  const firstRow = Math.max(0, Math.floor(-top / stride) - OVERSCAN);
  // A window not yet shown has no height: draw a screenful, so its first
  // frame is complete whatever size it is given.
  const height = window.innerHeight > 100 ? window.innerHeight : screen.height || 0;
  const lastRow = Math.min(rows, Math.ceil((height - top) / stride) + OVERSCAN);
  return { first: firstRow * columns, last: Math.min(shown.length, lastRow * columns), columns, rows, stride };
}

function render() {
  const list = $("accounts");
  const { first, last, columns, rows, stride } = range(list);
  // Space for the rows not drawn, above and below, keeps the scroll bar true.
  list.style.setProperty("--above", `${(first / columns) * stride}px`);
  list.style.setProperty("--below", `${Math.max(0, rows - Math.ceil(last / columns)) * stride}px`);
  const existing = new Map([...list.children].map((li) => [li.dataset.id, li]));
  const at = now();
  let previous = null;
  for (const account of shown.slice(first, last)) {
    let li = existing.get(account.id);
    if (li) existing.delete(account.id);
    else li = create(account);
    update(li, account);
    updateTimer(li, account, at);
    // Keep DOM order equal to list order without re-inserting unchanged rows.
    const expected = previous ? previous.nextElementSibling : list.firstElementChild;
    if (expected !== li) list.insertBefore(li, expected);
    previous = li;
  }
  for (const stale of existing.values()) stale.remove();

  $("empty").hidden = accounts.length > 0;
  const noMatch = $("no-match");
  noMatch.hidden = !(accounts.length > 0 && shown.length === 0);
  noMatch.textContent = noMatch.hidden ? "" : t("search.none", { query });
}

function create(account) {
  const li = $("account-template").content.firstElementChild.cloneNode(true);
  li.dataset.id = account.id;
  li.querySelector(".more").setAttribute("aria-label", t("menu.open"));
  li.querySelector(".next").title = t("next.title");
  li.querySelector(".next").setAttribute("aria-label", t("next.title"));
  li.querySelector(".reveal").title = t("reveal.title");
  li.querySelector(".reveal").setAttribute("aria-label", t("reveal.title"));
  li.querySelector('[data-action="rename"]').textContent = t("menu.rename");
  li.querySelector('[data-action="icon"]').textContent = t("menu.icon");
  li.querySelector('[data-action="delete"]').textContent = t("menu.delete");
  li.querySelector('[data-action="qr"]').textContent = t("menu.qr");
  li.querySelector('[data-action="details"]').textContent = t("menu.details");
  return li;
}

function update(li, account) {
  const title = account.issuer || account.name;
  showAvatar(li.querySelector(".avatar"), account, title);
  setText(li.querySelector(".issuer"), title);
  setText(li.querySelector(".name"), account.issuer ? account.name : "");
  const masked = hideCodes && !revealed.has(account.id);
  setText(li.querySelector(".code"), groupCode(masked ? "•".repeat(account.code.length) : account.code, account.kind));
  li.querySelector(".reveal").hidden = !hideCodes;
  const pin = li.querySelector('[data-action="pin"]');
  setText(pin, t(account.pinned ? "menu.unpin" : trayAvailable ? "menu.pinTray" : "menu.pin"));
  li.classList.toggle("pinned", account.pinned);
  li.title = t("copy.hint");
  const badge = li.querySelector(".badge");
  badge.hidden = account.recovery_codes === 0;
  // "Running low" is Rust's verdict, shared with the details dialog.
  badge.classList.toggle("warn", account.recovery_codes_low);
  setText(badge, t("recovery.badge", { left: account.recovery_codes_left }));
  li.dataset.kind = account.kind;

  const timed = account.changes_at != null;
  li.querySelector(".timer").hidden = !timed;
  li.querySelector(".next").hidden = timed;
}

/** The brand icon (bundled, never fetched) on its colour, or the coloured initial. */
function showAvatar(avatar, account, title) {
  const icon = account.icon;
  const key = icon ? icon.slug : `initial:${title}`;
  if (avatar.dataset.key === key) return;
  avatar.dataset.key = key;
  avatar.classList.toggle("brand", Boolean(icon));
  if (icon) {
    avatar.replaceChildren(glyph(icon.slug));
    avatar.dataset.icon = icon.slug;
    avatar.style.setProperty("--brand", `#${icon.hex}`);
    // A light brand colour gets a dark glyph; a near-black one a ring, so
    // it keeps its shape on the dark theme's background.
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(icon.hex.slice(i, i + 2), 16));
    const luma = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    avatar.classList.toggle("light", luma > 160);
    avatar.classList.toggle("dark", luma < 48);
  } else {
    delete avatar.dataset.icon;
    avatar.textContent = (title.trim()[0] || "?").toUpperCase();
    avatar.style.setProperty("--hue", hue(title));
  }
}

/** The countdown, in whole seconds of the corrected clock: one step a second, no animation. */
function updateTimer(li, account, at) {
  if (!account || account.changes_at == null) return;
  const left = Math.min(account.period, Math.max(1, Math.ceil((account.changes_at * 1000 - at) / 1000)));
  setText(li.querySelector(".seconds"), inUse() ? String(left) : "");
  const ring = li.querySelector(".left");
  const offset = String(RING * (1 - left / account.period));
  if (ring.style.strokeDashoffset !== offset) {
    ring.style.strokeDasharray = String(RING);
    ring.style.strokeDashoffset = offset;
  }
  li.classList.toggle("expiring", left <= EXPIRING);
}

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

function closeMenus(except) {
  for (const menu of $("accounts").querySelectorAll(".menu")) {
    if (menu === except) continue;
    menu.hidden = true;
    menu.closest("li").classList.remove("menu-open");
  }
}

async function onClick(e) {
  const li = e.target.closest("li.account");
  if (!li || e.target.closest(".grip")) return;
  const id = li.dataset.id;
  if (e.target.closest(".more")) {
    const menu = li.querySelector(".menu");
    closeMenus(menu);
    menu.hidden = !menu.hidden;
    li.classList.toggle("menu-open", !menu.hidden);
    return;
  }
  const action = e.target.closest("[data-action]")?.dataset.action;
  if (action) {
    closeMenus();
    const account = byId(id);
    if (account) (action === "pin" ? togglePin : handlers[action])(account);
    return;
  }
  if (e.target.closest(".reveal")) {
    reveal(id);
    return;
  }
  if (e.target.closest(".next")) return nextCode(id);
  copy(id);
}

/** Asks Rust for an HOTP account's next code. */
export async function nextCode(id) {
  try {
    await api.nextHotp(id);
  } catch (err) {
    toast(errorText(err));
  }
}

/** The row drawn next to `row` in list order ("next", "previous", "first",
 * "last"), drawing it first if the virtual list had not. */
export function neighbour(row, where) {
  const index = shown.findIndex((a) => a.id === row.dataset.id);
  const target = { next: index + 1, previous: index - 1, first: 0, last: shown.length - 1 }[where];
  const account = shown[target];
  if (index < 0 || !account) return null;
  const find = () => $("accounts").querySelector(`li[data-id="${CSS.escape(account.id)}"]`);
  if (!find()) {
    // Out of the drawn range: scroll its slot into view, then draw.
    const list = $("accounts");
    const { columns, stride } = range(list);
    const top = list.getBoundingClientRect().top + window.scrollY;
    window.scrollTo({ top: top + Math.floor(target / columns) * stride - window.innerHeight / 2 });
    render();
  }
  return find();
}
