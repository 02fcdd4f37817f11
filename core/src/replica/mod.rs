//! What sync merges: every account as registers with their own stamps, a
//! state-based CRDT (`docs/sync-format.md`). The vault stays the list the
//! rest of Twofold reads; this is kept beside it, in the vault's encrypted
//! contents, and a sync round (`sync`) moves changes between the two:
//! [`Replica::record`] turns what the person changed in the vault into
//! stamped writes, [`State::merge`] takes in another computer's state, and
//! [`Replica::apply`] gives the list to put back in the vault.
//!
//! Each account is a set of registers, one per thing a person changes on
//! its own: the key and parameters, the issuer and name, the tags and pin,
//! the recovery codes, the notes (with the other ways in and the icon),
//! the position, and whether it exists at all (a removal is a write of
//! "gone", a tombstone). Changes are dots of a causal context, so "changed
//! on both computers since they last saw each other" is exact: both
//! versions stay, as a [`Conflict`], until the person keeps one. Stamps
//! (hybrid logical clocks) only order what is shown meanwhile and settle
//! a removal against an edit made without seeing it (the later wins, so an
//! edit after a removal brings the account back), and a stamp far ahead
//! of this computer's clock never wins that unasked.
//!
//! Here: the state and its merge, recording and applying; `stamp.rs` the
//! ids, dots, context and clocks; `register.rs` one field's versions;
//! `order.rs` positions.

mod order;
mod register;
mod stamp;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::account::{Account, OtherWays, RecoveryCode};
use crate::icons::IconChoice;
use crate::otp::{Kind, Otp};
pub use register::{Register, Version};
pub use stamp::{Context, DeviceId, Dot, Stamp, MAX_AHEAD_MS};

/// An account's issuer and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub issuer: String,
    pub name: String,
}

/// An account's tags and whether it is pinned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filing {
    pub tags: Vec<String>,
    pub pinned: bool,
}

/// What a person notes about an account besides its codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Details {
    pub notes: String,
    pub other_ways: OtherWays,
    pub icon: IconChoice,
}

/// One account in the state: a register per field, the HOTP counter (the
/// highest any computer used: a code once shown is never shown again) and
/// when it was added (the earliest any computer says).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountState {
    #[serde(default)]
    pub created: u64,
    #[serde(default)]
    pub counter: u64,
    pub alive: Register<bool>,
    /// The key and parameters, the HOTP counter left at 0 (see `counter`).
    pub key: Register<Otp>,
    pub label: Register<Label>,
    pub filing: Register<Filing>,
    pub recovery: Register<Vec<RecoveryCode>>,
    pub details: Register<Details>,
    pub position: Register<u64>,
}

/// The fields a person can change on their own, as named in conflicts.
/// Written as [`Field::as_str`] names it (the CLI's conflict ids, the page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Field {
    #[serde(rename = "key")]
    Key,
    #[serde(rename = "name")]
    Label,
    #[serde(rename = "tags")]
    Filing,
    #[serde(rename = "recovery-codes")]
    Recovery,
    #[serde(rename = "notes")]
    Details,
    /// Removed on one computer and changed on another, and the removal's
    /// stamp is too far ahead to be believed.
    #[serde(rename = "removal")]
    Removal,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Key => "key",
            Field::Label => "name",
            Field::Filing => "tags",
            Field::Recovery => "recovery-codes",
            Field::Details => "notes",
            Field::Removal => "removal",
        }
    }
}

/// Every account any computer has written, and every change seen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub context: Context,
    pub accounts: BTreeMap<Uuid, AccountState>,
}

