//! Every way an account comes in (a dropped, picked or imported file, a
//! pasted screenshot, pasted text) goes through [`Collected::add`]: QR images
//! are scanned here, other files are read by [`crate::formats`], and what was
//! found is gathered for one preview: what each code holds, which codes of a
//! multi-code export are still missing, which entries could not be read, and
//! which accounts repeat each other.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::account::{Account, Summary};
use crate::formats::{self, Format, FormatError, Imported, SkippedEntry};
use crate::fs::{ReadError, MAX_IMPORT_BYTES};
use crate::migration::{Migration, MigrationError};
use crate::otp::OtpType;
use crate::qr::{self, Limits, QrError, Scan};
use crate::same_codes::SameCodes;
use crate::uri::{OtpauthUri, UriError};

/// What one QR code holds.
#[derive(Debug)]
pub enum Payload {
    Account(OtpauthUri),
    Export(Migration),
    /// Something that is not an authenticator key at all.
    Other(OtherKind),
}

/// Non-authenticator contents, named so the person knows what they scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OtherKind {
    WebAddress,
    WifiNetwork,
    Contact,
    Email,
    Phone,
    Text,
}

impl OtherKind {
    pub fn describe(self) -> &'static str {
        match self {
            OtherKind::WebAddress => "a web address",
            OtherKind::WifiNetwork => "Wi-Fi network details",
            OtherKind::Contact => "a contact card",
            OtherKind::Email => "an e-mail address",
            OtherKind::Phone => "a phone number",
            OtherKind::Text => "plain text",
        }
    }
}

/// Why a code could not be used. Never contains the code's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    #[error("this QR code holds {}, not an authenticator key", .0.describe())]
    NotAuthenticator(OtherKind),
    #[error("the QR code holds a setup link Twofold cannot use: {0}")]
    BadUri(#[from] UriError),
    #[error("the QR code holds a Google Authenticator export Twofold cannot read: {0}")]
    BadExport(#[from] MigrationError),
}

impl Payload {
    pub fn classify(text: &str) -> Result<Self, PayloadError> {
        let trimmed = text.trim();
        let lower: String = trimmed.chars().take(24).flat_map(char::to_lowercase).collect();
        if lower.starts_with("otpauth-migration:") {
            return Ok(Payload::Export(Migration::parse(trimmed)?));
        }
        if lower.starts_with("otpauth:") {
            return Ok(Payload::Account(OtpauthUri::parse(trimmed)?));
        }
        let kind =
            if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.") {
                OtherKind::WebAddress
            } else if lower.starts_with("wifi:") {
                OtherKind::WifiNetwork
            } else if lower.starts_with("begin:vcard") || lower.starts_with("mecard:") {
                OtherKind::Contact
            } else if lower.starts_with("mailto:") || lower.starts_with("matmsg:") {
                OtherKind::Email
            } else if lower.starts_with("tel:") || lower.starts_with("sms:") || lower.starts_with("smsto:") {
                OtherKind::Phone
            } else {
                OtherKind::Text
            };
        Ok(Payload::Other(kind))
    }
}

/// The state of one multi-code export across everything scanned so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BatchProgress {
    pub id: i32,
    pub size: u32,
    /// 1-based numbers of the codes scanned.
    pub scanned: Vec<u32>,
    /// 1-based numbers of the codes still missing.
    pub missing: Vec<u32>,
}

impl BatchProgress {
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }
}

/// "2 of 3 export codes scanned; missing: 2".
impl std::fmt::Display for BatchProgress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let missing: Vec<String> = self.missing.iter().map(u32::to_string).collect();
        write!(
            f,
            "{} of {} export codes scanned; missing: {}",
            self.scanned.len(),
            self.size,
            missing.join(", ")
        )
    }
}

/// Why something that came in gave no usable account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProblemKind {
    /// An image with no QR code in it.
    NoCode,
    /// A file that could not be decoded as an image.
    Unreadable,
    /// An image over the size limits.
    TooLarge,
    /// An image with more QR codes than one scan reads (a hostile tiling).
    Crowded,
    /// An `otpauth://` link that does not parse.
    BadUri,
    /// A Google Authenticator export that does not parse.
    BadExport,
    /// A code holding something else (a web address, Wi-Fi details…).
    NotAuthenticator { holds: OtherKind },
    /// One entry of an import file.
    BadEntry { entry: SkippedEntry },
}

