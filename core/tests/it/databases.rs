//! Issue 23: apps' internal SQLite databases (Google Authenticator,
//! Microsoft Authenticator, Stratum) and Authenticator Plus's ZIP. The
//! shared corpus is read in place; the databases made here are built with
//! SQLite itself, in memory, so each test shows the rows it reads.

use std::io::Write;

use rusqlite::{Connection, MAIN_DB};
use twofold_core::formats::{self, EntryProblem, Format, FormatError, SkippedEntry, Unsupported};
use twofold_core::{Algorithm, Kind, SecretError};

use crate::common::corpus;
use crate::formats::{assert_adjusted, assert_exact, import, Adjust};

/// A database made by running `sql`, as the bytes of its file.
fn database(sql: &str) -> Vec<u8> {
    let conn = Connection::open_in_memory().expect("in memory");
    conn.execute_batch(sql).expect("sql");
    conn.serialize(MAIN_DB).expect("serialize").to_vec()
}

fn corpus_bytes(file: &str) -> Vec<u8> {
    std::fs::read(corpus(&format!("importers/aegis/{file}"))).expect("fixture")
}

#[test]
fn google_authenticator_database() {
    let (format, accounts) = import("importers/google_authenticator.sqlite");
    assert_eq!(format, Format::GoogleAuthenticator);
    assert_eq!(accounts.len(), 6);
    assert_adjusted("google_authenticator.sqlite", &accounts, Adjust::GoogleDefaults);
}

#[test]
fn microsoft_authenticator_database() {
    let (format, accounts) = import("importers/microsoft_authenticator.sqlite");
    assert_eq!(format, Format::MicrosoftAuthenticator);
    assert_eq!(accounts.len(), 7);
    assert_adjusted("microsoft_authenticator.sqlite", &accounts, Adjust::TotpDefaults);
}

#[test]
fn stratum_internal_database() {
    let (format, accounts) = import("importers/stratum_internal.db");
    assert_eq!(format, Format::Stratum);
    assert_exact("stratum_internal.db", &accounts, 7);
}

#[test]
fn authenticator_plus_zip() {
    let (format, accounts) = import("importers/authenticator_plus.zip");
    assert_eq!(format, Format::AuthenticatorPlus);
    assert_exact("authenticator_plus.zip", &accounts, 7);
}

#[test]
fn authenticator_plus_needs_and_checks_its_password() {
    let bytes = corpus_bytes("importers/authenticator_plus.zip");
    assert_eq!(formats::read(&bytes, None).err(), Some(FormatError::NeedsPassphrase("Authenticator Plus")));
    for wrong in ["nope", "testtesttesu", ""] {
        assert_eq!(formats::read(&bytes, Some(wrong)).err(), Some(FormatError::WrongPassphrase), "{wrong}");
    }
}

