//! Vault round trip, tamper detection, the previous version, passphrases. Uses passphrase
//! vaults so these run anywhere; `keychain.rs` covers keychain vaults.

use std::fs;

use twofold_core::settings::ListOrder;
use twofold_core::vault::{self, IfItOpens, ProtectionKind};
use twofold_core::{Kind, Unlock, Vault, VaultError};

use crate::common::account;

const PASS: &str = "correct horse battery staple";
const URI_A: &str = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
const URI_B: &str = "otpauth://hotp/Bank:alice?secret=GEZDGNBVGY3TQOJQ&counter=5";

fn new_vault() -> (tempfile::TempDir, std::path::PathBuf, Vault) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = vault::path_in(dir.path());
    let vault = Vault::create(&path, Unlock::Passphrase(PASS)).expect("create");
    (dir, path, vault)
}

#[test]
fn round_trip_keeps_every_field() {
    let (_dir, path, mut v) = new_vault();
    let mut a = account(URI_A);
    a.tags = vec!["work".into()];
    a.notes = "recovery phone: office".into();
    v.add(a.clone()).expect("add a");
    v.add(account(URI_B)).expect("add b");
    let reopened = Vault::open(&path, Unlock::Passphrase(PASS)).expect("open");
    assert_eq!(reopened.accounts(), v.accounts());
    assert_eq!(reopened.accounts()[0], a);
    assert_eq!(vault::protection_of(&path).expect("peek"), Some(ProtectionKind::Passphrase));
}

#[test]
fn file_holds_no_plaintext() {
    let (_dir, path, mut v) = new_vault();
    v.add(account(URI_A)).expect("add");
    let bytes = fs::read(&path).expect("read");
    let text = String::from_utf8_lossy(&bytes);
    for needle in ["JBSWY3DPEHPK3PXP", "GitHub", "alice", "secret"] {
        assert!(!text.contains(needle), "vault file contains {needle:?} in plaintext");
    }
}

#[test]
fn flipped_byte_is_reported_as_corruption_and_the_previous_version_is_offered() {
    let (_dir, path, mut v) = new_vault();
    v.add(account(URI_A)).expect("add a");
    v.add(account(URI_B)).expect("add b");
    let good = fs::read(&path).expect("read");
    // Flip one byte in the header, the nonce, the ciphertext and the tag.
    for at in [10, good.len() - 60, good.len() / 2 + 20, good.len() - 1] {
        let mut bad = good.clone();
        bad[at] ^= 0x40;
        fs::write(&path, &bad).expect("write damaged copy");
        let err = Vault::open(&path, Unlock::Passphrase(PASS)).expect_err("damage must be detected");
        match &err {
            VaultError::Corrupted { previous: Some(_) } => {}
            other => panic!("flip at {at}: expected corruption with the previous version, got {other:?}"),
        }
        assert_eq!(
            err.to_string(),
            "the vault file is corrupted; a backup of the previous version is available"
        );
    }
    // Restoring brings back the previous save (one account), and keeps the damaged file.
    vault::restore_previous(&path, 42, IfItOpens::Refuse(Unlock::Passphrase(PASS))).expect("restore");
    let restored = Vault::open(&path, Unlock::Passphrase(PASS)).expect("the previous version opens");
    assert_eq!(restored.accounts().len(), 1);
    assert!(path.with_file_name("vault.twofold.damaged-42").exists(), "damaged file kept aside");
}

#[test]
fn truncated_file_is_corruption() {
    let (_dir, path, v) = new_vault();
    drop(v);
    let good = fs::read(&path).expect("read");
    fs::write(&path, &good[..good.len() / 2]).expect("truncate");
    let err = Vault::open(&path, Unlock::Passphrase(PASS)).expect_err("truncated");
    assert!(matches!(err, VaultError::Corrupted { .. }), "{err:?}");
    fs::write(&path, b"").expect("empty");
    assert!(matches!(Vault::open(&path, Unlock::Passphrase(PASS)), Err(VaultError::Corrupted { .. })));
}

