// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    twofold_core::harden::process();
    twofold_app::keep_captures_private();
    twofold_app::run()
}
