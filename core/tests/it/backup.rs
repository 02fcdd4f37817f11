//! Issue 15: automatic backups — written and verified, opened only by the
//! passphrase (or its stored key), thinned over a year without losing the
//! way back from a deletion.

use std::collections::BTreeSet;

use twofold_core::backup::{self, BackupError, BackupKey, Chain, Snapshot};
use twofold_core::settings::Retention;
use twofold_core::transfer;
use twofold_core::vault::keychain::Item;
use twofold_testkit::accounts::SAMPLE;
use uuid::Uuid;

use crate::common::{account, independently_decrypt};

const PASS: &str = "backups for a lost laptop";
const NOW: u64 = 1_764_134_280;
const DAY: u64 = 86_400;

/// The canonical accounts: every kind a backup must carry whole.
/// The vault the backups of these tests are written for.
fn chain() -> Chain {
    Chain::from_id(&[7; 16])
}

fn accounts() -> Vec<twofold_core::Account> {
    SAMPLE.iter().map(|uri| account(uri)).collect()
}

#[test]
fn a_backup_is_written_checked_and_opens_with_the_passphrase_alone() {
    let folder = tempfile::tempdir().expect("tempdir");
    let key = BackupKey::derive(PASS).expect("key");
    let vault = accounts();
    let point = backup::write(folder.path(), &chain(), &vault, &key, NOW).expect("backup");
    assert_eq!(point.id, format!("twofold-backup-20251126-051800-{}-1", "07".repeat(16)));
    assert_eq!(backup::list(folder.path()).expect("list"), vec![point.clone()]);

    // The stored key opens it without scrypt; a key kept in the keychain
    // comes back from its bytes.
    let kept = BackupKey::from_bytes(&key.to_bytes()).expect("64 bytes");
    assert_eq!(backup::open(&point.path, &kept).expect("open"), vault);
    // The passphrase alone opens it: Twofold's reader, and the independent one.
    let bytes = std::fs::read(&point.path).expect("read");
    assert_eq!(transfer::open(&bytes, PASS).expect("with the passphrase"), vault);
    let file: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
    let db = independently_decrypt(&file, PASS);
    assert_eq!(db["entries"].as_array().map(Vec::len), Some(vault.len()));
    assert!(!String::from_utf8_lossy(&bytes).contains("JBSWY3DPEHPK3PXP"));
    // Another passphrase's key opens nothing.
    let other = BackupKey::derive("someone else entirely").expect("key");
    assert!(backup::open(&point.path, &other).is_err());
}

#[test]
fn a_missing_folder_is_reported_and_backups_resume_when_it_returns() {
    let root = tempfile::tempdir().expect("tempdir");
    let folder = root.path().join("Twofold Backups");
    let key = BackupKey::derive(PASS).expect("key");
    assert!(matches!(
        backup::write(&folder, &chain(), &accounts(), &key, NOW),
        Err(BackupError::FolderMissing(_))
    ));
    std::fs::create_dir(&folder).expect("the folder returns (a synced drive mounted again)");
    backup::write(&folder, &chain(), &accounts(), &key, NOW + 60).expect("backs up again");
    // Files that are not backups are left alone and not listed.
    std::fs::write(folder.join("notes.txt"), "mine").expect("write");
    assert_eq!(backup::list(&folder).expect("list").len(), 1);
}

