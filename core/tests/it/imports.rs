//! Issue 23: other apps' exports Twofold did not read, or read wrong. Each
//! fixture under `tests/fixtures/imports/` was written from the format's
//! published description or its app's source; every field of every
//! account is compared.

use twofold_core::enroll::{Collected, Input};
use twofold_core::formats::{self, EntryProblem, Format, FormatError, Imported, Repeated};
use twofold_core::{Algorithm, Kind, UriError};

/// (issuer, name, kind, algorithm, digits, secret in base32).
type Want<'a> = (&'a str, &'a str, Kind, Algorithm, u8, &'a str);

use crate::common::{fields, fixture};

fn read(bytes: &[u8], passphrase: Option<&str>) -> (Format, Imported) {
    formats::read(bytes, passphrase).unwrap_or_else(|e| panic!("reads: {e}"))
}

/// Every account, every field, in order.
fn assert_accounts(imported: &Imported, want: &[Want]) {
    let got: Vec<(String, String, Kind, Algorithm, u8, String)> =
        imported.accounts.iter().map(fields).collect();
    let want: Vec<(String, String, Kind, Algorithm, u8, String)> = want
        .iter()
        .map(|(i, n, k, a, d, s)| (i.to_string(), n.to_string(), *k, *a, *d, s.to_string()))
        .collect();
    assert_eq!(got, want);
}

const TOTP30: Kind = Kind::Totp { period: 30 };

/// Aegis entries without an issuer (left out or null, as Java's JSON
/// writer does with a null) were "the file is damaged"; a name holding
/// `Issuer:name` is split as a link's label is.
#[test]
fn aegis_entries_without_an_issuer_import() {
    let (format, imported) = read(&fixture("aegis/no_issuer.json"), None);
    assert_eq!(format, Format::Aegis);
    assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
    assert_accounts(
        &imported,
        &[
            ("GitHub", "alice", TOTP30, Algorithm::Sha1, 6, "JBSWY3DPEHPK3PXP"),
            ("Mail", "bob@example.com", Kind::Totp { period: 60 }, Algorithm::Sha256, 8, "GEZDGNBVGY3TQOJQ"),
            ("Bank", "carol", Kind::Hotp { counter: 12 }, Algorithm::Sha512, 7, "MFRGGZDFMZTWQ2LK"),
            ("", "plain", TOTP30, Algorithm::Sha1, 6, "KRSXG5CTMVRXEZLU"),
            ("Steam", "", Kind::Steam, Algorithm::Sha1, 5, "JRZCL47CMXVOQMNPZR2F7J4RGI"),
        ],
    );
}

/// Twofold's own bundle keeps a name with a colon and no issuer whole.
#[test]
fn a_bundle_keeps_a_name_with_a_colon() {
    let account = crate::common::account("otpauth://totp/:host:22%20(ssh)?secret=JBSWY3DPEHPK3PXP");
    let bytes = twofold_core::transfer::export(&[account], "a passphrase").expect("export");
    let (_, imported) = read(&bytes, Some("a passphrase"));
    assert_eq!(
        (imported.accounts[0].issuer.as_str(), imported.accounts[0].name.as_str()),
        ("", "host:22 (ssh)")
    );
}

/// A list whose link repeats a parameter with two values names the entry;
/// the rest of the list comes in.
#[test]
fn an_ambiguous_link_in_a_list_is_a_named_skip() {
    let text = "otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&algorithm=SHA256\n\
                otpauth://totp/B:b?secret=GEZDGNBVGY3TQOJQ&encoder=steam\n";
    let (format, imported) = read(text.as_bytes(), None);
    assert_eq!(format, Format::UriList);
    assert_eq!(imported.skipped.len(), 1);
    assert_eq!(imported.skipped[0].position, 1);
    assert_eq!(imported.skipped[0].reason, EntryProblem::Uri(UriError::Ambiguous("algorithm")));
    assert_accounts(&imported, &[("B", "b", Kind::Steam, Algorithm::Sha1, 5, "GEZDGNBVGY3TQOJQ")]);
    let _ = FormatError::Unrecognized;
}

