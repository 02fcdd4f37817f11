// Choosing an account's icon: any of the bundled brand icons (found by
// name), the one matched by its issuer ("Automatic"), or none (the coloured
// initial). The list of icons is asked of Rust once, when first needed.

import * as api from "./api.js";
import { errorText, t } from "./i18n.js";
import { $, glyph, toast } from "./ui.js";
import { normalise } from "./search.js";

let icons = null;
let current = null;

export function init() {
  $("icon-search").addEventListener("input", draw);
  $("icon-auto").addEventListener("click", () => choose({ kind: "auto" }));
  $("icon-none").addEventListener("click", () => choose({ kind: "none" }));
  $("icon-grid").addEventListener("keydown", onGridKey);
  $("icon-grid").addEventListener("click", (e) => {
    const button = e.target.closest("[data-slug]");
    if (button) choose({ kind: "chosen", slug: button.dataset.slug });
  });
}

export async function open(account) {
  current = account;
  try {
    icons ??= await api.listIcons();
  } catch (err) {
    return toast(errorText(err));
  }
  $("icon-search").value = "";
  draw();
  $("icon-dialog").showModal();
  $("icon-search").focus();
}

/** The icons whose name matches the search, as buttons. */
function draw() {
  const query = normalise($("icon-search").value);
  const found = icons.filter((icon) => !query || icon.title.toLowerCase().includes(query) || icon.slug.includes(query));
  $("icon-grid").replaceChildren(
    ...found.map((icon) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "icon-choice";
      button.dataset.slug = icon.slug;
      button.dataset.testid = "icon-choice";
      button.title = icon.title;
      button.setAttribute("aria-label", icon.title);
      button.tabIndex = -1;
      button.append(glyph(icon.slug));
      return button;
    }),
  );
  const first = $("icon-grid").firstElementChild;
  if (first) first.tabIndex = 0;
}

/** One Tab stop for the whole grid; the arrows move within it, a row of
 * the grid at a time for ↑/↓, as in any grid of choices. */
function onGridKey(e) {
  const buttons = [...$("icon-grid").children];
  const at = buttons.indexOf(e.target);
  if (at < 0) return;
  const columns = getComputedStyle($("icon-grid")).gridTemplateColumns.split(" ").length;
  const to = { ArrowRight: at + 1, ArrowLeft: at - 1, ArrowDown: at + columns, ArrowUp: at - columns,
    Home: 0, End: buttons.length - 1 }[e.key];
  if (to === undefined) return;
  e.preventDefault();
  const target = buttons[Math.max(0, Math.min(buttons.length - 1, to))];
  e.target.tabIndex = -1;
  target.tabIndex = 0;
  target.focus();
}

async function choose(icon) {
  try {
    await api.setIcon(current.id, icon);
    $("icon-dialog").close();
  } catch (err) {
    toast(errorText(err));
  }
}
