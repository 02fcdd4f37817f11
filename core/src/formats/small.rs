//! Smaller formats, each a few lines (none encrypted):
//! - Steam Guard `.maFile` (Steam Desktop Authenticator; old flat and new
//!   `accounts` map): `shared_secret` in base64. Lost: the revocation code
//!   and confirmation keys (not needed for sign-in codes).
//! - Proton Authenticator: otpauth links plus a note.
//! - Stratum (plain JSON): `Authenticators` with numeric type and algorithm.
//!   Lost: icons and ranking.
//! - Duo Mobile (third-party accounts): secret and name, no issuer; Duo
//!   push accounts cannot be exported by Duo and never appear.

use base64::Engine;
use serde_json::Value;

use super::{FormatError, Imported};
use crate::account::Account;
use crate::otp::{Algorithm, Kind, Otp};
use crate::secret::Secret;
use crate::uri::OtpauthUri;

pub fn is_steam(v: &Value) -> bool {
    v.get("shared_secret").is_some()
        || v["accounts"].as_object().is_some_and(|m| m.values().any(|a| a.get("shared_secret").is_some()))
}

pub fn steam(v: &Value) -> Imported {
    let entries: Vec<&Value> = match v["accounts"].as_object() {
        Some(map) => map.values().collect(),
        None => vec![v],
    };
    let mut imported = Imported::default();
    for (index, entry) in entries.into_iter().enumerate() {
        let name = entry["account_name"].as_str().unwrap_or_default();
        let secret = entry["shared_secret"]
            .as_str()
            .and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())
            .ok_or_else(|| "shared_secret is not base64".to_owned())
            .and_then(|b| Secret::from_bytes(b).map_err(|e| e.to_string()));
        match secret {
            Ok(secret) => imported.accounts.push(Account::new("Steam", name.trim(), Otp::steam(secret), 0)),
            Err(reason) => imported.skip(index, "Steam", name, reason),
        }
    }
    imported
}

pub fn is_proton(v: &Value) -> bool {
    v["entries"].as_array().is_some_and(|e| e.first().is_some_and(|x| x["content"]["uri"].is_string()))
}

pub fn proton(v: &Value) -> Imported {
    let mut imported = Imported::default();
    for (index, entry) in v["entries"].as_array().into_iter().flatten().enumerate() {
        let uri = entry["content"]["uri"].as_str().unwrap_or_default();
        match OtpauthUri::parse(uri) {
            Ok(uri) => {
                let mut account = Account::from_uri(uri, 0);
                account.notes = entry["note"].as_str().unwrap_or_default().to_owned();
                imported.accounts.push(account);
            }
            Err(e) => {
                imported.skip(index, "", entry["content"]["name"].as_str().unwrap_or_default(), e.to_string())
            }
        }
    }
    imported
}

pub fn is_stratum(v: &Value) -> bool {
    v["Authenticators"].is_array()
}

pub fn stratum(v: &Value) -> Result<Imported, FormatError> {
    let mut imported = Imported::default();
    let list = v["Authenticators"].as_array().ok_or(FormatError::Damaged("Stratum"))?;
    for (index, a) in list.iter().enumerate() {
        let (issuer, name) =
            (a["Issuer"].as_str().unwrap_or_default(), a["Username"].as_str().unwrap_or_default());
        let parsed = (|| {
            let secret =
                Secret::from_base32(a["Secret"].as_str().unwrap_or_default()).map_err(|e| e.to_string())?;
            let algorithm = match a["Algorithm"].as_u64() {
                Some(0) | None => Algorithm::Sha1,
                Some(1) => Algorithm::Sha256,
                Some(2) => Algorithm::Sha512,
                Some(other) => return Err(format!("unknown algorithm {other}")),
            };
            // Stratum's types: 1 HOTP, 2 TOTP, 3 mOTP, 4 Steam, 5 Yandex.
            let kind = match a["Type"].as_u64() {
                Some(1) => Kind::Hotp { counter: a["Counter"].as_u64().unwrap_or(0) },
                Some(2) => Kind::Totp {
                    period: a["Period"].as_u64().and_then(|p| u32::try_from(p).ok()).unwrap_or(30),
                },
                Some(4) => Kind::Steam,
                _ => return Err("mOTP and Yandex accounts are not supported".to_owned()),
            };
            let digits = a["Digits"].as_u64().and_then(|d| u8::try_from(d).ok()).unwrap_or(6);
            Otp::new(secret, algorithm, digits, kind).map_err(|e| e.to_string())
        })();
        match parsed {
            Ok(otp) => imported.accounts.push(Account::new(issuer.trim(), name.trim(), otp, 0)),
            Err(reason) => imported.skip(index, issuer, name, reason),
        }
    }
    Ok(imported)
}

pub fn is_duo(v: &Value) -> bool {
    v.as_array().is_some_and(|a| a.first().is_some_and(|x| x["otpGenerator"].is_object()))
}

pub fn duo(v: &Value) -> Imported {
    let mut imported = Imported::default();
    for (index, entry) in v.as_array().into_iter().flatten().enumerate() {
        let name = entry["name"].as_str().unwrap_or_default();
        let generator = &entry["otpGenerator"];
        let parsed = Secret::from_base32(generator["otpSecret"].as_str().unwrap_or_default())
            .map_err(|e| e.to_string())
            .and_then(|secret| {
                let kind = match generator["counter"].as_u64() {
                    Some(counter) => Kind::Hotp { counter },
                    None => Kind::Totp { period: Otp::DEFAULT_PERIOD },
                };
                Otp::new(secret, Algorithm::Sha1, Otp::DEFAULT_DIGITS, kind).map_err(|e| e.to_string())
            });
        match parsed {
            Ok(otp) => imported.accounts.push(Account::new("", name.trim(), otp, 0)),
            Err(reason) => imported.skip(index, "", name, reason),
        }
    }
    imported
}
