//! Stratum (Authenticator Pro) encrypted backups (`.authpro`), both
//! generations; the plaintext is the plain Stratum JSON (see `small.rs`,
//! which says what it loses). Spec: Stratum's `Backup/Encryption`
//! sources, as Aegis's importer reads them.
//! - Current: `AUTHENTICATORPRO`, a 16-byte salt, a 12-byte IV, then
//!   AES-256-GCM (tag last) under Argon2id (64 MiB, 3 passes, 4 lanes).
//! - Legacy: `AuthenticatorPro`, a 20-byte salt, a 16-byte IV, then
//!   AES-256-CBC (PKCS#7) under PBKDF2-HMAC-SHA1 (64,000 rounds).
//!
//! The costs are fixed by the format, not read from the file, so no file
//! can ask for more work than Stratum itself does.

use super::wiped_json::WipedJson;
use super::{crypto, FormatError, Imported};

const NAME: &str = "Stratum";
const CURRENT: &[u8; 16] = b"AUTHENTICATORPRO";
const LEGACY: &[u8; 16] = b"AuthenticatorPro";

pub fn detect(bytes: &[u8]) -> bool {
    bytes.starts_with(CURRENT) || bytes.starts_with(LEGACY)
}

pub fn read(bytes: &[u8], password: Option<&str>) -> Result<Imported, FormatError> {
    let password = password.ok_or(FormatError::NeedsPassphrase(NAME))?;
    let plain = if let Some(rest) = bytes.strip_prefix(CURRENT) {
        // Salt, IV and at least a tag: anything shorter was cut off.
        if rest.len() < 16 + 12 + 16 {
            return Err(FormatError::Damaged(NAME));
        }
        let (salt, rest) = rest.split_at(16);
        let (iv, sealed) = rest.split_at(12);
        let key =
            crypto::argon2id(password.as_bytes(), salt, 64 * 1024, 3, 4).ok_or(FormatError::Internal)?;
        // GCM cannot tell a wrong key from damaged data; a whole file that
        // fails to open is far more likely a wrong passphrase.
        crypto::open(&key, iv, sealed).ok_or(FormatError::WrongPassphrase)?
    } else if let Some(rest) = bytes.strip_prefix(LEGACY) {
        if rest.len() < 20 + 16 + 16 || (rest.len() - 36) % 16 != 0 {
            return Err(FormatError::Damaged(NAME));
        }
        let (salt, rest) = rest.split_at(20);
        let (iv, ciphertext) = rest.split_at(16);
        let key = crypto::pbkdf2_sha1(password, salt, 64_000);
        // CBC has no tag: bad padding is almost always a wrong key, and a
        // wrong key that happens to pad well gives bytes that are no JSON.
        crypto::cbc_decrypt(&key, iv, ciphertext).ok_or(FormatError::WrongPassphrase)?
    } else {
        return Err(FormatError::Unrecognized);
    };
    let json = match WipedJson::parse(&plain) {
        Ok(json) => json,
        Err(super::wiped_json::ParseError::TooComplex) => return Err(FormatError::TooComplex),
        // Legacy only: garbage from a wrong key whose padding happened to fit.
        Err(super::wiped_json::ParseError::NotJson) if bytes.starts_with(LEGACY) => {
            return Err(FormatError::WrongPassphrase)
        }
        Err(e) => return Err(e.damaged(NAME)),
    };
    if !super::small::is_stratum(&json) {
        return Err(FormatError::Damaged(NAME));
    }
    super::small::stratum(&json)
}
