//! Issue 27: what a screen reader hears, read from the running window's
//! accessibility tree over the real AT-SPI bus (`support::atspi`): rows
//! read as one item with the code's digits spaced, a countdown that never
//! speaks, "Copied" said once, a name on every control, modal dialogs that
//! keep focus and give it back, focus that follows the screen, and a tray
//! menu whose entries have names.

use serde_json::Value;
use support::atspi::Probe;

use super::*;

const PINNED: &str = "otpauth://totp/TrayBank:me?secret=GEZDGNBVGY3TQOJQ&issuer=TrayBank";

/// Each row's name from the tree, keyed by what it starts with.
fn row_names(probe: &mut Probe) -> Vec<String> {
    let rows = probe.ask("rows");
    rows["rows"]
        .as_array()
        .map(|rows| rows.iter().filter_map(|r| r["name"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

fn focused(probe: &mut Probe) -> Value {
    probe.ask("focused")
}

/// Waits until the focused node satisfies `ok`, saying what had focus last.
fn wait_focus(driver: &Driver, probe: &mut Probe, what: &str, ok: impl Fn(&Value) -> bool) -> Value {
    driver.wait_for(what, || {
        let now = focused(probe);
        if ok(&now) {
            Ok(now)
        } else {
            Err(format!("focused: {now}"))
        }
    })
}

fn unnamed(probe: &mut Probe, screen: &str) -> Vec<String> {
    let found = probe.ask("unnamed");
    found["unnamed"]
        .as_array()
        .map(|nodes| nodes.iter().map(|n| format!("{screen}: {n}")).collect())
        .unwrap_or_default()
}

#[test]
fn issue_27_the_accessibility_tree_says_the_right_things() {
    let desk = sandbox_with_tray("atspi");
    let host = desk.tray();
    let env = desk.env();
    let driver = Driver::start_accessible(Path::new(APP), &env);
    driver.find("[data-testid=empty-state]");
    // The desk's bus has its own keyring: the window makes the vault there.
    add_uri(&driver, PINNED);
    add_uri(&driver, URI);
    add_uri(&driver, MAIL_URI);
    driver.click(&driver.find_all("[data-testid=account-menu]")[0]);
    driver.click(&driver.find("[data-testid=account-pin]"));
    let bus = desk.bus.as_ref().expect("the desk's own bus").address().to_owned();
    let mut probe = Probe::attach(&bus, desk.display.name());

    // 1. Each row is one item, named with everything, the digits spaced.
    let now = mid_period();
    let code = expected_code(now);
    let spaced: Vec<String> = code.chars().map(String::from).collect();
    let want_start = format!("Example, alice@example.com, {}, ", spaced.join(" "));
    let names = driver.wait_for("the rows' names in the tree", || {
        let names = row_names(&mut probe);
        names.iter().any(|n| n.starts_with(&want_start)).then(|| names.clone()).ok_or(format!("{names:?}"))
    });
    let example = names.iter().find(|n| n.starts_with(&want_start)).expect("found above");
    let left = example.strip_prefix(&want_start).and_then(|rest| rest.strip_suffix(" seconds left"));
    assert!(
        left.and_then(|s| s.parse::<u32>().ok()).is_some_and(|s| (1..=30).contains(&s)),
        "the row says how long its code lasts: {example:?}"
    );
    let rows = probe.ask("rows");
    assert_eq!(rows["list"]["role"], "list", "the accounts are a list: {rows}");
    assert_eq!(rows["list"]["name"], "Accounts", "a named list: {rows}");
    for row in rows["rows"].as_array().expect("rows") {
        assert_eq!(row["role"], "list item", "{row}");
        // One item: nothing inside it is read on its own but its buttons.
        for child in row["children"].as_array().expect("children") {
            assert!(
                ["push button", "toggle button"].contains(&child["role"].as_str().unwrap_or_default()),
                "only buttons inside a row, its text is its name: {row}"
            );
        }
    }

    // 2. The countdown never speaks: while it steps twice on screen,
    //    nothing is announced and no name changes.
    driver.execute("document.querySelector('[data-testid=account]').focus()");
    probe.ask("record");
    let first = driver.dom_text("[data-testid=account-seconds]");
    let mut seen = vec![first];
    driver.wait_for("the countdown to step twice", || {
        let now = driver.dom_text("[data-testid=account-seconds]");
        if seen.last() != Some(&now) {
            seen.push(now);
        }
        (seen.len() >= 3).then_some(()).ok_or(format!("the countdown showed {seen:?}"))
    });
    let heard = probe.ask("heard");
    assert_eq!(heard["announced"], serde_json::json!([]), "the countdown is silent: {heard}");
    assert_eq!(heard["name_changes"], 0, "no row renamed itself each second: {heard}");

    // 3. Copying says "Copied" once, through the polite live region.
    probe.ask("record");
    driver.chord("\u{E007}");
    driver.wait_for("the copy announced", || {
        let heard = probe.ask("heard");
        (heard["announced"].as_array().is_some_and(|a| !a.is_empty())).then_some(()).ok_or(format!("{heard}"))
    });
    // The toast goes when its time is up; by then anything said twice is heard.
    driver.wait_until("the toast gone", || {
        driver.find_all("[data-testid=toast]:not([hidden])").is_empty().then_some(())
    });
    let heard = probe.ask("heard");
    let announced = heard["announced"].as_array().expect("announcements");
    assert_eq!(announced.len(), 1, "said once: {heard}");
    assert!(announced[0].as_str().is_some_and(|s| s.starts_with("Copied")), "{heard}");

    // 4. Every control has a name: the list, a row's menu, each dialog.
    let mut missing = unnamed(&mut probe, "the list");
    // 5. The menu opens from the keyboard with focus on its first item;
    //    a dialog opened from it is modal, keeps focus, and gives it back.
    driver.execute("document.querySelector('[data-testid=account-menu]').focus()");
    wait_focus(&driver, &mut probe, "the menu button focused", |f| f["focused"]["name"] == "More actions");
    driver.chord("\u{E007}");
    let item = wait_focus(&driver, &mut probe, "the menu's first item focused", |f| {
        f["focused"]["role"] == "menu item"
    });
    assert!(item["focused"]["name"].as_str().is_some_and(|n| !n.is_empty()), "{item}");
    missing.extend(unnamed(&mut probe, "an account's menu"));
    driver.chord("\u{E015}");
    wait_focus(&driver, &mut probe, "Rename focused", |f| f["focused"]["name"] == "Rename");
    driver.chord("\u{E007}");
    let inside =
        wait_focus(&driver, &mut probe, "focus inside the rename dialog", |f| !f["dialog"].is_null());
    let dialog_states = inside["dialog"]["states"].as_array().expect("states").clone();
    assert!(dialog_states.contains(&Value::from("modal")), "the dialog is modal: {inside}");
    missing.extend(unnamed(&mut probe, "rename"));
    for press in 0..8 {
        driver.chord("\u{E004}");
        let now = focused(&mut probe);
        assert!(!now["dialog"].is_null(), "Tab {press} stays inside the dialog: {now}");
    }
    driver.chord("\u{E00C}");
    let back = wait_focus(&driver, &mut probe, "focus back on the row", |f| {
        f["dialog"].is_null() && f["focused"]["role"] == "list item"
    });
    assert!(back["focused"]["name"].as_str().is_some_and(|n| n.starts_with("TrayBank, me, ")), "{back}");

    // Every other dialog: names, modal, focus inside.
    for (open, dialog) in [
        ("[data-testid=add-button]", "add"),
        ("[data-testid=transfer-button]", "move to a new computer"),
        ("[data-testid=settings-button]", "settings"),
    ] {
        driver.click(&driver.find(open));
        let inside =
            wait_focus(&driver, &mut probe, &format!("focus inside {dialog}"), |f| !f["dialog"].is_null());
        assert!(
            inside["dialog"]["states"].as_array().is_some_and(|s| s.contains(&Value::from("modal"))),
            "{dialog} is modal: {inside}"
        );
        missing.extend(unnamed(&mut probe, dialog));
        driver.chord("\u{E00C}");
        driver.wait_until("no dialog open", || driver.find_all("dialog[open]").is_empty().then_some(()));
    }
    assert!(missing.is_empty(), "controls without a name:\n{}", missing.join("\n"));

    // 6. Focus follows the screen: from the search field, Tab visits the
    //    bar's buttons left to right, then each row and its menu button,
    //    top to bottom.
    driver.execute("document.getElementById('search').focus()");
    let mut order = Vec::new();
    for _ in 0..8 {
        let place = driver.execute(
            "const r = document.activeElement.getBoundingClientRect(); \
             return [document.activeElement.dataset.testid || document.activeElement.id, Math.round(r.top), Math.round(r.left)]",
        );
        order.push(place);
        driver.chord("\u{E004}");
    }
    for pair in order.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let (ay, ax, by, bx) = (
            a[1].as_i64().unwrap_or(0),
            a[2].as_i64().unwrap_or(0),
            b[1].as_i64().unwrap_or(0),
            b[2].as_i64().unwrap_or(0),
        );
        // The next stop is further down, or on the same line further right.
        let same_line = (by - ay).abs() <= 24;
        assert!(
            (same_line && bx > ax) || (!same_line && by > ay),
            "focus goes from {a} to {b}, against the screen's order; all: {order:?}"
        );
    }

    // 7. The tray menu's entries have names.
    let menu = host.menu_with("TrayBank (me)");
    let entries = menu.entries();
    assert!(entries.len() >= 3, "{entries:?}");
    assert!(entries.iter().any(|e| e.separator), "the separators were read: {entries:?}");
    assert!(
        entries.iter().all(|e| e.separator || !e.label.trim().is_empty()),
        "a tray entry without a name: {entries:?}"
    );
}
