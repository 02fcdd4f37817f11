//! The Syncthing harness against real Syncthing: a file written on one
//! side reaches the other with the same bytes; while one side has the
//! other paused, a new file stays where it was written (as Syncthing's own
//! state shows, not a wait that hopes); resumed, it arrives.

use std::path::Path;
use std::time::Instant;

use serde_json::Value;
use twofold_testkit::netns;
use twofold_testkit::syncthing::SyncthingPair;

/// Ok with the file's bytes once `path` holds exactly `want`.
fn has(path: &Path, want: &[u8]) -> Result<(), String> {
    match std::fs::read(path) {
        Ok(bytes) if bytes == want => Ok(()),
        Ok(bytes) => Err(format!("{} holds {:?}", path.display(), String::from_utf8_lossy(&bytes))),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

#[test]
fn a_file_reaches_the_other_side_unless_paused() {
    if !netns::in_private_network("a_file_reaches_the_other_side_unless_paused") {
        return;
    }
    netns::assert_isolated();
    let started = Instant::now();
    let folder_a = tempfile::tempdir().expect("a's folder");
    let folder_b = tempfile::tempdir().expect("b's folder");
    let pair = SyncthingPair::start(folder_a.path(), folder_b.path());
    pair.wait_connected();
    eprintln!("started and connected in {:.1} s", started.elapsed().as_secs_f64());

    // Not scanned by hand: the watcher (or the rescan) must find it.
    let first: &[u8] = b"the first file, any bytes will do\n";
    std::fs::write(folder_a.path().join("first.txt"), first).expect("write first.txt on a");
    pair.wait_for("first.txt on b, as a wrote it", || has(&folder_b.path().join("first.txt"), first));
    pair.wait_in_sync();
    eprintln!("first file synced at {:.1} s", started.elapsed().as_secs_f64());

    // Paused on a: a closes the connection and refuses b's new ones. (b
    // may see itself connected for a moment each time it redials: a
    // answers b's Hello before it hangs up on a paused device.)
    pair.a().pause_device_of_other();
    let second: &[u8] = b"the second file, written while paused\n";
    std::fs::write(folder_a.path().join("second.txt"), second).expect("write second.txt on a");
    pair.a().scan();
    let info = pair.a().file_info("second.txt").expect("ask a about second.txt");
    let local = info.as_ref().map(|info| &info["local"]);
    assert_eq!(
        local.map(|local| (&local["size"], &local["deleted"])),
        Some((&Value::from(second.len()), &Value::Bool(false))),
        "a scanned second.txt: {info:?}"
    );
    // a has it and knows b does not; b knows nothing of it, and a, which
    // alone could tell it, has no connection to b.
    let completion = pair.a().wait_for("a to count second.txt as needed by b", || {
        let completion = pair.a().completion_of_other()?;
        match completion["needItems"].as_u64() {
            Some(1) => Ok(completion),
            _ => Err(format!("a's view of b: {completion}")),
        }
    });
    assert!(completion["completion"].as_f64().is_some_and(|c| c < 100.0), "a's view of b: {completion}");
    assert_eq!(pair.b().file_info("second.txt").expect("ask b about second.txt"), None, "b's index");
    assert!(!folder_b.path().join("second.txt").exists(), "second.txt reached b while paused");
    let connection = pair.a().peer_connection().expect("a's connection to b");
    assert_eq!(
        (&connection["paused"], &connection["connected"]),
        (&Value::Bool(true), &Value::Bool(false)),
        "a's connection to b while pausing it: {connection}"
    );
    eprintln!("held back while paused at {:.1} s", started.elapsed().as_secs_f64());

    pair.a().resume();
    pair.wait_connected();
    pair.wait_for("second.txt on b after resuming", || has(&folder_b.path().join("second.txt"), second));
    pair.wait_in_sync();
    has(&folder_b.path().join("first.txt"), first).expect("first.txt still on b");
    eprintln!("resumed and synced at {:.1} s", started.elapsed().as_secs_f64());
}
