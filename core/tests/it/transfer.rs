//! The transfer bundle: round trips, an independent decryption of the
//! documented format, wrong passphrases, damage, and verification.

use twofold_core::account::RecoveryCode;
use twofold_core::formats::FormatError;
use twofold_core::transfer::{self, TransferError};
use twofold_core::Account;
use twofold_testkit::accounts::SAMPLE;

use crate::common::{account, independently_decrypt};

const PASS: &str = "moving to a new laptop";

/// The canonical accounts (GitHub, Bank, Steam, Mail, Cloud), the first
/// with every field a bundle carries besides the code's.
fn accounts() -> Vec<Account> {
    let mut all: Vec<Account> = SAMPLE.iter().map(|uri| account(uri)).collect();
    let a = &mut all[0];
    a.notes = "recovery e-mail: alice@example.org".into();
    a.tags = vec!["work".into(), "code".into()];
    a.pinned = true;
    a.icon = twofold_core::icons::IconChoice::Chosen("gitlab".into());
    a.recovery_codes = vec![
        RecoveryCode { code: "1234-5678".into(), used_at: None },
        RecoveryCode { code: "8765-4321".into(), used_at: Some(1_700_000_000) },
    ];
    all
}

#[test]
fn round_trip_keeps_every_field_and_secret_byte() {
    let original = accounts();
    let bytes = transfer::export(&original, PASS).expect("export");
    let back = transfer::open(&bytes, PASS).expect("open");
    assert_eq!(back.len(), original.len());
    for (a, b) in original.iter().zip(&back) {
        assert_eq!(a.otp.secret.as_bytes(), b.otp.secret.as_bytes(), "secret bytes");
        assert_eq!(a, b, "every field");
    }
    let report = twofold_core::compare::verify(&back, &original, 1_700_000_000);
    assert!(report.complete, "{report:?}");
    assert_eq!(report.matching, original.len());
}

/// Decrypts the bundle the way Aegis's docs/vault.md describes, with scrypt
/// and AES-GCM called directly — not through Twofold's reader.
#[test]
fn an_independent_reader_of_the_aegis_format_decrypts_it() {
    let bytes = transfer::export(&accounts(), PASS).expect("export");
    let file: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
    assert_eq!(file["version"], 1);
    let slot = &file["header"]["slots"][0];
    assert_eq!(slot["type"], 1, "a password slot");
    let n = slot["n"].as_u64().expect("n");
    assert!(n >= 32768, "scrypt at least as strong as Aegis's default (N=2^15), got {n}");
    assert_eq!((slot["r"].as_u64(), slot["p"].as_u64()), (Some(8), Some(1)));

    let db = independently_decrypt(&file, PASS);
    let entries = db["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), SAMPLE.len());
    assert_eq!(entries[0]["issuer"], "GitHub");
    assert_eq!(entries[0]["info"]["secret"], "JBSWY3DPEHPK3PXP");
    assert_eq!(entries[0]["note"], "recovery e-mail: alice@example.org");
    assert_eq!(
        (entries[1]["type"].as_str(), entries[1]["info"]["counter"].as_u64()),
        (Some("hotp"), Some(42))
    );
    assert_eq!(entries[2]["type"], "steam");
    assert_eq!(entries[3]["info"]["digits"], 10);
    let groups: Vec<&str> =
        db["groups"].as_array().expect("groups").iter().filter_map(|g| g["name"].as_str()).collect();
    assert_eq!(groups, ["work", "code"], "tags travel as Aegis groups");
    assert_eq!(
        (entries[0]["favorite"].as_bool(), entries[1]["favorite"].as_bool()),
        (Some(true), Some(false)),
        "pins as favourites"
    );
}

#[test]
fn wrong_passphrase_says_so() {
    let bytes = transfer::export(&accounts(), PASS).expect("export");
    let err = transfer::open(&bytes, "not my passphrase").expect_err("wrong");
    assert!(matches!(err, TransferError::Format(FormatError::WrongPassphrase)), "{err:?}");
    assert_eq!(err.to_string(), "wrong passphrase");
}

#[test]
fn truncated_or_tampered_bundles_are_damaged() {
    let bytes = transfer::export(&accounts(), PASS).expect("export");
    // Truncated anywhere: never a panic, never a partial import.
    for len in [0, 1, bytes.len() / 3, bytes.len() / 2, bytes.len() - 2] {
        let err = transfer::open(&bytes[..len], PASS).expect_err("truncated");
        assert!(
            err.to_string().contains("damaged") || err.to_string().contains("not in a format"),
            "{len}: {err}"
        );
    }
    // One flipped character inside the encrypted database.
    let text = String::from_utf8(bytes.clone()).expect("utf-8");
    let db_at = text.find("\"db\": \"").expect("db field") + 20;
    let mut tampered = bytes.clone();
    tampered[db_at] = if tampered[db_at] == b'A' { b'B' } else { b'A' };
    let err = transfer::open(&tampered, PASS).expect_err("tampered");
    assert!(matches!(err, TransferError::Format(FormatError::Damaged(_))), "{err:?}");
    assert!(err.to_string().starts_with("the file is damaged"), "{err}");
}

#[test]
fn weak_passphrases_are_refused() {
    assert!(matches!(transfer::export(&accounts(), "short"), Err(TransferError::WeakPassphrase(_))));
}

#[test]
fn verification_names_what_differs() {
    let vault = accounts();
    let mut bundle = vault.clone();
    bundle.remove(3); // Mail (bob) missing
    bundle[0].notes = "changed".into(); // GitHub differs
    bundle.push(account("otpauth://totp/Old:carol?secret=ONSWG4TFOQ")); // only in the bundle
    let report = twofold_core::compare::verify(&bundle, &vault, 1_700_000_000);
    assert!(!report.complete);
    assert_eq!(report.matching, vault.len() - 2, "all but the missing and the different");
    assert_eq!(report.missing, ["Mail (bob)"]);
    assert_eq!(report.different, ["GitHub (alice)"]);
    assert_eq!(report.extra, ["Old (carol)"]);
}

/// "Every field" includes the other ways in: a bundle that lost them is not
/// the same account.
#[test]
fn other_ways_in_count_as_a_difference() {
    let vault = accounts();
    let mut bundle = vault.clone();
    bundle[1].other_ways.sms = Some("+1 555 0100".into());
    let report = twofold_core::compare::verify(&bundle, &vault, 1_700_000_000);
    assert!(!report.complete);
    assert_eq!(report.different, ["Bank (alice)"]);
}

/// Issue 22 (F12): plain exports and otpauth links were built in buffers
/// that grew, and each growth freed an uncleared copy of the secrets. Each
/// is sized first now: its capacity is its length, so it never moved.
#[test]
fn issue_22_exports_and_links_leave_no_outgrown_copy() {
    let mut accounts = accounts();
    accounts.extend((0..50).map(|i| {
        account(&format!("otpauth://totp/Issuer{i}:user{i}?secret=JBSWY3DPEHPK3PXP&issuer=Issuer{i}"))
    }));
    for a in &accounts {
        let uri = a.to_uri().to_uri();
        assert_eq!(uri.capacity(), uri.len(), "{}", a.display_name());
    }
    for format in [transfer::PlainFormat::UriList, transfer::PlainFormat::Aegis] {
        let bytes = transfer::export_plain(&accounts, format).expect("export");
        assert_eq!(bytes.capacity(), bytes.len(), "{format:?}");
    }
}
