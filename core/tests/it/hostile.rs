//! Issue 12: crafted inputs get a specific error within bounded time and
//! memory, and nothing of a secret leaks through an error.

use std::path::Path;

use twofold_core::enroll::{Collected, Input, ProblemKind};
use twofold_core::formats::{self, FormatError};
use twofold_core::fs::{read_bounded, ReadError};
use twofold_core::migration::{encode, Batch, Migration, MigrationError};
use twofold_core::{transfer, OtpauthUri};

use crate::common::account;

/// A Google export claiming two billion codes: refused before anything is
/// sized by it (it used to allocate gigabytes and abort).
#[test]
fn a_huge_batch_size_is_refused() {
    let uri = OtpauthUri::parse("otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP").expect("valid");
    let text = encode(&[uri], Batch { id: 1, index: 0, size: 2_000_000_000 });
    assert_eq!(Migration::parse(&text), Err(MigrationError::TooManyCodes(2_000_000_000)));
    let mut collected = Collected::default();
    collected.add("paste", Input::Text(&text), None).expect("text is taken");
    assert_eq!(collected.problems[0].kind, ProblemKind::BadExport);
    assert!(collected.batches.is_empty() && collected.accounts.is_empty());
}

/// An Aegis file whose key slot asks for 17 GB of scrypt, or that has many
/// slots, is refused at once instead of running for half a minute.
#[test]
fn extreme_key_derivation_is_refused() {
    let bytes = transfer::export(&[account("otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP")], "a passphrase")
        .expect("export");
    let file: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    let with = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut f = file.clone();
        edit(&mut f);
        serde_json::to_vec(&f).expect("json")
    };
    let huge_r = with(&|f| f["header"]["slots"][0]["r"] = 1_000_000.into());
    let huge_n = with(&|f| f["header"]["slots"][0]["n"] = (1u64 << 30).into());
    let many = with(&|f| {
        let slot = f["header"]["slots"][0].clone();
        f["header"]["slots"] = serde_json::Value::Array(vec![slot; 50]);
    });
    for (what, crafted) in [("r", huge_r), ("n", huge_n), ("slots", many)] {
        let started = std::time::Instant::now();
        let err = formats::read(&crafted, Some("wrong guess")).err();
        // Refused before any key is derived: that is what `TooCostly` says.
        assert_eq!(err, Some(FormatError::TooCostly("Aegis")), "{what}");
        // A generous backstop: the error above is the check.
        assert!(started.elapsed().as_secs() < 5, "{what} took {:?}", started.elapsed());
    }
    // The real thing still opens.
    assert!(formats::read(&bytes, Some("a passphrase")).is_ok());
}

/// Issue 22 (F11): four key slots, each within the bound for one, asked
/// for 32× Twofold's scrypt work on every wrong passphrase. The work is
/// budgeted across all slots; a real file's second slot still fits.
#[test]
fn issue_22_scrypt_work_is_budgeted_across_all_key_slots() {
    let bytes = transfer::export(&[account("otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP")], "a passphrase")
        .expect("export");
    let file: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    let with_slots = |count: usize, edit: &dyn Fn(&mut serde_json::Value)| {
        let mut f = file.clone();
        let mut slot = f["header"]["slots"][0].clone();
        edit(&mut slot);
        f["header"]["slots"] = serde_json::Value::Array(vec![slot; count]);
        serde_json::to_vec(&f).expect("json")
    };
    // Each slot at the most one may ask for: 256 MiB and 8× Twofold's work.
    let costly = with_slots(4, &|slot| {
        slot["n"] = (1u64 << 18).into();
        slot["p"] = 2.into();
    });
    assert_eq!(formats::read(&costly, Some("wrong guess")).err(), Some(FormatError::TooCostly("Aegis")));
    let two_of_ours = with_slots(2, &|_| {});
    assert!(
        formats::read(&two_of_ours, Some("a passphrase")).is_ok(),
        "two slots of Twofold's own cost open"
    );
}