/// Hostile: an issuer of the wrong type is still a damaged file, named so,
/// never a panic; a name of only a colon is kept whole.
#[test]
fn aegis_hostile_names() {
    let file = |issuer: &str, name: &str| {
        format!(
            r#"{{"version":1,"header":{{"slots":null,"params":null}},"db":{{"version":3,"entries":[
            {{"type":"totp","uuid":"x","name":{name},"issuer":{issuer},"info":{{"secret":"JBSWY3DPEHPK3PXP","algo":"SHA1","digits":6,"period":30}}}}]}}}}"#
        )
    };
    assert_eq!(formats::read(file("5", "\"a\"").as_bytes(), None).err(), Some(FormatError::Damaged("Aegis")));
    assert_eq!(
        formats::read(file("\"\"", "[1]").as_bytes(), None).err(),
        Some(FormatError::Damaged("Aegis"))
    );
    for (name, want) in [("\":\"", ":"), ("\":b\"", ":b"), ("\"a:\"", "a:")] {
        let (_, imported) = read(file("\"\"", name).as_bytes(), None);
        assert_eq!((imported.accounts[0].issuer.as_str(), imported.accounts[0].name.as_str()), ("", want));
    }
}

/// Entries of one file with the same key and parameters are one account,
/// and the result says which and how often; the same key with another
/// algorithm, digits or period is another account. An HOTP account keeps
/// the highest counter its entries give.
#[test]
fn repeats_inside_one_file_are_one_account() {
    let bytes = fixture("uri_list/repeats.txt");
    let (_, imported) = read(&bytes, None);
    assert!(imported.skipped.is_empty());
    assert_accounts(
        &imported,
        &[
            ("Account 1", "me", TOTP30, Algorithm::Sha1, 6, "JBSWY3DPEHPK3PXP"),
            ("Other", "sha256", TOTP30, Algorithm::Sha256, 6, "JBSWY3DPEHPK3PXP"),
            ("Other", "eight", TOTP30, Algorithm::Sha1, 8, "JBSWY3DPEHPK3PXP"),
            ("Other", "sixty", Kind::Totp { period: 60 }, Algorithm::Sha1, 6, "JBSWY3DPEHPK3PXP"),
            ("Bank", "me", Kind::Hotp { counter: 7 }, Algorithm::Sha1, 6, "GEZDGNBVGY3TQOJQ"),
        ],
    );
    assert_eq!(
        imported.repeated,
        [
            Repeated { position: 1, label: "Account 1 (me)".into(), count: 19 },
            Repeated { position: 24, label: "Bank (me)".into(), count: 2 },
        ]
    );
    // The preview counts them and says where they were.
    let mut collected = Collected::default();
    let added = collected.add("export.txt", Input::File(&bytes), None).expect("reads");
    assert_eq!(added.accounts, 26);
    let preview = collected.preview(&[], 1_700_000_000);
    assert_eq!((preview.accounts.len(), preview.repeats, preview.file_repeats.len()), (5, 21, 2));
    assert_eq!(
        serde_json::to_value(&preview.file_repeats[0]).expect("json"),
        serde_json::json!({"source": "export.txt", "position": 1, "label": "Account 1 (me)", "count": 19})
    );
    assert_eq!(
        preview.file_repeats[0].to_string(),
        "export.txt: 19 entries repeat Account 1 (me)'s key and were not added twice"
    );
}

/// A backup is read back as written, a repeat included: its check counts
/// the vault's accounts one for one.
#[test]
fn a_transfer_bundle_import_merges_repeats() {
    let one = crate::common::account("otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP");
    let two = crate::common::account("otpauth://totp/B:b?secret=JBSWY3DPEHPK3PXP");
    let bytes = twofold_core::transfer::export(&[one, two], "a passphrase").expect("export");
    let (_, imported) = read(&bytes, Some("a passphrase"));
    assert_eq!(imported.accounts.len(), 1);
    assert_eq!(imported.repeated, [Repeated { position: 1, label: "A (a)".into(), count: 1 }]);
}

fn tags(imported: &Imported) -> Vec<Vec<String>> {
    imported.accounts.iter().map(|a| a.tags.clone()).collect()
}

fn skipped(imported: &Imported) -> Vec<(usize, String, String)> {
    imported.skipped.iter().map(|s| (s.position, s.label.clone(), s.reason.code().to_owned())).collect()
}

