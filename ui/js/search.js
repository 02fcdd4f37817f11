// What a search matches, for the account list and quick search alike:
// the issuer and the account name, case-insensitively.

/** The text a query is looked for in. */
export const haystack = (account) => `${account.issuer}\n${account.name}`.toLowerCase();

/** The accounts matching `query` (already trimmed and lower-cased), in order. */
export function matching(accounts, query) {
  return query ? accounts.filter((a) => (a.haystack ?? haystack(a)).includes(query)) : accounts;
}

/** A query as typed, made ready for `matching`. */
export const normalise = (text) => text.trim().toLowerCase();
