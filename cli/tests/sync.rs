//! `twofold-cli sync` end to end (issue 25): two computers (each its own
//! data directory and keychain service) on one folder, driven only through
//! the CLI: turning it on, an add reaching the other side after any
//! change, a conflict shown on both and settled, a computer removed.
//! Two real Syncthing instances between two folders: `sync_syncthing.rs`.
//!
//! Needs a Secret Service (`scripts/test-session`).

#[path = "sync_support/mod.rs"]
mod support;

use support::Computer;
use twofold_testkit::accounts::SAMPLE;

#[test]
fn two_computers_keep_in_step_through_the_cli() {
    let folder = tempfile::tempdir().expect("folder");
    let (office, laptop) = (Computer::new("sync", "office"), Computer::new("sync", "laptop"));
    for uri in SAMPLE {
        office.ok(&["add", uri]);
    }
    let on = office.enable(folder.path(), "office PC");
    assert!(on.contains("sync on"), "{on}");
    // The secret is in no file name and in no output.
    let joined = laptop.enable(folder.path(), "laptop");
    assert!(joined.contains("read 1 other computer: 5 added"), "{joined}");
    assert_eq!(laptop.names(), office.names());

    // Any change runs a round: no `sync now` needed on the side that changed.
    office.ok(&["add", "otpauth://totp/New:one?secret=ONSWG4TFOQ"]);
    laptop.ok(&["sync", "now"]);
    assert!(laptop.names().contains(&"New:one".to_owned()), "{:?}", laptop.names());

    // Both rename one account: a conflict on both, settled from one.
    office.ok(&["rename", "github", "--name", "from-office"]);
    laptop.ok(&["rename", "github", "--name", "from-laptop"]);
    office.ok(&["sync", "now"]);
    let conflicts: serde_json::Value =
        serde_json::from_str(&laptop.ok(&["sync", "conflicts", "--json"])).expect("json");
    let conflicts = conflicts.as_array().expect("list");
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    let shown = laptop.ok(&["sync", "conflicts"]);
    assert!(shown.contains("GitHub: from-office") && shown.contains("GitHub: from-laptop"), "{shown}");
    let id = conflicts[0]["id"].as_str().expect("id");
    let wrong = laptop.run(&["sync", "resolve", "nonesuch-name", "--keep", "this"]);
    assert_eq!(wrong.status.code(), Some(2));
    laptop.ok(&["sync", "resolve", id, "--keep", "other"]);
    office.ok(&["sync", "now"]);
    assert!(office.ok(&["sync", "conflicts"]).contains("no conflicts"));
    assert!(office.names().contains(&"GitHub:from-office".to_owned()), "{:?}", office.names());
    assert_eq!(laptop.names(), office.names());

    let status: serde_json::Value =
        serde_json::from_str(&office.ok(&["sync", "status", "--json"])).expect("json");
    assert_eq!(status["computers"][0]["name"], "laptop");
    assert!(office.ok(&["sync", "status"]).contains("in step with 1 other computer (laptop: just now)"));

    // A computer removed: its file goes, its accounts stay.
    let device = status["computers"][0]["device"].as_str().expect("device").to_owned();
    office.ok(&["sync", "remove-device", &device]);
    assert!(office.ok(&["sync", "devices"]).trim().is_empty());
    assert_eq!(office.names().len(), SAMPLE.len() + 1);
    let files: Vec<String> = std::fs::read_dir(folder.path())
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!files.iter().any(|f| f.contains(&device)), "{files:?}");

    office.ok(&["sync", "disable"]);
    assert_eq!(office.run(&["sync", "status"]).status.code(), Some(1));
    assert_eq!(office.names().len(), SAMPLE.len() + 1, "turning sync off keeps every account");
}

#[test]
fn a_wrong_or_weak_sync_passphrase_is_refused_and_changes_nothing() {
    let folder = tempfile::tempdir().expect("folder");
    let (a, b) = (Computer::new("sync", "pass-a"), Computer::new("sync", "pass-b"));
    a.ok(&["add", SAMPLE[0]]);
    a.enable(folder.path(), "a");
    b.ok(&["add", SAMPLE[1]]);
    let weak = b.sandbox.file("weak", b"short\n");
    let out = b.run(&[
        "sync",
        "enable",
        "--folder",
        folder.path().to_str().expect("path"),
        "--passphrase-file",
        &weak,
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let wrong = b.sandbox.file("wrong", b"not the sync passphrase\n");
    let out = b.run(&[
        "sync",
        "enable",
        "--folder",
        folder.path().to_str().expect("path"),
        "--passphrase-file",
        &wrong,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not this folder's sync passphrase"));
    assert_eq!(b.names().len(), 1, "nothing came in");
    assert_eq!(b.run(&["sync", "status"]).status.code(), Some(1), "still off");
}