/// Bitwarden's JSON and CSV exports: a bare secret, a `steam://` key and
/// an otpauth link; the item's name and username where the field has no
/// label; folders and collections become tags; a bad key is a named skip.
#[test]
fn bitwarden_json_and_csv_personal_and_organisation() {
    let github = ("GitHub", "alice", TOTP30, Algorithm::Sha1, 6, "JBSWY3DPEHPK3PXP");
    let steam = ("Steam", "gamer", Kind::Steam, Algorithm::Sha1, 5, "JRZCL47CMXVOQMNPZR2F7J4RGI");
    let mail =
        ("Mail", "bob@example.com", Kind::Totp { period: 60 }, Algorithm::Sha256, 8, "GEZDGNBVGY3TQOJQ");
    let bank = ("Bank", "dave", Kind::Hotp { counter: 4 }, Algorithm::Sha1, 7, "MFRGGZDFMZTWQ2LK");
    let aws = ("AWS root", "root@example.com", TOTP30, Algorithm::Sha1, 6, "KRSXG5CTMVRXEZLU");
    let broken = vec![(4, "Broken (carol)".to_owned(), "secret_not_base32".to_owned())];
    let work = vec!["Work".to_owned()];

    let (format, json) = read(&fixture("bitwarden/personal.json"), None);
    assert_eq!(format, Format::Bitwarden);
    assert_accounts(&json, &[github, steam, mail, bank]);
    assert_eq!(tags(&json), [work.clone(), vec![], vec![], vec![]]);
    assert_eq!(skipped(&json), broken);

    let (format, csv) = read(&fixture("bitwarden/personal.csv"), None);
    assert_eq!(format, Format::Bitwarden);
    assert_accounts(&csv, &[github, steam, mail]);
    assert_eq!(tags(&csv), [work, vec![], vec![]]);
    assert_eq!(skipped(&csv), broken);

    for file in ["bitwarden/organization.json", "bitwarden/organization.csv"] {
        let (format, org) = read(&fixture(file), None);
        assert_eq!(format, Format::Bitwarden, "{file}");
        assert_accounts(&org, &[aws]);
        assert_eq!(tags(&org), [vec!["Ops".to_owned(), "Shared".to_owned()]], "{file}");
    }
}

/// Hostile Bitwarden files: a broken quote is a damaged file, wrong types
/// are no entry, and a CSV of more TOTP rows than any export is refused.
#[test]
fn bitwarden_hostile() {
    let damaged = Some(FormatError::Damaged("Bitwarden"));
    let header = "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n";
    assert_eq!(
        formats::read(format!("{header},,login,\"a,,,,,,JBSWY3DPEHPK3PXP").as_bytes(), None).err(),
        damaged
    );
    assert_eq!(
        formats::read(format!("{header},,login,\"a\"b,,,,,,JBSWY3DPEHPK3PXP").as_bytes(), None).err(),
        damaged
    );
    let (_, empty) = read(header.as_bytes(), None);
    assert!(empty.accounts.is_empty() && empty.skipped.is_empty());
    // A short row: no TOTP column, no entry.
    let (_, short) = read(format!("{header},,login,a\n").as_bytes(), None);
    assert!(short.accounts.is_empty() && short.skipped.is_empty());
    let many: String = (0..10_001).map(|i| format!(",,login,a{i},,,,,,,JBSWY3DPEHPK3PXP\n")).collect();
    assert_eq!(
        formats::read(format!("{header}{many}").as_bytes(), None).err(),
        Some(FormatError::TooComplex)
    );
    let odd = br#"{"encrypted": false, "folders": 3, "items": [
        {"name": 5, "login": {"totp": 7}}, {"login": "x"}, 4,
        {"name": "ok", "folderId": {"a": 1}, "collectionIds": 9, "login": {"username": [], "totp": "JBSWY3DPEHPK3PXP"}}]}"#;
    let (_, odd) = read(odd, None);
    assert_accounts(&odd, &[("ok", "", TOTP30, Algorithm::Sha1, 6, "JBSWY3DPEHPK3PXP")]);
    let locked = br#"{"encrypted": true, "passwordProtected": true, "salt": "c2FsdA==", "kdfType": 0, "kdfIterations": 600000, "encKeyValidation_DO_NOT_EDIT": "2.a|b|c", "data": "2.x|y|z"}"#;
    // Read as a password-protected export (formats_encrypted.rs reads real
    // ones): these EncStrings are not base64, so it is damaged.
    assert!(matches!(formats::read(locked, None), Err(FormatError::Damaged(_))));
}

