//! Bitwarden's unencrypted exports, JSON and CSV: each login's TOTP field
//! (`login.totp` in JSON, the `login_totp` column in CSV) holds an
//! otpauth link, `steam://SECRET` for Steam, or a bare base32 secret (which
//! Bitwarden reads as 30 s, 6-digit SHA1 codes). The item's name becomes
//! the issuer and its username the name when the field has no label of its
//! own; its folder (personal exports) or collections (an organisation's)
//! become tags. Lost: everything else Bitwarden stores (passwords, notes,
//! URIs are never read into Twofold). Password-protected exports are named,
//! not read.

use serde_json::Value;
use zeroize::Zeroizing;

use super::{EntryProblem, FormatError, Imported};
use crate::account::{clean_tags, Account};
use crate::otp::{Algorithm, Kind, Otp};
use crate::secret::Secret;
use crate::uri::OtpauthUri;

const NAME: &str = "Bitwarden";

pub fn detect(value: &Value) -> bool {
    // A password-protected export holds only `data`, no items.
    let protected = value["encrypted"] == true && value.get("passwordProtected").is_some();
    protected
        || value.get("items").is_some_and(Value::is_array)
            && (value.get("encrypted").is_some()
                || value.get("folders").is_some()
                || value.get("collections").is_some())
}

/// One login with a TOTP field, as either export gives it.
struct Login<'a> {
    title: &'a str,
    username: &'a str,
    totp: &'a str,
    tags: Vec<String>,
}

pub fn read(value: &Value) -> Result<Imported, FormatError> {
    if value["encrypted"].as_bool() == Some(true) {
        return Err(FormatError::Unsupported(super::Unsupported::BitwardenAccountRestricted));
    }
    let items = value["items"].as_array().ok_or(FormatError::Damaged(NAME))?;
    let named = |list: &str, id: &Value| -> Option<String> {
        let found = value[list].as_array()?.iter().find(|f| f["id"] == *id && !id.is_null())?;
        found["name"].as_str().map(str::to_owned)
    };
    // Only logins with a TOTP field are accounts; positions count those.
    let logins = items.iter().filter_map(|item| {
        let totp = item["login"]["totp"].as_str().map(str::trim).filter(|t| !t.is_empty())?;
        let mut tags: Vec<String> = named("folders", &item["folderId"]).into_iter().collect();
        let collections = item["collectionIds"].as_array().into_iter().flatten();
        tags.extend(collections.filter_map(|id| named("collections", id)));
        Some(Login {
            title: item["name"].as_str().unwrap_or_default(),
            username: item["login"]["username"].as_str().unwrap_or_default(),
            totp,
            tags,
        })
    });
    Ok(Imported::from_entries(logins, |l| (l.title, l.username), account))
}

/// A CSV export: its first line names the columns, `login_totp` among them.
pub fn detect_csv(text: &str) -> bool {
    let header = text.trim_start_matches('\u{feff}').lines().next().unwrap_or_default();
    let columns: Vec<&str> = header.split(',').map(|c| c.trim().trim_matches('"')).collect();
    columns.contains(&"login_totp") && columns.contains(&"name")
}

pub fn read_csv(text: &str) -> Result<Imported, FormatError> {
    let text = text.trim_start_matches('\u{feff}');
    let mut records = Csv::new(text);
    let header: Vec<Zeroizing<String>> = records.next().ok_or(FormatError::Damaged(NAME))??;
    let column = |name: &str| header.iter().position(|h| h.trim() == name);
    let totp = column("login_totp").ok_or(FormatError::Damaged(NAME))?;
    let (title, username) = (column("name"), column("login_username"));
    // Personal exports have a folder; an organisation's, collections
    // (comma-separated inside the field).
    let (folder, collections) = (column("folder"), column("collections"));
    let mut rows = Vec::new();
    for record in records {
        let record = record?;
        let field = |i: Option<usize>| i.and_then(|i| record.get(i)).map_or("", |f| f.as_str());
        if field(Some(totp)).trim().is_empty() {
            continue;
        }
        if rows.len() >= super::uri_list::MAX_LINKS {
            return Err(FormatError::TooComplex);
        }
        let mut tags: Vec<String> = vec![field(folder).to_owned()];
        tags.extend(field(collections).split(',').map(str::to_owned));
        let owned = |i| Zeroizing::new(field(i).to_owned());
        rows.push((owned(title), owned(username), owned(Some(totp)), tags));
    }
    let logins = rows.iter().map(|(title, username, totp, tags)| Login {
        title,
        username,
        totp: totp.trim(),
        tags: tags.clone(),
    });
    Ok(Imported::from_entries(logins, |l| (l.title, l.username), account))
}

