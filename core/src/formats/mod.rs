//! Other authenticators' files: detecting the format from the content,
//! reading it (asking for a passphrase only when the file is encrypted), and
//! writing the formats Twofold exports. One module per format; each module's
//! header says what the format loses.

pub(crate) mod aegis;
mod andotp;
mod android_prefs;
mod authenticator_plus;
mod authy;
mod battle_net;
mod bitwarden;
mod bitwarden_authenticator;
mod bitwarden_encrypted;
mod crypto;
mod ente;
mod freeotp;
mod freeotp_backup;
mod freeotp_plus;
mod google_authenticator;
mod html_links;
mod java_serial;
mod keepass;
mod lastpass;
mod microsoft_authenticator;
mod proton_pass;
mod small;
mod sqlite;
mod steam;
mod stratum_db;
mod stratum_encrypted;
mod totp_authenticator;
mod twofas;
mod uri_list;
mod wiped_json;

use serde::Serialize;

use crate::account::{label, Account};
use crate::otp::{Kind, OtpError};
use crate::same_codes::SameCodes;
use crate::secret::SecretError;
use crate::uri::UriError;

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
    #[error("this is an image: scan it for QR codes instead")]
    Image,
    /// Key-derivation parameters no real app writes, which would take this
    /// computer minutes or gigabytes: refused before any work is done.
    #[error("this {0} file asks for far more key-derivation work than any real export; it was not opened")]
    TooCostly(&'static str),
    /// Text (JSON, a list of links) over [`MAX_TEXT_BYTES`], or opaque
    /// bytes that are no image over it: refused before it is read.
    #[error("this file is too large to be an authenticator's export (over {} MiB); it was not read", MAX_TEXT_BYTES >> 20)]
    TooLarge,
    /// JSON that would take hundreds of megabytes to read (millions of
    /// values), or a list of more than 10,000 links, which no real export
    /// holds: refused before it is read.
    #[error("this file holds far more entries than any authenticator's export; it was not read")]
    TooComplex,
    /// A list of other files (Steam Desktop Authenticator's manifest):
    /// read it together with them ([`read_folder`]).
    #[error("this is {0}'s list of accounts: import the folder it is in, or choose it together with the files it names")]
    NeedsFiles(&'static str),
    #[error("the export could not be written")]
    Internal,
}

/// The largest export read that is not an image: the largest real ones
/// (a thousand accounts, with icons) are a few MiB. Images may be larger
/// ([`crate::fs::MAX_IMPORT_BYTES`]).
pub const MAX_TEXT_BYTES: usize = 8 << 20;

/// Files Twofold recognises but cannot read, named so the person knows.
/// Serialised snake_case for the UI's message table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unsupported {
    AndroidSettings,
    Authy,
    BitwardenAccountRestricted,
    Database,
    #[serde(rename = "keepass_other")]
    KeePassOther,
    SteamguardEncrypted,
    Zip,
}