#[test]
fn wrong_passphrase_is_not_corruption() {
    let (_dir, path, _v) = new_vault();
    let err = Vault::open(&path, Unlock::Passphrase("not the passphrase")).expect_err("wrong");
    assert!(matches!(err, VaultError::WrongPassphrase), "{err:?}");
    assert_eq!(err.to_string(), "wrong passphrase");
}

#[test]
fn short_passphrases_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let err = Vault::create(&vault::path_in(dir.path()), Unlock::Passphrase("short")).expect_err("weak");
    assert!(matches!(err, VaultError::WeakPassphrase(_)));
    assert!(!vault::path_in(dir.path()).exists(), "nothing written");
}

#[test]
fn duplicates_are_refused_and_change_nothing() {
    let (_dir, path, mut v) = new_vault();
    v.add(account(URI_A)).expect("add");
    // Same key and parameters under another label: still a duplicate.
    let again = account("otpauth://totp/Other:bob?secret=jbsw%20y3dp%20ehpk%203pxp");
    let err = v.add(again).expect_err("duplicate");
    assert_eq!(err.to_string(), "this account is already in the vault as GitHub (alice)");
    assert_eq!(Vault::open(&path, Unlock::Passphrase(PASS)).expect("open").accounts().len(), 1);
}

#[test]
fn rename_remove_and_next_hotp_persist() {
    let (_dir, path, mut v) = new_vault();
    v.add(account(URI_A)).expect("add a");
    v.add(account(URI_B)).expect("add b");
    let (a, b) = (v.accounts()[0].id, v.accounts()[1].id);
    v.rename(a, " GitHub Enterprise ", "alice@corp", 1_700_000_100).expect("rename");
    let before = v.account(b).expect("b").otp.code_at(0).value;
    let next = v.next_hotp(b, 1_700_000_200).expect("next").otp.code_at(0).value;
    assert_ne!(before, next);
    assert!(matches!(v.next_hotp(a, 1_700_000_200), Err(VaultError::NotHotp)));
    let reopened = Vault::open(&path, Unlock::Passphrase(PASS)).expect("open");
    assert_eq!(reopened.account(a).expect("a").issuer, "GitHub Enterprise");
    assert_eq!(reopened.account(b).expect("b").otp.kind, Kind::Hotp { counter: 6 });
    // A moved counter is a change like any other: the checklist must see it.
    assert_eq!(reopened.account(b).expect("b").updated, 1_700_000_200);
    let mut v = reopened;
    v.remove(a).expect("remove");
    assert!(matches!(v.remove(a), Err(VaultError::NoSuchAccount)));
    assert_eq!(Vault::open(&path, Unlock::Passphrase(PASS)).expect("open").accounts().len(), 1);
}

/// A save that fails half-way (the previous version cannot be kept: a
/// directory is in its place, which no rename replaces, even as root) is an
/// error, and neither the copy in memory nor the file on disk changes.
#[test]
fn a_failed_save_leaves_memory_and_disk_unchanged() {
    let (_dir, path, mut v) = new_vault();
    v.add(account(URI_A)).expect("add");
    let previous = vault::previous_path(&path);
    fs::remove_file(&previous).expect("the first change kept the previous version");
    fs::create_dir(&previous).expect("a directory in its place");
    let before = fs::read(&path).expect("read the vault");
    let err = v.add(account(URI_B)).expect_err("save fails");
    assert!(matches!(err, VaultError::Io { action: "save the vault to", .. }), "{err:?}");
    assert_eq!(v.accounts().len(), 1, "memory did not run ahead of disk");
    assert_eq!(fs::read(&path).expect("read the vault"), before, "the file on disk is untouched");
    let reopened = Vault::open(&path, Unlock::Passphrase(PASS)).expect("the vault still opens");
    assert_eq!(reopened.accounts().len(), 1);
}

/// A vault cannot be created where its directory would have to be a file.
#[test]
fn creating_a_vault_below_a_file_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let blocked = dir.path().join("blocked");
    fs::write(&blocked, b"not a directory").expect("file");
    let err = Vault::create(&blocked.join("vault.twofold"), Unlock::Passphrase(PASS)).expect_err("refused");
    assert!(matches!(err, VaultError::Io { .. }), "{err:?}");
    assert!(!blocked.join("vault.twofold").exists());
}

