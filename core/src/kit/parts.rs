//! The kit's payload and its QR parts (`docs/kit-format.md`).
//!
//! The payload is every account as Twofold's plain Aegis JSON (the transfer
//! bundle's contents, so nothing a bundle keeps is lost), deflated, then
//! sealed with AES-256-GCM under a key scrypt derives from the passphrase
//! (the bundle's cost, N=2^16, r=8, p=1). Deflating first matters on
//! paper: the JSON shrinks to about a third, and so does the number of
//! codes to photograph. One seal over the whole payload, rather than one
//! per part, keeps the parts small and lets a wrong passphrase be told
//! apart from a damaged page (each part carries its own checksum).
//!
//! Each part is one QR code's text, in QR's alphanumeric alphabet only
//! (upper-case base32 and `:`/`/`), which packs 5.5 bits a character where
//! byte mode packs 8 per byte of base64's 6 bits:
//! `TWOFOLD-KIT:1:<kit id>:<part>/<total>:<checksum>:<data>`.

use std::io::{Read, Write};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::{KitError, PartError};
use crate::account::Account;
use crate::formats::{self, aegis, Format};

/// What every part's text starts with (what [`crate::enroll::Payload`]
/// recognises).
pub const PREFIX: &str = "TWOFOLD-KIT:";
/// The part format this code writes and reads.
pub const VERSION: u32 = 1;
/// Payload characters in one part: with its header, a part fits a QR code
/// of version 20 at error correction M (970 alphanumeric characters), a
/// code of 97 modules that a phone photo of a printed page reads.
pub const PART_DATA_CHARS: usize = 920;
/// The most parts a kit may have (about 5,000 accounts): a crafted code
/// cannot make the assembler wait for millions.
pub const MAX_PARTS: u32 = 999;
/// The longest text a QR code can hold (version 40, alphanumeric, EC L).
const MAX_PART_TEXT: usize = 4296;
/// The most a payload may inflate to: far above any real vault.
const MAX_PLAIN_BYTES: u64 = 32 << 20;
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 12;
/// The payload's own format byte, then scrypt's log2 N.
const PAYLOAD_VERSION: u8 = 1;
/// scrypt costs read from a payload are capped (2^18 at r=8 is 256 MiB).
const MAX_LOG_N: u8 = 18;
const SCRYPT_R: u32 = 8;
const SCRYPT_P: u32 = 1;
const ID_CHARS: usize = 8;

/// A kit's random id: eight base32 characters (40 bits), on every part, so
/// parts of two kits never mix.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct KitId(String);

impl KitId {
    pub fn random() -> Result<KitId, KitError> {
        let mut bytes = [0u8; 5];
        getrandom::fill(&mut bytes).map_err(|_| KitError::Random)?;
        Ok(KitId(data_encoding::BASE32_NOPAD.encode(&bytes)))
    }