/// The field holds an otpauth link, `steam://SECRET`, or just the secret.
fn account(login: &Login) -> Result<Account, EntryProblem> {
    let (title, username, totp) = (login.title.trim(), login.username.trim(), login.totp);
    let mut account = if let Some(secret) = strip_scheme(totp, "steam://") {
        Account::new(title, username, Otp::steam(Secret::from_base32(secret)?), 0)
    } else if strip_scheme(totp, "otpauth:").is_some() {
        let mut account = Account::from_uri(OtpauthUri::parse(totp)?, 0);
        // A link without a label takes the item's.
        if account.issuer.is_empty() && account.name.is_empty() {
            (account.issuer, account.name) = (title.to_owned(), username.to_owned());
        }
        account
    } else {
        let kind = Kind::Totp { period: Otp::DEFAULT_PERIOD };
        let otp = Otp::new(Secret::from_base32(totp)?, Algorithm::Sha1, Otp::DEFAULT_DIGITS, kind)?;
        Account::new(title, username, otp, 0)
    };
    account.tags = clean_tags(&login.tags);
    Ok(account)
}

fn strip_scheme<'a>(text: &'a str, scheme: &str) -> Option<&'a str> {
    let head = text.get(..scheme.len())?;
    head.eq_ignore_ascii_case(scheme).then(|| &text[scheme.len()..])
}

/// RFC 4180 records: fields separated by commas, records by CRLF or LF; a
/// field in double quotes may hold commas, line breaks and `""` for a
/// quote. Fields are zeroed when dropped: a row holds a password.
struct Csv<'a> {
    rest: &'a str,
    done: bool,
}

impl<'a> Csv<'a> {
    fn new(text: &'a str) -> Self {
        Self { rest: text, done: text.is_empty() }
    }

    /// One field; the rest starts at the separator after it.
    fn field(&mut self) -> Result<Zeroizing<String>, FormatError> {
        let mut out = Zeroizing::new(String::new());
        if let Some(quoted) = self.rest.strip_prefix('"') {
            let mut rest = quoted;
            loop {
                let end = rest.find('"').ok_or(FormatError::Damaged(NAME))?;
                out.push_str(&rest[..end]);
                rest = &rest[end + 1..];
                match rest.strip_prefix('"') {
                    Some(after) => {
                        out.push('"');
                        rest = after;
                    }
                    None => break,
                }
            }
            // Only a separator (or the end) may follow a closing quote.
            if !(rest.is_empty() || rest.starts_with([',', '\n', '\r'])) {
                return Err(FormatError::Damaged(NAME));
            }
            self.rest = rest;
        } else {
            let end = self.rest.find([',', '\n', '\r']).unwrap_or(self.rest.len());
            out.push_str(&self.rest[..end]);
            self.rest = &self.rest[end..];
        }
        Ok(out)
    }
}

impl Iterator for Csv<'_> {
    type Item = Result<Vec<Zeroizing<String>>, FormatError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            let mut record = Vec::new();
            loop {
                match self.field() {
                    Ok(field) => record.push(field),
                    Err(e) => {
                        self.done = true;
                        return Some(Err(e));
                    }
                }
                if let Some(rest) = self.rest.strip_prefix(',') {
                    self.rest = rest;
                    continue;
                }
                let rest = self.rest.strip_prefix("\r\n").or_else(|| self.rest.strip_prefix(['\n', '\r']));
                match rest {
                    Some(rest) => self.rest = rest,
                    None => self.done = true,
                }
                self.done |= self.rest.is_empty();
                break;
            }
            // A blank line is no record.
            if record.len() == 1 && record[0].is_empty() {
                continue;
            }
            return Some(Ok(record));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Vec<Vec<String>> {
        Csv::new(text).map(|r| r.expect("valid").iter().map(|f| f.to_string()).collect()).collect()
    }

    #[test]
    fn csv_quotes_commas_and_line_breaks() {
        assert_eq!(
            records("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\n,,\nlast"),
            [vec!["a", "b", "c"], vec!["x, y", "say \"hi\"", "two\nlines"], vec!["", "", ""], vec!["last"],]
        );
        assert_eq!(records("a,\"b\""), [vec!["a", "b"]]);
    }

    #[test]
    fn csv_damage_is_named() {
        for bad in ["a,\"unterminated", "a,\"b\"c"] {
            let err = Csv::new(bad).find_map(Result::err);
            assert_eq!(err, Some(FormatError::Damaged(NAME)), "{bad:?}");
        }
    }
}
