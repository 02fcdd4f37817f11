//! TOTP Authenticator (BinaryBoxApps): its settings file
//! (`TOTP_Authenticator_Preferences.xml`, whose `STATIC_TOTP_CODES_LIST`
//! is a JSON list of accounts) and its `.bin` backups: base64 of
//! AES-256-CBC (zero IV) under SHA-256 of the password, holding a JSON
//! object whose key is that same list. Without a password the backup is
//! tried with the app's built-in default one. The secret is hex, base32
//! or base64 as `base` says; digits and period are stored as text. The app
//! has no algorithm setting: every account is SHA1. Lost: icons,
//! favourites, widgets.

use base64::Engine;
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::android_prefs::{self, Pref};
use super::wiped_json::WipedJson;
use super::{crypto, EntryProblem, FormatError, Imported};
use crate::account::Account;
use crate::otp::{Algorithm, Kind, Otp};
use crate::secret::Secret;

const NAME: &str = "TOTP Authenticator";
const LIST: &str = "STATIC_TOTP_CODES_LIST";
/// What the app encrypts a backup with when no password was chosen.
const DEFAULT_PASSWORD: &str = "TotpAuthenticator";

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    name: String,
    key: Zeroizing<String>,
    base: u32,
    #[serde(default)]
    digits: Option<Number>,
    #[serde(default)]
    period: Option<Number>,
}

/// The app writes numbers as text ("6"); a number is taken as well.
#[derive(Deserialize)]
#[serde(untagged)]
enum Number {
    Text(String),
    Number(u64),
}

impl Number {
    fn value(&self) -> Option<u64> {
        match self {
            Number::Text(t) => t.trim().parse().ok(),
            Number::Number(n) => Some(*n),
        }
    }
}

pub fn detect(prefs: &[Pref]) -> bool {
    android_prefs::string(prefs, LIST).is_some()
}

pub fn read_prefs(prefs: &[Pref]) -> Result<Imported, FormatError> {
    read_list(android_prefs::string(prefs, LIST).unwrap_or("[]"))
}

/// Base64 text whose bytes are whole AES blocks: what a backup looks like.
pub fn looks_encrypted(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    compact.len() >= 24
        && compact.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
        && sealed(text).is_some_and(|b| !b.is_empty() && b.len() % 16 == 0)
}

fn sealed(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(compact).ok()
}

/// Opens a backup with `password`, or with the app's default password when
/// none is given (then a backup with a password of its own needs one).
pub fn read_encrypted(text: &str, password: Option<&str>) -> Result<Imported, FormatError> {
    let sealed = sealed(text).ok_or(FormatError::Damaged(NAME))?;
    // CBC has no tag: a wrong password whose padding happens to verify
    // gives bytes that are no JSON.
    let open = |password: &str| {
        let key: Zeroizing<[u8; 32]> = Zeroizing::new(Sha256::digest(password.as_bytes()).into());
        WipedJson::parse(&crypto::cbc_decrypt(&key, &[0; 16], &sealed)?).ok()
    };
    let json = match password {
        None => open(DEFAULT_PASSWORD).ok_or(FormatError::NeedsPassphrase(NAME))?,
        Some(p) => open(p).or_else(|| open(DEFAULT_PASSWORD)).ok_or(FormatError::WrongPassphrase)?,
    };
    let object = json.as_object().ok_or(FormatError::Damaged(NAME))?;
    let mut lists = object.keys().filter(|k| k.trim_start().starts_with('['));
    match (lists.next(), lists.next()) {
        (Some(list), None) => read_list(list),
        _ => Err(FormatError::Damaged(NAME)),
    }
}

fn read_list(text: &str) -> Result<Imported, FormatError> {
    let json = WipedJson::parse(text.as_bytes()).map_err(|e| e.damaged(NAME))?;
    let items = json.as_array().ok_or(FormatError::Damaged(NAME))?;
    // Each account is an object, or (in older versions) its JSON as text.
    let mut entries: Vec<Option<Entry>> = Vec::with_capacity(items.len());
    for item in items {
        entries.push(match item {
            Value::String(s) => match WipedJson::parse(s.as_bytes()) {
                Ok(inner) => WipedJson::decode(&inner).ok(),
                Err(super::wiped_json::ParseError::TooComplex) => return Err(FormatError::TooComplex),
                Err(_) => None,
            },
            other => WipedJson::decode(other).ok(),
        });
    }
    Ok(Imported::from_entries(
        &entries,
        |e| e.as_ref().map_or(("", ""), |e| (e.issuer.as_str(), e.name.as_str())),
        |e| e.as_ref().map_or(Err(EntryProblem::Damaged), account),
    ))
}

fn account(e: &Entry) -> Result<Account, EntryProblem> {
    let key = e.key.trim();
    let bytes = match e.base {
        16 => data_encoding::HEXLOWER_PERMISSIVE.decode(key.as_bytes()).map_err(|_| EntryProblem::Damaged)?,
        32 => return with_secret(e, Secret::from_base32(key)?),
        64 => base64::engine::general_purpose::STANDARD
            .decode(key)
            .map_err(|_| EntryProblem::SecretNotBase64)?,
        _ => return Err(EntryProblem::Damaged),
    };
    with_secret(e, Secret::from_bytes(bytes)?)
}

fn with_secret(e: &Entry, secret: Secret) -> Result<Account, EntryProblem> {
    let number = |n: &Option<Number>, default: u64| match n {
        None => Ok(default),
        Some(n) => n.value().ok_or(EntryProblem::Damaged),
    };
    let digits = u8::try_from(number(&e.digits, u64::from(Otp::DEFAULT_DIGITS))?)
        .map_err(|_| crate::otp::OtpError::Digits)?;
    let period = u32::try_from(number(&e.period, u64::from(Otp::DEFAULT_PERIOD))?)
        .map_err(|_| crate::otp::OtpError::Period)?;
    let otp = Otp::new(secret, Algorithm::Sha1, digits, Kind::Totp { period })?;
    Ok(Account::new(e.issuer.trim(), e.name.trim(), otp, 0))
}
