//! Plain lists of `otpauth://` links, one per line or separated by commas:
//! Ente Auth's plain export, WinAuth and many scripts. Ente appends a
//! `codeDisplay` parameter (ignored) and writes commas as `%2C`.
//! Lost: everything but the URI's own fields.

use super::Imported;
use crate::account::Account;
use crate::uri::OtpauthUri;

pub fn detect(text: &str) -> bool {
    text.lines().any(|l| l.trim_start().to_ascii_lowercase().starts_with("otpauth://"))
}

pub fn read(text: &str) -> Imported {
    let links = text.split(['\n', ',']).map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'));
    // A link that does not parse has no name to show: its position says which.
    Imported::from_entries(links, |_| ("", ""), |link| Ok(Account::from_uri(OtpauthUri::parse(link)?, 0)))
}
