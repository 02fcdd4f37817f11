//! Other apps' exports from ../shared/corpus/importers/aegis: every entry
//! matches the shared vectors (VaultEntries) after the documented per-file
//! adjustments, with no entry skipped.

use serde_json::Value;
use twofold_core::enroll::{Added, Collected, Input, Problem, ProblemKind};
use twofold_core::formats::{self, EntryProblem, Format, FormatError, SkippedEntry};
use twofold_core::SecretError;
use twofold_core::{Account, Algorithm, Kind};

use crate::common::{corpus, read_json};

fn vectors() -> Vec<Value> {
    read_json("importers/aegis/expected.json")["vectors"].as_array().expect("vectors").clone()
}

/// Reads a fixture with the password expected.json lists for it.
pub(crate) fn import(file: &str) -> (Format, Vec<Account>) {
    let expected = read_json("importers/aegis/expected.json");
    let password = expected["files"][file]["password"].as_str().map(str::to_owned);
    let bytes = std::fs::read(corpus(&format!("importers/aegis/{file}"))).expect("fixture");
    let (format, imported) =
        formats::read(&bytes, password.as_deref()).unwrap_or_else(|e| panic!("{file}: {e}"));
    assert!(imported.skipped.is_empty(), "{file}: skipped {:?}", imported.skipped);
    (format, imported.accounts)
}

/// Each account equals the vector with the same secret, field by field.
pub(crate) fn assert_exact(file: &str, accounts: &[Account], expect_count: usize) {
    assert_eq!(accounts.len(), expect_count, "{file}: account count");
    assert_adjusted(file, accounts, Adjust::Exact);
}

#[test]
fn aegis_plain_and_encrypted() {
    for file in ["importers/aegis_plain.json", "importers/aegis_encrypted.json"] {
        let (format, accounts) = import(file);
        assert_eq!(format, Format::Aegis);
        assert_exact(file, &accounts, 7);
    }
}

#[test]
fn aegis_encrypted_needs_and_checks_the_passphrase() {
    let bytes = std::fs::read(corpus("importers/aegis/importers/aegis_encrypted.json")).expect("fixture");
    assert_eq!(formats::read(&bytes, None).err(), Some(FormatError::NeedsPassphrase("Aegis")));
    assert_eq!(formats::read(&bytes, Some("nope")).err(), Some(FormatError::WrongPassphrase));
}

#[test]
fn uri_lists_plain_and_ente() {
    for file in ["importers/plain.txt", "importers/ente_auth.txt"] {
        let (format, accounts) = import(file);
        assert_eq!(format, Format::UriList);
        assert_exact(file, &accounts, 7);
    }
}

#[test]
fn unknown_files_are_named_as_such() {
    assert_eq!(formats::read(b"just some notes", None).err(), Some(FormatError::Unrecognized));
    assert_eq!(formats::read(b"{\"hello\": 1}", None).err(), Some(FormatError::Unrecognized));
    assert_eq!(formats::read(&[0xff, 0x00, 0x12], None).err(), Some(FormatError::Unrecognized));
}

/// The per-file adjustments expected.json documents (what each format loses).
#[derive(Clone, Copy)]
pub(crate) enum Adjust {
    Exact,
    /// 2FAS schema 1: only the secret survives; SHA1, 6 digits, 30 s.
    TotpDefaults,
    /// 2FAS schema 2: no HOTP; HOTP vectors arrive as TOTP with period 30.
    HotpAsTotp,
    /// FreeOTP+: HOTP counters are stored as the last one used.
    CounterMinusOne,
    /// Old andOTP: the label carries "issuer:name".
    IssuerInName,
    /// Bitwarden: Steam entries keep only the secret.
    SteamSecretOnly,
    /// Authy: every token is SHA1; the period is not compared.
    Sha1AnyPeriod,
    /// TOTP Authenticator: SHA1 (the app has no other), names lowercased.
    /// Digits and period are read from the file (expected.json follows
    /// Aegis, which drops them for 6 and 30: codes that would be wrong).
    Sha1LowerName,
    /// Google Authenticator's database: SHA1, 6 digits, TOTP every 30 s
    /// (the app makes no other codes); HOTP counters kept.
    GoogleDefaults,
}

