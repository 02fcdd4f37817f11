//! Plain lists of `otpauth://` links, one per line or separated by commas:
//! Ente Auth's plain export, WinAuth and many scripts. Ente appends a
//! `codeDisplay` parameter (JSON: its pins and tags become Twofold's) and
//! writes commas as `%2C`. WinAuth writes a Steam account as a `totp`
//! link with a `data` parameter: Steam's own JSON, whose `shared_secret`
//! (base64) is the key; it is a Steam account whatever the link's digits
//! say, and a `secret` that names another key is refused. Lost:
//! everything else beyond the URI's fields (WinAuth's icons, Steam's
//! revocation code and confirmation keys).
//!
//! Google Authenticator's export links (`otpauth-migration://`), one a
//! line as extraction tools save them, give each of their accounts; a
//! multi-code export with a code missing from the file names which.

use base64::Engine;
use percent_encoding::percent_decode_str;
use serde::Deserialize;
use zeroize::Zeroizing;

use super::{EntryProblem, FormatError, Imported};
use crate::account::{clean_tags, Account};
use crate::migration::Migration;
use crate::secret::Secret;
use crate::uri::{OtpauthUri, UriError};

pub fn detect(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_start().to_ascii_lowercase();
        l.starts_with("otpauth://") || l.starts_with("otpauth-migration://")
    })
}

/// One entry of a list: a link, or one account of an export link, or an
/// export link (or a missing code of one) that gave none.
enum Item<'a> {
    Link(&'a str),
    Exported(OtpauthUri),
    Failed(EntryProblem),
}

/// The list's links, an export link's accounts in its place.
fn items<'a>(links: impl Iterator<Item = &'a str>) -> Vec<Item<'a>> {
    let mut items = Vec::new();
    // Per export (batch id and size): the codes the file holds.
    let mut batches: Vec<((i32, u32), Vec<u32>)> = Vec::new();
    for link in links {
        if !link.get(..20).is_some_and(|h| h.eq_ignore_ascii_case("otpauth-migration://")) {
            items.push(Item::Link(link));
            continue;
        }
        match Migration::parse(link) {
            Ok(export) => {
                let key = (export.batch.id, export.batch.size);
                match batches.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, seen)) => seen.push(export.batch.index + 1),
                    None => batches.push((key, vec![export.batch.index + 1])),
                }
                items.extend(export.accounts.into_iter().map(Item::Exported));
            }
            Err(e) => items.push(Item::Failed(EntryProblem::Export(e))),
        }
    }
    for ((_, size), seen) in batches {
        let missing: Vec<u32> = (1..=size).filter(|n| !seen.contains(n)).collect();
        if !missing.is_empty() {
            items.push(Item::Failed(EntryProblem::CodesMissing { missing, of: size }));
        }
    }
    items
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
        items(links()),
        |item| match item {
            Item::Exported(uri) => (uri.issuer.as_str(), uri.name.as_str()),
            _ => ("", ""),
        },
        |item| match item {
            Item::Link(link) => link_account(link),
            Item::Exported(uri) => Ok(Account::from_uri(uri.clone(), 0)),
            Item::Failed(problem) => Err(problem.clone()),
        },
    ))
}

fn link_account(link: &str) -> Result<Account, EntryProblem> {
    let uri = match winauth_steam_key(link)? {
        Some(key) => steam_link(link, &key)?,
        None => OtpauthUri::parse(link)?,
    };
    let mut account = Account::from_uri(uri, 0);
    if let Some(display) = ente_display(link) {
        account.pinned = display.pinned;
        account.tags = clean_tags(&display.tags);
    }
    Ok(account)
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

/// The key of WinAuth's Steam `data` parameter, when the link has one.
fn winauth_steam_key(link: &str) -> Result<Option<Secret>, EntryProblem> {
    let Some((_, query)) = link.split_once('?') else { return Ok(None) };
    let Some(value) = query.split('&').find_map(|p| p.strip_prefix("data=")) else { return Ok(None) };
    let json = Zeroizing::new(value.replace('+', " "));
    let json = Zeroizing::new(
        percent_decode_str(&json).decode_utf8().map_err(|_| UriError::BadEncoding("data"))?.into_owned(),
    );
    #[derive(Deserialize)]
    struct SteamData {
        shared_secret: Option<Zeroizing<String>>,
    }
    // Not Steam's JSON: some other app's `data`, ignored as before.
    let Ok(SteamData { shared_secret: Some(shared) }) = serde_json::from_str::<SteamData>(&json) else {
        return Ok(None);
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(shared.trim())
        .map_err(|_| EntryProblem::SecretNotBase64)?;
    Ok(Some(Secret::from_bytes(bytes)?))
}

/// A WinAuth Steam link read as a Steam account: its label and issuer as
/// written, its key `key`, which the `secret` parameter must agree with.
fn steam_link(link: &str, key: &Secret) -> Result<OtpauthUri, EntryProblem> {
    let (_, rest) = link.split_once("://").ok_or(UriError::NotOtpauth)?;
    let (_, after_type) = rest.split_once('/').ok_or(UriError::NotOtpauth)?;
    let mut uri = OtpauthUri::parse(&format!("otpauth://steam/{after_type}"))?;
    if uri.otp.secret != *key {
        return Err(UriError::Ambiguous("secret").into());
    }
    if uri.issuer.is_empty() {
        uri.issuer = "Steam".to_owned();
    }
    Ok(uri)
}
