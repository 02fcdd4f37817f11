//! Every change to the vault: accounts added, removed and edited, the
//! person's order, and the settings it keeps. Each goes through one
//! `update` (re-read under the lock, change a copy, save, then adopt), and
//! each change to one account through `change`, which stamps it.

use std::collections::HashSet;
use std::path::PathBuf;

use serde::Serialize;
use uuid::Uuid;

use super::{Vault, VaultError, Write};
use crate::account::{Account, OtherWays, RecoveryCode};
use crate::otp::Kind;
use crate::same_codes::SameCodes;
use crate::settings::{
    ClockSettings, ListOrder, Privacy, QuickSettings, Retention, TraySettings, VerifiedBundle,
};

/// What [`Vault::add_all`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct AddOutcome {
    pub added: Vec<Uuid>,
    pub skipped: Vec<Skipped>,
}

/// An account not added because the vault already computes its codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub account: String,
    pub existing: String,
}

impl Vault {
    pub fn set_backup_retention(&mut self, retention: Retention) -> Result<(), VaultError> {
        self.update(|_, meta| {
            meta.backup_retention = retention;
            Ok(())
        })
    }

    pub fn set_backup_folder(&mut self, folder: Option<PathBuf>) -> Result<(), VaultError> {
        self.update(|_, meta| {
            meta.backup_folder = folder;
            Ok(())
        })
    }

    pub fn set_list_order(&mut self, order: ListOrder) -> Result<(), VaultError> {
        self.update(|_, meta| {
            meta.list_order = order;
            Ok(())
        })
    }

    /// Moves an account to where `other` is in the person's own order;
    /// `other` and those between shift one place towards where it was (a
    /// drag onto a row, or Alt+arrow past a neighbour). Pinned accounts are
    /// listed first whatever their place, so a move across that line (a
    /// pinned account onto an unpinned one) changes nothing: in the vault's
    /// order it could go the other way from what the person sees.
    pub fn move_to(&mut self, id: Uuid, other: Uuid) -> Result<(), VaultError> {
        self.update(|accounts, _| {
            let from = accounts.iter().position(|a| a.id == id).ok_or(VaultError::NoSuchAccount)?;
            let to = accounts.iter().position(|a| a.id == other).ok_or(VaultError::NoSuchAccount)?;
            if accounts[from].pinned != accounts[to].pinned {
                return Ok(());
            }
            let account = accounts.remove(from);
            accounts.insert(to, account);
            Ok(())
        })
    }

    /// Notes that the account's code was just used (copied), for the
    /// "recently used" order. Not a change: it does not count as one for
    /// automatic backups or the transfer checklist.
    pub fn mark_used(&mut self, id: Uuid, now: u64) -> Result<(), VaultError> {
        self.update_as(Write::Quiet, |accounts, _| {
            let account = accounts.iter_mut().find(|a| a.id == id).ok_or(VaultError::NoSuchAccount)?;
            account.last_used = now;
            Ok(())
        })
    }

    /// Adds an account unless one with the same key and parameters exists.
    pub fn add(&mut self, account: Account) -> Result<(), VaultError> {
        self.add_all(vec![account]).and_then(|outcome| match outcome.skipped.into_iter().next() {
            Some(skipped) => Err(VaultError::Duplicate { existing: skipped.existing }),
            None => Ok(()),
        })
    }

    /// Adds many accounts in ONE save: all of them or, if the save fails,
    /// none. Accounts already in the vault (or repeated in `accounts`) are
    /// skipped and named in the outcome; an account whose id is taken (an
    /// import of a file with repeated ids) gets a fresh one, so an id always
    /// names one account.
    pub fn add_all(&mut self, accounts: Vec<Account>) -> Result<AddOutcome, VaultError> {
        self.update(|current, _| {
            let mut outcome = AddOutcome::default();
            let mut same = SameCodes::new(current);
            let mut ids: HashSet<Uuid> = current.iter().map(|a| a.id).collect();
            for mut account in accounts {
                if let Some(existing) = same.find(current, &account.otp) {
                    let existing = current[existing].display_name();
                    outcome.skipped.push(Skipped { account: account.display_name(), existing });
                    continue;
                }
                while !ids.insert(account.id) {
                    account.id = Uuid::new_v4();
                }
                same.insert(current.len(), &account.otp);
                outcome.added.push(account.id);
                current.push(account);
            }
            Ok(outcome)
        })
    }

    pub fn remove(&mut self, id: Uuid) -> Result<Account, VaultError> {
        self.update(|accounts, _| {
            let index = accounts.iter().position(|a| a.id == id).ok_or(VaultError::NoSuchAccount)?;
            Ok(accounts.remove(index))
        })
    }

    pub fn rename(&mut self, id: Uuid, issuer: &str, name: &str, now: u64) -> Result<(), VaultError> {
        self.change(id, now, |account| {
            account.issuer = issuer.trim().to_owned();
            account.name = name.trim().to_owned();
            Ok(())
        })
    }

    /// Pins an account to the tray menu, or unpins it.
    pub fn set_pinned(&mut self, id: Uuid, pinned: bool, now: u64) -> Result<(), VaultError> {
        self.change(id, now, |account| {
            account.pinned = pinned;
            Ok(())
        })
    }

