//! The tray, quick search, starting at login, and what reaches them.

use super::*;

/// Issue 14: the tray. The icon registers with the desktop's tray (a
/// StatusNotifierWatcher on the session bus); its menu lists the pinned
/// accounts only, and clicking one copies its code. Closing the window
/// leaves Twofold in the tray (saying so once), "Open Twofold" brings it
/// back, and with the app lock on, "Lock" locks and the menu names no account.
#[test]
fn issue_14_the_tray_copies_pinned_codes_and_keeps_twofold_running() {
    let sandbox = sandbox_with_tray("tray");
    let host = sandbox.tray();
    let driver = Driver::start(Path::new(APP), &sandbox.env());
    driver.find("[data-testid=empty-state]");
    const PINNED: &str = "otpauth://totp/TrayBank:me?secret=GEZDGNBVGY3TQOJQ&issuer=TrayBank";
    add_uri(&driver, PINNED);
    add_uri(&driver, URI);
    driver.click(&driver.find_all("[data-testid=account-menu]")[0]);
    driver.click(&driver.find("[data-testid=account-pin]"));

    let menu = host.menu_with("TrayBank (me)");
    let labels: Vec<String> = menu.entries().into_iter().map(|e| e.label).collect();
    assert!(
        labels.contains(&"Open Twofold".to_owned()) && labels.contains(&"Quit Twofold".to_owned()),
        "{labels:?}"
    );
    assert!(!labels.iter().any(|l| l.contains("alice@example.com")), "only pinned accounts: {labels:?}");
    let now = mid_period();
    menu.click("TrayBank (me)");
    let want = OtpauthUri::parse(PINNED).expect("uri").otp.code_at(now).value;
    driver.wait_for("the pinned code on the clipboard", || clipboard_is(&sandbox.display, &want));

    // Closing the window keeps Twofold in the tray, and says so once.
    const NOTICE: &str = "Twofold is still running";
    // The window goes and the notice comes, in whichever order the display
    // shows them first.
    close_until(&driver, &sandbox.display, "the window hidden and the notice", || {
        sandbox.display.has_window(NOTICE) && !sandbox.display.has_window("Twofold")
    });
    sandbox.display.keys(NOTICE, &["Return"]);
    menu.click("Open Twofold");
    wait_window(&driver, &sandbox.display, "the window back", "Twofold", true);

    // With the app lock on, the tray locks it, and then names no account.
    turn_lock_on(&driver);
    driver.wait_for("a Lock entry", || {
        let entries = menu.entries();
        entries.iter().any(|e| e.label == "Lock").then_some(()).ok_or_else(|| format!("the menu {entries:?}"))
    });
    menu.click("Lock");
    driver.find("[data-testid=locked]");
    // The tray repaints on its own thread: waited for, as the page is.
    driver.wait_for("the menu locked, naming no account", || {
        let entries = menu.entries();
        let locked = !entries.iter().any(|e| e.label.contains("TrayBank"))
            && entries.iter().any(|e| e.label.starts_with("Locked") && !e.enabled);
        locked.then_some(()).ok_or_else(|| format!("the menu {entries:?}"))
    });

    // "Also lock when the window is put away in the tray".
    unlock(&driver, PIN);
    driver.find("[data-testid=account]");
    let changes = serde_json::json!({"changes": {"idle_seconds": 0, "lock_when_hidden": true, "privacy": {"hide_codes": false, "hide_from_capture": false}, "close_to_tray": true, "start_at_login": false}});
    assert_eq!(invoke(&driver, "save_preferences", changes), "ok");
    close_until(&driver, &sandbox.display, "the window put away", || !sandbox.display.has_window("Twofold"));
    menu.click("Open Twofold");
    driver.find("[data-testid=locked]");
    assert!(driver.find_all("[data-testid=account]").is_empty());
}

