//! The window's boundary is written down in four places: the handler list
//! (`src/commands/mod.rs`), the app manifest (`build.rs`), the capability
//! file that grants them, and the UI's one caller (`ui/js/api.js`). A command
//! missing from any of them fails at run time only, so this test reads all
//! four and fails when they disagree.

use std::collections::BTreeSet;

fn read(rel: &str) -> String {
    let path = format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

/// Every `word` that directly follows `prefix` in `text`.
fn names_after(text: &str, prefix: &str) -> BTreeSet<String> {
    text.split(prefix)
        .skip(1)
        .map(|rest| {
            rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect()
        })
        .collect()
}

#[test]
fn handler_manifest_capabilities_and_api_list_the_same_commands() {
    // `commands::feature::name,` lines inside `all_commands!`.
    let handler: BTreeSet<String> = read("src-tauri/src/commands/mod.rs")
        .lines()
        .filter_map(|l| l.trim().strip_prefix("commands::"))
        .filter_map(|l| l.trim_end_matches(',').rsplit("::").next().map(str::to_owned))
        .collect();
    let build = read("src-tauri/build.rs");
    let manifest: BTreeSet<String> = build
        .lines()
        .filter_map(|l| l.trim().strip_prefix('"').and_then(|l| l.strip_suffix("\",")))
        .map(str::to_owned)
        .collect();
    let capabilities: serde_json::Value =
        serde_json::from_str(&read("src-tauri/capabilities/main.json")).expect("capabilities are JSON");
    let granted: BTreeSet<String> = capabilities["permissions"]
        .as_array()
        .expect("a permissions list")
        .iter()
        .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect();
    let api = names_after(&read("ui/js/api.js"), "call(\"");

    assert!(handler.len() > 30, "the handler list was read: {handler:?}");
    assert_eq!(manifest, handler, "build.rs app manifest vs the invoke handler");
    assert_eq!(granted, handler, "capabilities/main.json vs the invoke handler");
    assert_eq!(api, handler, "ui/js/api.js vs the invoke handler");
}

/// Every event Rust sends is named in `src/events.rs` and wrapped once in
/// `ui/js/api.js` (`on("name", …)`): the two lists agree, nothing else in
/// the shell emits, and nothing else in the page listens.
#[test]
fn events_rs_and_api_list_the_same_events() {
    let events = read("src-tauri/src/events.rs");
    let sent: BTreeSet<String> = events
        .lines()
        .filter(|l| l.starts_with("pub const ") && l.contains(": &str = \""))
        .filter(|l| !l.contains("FIRST_CODES_PAINTED"))
        .filter_map(|l| l.split('"').nth(1).map(str::to_owned))
        .collect();
    let heard = names_after(&read("ui/js/api.js"), "on(\"");
    assert!(sent.len() >= 8, "the event list was read: {sent:?}");
    assert_eq!(heard, sent, "ui/js/api.js's on(…) vs src/events.rs");

    let mut emitters = Vec::new();
    let mut files = vec![format!("{}/src-tauri/src", env!("CARGO_MANIFEST_DIR"))];
    while let Some(dir) = files.pop() {
        for entry in std::fs::read_dir(&dir).expect("source dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                files.push(path.display().to_string());
            } else if !path.ends_with("events.rs") {
                let text = std::fs::read_to_string(&path).expect("read");
                if text.contains(".emit(") || text.contains(".emit_to(") {
                    emitters.push(path.display().to_string());
                }
            }
        }
    }
    assert!(emitters.is_empty(), "events sent outside events.rs: {emitters:?}");

    // Every page module, those in folders too (the list's parts in ui/js/list).
    let mut listeners = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(format!("{}/ui/js", env!("CARGO_MANIFEST_DIR")))];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("ui/js") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if !path.ends_with("ui/js/api.js")
                && path.extension().is_some_and(|x| x == "js")
                && std::fs::read_to_string(&path).expect("read").contains("__TAURI__")
            {
                listeners.push(path.display().to_string());
            }
        }
    }
    assert!(listeners.is_empty(), "pages reaching Tauri outside api.js: {listeners:?}");
}

/// Issue 12: the page never names a file. A command taking a path would let a
/// compromised page overwrite any file or write secrets anywhere; files are
/// chosen in native dialogs that Rust opens.
#[test]
fn no_command_takes_a_path_from_the_page() {
    let dir = format!("{}/src-tauri/src/commands", env!("CARGO_MANIFEST_DIR"));
    let mut offenders = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("commands dir") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        // Each command's signature: from the attribute to the opening brace.
        for signature in text.split("#[tauri::command]").skip(1) {
            let signature = signature.split('{').next().unwrap_or_default();
            if signature.contains("PathBuf") || signature.contains("Path") || signature.contains("path:") {
                offenders.push(format!("{}: {}", path.display(), signature.trim()));
            }
        }
    }
    let text = read("src-tauri/src/commands/transfer.rs");
    assert!(text.contains("#[tauri::command]"), "the commands were read");
    assert!(offenders.is_empty(), "commands taking a path from the page: {offenders:#?}");
}

/// Issue 28: `unsafe` is allowed only in the platform files, where
/// Windows and macOS are reached through the `windows` and `objc2` crates,
/// and each use there says why it holds (`// SAFETY:` just above). Every
/// other file of every crate in the repository holds none.
#[test]
fn unsafe_code_lives_only_in_the_platform_files() {
    const ALLOWED: [&str; 2] = ["src-tauri/src/platform/windows.rs", "src-tauri/src/platform/macos.rs"];
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    let mut dirs: Vec<std::path::PathBuf> =
        ["core", "cli", "src-tauri", "testkit", "fuzz", "bench"].iter().map(|d| root.join(d)).collect();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if path.is_dir() && !["target", "gen", "node_modules", "corpus", "artifacts"].contains(&name) {
                dirs.push(path);
            } else if name.ends_with(".rs") {
                files.push(path);
            }
        }
    }
    assert!(files.len() > 100, "the sources were found: {}", files.len());
    // The line's code: string literals and a trailing comment left out.
    let is_unsafe = |line: &str| {
        let (mut code, mut in_string, mut previous) = (String::new(), false, ' ');
        for c in line.chars() {
            if !in_string && c == '/' && previous == '/' {
                code.pop();
                break;
            }
            if c == '"' && previous != '\\' {
                in_string = !in_string;
            } else if !in_string {
                code.push(c);
            }
            previous = c;
        }
        code.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|word| word == "unsafe")
    };
    let mut outside = Vec::new();
    let mut unexplained = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(root).expect("inside").to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(file).expect("read");
        let lines: Vec<&str> = text.lines().collect();
        for (n, line) in lines.iter().enumerate() {
            if !is_unsafe(line) {
                continue;
            }
            if !ALLOWED.contains(&rel.as_str()) {
                outside.push(format!("{rel}:{}: {}", n + 1, line.trim()));
            } else if !lines[n.saturating_sub(4)..n].iter().any(|l| l.trim_start().starts_with("// SAFETY:"))
            {
                unexplained.push(format!("{rel}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(outside.is_empty(), "`unsafe` outside src-tauri/src/platform/:\n{}", outside.join("\n"));
    assert!(
        unexplained.is_empty(),
        "`unsafe` without a `// SAFETY:` comment above it:\n{}",
        unexplained.join("\n")
    );
}