pub(crate) fn assert_adjusted(file: &str, accounts: &[Account], adjust: Adjust) {
    assert!(!accounts.is_empty(), "{file}: nothing imported");
    let vectors = vectors();
    for account in accounts {
        let secret = account.otp.secret.to_base32();
        let v = vectors
            .iter()
            .find(|v| v["secret_base32"].as_str() == Some(secret.as_str()))
            .unwrap_or_else(|| panic!("{file}: {} matches no vector", account.display_name()));
        if matches!(adjust, Adjust::SteamSecretOnly) && v["type"] == "steam" {
            continue;
        }
        let (issuer, name) = (v["issuer"].as_str().expect("issuer"), v["name"].as_str().expect("name"));
        let want_name = match adjust {
            Adjust::IssuerInName => format!("{issuer}:{name}"),
            Adjust::Sha1LowerName => name.to_lowercase(),
            _ => name.to_owned(),
        };
        assert_eq!((account.issuer.as_str(), account.name.as_str()), (issuer, want_name.as_str()), "{file}");
        let (algorithm, digits) = match adjust {
            Adjust::TotpDefaults | Adjust::GoogleDefaults => (Algorithm::Sha1, 6),
            Adjust::Sha1AnyPeriod | Adjust::Sha1LowerName => {
                (Algorithm::Sha1, v["digits"].as_u64().expect("digits") as u8)
            }
            _ => (
                match v["algorithm"].as_str() {
                    Some("SHA256") => Algorithm::Sha256,
                    Some("SHA512") => Algorithm::Sha512,
                    _ => Algorithm::Sha1,
                },
                v["digits"].as_u64().expect("digits") as u8,
            ),
        };
        let kind = match (v["type"].as_str(), adjust) {
            (_, Adjust::TotpDefaults) => Kind::Totp { period: 30 },
            (Some("totp"), Adjust::GoogleDefaults) => Kind::Totp { period: 30 },
            (Some("hotp"), Adjust::HotpAsTotp) => Kind::Totp { period: 30 },
            (Some("hotp"), Adjust::CounterMinusOne) => {
                Kind::Hotp { counter: v["counter"].as_u64().expect("counter") - 1 }
            }
            (Some("hotp"), _) => Kind::Hotp { counter: v["counter"].as_u64().expect("counter") },
            (Some("steam"), _) => Kind::Steam,
            (_, Adjust::Sha1AnyPeriod) => account.otp.kind,
            _ => Kind::Totp { period: v["period"].as_u64().expect("period") as u32 },
        };
        let steam = kind == Kind::Steam;
        assert_eq!(account.otp.kind, kind, "{file}: {}", account.display_name());
        if !steam {
            assert_eq!(
                (account.otp.algorithm, account.otp.digits),
                (algorithm, digits),
                "{file}: {}",
                account.display_name()
            );
        }
    }
}

#[test]
fn twofas_every_schema_plain_and_encrypted() {
    for (file, adjust, count) in [
        ("importers/2fas_authenticator.json", Adjust::TotpDefaults, 6),
        ("importers/2fas_authenticator_plain.2fas", Adjust::HotpAsTotp, 0),
        ("importers/2fas_authenticator_encrypted.2fas", Adjust::HotpAsTotp, 0),
        ("importers/2fas_authenticator_plain_v3.2fas", Adjust::Exact, 0),
        ("importers/2fas_authenticator_encrypted_v3.2fas", Adjust::Exact, 0),
        ("importers/2fas_authenticator_plain_v4.2fas", Adjust::Exact, 0),
        ("importers/2fas_authenticator_encrypted_v4.2fas", Adjust::Exact, 0),
    ] {
        let (format, accounts) = import(file);
        assert_eq!(format, Format::TwoFas, "{file}");
        if count > 0 {
            assert_eq!(accounts.len(), count, "{file}");
        }
        assert_adjusted(file, &accounts, adjust);
    }
    let bytes = std::fs::read(corpus("importers/aegis/importers/2fas_authenticator_encrypted_v4.2fas"))
        .expect("fixture");
    assert_eq!(formats::read(&bytes, None).err(), Some(FormatError::NeedsPassphrase("2FAS")));
    assert_eq!(formats::read(&bytes, Some("wrong")).err(), Some(FormatError::WrongPassphrase));
}

