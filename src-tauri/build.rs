fn main() {
    // Commands are listed so the capability file can grant exactly these.
    // The same list is in `src/commands/mod.rs` (the handler),
    // `capabilities/main.json` and `ui/js/api.js`; `tests/boundary.rs` checks
    // that all four agree.
    let commands = &[
        "open_vault",
        "create_passphrase_vault",
        "unlock_vault",
        "restore_previous",
        "create_vault_anew",
        "passphrase_rule",
        "list_accounts",
        "add_account_uri",
        "add_account_manual",
        "rename_account",
        "delete_account",
        "next_hotp",
        "copy_code",
        "set_pinned",
        "set_tags",
        "set_icon",
        "list_icons",
        "set_list_order",
        "move_account",
        "system_locale",
        "set_language",
        "preview_file",
        "unlock_file",
        "scan_text",
        "scan_screen",
        "paste_from_clipboard",
        "enrollment_preview",
        "confirm_add",
        "cancel_enrollment",
        "choose_enrollment",
        "transfer_status",
        "export_bundle",
        "verify_bundle",
        "phone_export",
        "account_qr",
        "export_plain",
        "checklist",
        "account_details",
        "save_recovery_codes",
        "use_recovery_code",
        "copy_recovery_code",
        "save_ways_in",
        "check_clock",
        "set_clock_correction",
        "save_clock_settings",
        "page_ready",
        "set_zoom",
        "preferences",
        "save_preferences",
        "set_lock_passphrase",
        "lock_app",
        "unlock_app",
        "still_here",
        "quick_names",
        "quick_copy",
        "quick_close",
        "open_main",
        "set_quick_shortcut",
        "backup_status",
        "enable_backups",
        "disable_backups",
        "set_backup_retention",
        "restore_points",
        "restore_point",
        "start_over_from_backups",
        "sync_status",
        "enable_sync",
        "sync_now",
        "resolve_sync_conflict",
        "remove_sync_device",
        "disable_sync",
    ];
    // tauri-build reads the capability files but does not tell cargo to
    // rebuild when they change; without this, a granted permission is missing
    // from an incremental build until something else reruns this script.
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(commands));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {error:#}");
    }
}
