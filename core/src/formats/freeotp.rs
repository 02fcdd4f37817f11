//! FreeOTP 1's token file (`shared_prefs/tokens.xml`, also what FreeOTP+
//! keeps internally): an Android settings `<map>` with one JSON string per
//! token, named "issuer:label", and `tokenOrder` listing them. The JSON is
//! FreeOTP+'s export token (secret as signed bytes; an HOTP counter as the
//! last one used, imported as stored). Accounts come in the app's order.
//! Lost: images.

use super::android_prefs::{self, Kind, Pref};
use super::freeotp_plus::{self, Token};
use super::{EntryProblem, FormatError, Imported};

const NAME: &str = "FreeOTP (XML)";
const ORDER: &str = "tokenOrder";

pub fn detect(prefs: &[Pref]) -> bool {
    android_prefs::string(prefs, ORDER).is_some()
}

pub fn read(prefs: &[Pref]) -> Result<Imported, FormatError> {
    let order: Vec<String> = serde_json::from_str(android_prefs::string(prefs, ORDER).unwrap_or("[]"))
        .map_err(|_| FormatError::Damaged(NAME))?;
    let mut tokens: Vec<&Pref> = prefs.iter().filter(|p| p.kind == Kind::String && p.name != ORDER).collect();
    // The listed order first, then any token the list forgot, as in the file.
    tokens.sort_by_key(|p| order.iter().position(|o| *o == p.name).unwrap_or(usize::MAX));
    let entries: Vec<(&str, Option<Token>)> =
        tokens.iter().map(|p| (p.name.as_str(), serde_json::from_str::<Token>(&p.value).ok())).collect();
    Ok(Imported::from_entries(
        &entries,
        |(key, token)| match token {
            Some(t) => (t.issuer_ext.as_str(), t.label.as_str()),
            None => key.split_once(':').unwrap_or(("", key)),
        },
        |(_, token)| token.as_ref().map_or(Err(EntryProblem::Damaged), freeotp_plus::account),
    ))
}
