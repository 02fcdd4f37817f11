//! Image decoding and the QR scan, within smaller bounds than the app's so
//! each run stays fast.
#![no_main]
use libfuzzer_sys::fuzz_target;
use twofold_core::qr::{self, Limits};

fuzz_target!(|bytes: &[u8]| {
    let limits = Limits { max_bytes: 1 << 20, max_pixels: 4_000_000, budget: std::time::Duration::from_millis(500) };
    let _ = qr::scan_bytes(bytes, limits);
});