impl Unsupported {
    /// Every kind, for the test that each has words in every language.
    pub const ALL: &'static [Unsupported] = &[
        Unsupported::AndroidSettings,
        Unsupported::Authy,
        Unsupported::BitwardenAccountRestricted,
        Unsupported::Database,
        Unsupported::KeePassOther,
        Unsupported::SteamguardEncrypted,
        Unsupported::Zip,
    ];

    pub fn describe(self) -> &'static str {
        match self {
            Unsupported::AndroidSettings => "an Android app's settings file (XML)",
            Unsupported::Authy => "an Authy backup",
            Unsupported::BitwardenAccountRestricted => {
                "an account-restricted Bitwarden export (only that Bitwarden account opens it: export again with a file password)"
            }
            Unsupported::Database => "an app's internal database (SQLite)",
            Unsupported::KeePassOther => "a KeePass database in an older format or with the Twofish cipher (save it as KDBX 4 with AES or ChaCha20)",
            Unsupported::SteamguardEncrypted => "a steamguard-cli folder encrypted with Argon2id",
            Unsupported::Zip => "a ZIP archive",
        }
    }

    /// A settings file no importer took: named by the app it belongs to.
    fn detect_prefs(prefs: &[android_prefs::Pref]) -> Self {
        if prefs.iter().any(|p| p.name.starts_with("com.authy.")) {
            Unsupported::Authy
        } else {
            Unsupported::AndroidSettings
        }
    }

    fn detect(bytes: &[u8]) -> Option<Self> {
        let head = &bytes[..bytes.len().min(4096)];
        let text = String::from_utf8_lossy(head);
        Some(if bytes.starts_with(b"SQLite format 3\0") {
            Unsupported::Database
        } else if bytes.starts_with(b"PK\x03\x04") {
            Unsupported::Zip
        } else if text.contains("<map>") && text.contains("com.authy") {
            Unsupported::Authy
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
    AuthenticatorPlus,
    Authy,
    BattleNet,
    Bitwarden,
    BitwardenAuthenticator,
    Duo,
    EnteAuth,
    FreeOtp,
    FreeOtpPlus,
    GoogleAuthenticator,
    #[serde(rename = "keepass")]
    KeePass,
    LastPass,
    MicrosoftAuthenticator,
    Proton,
    ProtonPass,
    QrImage,
    Steam,
    Stratum,
    TotpAuthenticator,
    TwoFas,
    UriList,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Aegis => "Aegis",
            Format::AndOtp => "andOTP",
            Format::AuthenticatorPlus => "Authenticator Plus",
            Format::Authy => "Authy",
            Format::BattleNet => "Battle.net",
            Format::Bitwarden => "Bitwarden",
            Format::BitwardenAuthenticator => "Bitwarden Authenticator",
            Format::Duo => "Duo Mobile",
            Format::EnteAuth => "Ente Auth",
            Format::Proton => "Proton Authenticator",
            Format::ProtonPass => "Proton Pass",
            Format::Steam => "Steam Guard (maFile)",
            Format::Stratum => "Stratum",
            Format::TotpAuthenticator => "TOTP Authenticator",
            Format::FreeOtp => "FreeOTP",
            Format::FreeOtpPlus => "FreeOTP+",
            Format::GoogleAuthenticator => "Google Authenticator",
            Format::KeePass => "KeePass",
            Format::MicrosoftAuthenticator => "Microsoft Authenticator",
            Format::LastPass => "LastPass Authenticator",
            Format::QrImage => "a QR code image",
            Format::TwoFas => "2FAS",
            Format::UriList => "a list of otpauth:// links",
        }
    }
}

/// Why one entry of a file could not be imported. Never holds the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryProblem {
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error("the secret is not valid base64")]
    SecretNotBase64,
    #[error(transparent)]
    Otp(#[from] OtpError),
    #[error("the hash algorithm is not supported")]
    Algorithm,
    #[error("this kind of account (e.g. mOTP or Yandex) is not supported")]
    UnsupportedType,
    #[error(transparent)]
    Uri(#[from] UriError),
    /// The entry's own data (e.g. the JSON an app keeps per account) could
    /// not be read, or lacks a field its kind needs.
    #[error("the entry is damaged or incomplete")]
    Damaged,
    /// The entry's secret did not decrypt, though others in the file did.
    #[error("the entry's secret could not be decrypted")]
    Undecryptable,
    /// A file a list (Steam's manifest) names was not among those given.
    #[error("the file it is in was not given")]
    FileMissing,
    /// A file a list names could not be read (or decrypted) as its entry.
    #[error("the file it is in cannot be read")]
    FileUnreadable,
    /// A Google Authenticator export link that gives no account.
    #[error(transparent)]
    Export(#[from] crate::migration::MigrationError),
    /// Codes of a multi-code export that the file does not hold (1-based).
    #[error("codes {missing:?} of the {of} this export was split into are not in the file")]
    CodesMissing { missing: Vec<u32>, of: u32 },
}

impl EntryProblem {
    /// Every [`Self::code`], for the test that each has words in every
    /// language (a new code not listed here fails `codes_are_listed`).
    pub const CODES: &'static [&'static str] = &[
        "secret_empty",
        "secret_not_base32",
        "secret_not_base64",
        "digits_out_of_range",
        "period_invalid",
        "algorithm",
        "unsupported_type",
        "bad_uri",
        "damaged",
        "undecryptable",
        "file_missing",
        "file_unreadable",
        "bad_export",
        "codes_missing",
    ];

    /// Stable, for the UI's message table (`entryReason.<code>`).
    pub fn code(&self) -> &'static str {
        match self {
            EntryProblem::Secret(SecretError::Empty) => "secret_empty",
            EntryProblem::Secret(SecretError::NotBase32) => "secret_not_base32",
            EntryProblem::SecretNotBase64 => "secret_not_base64",
            EntryProblem::Otp(OtpError::Digits) => "digits_out_of_range",
            EntryProblem::Otp(OtpError::Period) => "period_invalid",
            EntryProblem::Algorithm => "algorithm",
            EntryProblem::UnsupportedType => "unsupported_type",
            EntryProblem::Uri(_) => "bad_uri",
            EntryProblem::Damaged => "damaged",
            EntryProblem::Undecryptable => "undecryptable",
            EntryProblem::FileMissing => "file_missing",
            EntryProblem::FileUnreadable => "file_unreadable",
            EntryProblem::Export(_) => "bad_export",
            EntryProblem::CodesMissing { .. } => "codes_missing",
        }
    }
}