    fn parse(text: &str) -> Option<KitId> {
        let valid = text.len() == ID_CHARS && text.bytes().all(|b| matches!(b, b'A'..=b'Z' | b'2'..=b'7'));
        valid.then(|| KitId(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for KitId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One part, as read from a QR code (checked against its checksum).
#[derive(Clone, PartialEq, Eq)]
pub struct Part {
    pub kit: KitId,
    /// 1-based.
    pub number: u32,
    pub total: u32,
    /// Base32 characters of the sealed payload.
    data: String,
}

/// Never the data (ciphertext, but there is no need to print it).
impl std::fmt::Debug for Part {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Part")
            .field("kit", &self.kit)
            .field("number", &self.number)
            .field("total", &self.total)
            .finish()
    }
}

impl Part {
    /// Whether `text` claims to be a kit part (then [`Part::parse`] says
    /// whether it is a good one).
    pub fn is_kit(text: &str) -> bool {
        let head = text.trim_start().get(..PREFIX.len());
        head.is_some_and(|h| h.eq_ignore_ascii_case(PREFIX))
    }

    /// Reads one part's text; bounded (never more than a QR code holds) and
    /// never panics.
    pub fn parse(text: &str) -> Result<Part, PartError> {
        let text = text.trim();
        if text.len() > MAX_PART_TEXT {
            return Err(PartError::Malformed);
        }
        if !Part::is_kit(text) {
            return Err(PartError::NotAKitPart);
        }
        let rest = text.get(PREFIX.len()..).ok_or(PartError::Malformed)?;
        let mut fields = rest.splitn(5, ':');
        let version = fields.next().and_then(|v| v.parse::<u32>().ok()).ok_or(PartError::Malformed)?;
        if version != VERSION {
            return Err(PartError::UnsupportedVersion(version));
        }
        let (Some(id), Some(position), Some(checksum), Some(data)) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            return Err(PartError::Malformed);
        };
        let kit = KitId::parse(id).ok_or(PartError::Malformed)?;
        let (number, total) = position.split_once('/').ok_or(PartError::Malformed)?;
        let number: u32 = number.parse().map_err(|_| PartError::Malformed)?;
        let total: u32 = total.parse().map_err(|_| PartError::Malformed)?;
        if total == 0 || total > MAX_PARTS || number == 0 || number > total {
            return Err(PartError::Malformed);
        }
        if data.is_empty() || !data.bytes().all(|b| matches!(b, b'A'..=b'Z' | b'2'..=b'7')) {
            return Err(PartError::Malformed);
        }
        let part = Part { kit, number, total, data: data.to_owned() };
        if checksum != part.checksum() {
            return Err(PartError::Checksum { part: number });
        }
        Ok(part)
    }

    /// The first 4 bytes of SHA-256 over the part's id, position and data,
    /// in hex: a misread or altered code is named before any passphrase is
    /// tried (the seal then authenticates the whole).
    fn checksum(&self) -> String {
        let mut hash = Sha256::new();
        hash.update(format!("{}:{}/{}:", self.kit, self.number, self.total));
        hash.update(self.data.as_bytes());
        data_encoding::HEXUPPER.encode(&hash.finalize()[..4])
    }

    /// The part's text, as its QR code holds it.
    pub fn to_text(&self) -> String {
        format!(
            "{PREFIX}{VERSION}:{}:{}/{}:{}:{}",
            self.kit,
            self.number,
            self.total,
            self.checksum(),
            self.data
        )
    }
}

/// Seals `accounts` under `passphrase` and splits the result into parts.
/// The passphrase rule is the caller's ([`crate::passphrase::check`]).
pub fn seal(accounts: &[Account], passphrase: &str, kit: &KitId) -> Result<Vec<Part>, KitError> {
    seal_with_cost(accounts, passphrase, kit, aegis::SCRYPT_LOG_N)
}

pub(super) fn seal_with_cost(
    accounts: &[Account],
    passphrase: &str,
    kit: &KitId,
    log_n: u8,
) -> Result<Vec<Part>, KitError> {
    let json = aegis::write_plain(accounts).map_err(|_| KitError::Internal)?;
    let mut deflater = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    deflater.write_all(&json).map_err(|_| KitError::Internal)?;
    let deflated = Zeroizing::new(deflater.finish().map_err(|_| KitError::Internal)?);
    let mut salt = [0u8; SALT_LEN];
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut salt).map_err(|_| KitError::Random)?;
    getrandom::fill(&mut nonce).map_err(|_| KitError::Random)?;
    let key = derive(passphrase, &salt, log_n)?;
    let sealed = Aes256Gcm::new(key.as_ref().into())
        .encrypt(Nonce::from_slice(&nonce), Payload { msg: &deflated, aad: kit.as_str().as_bytes() })
        .map_err(|_| KitError::Internal)?;
    let mut payload = vec![PAYLOAD_VERSION, log_n];
    payload.extend_from_slice(&salt);
    payload.extend_from_slice(&nonce);
    payload.extend_from_slice(&sealed);
    let text = data_encoding::BASE32_NOPAD.encode(&payload);
    let chunks: Vec<&str> = text
        .as_bytes()
        .chunks(PART_DATA_CHARS)
        .map(|c| std::str::from_utf8(c).map_err(|_| KitError::Internal))
        .collect::<Result<_, _>>()?;
    let total = u32::try_from(chunks.len()).map_err(|_| KitError::TooManyAccounts)?;
    if total > MAX_PARTS {
        return Err(KitError::TooManyAccounts);
    }
    Ok(chunks
        .into_iter()
        .zip(1..)
        .map(|(data, number)| Part { kit: kit.clone(), number, total, data: data.to_owned() })
        .collect())
}

fn derive(passphrase: &str, salt: &[u8], log_n: u8) -> Result<Zeroizing<[u8; 32]>, KitError> {
    let params = scrypt::Params::new(log_n, SCRYPT_R, SCRYPT_P, 32).map_err(|_| KitError::Damaged)?;
    let mut key = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(passphrase.as_bytes(), salt, &params, key.as_mut()).map_err(|_| KitError::Internal)?;
    Ok(key)
}

/// How far the gathering of one kit has come, as a preview shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct KitProgress {
    pub kit: KitId,
    pub total: u32,
    /// 1-based numbers of the parts read.
    pub found: Vec<u32>,
    /// 1-based numbers of the parts still missing.
    pub missing: Vec<u32>,
    /// Whether its accounts were opened (with the passphrase) and added.
    pub opened: bool,
}