/// Issue 22 (F11): a 64 MiB JSON array used to be parsed whole into a tree
/// of 1.6 GiB, and 8 MiB of one-key objects into 600 MiB. Text over 8 MiB
/// is refused unread, and JSON whose tree would be too large, or a list of
/// more links than anyone has accounts, before it is read; real exports
/// still read.
#[test]
fn issue_22_a_huge_json_import_is_refused_before_it_is_parsed() {
    let mut huge = Vec::with_capacity(64 << 20);
    huge.push(b'[');
    while huge.len() < (64 << 20) - 2 {
        huge.extend_from_slice(b"0,");
    }
    huge.extend_from_slice(b"0]");
    assert_eq!(formats::read(&huge, None).err(), Some(FormatError::TooLarge));
    let mut collected = Collected::default();
    let err = collected.add("big.json", Input::File(&huge), None).expect_err("refused");
    assert_eq!(err, FormatError::TooLarge);
    assert!(err.to_string().contains("over 8 MiB"), "{err}");
    assert!(collected.accounts.is_empty() && collected.problems.is_empty(), "nothing changed");

    let mut dense = Vec::with_capacity(formats::MAX_TEXT_BYTES);
    dense.push(b'[');
    while dense.len() < formats::MAX_TEXT_BYTES - 16 {
        dense.extend_from_slice(br#"{"a":0},"#);
    }
    dense.extend_from_slice(br#"{"a":0}]"#);
    assert_eq!(formats::read(&dense, None).err(), Some(FormatError::TooComplex));
    // Short links, each a distinct account: 8 MiB of them took 350 MiB.
    let links: String =
        (0..10_001).map(|i| format!("otpauth://totp/a{i}?secret=JBSWY3DPEHPK3PXP\n")).collect();
    assert_eq!(formats::read(links.as_bytes(), None).err(), Some(FormatError::TooComplex));

    // A thousand accounts, Twofold's own plain export of them, read as ever.
    // Each with a key of its own: the same key and parameters are one account.
    let letter = |d: usize| char::from(b'A' + (d % 26) as u8);
    let many: Vec<_> = (0..1000)
        .map(|i| {
            let key = format!("JBSWY3DPEHPK3{}{}{}", letter(i / 676), letter(i / 26), letter(i));
            account(&format!("otpauth://totp/Issuer{i}:user{i}?secret={key}"))
        })
        .collect();
    let plain = transfer::export_plain(&many, transfer::PlainFormat::Aegis).expect("export");
    let (_, imported) = formats::read(&plain, None).expect("a real export reads");
    assert_eq!(imported.accounts.len(), 1000);
}

/// Devices, pipes and folders are refused without being read; large files
/// are refused by size.
#[cfg(unix)]
#[test]
fn only_regular_files_of_bounded_size_are_read() {
    assert_eq!(read_bounded(Path::new("/dev/zero"), 1 << 20).err(), Some(ReadError::NotAFile));
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(read_bounded(dir.path(), 1 << 20).err(), Some(ReadError::NotAFile));
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    // Opening it would block forever with no writer: it is never opened.
    assert_eq!(read_bounded(&fifo, 1 << 20).err(), Some(ReadError::NotAFile));
    let big = dir.path().join("big.json");
    std::fs::write(&big, vec![b' '; 2 << 20]).expect("write");
    assert_eq!(read_bounded(&big, 1 << 20).err(), Some(ReadError::TooLarge { max_bytes: 1 << 20 }));
    assert_eq!(read_bounded(&big, 4 << 20).expect("read").len(), 2 << 20);
}

/// An image tiled with `codes` setup codes in a square grid, `module` pixels
/// per module, each code a different account.
fn tiled_codes(codes: u32, module: u32) -> Vec<u8> {
    let side = (f64::from(codes)).sqrt().ceil() as u32;
    let rendered: Vec<image::GrayImage> = (0..codes)
        .map(|i| {
            let uri = format!("otpauth://totp/Tile:user{i}?secret=JBSWY3DPEHPK3PXP&issuer=Tile");
            twofold_testkit::qr_image(&uri, module, 4)
        })
        .collect();
    // Each code with its quiet zone, in a tile that fits the widest.
    let tile = rendered.iter().map(image::GrayImage::width).max().unwrap_or(0);
    let mut image = image::GrayImage::from_pixel(side * tile, side * tile, image::Luma([255]));
    for (i, code) in rendered.iter().enumerate() {
        let (ox, oy) = ((i as u32 % side) * tile, (i as u32 / side) * tile);
        image::imageops::replace(&mut image, code, i64::from(ox), i64::from(oy));
    }
    let mut png = Vec::new();
    image.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).expect("encode");
    png
}

/// Hundreds of codes in one image: rxing's multi-code search would try
/// every triple of their finder patterns (101 s and 917 MB before); it is
/// refused at once, plainly. A screenful of real export codes still reads.
#[test]
fn an_image_tiled_with_hundreds_of_codes_is_refused_quickly() {
    use twofold_core::qr::{self, Limits, QrError, MAX_CODES_PER_IMAGE};
    let crowded = tiled_codes(400, 3);
    let started = std::time::Instant::now();
    let scan = qr::scan_bytes(&crowded, Limits::default());
    // Refused by counting finder patterns, before any multi-code search.
    assert_eq!(scan, Err(QrError::Crowded { max_codes: MAX_CODES_PER_IMAGE }));
    // A generous backstop: the error above is the check.
    assert!(started.elapsed().as_secs() < 5, "took {:?}", started.elapsed());
    let mut collected = Collected::default();
    collected.add("tiles.png", Input::File(&crowded), None).expect("an image is taken");
    assert_eq!(collected.problems[0].kind, ProblemKind::Crowded);
    assert!(collected.problems[0].message.contains("more QR codes than Twofold reads at once"));

    // Twelve codes are a busy but real image: read, not refused. (rxing's
    // multi-code reader finds only some of them; finding every one is the
    // work of issue 16.)
    let twelve = tiled_codes(12, 4);
    let scan = qr::scan_bytes(&twelve, Limits::default()).expect("not refused");
    assert!(!scan.texts.is_empty(), "codes are read from it");
}

/// An andOTP backup in the old format (key = SHA-256 of the password,
/// the 12-byte IV first), whose IV begins with the four bytes of `rounds`.
fn old_andotp(rounds: u32, password: &str) -> Vec<u8> {
    use aes_gcm::aead::{Aead, KeyInit};
    use sha2::Digest;
    let json = br#"[{"secret":"JBSWY3DPEHPK3PXP","issuer":"Old","label":"alice","type":"TOTP"}]"#;
    let mut iv = rounds.to_be_bytes().to_vec();
    iv.extend_from_slice(&[0xa5; 8]);
    let key = sha2::Sha256::digest(password.as_bytes());
    let cipher = aes_gcm::Aes256Gcm::new_from_slice(&key).expect("a 32-byte key");
    let sealed = cipher.encrypt(aes_gcm::Nonce::from_slice(&iv), json.as_slice()).expect("encrypts");
    [iv, sealed].concat()
}

/// Found by fuzzing the importers (19 inputs a second): an andOTP backup's
/// first four bytes set its PBKDF2 rounds, and up to ten million were
/// accepted, seconds of work per guess. Now a million at most; above that
/// the file is tried as the old format only, and refused at once.
#[test]
fn an_andotp_backup_cannot_ask_for_millions_of_rounds() {
    // Above a million, the four bytes are the old format's IV, not rounds.
    let old = old_andotp(10_000_000, "a guess");
    let (format, imported) = formats::read(&old, Some("a guess")).expect("read as the old format");
    assert_eq!((format, imported.accounts.len()), (formats::Format::AndOtp, 1));

    let mut crafted = 10_000_000u32.to_be_bytes().to_vec();
    crafted.extend_from_slice(&[7; 12 + 12 + 32]);
    let started = std::time::Instant::now();
    assert_eq!(formats::read(&crafted, Some("a guess")).err(), Some(FormatError::WrongPassphrase));
    // The error is the same whether or not ten million rounds ran first, so
    // here the time is the check: refused at once is microseconds, while the
    // million rounds a file may ask for take about a quarter of a second in
    // a debug build, ten million ten times that.
    assert!(started.elapsed().as_millis() < 1500, "took {:?}", started.elapsed());
}

/// Every input fuzzing ever found a crash, hang or blow-up with
/// (`make fuzz` leaves them in fuzz/artifacts/; they are kept in
/// tests/it/fuzz_regressions/): each is now read to the error named here,
/// by every reader it reaches. A new one must be added to the table.
#[test]
fn inputs_found_by_fuzzing_stay_fixed() {
    use twofold_core::qr::{self, Limits, QrError};
    use twofold_core::transfer::TransferError;
    const PASS: &str = "a passphrase";
    // The file, what the importers say, and what a QR scan says (images only).
    let expected: [(&str, FormatError, Option<QrError>); 2] = [
        ("bundle-andotp-six-million-rounds.bin", FormatError::WrongPassphrase, None),
        // A decoder's panic is caught: an unreadable image, never the app's end.
        ("qr-rqrr-geometry-panic.png", FormatError::Image, Some(QrError::Unreadable)),
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/fuzz_regressions");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("the regressions folder").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((_, format_error, scan_error)) = expected.iter().find(|(file, ..)| *file == name) else {
            panic!("{name}: add it to the table with the error it is read to");
        };
        let bytes = std::fs::read(entry.path()).expect("read");
        let started = std::time::Instant::now();
        assert_eq!(formats::read(&bytes, Some(PASS)).err().as_ref(), Some(format_error), "{name}");
        let bundle = transfer::open(&bytes, PASS).err();
        assert!(matches!(&bundle, Some(TransferError::Format(e)) if e == format_error), "{name}: {bundle:?}");
        assert_eq!(formats::is_image(&bytes), scan_error.is_some(), "{name}: an image or not");
        if let Some(scan_error) = scan_error {
            assert_eq!(qr::scan_bytes(&bytes, Limits::default()).err().as_ref(), Some(scan_error), "{name}");
        }
        // A generous backstop: the errors above are the check.
        assert!(started.elapsed().as_secs() < 5, "{name} took {:?}", started.elapsed());
        seen += 1;
    }
    assert_eq!(seen, expected.len(), "every input in the table is in the folder");
}
