//! The commands the window calls. Each is a few lines over `twofold_core`,
//! run on a blocking thread so keychain prompts and key derivation never
//! freeze the window.

use serde::Serialize;
use tauri::{AppHandle, Manager};
use twofold_core::vault::{self, ProtectionKind};
use twofold_core::{unix_now, Account, ManualEntry, OtpauthUri, Summary, Unlock, Vault};
use uuid::Uuid;

use crate::clipboard::CLEAR_AFTER;
use crate::error::CommandError;
use crate::state::AppState;

type Result<T> = std::result::Result<T, CommandError>;

pub(crate) async fn blocking<T: Send + 'static>(
    app: AppHandle,
    f: impl FnOnce(&AppState) -> Result<T> + Send + 'static,
) -> Result<T> {
    tauri::async_runtime::spawn_blocking(move || f(&app.state::<AppState>()))
        .await
        .map_err(|_| CommandError::new("internal", "a background task failed"))?
}

#[derive(Serialize)]
pub struct VaultStatus {
    /// "open" or "needs_passphrase".
    state: &'static str,
    protection: Option<ProtectionKind>,
    path: String,
}

/// Opens the vault with the keychain, creating it on first run; a
/// passphrase vault answers `needs_passphrase` instead.
#[tauri::command]
pub async fn open_vault(app: AppHandle) -> Result<VaultStatus> {
    blocking(app, |s| {
        let path = s.vault_path()?;
        let shown = path.display().to_string();
        if let Some(open) = s.slot().as_ref() {
            return Ok(VaultStatus { state: "open", protection: Some(open.protection()), path: shown });
        }
        if vault::protection_of(&path)? == Some(ProtectionKind::Passphrase) {
            return Ok(VaultStatus {
                state: "needs_passphrase",
                protection: Some(ProtectionKind::Passphrase),
                path: shown,
            });
        }
        let opened = Vault::open_or_create(&path, Unlock::Keychain(&s.keychain))?;
        let protection = Some(opened.protection());
        *s.slot() = Some(opened);
        Ok(VaultStatus { state: "open", protection, path: shown })
    })
    .await
}

/// For machines without a usable keychain: a new vault under a passphrase.
#[tauri::command]
pub async fn create_passphrase_vault(app: AppHandle, passphrase: String) -> Result<()> {
    blocking(app, move |s| {
        let passphrase = zeroize::Zeroizing::new(passphrase);
        let created = Vault::create(&s.vault_path()?, Unlock::Passphrase(&passphrase))?;
        *s.slot() = Some(created);
        Ok(())
    })
    .await
}

#[tauri::command]
pub async fn unlock_vault(app: AppHandle, passphrase: String) -> Result<()> {
    blocking(app, move |s| {
        let passphrase = zeroize::Zeroizing::new(passphrase);
        let opened = Vault::open(&s.vault_path()?, Unlock::Passphrase(&passphrase))?;
        *s.slot() = Some(opened);
        Ok(())
    })
    .await
}

/// Replaces a damaged vault with its backup (the damaged file is kept aside).
#[tauri::command]
pub async fn restore_backup(app: AppHandle) -> Result<()> {
    blocking(app, |s| Ok(vault::restore_backup(&s.vault_path()?, unix_now())?)).await
}

#[tauri::command]
pub async fn list_accounts(app: AppHandle) -> Result<Vec<Summary>> {
    blocking(app, |s| {
        let now = s.now();
        s.with_vault(|v| Ok(v.accounts().iter().map(|a| a.summary_at(now)).collect()))
    })
    .await
}

#[tauri::command]
pub async fn add_account_uri(app: AppHandle, uri: String) -> Result<Summary> {
    let uri = zeroize::Zeroizing::new(uri);
    let account = Account::from_uri(OtpauthUri::parse(&uri)?, unix_now());
    add(app, account).await
}

#[tauri::command]
pub async fn add_account_manual(app: AppHandle, entry: ManualEntry) -> Result<Summary> {
    add(app, entry.into_account(unix_now())?).await
}

async fn add(app: AppHandle, account: Account) -> Result<Summary> {
    blocking(app, move |s| {
        let summary = account.summary_at(unix_now());
        s.with_vault(|v| Ok(v.add(account)?))?;
        Ok(summary)
    })
    .await
}

#[tauri::command]
pub async fn rename_account(app: AppHandle, id: Uuid, issuer: String, name: String) -> Result<()> {
    blocking(app, move |s| s.with_vault(|v| Ok(v.rename(id, &issuer, &name, unix_now())?))).await
}

#[tauri::command]
pub async fn delete_account(app: AppHandle, id: Uuid) -> Result<()> {
    blocking(app, move |s| s.with_vault(|v| v.remove(id).map(drop).map_err(Into::into))).await
}

#[tauri::command]
pub async fn next_hotp(app: AppHandle, id: Uuid) -> Result<Summary> {
    blocking(app, move |s| s.with_vault(|v| Ok(v.next_hotp(id)?.summary_at(unix_now())))).await
}

/// The system's language (BCP 47), for the UI's default. Read in Rust because
/// WebKitGTK reports English whenever the locale is not installed.
#[tauri::command]
pub fn system_locale() -> String {
    sys_locale::get_locale().unwrap_or_else(|| "en".into())
}

#[derive(Serialize)]
pub struct Copied {
    clear_after_secs: u64,
}

/// Puts `text` on the clipboard, to be cleared after [`CLEAR_AFTER`].
pub fn copy_text(s: &AppState, text: &str) -> Result<Copied> {
    s.clipboard
        .copy(text)
        .map_err(|e| CommandError::new("clipboard", format!("could not use the clipboard: {e}")))?;
    Ok(Copied { clear_after_secs: CLEAR_AFTER.as_secs() })
}

/// Puts the account's current code on the clipboard; the code never has to
/// pass through the web view to be copied.
#[tauri::command]
pub async fn copy_code(app: AppHandle, id: Uuid) -> Result<Copied> {
    blocking(app, move |s| {
        let code = s.with_vault(|v| Ok(v.account(id)?.otp.code_at(s.now()).value))?;
        copy_text(s, &code)
    })
    .await
}