impl KitProgress {
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }
}

/// "kit parts 2, 5 of 7 are missing" ("kit part 2 of 7 is missing").
impl std::fmt::Display for KitProgress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list: Vec<String> = self.missing.iter().map(u32::to_string).collect();
        let (parts, are) = if self.missing.len() == 1 { ("part", "is") } else { ("parts", "are") };
        write!(f, "kit {parts} {} of {} {are} missing (kit {})", list.join(", "), self.total, self.kit)
    }
}

/// Parts gathered from any number of pages, in any order, of one kit.
#[derive(Debug, Clone, Default)]
pub struct Parts {
    kit: Option<KitId>,
    total: u32,
    /// By part number − 1.
    found: Vec<Option<Part>>,
}

impl Parts {
    pub fn new() -> Parts {
        Parts::default()
    }

    /// The kit these parts belong to (`None` before the first part).
    pub fn kit(&self) -> Option<&KitId> {
        self.kit.as_ref()
    }

    pub fn total(&self) -> u32 {
        self.total
    }

    /// Adds a part: `Ok(true)` when it is new, `Ok(false)` for one already
    /// here (a page scanned twice). A part of another kit is
    /// [`PartError::OtherKit`]; the same number with other contents,
    /// [`PartError::Conflict`].
    pub fn add(&mut self, part: Part) -> Result<bool, PartError> {
        match &self.kit {
            None => {
                self.kit = Some(part.kit.clone());
                self.total = part.total;
                self.found = vec![None; part.total as usize];
            }
            Some(kit) if *kit != part.kit || self.total != part.total => {
                return Err(PartError::OtherKit { expected: kit.to_string(), found: part.kit.to_string() })
            }
            Some(_) => {}
        }
        let slot = self.found.get_mut(part.number as usize - 1).ok_or(PartError::Malformed)?;
        match slot {
            Some(existing) if *existing == part => Ok(false),
            Some(_) => Err(PartError::Conflict { part: part.number }),
            None => {
                *slot = Some(part);
                Ok(true)
            }
        }
    }

    /// Part numbers (1-based) not found yet; every part before the first.
    pub fn missing(&self) -> Vec<u32> {
        self.found.iter().zip(1..).filter(|(p, _)| p.is_none()).map(|(_, n)| n).collect()
    }

    /// Part numbers found.
    pub fn found(&self) -> Vec<u32> {
        self.found.iter().zip(1..).filter(|(p, _)| p.is_some()).map(|(_, n)| n).collect()
    }

    /// Where this kit stands (`opened` as the caller knows it).
    pub fn progress(&self, opened: bool) -> Option<KitProgress> {
        let kit = self.kit.clone()?;
        Some(KitProgress { kit, total: self.total, found: self.found(), missing: self.missing(), opened })
    }

    pub fn complete(&self) -> bool {
        self.kit.is_some() && self.found.iter().all(Option::is_some)
    }

    /// Every account of a complete kit. A wrong passphrase is
    /// [`KitError::WrongPassphrase`]; missing parts, [`KitError::Incomplete`].
    pub fn open(&self, passphrase: &str) -> Result<Vec<Account>, KitError> {
        Ok(self.open_imported(passphrase)?.accounts)
    }

