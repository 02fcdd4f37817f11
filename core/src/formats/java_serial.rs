//! The one thing Java serialisation is read for: a `java.util.HashMap` of
//! strings to strings, as FreeOTP 2 writes its backups with
//! `ObjectOutputStream`. This is no general deserialiser: the stream must
//! be exactly that map (the class, its serial version, its two primitive
//! fields, the block with its capacity and size, then string pairs);
//! anything else is refused with a [`JavaError`], before anything is sized
//! by a count the file claims.

use zeroize::Zeroizing;

const MAGIC: [u8; 4] = [0xac, 0xed, 0x00, 0x05];
const TC_NULL: u8 = 0x70;
const TC_REFERENCE: u8 = 0x71;
const TC_CLASSDESC: u8 = 0x72;
const TC_OBJECT: u8 = 0x73;
const TC_STRING: u8 = 0x74;
const TC_BLOCKDATA: u8 = 0x77;
const TC_ENDBLOCKDATA: u8 = 0x78;
const TC_LONGSTRING: u8 = 0x7c;
const BASE_HANDLE: u32 = 0x7e_0000;
const HASH_MAP: &[u8] = b"java.util.HashMap";
const HASH_MAP_UID: u64 = 362_498_820_763_181_265;
/// `SC_WRITE_METHOD | SC_SERIALIZABLE`: HashMap writes its own data.
const FLAGS: u8 = 0x03;
/// More pairs than any backup holds (two per token).
const MAX_PAIRS: usize = 20_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JavaError {
    /// Not Java serialisation at all.
    NotJava,
    /// Serialised, but not a `HashMap` (another class, or another version of it).
    NotAMap,
    /// A map, but cut off, with entries that are not strings, or malformed.
    Damaged,
    TooMany,
}

struct Input<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Input<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], JavaError> {
        let end = self.at.checked_add(n).filter(|e| *e <= self.bytes.len()).ok_or(JavaError::Damaged)?;
        let part = &self.bytes[self.at..end];
        self.at = end;
        Ok(part)
    }
    fn u8(&mut self) -> Result<u8, JavaError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, JavaError> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32, JavaError> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self) -> Result<u64, JavaError> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_be_bytes(a))
    }
    fn left(&self) -> usize {
        self.bytes.len() - self.at
    }
}

/// The map's pairs in stream order. Values may hold secrets: wiped.
pub fn read_string_map(bytes: &[u8]) -> Result<Vec<(String, Zeroizing<String>)>, JavaError> {
    if !bytes.starts_with(&MAGIC) {
        return Err(JavaError::NotJava);
    }
    let mut input = Input { bytes, at: MAGIC.len() };
    if input.u8()? != TC_OBJECT || input.u8()? != TC_CLASSDESC {
        return Err(JavaError::NotAMap);
    }
    let name_len = usize::from(input.u16()?);
    if input.take(name_len)? != HASH_MAP || input.u64()? != HASH_MAP_UID || input.u8()? != FLAGS {
        return Err(JavaError::NotAMap);
    }
    // HashMap's serial fields: float loadFactor and int threshold (Android
    // 6's HashMap declares only loadFactor).
    let fields = input.u16()?;
    let mut field_bytes = 0;
    for _ in 0..fields {
        field_bytes += match input.u8()? {
            b'F' | b'I' => 4,
            _ => return Err(JavaError::NotAMap),
        };
        let len = usize::from(input.u16()?);
        input.take(len)?;
    }
    if !(1..=2).contains(&fields) || input.u8()? != TC_ENDBLOCKDATA || input.u8()? != TC_NULL {
        return Err(JavaError::NotAMap);
    }
    input.take(field_bytes)?;
    // writeObject's block: the table's capacity, then the number of pairs.
    if input.u8()? != TC_BLOCKDATA || input.u8()? != 8 {
        return Err(JavaError::Damaged);
    }
    input.u32()?;
    let size = input.u32()? as usize;
    // Each pair takes at least two bytes per string: a claimed size the
    // rest of the file cannot hold is refused before anything is sized by it.
    if size > MAX_PAIRS {
        return Err(JavaError::TooMany);
    }
    if size.saturating_mul(6) > input.left() {
        return Err(JavaError::Damaged);
    }
    // Handles: the class description, the map, then each new string.
    let mut strings: Vec<Zeroizing<String>> = Vec::new();
    let mut pairs = Vec::with_capacity(size);
    for _ in 0..size {
        let key = string(&mut input, &mut strings)?;
        let value = string(&mut input, &mut strings)?;
        pairs.push((key.to_string(), value));
    }
    if input.u8()? != TC_ENDBLOCKDATA || input.left() != 0 {
        return Err(JavaError::Damaged);
    }
    Ok(pairs)
}

fn string(
    input: &mut Input<'_>,
    strings: &mut Vec<Zeroizing<String>>,
) -> Result<Zeroizing<String>, JavaError> {
    let len = match input.u8()? {
        TC_STRING => usize::from(input.u16()?),
        TC_LONGSTRING => usize::try_from(input.u64()?).map_err(|_| JavaError::Damaged)?,
        TC_REFERENCE => {
            let handle = input.u32()?;
            let index = handle.checked_sub(BASE_HANDLE + 2).ok_or(JavaError::Damaged)? as usize;
            return strings.get(index).cloned().ok_or(JavaError::Damaged);
        }
        _ => return Err(JavaError::Damaged),
    };
    let text = modified_utf8(input.take(len)?)?;
    strings.push(text.clone());
    Ok(text)
}

