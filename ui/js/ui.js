// Small shared pieces of the interface: element lookup, toast and what a
// screen reader hears of it, busy overlay, closing dialogs and where focus
// goes after.

import { t } from "./i18n.js";

export const $ = (id) => document.getElementById(id);

let toastTimer;
/** A short message at the bottom of the window, and said once by a screen
 * reader through the page's one polite live region (`#announce`). */
export function toast(text) {
  announce(text);
  const el = $("toast");
  el.textContent = text;
  el.hidden = false;
  el.classList.remove("show");
  void el.offsetWidth; // restart the animation
  el.classList.add("show");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 2600);
}

/** Says `text` through the live region, as a new paragraph each time:
 * WebKitGTK tells screen readers of a block added to a live region, never
 * of changed text; and the same words twice (two copies) are said twice. */
export function announce(text) {
  const line = document.createElement("p");
  line.textContent = text;
  $("announce")?.replaceChildren(line);
}

/** Shows a spinner over the window while `work` runs (it never blocks the UI thread). */
export async function busy(messageKey, work) {
  const overlay = $("busy");
  $("busy-text").textContent = t(messageKey);
  const timer = setTimeout(() => { overlay.hidden = false; }, 120);
  try {
    return await work();
  } finally {
    clearTimeout(timer);
    overlay.hidden = true;
  }
}

/** Every dialog's [data-close] buttons close it, whichever feature owns it. */
export function closeButtons() {
  for (const dialog of document.querySelectorAll("dialog")) {
    dialog.addEventListener("click", (e) => {
      if (e.target.closest("[data-close]")) dialog.close();
    });
    // WebKit's search fields keep Escape even when empty, so a dialog
    // opened with its search focused (the icons) could not be left by
    // keyboard: an empty search field passes Escape on as the dialog's.
    dialog.addEventListener("keydown", (e) => {
      if (e.key !== "Escape" || e.target.type !== "search" || e.target.value) return;
      e.preventDefault();
      if (dialog.dispatchEvent(new Event("cancel", { cancelable: true }))) dialog.close();
    });
  }
}

/** Focus goes back where it was when a dialog closes, whoever closed it
 * (a button, Escape, a command's result): the element focused before the
 * dialog first took focus, if it is still on the page. */
export function returnFocusFromDialogs() {
  let last = null;
  const before = new WeakMap();
  document.addEventListener("focusin", (e) => {
    const dialog = e.target.closest("dialog");
    if (dialog && !before.has(dialog) && last && !dialog.contains(last)) before.set(dialog, last);
    last = e.target;
  });
  for (const dialog of document.querySelectorAll("dialog")) {
    dialog.addEventListener("close", () => {
      let back = before.get(dialog);
      before.delete(dialog);
      // A row's menu item has gone with its menu: its row takes the focus.
      if (back && !back.checkVisibility()) back = back.closest("li.account");
      const active = document.activeElement;
      if (back?.isConnected && (!active || active === document.body || dialog.contains(active))) back.focus();
    });
  }
}

export function showError(el, text) {
  el.textContent = text;
  el.hidden = !text;
}

/** "123456" → "123 456", "12345678" → "1234 5678"; Steam codes stay whole. */
export function groupCode(code, kind) {
  if (kind === "steam" || code.length < 6) return code;
  const size = code.length % 3 === 0 ? 3 : code.length % 4 === 0 ? 4 : Math.ceil(code.length / 2);
  const parts = [];
  for (let i = 0; i < code.length; i += size) parts.push(code.slice(i, i + size));
  return parts.join(" ");
}

/** A bundled brand icon, drawn as a mask so CSS gives it its colour. */
export function glyph(slug) {
  const span = document.createElement("span");
  span.className = "glyph";
  const url = `url("icons/${slug}.svg")`;
  span.style.webkitMaskImage = url;
  span.style.maskImage = url;
  return span;
}

/** A stable hue per issuer, so avatars keep their colour. */
export function hue(text) {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.codePointAt(0)) % 360;
  return h;
}
