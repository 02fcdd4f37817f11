//! FreeOTP+ JSON exports: `tokens` with the secret as signed bytes. FreeOTP
//! stores an HOTP counter as the last one used; it is imported as stored.
//! Lost: images and the token order.

use serde::Deserialize;
use serde_json::Value;
use zeroize::Zeroizing;

use super::wiped_json::WipedJson;
use super::{EntryProblem, FormatError, Imported};
use crate::account::Account;
use crate::otp::{Kind, Otp};
use crate::secret::Secret;

const NAME: &str = "FreeOTP+";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Token {
    #[serde(default)]
    pub(super) algo: Option<String>,
    #[serde(default)]
    pub(super) counter: u64,
    #[serde(default)]
    pub(super) digits: Option<u8>,
    #[serde(default)]
    pub(super) issuer_ext: String,
    #[serde(default)]
    pub(super) label: String,
    #[serde(default)]
    pub(super) period: Option<u32>,
    /// Absent in a FreeOTP 2 backup's token (it is encrypted beside it).
    #[serde(default)]
    pub(super) secret: Zeroizing<Vec<i16>>,
    #[serde(rename = "type")]
    pub(super) kind: String,
}

pub fn detect(value: &Value) -> bool {
    value.get("tokens").is_some_and(Value::is_array) && value.get("tokenOrder").is_some()
}

pub fn read(value: &Value) -> Result<Imported, FormatError> {
    let tokens: Vec<Token> = WipedJson::decode(&value["tokens"]).map_err(|_| FormatError::Damaged(NAME))?;
    Ok(Imported::from_entries(&tokens, |t| (&t.issuer_ext, &t.label), |t| account(t)))
}

pub(super) fn account(t: &Token) -> Result<Account, EntryProblem> {
    // Java bytes are signed: -19 is 0xED.
    let bytes = t.secret.iter().map(|b| *b as u8).collect();
    let secret = Secret::from_bytes(bytes)?;
    let algorithm = super::algorithm(t.algo.as_deref())?;
    let is_steam = t.issuer_ext.eq_ignore_ascii_case("steam");
    let kind = match t.kind.to_ascii_uppercase().as_str() {
        "HOTP" => Kind::Hotp { counter: t.counter },
        _ if is_steam => Kind::Steam,
        _ => Kind::Totp { period: t.period.unwrap_or(Otp::DEFAULT_PERIOD) },
    };
    let otp = Otp::new(secret, algorithm, t.digits.unwrap_or(Otp::DEFAULT_DIGITS), kind)?;
    Ok(Account::new(t.issuer_ext.trim(), t.label.trim(), otp, 0))
}
