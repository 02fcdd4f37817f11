//! KeePassXC / KeePass databases (KDBX 4): entries whose `otp` attribute is
//! an otpauth link (KeePassXC 2.6 on), or that have KeePassXC's older
//! `TOTP Seed` with `TOTP Settings` ("period;digits", "period;S" for Steam).
//! Spec: KeePass's KDBX 4 description (keepass.info/help/kb/kdbx_4.html)
//! and KeePassXC's `src/totp/totp.cpp`.
//!
//! Only the password opens it (no key file or hardware key). Passwords,
//! notes, attachments and every entry without TOTP are never read into
//! Twofold; old versions of entries (history) are skipped. Lost: groups.
//! KDBX 3 files and the Twofish cipher are named, not read.

use std::io::Read;

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256, Sha512};
use zeroize::{Zeroize, Zeroizing};

use super::{crypto, EntryProblem, FormatError, Imported, Unsupported};
use crate::account::Account;
use crate::otp::{Algorithm, Kind, Otp};
use crate::secret::Secret;
use crate::uri::OtpauthUri;

const NAME: &str = "KeePass";
const SIGNATURE: [u8; 8] = [0x03, 0xd9, 0xa2, 0x9a, 0x67, 0xfb, 0x4b, 0xb5];

const AES_CBC: [u8; 16] = hex16("31c1f2e6bf714350be5805216afc5aff");
const CHACHA20: [u8; 16] = hex16("d6038a2b8b6f4cb5a524339a31dbb59a");
const TWOFISH: [u8; 16] = hex16("ad68f29f576f4bb9a36ad47af965346c");
const AES_KDF: [u8; 16] = hex16("c9d9f39a628a4460bf740d08c18a4fea");
const ARGON2D: [u8; 16] = hex16("ef636ddf8c29444b91f7a9a403e30a0c");
const ARGON2ID: [u8; 16] = hex16("9e298b1956db4773b23dfc3ec6f0a1e6");

/// KeePassXC tunes its KDF to a second on the machine that saved the
/// database (64 MiB; AES-KDF: tens of millions of rounds). A file may ask
/// for up to Twofold's vault's memory (256 MiB) and about four seconds of
/// work here; beyond that it is refused before any work.
const MAX_ARGON2_KIB: u64 = 256 * 1024;
const MAX_ARGON2_KIB_PASSES: u64 = 4 * 1024 * 1024;
const MAX_ARGON2_LANES: u64 = 64;
const MAX_AES_ROUNDS: u64 = 100_000_000;
/// The most the decompressed XML may take: far above any real database
/// of a thousand entries, and a bound on a crafted gzip bomb.
const MAX_XML_BYTES: u64 = 64 << 20;

const fn hex16(text: &str) -> [u8; 16] {
    let bytes = text.as_bytes();
    let mut out = [0u8; 16];
    let mut i = 0;
    while i < 16 {
        out[i] = (nibble(bytes[2 * i]) << 4) | nibble(bytes[2 * i + 1]);
        i += 1;
    }
    out
}

const fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        _ => c - b'a' + 10,
    }
}

pub fn detect(bytes: &[u8]) -> bool {
    bytes.starts_with(&SIGNATURE)
}

pub fn read(bytes: &[u8], password: Option<&str>) -> Result<Imported, FormatError> {
    let header = Header::parse(bytes)?;
    let password = password.ok_or(FormatError::NeedsPassphrase(NAME))?;
    let keys = header.derive(password)?;
    let rest = &bytes[header.length..];
    let (Some(hash), Some(mac), Some(blocks)) = (rest.get(..32), rest.get(32..64), rest.get(64..)) else {
        return Err(FormatError::Damaged(NAME));
    };
    if Sha256::digest(&bytes[..header.length]).as_slice() != hash {
        return Err(FormatError::Damaged(NAME));
    }
    // The header's MAC is the first thing only the right key makes.
    let mut header_mac = block_mac(&keys.hmac_base, u64::MAX);
    header_mac.update(&bytes[..header.length]);
    header_mac.verify_slice(mac).map_err(|_| FormatError::WrongPassphrase)?;
    let sealed = Zeroizing::new(read_blocks(blocks, &keys.hmac_base)?);
    let payload = header.decrypt(&keys.cipher, &sealed)?;
    let payload = if header.compressed { gunzip(&payload)? } else { payload };
    let (stream, xml) = inner_header(&payload)?;
    let xml = std::str::from_utf8(xml).map_err(|_| FormatError::Damaged(NAME))?;
    let entries = xml_entries(xml, stream)?;
    let with_totp: Vec<&Entry> = entries.iter().filter(|e| e.has_totp()).collect();
    if with_totp.len() > super::uri_list::MAX_LINKS {
        return Err(FormatError::TooComplex);
    }
    Ok(Imported::from_entries(with_totp, |e| (e.get("Title"), e.get("UserName")), |e| e.account()))
}