/// Something that gave nothing usable, and why; `source` names where it came
/// from (a file name, "pasted image"). Never contains a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub source: String,
    #[serde(flatten)]
    pub kind: ProblemKind,
    /// English, for logs and the CLI; the UI words its own from `kind`.
    pub message: String,
}

/// What came in.
pub enum Input<'a> {
    /// A file's bytes: a QR image or another app's export.
    File(&'a [u8]),
    /// Pixels from the clipboard (RGBA, row by row).
    Pixels { width: u32, height: u32, rgba: Vec<u8> },
    /// Pasted text: `otpauth://` links or a Google export link, one per line.
    Text(&'a str),
}

/// Reads a file for [`Input::File`]: a regular file of at most
/// [`MAX_IMPORT_BYTES`] (the bytes are zeroed when dropped).
pub fn read_file(path: &std::path::Path) -> Result<zeroize::Zeroizing<Vec<u8>>, ReadError> {
    crate::fs::read_bounded(path, MAX_IMPORT_BYTES)
}

/// What one [`Collected::add`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Added {
    /// How a file was read; `None` for pasted text.
    pub format: Option<Format>,
    /// Accounts it held (repeats included).
    pub accounts: usize,
}

/// Everything gathered from a set of scans, ready for a preview.
#[derive(Debug, Default)]
pub struct Collected {
    /// Unique accounts, in the order they were found.
    pub accounts: Vec<Account>,
    pub batches: Vec<BatchProgress>,
    pub problems: Vec<Problem>,
    /// Accounts found more than once (e.g. the same code scanned twice).
    pub repeats: usize,
    /// Finds repeats in linear time; built on first use.
    same: Option<SameCodes>,
    /// Accounts (by position in `accounts`) the person chose to leave out.
    left_out: BTreeSet<usize>,
}

impl Collected {
    /// The one way in. An encrypted file without `passphrase` (or with a
    /// wrong one) answers [`FormatError::NeedsPassphrase`] /
    /// [`FormatError::WrongPassphrase`] and changes nothing, so the caller
    /// can ask and call again; any other file-level error changes nothing
    /// either. Entry-level problems are recorded and the rest is kept.
    pub fn add(
        &mut self,
        source: &str,
        input: Input<'_>,
        passphrase: Option<&str>,
    ) -> Result<Added, FormatError> {
        let before = self.accounts.len() + self.repeats;
        let format = match input {
            Input::File(bytes) if formats::is_image(bytes) => {
                self.add_scan(source, qr::scan_bytes(bytes, Limits::default()));
                Some(Format::QrImage)
            }
            Input::File(bytes) => {
                let (format, imported) = formats::read(bytes, passphrase)?;
                self.add_imported(source, imported);
                Some(format)
            }
            Input::Pixels { width, height, rgba } => {
                self.add_scan(source, qr::scan_rgba(width, height, rgba, Limits::default()));
                Some(Format::QrImage)
            }
            Input::Text(text) => {
                let lines: Vec<String> =
                    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
                self.add_texts(source, &lines);
                None
            }
        };
        Ok(Added { format, accounts: self.accounts.len() + self.repeats - before })
    }

    /// Adds the texts one source (an image, a paste) produced.
    fn add_texts(&mut self, source: &str, texts: &[String]) {
        for text in texts {
            match Payload::classify(text) {
                Ok(Payload::Account(uri)) => self.push(Account::from_uri(uri, 0)),
                Ok(Payload::Export(export)) => {
                    self.note_batch(export.batch.id, export.batch.size, export.batch.index);
                    for uri in export.accounts {
                        self.push(Account::from_uri(uri, 0));
                    }
                }
                Ok(Payload::Other(kind)) => self.problem(
                    source,
                    ProblemKind::NotAuthenticator { holds: kind },
                    PayloadError::NotAuthenticator(kind).to_string(),
                ),
                Err(e @ PayloadError::BadUri(_)) => self.problem(source, ProblemKind::BadUri, e.to_string()),
                Err(e) => self.problem(source, ProblemKind::BadExport, e.to_string()),
            }
        }
    }

