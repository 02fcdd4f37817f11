//! Every importer's reader (format detection included), plain and with a
//! passphrase for the encrypted formats.
#![no_main]
use libfuzzer_sys::fuzz_target;
use twofold_core::formats;

fuzz_target!(|bytes: &[u8]| {
    let _ = formats::read(bytes, None);
    let _ = formats::read(bytes, Some("a passphrase"));
    // A folder: the input as its manifest and as the one maFile beside it.
    let _ = formats::read_folder(&[("manifest.json", bytes), ("a.maFile", bytes)], None);
});