impl State {
    /// The join of two states: commutative, associative and idempotent, so
    /// the order files arrive in never changes the result.
    pub fn merge(&self, other: &State) -> State {
        let (ours, theirs) = (&self.context, &other.context);
        let empty = AccountState::default();
        let ids: BTreeSet<&Uuid> = self.accounts.keys().chain(other.accounts.keys()).collect();
        let accounts = ids
            .into_iter()
            .map(|id| {
                let a = self.accounts.get(id).unwrap_or(&empty);
                let b = other.accounts.get(id).unwrap_or(&empty);
                let merged = AccountState {
                    created: match (a.created, b.created) {
                        (0, x) | (x, 0) => x,
                        (x, y) => x.min(y),
                    },
                    counter: a.counter.max(b.counter),
                    alive: a.alive.merge(ours, &b.alive, theirs),
                    key: a.key.merge(ours, &b.key, theirs),
                    label: a.label.merge(ours, &b.label, theirs),
                    filing: a.filing.merge(ours, &b.filing, theirs),
                    recovery: a.recovery.merge(ours, &b.recovery, theirs),
                    details: a.details.merge(ours, &b.details, theirs),
                    position: a.position.merge(ours, &b.position, theirs),
                };
                (*id, merged)
            })
            .collect();
        let mut context = ours.clone();
        context.join(theirs);
        State { context, accounts }
    }

    /// The newest stamp anywhere in the state.
    pub fn newest_stamp(&self) -> Stamp {
        self.accounts
            .values()
            .flat_map(|a| {
                [
                    a.alive.newest_stamp(),
                    a.key.newest_stamp(),
                    a.label.newest_stamp(),
                    a.filing.newest_stamp(),
                    a.recovery.newest_stamp(),
                    a.details.newest_stamp(),
                    a.position.newest_stamp(),
                ]
            })
            .flatten()
            .max()
            .unwrap_or_default()
    }

    /// The accounts as they should be shown, with what disagrees.
    pub fn view(&self, now_ms: u64) -> View {
        let mut shown: Vec<(u64, Account)> = Vec::new();
        let mut conflicts = Vec::new();
        let mut removed = Vec::new();
        for (id, state) in &self.accounts {
            let Some(account) = state.account(*id) else { continue };
            for field in [Field::Key, Field::Label, Field::Filing, Field::Recovery, Field::Details] {
                if state.disagrees(field) {
                    conflicts.push(Conflict { account: *id, field, versions: state.versions(field) });
                }
            }
            let alive = state.alive.latest().map(|v| (v.value, v.at));
            let contested = state.alive.disagrees();
            match alive {
                Some((false, at)) if contested && at.is_ahead_of(now_ms) => {
                    conflicts.push(Conflict {
                        account: *id,
                        field: Field::Removal,
                        versions: state.versions(Field::Removal),
                    });
                }
                Some((false, _)) => {
                    removed.push(*id);
                    continue;
                }
                _ => {}
            }
            shown.push((state.position.value().copied().unwrap_or(0), account));
        }
        shown.sort_by_key(|(position, account)| (*position, account.id));
        View { accounts: shown.into_iter().map(|(_, a)| a).collect(), conflicts, removed }
    }
}

impl AccountState {
    /// The account its registers describe, or `None` where a register an
    /// account cannot do without was never written.
    fn account(&self, id: Uuid) -> Option<Account> {
        let mut otp = self.key.value()?.clone();
        if let Kind::Hotp { counter } = &mut otp.kind {
            *counter = self.counter;
        }
        let label = self.label.value()?;
        let mut account = Account::new(label.issuer.clone(), label.name.clone(), otp, self.created);
        account.id = id;
        if let Some(filing) = self.filing.value() {
            (account.tags, account.pinned) = (filing.tags.clone(), filing.pinned);
        }
        if let Some(codes) = self.recovery.value() {
            account.recovery_codes = codes.clone();
        }
        if let Some(details) = self.details.value() {
            account.notes = details.notes.clone();
            account.other_ways = details.other_ways.clone();
            account.icon = details.icon.clone();
        }
        account.updated = [
            self.key.newest_stamp(),
            self.label.newest_stamp(),
            self.filing.newest_stamp(),
            self.recovery.newest_stamp(),
            self.details.newest_stamp(),
        ]
        .into_iter()
        .flatten()
        .map(|s| s.ms / 1000)
        .max()
        .unwrap_or(0);
        Some(account)
    }

    fn disagrees(&self, field: Field) -> bool {
        match field {
            Field::Key => self.key.disagrees(),
            Field::Label => self.label.disagrees(),
            Field::Filing => self.filing.disagrees(),
            Field::Recovery => self.recovery.disagrees(),
            Field::Details => self.details.disagrees(),
            Field::Removal => self.alive.disagrees(),
        }
    }

