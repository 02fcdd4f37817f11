//! What came in, gathered: [`Collected::add`] takes each input (a file, an
//! image's pixels, pasted text), scans images for QR codes, reads other files
//! with [`crate::formats`], and keeps unique accounts, the progress of each
//! multi-code export and every problem, by source.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{OtherKind, Payload, PayloadError};
use crate::account::Account;
use crate::formats::{self, Format, FormatError, Imported, Repeated, SkippedEntry};
use crate::fs::ReadError;
use crate::kit::{KitError, KitProgress, Part, Parts};
use crate::qr::{self, Limits, QrError, Scan};
use crate::same_codes::SameCodes;

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
    /// A part of an emergency kit that is damaged, of another kit than the
    /// one being gathered, or whose kit's contents do not open.
    BadKitPart,
    /// A code holding something else (a web address, Wi-Fi details…).
    NotAuthenticator { holds: OtherKind },
    /// One entry of an import file.
    BadEntry { entry: SkippedEntry },
}

impl ProblemKind {
    /// The kinds without data, for the test that each has words in every
    /// language (`problem.<kind>`); the others are worded by what they
    /// carry ([`OtherKind`], [`crate::formats::EntryProblem`]).
    pub const SIMPLE: &'static [ProblemKind] = &[
        ProblemKind::NoCode,
        ProblemKind::Unreadable,
        ProblemKind::TooLarge,
        ProblemKind::Crowded,
        ProblemKind::BadUri,
        ProblemKind::BadExport,
        ProblemKind::BadKitPart,
    ];
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

/// What one [`Collected::add`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Added {
    /// How a file was read; `None` for pasted text.
    pub format: Option<Format>,
    /// Accounts it held (repeats included).
    pub accounts: usize,
}

/// Entries of one file that repeated one of its accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileRepeat {
    pub source: String,
    #[serde(flatten)]
    pub repeated: Repeated,
}

/// "backup.json: 19 entries repeat GitHub (alice)'s key and were not added twice".
impl std::fmt::Display for FileRepeat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Repeated { label, count, .. } = &self.repeated;
        let (entries, repeat, were) =
            if *count == 1 { ("entry", "repeats", "was") } else { ("entries", "repeat", "were") };
        write!(f, "{}: {count} {entries} {repeat} {label}'s key and {were} not added twice", self.source)
    }
}

/// How an emergency kit is named where an encrypted file's format would be
/// ([`FormatError::NeedsPassphrase`]).
pub const KIT_FORMAT_NAME: &str = "Twofold emergency kit";

/// What [`Collected::add`] may change, kept to undo a failed add.
struct Snapshot {
    accounts: usize,
    repeats: usize,
    batches: Vec<BatchProgress>,
    problems: usize,
    file_repeats: usize,
    kits: Vec<KitProgress>,
    kit_parts: Vec<Parts>,
}

/// Everything gathered from a set of scans, ready for a preview.
#[derive(Debug, Default)]
pub struct Collected {
    /// Unique accounts, in the order they were found.
    pub accounts: Vec<Account>,
    pub batches: Vec<BatchProgress>,
    pub problems: Vec<Problem>,
    /// Accounts found more than once (e.g. the same code scanned twice),
    /// entries repeated inside one file included.
    pub repeats: usize,
    /// Inside which file which account was repeated, and how often: for
    /// "19 entries repeat Account 1's key and were not added twice".
    pub file_repeats: Vec<FileRepeat>,
    /// Every emergency kit whose parts came in: which are missing, and
    /// whether it was opened.
    pub kits: Vec<KitProgress>,
    /// The parts themselves, one [`Parts`] per kit, in `kits`' order.
    kit_parts: Vec<Parts>,
    /// Finds repeats in linear time; built on first use.
    same: Option<SameCodes>,
    /// Accounts (by position in `accounts`) the person chose to leave out
    /// (see `preview.rs`).
    pub(super) left_out: BTreeSet<usize>,
}

impl Collected {
    /// The one way in. An encrypted file without `passphrase` (or with a
    /// wrong one) answers [`FormatError::NeedsPassphrase`] /
    /// [`FormatError::WrongPassphrase`] and changes nothing, so the caller
    /// can ask and call again; any other file-level error changes nothing
    /// either. Entry-level problems are recorded and the rest is kept.
    ///
    /// Emergency kit parts are gathered across inputs; the input that
    /// completes a kit opens it with `passphrase`, and answers as an
    /// encrypted file does without one (or with a wrong one), changing
    /// nothing, so the same input can be given again with the passphrase.
    pub fn add(
        &mut self,
        source: &str,
        input: Input<'_>,
        passphrase: Option<&str>,
    ) -> Result<Added, FormatError> {
        let before = self.accounts.len() + self.repeats;
        let snapshot = self.snapshot();
        let format = self.add_input(source, input, passphrase)?;
        if let Err(e) = self.open_kits(source, passphrase) {
            self.restore(snapshot);
            return Err(e);
        }
        Ok(Added { format, accounts: self.accounts.len() + self.repeats - before })
    }

