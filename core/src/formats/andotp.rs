//! andOTP backups: plain JSON, and encrypted `.json.aes` files in the
//! current format (4-byte PBKDF2-HMAC-SHA1 round count, 12-byte salt,
//! 12-byte IV, AES-256-GCM) or the old one (key = SHA-256 of the password,
//! 12-byte IV, AES-256-GCM). Lost: thumbnails and usage statistics; tags
//! become Twofold tags.

use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::wiped_json::WipedJson;
use super::{crypto, EntryProblem, FormatError, Imported};
use crate::account::Account;
use crate::otp::{Kind, Otp};
use crate::secret::Secret;

const NAME: &str = "andOTP";
/// The most PBKDF2 rounds an encrypted backup may ask for.
const MAX_ROUNDS: u32 = 1_000_000;

#[derive(Deserialize)]
struct Entry {
    secret: Zeroizing<String>,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    digits: Option<u8>,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    algorithm: Option<String>,
    #[serde(default)]
    period: Option<u32>,
    #[serde(default)]
    counter: Option<u64>,
    #[serde(default)]
    tags: Vec<String>,
}

/// A JSON array of objects with `secret` and `type`.
pub fn detect(value: &Value) -> bool {
    value
        .as_array()
        .is_some_and(|a| a.first().is_some_and(|e| e.get("secret").is_some() && e.get("type").is_some()))
}

pub fn read_plain(value: &Value) -> Result<Imported, FormatError> {
    let entries: Vec<Entry> = WipedJson::decode(value).map_err(|_| FormatError::Damaged(NAME))?;
    Ok(Imported::from_entries(&entries, |e| (&e.issuer, &e.label), |e| account(e)))
}

/// Encrypted backups are opaque bytes; tries the current format, then the old.
pub fn read_encrypted(bytes: &[u8], password: &str) -> Result<Imported, FormatError> {
    if bytes.len() < 4 + 12 + 12 + 16 {
        return Err(FormatError::Unrecognized);
    }
    let rounds = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    // andOTP writes 140,000–160,000 rounds; a million is the most any file
    // may ask for (about half a second). Above that the four bytes cannot be
    // a round count, so the file can only be the old format (they are its IV).
    let plain = if (1_000..=MAX_ROUNDS).contains(&rounds) {
        let key = crypto::pbkdf2_sha1(password, &bytes[4..16], rounds);
        crypto::open(&key, &bytes[16..28], &bytes[28..])
    } else {
        None
    };
    let plain = plain.or_else(|| {
        let key: [u8; 32] = Sha256::digest(password.as_bytes()).into();
        crypto::open(&key, &bytes[..12], &bytes[12..])
    });
    let plain = plain.ok_or(FormatError::WrongPassphrase)?;
    let json = WipedJson::parse(&plain).map_err(|e| e.damaged(NAME))?;
    read_plain(&json)
}

fn account(e: &Entry) -> Result<Account, EntryProblem> {
    let secret = Secret::from_base32(&e.secret)?;
    let algorithm = super::algorithm(e.algorithm.as_deref())?;
    let kind = match e.kind.to_ascii_uppercase().as_str() {
        "TOTP" => Kind::Totp { period: e.period.unwrap_or(Otp::DEFAULT_PERIOD) },
        "HOTP" => Kind::Hotp { counter: e.counter.unwrap_or(0) },
        "STEAM" => Kind::Steam,
        _ => return Err(EntryProblem::UnsupportedType),
    };
    let otp = Otp::new(secret, algorithm, e.digits.unwrap_or(Otp::DEFAULT_DIGITS), kind)?;
    // Old andOTP backups have no issuer field; the label reads "Issuer - name".
    let (issuer, name) = match e.label.split_once(" - ") {
        Some((issuer, name)) if e.issuer.is_empty() => (issuer, name),
        _ => (e.issuer.as_str(), e.label.as_str()),
    };
    let mut account = Account::new(issuer.trim(), name.trim(), otp, 0);
    account.tags = crate::account::clean_tags(&e.tags);
    Ok(account)
}
