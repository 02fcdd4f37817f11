//! The Twofold window app: a thin Tauri shell over `twofold_core`.
//!
//! - `commands/`: what the page calls, a few lines each over core.
//! - `actions`: what every entry point asks for (commands, the tray, quick
//!   search, the shortcut, the watchers, drops, a second launch), and the
//!   one listener of vault changes.
//! - `state`: what is held between commands; the only way to the vault.
//! - services that know nothing of the rest: `backups` (when to back up),
//!   `session_lock` (locked or not, the idle timer), `platform` (what each
//!   system says: the session locked, sleep; the only `unsafe`), `tray` (the menu), `quick` (its window and
//!   shortcut), `single_instance`, `screen_scan`, `windows`, `clipboard`.
//! - `events`: every event the page hears; `error`: every error code.

mod actions;
mod backups;
mod bench;
mod clipboard;
mod commands;
mod error;
mod events;
mod messages;
mod native_dialog;
mod navigation;
mod platform;
mod quick;
mod screen_scan;
mod session_lock;
mod single_instance;
mod state;
mod sync_runner;
mod tray;
mod windows;

pub use error::{CommandError, ErrorCode};
pub use screen_scan::keep_captures_private;

/// `twofold --check-system-unlock`: asks the system to confirm the person
/// as the lock screen's "Unlock with …" does, and says what it answered
/// (`confirmed`, `refused`, `cancelled`, or why it cannot ask), so a
/// person can see whether their desktop's authentication agent works
/// before relying on it. The exit status says the same: 0, 1, 2, 3.
pub fn check_system_unlock() -> i32 {
    use twofold_core::app_lock::SystemAnswer;
    let lang = messages::Language::default().get();
    match platform::confirm_person(None, messages::unlock_reason(lang)) {
        Ok(SystemAnswer::Confirmed) => {
            println!("confirmed");
            0
        }
        Ok(SystemAnswer::Refused) => {
            println!("refused");
            1
        }
        Ok(SystemAnswer::Cancelled) => {
            println!("cancelled");
            2
        }
        Err(why) => {
            println!("unavailable: {why}");
            3
        }
    }
}

pub fn run() {
    let quick = std::env::args().skip(1).any(|arg| arg == "--quick");
    // How the login item starts Twofold: in the tray, without a window.
    let hidden = std::env::args().skip(1).any(|arg| arg == "--hidden");
    let request = if quick { single_instance::Request::Quick } else { single_instance::Request::Show };
    let claim = match twofold_core::vault::default_dir().map(|dir| single_instance::claim(&dir, request)) {
        Ok(Ok(single_instance::Outcome::First(claim))) => Some(claim),
        Ok(Ok(single_instance::Outcome::AlreadyRunning)) => {
            eprintln!(
                "twofold: already open; {}",
                if quick { "opened its quick search" } else { "brought its window to the front" }
            );
            return;
        }
        // No data directory or no lock: the vault reports that in the window.
        _ => None,
    };
    let app = tauri::Builder::default()
        .plugin(navigation::stay_in_app())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_global_shortcut::Builder::new().build())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec!["--hidden"]),
        ))
        .manage(quick::Registered::default())
        .manage(state::AppState::from_env())
        .manage(tray::Tray::default())
        .manage(messages::Language::default())
        .on_window_event(|window, event| {
            use tauri::Manager;
            match event {
                tauri::WindowEvent::DragDrop(drop) => {
                    commands::enroll::on_drag_drop(window.app_handle(), drop)
                }
                tauri::WindowEvent::CloseRequested { api, .. }
                    if actions::close_to_tray(window.app_handle()) =>
                {
                    api.prevent_close();
                }
                _ => {}
            }
        })
        .invoke_handler(all_commands!())
        .setup(move |app| {
            let tray = tray::host_available();
            actions::wire(app.handle(), tray);
            if let Some(claim) = claim {
                let handle = app.handle().clone();
                claim.listen(move |request| actions::second_launch(&handle, request));
                // Held until the process ends.
                tauri::Manager::manage(app, claim);
            }
            commands::vault::open_early(app.handle());
            bench::listen(app.handle());
            // Without a tray to open it from, a hidden start would be lost.
            let start_hidden = hidden && tray;
            tauri::Manager::manage(app, windows::MainWindow::new(start_hidden));
            if !start_hidden {
                windows::show_anyway(app.handle());
            }
            if quick {
                quick::open(app.handle());
            }
            Ok(())
        })
        .build(tauri::generate_context!());
    let app = match app {
        Ok(app) => app,
        Err(e) => {
            eprintln!("twofold: could not start the window: {e}");
            std::process::exit(1);
        }
    };
    app.run(|handle, event| {
        // Leave no code behind on the clipboard when the app quits.
        if let tauri::RunEvent::Exit = event {
            use tauri::Manager;
            handle.state::<state::AppState>().clipboard.clear_if_ours();
        }
    });
}