    /// [`Parts::open`], as the import file reader answers (with entries it
    /// could not read, and repeats).
    pub fn open_imported(&self, passphrase: &str) -> Result<formats::Imported, KitError> {
        let (Some(kit), true) = (&self.kit, self.complete()) else {
            return Err(KitError::Incomplete { missing: self.missing() });
        };
        let text: String = self.found.iter().flatten().map(|p| p.data.as_str()).collect();
        let payload = data_encoding::BASE32_NOPAD.decode(text.as_bytes()).map_err(|_| KitError::Damaged)?;
        let header = 2 + SALT_LEN + NONCE_LEN;
        if payload.len() < header + 16 || payload[0] != PAYLOAD_VERSION {
            return Err(KitError::Damaged);
        }
        let log_n = payload[1];
        if !(1..=MAX_LOG_N).contains(&log_n) {
            return Err(KitError::Damaged);
        }
        let (salt, rest) = payload[2..].split_at(SALT_LEN);
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        let key = derive(passphrase, salt, log_n)?;
        let deflated = Aes256Gcm::new(key.as_ref().into())
            .decrypt(Nonce::from_slice(nonce), Payload { msg: sealed, aad: kit.as_str().as_bytes() })
            .map_err(|_| KitError::WrongPassphrase)?;
        let deflated = Zeroizing::new(deflated);
        let mut json = Zeroizing::new(Vec::new());
        flate2::read::DeflateDecoder::new(deflated.as_slice())
            .take(MAX_PLAIN_BYTES + 1)
            .read_to_end(&mut json)
            .map_err(|_| KitError::Damaged)?;
        if json.len() as u64 > MAX_PLAIN_BYTES {
            return Err(KitError::Damaged);
        }
        match formats::read(&json, None) {
            Ok((Format::Aegis, imported)) => Ok(imported),
            _ => Err(KitError::Damaged),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::uri::OtpauthUri;

    const PASS: &str = "correct horse battery";

    fn accounts(n: usize) -> Vec<Account> {
        (0..n)
            .map(|i| {
                let secret = data_encoding::BASE32_NOPAD.encode(&Sha256::digest(i.to_le_bytes())[..20]);
                let uri = OtpauthUri::parse(&format!(
                    "otpauth://totp/Service{i}:user{i}@example.com?secret={secret}"
                ))
                .expect("valid");
                Account::from_uri(uri, 1_700_000_000 + i as u64)
            })
            .collect()
    }

    /// Cheap scrypt for the tests that open many times.
    fn sealed(n: usize) -> Vec<Part> {
        sealed_of(&accounts(n))
    }

    fn sealed_of(accounts: &[Account]) -> Vec<Part> {
        seal_with_cost(accounts, PASS, &KitId::random().expect("random"), 10).expect("sealed")
    }

    fn collect(parts: &[Part]) -> Parts {
        let mut all = Parts::new();
        for p in parts {
            assert!(all.add(p.clone()).expect("same kit"));
        }
        all
    }

    #[test]
    fn round_trip_through_text_in_any_order() {
        let want = accounts(40);
        let parts = sealed_of(&want);
        assert!(parts.len() > 2, "several parts: {}", parts.len());
        let mut texts: Vec<String> = parts.iter().map(Part::to_text).collect();
        texts.reverse();
        let mut all = Parts::new();
        for t in &texts {
            all.add(Part::parse(t).expect("parses")).expect("added");
            assert!(!all.add(Part::parse(t).expect("parses")).expect("a repeat is fine"));
        }
        assert!(all.complete());
        let got = all.open(PASS).expect("opens");
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            assert_eq!((g.id, &g.issuer, &g.name, g.created), (w.id, &w.issuer, &w.name, w.created));
            assert_eq!(g.otp.code_at(59), w.otp.code_at(59));
        }
    }

    #[test]
    fn every_missing_combination_is_reported() {
        let parts = sealed(20);
        let n = parts.len();
        assert!((3..=8).contains(&n), "{n} parts");
        for mask in 0u32..(1 << n) {
            let mut some = Parts::new();
            for (i, p) in parts.iter().enumerate() {
                if mask & (1 << i) != 0 {
                    some.add(p.clone()).expect("same kit");
                }
            }
            let want: Vec<u32> = (1..=n as u32).filter(|k| mask & (1 << (k - 1)) == 0).collect();
            if mask == 0 {
                assert!(some.missing().is_empty() && !some.complete(), "nothing known before the first part");
                continue;
            }
            assert_eq!(some.missing(), want, "mask {mask:b}");
            assert_eq!(some.complete(), want.is_empty());
            if !want.is_empty() {
                assert!(matches!(some.open(PASS), Err(KitError::Incomplete { missing }) if missing == want));
            }
        }
    }

    #[test]
    fn a_wrong_passphrase_is_told_apart() {
        let all = collect(&sealed(3));
        assert!(matches!(all.open("not the passphrase"), Err(KitError::WrongPassphrase)));
    }

    #[test]
    fn a_corrupted_part_is_named_by_its_checksum() {
        let parts = sealed(10);
        let text = parts[0].to_text();
        let mut bytes = text.into_bytes();
        let last = bytes.len() - 1;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        let changed = String::from_utf8(bytes).expect("ascii");
        assert!(matches!(Part::parse(&changed), Err(PartError::Checksum { part: 1 })));
    }

    #[test]
    fn parts_of_two_kits_never_mix() {
        let (a, b) = (sealed(2), sealed(2));
        let mut all = Parts::new();
        all.add(a[0].clone()).expect("first");
        let err = all.add(b[0].clone()).expect_err("another kit");
        assert!(matches!(err, PartError::OtherKit { .. }), "{err:?}");
        assert_eq!(all.found(), [1]);
    }

    #[test]
    fn the_same_number_with_other_contents_is_a_conflict() {
        let a = sealed(30);
        let mut forged = a[1].clone();
        forged.number = 1;
        let mut all = Parts::new();
        all.add(a[0].clone()).expect("first");
        assert!(matches!(all.add(forged), Err(PartError::Conflict { part: 1 })));
    }

    #[test]
    fn malformed_texts_are_refused_without_panicking() {
        let good = sealed(1)[0].to_text();
        let huge = format!("TWOFOLD-KIT:1:AAAAAAAA:1/1:00000000:{}", "A".repeat(100_000));
        let cases = [
            "",
            "TWOFOLD-KIT:",
            "TWOFOLD-KIT:1",
            "TWOFOLD-KIT:1:AAAAAAAA:0/1:00000000:AA",
            "TWOFOLD-KIT:1:AAAAAAAA:2/1:00000000:AA",
            "TWOFOLD-KIT:1:AAAAAAAA:1/1000:00000000:AA",
            "TWOFOLD-KIT:1:AAAA:1/1:00000000:AA",
            "TWOFOLD-KIT:1:AAAAAAAA:1-1:00000000:AA",
            "TWOFOLD-KIT:1:AAAAAAAA:1/1:00000000:aa",
            "TWOFOLD-KIT:1:AAAAAAAA:1/1:00000000:",
            "TWOFOLD-KIT:x:AAAAAAAA:1/1:00000000:AA",
            "TWOFOLD-KIT:1:ÄÄÄÄ:1/1:0:A",
            huge.as_str(),
        ];
        for case in cases {
            assert!(Part::parse(case).is_err(), "{case:.60}");
        }
        assert!(matches!(
            Part::parse("TWOFOLD-KIT:2:AAAAAAAA:1/1:0:A"),
            Err(PartError::UnsupportedVersion(2))
        ));
        assert!(matches!(Part::parse("hello"), Err(PartError::NotAKitPart)));
        // Every prefix of a good part, and every byte changed, is an error.
        for end in 0..good.len() {
            let _ = Part::parse(&good[..end]);
        }
        assert!(Part::parse(&good.to_lowercase()).is_err());
    }

    #[test]
    fn a_part_fits_a_version_20_code_at_level_m() {
        let part = sealed(50).into_iter().next().expect("one");
        assert_eq!(part.data.len(), PART_DATA_CHARS, "a full part");
        // The longest header: three-digit numbers.
        let longest = format!("{PREFIX}{VERSION}:{}:999/999:DEADBEEF:{}", part.kit, part.data);
        let code = qrcode::QrCode::with_error_correction_level(longest.as_bytes(), qrcode::EcLevel::M)
            .expect("fits a QR code");
        assert!(matches!(code.version(), qrcode::Version::Normal(v) if v <= 20), "{:?}", code.version());
    }
}
