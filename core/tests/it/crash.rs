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
            if let Some(name) = line.strip_prefix("saved ") {
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
