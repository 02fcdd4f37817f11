//! Issue 12: property tests that what Twofold writes, it reads back as it
//! was: `otpauth://` links, Google Authenticator export payloads, transfer
//! bundles and the vault, for generated accounts.

use proptest::prelude::*;
use twofold_core::migration::{encode, Batch, Migration};
use twofold_core::otp::{Algorithm, Kind, Otp};
use twofold_core::secret::Secret;
use twofold_core::vault::{self, Unlock, Vault};
use twofold_core::{transfer, Account, OtpauthUri};

fn algorithm() -> impl Strategy<Value = Algorithm> {
    prop_oneof![Just(Algorithm::Sha1), Just(Algorithm::Sha256), Just(Algorithm::Sha512)]
}

/// Labels as people type them: letters, digits, spaces inside, and the
/// characters a URI must escape (`:`, `?`, `&`, `%`, `/`, `#`, `+`), and
/// some beyond ASCII.
fn label() -> impl Strategy<Value = String> {
    "[A-Za-z0-9@._:?&%/#+é日本-]([A-Za-z0-9 @._:?&%/#+é日本-]{0,18}[A-Za-z0-9@._:?&%/#+é日本-])?"
}

fn otp(kinds: BoxedStrategy<Kind>) -> impl Strategy<Value = Otp> {
    (proptest::collection::vec(any::<u8>(), 10..64), algorithm(), 6u8..=8, kinds).prop_map(
        |(secret, algorithm, digits, kind)| {
            Otp::new(Secret::from_bytes(secret).expect("non-empty"), algorithm, digits, kind).expect("valid")
        },
    )
}

fn any_kind() -> BoxedStrategy<Kind> {
    prop_oneof![
        (1u32..=300).prop_map(|period| Kind::Totp { period }),
        any::<u64>().prop_map(|counter| Kind::Hotp { counter }),
    ]
    .boxed()
}

fn uri(kinds: BoxedStrategy<Kind>) -> impl Strategy<Value = OtpauthUri> {
    (label(), label(), otp(kinds)).prop_map(|(issuer, name, otp)| OtpauthUri { issuer, name, otp })
}

proptest! {
    #[test]
    fn otpauth_links_round_trip(uri in uri(any_kind())) {
        let text = uri.to_uri();
        prop_assert_eq!(OtpauthUri::parse(&text).expect("parses"), uri);
    }

    #[test]
    fn google_export_payloads_round_trip(
        // Google's payload has no period (its codes are 30 s TOTP or HOTP),
        // knows 6 and 8 digits, and counts in an int64.
        uris in proptest::collection::vec(
            uri(prop_oneof![
                Just(Kind::Totp { period: 30 }),
                any::<u32>().prop_map(|c| Kind::Hotp { counter: u64::from(c) }),
            ].boxed())
            .prop_map(|mut u| { if u.otp.digits == 7 { u.otp.digits = 6 } u }),
            1..8),
        index in 0u32..3,
        id in any::<i32>(),
    ) {
        let batch = Batch { id, index, size: 3 };
        let parsed = Migration::parse(&encode(&uris, batch)).expect("parses");
        prop_assert_eq!(parsed.batch, batch);
        prop_assert_eq!(parsed.accounts, uris);
    }
}

proptest! {
    // Each case derives keys (scrypt, Argon2id): a few cases suffice.
    #![proptest_config(ProptestConfig::with_cases(6))]

    #[test]
    fn transfer_bundles_round_trip(uris in proptest::collection::vec(uri(any_kind()), 1..6)) {
        let accounts: Vec<Account> = uris.iter().cloned().map(|u| Account::from_uri(u, 1_800_000_000)).collect();
        let bundle = transfer::export(&accounts, "correct horse battery").expect("export");
        let read: Vec<OtpauthUri> =
            transfer::open(&bundle, "correct horse battery").expect("opens").iter().map(Account::to_uri).collect();
        prop_assert_eq!(read, uris);
    }

    #[test]
    fn the_vault_round_trips(uris in proptest::collection::vec(uri(any_kind()), 1..6)) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = vault::path_in(dir.path());
        let mut created = Vault::create(&path, Unlock::Passphrase("correct horse battery")).expect("create");
        for u in &uris {
            created.add(Account::from_uri(u.clone(), 1_800_000_000)).expect("add");
        }
        let opened = Vault::open(&path, Unlock::Passphrase("correct horse battery")).expect("open");
        let read: Vec<OtpauthUri> = opened.accounts().iter().map(Account::to_uri).collect();
        prop_assert_eq!(read, uris);
    }
}
