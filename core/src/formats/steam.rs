//! Steam Desktop Authenticator and steamguard-cli folders: a
//! `manifest.json` listing one `.maFile` per account. A maFile alone is
//! read by [`super::read`] (see `small.rs`); the manifest alone only names
//! the files it needs ([`manifest_files`]), so [`read_folder`] takes the
//! manifest and the files beside it.
//!
//! Encrypted folders (SDA's scheme, which steamguard-cli also writes as
//! `LegacySdaCompatible`): each maFile is base64 of AES-256-CBC (PKCS#7)
//! ciphertext under PBKDF2-HMAC-SHA1(passphrase, salt, 50,000 rounds), with
//! the salt and IV of each entry in the manifest. steamguard-cli's newer
//! Argon2id scheme is named, not read. Lost: revocation codes and the
//! confirmation keys (not needed for sign-in codes).

use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, KeyIvInit};
use base64::Engine;
use serde_json::Value;
use zeroize::Zeroizing;

use super::wiped_json::WipedJson;
use super::{EntryProblem, FormatError, Imported, Unsupported};
use crate::account::Account;
use crate::otp::Otp;
use crate::secret::Secret;

pub const NAME: &str = "Steam Desktop Authenticator";

/// SDA's PBKDF2 rounds: fixed by the format, not read from the file.
const ROUNDS: u32 = 50_000;

/// The most entries a manifest may list: far more than anyone's accounts.
const MAX_ENTRIES: usize = 1_000;

/// The most encrypted entries read: each costs a key derivation (about
/// 10 ms), so a crafted manifest cannot ask for minutes.
const MAX_ENCRYPTED: usize = 200;

/// A manifest: `entries` naming maFiles.
pub fn is_manifest(v: &Value) -> bool {
    v["entries"].as_array().is_some_and(|e| {
        e.iter().any(|x| x["filename"].is_string())
            || e.is_empty() && (v.get("first_run").is_some() || v.get("keyring_id").is_some())
    })
}

/// The maFiles a manifest names, to say which are needed beside it.
pub fn manifest_files(bytes: &[u8]) -> Option<Vec<String>> {
    let v: Value = serde_json::from_slice(bytes).ok()?;
    is_manifest(&v)
        .then(|| entries(&v).iter().filter_map(|e| e["filename"].as_str()).map(file_name).collect())
}

fn entries(v: &Value) -> &[Value] {
    v["entries"].as_array().map(Vec::as_slice).unwrap_or_default()
}

/// The last part of a path as the manifest or a picker gives it: only a
/// name is ever compared, never opened.
fn file_name(path: &str) -> String {
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_owned()
}

