//! Never locked out: recovery codes and the clock check.

use super::*;

#[test]
fn recovery_codes_are_saved_and_marked_used() {
    let sandbox = sandbox("recovery");
    {
        let driver = Driver::start(Path::new(APP), &sandbox.env());
        driver.find("[data-testid=empty-state]");
        add_uri(&driver, URI);
        driver.click(&driver.find("[data-testid=account-menu]"));
        driver.click(&driver.find("[data-testid=account-details]"));
        driver.find("[data-testid=details-dialog]");
        assert!(driver.dom_text("[data-testid=recovery-status]").starts_with("No recovery codes saved"));
        // As pasted: WebDriver's keyboard does not type newlines.
        driver.find("[data-testid=recovery-text]");
        set_value(
            &driver,
            "recovery-text",
            "Example backup codes\n1. 1234 5678\n2. 2345 6789\n3. 3456 7890\n",
        );
        driver.click(&driver.find("[data-testid=recovery-save]"));
        driver.wait_until("three codes", || {
            (driver.dom_text("[data-testid=recovery-status]") == "3 of 3 recovery codes left.").then_some(())
        });
        driver.click(&driver.find("[data-testid=recovery-copy]"));
        driver.wait_for("the first code on the clipboard", || clipboard_is(&sandbox.display, "1234 5678"));
        driver.click(&driver.find("[data-testid=recovery-use]"));
        driver.wait_until("one marked used", || {
            (driver.dom_text("[data-testid=recovery-status]") == "2 of 3 recovery codes left.").then_some(())
        });
        driver.click(&driver.find("[data-testid=ways-sms]"));
        driver.send_keys(&driver.find("[data-testid=ways-sms-number]"), "+1 555 0100");
        driver.click(&driver.find("[data-testid=ways-save]"));
        // Saved once the dialog closes (it closes on Rust's answer); the
        // badge alone was already right before the save.
        driver.wait_until("the details saved", || {
            (!driver.displayed(&driver.find_present("[data-testid=details-dialog]"))).then_some(())
        });
        driver.wait_until("the badge", || {
            (driver.dom_text("[data-testid=account-badge]") == "2 backup codes").then_some(())
        });
        driver.screenshot("17-recovery-badge");
    }
    // After a restart, still there.
    let driver = Driver::start(Path::new(APP), &sandbox.env());
    driver.find("[data-testid=account]");
    assert_eq!(driver.dom_text("[data-testid=account-badge]"), "2 backup codes");
    driver.click(&driver.find("[data-testid=account-menu]"));
    driver.click(&driver.find("[data-testid=account-details]"));
    driver.wait_until("the saved state", || {
        (driver.dom_text("[data-testid=recovery-status]") == "2 of 3 recovery codes left.").then_some(())
    });
    assert_eq!(
        driver.property(&driver.find("[data-testid=ways-sms-number]"), "value").as_str(),
        Some("+1 555 0100")
    );
}

#[test]
fn a_fast_clock_is_shown_and_codes_can_be_corrected() {
    let sandbox = sandbox("clock");
    let mut env = sandbox.env();
    // A time server 47 s behind: this machine's clock is 47 s fast.
    env.push(("TWOFOLD_TIME_SERVER", sntp::serve(Reply::Shifted(-47.0))));
    let driver = Driver::start(Path::new(APP), &env);
    driver.find("[data-testid=empty-state]");
    let banner = driver.find("[data-testid=clock-banner]");
    assert_eq!(
        driver.dom_text("[data-testid=clock-text]"),
        "Your clock is 47 s fast — codes may be rejected."
    );
    add_uri(&driver, URI);
    driver.click(&driver.find("[data-testid=clock-fix]"));
    driver.wait_until("the correction", || {
        (driver.dom_text("[data-testid=clock-text]") == "Codes are corrected for a clock 47 s off.")
            .then_some(())
    });
    // The code shown is the one for the server's time, 47 s earlier.
    let now = loop {
        let now = unix_now();
        if (2..=26).contains(&((now - 47) % 30)) {
            break now;
        }
        std::thread::sleep(Duration::from_millis(250));
    };
    let want = expected_code(now - 47);
    driver.wait_until("the corrected code", || {
        (driver.dom_text("[data-testid=account-code]").replace(' ', "") == want).then_some(())
    });
    assert!(driver.displayed(&banner));
    driver.screenshot("18-clock-corrected");
}
