//! `twofold-cli` as a script would use it: real binary, real vault files,
//! and (for keychain vaults) the real Secret Service that `make test` starts.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use twofold_testkit::sntp::{self, Reply};
use twofold_testkit::{corpus_arg, Sandbox};

const CLI: &str = env!("CARGO_BIN_EXE_twofold-cli");
const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// One sandbox (vault directory and keychain service) and the CLI run in it.
struct Env {
    sandbox: Sandbox,
}

impl Env {
    fn new(test: &str) -> Self {
        Self { sandbox: Sandbox::new("cli", test) }
    }

    fn root(&self) -> &Path {
        self.sandbox.root()
    }

    fn data_dir(&self) -> std::path::PathBuf {
        self.sandbox.data_dir()
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(CLI);
        command.args(args).envs(self.sandbox.env()).stdin(Stdio::null());
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("twofold-cli runs")
    }

    /// Runs with `input` on standard input (how secrets are passed).
    fn run_with_input(&self, args: &[&str], input: &str) -> Output {
        use std::io::Write;
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("twofold-cli starts");
        child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
        child.wait_with_output().expect("twofold-cli runs")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    fn passphrase_file(&self) -> String {
        self.sandbox.file("pass", b"a passphrase for tests\n")
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn stateless_code_matches_rfc_6238_and_touches_no_vault() {
    let env = Env::new("stateless");
    let uri = format!("otpauth://totp/x?secret={SECRET}&digits=8");
    for (at, code) in [("59", "94287082"), ("1111111109", "07081804"), ("20000000000", "65353130")] {
        assert_eq!(env.ok(&["code", "--uri", &uri, "--at", at]), format!("{code}\n"));
    }
    assert!(!env.data_dir().exists(), "no vault was created or read");
}

/// Issue 24: `--next` prints the following period's code: RFC 6238's table
/// gives, for T = 1111111111 (the period after T = 1111111109), 14050471.
#[test]
fn issue_24_code_next_is_the_following_periods_code() {
    let env = Env::new("next-code");
    let uri = format!("otpauth://totp/x?secret={SECRET}&digits=8");
    assert_eq!(env.ok(&["code", "--uri", &uri, "--at", "1111111109", "--next"]), "14050471\n");
    assert_eq!(env.ok(&["code", "--uri", &uri, "--at", "1111111111"]), "14050471\n");
    let hotp = env.run(&["code", "--uri", "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=1", "--next"]);
    assert_eq!(hotp.status.code(), Some(2), "{}", stderr(&hotp));
    assert!(stderr(&hotp).contains("counter-based"), "{}", stderr(&hotp));
}

#[test]
fn bad_uri_exits_2_with_one_line_that_hides_the_secret() {
    let env = Env::new("baduri");
    for uri in [
        format!("otpauth://totp/x?secret={SECRET}1"),
        format!("otpauth://totp/x?secret={SECRET}&digits=12"),
        format!("https://example.com/?secret={SECRET}"),
        "otpauth://hotp/x?secret=JBSWY3DP".to_owned(),
    ] {
        let outs = [env.run_with_input(&["code", "--uri"], &uri), env.run_with_input(&["add"], &uri)];
        for (args, out) in [("code --uri", outs[0].clone()), ("add", outs[1].clone())] {
            assert_eq!(out.status.code(), Some(2), "{args:?}");
            let err = stderr(&out);
            assert_eq!(err.lines().count(), 1, "one line: {err:?}");
            assert!(!err.contains(SECRET) && !err.contains("JBSWY3DP"), "secret leaked: {err}");
            assert!(out.stdout.is_empty());
        }
    }
    let out = env.run_with_input(&["code", "--uri"], &format!("otpauth://totp/x?secret={SECRET}0"));
    assert_eq!(stderr(&out), "twofold-cli: secret is not valid base32\n");
    assert!(!env.data_dir().exists(), "nothing written for bad input");
}

#[test]
fn passphrase_vault_add_list_code_next_remove() {
    let env = Env::new("passphrase");
    let pass = env.passphrase_file();
    let p = ["--vault-passphrase-file", pass.as_str()];
    assert!(env.ok(&[&p[..], &["init"]].concat()).contains("protected by a passphrase"));
    env.ok(
        &[&p[..], &["add", &format!("otpauth://totp/GitHub:alice?secret={SECRET}&issuer=GitHub")]].concat()
    );
    env.ok(&[&p[..], &["add", "otpauth://hotp/Bank:alice?secret=JBSWY3DPEHPK3PXP&counter=0"]].concat());

    let listed: serde_json::Value =
        serde_json::from_str(&env.ok(&[&p[..], &["list", "--json"]].concat())).expect("JSON list");
    let issuers: Vec<_> =
        listed.as_array().expect("array").iter().map(|a| a["issuer"].as_str().unwrap_or("")).collect();
    assert_eq!(issuers, ["GitHub", "Bank"]);
    assert!(!listed.to_string().contains(SECRET), "the list never shows secrets");

    // Same code as the stateless form for the same second.
    let stateless =
        env.ok(&["code", "--uri", &format!("otpauth://totp/x?secret={SECRET}"), "--at", "1234567890"]);
    assert_eq!(env.ok(&[&p[..], &["code", "github", "--at", "1234567890"]].concat()), stateless);

    // HOTP: RFC 4226 counter 1 for the ASCII key "12345678901234567890" is not this key,
    // so compare with the stateless form at counter 1 instead.
    let next = env.ok(&[&p[..], &["next", "bank"]].concat());
    let expected = env.ok(&["code", "--uri", "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=1"]);
    assert_eq!(next, expected);
    assert_eq!(env.ok(&[&p[..], &["code", "bank"]].concat()), expected, "the counter was saved");

    let out = env.run(&[&p[..], &["code", "alice"]].concat());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("2 accounts match \"alice\""), "{}", stderr(&out));

    assert_eq!(env.ok(&[&p[..], &["remove", "GitHub"]].concat()), "removed GitHub (alice)\n");
    assert_eq!(env.run(&[&p[..], &["code", "github"]].concat()).status.code(), Some(1));

    // Without the passphrase the vault stays closed, with a clear reason.
    let out = env.run(&["list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("protected by a passphrase"), "{}", stderr(&out));
    let wrong = env.root().join("wrong");
    std::fs::write(&wrong, "not the passphrase").expect("write");
    let out = env.run(&["--vault-passphrase-file", wrong.to_str().expect("utf-8 path"), "list"]);
    assert_eq!(stderr(&out), "twofold-cli: wrong passphrase\n");
}

#[test]
fn passphrase_from_standard_input() {
    let env = Env::new("stdin");
    let mut child = env
        .command(&["--vault-passphrase-file", "-", "init"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    use std::io::Write;
    child.stdin.take().expect("stdin").write_all(b"typed into a pipe\n").expect("write");
    assert!(child.wait_with_output().expect("wait").status.success());
    let pass = env.root().join("p");
    std::fs::write(&pass, "typed into a pipe").expect("write");
    assert_eq!(env.ok(&["--vault-passphrase-file", pass.to_str().expect("path"), "list"]), "");
}

#[test]
fn keychain_vault_through_the_secret_service() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "needs a Secret Service: run with `make test`"
    );
    let env = Env::new("keychain");
    assert_eq!(env.ok(&["list"]), "", "no vault yet: nothing listed, nothing created");
    assert!(!env.data_dir().exists());
    env.ok(&["add", &format!("otpauth://totp/Example:bob?secret={SECRET}")]);
    let out = env.run_with_input(&["add"], &format!("otpauth://totp/Again:bob?secret={SECRET}"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "twofold-cli: this account is already in the vault as Example (bob)\n");
    let listed = env.ok(&["list"]);
    assert!(listed.contains("Example (bob)"), "{listed}");
}

#[test]
fn without_a_secret_service_the_error_says_so_and_nothing_is_written() {
    let env = Env::new("nobus");
    let mut command = env.command(&["add", "-"]);
    command.env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/twofold-test-bus");
    let out = {
        use std::io::Write;
        let mut child = command.stdin(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
        let uri = format!("otpauth://totp/Example:bob?secret={SECRET}");
        child.stdin.take().expect("stdin").write_all(uri.as_bytes()).expect("write");
        child.wait_with_output().expect("runs")
    };
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.starts_with("twofold-cli: no usable keychain was found ("), "{err}");
    assert!(err.contains("twofold-cli init --vault-passphrase-file"), "offers the passphrase vault: {err}");
    assert!(!err.contains(SECRET));
    let vault = twofold_core::vault::path_in(&env.data_dir());
    assert!(!Path::new(&vault).exists(), "no vault written without a key store");
}

#[test]
fn scan_says_what_each_image_holds_without_secrets() {
    let env = Env::new("scan");
    let export = corpus_arg("google-migration/scito_extract_otp_secrets/example_export.png");
    let single = corpus_arg("synthetic/s1_4k_busy_single_200px.png");
    let out = env.ok(&["scan", &export, &single]);
    assert_eq!(
        out,
        format!(
            "{export}: Test1 (test1@example1.com) [totp] (export code 1 of 1)\n\
             {export}: Test2 (test2@example2.com) [totp] (export code 1 of 1)\n\
             {export}: Test3 (test3@example3.com) [totp] (export code 1 of 1)\n\
             {single}: Example Corp (alice.smith@example.com) [totp]\n"
        )
    );
    assert!(!out.contains("JBSWY3DP"), "no secrets without --reveal");

    let json: serde_json::Value = serde_json::from_str(&env.ok(&["scan", "--json", &single])).expect("json");
    assert_eq!(json[0]["codes"][0]["holds"], "account");
    assert_eq!(json[0]["codes"][0]["accounts"][0]["issuer"], "Example Corp");
}

#[test]
fn scan_reveal_prints_raw_text_in_image_order() {
    let env = Env::new("reveal");
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(corpus_arg("synthetic/expected.json")).expect("read"))
            .expect("json");
    let images: Vec<&serde_json::Value> =
        expected["images"].as_array().expect("images").iter().take(3).collect();
    let paths: Vec<String> = images.iter().map(|i| corpus_arg(i["image"].as_str().expect("image"))).collect();
    let mut args = vec!["scan", "--reveal"];
    args.extend(paths.iter().map(String::as_str));
    let want: String = images
        .iter()
        .flat_map(|i| {
            i["expected"]
                .as_array()
                .expect("expected")
                .iter()
                .map(|t| format!("{}\n", t.as_str().expect("text")))
        })
        .collect();
    assert_eq!(env.ok(&args), want);
}

#[test]
fn scan_exit_status_tells_found_none_and_unreadable_apart() {
    let env = Env::new("scanexit");
    let not_otp = corpus_arg("google-migration/scito_extract_otp_secrets/qr_but_without_otp.png");
    let out = env.run(&["scan", &not_otp]);
    assert_eq!(out.status.code(), Some(0), "a code was found, even if it is no account");
    assert!(String::from_utf8_lossy(&out.stdout).contains("not an authenticator key"));

    let blank = env.root().join("blank.png");
    image::RgbImage::from_pixel(64, 64, image::Rgb([255, 255, 255])).save(&blank).expect("write png");
    let out = env.run(&["scan", blank.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1), "no code at all");

    let text = env.root().join("notes.png");
    std::fs::write(&text, "not really a png").expect("write");
    let out = env.run(&["scan", text.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not an image Twofold can read"), "{}", stderr(&out));
    let out = env.run(&["scan", "/nonexistent/shot.png"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn import_adds_accounts_once() {
    let env = Env::new("import");
    let pass = env.passphrase_file();
    let p = ["--vault-passphrase-file", pass.as_str()];
    let export = corpus_arg("google-migration/scito_extract_otp_secrets/example_export.png");
    let four = corpus_arg("synthetic/s2_4k_ga_export_4qr.png");
    assert_eq!(env.ok(&[&p[..], &["import", &export]].concat()), "added 3 accounts\n");
    // Importing again adds nothing and says why.
    let again = env.ok(&[&p[..], &["import", &export, &four]].concat());
    assert!(
        again.contains(
            "skipped Test1 (test1@example1.com) (already in the vault as Test1 (test1@example1.com))"
        ),
        "{again}"
    );
    assert!(again.ends_with("added 40 accounts\n"), "{again}");
    let listed: serde_json::Value =
        serde_json::from_str(&env.ok(&[&p[..], &["list", "--json"]].concat())).expect("json");
    assert_eq!(listed.as_array().map(Vec::len), Some(43));
}

/// Old machine: export and verify. New machine: import into an empty vault.
#[test]
fn export_verify_and_import_a_transfer_bundle() {
    let old = Env::new("transfer-old");
    let vault_pass = old.passphrase_file();
    let v = ["--vault-passphrase-file", vault_pass.as_str()];
    old.ok(&[&v[..], &["init"]].concat());
    for uri in [
        format!("otpauth://totp/GitHub:alice?secret={SECRET}&issuer=GitHub"),
        "otpauth://hotp/Bank:alice?secret=JBSWY3DPEHPK3PXP&counter=3".to_owned(),
        "otpauth://steam/Steam:gamer?secret=MFRGGZDFMZTWQ2LK".to_owned(),
    ] {
        old.ok(&[&v[..], &["add", &uri]].concat());
    }
    let bundle = old.root().join("bundle.json");
    let bundle = bundle.to_str().expect("path");
    let bundle_pass = old.root().join("bundle-pass");
    std::fs::write(&bundle_pass, "a long bundle passphrase\n").expect("write");
    let bp = bundle_pass.to_str().expect("path");

    let out = old.ok(&[&v[..], &["export", "--out", bundle, "--passphrase-file", bp]].concat());
    assert_eq!(out, format!("{bundle}: all 3 accounts present, codes match\n"), "export verifies at once");
    assert!(
        !std::fs::read_to_string(bundle).expect("bundle").contains(SECRET),
        "no plaintext secret in the bundle"
    );
    assert_eq!(old.ok(&[&v[..], &["verify", bundle, "--passphrase-file", bp]].concat()), out);

    let wrong = old.root().join("wrong");
    std::fs::write(&wrong, "not the bundle passphrase").expect("write");
    let out =
        old.run(&[&v[..], &["verify", bundle, "--passphrase-file", wrong.to_str().expect("path")]].concat());
    assert_eq!((out.status.code(), stderr(&out)), (Some(1), "twofold-cli: wrong passphrase\n".to_owned()));

    // A new account on the old machine makes the bundle stale.
    old.ok(&[&v[..], &["add", "otpauth://totp/New:one?secret=ONSWG4TFOQ"]].concat());
    let out = old.run(&[&v[..], &["verify", bundle, "--passphrase-file", bp]].concat());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("missing: New (one)"), "{:?}", out);

    // The new machine (a keychain-less passphrase vault here).
    let new = Env::new("transfer-new");
    let new_pass = new.passphrase_file();
    let n = ["--vault-passphrase-file", new_pass.as_str()];
    let out = new.ok(&[&n[..], &["import", bundle, "--passphrase-file", bp]].concat());
    assert_eq!(out, "added 3 accounts\n");
    for (search, at) in [("github", "1234567890"), ("bank", "0"), ("steam", "1700000000")] {
        assert_eq!(
            new.ok(&[&n[..], &["code", search, "--at", at]].concat()),
            old.ok(&[&v[..], &["code", search, "--at", at]].concat()),
            "{search}: same code on both machines"
        );
    }
    let again = new.ok(&[&n[..], &["import", bundle, "--passphrase-file", bp]].concat());
    assert!(again.ends_with("added 0 accounts\n"), "nothing duplicated: {again}");
}

#[test]
fn importing_an_encrypted_file_asks_for_its_passphrase() {
    let env = Env::new("import-encrypted");
    let pass = env.passphrase_file();
    let v = ["--vault-passphrase-file", pass.as_str()];
    let aegis = corpus_arg("importers/aegis/importers/aegis_encrypted.json");
    let out = env.run(&[&v[..], &["import", &aegis]].concat());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .contains("this Aegis file is encrypted: a passphrase is needed; pass --passphrase-file FILE"),
        "{}",
        stderr(&out)
    );
    let test_pass = env.root().join("test-pass");
    std::fs::write(&test_pass, "test").expect("write");
    let out = env
        .ok(&[&v[..], &["import", &aegis, "--passphrase-file", test_pass.to_str().expect("path")]].concat());
    assert_eq!(out, "added 7 accounts\n");
}

#[test]
fn plain_exports_warn_and_round_trip() {
    let env = Env::new("plain-export");
    let pass = env.passphrase_file();
    let v = ["--vault-passphrase-file", pass.as_str()];
    env.ok(
        &[&v[..], &["add", &format!("otpauth://totp/GitHub:alice?secret={SECRET}&issuer=GitHub")]].concat()
    );
    for (format, written) in
        [("uri-list", "plain-UNENCRYPTED.txt"), ("aegis-plain", "plain-UNENCRYPTED.json")]
    {
        // The name says UNENCRYPTED, as in the window: never mistaken for a bundle.
        let asked = env.root().join("plain.json");
        let out = env
            .run(&[&v[..], &["export", "--format", format, "--out", asked.to_str().expect("path")]].concat());
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stderr(&out).contains("UNENCRYPTED"), "a clear warning: {}", stderr(&out));
        assert!(!asked.exists(), "nothing under the name asked for");
        let out_path = env.root().join(written);
        assert!(String::from_utf8_lossy(&out.stdout).contains(written), "says where it wrote");
        let other = Env::new(&format!("plain-import-{format}"));
        let other_pass = other.passphrase_file();
        let o = ["--vault-passphrase-file", other_pass.as_str()];
        assert_eq!(
            other.ok(&[&o[..], &["import", out_path.to_str().expect("path")]].concat()),
            "added 1 account\n"
        );
    }
}

#[test]
fn recovery_codes_add_list_use() {
    let env = Env::new("recovery");
    let pass = env.passphrase_file();
    let v = ["--vault-passphrase-file", pass.as_str()];
    env.ok(
        &[&v[..], &["add", &format!("otpauth://totp/GitHub:alice?secret={SECRET}&issuer=GitHub")]].concat()
    );
    let codes = env.root().join("codes.txt");
    std::fs::write(&codes, "GitHub recovery codes\nbd1a3-7c0fe\n0f5c2-a9e81\n\nKeep them safe.\n")
        .expect("write");
    let out =
        env.ok(&[&v[..], &["recovery", "add", "github", "--file", codes.to_str().expect("path")]].concat());
    assert_eq!(out, "saved 2 recovery codes for GitHub (alice)\n");
    assert_eq!(
        env.ok(&[&v[..], &["recovery", "use", "github", "BD1A3-7C0FE"]].concat()),
        "marked used; 1 recovery code left for GitHub (alice)\n"
    );
    assert_eq!(
        env.ok(&[&v[..], &["recovery", "list", "github"]].concat()),
        "bd1a3-7c0fe  (used)\n0f5c2-a9e81\n"
    );
    let out = env.run_with_input(&[&v[..], &["recovery", "use", "github"]].concat(), "bd1a3-7c0fe\n");
    assert_eq!(stderr(&out), "twofold-cli: that recovery code was already marked used\n");
}

#[test]
fn clock_reports_the_offset_from_a_loopback_server() {
    // This server is 47 s behind: the local clock is 47 s fast.
    let address = sntp::serve(Reply::Shifted(-47.0));
    let env = Env::new("clock");
    let offset: f64 = env.ok(&["clock", "--server", &address]).trim().parse().expect("a number");
    assert!((offset - 47.0).abs() < 0.5, "{offset}");
    let out = env.run(&["clock", "--server", &sntp::serve(Reply::Silent)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).starts_with("twofold-cli: the clock could not be checked"), "{}", stderr(&out));
}

#[test]
fn check_lists_what_to_fix_and_exits_1() {
    let env = Env::new("check");
    let pass = env.passphrase_file();
    let v = ["--vault-passphrase-file", pass.as_str()];
    env.ok(
        &[&v[..], &["add", &format!("otpauth://totp/GitHub:alice?secret={SECRET}&issuer=GitHub")]].concat()
    );
    let out = env.run(&[&v[..], &["check"]].concat());
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("No transfer bundle has been verified yet"), "{text}");
    assert!(text.contains("No recovery codes saved:\n  - GitHub (alice)"), "{text}");
    let out = env.run(&[&v[..], &["check", "--json"]].concat());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["twofold_only"][0], "GitHub (alice)");

    // Fix everything: recovery codes, then a verified bundle.
    let codes = env.root().join("codes");
    std::fs::write(&codes, "1111-2222\n3333-4444\n").expect("write");
    env.ok(&[&v[..], &["recovery", "add", "github", "--file", codes.to_str().expect("path")]].concat());
    let bundle = env.root().join("b.json");
    env.ok(&[
        &v[..],
        &["export", "--out", bundle.to_str().expect("path"), "--passphrase-file", pass.as_str()],
    ]
    .concat());
    let out = env.ok(&[&v[..], &["check"]].concat());
    assert!(out.contains("Nothing to fix"), "{out}");
}

/// A QR code of `text` as a phone shows it (8 px modules, 4-module quiet
/// zone), saved as a PNG in the sandbox.
fn qr_png(env: &Env, name: &str, text: &str) -> String {
    let path = env.root().join(name);
    twofold_testkit::qr_image(text, 8, 4).save(&path).expect("write png");
    path.to_string_lossy().into_owned()
}

/// A Google Authenticator export split over two screenshots: importing both
/// in one command is complete, with no warning about a missing code.
#[test]
fn issue_9_an_export_over_two_images_imports_whole() {
    use twofold_core::migration::{encode, Batch};
    let env = Env::new("batch");
    let pass = env.passphrase_file();
    let v = ["--vault-passphrase-file", pass.as_str()];
    let part = |index, issuer: &str, key: &str| {
        let uri = twofold_core::OtpauthUri::parse(&format!("otpauth://totp/{issuer}:me?secret={key}"))
            .expect("valid");
        encode(&[uri], Batch { id: 9, index, size: 2 }).to_string()
    };
    let one = qr_png(&env, "part1.png", &part(0, "First", SECRET));
    let two = qr_png(&env, "part2.png", &part(1, "Second", "JBSWY3DPEHPK3PXP"));

    let out = env.run(&[&v[..], &["import", &one, &two]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("missing"), "part2.png completes the export: {}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "added 2 accounts\n");

    // One part alone: the person is told what is missing, and it is added
    // only when they accept a partial import.
    let alone = Env::new("batch-alone");
    let pass = alone.passphrase_file();
    let out = alone.run(&["--vault-passphrase-file", &pass, "import", &one]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let out = alone.run(&["--vault-passphrase-file", &pass, "import", "--partial", &one]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("warning: 1 of 2 export codes scanned; missing: 2"), "{}", stderr(&out));
}

/// A screenshot with no code in it, imported as a file, says exactly that.
#[test]
fn issue_9_an_image_without_a_code_names_the_problem() {
    let env = Env::new("nocode");
    let pass = env.passphrase_file();
    let blank = env.root().join("blank.png");
    image::RgbImage::from_pixel(64, 64, image::Rgb([255, 255, 255])).save(&blank).expect("write png");
    let blank = blank.to_string_lossy().into_owned();
    let out = env.run(&["--vault-passphrase-file", &pass, "import", &blank]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("{blank}: no QR code was found in the image")),
        "{}",
        stderr(&out)
    );
}

/// Issue 11: eight CLIs adding side by side, 25 accounts each. Every `add`
/// that exited 0 is in the vault afterwards, once, and nothing is left behind.
#[test]
fn issue_11_concurrent_writers_lose_nothing() {
    let env = Env::new("concurrent");
    env.ok(&["init"]);
    let workers: Vec<_> = (0..8)
        .map(|w| {
            let mut script = String::new();
            for i in 0..25 {
                // A distinct key per account: base32 of "w<w>-i<i>" padded.
                let key = base32(format!("twofold-w{w}-i{i:02}").as_bytes());
                script.push_str(&format!(
                    "{CLI} add 'otpauth://totp/Worker{w}:account{i}?secret={key}' >/dev/null || echo FAILED {w} {i}\n"
                ));
            }
            let mut command = Command::new("sh");
            command.arg("-c").arg(script).envs(env.sandbox.env()).stdin(Stdio::null());
            command.spawn().expect("a worker starts")
        })
        .collect();
    for worker in workers {
        let out = worker.wait_with_output().expect("worker ends");
        assert!(out.status.success());
    }
    let listed: serde_json::Value = serde_json::from_str(&env.ok(&["list", "--json"])).expect("json");
    let names: std::collections::BTreeSet<String> = listed
        .as_array()
        .expect("a list")
        .iter()
        .map(|a| {
            format!("{}/{}", a["issuer"].as_str().unwrap_or_default(), a["name"].as_str().unwrap_or_default())
        })
        .collect();
    assert_eq!(names.len(), 200, "every acknowledged add is there");
    assert_eq!(listed.as_array().map(Vec::len), Some(200), "none twice");
    let leftovers: Vec<String> = std::fs::read_dir(env.data_dir())
        .expect("list the data directory")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind: {leftovers:?}");
}

/// RFC 4648 base32 without padding, for test keys.
fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    for chunk in bytes.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let n = u64::from_be_bytes([0, 0, 0, buf[0], buf[1], buf[2], buf[3], buf[4]]);
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..chars {
            out.push(ALPHABET[((n >> (35 - 5 * i)) & 31) as usize] as char);
        }
    }
    out
}

/// Issue 11: with the vault moved away but its backup there, the CLI neither
/// lists nothing with success nor starts a new vault; `restore` brings it back.
#[test]
fn issue_11_a_missing_vault_is_named_not_replaced() {
    let env = Env::new("missing");
    env.ok(&["init"]);
    env.ok(&["add", &format!("otpauth://totp/GitHub:alice?secret={SECRET}")]);
    env.ok(&["add", "otpauth://totp/Bank:alice?secret=JBSWY3DPEHPK3PXP"]);
    let vault = twofold_core::vault::path_in(&env.data_dir());
    std::fs::rename(&vault, env.root().join("elsewhere")).expect("move the vault away");
    for args in [&["list"][..], &["add", "otpauth://totp/New:x?secret=MFRGGZDFMZTWQ2LK"][..]] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(stderr(&out).contains("vault.twofold.bak is there"), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("twofold-cli restore"), "says how: {}", stderr(&out));
        assert!(!vault.exists(), "{args:?} created nothing");
    }
    assert_eq!(env.ok(&["restore"]), format!("restored the previous version of {}\n", vault.display()));
    assert!(env.ok(&["list"]).contains("GitHub (alice)"));
}

/// Issue 22 (F1): on a healthy vault with A, B, C, `restore` twice in a
/// row left A and B: C was in the file the first restore set aside, and the
/// second renamed over it in the same second. Now a vault that opens is left
/// alone (saying what would be rolled back) unless --force, and each forced
/// restore keeps what it replaced under a name of its own.
#[test]
fn issue_22_a_restore_never_destroys_a_version() {
    let env = Env::new("restore-twice");
    env.ok(&["init"]);
    for (issuer, secret) in [("A", "JBSWY3DPEHPK3PXP"), ("B", "GEZDGNBVGY3TQOJQ"), ("C", "MFRGGZDFMZTWQ2LK")]
    {
        let out = env.run_with_input(&["add"], &format!("otpauth://totp/{issuer}:x?secret={secret}"));
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let out = env.run(&["restore"]);
    assert_eq!(out.status.code(), Some(1), "a vault that opens is left alone");
    let said = stderr(&out);
    assert!(said.contains("remove 1 account (C (x))") && said.contains("--force"), "{said}");
    assert!(env.ok(&["list"]).contains("C (x)"), "nothing changed");

    env.ok(&["restore", "--force"]);
    env.ok(&["restore", "--force"]);
    let list = env.ok(&["list"]);
    assert!(list.contains("A (x)") && list.contains("B (x)") && !list.contains("C (x)"), "{list}");
    // Both replaced files are kept, each under its own name; C is in one.
    let kept: Vec<_> = std::fs::read_dir(env.data_dir())
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".replaced-"))
        .collect();
    assert_eq!(kept.len(), 2, "two copies kept: {kept:?}");
}

/// Issue 11: a file with entries that cannot be read imports nothing and
/// says which, unless --partial accepts the rest; a bare secret is kept.
#[test]
fn issue_11_partial_imports_are_not_silent() {
    let env = Env::new("partial");
    env.ok(&["init"]);
    let file = env.sandbox.file(
        "bitwarden.json",
        br#"{"encrypted": false, "items": [
            {"name": "Good", "login": {"totp": "otpauth://totp/Good:a?secret=JBSWY3DPEHPK3PXP"}},
            {"name": "Broken", "login": {"totp": "otpauth://totp/Broken:b?secret=1"}},
            {"name": "Bare", "login": {"totp": "GEZDGNBVGY3TQOJQ"}}
        ]}"#,
    );
    let out = env.run(&["import", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("entry 2 (Broken): secret is not valid base32"), "{}", stderr(&out));
    assert!(stderr(&out).contains("--partial"), "{}", stderr(&out));
    assert_eq!(env.ok(&["list"]), "", "nothing added");

    assert_eq!(env.ok(&["import", "--partial", &file]), "added 2 accounts\n");
    let listed = env.ok(&["list"]);
    assert!(listed.contains("Good (a)") && listed.contains("Bare"), "{listed}");
}

/// Issue 23: entries of one file with the same key and parameters come in
/// once, and the CLI says which account they repeated.
#[test]
fn issue_23_repeats_inside_a_file_are_added_once_and_named() {
    let env = Env::new("repeats");
    env.ok(&["init"]);
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/fixtures/imports/uri_list/repeats.txt");
    let out = env.run(&["import", file]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "added 5 accounts\n");
    assert!(
        stderr(&out).contains("19 entries repeat Account 1 (me)'s key and were not added twice"),
        "{}",
        stderr(&out)
    );
}

/// Issue 11: an export never replaces the vault or its backup, nor any file
/// unless --force; a bare file name is written in the current directory.
#[test]
fn issue_11_exports_never_clobber() {
    let env = Env::new("clobber");
    env.ok(&["init"]);
    env.ok(&["add", &format!("otpauth://totp/GitHub:alice?secret={SECRET}")]);
    env.ok(&["add", "otpauth://totp/Bank:alice?secret=JBSWY3DPEHPK3PXP"]);
    let pass = env.passphrase_file();
    let vault = twofold_core::vault::path_in(&env.data_dir());
    let before = std::fs::read(&vault).expect("vault");
    for target in [vault.clone(), twofold_core::vault::previous_path(&vault)] {
        let target = target.to_string_lossy().into_owned();
        for extra in [&[][..], &["--force"][..]] {
            let args = [&["export", "--out", &target, "--passphrase-file", &pass][..], extra].concat();
            let out = env.run(&args);
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            assert!(stderr(&out).contains("never replaces them"), "{}", stderr(&out));
        }
    }
    assert_eq!(std::fs::read(&vault).expect("vault"), before, "the vault is untouched");

    // A bare file name, from another directory: written there, verified, exit 0.
    let mut command = env.command(&["export", "--out", "b.json", "--passphrase-file", &pass]);
    let out = command.current_dir(env.root()).output().expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(env.root().join("b.json").exists());
    // Once there, it is not replaced without --force.
    let again = env
        .command(&["export", "--out", "b.json", "--passphrase-file", &pass])
        .current_dir(env.root())
        .output()
        .expect("runs");
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));
    assert!(stderr(&again).contains("already exists"), "{}", stderr(&again));
    let forced = env
        .command(&["export", "--out", "b.json", "--passphrase-file", &pass, "--force"])
        .current_dir(env.root())
        .output()
        .expect("runs");
    assert!(forced.status.success(), "{}", stderr(&forced));
}