/// An hourly backup for a year, one account deleted on day 340: what is
/// kept is every backup of the last day, one a day for a month, one a
/// month for a year, and the last one holding the deleted account.
#[test]
fn a_year_of_hourly_backups_thins_to_what_the_policy_keeps() {
    let (kept_id, deleted_id) = (Uuid::new_v4(), Uuid::new_v4());
    let start = NOW - 365 * DAY;
    let deleted_at = start + 340 * DAY;
    let stamps: Vec<Snapshot> = (0..365 * 24)
        .map(|hour| {
            let time = start + (hour + 1) * 3600;
            let mut accounts = BTreeSet::from([kept_id]);
            if time < deleted_at {
                accounts.insert(deleted_id);
            }
            Snapshot { time, accounts }
        })
        .collect();
    let in_vault = BTreeSet::from([kept_id]);
    let keep = backup::to_keep(&stamps, &in_vault, NOW, Retention::default());

    let last_with_deleted = stamps.iter().rposition(|s| s.accounts.contains(&deleted_id)).expect("one");
    assert!(keep.contains(&last_with_deleted), "the way back from the deletion (25 days ago)");
    let by_policy: Vec<u64> =
        keep.iter().filter(|&&i| i != last_with_deleted).map(|&i| NOW - stamps[i].time).collect();
    assert_eq!(by_policy.iter().filter(|&&age| age < DAY).count(), 24, "every backup of the last day");
    let daily = by_policy.iter().filter(|&&age| (DAY..30 * DAY).contains(&age)).count();
    assert!((29..=30).contains(&daily), "one a day for a month: {daily}");
    let older = by_policy.iter().filter(|&&age| age >= 30 * DAY).count();
    assert!((11..=13).contains(&older), "about one a month: {older}");
    assert!(keep.len() < 24 + 30 + 13 + 2, "kept {}", keep.len());

    // Forty days later the deletion is old news: only the policy decides.
    let later = NOW + 40 * DAY;
    let unprotected = Retention { deleted_days: 0, ..Retention::default() };
    let keep = backup::to_keep(&stamps, &in_vault, later, Retention::default());
    assert_eq!(keep, backup::to_keep(&stamps, &in_vault, later, unprotected));
    assert_ne!(
        backup::to_keep(&stamps, &in_vault, NOW, Retention::default()),
        backup::to_keep(&stamps, &in_vault, NOW, unprotected),
        "while recent, the deletion keeps a backup the policy would drop"
    );
    // Nothing is ever thinned to nothing.
    assert!(keep.contains(&(stamps.len() - 1)));
    assert_eq!(backup::to_keep(&[], &in_vault, NOW, Retention::default()), BTreeSet::new());
}

/// Issue 15, the unplanned move: the keychain entry is gone (a reinstalled
/// system), so the vault cannot open; the backup folder and its passphrase
/// bring every account back into a new vault, which keeps backing up there.
/// The old file is kept aside; a wrong passphrase creates nothing.
#[test]
fn a_lost_keychain_costs_nothing_with_the_backup_passphrase() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = twofold_core::vault::path_in(&dir.path().join("data"));
    let folder = dir.path().join("Backups");
    let keychain = twofold_core::Keychain::new(format!("twofold-it-{}-backup-lost", std::process::id()));
    let mut vault = twofold_core::vault::open_or_create(&path, &keychain, None).expect("a keychain vault");
    let original = accounts();
    vault.add_all(original.clone()).expect("add");
    backup::enable(&mut vault, &keychain, &folder, PASS, NOW).expect("enable");
    #[cfg(unix)]
    {
        // Issue 22 (F14): the folder Twofold made was 0755, so other users
        // saw when each change was made.
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&folder).expect("the folder").permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "the backup folder is the person's alone");
    }
    keychain.delete(Item::VaultKey, vault.id()).expect("the keychain forgets the vault key");
    keychain.delete(Item::BackupKey, vault.id()).expect("and the backup key");
    drop(vault);
    assert!(twofold_core::vault::open_or_create(&path, &keychain, None).is_err(), "the vault cannot open");

    let before = std::fs::read(&path).expect("the old vault file");
    assert!(backup::start_over_from(&folder, "not the passphrase", &path, &keychain, NOW + 60).is_err());
    assert_eq!(std::fs::read(&path).expect("still there"), before, "a wrong passphrase changes nothing");

    let vault = backup::start_over_from(&folder, PASS, &path, &keychain, NOW + 60).expect("the way back");
    assert_eq!(vault.accounts(), original.as_slice());
    let kept_aside = std::fs::read_dir(path.parent().expect("dir")).expect("dir").flatten().any(|e| {
        e.file_name().to_string_lossy().contains("before-new-")
            && std::fs::read(e.path()).ok() == Some(before.clone())
    });
    assert!(kept_aside, "the old vault file is kept aside");
    let again = backup::back_up(&vault, &keychain, NOW + 120).expect("backs up").expect("on");
    assert_eq!(
        backup::open(&again.path, &backup::key_of(&vault, &keychain).expect("key")).expect("open").len(),
        original.len()
    );
    let _ = keychain.delete(Item::VaultKey, vault.id());
    let _ = keychain.delete(Item::BackupKey, vault.id());
}

