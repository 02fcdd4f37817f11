//! Issue 15's figures: the time one backup of 1,000 accounts takes (written
//! with the stored key, read back from disk and checked against the vault),
//! and the disk a year of retention uses for 100 accounts changed daily
//! (printed once; a size, not a time).

use std::collections::BTreeSet;

use criterion::{criterion_group, criterion_main, Criterion};
use twofold_core::backup::{self, BackupKey, Snapshot};
use twofold_core::settings::Retention;
use twofold_core::{Account, OtpauthUri};

const NOW: u64 = 1_790_000_000;
const DAY: u64 = 86_400;

fn accounts(count: u32) -> Vec<Account> {
    let uris = twofold_testkit::accounts::many(count);
    uris.iter().map(|uri| Account::from_uri(OtpauthUri::parse(uri).expect("valid"), 0)).collect()
}

fn a_year_of_daily_backups() {
    let folder = tempfile::tempdir().expect("tempdir");
    let key = BackupKey::derive("a backup passphrase").expect("key");
    let mut vault = accounts(100);
    let chain = backup::Chain::from_id(&[7; 16]);
    let start = NOW - 365 * DAY;
    let mut stamps = Vec::new();
    let mut sizes = Vec::new();
    for day in 0..365 {
        // Something changes every day: one account renamed.
        let i = day as usize % vault.len();
        vault[i].name = format!("renamed on day {day}");
        let point = backup::write(folder.path(), &chain, &vault, &key, start + day * DAY).expect("backup");
        sizes.push(std::fs::metadata(&point.path).expect("size").len());
        stamps.push(Snapshot { time: point.time, accounts: vault.iter().map(|a| a.id).collect() });
    }
    let in_vault: BTreeSet<_> = vault.iter().map(|a| a.id).collect();
    let keep = backup::to_keep(&stamps, &in_vault, NOW, Retention::default());
    let bytes: u64 = keep.iter().map(|&i| sizes[i]).sum();
    eprintln!(
        "a year of daily backups of 100 accounts: {} of 365 kept, {:.1} KiB each, {:.0} KiB in all",
        keep.len(),
        sizes[0] as f64 / 1024.0,
        bytes as f64 / 1024.0
    );
}

fn backup_1000(c: &mut Criterion) {
    a_year_of_daily_backups();
    let folder = tempfile::tempdir().expect("tempdir");
    let key = BackupKey::derive("a backup passphrase").expect("key");
    let vault = accounts(1000);
    let chain = backup::Chain::from_id(&[7; 16]);
    c.bench_function("back up 1,000 accounts (write, read back, check)", |b| {
        // Each write is a new file (numbered after the last): removed again,
        // so every iteration lists the same folder.
        b.iter(|| {
            let point = backup::write(folder.path(), &chain, &vault, &key, NOW).expect("backup");
            std::fs::remove_file(point.path).expect("remove");
        })
    });
}

criterion_group!(benches, backup_1000);
criterion_main!(benches);
