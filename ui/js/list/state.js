// The account list's data: the listing Rust sent (accounts with their live
// codes, the tags in use, the order), the tag it is filtered by, and what is
// typed in the search box. No DOM: rows.js draws it, the list asks for it.
//
// Exported as live bindings, so every module reads the same listing; only
// the functions here change it.

import * as api from "../api.js";
import { haystack, matching, normalise } from "../search.js";

/** Every account Rust listed (already only the chosen tag's). */
export let accounts = [];
/** The accounts matching the search, in list order: what is drawn. */
export let shown = [];
/** The search, normalised. */
export let query = "";
/** Every tag in use (from Rust), and the one the list is filtered by. */
export let tags = [];
export let activeTag = null;
/** How Rust ordered the list: "manual" lets the person move rows. */
export let order = "manual";
let generation = 0;

/** Asks Rust for the list. Only the newest answer is used, so a slow one
 * never undoes a change: an older one answers null. Errors are the
 * caller's. */
export async function load() {
  const mine = ++generation;
  const listing = await api.listAccounts(activeTag);
  if (mine !== generation) return null;
  accounts = listing.accounts.map((a) => ({ ...a, haystack: haystack(a) }));
  tags = listing.tags;
  order = listing.order;
  // The tag filtered by is gone (its last account untagged): show all.
  if (activeTag !== null && !tags.includes(activeTag)) {
    activeTag = null;
    return load();
  }
  filter();
  return listing;
}

/** The app locked: keep no code or name (an answer still on its way is dropped). */
export function forget() {
  generation++;
  accounts = [];
  shown = [];
}

/** Filters by `tag` (null: every account) from the next `load` on. */
export function chooseTag(tag) {
  activeTag = tag;
}

export function setQuery(text) {
  query = normalise(text);
  filter();
}

/** Rust has already kept only the accounts with the chosen tag. */
function filter() {
  shown = matching(accounts, query);
}

export function byId(id) {
  return accounts.find((a) => a.id === id);
}