/// Issue 15: the backup key left the keychain; backups stop loudly, and the
/// passphrase given again resumes them with the same key, so every earlier
/// restore point still opens (and is thinned) with it.
#[test]
fn a_lost_backup_key_is_said_and_the_passphrase_resumes_the_same_chain() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = twofold_core::vault::path_in(&dir.path().join("data"));
    let folder = dir.path().join("Backups");
    let keychain = twofold_core::Keychain::new(format!("twofold-it-{}-backup-resume", std::process::id()));
    let mut vault = twofold_core::vault::open_or_create(&path, &keychain, None).expect("a keychain vault");
    let original = accounts();
    vault.add_all(original.clone()).expect("add");
    let first = backup::enable(&mut vault, &keychain, &folder, PASS, NOW).expect("enable");
    keychain.delete(Item::BackupKey, vault.id()).expect("the key leaves the keychain");
    assert!(matches!(backup::back_up(&vault, &keychain, NOW + 60), Err(BackupError::KeyMissing)));
    assert_eq!(backup::health(&vault, &keychain).problem, Some(backup::BackupProblem::KeyMissing));
    backup::enable(&mut vault, &keychain, &folder, PASS, NOW + 120).expect("resumed");
    let key = backup::key_of(&vault, &keychain).expect("the key is back");
    assert_eq!(
        backup::open(&first.path, &key).expect("the first backup opens with it").len(),
        original.len()
    );
    let _ = keychain.delete(Item::VaultKey, vault.id());
    let _ = keychain.delete(Item::BackupKey, vault.id());
}

/// Issue 22 (F2): backups were ordered and thinned by the time in their
/// names. One change made while the clock said 2030 thinned away every real
/// backup, and stayed "the newest" once the clock was right, so the way back
/// restored it and lost what was added since.
#[test]
fn issue_22_a_clock_set_to_2030_neither_thins_real_backups_nor_becomes_the_newest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("Backups");
    std::fs::create_dir(&folder).expect("folder");
    let key = BackupKey::derive(PASS).expect("key");
    let mut vault = accounts();
    let in_vault = |v: &[twofold_core::Account]| v.iter().map(|a| a.id).collect::<BTreeSet<_>>();
    let back_up = |v: &[twofold_core::Account], now: u64| {
        backup::write(&folder, &chain(), v, &key, now).expect("backup");
        backup::thin(&folder, &chain(), &key, &in_vault(v), now, Retention::default()).expect("thin")
    };
    // Forty days of one change a day.
    for day in (1..=40).rev() {
        vault[0].name = format!("{day} days ago");
        back_up(&vault, NOW - day * DAY);
    }
    let real = backup::chain_of(&folder, &chain()).expect("list");
    assert!(real.len() > 30, "a month of dailies kept: {}", real.len());

    // One change with the clock at 2030: nothing real is thinned.
    const IN_2030: u64 = 1_893_456_000;
    vault[0].name = "in 2030".into();
    assert_eq!(back_up(&vault, IN_2030), 0, "no real backup thinned");
    assert_eq!(back_up(&vault, IN_2030 + 3600), 0, "nor an hour later");

    // The clock is right again; an account is added.
    vault.push(account("otpauth://totp/Added:later?secret=MFRGGZDFMZTWQ2LK"));
    back_up(&vault, NOW + 60);
    let points = backup::chain_of(&folder, &chain()).expect("list");
    for old in &real {
        assert!(points.contains(old), "{} kept", old.id);
    }
    let newest = points.last().expect("a newest");
    assert_eq!(newest.time, NOW + 60, "the newest is the last written, not the 2030 one");
    assert_eq!(backup::open(&newest.path, &key).expect("open").len(), vault.len());
}