    /// Adds the result of scanning one image.
    fn add_scan(&mut self, source: &str, scan: Result<Scan, QrError>) {
        match scan {
            Ok(scan) if scan.texts.is_empty() => {
                self.problem(source, ProblemKind::NoCode, "no QR code was found in the image".into())
            }
            Ok(scan) => self.add_texts(source, &scan.texts),
            Err(e @ (QrError::TooLarge { .. } | QrError::FileTooLarge { .. })) => {
                self.problem(source, ProblemKind::TooLarge, e.to_string())
            }
            Err(e @ QrError::Crowded { .. }) => self.problem(source, ProblemKind::Crowded, e.to_string()),
            Err(e) => self.problem(source, ProblemKind::Unreadable, e.to_string()),
        }
    }

    /// Adds what an import file held; entries it could not read become problems.
    fn add_imported(&mut self, source: &str, imported: Imported) {
        for entry in imported.skipped {
            let message = entry.to_string();
            self.problem(source, ProblemKind::BadEntry { entry }, message);
        }
        for account in imported.accounts {
            self.push(account);
        }
    }

    /// Captures of the screen (one per monitor, RGBA). A screen shows much
    /// besides setup codes, so what did not give an account (no code, a web
    /// address's code) is dropped: answers how many accounts were found,
    /// and with none, nothing has changed.
    pub fn add_screens(&mut self, screens: Vec<(u32, u32, Vec<u8>)>) -> usize {
        let (accounts, repeats, problems) = (self.accounts.len(), self.repeats, self.problems.len());
        let batches = self.batches.clone();
        for (i, (width, height, rgba)) in screens.into_iter().enumerate() {
            let source = format!("screen {}", i + 1);
            // Pixels never ask for a passphrase, so this cannot fail.
            let _ = self.add(&source, Input::Pixels { width, height, rgba }, None);
        }
        let found = self.accounts.len() + self.repeats - accounts - repeats;
        if found == 0 {
            self.problems.truncate(problems);
            self.batches = batches;
        } else {
            // A broken setup link is worth saying; an empty monitor or a
            // web address's code beside the setup code is not.
            let mut index = 0;
            self.problems.retain(|p| {
                index += 1;
                index <= problems
                    || !matches!(p.kind, ProblemKind::NoCode | ProblemKind::NotAuthenticator { .. })
            });
        }
        found
    }

    /// Accounts from a restore point: previewed and confirmed like an import.
    pub fn add_restored(&mut self, accounts: Vec<Account>) {
        for account in accounts {
            self.push(account);
        }
    }

    /// A file that could not be read from disk (see [`read_file`]).
    pub fn add_unreadable(&mut self, source: &str, error: &ReadError) {
        let kind = match error {
            ReadError::Io(_) | ReadError::NotAFile => ProblemKind::Unreadable,
            ReadError::TooLarge { .. } => ProblemKind::TooLarge,
        };
        self.problem(source, kind, error.to_string());
    }

    fn problem(&mut self, source: &str, kind: ProblemKind, message: String) {
        self.problems.push(Problem { source: source.to_owned(), kind, message });
    }

    fn push(&mut self, account: Account) {
        let same = self.same.get_or_insert_with(|| SameCodes::new(&self.accounts));
        if same.find(&self.accounts, &account.otp).is_some() {
            self.repeats += 1;
        } else {
            same.insert(self.accounts.len(), &account.otp);
            self.accounts.push(account);
        }
    }

    fn note_batch(&mut self, id: i32, size: u32, index: u32) {
        let position = self.batches.iter().position(|b| b.id == id && b.size == size);
        let batch = match position {
            Some(i) => &mut self.batches[i],
            None => {
                self.batches.push(BatchProgress {
                    id,
                    size,
                    scanned: Vec::new(),
                    missing: (1..=size).collect(),
                });
                self.batches.last_mut().expect("just pushed")
            }
        };
        let number = index + 1;
        if !batch.scanned.contains(&number) {
            batch.scanned.push(number);
            batch.scanned.sort_unstable();
        }
        batch.missing.retain(|n| *n != number);
    }

    /// Multi-code exports with codes still missing.
    pub fn incomplete_batches(&self) -> impl Iterator<Item = &BatchProgress> {
        self.batches.iter().filter(|b| !b.is_complete())
    }
}