#[test]
fn andotp_plain_encrypted_and_old() {
    // The old-format fixture was made before andOTP had Steam: 6 accounts.
    for (file, adjust, count) in [
        ("importers/andotp_plain.json", Adjust::Exact, 7),
        ("importers/andotp_encrypted.bin", Adjust::Exact, 7),
        ("importers/andotp_encrypted_old.bin", Adjust::IssuerInName, 6),
    ] {
        let (format, accounts) = import(file);
        assert_eq!(format, Format::AndOtp, "{file}");
        assert_eq!(accounts.len(), count, "{file}");
        assert_adjusted(file, &accounts, adjust);
    }
    let bytes = std::fs::read(corpus("importers/aegis/importers/andotp_encrypted.bin")).expect("fixture");
    assert_eq!(formats::read(&bytes, Some("wrong")).err(), Some(FormatError::WrongPassphrase));
}

#[test]
fn bitwarden_and_freeotp_plus() {
    for file in ["importers/bitwarden.json", "importers/bitwarden.csv"] {
        let (format, accounts) = import(file);
        assert_eq!(format, Format::Bitwarden, "{file}");
        assert_eq!(accounts.len(), 4, "{file}");
        assert_adjusted(file, &accounts, Adjust::SteamSecretOnly);
    }
    let (format, accounts) = import("importers/freeotp_plus.json");
    assert_eq!(format, Format::FreeOtpPlus);
    assert_eq!(accounts.len(), 6);
    assert_adjusted("freeotp_plus.json", &accounts, Adjust::CounterMinusOne);
}

#[test]
fn google_export_images_import_through_the_qr_decoder() {
    let bytes = std::fs::read(corpus("google-migration/scito_extract_otp_secrets/example_export.png"))
        .expect("image");
    // Formats only read files; images are scanned by enrolment.
    assert_eq!(formats::read(&bytes, None).err(), Some(formats::FormatError::Image));
    let mut collected = Collected::default();
    let added = collected.add("export.png", Input::File(&bytes), None).expect("image import");
    assert_eq!(added, Added { format: Some(Format::QrImage), accounts: 3 });
    assert!(collected.problems.is_empty() && collected.incomplete_batches().count() == 0);
    let names: Vec<String> = collected.accounts.iter().map(Account::display_name).collect();
    assert_eq!(
        names,
        ["Test1 (test1@example1.com)", "Test2 (test2@example2.com)", "Test3 (test3@example3.com)"]
    );
}

#[test]
fn bonus_formats_steam_proton_stratum_duo() {
    for file in ["importers/steam.json", "importers/steam_old.json"] {
        let (format, accounts) = import(file);
        assert_eq!(format, Format::Steam);
        assert_eq!(accounts.len(), 1);
        // expected.json: "issuer := 'Steam'"; the account is the Boeing/Sophia vector.
        assert_eq!((accounts[0].issuer.as_str(), accounts[0].name.as_str()), ("Steam", "Sophia"));
        assert_eq!(accounts[0].otp.secret.to_base32().as_str(), "JRZCL47CMXVOQMNPZR2F7J4RGI");
        assert_eq!(accounts[0].otp.kind, Kind::Steam);
    }
    let (format, accounts) = import("importers/proton_authenticator.json");
    assert_eq!(format, Format::Proton);
    assert_exact("proton_authenticator.json", &accounts, 3);
    let (format, accounts) = import("importers/stratum_plain.json");
    assert_eq!(format, Format::Stratum);
    assert_exact("stratum_plain.json", &accounts, 7);
    // Duo: no issuer; HOTP counters are not compared (expected.json overwrites them).
    let (format, accounts) = import("importers/duo.json");
    assert_eq!(format, Format::Duo);
    let vectors = vectors();
    for account in &accounts {
        let v = vectors
            .iter()
            .find(|v| v["secret_base32"].as_str() == Some(account.otp.secret.to_base32().as_str()))
            .expect("a vector");
        assert_eq!((account.issuer.as_str(), account.name.as_str()), ("", v["name"].as_str().expect("name")));
        assert_eq!(matches!(account.otp.kind, Kind::Hotp { .. }), v["type"] == "hotp");
    }
    assert_eq!(accounts.len(), 2);
}

/// Databases and archives of apps Twofold does not know are still named for
/// what they are (the corpus's are read: see `databases.rs`).
#[test]
fn unsupported_files_are_named() {
    use twofold_core::formats::Unsupported;
    let mut zip = b"PK\x03\x04".to_vec();
    zip.extend([0; 60]);
    let mut database = b"SQLite format 3\0".to_vec();
    database.extend([0; 600]);
    for (bytes, kind) in [(zip, Unsupported::Zip), (database, Unsupported::Database)] {
        let err = formats::read(&bytes, None).expect_err("refused");
        match err {
            FormatError::Unsupported(k) => assert_eq!(k, kind),
            FormatError::Damaged(_) => {}
            e => panic!("{kind:?}: {e:?}"),
        }
    }
}

