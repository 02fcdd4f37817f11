//! Folder sync between real vaults and keychains (issue 25): each computer
//! its own data directory and keychain service, one folder (or two kept in
//! step by a copier that delays, reorders, leaves partial downloads and
//! writes Dropbox- and Syncthing-style conflict copies), and what arrives.

use std::path::{Path, PathBuf};

use twofold_core::sync::{self, SyncError};
use twofold_core::vault::{self, keychain::Item, Keychain, Vault};
use twofold_core::Account;
use twofold_testkit::accounts::{many, SAMPLE};

use crate::common::account;

const PASS: &str = "a sync passphrase for tests";
const T0: u64 = 1_800_000_000_000;

struct Computer {
    vault: Vault,
    keychain: Keychain,
}

impl Computer {
    fn new(dir: &Path, name: &str) -> Self {
        let keychain = Keychain::new(format!("twofold-it-{}-sync-{name}", std::process::id()));
        let vault =
            vault::open_or_create(&vault::path_in(&dir.join(name)), &keychain, None).expect("a vault");
        Self { vault, keychain }
    }

    fn enable(&mut self, folder: &Path, name: &str, now: u64) -> sync::Report {
        sync::enable(&mut self.vault, &self.keychain, folder, PASS, name, now).expect("sync on")
    }

    fn round(&mut self, now: u64) -> sync::Report {
        sync::round(&mut self.vault, &self.keychain, now, false).expect("a round")
    }

    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.vault.accounts().iter().map(Account::display_name).collect();
        names.sort();
        names
    }

    fn find(&self, issuer: &str) -> &Account {
        self.vault.accounts().iter().find(|a| a.issuer == issuer).unwrap_or_else(|| panic!("{issuer}"))
    }
}

impl Drop for Computer {
    fn drop(&mut self) {
        for item in [Item::VaultKey, Item::SyncKey] {
            let _ = self.keychain.delete(item, self.vault.id());
        }
    }
}

fn needs_keychain() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "needs a Secret Service: run under scripts/test-session"
    );
}

fn sample() -> Vec<Account> {
    SAMPLE.iter().map(|u| account(u)).collect()
}

#[test]
fn issue_25_two_computers_on_one_folder_keep_in_step() {
    needs_keychain();
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("Sync");
    std::fs::create_dir(&folder).expect("folder");
    let (mut office, mut laptop) = (Computer::new(dir.path(), "office"), Computer::new(dir.path(), "laptop"));
    office.vault.add_all(sample()).expect("add");
    let first = office.enable(&folder, "office PC", T0);
    assert!(first.wrote);
    // The laptop already had one of them, with recovery codes only it knew.
    let mut github = account(SAMPLE[0]);
    github.recovery_codes =
        vec![twofold_core::account::RecoveryCode { code: "1111-2222".into(), used_at: None }];
    laptop.vault.add(github).expect("add");
    assert!(matches!(
        sync::enable(&mut laptop.vault, &laptop.keychain, &folder, "not the passphrase", "laptop", T0),
        Err(SyncError::WrongPassphrase)
    ));
    let joined = laptop.enable(&folder, "laptop", T0 + 1_000);
    assert_eq!((joined.computers, joined.already_there), (1, 1), "{joined:?}");
    assert_eq!(laptop.names(), office.names(), "kept once, not twice");
    office.round(T0 + 2_000);
    assert_eq!(office.find("GitHub").recovery_codes.len(), 1, "what only the laptop knew came across");

    // An add, a rename, a pin and a removal travel.
    office.vault.add(account("otpauth://totp/New:one?secret=ONSWG4TFOQ")).expect("add");
    let id = office.find("GitHub").id;
    office.vault.rename(id, "GitHub", "alice@work", 0).expect("rename");
    office.vault.set_pinned(id, true, 0).expect("pin");
    let steam = office.vault.accounts().iter().find(|a| a.issuer == "Steam").map(|a| a.id).expect("steam");
    office.vault.remove(steam).expect("remove");
    office.round(T0 + 3_000);
    let got = laptop.round(T0 + 4_000);
    assert_eq!((got.added, got.removed), (1, 1), "{got:?}");
    assert_eq!(laptop.names(), office.names());
    assert!(laptop.find("GitHub").pinned);
    assert_eq!(laptop.find("GitHub").name, "alice@work");

    // Both change one name: the conflict is shown on both, nothing lost.
    let on_laptop = laptop.find("GitHub").id;
    office.vault.rename(id, "GitHub", "from the office", 0).expect("rename");
    laptop.vault.rename(on_laptop, "GitHub", "from the laptop", 0).expect("rename");
    office.round(T0 + 5_000);
    laptop.round(T0 + 6_000);
    office.round(T0 + 7_000);
    for c in [&office, &laptop] {
        let conflicts = sync::conflicts(&c.vault, T0 + 7_000).expect("conflicts");
        assert_eq!(conflicts.len(), 1, "{conflicts:?}");
        let shown: Vec<&str> = conflicts[0].conflict.versions.iter().map(|v| v.shown.as_str()).collect();
        assert!(
            shown.contains(&"GitHub: from the office") && shown.contains(&"GitHub: from the laptop"),
            "{shown:?}"
        );
    }
    let conflict = sync::conflicts(&laptop.vault, T0 + 7_000).expect("conflicts").remove(0);
    sync::resolve(
        &mut laptop.vault,
        &laptop.keychain,
        &conflict.id,
        twofold_core::replica::Keep::This,
        T0 + 8_000,
    )
    .expect("resolve");
    office.round(T0 + 9_000);
    assert!(sync::conflicts(&office.vault, T0 + 9_000).expect("conflicts").is_empty());
    assert_eq!(office.find("GitHub").name, "from the laptop");

    let status = sync::status(&office.vault, T0 + 9_000 + 180_000).expect("status");
    assert_eq!(status.computers.len(), 1);
    assert_eq!(status.computers[0].name, "laptop");
    assert!(!status.computers[0].stale);
    // A month later with no word from the laptop, the checklist says so.
    let month = (T0 + 31 * sync::DAY_MS) / 1000;
    let list = twofold_core::checklist::Checklist::build(office.vault.accounts(), office.vault.meta(), month);
    assert_eq!(list.unseen_computers, ["laptop"]);
    assert!(list.needs_attention);
    assert!(sync::status(&office.vault, month * 1000).expect("status").computers[0].stale);
}

