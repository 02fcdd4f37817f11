//! Automatic backups, restore points and the way back.

use super::*;

/// Issue 15: backups turned on in Settings write (and check) a first backup
/// at once; the quiet line under the list says when; a deleted account
/// comes back from a restore point through the import preview.
#[test]
fn issue_15_backups_from_settings_and_a_deleted_account_restored() {
    let sandbox = sandbox("backups");
    let env = sandbox.env_with_home();
    let home = sandbox.root().join("home");
    let driver = Driver::start(Path::new(APP), &env);
    driver.find("[data-testid=empty-state]");
    add_uri(&driver, URI);

    // First run: Twofold offers backups; "Set up" goes straight to them.
    driver.click(&driver.find("[data-testid=backup-offer-yes]"));
    driver.find("[data-testid=settings-dialog]");
    assert_eq!(driver.focused(), "settings-backup-passphrase");
    assert!(driver.dom_text("[data-testid=settings-backup-status]").starts_with("Off."));
    const BACKUP_PASS: &str = "the backup passphrase";
    driver.send_keys(&driver.find("[data-testid=settings-backup-passphrase]"), BACKUP_PASS);
    driver.send_keys(&driver.find("[data-testid=settings-backup-confirm]"), BACKUP_PASS);
    driver.click(&driver.find("[data-testid=settings-backup-on]"));
    sandbox.display.keys(TURN_ON, &["alt+t"]);
    let status = driver.wait_until("backups on", || {
        let text = driver.dom_text("[data-testid=settings-backup-status]");
        text.starts_with("On:").then_some(text)
    });
    assert!(status.contains("Twofold Backups") && status.contains("Last backup just now."), "{status}");
    driver.screenshot("28-backups-on");
    let folder = std::fs::read_dir(&home).expect("home").flatten().map(|e| e.path()).find_map(|p| {
        let candidate = if p.ends_with("Twofold Backups") { p } else { p.join("Twofold Backups") };
        candidate.is_dir().then_some(candidate)
    });
    let folder = folder.expect("a Twofold Backups folder under the home directory");
    let files: Vec<_> = std::fs::read_dir(&folder).expect("folder").flatten().collect();
    assert!(!files.is_empty());
    for file in &files {
        let bytes = std::fs::read(file.path()).expect("read");
        assert_eq!(
            twofold_core::transfer::open(&bytes, BACKUP_PASS).expect("the passphrase opens it").len(),
            1
        );
    }
    // How long they are kept: shown, changed, refused past the limit.
    let keep = |testid: &str, value: &str| {
        driver.execute(&format!(
            "const e = document.querySelector('[data-testid={testid}]'); e.value = '{value}'; e.dispatchEvent(new Event('change'));"
        ));
    };
    assert_eq!(
        driver.property(&driver.find("[data-testid=settings-keep-days]"), "value").as_str(),
        Some("30")
    );
    keep("settings-keep-days", "45");
    driver.wait_until("the change saved", || {
        driver.dom_text("[data-testid=toast]").starts_with("Saved: older backups").then_some(())
    });
    keep("settings-keep-hours", "99999");
    driver.wait_until("too long refused", || {
        (driver.dom_text("[data-testid=settings-backup-error]") == "That is longer than backups can be kept.")
            .then_some(())
    });
    keep("settings-keep-hours", "24");
    driver.chord("\u{E00C}");
    assert_eq!(driver.dom_text("[data-testid=backup-line]"), "Last backup just now.");
    driver.click(&driver.find("[data-testid=settings-button]"));
    driver.wait_until("the saved periods read back", || {
        let days = driver.property(&driver.find("[data-testid=settings-keep-days]"), "value");
        let hours = driver.property(&driver.find("[data-testid=settings-keep-hours]"), "value");
        (days.as_str() == Some("45") && hours.as_str() == Some("24")).then_some(())
    });
    driver.chord("\u{E00C}");

    // A change in the window is backed up by itself, within the minute
    // (at most one backup a minute; turning backups on was one).
    add_uri(&driver, URI_2);
    let accounts_in_newest = || {
        let mut names: Vec<_> = std::fs::read_dir(&folder).ok()?.flatten().map(|e| e.path()).collect();
        names.sort();
        let newest = std::fs::read(names.last()?).ok()?;
        twofold_core::transfer::open(&newest, BACKUP_PASS).ok().map(|a| a.len())
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(75);
    while accounts_in_newest() != Some(2) {
        assert!(std::time::Instant::now() < deadline, "no backup of the change within 75 s");
        std::thread::sleep(Duration::from_millis(500));
    }

    // Deleted by mistake, and back from the restore point.
    driver.click(&driver.find_all("[data-testid=account-menu]")[1]);
    driver.click(&driver.find(".menu:not([hidden]) [data-testid=account-delete]"));
    driver.click(&driver.find("[data-testid=delete-confirm]"));
    driver.wait_until("one account left", || {
        (driver.find_all("[data-testid=account]").len() == 1).then_some(())
    });
    driver.click(&driver.find("[data-testid=settings-button]"));
    driver.click(&driver.find("[data-testid=settings-backup-points]"));
    let point = driver.find("[data-testid=restore-point]");
    assert!(driver.text(&point).contains("2 accounts — 1 not in Twofold now"), "{}", driver.text(&point));
    driver.screenshot("29-restore-points");
    driver.click(&driver.find("[data-testid=restore-point-restore]"));
    driver.wait_until("both accounts in the preview", || {
        (driver.find_all("[data-testid=preview-account]").len() == 2).then_some(())
    });
    confirm_preview_and_see_the_code(&driver, 2);
}

/// Issue 15, the way back: the keychain lost the vault's key (a reinstalled
/// system); the first screen offers the automatic backups, and the backup
/// passphrase brings every account back before anything else is created.
#[test]
fn issue_15_the_way_back_from_a_lost_key_through_the_backups() {
    let sandbox = sandbox("wayback");
    let env = sandbox.env_with_home();
    const BACKUP_PASS: &str = "the backup passphrase";
    {
        let driver = Driver::start(Path::new(APP), &env);
        driver.find("[data-testid=empty-state]");
        add_uri(&driver, URI);
        add_uri(&driver, URI_2);
        turn_backups_on(&driver, &sandbox.display, BACKUP_PASS);
    }
    // The same data directory with another keychain: the key is not there.
    let env: Vec<(&str, String)> = env
        .into_iter()
        .map(|(k, v)| if k == "TWOFOLD_KEYCHAIN_SERVICE" { (k, format!("{v}-reinstalled")) } else { (k, v) })
        .collect();
    let driver = Driver::start(Path::new(APP), &env);
    driver.find("[data-testid=wayback]");
    driver.screenshot("30-way-back");
    wrong_then_right(
        &driver,
        "wayback-passphrase",
        "wayback-default",
        "[data-testid=wayback-error]",
        BACKUP_PASS,
    );
    driver.wait_until("every account back", || {
        (driver.find_all("[data-testid=account]").len() == 2).then_some(())
    });
    let now = mid_period();
    let want = expected_code(now);
    driver.wait_until("the same code", || {
        (driver.dom_text("[data-testid=account-code]").replace(' ', "") == want).then_some(())
    });
}

/// Issue 22 (F5): a compromised page could turn backups on (or re-key them)
/// under a passphrase of its choosing, and cut how long they are kept to
/// nothing, with no dialog at all. Each is now confirmed in a native dialog
/// Rust words, naming the folder; declining changes nothing.
#[test]
fn issue_22_the_page_cannot_turn_on_or_thin_backups_by_itself() {
    let sandbox = sandbox("backup-confirm");
    let env = sandbox.env_with_home();
    let home = sandbox.root().join("home");
    let driver = Driver::start(Path::new(APP), &env);
    driver.find("[data-testid=empty-state]");
    add_uri(&driver, URI);
    let folders = || walk_for(&home, "Twofold Backups");

    // From the page, no folder dialog: Rust still asks, and "no" writes nothing.
    let call = "window.__twofoldCall = window.__TAURI__.core.invoke('enable_backups', {passphrase: 'attacker passphrase', choose: false}).then((r) => r === null ? 'declined' : 'on', (e) => e.code); return 'asked'";
    assert_eq!(driver.execute(call).as_str(), Some("asked"));
    sandbox.display.keys(TURN_ON, &["Escape"]);
    driver.wait_until("the page told it was declined", || {
        (driver.execute("return window.__twofoldCall").as_str() == Some("declined")).then_some(())
    });
    assert!(folders().is_none(), "no backup folder was made");
    assert_eq!(invoke(&driver, "backup_status", serde_json::json!({})), "ok");
    let on = driver.execute("return window.__TAURI__.core.invoke('backup_status').then((s) => s.on)");
    assert_eq!(on.as_bool(), Some(false), "backups still off");

    // Turned on by the person; then the page asks to keep nothing.
    driver.execute("window.__twofoldCall = window.__TAURI__.core.invoke('enable_backups', {passphrase: 'the person passphrase', choose: false}).then((r) => r === null ? 'declined' : 'on', (e) => e.code)");
    sandbox.display.keys(TURN_ON, &["alt+t"]);
    driver.wait_until("backups on", || {
        (driver.execute("return window.__twofoldCall").as_str() == Some("on")).then_some(())
    });
    const KEEP_LESS: &str = "Keep backups for less time?";
    driver.execute("window.__twofoldCall = window.__TAURI__.core.invoke('set_backup_retention', {retention: {all_hours: 0, daily_days: 0, monthly_months: 0, deleted_days: 0}}).then((r) => r === null ? 'declined' : 'saved', (e) => e.code)");
    sandbox.display.keys(KEEP_LESS, &["Escape"]);
    driver.wait_until("declined", || {
        (driver.execute("return window.__twofoldCall").as_str() == Some("declined")).then_some(())
    });
    let days = driver.execute(
        "return window.__TAURI__.core.invoke('backup_status').then((s) => s.retention.deleted_days)",
    );
    assert_eq!(days.as_i64(), Some(30), "a deletion is still kept 30 days");
}

/// The folder named `name` somewhere under `root`, if any.
fn walk_for(root: &Path, name: &str) -> Option<PathBuf> {
    let entries = std::fs::read_dir(root).ok()?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.ends_with(name) {
                return Some(path);
            }
            if let Some(found) = walk_for(&path, name) {
                return Some(found);
            }
        }
    }
    None
}

