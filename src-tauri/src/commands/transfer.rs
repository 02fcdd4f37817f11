//! Moving to a new computer: export a transfer bundle and verify it at once,
//! verify one later, QR codes for a phone, unencrypted exports, and the
//! checklist of what to fix before wiping the old machine. Importing another
//! app's file is enrolment (`enroll::add_file`): the same path and preview
//! as a QR screenshot.

use std::path::PathBuf;

use serde::Serialize;
use tauri::AppHandle;
use twofold_core::checklist::Checklist;
use twofold_core::phone_export::{self, ExportCode, PhoneExport};
use twofold_core::transfer::{self, PlainFormat, Replace, Verification};
use twofold_core::vault::VerifiedBundle;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::{blocking, Result};
use crate::error::CommandError;

#[derive(Serialize)]
pub struct TransferStatus {
    last_verified: Option<VerifiedBundle>,
    accounts: usize,
    suggested_path: String,
}

#[tauri::command]
pub async fn transfer_status(app: AppHandle) -> Result<TransferStatus> {
    blocking(app, |s| {
        let dir = directories::UserDirs::new()
            .and_then(|d| {
                d.document_dir().map(|p| p.to_path_buf()).or_else(|| Some(d.home_dir().to_path_buf()))
            })
            .unwrap_or_default();
        let suggested_path = dir.join(transfer::suggested_file_name(s.now())).display().to_string();
        s.with_vault(|v| {
            Ok(TransferStatus {
                last_verified: v.meta().last_verified_bundle.clone(),
                accounts: v.accounts().len(),
                suggested_path,
            })
        })
    })
    .await
}

/// Writes the bundle, then reads it back from disk and verifies it.
#[tauri::command]
pub async fn export_bundle(app: AppHandle, path: PathBuf, passphrase: String) -> Result<Verification> {
    let passphrase = Zeroizing::new(passphrase);
    blocking(app, move |s| {
        s.with_vault(|v| Ok(transfer::export_file(v, &path, &passphrase, Replace::Never, s.now())?))
    })
    .await
}

#[tauri::command]
pub async fn verify_bundle(app: AppHandle, path: PathBuf, passphrase: String) -> Result<Verification> {
    let passphrase = Zeroizing::new(passphrase);
    blocking(app, move |s| s.with_vault(|v| Ok(transfer::verify_file(v, &path, &passphrase, s.now())?))).await
}

/// Migration QR codes for a phone. The UI asks for confirmation first:
/// these codes show every secret on screen.
#[tauri::command]
pub async fn phone_export(app: AppHandle) -> Result<PhoneExport> {
    blocking(app, |s| {
        let mut id = [0u8; 4];
        getrandom::fill(&mut id).map_err(|_| CommandError::internal("no random numbers"))?;
        s.with_vault(|v| Ok(phone_export::migration_codes(v.accounts(), i32::from_le_bytes(id))))
    })
    .await
}

/// One account's `otpauth://` QR code (after the same confirmation).
#[tauri::command]
pub async fn account_qr(app: AppHandle, id: Uuid) -> Result<ExportCode> {
    blocking(app, move |s| s.with_vault(|v| Ok(phone_export::account_code(v.account(id)?)))).await
}

/// Unencrypted exports for people who need them (the UI warns first).
/// Returns where the file went: its name says UNENCRYPTED.
#[tauri::command]
pub async fn export_plain(app: AppHandle, path: PathBuf, format: PlainFormat) -> Result<String> {
    blocking(app, move |s| {
        let written = s.with_vault(|v| Ok(transfer::export_plain_file(v, &path, format, Replace::Never)?))?;
        Ok(written.display().to_string())
    })
    .await
}

#[tauri::command]
pub async fn checklist(app: AppHandle) -> Result<Checklist> {
    blocking(app, |s| s.with_vault(|v| Ok(Checklist::build(v.accounts(), v.meta(), s.now())))).await
}