    /// A field's versions as a person can be shown them: never the key.
    fn versions(&self, field: Field) -> Vec<Shown> {
        fn each<T>(register: &Register<T>, show: impl Fn(&T) -> String) -> Vec<Shown> {
            register
                .versions()
                .iter()
                .map(|v| Shown { device: v.dot.device, at_ms: v.at.ms, shown: show(&v.value) })
                .collect()
        }
        match field {
            Field::Key => each(&self.key, |otp| {
                let kind = otp.kind.otp_type().as_str().to_uppercase();
                format!("a key for {kind} codes ({}, {} digits)", otp.algorithm.as_str(), otp.digits)
            }),
            Field::Label => each(&self.label, |l| {
                if l.issuer.is_empty() {
                    l.name.clone()
                } else {
                    format!("{}: {}", l.issuer, l.name)
                }
            }),
            Field::Filing => each(&self.filing, |f| {
                let tags = if f.tags.is_empty() { "no tags".to_owned() } else { f.tags.join(", ") };
                if f.pinned {
                    format!("{tags}, pinned")
                } else {
                    tags
                }
            }),
            Field::Recovery => each(&self.recovery, |codes| {
                let used = codes.iter().filter(|c| c.used_at.is_some()).count();
                format!("{} recovery codes, {used} used", codes.len())
            }),
            Field::Details => {
                each(
                    &self.details,
                    |d| {
                        if d.notes.is_empty() {
                            "no notes".to_owned()
                        } else {
                            d.notes.clone()
                        }
                    },
                )
            }
            Field::Removal => {
                each(&self.alive, |alive| if *alive { "kept".into() } else { "removed".into() })
            }
        }
    }
}

/// What the state shows: the accounts in order, the fields that disagree,
/// and the accounts removed (tombstones, their last versions kept).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct View {
    pub accounts: Vec<Account>,
    pub conflicts: Vec<Conflict>,
    pub removed: Vec<Uuid>,
}

/// A field changed on two computers that had not seen each other's change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    pub account: Uuid,
    pub field: Field,
    pub versions: Vec<Shown>,
}

impl Conflict {
    /// A short name for the conflict (`twofold-cli sync resolve ID`).
    pub fn id(&self) -> String {
        format!("{}-{}", &self.account.simple().to_string()[..8], self.field.as_str())
    }
}

/// One version of a conflicting field, as a person can be shown it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shown {
    pub device: DeviceId,
    pub at_ms: u64,
    pub shown: String,
}

/// Which version of a conflict the person keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// The one written on this computer.
    This,
    /// The newest written on another computer.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplicaError {
    #[error("there is no such conflict (it may have been settled already)")]
    NoSuchConflict,
    #[error("this computer wrote no version of that field: keep the other one")]
    NoVersionHere,
    #[error("no other computer wrote a version of that field: keep this one")]
    NoOtherVersion,
}

/// Changes the apply step holds back for the person's word: removing or
/// re-keying many accounts at once is more often a mistake or a damaged
/// computer than a wish.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Held {
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub removals: BTreeSet<Uuid>,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub keys: BTreeSet<Uuid>,
}

impl Held {
    pub fn is_empty(&self) -> bool {
        self.removals.is_empty() && self.keys.is_empty()
    }
}

/// More than this many removals (or key changes) in one round wait for the
/// person, and so do more than a tenth of the accounts when that is fewer.
pub const MASS_CHANGE: usize = 3;

fn is_mass(changes: usize, accounts: usize) -> bool {
    changes > MASS_CHANGE || (changes > 1 && changes * 10 > accounts)
}

/// This computer's replica: its id and clock, the merged state, and what
/// waits for the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replica {
    pub device: DeviceId,
    clock: Stamp,
    pub state: State,
    #[serde(default)]
    pub held: Held,
}

/// What applying the state to the vault's list did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    pub accounts: Vec<Account>,
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
}

impl Replica {
    pub fn new(device: DeviceId) -> Self {
        Self { device, clock: Stamp::default(), state: State::default(), held: Held::default() }
    }

    fn stamp(&mut self, now_ms: u64) -> (Dot, Stamp) {
        self.clock = Stamp::tick(self.clock, now_ms);
        (self.state.context.next(self.device), self.clock)
    }

