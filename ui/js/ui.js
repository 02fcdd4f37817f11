// Small shared pieces of the interface: element lookup, toast, busy overlay,
// dialog close buttons.

import { t } from "./i18n.js";

export const $ = (id) => document.getElementById(id);

let toastTimer;
export function toast(text) {
  const el = $("toast");
  el.textContent = text;
  el.hidden = false;
  el.classList.remove("show");
  void el.offsetWidth; // restart the animation
  el.classList.add("show");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 2600);
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
