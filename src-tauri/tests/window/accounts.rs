//! The account list: codes, copying, search, rename and delete, the
//! language and theme, a thousand accounts, hidden codes, the keyboard.

use super::*;

#[test]
fn paste_a_uri_see_the_right_code_and_click_to_copy_it() {
    let sandbox = sandbox("paste");
    let driver = Driver::start(Path::new(APP), &sandbox.env());

    // First run: an empty vault and the empty state.
    let empty = driver.find("[data-testid=empty-state]");
    assert!(driver.text(&empty).contains("No accounts yet"));
    driver.screenshot("01-empty-state");
    assert_eq!(
        vault::protection_of(&vault_path(&sandbox)).expect("peek"),
        Some(vault::ProtectionKind::Keychain)
    );

    // Paste the URI into the add form with Ctrl+V, as a person would.
    sandbox.display.set_clipboard(URI);
    driver.click(&driver.find("[data-testid=add-button]"));
    let input = driver.find("[data-testid=uri-input]");
    driver.click(&input);
    driver.send_keys(&input, "\u{E009}v\u{E000}");
    assert_eq!(driver.property(&input, "value").as_str(), Some(URI), "the paste landed in the field");
    driver.click(&driver.find("[data-testid=add-submit]"));

    let row = driver.find("[data-testid=account]");
    assert_eq!(driver.dom_text("[data-testid=account-issuer]"), "Example");
    assert_eq!(driver.dom_text("[data-testid=account-name]"), "alice@example.com");

    // The displayed code is the one computed independently for this second.
    let now = mid_period();
    let shown = driver.wait_until("the code for the current period", || {
        let text = driver.dom_text("[data-testid=account-code]");
        let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        (digits == expected_code(now)).then_some(text)
    });
    assert_eq!(shown.len(), 7, "grouped for reading as `123 456`: {shown:?}");
    driver.screenshot("02-account-listed");

    // Clicking the account puts its code on the system clipboard.
    let now = mid_period();
    driver.click(&row);
    let copied = driver.wait_until("the code on the clipboard", || {
        let text = sandbox.display.clipboard();
        (text == expected_code(now) || text == expected_code(unix_now())).then_some(text)
    });
    assert_eq!(copied.len(), 6);
    // The toast follows the command's answer, a moment after the clipboard.
    driver.wait_for("the copy's toast", || {
        let said = driver.dom_text("[data-testid=toast]");
        said.starts_with("Copied — clears in 30 s").then_some(()).ok_or(said)
    });
    driver.screenshot("03-copied");

    // The account survived in the encrypted vault on disk.
    drop(driver);
    let bytes = std::fs::read(vault_path(&sandbox)).expect("vault file");
    assert!(!String::from_utf8_lossy(&bytes).contains("JBSWY3DPEHPK3PXP"), "no plaintext secret on disk");
}

#[test]
fn search_filters_and_enter_copies_the_first_match() {
    let sandbox = sandbox("search");
    let driver = Driver::start(Path::new(APP), &sandbox.env());
    driver.find("[data-testid=empty-state]");
    for (issuer, secret) in [("GitHub", "GEZDGNBVGY3TQOJQ"), ("Mailbox", "MFRGGZDFMZTWQ2LK")] {
        driver.click(&driver.find("[data-testid=add-button]"));
        driver.click(&driver.find("[data-testid=tab-manual]"));
        driver.send_keys(&driver.find("[data-testid=manual-issuer]"), issuer);
        driver.send_keys(&driver.find("[data-testid=manual-name]"), "me");
        driver.send_keys(&driver.find("[data-testid=manual-secret]"), secret);
        driver.click(&driver.find("[data-testid=add-submit]"));
        driver.wait_until("the dialog to close", || {
            (!driver.displayed(&driver.find_all("[data-testid=add-dialog]")[0])).then_some(())
        });
    }
    driver.wait_until("two accounts", || (driver.find_all("[data-testid=account]").len() == 2).then_some(()));

    // Typing anywhere goes to the search box.
    let body = driver.find("body");
    driver.send_keys(&body, "mail");
    driver.wait_until("the list to filter", || {
        (driver.find_all("[data-testid=account]").len() == 1).then_some(())
    });
    let search = driver.find("[data-testid=search]");
    assert_eq!(driver.property(&search, "value").as_str(), Some("mail"));
    assert_eq!(driver.dom_text("[data-testid=account-issuer]"), "Mailbox");

    let now = mid_period();
    driver.send_keys(&search, "\u{E007}");
    let want =
        OtpauthUri::parse("otpauth://totp/x?secret=MFRGGZDFMZTWQ2LK").expect("uri").otp.code_at(now).value;
    driver.wait_for("Enter to copy the first match", || clipboard_is(&sandbox.display, &want));
    driver.screenshot("04-search");

    // Full screen: the list stays readable instead of stretching edge to edge.
    driver.send_keys(&search, "\u{E00C}");
    driver.resize(1280, 800);
    driver.wait_until("the window to grow", || {
        (driver.execute("return window.innerWidth").as_u64().unwrap_or(0) >= 1200).then_some(())
    });
    let list_width =
        driver.execute("return document.querySelector('[data-testid=account-list]').offsetWidth");
    assert!(list_width.as_u64().is_some_and(|w| w <= 1200), "list width {list_width}");
    driver.screenshot("08-light-full-screen");
}

