//! Byte layout of the vault file (documented in docs/vault-format.md).
//!
//! ```text
//! magic "TWOFOLD\n" | version u16 | protection u8 | vault id [16] | key check [16]
//! | (passphrase only: memory KiB u32 | iterations u32 | parallelism u32 | salt [16])
//! | header checksum [8] = SHA-256(all of the above)[..8]
//! | nonce [24] | XChaCha20-Poly1305 ciphertext + tag
//! ```
//! Integers are little-endian. Everything before the ciphertext is the AEAD's
//! associated data, so no header byte can be changed without detection; the
//! checksum additionally spots damage before the keychain is asked for a key.

use sha2::{Digest, Sha256};

use super::crypto::{KdfParams, CHECK_LEN, NONCE_LEN, SALT_LEN};
use crate::bytes::Reader;

pub const MAGIC: &[u8; 8] = b"TWOFOLD\n";
/// Bumped on any incompatible change. There is one version so far; a file
/// with a higher one is refused as written by a newer Twofold.
pub const FORMAT_VERSION: u16 = 1;
const CHECKSUM_LEN: usize = 8;
const TAG_LEN: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Protection {
    /// The key is a random value in the OS keychain.
    Keychain,
    /// The key is derived from a passphrase with Argon2id.
    Passphrase { kdf: KdfParams, salt: [u8; SALT_LEN] },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub vault_id: [u8; 16],
    pub key_check: [u8; CHECK_LEN],
    pub protection: Protection,
}

/// A parsed file: the header and the parts the AEAD needs.
pub struct Sealed<'a> {
    pub header: Header,
    pub aad: &'a [u8],
    pub nonce: [u8; NONCE_LEN],
    pub ciphertext: &'a [u8],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayoutError {
    /// Not a vault, truncated, or damaged.
    Damaged,
    /// Written by a newer Twofold.
    NewerVersion(u16),
}

impl Header {
    /// Header bytes up to and including the checksum.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(96);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        match &self.protection {
            Protection::Keychain => out.push(1),
            Protection::Passphrase { .. } => out.push(2),
        }
        out.extend_from_slice(&self.vault_id);
        out.extend_from_slice(&self.key_check);
        if let Protection::Passphrase { kdf, salt } = &self.protection {
            out.extend_from_slice(&kdf.memory_kib.to_le_bytes());
            out.extend_from_slice(&kdf.iterations.to_le_bytes());
            out.extend_from_slice(&kdf.parallelism.to_le_bytes());
            out.extend_from_slice(salt);
        }
        let checksum = Sha256::digest(&out);
        out.extend_from_slice(&checksum[..CHECKSUM_LEN]);
        out
    }
}

pub fn parse(bytes: &[u8]) -> Result<Sealed<'_>, LayoutError> {
    let mut r = Reader::new(bytes, LayoutError::Damaged);
    if r.take(MAGIC.len())? != MAGIC {
        return Err(LayoutError::Damaged);
    }
    let version = u16::from_le_bytes(r.array()?);
    if version > FORMAT_VERSION {
        return Err(LayoutError::NewerVersion(version));
    }
    if version == 0 {
        return Err(LayoutError::Damaged);
    }
    let kind = r.take(1)?[0];
    let vault_id = r.array()?;
    let key_check = r.array()?;
    let protection = match kind {
        1 => Protection::Keychain,
        2 => {
            let kdf = KdfParams {
                memory_kib: u32::from_le_bytes(r.array()?),
                iterations: u32::from_le_bytes(r.array()?),
                parallelism: u32::from_le_bytes(r.array()?),
            };
            Protection::Passphrase { kdf, salt: r.array()? }
        }
        _ => return Err(LayoutError::Damaged),
    };
    let checked = r.pos();
    let checksum = r.take(CHECKSUM_LEN)?;
    if Sha256::digest(&bytes[..checked])[..CHECKSUM_LEN] != *checksum {
        return Err(LayoutError::Damaged);
    }
    let nonce = r.array()?;
    let aad = &bytes[..r.pos()];
    let ciphertext = &bytes[r.pos()..];
    if ciphertext.len() < TAG_LEN {
        return Err(LayoutError::Damaged);
    }
    Ok(Sealed { header: Header { vault_id, key_check, protection }, aad, nonce, ciphertext })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(protection: Protection) -> Vec<u8> {
        let header = Header { vault_id: [7; 16], key_check: [9; 16], protection };
        let mut bytes = header.to_bytes();
        bytes.extend_from_slice(&[1; NONCE_LEN]);
        bytes.extend_from_slice(&[2; 40]);
        bytes
    }

    #[test]
    fn round_trips_both_protections() {
        let passphrase = Protection::Passphrase { kdf: KdfParams::DEFAULT, salt: [3; SALT_LEN] };
        for protection in [Protection::Keychain, passphrase] {
            let bytes = file(protection.clone());
            let sealed = parse(&bytes).expect("parses");
            assert_eq!(sealed.header.protection, protection);
            assert_eq!(sealed.nonce, [1; NONCE_LEN]);
            assert_eq!(sealed.ciphertext, &[2; 40]);
        }
    }

    #[test]
    fn any_flipped_header_byte_is_damage() {
        let bytes = file(Protection::Keychain);
        let header_len = Header { vault_id: [0; 16], key_check: [0; 16], protection: Protection::Keychain }
            .to_bytes()
            .len();
        for i in 0..header_len {
            let mut copy = bytes.clone();
            copy[i] ^= 0x01;
            assert!(parse(&copy).is_err(), "flip at {i} went unnoticed");
        }
    }

    #[test]
    fn truncation_is_damage_not_a_panic() {
        let bytes = file(Protection::Keychain);
        for len in 0..bytes.len() - 39 {
            assert!(matches!(parse(&bytes[..len]), Err(LayoutError::Damaged)), "length {len}");
        }
    }

    #[test]
    fn newer_versions_are_named() {
        let mut bytes = file(Protection::Keychain);
        bytes[8] = 9;
        assert_eq!(parse(&bytes).err(), Some(LayoutError::NewerVersion(9)));
    }
}
