//! Moving to a new computer: bundles, QR codes for a phone, unencrypted exports.

use super::*;

/// Old machine: export a bundle and verify it; then a wrong passphrase.
/// New machine: import it into an empty vault and see the same codes.
#[test]
fn export_verify_then_import_on_a_fresh_vault() {
    let old = sandbox("export");
    let bundle = old.root().join("transfer.json");
    {
        // The file is chosen in GTK's own save dialog, opened by Rust.
        let display = &old.display;
        let driver = Driver::start(Path::new(APP), &old.env());
        driver.find("[data-testid=empty-state]");
        add_uri(&driver, URI);
        add_uri(&driver, URI_2);
        driver.click(&driver.find("[data-testid=transfer-button]"));
        let last = driver.find("[data-testid=last-verified]");
        assert_eq!(driver.text(&last), "No transfer bundle has been verified yet.");
        assert!(
            driver
                .find_all("[data-testid=transfer-dialog] input:not([type=password]):not([type=file])")
                .is_empty(),
            "the page has no path box"
        );
        driver.send_keys(&driver.find("[data-testid=transfer-passphrase]"), BUNDLE_PASS);
        driver.send_keys(&driver.find("[data-testid=transfer-passphrase-confirm]"), BUNDLE_PASS);
        driver.click(&driver.find("[data-testid=export-submit]"));
        display.choose_file("Save the transfer bundle", bundle.to_str().expect("path"));
        let result = driver.wait_until("the verification result", || {
            let text = driver.dom_text("[data-testid=transfer-result]");
            (!text.is_empty()).then_some(text)
        });
        assert_eq!(result, "All 2 accounts are in the bundle and their codes match.");
        driver.wait_until("the last verified date", || {
            let text = driver.dom_text("[data-testid=last-verified]");
            (text.starts_with("Last verified bundle:") && text.ends_with("(2 accounts)")).then_some(())
        });
        driver.screenshot("14-transfer-verified");

        // The bundle on disk decrypts (through the core here) to the same two accounts.
        let bytes = std::fs::read(&bundle).expect("bundle written");
        assert!(!String::from_utf8_lossy(&bytes).contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(twofold_core::transfer::open(&bytes, BUNDLE_PASS).expect("decrypts").len(), 2);

        set_value(&driver, "transfer-passphrase", "not the passphrase");
        driver.click(&driver.find("[data-testid=verify-submit]"));
        display.choose_file("Choose a transfer bundle to verify", bundle.to_str().expect("path"));
        driver.wait_until("the wrong passphrase message", || {
            (driver.dom_text("[data-testid=transfer-result]") == "Wrong passphrase.").then_some(())
        });
    }

    let new = sandbox("import");
    let driver = Driver::start(Path::new(APP), &new.env());
    driver.find("[data-testid=empty-state]");
    driver.click(&driver.find("[data-testid=transfer-button]"));
    driver.find("[data-testid=import-file]");
    driver.execute("document.querySelector('[data-testid=import-input]').hidden = false");
    driver.send_keys(&driver.find("[data-testid=import-input]"), bundle.to_str().expect("path"));
    driver.find("[data-testid=unlock-dialog]");
    wrong_then_right(&driver, "unlock-passphrase", "unlock-submit", "#unlock-error", BUNDLE_PASS);
    driver.wait_until("two accounts in the preview", || {
        (driver.find_all("[data-testid=preview-account]").len() == 2).then_some(())
    });
    confirm_preview_and_see_the_code(&driver, 2);
    let hotp = OtpauthUri::parse(URI_2).expect("uri").otp.code_at(0).value;
    let codes = driver.execute("return [...document.querySelectorAll('[data-testid=account-code]')].map(e => e.textContent.replace(/ /g, ''))");
    assert_eq!(codes[1].as_str(), Some(hotp.as_str()), "the HOTP counter travelled too");
    driver.screenshot("15-imported");
}

#[test]
fn qr_codes_for_a_phone_appear_only_after_confirmation() {
    let sandbox = sandbox("phone");
    // The confirmation is GTK's own message box, shown by Rust.
    let display = &sandbox.display;
    let driver = Driver::start(Path::new(APP), &sandbox.env());
    driver.find("[data-testid=empty-state]");
    add_uri(&driver, URI);
    add_uri(&driver, URI_2);
    let qr_shown = || driver.find_all("dialog[open][data-testid=qr-dialog]").len() == 1;
    const ASK: &str = "Show secrets on screen?";

    // One account's code: cancelling shows nothing; confirming shows it.
    driver.click(&driver.find("[data-testid=account-menu]"));
    driver.click(&driver.find("[data-testid=account-qr]"));
    display.keys(ASK, &["Escape"]);
    driver.wait_until("the question gone", || (!display.has_window(ASK)).then_some(()));
    std::thread::sleep(Duration::from_millis(500));
    assert!(!qr_shown(), "no secret on screen without confirmation");
    driver.click(&driver.find("[data-testid=account-menu]"));
    driver.click(&driver.find("[data-testid=account-qr]"));
    display.keys(ASK, &["alt+s"]);
    driver.wait_until("the account's code", || qr_shown().then_some(()));
    assert_eq!(driver.dom_text("[data-testid=qr-title]"), "Scan with your phone");
    let src = driver.execute("return document.querySelector('[data-testid=qr-image]').src");
    assert!(src.as_str().is_some_and(|s| s.starts_with("data:image/svg+xml")), "{src}");
    driver.click(&driver.find("[data-testid=qr-done]"));
    // The dialog's `close` event (which clears the code) is queued after the click.
    driver.wait_until("the code cleared once closed", || {
        let has_src =
            driver.execute("return document.querySelector('[data-testid=qr-image]').hasAttribute('src')");
        (has_src.as_bool() == Some(false)).then_some(())
    });

    // Every account as Google Authenticator migration codes.
    driver.click(&driver.find("[data-testid=transfer-button]"));
    driver.click(&driver.find(".more-ways summary"));
    driver.click(&driver.find("[data-testid=phone-export]"));
    display.keys(ASK, &["alt+s"]);
    driver.wait_until("the migration code", || qr_shown().then_some(()));
    assert_eq!(driver.dom_text("[data-testid=qr-title]"), "Code 1 of 1");
    assert_eq!(driver.dom_text("[data-testid=qr-accounts]"), "Example (alice@example.com), Bank (alice)");
    // What is on screen decodes, with Twofold's own decoder, to both accounts.
    let shot = std::fs::read(driver.screenshot("16-phone-export")).expect("screenshot");
    let scan = twofold_core::qr::scan_bytes(&shot, twofold_core::qr::Limits::default()).expect("png");
    let export =
        twofold_core::migration::Migration::parse(&scan.texts[0]).expect("a migration code on screen");
    let names: Vec<String> = export.accounts.iter().map(|a| format!("{}:{}", a.issuer, a.name)).collect();
    assert_eq!(names, ["Example:alice@example.com", "Bank:alice"]);
    assert_eq!(
        export.accounts[0].otp,
        OtpauthUri::parse(URI).expect("uri").otp,
        "the same secret and parameters"
    );
}

/// Issue 12: the page never names a path, and cannot skip the warning
/// before every secret is written unencrypted. A compromised page calling
/// the command itself, with a path of its choosing, still meets Rust's own
/// dialog; only the person's choice in GTK's save dialog decides the file.
#[test]
fn issue_12_an_unencrypted_export_is_confirmed_and_placed_by_rust() {
    let sandbox = sandbox("plain");
    let display = &sandbox.display;
    let driver = Driver::start(Path::new(APP), &sandbox.env());
    driver.find("[data-testid=empty-state]");
    add_uri(&driver, URI);
    const ASK: &str = "Write an unencrypted file?";

    // What a hostile script in the page could do: name its own target.
    let planted = sandbox.root().join("planted.json");
    driver.execute(&format!(
        "window.__TAURI__.core.invoke('export_plain', {{ lang: 'en', format: 'aegis', path: {} }}).catch(() => {{}})",
        serde_json::to_string(planted.to_str().expect("path")).expect("json")
    ));
    // Rust asks the person; declining writes nothing anywhere.
    display.keys(ASK, &["Escape"]);
    driver.wait_until("the question gone", || (!display.has_window(ASK)).then_some(()));
    std::thread::sleep(Duration::from_millis(500));
    let written = |dir: &Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .expect("dir")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("planted") || n.contains("UNENCRYPTED"))
            .collect()
    };
    assert!(written(sandbox.root()).is_empty(), "nothing written without the person's yes");

    // The person's own way: the button, the warning, then GTK's save dialog.
    driver.click(&driver.find("[data-testid=transfer-button]"));
    driver.click(&driver.find(".more-ways summary"));
    driver.click(&driver.find("[data-testid=plain-uris]"));
    display.keys(ASK, &["alt+w"]);
    let chosen = sandbox.root().join("for-keepass.txt");
    display.choose_file("Save the UNENCRYPTED export", chosen.to_str().expect("path"));
    let expected = sandbox.root().join("for-keepass-UNENCRYPTED.txt");
    driver.wait_until("the written file's name shown", || {
        driver.dom_text("[data-testid=transfer-result]").contains("for-keepass-UNENCRYPTED.txt").then_some(())
    });
    let text = std::fs::read_to_string(&expected).expect("the export, named UNENCRYPTED");
    let exported = OtpauthUri::parse(text.trim()).expect("one otpauth link");
    assert_eq!(exported.otp, OtpauthUri::parse(URI).expect("uri").otp, "the same secret and parameters");
    assert_eq!(written(sandbox.root()), ["for-keepass-UNENCRYPTED.txt"], "only the person's file");
}