/// Issue 14: quick search from anywhere. The global shortcut (pressed on
/// the display, for no window in particular) opens a small window; typing
/// and Enter copy the match's code and put it away; Escape puts it away;
/// `twofold --quick`, for desktops without global shortcuts, opens it in
/// the running Twofold.
#[test]
fn issue_14_quick_search_by_global_shortcut_copies_and_hides() {
    let sandbox = sandbox("quick");
    let driver = Driver::start(Path::new(APP), &sandbox.env());
    driver.find("[data-testid=empty-state]");
    add_uri(&driver, URI);
    add_uri(&driver, MAIL_URI);
    const QUICK: &str = "Twofold quick search";

    sandbox.display.press(&["ctrl+alt+k"]);
    wait_window(&driver, &sandbox.display, "the quick search window", QUICK, true);
    // (WebKit's automation cannot be relied on to reach a window opened
    // later: the person's keys and the clipboard tell what happened.)
    let now = mid_period();
    sandbox.display.keys(QUICK, &["m", "a", "i", "l", "Return"]);
    let want = OtpauthUri::parse(MAIL_URI).expect("uri").otp.code_at(now).value;
    driver.wait_for("the match's code copied", || clipboard_is(&sandbox.display, &want));
    wait_window(&driver, &sandbox.display, "the window put away", QUICK, false);

    // Again, then Escape.
    sandbox.display.press(&["ctrl+alt+k"]);
    wait_window(&driver, &sandbox.display, "quick search again", QUICK, true);
    sandbox.display.keys(QUICK, &["Escape"]);
    wait_window(&driver, &sandbox.display, "put away by Escape", QUICK, false);

    // Another shortcut: a malformed one, and one another app holds, are
    // refused and the one in use keeps working.
    let set =
        |shortcut: &str| invoke(&driver, "set_quick_shortcut", serde_json::json!({ "shortcut": shortcut }));
    assert_eq!(set("Ctrl+Nothing"), "shortcut_taken");
    let other_app = sandbox.display.hold_shortcut('j');
    assert_eq!(set("Ctrl+Alt+J"), "shortcut_taken");
    PrivateDisplay::release_shortcut(other_app);
    assert_eq!(set("Ctrl+Alt+J"), "ok");
    sandbox.display.press(&["ctrl+alt+j"]);
    wait_window(&driver, &sandbox.display, "quick search by the new shortcut", QUICK, true);
    sandbox.display.keys(QUICK, &["Escape"]);
    wait_window(&driver, &sandbox.display, "put away", QUICK, false);

    // A second launch with --quick opens it in the running Twofold, and ends.
    let status =
        Command::new(APP).arg("--quick").envs(sandbox.env()).stderr(Stdio::null()).status().expect("runs");
    assert!(status.success());
    wait_window(&driver, &sandbox.display, "quick search from the command", QUICK, true);
}

/// Issue 14: "Start Twofold when you log in" writes the desktop's login
/// item, which starts Twofold hidden in the tray; the tray opens it.
#[test]
fn issue_14_start_at_login_hidden_in_the_tray() {
    let sandbox = sandbox_with_tray("login");
    let host = sandbox.tray();
    // The login item goes under $HOME/.config/autostart.
    let env = sandbox.env_with_home();
    let home = sandbox.root().join("home");
    {
        let driver = Driver::start(Path::new(APP), &env);
        driver.find("[data-testid=empty-state]");
        add_uri(&driver, "otpauth://totp/LoginBank:me?secret=GEZDGNBVGY3TQOJQ&issuer=LoginBank");
        driver.click(&driver.find("[data-testid=account-menu]"));
        driver.click(&driver.find("[data-testid=account-pin]"));
        driver.click(&driver.find("[data-testid=settings-button]"));
        driver.click(&driver.find("[data-testid=settings-login]"));
        driver.click(&driver.find("[data-testid=settings-save]"));
        driver.wait_until("the settings saved", || driver.find_all("dialog[open]").is_empty().then_some(()));
    }
    let items: Vec<_> =
        std::fs::read_dir(home.join(".config/autostart")).expect("an autostart folder").flatten().collect();
    assert_eq!(items.len(), 1, "one login item");
    let entry = std::fs::read_to_string(items[0].path()).expect("read");
    assert!(entry.contains(APP) && entry.contains("--hidden"), "{entry}");

    // As the desktop starts it at login: no window, a tray icon.
    let driver = Driver::start_with_args(Path::new(APP), &env, &["--hidden"]);
    let menu = host.menu_with("LoginBank (me)");
    // The page has drawn and asked to be shown; started hidden, nothing
    // else shows the window (no fallback runs), so it stays hidden.
    driver.wait_until("the page to ask to be shown", || {
        (driver.execute("return document.documentElement.dataset.shown").as_str() == Some("asked"))
            .then_some(())
    });
    assert!(!sandbox.display.has_window("Twofold"), "started hidden: {}", sandbox.display.visible_windows());
    menu.click("Open Twofold");
    driver.wait_until("the window opened from the tray", || {
        sandbox.display.has_window("Twofold").then_some(())
    });
    driver.find("[data-testid=account]");
}

