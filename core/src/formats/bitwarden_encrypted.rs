//! Bitwarden password-protected JSON exports (`"encrypted": true,
//! "passwordProtected": true`), from the password manager's exporter
//! (Bitwarden's sdk `exporters/src/encrypted_json.rs`). The plaintext is a
//! plain Bitwarden export, read by `bitwarden.rs` (which says what it loses).
//!
//! The key: PBKDF2-HMAC-SHA256 (kdfType 0) or Argon2id (kdfType 1, memory
//! in MiB, over the SHA-256 of the salt) of the passphrase, with the
//! salt's base64 *text* as salt; stretched by HKDF-Expand(SHA-256) into an
//! encryption key (info "enc") and a MAC key (info "mac"). The known UUID in
//! `encKeyValidation_DO_NOT_EDIT` and `data` are EncStrings of type 2:
//! `2.iv|ciphertext|mac`, AES-256-CBC with HMAC-SHA256 over iv ‖ ciphertext.
//!
//! An account-restricted export (`encrypted` without `passwordProtected`)
//! is encrypted with the Bitwarden account's own key, which no passphrase
//! gives: it is named, so the person can export again with a file password.

use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::wiped_json::WipedJson;
use super::{crypto, FormatError, Imported, Unsupported};

const NAME: &str = "Bitwarden";

/// Bitwarden's own upper bound for PBKDF2 (its default is 600,000): about a
/// second here. Files asking for more are no Bitwarden export.
const MAX_PBKDF2_ROUNDS: u64 = 2_000_000;
/// Argon2id: at most Twofold's vault's own bounds (256 MiB, and 4× its
/// default work, memory × passes ≤ 1 GiB); Bitwarden's default is 64 MiB ×
/// 3 passes × 4 lanes. Bitwarden allows up to 1 GiB, which is refused.
const MAX_ARGON2_MIB: u64 = 256;
const MAX_ARGON2_MIB_PASSES: u64 = 1024;
const MAX_ARGON2_LANES: u64 = 16;

/// An encrypted Bitwarden export of either kind.
pub fn detect(value: &Value) -> bool {
    value["encrypted"].as_bool() == Some(true)
        && (value.get("passwordProtected").is_some()
            || value.get("encKeyValidation_DO_NOT_EDIT").is_some()
            || value["items"].is_array())
}

pub fn read(value: &Value, password: Option<&str>) -> Result<Imported, FormatError> {
    if value["passwordProtected"].as_bool() != Some(true) {
        return Err(FormatError::Unsupported(Unsupported::BitwardenAccountRestricted));
    }
    let salt = value["salt"].as_str().filter(|s| !s.is_empty()).ok_or(FormatError::Damaged(NAME))?;
    let kdf = Kdf::from_file(value)?;
    let (Some(validation), Some(data)) =
        (EncString::parse(&value["encKeyValidation_DO_NOT_EDIT"]), EncString::parse(&value["data"]))
    else {
        return Err(FormatError::Damaged(NAME));
    };
    let password = password.ok_or(FormatError::NeedsPassphrase(NAME))?;
    let keys = kdf.derive(password, salt).ok_or(FormatError::Internal)?;
    // The validation string opens only with the right key: a wrong MAC
    // there is a wrong passphrase, one on the data a damaged file.
    validation.open(&keys).ok_or(FormatError::WrongPassphrase)?;
    let plain = data.open(&keys).ok_or(FormatError::Damaged(NAME))?;
    let json = WipedJson::parse(&plain).map_err(|e| e.damaged(NAME))?;
    if !super::bitwarden::detect(&json) || json["encrypted"].as_bool() != Some(false) {
        return Err(FormatError::Damaged(NAME));
    }
    super::bitwarden::read(&json)
}

enum Kdf {
    Pbkdf2 { rounds: u32 },
    Argon2id { memory_mib: u32, passes: u32, lanes: u32 },
}

impl Kdf {
    /// The file's KDF, refused before any work if it asks for more than a
    /// real export does.
    fn from_file(value: &Value) -> Result<Kdf, FormatError> {
        let number = |key: &str| value[key].as_u64().ok_or(FormatError::Damaged(NAME));
        let small = |n: u64| u32::try_from(n).map_err(|_| FormatError::TooCostly(NAME));
        match number("kdfType")? {
            0 => {
                let rounds = number("kdfIterations")?;
                if rounds > MAX_PBKDF2_ROUNDS {
                    return Err(FormatError::TooCostly(NAME));
                }
                if rounds == 0 {
                    return Err(FormatError::Damaged(NAME));
                }
                Ok(Kdf::Pbkdf2 { rounds: small(rounds)? })
            }
            1 => {
                let (passes, memory, lanes) =
                    (number("kdfIterations")?, number("kdfMemory")?, number("kdfParallelism")?);
                if memory > MAX_ARGON2_MIB
                    || memory.saturating_mul(passes) > MAX_ARGON2_MIB_PASSES
                    || lanes > MAX_ARGON2_LANES
                {
                    return Err(FormatError::TooCostly(NAME));
                }
                if passes == 0 || memory == 0 || lanes == 0 {
                    return Err(FormatError::Damaged(NAME));
                }
                Ok(Kdf::Argon2id { memory_mib: small(memory)?, passes: small(passes)?, lanes: small(lanes)? })
            }
            _ => Err(FormatError::Damaged(NAME)),
        }
    }

    fn derive(&self, password: &str, salt: &str) -> Option<Keys> {
        let master = match *self {
            Kdf::Pbkdf2 { rounds } => crypto::pbkdf2_sha256(password, salt.as_bytes(), rounds),
            Kdf::Argon2id { memory_mib, passes, lanes } => {
                let salt = Sha256::digest(salt.as_bytes());
                crypto::argon2id(password.as_bytes(), &salt, memory_mib * 1024, passes, lanes)?
            }
        };
        let hkdf = hkdf::Hkdf::<Sha256>::from_prk(master.as_ref()).ok()?;
        let mut keys = Keys { enc: Zeroizing::new([0; 32]), mac: Zeroizing::new([0; 32]) };
        hkdf.expand(b"enc", keys.enc.as_mut()).ok()?;
        hkdf.expand(b"mac", keys.mac.as_mut()).ok()?;
        Some(keys)
    }
}

struct Keys {
    enc: Zeroizing<[u8; 32]>,
    mac: Zeroizing<[u8; 32]>,
}

/// A type-2 EncString: `2.iv|ciphertext|mac`, each base64.
struct EncString {
    iv: Vec<u8>,
    ciphertext: Vec<u8>,
    mac: Vec<u8>,
}

impl EncString {
    fn parse(value: &Value) -> Option<EncString> {
        let b64 = base64::engine::general_purpose::STANDARD;
        let mut parts = value.as_str()?.strip_prefix("2.")?.split('|');
        let (iv, ciphertext, mac) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let parsed = EncString {
            iv: b64.decode(iv).ok()?,
            ciphertext: b64.decode(ciphertext).ok()?,
            mac: b64.decode(mac).ok()?,
        };
        (parsed.iv.len() == 16 && parsed.mac.len() == 32).then_some(parsed)
    }

    /// The plaintext, or `None` when the MAC does not verify (checked in
    /// constant time, before anything is decrypted).
    fn open(&self, keys: &Keys) -> Option<Zeroizing<Vec<u8>>> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(keys.mac.as_ref()).ok()?;
        mac.update(&self.iv);
        mac.update(&self.ciphertext);
        mac.verify_slice(&self.mac).ok()?;
        crypto::cbc_decrypt(&keys.enc, &self.iv, &self.ciphertext)
    }
}
