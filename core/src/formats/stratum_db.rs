//! Stratum's (Authenticator Pro's) internal database (`proauth.db3`, from a
//! rooted phone): table `authenticator`, with the plain backup's fields as
//! columns (see `small.rs`, which converts both alike). Lost: icons,
//! categories and ranking.

use super::small::StratumEntry;
use super::sqlite::{Database, Row};
use super::{EntryProblem, FormatError, Imported};
use crate::account::Account;

const NAME: &str = "Stratum";
const TABLE: &str = "authenticator";
const COLUMNS: &[&str] =
    &["type", "issuer", "username", "secret", "algorithm", "digits", "period", "counter"];

pub fn detect(db: &Database) -> Result<bool, FormatError> {
    db.has(TABLE, &["type", "secret", "algorithm"])
}

pub fn read(db: &Database) -> Result<Imported, FormatError> {
    let rows = db.table(TABLE, COLUMNS, NAME)?;
    Ok(Imported::from_entries(rows, names, convert))
}

fn names(row: &Row) -> (&str, &str) {
    let text = |i: usize| row[i].text().ok().flatten().unwrap_or_default();
    (text(1), text(2))
}

fn convert(row: &Row) -> Result<Account, EntryProblem> {
    // A negative number is damage, as text where a number belongs is.
    let number = |i: usize| -> Result<Option<u64>, EntryProblem> {
        row[i].integer()?.map(|n| u64::try_from(n).map_err(|_| EntryProblem::Damaged)).transpose()
    };
    StratumEntry {
        kind: number(0)?,
        issuer: row[1].text()?.unwrap_or_default(),
        name: row[2].text()?.unwrap_or_default(),
        secret: row[3].text()?.unwrap_or_default(),
        algorithm: number(4)?,
        digits: number(5)?,
        period: number(6)?,
        counter: number(7)?,
    }
    .account()
}
