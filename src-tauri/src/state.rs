//! What the window app holds between commands: the open vault (if any), the
//! keychain it uses, and the clipboard.

use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use twofold_core::enroll::Collected;
use twofold_core::{vault, Keychain, Vault};
use zeroize::Zeroizing;

use crate::clipboard::CodeClipboard;
use crate::error::{CommandError, ErrorCode};
use crate::session_lock::SessionLock;

pub struct AppState {
    pub keychain: Keychain,
    vault: Mutex<Option<Vault>>,
    /// Scanned but not yet confirmed accounts (secrets stay in Rust).
    pending: Mutex<Collected>,
    /// An encrypted import file waiting for its passphrase.
    locked_import: Mutex<Option<(String, Zeroizing<Vec<u8>>)>>,
    pub clipboard: Arc<CodeClipboard>,
    /// Milliseconds subtracted from the system clock for codes, when the
    /// person chose to correct a clock found to be off (0: no correction).
    pub correction_ms: AtomicI64,
    last_offset: Mutex<Option<f64>>,
    /// The app lock: while locked, no command reads the vault.
    pub lock: SessionLock,
    /// Backups wait for saves (`with_vault` tells it).
    pub backups: std::sync::Arc<crate::backups::Schedule>,
}

impl AppState {
    pub fn from_env() -> Self {
        Self {
            keychain: Keychain::from_env(),
            vault: Mutex::new(None),
            pending: Mutex::default(),
            locked_import: Mutex::default(),
            clipboard: Arc::default(),
            correction_ms: AtomicI64::new(0),
            last_offset: Mutex::default(),
            lock: SessionLock::default(),
            backups: Default::default(),
        }
    }

    pub fn vault_path(&self) -> Result<PathBuf, CommandError> {
        Ok(vault::path_in(&vault::default_dir()?))
    }

    /// The vault slot. A panic while it was held cannot leave it half-changed
    /// (changes are applied only after a successful save), so poisoning is ignored.
    pub fn slot(&self) -> MutexGuard<'_, Option<Vault>> {
        self.vault.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The time codes are made for: the system clock minus the correction.
    pub fn now(&self) -> u64 {
        self.now_ms() / 1000
    }

    /// [`Self::now`] in milliseconds, for the window's countdowns.
    pub fn now_ms(&self) -> u64 {
        let correction = i128::from(self.correction_ms.load(Ordering::SeqCst));
        let system = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i128::try_from(d.as_millis()).unwrap_or(0));
        u64::try_from((system - correction).max(0)).unwrap_or(0)
    }

    /// The last clock measurement (seconds the local clock is fast).
    pub fn last_offset(&self) -> MutexGuard<'_, Option<f64>> {
        self.last_offset.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn pending(&self) -> MutexGuard<'_, Collected> {
        self.pending.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn locked_import(&self) -> MutexGuard<'_, Option<(String, Zeroizing<Vec<u8>>)>> {
        self.locked_import.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Keeps a vault just opened for the commands. With the app lock on, a
    /// vault the keychain opened starts locked; one the person has just
    /// typed its passphrase for does not.
    pub fn install(&self, slot: &mut Option<Vault>, vault: Vault, start_locked: bool) {
        self.lock.configure(&vault.meta().lock, start_locked);
        *slot = Some(vault);
    }

    pub fn with_vault<T>(
        &self,
        f: impl FnOnce(&mut Vault) -> Result<T, CommandError>,
    ) -> Result<T, CommandError> {
        if self.lock.is_locked() {
            return Err(CommandError::new(ErrorCode::AppLocked, "Twofold is locked"));
        }
        match self.slot().as_mut() {
            // Another process (the CLI, a second window) may have saved since.
            Some(vault) => {
                vault.reload_if_changed()?;
                let saves = vault.saves();
                let result = f(vault);
                if vault.saves() != saves {
                    self.backups.changed();
                }
                result
            }
            None => Err(CommandError::new(ErrorCode::VaultLocked, "the vault is not open")),
        }
    }
}