struct Header {
    length: usize,
    cipher: [u8; 16],
    compressed: bool,
    master_seed: Vec<u8>,
    iv: Vec<u8>,
    kdf: Kdf,
}

enum Kdf {
    Aes {
        rounds: u64,
        seed: Vec<u8>,
    },
    Argon2 {
        algorithm: argon2::Algorithm,
        version: argon2::Version,
        salt: Vec<u8>,
        kib: u32,
        passes: u32,
        lanes: u32,
    },
}

struct Keys {
    cipher: Zeroizing<[u8; 32]>,
    hmac_base: Zeroizing<[u8; 64]>,
}

/// Little-endian reads that fail instead of panicking on a short file.
fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

fn u64_of(bytes: &[u8]) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.try_into().ok()?))
}

impl Header {
    fn parse(bytes: &[u8]) -> Result<Header, FormatError> {
        let damaged = FormatError::Damaged(NAME);
        let version = u32_at(bytes, 8).ok_or(damaged.clone())?;
        match version >> 16 {
            4 => {}
            1..=3 => return Err(FormatError::Unsupported(Unsupported::KeePassOther)),
            _ => return Err(damaged),
        }
        let (mut cipher, mut compressed, mut master_seed, mut iv, mut kdf) = (None, false, None, None, None);
        let mut at = 12;
        loop {
            let id = *bytes.get(at).ok_or(damaged.clone())?;
            let size = u32_at(bytes, at + 1).ok_or(damaged.clone())? as usize;
            let start = at + 5;
            let data =
                bytes.get(start..start.checked_add(size).ok_or(damaged.clone())?).ok_or(damaged.clone())?;
            at = start + size;
            match id {
                0 => break,
                2 => cipher = Some(<[u8; 16]>::try_from(data).map_err(|_| damaged.clone())?),
                3 => compressed = u32_at(data, 0).ok_or(damaged.clone())? == 1,
                4 => master_seed = Some(data.to_vec()),
                7 => iv = Some(data.to_vec()),
                11 => kdf = Some(Kdf::parse(data)?),
                _ => {}
            }
        }
        let cipher = cipher.ok_or(damaged.clone())?;
        if cipher == TWOFISH {
            return Err(FormatError::Unsupported(Unsupported::KeePassOther));
        }
        let (Some(master_seed), Some(iv), Some(kdf)) = (master_seed, iv, kdf) else { return Err(damaged) };
        if master_seed.len() != 32 || (cipher != AES_CBC && cipher != CHACHA20) {
            return Err(damaged);
        }
        Ok(Header { length: at, cipher, compressed, master_seed, iv, kdf })
    }

    fn derive(&self, password: &str) -> Result<Keys, FormatError> {
        // The composite key of a password alone: SHA-256 of its SHA-256.
        let composite: Zeroizing<[u8; 32]> =
            Zeroizing::new(Sha256::digest(Sha256::digest(password.as_bytes())).into());
        let transformed = self.kdf.transform(&composite)?;
        let mut cipher = Zeroizing::new([0u8; 32]);
        cipher.copy_from_slice(
            &Sha256::new().chain_update(&self.master_seed).chain_update(transformed.as_ref()).finalize(),
        );
        let mut hmac_base = Zeroizing::new([0u8; 64]);
        hmac_base.copy_from_slice(
            &Sha512::new()
                .chain_update(&self.master_seed)
                .chain_update(transformed.as_ref())
                .chain_update([1u8])
                .finalize(),
        );
        Ok(Keys { cipher, hmac_base })
    }