impl Serialize for EntryProblem {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// An entry that could not be imported: where it was, what it was called,
/// and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedEntry {
    /// 1-based position among the file's entries.
    pub position: usize,
    /// "Issuer (name)" as the file had it.
    pub label: String,
    pub reason: EntryProblem,
}

impl std::fmt::Display for SkippedEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "entry {} ({}): {}", self.position, self.label, self.reason)
    }
}

/// Entries of one file that repeat an earlier entry's key and parameters
/// (the same codes): they are that one account, added once. Exports hold
/// these after a phone re-scanned the same code, or a sync merged twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Repeated {
    /// 1-based position among the file's entries of the one that was kept.
    pub position: usize,
    /// "Issuer (name)" of the one that was kept.
    pub label: String,
    /// How many later entries repeat it (they were not added).
    pub count: usize,
}

/// What a file held.
#[derive(Debug, Default)]
pub struct Imported {
    /// One per key and parameters: see [`Imported::repeated`].
    pub accounts: Vec<Account>,
    pub skipped: Vec<SkippedEntry>,
    /// Entries that repeat one of `accounts`, in the order of `accounts`.
    /// The same key with another algorithm, digits or period makes other
    /// codes: a different account, not a repeat.
    pub repeated: Vec<Repeated>,
}

impl Imported {
    /// Converts each entry of a file; an entry that fails is skipped and
    /// named (with its issuer and name) rather than sinking the file.
    /// Entries with the same key and parameters as an earlier one are that
    /// account: counted in [`Imported::repeated`], not added twice.
    pub(crate) fn from_entries<T>(
        entries: impl IntoIterator<Item = T>,
        names: impl Fn(&T) -> (&str, &str),
        convert: impl Fn(&T) -> Result<Account, EntryProblem>,
    ) -> Self {
        Self::collect(entries, names, convert, true)
    }

    /// [`Imported::from_entries`], every entry kept even when it repeats
    /// another: for reading back what Twofold wrote.
    pub(crate) fn from_every_entry<T>(
        entries: impl IntoIterator<Item = T>,
        names: impl Fn(&T) -> (&str, &str),
        convert: impl Fn(&T) -> Result<Account, EntryProblem>,
    ) -> Self {
        Self::collect(entries, names, convert, false)
    }

    fn collect<T>(
        entries: impl IntoIterator<Item = T>,
        names: impl Fn(&T) -> (&str, &str),
        convert: impl Fn(&T) -> Result<Account, EntryProblem>,
        merge: bool,
    ) -> Self {
        let mut imported = Imported::default();
        let mut same = SameCodes::new(&[]);
        // Per account: its entry's position, and how many entries repeat it.
        let mut kept: Vec<(usize, usize)> = Vec::new();
        for (index, entry) in entries.into_iter().enumerate() {
            match convert(&entry) {
                Ok(mut account) => {
                    if let Some(first) = same.find(&imported.accounts, &account.otp).filter(|_| merge) {
                        imported.accounts[first].otp.kind =
                            later_counter(imported.accounts[first].otp.kind, account.otp.kind);
                        kept[first].1 += 1;
                        continue;
                    }
                    // A bare secret with no name still needs something to tell it by.
                    if account.issuer.is_empty() && account.name.is_empty() {
                        account.name = format!("Imported account {}", index + 1);
                    }
                    same.insert(imported.accounts.len(), &account.otp);
                    kept.push((index + 1, 0));
                    imported.accounts.push(account)
                }
                Err(reason) => {
                    let (issuer, name) = names(&entry);
                    imported.skipped.push(SkippedEntry {
                        position: index + 1,
                        label: label(issuer, name),
                        reason,
                    })
                }
            }
        }
        imported.repeated = kept
            .iter()
            .zip(&imported.accounts)
            .filter(|((_, count), _)| *count > 0)
            .map(|(&(position, count), account)| Repeated { position, label: account.display_name(), count })
            .collect();
        imported
    }
}

/// Two entries of one HOTP account that disagree on the counter: the
/// higher one, since the codes before it may have been used already (a
/// service refuses them), while one ahead is within its look-ahead window.
fn later_counter(kept: Kind, repeat: Kind) -> Kind {
    match (kept, repeat) {
        (Kind::Hotp { counter: a }, Kind::Hotp { counter: b }) => Kind::Hotp { counter: a.max(b) },
        (kept, _) => kept,
    }
}

