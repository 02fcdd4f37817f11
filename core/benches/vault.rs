//! Opening a 1,000-account vault and computing every first code (with the
//! next code and its boundary), as the window and `twofold-cli list` do at
//! start; and the summaries alone. Opening reads the key from a real Secret
//! Service: `make bench` runs this inside `scripts/test-session`.

use criterion::{criterion_group, criterion_main, Criterion};
use twofold_core::{vault, Account, Keychain, OtpauthUri, Summary, Unlock, Vault};

/// An arbitrary fixed time, so every run computes the same codes.
const NOW: u64 = 1_790_000_000;

fn accounts(count: u32) -> Vec<Account> {
    let uris = twofold_testkit::accounts::many(count);
    uris.iter().map(|uri| Account::from_uri(OtpauthUri::parse(uri).expect("valid"), 0)).collect()
}

fn summaries(vault: &Vault) -> Vec<Summary> {
    vault.accounts().iter().map(|a| a.summary_at(NOW)).collect()
}

fn vault_open(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = vault::path_in(dir.path());
    let keychain = Keychain::new(format!("twofold-bench-{}", std::process::id()));
    let mut created = Vault::create(&path, Unlock::Keychain(&keychain))
        .expect("a Secret Service: run `make bench` (it starts one)");
    created.add_all(accounts(1000)).expect("one save");

    c.bench_function("open a 1,000-account vault + first codes", |b| {
        b.iter(|| {
            let opened = Vault::open(&path, Unlock::Keychain(&keychain)).expect("open");
            summaries(&opened)
        })
    });
    c.bench_function("first codes of 1,000 accounts (vault open)", |b| b.iter(|| summaries(&created)));
}

criterion_group!(benches, vault_open);
criterion_main!(benches);