/// Java's "modified UTF-8": UTF-8 of UTF-16 code units (a supplementary
/// character is two 3-byte surrogates) and NUL as two bytes.
fn modified_utf8(bytes: &[u8]) -> Result<Zeroizing<String>, JavaError> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Zeroizing::new(text.to_owned()));
    }
    let mut units: Zeroizing<Vec<u16>> = Zeroizing::new(Vec::with_capacity(bytes.len()));
    let mut i = 0;
    let cont = |b: Option<&u8>| {
        b.filter(|b| *b & 0xc0 == 0x80).map(|b| u16::from(*b & 0x3f)).ok_or(JavaError::Damaged)
    };
    while let Some(&b) = bytes.get(i) {
        let (unit, len) = match b {
            0x01..=0x7f => (u16::from(b), 1),
            0xc0..=0xdf => ((u16::from(b & 0x1f) << 6) | cont(bytes.get(i + 1))?, 2),
            0xe0..=0xef => {
                ((u16::from(b & 0x0f) << 12) | (cont(bytes.get(i + 1))? << 6) | cont(bytes.get(i + 2))?, 3)
            }
            _ => return Err(JavaError::Damaged),
        };
        units.push(unit);
        i += len;
    }
    String::from_utf16(&units).map(Zeroizing::new).map_err(|_| JavaError::Damaged)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A map as `ObjectOutputStream` writes one, from its pairs' bytes.
    fn stream(size: u32, pairs: &[u8]) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend([TC_OBJECT, TC_CLASSDESC, 0, 17]);
        out.extend(HASH_MAP);
        out.extend(HASH_MAP_UID.to_be_bytes());
        out.extend([FLAGS, 0, 2, b'F', 0, 10]);
        out.extend(b"loadFactor");
        out.extend([b'I', 0, 9]);
        out.extend(b"threshold");
        out.extend([TC_ENDBLOCKDATA, TC_NULL, 0x3f, 0x40, 0, 0, 0, 0, 0, 12, TC_BLOCKDATA, 8, 0, 0, 0, 16]);
        out.extend(size.to_be_bytes());
        out.extend(pairs);
        out.push(TC_ENDBLOCKDATA);
        out
    }

    fn short(text: &[u8]) -> Vec<u8> {
        let mut out = vec![TC_STRING, 0, text.len() as u8];
        out.extend(text);
        out
    }

    #[test]
    fn reads_strings_references_and_modified_utf8() {
        let mut pairs = short(b"a");
        pairs.extend(short(b"\xed\xa0\xbd\xed\xb4\x91 key\xc0\x80"));
        pairs.extend(short(b"b"));
        // A reference to the first string ("a"): handle base + 2.
        pairs.extend([TC_REFERENCE, 0x00, 0x7e, 0x00, 0x02]);
        let map = read_string_map(&stream(2, &pairs)).expect("reads");
        let map: Vec<(String, String)> = map.into_iter().map(|(k, v)| (k, v.to_string())).collect();
        assert_eq!(map, [("a".into(), "\u{1f511} key\0".into()), ("b".into(), "a".into())]);
    }

    #[test]
    fn anything_else_is_refused() {
        let mut pairs = short(b"a");
        pairs.extend(short(b"b"));
        let good = stream(1, &pairs);
        assert!(read_string_map(&good).is_ok());
        assert_eq!(read_string_map(b"{}").err(), Some(JavaError::NotJava));
        // Another class (an ArrayList), another serial version.
        let mut other = good.clone();
        other[8..12].copy_from_slice(b"java");
        other[14..18].copy_from_slice(b"Arra");
        assert_eq!(read_string_map(&other).err(), Some(JavaError::NotAMap));
        let mut version = good.clone();
        version[25] ^= 1;
        assert_eq!(read_string_map(&version).err(), Some(JavaError::NotAMap));
        // Cut anywhere, or with bytes after the map.
        for cut in 0..good.len() {
            assert!(read_string_map(&good[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = good.clone();
        longer.push(0);
        assert_eq!(read_string_map(&longer).err(), Some(JavaError::Damaged));
        // A count the file cannot hold, a huge one, a value that is no string,
        // a reference to no string, a long string longer than the file.
        assert_eq!(read_string_map(&stream(1000, &pairs)).err(), Some(JavaError::Damaged));
        assert_eq!(read_string_map(&stream(u32::MAX, &pairs)).err(), Some(JavaError::TooMany));
        let mut object = short(b"a");
        object.extend([TC_OBJECT, TC_CLASSDESC, 0, 0]);
        assert_eq!(read_string_map(&stream(1, &object)).err(), Some(JavaError::Damaged));
        let mut dangling = short(b"a");
        dangling.extend([TC_REFERENCE, 0x00, 0x7e, 0x00, 0x09]);
        assert_eq!(read_string_map(&stream(1, &dangling)).err(), Some(JavaError::Damaged));
        let mut long = short(b"a");
        long.push(TC_LONGSTRING);
        long.extend(u64::MAX.to_be_bytes());
        assert_eq!(read_string_map(&stream(1, &long)).err(), Some(JavaError::Damaged));
        // Malformed modified UTF-8.
        let mut bad = short(b"a");
        bad.extend(short(b"\xff"));
        assert_eq!(read_string_map(&stream(1, &bad)).err(), Some(JavaError::Damaged));
    }
}
