//! Two computers kept in step through two real Syncthing instances (issue
//! 25): each computer its own data directory, its own D-Bus session and
//! gnome-keyring, its own folder; Syncthing (`testkit::syncthing`, inside a
//! private network with loopback alone) keeps the two folders in step.
//! Everything is driven through `twofold-cli`, and every wait is for a
//! state the test can see (a `sync now` that reports what arrived), never
//! for a fixed time.
//!
//! Needs `syncthing`, `unshare` and `ip` (scripts/install-deps test), and
//! root or unprivileged user namespaces for `unshare -n`.

#[path = "sync_support/mod.rs"]
mod support;

use std::process::Stdio;

use support::Computer;
use twofold_testkit::accounts::{many, SAMPLE};
use twofold_testkit::netns;
use twofold_testkit::syncthing::SyncthingPair;

/// Runs `sync now` on `computer` until `done` holds, with what it last saw
/// when the harness's deadline passes.
fn until(computer: &Computer, pair: &SyncthingPair, what: &str, done: impl Fn(&Computer) -> bool) {
    pair.wait_for(what, || {
        let round = computer.run(&["sync", "now"]);
        if done(computer) {
            Ok(())
        } else {
            Err(format!(
                "{} / {}; accounts: {:?}",
                String::from_utf8_lossy(&round.stdout).trim(),
                String::from_utf8_lossy(&round.stderr).trim(),
                computer.names()
            ))
        }
    });
}

#[test]
fn two_computers_keep_in_step_through_real_syncthing() {
    if !netns::in_private_network("two_computers_keep_in_step_through_real_syncthing") {
        return;
    }
    netns::assert_isolated();
    let (folder_a, folder_b) = (tempfile::tempdir().expect("a"), tempfile::tempdir().expect("b"));
    let mut pair = SyncthingPair::start(folder_a.path(), folder_b.path());
    pair.wait_connected();
    let (office, laptop) = (
        Computer::with_own_keyring("syncthing", "office"),
        Computer::with_own_keyring("syncthing", "laptop"),
    );
    for uri in SAMPLE {
        office.ok(&["add", uri]);
    }
    office.enable(folder_a.path(), "office PC");
    // The laptop joins once Syncthing has brought the folder's key and the
    // office's file across.
    pair.wait_for("the office's sync files on the laptop's side", || {
        let names: Vec<String> = std::fs::read_dir(folder_b.path())
            .map_err(|e| e.to_string())?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        let has_device = names.iter().any(|n| n.starts_with("twofold-sync-") && n.ends_with(".tfsync"));
        if names.iter().any(|n| n == "twofold-sync.key") && has_device {
            Ok(())
        } else {
            Err(format!("{names:?}"))
        }
    });
    let joined = laptop.enable(folder_b.path(), "laptop");
    assert!(joined.contains("5 added"), "{joined}");
    assert_eq!(laptop.names(), office.names());

    // An add on the laptop appears on the office computer.
    laptop.ok(&["add", "otpauth://totp/Laptop:new?secret=ONSWG4TFOQ"]);
    until(&office, &pair, "the laptop's add on the office computer", |c| {
        c.names().contains(&"Laptop:new".to_owned())
    });

    // A rename, a pin and a removal travel the other way.
    office.ok(&["rename", "github", "--name", "alice@work"]);
    office.ok(&["pin", "mail"]);
    office.ok(&["remove", "steam"]);
    until(&laptop, &pair, "the office's rename, pin and removal on the laptop", |c| {
        c.names().contains(&"GitHub:alice@work".to_owned()) && c.pinned("Mail") && c.names().len() == 5
    });
    assert_eq!(laptop.names(), office.names());

    // With Syncthing paused, both change one account; after resuming the
    // conflict shows on both sides and nothing is lost.
    pair.wait_in_sync();
    pair.a().pause_device_of_other();
    office.ok(&["rename", "github", "--name", "from-office"]);
    laptop.ok(&["rename", "github", "--name", "from-laptop"]);
    pair.a().resume();
    pair.wait_connected();
    for (side, computer) in [("office", &office), ("laptop", &laptop)] {
        until(computer, &pair, &format!("the conflict on the {side} side"), |c| {
            let conflicts = c.conflicts();
            let shown = serde_json::to_string(&conflicts).unwrap_or_default();
            conflicts.len() == 1 && shown.contains("from-office") && shown.contains("from-laptop")
        });
    }
    let id = laptop.conflicts()[0]["id"].as_str().expect("id").to_owned();
    laptop.ok(&["sync", "resolve", &id, "--keep", "this"]);
    until(&office, &pair, "the choice on the office computer", |c| {
        c.conflicts().is_empty() && c.names().contains(&"GitHub:from-laptop".to_owned())
    });

    // kill -9 in the middle of writes (Twofold's and Syncthing's) leaves
    // both sides whole: every file reads, and the two agree again.
    let more = many(30);
    for (i, uri) in more.iter().enumerate() {
        let mut child =
            office.command(&["add", uri]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("spawn");
        if i % 3 == 0 {
            // Killed at once: before, during or after its write.
            let _ = child.kill();
        }
        let _ = child.wait();
        if i == 10 {
            pair.b_mut().kill();
            pair.b_mut().restart();
        }
    }
    pair.wait_connected();
    let office_names = {
        let round = office.ok(&["sync", "now"]);
        assert!(!round.contains("was not read"), "{round}");
        office.names()
    };
    until(&laptop, &pair, "every account that was saved on the office computer", |c| {
        c.names() == office_names
    });
    let report = laptop.run(&["sync", "now"]);
    assert!(report.status.success() && !String::from_utf8_lossy(&report.stderr).contains("not read"));
}