#[test]
fn issue_25_a_damaged_or_cut_file_is_named_and_never_merged() {
    needs_keychain();
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("Sync");
    std::fs::create_dir(&folder).expect("folder");
    let (mut a, mut b) = (Computer::new(dir.path(), "a"), Computer::new(dir.path(), "b"));
    a.vault.add_all(sample()).expect("add");
    a.enable(&folder, "a", T0);
    b.enable(&folder, "b", T0 + 1_000);
    let before = b.names();
    let a_file = device_files(&folder).into_iter().find(|p| !is_of(&b, p)).expect("a's file");
    let good = std::fs::read(&a_file).expect("read");
    a.vault.add(account("otpauth://totp/Later:x?secret=ONSWG4TFOQ")).expect("add");
    a.round(T0 + 2_000);
    let newer = std::fs::read(&a_file).expect("read");
    for (what, bytes) in
        [("cut short", newer[..newer.len() / 2].to_vec()), ("flipped", flip(&newer)), ("empty", vec![])]
    {
        std::fs::write(&a_file, &bytes).expect("write");
        let report = b.round(T0 + 3_000);
        assert_eq!(report.problems.len(), 1, "{what}: {report:?}");
        assert_eq!(b.names(), before, "{what}: nothing merged");
    }
    std::fs::write(&a_file, &good).expect("the older file back");
    std::fs::write(&a_file, &newer).expect("write");
    assert!(b.round(T0 + 4_000).problems.is_empty());
    assert_eq!(b.names(), a.names());
}

fn flip(bytes: &[u8]) -> Vec<u8> {
    let mut copy = bytes.to_vec();
    let at = copy.len() - 20;
    copy[at] ^= 0x40;
    copy
}

