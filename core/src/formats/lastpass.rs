//! LastPass Authenticator's JSON export (versions 1 and 3 seen):
//! `accounts` with `issuerName`/`userName` (as the person renamed them) and
//! `originalIssuerName`/`originalUserName` (as the service set them),
//! `secret` in base32, `timeStep`, `digits` and `algorithm`; `folders`
//! named by each account's `folderData.folderId`, which become tags.
//! LastPass makes only TOTP codes. Lost: favourites, order, the device
//! fields and LastPass's own push accounts (which have no secret to move).

use serde_json::Value;

use super::{EntryProblem, FormatError, Imported};
use crate::account::{clean_tags, Account};
use crate::otp::{Kind, Otp, OtpError};
use crate::secret::Secret;

const NAME: &str = "LastPass Authenticator";

/// An `accounts` list whose entries have LastPass's own field names.
pub fn detect(value: &Value) -> bool {
    value["accounts"].as_array().is_some_and(|a| {
        a.first().is_some_and(|x| {
            x.get("issuerName").is_some()
                || x.get("originalIssuerName").is_some()
                || x.get("timeStep").is_some() && x.get("secret").is_some()
        })
    })
}

pub fn read(value: &Value) -> Result<Imported, FormatError> {
    let accounts = value["accounts"].as_array().ok_or(FormatError::Damaged(NAME))?;
    let folders = value["folders"].as_array().map(Vec::as_slice).unwrap_or_default();
    Ok(Imported::from_entries(accounts, names, |a| account(a, folders)))
}

/// The person's names where given, else the service's.
fn names<'a>(a: &'a &Value) -> (&'a str, &'a str) {
    let either = |mine: &str, original: &str| {
        a[mine]
            .as_str()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .or_else(|| a[original].as_str().map(str::trim))
    };
    (
        either("issuerName", "originalIssuerName").unwrap_or_default(),
        either("userName", "originalUserName").unwrap_or_default(),
    )
}

fn account(a: &Value, folders: &[Value]) -> Result<Account, EntryProblem> {
    let secret = Secret::from_base32(a["secret"].as_str().unwrap_or_default())?;
    let algorithm = super::algorithm(a["algorithm"].as_str())?;
    if !(a["algorithm"].is_null() || a["algorithm"].is_string()) {
        return Err(EntryProblem::Algorithm);
    }
    // Absent means LastPass's (and everyone's) default; any other type
    // than a whole number is not a value Twofold can trust.
    let number = |field: &str, default: u32, problem: OtpError| match &a[field] {
        Value::Null => Ok(default),
        v => v.as_u64().and_then(|n| u32::try_from(n).ok()).ok_or(EntryProblem::Otp(problem)),
    };
    let period = number("timeStep", Otp::DEFAULT_PERIOD, OtpError::Period)?;
    let digits = number("digits", u32::from(Otp::DEFAULT_DIGITS), OtpError::Digits)?;
    let digits = u8::try_from(digits).map_err(|_| EntryProblem::Otp(OtpError::Digits))?;
    let otp = Otp::new(secret, algorithm, digits, Kind::Totp { period })?;
    let (issuer, name) = names(&a);
    let mut account = Account::new(issuer, name, otp, 0);
    let folder = &a["folderData"]["folderId"];
    let named = folders.iter().find(|f| !folder.is_null() && same_id(&f["id"], folder));
    let tags: Vec<String> = named.and_then(|f| f["name"].as_str()).map(str::to_owned).into_iter().collect();
    account.tags = clean_tags(&tags);
    Ok(account)
}

/// Folder ids are numbers in some versions and strings in others.
fn same_id(a: &Value, b: &Value) -> bool {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    text(a).is_some_and(|a| Some(a) == text(b))
}
