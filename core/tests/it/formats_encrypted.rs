//! Encrypted exports of other apps (issue 23): each decrypts with Twofold
//! alone to the accounts the vectors list, asks for a passphrase only when
//! it must, tells a wrong one apart, and refuses crafted files quickly.

use base64::Engine;
use twofold_core::formats::{self, Format, FormatError};
use twofold_core::{Account, Algorithm, Kind};

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

use crate::common::fixture;

/// What `make_ente.py` (and, below, the Bitwarden generators) wrote, field by field.
fn assert_fields(accounts: &[Account], want: &[(&str, &str, Algorithm, u8, Kind, &str)]) {
    let got: Vec<(&str, &str, Algorithm, u8, Kind, String)> = accounts
        .iter()
        .map(|a| {
            let digits = a.otp.digits;
            (
                a.issuer.as_str(),
                a.name.as_str(),
                a.otp.algorithm,
                digits,
                a.otp.kind,
                a.otp.secret.to_base32().to_string(),
            )
        })
        .collect();
    let want: Vec<(&str, &str, Algorithm, u8, Kind, String)> =
        want.iter().map(|&(i, n, a, d, k, s)| (i, n, a, d, k, s.to_owned())).collect();
    assert_eq!(got, want);
}

#[test]
fn ente_encrypted_export() {
    let bytes = fixture("ente/ente_encrypted.json");
    let (format, imported) = formats::read(&bytes, Some("ente test")).expect("opens");
    assert_eq!(format, Format::EnteAuth);
    assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
    let steam = imported.accounts[3].otp.clone();
    assert_fields(
        &imported.accounts,
        &[
            (
                "GitHub",
                "alice@example.com",
                Algorithm::Sha1,
                6,
                Kind::Totp { period: 30 },
                "JBSWY3DPEHPK3PXP",
            ),
            ("Bank", "bob", Algorithm::Sha256, 8, Kind::Hotp { counter: 42 }, "GEZDGNBVGY3TQOJQ"),
            (
                "Mail",
                "carol@example.org",
                Algorithm::Sha512,
                8,
                Kind::Totp { period: 60 },
                "MFRGGZDFMZTWQ2LK",
            ),
            (
                "Steam",
                "gamer",
                steam.algorithm,
                steam.digits,
                Kind::Steam,
                "KRUGS4ZANFZSAYJAORSXG5BAONSWG4TFOQ",
            ),
        ],
    );
    assert_eq!(steam.digits, 5);
    // codeDisplay: the pin and the tag come along.
    assert!(imported.accounts[0].pinned);
    assert_eq!(imported.accounts[0].tags, ["Work"]);
    assert_eq!(formats::read(&bytes, None).err(), Some(FormatError::NeedsPassphrase("Ente Auth")));
    assert_eq!(formats::read(&bytes, Some("wrong")).err(), Some(FormatError::WrongPassphrase));
}

