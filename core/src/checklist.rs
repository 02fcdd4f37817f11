//! Before wiping the old machine: what to fix so no account is lost.

use serde::Serialize;

use crate::account::Account;
use crate::otp::Kind;
use crate::settings::Meta;

/// A bundle older than this is flagged even if nothing changed.
pub const BUNDLE_STALE_AFTER_DAYS: u64 = 30;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Checklist {
    /// Accounts with no unused recovery code.
    pub without_recovery_codes: Vec<String>,
    /// Added or changed since the last verified bundle (all, if none).
    pub changed_since_bundle: Vec<String>,
    /// Days since the last verified bundle; `None` when there is none.
    pub bundle_age_days: Option<u64>,
    /// Counter-based accounts, whose counters can drift out of step.
    pub hotp: Vec<String>,
    /// Accounts with no recovery codes and no other way in recorded: losing
    /// Twofold means losing the account.
    pub twofold_only: Vec<String>,
    /// No verified bundle, or one older than [`BUNDLE_STALE_AFTER_DAYS`].
    pub bundle_stale: bool,
    /// Automatic backups: on, the newest, and what stops them.
    pub backups: crate::backup::Health,
    /// Accounts added or changed since the last emergency kit was printed
    /// ("3 accounts added since your kit was printed"); `None`: no kit yet.
    pub accounts_since_kit: Option<usize>,
    /// Other computers syncing with this one that have not been seen for
    /// [`PEER_UNSEEN_AFTER_DAYS`](crate::settings::PEER_UNSEEN_AFTER_DAYS).
    pub unseen_computers: Vec<String>,
    /// Anything a person should fix before wiping the old machine.
    pub needs_attention: bool,
}

impl Checklist {
    pub fn build(accounts: &[Account], meta: &Meta, now: u64) -> Self {
        let verified_at = meta.last_verified_bundle.as_ref().map(|b| b.at);
        let mut list = Checklist {
            bundle_age_days: verified_at.map(|at| now.saturating_sub(at) / 86_400),
            ..Self::default()
        };
        for a in accounts {
            let name = a.display_name();
            let has_codes = a.recovery_codes.iter().any(|c| c.used_at.is_none());
            if !has_codes {
                list.without_recovery_codes.push(name.clone());
            }
            if verified_at.is_none_or(|at| a.created.max(a.updated) > at) {
                list.changed_since_bundle.push(name.clone());
            }
            if matches!(a.otp.kind, Kind::Hotp { .. }) {
                list.hotp.push(name.clone());
            }
            if !has_codes && a.other_ways.is_empty() {
                list.twofold_only.push(name);
            }
        }
        list.accounts_since_kit =
            meta.last_kit.map(|kit| accounts.iter().filter(|a| a.created.max(a.updated) > kit.at).count());
        if let Some(sync) = &meta.sync {
            let unseen_after = crate::settings::PEER_UNSEEN_AFTER_DAYS * 86_400;
            list.unseen_computers = sync
                .peers
                .iter()
                .filter(|(id, peer)| {
                    !sync.removed.contains(*id) && now.saturating_sub(peer.written_ms / 1000) > unseen_after
                })
                .map(|(_, peer)| peer.name.clone())
                .collect();
        }
        list.bundle_stale = list.bundle_age_days.is_none_or(|d| d > BUNDLE_STALE_AFTER_DAYS);
        list.needs_attention = list.bundle_stale
            || !list.without_recovery_codes.is_empty()
            || !list.changed_since_bundle.is_empty()
            || !list.hotp.is_empty()
            || !list.twofold_only.is_empty()
            || !list.unseen_computers.is_empty();
        list
    }

    /// Adds how backups are doing (checked by the caller, which can reach
    /// the folder and the keychain); failing backups need attention.
    pub fn with_backups(mut self, backups: crate::backup::Health) -> Self {
        self.needs_attention |= backups.problem.is_some();
        self.backups = backups;
        self
    }
}
