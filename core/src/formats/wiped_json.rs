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

pub(crate) struct WipedJson(Value);

impl WipedJson {
    pub fn parse(bytes: &[u8]) -> serde_json::Result<WipedJson> {
        serde_json::from_slice(bytes).map(WipedJson)
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
