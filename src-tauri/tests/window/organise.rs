//! Icons, tags, pins and the list's order.

use super::*;

/// Issue 16, organise: an icon matched by alias ("Gmail" shows Google's,
/// bundled, never fetched), another chosen, then none; tags with filter
/// chips (search finds tags too); a pinned account moves to the top.
#[test]
fn issue_16_icons_tags_and_pins() {
    let sandbox = sandbox("organise");
    let driver = Driver::start(Path::new(APP), &sandbox.env());
    driver.find("[data-testid=empty-state]");
    add_uri(&driver, "otpauth://totp/Gmail:me?secret=JBSWY3DPEHPK3PXP&issuer=Gmail");
    add_uri(&driver, "otpauth://totp/Example:me?secret=MFRGGZDFMZTWQ2LK&issuer=Example");
    let icons = || {
        driver.execute("return [...document.querySelectorAll('.account .avatar')].map(a => a.dataset.icon || a.textContent)")
    };
    assert_eq!(icons(), serde_json::json!(["google", "E"]), "Gmail is Google; Example has no icon");
    // The icon is the bundled file, drawn as a mask on the brand colour.
    let drawn = driver.execute(
        "const g = document.querySelector('.account .avatar .glyph'); const s = getComputedStyle(g); \
         return [s.webkitMaskImage || s.maskImage, getComputedStyle(g.parentElement).backgroundColor]",
    );
    assert!(drawn[0].as_str().unwrap_or_default().contains("icons/google.svg"), "{drawn}");
    assert_eq!(drawn[1], "rgb(66, 133, 244)", "Google's blue");
    let fetched = driver.execute_async(
        "const done = arguments[arguments.length - 1]; \
         const i = new Image(); i.onload = () => done(i.naturalWidth > 0); i.onerror = () => done(false); \
         i.src = 'icons/google.svg'",
    );
    assert_eq!(fetched, serde_json::json!(true), "the icon ships with the app");
    driver.screenshot("32-icons");

    // Another icon, chosen by name; then none.
    let open_menu = |row: usize, item: &str| {
        driver.click(&driver.find_all("[data-testid=account-menu]")[row]);
        driver.click(&driver.find(&format!(".menu:not([hidden]) [data-testid={item}]")));
    };
    open_menu(1, "account-icon");
    driver.send_keys(&driver.find("[data-testid=icon-search]"), "proton");
    driver.wait_until("Proton icons listed", || {
        let found = driver.execute(
            "return [...document.querySelectorAll('[data-testid=icon-choice]')].map(b => b.dataset.slug)",
        );
        found.as_array().filter(|f| !f.is_empty() && f.iter().any(|s| s == "protonmail")).map(|_| ())
    });
    driver.click(&driver.find("[data-testid=icon-choice][data-slug=protonmail]"));
    driver.wait_until("the chosen icon", || (icons()[1] == "protonmail").then_some(()));
    open_menu(0, "account-icon");
    driver.click(&driver.find("[data-testid=icon-none]"));
    driver.wait_until("no icon: the initial", || (icons()[0] == "G").then_some(()));

    // Tags, and the chips that filter by them; search finds tags too.
    open_menu(1, "account-rename");
    set_value(&driver, "rename-tags", "Work, mail , work");
    driver.click(&driver.find("[data-testid=rename-submit]"));
    driver.wait_until("the chips", || {
        let chips = driver.execute(
            "return [...document.querySelectorAll('[data-testid=tag-chip]')].map(c => c.textContent)",
        );
        (chips == serde_json::json!(["All", "mail", "Work"])).then_some(())
    });
    driver.click(&driver.find_all("[data-testid=tag-chip]")[2]);
    driver.wait_until("only the tagged account", || {
        (driver.find_all("[data-testid=account]").len() == 1
            && driver.dom_text("[data-testid=account-issuer]") == "Example")
            .then_some(())
    });
    driver.click(&driver.find_all("[data-testid=tag-chip]")[0]);
    driver.send_keys(&driver.find("[data-testid=search]"), "work");
    driver.wait_until("search finds the tag", || {
        (driver.find_all("[data-testid=account]").len() == 1).then_some(())
    });
    set_value(&driver, "search", "");
    driver.wait_until("both again", || (driver.find_all("[data-testid=account]").len() == 2).then_some(()));

    // Pinned to the top.
    open_menu(1, "account-pin");
    driver.wait_until("Example first", || {
        (driver.dom_text("[data-testid=account-issuer]") == "Example").then_some(())
    });
    driver.screenshot("33-tags-and-pin");
}