/// One account a QR code holds, as `twofold-cli scan` names it (no secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Found {
    pub issuer: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: OtpType,
}

impl Found {
    fn of(uri: &OtpauthUri) -> Self {
        Self { issuer: uri.issuer.clone(), name: uri.name.clone(), kind: uri.otp.kind.otp_type() }
    }
}

/// Where one export code sits in its batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BatchPosition {
    /// 1-based.
    pub number: u32,
    pub of: u32,
    pub id: i32,
}

/// What one QR code holds, never its secret: the typed form of
/// [`Payload`] that `twofold-cli scan` prints (as text or JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "holds", rename_all = "snake_case")]
pub enum Contents {
    Account { accounts: Vec<Found> },
    GoogleAuthenticatorExport { batch: BatchPosition, accounts: Vec<Found> },
    NotAuthenticator { what: OtherKind, problem: String },
    Invalid { problem: String },
}

impl Contents {
    pub fn of(text: &str) -> Self {
        match Payload::classify(text) {
            Ok(Payload::Account(uri)) => Contents::Account { accounts: vec![Found::of(&uri)] },
            Ok(Payload::Export(export)) => Contents::GoogleAuthenticatorExport {
                batch: BatchPosition {
                    number: export.batch.index + 1,
                    of: export.batch.size,
                    id: export.batch.id,
                },
                accounts: export.accounts.iter().map(Found::of).collect(),
            },
            Ok(Payload::Other(kind)) => Contents::NotAuthenticator {
                what: kind,
                problem: PayloadError::NotAuthenticator(kind).to_string(),
            },
            Err(e) => Contents::Invalid { problem: e.to_string() },
        }
    }

    /// One line per account ("Issuer (name) [totp] (export code 1 of 3)"),
    /// or the problem.
    pub fn lines(&self) -> Vec<String> {
        let line = |found: &Found, suffix: &str| {
            format!("{} [{}]{suffix}", crate::account::label(&found.issuer, &found.name), found.kind.as_str())
        };
        match self {
            Contents::Account { accounts } => accounts.iter().map(|f| line(f, "")).collect(),
            Contents::GoogleAuthenticatorExport { batch, accounts } => {
                let suffix = format!(" (export code {} of {})", batch.number, batch.of);
                accounts.iter().map(|f| line(f, &suffix)).collect()
            }
            Contents::NotAuthenticator { problem, .. } | Contents::Invalid { problem } => {
                vec![problem.clone()]
            }
        }
    }
}

/// One found account as the preview shows it: never the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviewAccount {
    #[serde(flatten)]
    pub summary: Summary,
    /// The vault account that already computes these codes; it is skipped.
    pub duplicate_of: Option<String>,
    /// Whether confirming adds it (every new account, until left out).
    pub chosen: bool,
}

/// What the person confirms before anything is saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preview {
    pub accounts: Vec<PreviewAccount>,
    pub batches: Vec<BatchProgress>,
    pub problems: Vec<Problem>,
    pub repeats: usize,
    /// Accounts that confirming would add.
    pub new_count: usize,
}

impl Collected {
    /// The preview at `now`, with accounts already in `existing` flagged.
    pub fn preview(&self, existing: &[Account], now: u64) -> Preview {
        let same = SameCodes::new(existing);
        let accounts: Vec<PreviewAccount> = self
            .accounts
            .iter()
            .enumerate()
            .map(|(i, account)| {
                let duplicate_of = same.find(existing, &account.otp).map(|i| existing[i].display_name());
                let chosen = duplicate_of.is_none() && !self.left_out.contains(&i);
                PreviewAccount { summary: account.summary_at(now), duplicate_of, chosen }
            })
            .collect();
        let new_count = accounts.iter().filter(|a| a.chosen).count();
        Preview {
            accounts,
            batches: self.batches.clone(),
            problems: self.problems.clone(),
            repeats: self.repeats,
            new_count,
        }
    }

    /// Leaves the account at `index` (its place in the preview) out of
    /// what confirming adds, or puts it back. An index past the end changes
    /// nothing: the page's list may be older than a new scan.
    pub fn choose(&mut self, index: usize, chosen: bool) {
        if index >= self.accounts.len() {
            return;
        }
        if chosen {
            self.left_out.remove(&index);
        } else {
            self.left_out.insert(index);
        }
    }

