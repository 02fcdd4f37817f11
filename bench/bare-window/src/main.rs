//! A bare Tauri window of Twofold's size and settings with a static page: the
//! baseline `make bench-window` compares Twofold's idle CPU, memory and start
//! time against, built with the same profile in the same run. Its page sends
//! the same first-paint mark as Twofold's, printed with `TWOFOLD_BENCH=1`.

use tauri::Listener;

fn main() {
    let app = tauri::Builder::default().setup(|app| {
        if std::env::var_os("TWOFOLD_BENCH").is_some() {
            app.listen_any("first-codes-painted", |_| {
                let ms = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_millis());
                eprintln!("twofold-bench: first-codes-painted {ms}");
            });
        }
        Ok(())
    });
    if let Err(e) = app.run(tauri::generate_context!()) {
        eprintln!("twofold-bare-window: {e}");
        std::process::exit(1);
    }
}
