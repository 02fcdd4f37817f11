//! Encrypted exports of other apps (issue 23): each decrypts with Twofold
//! alone to the accounts the vectors list, asks for a passphrase only when
//! it must, tells a wrong one apart, and refuses crafted files quickly.

use twofold_core::formats::{self, Format, FormatError};

use crate::common::corpus;
use crate::formats::{assert_exact, import};

fn corpus_file(file: &str) -> Vec<u8> {
    std::fs::read(corpus(&format!("importers/aegis/{file}"))).expect("fixture")
}

#[test]
fn stratum_encrypted_both_generations() {
    for file in ["importers/stratum_encrypted.bin", "importers/stratum_encrypted_legacy.bin"] {
        let (format, accounts) = import(file);
        assert_eq!(format, Format::Stratum, "{file}");
        assert_exact(file, &accounts, 7);
        let bytes = corpus_file(file);
        assert_eq!(
            formats::read(&bytes, None).err(),
            Some(FormatError::NeedsPassphrase("Stratum")),
            "{file}"
        );
        assert_eq!(formats::read(&bytes, Some("wrong")).err(), Some(FormatError::WrongPassphrase), "{file}");
    }
}

/// Cut short, or with a flipped byte: never an account, never a panic.
#[test]
fn stratum_encrypted_hostile() {
    for file in ["importers/stratum_encrypted.bin", "importers/stratum_encrypted_legacy.bin"] {
        let bytes = corpus_file(file);
        for cut in [16, 30, 50, bytes.len() - 1] {
            let err = formats::read(&bytes[..cut], Some("test")).expect_err(file);
            assert!(
                matches!(err, FormatError::Damaged("Stratum") | FormatError::WrongPassphrase),
                "{file} cut at {cut}: {err:?}"
            );
        }
        let mut flipped = bytes.clone();
        let last = flipped.len() - 20;
        flipped[last] ^= 1;
        assert!(formats::read(&flipped, Some("test")).is_err(), "{file}: a flipped byte");
    }
}
