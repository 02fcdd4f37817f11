//! Google Authenticator export links: the protobuf payload decoder, reached
//! both through raw text and through arbitrary bytes as the `data` field.
#![no_main]
use base64::Engine;
use libfuzzer_sys::fuzz_target;
use twofold_core::migration::Migration;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = Migration::parse(text);
    }
    let data = base64::engine::general_purpose::STANDARD.encode(bytes);
    let _ = Migration::parse(&format!("otpauth-migration://offline?data={data}"));
});