    /// The accounts to add, without those left out; the vault skips any
    /// that are already there. Accounts keep their own creation time when
    /// the source had one.
    pub fn to_accounts(&self, created: u64) -> Vec<Account> {
        self.accounts
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.left_out.contains(i))
            .map(|(_, a)| {
                let mut a = a.clone();
                if a.created == 0 {
                    a.created = created;
                }
                a
            })
            .collect()
    }
}

/// Public example keys, shared by the tests below (no real account's).
#[cfg(test)]
const KEY_A: &str = "JBSWY3DPEHPK3PXP";
#[cfg(test)]
const KEY_B: &str = "GEZDGNBVGY3TQOJQ";
#[cfg(test)]
const KEY_C: &str = "MFRGGZDFMZTWQ2LK";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migration::{encode, Batch};

    fn uri(text: &str) -> OtpauthUri {
        OtpauthUri::parse(text).expect("valid")
    }

    #[test]
    fn other_contents_are_named() {
        for (text, want) in [
            ("https://example.com/login", "this QR code holds a web address, not an authenticator key"),
            (
                "WIFI:S:home;T:WPA;P:secret;;",
                "this QR code holds Wi-Fi network details, not an authenticator key",
            ),
            (
                "BEGIN:VCARD\nFN:Alice\nEND:VCARD",
                "this QR code holds a contact card, not an authenticator key",
            ),
            ("hello", "this QR code holds plain text, not an authenticator key"),
        ] {
            let mut c = Collected::default();
            c.add_texts("a.png", &[text.to_owned()]);
            assert_eq!(c.problems.len(), 1);
            assert_eq!((c.problems[0].source.as_str(), c.problems[0].message.as_str()), ("a.png", want));
            assert!(!c.problems[0].message.contains("secret"), "never echoes contents");
        }
    }

    #[test]
    fn bad_uris_are_explained_without_the_secret() {
        let mut c = Collected::default();
        c.add_texts("a.png", &["otpauth://totp/x?secret=JBSWY3DP1".into()]);
        assert_eq!(
            c.problems[0].message,
            "the QR code holds a setup link Twofold cannot use: secret is not valid base32"
        );
    }

    #[test]
    fn batches_report_what_is_missing() {
        let a = uri(&format!("otpauth://totp/A:a?secret={KEY_A}"));
        let b = uri(&format!("otpauth://totp/B:b?secret={KEY_B}"));
        let c_ = uri(&format!("otpauth://totp/C:c?secret={KEY_C}"));
        let code = |acc: &OtpauthUri, index| {
            encode(std::slice::from_ref(acc), Batch { id: 77, index, size: 3 }).to_string()
        };
        let mut c = Collected::default();
        c.add_texts("first.png", &[code(&a, 0)]);
        c.add_texts("third.png", &[code(&c_, 2)]);
        let notes: Vec<String> = c.incomplete_batches().map(ToString::to_string).collect();
        assert_eq!(notes, ["2 of 3 export codes scanned; missing: 2"]);
        assert_eq!(c.batches[0].missing, [2]);
        c.add_texts("second.png", &[code(&b, 1)]);
        assert_eq!(c.incomplete_batches().count(), 0);
        assert_eq!(c.accounts.len(), 3);
    }

    #[test]
    fn the_same_account_twice_is_kept_once() {
        let mut c = Collected::default();
        let text = format!("otpauth://totp/A:a?secret={KEY_A}");
        c.add_texts("x.png", std::slice::from_ref(&text));
        c.add_texts("y.png", &[text]);
        assert_eq!((c.accounts.len(), c.repeats), (1, 1));
    }
}

#[cfg(test)]
mod preview_tests {
    use super::*;