#[test]
fn delete_asks_first_and_rename_persists() {
    let sandbox = sandbox("delete");
    let driver = Driver::start(Path::new(APP), &sandbox.env());
    driver.find("[data-testid=empty-state]");
    driver.click(&driver.find("[data-testid=add-button]"));
    driver.send_keys(&driver.find("[data-testid=uri-input]"), URI);
    driver.click(&driver.find("[data-testid=add-submit]"));
    driver.find("[data-testid=account]");

    driver.click(&driver.find("[data-testid=account-menu]"));
    driver.click(&driver.find("[data-testid=account-rename]"));
    let issuer = driver.find("[data-testid=rename-issuer]");
    driver.execute("document.querySelector('[data-testid=rename-issuer]').value = ''");
    driver.send_keys(&issuer, "Example Corp");
    driver.click(&driver.find("[data-testid=rename-submit]"));
    driver.wait_until("the new name", || {
        (driver.dom_text("[data-testid=account-issuer]") == "Example Corp").then_some(())
    });

    // Cancel keeps the account; confirm deletes it.
    driver.click(&driver.find("[data-testid=account-menu]"));
    driver.click(&driver.find("[data-testid=account-delete]"));
    let dialog = driver.find("[data-testid=delete-dialog]");
    assert!(
        driver.text(&dialog).contains("Delete Example Corp (alice@example.com)?"),
        "{}",
        driver.text(&dialog)
    );
    driver.screenshot("05-delete-confirm");
    driver.click(&driver.find("[data-testid=delete-cancel]"));
    assert_eq!(driver.find_all("[data-testid=account]").len(), 1);
    driver.click(&driver.find("[data-testid=account-menu]"));
    driver.click(&driver.find("[data-testid=account-delete]"));
    driver.click(&driver.find("[data-testid=delete-confirm]"));
    driver.find("[data-testid=empty-state]");
}

#[test]
fn japanese_is_chosen_from_the_system_locale() {
    let sandbox = sandbox("ja");
    let mut env = sandbox.env();
    env.retain(|(k, _)| *k != "LANG");
    env.push(("LANG", "ja_JP.UTF-8".into()));
    env.push(("LANGUAGE", "ja".into()));
    let driver = Driver::start(Path::new(APP), &env);
    let empty = driver.find("[data-testid=empty-state]");
    let lang = driver.execute("return navigator.language");
    assert!(
        driver.text(&empty).contains("アカウントはまだありません"),
        "navigator.language={lang}: {}",
        driver.text(&empty)
    );
    driver.screenshot("07-japanese");
}