/// An export's algorithm name; absent means SHA1, as in every format here.
pub(crate) fn algorithm(name: Option<&str>) -> Result<crate::otp::Algorithm, EntryProblem> {
    match name.filter(|n| !n.is_empty()) {
        None => Ok(crate::otp::Algorithm::Sha1),
        Some(n) => crate::otp::Algorithm::from_name(n).ok_or(EntryProblem::Algorithm),
    }
}

/// Reads a set of files that belong together: a Steam Desktop
/// Authenticator or steamguard-cli folder (`manifest.json` and the maFiles
/// it names), as given by name and content (a folder the person chose, or
/// files picked together). Only names are compared; no path is opened.
pub fn read_folder(
    files: &[(&str, &[u8])],
    passphrase: Option<&str>,
) -> Result<(Format, Imported), FormatError> {
    steam::read_folder(files, passphrase).map(|imported| (Format::Steam, imported))
}

/// The files a list (Steam's `manifest.json`) names, so a caller given the
/// list alone can say which files to add; `None` when `bytes` is no list.
pub fn files_needed(bytes: &[u8]) -> Option<Vec<String>> {
    steam::manifest_files(bytes)
}

/// A PNG, JPEG, WebP, BMP or GIF file, by its first bytes.
pub fn is_image(bytes: &[u8]) -> bool {
    image::guess_format(bytes).is_ok()
}