/// Reads the accounts of a folder: `files` are its files by name (a
/// `manifest.json` among them), as the window or the CLI read them. A maFile
/// the manifest names but `files` lacks is a named skip.
pub fn read_folder(files: &[(&str, &[u8])], passphrase: Option<&str>) -> Result<Imported, FormatError> {
    let find =
        |name: &str| files.iter().find(|(n, _)| file_name(n).eq_ignore_ascii_case(name)).map(|(_, b)| *b);
    let manifest = find("manifest.json").ok_or(FormatError::Unrecognized)?;
    super::wiped_json::check_size(manifest)?;
    let manifest: Value = serde_json::from_slice(manifest).map_err(|_| FormatError::Damaged(NAME))?;
    if !is_manifest(&manifest) {
        return Err(FormatError::Damaged(NAME));
    }
    let entries = entries(&manifest);
    if entries.len() > MAX_ENTRIES {
        return Err(FormatError::TooComplex);
    }
    let sda_encrypted = manifest["encrypted"] == true;
    let encrypted = |e: &Value| sda_encrypted || e["encryption"].is_object();
    if entries.iter().any(|e| encrypted(e) && !matches!(scheme(e), Some(Scheme::Sda))) {
        return Err(FormatError::Unsupported(Unsupported::SteamguardEncrypted));
    }
    let any_encrypted = entries.iter().any(encrypted);
    let passphrase = match (any_encrypted, passphrase) {
        (true, None) => return Err(FormatError::NeedsPassphrase(NAME)),
        (_, p) => p,
    };
    if entries.iter().filter(|e| encrypted(e)).count() > MAX_ENCRYPTED {
        return Err(FormatError::TooCostly(NAME));
    }
    let read_entry = |e: &Value| -> Result<Account, EntryProblem> {
        let name = e["filename"].as_str().map(file_name).unwrap_or_default();
        let bytes = find(&name).ok_or(EntryProblem::FileMissing)?;
        let json = match (encrypted(e), passphrase) {
            (true, Some(p)) => decrypt(e, bytes, p).ok_or(EntryProblem::FileUnreadable)?,
            _ => Zeroizing::new(bytes.to_vec()),
        };
        let v = WipedJson::parse(&json).map_err(|_| EntryProblem::FileUnreadable)?;
        mafile_account(&v)
    };
    let mut results: Vec<(String, Result<Account, EntryProblem>)> = Vec::with_capacity(entries.len());
    let mut proven = false;
    for e in entries {
        let result = read_entry(e);
        // The first encrypted file there is proves the passphrase or not:
        // a wrong one costs one key derivation, not one per entry.
        if encrypted(e) && !proven && !matches!(result, Err(EntryProblem::FileMissing)) {
            if matches!(result, Err(EntryProblem::FileUnreadable)) {
                return Err(FormatError::WrongPassphrase);
            }
            proven = true;
        }
        results.push((label(e), result));
    }
    Ok(Imported::from_entries(results, |(l, _)| ("Steam", l.as_str()), |(_, r)| r.clone()))
}

fn label(e: &Value) -> String {
    e["account_name"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| e["filename"].as_str().map(file_name).unwrap_or_default())
}

enum Scheme {
    Sda,
    Other,
}

/// How an entry is encrypted: SDA's keys sit on the entry itself,
/// steamguard-cli's in an `encryption` object naming its scheme.
fn scheme(e: &Value) -> Option<Scheme> {
    if e["encryption_iv"].is_string() {
        return Some(Scheme::Sda);
    }
    match e["encryption"]["scheme"].as_str() {
        Some("LegacySdaCompatible") => Some(Scheme::Sda),
        Some(_) => Some(Scheme::Other),
        // steamguard-cli wrote no scheme before it had a second one.
        None if e["encryption"]["iv"].is_string() => Some(Scheme::Sda),
        None => None,
    }
}

fn decrypt(e: &Value, file: &[u8], passphrase: &str) -> Option<Zeroizing<Vec<u8>>> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let field = |sda: &str, cli: &str| e[sda].as_str().or_else(|| e["encryption"][cli].as_str());
    let salt = b64.decode(field("encryption_salt", "salt")?).ok()?;
    let iv: [u8; 16] = b64.decode(field("encryption_iv", "iv")?).ok()?.try_into().ok()?;
    let text = std::str::from_utf8(file).ok()?;
    let mut data = Zeroizing::new(b64.decode(text.trim()).ok()?);
    let key = super::crypto::pbkdf2_sha1(passphrase, &salt, ROUNDS);
    let decryptor = cbc::Decryptor::<aes::Aes256>::new(key.as_ref().into(), &iv.into());
    let plain = decryptor.decrypt_padded_mut::<Pkcs7>(&mut data).ok()?;
    Some(Zeroizing::new(plain.to_vec()))
}

/// One maFile's account: `shared_secret` in base64 is the key.
pub(crate) fn mafile_account(v: &Value) -> Result<Account, EntryProblem> {
    let bytes = v["shared_secret"]
        .as_str()
        .and_then(|s| base64::engine::general_purpose::STANDARD.decode(s.trim()).ok())
        .ok_or(EntryProblem::SecretNotBase64)?;
    let name = v["account_name"].as_str().unwrap_or_default();
    Ok(Account::new("Steam", name.trim(), Otp::steam(Secret::from_bytes(bytes)?), 0))
}