#[test]
fn creating_over_an_existing_vault_is_refused() {
    let (_dir, path, _v) = new_vault();
    assert!(matches!(Vault::create(&path, Unlock::Passphrase(PASS)), Err(VaultError::AlreadyExists(_))));
}

#[test]
fn missing_vault_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = vault::path_in(dir.path());
    assert!(matches!(Vault::open(&path, Unlock::Passphrase(PASS)), Err(VaultError::Missing(_))));
    assert_eq!(vault::protection_of(&path).expect("peek"), None);
}

#[test]
fn add_all_skips_duplicates_in_one_save() {
    let (_dir, path, mut v) = new_vault();
    v.add(account(URI_A)).expect("add");
    let batch = vec![account(URI_B), account(URI_A), account(URI_B)];
    let outcome = v.add_all(batch).expect("add all");
    assert_eq!(outcome.added.len(), 1);
    let skipped: Vec<_> = outcome.skipped.iter().map(|s| s.existing.as_str()).collect();
    assert_eq!(skipped, ["GitHub (alice)", "Bank (alice)"]);
    assert_eq!(Vault::open(&path, Unlock::Passphrase(PASS)).expect("open").accounts().len(), 2);
}

#[test]
fn the_last_verified_bundle_is_remembered() {
    let (_dir, path, mut v) = new_vault();
    v.add(account(URI_A)).expect("add");
    let verified = twofold_core::settings::VerifiedBundle {
        at: 1_700_000_000,
        accounts: 1,
        path: "/tmp/bundle.json".into(),
    };
    v.record_verified_bundle(verified.clone()).expect("record");
    v.add(account(URI_B)).expect("a later save keeps it");
    let reopened = Vault::open(&path, Unlock::Passphrase(PASS)).expect("open");
    assert_eq!(reopened.meta().last_verified_bundle, Some(verified));
}

/// The other ways in and the notes are saved together, in ONE write: the
/// previous version never holds one without the other.
#[test]
fn ways_in_and_notes_are_saved_in_one_write() {
    let (_dir, path, mut v) = new_vault();
    v.add(account(URI_A)).expect("add");
    let id = v.accounts()[0].id;
    let ways =
        twofold_core::account::OtherWays { email: Some("alice@example.org".into()), ..Default::default() };
    v.set_ways_in(id, ways.clone(), " printed codes in the drawer ", 1_700_000_300).expect("save");
    let saved = Vault::open(&path, Unlock::Passphrase(PASS)).expect("open");
    let account = saved.account(id).expect("account");
    assert_eq!((&account.other_ways, account.notes.as_str()), (&ways, "printed codes in the drawer"));
    assert_eq!(account.updated, 1_700_000_300);
    // The previous version is the vault as it was before the call, not half of it.
    let before = Vault::open(&vault::previous_path(&path), Unlock::Passphrase(PASS))
        .expect("the previous version opens");
    let account = before.account(id).expect("account");
    assert!(account.other_ways.is_empty() && account.notes.is_empty(), "{account:?}");
}

/// Issue 11: every process keeps its own copy; a save must start from what is
/// on disk now, or the last writer silently undoes the others.
#[test]
fn issue_11_a_stale_copy_never_undoes_another_save() {
    let (_dir, path, mut window) = new_vault();
    let mut cli = Vault::open(&path, Unlock::Passphrase(PASS)).expect("a second process opens it");
    cli.add(account(URI_A)).expect("the CLI adds");
    window.add(account(URI_B)).expect("the window adds from its older copy");
    let names: Vec<String> = Vault::open(&path, Unlock::Passphrase(PASS))
        .expect("open")
        .accounts()
        .iter()
        .map(|a| a.display_name())
        .collect();
    assert_eq!(names, ["GitHub (alice)", "Bank (alice)"], "both changes kept");
    // The window's copy caught up while saving, and notices later saves too.
    assert_eq!(window.accounts().len(), 2);
    let id = window.accounts()[0].id;
    cli.rename(id, "GitHub", "renamed", 1_700_000_500).expect("rename");
    assert!(window.reload_if_changed().expect("reload"), "the window sees the change");
    assert_eq!(window.account(id).expect("account").name, "renamed");
    assert!(!window.reload_if_changed().expect("reload"), "nothing new");
}

