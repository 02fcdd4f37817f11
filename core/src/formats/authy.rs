//! Authy's token settings (`com.authy.storage.tokens.authenticator.xml`
//! and `….authy.xml` from the app's data): an Android `<map>` whose `.key`
//! string is a JSON list of tokens. A third-party token's secret is base32,
//! either plain (`decryptedSecret`) or encrypted with the backup password
//! (`encryptedSecret`: PBKDF2-HMAC-SHA1 over the token's `salt` text, 1,000
//! rounds, AES-256-CBC with a zero IV). Authy's own tokens (`secretSeed`,
//! hex) run at 10 s. Authy shows every token as SHA1 and 30 s whatever the
//! site set up, so that is how they come in. Lost: logos.

use serde::Deserialize;
use zeroize::Zeroizing;

use super::android_prefs::{Kind as PrefKind, Pref};
use super::wiped_json::WipedJson;
use super::{crypto, EntryProblem, FormatError, Imported};
use crate::account::Account;
use crate::otp::{Algorithm, Kind, Otp};
use crate::secret::Secret;

const NAME: &str = "Authy";
/// Authy's fixed cost per encrypted token.
const ROUNDS: u32 = 1_000;
/// Each encrypted token is its own key derivation: more than any real
/// list holds would be seconds of work for a wrong password.
const MAX_ENCRYPTED: usize = 2_000;
/// Authy's own tokens change every 10 s.
const AUTHY_PERIOD: u32 = 10;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Token {
    #[serde(default)]
    account_type: String,
    #[serde(default)]
    digits: Option<u8>,
    #[serde(default)]
    decrypted_secret: Option<Zeroizing<String>>,
    #[serde(default)]
    encrypted_secret: Option<String>,
    #[serde(default)]
    salt: Option<String>,
    #[serde(default)]
    secret_seed: Option<Zeroizing<String>>,
    #[serde(default)]
    original_issuer: Option<String>,
    #[serde(default)]
    original_name: Option<String>,
    #[serde(default)]
    name: String,
}

fn is_token_list(name: &str) -> bool {
    name.starts_with("com.authy.storage.tokens.") && name.ends_with(".key")
}

pub fn detect(prefs: &[Pref]) -> bool {
    prefs.iter().any(|p| p.kind == PrefKind::String && is_token_list(&p.name))
}

fn tokens(prefs: &[Pref]) -> Result<Vec<Token>, FormatError> {
    let mut all = Vec::new();
    for pref in prefs.iter().filter(|p| p.kind == PrefKind::String && is_token_list(&p.name)) {
        let json = WipedJson::parse(pref.value.as_bytes()).map_err(|e| e.damaged(NAME))?;
        let list: Vec<Token> = WipedJson::decode(&json).map_err(|_| FormatError::Damaged(NAME))?;
        all.extend(list);
    }
    Ok(all)
}

fn encrypted(t: &Token) -> bool {
    t.decrypted_secret.is_none() && t.secret_seed.is_none() && t.encrypted_secret.is_some()
}

pub fn read(prefs: &[Pref], password: Option<&str>) -> Result<Imported, FormatError> {
    let mut tokens = tokens(prefs)?;
    let locked = tokens.iter().filter(|t| encrypted(t)).count();
    if locked > 0 {
        let password = password.ok_or(FormatError::NeedsPassphrase(NAME))?;
        if locked > MAX_ENCRYPTED {
            return Err(FormatError::TooCostly(NAME));
        }
        let mut opened = 0;
        for token in tokens.iter_mut().filter(|t| encrypted(t)) {
            token.decrypted_secret = decrypt(token, password);
            opened += usize::from(token.decrypted_secret.is_some());
        }
        // One password locks every token: when none opens, it is wrong.
        if opened == 0 {
            return Err(FormatError::WrongPassphrase);
        }
    }
    let names: Vec<(String, String)> = tokens.iter().map(names).collect();
    let entries: Vec<(&Token, &(String, String))> = tokens.iter().zip(&names).collect();
    Ok(Imported::from_entries(
        &entries,
        |(_, (i, n))| (i.as_str(), n.as_str()),
        |(t, (i, n))| account(t, i, n),
    ))
}

/// The base32 text of an encrypted secret; `None` unless the password
/// opened it (the padding verifies and the text is base32).
fn decrypt(t: &Token, password: &str) -> Option<Zeroizing<String>> {
    use base64::Engine;
    let sealed = base64::engine::general_purpose::STANDARD.decode(t.encrypted_secret.as_deref()?).ok()?;
    let key = crypto::pbkdf2_sha1(password, t.salt.as_deref()?.as_bytes(), ROUNDS);
    let plain = crypto::cbc_decrypt(&key, &[0; 16], &sealed)?;
    let text = Zeroizing::new(String::from_utf8(plain.to_vec()).ok()?);
    Secret::from_base32(&text).ok()?;
    Some(text)
}

/// Authy names a token "Issuer: name" (or "Issuer - name") beside the
/// issuer the site gave; the account's name is what follows the issuer.
fn names(t: &Token) -> (String, String) {
    if t.secret_seed.is_some() {
        return (t.name.trim().to_owned(), String::new());
    }
    let (issuer, separator) = if let Some(issuer) = t.original_issuer.as_deref().filter(|i| !i.is_empty()) {
        (issuer.to_owned(), "")
    } else if let Some((issuer, _)) = t.original_name.as_deref().and_then(|n| n.split_once(':')) {
        (issuer.to_owned(), ":")
    } else if let Some((issuer, _)) = t.name.split_once(" - ") {
        (issuer.to_owned(), " - ")
    } else {
        (capitalised(&t.account_type), "")
    };
    let mut name = t.name.as_str();
    if let Some(rest) = name.strip_prefix(issuer.as_str()) {
        name = rest.strip_prefix(separator).unwrap_or(rest);
    }
    let name = name.strip_prefix(':').or_else(|| name.strip_prefix(" - ")).unwrap_or(name);
    (issuer.trim().to_owned(), name.trim().to_owned())
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn account(t: &Token, issuer: &str, name: &str) -> Result<Account, EntryProblem> {
    let digits = t.digits.ok_or(EntryProblem::Damaged)?;
    let (secret, period) = if let Some(seed) = &t.secret_seed {
        let bytes =
            data_encoding::HEXLOWER_PERMISSIVE.decode(seed.as_bytes()).map_err(|_| EntryProblem::Damaged)?;
        (Secret::from_bytes(bytes)?, AUTHY_PERIOD)
    } else if let Some(text) = &t.decrypted_secret {
        (Secret::from_base32(text)?, Otp::DEFAULT_PERIOD)
    } else if t.encrypted_secret.is_some() {
        return Err(EntryProblem::Undecryptable);
    } else {
        return Err(EntryProblem::Damaged);
    };
    let otp = Otp::new(secret, Algorithm::Sha1, digits, Kind::Totp { period })?;
    Ok(Account::new(issuer, name, otp, 0))
}
