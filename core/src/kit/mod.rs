//! The emergency kit: paper that restores everything (issue 24).
//!
//! A printable PDF whose first page says in plain words what it is and how
//! to get back in, then every account as an encrypted payload split across
//! numbered QR codes, and, when asked, each account's recovery codes and
//! other ways in as plain text marked NOT ENCRYPTED. The pages are read
//! back through the usual QR pipeline ([`crate::enroll::Collected`]
//! gathers the parts) and restored through the import preview.
//!
//! `parts.rs` seals the accounts and splits them into parts, and gathers
//! and opens them again ([`Parts`]); `words.rs` holds every word of the
//! kit in English and Japanese; `font.rs` finds a system CJK font for
//! Japanese; `pdf.rs` lays the pages out and writes the PDF. The format is
//! specified in `docs/kit-format.md`.

mod font;
mod parts;
mod pdf;
mod words;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::account::Account;
use crate::passphrase::WeakPassphrase;
use crate::settings::KitPrinted;
use crate::transfer::{Replace, TransferError};
use crate::vault::{Vault, VaultError};

pub use parts::{seal, KitId, KitProgress, Part, Parts, MAX_PARTS, PART_DATA_CHARS, PREFIX, VERSION};

/// Why a kit could not be made or opened. Never holds a secret.
#[derive(Debug, thiserror::Error)]
pub enum KitError {
    #[error(transparent)]
    Part(#[from] PartError),
    #[error("{}", incomplete_message(missing))]
    Incomplete { missing: Vec<u32> },
    #[error("wrong passphrase for this emergency kit")]
    WrongPassphrase,
    #[error("the emergency kit's contents are damaged (every part read, but they do not open)")]
    Damaged,
    #[error("too many accounts for one emergency kit (at most {MAX_PARTS} QR codes)")]
    TooManyAccounts,
    #[error(transparent)]
    WeakPassphrase(#[from] WeakPassphrase),
    #[error("no Japanese font was found for a Japanese kit: {install}")]
    NoFont { install: &'static str },
    #[error("the font {} cannot be embedded", path.display())]
    BadFont { path: PathBuf },
    #[error("the system's random number generator failed")]
    Random,
    #[error("internal error while making the kit")]
    Internal,
    #[error(transparent)]
    File(#[from] TransferError),
    #[error(transparent)]
    Vault(#[from] VaultError),
}

/// Why one QR code's text is not a usable part of the kit being gathered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartError {
    #[error("this QR code is not part of a Twofold emergency kit")]
    NotAKitPart,
    #[error("this QR code claims to be part of an emergency kit but cannot be read")]
    Malformed,
    #[error("this emergency kit was made by a newer Twofold (kit format {0}); update Twofold to read it")]
    UnsupportedVersion(u32),
    #[error("part {part} of the emergency kit was misread or damaged (its checksum does not match); scan it again")]
    Checksum { part: u32 },
    #[error("this QR code belongs to another emergency kit (kit {found}, not {expected}); use the pages of one kit")]
    OtherKit { expected: String, found: String },
    #[error("two different codes both claim to be part {part} of the emergency kit")]
    Conflict { part: u32 },
}

fn incomplete_message(missing: &[u32]) -> String {
    let list: Vec<String> = missing.iter().map(u32::to_string).collect();
    format!("the emergency kit is incomplete: parts {} are missing", list.join(", "))
}

/// The kit's language: every word on the paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    En,
    Ja,
}

impl Language {
    pub const ALL: &'static [Language] = &[Language::En, Language::Ja];

    /// `en`, `ja` (and `ja-JP`, `en_GB`…: the language part).
    pub fn parse(code: &str) -> Option<Language> {
        let lang = code.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        match lang.as_str() {
            "en" => Some(Language::En),
            "ja" => Some(Language::Ja),
            _ => None,
        }
    }
}

/// Paper sizes, in PDF points (1/72 inch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

impl Paper {
    /// Width and height in points.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.28, 841.89),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

/// What a kit is made of, besides the accounts.
#[derive(Debug, Clone, Copy)]
pub struct KitRequest<'a> {
    /// Seals the QR codes (the person types it when restoring).
    pub passphrase: &'a str,
    pub language: Language,
    pub paper: Paper,
    /// Where automatic backups go, printed on the first page (`None`: off).
    pub backup_folder: Option<&'a Path>,
    /// Unix seconds: the date printed (the clock is the caller's).
    pub date: u64,
    /// Adds pages with every recovery code and other way in, UNENCRYPTED.
    pub with_recovery_codes: bool,
}

/// A kit made: the PDF and what it holds.
#[derive(Debug, Clone)]
pub struct Kit {
    pub pdf: Vec<u8>,
    pub id: KitId,
    pub accounts: usize,
    /// QR codes (parts) and pages.
    pub parts: usize,
    pub pages: usize,
    /// The largest QR version printed, and the printed size of one module.
    pub qr_version: u8,
    pub module_mm: f32,
}

/// Makes the kit's PDF for `accounts`. The passphrase follows the one rule
/// ([`crate::passphrase::check`]); a Japanese kit needs a system font with
/// Japanese glyphs ([`KitError::NoFont`] names what to install).
pub fn build(accounts: &[Account], request: &KitRequest<'_>) -> Result<Kit, KitError> {
    crate::passphrase::check(request.passphrase)?;
    let id = KitId::random()?;
    let parts = parts::seal(accounts, request.passphrase, &id)?;
    pdf::write(accounts, &parts, &id, request)
}

/// Makes the kit for every account of `vault`, writes it atomically at
/// `path` (never over the vault or its backups, and over another file only
/// with [`Replace::Existing`]) and records in the vault that it was
/// printed, for the checklist.
pub fn write_file(
    vault: &mut Vault,
    path: &Path,
    request: &KitRequest<'_>,
    replace: Replace,
) -> Result<Kit, KitError> {
    crate::transfer::check_target(vault, path, replace)?;
    let kit = build(vault.accounts(), request)?;
    crate::transfer::save(path, &kit.pdf)?;
    vault.record_kit(KitPrinted { at: request.date, accounts: kit.accounts })?;
    Ok(kit)
}

/// "twofold-kit-2026-11-25.pdf" for the day of `unix_seconds` (UTC).
pub fn suggested_file_name(unix_seconds: u64) -> String {
    let (y, m, d) = crate::civil::civil_date(unix_seconds / 86_400);
    format!("twofold-kit-{y:04}-{m:02}-{d:02}.pdf")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_parse_from_locale_codes() {
        assert_eq!(Language::parse("ja-JP"), Some(Language::Ja));
        assert_eq!(Language::parse("en_GB"), Some(Language::En));
        assert_eq!(Language::parse("fr"), None);
    }

    #[test]
    fn incomplete_names_every_missing_part() {
        assert_eq!(
            KitError::Incomplete { missing: vec![2, 5] }.to_string(),
            "the emergency kit is incomplete: parts 2, 5 are missing"
        );
    }
}