/// Issue 22 (F2): two computers backing up into one synced folder under one
/// passphrase (the second took the first's key when it turned backups on):
/// each thinned the other's backups as deleted accounts, and a month after
/// the first computer went silent its last backup was gone.
#[test]
fn issue_22_two_computers_sharing_a_folder_never_thin_each_other() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("Synced Backups");
    std::fs::create_dir(&folder).expect("folder");
    let key = BackupKey::derive(PASS).expect("key");
    let (laptop, desktop) = (Chain::from_id(&[1; 16]), Chain::from_id(&[2; 16]));
    let on_laptop = vec![account("otpauth://totp/Laptop:only?secret=JBSWY3DPEHPK3PXP")];
    let laptops_last = backup::write(&folder, &laptop, &on_laptop, &key, NOW).expect("laptop");
    let same_key = backup::recover_key(&laptops_last.path, PASS).expect("the laptop's key");

    let on_desktop = accounts();
    let in_desktop: BTreeSet<_> = on_desktop.iter().map(|a| a.id).collect();
    for day in 1..=60 {
        let now = NOW + day * DAY;
        backup::write(&folder, &desktop, &on_desktop, &same_key, now).expect("desktop");
        backup::thin(&folder, &desktop, &same_key, &in_desktop, now, Retention::default()).expect("thin");
    }
    assert!(laptops_last.path.exists(), "the laptop's last backup is still there");
    assert_eq!(backup::chain_of(&folder, &laptop).expect("list"), vec![laptops_last]);
}

/// Issue 22 (F2): the way back tries the newest backups until one opens
/// with the passphrase: another computer's backup under another passphrase,
/// written last, no longer hides this vault's.
#[test]
fn issue_22_the_way_back_finds_the_backup_the_passphrase_opens() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = twofold_core::vault::path_in(&dir.path().join("data"));
    let folder = dir.path().join("Backups");
    std::fs::create_dir(&folder).expect("folder");
    let keychain = twofold_core::Keychain::new(format!("twofold-it-{}-backup-way-back", std::process::id()));
    let mine = accounts();
    backup::write(&folder, &chain(), &mine, &BackupKey::derive(PASS).expect("key"), NOW).expect("mine");
    let theirs = vec![account("otpauth://totp/Theirs:x?secret=MFRGGZDFMZTWQ2LK")];
    let other_key = BackupKey::derive("another person's passphrase").expect("key");
    backup::write(&folder, &Chain::from_id(&[9; 16]), &theirs, &other_key, NOW + 600).expect("theirs");
    let vault = backup::start_over_from(&folder, PASS, &path, &keychain, NOW + 700).expect("the way back");
    assert_eq!(vault.accounts(), mine.as_slice());
}

/// Issue 22 (F4): the way back from backups built a vault with default
/// settings, so the app lock the person had set was gone: the window opened
/// with every code showing. Backups now carry the lock, and the vault the
/// way back builds keeps it.
#[test]
fn issue_22_the_way_back_keeps_the_app_lock() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = twofold_core::vault::path_in(&dir.path().join("data"));
    let folder = dir.path().join("Backups");
    let keychain = twofold_core::Keychain::new(format!("twofold-it-{}-backup-lock", std::process::id()));
    let mut vault = twofold_core::vault::open_or_create(&path, &keychain, None).expect("a keychain vault");
    vault.add_all(accounts()).expect("add");
    let mut lock = twofold_core::app_lock::LockSettings::default();
    lock.set_passphrase("a lock passphrase").expect("lock");
    vault.set_lock_settings(lock).expect("lock on");
    backup::enable(&mut vault, &keychain, &folder, PASS, NOW).expect("enable");
    keychain.delete(Item::VaultKey, vault.id()).expect("the keychain forgets the vault key");
    drop(vault);

    let back = backup::start_over_from(&folder, PASS, &path, &keychain, NOW + 60).expect("the way back");
    assert!(back.meta().lock.is_on(), "the lock came back");
    assert_eq!(back.meta().lock.check("a lock passphrase"), Ok(()));
}
