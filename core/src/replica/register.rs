//! A multi-value register: one field of one account, holding every version
//! written concurrently (more than one is a conflict), each with its dot
//! and stamp.
//!
//! The merge keeps a version both sides hold, and a version one side holds
//! that the other has not seen (its dot outside the other's context); a
//! version one side has seen and no longer holds was overwritten there, so
//! it goes. That is a join: commutative, associative and idempotent.

use serde::{Deserialize, Serialize};

use super::stamp::{Context, Dot, Stamp};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version<T> {
    pub dot: Dot,
    pub at: Stamp,
    pub value: T,
}

/// Versions sorted by dot, each dot once: one canonical form per state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Register<T> {
    versions: Vec<Version<T>>,
}

impl<T> Default for Register<T> {
    fn default() -> Self {
        Self { versions: Vec::new() }
    }
}

impl<T> Register<T> {
    /// The version written last by the stamps (ties: the higher dot), what
    /// is shown while versions disagree.
    pub fn latest(&self) -> Option<&Version<T>> {
        self.versions.iter().max_by_key(|v| (v.at, v.dot))
    }

    pub fn value(&self) -> Option<&T> {
        self.latest().map(|v| &v.value)
    }

    pub fn versions(&self) -> &[Version<T>] {
        &self.versions
    }

    /// The newest stamp held, for a peer's clock.
    pub fn newest_stamp(&self) -> Option<Stamp> {
        self.versions.iter().map(|v| v.at).max()
    }
}

impl<T: Clone + PartialEq> Register<T> {
    /// A change made here: it replaces every version this state holds (all
    /// of them seen, since they are here).
    pub fn write(&mut self, dot: Dot, at: Stamp, value: T) {
        self.versions = vec![Version { dot, at, value }];
    }

    pub fn merge(&self, ours: &Context, other: &Self, theirs: &Context) -> Self {
        let mut versions: Vec<Version<T>> = Vec::with_capacity(self.versions.len().max(other.versions.len()));
        for v in &self.versions {
            if other.holds(v.dot) || !theirs.covers(v.dot) {
                versions.push(v.clone());
            }
        }
        for v in &other.versions {
            if !self.holds(v.dot) && !ours.covers(v.dot) {
                versions.push(v.clone());
            }
        }
        versions.sort_by_key(|v| v.dot);
        Self { versions }
    }

    fn holds(&self, dot: Dot) -> bool {
        self.versions.binary_search_by_key(&dot, |v| v.dot).is_ok()
    }

    /// Versions written without seeing each other, with different values.
    pub fn disagrees(&self) -> bool {
        self.versions.iter().any(|v| v.value != self.versions[0].value)
    }
}

#[cfg(test)]
mod tests {
    use super::super::stamp::DeviceId;
    use super::*;

    #[test]
    fn concurrent_writes_are_both_kept_and_a_later_one_replaces_both() {
        let (a, b) = (DeviceId(1), DeviceId(2));
        let (mut ca, mut cb) = (Context::default(), Context::default());
        let (mut ra, mut rb) = (Register::default(), Register::default());
        ra.write(ca.next(a), Stamp { ms: 1, n: 0 }, "a");
        rb.write(cb.next(b), Stamp { ms: 2, n: 0 }, "b");
        let both = ra.merge(&ca, &rb, &cb);
        assert_eq!(both.versions().len(), 2);
        assert!(both.disagrees());
        assert_eq!(both.value(), Some(&"b"));
        let mut joined = ca.clone();
        joined.join(&cb);
        let mut resolved = both.clone();
        resolved.write(joined.next(a), Stamp { ms: 3, n: 0 }, "a");
        // The resolution has seen both: merging either old side changes nothing.
        assert_eq!(resolved.merge(&joined, &rb, &cb), resolved);
        assert_eq!(rb.merge(&cb, &resolved, &joined), resolved);
    }
}
