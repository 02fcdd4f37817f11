//! The two kinds of file in a sync folder (`docs/sync-format.md`).
//!
//! ```text
//! folder key  "TWOFOLD-SYNC-KEY\n" | version u16 | Argon2id memory KiB u32
//!             | iterations u32 | parallelism u32 | salt [16] | key check [16]
//!             | checksum [8] = SHA-256(all of the above)[..8]
//! device file "TWOFOLD-SYNC\n" | version u16 | device id u64 | key check [16]
//!             | nonce [24] | XChaCha20-Poly1305(deflate(JSON payload))
//! ```
//! Integers are little-endian. A device file's header (with the nonce) is
//! the AEAD's associated data, so neither its device id nor anything after it can be
//! changed unnoticed. Reading is bounded: files over [`MAX_FILE_BYTES`],
//! payloads inflating past [`MAX_PAYLOAD_BYTES`] and Argon2 costs no
//! Twofold writes are refused before the work.

use std::io::Read;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::bytes::Reader;
use crate::replica::{DeviceId, State};
use crate::vault::crypto::{self, KdfParams, VaultKey, CHECK_LEN, NONCE_LEN, SALT_LEN};

const KEY_MAGIC: &[u8; 17] = b"TWOFOLD-SYNC-KEY\n";
const DEVICE_MAGIC: &[u8; 13] = b"TWOFOLD-SYNC\n";
/// Bumped on any incompatible change; a higher one is named, not read.
pub const VERSION: u16 = 1;
pub const MAX_FILE_BYTES: usize = crate::fs::MAX_IMPORT_BYTES;
pub const MAX_PAYLOAD_BYTES: u64 = 256 << 20;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("not a Twofold sync file, or damaged")]
    Damaged,
    #[error("written by a newer Twofold (sync format {0}): update Twofold on this computer")]
    Newer(u16),
    #[error("made with another sync passphrase or folder key (turn sync off and on again on that computer)")]
    OtherKey,
    #[error("its contents do not verify: damaged, cut short, or changed")]
    Unverified,
    #[error("its contents are larger than any sync file Twofold writes")]
    TooLarge,
}

/// The key every computer derives from the sync passphrase.
pub struct SyncKey(VaultKey);

impl SyncKey {
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        VaultKey::from_bytes(bytes).map(Self)
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    fn check(&self) -> [u8; CHECK_LEN] {
        self.0.check_value()
    }
}

/// The folder's salt and cost, and a check that tells a wrong passphrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderKey {
    kdf: KdfParams,
    salt: [u8; SALT_LEN],
    check: [u8; CHECK_LEN],
}

impl FolderKey {
    /// A new folder key for `passphrase`, and the key it gives.
    pub fn create(passphrase: &str) -> Result<(Self, SyncKey), FileError> {
        let salt = crypto::random_bytes().map_err(|_| FileError::Damaged)?;
        let key = derive(passphrase, &salt, KdfParams::DEFAULT)?;
        Ok((Self { kdf: KdfParams::DEFAULT, salt, check: key.check() }, key))
    }

    /// The key `passphrase` gives, if it is this folder's.
    pub fn unlock(&self, passphrase: &str) -> Result<SyncKey, FileError> {
        let key = derive(passphrase, &self.salt, self.kdf)?;
        if key.check() != self.check {
            return Err(FileError::OtherKey);
        }
        Ok(key)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(KEY_MAGIC.len() + 2 + 12 + SALT_LEN + CHECK_LEN + 8);
        out.extend_from_slice(KEY_MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&self.kdf.memory_kib.to_le_bytes());
        out.extend_from_slice(&self.kdf.iterations.to_le_bytes());
        out.extend_from_slice(&self.kdf.parallelism.to_le_bytes());
        out.extend_from_slice(&self.salt);
        out.extend_from_slice(&self.check);
        let checksum = Sha256::digest(&out);
        out.extend_from_slice(&checksum[..8]);
        out
    }

    pub fn parse(bytes: &[u8]) -> Result<Self, FileError> {
        let mut r = Reader::new(bytes, FileError::Damaged);
        if r.take(KEY_MAGIC.len())? != KEY_MAGIC {
            return Err(FileError::Damaged);
        }
        version(u16::from_le_bytes(r.array()?))?;
        let kdf = KdfParams {
            memory_kib: u32::from_le_bytes(r.array()?),
            iterations: u32::from_le_bytes(r.array()?),
            parallelism: u32::from_le_bytes(r.array()?),
        };
        let (salt, check) = (r.array()?, r.array()?);
        let checked = r.pos();
        if r.take(8)? != &Sha256::digest(&bytes[..checked])[..8] || r.pos() != bytes.len() || !kdf.is_sane() {
            return Err(FileError::Damaged);
        }
        Ok(Self { kdf, salt, check })
    }
}

fn derive(passphrase: &str, salt: &[u8], kdf: KdfParams) -> Result<SyncKey, FileError> {
    crypto::derive_key(passphrase, salt, kdf).map(SyncKey).map_err(|_| FileError::Damaged)
}

