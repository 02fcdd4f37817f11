#!/usr/bin/env node
// Every message key exists in every language, with the same {placeholders}:
// a key missing in one language would silently show English (or the key).
// Run by `make lint`; exits 1 naming each mismatch.

import { readFileSync } from "node:fs";
import en from "../ui/js/i18n/en.js";
import ja from "../ui/js/i18n/ja.js";

const tables = { en, ja };
const placeholders = (text) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort().join(", ");

const problems = [];
const keys = new Set(Object.values(tables).flatMap((table) => Object.keys(table)));
for (const key of [...keys].sort()) {
  const missing = Object.keys(tables).filter((lang) => !Object.hasOwn(tables[lang], key));
  if (missing.length) {
    problems.push(`${key}: missing in ${missing.join(", ")}`);
    continue;
  }
  const sets = Object.entries(tables).map(([lang, table]) => [lang, placeholders(table[key])]);
  if (new Set(sets.map(([, set]) => set)).size > 1) {
    problems.push(`${key}: placeholders differ (${sets.map(([lang, set]) => `${lang}: {${set}}`).join("; ")})`);
  }
}

// One key per line, each once: a repeated key silently overrides the first,
// and Rust's tests find error messages by their `"error.<code>":` line.
for (const lang of Object.keys(tables)) {
  const file = new URL(`../ui/js/i18n/${lang}.js`, import.meta.url);
  const lines = readFileSync(file, "utf8").split("\n");
  const seen = new Set();
  for (const [, key] of lines.map((line) => line.match(/^\s*"([^"]+)":/)).filter(Boolean)) {
    if (seen.has(key)) problems.push(`${key}: repeated in ${lang}`);
    seen.add(key);
  }
  const inline = Object.keys(tables[lang]).filter((key) => !seen.has(key));
  if (inline.length) problems.push(`${inline.join(", ")}: not on a line of its own in ${lang}`);
}

if (problems.length) {
  console.error(`ui/js/i18n: ${problems.length} message key problem(s):`);
  for (const line of problems) console.error(`  ${line}`);
  process.exit(1);
}
