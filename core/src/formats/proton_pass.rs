//! Proton Pass's unencrypted export: a ZIP holding `Proton Pass/data.json`
//! (`vaults` → `items`; a login's `content.totpUri`, and extra fields of
//! type `totp` with `data.totpUri`, of any item). The item's title and
//! email or username name a link without a label; the vault's name becomes
//! a tag. Trashed items (state 2) are left out. Lost: passwords, notes,
//! URLs and attachments (never read into Twofold).
//!
//! The ZIP is read in memory with a limit on its entries and on the size
//! of the one entry read; no path is ever made from an entry's name.

use std::io::{Cursor, Read};

use serde_json::Value;
use zeroize::Zeroizing;

use super::wiped_json::WipedJson;
use super::{EntryProblem, FormatError, Imported, MAX_TEXT_BYTES};
use crate::account::{clean_tags, Account};
use crate::uri::OtpauthUri;

const NAME: &str = "Proton Pass";

/// The most entries an archive may list (an export with attachments has
/// one per file).
const MAX_ENTRIES: u64 = 10_000;

const DATA: &str = "Proton Pass/data.json";

/// Reads a ZIP: `Ok(None)` when it holds no Proton Pass export.
pub fn read_zip(bytes: &[u8]) -> Result<Option<Imported>, FormatError> {
    match entry_count(bytes) {
        Some(n) if n <= MAX_ENTRIES => {}
        Some(_) => return Err(FormatError::TooComplex),
        None => return Err(FormatError::Damaged("ZIP")),
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| FormatError::Damaged("ZIP"))?;
    let index = (0..archive.len()).find(|&i| {
        archive
            .name_for_index(i)
            .and_then(Result::ok)
            .is_some_and(|n| n == DATA || n.ends_with(&format!("/{DATA}")))
    });
    let Some(index) = index else { return Ok(None) };
    let mut file = archive.by_index(index).map_err(|_| FormatError::Damaged(NAME))?;
    if file.size() > MAX_TEXT_BYTES as u64 {
        return Err(FormatError::TooLarge);
    }
    // The size in the header may lie: never read more than the limit.
    let mut json = Zeroizing::new(Vec::new());
    file.by_ref()
        .take(MAX_TEXT_BYTES as u64 + 1)
        .read_to_end(&mut json)
        .map_err(|_| FormatError::Damaged(NAME))?;
    if json.len() > MAX_TEXT_BYTES {
        return Err(FormatError::TooLarge);
    }
    let value = WipedJson::parse(&json).map_err(|e| e.damaged(NAME))?;
    read(&value).map(Some)
}

/// The entry count of the end-of-central-directory record; `None` when
/// there is none. A ZIP64 count (0xFFFF) is taken as too many: no real
/// export needs one.
fn entry_count(bytes: &[u8]) -> Option<u64> {
    let tail_start = bytes.len().saturating_sub(22 + 65_535);
    let tail = bytes.get(tail_start..)?;
    let at = tail.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let count = tail.get(at + 10..at + 12)?;
    let count = u16::from_le_bytes([count[0], count[1]]);
    Some(if count == u16::MAX { u64::MAX } else { u64::from(count) })
}

/// One TOTP link of an item, with what names it.
struct Code<'a> {
    link: &'a str,
    title: &'a str,
    login: &'a str,
    vault: &'a str,
}

pub fn read(value: &Value) -> Result<Imported, FormatError> {
    if value["encrypted"] == true {
        return Err(FormatError::Damaged(NAME));
    }
    let vaults = value["vaults"].as_object().ok_or(FormatError::Damaged(NAME))?;
    let mut codes = Vec::new();
    for vault in vaults.values() {
        let vault_name = vault["name"].as_str().unwrap_or_default();
        for item in vault["items"].as_array().into_iter().flatten() {
            if item["state"] == 2 {
                continue;
            }
            let data = &item["data"];
            let content = &data["content"];
            let title = data["metadata"]["name"].as_str().unwrap_or_default();
            let login = [&content["itemEmail"], &content["itemUsername"], &content["username"]]
                .into_iter()
                .find_map(|v| v.as_str().filter(|s| !s.trim().is_empty()))
                .unwrap_or_default();
            let extra = data["extraFields"].as_array().into_iter().flatten().filter(|f| f["type"] == "totp");
            let links = std::iter::once(&content["totpUri"]).chain(extra.map(|f| &f["data"]["totpUri"]));
            for link in links.filter_map(Value::as_str).map(str::trim).filter(|l| !l.is_empty()) {
                codes.push(Code { link, title, login, vault: vault_name });
            }
        }
    }
    Ok(Imported::from_entries(codes, |c| (c.title, c.login), account))
}

fn account(code: &Code) -> Result<Account, EntryProblem> {
    let mut account = Account::from_uri(OtpauthUri::parse(code.link)?, 0);
    if account.issuer.is_empty() && account.name.is_empty() {
        (account.issuer, account.name) = (code.title.trim().to_owned(), code.login.trim().to_owned());
    }
    account.tags = clean_tags(&[code.vault.to_owned()]);
    Ok(account)
}
