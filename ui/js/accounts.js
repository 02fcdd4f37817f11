// The account list: live codes with a countdown, click to copy, search.

import * as api from "./api.js";
import { errorText, t } from "./i18n.js";
import { $, groupCode, hue, toast } from "./ui.js";

const RING = 2 * Math.PI * 15;

let accounts = [];
let query = "";
let ticking = false;
let handlers = { rename() {}, delete() {}, qr() {}, details() {} };

export function init(actions) {
  handlers = actions;
  const list = $("accounts");
  list.addEventListener("click", onClick);
  list.addEventListener("keydown", (e) => {
    if ((e.key === "Enter" || e.key === " ") && e.target.matches("li.account")) {
      e.preventDefault();
      copy(e.target.dataset.id);
    }
  });
  document.addEventListener("click", (e) => {
    if (!e.target.closest(".more, .menu")) closeMenus();
  });
}

export function start() {
  if (ticking) return;
  ticking = true;
  tick();
}

// Refresh just after each second boundary so countdowns stay in step with the clock.
async function tick() {
  await refresh();
  setTimeout(tick, 1000 - (Date.now() % 1000) + 20);
}

export async function refresh() {
  try {
    accounts = await api.listAccounts();
  } catch (e) {
    if (e.code !== "vault_locked") toast(errorText(e));
    return;
  }
  render();
}

export function setQuery(text) {
  query = text.trim().toLowerCase();
  render();
}

export function visible() {
  if (!query) return accounts;
  return accounts.filter((a) => a.issuer.toLowerCase().includes(query) || a.name.toLowerCase().includes(query));
}

export function byId(id) {
  return accounts.find((a) => a.id === id);
}

export function label(account) {
  if (account.issuer && account.name) return `${account.issuer} (${account.name})`;
  return account.issuer || account.name;
}

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

function render() {
  const list = $("accounts");
  const shown = visible();
  const rows = new Map([...list.children].map((li) => [li.dataset.id, li]));
  let previous = null;
  for (const account of shown) {
    let li = rows.get(account.id);
    if (li) rows.delete(account.id);
    else li = create(account);
    update(li, account);
    // Keep DOM order equal to vault order without re-inserting unchanged rows.
    const expected = previous ? previous.nextElementSibling : list.firstElementChild;
    if (expected !== li) list.insertBefore(li, expected);
    previous = li;
  }
  for (const stale of rows.values()) stale.remove();

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
  li.querySelector('[data-action="rename"]').textContent = t("menu.rename");
  li.querySelector('[data-action="delete"]').textContent = t("menu.delete");
  li.querySelector('[data-action="qr"]').textContent = t("menu.qr");
  li.querySelector('[data-action="details"]').textContent = t("menu.details");
  return li;
}

function update(li, account) {
  const title = account.issuer || account.name;
  const avatar = li.querySelector(".avatar");
  avatar.textContent = (title.trim()[0] || "?").toUpperCase();
  avatar.style.setProperty("--hue", hue(title));
  setText(li.querySelector(".issuer"), title);
  setText(li.querySelector(".name"), account.issuer ? account.name : "");
  setText(li.querySelector(".code"), groupCode(account.code, account.kind));
  li.title = t("copy.hint");
  const badge = li.querySelector(".badge");
  badge.hidden = account.recovery_codes === 0;
  // "Running low" is Rust's verdict, shared with the details dialog.
  badge.classList.toggle("warn", account.recovery_codes_low);
  setText(badge, t("recovery.badge", { left: account.recovery_codes_left }));
  li.dataset.kind = account.kind;

  const timed = account.seconds_left != null;
  li.querySelector(".timer").hidden = !timed;
  li.querySelector(".next").hidden = timed;
  if (timed) {
    setText(li.querySelector(".seconds"), String(account.seconds_left));
    const left = li.querySelector(".left");
    left.style.strokeDasharray = String(RING);
    left.style.strokeDashoffset = String(RING * (1 - account.seconds_left / account.period));
    li.classList.toggle("expiring", account.seconds_left <= 5);
  }
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
  if (!li) return;
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
    if (account) handlers[action](account);
    return;
  }
  if (e.target.closest(".next")) {
    try {
      await api.nextHotp(id);
      await refresh();
    } catch (err) {
      toast(errorText(err));
    }
    return;
  }
  copy(id);
}