/// Issue 11: a vault moved away with its previous version still there is never
/// replaced by an empty one; creating one anyway is explicit and keeps the
/// old vault's previous version aside.
#[test]
fn issue_11_a_missing_vault_is_not_started_over() {
    let (dir, path, mut v) = new_vault();
    v.add(account(URI_A)).expect("add");
    v.add(account(URI_B)).expect("add, leaving the previous version");
    fs::rename(&path, dir.path().join("moved-away")).expect("move the vault away");
    let err = vault::open_or_create(&path, &twofold_core::Keychain::new("unused"), Some(PASS))
        .expect_err("no fresh start over the previous version");
    assert!(
        matches!(&err, VaultError::MissingButFound { found, previous: true } if *found == vault::previous_path(&path)),
        "{err:?}"
    );
    assert!(err.to_string().contains("vault.twofold.bak"), "names the file: {err}");
    assert!(!path.exists(), "nothing was created");
    vault::restore_previous(&path, 1_700_000_600, IfItOpens::Refuse(Unlock::Passphrase(PASS)))
        .expect("restore");
    assert_eq!(Vault::open(&path, Unlock::Passphrase(PASS)).expect("open").accounts().len(), 1);

    fs::remove_file(&path).expect("lose it again");
    let fresh = Vault::create_anew(&path, Unlock::Passphrase(PASS), 1_700_000_700).expect("on purpose");
    assert!(fresh.accounts().is_empty());
    assert!(
        dir.path().join("vault.twofold.bak.before-new-1700000700").exists(),
        "the old vault's previous version kept aside"
    );
}

/// Issue 22 (F1): two starts anew in the same second each kept their old
/// vault as `.before-new-<now>`, the second renaming over the first: the
/// real vault was lost. Each set-aside copy now has a name of its own.
#[test]
fn issue_22_starting_anew_twice_in_one_second_loses_nothing() {
    let (dir, path, mut v) = new_vault();
    v.add(account(URI_A)).expect("add");
    v.add(account(URI_B)).expect("add, leaving the previous version");
    drop(v);
    let real = fs::read(&path).expect("the real vault");
    for _ in 0..2 {
        Vault::create_anew(&path, Unlock::Passphrase(PASS), 1_700_000_700).expect("on purpose");
    }
    let kept: Vec<Vec<u8>> = fs::read_dir(dir.path())
        .expect("list")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("vault.twofold.before-new-"))
        .map(|e| fs::read(e.path()).expect("read"))
        .collect();
    assert_eq!(kept.len(), 2, "both earlier vaults kept");
    assert!(kept.contains(&real), "the real vault is among them");
    let previous_kept = fs::read_dir(dir.path())
        .expect("list")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("vault.twofold.bak.before-new-"))
        .count();
    assert_eq!(previous_kept, 1, "the real vault's previous version kept (a new vault has none)");
}

