//! From scanned QR codes (or pasted text) to accounts to preview: what each
//! code holds, which codes of a multi-code export are still missing, and
//! which accounts repeat each other.

use serde::Serialize;

use crate::account::{Account, Summary};
use crate::migration::{Migration, MigrationError};
use crate::qr::{QrError, Scan};
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
    pub fn code(self) -> &'static str {
        match self {
            OtherKind::WebAddress => "web_address",
            OtherKind::WifiNetwork => "wifi_network",
            OtherKind::Contact => "contact",
            OtherKind::Email => "email",
            OtherKind::Phone => "phone",
            OtherKind::Text => "text",
        }
    }

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

/// A code that gave nothing usable, and why; `source` names where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub source: String,
    /// Stable, for the UI's message table: `no_code`, `unreadable`,
    /// `too_large`, `bad_uri`, `bad_export`, `bad_entry`, or an [`OtherKind`] name.
    pub code: &'static str,
    pub message: String,
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
}

impl Collected {
    /// Adds the texts one source (an image, a paste) produced.
    pub fn add_texts(&mut self, source: &str, texts: &[String]) {
        for text in texts {
            match Payload::classify(text) {
                Ok(Payload::Account(uri)) => self.push(uri),
                Ok(Payload::Export(export)) => {
                    self.note_batch(export.batch.id, export.batch.size, export.batch.index);
                    for uri in export.accounts {
                        self.push(uri);
                    }
                }
                Ok(Payload::Other(kind)) => {
                    self.problem(source, kind.code(), PayloadError::NotAuthenticator(kind).to_string())
                }
                Err(e @ PayloadError::BadUri(_)) => self.problem(source, "bad_uri", e.to_string()),
                Err(e) => self.problem(source, "bad_export", e.to_string()),
            }
        }
    }

    /// Adds the result of scanning one image.
    pub fn add_scan(&mut self, source: &str, scan: Result<Scan, QrError>) {
        match scan {
            Ok(scan) if scan.texts.is_empty() => {
                self.problem(source, "no_code", "no QR code was found in the image".into())
            }
            Ok(scan) => self.add_texts(source, &scan.texts),
            Err(e @ (QrError::TooLarge { .. } | QrError::FileTooLarge { .. })) => {
                self.problem(source, "too_large", e.to_string())
            }
            Err(e) => self.problem(source, "unreadable", e.to_string()),
        }
    }

    fn problem(&mut self, source: &str, code: &'static str, message: String) {
        self.problems.push(Problem { source: source.to_owned(), code, message });
    }

    fn push(&mut self, uri: OtpauthUri) {
        self.push_account(Account::from_uri(uri, 0));
    }

    fn push_account(&mut self, account: Account) {
        if self.accounts.iter().any(|a| a.otp.same_codes_as(&account.otp)) {
            self.repeats += 1;
        } else {
            self.accounts.push(account);
        }
    }

    /// Adds what an import file held (entries it could not read become problems).
    pub fn add_imported(&mut self, source: &str, imported: crate::formats::Imported) {
        for skipped in imported.skipped {
            self.problem(source, "bad_entry", format!("{}: {}", skipped.account, skipped.reason));
        }
        for account in imported.accounts {
            self.push_account(account);
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

    /// "2 of 3 codes scanned; missing: 2" for each incomplete export.
    pub fn batch_notes(&self) -> Vec<String> {
        self.batches
            .iter()
            .filter(|b| !b.missing.is_empty())
            .map(|b| {
                let missing: Vec<String> = b.missing.iter().map(u32::to_string).collect();
                format!(
                    "{} of {} export codes scanned; missing: {}",
                    b.scanned.len(),
                    b.size,
                    missing.join(", ")
                )
            })
            .collect()
    }
}

/// One found account as the preview shows it: never the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviewAccount {
    #[serde(flatten)]
    pub summary: Summary,
    /// The vault account that already computes these codes; it is skipped.
    pub duplicate_of: Option<String>,
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
        let accounts: Vec<PreviewAccount> = self
            .accounts
            .iter()
            .map(|account| PreviewAccount {
                summary: account.summary_at(now),
                duplicate_of: existing
                    .iter()
                    .find(|a| a.otp.same_codes_as(&account.otp))
                    .map(Account::display_name),
            })
            .collect();
        let new_count = accounts.iter().filter(|a| a.duplicate_of.is_none()).count();
        Preview {
            accounts,
            batches: self.batches.clone(),
            problems: self.problems.clone(),
            repeats: self.repeats,
            new_count,
        }
    }

    /// The accounts to add; the vault skips any that are already there.
    /// Accounts keep their own creation time when the source had one.
    pub fn to_accounts(&self, created: u64) -> Vec<Account> {
        self.accounts
            .iter()
            .map(|a| {
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
        assert_eq!(c.batch_notes(), ["2 of 3 export codes scanned; missing: 2"]);
        assert_eq!(c.batches[0].missing, [2]);
        c.add_texts("second.png", &[code(&b, 1)]);
        assert!(c.batch_notes().is_empty());
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
        assert!(json.contains("\"code\""), "live codes are shown");
    }
}
