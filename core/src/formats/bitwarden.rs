//! Bitwarden unencrypted JSON exports: each login's `totp` field holds an
//! otpauth link, `steam://SECRET` for Steam, or a bare base32 secret. Lost: everything else
//! Bitwarden stores (passwords are never read into Twofold).

use serde_json::Value;

use super::{EntryProblem, FormatError, Imported};
use crate::account::Account;
use crate::otp::{Algorithm, Kind, Otp};
use crate::secret::Secret;
use crate::uri::OtpauthUri;

pub fn detect(value: &Value) -> bool {
    value.get("items").is_some_and(Value::is_array) && value.get("encrypted").is_some()
}

pub fn read(value: &Value) -> Result<Imported, FormatError> {
    if value["encrypted"].as_bool() == Some(true) {
        return Err(FormatError::Unsupported(super::Unsupported::BitwardenAccountRestricted));
    }
    let items = value["items"].as_array().ok_or(FormatError::Damaged("Bitwarden"))?;
    // Only logins with a TOTP field are accounts; positions count those.
    let with_totp = items.iter().filter_map(|item| {
        let totp = item["login"]["totp"].as_str().filter(|t| !t.is_empty())?;
        Some((item["name"].as_str().unwrap_or_default(), totp))
    });
    Ok(Imported::from_entries(with_totp, |(title, _)| (title, ""), |(title, totp)| account(title, totp)))
}

/// The field holds an otpauth link, `steam://SECRET`, or just the secret
/// (Bitwarden accepts a bare base32 key: a 30 s, 6-digit SHA1 code).
fn account(title: &str, totp: &str) -> Result<Account, EntryProblem> {
    if let Some(secret) = totp.strip_prefix("steam://") {
        return Ok(Account::new(title.trim(), "", Otp::steam(Secret::from_base32(secret)?), 0));
    }
    if totp.get(..8).is_some_and(|scheme| scheme.eq_ignore_ascii_case("otpauth:")) {
        return Ok(Account::from_uri(OtpauthUri::parse(totp)?, 0));
    }
    let kind = Kind::Totp { period: Otp::DEFAULT_PERIOD };
    let otp = Otp::new(Secret::from_base32(totp)?, Algorithm::Sha1, Otp::DEFAULT_DIGITS, kind)?;
    Ok(Account::new(title.trim(), "", otp, 0))
}
