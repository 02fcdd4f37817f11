//! Other authenticators' files: detecting the format from the content,
//! reading it (asking for a passphrase only when the file is encrypted), and
//! writing the formats Twofold exports. One module per format; each module's
//! header says what the format loses.

pub mod aegis;
mod andotp;
mod bitwarden;
mod crypto;
mod freeotp_plus;
mod small;
mod twofas;
mod uri_list;

use serde::Serialize;

use crate::account::{label, Account};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    #[error("wrong passphrase")]
    WrongPassphrase,
    #[error("the file is damaged (it looks like {0}, but cannot be read)")]
    Damaged(&'static str),
    #[error("this {0} file is encrypted: a passphrase is needed")]
    NeedsPassphrase(&'static str),
    #[error("this file is not in a format Twofold can import")]
    Unrecognized,
    #[error("this looks like {}, which Twofold cannot import yet", .0.describe())]
    Unsupported(Unsupported),
    #[error("the export could not be written")]
    Internal,
}

/// Files Twofold recognises but cannot read, named so the person knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsupported {
    AndroidSettings,
    Authy,
    BitwardenEncrypted,
    Database,
    FreeOtpXml,
    JavaSerialized,
    StratumEncrypted,
    Zip,
}

impl Unsupported {
    /// Stable, for the UI's message table.
    pub fn code(self) -> &'static str {
        match self {
            Unsupported::AndroidSettings => "android_settings",
            Unsupported::Authy => "authy",
            Unsupported::BitwardenEncrypted => "bitwarden_encrypted",
            Unsupported::Database => "database",
            Unsupported::FreeOtpXml => "freeotp_xml",
            Unsupported::JavaSerialized => "java_serialized",
            Unsupported::StratumEncrypted => "stratum_encrypted",
            Unsupported::Zip => "zip",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Unsupported::AndroidSettings => "an Android app's settings file (XML)",
            Unsupported::Authy => "an Authy backup",
            Unsupported::BitwardenEncrypted => "an encrypted Bitwarden export",
            Unsupported::Database => "an app's internal database (SQLite)",
            Unsupported::FreeOtpXml => "a FreeOTP backup (XML)",
            Unsupported::JavaSerialized => "a FreeOTP backup (Java serialised)",
            Unsupported::StratumEncrypted => "an encrypted Stratum backup",
            Unsupported::Zip => "a ZIP archive",
        }
    }

    fn detect(bytes: &[u8]) -> Option<Self> {
        let head = &bytes[..bytes.len().min(4096)];
        let text = String::from_utf8_lossy(head);
        Some(if bytes.starts_with(b"SQLite format 3\0") {
            Unsupported::Database
        } else if bytes.starts_with(b"PK\x03\x04") {
            Unsupported::Zip
        } else if bytes.starts_with(&[0xac, 0xed]) {
            Unsupported::JavaSerialized
        } else if bytes.starts_with(b"AUTHENTICATORPRO") {
            Unsupported::StratumEncrypted
        } else if text.contains("<map>") && text.contains("com.authy") {
            Unsupported::Authy
        } else if text.contains("<map>") && text.contains("tokenOrder") {
            Unsupported::FreeOtpXml
        } else if text.trim_start().starts_with("<?xml") || text.contains("<map>") {
            Unsupported::AndroidSettings
        } else {
            return None;
        })
    }
}

/// Formats Twofold recognises, alphabetically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Aegis,
    AndOtp,
    Bitwarden,
    Duo,
    FreeOtpPlus,
    Proton,
    QrImage,
    Steam,
    Stratum,
    TwoFas,
    UriList,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Aegis => "Aegis",
            Format::AndOtp => "andOTP",
            Format::Bitwarden => "Bitwarden",
            Format::Duo => "Duo Mobile",
            Format::Proton => "Proton Authenticator",
            Format::Steam => "Steam Guard (maFile)",
            Format::Stratum => "Stratum",
            Format::FreeOtpPlus => "FreeOTP+",
            Format::QrImage => "a QR code image",
            Format::TwoFas => "2FAS",
            Format::UriList => "a list of otpauth:// links",
        }
    }
}

