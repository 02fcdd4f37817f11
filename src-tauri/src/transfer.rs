//! Moving to a new computer: export a transfer bundle and verify it at once,
//! verify one later, and import any supported file (the passphrase is asked
//! for only when the file is encrypted). Imports go through the same preview
//! as QR images.

use serde::Serialize;
use tauri::AppHandle;
use twofold_core::formats::{self, FormatError};
use twofold_core::transfer::{self, PlainFormat, TransferError, Verification};
use twofold_core::unix_now;
use twofold_core::vault::VerifiedBundle;
use zeroize::Zeroizing;

use crate::commands::blocking;
use crate::enroll::preview;
use crate::error::CommandError;
use crate::state::AppState;

type Result<T> = std::result::Result<T, CommandError>;

impl From<TransferError> for CommandError {
    fn from(e: TransferError) -> Self {
        match e {
            TransferError::Format(f) => f.into(),
            TransferError::Vault(v) => v.into(),
            other => {
                let code = match &other {
                    TransferError::WeakPassphrase => "weak_passphrase",
                    TransferError::NotABundle(_) => "not_a_bundle",
                    _ => "io",
                };
                CommandError::new(code, other.to_string())
            }
        }
    }
}

impl From<FormatError> for CommandError {
    fn from(e: FormatError) -> Self {
        let code = match &e {
            FormatError::WrongPassphrase => "wrong_passphrase",
            FormatError::Damaged(_) => "file_damaged",
            FormatError::NeedsPassphrase(_) => "needs_passphrase_file",
            FormatError::Unrecognized => "file_unrecognized",
            FormatError::Unsupported(kind) => {
                return CommandError {
                    detail: Some(kind.code()),
                    ..CommandError::new("file_unsupported", e.to_string())
                }
            }
            FormatError::Internal => "internal",
        };
        CommandError::new(code, e.to_string())
    }
}

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
        let suggested_path = dir.join(transfer::suggested_file_name(unix_now())).display().to_string();
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
pub async fn export_bundle(app: AppHandle, path: String, passphrase: String) -> Result<Verification> {
    let passphrase = Zeroizing::new(passphrase);
    blocking(app, move |s| {
        let bytes = s.with_vault(|v| Ok(transfer::export(v.accounts(), &passphrase)?))?;
        transfer::save(std::path::Path::new(&path), &bytes)?;
        verify_path(s, &path, &passphrase)
    })
    .await
}

#[tauri::command]
pub async fn verify_bundle(app: AppHandle, path: String, passphrase: String) -> Result<Verification> {
    let passphrase = Zeroizing::new(passphrase);
    blocking(app, move |s| verify_path(s, &path, &passphrase)).await
}

fn verify_path(s: &AppState, path: &str, passphrase: &str) -> Result<Verification> {
    s.with_vault(|v| Ok(transfer::verify_file(v, std::path::Path::new(path), passphrase, unix_now())?))
}

/// Reads an import file sent as raw bytes. An encrypted file is kept (in
/// Rust) until [`unlock_import`] brings its passphrase.
#[tauri::command]
pub async fn import_file(
    app: AppHandle,
    request: tauri::ipc::Request<'_>,
) -> Result<twofold_core::enroll::Preview> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(CommandError::new("internal", "expected the file as raw bytes"));
    };
    let bytes = Zeroizing::new(bytes.clone());
    let source = crate::enroll::source_name(&request, "file");
    blocking(app, move |s| read_into_pending(s, &source, bytes, None)).await
}

#[tauri::command]
pub async fn unlock_import(app: AppHandle, passphrase: String) -> Result<twofold_core::enroll::Preview> {
    let passphrase = Zeroizing::new(passphrase);
    blocking(app, move |s| {
        let (source, bytes) =
            s.locked_import().take().ok_or_else(|| CommandError::new("internal", "no file is waiting"))?;
        read_into_pending(s, &source, bytes, Some(&passphrase))
    })
    .await
}

fn read_into_pending(
    s: &AppState,
    source: &str,
    bytes: Zeroizing<Vec<u8>>,
    passphrase: Option<&str>,
) -> Result<twofold_core::enroll::Preview> {
    match formats::read(&bytes, passphrase) {
        Ok((_, imported)) => {
            s.pending().add_imported(source, imported);
            preview(s)
        }
        Err(e @ (FormatError::NeedsPassphrase(_) | FormatError::WrongPassphrase)) => {
            // Keep the file so the person can type the passphrase (again).
            *s.locked_import() = Some((source.to_owned(), bytes));
            Err(e.into())
        }
        Err(e) => Err(e.into()),
    }
}

/// Migration QR codes for a phone. The UI asks for confirmation first:
/// these codes show every secret on screen.
#[tauri::command]
pub async fn phone_export(app: AppHandle) -> Result<twofold_core::phone_export::PhoneExport> {
    blocking(app, |s| {
        let mut id = [0u8; 4];
        getrandom::fill(&mut id).map_err(|_| CommandError::new("internal", "no random numbers"))?;
        s.with_vault(|v| {
            Ok(twofold_core::phone_export::migration_codes(v.accounts(), i32::from_le_bytes(id)))
        })
    })
    .await
}

/// One account's `otpauth://` QR code (after the same confirmation).
#[tauri::command]
pub async fn account_qr(app: AppHandle, id: uuid::Uuid) -> Result<twofold_core::phone_export::ExportCode> {
    blocking(app, move |s| s.with_vault(|v| Ok(twofold_core::phone_export::account_code(v.account(id)?))))
        .await
}

/// Unencrypted exports for people who need them (the UI warns first). The
/// file name says UNENCRYPTED so it is not mistaken for the bundle.
#[tauri::command]
pub async fn export_plain(app: AppHandle, path: String, format: String) -> Result<String> {
    blocking(app, move |s| {
        let base = path.strip_suffix(".json").unwrap_or(&path).to_owned();
        let (target, format) = match format.as_str() {
            "aegis" => (format!("{base}-UNENCRYPTED.json"), PlainFormat::Aegis),
            _ => (format!("{base}-UNENCRYPTED.txt"), PlainFormat::UriList),
        };
        let bytes = s.with_vault(|v| Ok(transfer::export_plain(v.accounts(), format)?))?;
        transfer::save(std::path::Path::new(&target), &bytes)?;
        Ok(target)
    })
    .await
}
