//! `otpauth://` links: parsing never panics, and what parses round-trips.
#![no_main]
use libfuzzer_sys::fuzz_target;
use twofold_core::OtpauthUri;

fuzz_target!(|text: &str| {
    if let Ok(uri) = OtpauthUri::parse(text) {
        let again = OtpauthUri::parse(&uri.to_uri()).expect("a formatted link parses");
        assert_eq!(again, uri, "parse ∘ format is the identity");
    }
});