/// An entry that could not be imported, and why (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryError {
    /// 1-based position in the file.
    pub index: usize,
    pub account: String,
    pub reason: String,
}

/// What a file held.
#[derive(Debug, Default)]
pub struct Imported {
    pub accounts: Vec<Account>,
    pub skipped: Vec<EntryError>,
}

impl Imported {
    pub(crate) fn skip(&mut self, index: usize, issuer: &str, name: &str, reason: String) {
        self.skipped.push(EntryError { index: index + 1, account: label(issuer, name), reason });
    }
}

/// An export's algorithm name; absent means SHA1, as in every format here.
pub(crate) fn algorithm(name: Option<&str>) -> Result<crate::otp::Algorithm, String> {
    match name.filter(|n| !n.is_empty()) {
        None => Ok(crate::otp::Algorithm::Sha1),
        Some(n) => crate::otp::Algorithm::from_name(n).ok_or_else(|| format!("unsupported algorithm {n}")),
    }
}

/// Screenshots of setup codes or Google Authenticator exports.
fn from_image(bytes: &[u8]) -> Result<Imported, FormatError> {
    let mut collected = crate::enroll::Collected::default();
    collected.add_scan("image", crate::qr::scan_bytes(bytes, crate::qr::Limits::default()));
    let mut imported = Imported::default();
    for (index, problem) in collected.problems.iter().enumerate() {
        imported.skip(index, "", "QR code", problem.message.clone());
    }
    for note in collected.batch_notes() {
        imported.skip(imported.skipped.len(), "", "export", note);
    }
    imported.accounts = collected.to_accounts(0);
    Ok(imported)
}

/// Detects the format and reads the file. Encrypted files need `passphrase`;
/// without one the answer is [`FormatError::NeedsPassphrase`], so a UI asks
/// only when it must.
pub fn read(bytes: &[u8], passphrase: Option<&str>) -> Result<(Format, Imported), FormatError> {
    let text = std::str::from_utf8(bytes).ok();
    if let Some(json) = text.and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok()) {
        if aegis::detect(&json) {
            let imported = match (aegis::is_encrypted(&json), passphrase) {
                (false, _) => aegis::read_plain(json)?,
                (true, Some(p)) => aegis::read_encrypted(json, p)?,
                (true, None) => return Err(FormatError::NeedsPassphrase(Format::Aegis.name())),
            };
            return Ok((Format::Aegis, imported));
        }
        if twofas::detect(&json) {
            return Ok((Format::TwoFas, twofas::read(json, passphrase)?));
        }
        if andotp::detect(&json) {
            return Ok((Format::AndOtp, andotp::read_plain(json)?));
        }
        if bitwarden::detect(&json) {
            return Ok((Format::Bitwarden, bitwarden::read(&json)?));
        }
        if freeotp_plus::detect(&json) {
            return Ok((Format::FreeOtpPlus, freeotp_plus::read(&json)?));
        }
        if small::is_steam(&json) {
            return Ok((Format::Steam, small::steam(&json)));
        }
        if small::is_proton(&json) {
            return Ok((Format::Proton, small::proton(&json)));
        }
        if small::is_stratum(&json) {
            return Ok((Format::Stratum, small::stratum(&json)?));
        }
        if small::is_duo(&json) {
            return Ok((Format::Duo, small::duo(&json)));
        }
        return Err(FormatError::Unrecognized);
    }
    if let Some(text) = text {
        if uri_list::detect(text) {
            return Ok((Format::UriList, uri_list::read(text)));
        }
    }
    if let Some(kind) = Unsupported::detect(bytes) {
        return Err(FormatError::Unsupported(kind));
    }
    if image::guess_format(bytes).is_ok() {
        return Ok((Format::QrImage, from_image(bytes)?));
    }
    // Opaque binary: the only encrypted-binary format Twofold reads is
    // andOTP's, which can only be recognised by decrypting it.
    if text.is_none() && bytes.len() >= 44 {
        return match passphrase {
            None => Err(FormatError::NeedsPassphrase("andOTP (encrypted backup)")),
            Some(p) => andotp::read_encrypted(bytes, p).map(|i| (Format::AndOtp, i)),
        };
    }
    Err(FormatError::Unrecognized)
}
