//! Opening the vault: with the keychain (created on first run), with a
//! passphrase where no keychain is usable, and restoring its backup.

use std::path::Path;

use serde::Serialize;
use tauri::{AppHandle, Manager};
use twofold_core::vault::{self, IfItOpens, ProtectionKind};
use twofold_core::{unix_now, Unlock, Vault, VaultError};
use zeroize::Zeroizing;

use super::{blocking, Result};
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VaultState {
    Open,
    /// A passphrase vault: the window asks for it, then calls `unlock_vault`.
    NeedsPassphrase,
    /// Open, behind the app lock: the window asks for the lock passphrase.
    Locked,
}

#[derive(Serialize)]
pub struct VaultStatus {
    state: VaultState,
    protection: Option<ProtectionKind>,
    path: String,
}

/// At start-up, while the page loads: opens an existing keychain vault in the
/// background, so the first codes need no keychain round trip once the page
/// asks. Anything else (first run, a passphrase, an error) is left to
/// `open_vault`, which reports it; the slot's lock makes that wait for this.
pub fn open_early(app: &AppHandle) {
    let app = app.clone();
    std::thread::spawn(move || {
        let s = app.state::<AppState>();
        let Ok(path) = s.vault_path() else { return };
        let _ = s.open_once(|| vault::open_if_any(&path, &s.keychain, None), true);
    });
}

/// Opens the vault with the keychain, creating it on first run; a
/// passphrase vault answers `needs_passphrase` instead.
#[tauri::command]
pub async fn open_vault(app: AppHandle) -> Result<VaultStatus> {
    blocking(app, |s| {
        let path = s.vault_path()?;
        let status = |state, protection| VaultStatus { state, protection, path: path.display().to_string() };
        match s.open_once(|| vault::open_or_create(&path, &s.keychain, None).map(Some), true) {
            Ok(_) => {
                let state = if s.lock.is_locked() { VaultState::Locked } else { VaultState::Open };
                Ok(status(state, s.protection()))
            }
            Err(VaultError::NeedsPassphrase) => {
                Ok(status(VaultState::NeedsPassphrase, Some(ProtectionKind::Passphrase)))
            }
            Err(e) => Err(e.into()),
        }
    })
    .await
}

/// Opens or creates the vault with `how` where none could be opened, then
/// keeps it for the commands (refused while locked or with a vault open).
async fn adopt(
    app: AppHandle,
    how: impl FnOnce(&AppState, &Path) -> std::result::Result<Vault, VaultError> + Send + 'static,
) -> Result<()> {
    blocking(app, move |s| s.replace_unopenable(|| Ok((Some(how(s, &s.vault_path()?)?), ())), false)).await
}

/// The rule every passphrase Rust accepts follows (vaults, bundles,
/// backups), for the page's hint: it never keeps a second copy of it.
#[derive(Serialize)]
pub struct PassphraseRule {
    /// At least this many characters (Unicode scalar values, not bytes).
    min_chars: usize,
}

#[tauri::command]
pub fn passphrase_rule() -> PassphraseRule {
    PassphraseRule { min_chars: twofold_core::passphrase::MIN_PASSPHRASE_CHARS }
}

/// For machines without a usable keychain: a new vault under a passphrase.
#[tauri::command]
pub async fn create_passphrase_vault(app: AppHandle, passphrase: String) -> Result<()> {
    let passphrase = Zeroizing::new(passphrase);
    adopt(app, move |_, path| Vault::create(path, Unlock::Passphrase(&passphrase))).await
}

#[tauri::command]
pub async fn unlock_vault(app: AppHandle, passphrase: String) -> Result<()> {
    let passphrase = Zeroizing::new(passphrase);
    adopt(app, move |_, path| Vault::open(path, Unlock::Passphrase(&passphrase))).await
}

/// Where a vault was before but is gone: a new, empty one, as the person
/// chose (the old backup is kept aside, never deleted).
#[tauri::command]
pub async fn create_vault_anew(app: AppHandle) -> Result<()> {
    adopt(app, |s, path| Vault::create_anew(path, Unlock::Keychain(&s.keychain), unix_now())).await
}

/// Replaces a damaged vault with its previous version (the damaged file is kept aside).
#[tauri::command]
pub async fn restore_previous(app: AppHandle) -> Result<()> {
    blocking(app, |s| {
        s.replace_unopenable(
            || {
                let path = s.vault_path()?;
                // A keychain vault that opens is left alone; a passphrase
                // vault cannot be tried here, and the file it replaces is kept.
                let if_it_opens = match vault::protection_of(&path) {
                    Ok(Some(ProtectionKind::Passphrase)) => IfItOpens::RollBack,
                    _ => IfItOpens::Refuse(Unlock::Keychain(&s.keychain)),
                };
                vault::restore_previous(&path, unix_now(), if_it_opens)?;
                Ok((None, ()))
            },
            true,
        )
    })
    .await
}
