//! The merge's rules, one scenario each; the algebra as property tests and
//! the five-computer simulation are in `core/tests/it/sync_merge.rs`.

use super::*;
use crate::otp::{Algorithm, Otp};
use crate::secret::Secret;

const HOUR: u64 = 3_600_000;
const T0: u64 = 1_800_000_000_000;

fn account(issuer: &str, secret: &[u8]) -> Account {
    let otp = Otp::new(
        Secret::from_bytes(secret.to_vec()).expect("secret"),
        Algorithm::Sha1,
        6,
        Kind::Totp { period: 30 },
    )
    .expect("otp");
    Account::new(issuer, "me@example.com", otp, 1_700_000_000)
}

/// A computer: its replica and its vault's list.
struct Computer {
    replica: Replica,
    list: Vec<Account>,
}

impl Computer {
    fn new(device: u64) -> Self {
        Self { replica: Replica::new(DeviceId(device)), list: Vec::new() }
    }

    /// What a sync round does: record, take in `others`, apply.
    fn sync(&mut self, others: &[&State], now: u64) {
        self.list = self.replica.round(&self.list, others, now, false).accounts;
    }

    fn names(&self) -> Vec<String> {
        self.list.iter().map(|a| a.issuer.clone()).collect()
    }

    fn rename(&mut self, index: usize, issuer: &str) {
        self.list[index].issuer = issuer.into();
    }
}

/// Two computers in step holding `issuers`.
fn pair(issuers: &[&str]) -> (Computer, Computer) {
    let (mut a, mut b) = (Computer::new(1), Computer::new(2));
    a.list = issuers.iter().enumerate().map(|(i, n)| account(n, &[i as u8 + 1; 10])).collect();
    a.sync(&[], T0);
    b.sync(&[&a.replica.state], T0 + 1);
    a.sync(&[&b.replica.state], T0 + 2);
    assert_eq!(a.names(), b.names());
    (a, b)
}

#[test]
fn an_add_a_rename_a_pin_and_a_move_travel() {
    let (mut a, mut b) = pair(&["one", "two", "three"]);
    a.list.push(account("four", b"four-key-1"));
    a.rename(0, "uno");
    a.list[1].pinned = true;
    a.list.swap(1, 2);
    a.sync(&[], T0 + 1_000);
    b.sync(&[&a.replica.state], T0 + 2_000);
    assert_eq!(b.names(), ["uno", "three", "two", "four"]);
    assert!(b.list[2].pinned);
    assert!(b.replica.state.view(T0).conflicts.is_empty());
}

#[test]
fn both_computers_changing_one_name_is_a_conflict_that_keeps_both() {
    let (mut a, mut b) = pair(&["one", "two"]);
    a.rename(0, "from a");
    b.rename(0, "from b");
    a.sync(&[], T0 + 1_000);
    b.sync(&[], T0 + 2_000);
    a.sync(&[&b.replica.state], T0 + 3_000);
    b.sync(&[&a.replica.state], T0 + 3_000);
    let conflicts = a.replica.state.view(T0).conflicts;
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].field, Field::Label);
    let shown: Vec<&str> = conflicts[0].versions.iter().map(|v| v.shown.as_str()).collect();
    assert_eq!(shown, ["from a: me@example.com", "from b: me@example.com"]);
    assert_eq!(a.replica.state, b.replica.state, "both sides hold the same");
    // Different fields changed on each side are no conflict.
    a.list[1].pinned = true;
    b.list[1].notes = "note".into();
    a.sync(&[], T0 + 4_000);
    b.sync(&[&a.replica.state], T0 + 5_000);
    assert_eq!(b.replica.state.view(T0).conflicts.len(), 1);
    assert!(b.list[1].pinned && b.list[1].notes == "note");

    // Keeping one settles it on both.
    let id = conflicts[0].account;
    b.replica.resolve(id, Field::Label, Keep::Other, T0 + 6_000).expect("resolves");
    b.list = b.replica.apply(&b.list, T0 + 6_000, false).accounts;
    assert_eq!(b.list[0].issuer, "from a");
    a.sync(&[&b.replica.state], T0 + 7_000);
    assert!(a.replica.state.view(T0).conflicts.is_empty());
    assert_eq!(a.list[0].issuer, "from a");
    assert_eq!(
        b.replica.resolve(id, Field::Label, Keep::This, T0 + 8_000),
        Err(ReplicaError::NoSuchConflict)
    );
}

#[test]
fn a_removal_travels_and_an_edit_made_after_it_brings_the_account_back() {
    let (mut a, mut b) = pair(&["one", "two"]);
    a.list.remove(0);
    a.sync(&[], T0 + 1_000);
    // b renames it later, without having seen the removal.
    b.rename(0, "renamed later");
    b.sync(&[], T0 + 2_000);
    a.sync(&[&b.replica.state], T0 + 3_000);
    b.sync(&[&a.replica.state], T0 + 3_000);
    assert_eq!(a.names(), ["renamed later", "two"]);
    assert_eq!(b.names(), ["renamed later", "two"]);

    // A removal after the last edit wins, and is a tombstone: the account's
    // last versions are kept.
    let (mut a, mut b) = pair(&["one", "two"]);
    b.rename(0, "renamed first");
    b.sync(&[], T0 + 1_000);
    a.list.remove(0);
    a.sync(&[], T0 + 2_000);
    b.sync(&[&a.replica.state], T0 + 3_000);
    assert_eq!(b.names(), ["two"]);
    let view = b.replica.state.view(T0 + 3_000);
    assert_eq!(view.removed.len(), 1);
    assert!(b.replica.state.accounts[&view.removed[0]].label.value().is_some());
}

