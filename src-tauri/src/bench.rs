//! `make bench-window` times the window from outside; the one thing it cannot
//! see from there is when the first codes are on screen. With
//! `TWOFOLD_BENCH=1` the app prints that moment (Unix milliseconds) to
//! stderr; otherwise the page's signal is ignored.

use tauri::{AppHandle, Listener};

use crate::events::FIRST_CODES_PAINTED;

pub fn listen(app: &AppHandle) {
    if std::env::var_os("TWOFOLD_BENCH").is_none() {
        return;
    }
    app.listen_any(FIRST_CODES_PAINTED, |_| {
        let ms =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis());
        eprintln!("twofold-bench: {FIRST_CODES_PAINTED} {ms}");
    });
}
