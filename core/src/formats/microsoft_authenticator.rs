//! Microsoft Authenticator's internal database (`PhoneFactor` in the app's
//! data, from a rooted phone): table `accounts`, with `name` (the issuer),
//! `username`, `oath_secret_key` and `account_type`. Type 0 is a third-party
//! TOTP account (base32, SHA1, 6 digits, 30 s); type 1 a personal Microsoft
//! account, whose key is base64 and whose codes have 8 digits. Other types
//! (work accounts that only approve sign-ins) have no codes and are named as
//! skipped. Lost: the app's ordering, and everything about sign-in approval.

use base64::Engine;

use super::sqlite::{Database, Row};
use super::{EntryProblem, FormatError, Imported};
use crate::account::Account;
use crate::otp::{Algorithm, Kind, Otp};
use crate::secret::Secret;

const NAME: &str = "Microsoft Authenticator";
const TABLE: &str = "accounts";
const COLUMNS: &[&str] = &["name", "username", "oath_secret_key", "account_type"];

pub fn detect(db: &Database) -> Result<bool, FormatError> {
    db.has(TABLE, &["oath_secret_key", "account_type"])
}

pub fn read(db: &Database) -> Result<Imported, FormatError> {
    let rows = db.table(TABLE, COLUMNS, NAME)?;
    Ok(Imported::from_entries(rows, names, convert))
}

fn names(row: &Row) -> (&str, &str) {
    let text = |i: usize| row[i].text().ok().flatten().unwrap_or_default().trim();
    (text(0), text(1))
}

fn convert(row: &Row) -> Result<Account, EntryProblem> {
    row[0].text()?;
    row[1].text()?;
    let secret = row[2].text()?.unwrap_or_default();
    let (secret, digits) = match row[3].integer()? {
        Some(0) => (Secret::from_base32(secret)?, 6),
        Some(1) => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(secret.trim())
                .map_err(|_| EntryProblem::SecretNotBase64)?;
            (Secret::from_bytes(bytes)?, 8)
        }
        _ => return Err(EntryProblem::UnsupportedType),
    };
    let (issuer, name) = names(row);
    let otp = Otp::new(secret, Algorithm::Sha1, digits, Kind::Totp { period: 30 })?;
    Ok(Account::new(issuer, name, otp, 0))
}