    /// The icon the account shows: matched by issuer, none, or a chosen one.
    pub fn set_icon(&mut self, id: Uuid, icon: crate::icons::IconChoice, now: u64) -> Result<(), VaultError> {
        self.change(id, now, |account| {
            account.icon = icon;
            Ok(())
        })
    }

    /// Replaces the account's tags (cleaned by [`crate::account::clean_tags`]).
    pub fn set_tags(&mut self, id: Uuid, tags: &[String], now: u64) -> Result<(), VaultError> {
        let tags = crate::account::clean_tags(tags);
        self.change(id, now, |account| {
            account.tags = tags;
            Ok(())
        })
    }

    /// Replaces the account's recovery codes (e.g. after the service issued new ones).
    pub fn set_recovery_codes(&mut self, id: Uuid, codes: Vec<String>, now: u64) -> Result<(), VaultError> {
        self.change(id, now, |a| {
            a.recovery_codes = codes.into_iter().map(|code| RecoveryCode { code, used_at: None }).collect();
            Ok(())
        })
    }

    /// Marks one code used; spaces, dashes and case do not matter. Returns
    /// how many unused codes remain.
    pub fn use_recovery_code(&mut self, id: Uuid, code: &str, now: u64) -> Result<usize, VaultError> {
        let wanted = normalise_code(code);
        self.change(id, now, |a| {
            let found = a.recovery_codes.iter_mut().find(|c| normalise_code(&c.code) == wanted);
            let found = found.ok_or(VaultError::NoSuchRecoveryCode)?;
            if found.used_at.is_some() {
                return Err(VaultError::RecoveryCodeUsed);
            }
            found.used_at = Some(now);
            Ok(a.recovery_codes.iter().filter(|c| c.used_at.is_none()).count())
        })
    }

    pub fn set_other_ways(&mut self, id: Uuid, ways: OtherWays, now: u64) -> Result<(), VaultError> {
        self.change(id, now, |a| {
            a.other_ways = ways;
            Ok(())
        })
    }

    pub fn set_notes(&mut self, id: Uuid, notes: &str, now: u64) -> Result<(), VaultError> {
        self.change(id, now, |a| {
            a.notes = notes.trim().to_owned();
            Ok(())
        })
    }

    /// The other ways in and the notes together, in one save.
    pub fn set_ways_in(
        &mut self,
        id: Uuid,
        ways: OtherWays,
        notes: &str,
        now: u64,
    ) -> Result<(), VaultError> {
        self.change(id, now, |a| {
            a.other_ways = ways;
            a.notes = notes.trim().to_owned();
            Ok(())
        })
    }

    /// Changes one account and stamps it as changed at `now`.
    fn change<T>(
        &mut self,
        id: Uuid,
        now: u64,
        f: impl FnOnce(&mut Account) -> Result<T, VaultError>,
    ) -> Result<T, VaultError> {
        self.update(|accounts, _| {
            let account = accounts.iter_mut().find(|a| a.id == id).ok_or(VaultError::NoSuchAccount)?;
            let result = f(account)?;
            account.updated = now;
            Ok(result)
        })
    }

    /// Advances an HOTP counter by one and saves it before the new code is
    /// shown, so a code is never displayed twice for different counters.
    /// The change is stamped like any other, so the checklist sees that
    /// the counter moved since the last bundle.
    pub fn next_hotp(&mut self, id: Uuid, now: u64) -> Result<&Account, VaultError> {
        self.change(id, now, |account| match &mut account.otp.kind {
            Kind::Hotp { counter } => {
                *counter = counter.saturating_add(1);
                Ok(())
            }
            _ => Err(VaultError::NotHotp),
        })?;
        self.account(id)
    }

    /// An empty server means the default one.
    pub fn set_clock_settings(&mut self, mut settings: ClockSettings) -> Result<(), VaultError> {
        settings.server = crate::clock::chosen_server(&settings.server);
        if !crate::clock::is_server_name(&settings.server) {
            return Err(VaultError::NotAServerName);
        }
        self.update(|_, meta| {
            meta.clock = settings;
            Ok(())
        })
    }

    pub fn set_lock_settings(&mut self, settings: crate::app_lock::LockSettings) -> Result<(), VaultError> {
        self.update(|_, meta| {
            meta.lock = settings;
            Ok(())
        })
    }

    pub fn set_quick_settings(&mut self, quick: QuickSettings) -> Result<(), VaultError> {
        self.update(|_, meta| {
            meta.quick = quick;
            Ok(())
        })
    }

    pub fn set_tray_settings(&mut self, tray: TraySettings) -> Result<(), VaultError> {
        self.update(|_, meta| {
            meta.tray = tray;
            Ok(())
        })
    }

    pub fn set_privacy(&mut self, privacy: Privacy) -> Result<(), VaultError> {
        self.update(|_, meta| {
            meta.privacy = privacy;
            Ok(())
        })
    }

    /// Records a bundle that was verified complete.
    pub fn record_verified_bundle(&mut self, verified: VerifiedBundle) -> Result<(), VaultError> {
        self.update(|_, meta| {
            meta.last_verified_bundle = Some(verified);
            Ok(())
        })
    }

    /// Records that an emergency kit was printed (see `kit`).
    pub fn record_kit(&mut self, printed: crate::settings::KitPrinted) -> Result<(), VaultError> {
        self.update(|_, meta| {
            meta.last_kit = Some(printed);
            Ok(())
        })
    }
}

fn normalise_code(code: &str) -> String {
    code.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}
