//! Key derivation and AES-GCM as other apps' encrypted exports use them.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use zeroize::Zeroizing;

pub fn pbkdf2_sha256(password: &str, salt: &[u8], rounds: u32) -> Zeroizing<[u8; 32]> {
    let mut key = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password.as_bytes(), salt, rounds, key.as_mut());
    key
}

pub fn pbkdf2_sha1(password: &str, salt: &[u8], rounds: u32) -> Zeroizing<[u8; 32]> {
    let mut key = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password.as_bytes(), salt, rounds, key.as_mut());
    key
}

/// AES-256-GCM over `ciphertext ‖ tag`; `None` when the tag does not verify.
pub fn open(key: &[u8; 32], nonce: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if nonce.len() != 12 {
        return None;
    }
    Aes256Gcm::new(key.into()).decrypt(Nonce::from_slice(nonce), sealed).ok().map(Zeroizing::new)
}