    fn add_input(
        &mut self,
        source: &str,
        input: Input<'_>,
        passphrase: Option<&str>,
    ) -> Result<Option<Format>, FormatError> {
        Ok(match input {
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
                // Borrowed, not copied: a copy would be one more of the secret.
                let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
                self.add_texts(source, &lines);
                None
            }
        })
    }

    /// Opens every complete kit not opened yet: an import of its accounts.
    /// Without `passphrase`: [`FormatError::NeedsPassphrase`]; a wrong one:
    /// [`FormatError::WrongPassphrase`] (the caller restores the state).
    pub fn open_kits(&mut self, source: &str, passphrase: Option<&str>) -> Result<usize, FormatError> {
        let before = self.accounts.len() + self.repeats;
        for i in 0..self.kits.len() {
            if self.kits[i].opened || !self.kit_parts[i].complete() {
                continue;
            }
            let passphrase = passphrase.ok_or(FormatError::NeedsPassphrase(KIT_FORMAT_NAME))?;
            match self.kit_parts[i].open_imported(passphrase) {
                Ok(imported) => {
                    self.kits[i].opened = true;
                    self.add_imported(source, imported);
                }
                Err(KitError::WrongPassphrase) => return Err(FormatError::WrongPassphrase),
                Err(e) => {
                    // Damaged beyond the checksums: said once, not opened again.
                    self.kits[i].opened = true;
                    self.problem(source, ProblemKind::BadKitPart, e.to_string());
                }
            }
        }
        Ok(self.accounts.len() + self.repeats - before)
    }

    /// Emergency kits with parts still missing.
    pub fn incomplete_kits(&self) -> impl Iterator<Item = &KitProgress> {
        self.kits.iter().filter(|k| !k.is_complete())
    }

    /// Adds one kit part to its kit's parts (a new kit for a new id). The
    /// kit's first page and its recovery pages hold no code: images
    /// without one, read before the first part, were those pages.
    fn note_kit_part(&mut self, source: &str, part: Part) {
        if self.kits.is_empty() {
            self.problems.retain(|p| p.kind != ProblemKind::NoCode);
        }
        let i = match self.kit_parts.iter().position(|p| p.kit() == Some(&part.kit)) {
            Some(i) => i,
            None => {
                self.kit_parts.push(Parts::new());
                self.kits.push(KitProgress {
                    kit: part.kit.clone(),
                    total: part.total,
                    found: Vec::new(),
                    missing: Vec::new(),
                    opened: false,
                });
                self.kit_parts.len() - 1
            }
        };
        match self.kit_parts[i].add(part) {
            Ok(_) => {
                let opened = self.kits[i].opened;
                if let Some(progress) = self.kit_parts[i].progress(opened) {
                    self.kits[i] = progress;
                }
            }
            Err(e) => self.problem(source, ProblemKind::BadKitPart, e.to_string()),
        }
    }

    /// What [`Collected::add`] may change, to put back when it fails.
    fn snapshot(&self) -> Snapshot {
        Snapshot {
            accounts: self.accounts.len(),
            repeats: self.repeats,
            batches: self.batches.clone(),
            problems: self.problems.len(),
            file_repeats: self.file_repeats.len(),
            kits: self.kits.clone(),
            kit_parts: self.kit_parts.clone(),
        }
    }

    fn restore(&mut self, s: Snapshot) {
        if self.accounts.len() != s.accounts {
            self.accounts.truncate(s.accounts);
            // Its index holds the accounts just removed: built anew on use.
            self.same = None;
        }
        self.repeats = s.repeats;
        self.batches = s.batches;
        self.problems.truncate(s.problems);
        self.file_repeats.truncate(s.file_repeats);
        self.kits = s.kits;
        self.kit_parts = s.kit_parts;
    }

    /// Adds the texts one source (an image, a paste) produced.
    pub(super) fn add_texts(&mut self, source: &str, texts: &[impl AsRef<str>]) {
        for text in texts {
            match Payload::classify(text.as_ref()) {
                Ok(Payload::Account(uri)) => self.push(Account::from_uri(uri, 0)),
                Ok(Payload::Export(export)) => {
                    self.note_batch(export.batch.id, export.batch.size, export.batch.index);
                    for uri in export.accounts {
                        self.push(Account::from_uri(uri, 0));
                    }
                }
                Ok(Payload::Kit(part)) => self.note_kit_part(source, part),
                Ok(Payload::Other(kind)) => self.problem(
                    source,
                    ProblemKind::NotAuthenticator { holds: kind },
                    PayloadError::NotAuthenticator(kind).to_string(),
                ),
                Err(e @ PayloadError::BadUri(_)) => self.problem(source, ProblemKind::BadUri, e.to_string()),
                Err(e @ PayloadError::BadKitPart(_)) => {
                    self.problem(source, ProblemKind::BadKitPart, e.to_string())
                }
                Err(e) => self.problem(source, ProblemKind::BadExport, e.to_string()),
            }
        }
    }

    /// Adds the result of scanning one image.
    fn add_scan(&mut self, source: &str, scan: Result<Scan, QrError>) {
        match scan {
            // An emergency kit's pages of words have no code: not a problem.
            Ok(scan) if scan.texts.is_empty() && !self.kits.is_empty() => {}
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

    /// A set of files that belong together (a Steam Desktop Authenticator
    /// folder: `manifest.json` and its maFiles), by name and content, as
    /// [`formats::read_folder`] reads them; errors as [`Collected::add`]'s.
    pub fn add_folder(
        &mut self,
        source: &str,
        files: &[(&str, &[u8])],
        passphrase: Option<&str>,
    ) -> Result<Added, FormatError> {
        let before = self.accounts.len() + self.repeats;
        let (format, imported) = formats::read_folder(files, passphrase)?;
        self.add_imported(source, imported);
        Ok(Added { format: Some(format), accounts: self.accounts.len() + self.repeats - before })
    }

    /// What [`crate::enroll::read_with_companions`] read: one file as
    /// [`Collected::add`] takes it, an index with its files as
    /// [`Collected::add_folder`] does.
    pub fn add_files(
        &mut self,
        source: &str,
        files: &[super::NamedFile],
        passphrase: Option<&str>,
    ) -> Result<Added, FormatError> {
        match files {
            [(_, bytes)] => self.add(source, Input::File(bytes), passphrase),
            _ => {
                let given: Vec<(&str, &[u8])> =
                    files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
                self.add_folder(source, &given, passphrase)
            }
        }
    }

    /// Adds what an import file held; entries it could not read become problems.
    fn add_imported(&mut self, source: &str, imported: Imported) {
        for entry in imported.skipped {
            let message = entry.to_string();
            self.problem(source, ProblemKind::BadEntry { entry }, message);
        }
        for repeated in imported.repeated {
            self.repeats += repeated.count;
            self.file_repeats.push(FileRepeat { source: source.to_owned(), repeated });
        }
        for account in imported.accounts {
            self.push(account);
        }
    }

    /// Captures of the screen (one per monitor, RGBA). A screen shows much
    /// besides setup codes, so what did not give an account (no code, a web
    /// address's code) is dropped: answers how many accounts were found,
    /// and with none, nothing has changed but the emergency kit parts read
    /// (`kits`); a kit they complete is opened by [`Collected::open_kits`].
    pub fn add_screens(&mut self, screens: Vec<(u32, u32, Vec<u8>)>) -> usize {
        let (accounts, repeats, problems) = (self.accounts.len(), self.repeats, self.problems.len());
        let batches = self.batches.clone();
        for (i, (width, height, rgba)) in screens.into_iter().enumerate() {
            let source = format!("screen {}", i + 1);
            // Pixels never ask for a passphrase, so this cannot fail; a kit
            // they complete waits for `open_kits` (the window asks first).
            let _ = self.add_input(&source, Input::Pixels { width, height, rgba }, None);
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

    /// A file that could not be read from disk (see [`read_file`](super::read_file)).
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enroll::{KEY_A, KEY_B, KEY_C};
    use crate::migration::{encode, Batch};
    use crate::uri::OtpauthUri;

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
        c.add_texts("a.png", &["otpauth://totp/x?secret=JBSWY3DP1"]);
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

    /// A white `width`×`height` RGBA screen with each text's QR code drawn
    /// at (x, y), `scale` pixels a module.
    fn screen(width: u32, height: u32, codes: &[(&str, u32, u32)], scale: u32) -> (u32, u32, Vec<u8>) {
        let mut rgba = vec![255u8; (width * height * 4) as usize];
        for (text, x0, y0) in codes {
            let code = twofold_testkit::qr_image(text, scale, 0);
            for (x, y, _) in code.enumerate_pixels().filter(|(_, _, p)| p.0 == [0]) {
                let at = (((y0 + y) * width + x0 + x) * 4) as usize;
                rgba[at..at + 3].fill(0);
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
