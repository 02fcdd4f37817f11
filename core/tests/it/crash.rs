//! Crash safety: a child process saves accounts in a loop and reports each
//! save that returned; it is killed with SIGKILL mid-save. The vault must
//! still open and hold every reported account.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use twofold_core::{vault, Account, Algorithm, Kind, Otp, Secret, Unlock, Vault};

const CHILD_ENV: &str = "TWOFOLD_CRASH_CHILD_VAULT";
const PASS: &str = "crash test passphrase";

/// The child's loop: add accounts forever, announcing each one saved.
fn child(path: &str) -> ! {
    let path = std::path::Path::new(path);
    let mut v = Vault::open(path, Unlock::Passphrase(PASS)).expect("child opens the vault");
    for i in v.accounts().len().. {
        let key = format!("crash-test-key-{i}").into_bytes();
        let otp =
            Otp::new(Secret::from_bytes(key).expect("key"), Algorithm::Sha1, 6, Kind::Totp { period: 30 })
                .expect("valid");
        v.add(Account::new("Crash", format!("account-{i}"), otp, 0)).expect("save");
        println!("saved account-{i}");
    }
    unreachable!("the loop only ends when the process is killed")
}

#[test]
fn saves_survive_kill_9() {
    if let Ok(path) = std::env::var(CHILD_ENV) {
        child(&path);
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = vault::path_in(dir.path());
    drop(Vault::create(&path, Unlock::Passphrase(PASS)).expect("create"));

    let mut confirmed = Vec::new();
    // Kill at different depths: early, and after many saves of a larger file.
    for kill_after in [3usize, 17, 40] {
        let mut child = Command::new(std::env::current_exe().expect("test binary path"))
            .args(["crash::saves_survive_kill_9", "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn child");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut seen = 0;
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("child output");
            if let Some((_, name)) = line.split_once("saved ") {
                confirmed.push(name.to_owned());
                seen += 1;
                if seen == kill_after {
                    // SIGKILL while the next save is under way.
                    child.kill().expect("kill -9");
                    break;
                }
            }
        }
        child.wait().expect("reap child");
        assert_eq!(seen, kill_after, "child stopped early");

        let v = Vault::open(&path, Unlock::Passphrase(PASS)).expect("vault opens after kill -9");
        let names: Vec<&str> = v.accounts().iter().map(|a| a.name.as_str()).collect();
        for name in &confirmed {
            assert!(names.contains(&name.as_str()), "{name} was reported saved but is missing");
        }
    }
    assert_eq!(confirmed.len(), 60);
}

const IMPORT_CHILD_ENV: &str = "TWOFOLD_IMPORT_CHILD";

/// The child: opens the vault, says so, imports 500 accounts in one save.
fn import_child(spec: &str) -> ! {
    let (path, round) = spec.split_once('|').expect("path|round");
    let mut v =
        Vault::open(std::path::Path::new(path), Unlock::Passphrase(PASS)).expect("child opens the vault");
    println!("ready");
    let accounts = (0..500u32)
        .map(|i| {
            let key = format!("import-{round}-{i}").into_bytes();
            let otp = Otp::new(
                Secret::from_bytes(key).expect("key"),
                Algorithm::Sha1,
                6,
                Kind::Totp { period: 30 },
            )
            .expect("valid");
            Account::new("Import", format!("{round}-{i}"), otp, 0)
        })
        .collect();
    v.add_all(accounts).expect("import");
    println!("imported");
    loop {
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
}

/// An import killed half-way leaves the vault as it was: all or nothing.
#[test]
fn an_interrupted_import_is_all_or_nothing() {
    if let Ok(spec) = std::env::var(IMPORT_CHILD_ENV) {
        import_child(&spec);
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = vault::path_in(dir.path());
    drop(Vault::create(&path, Unlock::Passphrase(PASS)).expect("create"));
    let mut expected = 0;
    let mut outcomes = (0, 0);
    for (round, delay_ms) in [0u64, 2, 5, 10, 20, 40, 80, 400].into_iter().enumerate() {
        let mut child = Command::new(std::env::current_exe().expect("test binary"))
            .args([
                "crash::an_interrupted_import_is_all_or_nothing",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(IMPORT_CHILD_ENV, format!("{}|{round}", path.display()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        // libtest prints "test <name> ... " without a newline first.
        while !lines.next().expect("child output").expect("line").ends_with("ready") {}
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        child.kill().expect("kill -9");
        child.wait().expect("reap");
        let count =
            Vault::open(&path, Unlock::Passphrase(PASS)).expect("vault opens after kill -9").accounts().len();
        if count == expected {
            outcomes.0 += 1;
        } else {
            assert_eq!(
                count,
                expected + 500,
                "round {round}: a partial import ({count} accounts, was {expected})"
            );
            expected = count;
            outcomes.1 += 1;
        }
    }
    // Both outcomes must have happened for the test to mean something.
    assert!(outcomes.0 > 0 && outcomes.1 > 0, "killed before/after: {outcomes:?}");
}
