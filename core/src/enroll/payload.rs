//! One QR code's text, classified: an `otpauth://` account, a Google
//! Authenticator export, a part of a Twofold emergency kit, or something
//! else, named ([`Payload`]); and the
//! report of it that `twofold-cli scan` prints, never with a secret
//! ([`CodeReport`]).

use serde::Serialize;

use crate::kit::{Part, PartError};
use crate::migration::{Migration, MigrationError};
use crate::otp::OtpType;
use crate::uri::{OtpauthUri, UriError};

/// What one QR code holds.
#[derive(Debug)]
pub enum Payload {
    Account(OtpauthUri),
    Export(Migration),
    /// One numbered part of an emergency kit (`crate::kit`): encrypted,
    /// opened once every part is in and the passphrase given.
    Kit(Part),
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
    /// Every kind, for the test that each has words in every language.
    pub const ALL: &'static [OtherKind] = &[
        OtherKind::WebAddress,
        OtherKind::WifiNetwork,
        OtherKind::Contact,
        OtherKind::Email,
        OtherKind::Phone,
        OtherKind::Text,
    ];

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
    #[error(transparent)]
    BadKitPart(#[from] PartError),
}

impl Payload {
    pub fn classify(text: &str) -> Result<Self, PayloadError> {
        let trimmed = text.trim();
        let lower: String = trimmed.chars().take(24).flat_map(char::to_lowercase).collect();
        if lower.starts_with("otpauth-migration:") {
            return Ok(Payload::Export(Migration::parse(trimmed)?));
        }
        if Part::is_kit(trimmed) {
            return Ok(Payload::Kit(Part::parse(trimmed)?));
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

/// One account a QR code holds, as `twofold-cli scan` names it (no secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportedAccount {
    pub issuer: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: OtpType,
}

impl ReportedAccount {
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
pub enum CodeReport {
    Account {
        accounts: Vec<ReportedAccount>,
    },
    GoogleAuthenticatorExport {
        batch: BatchPosition,
        accounts: Vec<ReportedAccount>,
    },
    /// A part of an emergency kit: encrypted, so no accounts to name.
    EmergencyKitPart {
        kit: String,
        number: u32,
        of: u32,
    },
    NotAuthenticator {
        what: OtherKind,
        problem: String,
    },
    Invalid {
        problem: String,
    },
}

impl CodeReport {
    pub fn of(text: &str) -> Self {
        match Payload::classify(text) {
            Ok(Payload::Account(uri)) => CodeReport::Account { accounts: vec![ReportedAccount::of(&uri)] },
            Ok(Payload::Export(export)) => CodeReport::GoogleAuthenticatorExport {
                batch: BatchPosition {
                    number: export.batch.index + 1,
                    of: export.batch.size,
                    id: export.batch.id,
                },
                accounts: export.accounts.iter().map(ReportedAccount::of).collect(),
            },
            Ok(Payload::Kit(part)) => CodeReport::EmergencyKitPart {
                kit: part.kit.to_string(),
                number: part.number,
                of: part.total,
            },
            Ok(Payload::Other(kind)) => CodeReport::NotAuthenticator {
                what: kind,
                problem: PayloadError::NotAuthenticator(kind).to_string(),
            },
            Err(e) => CodeReport::Invalid { problem: e.to_string() },
        }
    }

    /// One line per account (`Issuer (name) [totp] (export code 1 of 3)`),
    /// or the problem.
    pub fn lines(&self) -> Vec<String> {
        let line = |found: &ReportedAccount, suffix: &str| {
            format!("{} [{}]{suffix}", crate::account::label(&found.issuer, &found.name), found.kind.as_str())
        };
        match self {
            CodeReport::Account { accounts } => accounts.iter().map(|f| line(f, "")).collect(),
            CodeReport::GoogleAuthenticatorExport { batch, accounts } => {
                let suffix = format!(" (export code {} of {})", batch.number, batch.of);
                accounts.iter().map(|f| line(f, &suffix)).collect()
            }
            CodeReport::EmergencyKitPart { kit, number, of } => {
                vec![format!("emergency kit {kit}, part {number} of {of} (encrypted)")]
            }
            CodeReport::NotAuthenticator { problem, .. } | CodeReport::Invalid { problem } => {
                vec![problem.clone()]
            }
        }
    }
}