/// Detects the format and reads the file. Encrypted files need `passphrase`;
/// without one the answer is [`FormatError::NeedsPassphrase`], so a UI asks
/// only when it must.
pub fn read(bytes: &[u8], passphrase: Option<&str>) -> Result<(Format, Imported), FormatError> {
    // A ZIP may be larger than any text: Proton Pass's carries attachments.
    if bytes.starts_with(b"PK\x03\x04") {
        if let Some(imported) = proton_pass::read_zip(bytes)? {
            return Ok((Format::ProtonPass, imported));
        }
        if let Some(imported) = authenticator_plus::read(bytes, passphrase)? {
            return Ok((Format::AuthenticatorPlus, imported));
        }
        return Err(FormatError::Unsupported(Unsupported::Zip));
    }
    if bytes.len() > MAX_TEXT_BYTES && !is_image(bytes) {
        // A ZIP or a database is still named for what it is.
        return Err(Unsupported::detect(bytes).map_or(FormatError::TooLarge, FormatError::Unsupported));
    }
    if keepass::detect(bytes) {
        return Ok((Format::KeePass, keepass::read(bytes, passphrase)?));
    }
    if stratum_encrypted::detect(bytes) {
        return Ok((Format::Stratum, stratum_encrypted::read(bytes, passphrase)?));
    }
    // Apps' databases, by their first bytes; others are named as such.
    if sqlite::detect(bytes) {
        return sqlite::read(bytes);
    }
    let text = std::str::from_utf8(bytes).ok();
    let json = match text.map(|_| wiped_json::WipedJson::parse(bytes)) {
        Some(Ok(json)) => Some(json),
        Some(Err(wiped_json::ParseError::TooComplex)) => return Err(FormatError::TooComplex),
        Some(Err(wiped_json::ParseError::NotJson)) | None => None,
    };
    if let Some(json) = json {
        if aegis::detect(&json) {
            let imported = match (aegis::is_encrypted(&json), passphrase) {
                (false, _) => aegis::read_plain(&json)?,
                (true, Some(p)) => aegis::read_encrypted(&json, p)?,
                (true, None) => return Err(FormatError::NeedsPassphrase(Format::Aegis.name())),
            };
            return Ok((Format::Aegis, imported));
        }
        if twofas::detect(&json) {
            return Ok((Format::TwoFas, twofas::read(&json, passphrase)?));
        }
        if andotp::detect(&json) {
            return Ok((Format::AndOtp, andotp::read_plain(&json)?));
        }
        if bitwarden_encrypted::detect(&json) {
            return Ok((Format::Bitwarden, bitwarden_encrypted::read(&json, passphrase)?));
        }
        // Before Bitwarden's: the same shape, without the password manager's folders.
        if bitwarden_authenticator::detect(&json) {
            return Ok((Format::BitwardenAuthenticator, bitwarden_authenticator::read(&json)?));
        }
        if bitwarden::detect(&json) {
            return Ok((Format::Bitwarden, bitwarden::read(&json)?));
        }
        if ente::detect(&json) {
            return Ok((Format::EnteAuth, ente::read(&json, passphrase)?));
        }
        if freeotp_plus::detect(&json) {
            return Ok((Format::FreeOtpPlus, freeotp_plus::read(&json)?));
        }
        if lastpass::detect(&json) {
            return Ok((Format::LastPass, lastpass::read(&json)?));
        }
        if steam::is_manifest(&json) {
            return Err(FormatError::NeedsFiles(steam::NAME));
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
        // Before the links: a CSV's quoted notes may start a line with one.
        if bitwarden::detect_csv(text) {
            return Ok((Format::Bitwarden, bitwarden::read_csv(text)?));
        }
        if html_links::detect(text) {
            return Ok((Format::Stratum, html_links::read(text)?));
        }
        if uri_list::detect(text) {
            return Ok((Format::UriList, uri_list::read(text)?));
        }
        if android_prefs::looks_like(text) {
            if let Some(prefs) = android_prefs::parse(text)? {
                return read_prefs(&prefs, passphrase);
            }
        }
    }
    if freeotp_backup::detect(bytes) {
        return match freeotp_backup::read(bytes, passphrase)? {
            Some(imported) => Ok((Format::FreeOtp, imported)),
            // Other Java objects: no app's export.
            None => Err(FormatError::Unrecognized),
        };
    }
    if let Some(kind) = Unsupported::detect(bytes) {
        return Err(FormatError::Unsupported(kind));
    }
    if let Some(text) = text.filter(|t| totp_authenticator::looks_encrypted(t)) {
        return Ok((Format::TotpAuthenticator, totp_authenticator::read_encrypted(text, passphrase)?));
    }
    if is_image(bytes) {
        // Images are scanned by `enroll`, which keeps batch progress and
        // names what each code holds; formats only read files.
        return Err(FormatError::Image);
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

/// An Android app's settings file, by the entries that name the app.
fn read_prefs(
    prefs: &[android_prefs::Pref],
    passphrase: Option<&str>,
) -> Result<(Format, Imported), FormatError> {
    if freeotp::detect(prefs) {
        return Ok((Format::FreeOtp, freeotp::read(prefs)?));
    }
    if authy::detect(prefs) {
        return Ok((Format::Authy, authy::read(prefs, passphrase)?));
    }
    if battle_net::detect(prefs) {
        return Ok((Format::BattleNet, battle_net::read(prefs)?));
    }
    if totp_authenticator::detect(prefs) {
        return Ok((Format::TotpAuthenticator, totp_authenticator::read_prefs(prefs)?));
    }
    Err(FormatError::Unsupported(Unsupported::detect_prefs(prefs)))
}

#[cfg(test)]
mod vocabulary_tests {
    use super::*;

    /// One problem of each kind: the match below does not compile when a
    /// variant is added, so its code cannot be forgotten in `CODES`.
    fn one_of_each() -> Vec<EntryProblem> {
        let all = vec![
            EntryProblem::Secret(SecretError::Empty),
            EntryProblem::Secret(SecretError::NotBase32),
            EntryProblem::SecretNotBase64,
            EntryProblem::Otp(OtpError::Digits),
            EntryProblem::Otp(OtpError::Period),
            EntryProblem::Algorithm,
            EntryProblem::UnsupportedType,
            EntryProblem::Uri(UriError::NotOtpauth),
            EntryProblem::Damaged,
            EntryProblem::Undecryptable,
            EntryProblem::FileMissing,
            EntryProblem::FileUnreadable,
            EntryProblem::Export(crate::migration::MigrationError::BadPayload),
            EntryProblem::CodesMissing { missing: vec![2], of: 3 },
        ];
        for problem in &all {
            match problem {
                EntryProblem::Secret(SecretError::Empty | SecretError::NotBase32)
                | EntryProblem::SecretNotBase64
                | EntryProblem::Otp(OtpError::Digits | OtpError::Period)
                | EntryProblem::Algorithm
                | EntryProblem::UnsupportedType
                | EntryProblem::Uri(_)
                | EntryProblem::Damaged
                | EntryProblem::Undecryptable
                | EntryProblem::FileMissing
                | EntryProblem::FileUnreadable
                | EntryProblem::Export(_)
                | EntryProblem::CodesMissing { .. } => {}
            }
        }
        all
    }

    #[test]
    fn codes_are_listed() {
        let codes: Vec<&str> = one_of_each().iter().map(EntryProblem::code).collect();
        assert_eq!(codes, EntryProblem::CODES, "CODES lists every code, once, in order");
    }
}
