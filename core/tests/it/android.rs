//! Android apps' files (issue 23): settings `<map>`s holding accounts
//! (FreeOTP, FreeOTP+, Authy, Battle.net, TOTP Authenticator) and the
//! backups FreeOTP 2 and TOTP Authenticator write. The shared corpus files
//! are matched against their vectors; fixtures of our own cover the edges.

use twofold_core::formats::{self, EntryProblem, Format, FormatError, Imported, SkippedEntry};
use twofold_core::{Account, Algorithm, Kind};

use crate::formats::{assert_adjusted, import, Adjust};

use crate::common::{fields, fixture};

fn all_fields(imported: &Imported) -> Vec<(String, String, Kind, Algorithm, u8, String)> {
    imported.accounts.iter().map(fields).collect()
}

fn row(
    issuer: &str,
    name: &str,
    kind: Kind,
    algorithm: Algorithm,
    digits: u8,
    secret: &str,
) -> (String, String, Kind, Algorithm, u8, String) {
    (issuer.into(), name.into(), kind, algorithm, digits, secret.into())
}

fn skipped(position: usize, label: &str, reason: EntryProblem) -> SkippedEntry {
    SkippedEntry { position, label: label.into(), reason }
}

#[test]
fn freeotp_token_files_match_the_vectors_in_the_apps_order() {
    let (format, accounts) = import("importers/freeotp.xml");
    assert_eq!(format, Format::FreeOtp);
    assert_eq!(accounts.len(), 4);
    assert_adjusted("freeotp.xml", &accounts, Adjust::CounterMinusOne);
    let order: Vec<String> = accounts.iter().map(Account::display_name).collect();
    assert_eq!(order, ["WWE (Mason)", "Issuu (James)", "Airbnb (Elijah)", "Deno (Mason)"]);
    // FreeOTP+ keeps the same file internally.
    let (format, accounts) = import("importers/freeotp_plus_internal.xml");
    assert_eq!(format, Format::FreeOtp);
    assert_eq!(accounts.len(), 6);
    assert_adjusted("freeotp_plus_internal.xml", &accounts, Adjust::CounterMinusOne);
}