/// Issue 21: one copy path and one "vault changed" signal. A code copied
/// from quick search or the tray counts as a use (the "recently used"
/// order shows it), and a pin made by the CLI reaches the tray as soon as
/// the window next reads the vault. Before, quick search and the tray
/// copied without noting a use, and only the window's own commands
/// refreshed the tray.
#[test]
fn issue_21_copies_from_quick_search_and_the_tray_count_and_cli_pins_reach_the_tray() {
    let desk = sandbox_with_tray("signal");
    let host = desk.tray();
    let driver = Driver::start(Path::new(APP), &desk.env());
    driver.find("[data-testid=empty-state]");
    add_uri(&driver, URI);
    add_uri(&driver, MAIL_URI);
    assert_eq!(invoke(&driver, "set_list_order", serde_json::json!({"order": "recent"})), "ok");
    driver.wait_for("the list in recent order, nothing used yet", || {
        let seen = issuers(&driver);
        (seen == ["Example", "Mailbox"]).then_some(()).ok_or_else(|| format!("{seen:?}"))
    });

    // Quick search copies Mailbox: it becomes the most recent.
    const QUICK: &str = "Twofold quick search";
    desk.display.press(&["ctrl+alt+k"]);
    wait_window(&driver, &desk.display, "the quick search window", QUICK, true);
    let now = mid_period();
    desk.display.keys(QUICK, &["m", "a", "i", "l", "Return"]);
    let want = OtpauthUri::parse(MAIL_URI).expect("uri").otp.code_at(now).value;
    driver.wait_for("the match's code copied", || clipboard_is(&desk.display, &want));
    driver.wait_for("Mailbox first, as used last", || {
        let seen = issuers(&driver);
        (seen == ["Mailbox", "Example"]).then_some(()).ok_or_else(|| format!("{seen:?}"))
    });

    // The CLI pins Example; the window's next read of the vault tells the tray.
    cli(&desk, &["pin", "alice"]);
    assert_eq!(invoke(&driver, "list_accounts", serde_json::json!({"tag": null})), "ok");
    let menu = host.menu_with("Example (alice@example.com)");

    // Copied from the tray: Example is now the one used last (unpinned
    // again by the CLI, so only the order places it).
    let now = mid_period();
    menu.click("Example (alice@example.com)");
    driver.wait_for("the tray's code copied", || clipboard_is(&desk.display, &expected_code(now)));
    cli(&desk, &["pin", "alice", "--off"]);
    assert_eq!(invoke(&driver, "list_accounts", serde_json::json!({"tag": null})), "ok");
    driver.wait_for("Example first, as used last", || {
        let seen = issuers(&driver);
        (seen == ["Example", "Mailbox"]).then_some(()).ok_or_else(|| format!("{seen:?}"))
    });
}

/// Issue 21: one language. The person picks Japanese in the page on an
/// English system; the tray then speaks Japanese too (before, the tray and
/// the notice followed the system's language whatever the page showed).
#[test]
fn issue_21_the_tray_speaks_the_pages_language() {
    let desk = sandbox_with_tray("language");
    let host = desk.tray();
    let driver = Driver::start(Path::new(APP), &desk.env());
    driver.find("[data-testid=empty-state]");
    host.menu_with("Open Twofold");
    driver.execute("localStorage.setItem('twofold.language', 'ja');");
    reload_page(&driver);
    driver.wait_until("the page in Japanese", || {
        (driver.execute("return document.documentElement.lang").as_str() == Some("ja")).then_some(())
    });
    let menu = host.menu_with("Twofold を開く");
    let labels: Vec<String> = menu.entries().into_iter().map(|e| e.label).collect();
    assert!(labels.contains(&"Twofold を終了".to_owned()), "{labels:?}");
}

/// Issue 22 (F15): one connection to the single-instance socket that says
/// nothing (any program of this user can make one) stopped every second
/// launch after it: `twofold --quick`, the Wayland shortcut, did nothing.
#[test]
fn issue_22_a_silent_connection_does_not_stop_second_launches() {
    let desk = sandbox("silent");
    let driver = Driver::start(Path::new(APP), &desk.env());
    driver.find("[data-testid=empty-state]");
    let _silent =
        std::os::unix::net::UnixStream::connect(desk.data_dir().join("window.sock")).expect("connect");
    let status =
        Command::new(APP).arg("--quick").envs(desk.env()).stderr(Stdio::null()).status().expect("runs");
    assert!(status.success());
    wait_window(&driver, &desk.display, "quick search from the command", "Twofold quick search", true);
}