/// Every field of rows the corpus lacks: HOTP, a label's issuer prefix, and
/// rows refused with a named reason (an unknown type, a bad key, a number
/// where text belongs).
#[test]
fn google_authenticator_rows_of_every_kind() {
    let bytes = database(
        "CREATE TABLE android_metadata (locale TEXT);
         CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT NOT NULL, secret TEXT NOT NULL,
            counter INTEGER DEFAULT 0, type INTEGER, provider INTEGER DEFAULT 0, issuer TEXT DEFAULT NULL,
            original_name TEXT DEFAULT NULL);
         INSERT INTO accounts (email, secret, counter, type, issuer) VALUES
            ('Example:alice@example.com', 'jbswy3dpehpk3pxp', 0, 0, NULL),
            ('bob', 'GEZDGNBVGY3TQOJQ', 42, 1, 'Counter Co'),
            ('Odd:carol', 'GEZDGNBVGY3TQOJQ', 0, 7, 'Odd'),
            ('Bad:dave', 'not base32!', 0, 0, 'Bad'),
            ('Typed:erin', x'3132', 0, 0, 'Typed');",
    );
    let (format, imported) = formats::read(&bytes, None).expect("reads");
    assert_eq!(format, Format::GoogleAuthenticator);
    let got: Vec<_> = imported
        .accounts
        .iter()
        .map(|a| {
            (
                a.issuer.as_str(),
                a.name.as_str(),
                a.otp.kind,
                a.otp.algorithm,
                a.otp.digits,
                a.otp.secret.to_base32().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "Example",
                "alice@example.com",
                Kind::Totp { period: 30 },
                Algorithm::Sha1,
                6,
                "JBSWY3DPEHPK3PXP".into()
            ),
            ("Counter Co", "bob", Kind::Hotp { counter: 42 }, Algorithm::Sha1, 6, "GEZDGNBVGY3TQOJQ".into()),
        ]
    );
    assert_eq!(
        imported.skipped,
        [
            SkippedEntry { position: 3, label: "Odd (carol)".into(), reason: EntryProblem::UnsupportedType },
            SkippedEntry {
                position: 4,
                label: "Bad (dave)".into(),
                reason: EntryProblem::Secret(SecretError::NotBase32)
            },
            SkippedEntry { position: 5, label: "Typed (erin)".into(), reason: EntryProblem::Damaged },
        ]
    );
}

/// A personal Microsoft account (base64 key, 8 digits) and a work account
/// that only approves sign-ins (no codes: named, not silently dropped).
#[test]
fn microsoft_authenticator_rows_of_every_kind() {
    let bytes = database(
        "CREATE TABLE accounts (_id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL,
            username TEXT NOT NULL, oath_secret_key TEXT NOT NULL, account_type INTEGER NOT NULL);
         INSERT INTO accounts (name, username, oath_secret_key, account_type) VALUES
            ('GitHub', 'alice', 'JBSWY3DPEHPK3PXP', 0),
            ('Microsoft', 'alice@outlook.com', 'SGVsbG8hIEkgYW0gYSBrZXk=', 1),
            ('Contoso', 'alice@contoso.com', '', 2),
            ('Broken', 'bob', '%%%', 1);",
    );
    let (format, imported) = formats::read(&bytes, None).expect("reads");
    assert_eq!(format, Format::MicrosoftAuthenticator);
    let got: Vec<_> = imported
        .accounts
        .iter()
        .map(|a| {
            (
                a.issuer.as_str(),
                a.name.as_str(),
                a.otp.kind,
                a.otp.algorithm,
                a.otp.digits,
                a.otp.secret.as_bytes().to_vec(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "GitHub",
                "alice",
                Kind::Totp { period: 30 },
                Algorithm::Sha1,
                6,
                b"Hello!\xde\xad\xbe\xef".to_vec()
            ),
            (
                "Microsoft",
                "alice@outlook.com",
                Kind::Totp { period: 30 },
                Algorithm::Sha1,
                8,
                b"Hello! I am a key".to_vec()
            ),
        ]
    );
    assert_eq!(
        imported.skipped,
        [
            SkippedEntry {
                position: 3,
                label: "Contoso (alice@contoso.com)".into(),
                reason: EntryProblem::UnsupportedType
            },
            SkippedEntry { position: 4, label: "Broken (bob)".into(), reason: EntryProblem::SecretNotBase64 },
        ]
    );
}

