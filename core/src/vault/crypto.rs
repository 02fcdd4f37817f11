//! The vault's cryptography: a random 256-bit key (kept in the keychain) or
//! one derived from a passphrase with Argon2id, and XChaCha20-Poly1305.

use argon2::{Argon2, Params};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use zeroize::Zeroizing;

pub const KEY_LEN: usize = 32;
pub const NONCE_LEN: usize = 24;
pub const SALT_LEN: usize = 16;
pub const CHECK_LEN: usize = 16;

/// The vault's symmetric key.
pub struct VaultKey(Zeroizing<[u8; KEY_LEN]>);

impl VaultKey {
    pub fn random() -> Result<Self, getrandom::Error> {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        getrandom::fill(key.as_mut())?;
        Ok(Self(key))
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let array: [u8; KEY_LEN] = bytes.try_into().ok()?;
        Some(Self(Zeroizing::new(array)))
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_ref()
    }

    /// A value stored in the header that tells a wrong key (or passphrase)
    /// apart from a damaged file without trying to decrypt.
    pub fn check_value(&self) -> [u8; CHECK_LEN] {
        let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(self.as_bytes())
            .expect("HMAC accepts a 32-byte key");
        mac.update(b"twofold vault key check v1");
        let full = mac.finalize().into_bytes();
        let mut out = [0u8; CHECK_LEN];
        out.copy_from_slice(&full[..CHECK_LEN]);
        out
    }
}

impl std::fmt::Debug for VaultKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VaultKey(<redacted>)")
    }
}

/// Argon2id cost, stored in the vault header so it can be raised later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl KdfParams {
    /// OWASP's first Argon2id recommendation is 19 MiB × 2; we spend more
    /// (64 MiB × 3, about a quarter second here) since it runs only at unlock.
    pub const DEFAULT: Self = Self { memory_kib: 64 * 1024, iterations: 3, parallelism: 1 };

    /// Refuses parameters no Twofold writes, so a hostile file cannot make
    /// unlocking allocate more than 256 MiB or run for more than about a
    /// second (four times the default's work: memory × passes ≤ 1 GiB).
    pub fn is_sane(&self) -> bool {
        (8 * 1024..=256 * 1024).contains(&self.memory_kib)
            && (1..=16).contains(&self.iterations)
            && (1..=8).contains(&self.parallelism)
            && u64::from(self.memory_kib) * u64::from(self.iterations) <= 1024 * 1024
    }
}

pub fn derive_key(passphrase: &str, salt: &[u8], params: KdfParams) -> Result<VaultKey, argon2::Error> {
    let params = Params::new(params.memory_kib, params.iterations, params.parallelism, Some(KEY_LEN))?;
    let argon = Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    argon.hash_password_into(passphrase.as_bytes(), salt, key.as_mut())?;
    Ok(VaultKey(key))
}

pub fn random_bytes<const N: usize>() -> Result<[u8; N], getrandom::Error> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out)?;
    Ok(out)
}

pub fn seal(key: &VaultKey, nonce: &[u8; NONCE_LEN], aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new(key.as_bytes().into());
    cipher
        .encrypt(XNonce::from_slice(nonce), Payload { msg: plaintext, aad })
        .expect("XChaCha20-Poly1305 encrypts any length a vault can have")
}

/// `None` when the tag does not verify: wrong key or damaged data.
pub fn open(
    key: &VaultKey,
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    ciphertext: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    let cipher = XChaCha20Poly1305::new(key.as_bytes().into());
    cipher.decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad }).ok().map(Zeroizing::new)
}

#[cfg(test)]
mod tests {
    use super::KdfParams;

    #[test]
    fn the_default_is_sane_and_costly_headers_are_not() {
        assert!(KdfParams::DEFAULT.is_sane());
        let costly = [
            // What the bound allowed before: 1 GiB, 32 passes (over a minute).
            KdfParams { memory_kib: 1024 * 1024, iterations: 32, parallelism: 16 },
            KdfParams { memory_kib: 512 * 1024, iterations: 1, parallelism: 1 },
            KdfParams { memory_kib: 256 * 1024, iterations: 8, parallelism: 1 },
            KdfParams { memory_kib: 64 * 1024, iterations: 3, parallelism: 64 },
            KdfParams { memory_kib: 1024, iterations: 3, parallelism: 1 },
        ];
        for kdf in costly {
            assert!(!kdf.is_sane(), "{kdf:?}");
        }
        assert!(KdfParams { memory_kib: 256 * 1024, iterations: 4, parallelism: 4 }.is_sane());
    }
}
