// Looking up visible strings. The tables live one language per file in
// i18n/; the language follows the system unless the person picks one
// (remembered in localStorage).

import en from "./i18n/en.js";
import ja from "./i18n/ja.js";

const messages = { en, ja };

const STORAGE_KEY = "twofold.language";
let currentLanguage = "en";

export const languages = Object.keys(messages);

export function preference() {
  return localStorage.getItem(STORAGE_KEY) || "auto";
}

let systemTags = [];

/** Tags the system reports (from Rust), then the web view's own, best first. */
export function setSystemTags(tags) {
  systemTags = tags.filter(Boolean);
  setPreference(preference());
}

function systemLanguage() {
  for (const tag of [...systemTags, ...(navigator.languages || [navigator.language || "en"])]) {
    const base = String(tag).toLowerCase().split(/[-_.@]/)[0];
    if (messages[base]) return base;
  }
  return "en";
}

export function setPreference(choice) {
  if (choice === "auto") localStorage.removeItem(STORAGE_KEY);
  else localStorage.setItem(STORAGE_KEY, choice);
  currentLanguage = choice === "auto" ? systemLanguage() : choice;
  document.documentElement.lang = currentLanguage;
}

/** The language in use, e.g. for formatting dates. */
export function current() {
  return currentLanguage;
}

export function t(key, params = {}) {
  const text = messages[currentLanguage][key] ?? messages.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
}

/** How long ago Unix second `seconds` was, in words ("3 min ago"). */
export function ago(seconds) {
  const s = Math.max(0, Math.floor(Date.now() / 1000) - seconds);
  if (s < 60) return t("backup.justNow");
  if (s < 3600) return t("backup.minutes", { n: Math.floor(s / 60) });
  if (s < 86400) return t("backup.hours", { n: Math.floor(s / 3600) });
  return t("backup.days", { n: Math.floor(s / 86400) });
}

/** Whether a message exists (English is the reference), so callers can fall back. */
export function has(key) {
  return Object.hasOwn(messages.en, key);
}

/** Fills every element that names a message key in a data attribute. */
export function translatePage(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll("[data-i18n-aria-label]")) el.setAttribute("aria-label", t(el.dataset.i18nAriaLabel));
}

/** The message for a command error: by its code, never by parsing text. */
export function errorText(error) {
  const key = `error.${error?.code}`;
  return has(key) ? t(key, { what: t(`format.${error.detail}`), seconds: error.seconds }) : t("error.internal");
}

setPreference(preference());