#[test]
fn stratum_rows_of_every_kind() {
    let bytes = database(
        r#"CREATE TABLE "authenticator" ("type" integer, "icon" varchar, "issuer" varchar(32),
            "username" varchar(40), "secret" varchar primary key not null, "pin" varchar,
            "algorithm" integer, "digits" integer, "period" integer, "counter" integer, "ranking" integer);
         INSERT INTO authenticator (type, issuer, username, secret, algorithm, digits, period, counter) VALUES
            (1, 'Bank', 'alice', 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 2, 8, 30, 7),
            (2, 'Shop', 'bob', 'JBSWY3DPEHPK3PXP', 1, 7, 45, 0),
            (5, 'Yandex', 'carol', 'KRUGKIDROVUWG2ZAMJZG653OEBTG66BA', 0, 8, 30, 0),
            (2, 'Typed', 'dave', 'MFRGGZDFMZTWQ2LK', 0, 'six', 30, 0),
            (2, 'Huge', 'erin', 'ONSWG4TFOQ', 0, 300, 30, 0);"#,
    );
    let (format, imported) = formats::read(&bytes, None).expect("reads");
    assert_eq!(format, Format::Stratum);
    let got: Vec<_> = imported
        .accounts
        .iter()
        .map(|a| {
            (
                a.issuer.as_str(),
                a.name.as_str(),
                a.otp.kind,
                a.otp.algorithm,
                a.otp.digits,
                a.otp.secret.to_base32().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "Bank",
                "alice",
                Kind::Hotp { counter: 7 },
                Algorithm::Sha512,
                8,
                "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".into()
            ),
            ("Shop", "bob", Kind::Totp { period: 45 }, Algorithm::Sha256, 7, "JBSWY3DPEHPK3PXP".into()),
        ]
    );
    let reasons: Vec<_> = imported.skipped.iter().map(|s| (s.position, s.reason.code())).collect();
    assert_eq!(reasons, [(3, "unsupported_type"), (4, "damaged"), (5, "digits_out_of_range")]);
}

/// A ZIP of Authenticator Plus's shape without a password (its text in a
/// folder), and other ZIPs and databases named for what they are.
#[test]
fn authenticator_plus_without_a_password_and_other_archives() {
    let zip = |name: &str, text: &str| {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        writer.start_file(name, zip::write::SimpleFileOptions::default()).expect("entry");
        writer.write_all(text.as_bytes()).expect("write");
        writer.finish().expect("finish").into_inner()
    };
    let bytes = zip(
        "export/Accounts.txt",
        "otpauth://hotp/Bank:alice?secret=GEZDGNBVGY3TQOJQ&algorithm=SHA512&digits=8&counter=3\nnot a link\n",
    );
    let (format, imported) = formats::read(&bytes, None).expect("reads");
    assert_eq!(format, Format::AuthenticatorPlus);
    let a = &imported.accounts[0];
    assert_eq!(
        (
            a.issuer.as_str(),
            a.name.as_str(),
            a.otp.kind,
            a.otp.algorithm,
            a.otp.digits,
            a.otp.secret.to_base32().as_str()
        ),
        ("Bank", "alice", Kind::Hotp { counter: 3 }, Algorithm::Sha512, 8, "GEZDGNBVGY3TQOJQ")
    );
    assert_eq!(imported.accounts.len(), 1);
    assert_eq!(imported.skipped.len(), 1, "{:?}", imported.skipped);
    assert_eq!(
        formats::read(&zip("notes.txt", "hello"), None).err(),
        Some(FormatError::Unsupported(Unsupported::Zip))
    );
    let other = database("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hello');");
    assert_eq!(formats::read(&other, None).err(), Some(FormatError::Unsupported(Unsupported::Database)));
}

// Hostile files: each refused quickly with a typed error.

#[test]
fn a_cut_off_database_is_damaged() {
    for file in ["importers/google_authenticator.sqlite", "importers/stratum_internal.db"] {
        let bytes = corpus_bytes(file);
        for len in [16, 100, 4096, bytes.len() / 2, bytes.len() - 1] {
            match formats::read(&bytes[..len], None) {
                Err(FormatError::Damaged(_)) => {}
                // Cut at a page boundary past the accounts, SQLite may still
                // read every row: then they must be the right ones.
                Ok((_, imported)) => assert!(imported.skipped.is_empty(), "{file} at {len}"),
                Err(e) => panic!("{file} cut at {len}: {e:?}"),
            }
        }
    }
}

#[test]
fn a_garbled_database_is_refused_not_crashed() {
    let bytes = corpus_bytes("importers/stratum_internal.db");
    for at in (100..bytes.len()).step_by(997) {
        let mut garbled = bytes.clone();
        for b in &mut garbled[at..(at + 64).min(bytes.len())] {
            *b ^= 0x5a;
        }
        // Any typed answer will do; what matters is no panic and no hang.
        let _ = formats::read(&garbled, None);
    }
}

