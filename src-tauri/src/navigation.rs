//! The page never leaves the app. The CSP keeps scripts and requests to
//! the app's own files, but not a top-level navigation: a compromised page
//! could carry what it shows (names, codes, an approved QR) away in a URL.
//! Every navigation of every window is checked here, in Rust.

use tauri::plugin::{Builder, TauriPlugin};
use tauri::{Runtime, Url};

pub fn stay_in_app<R: Runtime>() -> TauriPlugin<R> {
    Builder::new("stay-in-app").on_navigation(|_, url| is_app(url)).build()
}

/// The app's own origin: `tauri://localhost` (Linux, macOS) or
/// `http(s)://tauri.localhost` (Windows).
fn is_app(url: &Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 22 (F6): no navigation handler, so the page could go anywhere.
    #[test]
    fn issue_22_only_the_apps_own_pages_are_reached() {
        let url = |s: &str| Url::parse(s).expect("a url");
        for ours in
            ["tauri://localhost/", "tauri://localhost/quick.html", "http://tauri.localhost/index.html"]
        {
            assert!(is_app(&url(ours)), "{ours}");
        }
        for theirs in [
            "http://127.0.0.1:8000/?d=secret",
            "https://attacker.example/",
            "tauri://attacker.example/",
            "http://tauri.localhost.attacker.example/",
            "file:///etc/passwd",
            "data:text/html,hi",
            "javascript:alert(1)",
        ] {
            assert!(!is_app(&url(theirs)), "{theirs}");
        }
    }
}
