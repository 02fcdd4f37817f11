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

pub fn pbkdf2_sha512(password: &str, salt: &[u8], rounds: u32) -> Zeroizing<[u8; 32]> {
    let mut key = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<sha2::Sha512>(password.as_bytes(), salt, rounds, key.as_mut());
    key
}

/// AES-256-GCM with additional data, as Java's `Cipher.updateAAD` adds it.
pub fn open_with_aad(key: &[u8], nonce: &[u8], sealed: &[u8], aad: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    use aes_gcm::aead::Payload;
    if nonce.len() != 12 {
        return None;
    }
    let cipher = Aes256Gcm::new_from_slice(key).ok()?;
    cipher.decrypt(Nonce::from_slice(nonce), Payload { msg: sealed, aad }).ok().map(Zeroizing::new)
}

/// Argon2id (v1.3) with a 32-byte output; `None` for parameters the crate
/// refuses (the callers cap the cost before).
pub fn argon2id(
    password: &[u8],
    salt: &[u8],
    memory_kib: u32,
    passes: u32,
    lanes: u32,
) -> Option<Zeroizing<[u8; 32]>> {
    let params = argon2::Params::new(memory_kib, passes, lanes, Some(32)).ok()?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon.hash_password_into(password, salt, key.as_mut()).ok()?;
    Some(key)
}

/// AES-256-CBC with PKCS#7 padding; `None` when the padding is wrong (a
/// wrong key, almost always) or the length is not whole blocks.
pub fn cbc_decrypt(key: &[u8; 32], iv: &[u8], ciphertext: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    use cbc::cipher::{block_padding::Pkcs7, BlockDecryptMut, KeyIvInit};
    let iv: &[u8; 16] = iv.try_into().ok()?;
    let decryptor = cbc::Decryptor::<aes::Aes256>::new(key.into(), iv.into());
    decryptor.decrypt_padded_vec_mut::<Pkcs7>(ciphertext).ok().map(Zeroizing::new)
}
