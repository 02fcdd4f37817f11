//! Moving to a new computer: export a transfer bundle and verify it at once,
//! verify one later, QR codes for a phone, unencrypted exports, and the
//! checklist of what to fix before wiping the old machine. Importing another
//! app's file is enrolment (`enroll::preview_file`): the same path and preview
//! as a QR screenshot.

use std::path::Path;

use serde::Serialize;
use tauri::AppHandle;
use twofold_core::checklist::Checklist;
use twofold_core::compare::Verification;
use twofold_core::phone_export::{self, ExportCode, PhoneExport};
use twofold_core::settings::VerifiedBundle;
use twofold_core::transfer::{self, PlainFormat, Replace};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::{blocking, Result};
use crate::error::CommandError;
use crate::native_dialog::{choose_file, confirm, Purpose, Question};

#[derive(Serialize)]
pub struct TransferStatus {
    last_verified: Option<VerifiedBundle>,
    accounts: usize,
}

#[tauri::command]
pub async fn transfer_status(app: AppHandle) -> Result<TransferStatus> {
    blocking(app, |s| {
        s.with_vault(|v| {
            Ok(TransferStatus {
                last_verified: v.meta().last_verified_bundle.clone(),
                accounts: v.accounts().len(),
            })
        })
    })
    .await
}

/// Asks where to save (a native dialog: the page never names a path), writes
/// the bundle, then reads it back from disk and verifies it. None: the
/// person cancelled.
#[tauri::command]
pub async fn export_bundle(app: AppHandle, passphrase: String) -> Result<Option<Verification>> {
    let passphrase = Zeroizing::new(passphrase);
    blocking(app.clone(), move |s| {
        let suggested = transfer::suggested_file_name(s.now());
        let Some(path) = choose_file(&app, Purpose::SaveBundle, &suggested) else {
            return Ok(None);
        };
        // The save dialog already asked before replacing an existing file.
        s.with_vault(|v| Ok(transfer::export_file(v, &path, &passphrase, Replace::Existing, s.now())?))
            .map(Some)
    })
    .await
}

/// Asks which bundle to verify (a native dialog), then verifies it.
#[tauri::command]
pub async fn verify_bundle(app: AppHandle, passphrase: String) -> Result<Option<Verification>> {
    let passphrase = Zeroizing::new(passphrase);
    blocking(app.clone(), move |s| {
        let Some(path) = choose_file(&app, Purpose::OpenBundle, "") else {
            return Ok(None);
        };
        s.with_vault(|v| Ok(transfer::verify_file(v, &path, &passphrase, s.now())?)).map(Some)
    })
    .await
}

/// Migration QR codes for a phone, after a native confirmation (these codes
/// show every secret on screen). None: the person declined.
#[tauri::command]
pub async fn phone_export(app: AppHandle) -> Result<Option<PhoneExport>> {
    blocking(app.clone(), move |s| {
        if !confirm(&app, Question::RevealAll) {
            return Ok(None);
        }
        let mut id = [0u8; 4];
        getrandom::fill(&mut id).map_err(|_| CommandError::internal("no random numbers"))?;
        s.with_vault(|v| Ok(phone_export::migration_codes(v.accounts(), i32::from_le_bytes(id)))).map(Some)
    })
    .await
}

/// One account's `otpauth://` QR code, after the same confirmation.
#[tauri::command]
pub async fn account_qr(app: AppHandle, id: Uuid) -> Result<Option<ExportCode>> {
    blocking(app.clone(), move |s| {
        if !confirm(&app, Question::RevealOne) {
            return Ok(None);
        }
        s.with_vault(|v| Ok(phone_export::account_code(v.account(id)?))).map(Some)
    })
    .await
}

/// An unencrypted export for people who need one: a native warning first,
/// then a native save dialog. Returns where the file went (its name says
/// UNENCRYPTED), or None if the person stopped at either.
#[tauri::command]
pub async fn export_plain(app: AppHandle, format: PlainFormat) -> Result<Option<String>> {
    blocking(app.clone(), move |s| {
        if !confirm(&app, Question::WritePlain) {
            return Ok(None);
        }
        let suggested = format.file_for(Path::new(&transfer::suggested_file_name(s.now())));
        let suggested = suggested.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let Some(path) = choose_file(&app, Purpose::SavePlain, &suggested) else {
            return Ok(None);
        };
        // Never replaces: the name written may differ from the one the save
        // dialog confirmed (it always says UNENCRYPTED).
        let written = s.with_vault(|v| Ok(transfer::export_plain_file(v, &path, format, Replace::Never)?))?;
        Ok(Some(written.display().to_string()))
    })
    .await
}

#[tauri::command]
pub async fn checklist(app: AppHandle) -> Result<Checklist> {
    blocking(app, |s| {
        s.with_vault(|v| {
            Ok(Checklist::build(v.accounts(), v.meta(), s.now())
                .with_backups(twofold_core::backup::health(v, &s.keychain)))
        })
    })
    .await
}
