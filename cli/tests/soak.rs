//! The crash soak (issue 11): rounds of concurrent writers on one vault —
//! several `twofold-cli` processes adding, renaming and removing, some killed
//! with SIGKILL at random moments, beside a long-lived writer in this process
//! that holds the vault open the whole time, as the window does. Afterwards
//! the vault opens, holds every change whose command returned success, and no
//! account appears twice.
//!
//! `make test` runs a few dozen rounds; `make soak` runs 1,000
//! (`TWOFOLD_SOAK_ROUNDS`) and prints the figures.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::BuildHasher;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use twofold_core::{vault, Account, OtpauthUri, Unlock, Vault};
use twofold_testkit::Sandbox;

const CLI: &str = env!("CARGO_BIN_EXE_twofold-cli");
const PASSPHRASE: &str = "a passphrase for the soak";
/// Accounts renamed over and over, by the CLIs and by the long-lived writer.
const RENAMED: usize = 4;

/// A small random number source without a dependency: std's random hasher keys.
struct Dice(std::collections::hash_map::RandomState, u64);

impl Dice {
    fn below(&mut self, n: u64) -> u64 {
        self.1 += 1;
        self.0.hash_one(self.1) % n
    }
}

fn key(tag: &str) -> String {
    // Distinct, valid base32 keys from a tag: hex digits mapped into A–P.
    let hex: String = tag.bytes().map(|b| format!("{b:02x}")).collect();
    let mut key: String = hex.chars().map(|c| (b'A' + c.to_digit(16).unwrap_or(0) as u8) as char).collect();
    // A whole number of 5-byte groups: no bit of the tag falls off the end.
    while !key.len().is_multiple_of(8) {
        key.push('A');
    }
    key
}

fn uri(issuer: &str, name: &str) -> String {
    format!("otpauth://totp/{issuer}:{name}?secret={}", key(&format!("{issuer}/{name}")))
}

#[derive(Default)]
struct Ledger {
    /// Added and acknowledged, not removed since.
    added: BTreeSet<String>,
    removed: BTreeSet<String>,
    /// Per renamed account: the highest rename round acknowledged.
    renamed: BTreeMap<usize, u64>,
    acknowledged: usize,
    kills: usize,
}

