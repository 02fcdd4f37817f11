// How the page looks on this computer: the theme (the system's, light, dark
// or high contrast) and the zoom (Ctrl+= / Ctrl+− / Ctrl+0). Both are
// remembered in localStorage, like the language, so both windows (the list
// and quick search) apply them as their page loads, before the vault opens
// or while it is locked.

import * as api from "./api.js";

const THEME_KEY = "twofold.theme";
const ZOOM_KEY = "twofold.zoom";

export const THEMES = ["system", "light", "dark", "contrast"];
/** The zoom levels Ctrl+= and Ctrl+− step through, as browsers offer them. */
const ZOOMS = [0.5, 0.67, 0.75, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3];

/** The system asks for more contrast (or forces its own colours). */
const systemContrast = [matchMedia("(prefers-contrast: more)"), matchMedia("(forced-colors: active)")];

export function theme() {
  const stored = localStorage.getItem(THEME_KEY);
  return THEMES.includes(stored) ? stored : "system";
}

export function setTheme(choice) {
  if (choice === "system" || !THEMES.includes(choice)) localStorage.removeItem(THEME_KEY);
  else localStorage.setItem(THEME_KEY, choice);
  applyTheme();
}

/** `data-theme` fixes light or dark (CSS `color-scheme`, which every
 * `light-dark()` colour follows); the `contrast` class swaps in the
 * high-contrast colours, chosen here or asked for by the system. */
function applyTheme() {
  const choice = theme();
  const root = document.documentElement;
  if (choice === "light" || choice === "dark") root.dataset.theme = choice;
  else delete root.dataset.theme;
  root.classList.toggle("contrast", choice === "contrast" || systemContrast.some((q) => q.matches));
}

export function zoom() {
  const stored = Number(localStorage.getItem(ZOOM_KEY));
  return ZOOMS.includes(stored) ? stored : 1;
}

/** One step in (`+1`) or out (`-1`), or back to 100 % (`0`). */
export function zoomBy(step) {
  const index = ZOOMS.indexOf(zoom());
  const next = step === 0 ? 1 : ZOOMS[Math.min(ZOOMS.length - 1, Math.max(0, index + step))];
  if (next === 1) localStorage.removeItem(ZOOM_KEY);
  else localStorage.setItem(ZOOM_KEY, String(next));
  return applyZoom();
}

/** Rust zooms the web view: a real page zoom, so the layout reflows. The
 * system's text scaling (GNOME's "Large Text", `gtk-xft-dpi`) is already a
 * page zoom in WebKitGTK, and multiplies with this one. */
function applyZoom() {
  return api.setZoom(zoom()).catch(() => {});
}

/** Ctrl+= / Ctrl++ zoom in, Ctrl+− out, Ctrl+0 back to 100 %, anywhere in
 * the window (dialogs and fields too). Answers whether it was one. */
export function onZoomKey(e) {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return false;
  const step = { "=": 1, "+": 1, "-": -1, "_": -1, "0": 0 }[e.key];
  if (step === undefined) return false;
  e.preventDefault();
  zoomBy(step);
  return true;
}

/** Applies both as the page loads, and follows the system's contrast. */
export function init() {
  applyTheme();
  for (const query of systemContrast) query.addEventListener("change", applyTheme);
  document.addEventListener("keydown", onZoomKey, { capture: true });
  applyZoom();
}
