//! Bitwarden unencrypted JSON exports: each login's `totp` field holds an
//! otpauth link, or `steam://SECRET` for Steam. Lost: everything else
//! Bitwarden stores (passwords are never read into Twofold).

use serde_json::Value;

use super::{EntryProblem, FormatError, Imported};
use crate::account::Account;
use crate::otp::Otp;
use crate::secret::Secret;
use crate::uri::OtpauthUri;

pub fn detect(value: &Value) -> bool {
    value.get("items").is_some_and(Value::is_array) && value.get("encrypted").is_some()
}

pub fn read(value: &Value) -> Result<Imported, FormatError> {
    if value["encrypted"].as_bool() == Some(true) {
        return Err(FormatError::Unsupported(super::Unsupported::BitwardenEncrypted));
    }
    let items = value["items"].as_array().ok_or(FormatError::Damaged("Bitwarden"))?;
    // Only logins with a TOTP field are accounts; positions count those.
    let with_totp = items.iter().filter_map(|item| {
        let totp = item["login"]["totp"].as_str().filter(|t| !t.is_empty())?;
        Some((item["name"].as_str().unwrap_or_default(), totp))
    });
    Ok(Imported::from_entries(with_totp, |(title, _)| (title, ""), |(title, totp)| account(title, totp)))
}

fn account(title: &str, totp: &str) -> Result<Account, EntryProblem> {
    Ok(match totp.strip_prefix("steam://") {
        Some(secret) => Account::new(title.trim(), "", Otp::steam(Secret::from_base32(secret)?), 0),
        None => Account::from_uri(OtpauthUri::parse(totp)?, 0),
    })
}