/// Issue 22 (F1): restoring the previous version over a vault that opens
/// is refused, naming what it would undo, unless chosen.
#[test]
fn issue_22_restoring_over_a_vault_that_opens_is_asked_first() {
    let (dir, path, mut v) = new_vault();
    v.add(account(URI_A)).expect("add");
    v.add(account(URI_B)).expect("add");
    drop(v);
    let before = fs::read(&path).expect("read");
    let err = vault::restore_previous(&path, 9, IfItOpens::Refuse(Unlock::Passphrase(PASS)))
        .expect_err("a vault that opens is left alone");
    match &err {
        VaultError::WouldRollBack { lost, returned } => {
            assert_eq!(lost, &["Bank (alice)".to_owned()]);
            assert!(returned.is_empty());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(fs::read(&path).expect("read"), before, "nothing changed");
    let aside = vault::restore_previous(&path, 9, IfItOpens::RollBack).expect("as chosen").expect("kept");
    assert_eq!(aside, dir.path().join("vault.twofold.replaced-9"));
    assert_eq!(fs::read(&aside).expect("read"), before, "the rolled-back file is kept");
}

/// Issue 11: ids from an import file may repeat, or be taken: each account
/// still gets an id of its own, so `remove` removes the one meant.
#[test]
fn issue_11_imported_ids_never_collide() {
    let (_dir, _path, mut v) = new_vault();
    let first = account(URI_A);
    let taken = first.id;
    v.add(first).expect("add");
    let mut same_id_1 = account("otpauth://totp/One:x?secret=GEZDGNBVGY3TQOJQ");
    let mut same_id_2 = account("otpauth://totp/Two:y?secret=MFRGGZDFMZTWQ2LK");
    (same_id_1.id, same_id_2.id) = (taken, taken);
    let outcome = v.add_all(vec![same_id_1, same_id_2]).expect("add both");
    assert_eq!(outcome.added.len(), 2);
    let mut ids: Vec<_> = v.accounts().iter().map(|a| a.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3, "three accounts, three ids");
    let two = v.accounts().iter().find(|a| a.issuer == "Two").expect("Two").id;
    v.remove(two).expect("remove");
    let left: Vec<String> = v.accounts().iter().map(|a| a.issuer.clone()).collect();
    assert_eq!(left, ["GitHub", "One"]);
}

#[cfg(unix)]
#[test]
fn issue_11_the_data_directory_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = vault::path_in(&dir.path().join("new/twofold"));
    Vault::create(&path, Unlock::Passphrase(PASS)).expect("create");
    let mode = fs::metadata(path.parent().expect("dir")).expect("stat").permissions().mode();
    assert_eq!(mode & 0o777, 0o700);
}

/// Issue 14: pinning (for the tray menu) is saved like any other change.
#[test]
fn issue_14_pins_persist() {
    let (_dir, path, mut v) = new_vault();
    v.add(account(URI_A)).expect("add a");
    let a = v.accounts()[0].id;
    assert!(!v.accounts()[0].pinned);
    v.set_pinned(a, true, 1_700_000_300).expect("pin");
    let reopened = Vault::open(&path, Unlock::Passphrase(PASS)).expect("open");
    assert!(reopened.account(a).expect("a").pinned);
    assert!(reopened.account(a).expect("a").summary_at(0).pinned);
    let mut v = reopened;
    v.set_pinned(a, false, 1_700_000_400).expect("unpin");
    assert!(!Vault::open(&path, Unlock::Passphrase(PASS)).expect("open").account(a).expect("a").pinned);
}

/// Issue 16, order: the person's own order (moves), by name, or most
/// recently used; pinned accounts first in each; the choice is kept; a use
/// is not a change (no backup, no "changed since the bundle").
#[test]
fn the_list_keeps_its_order_and_pins_come_first() {
    let (_dir, path, mut v) = new_vault();
    for uri in [
        "otpauth://totp/Zeta:z?secret=JBSWY3DPEHPK3PXP",
        "otpauth://totp/alpha:a?secret=GEZDGNBVGY3TQOJQ",
        "otpauth://totp/Mid:m?secret=MFRGGZDFMZTWQ2LK",
    ] {
        v.add(account(uri)).expect("add");
    }
    let issuers = |v: &Vault| -> Vec<String> { v.listing(59, None).into_iter().map(|s| s.issuer).collect() };
    let id = |v: &Vault, issuer: &str| v.accounts().iter().find(|a| a.issuer == issuer).expect("there").id;
    assert_eq!(issuers(&v), ["Zeta", "alpha", "Mid"]);
    // Mid dragged onto Zeta's place; then alpha moved down past Zeta.
    v.move_to(id(&v, "Mid"), id(&v, "Zeta")).expect("move");
    assert_eq!(issuers(&v), ["Mid", "Zeta", "alpha"]);
    v.move_to(id(&v, "alpha"), id(&v, "Zeta")).expect("move");
    assert_eq!(issuers(&v), ["Mid", "alpha", "Zeta"]);

    v.set_list_order(ListOrder::Name).expect("order");
    assert_eq!(issuers(&v), ["alpha", "Mid", "Zeta"]);
    v.set_list_order(ListOrder::Recent).expect("order");
    let saves = v.saves();
    v.mark_used(id(&v, "Zeta"), 1_000).expect("used");
    v.mark_used(id(&v, "alpha"), 2_000).expect("used");
    assert_eq!(v.saves(), saves, "a use is not a change");
    assert_eq!(v.accounts().iter().map(|a| a.updated).max(), Some(0), "nor stamped as one");
    assert_eq!(issuers(&v), ["alpha", "Zeta", "Mid"]);
    v.set_pinned(id(&v, "Mid"), true, 3_000).expect("pin");
    assert_eq!(issuers(&v), ["Mid", "alpha", "Zeta"]);

    let reopened = Vault::open(&path, Unlock::Passphrase(PASS)).expect("open");
    assert_eq!(issuers(&reopened), ["Mid", "alpha", "Zeta"], "order and uses kept");
}

/// A code's use is noted without pushing the `.bak` (the copy before the
/// last change) out: a deletion by mistake stays undoable after copying.
#[test]
fn noting_a_use_keeps_the_previous_version_of_the_last_change() {
    let (_dir, path, mut v) = new_vault();
    v.add(account(URI_A)).expect("add a");
    v.add(account(URI_B)).expect("add b");
    let deleted = v.accounts()[1].id;
    v.remove(deleted).expect("remove");
    let kept = v.accounts()[0].id;
    v.mark_used(kept, 1_000).expect("used");
    v.mark_used(kept, 2_000).expect("used again");
    let previous = vault::previous_path(&path);
    let before = Vault::open(&previous, Unlock::Passphrase(PASS)).expect("the previous version opens");
    assert!(before.accounts().iter().any(|a| a.id == deleted), "the deleted account is still in the .bak");
}

/// Moves follow what the person sees: pinned accounts are listed first, so
/// a move across that line changes nothing; within a group, an account
/// moves past its shown neighbour even where the other group sits between.
#[test]
fn moves_follow_the_shown_order_around_pins() {
    let (_dir, _path, mut v) = new_vault();
    for uri in [
        "otpauth://totp/P1:p?secret=JBSWY3DPEHPK3PXP",
        "otpauth://totp/X:x?secret=GEZDGNBVGY3TQOJQ",
        "otpauth://totp/Y:y?secret=MFRGGZDFMZTWQ2LK",
        "otpauth://totp/P2:p?secret=KRSXG5CTMVRXEZLU",
    ] {
        v.add(account(uri)).expect("add");
    }
    let id = |v: &Vault, issuer: &str| v.accounts().iter().find(|a| a.issuer == issuer).expect("there").id;
    v.set_pinned(id(&v, "P1"), true, 1).expect("pin");
    v.set_pinned(id(&v, "P2"), true, 1).expect("pin");
    let shown = |v: &Vault| -> Vec<String> { v.listing(59, None).into_iter().map(|s| s.issuer).collect() };
    assert_eq!(shown(&v), ["P1", "P2", "X", "Y"]);
    v.move_to(id(&v, "X"), id(&v, "P2")).expect("across the line");
    assert_eq!(shown(&v), ["P1", "P2", "X", "Y"], "nothing moved");
    v.move_to(id(&v, "Y"), id(&v, "X")).expect("up past X");
    assert_eq!(shown(&v), ["P1", "P2", "Y", "X"]);
    v.move_to(id(&v, "P2"), id(&v, "P1")).expect("up past P1");
    assert_eq!(shown(&v), ["P2", "P1", "Y", "X"]);
}

/// Issue 22 (F17): a save crashed part-way left a whole vault beside it as
/// `vault.json.tmp-…` for good; the next save sweeps what is hours old.
#[test]
fn issue_22_a_crashed_saves_temporary_file_goes_at_the_next_save() {
    let (dir, path, mut v) = new_vault();
    let name = format!("{}.tmp-0123456789abcdef", path.file_name().expect("name").to_string_lossy());
    let left = dir.path().join(name);
    let file = fs::File::create(&left).expect("create");
    file.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3 * 60 * 60))
        .expect("mtime");
    v.add(account(URI_A)).expect("add");
    assert!(!left.exists(), "the stale temporary file was removed");
}
