//! Folder sync's cost (issue 25): five computers in step on N accounts,
//! each having renamed a few since; one computer merging the other four's
//! states (the pure merge and the list it gives), and the same from their
//! sealed files (decrypt, inflate, parse, merge). Prints each file's size
//! per account for 100, 1,000 and 10,000 accounts first.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use twofold_core::replica::{DeviceId, Replica, State};
use twofold_core::secret::Secret;
use twofold_core::sync::{open_file, seal_file, Payload, SyncKey};
use twofold_core::{Account, OtpauthUri};

const T0: u64 = 1_800_000_000_000;

/// `count` accounts with 20-byte keys that look random (as real ones do:
/// the test accounts' repeating keys would deflate to nothing and flatter
/// the file size), the same every run.
fn accounts(count: u32) -> Vec<Account> {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let uris = twofold_testkit::accounts::many(count);
    uris.iter()
        .map(|uri| {
            let mut account = Account::from_uri(OtpauthUri::parse(uri).expect("valid"), 0);
            let key: Vec<u8> = (0..20)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    seed as u8
                })
                .collect();
            account.otp.secret = Secret::from_bytes(key).expect("a key");
            account
        })
        .collect()
}

/// Five computers' states: the first enrolled `count` accounts, all five
/// took them in, then each renamed ten of its own.
fn five(count: u32) -> Vec<State> {
    let mut first = Replica::new(DeviceId(1));
    let list = first.round(&accounts(count), &[], T0, true).accounts;
    (0..5u64)
        .map(|i| {
            let mut replica = Replica::new(DeviceId(i + 1));
            let mut mine = replica.round(&[], &[&first.state], T0 + 1, true).accounts;
            if mine.is_empty() {
                mine = list.clone();
            }
            for account in mine.iter_mut().skip(i as usize * 10).take(10) {
                account.name = format!("renamed on {i}");
            }
            replica.round(&mine, &[], T0 + 2, true);
            replica.state
        })
        .collect()
}

fn key() -> SyncKey {
    SyncKey::from_bytes(&[9; 32]).expect("a key")
}

fn sizes() {
    for count in [100, 1_000, 10_000] {
        let state = five(count).remove(1);
        let payload = Payload { name: "office PC".into(), written_ms: T0, state };
        let bytes = seal_file(DeviceId(2), &key(), &payload).expect("seals");
        println!(
            "sync file for {count} accounts: {} bytes ({:.0} bytes per account)",
            bytes.len(),
            bytes.len() as f64 / f64::from(count)
        );
    }
}

fn merge(c: &mut Criterion) {
    sizes();
    let mut group = c.benchmark_group("sync");
    group.sample_size(10);
    for count in [100u32, 1_000, 10_000] {
        let states = five(count);
        group.bench_with_input(
            BenchmarkId::new("merge four computers' states + list", count),
            &states,
            |b, states| {
                b.iter(|| {
                    let mut merged = states[0].clone();
                    for other in &states[1..] {
                        merged = merged.merge(other);
                    }
                    merged.view(T0).accounts.len()
                })
            },
        );
        let files: Vec<Vec<u8>> = states
            .iter()
            .enumerate()
            .map(|(i, state)| {
                let payload = Payload { name: format!("computer {i}"), written_ms: T0, state: state.clone() };
                seal_file(DeviceId(i as u64 + 1), &key(), &payload).expect("seals")
            })
            .collect();
        group.bench_with_input(
            BenchmarkId::new("read four computers' files + merge", count),
            &files,
            |b, files| {
                b.iter(|| {
                    let mut merged = states[0].clone();
                    for file in &files[1..] {
                        let (_, payload) = open_file(file, &key()).expect("opens");
                        merged = merged.merge(&payload.state);
                    }
                    merged.view(T0).accounts.len()
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, merge);
criterion_main!(benches);