#[test]
fn ente_encrypted_hostile() {
    let bytes = fixture("ente/ente_encrypted.json");
    let file: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    let with = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut f = file.clone();
        edit(&mut f);
        serde_json::to_vec(&f).expect("json")
    };
    // Far more memory than any export, or twice Ente's work (256 MiB × 32).
    for crafted in [
        with(&|f| f["kdfParams"]["memLimit"] = (4u64 << 30).into()),
        with(&|f| {
            f["kdfParams"]["memLimit"] = (256u64 << 20).into();
            f["kdfParams"]["opsLimit"] = 32.into();
        }),
        with(&|f| f["kdfParams"]["opsLimit"] = u64::MAX.into()),
    ] {
        let started = std::time::Instant::now();
        assert_eq!(
            formats::read(&crafted, Some("ente test")).err(),
            Some(FormatError::TooCostly("Ente Auth"))
        );
        assert!(started.elapsed().as_secs() < 2);
    }
    let b64 = base64::engine::general_purpose::STANDARD;
    let sealed = b64.decode(file["encryptedData"].as_str().expect("data")).expect("base64");
    let mut flipped = sealed.clone();
    flipped[20] ^= 1;
    let damaged = [
        with(&|f| f["encryptedData"] = b64.encode(&flipped).into()),
        with(&|f| f["encryptedData"] = b64.encode(&sealed[..sealed.len() - 1]).into()),
        with(&|f| f["encryptedData"] = b64.encode(&sealed[..10]).into()),
    ];
    for crafted in damaged {
        assert_eq!(formats::read(&crafted, Some("ente test")).err(), Some(FormatError::WrongPassphrase));
    }
    for crafted in [
        with(&|f| f["encryptionNonce"] = "AAAA".into()),
        with(&|f| f["kdfParams"]["salt"] = 7.into()),
        with(&|f| f["kdfParams"]["memLimit"] = "lots".into()),
        with(&|f| f["kdfParams"]["memLimit"] = 1024.into()),
    ] {
        assert_eq!(formats::read(&crafted, Some("ente test")).err(), Some(FormatError::Damaged("Ente Auth")));
    }
    assert!(formats::read(&bytes[..bytes.len() / 2], Some("ente test")).is_err());
}

fn bitwarden_accounts() -> Vec<(&'static str, &'static str, Algorithm, u8, Kind, &'static str)> {
    vec![
        ("GitHub", "alice@example.com", Algorithm::Sha1, 6, Kind::Totp { period: 30 }, "JBSWY3DPEHPK3PXP"),
        ("Bank", "bob", Algorithm::Sha256, 8, Kind::Hotp { counter: 42 }, "GEZDGNBVGY3TQOJQ"),
        ("Mail", "carol", Algorithm::Sha1, 6, Kind::Totp { period: 30 }, "MFRGGZDFMZTWQ2LK"),
        ("Steam", "gamer", Algorithm::Sha1, 5, Kind::Steam, "KRUGS4ZANFZSAYJAORSXG5BAONSWG4TFOQ"),
    ]
}

#[test]
fn bitwarden_password_protected_pbkdf2_and_argon2id() {
    for file in ["bitwarden/pbkdf2.json", "bitwarden/argon2id.json"] {
        let bytes = fixture(file);
        let (format, imported) = formats::read(&bytes, Some("bitwarden test")).expect(file);
        assert_eq!(format, Format::Bitwarden, "{file}");
        assert!(imported.skipped.is_empty(), "{file}: {:?}", imported.skipped);
        let mut want = bitwarden_accounts();
        let steam = &imported.accounts[3].otp;
        want[3].2 = steam.algorithm;
        want[3].3 = steam.digits;
        assert_fields(&imported.accounts, &want);
        assert_eq!(
            formats::read(&bytes, None).err(),
            Some(FormatError::NeedsPassphrase("Bitwarden")),
            "{file}"
        );
        assert_eq!(formats::read(&bytes, Some("wrong")).err(), Some(FormatError::WrongPassphrase), "{file}");
    }
}

#[test]
fn bitwarden_account_restricted_is_named() {
    use twofold_core::formats::Unsupported;
    let bytes = fixture("bitwarden/account_restricted.json");
    for passphrase in [None, Some("bitwarden test")] {
        assert_eq!(
            formats::read(&bytes, passphrase).err(),
            Some(FormatError::Unsupported(Unsupported::BitwardenAccountRestricted))
        );
    }
}

