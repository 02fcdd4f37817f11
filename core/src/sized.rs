//! Secrets written into buffers of the size measured first. A `Vec` or a
//! `String` that grows moves its contents to a larger allocation and frees
//! the old one uncleared, leaving a copy of the secret in freed memory;
//! one allocated once at the final size never does, and `Zeroizing` clears
//! it when dropped.

use std::io::Write;

use serde::Serialize;
use zeroize::Zeroizing;

/// `value` as compact JSON, in a buffer allocated once.
pub fn json<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<Zeroizing<Vec<u8>>> {
    measured(|out| serde_json::to_writer(out, value))
}

/// `value` as pretty JSON, in a buffer allocated once.
pub fn json_pretty<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<Zeroizing<Vec<u8>>> {
    measured(|out| serde_json::to_writer_pretty(out, value))
}

/// What `write` writes, counted first, then written into a buffer of that
/// size (`write` must write the same both times, as serialising does).
fn measured(
    write: impl Fn(&mut dyn Write) -> serde_json::Result<()>,
) -> serde_json::Result<Zeroizing<Vec<u8>>> {
    let mut count = Counter(0);
    write(&mut count)?;
    let mut out = Zeroizing::new(Vec::with_capacity(count.0));
    write(&mut *out)?;
    Ok(out)
}

/// `parts` one after the other, in a string allocated once.
pub fn concat(parts: &[&str]) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(parts.iter().map(|p| p.len()).sum()));
    for part in parts {
        out.push_str(part);
    }
    out
}

/// Counts the bytes written to it, keeping none.
struct Counter(usize);

impl Write for Counter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 22 (F12): the buffer is never outgrown, so it never moved and
    /// left a copy behind.
    #[test]
    fn issue_22_serialised_json_fills_its_buffer_exactly() {
        let value: Vec<String> = (0..500).map(|i| format!("JBSWY3DPEHPK3PXP-{i}")).collect();
        for out in [json(&value).expect("serialises"), json_pretty(&value).expect("serialises")] {
            assert_eq!(out.capacity(), out.len());
        }
        assert_eq!(json(&value).expect("serialises").as_slice(), serde_json::to_vec(&value).expect("json"));
        let joined = concat(&["otpauth://totp/a?secret=", "JBSWY3DPEHPK3PXP", "&digits=6"]);
        assert_eq!(
            (joined.as_str(), joined.capacity()),
            ("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&digits=6", 49)
        );
    }
}
