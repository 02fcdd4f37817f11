//! Plain lists of `otpauth://` links, one per line or separated by commas:
//! Ente Auth's plain export, WinAuth and many scripts. Ente appends a
//! `codeDisplay` parameter (JSON: its pins and tags become Twofold's) and
//! writes commas as `%2C`. Lost: everything else beyond the URI's fields.

use percent_encoding::percent_decode_str;
use serde::Deserialize;

use super::{FormatError, Imported};
use crate::account::{clean_tags, Account};
use crate::uri::OtpauthUri;

pub fn detect(text: &str) -> bool {
    text.lines().any(|l| l.trim_start().to_ascii_lowercase().starts_with("otpauth://"))
}

/// The most links one list may hold: ten times the largest collection of
/// accounts anyone keeps. Each account read takes about 1.5 KiB, so a list
/// of 8 MiB of short links would take 350 MiB.
pub const MAX_LINKS: usize = 10_000;

pub fn read(text: &str) -> Result<Imported, FormatError> {
    let links = || text.split(['\n', ',']).map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'));
    if links().count() > MAX_LINKS {
        return Err(FormatError::TooComplex);
    }
    // A link that does not parse has no name to show: its position says which.
    Ok(Imported::from_entries(
        links(),
        |_| ("", ""),
        |link| {
            let mut account = Account::from_uri(OtpauthUri::parse(link)?, 0);
            if let Some(display) = ente_display(link) {
                account.pinned = display.pinned;
                account.tags = clean_tags(&display.tags);
            }
            Ok(account)
        },
    ))
}

/// Ente Auth's `codeDisplay` parameter, where present and readable.
#[derive(Deserialize)]
struct EnteDisplay {
    #[serde(default)]
    pinned: bool,
    #[serde(default)]
    tags: Vec<String>,
}

fn ente_display(link: &str) -> Option<EnteDisplay> {
    let (_, query) = link.split_once('?')?;
    let value = query.split('&').find_map(|p| p.strip_prefix("codeDisplay="))?;
    let json = percent_decode_str(value).decode_utf8().ok()?;
    serde_json::from_str(&json).ok()
}
