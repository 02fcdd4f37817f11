//! 2FAS Authenticator backups (`.2fas` and the older `.json`), schema 1–4,
//! plain and encrypted. Spec: 2FAS's Android sources (`BackupContent.kt`,
//! `DataEncrypted.kt`).
//!
//! Encrypted: `servicesEncrypted` is `base64(ciphertext‖tag):base64(salt):
//! base64(iv)`, AES-256-GCM under PBKDF2-HMAC-SHA256 (10,000 rounds).
//! Groups become tags. Lost: icons, colours and order. Schema 1 keeps only the secret
//! (SHA1, 6 digits, 30 s assumed); schema 2 has no HOTP (imported as TOTP).

use base64::Engine;
use serde::Deserialize;
use serde_json::Value;
use zeroize::Zeroizing;

use super::wiped_json::WipedJson;
use super::{crypto, EntryProblem, FormatError, Imported};
use crate::account::Account;
use crate::otp::{Kind, Otp};
use crate::secret::Secret;

const NAME: &str = "2FAS";
const ROUNDS: u32 = 10_000;

pub fn detect(value: &Value) -> bool {
    value.get("services").is_some() && value.get("schemaVersion").is_some()
}

pub fn is_encrypted(value: &Value) -> bool {
    value.get("servicesEncrypted").and_then(Value::as_str).is_some_and(|s| !s.is_empty())
}

#[derive(Deserialize)]
struct Service {
    #[serde(default)]
    name: String,
    secret: Zeroizing<String>,
    #[serde(default)]
    otp: Option<OtpInfo>,
    #[serde(default, rename = "groupId")]
    group_id: Option<String>,
}

#[derive(Deserialize)]
struct Group {
    id: String,
    name: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct OtpInfo {
    #[serde(default)]
    account: Option<String>,
    #[serde(default)]
    issuer: Option<String>,
    #[serde(default)]
    digits: Option<u8>,
    #[serde(default)]
    period: Option<u32>,
    #[serde(default)]
    algorithm: Option<String>,
    #[serde(default)]
    counter: Option<u64>,
    #[serde(default)]
    token_type: Option<String>,
}

pub fn read(value: &Value, password: Option<&str>) -> Result<Imported, FormatError> {
    let services: Vec<Service> = if is_encrypted(value) {
        let password = password.ok_or(FormatError::NeedsPassphrase(NAME))?;
        let blob = value["servicesEncrypted"].as_str().unwrap_or_default();
        let plain = decrypt(blob, password)?;
        super::wiped_json::check_size(&plain)?;
        serde_json::from_slice(&plain).map_err(|_| FormatError::Damaged(NAME))?
    } else {
        WipedJson::decode(&value["services"]).map_err(|_| FormatError::Damaged(NAME))?
    };
    // Groups are plain in every schema (only services are encrypted).
    let groups: Vec<Group> =
        value.get("groups").and_then(|g| serde_json::from_value(g.clone()).ok()).unwrap_or_default();
    Ok(Imported::from_entries(
        &services,
        |s| (&s.name, ""),
        |s| {
            let mut account = account(s)?;
            let group = s.group_id.as_ref().and_then(|id| groups.iter().find(|g| &g.id == id));
            account.tags =
                crate::account::clean_tags(group.map(|g| std::slice::from_ref(&g.name)).unwrap_or_default());
            Ok(account)
        },
    ))
}

fn decrypt(blob: &str, password: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, FormatError> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let parts: Vec<&str> = blob.split(':').collect();
    let [sealed, salt, iv] = parts.as_slice() else { return Err(FormatError::Damaged(NAME)) };
    let (sealed, salt, iv) = (b64.decode(sealed), b64.decode(salt), b64.decode(iv));
    let (Ok(sealed), Ok(salt), Ok(iv)) = (sealed, salt, iv) else { return Err(FormatError::Damaged(NAME)) };
    let key = crypto::pbkdf2_sha256(password, &salt, ROUNDS);
    // GCM cannot tell a wrong key from damaged data; a well-formed file that
    // fails to open is far more likely a wrong passphrase.
    crypto::open(&key, &iv, &sealed).ok_or(FormatError::WrongPassphrase)
}

fn account(s: &Service) -> Result<Account, EntryProblem> {
    let secret = Secret::from_base32(&s.secret)?;
    let info = s.otp.as_ref();
    let get = |f: fn(&OtpInfo) -> Option<String>| info.and_then(f).filter(|v| !v.is_empty());
    let issuer = get(|o| o.issuer.clone()).unwrap_or_else(|| s.name.clone());
    let name = get(|o| o.account.clone()).unwrap_or_default();
    let algorithm = super::algorithm(get(|o| o.algorithm.clone()).as_deref())?;
    let digits = info.and_then(|o| o.digits).unwrap_or(Otp::DEFAULT_DIGITS);
    let period = info.and_then(|o| o.period).unwrap_or(Otp::DEFAULT_PERIOD);
    let kind = match get(|o| o.token_type.clone()).as_deref().map(str::to_ascii_uppercase).as_deref() {
        Some("HOTP") => Kind::Hotp { counter: info.and_then(|o| o.counter).unwrap_or(0) },
        Some("STEAM") => Kind::Steam,
        _ => Kind::Totp { period },
    };
    let otp = Otp::new(secret, algorithm, digits, kind)?;
    Ok(Account::new(issuer.trim(), name.trim(), otp, 0))
}
