//! A bare Tauri window of Twofold's size and settings with a static page: the
//! baseline `make bench-window` compares Twofold's idle CPU, memory and start
//! time against, built with the same profile in the same run.

fn main() {
    if let Err(e) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("twofold-bare-window: {e}");
        std::process::exit(1);
    }
}
