//! What a paste goes through: links, export links and text, one per line.
#![no_main]
use libfuzzer_sys::fuzz_target;
use twofold_core::enroll::{Collected, Input};

fuzz_target!(|text: &str| {
    let mut collected = Collected::default();
    let _ = collected.add("fuzz", Input::Text(text), None);
});