    #[test]
    fn preview_flags_what_the_vault_already_has_and_shows_no_secret() {
        let mut c = Collected::default();
        c.add_texts(
            "x.png",
            &[format!("otpauth://totp/A:a?secret={KEY_A}"), format!("otpauth://totp/B:b?secret={KEY_B}")],
        );
        let existing = vec![Account::from_uri(
            OtpauthUri::parse("otpauth://totp/Old:a?secret=jbswy3dpehpk3pxp").expect("valid"),
            0,
        )];
        let preview = c.preview(&existing, 59);
        assert_eq!(preview.accounts[0].duplicate_of.as_deref(), Some("Old (a)"));
        assert_eq!(preview.accounts[1].duplicate_of, None);
        assert_eq!(preview.new_count, 1);
        let json = serde_json::to_string(&preview).expect("serializes");
        assert!(!json.contains("JBSWY3DP") && !json.contains("GEZDGNBV"), "{json}");
        // The live code itself, not just a field named "code".
        let live = c.accounts[1].otp.code_at(59).value;
        assert_eq!(preview.accounts[1].summary.code, live);
        assert!(json.contains(&format!("\"code\":\"{live}\"")), "{json}");
    }
}

#[cfg(test)]
mod choice_tests {
    use super::*;

    fn three() -> Collected {
        let mut c = Collected::default();
        c.add_texts(
            "x.png",
            &[
                format!("otpauth://totp/A:a?secret={KEY_A}"),
                format!("otpauth://totp/B:b?secret={KEY_B}"),
                format!("otpauth://totp/C:c?secret={KEY_C}"),
            ],
        );
        c
    }

    #[test]
    fn an_account_left_out_is_not_added_and_can_be_put_back() {
        let mut c = three();
        c.choose(1, false);
        let preview = c.preview(&[], 59);
        let chosen: Vec<bool> = preview.accounts.iter().map(|a| a.chosen).collect();
        assert_eq!((chosen, preview.new_count), (vec![true, false, true], 2));
        let names: Vec<String> = c.to_accounts(1).iter().map(|a| a.issuer.clone()).collect();
        assert_eq!(names, ["A", "C"]);
        c.choose(1, true);
        assert_eq!(c.to_accounts(1).len(), 3);
        assert_eq!(c.preview(&[], 59).new_count, 3);
    }

    #[test]
    fn a_duplicate_is_never_chosen_and_a_stale_index_changes_nothing() {
        let mut c = three();
        let existing = vec![c.accounts[0].clone()];
        c.choose(99, false);
        let preview = c.preview(&existing, 59);
        assert!(!preview.accounts[0].chosen, "already in the vault");
        assert_eq!(preview.new_count, 2);
        assert_eq!(c.to_accounts(1).len(), 3, "the vault skips the duplicate itself");
    }
}

#[cfg(test)]
mod screen_tests {
    use super::*;

    /// A white `width`×`height` RGBA screen with each text's QR code drawn
    /// at (x, y), `scale` pixels a module.
    fn screen(width: u32, height: u32, codes: &[(&str, u32, u32)], scale: u32) -> (u32, u32, Vec<u8>) {
        let mut rgba = vec![255u8; (width * height * 4) as usize];
        for (text, x0, y0) in codes {
            let (size, dark) = crate::phone_export::modules(text);
            for (i, is_dark) in dark.iter().enumerate() {
                if !is_dark {
                    continue;
                }
                let (mx, my) = ((i % size) as u32, (i / size) as u32);
                for dy in 0..scale {
                    for dx in 0..scale {
                        let (x, y) = (x0 + mx * scale + dx, y0 + my * scale + dy);
                        let at = ((y * width + x) * 4) as usize;
                        rgba[at..at + 3].fill(0);
                    }
                }
            }
        }
        (width, height, rgba)
    }

    #[test]
    fn a_screen_adds_its_setup_codes_and_says_nothing_of_other_codes() {
        let setup = format!("otpauth://totp/Example:alice?secret={KEY_A}&issuer=Example");
        let mut c = Collected::default();
        let found = c.add_screens(vec![
            screen(900, 500, &[(&setup, 40, 40), ("https://example.com/app-store", 500, 40)], 5),
            screen(300, 200, &[], 5),
        ]);
        assert_eq!(found, 1);
        assert_eq!(c.accounts[0].issuer, "Example");
        assert!(c.problems.is_empty(), "{:?}", c.problems);
    }

    #[test]
    fn a_screen_without_a_setup_code_changes_nothing() {
        let mut c = Collected::default();
        c.add_texts("earlier.png", &[format!("otpauth://totp/A:a?secret={KEY_B}")]);
        let found = c.add_screens(vec![screen(600, 400, &[("https://example.com", 40, 40)], 5)]);
        assert_eq!((found, c.accounts.len(), c.problems.len()), (0, 1, 0));
    }
}
