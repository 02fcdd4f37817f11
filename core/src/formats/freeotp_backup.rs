//! FreeOTP 2 backups (`externalBackup.xml`, in fact a Java-serialised
//! `HashMap` of strings): `masterKey` is a random AES key encrypted
//! (AES-GCM) under a PBKDF2 key (HMAC-SHA1 or -SHA512) from the backup
//! password; each token is a pair, `<uuid>` holding its secret encrypted
//! (AES-GCM) under the master key and `<uuid>-token` its FreeOTP token JSON
//! without the secret. GCM's additional data is the key's `mToken` (the
//! key's algorithm name). Lost: images and the token order (the map has none).

use serde::Deserialize;
use zeroize::Zeroizing;

use super::freeotp_plus::{self, Token};
use super::java_serial::{self, JavaError};
use super::{crypto, EntryProblem, FormatError, Imported};
use crate::account::Account;

const NAME: &str = "FreeOTP (backup)";
const MASTER: &str = "masterKey";
const GCM: &str = "AES/GCM/NoPadding";
/// FreeOTP derives with 100,000 rounds; ten times that is the most a file
/// may ask for (as for andOTP's backups).
const MAX_ROUNDS: u32 = 1_000_000;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MasterKey {
    #[serde(rename = "mAlgorithm")]
    algorithm: String,
    #[serde(rename = "mEncryptedKey")]
    encrypted_key: Sealed,
    #[serde(rename = "mIterations")]
    iterations: u32,
    #[serde(rename = "mSalt")]
    salt: Vec<i16>,
}

/// An AES-GCM ciphertext as FreeOTP's `EncryptedKey` keeps it: signed
/// bytes, the cipher's DER parameters (nonce and tag length), and the
/// algorithm name it binds as additional data.
#[derive(Deserialize)]
struct Sealed {
    #[serde(rename = "mCipher")]
    cipher: String,
    #[serde(rename = "mCipherText")]
    ciphertext: Vec<i16>,
    #[serde(rename = "mParameters")]
    parameters: Vec<i16>,
    #[serde(rename = "mToken")]
    token: String,
}

impl Sealed {
    fn open(&self, key: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        if self.cipher != GCM {
            return None;
        }
        let nonce = gcm_nonce(&unsigned(&self.parameters))?;
        crypto::open_with_aad(key, &nonce, &unsigned(&self.ciphertext), self.token.as_bytes())
    }
}

/// A token's secret: `{"key": "<Sealed as JSON text>"}`.
#[derive(Deserialize)]
struct SecretEntry {
    key: Zeroizing<String>,
}

fn unsigned(signed: &[i16]) -> Vec<u8> {
    signed.iter().map(|b| *b as u8).collect()
}

/// The nonce from the cipher's DER parameters: SEQUENCE { OCTET STRING
/// nonce, INTEGER tag length in bytes (16) } (newer Android), or the bare
/// OCTET STRING (Android 6, where the tag is 16 bytes). Only those shapes
/// are read.
fn gcm_nonce(der: &[u8]) -> Option<Vec<u8>> {
    let octets = |der: &[u8]| -> Option<(Vec<u8>, usize)> {
        let (&[0x04, n], rest) = der.split_first_chunk::<2>()? else { return None };
        Some((rest.get(..usize::from(n))?.to_vec(), 2 + usize::from(n)))
    };
    if let Some((nonce, used)) = octets(der) {
        return (used == der.len()).then_some(nonce);
    }
    let (&[0x30, len], rest) = der.split_first_chunk::<2>()? else { return None };
    if usize::from(len) != rest.len() {
        return None;
    }
    let (nonce, used) = octets(rest)?;
    match rest.get(used..)? {
        [] | [0x02, 0x01, 0x10] => Some(nonce),
        _ => None,
    }
}

/// Java serialisation's magic and version: no other export starts so.
pub fn detect(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xac, 0xed, 0x00, 0x05])
}

/// `Ok(None)` when the stream is Java serialisation but no string map.
pub fn read(bytes: &[u8], password: Option<&str>) -> Result<Option<Imported>, FormatError> {
    let map = match java_serial::read_string_map(bytes) {
        Ok(map) => map,
        Err(JavaError::NotJava | JavaError::NotAMap) => return Ok(None),
        Err(JavaError::Damaged) => return Err(FormatError::Damaged(NAME)),
        Err(JavaError::TooMany) => return Err(FormatError::TooComplex),
    };
    let value = |key: &str| map.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let master: MasterKey = serde_json::from_str(value(MASTER).ok_or(FormatError::Damaged(NAME))?)
        .map_err(|_| FormatError::Damaged(NAME))?;
    let password = password.ok_or(FormatError::NeedsPassphrase(NAME))?;
    if master.iterations > MAX_ROUNDS {
        return Err(FormatError::TooCostly(NAME));
    }
    if master.iterations == 0 {
        return Err(FormatError::Damaged(NAME));
    }
    let salt = unsigned(&master.salt);
    let wrapping = match master.algorithm.as_str() {
        "PBKDF2withHmacSHA1" => crypto::pbkdf2_sha1(password, &salt, master.iterations),
        "PBKDF2withHmacSHA512" => crypto::pbkdf2_sha512(password, &salt, master.iterations),
        _ => return Err(FormatError::Damaged(NAME)),
    };
    let master_key = master.encrypted_key.open(wrapping.as_ref()).ok_or(FormatError::WrongPassphrase)?;
    let tokens: Vec<(&str, Option<&str>)> = map
        .iter()
        .filter(|(k, _)| k != MASTER && !k.ends_with("-token"))
        .map(|(k, v)| (v.as_str(), value(&format!("{k}-token"))))
        .collect();
    let described: Vec<(Option<Token>, &str, Option<&str>)> = tokens
        .iter()
        .map(|(secret, token)| (token.and_then(|t| serde_json::from_str::<Token>(t).ok()), *secret, *token))
        .collect();
    Ok(Some(Imported::from_entries(
        &described,
        |(token, _, _)| token.as_ref().map_or(("", ""), |t| (t.issuer_ext.as_str(), t.label.as_str())),
        |(token, secret, _)| account(token.as_ref(), secret, &master_key),
    )))
}

fn account(token: Option<&Token>, secret: &str, master_key: &[u8]) -> Result<Account, EntryProblem> {
    let token = token.ok_or(EntryProblem::Damaged)?;
    let entry: SecretEntry = serde_json::from_str(secret).map_err(|_| EntryProblem::Damaged)?;
    let sealed: Sealed = serde_json::from_str(&entry.key).map_err(|_| EntryProblem::Damaged)?;
    let plain = sealed.open(master_key).ok_or(EntryProblem::Undecryptable)?;
    // The key's own algorithm ("HmacSHA256") stands in for a token JSON
    // without one; when both are there they must agree.
    let key_algorithm = sealed.token.strip_prefix("Hmac");
    let algo = match (token.algo.as_deref(), key_algorithm) {
        (Some(a), Some(k)) if !a.eq_ignore_ascii_case(k) => return Err(EntryProblem::Algorithm),
        (Some(a), _) => Some(a),
        (None, k) => k,
    };
    let with_secret = Token {
        algo: algo.map(str::to_owned),
        counter: token.counter,
        digits: token.digits,
        issuer_ext: token.issuer_ext.clone(),
        label: token.label.clone(),
        period: token.period,
        secret: Zeroizing::new(plain.iter().map(|b| i16::from(*b as i8)).collect()),
        kind: token.kind.clone(),
    };
    freeotp_plus::account(&with_secret)
}