#[test]
fn bitwarden_encrypted_hostile() {
    let bytes = fixture("bitwarden/pbkdf2.json");
    let file: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    let argon: serde_json::Value = serde_json::from_slice(&fixture("bitwarden/argon2id.json")).expect("json");
    let with = |base: &serde_json::Value, edit: &dyn Fn(&mut serde_json::Value)| {
        let mut f = base.clone();
        edit(&mut f);
        serde_json::to_vec(&f).expect("json")
    };
    for crafted in [
        with(&file, &|f| f["kdfIterations"] = 50_000_000.into()),
        with(&file, &|f| f["kdfIterations"] = u64::MAX.into()),
        with(&argon, &|f| f["kdfMemory"] = 1024.into()),
        with(&argon, &|f| f["kdfIterations"] = 10_000.into()),
        with(&argon, &|f| f["kdfParallelism"] = 1_000_000.into()),
    ] {
        let started = std::time::Instant::now();
        assert_eq!(formats::read(&crafted, Some("x")).err(), Some(FormatError::TooCostly("Bitwarden")));
        assert!(started.elapsed().as_secs() < 2);
    }
    let data = file["data"].as_str().expect("data").to_owned();
    let (head, mac) = data.rsplit_once('|').expect("mac");
    let mut tampered_mac = mac.to_owned().into_bytes();
    tampered_mac[3] = if tampered_mac[3] == b'A' { b'B' } else { b'A' };
    let tampered = format!("{head}|{}", String::from_utf8(tampered_mac).expect("ascii"));
    for crafted in [
        with(&file, &|f| f["data"] = tampered.clone().into()),
        with(&file, &|f| f["data"] = data[..data.len() / 2].into()),
        with(&file, &|f| f["data"] = "2.AAAA|AAAA".into()),
        with(&file, &|f| f["kdfType"] = 7.into()),
        with(&file, &|f| f["salt"] = serde_json::Value::Null),
        with(&file, &|f| f["kdfIterations"] = "many".into()),
        with(&argon, &|f| f["kdfMemory"] = serde_json::Value::Null),
    ] {
        assert_eq!(
            formats::read(&crafted, Some("bitwarden test")).err(),
            Some(FormatError::Damaged("Bitwarden"))
        );
    }
    assert!(formats::read(&bytes[..bytes.len() - 40], Some("bitwarden test")).is_err());
}

#[test]
fn stratum_html_export() {
    let bytes = fixture("stratum/backup.html");
    let (format, imported) = formats::read(&bytes, None).expect("reads");
    assert_eq!(format, Format::Stratum);
    assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
    assert_fields(
        &imported.accounts,
        &[
            (
                "GitHub",
                "alice@example.com",
                Algorithm::Sha1,
                6,
                Kind::Totp { period: 30 },
                "JBSWY3DPEHPK3PXP",
            ),
            ("Bank & Co", "bob", Algorithm::Sha256, 8, Kind::Hotp { counter: 42 }, "GEZDGNBVGY3TQOJQ"),
            ("Mail", "carol", Algorithm::Sha512, 8, Kind::Totp { period: 60 }, "MFRGGZDFMZTWQ2LK"),
        ],
    );
}

/// A page with a broken link, an unclosed element, or nothing else.
#[test]
fn stratum_html_hostile() {
    let page = |body: &str| format!("<!DOCTYPE html><html><body>{body}</body></html>");
    let (_, imported) = formats::read(
        page("<code>otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP</code><code>otpauth://totp/B?secret=!!</code><code>otpauth://x")
            .as_bytes(),
        None,
    )
    .expect("reads");
    assert_eq!((imported.accounts.len(), imported.skipped.len()), (1, 1));
    assert_eq!(formats::read(page("<p>nothing</p>").as_bytes(), None).err(), Some(FormatError::Unrecognized));
    let many = page(&"<code>otpauth://totp/A?secret=JBSWY3DPEHPK3PXP</code>".repeat(10_001));
    assert_eq!(formats::read(many.as_bytes(), None).err(), Some(FormatError::TooComplex));
}