#[test]
fn soak_concurrent_writers_with_kills_lose_nothing() {
    let rounds: u64 = std::env::var("TWOFOLD_SOAK_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(24);
    let sandbox = Sandbox::new("soak", "writers");
    let env = sandbox.env();
    // A passphrase vault: the soak is about the vault file, and killing
    // clients mid-request can take gnome-keyring's daemon down with them
    // (seen once in some 700 kills), which would test the keyring, not Twofold.
    let pass = sandbox.file("pass", PASSPHRASE.as_bytes());
    let cli = |args: &[&str]| {
        let mut command = Command::new(CLI);
        command
            .arg("--vault-passphrase-file")
            .arg(&pass)
            .args(args)
            .envs(env.iter().cloned())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    };
    assert!(cli(&["init"]).status().expect("init").success());
    for r in 0..RENAMED {
        assert!(cli(&["add", &uri("Renamed", &format!("r{r}-0"))]).status().expect("add").success());
    }
    // The long-lived writer: opened once, like the window.
    let path = vault::path_in(&sandbox.data_dir());
    let mut window = Vault::open(&path, Unlock::Passphrase(PASSPHRASE)).expect("open");
    let mut dice = Dice(Default::default(), 0);
    let mut ledger = Ledger::default();
    let started = Instant::now();

    for round in 1..=rounds {
        let mut children = Vec::new();
        // Two adds, a rename, and a remove of something added before.
        for k in 0..2 {
            let name = format!("a{round}-{k}");
            children
                .push((Op::Add(name.clone()), cli(&["add", &uri("Soak", &name)]).spawn().expect("spawn")));
        }
        let r = dice.below(RENAMED as u64) as usize;
        let renamed_to = format!("r{r}-{round}");
        let rename = cli(&["rename", &format!("r{r}-"), "--name", &renamed_to]).spawn().expect("spawn");
        children.push((Op::Rename(r, round), rename));
        let removable: Vec<&String> = ledger.added.iter().filter(|n| !n.starts_with("window/")).collect();
        if !removable.is_empty() {
            let victim = removable[dice.below(removable.len() as u64) as usize].clone();
            let remove = cli(&["remove", &format!("Soak:{victim}")]).spawn().expect("spawn");
            children.push((Op::Remove(victim), remove));
        }
        for (op, mut child) in children {
            if dice.below(3) == 0 {
                // Anywhere in a command's life: key derivation (~100 ms),
                // waiting for the lock, reading, writing, renaming.
                std::thread::sleep(Duration::from_millis(dice.below(250)));
                if child.try_wait().expect("poll").is_none() {
                    let _ = child.kill();
                    ledger.kills += 1;
                }
            }
            let ok = child.wait().expect("wait").success();
            if let (Op::Remove(name), false) = (&op, ok) {
                // Killed or not, it may have removed it: no longer counted on.
                ledger.added.remove(name);
            }
            if ok {
                ledger.acknowledged += 1;
                match op {
                    Op::Add(name) => {
                        ledger.added.insert(name);
                    }
                    Op::Remove(name) => {
                        ledger.added.remove(&name);
                        ledger.removed.insert(name);
                    }
                    Op::Rename(r, round) => {
                        let best = ledger.renamed.entry(r).or_default();
                        *best = (*best).max(round);
                    }
                }
            }
        }
        // The long-lived writer's own change, from its copy opened long ago.
        let name = format!("w{round}");
        window
            .add(Account::from_uri(OtpauthUri::parse(&uri("Window", &name)).expect("uri"), round))
            .expect("the long-lived writer saves");
        ledger.added.insert(format!("window/{name}"));
        ledger.acknowledged += 1;
    }

    let vault = Vault::open(&path, Unlock::Passphrase(PASSPHRASE)).expect("the vault opens after the soak");
    let accounts = vault.accounts();
    let mut ids = BTreeSet::new();
    let mut names = BTreeSet::new();
    for a in accounts {
        assert!(ids.insert(a.id), "an id appears twice: {}", a.display_name());
        assert!(names.insert((a.issuer.clone(), a.name.clone())), "{} appears twice", a.display_name());
    }
    let has = |issuer: &str, name: &str| names.contains(&(issuer.to_owned(), name.to_owned()));
    let mut lost = Vec::new();
    for name in &ledger.added {
        let found = match name.strip_prefix("window/") {
            Some(own) => has("Window", own),
            None => has("Soak", name),
        };
        if !found {
            lost.push(name.clone());
        }
    }
    for name in &ledger.removed {
        if has("Soak", name) {
            lost.push(format!("{name} (removed, but back)"));
        }
    }
    for (r, round) in &ledger.renamed {
        let current =
            accounts.iter().find(|a| a.issuer == "Renamed" && a.name.starts_with(&format!("r{r}-")));
        let at = current.and_then(|a| a.name.rsplit('-').next()?.parse::<u64>().ok());
        if at.is_none_or(|at| at < *round) {
            lost.push(format!(
                "rename r{r} to round {round} (now {current:?})",
                current = current.map(|a| &a.name)
            ));
        }
    }
    println!(
        "soak: {rounds} rounds in {:.1} s, {} kills, {} acknowledged changes, {} accounts, lost: {}",
        started.elapsed().as_secs_f64(),
        ledger.kills,
        ledger.acknowledged,
        accounts.len(),
        lost.len()
    );
    assert!(lost.is_empty(), "acknowledged changes lost: {lost:?}");
}

enum Op {
    Add(String),
    Rename(usize, u64),
    Remove(String),
}