fn device_files(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .expect("folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| sync::device_of(n).is_some()))
        .collect();
    files.sort();
    files
}

fn is_of(c: &Computer, path: &Path) -> bool {
    let device = c.vault.replica().expect("sync on").device.to_string();
    path.to_string_lossy().contains(&device)
}

#[test]
fn issue_25_many_removals_from_another_computer_wait_for_the_person() {
    needs_keychain();
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("Sync");
    std::fs::create_dir(&folder).expect("folder");
    let (mut a, mut b) = (Computer::new(dir.path(), "a"), Computer::new(dir.path(), "b"));
    a.vault.add_all(many(20).iter().map(|u| account(u)).collect()).expect("add");
    a.enable(&folder, "a", T0);
    b.enable(&folder, "b", T0 + 1_000);
    for id in a.vault.accounts().iter().take(6).map(|x| x.id).collect::<Vec<_>>() {
        a.vault.remove(id).expect("remove");
    }
    a.round(T0 + 2_000);
    let report = b.round(T0 + 3_000);
    assert_eq!((report.held_removals, report.removed), (6, 0), "{report:?}");
    assert_eq!(b.vault.accounts().len(), 20, "nothing removed unasked");
    // "Keep them": they come back on the other computer too.
    sync::keep_held(&mut b.vault, &b.keychain, T0 + 4_000).expect("keep");
    a.round(T0 + 5_000);
    assert_eq!(a.vault.accounts().len(), 20);
}

/// Two folders kept in step by a copier as unkind as real sync tools: it
/// copies late and out of order, leaves partial downloads under temporary
/// names, and writes conflict copies of a file changed on both sides.
#[test]
fn issue_25_a_copier_that_delays_reorders_and_leaves_litter_changes_nothing() {
    needs_keychain();
    let dir = tempfile::tempdir().expect("tempdir");
    let (left, right) = (dir.path().join("left"), dir.path().join("right"));
    std::fs::create_dir(&left).expect("left");
    std::fs::create_dir(&right).expect("right");
    let (mut a, mut b) = (Computer::new(dir.path(), "a"), Computer::new(dir.path(), "b"));
    a.vault.add_all(sample()).expect("add");
    a.enable(&left, "a", T0);
    copy_all(&left, &right);
    b.enable(&right, "b", T0 + 1_000);
    copy_all(&right, &left);
    let mut now = T0 + 2_000;
    let more = many(12);
    for round in 0..6u64 {
        a.vault.add(account(&more[round as usize])).expect("add");
        b.vault.add(account(&more[6 + round as usize])).expect("add");
        a.round(now);
        b.round(now + 1);
        // Litter, and only every other round's files get across, right to
        // left first.
        litter(&left, round);
        litter(&right, round);
        if round % 2 == 1 {
            copy_all(&right, &left);
            copy_all(&left, &right);
        }
        now += 10_000;
        let (ra, rb) = (a.round(now), b.round(now + 1));
        assert!(ra.problems.is_empty() && rb.problems.is_empty(), "{ra:?} {rb:?}");
        assert!(!ra.ignored.is_empty(), "the litter is seen, and ignored");
    }
    copy_all(&left, &right);
    copy_all(&right, &left);
    a.round(now + 20_000);
    b.round(now + 20_001);
    copy_all(&left, &right);
    copy_all(&right, &left);
    a.round(now + 30_000);
    b.round(now + 30_001);
    assert_eq!(a.names(), b.names());
    assert_eq!(a.names().len(), SAMPLE.len() + 12, "every add, once: {:?}", a.names());
}

/// Copies Twofold's files from one folder to the other, as a sync tool
/// delivers them (into place by rename).
fn copy_all(from: &Path, to: &Path) {
    let key = from.join(sync::KEY_FILE);
    if key.exists() && !to.join(sync::KEY_FILE).exists() {
        std::fs::copy(&key, to.join(sync::KEY_FILE)).expect("the folder key");
    }
    for path in device_files(from) {
        let name = path.file_name().expect("name");
        let tmp = to.join(format!(".syncthing.{}.tmp", name.to_string_lossy()));
        std::fs::copy(&path, &tmp).expect("copy");
        std::fs::rename(&tmp, to.join(name)).expect("into place");
    }
}

/// What sync tools leave behind: a partial download, conflict copies.
fn litter(folder: &Path, round: u64) {
    for path in device_files(folder) {
        let name = path.file_name().and_then(|n| n.to_str()).expect("name").to_owned();
        let stem = name.trim_end_matches(".tfsync");
        let bytes = std::fs::read(&path).expect("read");
        std::fs::write(folder.join(format!(".syncthing.{name}.tmp")), &bytes[..bytes.len() / 3])
            .expect("partial");
        std::fs::write(
            folder.join(format!("{stem}.sync-conflict-2026120{round}-101010-ABCDEFG.tfsync")),
            &bytes,
        )
        .expect("conflict copy");
        std::fs::write(
            folder.join(format!("{stem} (laptop's conflicted copy 2026-12-0{round}).tfsync")),
            &bytes,
        )
        .expect("dropbox copy");
        std::fs::write(folder.join(format!("{name}.part")), &bytes[..10]).expect("nextcloud part");
    }
}
