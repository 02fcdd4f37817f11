//! Twofold's transfer bundle (an Aegis encrypted vault) reader.
#![no_main]
use libfuzzer_sys::fuzz_target;
use twofold_core::transfer;

fuzz_target!(|bytes: &[u8]| {
    let _ = transfer::open(bytes, "a passphrase");
});