/// HOTP with SHA512, a Steam token, a token missing from the order (last),
/// and two bad ones skipped with their reasons.
#[test]
fn freeotp_token_file_edges() {
    let (format, imported) = formats::read(&fixture("freeotp/tokens.xml"), None).expect("reads");
    assert_eq!(format, Format::FreeOtp);
    assert_eq!(
        all_fields(&imported),
        [
            row(
                "Bank",
                "bob",
                Kind::Hotp { counter: 41 },
                Algorithm::Sha512,
                8,
                "ZDE4VS6MZXHM7UGR2LJ5JVOW27MNTWW33TO55X7A4HROHZHF43TQ"
            ),
            row(
                "GitHub",
                "alice",
                Kind::Totp { period: 30 },
                Algorithm::Sha1,
                6,
                "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            ),
            row("Steam", "carol", Kind::Steam, Algorithm::Sha1, 5, "AEBAGBAFAYDQQCIK"),
            row("Late", "erin", Kind::Totp { period: 60 }, Algorithm::Sha256, 7, "PJ4XQ53WOV2HG4TR"),
        ]
    );
    assert_eq!(
        imported.skipped,
        [
            skipped(2, "Broken (frank)", EntryProblem::Damaged),
            skipped(5, "Old (dave)", EntryProblem::Algorithm)
        ]
    );
}

#[test]
fn authy_plain_and_encrypted_match_the_vectors() {
    for file in ["importers/authy_plain.xml", "importers/authy_encrypted.xml"] {
        let (format, accounts) = import(file);
        assert_eq!(format, Format::Authy, "{file}");
        assert_eq!(accounts.len(), 3, "{file}");
        assert_adjusted(file, &accounts, Adjust::Sha1AnyPeriod);
        assert!(accounts.iter().all(|a| a.otp.kind == Kind::Totp { period: 30 }), "{file}");
    }
    let bytes =
        std::fs::read(crate::common::corpus("importers/aegis/importers/authy_encrypted.xml")).expect("file");
    assert_eq!(formats::read(&bytes, None).err(), Some(FormatError::NeedsPassphrase("Authy")));
    assert_eq!(formats::read(&bytes, Some("wrong")).err(), Some(FormatError::WrongPassphrase));
}

/// Issuers from each place Authy keeps them, Authy's own 10-second token,
/// and a token whose secret does not decrypt, skipped while the rest open.
#[test]
fn authy_edges() {
    let bytes = fixture("authy/tokens_encrypted.xml");
    let (format, imported) = formats::read(&bytes, Some("correct horse")).expect("reads");
    assert_eq!(format, Format::Authy);
    let totp = Kind::Totp { period: 30 };
    assert_eq!(
        all_fields(&imported),
        [
            row("GitLab", "dave", totp, Algorithm::Sha1, 6, "JBSWY3DPEHPK3PXP"),
            row("Example", "erin@example.com", totp, Algorithm::Sha1, 8, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
            row("Dropbox", "gina", totp, Algorithm::Sha1, 6, "MFRGGZDFMZTWQ2LK"),
            row("Twilio", "", Kind::Totp { period: 10 }, Algorithm::Sha1, 7, "AERUKZ4JVPG66AJDIVTYTK6N54"),
        ]
    );
    assert_eq!(imported.skipped, [skipped(3, "Broken (frank)", EntryProblem::Undecryptable)]);
    assert_eq!(formats::read(&bytes, Some("correct horses")).err(), Some(FormatError::WrongPassphrase));
}

#[test]
fn battle_net_matches_its_vector() {
    let (format, accounts) = import("importers/battle_net_authenticator.xml");
    assert_eq!(format, Format::BattleNet);
    assert_eq!(accounts.len(), 1);
    assert_adjusted("battle_net_authenticator.xml", &accounts, Adjust::Exact);
    assert_eq!(
        fields(&accounts[0]),
        row(
            "Battle.net",
            "US-2211-2050-3346",
            Kind::Totp { period: 30 },
            Algorithm::Sha1,
            8,
            "BMGRXPGFARQQF4GMT25JATL2VYLAHDBI"
        )
    );
}

/// No serial: the account is named by its issuer alone. Credentials kept
/// in the phone's keystore cannot be read: skipped, named by the serial.
#[test]
fn battle_net_edges() {
    let (_, imported) = formats::read(&fixture("battle_net/no_serial.xml"), None).expect("reads");
    assert_eq!(
        all_fields(&imported),
        [row(
            "Battle.net",
            "",
            Kind::Totp { period: 30 },
            Algorithm::Sha1,
            8,
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        )]
    );
    let (format, imported) = formats::read(&fixture("battle_net/keystore.xml"), None).expect("reads");
    assert_eq!(format, Format::BattleNet);
    assert!(imported.accounts.is_empty());
    assert_eq!(imported.skipped, [skipped(1, "Battle.net (EU-1234-5678-9012)", EntryProblem::Undecryptable)]);
}

/// The settings file and the backup hold the same three accounts. Digits
/// and period are what the app stored and showed codes with; expected.json
/// sets them to 6 and 30 because Aegis drops them.
#[test]
fn totp_authenticator_settings_and_backup_match_the_vectors() {
    for file in ["importers/totp_authenticator_internal.xml", "importers/totp_authenticator.bin"] {
        let (format, accounts) = import(file);
        assert_eq!(format, Format::TotpAuthenticator, "{file}");
        assert_eq!(accounts.len(), 3, "{file}");
        assert_adjusted(file, &accounts, Adjust::Sha1LowerName);
    }
    let bytes = std::fs::read(crate::common::corpus("importers/aegis/importers/totp_authenticator.bin"))
        .expect("file");
    assert_eq!(formats::read(&bytes, None).err(), Some(FormatError::NeedsPassphrase("TOTP Authenticator")));
    assert_eq!(formats::read(&bytes, Some("Testtest2")).err(), Some(FormatError::WrongPassphrase));
}

/// A backup under the app's default password opens without asking; base32
/// and base64 keys; an unknown encoding and impossible digits are skipped.
#[test]
fn totp_authenticator_edges() {
    let bytes = fixture("totp_authenticator/default_password.bin");
    for passphrase in [None, Some("not the one")] {
        let (format, imported) = formats::read(&bytes, passphrase).expect("opens with the default password");
        assert_eq!(format, Format::TotpAuthenticator);
        assert_eq!(
            all_fields(&imported),
            [
                row("GitHub", "alice", Kind::Totp { period: 60 }, Algorithm::Sha1, 8, "JBSWY3DPEHPK3PXP"),
                row(
                    "Mail",
                    "bob",
                    Kind::Totp { period: 30 },
                    Algorithm::Sha1,
                    6,
                    "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                ),
            ]
        );
        assert_eq!(
            imported.skipped,
            [
                skipped(3, "Odd (carol)", EntryProblem::Damaged),
                skipped(4, "Long (dave)", EntryProblem::Otp(twofold_core::otp::OtpError::Digits)),
            ]
        );
    }
}

#[test]
fn freeotp_2_backups_match_the_vectors() {
    for file in [
        "importers/freeotp_v2_api23.xml",
        "importers/freeotp_v2_api25.xml",
        "importers/freeotp_v2_api27.xml",
        "importers/freeotp_v2_api34.xml",
        "importers/freeotp_v2_null_algo.xml",
    ] {
        let (format, accounts) = import(file);
        assert_eq!(format, Format::FreeOtp, "{file}");
        assert_eq!(accounts.len(), if file.ends_with("null_algo.xml") { 1 } else { 6 }, "{file}");
        assert_adjusted(file, &accounts, Adjust::Exact);
    }
    let bytes =
        std::fs::read(crate::common::corpus("importers/aegis/importers/freeotp_v2_api34.xml")).expect("file");
    assert_eq!(formats::read(&bytes, None).err(), Some(FormatError::NeedsPassphrase("FreeOTP (backup)")));
    assert_eq!(formats::read(&bytes, Some("wrong")).err(), Some(FormatError::WrongPassphrase));
}

/// HOTP with SHA512 and a label outside the BMP (Java's modified UTF-8),
/// the key's algorithm standing in for a missing one, and three bad
/// tokens skipped with their reasons.
#[test]
fn freeotp_2_backup_edges() {
    let (format, imported) =
        formats::read(&fixture("freeotp_backup/edges.xml"), Some("correct horse")).expect("reads");
    assert_eq!(format, Format::FreeOtp);
    assert_eq!(
        all_fields(&imported),
        [
            row(
                "Bank",
                "bob \u{1f511}",
                Kind::Hotp { counter: 7 },
                Algorithm::Sha512,
                8,
                "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            ),
            row("Mail", "ann", Kind::Totp { period: 30 }, Algorithm::Sha256, 6, "MFRGGZDFMZTWQ2LK"),
        ]
    );
    let reasons: Vec<(usize, EntryProblem)> =
        imported.skipped.iter().map(|s| (s.position, s.reason.clone())).collect();
    assert_eq!(
        reasons,
        [(3, EntryProblem::Algorithm), (4, EntryProblem::Undecryptable), (5, EntryProblem::Damaged)]
    );
    assert_eq!(imported.skipped[0].label, "Odd (carol)");
}

/// A Java-serialised `HashMap<String, String>` as FreeOTP 2 writes one.
fn java_map(pairs: &[(&str, &str)], claimed: Option<u32>) -> Vec<u8> {
    let mut out = vec![0xac, 0xed, 0x00, 0x05, 0x73, 0x72, 0x00, 0x11];
    out.extend(b"java.util.HashMap");
    out.extend(362_498_820_763_181_265u64.to_be_bytes());
    out.extend([0x03, 0x00, 0x02, b'F', 0x00, 0x0a]);
    out.extend(b"loadFactor");
    out.extend([b'I', 0x00, 0x09]);
    out.extend(b"threshold");
    out.extend([0x78, 0x70, 0x3f, 0x40, 0, 0, 0, 0, 0, 12, 0x77, 0x08, 0, 0, 0, 16]);
    out.extend(claimed.unwrap_or(pairs.len() as u32).to_be_bytes());
    for text in pairs.iter().flat_map(|(k, v)| [k, v]) {
        out.push(0x74);
        out.extend((text.len() as u16).to_be_bytes());
        out.extend(text.as_bytes());
    }
    out.push(0x78);
    out
}

/// Crafted Android files get a specific error at once: a DTD (entities
/// that would expand a billion times, or name a file) is refused, cut-off
/// files are damaged, key derivations and counts no app writes are refused
/// before any work, and values of the wrong type sink only their entry.
#[test]
fn hostile_android_files_are_refused_quickly() {
    let started = std::time::Instant::now();
    let damaged = FormatError::Damaged("an Android app's settings file (XML)");
    let laughs = "<?xml version='1.0'?><!DOCTYPE map [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\
        <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><map><string name=\"tokenOrder\">&c;</string></map>";
    let external = "<?xml version='1.0'?><!DOCTYPE map [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\
        <map><string name=\"tokenOrder\">[]</string><string name=\"A:a\">&x;</string></map>";
    for text in [laughs, external] {
        assert_eq!(formats::read(text.as_bytes(), None).err(), Some(damaged.clone()));
    }
    // Every corpus settings file, cut anywhere inside its map, is damaged.
    for file in [
        "freeotp.xml",
        "authy_encrypted.xml",
        "battle_net_authenticator.xml",
        "totp_authenticator_internal.xml",
    ] {
        let bytes =
            std::fs::read(crate::common::corpus(&format!("importers/aegis/importers/{file}"))).expect("file");
        for cut in (60..bytes.len() - 8).step_by(37) {
            assert!(formats::read(&bytes[..cut], Some("testtest")).is_err(), "{file} cut at {cut}");
        }
    }
    // More entries than any app keeps.
    let many = format!("<map>{}</map>", "<int name=\"i\" value=\"1\"/>".repeat(20_001));
    assert_eq!(formats::read(many.as_bytes(), None).err(), Some(FormatError::TooComplex));

    // FreeOTP 2: a master key asking for two billion rounds, a map claiming
    // four billion pairs, a cut-off stream, another Java object.
    let costly = r#"{"mAlgorithm":"PBKDF2withHmacSHA512","mIterations":2000000000,"mSalt":[1,2],
        "mEncryptedKey":{"mCipher":"AES/GCM/NoPadding","mCipherText":[1],"mParameters":[4,0],"mToken":"AES"}}"#;
    let map = java_map(&[("masterKey", costly)], None);
    assert_eq!(formats::read(&map, Some("guess")).err(), Some(FormatError::TooCostly("FreeOTP (backup)")));
    assert_eq!(formats::read(&map, None).err(), Some(FormatError::NeedsPassphrase("FreeOTP (backup)")));
    let huge = java_map(&[("masterKey", costly)], Some(u32::MAX));
    assert_eq!(formats::read(&huge, Some("guess")).err(), Some(FormatError::TooComplex));
    assert_eq!(
        formats::read(&map[..map.len() - 3], Some("guess")).err(),
        Some(FormatError::Damaged("FreeOTP (backup)"))
    );
    let mut list = map.clone();
    list[8..25].copy_from_slice(b"java.util.TreeMap");
    assert_eq!(formats::read(&list, Some("guess")).err(), Some(FormatError::Unrecognized));
    let no_key = java_map(&[("a", "b")], None);
    assert_eq!(formats::read(&no_key, Some("guess")).err(), Some(FormatError::Damaged("FreeOTP (backup)")));

    // Authy: more encrypted tokens than any account list holds.
    let token = r#"{&quot;digits&quot;:6,&quot;encryptedSecret&quot;:&quot;AAAA&quot;,&quot;salt&quot;:&quot;s&quot;,&quot;name&quot;:&quot;x&quot;}"#;
    let tokens = vec![token; 2_001].join(",");
    let authy =
        format!("<map><string name=\"com.authy.storage.tokens.authenticator.key\">[{tokens}]</string></map>");
    assert_eq!(formats::read(authy.as_bytes(), Some("guess")).err(), Some(FormatError::TooCostly("Authy")));
    // Wrong types: the list is damaged (Authy), or the one token is (FreeOTP).
    let authy = "<map><string name=\"com.authy.storage.tokens.authenticator.key\">[{&quot;digits&quot;:&quot;six&quot;}]</string></map>";
    assert_eq!(formats::read(authy.as_bytes(), None).err(), Some(FormatError::Damaged("Authy")));
    let freeotp = "<map><string name=\"A:a\">{&quot;secret&quot;:&quot;JBSWY3DP&quot;,&quot;type&quot;:&quot;TOTP&quot;}</string>\
        <string name=\"tokenOrder\">[]</string></map>";
    let (_, imported) = formats::read(freeotp.as_bytes(), None).expect("reads");
    assert_eq!(imported.skipped, [skipped(1, "A (a)", EntryProblem::Damaged)]);
    // A Battle.net secret longer than the app's mask.
    let battle = format!(
        "<map><string name=\"com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET\">{}</string></map>",
        "00".repeat(80)
    );
    let (_, imported) = formats::read(battle.as_bytes(), None).expect("reads");
    assert_eq!(imported.skipped, [skipped(1, "Battle.net", EntryProblem::Damaged)]);

    assert!(started.elapsed().as_secs() < 10, "took {:?}", started.elapsed());
}