/// Bitwarden Authenticator's export: the app HTML-escapes the label before
/// percent-encoding it, so an issuer with `&` or a name with `'` are
/// unescaped; a label of the issuer alone has no name. Newer exports
/// repeat digits and period beside the link; a disagreement is refused.
#[test]
fn bitwarden_authenticator_export() {
    let (format, imported) = read(&fixture("bitwarden_authenticator/export.json"), None);
    assert_eq!(format, Format::BitwardenAuthenticator);
    assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
    assert_accounts(
        &imported,
        &[
            ("GitHub", "alice@example.com", TOTP30, Algorithm::Sha1, 6, "JBSWY3DPEHPK3PXP"),
            ("AT&T", "o'brien", Kind::Totp { period: 60 }, Algorithm::Sha256, 8, "GEZDGNBVGY3TQOJQ"),
            ("Discord", "", Kind::Totp { period: 45 }, Algorithm::Sha512, 7, "MFRGGZDFMZTWQ2LK"),
            ("Steam", "", Kind::Steam, Algorithm::Sha1, 5, "JRZCL47CMXVOQMNPZR2F7J4RGI"),
        ],
    );
    let (format, newer) = read(&fixture("bitwarden_authenticator/export_newer.json"), None);
    assert_eq!(format, Format::BitwardenAuthenticator);
    assert_accounts(&newer, &[("Corp: EU", "bob", TOTP30, Algorithm::Sha1, 6, "KRSXG5CTMVRXEZLU")]);
    assert_eq!(skipped(&newer), [(2, "Mismatch".to_owned(), "bad_uri".to_owned())]);
    assert_eq!(newer.skipped[0].reason, EntryProblem::Uri(UriError::Ambiguous("digits")));
}

/// Hostile: wrong types are no entry or a named skip, never a panic; the
/// password manager's export (with folders) is still Bitwarden's.
#[test]
fn bitwarden_authenticator_hostile() {
    let odd = br#"{"encrypted": false, "items": [
        {"name": 1, "login": {"totp": 5}}, {"login": null}, "x",
        {"name": "a", "login": {"totp": "otpauth://totp/%FF?secret=JBSWY3DPEHPK3PXP", "digits": "six"}},
        {"name": "b", "login": {"totp": "steam://"}}]}"#;
    let (format, odd) = read(odd, None);
    assert_eq!(format, Format::BitwardenAuthenticator);
    assert!(odd.accounts.is_empty());
    assert_eq!(odd.skipped.len(), 2);
    let manager = br#"{"encrypted": false, "folders": [], "items": [{"name": "a", "login": {"totp": "JBSWY3DPEHPK3PXP"}}]}"#;
    assert_eq!(read(manager, None).0, Format::Bitwarden);
}

/// LastPass Authenticator's export, both versions: the person's names
/// where given, else the service's; folders become tags; an algorithm
/// Twofold cannot make is a named skip.
#[test]
fn lastpass_versions_3_and_1() {
    let (format, v3) = read(&fixture("lastpass/version3.json"), None);
    assert_eq!(format, Format::LastPass);
    assert_accounts(
        &v3,
        &[
            ("GitHub", "alice", TOTP30, Algorithm::Sha1, 6, "JBSWY3DPEHPK3PXP"),
            (
                "My bank",
                "bob@example.com",
                Kind::Totp { period: 60 },
                Algorithm::Sha256,
                8,
                "GEZDGNBVGY3TQOJQ",
            ),
            ("", "carol", Kind::Totp { period: 45 }, Algorithm::Sha512, 7, "MFRGGZDFMZTWQ2LK"),
        ],
    );
    assert_eq!(tags(&v3), [vec!["Work".to_owned()], vec![], vec!["Home".to_owned()]]);
    assert_eq!(skipped(&v3), [(4, "Old (dave)".to_owned(), "algorithm".to_owned())]);

    let (format, v1) = read(&fixture("lastpass/version1.json"), None);
    assert_eq!(format, Format::LastPass);
    assert!(v1.skipped.is_empty());
    assert_accounts(
        &v1,
        &[
            ("Renamed", "erin#1234", TOTP30, Algorithm::Sha1, 6, "JBSWY3DPEHPK3PXP"),
            ("Mail", "frank", TOTP30, Algorithm::Sha1, 6, "MFRGGZDFMZTWQ2LK"),
        ],
    );
    assert_eq!(tags(&v1), [vec!["Games".to_owned()], vec![]]);
}

