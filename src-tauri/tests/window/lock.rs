//! The app lock.

use super::*;

/// Issue 14: with the app lock on, idling locks the window; while locked the
/// page holds no code and no name, Rust answers no command that reads the
/// vault, and a code Twofold copied leaves the clipboard. Starting again
/// starts locked.
#[test]
fn issue_14_the_app_lock_hides_everything_and_idle_locks_it() {
    let sandbox = sandbox("applock");
    {
        let driver = Driver::start(Path::new(APP), &sandbox.env());
        driver.find("[data-testid=empty-state]");
        add_uri(&driver, URI);
        assert!(driver.find_all("[data-testid=lock-button]").iter().all(|b| !driver.displayed(b)));
        turn_lock_on(&driver);
        driver.find("[data-testid=lock-button]");
        // A test's idle time: two seconds, through the real command. Then at
        // once (the clock well inside a period), copy a code and leave the
        // window alone.
        let now = mid_period();
        let changes = serde_json::json!({"changes": {"idle_seconds": 2, "lock_when_hidden": false, "privacy": {"hide_codes": false, "hide_from_capture": false}, "close_to_tray": true, "start_at_login": false}});
        assert_eq!(invoke(&driver, "save_preferences", changes), "ok");
        driver.click(&driver.find("[data-testid=account]"));
        driver.wait_for("the code on the clipboard", || clipboard_is(&sandbox.display, &expected_code(now)));
        driver.find("[data-testid=locked]");
        driver.screenshot("24-locked");
        let page = driver
            .execute("return document.documentElement.outerHTML")
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            !page.contains("alice@example.com") && !page.contains(&expected_code(now)),
            "nothing shown survives"
        );
        assert!(driver.find_all("[data-testid=account]").is_empty());
        assert_eq!(sandbox.display.clipboard(), "", "the copied code left the clipboard");
        assert_eq!(invoke(&driver, "list_accounts", serde_json::json!({})), "app_locked");
        assert_eq!(
            invoke(&driver, "copy_code", serde_json::json!({"id": uuid_of_first(&sandbox)})),
            "app_locked"
        );

        unlock(&driver, "1357");
        driver.wait_until("the wrong passphrase said", || {
            (driver.dom_text("[data-testid=lock-error]") == "That is not the lock passphrase.").then_some(())
        });
        unlock(&driver, PIN);
        driver.wait_until("the account back", || {
            (driver.find_all("[data-testid=account]").len() == 1).then_some(())
        });
        // No idle locking now: the lock button locks at once.
        let changes = serde_json::json!({"changes": {"idle_seconds": 0, "lock_when_hidden": false, "privacy": {"hide_codes": false, "hide_from_capture": false}, "close_to_tray": true, "start_at_login": false}});
        assert_eq!(invoke(&driver, "save_preferences", changes), "ok");
        driver.click(&driver.find("[data-testid=lock-button]"));
        driver.find("[data-testid=locked]");
    }
    // A new start of Twofold starts locked.
    let driver = Driver::start(Path::new(APP), &sandbox.env());
    driver.find("[data-testid=locked]");
    assert!(driver.find_all("[data-testid=account]").is_empty());
    unlock(&driver, PIN);
    driver.wait_until("the account back", || {
        (driver.find_all("[data-testid=account]").len() == 1).then_some(())
    });

    // The screen saver starts (the signal KDE's and others' send on the
    // session bus; only this test's app has its lock on): Twofold locks.
    let status = Command::new("dbus-send")
        .args(["--session", "--type=signal", "/org/freedesktop/ScreenSaver"])
        .args(["org.freedesktop.ScreenSaver.ActiveChanged", "boolean:true"])
        .status()
        .expect("dbus-send runs");
    assert!(status.success());
    driver.find("[data-testid=locked]");
    assert!(driver.find_all("[data-testid=account]").is_empty());
}
