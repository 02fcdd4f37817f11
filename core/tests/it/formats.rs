//! Other apps' exports from ../shared/corpus/importers/aegis: every entry
//! matches the shared vectors (VaultEntries) after the documented per-file
//! adjustments, with no entry skipped.

use serde_json::Value;
use twofold_core::formats::{self, Format, FormatError};
use twofold_core::{Account, Algorithm, Kind};

use crate::common::{corpus, read_json};

fn vectors() -> Vec<Value> {
    read_json("importers/aegis/expected.json")["vectors"].as_array().expect("vectors").clone()
}

/// Reads a fixture with the password expected.json lists for it.
fn import(file: &str) -> (Format, Vec<Account>) {
    let expected = read_json("importers/aegis/expected.json");
    let password = expected["files"][file]["password"].as_str().map(str::to_owned);
    let bytes = std::fs::read(corpus(&format!("importers/aegis/{file}"))).expect("fixture");
    let (format, imported) =
        formats::read(&bytes, password.as_deref()).unwrap_or_else(|e| panic!("{file}: {e}"));
    assert!(imported.skipped.is_empty(), "{file}: skipped {:?}", imported.skipped);
    (format, imported.accounts)
}

/// Each account equals the vector with the same secret, field by field,
/// and computes the same code.
fn assert_exact(file: &str, accounts: &[Account], expect_count: usize) {
    assert_eq!(accounts.len(), expect_count, "{file}: account count");
    let vectors = vectors();
    for account in accounts {
        let secret = account.otp.secret.to_base32();
        let v = vectors
            .iter()
            .find(|v| v["secret_base32"].as_str() == Some(secret.as_str()))
            .unwrap_or_else(|| panic!("{file}: {} matches no vector", account.display_name()));
        assert_eq!(account.issuer, v["issuer"].as_str().expect("issuer"), "{file}");
        assert_eq!(account.name, v["name"].as_str().expect("name"), "{file}");
        let algorithm = match v["algorithm"].as_str() {
            Some("SHA256") => Algorithm::Sha256,
            Some("SHA512") => Algorithm::Sha512,
            _ => Algorithm::Sha1,
        };
        assert_eq!(account.otp.algorithm, algorithm, "{file}: {}", account.display_name());
        assert_eq!(u64::from(account.otp.digits), v["digits"].as_u64().expect("digits"), "{file}");
        let kind = match v["type"].as_str() {
            Some("hotp") => Kind::Hotp { counter: v["counter"].as_u64().expect("counter") },
            Some("steam") => Kind::Steam,
            _ => Kind::Totp { period: v["period"].as_u64().expect("period") as u32 },
        };
        assert_eq!(account.otp.kind, kind, "{file}: {}", account.display_name());
    }
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
