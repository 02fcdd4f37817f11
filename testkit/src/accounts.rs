//! The test accounts, as `otpauth://` URIs (testkit names nothing of
//! Twofold's: each test parses them with the parser it checks or trusts).
//! Every key is a public example key, no real account's.

/// The canonical set: one account of each kind the formats, backups and
/// exports must carry whole, so a test that takes them all covers every
/// field a code depends on.
pub const SAMPLE: [&str; 5] = [
    // The common case: SHA1, 6 digits, 30 s, an issuer of its own.
    "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",
    // Counter-based, with what HOTP can vary: its counter, digits, algorithm.
    "otpauth://hotp/Bank:alice?secret=GEZDGNBVGY3TQOJQ&counter=42&digits=8&algorithm=SHA512",
    // Steam's own kind (5 characters of its own alphabet).
    "otpauth://steam/Steam:gamer?secret=MFRGGZDFMZTWQ2LK",
    // The edges of TOTP: 10 digits, a short period, SHA256.
    "otpauth://totp/Mail:bob?secret=KRSXG5CTMVRXEZLU&digits=10&period=15&algorithm=SHA256",
    // SHA256, 8 digits, 60 s, on RFC 6238's SHA256 seed.
    "otpauth://totp/Cloud:ops?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA&digits=8&period=60&algorithm=SHA256&issuer=Cloud",
];

/// `count` numbered accounts ("Service0000" / "user0000@example.com"…),
/// each with its own 20-byte key, as a big vault holds them: time-based,
/// one in ten with a 60 s period. For what costs grow with (the benches).
pub fn many(count: u32) -> Vec<String> {
    (0..count)
        .map(|i| {
            let key = data_encoding::BASE32_NOPAD.encode(&i.to_be_bytes().repeat(5));
            let period = if i % 10 == 9 { 60 } else { 30 };
            format!(
                "otpauth://totp/Service{i:04}:user{i:04}@example.com?secret={key}&period={period}&issuer=Service{i:04}"
            )
        })
        .collect()
}