/// Issue 12: the secret need not be on the command line (where every user's
/// process list and the shell history see it); names cannot drive the
/// terminal; an unknown type is refused without echoing the link.
#[test]
fn issue_12_secrets_stay_off_the_command_line_and_names_stay_inert() {
    use std::io::Write;
    let env = Env::new("stdin-add");
    env.ok(&["init"]);
    let mut child = env
        .command(&["add"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("otpauth://totp/Evil%1B%5B2J:me?secret={SECRET}\n").as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "no warning when the link comes on standard input");
    let listed = env.ok(&["list"]);
    assert!(!listed.contains('\u{1b}'), "no escape sequence reaches the terminal: {listed:?}");
    assert!(listed.contains("Evil\u{fffd}[2J (me)"), "{listed:?}");

    let out = env.run(&["add", "otpauth://totp/Other:me?secret=JBSWY3DPEHPK3PXP"]);
    assert!(out.status.success());
    assert!(stderr(&out).contains("visible in process lists"), "{}", stderr(&out));

    let out = env.run(&["code", "--uri", &format!("otpauth://{SECRET}/x?secret=JBSWY3DPEHPK3PXP")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains(&SECRET[..6]), "{}", stderr(&out));
}

/// Issue 12: a passphrase may come through a pipe (`<(pass show …)`), but
/// an endless one is cut off with an error instead of being read forever.
#[test]
fn issue_12_passphrase_pipes_work_and_endless_ones_are_cut_off() {
    let env = Env::new("pipes");
    env.ok(&["init"]);
    env.ok(&["add", &format!("otpauth://totp/GitHub:alice?secret={SECRET}")]);
    let out = env.root().join("bundle.json");
    let script = format!(
        "{CLI} export --out '{}' --passphrase-file <(printf 'a long enough passphrase')",
        out.display()
    );
    let piped =
        Command::new("bash").arg("-c").arg(&script).envs(env.sandbox.env()).output().expect("bash runs");
    assert!(piped.status.success(), "{}", stderr(&piped));
    let endless = env.run(&["verify", &out.to_string_lossy(), "--passphrase-file", "/dev/zero"]);
    assert_eq!(endless.status.code(), Some(2));
    assert!(stderr(&endless).contains("more than 64 KiB"), "{}", stderr(&endless));
}

const MAIL_URI: &str = "otpauth://totp/Mailbox:me?secret=MFRGGZDFMZTWQ2LK&issuer=Mailbox";
const BANK_URI: &str = "otpauth://totp/Bank:me?secret=KRSXG5CTMVRXEZLU&issuer=Bank";

/// `backups list --json`: (id, accounts) of each restore point, oldest first.
fn restore_points(env: &Env, extra: &[&str]) -> Vec<(String, u64)> {
    let mut args = vec!["backups", "list", "--json"];
    args.extend_from_slice(extra);
    let list: serde_json::Value = serde_json::from_str(&env.ok(&args)).expect("JSON");
    list.as_array()
        .expect("an array")
        .iter()
        .map(|p| {
            assert!(p["time"].as_u64().is_some(), "{p}");
            (p["id"].as_str().expect("id").to_owned(), p["accounts"].as_u64().expect("accounts"))
        })
        .collect()
}

/// Issue 15: with backups on, every change made through the CLI is backed
/// up before the command exits, and a deleted account comes back from a
/// restore point, once.
#[test]
fn issue_15_every_change_is_backed_up_and_a_deleted_account_comes_back() {
    let env = Env::new("backups");
    let folder = env.root().join("Twofold Backups");
    let pass = env.sandbox.file("backup-pass", b"the backup passphrase\n");
    let out = env.run_with_input(&["add"], MAIL_URI);
    assert!(out.status.success(), "{}", stderr(&out));
    env.ok(&["backups", "enable", "--folder", folder.to_str().expect("utf-8"), "--passphrase-file", &pass]);
    assert_eq!(restore_points(&env, &[]).last().map(|p| p.1), Some(1));
    std::thread::sleep(std::time::Duration::from_millis(1100)); // a restore point per second
    assert!(env.run_with_input(&["add"], BANK_URI).status.success());
    let with_both = restore_points(&env, &[]).last().cloned().expect("a point");
    assert_eq!(with_both.1, 2, "the add was backed up");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    env.ok(&["remove", "Mailbox"]);
    assert_eq!(restore_points(&env, &[]).last().map(|p| p.1), Some(1), "the removal too");
    assert!(env.ok(&["backups", "status"]).contains("last backup: twofold-backup-"));

    let restored = env.ok(&["backups", "restore", &with_both.0]);
    assert!(restored.contains("restored Mailbox (me)"), "{restored}");
    assert!(restored.contains("skipped Bank (me)"), "nothing duplicated: {restored}");
    assert!(env.ok(&["list"]).contains("Mailbox (me)"));
    // The backups hold no secret in the clear.
    for entry in std::fs::read_dir(&folder).expect("folder").flatten() {
        let text = String::from_utf8_lossy(&std::fs::read(entry.path()).expect("read")).into_owned();
        assert!(!text.contains("MFRGGZDFMZTWQ2LK") && text.contains("\"slots\""));
    }
}

/// Issue 15: a new machine (its own data directory and keychain) gets every
/// account back from the backup folder with the passphrase alone.
#[test]
fn issue_15_a_new_machine_restores_from_the_folder_with_the_passphrase() {
    let old = Env::new("backups-old");
    let folder = old.root().join("Synced");
    let pass = old.sandbox.file("backup-pass", b"the backup passphrase\n");
    assert!(old.run_with_input(&["add"], MAIL_URI).status.success());
    assert!(old.run_with_input(&["add"], BANK_URI).status.success());
    old.ok(&["backups", "enable", "--folder", folder.to_str().expect("utf-8"), "--passphrase-file", &pass]);

    let new = Env::new("backups-new");
    let elsewhere = ["--folder", folder.to_str().expect("utf-8"), "--passphrase-file", &pass];
    assert_eq!(restore_points(&new, &elsewhere).last().map(|p| p.1), Some(2));
    let wrong = new.sandbox.file("wrong", b"not the backup passphrase\n");
    let out = new.run(&[
        "backups",
        "restore",
        "latest",
        "--folder",
        folder.to_str().expect("utf-8"),
        "--passphrase-file",
        &wrong,
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!new.data_dir().join("vault.twofold").exists(), "a wrong passphrase creates nothing");
    let mut args = vec!["backups", "restore", "latest", "--only", "bank"];
    args.extend_from_slice(&elsewhere);
    assert!(new.ok(&args).contains("restored Bank (me)"));
    let mut args = vec!["backups", "restore", "latest"];
    args.extend_from_slice(&elsewhere);
    assert!(new.ok(&args).contains("restored Mailbox (me)"));
    let listed = new.ok(&["list"]);
    assert!(listed.contains("Bank (me)") && listed.contains("Mailbox (me)"), "{listed}");
}

/// Issue 15: a backup folder that vanished (an unmounted drive) is said at
/// once, the change is kept, and backups resume when it returns.
#[test]
fn issue_15_a_vanished_folder_is_reported_and_backups_resume() {
    let env = Env::new("backups-gone");
    let folder = env.root().join("USB");
    let pass = env.sandbox.file("backup-pass", b"the backup passphrase\n");
    env.ok(&["backups", "enable", "--folder", folder.to_str().expect("utf-8"), "--passphrase-file", &pass]);
    let away = env.root().join("unplugged");
    std::fs::rename(&folder, &away).expect("unplug");
    let out = env.run_with_input(&["add"], MAIL_URI);
    assert!(out.status.success(), "the change itself is saved");
    assert!(
        stderr(&out).contains("no backup was written: the backup folder")
            && stderr(&out).contains("is missing"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.run(&["backups", "status"]).status.code(), Some(1));
    let check = env.run(&["check"]);
    assert_eq!(check.status.code(), Some(1));
    let said = String::from_utf8_lossy(&check.stdout).into_owned();
    assert!(said.contains("Automatic backups are failing: the backup folder"), "{said}");
    std::fs::rename(&away, &folder).expect("plug back in");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let out = env.run_with_input(&["add"], BANK_URI);
    assert!(out.status.success() && stderr(&out).is_empty(), "{}", stderr(&out));
    assert_eq!(restore_points(&env, &[]).last().map(|p| p.1), Some(2));
}

/// Runs `twofold-cli args` (with `input` on stdin) in a mount namespace of
/// its own, after `setup` (a shell command, `$F` is `folder`) changed what
/// is mounted there: the test's mounts never reach the machine.
fn run_in_mounts(env: &Env, folder: &Path, setup: &str, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let script = format!("set -e; {setup}; exec \"$0\" \"$@\"");
    let mut child = Command::new("unshare")
        .args(["--mount", "--propagation", "private", "sh", "-c", &script, CLI])
        .args(args)
        .envs(env.sandbox.env())
        .env("F", folder)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("unshare starts (util-linux; tests run as root)");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
    child.wait_with_output().expect("twofold-cli runs")
}

/// Issue 15: a read-only folder and a full disk are said, by the change
/// that could not be backed up and by `check`; the change itself is kept,
/// and nothing is left behind in the folder.
#[test]
fn issue_15_a_read_only_or_full_folder_is_reported_and_the_change_kept() {
    let env = Env::new("backups-unwritable");
    let folder = env.root().join("Backups");
    let pass = env.sandbox.file("backup-pass", b"the backup passphrase\n");
    env.ok(&["backups", "enable", "--folder", folder.to_str().expect("utf-8"), "--passphrase-file", &pass]);
    let before: Vec<_> =
        std::fs::read_dir(&folder).expect("folder").flatten().map(|e| e.file_name()).collect();

    let read_only = "mount --bind \"$F\" \"$F\"; mount -o remount,bind,ro \"$F\"";
    // A tiny disk, filled up: an empty file still fits, its bytes do not.
    let full =
        "mount -t tmpfs -o size=64k none \"$F\"; dd if=/dev/zero of=\"$F/fill\" bs=4k 2>/dev/null || true";
    for (setup, said, name) in
        [(read_only, "Read-only file system", "Mailbox"), (full, "No space left on device", "Bank")]
    {
        let uri = if name == "Mailbox" { MAIL_URI } else { BANK_URI };
        let out = run_in_mounts(&env, &folder, setup, &["add"], uri);
        assert!(out.status.success(), "the change itself is saved: {}", stderr(&out));
        assert!(
            stderr(&out).contains("no backup was written") && stderr(&out).contains(said),
            "{}",
            stderr(&out)
        );
        let check = run_in_mounts(&env, &folder, setup, &["check"], "");
        assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
        let report = String::from_utf8_lossy(&check.stdout).into_owned();
        assert!(
            report.contains("Automatic backups are failing: could not write a backup into")
                && report.contains(said),
            "{report}"
        );
        assert!(env.ok(&["list"]).contains(name), "the account was kept");
    }
    let after: Vec<_> =
        std::fs::read_dir(&folder).expect("folder").flatten().map(|e| e.file_name()).collect();
    assert_eq!(before, after, "the real folder holds only what it held");
    // Writable again: the next change is backed up with everything.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    env.ok(&["rename", "Bank", "--name", "you"]);
    assert_eq!(restore_points(&env, &[]).last().map(|p| p.1), Some(2));
}

/// Issue 15: a process killed at any moment of a change and its backup
/// leaves the vault and every earlier backup whole (each is written to a
/// temporary file and renamed into place).
#[test]
fn issue_15_a_killed_backup_leaves_the_vault_and_earlier_backups_whole() {
    let env = Env::new("backups-killed");
    let folder = env.root().join("Backups");
    let pass_text = "the backup passphrase";
    let pass = env.sandbox.file("backup-pass", format!("{pass_text}\n").as_bytes());
    env.ok(&["backups", "enable", "--folder", folder.to_str().expect("utf-8"), "--passphrase-file", &pass]);
    let import = env.sandbox.file("links.txt", bulk_links(400).as_bytes());
    env.ok(&["import", &import]);
    for delay_ms in [1u64, 3, 8, 15, 30, 60, 120] {
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let mut child = env
            .command(&["rename", "Bulk0", "--name", &format!("killed after {delay_ms} ms")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starts");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let listed = env.ok(&["list"]);
        assert_eq!(listed.lines().count(), 400, "the vault opens whole after a kill at {delay_ms} ms");
        for entry in std::fs::read_dir(&folder).expect("folder").flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("twofold-backup-") && name.ends_with(".json") {
                let bytes = std::fs::read(entry.path()).expect("read");
                let opened = twofold_core::transfer::open(&bytes, pass_text);
                assert!(opened.is_ok(), "{name} is whole after a kill at {delay_ms} ms");
            }
        }
    }
}

/// Distinct otpauth links (each its own secret), one per line.
fn bulk_links(count: u32) -> String {
    (0..count)
        .map(|i| {
            let secret = data_encoding::BASE32_NOPAD.encode(&i.to_be_bytes().repeat(5));
            format!("otpauth://totp/Bulk{i}:me?secret={secret}&issuer=Bulk{i}\n")
        })
        .collect()
}

/// Issue 15: retention is configurable; with nothing kept but the newest,
/// each backup replaces the last.
#[test]
fn issue_15_retention_is_configurable() {
    let env = Env::new("backups-keep");
    let folder = env.root().join("Backups");
    let pass = env.sandbox.file("backup-pass", b"the backup passphrase\n");
    assert!(env.run_with_input(&["add"], MAIL_URI).status.success());
    env.ok(&["backups", "enable", "--folder", folder.to_str().expect("utf-8"), "--passphrase-file", &pass]);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert!(env.run_with_input(&["add"], BANK_URI).status.success());
    assert_eq!(restore_points(&env, &[]).len(), 2, "the default keeps the last day's");
    let said =
        env.ok(&["backups", "keep", "--hours", "0", "--days", "0", "--months", "0", "--deleted-days", "0"]);
    assert!(said.starts_with("keeping every backup of 0 hours"), "{said}");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    env.ok(&["rename", "Bank", "--name", "you"]);
    let points = restore_points(&env, &[]);
    assert_eq!(points.len(), 1, "{points:?}");
    assert_eq!(points[0].1, 2);

    // A period too long to count is refused and changes nothing (it once
    // overflowed in the next backup's thinning).
    let out = env.run(&["backups", "keep", "--hours", "18446744073709551615"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("backups can be kept for at most 8784 hours"), "{said}");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    env.ok(&["rename", "Bank", "--name", "them"]);
    assert_eq!(restore_points(&env, &[]).len(), 1, "still keeping only the newest");
}

/// Every command that saves a change writes one restore point before it
/// exits, as the window backs up after every save (`Vault::saves`), and
/// commands that only read write none. `backups keep`, `export` and
/// `verify` once wrote none, so a shorter retention waited for the next
/// change to be applied.
#[test]
fn every_saving_command_writes_one_restore_point() {
    let env = Env::new("backups-every");
    let folder = env.root().join("Backups");
    let folder = folder.to_str().expect("utf-8");
    let pass = env.sandbox.file("backup-pass", b"the backup passphrase\n");
    let bundle_pass = env.passphrase_file();
    let bundle = env.root().join("bundle.json");
    let bundle = bundle.to_str().expect("utf-8");
    let codes = env.sandbox.file("codes.txt", b"bd1a3-7c0fe\n0f5c2-a9e81\n");
    let links = env.sandbox.file("links.txt", bulk_links(1).as_bytes());
    const COUNTER_URI: &str = "otpauth://hotp/Counter:me?secret=GEZDGNBVGY3TQOJQ&issuer=Counter&counter=0";
    assert!(env.run_with_input(&["add"], MAIL_URI).status.success());
    env.ok(&["backups", "enable", "--folder", folder, "--passphrase-file", &pass]);
    // Filled in when the loop reaches it: the point written before `remove`.
    const THE_POINT_BEFORE_REMOVE: &str = "";
    let mut before_remove = String::new();

    let saving: Vec<(Vec<&str>, &str)> = vec![
        (vec!["add"], BANK_URI),
        (vec!["add"], COUNTER_URI),
        (vec!["rename", "Bank", "--name", "you"], ""),
        (vec!["pin", "Bank"], ""),
        (vec!["tag", "Bank", "money"], ""),
        (vec!["next", "Counter"], ""),
        (vec!["recovery", "add", "Bank", "--file", &codes], ""),
        (vec!["recovery", "use", "Bank", "bd1a3-7c0fe"], ""),
        (vec!["import", &links], ""),
        (vec!["export", "--out", bundle, "--passphrase-file", &bundle_pass], ""),
        (vec!["verify", bundle, "--passphrase-file", &bundle_pass], ""),
        (vec!["remove", "Counter"], ""),
        (vec!["backups", "restore", THE_POINT_BEFORE_REMOVE], ""),
        (vec!["backups", "enable", "--folder", folder, "--passphrase-file", &pass], ""),
        (vec!["backups", "keep", "--hours", "48"], ""),
    ];
    for (args, input) in saving {
        std::thread::sleep(std::time::Duration::from_millis(1100)); // a restore point per second
        let before = restore_points(&env, &[]);
        if args[0] == "remove" {
            before_remove = before.last().expect("a point").0.clone();
        }
        let args: Vec<&str> =
            args.into_iter().map(|a| if a.is_empty() { before_remove.as_str() } else { a }).collect();
        let out = env.run_with_input(&args, input);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("no backup was written"), "{args:?}: {}", stderr(&out));
        let after = restore_points(&env, &[]);
        assert_eq!(after.len(), before.len() + 1, "{args:?} wrote one restore point: {after:?}");
    }
    assert_eq!(env.ok(&["list"]).lines().count(), 4, "Mailbox, Bank, Counter and Bulk0");

    std::thread::sleep(std::time::Duration::from_millis(1100));
    let before = restore_points(&env, &[]);
    for args in [
        &["list"][..],
        &["code", "Bank"],
        &["recovery", "list", "Bank"],
        &["check"],
        &["backups", "status"],
        &["export", "--format", "uri-list", "--out", &env.root().join("links-out.txt").to_string_lossy()],
    ] {
        env.run(args);
    }
    assert_eq!(restore_points(&env, &[]), before, "reading commands write no restore point");

    // A shorter retention is applied at once, not at the next change.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    env.ok(&["backups", "keep", "--hours", "0", "--days", "0", "--months", "0", "--deleted-days", "0"]);
    let points = restore_points(&env, &[]);
    assert_eq!(points.len(), 1, "only the newest is kept: {points:?}");
    assert_eq!(points[0].1, 4);
}

/// Issue 16: tags filter the list (`list --tag`, any case), and a pinned
/// account comes first; both are kept in the vault.
#[test]
fn issue_16_tags_filter_and_pins_come_first() {
    let env = Env::new("organise");
    assert!(env.run_with_input(&["add"], MAIL_URI).status.success());
    assert!(env.run_with_input(&["add"], BANK_URI).status.success());
    assert_eq!(env.ok(&["tag", "Bank", "Work", " money ", "work"]), "Bank (me): Work, money\n");
    let names = |args: &[&str]| -> Vec<String> {
        let listed: serde_json::Value = serde_json::from_str(&env.ok(args)).expect("json");
        listed
            .as_array()
            .expect("array")
            .iter()
            .map(|a| a["issuer"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(names(&["list", "--json", "--tag", "WORK"]), ["Bank"]);
    assert_eq!(names(&["list", "--json", "--tag", "home"]), Vec::<String>::new());
    assert_eq!(names(&["list", "--json"]), ["Mailbox", "Bank"]);
    assert_eq!(env.ok(&["pin", "Bank"]), "pinned Bank (me)\n");
    assert_eq!(names(&["list", "--json"]), ["Bank", "Mailbox"]);
    env.ok(&["pin", "Bank", "--off"]);
    assert_eq!(names(&["list", "--json"]), ["Mailbox", "Bank"]);
    env.ok(&["tag", "Bank"]);
    assert_eq!(names(&["list", "--json", "--tag", "work"]), Vec::<String>::new());
}

/// A Secret Service that is there but slow (a busy login, a loaded
/// machine) is not "no keychain": the client's calls time out after 2 s,
/// and before they were retried the CLI said "no usable keychain was
/// found". Here the keyring daemon is stopped for 3 s while the CLI reads
/// the vault key; the read succeeds once it answers.
#[cfg(target_os = "linux")]
#[test]
fn a_slow_keychain_is_waited_for_not_called_missing() {
    let bus = twofold_testkit::bus::PrivateBus::start();
    let env = Env::new("slowkeychain");
    let run = |args: &[&str]| {
        let mut command = Command::new(CLI);
        command.args(args).envs(bus.env(env.sandbox.env())).stdin(Stdio::null());
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
        command
    };
    let added = run(&["add"]).stdin(Stdio::piped()).spawn().expect("starts");
    let out = {
        use std::io::Write;
        let mut child = added;
        let uri = format!("otpauth://totp/Slow:me?secret={SECRET}&issuer=Slow");
        child.stdin.take().expect("stdin").write_all(uri.as_bytes()).expect("uri");
        child.wait_with_output().expect("runs")
    };
    assert!(out.status.success(), "add: {}", stderr(&out));

    let pid = bus.keyring_pid().to_string();
    let signal = |name: &str| {
        let status = Command::new("kill").args([name, &pid]).status().expect("kill runs");
        assert!(status.success(), "kill {name} {pid}");
    };
    signal("-STOP");
    let list = run(&["list"]).spawn().expect("starts");
    // The stimulus, not a wait for a state: the daemon stays stopped for
    // longer than one D-Bus call may take (2 s), so the first call times out.
    std::thread::sleep(std::time::Duration::from_secs(3));
    signal("-CONT");
    let out = list.wait_with_output().expect("runs");
    assert!(out.status.success(), "list with a slow keychain: {}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Slow"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Issue 22 (F13): a crafted bundle's recovery "code" and a crafted QR code
/// used to reach the terminal raw (a title change, an OSC 52 clipboard
/// write). Codes that are no codes are left out on import, any control
/// character the CLI prints is shown as U+FFFD.
#[test]
fn issue_22_recovery_codes_and_revealed_text_cannot_drive_the_terminal() {
    use twofold_core::account::RecoveryCode;
    use twofold_core::transfer::{export_plain, PlainFormat};
    const ESCAPE: &str = "\u{1b}]0;pwned\u{7}";
    let env = Env::new("inert-codes");
    let pass = env.passphrase_file();
    let v = ["--vault-passphrase-file", pass.as_str()];
    let uri = format!("otpauth://totp/GitHub:alice?secret={SECRET}&issuer=GitHub");
    let mut account =
        twofold_core::Account::from_uri(twofold_core::OtpauthUri::parse(&uri).expect("a valid link"), 0);
    account.recovery_codes =
        [ESCAPE, "bd1a3-7c0fe"].map(|code| RecoveryCode { code: code.to_owned(), used_at: None }).to_vec();
    let file =
        env.sandbox.file("crafted.json", &export_plain(&[account], PlainFormat::Aegis).expect("export"));
    env.ok(&[&v[..], &["import", &file]].concat());
    assert_eq!(env.ok(&[&v[..], &["recovery", "list", "github"]].concat()), "bd1a3-7c0fe\n", "only the code");

    // A vault that holds one anyway (written before this check) prints it inert.
    let path = twofold_core::vault::path_in(&env.data_dir());
    let keychain = twofold_core::Keychain::new("twofold-cli-test-unused");
    let mut vault = twofold_core::vault::open_if_any(&path, &keychain, Some("a passphrase for tests"))
        .expect("opens")
        .expect("a vault");
    let id = vault.accounts()[0].id;
    vault.set_recovery_codes(id, vec![format!("{ESCAPE}1234")], 1).expect("saved");
    let listed = env.ok(&[&v[..], &["recovery", "list", "github"]].concat());
    assert_eq!(listed, "\u{fffd}]0;pwned\u{fffd}1234\n");

    let image = qr_png(&env, "crafted.png", &format!("{ESCAPE}{uri}"));
    let revealed = env.ok(&["scan", "--reveal", &image]);
    assert_eq!(revealed, format!("\u{fffd}]0;pwned\u{fffd}{uri}\n"), "raw, but inert");
}

/// Issue 22 (F13): `code --uri` and `recovery use` took their secret in
/// argv only, where `ps` and the shell history see it. Both read standard
/// input now, as `add` does; the argument form still works, with a warning.
#[test]
fn issue_22_code_uri_and_recovery_use_read_standard_input() {
    let env = Env::new("stdin-secrets");
    let uri = format!("otpauth://totp/x?secret={SECRET}&digits=8\n");
    for args in [&["code", "--uri", "--at", "59"][..], &["code", "--at", "59", "--uri", "-"]] {
        let out = env.run_with_input(args, &uri);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert_eq!(String::from_utf8_lossy(&out.stdout), "94287082\n", "{args:?}");
        assert_eq!(stderr(&out), "", "no warning when the link comes on standard input");
    }
    let out = env.run(&["code", "--uri", uri.trim(), "--at", "59"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "94287082\n");
    assert!(stderr(&out).contains("visible in process lists"), "{}", stderr(&out));
    assert!(!env.data_dir().exists(), "no vault was created or read");

    let pass = env.passphrase_file();
    let v = ["--vault-passphrase-file", pass.as_str()];
    env.ok(
        &[&v[..], &["add", &format!("otpauth://totp/GitHub:alice?secret={SECRET}&issuer=GitHub")]].concat()
    );
    let codes = env.sandbox.file("codes.txt", b"bd1a3-7c0fe\n0f5c2-a9e81\n");
    env.ok(&[&v[..], &["recovery", "add", "github", "--file", &codes]].concat());
    let use_code = [&v[..], &["recovery", "use", "github"]].concat();
    let out = env.run_with_input(&use_code, "BD1A3-7C0FE\n");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "marked used; 1 recovery code left for GitHub (alice)\n"
    );
    assert_eq!(stderr(&out), "");
    let out = env.run(&[&use_code[..], &["0f5c2-a9e81"]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("visible in process lists"), "{}", stderr(&out));
    assert_eq!(
        env.ok(&[&v[..], &["recovery", "list", "github"]].concat()),
        "bd1a3-7c0fe  (used)\n0f5c2-a9e81  (used)\n"
    );
}

/// Issue 22 (item 10): the vault file is there but its key left the
/// keychain (a new keyring). Restoring from the backups used to fail with
/// "the vault key is missing from the keychain"; the error now names the
/// way back, and `--start-over` takes it: a new vault with every account
/// of the newest backup, the old files kept aside.
#[test]
fn issue_22_a_lost_vault_key_starts_over_from_the_backups() {
    use twofold_core::vault::keychain::Item;
    let env = Env::new("start-over");
    let folder = env.root().join("Backups");
    let folder_arg = folder.to_str().expect("utf-8");
    let pass = env.sandbox.file("backup-pass", b"the backup passphrase\n");
    assert!(env.run_with_input(&["add"], MAIL_URI).status.success());
    assert!(env.run_with_input(&["add"], BANK_URI).status.success());
    env.ok(&["backups", "enable", "--folder", folder_arg, "--passphrase-file", &pass]);
    let path = twofold_core::vault::path_in(&env.data_dir());
    let keychain = twofold_core::Keychain::new(env.sandbox.service());
    let vault = twofold_core::vault::open_if_any(&path, &keychain, None).expect("opens").expect("a vault");
    keychain.delete(Item::VaultKey, vault.id()).expect("the keychain forgets the vault key");
    keychain.delete(Item::BackupKey, vault.id()).expect("and the backup key");
    drop(vault);
    let old = std::fs::read(&path).expect("the old vault file");

    let restore = ["backups", "restore", "latest", "--folder", folder_arg, "--passphrase-file", &pass];
    let out = env.run(&restore);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("the vault key is missing from the keychain"), "{}", stderr(&out));
    assert!(stderr(&out).contains("--start-over"), "the way back is named: {}", stderr(&out));

    let wrong = env.sandbox.file("wrong", b"not the backup passphrase\n");
    let out = env.run(&[
        "backups",
        "restore",
        "latest",
        "--folder",
        folder_arg,
        "--passphrase-file",
        &wrong,
        "--start-over",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(std::fs::read(&path).expect("still there"), old, "a wrong passphrase changes nothing");

    let said = env.ok(&[&restore[..], &["--start-over"]].concat());
    assert!(
        said.starts_with(
            "the vault could not be opened (the vault key is missing from the keychain): a new vault now holds the 2 accounts of twofold-backup-"
        ),
        "{said}"
    );
    assert!(said.contains(&format!("backups continue into {folder_arg}\n")), "{said}");
    let aside = said
        .lines()
        .filter_map(|l| l.strip_prefix("kept aside, not deleted: "))
        .find(|p| !p.contains(".bak."))
        .expect("the old vault file is named");
    assert_eq!(std::fs::read(aside).expect("kept"), old, "the old vault is kept aside as it was");
    let listed = env.ok(&["list"]);
    assert!(listed.contains("Mailbox (me)") && listed.contains("Bank (me)"), "{listed}");
    assert!(env.ok(&["backups", "status"]).contains(&format!("folder: {folder_arg}")), "backups go on");

    let out = env.run(&[&restore[..], &["--start-over"]].concat());
    assert_eq!(out.status.code(), Some(1), "a vault that opens is never started over");
    assert!(stderr(&out).contains("the vault opens, so it was left as it is"), "{}", stderr(&out));
}

/// Issue 23: a Steam Desktop Authenticator folder comes in from its
/// manifest: the maFiles it lists are read from beside it, with the
/// passphrase when they are encrypted.
#[test]
fn issue_23_a_steam_manifest_brings_its_mafiles() {
    let env = Env::new("steam");
    env.ok(&["init"]);
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/fixtures/imports/steam");
    let out = env.run(&["import", &format!("{fixtures}/sda_plain/manifest.json")]);
    // The fixture's folder lists one maFile that is missing: named, so --partial.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("--partial"), "{}", stderr(&out));
    let out = env.run(&["import", "--partial", &format!("{fixtures}/sda_plain/manifest.json")]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "added 2 accounts\n", "{}", stderr(&out));
    let listed = env.ok(&["list"]);
    assert_eq!(listed.lines().count(), 2, "{listed}");

    // The same accounts, encrypted, into a vault of their own.
    let env = Env::new("steam-encrypted");
    env.ok(&["init"]);
    let encrypted = format!("{fixtures}/sda_encrypted/manifest.json");
    let out = env.run(&["import", &encrypted]);
    assert!(stderr(&out).contains("--passphrase-file"), "{}", stderr(&out));
    let pass = env.sandbox.file("steam-pass", b"test");
    let out = env.run(&["import", "--partial", "--passphrase-file", &pass, &encrypted]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "added 2 accounts\n", "{}", stderr(&out));
}
