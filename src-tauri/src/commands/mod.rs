//! The commands the window calls, grouped by feature under the same names
//! as `ui/js/` (vault, accounts, enroll, transfer, recovery, clock). Each is
//! a few lines over `twofold_core`, run on a blocking thread so keychain
//! prompts, key derivation and QR decoding never freeze the window.

pub mod accounts;
pub mod backups;
pub mod clock;
pub mod enroll;
pub mod language;
pub mod lock;
pub mod quick;
pub mod recovery;
pub mod sync;
pub mod transfer;
pub mod vault;
pub mod window;

use tauri::{AppHandle, Manager};

use crate::error::CommandError;
use crate::state::AppState;

pub type Result<T> = std::result::Result<T, CommandError>;

pub(crate) async fn blocking<T: Send + 'static>(
    app: AppHandle,
    f: impl FnOnce(&AppState) -> Result<T> + Send + 'static,
) -> Result<T> {
    tauri::async_runtime::spawn_blocking(move || f(&app.state::<AppState>()))
        .await
        .map_err(|_| CommandError::internal("a background task failed"))?
}

/// Every command, for `invoke_handler`. `build.rs`, the capability file and
/// `ui/js/api.js` list the same names; a test checks that they agree.
#[macro_export]
macro_rules! all_commands {
    () => {
        tauri::generate_handler![
            commands::vault::open_vault,
            commands::vault::create_passphrase_vault,
            commands::vault::unlock_vault,
            commands::vault::restore_previous,
            commands::vault::create_vault_anew,
            commands::vault::passphrase_rule,
            commands::accounts::list_accounts,
            commands::accounts::add_account_uri,
            commands::accounts::add_account_manual,
            commands::accounts::rename_account,
            commands::accounts::delete_account,
            commands::accounts::next_hotp,
            commands::accounts::copy_code,
            commands::accounts::set_pinned,
            commands::accounts::set_tags,
            commands::accounts::set_icon,
            commands::accounts::list_icons,
            commands::accounts::set_list_order,
            commands::accounts::move_account,
            commands::language::system_locale,
            commands::language::set_language,
            commands::enroll::preview_file,
            commands::enroll::unlock_file,
            commands::enroll::scan_text,
            commands::enroll::scan_screen,
            commands::enroll::paste_from_clipboard,
            commands::enroll::enrollment_preview,
            commands::enroll::confirm_add,
            commands::enroll::cancel_enrollment,
            commands::enroll::choose_enrollment,
            commands::transfer::transfer_status,
            commands::transfer::export_bundle,
            commands::transfer::verify_bundle,
            commands::transfer::phone_export,
            commands::transfer::account_qr,
            commands::transfer::export_plain,
            commands::transfer::checklist,
            commands::recovery::account_details,
            commands::recovery::save_recovery_codes,
            commands::recovery::use_recovery_code,
            commands::recovery::copy_recovery_code,
            commands::recovery::save_ways_in,
            commands::clock::check_clock,
            commands::clock::set_clock_correction,
            commands::clock::save_clock_settings,
            commands::window::page_ready,
            commands::window::set_zoom,
            commands::lock::preferences,
            commands::lock::save_preferences,
            commands::lock::set_lock_passphrase,
            commands::lock::lock_app,
            commands::lock::unlock_app,
            commands::lock::unlock_with_system,
            commands::lock::lock_options,
            commands::lock::set_system_unlock,
            commands::lock::still_here,
            commands::quick::quick_names,
            commands::quick::quick_copy,
            commands::quick::quick_close,
            commands::quick::open_main,
            commands::quick::set_quick_shortcut,
            commands::sync::sync_status,
            commands::sync::enable_sync,
            commands::sync::sync_now,
            commands::sync::resolve_sync_conflict,
            commands::sync::remove_sync_device,
            commands::sync::disable_sync,
            commands::backups::backup_status,
            commands::backups::enable_backups,
            commands::backups::disable_backups,
            commands::backups::set_backup_retention,
            commands::backups::restore_points,
            commands::backups::restore_point,
            commands::backups::start_over_from_backups,
        ]
    };
}