fn version(v: u16) -> Result<(), FileError> {
    match v {
        0 => Err(FileError::Damaged),
        v if v > VERSION => Err(FileError::Newer(v)),
        _ => Ok(()),
    }
}

/// What a computer's file says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payload {
    /// The computer's name, as the person gave it.
    pub name: String,
    /// When it was written, by the writer's clock (Unix milliseconds).
    pub written_ms: u64,
    pub state: State,
}

/// A device file's bytes.
pub fn seal(device: DeviceId, key: &SyncKey, payload: &Payload) -> Result<Vec<u8>, FileError> {
    let json = Zeroizing::new(serde_json::to_vec(payload).map_err(|_| FileError::Damaged)?);
    let mut deflated = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut deflated, &json).map_err(|_| FileError::Damaged)?;
    let deflated = Zeroizing::new(deflated.finish().map_err(|_| FileError::Damaged)?);
    let mut out = header(device, key);
    let nonce: [u8; NONCE_LEN] = crypto::random_bytes().map_err(|_| FileError::Damaged)?;
    out.extend_from_slice(&nonce);
    let ciphertext = crypto::seal(&key.0, &nonce, &out, &deflated);
    out.extend_from_slice(&ciphertext);
    Ok(out)
}

fn header(device: DeviceId, key: &SyncKey) -> Vec<u8> {
    let mut out = Vec::with_capacity(DEVICE_MAGIC.len() + 2 + 8 + CHECK_LEN + NONCE_LEN);
    out.extend_from_slice(DEVICE_MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&device.0.to_le_bytes());
    out.extend_from_slice(&key.check());
    out
}

/// Reads a device file: its device id (from the authenticated header) and
/// payload.
pub fn open(bytes: &[u8], key: &SyncKey) -> Result<(DeviceId, Payload), FileError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileError::TooLarge);
    }
    let mut r = Reader::new(bytes, FileError::Damaged);
    if r.take(DEVICE_MAGIC.len())? != DEVICE_MAGIC {
        return Err(FileError::Damaged);
    }
    version(u16::from_le_bytes(r.array()?))?;
    let device = DeviceId(u64::from_le_bytes(r.array()?));
    let check: [u8; CHECK_LEN] = r.array()?;
    if check != key.check() {
        return Err(FileError::OtherKey);
    }
    let nonce: [u8; NONCE_LEN] = r.array()?;
    let aad = &bytes[..r.pos()];
    let deflated = crypto::open(&key.0, &nonce, aad, &bytes[r.pos()..]).ok_or(FileError::Unverified)?;
    let mut json = Zeroizing::new(Vec::new());
    flate2::read::DeflateDecoder::new(&deflated[..])
        .take(MAX_PAYLOAD_BYTES + 1)
        .read_to_end(&mut json)
        .map_err(|_| FileError::Damaged)?;
    if json.len() as u64 > MAX_PAYLOAD_BYTES {
        return Err(FileError::TooLarge);
    }
    let payload = serde_json::from_slice(&json).map_err(|_| FileError::Damaged)?;
    Ok((device, payload))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SyncKey {
        SyncKey::from_bytes(&[7; 32]).expect("key")
    }

    fn file() -> Vec<u8> {
        let payload = Payload { name: "office".into(), written_ms: 5, state: State::default() };
        seal(DeviceId(9), &key(), &payload).expect("seals")
    }

    #[test]
    fn a_file_reads_back_and_every_cut_or_flip_is_named() {
        let bytes = file();
        let (device, payload) = open(&bytes, &key()).expect("opens");
        assert_eq!((device, payload.name.as_str()), (DeviceId(9), "office"));
        for len in 0..bytes.len() {
            assert!(open(&bytes[..len], &key()).is_err(), "cut at {len}");
        }
        for i in 0..bytes.len() {
            let mut copy = bytes.clone();
            copy[i] ^= 0x10;
            assert!(open(&copy, &key()).is_err(), "flip at {i}");
        }
        let other = SyncKey::from_bytes(&[8; 32]).expect("key");
        assert_eq!(open(&bytes, &other).err(), Some(FileError::OtherKey));
        let mut newer = bytes.clone();
        newer[13] = 2;
        assert_eq!(open(&newer, &key()).err(), Some(FileError::Newer(2)));
    }

    #[test]
    fn the_folder_key_tells_a_wrong_passphrase() {
        let (folder, key) = FolderKey::create("a sync passphrase").expect("creates");
        let read = FolderKey::parse(&folder.to_bytes()).expect("parses");
        assert_eq!(read.unlock("a sync passphrase").expect("unlocks").as_bytes(), key.as_bytes());
        assert_eq!(read.unlock("another passphrase").err(), Some(FileError::OtherKey));
        let bytes = folder.to_bytes();
        for i in 0..bytes.len() {
            let mut copy = bytes.clone();
            copy[i] ^= 0x01;
            assert!(FolderKey::parse(&copy).is_err(), "flip at {i}");
        }
    }
}
