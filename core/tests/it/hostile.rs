//! Issue 12: crafted inputs get a specific error within bounded time and
//! memory, and nothing of a secret leaks through an error.

use std::path::Path;

use twofold_core::enroll::{Collected, Input, ProblemKind};
use twofold_core::formats::{self, FormatError};
use twofold_core::migration::{encode, Batch, Migration, MigrationError};
use twofold_core::read::{read_bounded, ReadError};
use twofold_core::{transfer, OtpauthUri};

use crate::common::account;

/// A Google export claiming two billion codes: refused before anything is
/// sized by it (it used to allocate gigabytes and abort).
#[test]
fn a_huge_batch_size_is_refused() {
    let uri = OtpauthUri::parse("otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP").expect("valid");
    let text = encode(&[uri], Batch { id: 1, index: 0, size: 2_000_000_000 });
    assert_eq!(Migration::parse(&text), Err(MigrationError::TooManyCodes(2_000_000_000)));
    let mut collected = Collected::default();
    collected.add("paste", Input::Text(&text), None).expect("text is taken");
    assert_eq!(collected.problems[0].kind, ProblemKind::BadExport);
    assert!(collected.batches.is_empty() && collected.accounts.is_empty());
}

/// An Aegis file whose key slot asks for 17 GB of scrypt, or that has many
/// slots, is refused at once instead of running for half a minute.
#[test]
fn extreme_key_derivation_is_refused() {
    let bytes = transfer::export(&[account("otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP")], "a passphrase")
        .expect("export");
    let file: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    let with = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut f = file.clone();
        edit(&mut f);
        serde_json::to_vec(&f).expect("json")
    };
    let huge_r = with(&|f| f["header"]["slots"][0]["r"] = 1_000_000.into());
    let huge_n = with(&|f| f["header"]["slots"][0]["n"] = (1u64 << 30).into());
    let many = with(&|f| {
        let slot = f["header"]["slots"][0].clone();
        f["header"]["slots"] = serde_json::Value::Array(vec![slot; 50]);
    });
    for (what, crafted) in [("r", huge_r), ("n", huge_n), ("slots", many)] {
        let started = std::time::Instant::now();
        let err = formats::read(&crafted, Some("wrong guess")).err();
        assert_eq!(err, Some(FormatError::TooCostly("Aegis")), "{what}");
        assert!(started.elapsed().as_secs() < 5, "{what} took {:?}", started.elapsed());
    }
    // The real thing still opens.
    assert!(formats::read(&bytes, Some("a passphrase")).is_ok());
}

/// Devices, pipes and folders are refused without being read; large files
/// are refused by size.
#[cfg(unix)]
#[test]
fn only_regular_files_of_bounded_size_are_read() {
    assert_eq!(read_bounded(Path::new("/dev/zero"), 1 << 20).err(), Some(ReadError::NotAFile));
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(read_bounded(dir.path(), 1 << 20).err(), Some(ReadError::NotAFile));
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    // Opening it would block forever with no writer: it is never opened.
    assert_eq!(read_bounded(&fifo, 1 << 20).err(), Some(ReadError::NotAFile));
    let big = dir.path().join("big.json");
    std::fs::write(&big, vec![b' '; 2 << 20]).expect("write");
    assert_eq!(read_bounded(&big, 1 << 20).err(), Some(ReadError::TooLarge { max_bytes: 1 << 20 }));
    assert_eq!(read_bounded(&big, 4 << 20).expect("read").len(), 2 << 20);
}
