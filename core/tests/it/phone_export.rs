//! Codes shown for a phone decode — with Twofold's own decoder — back to the
//! same accounts, in a correctly numbered batch.

use image::GrayImage;
use twofold_core::migration::Migration;
use twofold_core::phone_export::{self, ACCOUNTS_PER_CODE};
use twofold_core::qr;
use twofold_core::{Account, Algorithm, Kind, Otp, OtpauthUri, Secret};
use twofold_testkit::accounts::SAMPLE;

/// Draws modules 4 px wide with a 4-module quiet zone, as a screen would.
fn draw(text: &str) -> GrayImage {
    twofold_testkit::qr_image(text, 4, 4)
}

/// `n` accounts of every kind the migration format carries (HOTP, SHA256,
/// 8 digits), enough to fill several codes. Not the canonical sample: most
/// of its kinds (Steam, 10 digits, other periods) are left out of migration
/// codes by design.
fn accounts(n: u32) -> Vec<Account> {
    (0..n)
        .map(|i| {
            let secret = Secret::from_bytes(format!("phone-export-key-{i:04}").into_bytes()).expect("key");
            let kind =
                if i % 5 == 0 { Kind::Hotp { counter: u64::from(i) } } else { Kind::Totp { period: 30 } };
            let algorithm = if i % 3 == 0 { Algorithm::Sha256 } else { Algorithm::Sha1 };
            let otp = Otp::new(secret, algorithm, if i % 2 == 0 { 6 } else { 8 }, kind).expect("valid");
            Account::new(format!("Service {i}"), format!("user{i}@example.com"), otp, 0)
        })
        .collect()
}

#[test]
fn migration_codes_decode_back_to_the_same_accounts() {
    let mut all = accounts(23);
    all.push(Account::new(
        "Steam",
        "gamer",
        Otp::steam(Secret::from_bytes(b"steam-key".to_vec()).expect("key")),
        0,
    ));
    let export = phone_export::migration_codes(&all, 4242);
    assert_eq!(export.codes.len(), 3, "23 accounts at {ACCOUNTS_PER_CODE} per code");
    assert_eq!(export.left_out, ["Steam (gamer)"], "the format cannot carry Steam");
    let (texts, _) = phone_export::migration_texts(&all, 4242);
    let mut decoded = Vec::new();
    for (i, (code, text)) in export.codes.iter().zip(&texts).enumerate() {
        assert!(code.svg.starts_with("<?xml"), "an SVG to show");
        // Draw exactly what is shown and decode it with our own decoder.
        let scan = qr::scan(&draw(text)).expect("not crowded");
        assert_eq!(crate::common::texts(&scan), [text.as_str()], "code {} decodes", i + 1);
        let migration = Migration::parse(&scan.texts[0]).expect("an export");
        assert_eq!((migration.batch.index, migration.batch.size, migration.batch.id), (i as u32, 3, 4242));
        assert_eq!(code.accounts.len(), migration.accounts.len());
        decoded.extend(migration.accounts);
    }
    let expected: Vec<OtpauthUri> = all[..23].iter().map(Account::to_uri).collect();
    assert_eq!(decoded, expected, "every account, every field, in order");
}

#[test]
fn single_account_codes_decode_to_their_uri() {
    // Every kind, those a migration code leaves out too: each moves on its own code.
    for uri in SAMPLE {
        let account = Account::from_uri(OtpauthUri::parse(uri).expect("test URI parses"), 0);
        let text = account.to_uri().to_uri();
        let scan = qr::scan(&draw(&text)).expect("not crowded");
        assert_eq!(OtpauthUri::parse(&scan.texts[0]).expect("uri"), account.to_uri());
        assert!(phone_export::account_code(&account).svg.contains("<svg"));
    }
}
