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
    let mut imported = Imported::default();
    let links = text.split(['\n', ',']).map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'));
    for (index, link) in links.enumerate() {
        match OtpauthUri::parse(link) {
            Ok(uri) => imported.accounts.push(Account::from_uri(uri, 0)),
            Err(e) => imported.skip(index, "", &format!("line {}", index + 1), e.to_string()),
        }
    }
    imported
}
