//! Image decoding and the QR scan, within smaller bounds than the app's so
//! each run stays fast.
#![no_main]
use libfuzzer_sys::fuzz_target;
use twofold_core::qr::{self, Limits};

fuzz_target!(
    // rqrr panics on some crafted images (an open upstream bug); Twofold
    // catches that (`catch_unwind` in `qr`), and libfuzzer-sys's own panic
    // hook would abort even so. With a quiet hook a caught panic is
    // harmless, and one that escapes still aborts: it cannot unwind into
    // libFuzzer.
    init: {
        std::panic::set_hook(Box::new(|_| {}));
    },
    |bytes: &[u8]| {
        let limits = Limits { max_bytes: 1 << 20, max_pixels: 4_000_000 };
        let _ = qr::scan_bytes(bytes, limits);
    }
);
