// The account list's rows: built from the template, updated in place, and
// virtualised. Only the rows in view exist (every row has one fixed height,
// CSS `--row`), so 1,000 accounts cost what a screenful does.

import { t } from "../i18n.js";
import { $, glyph, groupCode, hue } from "../ui.js";
import { EXPIRING, inUse, now } from "./countdown.js";
import { accounts, byId, query, shown } from "./state.js";

const RING = 2 * Math.PI * 15;
/** Rows drawn beyond each edge of the view, so a quick scroll shows no gap. */
const OVERSCAN = 4;
/** How long a revealed code stays visible, in ms. */
const REVEAL_FOR = 8000;

let frame = 0;
/** "Hide codes until clicked": codes show as dots, unless revealed. */
let hideCodes = false;
/** Rows revealed now: id → the timeout that hides them again. */
const revealed = new Map();
/** Whether there is a tray to pin accounts to. */
let trayAvailable = false;

export function setTrayAvailable(on) {
  if (trayAvailable === on) return;
  trayAvailable = on;
  render();
}

export function setHideCodes(on) {
  if (hideCodes === on) return;
  hideCodes = on;
  render();
}

/** Shows one row's code for a few seconds. */
export function reveal(id) {
  clearTimeout(revealed.get(id));
  revealed.set(id, setTimeout(() => { revealed.delete(id); render(); }, REVEAL_FOR));
  render();
}

/** The app locked: no row, and no code waiting to be hidden again. */
export function clear() {
  for (const hide of revealed.values()) clearTimeout(hide);
  revealed.clear();
  $("accounts").replaceChildren();
  $("empty").hidden = true;
  $("no-match").hidden = true;
}

/** Scrolling redraws at most once a frame. */
export function redraw() {
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

export function render() {
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
    describe(li, account, at);
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

/** The countdowns of the rows drawn, at `at` (ms): the countdown's step. */
export function redrawTimers(at) {
  for (const li of $("accounts").children) updateTimer(li, byId(li.dataset.id), at);
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

/** Whole seconds of the corrected clock until a timed account's code changes. */
function secondsLeft(account, at) {
  return Math.min(account.period, Math.max(1, Math.ceil((account.changes_at * 1000 - at) / 1000)));
}

/** What a screen reader says for the row, as one item: "GitHub,
 * alice@example.com, 1 2 3 4 5 6, 12 seconds left" (the code's digits
 * spaced, so they are read one by one). It is written when the row is
 * drawn, when its code changes and when it takes focus, never by the
 * countdown's step: a name that changed every second would be read out
 * every second. The row's own text is hidden from the reader. */
function describe(li, account, at) {
  const title = account.issuer || account.name;
  const parts = [title];
  if (account.issuer && account.name) parts.push(account.name);
  const masked = hideCodes && !revealed.has(account.id);
  parts.push(masked ? t("row.codeHidden") : [...account.code].join(" "));
  if (account.changes_at != null) parts.push(t("row.secondsLeft", { seconds: secondsLeft(account, at) }));
  if (account.recovery_codes > 0) parts.push(t("recovery.badge", { left: account.recovery_codes_left }));
  const label = parts.join(t("row.separator"));
  if (li.getAttribute("aria-label") !== label) li.setAttribute("aria-label", label);
}

/** A row about to be read (it took focus): its name says the time left now. */
export function describeFocused(li) {
  const account = byId(li.dataset.id);
  if (account) describe(li, account, now());
}

/** The countdown, in whole seconds of the corrected clock: one step a second, no animation. */
function updateTimer(li, account, at) {
  if (!account || account.changes_at == null) return;
  const left = secondsLeft(account, at);
  setText(li.querySelector(".seconds"), inUse() ? String(left) : "");
  const ring = li.querySelector(".left");
  const offset = String(RING * (1 - left / account.period));
  if (ring.style.strokeDashoffset !== offset) {
    ring.style.strokeDasharray = String(RING);
    ring.style.strokeDashoffset = offset;
  }
  li.classList.toggle("expiring", left <= EXPIRING);
  // Rust says when the next code joins the current one (`next_shown_within`).
  const next = li.querySelector(".next-code");
  const showNext = account.next_code != null && left <= (account.next_shown_within ?? 0)
    && !(hideCodes && !revealed.has(account.id));
  if (showNext) setText(next, groupCode(account.next_code, account.kind));
  if (next.hidden === showNext) next.hidden = !showNext;
}

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/** Closes every row's menu but `except`. */
export function closeMenus(except) {
  for (const menu of $("accounts").querySelectorAll(".menu")) {
    if (menu !== except && !menu.hidden) showMenu(menu.closest("li"), false);
  }
}

/** Opens (focus on its first item, as a menu does) or closes a row's menu. */
export function showMenu(li, open) {
  const menu = li.querySelector(".menu");
  menu.hidden = !open;
  li.classList.toggle("menu-open", open);
  li.querySelector(".more").setAttribute("aria-expanded", String(open));
  if (open) menu.querySelector("[role=menuitem]").focus();
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
