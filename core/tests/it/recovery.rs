//! Recovery codes and "other ways in": stored, marked, persisted, carried in
//! the bundle; and the device-change checklist on a prepared vault.

use twofold_core::account::OtherWays;
use twofold_core::checklist::Checklist;
use twofold_core::settings::{Meta, VerifiedBundle};
use twofold_core::vault;
use twofold_core::{recovery, transfer, Unlock, Vault, VaultError};

use crate::common::account;

const PASS: &str = "recovery test passphrase";

#[test]
fn codes_are_marked_used_and_persist() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = vault::path_in(dir.path());
    let mut v = Vault::create(&path, Unlock::Passphrase(PASS)).expect("create");
    v.add(account("otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP")).expect("add");
    let id = v.accounts()[0].id;
    let codes = recovery::parse("GitHub recovery codes\nbd1a3-7c0fe\n0f5c2-a9e81\n");
    v.set_recovery_codes(id, codes, 100).expect("save codes");
    assert_eq!(v.use_recovery_code(id, "BD1A3 7C0FE", 200).expect("use"), 1, "one left");
    assert!(matches!(v.use_recovery_code(id, "bd1a37c0fe", 300), Err(VaultError::RecoveryCodeUsed)));
    assert!(matches!(v.use_recovery_code(id, "nope", 300), Err(VaultError::NoSuchRecoveryCode)));
    let reopened = Vault::open(&path, Unlock::Passphrase(PASS)).expect("open");
    let stored = &reopened.accounts()[0];
    assert_eq!(stored.recovery_codes.len(), 2);
    assert_eq!(stored.recovery_codes[0].used_at, Some(200));
    assert_eq!(stored.updated, 200);
}

#[test]
fn the_bundle_carries_codes_notes_and_other_ways() {
    let mut a = account("otpauth://totp/Bank:me?secret=GEZDGNBVGY3TQOJQ");
    a.notes = "branch phone: 555-0100".into();
    a.other_ways = OtherWays { sms: Some("+1 555 0100".into()), security_key: true, ..OtherWays::default() };
    let bytes = transfer::export(std::slice::from_ref(&a), PASS).expect("export");
    let back = transfer::open(&bytes, PASS).expect("open");
    assert_eq!(back, [a]);
}

#[test]
fn the_checklist_names_what_to_fix() {
    let now = 1_800_000_000;
    let mut covered = account("otpauth://totp/Mail:me?secret=JBSWY3DPEHPK3PXP");
    covered.recovery_codes =
        vec![twofold_core::account::RecoveryCode { code: "1111-2222".into(), used_at: None }];
    covered.created = now - 50 * 86_400;
    let mut sms_only = account("otpauth://totp/Shop:me?secret=GEZDGNBVGY3TQOJQ");
    sms_only.other_ways.sms = Some("+1 555 0100".into());
    sms_only.created = now - 50 * 86_400;
    let mut alone = account("otpauth://hotp/Bank:me?secret=MFRGGZDFMZTWQ2LK&counter=3");
    alone.created = now - 86_400; // after the bundle
    let accounts = [covered, sms_only, alone];

    let never = Checklist::build(&accounts, &Meta::default(), now);
    assert_eq!(never.bundle_age_days, None);
    assert_eq!(never.changed_since_bundle.len(), 3, "no bundle: everything is unsaved");

    let meta = Meta {
        last_verified_bundle: Some(VerifiedBundle {
            at: now - 10 * 86_400,
            accounts: 2,
            path: "b.json".into(),
        }),
        ..Meta::default()
    };
    let list = Checklist::build(&accounts, &meta, now);
    assert_eq!(list.bundle_age_days, Some(10));
    assert_eq!(list.without_recovery_codes, ["Shop (me)", "Bank (me)"]);
    assert_eq!(list.changed_since_bundle, ["Bank (me)"]);
    assert_eq!(list.hotp, ["Bank (me)"]);
    assert_eq!(list.twofold_only, ["Bank (me)"], "SMS counts as another way in");
    assert!(list.needs_attention);

    let fine = Checklist::build(&accounts[..1], &meta, now);
    assert!(!fine.needs_attention, "{fine:?}");
}