/// One bad entry never sinks a file: it is skipped with its position, its
/// name and a typed reason, and that survives into the preview's problems.
#[test]
fn skipped_entries_carry_position_name_and_a_typed_reason() {
    let file = br#"[
        {"secret": "JBSWY3DPEHPK3PXP", "type": "TOTP", "issuer": "Good", "label": "a"},
        {"secret": "not base32!", "type": "TOTP", "issuer": "Bad", "label": "b"},
        {"secret": "GEZDGNBVGY3TQOJQ", "type": "MOTP", "issuer": "Odd", "label": "c"}
    ]"#;
    let (format, imported) = formats::read(file, None).expect("andOTP list");
    assert_eq!(format, Format::AndOtp);
    assert_eq!(imported.accounts.len(), 1);
    assert_eq!(
        imported.skipped,
        [
            SkippedEntry {
                position: 2,
                label: "Bad (b)".into(),
                reason: EntryProblem::Secret(SecretError::NotBase32)
            },
            SkippedEntry { position: 3, label: "Odd (c)".into(), reason: EntryProblem::UnsupportedType },
        ]
    );

    let mut collected = Collected::default();
    collected.add("backup.json", Input::File(file), None).expect("read");
    let Problem { source, kind, message } = &collected.problems[0];
    assert_eq!(source, "backup.json");
    assert!(matches!(kind, ProblemKind::BadEntry { entry } if entry.position == 2));
    assert_eq!(message, "entry 2 (Bad (b)): secret is not valid base32");
    let json = serde_json::to_value(&collected.problems[1]).expect("serializes");
    assert_eq!(
        json,
        serde_json::json!({
            "source": "backup.json",
            "kind": "bad_entry",
            "entry": {"position": 3, "label": "Odd (c)", "reason": "unsupported_type"},
            "message": "entry 3 (Odd (c)): this kind of account (e.g. mOTP or Yandex) is not supported"
        })
    );
}

/// Ente Auth's `codeDisplay` parameter carries pins and tags; a broken one
/// is ignored, and a link without one is a plain link.
#[test]
fn ente_pins_and_tags_come_along() {
    let display =
        "%7B%22pinned%22%3Atrue%2C%22trashed%22%3Afalse%2C%22tags%22%3A%5B%22Work%22%2C%22Bank%22%5D%7D";
    let text = format!(
        "otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP&issuer=A&codeDisplay={display}\n\
         otpauth://totp/B:b?secret=GEZDGNBVGY3TQOJQ&issuer=B&codeDisplay=%7Bbroken\n\
         otpauth://totp/C:c?secret=MFRGGZDFMZTWQ2LK&issuer=C"
    );
    let (_, imported) = formats::read(text.as_bytes(), None).expect("reads");
    let seen: Vec<(bool, Vec<String>)> =
        imported.accounts.iter().map(|a| (a.pinned, a.tags.clone())).collect();
    assert_eq!(seen, [(true, vec!["Work".to_owned(), "Bank".to_owned()]), (false, vec![]), (false, vec![])]);
}

/// 2FAS keeps groups beside the services (plain even when the services
/// are encrypted); a service's `groupId` names its group.
#[test]
fn twofas_groups_become_tags() {
    let file = serde_json::json!({
        "schemaVersion": 4,
        "groups": [{"id": "g1", "name": "Work"}, {"id": "g2", "name": "Home"}],
        "services": [
            {"name": "GitHub", "secret": "JBSWY3DPEHPK3PXP", "groupId": "g1"},
            {"name": "Mail", "secret": "MFRGGZDFMZTWQ2LK"},
            {"name": "Old", "secret": "GEZDGNBVGY3TQOJQ", "groupId": "gone"}
        ]
    });
    let (_, imported) = formats::read(file.to_string().as_bytes(), None).expect("reads");
    let tags: Vec<Vec<String>> = imported.accounts.iter().map(|a| a.tags.clone()).collect();
    assert_eq!(tags, [vec!["Work".to_owned()], vec![], vec![]]);
}
