//! Bitwarden unencrypted JSON exports: each login's `totp` field holds an
//! otpauth link, or `steam://SECRET` for Steam. Lost: everything else
//! Bitwarden stores (passwords are never read into Twofold).

use serde_json::Value;

use super::{FormatError, Imported};
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
    let mut imported = Imported::default();
    let items = value["items"].as_array().ok_or(FormatError::Damaged("Bitwarden"))?;
    for (index, item) in items.iter().enumerate() {
        let Some(totp) = item["login"]["totp"].as_str().filter(|t| !t.is_empty()) else { continue };
        let title = item["name"].as_str().unwrap_or_default();
        let parsed = match totp.strip_prefix("steam://") {
            Some(secret) => Secret::from_base32(secret)
                .map(|s| Account::new(title.trim(), "", Otp::steam(s), 0))
                .map_err(|e| e.to_string()),
            None => OtpauthUri::parse(totp).map(|u| Account::from_uri(u, 0)).map_err(|e| e.to_string()),
        };
        match parsed {
            Ok(account) => imported.accounts.push(account),
            Err(reason) => imported.skip(index, title, "", reason),
        }
    }
    Ok(imported)
}