#[test]
fn dark_system_theme_is_followed() {
    let sandbox = sandbox("dark");
    let mut env = sandbox.env();
    env.push(("GTK_THEME", "Adwaita:dark".into()));
    let driver = Driver::start(Path::new(APP), &env);
    driver.find("[data-testid=empty-state]");
    assert_eq!(
        driver.execute("return matchMedia('(prefers-color-scheme: dark)').matches").as_bool(),
        Some(true)
    );
    driver.screenshot("09-dark-empty");
    driver.click(&driver.find("[data-testid=add-button]"));
    driver.send_keys(&driver.find("[data-testid=uri-input]"), URI);
    driver.click(&driver.find("[data-testid=add-submit]"));
    driver.find("[data-testid=account]");
    let background = driver.execute("return getComputedStyle(document.body).backgroundColor");
    assert_eq!(background.as_str(), Some("rgb(17, 19, 24)"), "the dark palette is applied");
    // A near-black brand (X) keeps its shape on the dark background: a ring.
    add_uri(&driver, "otpauth://totp/Twitter:me?secret=MFRGGZDFMZTWQ2LK&issuer=Twitter");
    let ring = driver.execute(
        "const a = document.querySelector('.avatar[data-icon=x]'); return a && getComputedStyle(a).boxShadow",
    );
    assert!(ring.as_str().is_some_and(|r| r.contains("0px 0px 0px 1px")), "{ring}");
    driver.screenshot("10-dark-account");
    driver.resize(1280, 800);
    driver.screenshot("11-dark-full-screen");
}

/// Codes flip at their period's boundary from what the page already has:
/// here Rust is made unable to answer `list_accounts` at all, and the 30 s
/// code still changes on time, the 60 s one only on its own boundary, and
/// the HOTP row never ticks.
#[test]
fn issue_10_codes_flip_at_the_boundary_without_asking_rust() {
    let sandbox = sandbox("boundary");
    let driver = Driver::start(Path::new(APP), &sandbox.env());
    driver.find("[data-testid=empty-state]");
    let minute = "otpauth://totp/Minute:m@example.com?secret=GEZDGNBVGY3TQOJQ&period=60";
    let counter = "otpauth://hotp/Counter:c@example.com?secret=MFRGGZDFMZTWQ2LK&counter=7";
    for uri in [URI, minute, counter] {
        add_uri(&driver, uri);
    }
    driver.wait_until("three rows", || (driver.find_all("[data-testid=account]").len() == 3).then_some(()));
    // From now on, a request for the list never returns.
    driver.execute(
        "window.__listCalls = 0;
         const invoke = window.__TAURI__.core.invoke;
         window.__TAURI__.core.invoke = (command, ...rest) => {
           if (command !== 'list_accounts') return invoke(command, ...rest);
           window.__listCalls += 1;
           return new Promise(() => {});
         };",
    );
    let code_of = |issuer: &str| {
        let script = format!(
            "const row = [...document.querySelectorAll('[data-testid=account]')]
               .find((r) => r.querySelector('[data-testid=account-issuer]').textContent === '{issuer}');
             return row.querySelector('[data-testid=account-code]').textContent.replace(/ /g, '') + '|' +
                    row.querySelector('.seconds').textContent + '|' + row.querySelector('.timer').hidden + '|' +
                    Math.floor(Date.now() / 1000);"
        );
        let text = driver.execute(&script).as_str().unwrap_or_default().to_owned();
        let parts: Vec<String> = text.split('|').map(str::to_owned).collect();
        (parts[0].clone(), parts[1].clone(), parts[2] == "true", parts[3].parse::<u64>().unwrap_or(0))
    };
    // The person is using the window (the pointer is over it), so the
    // countdowns show their seconds; parallel tests' windows may hold focus.
    driver.execute("document.documentElement.dispatchEvent(new MouseEvent('mouseenter'))");
    let hotp_before = code_of("Counter").0;
    // Watch across the next 30 s boundary.
    let boundary = (unix_now() / 30 + 1) * 30;
    let minute_otp = OtpauthUri::parse(minute).expect("valid").otp;
    while unix_now() < boundary + 2 {
        // What the page shows, with the second (its clock, this machine's)
        // at which it was read: a slow round trip cannot straddle a
        // boundary between reading and comparing.
        let (code, seconds, _, now) = code_of("Example");
        // Away from the boundary (the page flips on its own timer, which a
        // loaded machine may run a second or two late), the shown values
        // are exact.
        if (3..=28).contains(&(now % 30)) {
            assert_eq!(code, expected_code(now), "30 s code at {now}");
            // The countdown steps on a 1 s timer, which a loaded machine
            // may run a second or two late: what it shows is at most two
            // steps behind the clock (and a second ahead at an edge: the
            // page's clock is Rust's, a few milliseconds apart).
            let left: u64 = seconds.parse().expect("seconds");
            let exact = 30 - now % 30;
            assert!(
                (exact.saturating_sub(1)..=exact + 2).contains(&left),
                "{left} s left at {now} ({exact} s in fact)"
            );
        }
        let (code, _, _, now) = code_of("Minute");
        if (3..=58).contains(&(now % 60)) {
            assert_eq!(code, minute_otp.code_at(now).value, "60 s code at {now}");
        }
        std::thread::sleep(Duration::from_millis(400));
    }
    driver.wait_for("the 30 s code flipped with no answer from Rust", || {
        let (code, _, _, now) = code_of("Example");
        (code == expected_code(now)).then_some(()).ok_or(format!("{code} at {now}"))
    });
    let (hotp, _, timer_hidden, _) = code_of("Counter");
    assert_eq!(hotp, hotp_before, "HOTP codes never tick");
    assert!(timer_hidden, "HOTP rows have no countdown");
    let calls = driver.execute("return window.__listCalls").as_u64().unwrap_or(0);
    assert!(calls <= 1, "one request per boundary at most, not polling: {calls}");
}