    fn decrypt(&self, key: &[u8; 32], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, FormatError> {
        if self.cipher == AES_CBC {
            // The blocks' MACs verified: bad padding is a damaged file.
            return crypto::cbc_decrypt(key, &self.iv, sealed).ok_or(FormatError::Damaged(NAME));
        }
        use chacha20::cipher::{KeyIvInit, StreamCipher};
        let iv: &[u8; 12] = self.iv.as_slice().try_into().map_err(|_| FormatError::Damaged(NAME))?;
        let mut plain = Zeroizing::new(sealed.to_vec());
        chacha20::ChaCha20::new(key.into(), iv.into()).apply_keystream(&mut plain);
        Ok(plain)
    }
}

impl Kdf {
    /// KDBX 4's variant dictionary: a version, then typed, named values.
    fn parse(data: &[u8]) -> Result<Kdf, FormatError> {
        let damaged = FormatError::Damaged(NAME);
        if data.get(1) != Some(&1) {
            return Err(damaged);
        }
        let mut values: Vec<(&[u8], &[u8])> = Vec::new();
        let mut at = 2;
        while let Some(&kind) = data.get(at) {
            if kind == 0 {
                break;
            }
            let name_len = u32_at(data, at + 1).ok_or(damaged.clone())? as usize;
            let name = data
                .get(at + 5..(at + 5).checked_add(name_len).ok_or(damaged.clone())?)
                .ok_or(damaged.clone())?;
            let value_at = at + 5 + name_len;
            let value_len = u32_at(data, value_at).ok_or(damaged.clone())? as usize;
            let value = data
                .get(value_at + 4..(value_at + 4).checked_add(value_len).ok_or(damaged.clone())?)
                .ok_or(damaged.clone())?;
            values.push((name, value));
            at = value_at + 4 + value_len;
        }
        let get = |name: &[u8]| values.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
        let number = |name: &[u8]| {
            get(name).and_then(|v| match v.len() {
                4 => u32_at(v, 0).map(u64::from),
                8 => u64_of(v),
                _ => None,
            })
        };
        let uuid = get(b"$UUID").ok_or(damaged.clone())?;
        if uuid == AES_KDF {
            let (Some(rounds), Some(seed)) = (number(b"R"), get(b"S")) else { return Err(damaged) };
            if rounds > MAX_AES_ROUNDS {
                return Err(FormatError::TooCostly(NAME));
            }
            if seed.len() != 32 {
                return Err(damaged);
            }
            return Ok(Kdf::Aes { rounds, seed: seed.to_vec() });
        }
        let algorithm = match uuid {
            u if u == ARGON2D => argon2::Algorithm::Argon2d,
            u if u == ARGON2ID => argon2::Algorithm::Argon2id,
            _ => return Err(damaged),
        };
        let (Some(salt), Some(memory), Some(passes), Some(lanes)) =
            (get(b"S"), number(b"M"), number(b"I"), number(b"P"))
        else {
            return Err(damaged);
        };
        let kib = memory / 1024;
        if kib > MAX_ARGON2_KIB
            || kib.saturating_mul(passes) > MAX_ARGON2_KIB_PASSES
            || lanes > MAX_ARGON2_LANES
        {
            return Err(FormatError::TooCostly(NAME));
        }
        // A secret key or associated data (never written by KeePassXC) would
        // change the key: refused rather than guessed at.
        if get(b"K").is_some_and(|k| !k.is_empty()) || get(b"A").is_some_and(|a| !a.is_empty()) {
            return Err(damaged);
        }
        let version = match number(b"V") {
            Some(0x10) => argon2::Version::V0x10,
            Some(0x13) | None => argon2::Version::V0x13,
            Some(_) => return Err(damaged),
        };
        Ok(Kdf::Argon2 {
            algorithm,
            version,
            salt: salt.to_vec(),
            kib: u32::try_from(kib).map_err(|_| FormatError::TooCostly(NAME))?,
            passes: u32::try_from(passes).map_err(|_| FormatError::TooCostly(NAME))?,
            lanes: u32::try_from(lanes).map_err(|_| FormatError::TooCostly(NAME))?,
        })
    }

