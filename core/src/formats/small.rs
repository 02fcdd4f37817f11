//! Smaller formats, each a few lines (none encrypted):
//! - Steam Guard `.maFile` (Steam Desktop Authenticator; old flat and new
//!   `accounts` map): `shared_secret` in base64. Lost: the revocation code
//!   and confirmation keys (not needed for sign-in codes).
//! - Proton Authenticator: otpauth links plus a note.
//! - Stratum (plain JSON): `Authenticators` with numeric type and algorithm.
//!   Lost: icons and ranking.
//! - Duo Mobile (third-party accounts): secret and name, no issuer; Duo
//!   push accounts cannot be exported by Duo and never appear.

use serde_json::Value;

use super::{EntryProblem, FormatError, Imported};
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
    Imported::from_entries(
        entries,
        |e| ("Steam", e["account_name"].as_str().unwrap_or_default()),
        |e| super::steam::mafile_account(e),
    )
}

pub fn is_proton(v: &Value) -> bool {
    v["entries"].as_array().is_some_and(|e| e.first().is_some_and(|x| x["content"]["uri"].is_string()))
}

pub fn proton(v: &Value) -> Imported {
    Imported::from_entries(
        v["entries"].as_array().into_iter().flatten(),
        |e| ("", e["content"]["name"].as_str().unwrap_or_default()),
        |e| {
            let mut account =
                Account::from_uri(OtpauthUri::parse(e["content"]["uri"].as_str().unwrap_or_default())?, 0);
            account.notes = e["note"].as_str().unwrap_or_default().to_owned();
            Ok(account)
        },
    )
}

pub fn is_stratum(v: &Value) -> bool {
    v["Authenticators"].is_array()
}

pub fn stratum(v: &Value) -> Result<Imported, FormatError> {
    let list = v["Authenticators"].as_array().ok_or(FormatError::Damaged("Stratum"))?;
    fn names<'a>(a: &'a &Value) -> (&'a str, &'a str) {
        (a["Issuer"].as_str().unwrap_or_default(), a["Username"].as_str().unwrap_or_default())
    }
    Ok(Imported::from_entries(list, names, |a| {
        let (issuer, name) = names(a);
        StratumEntry {
            kind: a["Type"].as_u64(),
            issuer,
            name,
            secret: a["Secret"].as_str().unwrap_or_default(),
            algorithm: a["Algorithm"].as_u64(),
            digits: a["Digits"].as_u64(),
            period: a["Period"].as_u64(),
            counter: a["Counter"].as_u64(),
        }
        .account()
    }))
}

/// One Stratum authenticator, from its backup or its database.
pub(crate) struct StratumEntry<'a> {
    pub kind: Option<u64>,
    pub issuer: &'a str,
    pub name: &'a str,
    pub secret: &'a str,
    pub algorithm: Option<u64>,
    pub digits: Option<u64>,
    pub period: Option<u64>,
    pub counter: Option<u64>,
}

impl StratumEntry<'_> {
    pub(crate) fn account(&self) -> Result<Account, EntryProblem> {
        let secret = Secret::from_base32(self.secret)?;
        let algorithm = match self.algorithm {
            Some(0) | None => Algorithm::Sha1,
            Some(1) => Algorithm::Sha256,
            Some(2) => Algorithm::Sha512,
            Some(_) => return Err(EntryProblem::Algorithm),
        };
        // Stratum's types: 1 HOTP, 2 TOTP, 3 mOTP, 4 Steam, 5 Yandex.
        let kind = match self.kind {
            Some(1) => Kind::Hotp { counter: self.counter.unwrap_or(0) },
            // A period or digits past any type's range is refused (as 0), not guessed.
            Some(2) => Kind::Totp { period: self.period.map_or(30, |p| u32::try_from(p).unwrap_or(0)) },
            Some(4) => Kind::Steam,
            _ => return Err(EntryProblem::UnsupportedType),
        };
        let digits = self.digits.map_or(6, |d| u8::try_from(d).unwrap_or(0));
        Ok(Account::new(self.issuer.trim(), self.name.trim(), Otp::new(secret, algorithm, digits, kind)?, 0))
    }
}

pub fn is_duo(v: &Value) -> bool {
    v.as_array().is_some_and(|a| a.first().is_some_and(|x| x["otpGenerator"].is_object()))
}

pub fn duo(v: &Value) -> Imported {
    Imported::from_entries(
        v.as_array().into_iter().flatten(),
        |e| ("", e["name"].as_str().unwrap_or_default()),
        |e| {
            let generator = &e["otpGenerator"];
            let secret = Secret::from_base32(generator["otpSecret"].as_str().unwrap_or_default())?;
            let kind = match generator["counter"].as_u64() {
                Some(counter) => Kind::Hotp { counter },
                None => Kind::Totp { period: Otp::DEFAULT_PERIOD },
            };
            let otp = Otp::new(secret, Algorithm::Sha1, Otp::DEFAULT_DIGITS, kind)?;
            Ok(Account::new("", e["name"].as_str().unwrap_or_default().trim(), otp, 0))
        },
    )
}
