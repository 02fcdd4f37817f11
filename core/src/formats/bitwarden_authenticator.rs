//! Bitwarden Authenticator (the separate app, not the password manager):
//! its unencrypted JSON export, `{"encrypted": false, "items": [...]}`
//! shaped like Bitwarden's but without folders or collections. Each item's
//! `login.totp` is an otpauth link or `steam://SECRET`; newer versions
//! repeat the issuer, period and digits beside it.
//!
//! The app builds the link's label as `issuer:accountName` (or the issuer
//! alone) HTML-escaped before percent-encoding (`&` becomes `&amp;`, `'`
//! `&#39;`), and always adds the issuer as a parameter: the name is what
//! follows the issuer in the unescaped label. Lost: favourites. The
//! password-protected export is not read.

use percent_encoding::percent_decode_str;
use serde_json::Value;

use super::{EntryProblem, FormatError, Imported};
use crate::account::Account;
use crate::otp::{Kind, Otp};
use crate::secret::Secret;
use crate::uri::{strip_prefix_ignore_case, OtpauthUri, UriError};

const NAME: &str = "Bitwarden Authenticator";

/// Bitwarden's shape without the password manager's `folders` (personal)
/// or `collections` (organisation), which its exports always carry, and
/// with no login that has a username or password.
pub fn detect(value: &Value) -> bool {
    let logins_only_codes = value["items"].as_array().is_some_and(|items| {
        items.iter().all(|i| i["login"].get("username").is_none() && i["login"].get("password").is_none())
    });
    logins_only_codes
        && value.get("encrypted").is_some()
        && value.get("folders").is_none()
        && value.get("collections").is_none()
}

pub fn read(value: &Value) -> Result<Imported, FormatError> {
    if value["encrypted"] == true {
        return Err(FormatError::Unsupported(super::Unsupported::BitwardenAccountRestricted));
    }
    let items = value["items"].as_array().ok_or(FormatError::Damaged(NAME))?;
    Ok(Imported::from_entries(
        items.iter().filter(|item| item["login"]["totp"].is_string()),
        |item| (item["name"].as_str().unwrap_or_default(), ""),
        |item| account(item),
    ))
}

fn account(item: &Value) -> Result<Account, EntryProblem> {
    let login = &item["login"];
    let totp = login["totp"].as_str().unwrap_or_default().trim();
    let title = item["name"].as_str().unwrap_or_default().trim();
    if let Some(key) = strip_prefix_ignore_case(totp, "steam://") {
        return Ok(Account::new(title, "", Otp::steam(Secret::from_base32(key)?), 0));
    }
    if !totp.contains("://") {
        // A bare key, as Bitwarden's own exports may hold (this shape is
        // theirs too when no folder exists): the defaults, labelled by the item.
        let kind = Kind::Totp { period: Otp::DEFAULT_PERIOD };
        let otp =
            Otp::new(Secret::from_base32(totp)?, crate::otp::Algorithm::Sha1, Otp::DEFAULT_DIGITS, kind)?;
        return Ok(Account::new(title, "", otp, 0));
    }
    let uri = OtpauthUri::parse(totp)?;
    // Newer exports repeat these beside the link: a disagreement cannot be
    // settled, so the entry is refused rather than guessed.
    let (period, digits) = match uri.otp.kind {
        Kind::Totp { period } => (Some(u64::from(period)), uri.otp.digits),
        _ => (None, uri.otp.digits),
    };
    if login["digits"].as_u64().is_some_and(|d| d != u64::from(digits)) {
        return Err(UriError::Ambiguous("digits").into());
    }
    if login["period"].as_u64().is_some_and(|p| Some(p) != period) {
        return Err(UriError::Ambiguous("period").into());
    }
    let name = account_name(totp, &uri.issuer).unwrap_or_else(|| uri.name.clone());
    let issuer = if uri.issuer.is_empty() { title.to_owned() } else { uri.issuer.clone() };
    Ok(Account::new(issuer, name.trim(), uri.otp, 0))
}

/// The account name from the app's label: unescaped, after `issuer:`;
/// empty when the label is the issuer alone. `None` when the label is not
/// one the app builds (the parser's reading is kept).
fn account_name(link: &str, issuer: &str) -> Option<String> {
    let rest = link.split_once("://")?.1;
    let path = rest.split('?').next()?;
    let label = path.split_once('/')?.1;
    let label = html_unescape(&percent_decode_str(label).decode_utf8().ok()?);
    if label == issuer {
        return Some(String::new());
    }
    label.strip_prefix(issuer)?.strip_prefix(':').map(str::to_owned)
}

/// Undoes Android's `TextUtils.htmlEncode` (`&lt; &gt; &amp; &#39; &quot;`),
/// and numeric references generally; anything else is kept as written.
fn html_unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let c = match &rest[1..end] {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                n => n.strip_prefix('#').and_then(|n| n.parse::<u32>().ok()).and_then(char::from_u32)?,
            };
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_references() {
        assert_eq!(html_unescape("AT&amp;T &lt;o&#39;brien&gt; &quot;x&quot;"), "AT&T <o'brien> \"x\"");
        assert_eq!(html_unescape("a & b &unknown; &#xZZ; &"), "a & b &unknown; &#xZZ; &");
        assert_eq!(html_unescape("&#128512;"), "\u{1f600}");
    }
}