/// Hostile LastPass files: wrong types are named skips, never defaults.
#[test]
fn lastpass_hostile() {
    let file = |fields: &str| {
        format!(
            r#"{{"version": 3, "accounts": [{{"issuerName": "X", "userName": "x", "secret": "JBSWY3DPEHPK3PXP", {fields}}}], "folders": 5}}"#
        )
    };
    for (fields, code) in [
        (r#""timeStep": "30""#, "period_invalid"),
        (r#""timeStep": -30"#, "period_invalid"),
        (r#""timeStep": 0"#, "period_invalid"),
        (r#""digits": 300"#, "digits_out_of_range"),
        (r#""digits": 4.5"#, "digits_out_of_range"),
        (r#""algorithm": 1"#, "algorithm"),
        (r#""secret": 7"#, "secret_empty"),
    ] {
        let (format, imported) = read(file(fields).as_bytes(), None);
        assert_eq!(format, Format::LastPass);
        assert_eq!(skipped(&imported), [(1, "X (x)".to_owned(), code.to_owned())], "{fields}");
    }
    let (_, defaults) = read(file(r#""folderData": {"folderId": [1]}"#).as_bytes(), None);
    assert_accounts(&defaults, &[("X", "x", TOTP30, Algorithm::Sha1, 6, "JBSWY3DPEHPK3PXP")]);
}

/// WinAuth's text export: a Steam account is a `totp` link with Steam's
/// JSON in `data`; it is a Steam account with that JSON's key (it came in
/// as 6-digit TOTP when the link said 6), and a link whose `secret` names
/// another key is refused.
#[test]
fn winauth_text_export_with_steam_accounts() {
    let (format, imported) = read(&fixture("winauth/export.txt"), None);
    assert_eq!(format, Format::UriList);
    assert_accounts(
        &imported,
        &[
            ("Google", "alice@gmail.com", TOTP30, Algorithm::Sha1, 6, "JBSWY3DPEHPK3PXP"),
            (
                "BattleNet",
                "US-2211-2050-3346",
                TOTP30,
                Algorithm::Sha1,
                8,
                "BMGRXPGFARQQF4GMT25JATL2VYLAHDBI",
            ),
            ("Steam", "gamer", Kind::Steam, Algorithm::Sha1, 5, "JRZCL47CMXVOQMNPZR2F7J4RGI"),
            ("Steam", "second", Kind::Steam, Algorithm::Sha1, 5, "5VAML3X35THCEBVRLV24CGBKOY"),
            ("Bank", "me", Kind::Hotp { counter: 12 }, Algorithm::Sha1, 6, "GEZDGNBVGY3TQOJQ"),
            ("Corp", "bob", Kind::Totp { period: 60 }, Algorithm::Sha256, 8, "MFRGGZDFMZTWQ2LK"),
        ],
    );
    assert_eq!(imported.skipped.len(), 1);
    assert_eq!(imported.skipped[0].position, 7);
    assert_eq!(imported.skipped[0].reason, EntryProblem::Uri(UriError::Ambiguous("secret")));
}

/// Hostile `data`: not base64, not UTF-8, not Steam's JSON (ignored).
#[test]
fn winauth_hostile_data() {
    let link =
        |data: &str| format!("otpauth://totp/Steam:x?secret=JBSWY3DPEHPK3PXP&issuer=Steam&data={data}\n");
    let (_, bad) = read(link("%7B%22shared_secret%22%3A%22%21%21%22%7D").as_bytes(), None);
    assert_eq!(skipped(&bad), [(1, String::new(), "secret_not_base64".to_owned())]);
    let (_, bad) = read(link("%FF").as_bytes(), None);
    assert_eq!(bad.skipped[0].reason, EntryProblem::Uri(UriError::BadEncoding("data")));
    let (_, other) = read(link("%7B%22x%22%3A1%7D").as_bytes(), None);
    assert_accounts(&other, &[("Steam", "x", TOTP30, Algorithm::Sha1, 6, "JBSWY3DPEHPK3PXP")]);
}

/// The files of a fixture folder, by name.
fn folder(dir: &str) -> Vec<(String, Vec<u8>)> {
    let path = format!("{}/tests/fixtures/imports/{dir}", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .map(|f| {
            let f = f.expect("entry");
            (f.file_name().to_string_lossy().into_owned(), std::fs::read(f.path()).expect("file"))
        })
        .collect();
    files.sort();
    files
}

fn read_folder(files: &[(String, Vec<u8>)], passphrase: Option<&str>) -> Result<Imported, FormatError> {
    let given: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    formats::read_folder(&given, passphrase).map(|(format, imported)| {
        assert_eq!(format, Format::Steam);
        imported
    })
}

const SOPHIA: Want = ("Steam", "sophia", Kind::Steam, Algorithm::Sha1, 5, "JRZCL47CMXVOQMNPZR2F7J4RGI");
const MASON: Want = ("Steam", "mason", Kind::Steam, Algorithm::Sha1, 5, "5VAML3X35THCEBVRLV24CGBKOY");

/// Steam Desktop Authenticator's folder, plain and encrypted, and
/// steamguard-cli's (its manifest and maFile layout, one entry encrypted
/// the SDA way): every account, a missing maFile a named skip. The
/// manifest alone says it needs its files; each maFile alone reads.
#[test]
fn steam_folders_sda_and_steamguard_cli() {
    let plain = folder("steam/sda_plain");
    let imported = read_folder(&plain, None).expect("plain folder");
    assert_accounts(&imported, &[SOPHIA, MASON]);
    assert_eq!(
        skipped(&imported),
        [(3, "Steam (76561198000000003.maFile)".to_owned(), "file_missing".to_owned())]
    );

    let encrypted = folder("steam/sda_encrypted");
    assert_eq!(
        read_folder(&encrypted, None).err(),
        Some(FormatError::NeedsPassphrase("Steam Desktop Authenticator"))
    );
    assert_eq!(read_folder(&encrypted, Some("wrong")).err(), Some(FormatError::WrongPassphrase));
    let imported = read_folder(&encrypted, Some("test")).expect("encrypted folder");
    assert!(imported.skipped.is_empty());
    assert_accounts(&imported, &[SOPHIA, MASON]);

    let cli = folder("steam/steamguard_cli");
    let imported = read_folder(&cli, Some("test")).expect("steamguard-cli folder");
    assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
    assert_accounts(&imported, &[SOPHIA, MASON]);

    for (name, bytes) in plain.iter().chain(&cli) {
        if name == "manifest.json" {
            assert_eq!(
                formats::read(bytes, None).err(),
                Some(FormatError::NeedsFiles("Steam Desktop Authenticator"))
            );
            let needed = formats::files_needed(bytes).expect("a manifest");
            assert!(needed.iter().all(|n| n.ends_with(".maFile")), "{needed:?}");
        } else if name != "mason.maFile" {
            let (format, one) = read(bytes, None);
            assert_eq!(format, Format::Steam, "{name}");
            assert_eq!(one.accounts.len(), 1, "{name}");
        }
    }
}

/// Hostile folders: a path in a manifest's file name is only a name;
/// steamguard-cli's Argon2id scheme is named; broken files are named skips;
/// a manifest of millions of entries is refused.
#[test]
fn steam_folder_hostile() {
    let manifest =
        |entries: &str| format!(r#"{{"encrypted": false, "first_run": false, "entries": [{entries}]}}"#);
    let mafile = br#"{"shared_secret": "THIl8+Jl6ugxr8x0X6eRMg==", "account_name": "sophia"}"#.to_vec();
    let files = |m: String, extra: Vec<(String, Vec<u8>)>| {
        let mut f = vec![("manifest.json".to_owned(), m.into_bytes())];
        f.extend(extra);
        f
    };
    // A path is compared by its last part, never opened.
    let traversal =
        files(manifest(r#"{"filename": "../../etc/a.maFile"}"#), vec![("a.maFile".into(), mafile.clone())]);
    assert_accounts(
        &read_folder(&traversal, None).expect("reads"),
        &[("Steam", "sophia", Kind::Steam, Algorithm::Sha1, 5, "JRZCL47CMXVOQMNPZR2F7J4RGI")],
    );
    let broken = files(
        manifest(
            r#"{"filename": "a.maFile"}, {"filename": "b.maFile"}, {"filename": 5}, {"filename": "c.maFile"}"#,
        ),
        vec![
            ("a.maFile".into(), b"{not json".to_vec()),
            ("b.maFile".into(), br#"{"shared_secret": "!!"}"#.to_vec()),
            ("c.maFile".into(), br#"{"shared_secret": ""}"#.to_vec()),
        ],
    );
    let imported = read_folder(&broken, None).expect("reads");
    let codes: Vec<String> = skipped(&imported).into_iter().map(|(_, _, c)| c).collect();
    assert_eq!(codes, ["file_unreadable", "secret_not_base64", "file_missing", "secret_empty"]);
    let argon = files(
        r#"{"version": 1, "entries": [{"filename": "a.maFile", "encryption": {"iv": "AA==", "salt": "AA==", "scheme": "Argon2idAes256"}}]}"#.to_owned(),
        vec![("a.maFile".into(), b"AAAA".to_vec())],
    );
    assert!(matches!(read_folder(&argon, Some("test")), Err(FormatError::Unsupported(_))));
    let many = files(manifest(&vec![r#"{"filename": "a.maFile"}"#; 1001].join(",")), vec![]);
    assert_eq!(read_folder(&many, None).err(), Some(FormatError::TooComplex));
    let costly = files(
        format!(
            r#"{{"encrypted": true, "entries": [{}]}}"#,
            vec![r#"{"filename": "a.maFile", "encryption_iv": "AAAAAAAAAAAAAAAAAAAAAA==", "encryption_salt": "AAAA"}"#; 201].join(",")
        ),
        vec![],
    );
    assert_eq!(
        read_folder(&costly, Some("test")).err(),
        Some(FormatError::TooCostly("Steam Desktop Authenticator"))
    );
    assert_eq!(read_folder(&[("x.maFile".into(), mafile)], None).err(), Some(FormatError::Unrecognized));
    // An encrypted entry whose IV is not 16 bytes is unreadable, not a panic.
    let bad_iv = files(
        r#"{"encrypted": true, "entries": [{"filename": "a.maFile", "encryption_iv": "AAAA", "encryption_salt": "AAAA"}]}"#.to_owned(),
        vec![("a.maFile".into(), b"AAAA".to_vec())],
    );
    assert_eq!(read_folder(&bad_iv, Some("test")).err(), Some(FormatError::WrongPassphrase));
}

/// Google Authenticator export links saved as text, one a line (with the
/// comments extraction tools write): every account of every link. The
/// example's links all carry one key: the TOTP entries are one account
/// (four repeats), the HOTP one another.
#[test]
fn google_export_links_as_text() {
    let bytes =
        std::fs::read(crate::common::corpus("google-migration/scito_extract_otp_secrets/example_export.txt"))
            .expect("corpus file");
    let (format, imported) = read(&bytes, None);
    assert_eq!(format, Format::UriList);
    assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
    assert_accounts(
        &imported,
        &[
            ("raspberrypi", "pi@raspberrypi", TOTP30, Algorithm::Sha1, 6, "7KSQL2JTUDIS5EF65KLMRQIIGY"),
            ("", "hotp demo", Kind::Hotp { counter: 4 }, Algorithm::Sha1, 6, "7KSQL2JTUDIS5EF65KLMRQIIGY"),
        ],
    );
    assert_eq!(
        imported.repeated,
        [Repeated { position: 1, label: "raspberrypi (pi@raspberrypi)".into(), count: 4 }]
    );
}

/// A multi-code export saved as text with a code missing names the codes
/// that are not there; a damaged export link is a named skip.
#[test]
fn google_export_links_missing_and_damaged() {
    use twofold_core::migration::{encode, Batch};
    let uri = |text: &str| twofold_core::OtpauthUri::parse(text).expect("valid");
    let first =
        encode(&[uri("otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP")], Batch { id: 7, index: 0, size: 3 });
    let third = encode(
        &[uri("otpauth://totp/C:c?secret=GEZDGNBVGY3TQOJQ&algorithm=SHA256&digits=8")],
        Batch { id: 7, index: 2, size: 3 },
    );
    let text = format!("{}\n{}\notpauth-migration://offline?data=XXXX\n", first.as_str(), third.as_str());
    let (_, imported) = read(text.as_bytes(), None);
    assert_accounts(
        &imported,
        &[
            ("A", "a", TOTP30, Algorithm::Sha1, 6, "JBSWY3DPEHPK3PXP"),
            ("C", "c", TOTP30, Algorithm::Sha256, 8, "GEZDGNBVGY3TQOJQ"),
        ],
    );
    assert_eq!(
        skipped(&imported),
        [(3, String::new(), "bad_export".to_owned()), (4, String::new(), "codes_missing".to_owned())]
    );
    assert_eq!(imported.skipped[1].reason, EntryProblem::CodesMissing { missing: vec![2], of: 3 });
    // Only prefixed lines: not a list Twofold knows.
    let wrong = std::fs::read(crate::common::corpus(
        "google-migration/scito_extract_otp_secrets/test_export_wrong_prefix.txt",
    ))
    .expect("corpus file");
    assert_eq!(formats::read(&wrong, None).err(), Some(FormatError::Unrecognized));
}

/// Proton Pass's ZIP export: logins' links and extra TOTP fields of any
/// item, the vault's name a tag; a link without a label takes the item's
/// title and username; trashed items are left out; a malformed link is a
/// named skip. Another ZIP is still named a ZIP.
#[test]
fn proton_pass_zip_export() {
    let (format, imported) = read(&fixture("proton_pass/export.zip"), None);
    assert_eq!(format, Format::ProtonPass);
    assert_accounts(
        &imported,
        &[
            ("GitHub", "alice@example.com", TOTP30, Algorithm::Sha1, 6, "JBSWY3DPEHPK3PXP"),
            ("Bank", "bob", Kind::Totp { period: 60 }, Algorithm::Sha256, 8, "GEZDGNBVGY3TQOJQ"),
            ("Bank backup", "bob", Kind::Totp { period: 45 }, Algorithm::Sha512, 7, "MFRGGZDFMZTWQ2LK"),
            ("VPN", "dave", TOTP30, Algorithm::Sha1, 6, "JRZCL47CMXVOQMNPZR2F7J4RGI"),
        ],
    );
    let personal = vec!["Personal".to_owned()];
    assert_eq!(tags(&imported), [personal.clone(), personal.clone(), personal, vec!["Work".to_owned()]]);
    assert_eq!(skipped(&imported), [(4, "Broken (carol)".to_owned(), "bad_uri".to_owned())]);
    assert_eq!(
        formats::read(&fixture("proton_pass/other.zip"), None).err(),
        Some(FormatError::Unsupported(formats::Unsupported::Zip))
    );
}

/// Hostile ZIPs: truncated, a central directory claiming too many
/// entries, an entry larger than any export, wrong JSON types.
#[test]
fn proton_pass_hostile_zips() {
    let zip = fixture("proton_pass/export.zip");
    for cut in [10, zip.len() / 2, zip.len() - 1] {
        assert!(formats::read(&zip[..cut], None).is_err(), "cut at {cut}");
    }
    // The end record's entry count, raised to 60,000.
    let mut many = zip.clone();
    let at = many.windows(4).rposition(|w| w == b"PK\x05\x06").expect("end record");
    many[at + 10..at + 12].copy_from_slice(&60_000u16.to_le_bytes());
    assert_eq!(formats::read(&many, None).err(), Some(FormatError::TooComplex));
    // A deflated entry of 9 MiB of spaces: refused by its size, not read.
    let big = zip_of("Proton Pass/data.json", &vec![b' '; 9 << 20]);
    assert_eq!(formats::read(&big, None).err(), Some(FormatError::TooLarge));
    for json in
        [r#"{"vaults": 5}"#, r#"{"vaults": {"a": {"items": 7}}}"#, r#"{"encrypted": true, "vaults": {}}"#]
    {
        let odd = zip_of("Proton Pass/data.json", json.as_bytes());
        match formats::read(&odd, None) {
            Ok((_, imported)) => {
                assert!(imported.accounts.is_empty() && imported.skipped.is_empty(), "{json}")
            }
            Err(e) => assert_eq!(e, FormatError::Damaged("Proton Pass"), "{json}"),
        }
    }
    let odd_items = r#"{"vaults": {"a": {"name": 3, "items": [1, {"data": {"content": {"totpUri": 5}, "extraFields": [{"type": "totp", "data": {"totpUri": ["x"]}}]}}]}}}"#;
    let (_, imported) = read(&zip_of("Proton Pass/data.json", odd_items.as_bytes()), None);
    assert!(imported.accounts.is_empty() && imported.skipped.is_empty());
}

/// A ZIP of one deflated entry.
fn zip_of(name: &str, content: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    writer.start_file(name, options).expect("entry");
    writer.write_all(content).expect("write");
    writer.finish().expect("zip").into_inner()
}

/// A folder goes through the preview like a file: its missing maFile is a
/// problem named by source.
#[test]
fn a_steam_folder_is_collected() {
    let plain = folder("steam/sda_plain");
    let given: Vec<(&str, &[u8])> = plain.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let mut collected = Collected::default();
    let added = collected.add_folder("maFiles", &given, None).expect("reads");
    assert_eq!(added, twofold_core::enroll::Added { format: Some(Format::Steam), accounts: 2 });
    assert_eq!(collected.problems.len(), 1);
    assert_eq!(collected.problems[0].source, "maFiles");
}
