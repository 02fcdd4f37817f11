//! JSON trees that may hold secrets, wiped when dropped.
//!
//! An export is parsed into a `serde_json::Value` before its format is known,
//! so every secret in it sits in one of the tree's strings; `Value` frees them
//! without clearing them. [`WipedJson`] clears every string first. Readers
//! borrow the tree and copy what they need into structs whose secret fields
//! are `Zeroizing`, so no copy outlives the read uncleared.
//!
//! What stays out of reach: serde_json's scratch buffer for strings with
//! escapes, and buffers a growing `Vec` left behind (docs/security.md).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use zeroize::Zeroize;

use super::FormatError;

pub(crate) struct WipedJson(Value);

/// Why [`WipedJson::parse`] gave no tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParseError {
    NotJson,
    /// Reading it would take more memory than [`MAX_TREE_BYTES`].
    TooComplex,
}

impl ParseError {
    /// As a format's error: `name` is what the file looked like.
    pub fn damaged(self, name: &'static str) -> FormatError {
        match self {
            ParseError::NotJson => FormatError::Damaged(name),
            ParseError::TooComplex => FormatError::TooComplex,
        }
    }
}

/// The most memory a JSON text may take to read, as [`tree_bytes`]
/// estimates it. A thousand accounts come to about 3 MiB; a crafted file
/// of 8 MiB (`[{"a":0},{"a":0},…]`) would take 600 MiB. The tree may be
/// copied once more by a reader (Aegis's plain `db`), so this is a
/// quarter of the 256 MiB every input must stay under.
pub(crate) const MAX_TREE_BYTES: u64 = 64 << 20;

/// An upper bound of what parsing the JSON text `bytes` allocates, from one
/// pass over its structure: each object or array at most a B-tree node of
/// serde_json's map (640 B and its allocation), each value after a `,` or a
/// `:` its 32-byte `Value`, the allocation of its string and the spare room
/// of a doubling `Vec`. Strings cost their length on top, bounded by the
/// input's size.
pub(crate) fn tree_bytes(bytes: &[u8]) -> u64 {
    const CONTAINER: u64 = 700;
    const VALUE: u64 = 96;
    let (mut in_string, mut escaped, mut cost) = (false, false, 0u64);
    for &b in bytes {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        cost += match b {
            b'"' => {
                in_string = true;
                0
            }
            b'{' | b'[' => CONTAINER,
            b',' | b':' => VALUE,
            _ => 0,
        };
    }
    cost + VALUE
}

/// Refuses JSON that would take more than [`MAX_TREE_BYTES`] to read, before
/// any of it is parsed (into a tree or into typed structs).
pub(crate) fn check_size(bytes: &[u8]) -> Result<(), FormatError> {
    if tree_bytes(bytes) > MAX_TREE_BYTES {
        return Err(FormatError::TooComplex);
    }
    Ok(())
}

impl WipedJson {
    /// Parses `bytes`, refusing first what would take too much memory
    /// ([`ParseError::TooComplex`]). Text that does not start as JSON does is
    /// not measured: it is no JSON.
    pub fn parse(bytes: &[u8]) -> Result<WipedJson, ParseError> {
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        if !matches!(first, Some(b'{' | b'[')) {
            return Err(ParseError::NotJson);
        }
        if tree_bytes(bytes) > MAX_TREE_BYTES {
            return Err(ParseError::TooComplex);
        }
        serde_json::from_slice(bytes).map(WipedJson).map_err(|_| ParseError::NotJson)
    }

    /// Copies a part of the tree into `T` (give `T` `Zeroizing` secret fields).
    pub fn decode<T: DeserializeOwned>(part: &Value) -> serde_json::Result<T> {
        T::deserialize(part)
    }
}

impl std::ops::Deref for WipedJson {
    type Target = Value;
    fn deref(&self) -> &Value {
        &self.0
    }
}

impl From<Value> for WipedJson {
    fn from(value: Value) -> WipedJson {
        WipedJson(value)
    }
}

/// A nested tree (such as Aegis's plain `db`) is wiped with its parent struct.
impl<'de> Deserialize<'de> for WipedJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(WipedJson)
    }
}

impl Serialize for WipedJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl Drop for WipedJson {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

fn wipe(value: &mut Value) {
    match value {
        Value::String(s) => s.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe),
        Value::Object(fields) => fields.values_mut().for_each(wipe),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structure_inside_strings_costs_nothing() {
        assert_eq!(tree_bytes(br#"{"a":"{[,:\"{["}"#), 700 + 96 + 96);
        assert_eq!(tree_bytes(b"[0,0,0]"), 700 + 3 * 96);
    }

    #[test]
    fn every_string_at_every_depth_is_cleared() {
        let mut tree = serde_json::json!({
            "secret": "a string to wipe",
            "entries": [{"info": {"secret": "another"}}, "loose"],
            "digits": 6
        });
        wipe(&mut tree);
        assert_eq!(
            tree,
            serde_json::json!({"secret": "", "entries": [{"info": {"secret": ""}}, ""], "digits": 6})
        );
    }
}
