//! Google Authenticator exports from ../shared/corpus/google-migration:
//! every URL and image imports exactly; the broken ones fail clearly.

use serde_json::Value;
use twofold_core::enroll::{Collected, Input, Payload, PayloadError};
use twofold_core::migration::{encode, Batch, Migration, MigrationError};
use twofold_core::qr::{self, Limits};
use twofold_core::{Algorithm, Kind, OtpauthUri};

use crate::common::{corpus, read_json};

/// The corpus lists raw payload fields; Twofold applies the rule in
/// formats.md: "Issuer:account" names lose the prefix when it repeats the
/// issuer, and are split when the issuer is empty.
fn expected_label(a: &Value) -> (String, String) {
    let issuer = a["issuer"].as_str().expect("issuer");
    let name = a["name"].as_str().expect("name");
    match name.split_once(':') {
        Some((prefix, rest)) if issuer.is_empty() => (prefix.trim().into(), rest.trim().into()),
        Some((prefix, rest)) if prefix.trim() == issuer => (issuer.into(), rest.trim().into()),
        _ => (issuer.into(), name.into()),
    }
}

fn assert_accounts(got: &[OtpauthUri], want: &Value, what: &str) {
    let want = want.as_array().expect("accounts");
    assert_eq!(got.len(), want.len(), "{what}: account count");
    for (g, w) in got.iter().zip(want) {
        let (issuer, name) = expected_label(w);
        assert_eq!((g.issuer.as_str(), g.name.as_str()), (issuer.as_str(), name.as_str()), "{what}");
        assert_eq!(
            g.otp.secret.to_base32().as_str(),
            w["secret_base32"].as_str().expect("secret"),
            "{what}: secret"
        );
        let algorithm = match w["algorithm"].as_str() {
            Some("SHA256") => Algorithm::Sha256,
            Some("SHA512") => Algorithm::Sha512,
            _ => Algorithm::Sha1, // SHA1 or UNSPECIFIED
        };
        assert_eq!(g.otp.algorithm, algorithm, "{what}: algorithm");
        assert_eq!(u64::from(g.otp.digits), w["digits"].as_u64().unwrap_or(6), "{what}: digits");
        let kind = match w["type"].as_str() {
            Some("hotp") => Kind::Hotp { counter: w["counter"].as_u64().unwrap_or(0) },
            _ => Kind::Totp { period: 30 },
        };
        assert_eq!(g.otp.kind, kind, "{what}: type");
    }
}

#[test]
fn every_export_url_imports_exactly() {
    let expected = read_json("google-migration/expected.json");
    let urls = expected["migration_urls"].as_array().expect("urls");
    assert!(urls.len() >= 8);
    for (i, case) in urls.iter().enumerate() {
        let what = format!("url {i} from {}", case["source"]);
        let export =
            Migration::parse(case["url"].as_str().expect("url")).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_accounts(&export.accounts, &case["decoded"]["accounts"], &what);
        let d = &case["decoded"];
        assert_eq!(export.batch.id, d["batch_id"].as_i64().unwrap_or(0) as i32, "{what}: batch id");
        assert_eq!(export.batch.size, d["batch_size"].as_u64().unwrap_or(1).max(1) as u32, "{what}");
        assert_eq!(u64::from(export.batch.index), d["batch_index"].as_u64().unwrap_or(0), "{what}");
    }
}

#[test]
fn broken_exports_fail_with_a_reason() {
    let expected = read_json("google-migration/expected.json");
    let [wrong_content, wrong_data, wrong_prefix] =
        expected["negative_inputs"].as_array().expect("negatives").as_slice()
    else {
        panic!("three negative inputs expected")
    };
    let text = |v: &Value| v["input"].as_str().expect("input").to_owned();
    assert!(matches!(
        Payload::classify(&text(wrong_content)),
        Ok(Payload::Other(twofold_core::enroll::OtherKind::Text))
    ));
    assert_eq!(Migration::parse(&text(wrong_data)), Err(MigrationError::BadPayload));
    assert!(
        matches!(
            Payload::classify(&text(wrong_prefix)),
            Ok(Payload::Other(twofold_core::enroll::OtherKind::Text))
        ),
        "text before the scheme makes it plain text, not an export"
    );
    assert!(matches!(Migration::parse(&text(wrong_prefix)), Err(MigrationError::NotMigration)));
    // Through the enrollment path the message names the problem.
    let mut c = Collected::default();
    c.add("x", Input::Text(&text(wrong_data)), None).expect("text is always taken");
    assert_eq!(
        c.problems[0].message,
        PayloadError::BadExport(MigrationError::BadPayload).to_string(),
        "the export's data is damaged"
    );
}

#[test]
fn export_images_decode_to_their_accounts() {
    let expected = read_json("google-migration/expected.json");
    for image in expected["images"].as_array().expect("images") {
        let rel = format!("google-migration/{}", image["image"].as_str().expect("image"));
        let scan = qr::scan_file(&corpus(&rel), Limits::default()).expect("readable");
        assert_eq!(crate::common::texts(&scan), [image["expected_text"].as_str().expect("text")], "{rel}");
        if let Some(accounts) = image["decoded"]["accounts"].as_array() {
            let export = Migration::parse(&scan.texts[0]).expect("an export");
            assert_accounts(&export.accounts, &Value::Array(accounts.clone()), &rel);
        }
    }
}

/// The well-known public example key, no real account's.
const EXAMPLE_KEY: &str = "JBSWY3DPEHPK3PXP";

/// Found by the property test `google_export_payloads_round_trip`: a
/// name starting with its issuer and a colon lost that part.
#[test]
fn names_with_colons_round_trip() {
    for (issuer, name) in [("#", "#:0"), ("", "host:22"), ("Example", "a:b"), (":", "_:a")] {
        let uri = OtpauthUri::parse(&format!("otpauth://totp/x?secret={EXAMPLE_KEY}&issuer={issuer}"))
            .map(|mut u| {
                u.issuer = issuer.to_owned();
                u.name = name.to_owned();
                u
            })
            .expect("valid");
        let back = Migration::parse(&encode(std::slice::from_ref(&uri), Batch { id: 0, index: 0, size: 1 }))
            .expect("parses");
        assert_eq!(back.accounts, [uri], "{issuer:?} {name:?}");
    }
}

#[test]
fn errors_are_specific() {
    assert_eq!(Migration::parse("otpauth://totp/x?secret=AAAA"), Err(MigrationError::NotMigration));
    assert_eq!(Migration::parse("otpauth-migration://offline"), Err(MigrationError::MissingData));
    assert_eq!(Migration::parse("otpauth-migration://offline?data=%%%"), Err(MigrationError::BadBase64));
    // Valid base64 of bytes that are no protobuf message.
    assert_eq!(
        Migration::parse("otpauth-migration://offline?data=%2F%2F%2F%2F"),
        Err(MigrationError::BadPayload)
    );
}

#[test]
fn encode_round_trips() {
    let accounts = vec![
        OtpauthUri::parse(&format!("otpauth://totp/Example:alice?secret={EXAMPLE_KEY}&issuer=Example"))
            .expect("uri"),
        OtpauthUri::parse("otpauth://hotp/Bank:bob?secret=GEZDGNBV&counter=7&digits=8&algorithm=SHA512")
            .expect("uri"),
    ];
    let batch = Batch { id: -5, index: 1, size: 3 };
    let parsed = Migration::parse(&encode(&accounts, batch)).expect("parses");
    assert_eq!(parsed.accounts, accounts);
    assert_eq!(parsed.batch, batch);
}