/// Issue 22: every dialog is GTK's own on the app's main loop (rfd's
/// started a second GTK main loop, which then took close requests meant for
/// the window). The folder the person picks in GTK's chooser is where
/// backups go.
#[test]
fn issue_22_backups_go_to_the_folder_the_person_picks() {
    let sandbox = sandbox("backup-folder");
    let env = sandbox.env_with_home();
    let driver = Driver::start(Path::new(APP), &env);
    driver.find("[data-testid=empty-state]");
    add_uri(&driver, URI);
    let picked = sandbox.root().join("picked");
    std::fs::create_dir(&picked).expect("a folder to pick");

    driver.execute("window.__twofoldCall = window.__TAURI__.core.invoke('enable_backups', {passphrase: 'the person passphrase', choose: true}).then((r) => r === null ? 'declined' : 'on', (e) => e.code)");
    sandbox.display.choose_file("Choose where backups go", picked.to_str().expect("path"));
    sandbox.display.keys(TURN_ON, &["alt+t"]);
    driver.wait_until("backups on", || {
        (driver.execute("return window.__twofoldCall").as_str() == Some("on")).then_some(())
    });
    let names: Vec<String> = std::fs::read_dir(&picked)
        .expect("the picked folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().any(|n| n.starts_with("twofold-backup-")),
        "a first backup in the picked folder: {names:?}"
    );

    close_until(&driver, &sandbox.display, "the window hidden to the tray", || {
        !sandbox.display.has_window("Twofold")
    });
}