    fn transform(&self, composite: &[u8; 32]) -> Result<Zeroizing<[u8; 32]>, FormatError> {
        let mut out = Zeroizing::new([0u8; 32]);
        match self {
            Kdf::Aes { rounds, seed } => {
                use aes::cipher::{BlockEncrypt, KeyInit};
                let cipher = aes::Aes256::new_from_slice(seed).map_err(|_| FormatError::Damaged(NAME))?;
                let mut block = Zeroizing::new(*composite);
                for _ in 0..*rounds {
                    for half in block.chunks_exact_mut(16) {
                        cipher.encrypt_block(half.into());
                    }
                }
                out.copy_from_slice(&Sha256::digest(block.as_ref()));
            }
            Kdf::Argon2 { algorithm, version, salt, kib, passes, lanes } => {
                let params = argon2::Params::new(*kib, *passes, *lanes, Some(32))
                    .map_err(|_| FormatError::Damaged(NAME))?;
                argon2::Argon2::new(*algorithm, *version, params)
                    .hash_password_into(composite, salt, out.as_mut())
                    .map_err(|_| FormatError::Damaged(NAME))?;
            }
        }
        Ok(out)
    }
}

/// HMAC-SHA256 keyed for block `index` (`u64::MAX`: the header); a
/// block's MAC then covers its index, length and data.
fn block_mac(hmac_base: &[u8; 64], index: u64) -> Hmac<Sha256> {
    let key = Sha512::new().chain_update(index.to_le_bytes()).chain_update(hmac_base).finalize();
    <Hmac<Sha256> as Mac>::new_from_slice(&key).unwrap_or_else(|_| unreachable!("HMAC takes any key"))
}

/// The HMAC block stream: (MAC, length, data) until an empty block.
fn read_blocks(mut rest: &[u8], hmac_base: &[u8; 64]) -> Result<Vec<u8>, FormatError> {
    let damaged = FormatError::Damaged(NAME);
    let mut out = Vec::new();
    for index in 0u64.. {
        let mac = rest.get(..32).ok_or(damaged.clone())?;
        let size = u32_at(rest, 32).ok_or(damaged.clone())?;
        let end = (size as usize).checked_add(36).ok_or(damaged.clone())?;
        let data = rest.get(36..end).ok_or(damaged.clone())?;
        let mut check = block_mac(hmac_base, index);
        check.update(&index.to_le_bytes());
        check.update(&size.to_le_bytes());
        check.update(data);
        check.verify_slice(mac).map_err(|_| damaged.clone())?;
        if size == 0 {
            return Ok(out);
        }
        out.extend_from_slice(data);
        rest = rest.get(end..).ok_or(damaged.clone())?;
    }
    Err(damaged)
}

fn gunzip(compressed: &[u8]) -> Result<Zeroizing<Vec<u8>>, FormatError> {
    let mut out = Zeroizing::new(Vec::new());
    flate2::read::GzDecoder::new(compressed)
        .take(MAX_XML_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|_| FormatError::Damaged(NAME))?;
    if out.len() as u64 > MAX_XML_BYTES {
        return Err(FormatError::TooLarge);
    }
    Ok(out)
}

/// The protected-value stream: each protected value, in document order, is
/// XORed with the next bytes of it.
enum Stream {
    ChaCha20(chacha20::ChaCha20),
    Salsa20(salsa20::Salsa20),
}

impl Stream {
    fn apply(&mut self, data: &mut [u8]) {
        use chacha20::cipher::StreamCipher;
        match self {
            Stream::ChaCha20(c) => c.apply_keystream(data),
            Stream::Salsa20(c) => c.apply_keystream(data),
        }
    }
}

/// The inner header (the stream's kind and key; attachments are skipped)
/// and the XML after it.
fn inner_header(payload: &[u8]) -> Result<(Stream, &[u8]), FormatError> {
    use chacha20::cipher::KeyIvInit;
    let damaged = FormatError::Damaged(NAME);
    let (mut kind, mut key) = (None, None);
    let mut at = 0;
    loop {
        let id = *payload.get(at).ok_or(damaged.clone())?;
        let size = u32_at(payload, at + 1).ok_or(damaged.clone())? as usize;
        let data =
            payload.get(at + 5..(at + 5).checked_add(size).ok_or(damaged.clone())?).ok_or(damaged.clone())?;
        at += 5 + size;
        match id {
            0 => break,
            1 => kind = u32_at(data, 0),
            2 => key = Some(data),
            _ => {}
        }
    }
    let key = key.ok_or(damaged.clone())?;
    let stream = match kind {
        Some(3) => {
            let hash: Zeroizing<[u8; 64]> = Zeroizing::new(Sha512::digest(key).into());
            let (key, nonce) = hash.split_at(32);
            Stream::ChaCha20(chacha20::ChaCha20::new(key.into(), nonce[..12].into()))
        }
        Some(2) => {
            let hash: Zeroizing<[u8; 32]> = Zeroizing::new(Sha256::digest(key).into());
            let nonce = [0xe8, 0x30, 0x09, 0x4b, 0x97, 0x20, 0x5d, 0x2a];
            Stream::Salsa20(salsa20::Salsa20::new(hash.as_slice().into(), &nonce.into()))
        }
        _ => return Err(damaged),
    };
    Ok((stream, &payload[at..]))
}

/// One entry's strings (Title, UserName, otp, …), secrets wiped on drop.
#[derive(Default)]
struct Entry {
    strings: Vec<(String, Zeroizing<String>)>,
}

impl Entry {
    fn get(&self, key: &str) -> &str {
        self.strings.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v.as_str())
    }

    fn has_totp(&self) -> bool {
        !self.get("otp").trim().is_empty() || !self.get("TOTP Seed").trim().is_empty()
    }