    /// Takes in another computer's state (its stamps into this clock,
    /// unless too far ahead).
    pub fn merge(&mut self, other: &State, now_ms: u64) {
        self.clock = Stamp::observe(self.clock, other.newest_stamp(), now_ms);
        self.state = self.state.merge(other);
    }

    /// Records as stamped writes what differs between `local` (the vault's
    /// list, in its order) and the state: each field changed, each account
    /// added, each account removed, each move. Held changes are not
    /// recorded. Returns how many writes were made.
    pub fn record(&mut self, local: &[Account], now_ms: u64) -> usize {
        let view = self.state.view(now_ms);
        let shown: BTreeSet<Uuid> = view.accounts.iter().map(|a| a.id).collect();
        let mut writes = 0;
        for account in local {
            writes += self.record_account(account, now_ms);
        }
        let here: BTreeSet<Uuid> = local.iter().map(|a| a.id).collect();
        for id in shown.difference(&here) {
            if self.held.removals.contains(id) {
                continue;
            }
            let (dot, at) = self.stamp(now_ms);
            if let Some(state) = self.state.accounts.get_mut(id) {
                state.alive.write(dot, at, false);
                writes += 1;
            }
        }
        let positions: Vec<(Uuid, Option<u64>)> = local
            .iter()
            .map(|a| (a.id, self.state.accounts.get(&a.id).and_then(|s| s.position.value().copied())))
            .collect();
        for (id, key) in order::rekey(&positions) {
            let (dot, at) = self.stamp(now_ms);
            if let Some(state) = self.state.accounts.get_mut(&id) {
                state.position.write(dot, at, key);
                writes += 1;
            }
        }
        writes
    }

    fn record_account(&mut self, account: &Account, now_ms: u64) -> usize {
        let mut key = account.otp.clone();
        let counter = match &mut key.kind {
            Kind::Hotp { counter } => std::mem::take(counter),
            _ => 0,
        };
        let label = Label { issuer: account.issuer.clone(), name: account.name.clone() };
        let filing = Filing { tags: account.tags.clone(), pinned: account.pinned };
        let details = Details {
            notes: account.notes.clone(),
            other_ways: account.other_ways.clone(),
            icon: account.icon.clone(),
        };
        let hold_key = self.held.keys.contains(&account.id);
        let state = self.state.accounts.entry(account.id).or_default();
        if state.created == 0 {
            state.created = account.created;
        }
        state.counter = state.counter.max(counter);
        let changed_key = !hold_key && state.key.value() != Some(&key);
        let changed_label = state.label.value() != Some(&label);
        let changed_filing = state.filing.value() != Some(&filing);
        let changed_recovery = state.recovery.value() != Some(&account.recovery_codes);
        let changed_details = state.details.value() != Some(&details);
        let gone = state.alive.value() != Some(&true) || state.alive.disagrees();
        let edited = changed_key || changed_label || changed_filing || changed_recovery || changed_details;
        // An edit also says "this account exists": against a removal made
        // without seeing it, the later of the two wins.
        let kept = (edited || gone) && !self.held.removals.contains(&account.id);
        let mut writes = 0;
        let mut write = |replica: &mut Replica, f: &dyn Fn(&mut AccountState, Dot, Stamp)| {
            let (dot, at) = replica.stamp(now_ms);
            if let Some(state) = replica.state.accounts.get_mut(&account.id) {
                f(state, dot, at);
            }
            writes += 1;
        };
        if changed_key {
            write(self, &|s, d, t| s.key.write(d, t, key.clone()));
        }
        if changed_label {
            write(self, &|s, d, t| s.label.write(d, t, label.clone()));
        }
        if changed_filing {
            write(self, &|s, d, t| s.filing.write(d, t, filing.clone()));
        }
        if changed_recovery {
            write(self, &|s, d, t| s.recovery.write(d, t, account.recovery_codes.clone()));
        }
        if changed_details {
            write(self, &|s, d, t| s.details.write(d, t, details.clone()));
        }
        if kept {
            write(self, &|s, d, t| s.alive.write(d, t, true));
        }
        writes
    }

