//! The Twofold window app: a thin Tauri shell over `twofold_core`.

mod clipboard;
mod commands;
mod details;
mod enroll;
mod error;
mod state;
mod transfer;

pub use error::CommandError;

pub fn run() {
    let app = tauri::Builder::default()
        .manage(state::AppState::from_env())
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(drop) = event {
                use tauri::Manager;
                enroll::on_drag_drop(window.app_handle(), drop);
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::open_vault,
            commands::create_passphrase_vault,
            commands::unlock_vault,
            commands::restore_backup,
            commands::list_accounts,
            commands::add_account_uri,
            commands::add_account_manual,
            commands::rename_account,
            commands::delete_account,
            commands::next_hotp,
            commands::copy_code,
            commands::system_locale,
            enroll::scan_image,
            enroll::scan_text,
            enroll::paste_from_clipboard,
            enroll::enrollment_preview,
            enroll::confirm_enrollment,
            enroll::cancel_enrollment,
            transfer::transfer_status,
            transfer::export_bundle,
            transfer::verify_bundle,
            transfer::import_file,
            transfer::unlock_import,
            transfer::phone_export,
            transfer::account_qr,
            transfer::export_plain,
            details::account_details,
            details::save_recovery_codes,
            details::use_recovery_code,
            details::copy_recovery_code,
            details::save_ways_in,
            details::checklist,
            details::check_clock,
            details::set_clock_correction,
            details::save_clock_settings,
        ])
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