    fn account(&self) -> Result<Account, EntryProblem> {
        let (title, user) = (self.get("Title").trim(), self.get("UserName").trim());
        let otp = self.get("otp").trim();
        if !otp.is_empty() {
            // KeeOtp's `key=…&step=…` and other forms are not links: named, not guessed.
            let mut account = Account::from_uri(OtpauthUri::parse(otp)?, 0);
            if account.issuer.is_empty() && account.name != title {
                account.issuer = title.to_owned();
            }
            if account.name.is_empty() {
                account.name = user.to_owned();
            }
            return Ok(account);
        }
        let secret = Secret::from_base32(self.get("TOTP Seed"))?;
        let settings = self.get("TOTP Settings").trim();
        // "period;digits", then (KeeTrayTOTP) perhaps a time-correction URL.
        let mut parts = settings.split(';');
        let (period, digits) = match (parts.next().filter(|p| !p.is_empty()), parts.next()) {
            (Some(period), Some(digits)) => (period, digits),
            _ => ("30", "6"),
        };
        let period: u32 =
            period.trim().parse().map_err(|_| EntryProblem::Otp(crate::otp::OtpError::Period))?;
        let otp = match digits.trim() {
            "S" => Otp::steam(secret),
            digits => {
                let digits: u8 =
                    digits.parse().map_err(|_| EntryProblem::Otp(crate::otp::OtpError::Digits))?;
                Otp::new(secret, Algorithm::Sha1, digits, Kind::Totp { period })?
            }
        };
        Ok(Account::new(title, user, otp, 0))
    }
}

/// Every current entry of the XML (not those in `History`), decrypting
/// every protected value in order. No DTD, no entities beyond XML's own.
fn xml_entries(xml: &str, mut stream: Stream) -> Result<Vec<Entry>, FormatError> {
    use quick_xml::events::Event;
    let damaged = || FormatError::Damaged(NAME);
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut entries = Vec::new();
    // Open entries (an entry's history holds entries), and history depth.
    let mut open: Vec<Entry> = Vec::new();
    let mut history = 0usize;
    let (mut key, mut value, mut protected) = (String::new(), Zeroizing::new(String::new()), false);
    let mut text = Zeroizing::new(String::new());
    loop {
        match reader.read_event().map_err(|_| damaged())? {
            Event::DocType(_) => return Err(damaged()),
            Event::Start(e) => {
                text.clear();
                match e.name().as_ref() {
                    "Entry" => open.push(Entry::default()),
                    "History" => history += 1,
                    "Value" => {
                        protected = e
                            .try_get_attribute("Protected")
                            .map_err(|_| damaged())?
                            .is_some_and(|a| a.value.eq_ignore_ascii_case("true"));
                    }
                    _ => {}
                }
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => match r.resolve_char_ref().map_err(|_| damaged())? {
                Some(c) => text.push(c),
                None => text.push(match r.as_ref() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    _ => return Err(damaged()),
                }),
            },
            Event::End(e) => match e.name().as_ref() {
                "Key" => key = std::mem::take(&mut *text),
                "Value" => {
                    value = Zeroizing::new(std::mem::take(&mut *text));
                    if protected {
                        value = unprotect(&value, &mut stream).ok_or_else(damaged)?;
                    }
                }
                "String" => {
                    if let Some(entry) = open.last_mut() {
                        entry.strings.push((std::mem::take(&mut key), std::mem::take(&mut value)));
                    }
                }
                "History" => history = history.saturating_sub(1),
                "Entry" => {
                    let entry = open.pop().ok_or_else(damaged)?;
                    if history == 0 {
                        entries.push(entry);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        if entries.len() + open.len() > 100_000 {
            return Err(FormatError::TooComplex);
        }
    }
    text.zeroize();
    Ok(entries)
}

fn unprotect(value: &str, stream: &mut Stream) -> Option<Zeroizing<String>> {
    let mut bytes = Zeroizing::new(base64::engine::general_purpose::STANDARD.decode(value.trim()).ok()?);
    stream.apply(&mut bytes);
    let text = std::str::from_utf8(&bytes).ok()?;
    Some(Zeroizing::new(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    /// A gzip bomb (64 MiB of zeros in a few kilobytes) stops at the bound.
    #[test]
    fn decompression_is_bounded() {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..=(super::MAX_XML_BYTES >> 20) {
            encoder.write_all(&zeros).expect("compresses");
        }
        let bomb = encoder.finish().expect("compresses");
        assert!(bomb.len() < 1 << 20);
        assert_eq!(super::gunzip(&bomb).err(), Some(super::FormatError::TooLarge));
        assert_eq!(
            super::gunzip(&bomb[..bomb.len() / 2]).err(),
            Some(super::FormatError::Damaged("KeePass"))
        );
    }
}