/// 1,000 accounts: only a screenful of rows exists, scrolling to the end
/// shows the last accounts with their right codes, and search finds one.
#[test]
fn issue_10_a_thousand_accounts_scroll_and_search() {
    let sandbox = sandbox("thousand");
    let accounts = bulk_vault(&sandbox, 1000);
    let driver = Driver::start(Path::new(APP), &sandbox.env());
    driver.find("[data-testid=account]");
    let rows = driver.find_all("[data-testid=account]").len();
    assert!((5..=40).contains(&rows), "only the rows in view (and a few more) exist: {rows}");
    assert_eq!(driver.dom_text("[data-testid=account-name]"), "user0000");

    driver.execute("const main = document.querySelector('main'); main.scrollTop = main.scrollHeight;");
    let last = driver.wait_until("the last account drawn", || {
        let names = driver.execute(
            "return [...document.querySelectorAll('[data-testid=account-name]')].map((n) => n.textContent).join(',')",
        );
        let names = names.as_str().unwrap_or_default().to_owned();
        names.split(',').any(|n| n == "user0999").then_some(names)
    });
    assert!(!last.contains("user0000"), "the first rows are gone after scrolling: {last}");
    let now = mid_period();
    // Read as a probe: the rows in view are drawn anew when codes flip (while
    // `mid_period` waited), so the row is looked for again, never assumed.
    let want = accounts[999].otp.code_at(now).value;
    driver.wait_for("the last account's code", || {
        let seen = driver.execute(
            "const row = [...document.querySelectorAll('[data-testid=account]')]
               .find((r) => r.querySelector('[data-testid=account-name]').textContent === 'user0999');
             return row ? row.querySelector('[data-testid=account-code]').textContent.replace(/ /g, '')
                        : 'no user0999 row; scrollTop ' + document.querySelector('main').scrollTop;",
        );
        let seen = seen.as_str().unwrap_or_default().to_owned();
        (seen == want).then_some(()).ok_or(seen)
    });
    driver.screenshot("19-thousand-scrolled");

    let search = driver.find("[data-testid=search]");
    driver.send_keys(&search, "user0500");
    driver.wait_until("one match", || {
        (driver.find_all("[data-testid=account]").len() == 1
            && driver.dom_text("[data-testid=account-name]") == "user0500")
            .then_some(())
    });
    let now = mid_period();
    assert_eq!(
        driver.dom_text("[data-testid=account-code]").replace(' ', ""),
        accounts[500].otp.code_at(now).value
    );
    driver.screenshot("20-thousand-search");
}