/// The app's table, the wrong columns: the file is damaged, not guessed at.
#[test]
fn the_right_table_with_the_wrong_columns_is_damaged() {
    let bytes = database(
        "CREATE TABLE authenticator (type INTEGER, secret TEXT, algorithm INTEGER);
         INSERT INTO authenticator VALUES (2, 'JBSWY3DPEHPK3PXP', 0);",
    );
    assert_eq!(formats::read(&bytes, None).err(), Some(FormatError::Damaged("Stratum")));
    // Every column of the wrong type: each row is named, none imported.
    let bytes = database(
        "CREATE TABLE accounts (email BLOB, secret REAL, type TEXT, counter TEXT, issuer INTEGER);
         INSERT INTO accounts VALUES (x'00ff', 1.5, 'TOTP', 'many', 7);",
    );
    let (format, imported) = formats::read(&bytes, None).expect("reads");
    assert_eq!(format, Format::GoogleAuthenticator);
    assert!(imported.accounts.is_empty());
    assert_eq!(imported.skipped.iter().map(|s| &s.reason).collect::<Vec<_>>(), [&EntryProblem::Damaged]);
}

/// A view with the app's table's name could run any query: only real
/// tables are read.
#[test]
fn a_view_posing_as_the_table_is_not_run() {
    let bytes = database(
        "CREATE VIEW accounts AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n)
            SELECT 'a' AS email, 'JBSWY3DPEHPK3PXP' AS secret, 0 AS type, 0 AS counter, '' AS issuer
            FROM n WHERE x < 0;",
    );
    assert_eq!(formats::read(&bytes, None).err(), Some(FormatError::Unsupported(Unsupported::Database)));
}

#[test]
fn a_huge_row_count_is_refused() {
    let bytes = database(
        "CREATE TABLE authenticator (type INTEGER, issuer TEXT, username TEXT, secret TEXT,
            algorithm INTEGER, digits INTEGER, period INTEGER, counter INTEGER);
         WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 10001)
         INSERT INTO authenticator SELECT 2, 'I', 'u', 'JBSWY3DPEHPK3PXP', 0, 6, 30, 0 FROM n;",
    );
    let start = std::time::Instant::now();
    assert_eq!(formats::read(&bytes, None).err(), Some(FormatError::TooComplex));
    assert!(start.elapsed().as_secs() < 10);
}

#[test]
fn a_huge_value_is_refused() {
    let bytes = database(
        "CREATE TABLE authenticator (type INTEGER, issuer TEXT, username TEXT, secret TEXT,
            algorithm INTEGER, digits INTEGER, period INTEGER, counter INTEGER);
         INSERT INTO authenticator VALUES (2, printf('%.*c', 1000000, 'x'), 'u', 'JBSWY3DPEHPK3PXP', 0, 6, 30, 0);",
    );
    assert_eq!(formats::read(&bytes, None).err(), Some(FormatError::Damaged("Stratum")));
}

#[test]
fn a_cut_off_or_tampered_archive_is_refused() {
    let bytes = corpus_bytes("importers/authenticator_plus.zip");
    for len in [4, 30, bytes.len() / 2, bytes.len() - 1] {
        let err = formats::read(&bytes[..len], Some("testtesttest")).expect_err("cut off");
        assert!(
            matches!(err, FormatError::Unsupported(Unsupported::Zip) | FormatError::Damaged(_)),
            "{len}: {err:?}"
        );
    }
    // A flipped byte in the encrypted text: the CRC no longer matches.
    let mut tampered = bytes.clone();
    tampered[120] ^= 1;
    let err = formats::read(&tampered, Some("testtesttest")).expect_err("tampered");
    assert!(matches!(err, FormatError::WrongPassphrase | FormatError::Damaged(_)), "{err:?}");
}