/// Issue 16, order: rows dragged by their grip and moved with Alt+arrow
/// keys in the person's own order; "By name" and "Recently used" (a copied
/// code comes first); the choice comes back from Rust.
#[test]
fn issue_16_reorder_by_drag_keys_name_and_use() {
    let sandbox = sandbox("order");
    let driver = Driver::start(Path::new(APP), &sandbox.env());
    driver.find("[data-testid=empty-state]");
    for uri in [
        "otpauth://totp/Zeta:z?secret=JBSWY3DPEHPK3PXP&issuer=Zeta",
        "otpauth://totp/alpha:a?secret=GEZDGNBVGY3TQOJQ&issuer=alpha",
        "otpauth://totp/Mid:m?secret=MFRGGZDFMZTWQ2LK&issuer=Mid",
    ] {
        add_uri(&driver, uri);
    }
    let order = || {
        driver.execute(
            "return [...document.querySelectorAll('[data-testid=account-issuer]')].map(e => e.textContent)",
        )
    };
    let wait_for = |want: serde_json::Value, what: &str| {
        driver.wait_until(what, || (order() == want).then_some(()));
    };
    wait_for(serde_json::json!(["Zeta", "alpha", "Mid"]), "the order added");

    // Drag Mid's grip onto Zeta's row.
    let centre = |css: &str| {
        let rect = driver.execute(&format!(
            "const r = document.querySelectorAll('{css}')[0].getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]"
        ));
        (rect[0].as_f64().unwrap_or_default(), rect[1].as_f64().unwrap_or_default())
    };
    let grip = driver.execute(
        "const r = document.querySelectorAll('[data-testid=account-grip]')[2].getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]",
    );
    let from = (grip[0].as_f64().unwrap_or_default(), grip[1].as_f64().unwrap_or_default());
    driver.drag(from, centre("[data-testid=account]"));
    wait_for(serde_json::json!(["Mid", "Zeta", "alpha"]), "Mid dragged to the top");

    // Alt+Down on Mid moves it past Zeta; the focus stays with it.
    let mid = driver.find_all("[data-testid=account]").into_iter().next().expect("row");
    driver.click(&driver.find("[data-testid=search]"));
    driver.execute("document.querySelector('[data-testid=account]').focus()");
    driver.send_keys(&mid, "\u{E00A}\u{E015}\u{E000}");
    wait_for(serde_json::json!(["Zeta", "Mid", "alpha"]), "Mid moved down");
    assert_eq!(
        driver.execute(
            "return document.activeElement.querySelector('[data-testid=account-issuer]')?.textContent"
        ),
        "Mid"
    );
    driver.screenshot("35-own-order");

    // By name, then recently used: a copied code comes first.
    let choose = |value: &str| {
        driver.execute(&format!(
            "const s = document.querySelector('[data-testid=list-order]'); s.value = '{value}'; s.dispatchEvent(new Event('change'))"
        ));
    };
    choose("name");
    wait_for(serde_json::json!(["alpha", "Mid", "Zeta"]), "by name");
    // Recently used: nothing used yet keeps the own order; the last row's
    // code copied moves it to the top at the next look.
    choose("recent");
    wait_for(serde_json::json!(["Zeta", "Mid", "alpha"]), "no use yet: the own order");
    driver.click(&driver.find_all("[data-testid=account-code]")[2]);
    driver
        .wait_until("copied", || driver.dom_text("[data-testid=toast]").starts_with("Copied").then_some(()));
    driver.execute("document.dispatchEvent(new Event('visibilitychange'))");
    wait_for(serde_json::json!(["alpha", "Zeta", "Mid"]), "alpha first, as used last");
    assert_eq!(driver.property(&driver.find("[data-testid=list-order]"), "value"), "recent");
}