/// Issue 14: "Hide codes until revealed" shows dots; a click still copies
/// the real code, and a reveal shows one row's code for a few seconds.
#[test]
fn issue_14_hidden_codes_still_copy_and_reveal_briefly() {
    let sandbox = sandbox("hidecodes");
    let driver = Driver::start(Path::new(APP), &sandbox.env());
    driver.find("[data-testid=empty-state]");
    add_uri(&driver, URI);
    driver.click(&driver.find("[data-testid=settings-button]"));
    driver.click(&driver.find("[data-testid=settings-hide-codes]"));
    driver.click(&driver.find("[data-testid=settings-save]"));
    driver.wait_until("dots instead of the code", || {
        (driver.dom_text("[data-testid=account-code]") == "••• •••").then_some(())
    });
    driver.screenshot("25-hidden-codes");
    let now = mid_period();
    driver.click(&driver.find("[data-testid=account]"));
    driver.wait_for("the real code on the clipboard", || clipboard_is(&sandbox.display, &expected_code(now)));
    driver.click(&driver.find("[data-testid=account-reveal]"));
    let now = mid_period();
    driver.wait_until("the code revealed", || {
        (driver.dom_text("[data-testid=account-code]").replace(' ', "") == expected_code(now)).then_some(())
    });
    driver.wait_until("hidden again", || {
        (driver.dom_text("[data-testid=account-code]") == "••• •••").then_some(())
    });
    // The setting is kept in the vault: a new start hides codes too.
    drop(driver);
    let driver = Driver::start(Path::new(APP), &sandbox.env());
    driver.wait_until("dots from the start", || {
        (driver.dom_text("[data-testid=account-code]") == "••• •••").then_some(())
    });
}

/// Issue 14: the everyday jobs without a mouse. "/" searches, arrows move
/// from the search box through the accounts, Enter copies the one with the
/// focus, "n" gives a counter account its next code, "?" lists the
/// shortcuts, Ctrl+, opens the settings.
#[test]
fn issue_14_keyboard_only_search_move_copy_next_settings() {
    let sandbox = sandbox("keyboard");
    let driver = Driver::start(Path::new(APP), &sandbox.env());
    driver.find("[data-testid=empty-state]");
    for uri in [URI, MAIL_URI, URI_2] {
        add_uri(&driver, uri);
    }
    driver.execute("document.activeElement.blur()");

    driver.chord("/");
    assert_eq!(driver.focused(), "search");
    driver.chord("\u{E015}"); // ↓: the first account
    assert_eq!(driver.focused(), "account");
    driver.chord("\u{E015}"); // ↓: the second
    let now = mid_period();
    driver.chord("\u{E007}"); // Enter copies it
    let want = OtpauthUri::parse(MAIL_URI).expect("uri").otp.code_at(now).value;
    driver.wait_for("the second account's code copied", || clipboard_is(&sandbox.display, &want));

    // ↓ to the counter account; "n" moves it on by one code.
    driver.chord("\u{E015}");
    let hotp = OtpauthUri::parse(URI_2).expect("uri").otp;
    let code_of_row = |n: usize| {
        let script = format!("return document.querySelectorAll('[data-testid=account-code]')[{n}].textContent.replace(/ /g, '')");
        driver.execute(&script).as_str().unwrap_or_default().to_owned()
    };
    assert_eq!(code_of_row(2), hotp.code_at(0).value);
    driver.chord("n");
    let mut next = hotp.clone();
    next.kind = twofold_core::Kind::Hotp { counter: 8 };
    driver.wait_until("the next counter code", || (code_of_row(2) == next.code_at(0).value).then_some(()));
    let search = driver.property(&driver.find("[data-testid=search]"), "value");
    assert_eq!(search.as_str(), Some(""), "\"n\" on an account is not typed into search");
    // ↑ from the first account goes back to the search box.
    driver.chord("\u{E011}"); // Home
    driver.chord("\u{E013}"); // ↑
    assert_eq!(driver.focused(), "search");
    driver.execute("document.activeElement.blur()");

    driver.chord("?");
    driver.find("[data-testid=keys-dialog]");
    driver.screenshot("26-shortcuts");
    driver.click(&driver.find("[data-testid=keys-close]"));
    driver.chord("\u{E009},");
    driver.find("[data-testid=settings-dialog]");
    driver.find("[data-testid=language]");
}
