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

/// Issue 22 (F6): the page saves the time server, and Rust looks it up at
/// every start; a name the page chose would tell a DNS server when Twofold
/// runs. A server that is not a well-known public one is now asked about
/// in Rust's words, naming it; declining keeps the one saved.
#[test]
fn issue_22_a_time_server_the_page_names_is_asked_about() {
    let sandbox = sandbox("time-server");
    let mut env = sandbox.env();
    env.push(("TWOFOLD_TIME_SERVER", sntp::serve(Reply::Shifted(0.0))));
    let driver = Driver::start(Path::new(APP), &env);
    driver.find("[data-testid=empty-state]");
    const ASK: &str = "Use this time server?";
    let save = |server: &str| {
        driver.execute(&format!(
            "window.__twofoldCall = window.__TAURI__.core.invoke('save_clock_settings', {{settings: {{enabled: true, server: '{server}'}}}}).then((r) => r ? 'saved' : 'declined', (e) => e.code)"
        ));
    };
    let answered = |want: &str| {
        driver.wait_until(want, || {
            (driver.execute("return window.__twofoldCall").as_str() == Some(want)).then_some(())
        })
    };
    let saved_server = || {
        driver.execute("return window.__TAURI__.core.invoke('check_clock').then((s) => s.settings.server)")
    };

    save("attacker.example");
    sandbox.display.keys(ASK, &["Escape"]);
    answered("declined");
    assert_eq!(saved_server().as_str(), Some("pool.ntp.org"), "declining keeps the saved server");

    // A well-known one goes unasked; the person's own choice is saved once agreed.
    save("time.google.com");
    answered("saved");
    assert!(!sandbox.display.has_window(ASK), "no question for a well-known server");
    assert_eq!(saved_server().as_str(), Some("time.google.com"));
    save("ntp.my-home.example");
    sandbox.display.keys(ASK, &["alt+u"]);
    answered("saved");
    assert_eq!(saved_server().as_str(), Some("ntp.my-home.example"));
}
