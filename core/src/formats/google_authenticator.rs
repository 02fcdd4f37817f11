//! Google Authenticator's internal database (`databases` in the app's data,
//! from a rooted phone or an old backup): table `accounts`, with `email`
//! (the label, often "Issuer:name"), `secret` (base32), `type` (0 TOTP,
//! 1 HOTP), `counter` and `issuer`. The app only ever made SHA1, 6-digit,
//! 30-second codes, so the table has no columns for them: those are exact,
//! not guesses. Lost: nothing the app kept (its `provider` and original
//! name are no settings of the codes).

use super::sqlite::{Database, Row};
use super::{EntryProblem, FormatError, Imported};
use crate::account::Account;
use crate::otp::{Algorithm, Kind, Otp};
use crate::secret::Secret;

const NAME: &str = "Google Authenticator";
const TABLE: &str = "accounts";
const COLUMNS: &[&str] = &["email", "secret", "type", "counter", "issuer"];

pub fn detect(db: &Database) -> Result<bool, FormatError> {
    db.has(TABLE, &["email", "secret", "type"])
}

pub fn read(db: &Database) -> Result<Imported, FormatError> {
    let rows = db.table(TABLE, COLUMNS, NAME)?;
    Ok(Imported::from_entries(rows, names, convert))
}

/// Issuer and name as the app shows them: the label's "Issuer:" prefix is
/// the issuer when the row has none of its own.
fn names(row: &Row) -> (&str, &str) {
    let email = row[0].text().ok().flatten().unwrap_or_default();
    let issuer = row[4].text().ok().flatten().unwrap_or_default().trim();
    match email.split_once(':') {
        Some((prefix, name)) if !name.contains(':') => {
            (if issuer.is_empty() { prefix.trim() } else { issuer }, name.trim())
        }
        _ => (issuer, email.trim()),
    }
}

fn convert(row: &Row) -> Result<Account, EntryProblem> {
    // Every column is read first, so a wrong type anywhere is named.
    let secret = row[1].text()?.unwrap_or_default();
    let kind = row[2].integer()?;
    let counter = row[3].integer()?.unwrap_or(0);
    row[0].text()?;
    row[4].text()?;
    let kind = match kind {
        Some(0) => Kind::Totp { period: 30 },
        Some(1) => Kind::Hotp { counter: u64::try_from(counter).map_err(|_| EntryProblem::Damaged)? },
        _ => return Err(EntryProblem::UnsupportedType),
    };
    let (issuer, name) = names(row);
    let otp = Otp::new(Secret::from_base32(secret)?, Algorithm::Sha1, 6, kind)?;
    Ok(Account::new(issuer, name, otp, 0))
}
