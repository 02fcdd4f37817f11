//! The vault file reader: its header, then (for a passphrase vault whose
//! header is sane) key derivation and the authenticated payload.
#![no_main]
use libfuzzer_sys::fuzz_target;
use twofold_core::vault::{self, Unlock, Vault};

fuzz_target!(|bytes: &[u8]| {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = vault::path_in(dir.path());
    std::fs::write(&path, bytes).expect("write");
    let _ = vault::protection_of(&path);
    let _ = Vault::open(&path, Unlock::Passphrase("a passphrase"));
});
