//! Finding accounts that compute the same codes in linear time: each
//! account's code-making parameters are hashed (with a per-index random key,
//! in memory only) to a few candidates, confirmed with
//! [`Otp::same_codes_as`]. A 60,000-link import compares each link with its
//! hash bucket, not with every account before it.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::BuildHasher;

use crate::account::Account;
use crate::otp::{Kind, Otp};

#[derive(Debug)]
pub(crate) struct SameCodes {
    state: RandomState,
    buckets: HashMap<u64, Vec<usize>>,
}

impl SameCodes {
    /// An index over `accounts`, by position.
    pub(crate) fn new(accounts: &[Account]) -> Self {
        let mut index = Self { state: RandomState::new(), buckets: HashMap::new() };
        for (position, account) in accounts.iter().enumerate() {
            index.insert(position, &account.otp);
        }
        index
    }

    fn hash(&self, otp: &Otp) -> u64 {
        // What `same_codes_as` compares: an HOTP counter is not part of it.
        let kind = match otp.kind {
            Kind::Totp { period } => (0u8, period),
            Kind::Hotp { .. } => (1, 0),
            Kind::Steam => (2, 0),
        };
        self.state.hash_one((otp.secret.as_bytes(), otp.algorithm, otp.digits, kind))
    }

    /// The position in `accounts` (the indexed list) of one that makes the
    /// same codes as `otp`.
    pub(crate) fn find(&self, accounts: &[Account], otp: &Otp) -> Option<usize> {
        let candidates = self.buckets.get(&self.hash(otp))?;
        candidates.iter().copied().find(|&p| accounts.get(p).is_some_and(|a| a.otp.same_codes_as(otp)))
    }

    pub(crate) fn insert(&mut self, position: usize, otp: &Otp) {
        let hash = self.hash(otp);
        self.buckets.entry(hash).or_default().push(position);
    }
}