    /// The list to put in the vault: the state's accounts in their order,
    /// each keeping what only this computer records (when its code was last
    /// copied). Removals and key changes beyond [`MASS_CHANGE`] are held
    /// (kept as they are in `local`, listed in [`Replica::held`]) unless
    /// `confirmed`.
    pub fn apply(&mut self, local: &[Account], now_ms: u64, confirmed: bool) -> Applied {
        let view = self.state.view(now_ms);
        let mut held = Held::default();
        let shown: BTreeMap<Uuid, &Account> = view.accounts.iter().map(|a| (a.id, a)).collect();
        if !confirmed {
            for account in local {
                match shown.get(&account.id) {
                    None => {
                        held.removals.insert(account.id);
                    }
                    Some(new) if new.otp.secret != account.otp.secret => {
                        held.keys.insert(account.id);
                    }
                    Some(_) => {}
                }
            }
            if !is_mass(held.removals.len(), local.len()) {
                held.removals.clear();
            }
            if !is_mass(held.keys.len(), local.len()) {
                held.keys.clear();
            }
        }
        let before: BTreeMap<Uuid, &Account> = local.iter().map(|a| (a.id, a)).collect();
        let mut applied = Applied::default();
        for account in &view.accounts {
            let mut account = account.clone();
            match before.get(&account.id) {
                Some(old) => {
                    account.last_used = old.last_used;
                    if held.keys.contains(&account.id) {
                        account.otp = old.otp.clone();
                    }
                    if !same_content(old, &account) {
                        applied.changed += 1;
                    }
                }
                None => applied.added += 1,
            }
            applied.accounts.push(account);
        }
        for old in local.iter().filter(|a| !shown.contains_key(&a.id)) {
            if held.removals.contains(&old.id) {
                applied.accounts.push(old.clone());
            } else {
                applied.removed += 1;
            }
        }
        self.held = held;
        applied
    }

    /// One round of sync, pure: record this computer's changes, take in
    /// `others`, and give the list to put back in the vault.
    pub fn round(&mut self, local: &[Account], others: &[&State], now_ms: u64, confirmed: bool) -> Applied {
        self.record(local, now_ms);
        for other in others {
            self.merge(other, now_ms);
        }
        self.apply(local, now_ms, confirmed)
    }

    /// Writes the kept version of a conflict as a new change, which every
    /// computer then takes over both.
    pub fn resolve(
        &mut self,
        account: Uuid,
        field: Field,
        keep: Keep,
        now_ms: u64,
    ) -> Result<(), ReplicaError> {
        let device = self.device;
        let state = self.state.accounts.get(&account).ok_or(ReplicaError::NoSuchConflict)?;
        if !state.disagrees(field) {
            return Err(ReplicaError::NoSuchConflict);
        }
        fn pick<T: Clone>(register: &Register<T>, device: DeviceId, keep: Keep) -> Result<T, ReplicaError> {
            let versions = register.versions().iter();
            let chosen = match keep {
                Keep::This => versions.filter(|v| v.dot.device == device).max_by_key(|v| (v.at, v.dot)),
                Keep::Other => versions.filter(|v| v.dot.device != device).max_by_key(|v| (v.at, v.dot)),
            };
            chosen.map(|v| v.value.clone()).ok_or(match keep {
                Keep::This => ReplicaError::NoVersionHere,
                Keep::Other => ReplicaError::NoOtherVersion,
            })
        }
        let (dot, at) = self.stamp(now_ms);
        let state = self.state.accounts.get_mut(&account).ok_or(ReplicaError::NoSuchConflict)?;
        match field {
            Field::Key => state.key.write(dot, at, pick(&state.key, device, keep)?),
            Field::Label => state.label.write(dot, at, pick(&state.label, device, keep)?),
            Field::Filing => state.filing.write(dot, at, pick(&state.filing, device, keep)?),
            Field::Recovery => state.recovery.write(dot, at, pick(&state.recovery, device, keep)?),
            Field::Details => state.details.write(dot, at, pick(&state.details, device, keep)?),
            Field::Removal => state.alive.write(dot, at, pick(&state.alive, device, keep)?),
        }
        Ok(())
    }
}

/// Whether two copies of an account show the same (the stamp of the last
/// change aside).
fn same_content(a: &Account, b: &Account) -> bool {
    Account { updated: 0, last_used: 0, ..a.clone() } == Account { updated: 0, last_used: 0, ..b.clone() }
}

#[cfg(test)]
mod tests;
