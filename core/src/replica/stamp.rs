//! Who wrote a change and when: device ids, dots (a device's n-th change),
//! the causal context (every dot a state has seen), and hybrid logical
//! clock stamps (wall time that never goes backwards, plus a counter).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A stamp further ahead of this computer's clock than this is not taken
/// into its own clock (a computer an hour fast must not drag every later
/// stamp along) and is named as a clock that is ahead.
pub const MAX_AHEAD_MS: u64 = 10 * 60 * 1000;

/// A computer taking part in sync: random, chosen when sync is turned on.
/// Written as its 16 hex digits (in files and to the page, where a 64-bit
/// number would lose digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DeviceId(pub u64);

impl Serialize for DeviceId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DeviceId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        DeviceId::parse(&text).ok_or_else(|| serde::de::Error::custom("not a device id"))
    }
}

impl DeviceId {
    pub fn random() -> Result<Self, getrandom::Error> {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes)?;
        Ok(Self(u64::from_le_bytes(bytes)))
    }

    /// Sixteen lowercase hex digits, as in the device's file name.
    pub fn parse(text: &str) -> Option<Self> {
        if text.len() != 16 || !text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return None;
        }
        u64::from_str_radix(text, 16).ok().map(Self)
    }
}

impl std::fmt::Display for DeviceId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

/// One change: the `n`-th a device made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Dot {
    pub device: DeviceId,
    pub n: u64,
}

/// Every dot a state has seen, as the highest `n` per device. A state only
/// ever grows by whole states, and a device numbers its changes one by
/// one, so "seen n" means "seen 1 to n".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Context(BTreeMap<DeviceId, u64>);

impl Context {
    pub fn covers(&self, dot: Dot) -> bool {
        self.0.get(&dot.device).is_some_and(|&n| n >= dot.n)
    }

    pub fn join(&mut self, other: &Context) {
        for (&device, &n) in &other.0 {
            let seen = self.0.entry(device).or_default();
            *seen = (*seen).max(n);
        }
    }

    /// The next dot of `device`, now counted as seen.
    pub fn next(&mut self, device: DeviceId) -> Dot {
        let seen = self.0.entry(device).or_default();
        *seen += 1;
        Dot { device, n: *seen }
    }
}

/// A hybrid logical clock stamp: milliseconds since the Unix epoch as the
/// writing computer saw them (never less than any stamp it had seen), and
/// a counter for changes within one millisecond.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Stamp {
    pub ms: u64,
    pub n: u32,
}

impl Stamp {
    /// The stamp of a change made now, after `last` (this clock's latest).
    pub fn tick(last: Stamp, now_ms: u64) -> Stamp {
        if now_ms > last.ms {
            Stamp { ms: now_ms, n: 0 }
        } else {
            Stamp { ms: last.ms, n: last.n.saturating_add(1) }
        }
    }

    /// `last` after seeing `seen`: taken in unless it is too far ahead.
    pub fn observe(last: Stamp, seen: Stamp, now_ms: u64) -> Stamp {
        if seen.ms > now_ms.saturating_add(MAX_AHEAD_MS) {
            last
        } else {
            last.max(seen)
        }
    }

    pub fn is_ahead_of(&self, now_ms: u64) -> bool {
        self.ms > now_ms.saturating_add(MAX_AHEAD_MS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_never_goes_backwards_and_ignores_a_far_future() {
        let last = Stamp { ms: 5_000, n: 3 };
        assert_eq!(Stamp::tick(last, 4_000), Stamp { ms: 5_000, n: 4 }, "clock set back");
        assert_eq!(Stamp::tick(last, 6_000), Stamp { ms: 6_000, n: 0 });
        let hour_ahead = Stamp { ms: 5_000 + 3_600_000, n: 0 };
        assert_eq!(Stamp::observe(last, hour_ahead, 5_000), last);
        assert!(hour_ahead.is_ahead_of(5_000));
        let near = Stamp { ms: 5_000 + 1_000, n: 0 };
        assert_eq!(Stamp::observe(last, near, 5_000), near);
    }

    #[test]
    fn device_ids_read_back_only_from_their_own_form() {
        let id = DeviceId(0x00ab_cdef_0123_4567);
        assert_eq!(DeviceId::parse(&id.to_string()), Some(id));
        for bad in ["", "00ABCDEF01234567", "00abcdef0123456", "00abcdef012345678", "+0abcdef01234567"] {
            assert_eq!(DeviceId::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn contexts_cover_what_they_have_seen() {
        let (a, b) = (DeviceId(1), DeviceId(2));
        let mut ctx = Context::default();
        let first = ctx.next(a);
        assert!(ctx.covers(first));
        assert!(!ctx.covers(Dot { device: a, n: 2 }));
        let mut other = Context::default();
        other.next(b);
        ctx.join(&other);
        assert!(ctx.covers(Dot { device: b, n: 1 }));
    }
}
