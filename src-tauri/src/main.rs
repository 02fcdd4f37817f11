// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    twofold_core::harden::process();
    if std::env::args().nth(1).as_deref() == Some("--check-system-unlock") {
        std::process::exit(twofold_app::check_system_unlock());
    }
    twofold_app::keep_captures_private();
    twofold_app::run()
}
