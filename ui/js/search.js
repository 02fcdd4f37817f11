// What a search matches, for the account list and quick search alike:
// the issuer, the account name and its tags, case-insensitively.

/** The text a query is looked for in. */
export const haystack = (account) => [account.issuer, account.name, ...(account.tags ?? [])].join("\n").toLowerCase();

/** The accounts matching `query` (already trimmed and lower-cased), in order. */
export function matching(accounts, query) {
  return query ? accounts.filter((a) => (a.haystack ?? haystack(a)).includes(query)) : accounts;
}

/** "Issuer (name)", or whichever of the two there is. */
export function label(account) {
  if (account.issuer && account.name) return `${account.issuer} (${account.name})`;
  return account.issuer || account.name;
}

/** A query as typed, made ready for `matching`. */
export const normalise = (text) => text.trim().toLowerCase();
