// Moving accounts in the person's own order: the order chooser, dragging a
// row by its grip, and the keyboard's Alt+arrow moves (keys.js finds the
// neighbour, `move` moves). Every move is Rust's (`move_account`).

import * as api from "../api.js";
import { errorText } from "../i18n.js";
import { $, toast } from "../ui.js";
import { order } from "./state.js";

/** Asks Rust for the list again (the list's own refresh: injected, so
 * nothing here imports its way back up). */
let refresh = async () => {};

export function init(list, listAgain) {
  refresh = listAgain;
  list.addEventListener("pointerdown", onGripDown);
  $("list-order").addEventListener("change", setOrder);
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