#[test]
fn keepassxc_kdbx4_totp_entries() {
    let bytes = fixture("keepass/keepassxc.kdbx");
    let (format, imported) = formats::read(&bytes, Some("keepass test")).expect("opens");
    assert_eq!(format, Format::KeePass);
    let mut accounts = imported.accounts.clone();
    accounts.sort_by(|a, b| a.issuer.cmp(&b.issuer));
    let steam = accounts[3].otp.clone();
    // The history's old GitHub secret is not among them; nor are the entries without TOTP.
    assert_fields(
        &accounts,
        &[
            ("Bank", "bob", Algorithm::Sha256, 8, Kind::Hotp { counter: 42 }, "GEZDGNBVGY3TQOJQ"),
            (
                "GitHub",
                "alice@example.com",
                Algorithm::Sha1,
                6,
                Kind::Totp { period: 30 },
                "KRSXG5CTMVRXEZLU",
            ),
            ("Mail", "carol", Algorithm::Sha1, 8, Kind::Totp { period: 60 }, "MFRGGZDFMZTWQ2LK"),
            (
                "Steam",
                "gamer",
                steam.algorithm,
                steam.digits,
                Kind::Steam,
                "KRUGS4ZANFZSAYJAORSXG5BAONSWG4TFOQ",
            ),
        ],
    );
    // KeeOtp's `key=…` form is no link: named, not guessed at.
    assert_eq!(imported.skipped.len(), 1);
    assert_eq!(imported.skipped[0].label, "Old plugin (erin)");
    assert_eq!(formats::read(&bytes, None).err(), Some(FormatError::NeedsPassphrase("KeePass")));
    assert_eq!(formats::read(&bytes, Some("wrong")).err(), Some(FormatError::WrongPassphrase));
}

/// Replaces the value of one of the KDF's variant-dictionary entries.
fn with_kdf_value(bytes: &[u8], kind: u8, name: u8, value: &[u8]) -> Vec<u8> {
    let pattern = [kind, 1, 0, 0, 0, name, value.len() as u8, 0, 0, 0];
    let at = bytes.windows(pattern.len()).position(|w| w == pattern).expect("the KDF entry") + pattern.len();
    let mut out = bytes.to_vec();
    out[at..at + value.len()].copy_from_slice(value);
    out
}

#[test]
fn keepass_hostile() {
    let bytes = fixture("keepass/keepassxc.kdbx");
    let read = |b: &[u8]| formats::read(b, Some("keepass test")).err();
    // Argon2 asking for 4 GiB, a million passes, or a thousand lanes: refused before any work.
    for crafted in [
        with_kdf_value(&bytes, 5, b'M', &(4u64 << 30).to_le_bytes()),
        with_kdf_value(&bytes, 5, b'I', &1_000_000u64.to_le_bytes()),
        with_kdf_value(&bytes, 4, b'P', &1000u32.to_le_bytes()),
    ] {
        let started = std::time::Instant::now();
        assert_eq!(read(&crafted), Some(FormatError::TooCostly("KeePass")));
        assert!(started.elapsed().as_secs() < 2);
    }
    // A changed header no longer matches its hash.
    let cheaper = with_kdf_value(&bytes, 5, b'I', &1u64.to_le_bytes());
    assert_eq!(read(&cheaper), Some(FormatError::Damaged("KeePass")));
    // A flipped byte in the encrypted blocks fails their MAC.
    let mut flipped = bytes.clone();
    let last = flipped.len() - 50;
    flipped[last] ^= 1;
    assert_eq!(read(&flipped), Some(FormatError::Damaged("KeePass")));
    for cut in [8, 12, 40, 200, 300, bytes.len() - 1] {
        assert!(
            matches!(read(&bytes[..cut]), Some(FormatError::Damaged("KeePass"))),
            "cut at {cut}: {:?}",
            read(&bytes[..cut])
        );
    }
    // KDBX 3 is named, not read.
    let mut old = bytes.clone();
    old[10] = 3;
    assert_eq!(read(&old), Some(FormatError::Unsupported(twofold_core::formats::Unsupported::KeePassOther)));
}