#[test]
fn a_computer_an_hour_fast_does_not_win_later_edits() {
    let (mut fast, mut slow) = pair(&["one"]);
    fast.rename(0, "fast");
    fast.sync(&[], T0 + HOUR);
    slow.sync(&[&fast.replica.state], T0 + 1_000);
    assert_eq!(slow.names(), ["fast"]);
    // The slow computer's clock did not jump an hour: its next edit, made
    // after seeing the fast one's, wins on causality, not on the clock.
    slow.rename(0, "slow, later");
    slow.sync(&[], T0 + 2_000);
    assert!(slow.replica.clock.ms < T0 + HOUR, "took in a far-ahead stamp");
    fast.sync(&[&slow.replica.state], T0 + HOUR + 3_000);
    assert_eq!(fast.names(), ["slow, later"]);
    assert!(fast.replica.state.view(T0).conflicts.is_empty());
}

#[test]
fn a_removal_stamped_far_ahead_is_a_conflict_not_a_removal() {
    let (mut fast, mut slow) = pair(&["one", "two"]);
    fast.list.remove(0);
    fast.sync(&[], T0 + 24 * HOUR);
    slow.rename(0, "edited");
    slow.sync(&[], T0 + 1_000);
    slow.sync(&[&fast.replica.state], T0 + 2_000);
    assert_eq!(slow.names(), ["edited", "two"], "kept while in doubt");
    let conflicts = slow.replica.state.view(T0 + 2_000).conflicts;
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].field, Field::Removal);
}

#[test]
fn a_day_slow_computer_still_takes_part() {
    let (mut a, mut slow) = pair(&["one"]);
    slow.rename(0, "from the slow one");
    slow.sync(&[], T0 - 24 * HOUR);
    a.sync(&[&slow.replica.state], T0 + 1_000);
    assert_eq!(a.names(), ["from the slow one"], "a change seen later wins whatever its clock");
}

#[test]
fn removing_many_at_once_waits_and_the_accounts_stay() {
    let names: Vec<String> = (0..20).map(|i| format!("acct {i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let (mut a, mut b) = pair(&names);
    a.list.truncate(15);
    a.sync(&[], T0 + 1_000);
    b.sync(&[&a.replica.state], T0 + 2_000);
    assert_eq!(b.list.len(), 20, "five removals wait");
    assert_eq!(b.replica.held.removals.len(), 5);
    // A later round neither removes them nor writes them back.
    b.sync(&[&a.replica.state], T0 + 3_000);
    assert_eq!(b.list.len(), 20);
    a.sync(&[&b.replica.state], T0 + 4_000);
    assert_eq!(a.list.len(), 15, "holding back is not bringing back");
    // Confirmed, they go.
    b.list = b.replica.apply(&b.list, T0 + 5_000, true).accounts;
    assert_eq!(b.list.len(), 15);
    assert!(b.replica.held.is_empty());
}

#[test]
fn a_state_that_changes_every_key_waits() {
    let (mut a, mut b) = pair(&["one", "two", "three"]);
    for (i, account) in a.list.iter_mut().enumerate() {
        account.otp.secret = Secret::from_bytes(vec![0xee; 10 + i]).expect("secret");
    }
    a.sync(&[], T0 + 1_000);
    let before: Vec<_> = b.list.iter().map(|x| x.otp.clone()).collect();
    b.sync(&[&a.replica.state], T0 + 2_000);
    assert_eq!(b.list.iter().map(|x| x.otp.clone()).collect::<Vec<_>>(), before);
    assert_eq!(b.replica.held.keys.len(), 3);
}

#[test]
fn hotp_counters_never_go_back() {
    let mut a = Computer::new(1);
    let otp = Otp::new(
        Secret::from_bytes(vec![7; 10]).expect("secret"),
        Algorithm::Sha1,
        6,
        Kind::Hotp { counter: 5 },
    )
    .expect("otp");
    a.list.push(Account::new("hotp", "me", otp, 1));
    a.sync(&[], T0);
    let mut b = Computer::new(2);
    b.sync(&[&a.replica.state], T0 + 1);
    a.list[0].otp.kind = Kind::Hotp { counter: 9 };
    b.list[0].otp.kind = Kind::Hotp { counter: 7 };
    a.sync(&[], T0 + 2);
    b.sync(&[&a.replica.state], T0 + 3);
    assert_eq!(b.list[0].otp.kind, Kind::Hotp { counter: 9 });
    assert!(b.replica.state.view(T0).conflicts.is_empty(), "a counter is no conflict");
}

#[test]
fn conflicts_never_show_a_key() {
    let (mut a, mut b) = pair(&["one"]);
    a.list[0].otp.secret = Secret::from_bytes(b"a-new-secret".to_vec()).expect("secret");
    b.list[0].otp.secret = Secret::from_bytes(b"b-new-secret".to_vec()).expect("secret");
    a.sync(&[], T0 + 1_000);
    b.sync(&[&a.replica.state], T0 + 2_000);
    let conflicts = b.replica.state.view(T0).conflicts;
    assert_eq!(conflicts[0].field, Field::Key);
    let text = format!("{conflicts:?}");
    for secret in ["a-new-secret", "b-new-secret", "MEWW4ZLXFVZWKY3SMV2A"] {
        assert!(!text.contains(secret), "{text}");
    }
}
