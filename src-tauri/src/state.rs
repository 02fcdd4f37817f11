//! What the window app holds between commands: the open vault (if any) and
//! the keychain it uses, the scans waiting to be confirmed and an encrypted
//! file waiting for its passphrase, the clipboard, the clock correction,
//! the app lock, the backup schedule and the sync schedule.
//!
//! The vault is reached only through this type: [`AppState::with_vault`]
//! for everything that reads accounts (refused while the app is locked),
//! [`AppState::meta`] for the settings Rust needs even while locked. Every
//! change it notices (a save here, a save by another process, a vault
//! opened or replaced) is announced once, to the listener `lib.rs` wires
//! (`actions::vault_changed`: the backup schedule, the tray and the page).

use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use twofold_core::backup::BackupError;
use twofold_core::enroll::{Collected, NamedFile};
use twofold_core::settings::Meta;
use twofold_core::vault::ProtectionKind;
use twofold_core::{backup, vault, Keychain, Vault};

use crate::backups::Schedule;
use crate::clipboard::CodeClipboard;
use crate::error::{CommandError, ErrorCode};
use crate::session_lock::SessionLock;

/// What changed in the vault, as its one listener hears it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Saved here: back it up.
    Saved,
    /// Another process (the CLI, say) saved it; it was read again.
    Reloaded,
    /// Only a note of use (the "recently used" order): not a save.
    Noted,
    /// A vault was opened, created or put in place of the old one.
    Opened,
}

type Listener = Box<dyn Fn(Change) + Send + Sync>;

/// A pinned account as the tray needs it: who it is, never a code or a secret.
pub struct Pinned {
    pub id: uuid::Uuid,
    pub issuer: String,
    pub name: String,
}

pub struct AppState {
    pub keychain: Keychain,
    vault: Mutex<Option<Vault>>,
    /// Scanned but not yet confirmed accounts (secrets stay in Rust).
    pending: Mutex<Collected>,
    /// An encrypted import file waiting for its passphrase.
    waiting_file: Mutex<Option<(String, Vec<NamedFile>)>>,
    pub clipboard: Arc<CodeClipboard>,
    /// Milliseconds subtracted from the system clock for codes, when the
    /// person chose to correct a clock found to be off (0: no correction).
    pub correction_ms: AtomicI64,
    last_offset: Mutex<Option<f64>>,
    /// The app lock: while locked, no command reads the vault.
    pub lock: Arc<SessionLock>,
    /// Backups wait for saves (the change listener tells it).
    pub backups: Arc<Schedule>,
    /// Sync waits for saves and for the folder (`sync_runner`).
    pub sync: Arc<crate::sync_runner::Schedule>,
    /// What the last sync round said (files it could not read, held
    /// changes), for the status the page asks for.
    pub sync_report: Mutex<Option<Result<twofold_core::sync::Report, String>>>,
    on_change: OnceLock<Listener>,
}

/// What a piece of work on the vault changed: a save of its own (`saves`
/// was the count before), or only another process's save read first.
fn change_after(vault: &Vault, saves: u64, reloaded: bool) -> Option<Change> {
    if vault.saves() != saves {
        Some(Change::Saved)
    } else if reloaded {
        Some(Change::Reloaded)
    } else {
        None
    }
}

fn locked() -> CommandError {
    CommandError::new(ErrorCode::AppLocked, "Twofold is locked")
}

fn not_open() -> CommandError {
    CommandError::new(ErrorCode::VaultNotOpen, "the vault is not open")
}

impl AppState {
    pub fn from_env() -> Self {
        Self {
            keychain: Keychain::from_env(),
            vault: Mutex::new(None),
            pending: Mutex::default(),
            waiting_file: Mutex::default(),
            clipboard: Arc::default(),
            correction_ms: AtomicI64::new(0),
            last_offset: Mutex::default(),
            lock: Arc::default(),
            backups: Arc::default(),
            sync: Arc::default(),
            sync_report: Mutex::default(),
            on_change: OnceLock::new(),
        }
    }

    /// Sets the one listener every vault change goes to (once, at start).
    pub fn on_vault_changed(&self, listener: impl Fn(Change) + Send + Sync + 'static) {
        let _ = self.on_change.set(Box::new(listener));
    }

    /// Tells the listener; never called with the vault's lock held, so the
    /// listener may read the vault.
    pub fn changed(&self, change: Change) {
        if let Some(listener) = self.on_change.get() {
            listener(change);
        }
    }

    pub fn vault_path(&self) -> Result<PathBuf, CommandError> {
        Ok(vault::path_in(&vault::default_dir()?))
    }

    /// Where the app lock's wrong attempts are kept between runs.
    pub fn lock_attempts_path(&self) -> Result<PathBuf, CommandError> {
        Ok(vault::default_dir()?.join("lock-attempts.json"))
    }

    /// The vault slot. A panic while it was held cannot leave it half-changed
    /// (changes are applied only after a successful save), so poisoning is ignored.
    fn slot(&self) -> MutexGuard<'_, Option<Vault>> {
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

    pub fn waiting_file(&self) -> MutexGuard<'_, Option<(String, Vec<NamedFile>)>> {
        self.waiting_file.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The pending scans as the preview shows them, with live codes and
    /// duplicates of accounts already in the vault flagged.
    pub fn preview(&self) -> Result<twofold_core::enroll::Preview, CommandError> {
        let pending = self.pending();
        self.with_vault(|v| Ok(pending.preview(v.accounts(), self.now())))
    }

    /// How the open vault is protected; `None`: no vault is open yet.
    pub fn protection(&self) -> Option<ProtectionKind> {
        self.slot().as_ref().map(Vault::protection)
    }

    /// Opens the vault with `open` unless one is open already (then `open`
    /// never runs). With the app lock on, a vault the keychain opened
    /// starts locked. Answers whether `open` gave a vault.
    pub fn open_once<E>(
        &self,
        open: impl FnOnce() -> Result<Option<Vault>, E>,
        start_locked: bool,
    ) -> Result<bool, E> {
        let opened = {
            let mut slot = self.slot();
            if slot.is_some() {
                return Ok(false);
            }
            let Some(vault) = open()? else { return Ok(false) };
            self.lock.configure(&vault.meta().lock, start_locked);
            *slot = Some(vault);
            true
        };
        self.changed(Change::Opened);
        Ok(opened)
    }

    /// Replaces a vault that cannot be opened with what `make` gives (the
    /// previous version put back, a new vault, the way back from backups,
    /// a passphrase vault opened), the slot held throughout so nothing opens
    /// one meanwhile. Refused while the app is locked and while a vault is
    /// open: these are for a vault that cannot open, never a way around the
    /// lock. A vault given keeps the lock its settings hold unless the person
    /// has just typed its passphrase (`start_locked` false).
    pub fn replace_unopenable<T>(
        &self,
        make: impl FnOnce() -> Result<(Option<Vault>, T), CommandError>,
        start_locked: bool,
    ) -> Result<T, CommandError> {
        let value = {
            let mut slot = self.slot();
            if self.lock.is_locked() {
                return Err(locked());
            }
            if slot.is_some() {
                return Err(CommandError::new(ErrorCode::VaultOpens, "the vault is open"));
            }
            let (vault, value) = make()?;
            let Some(vault) = vault else { return Ok(value) };
            self.lock.configure(&vault.meta().lock, start_locked);
            *slot = Some(vault);
            value
        };
        self.changed(Change::Opened);
        Ok(value)
    }

    /// Runs `f` on the open vault, unless the app is locked. A save by
    /// another process since is read first; a save by `f` or that reload is
    /// announced (after the vault's lock is released).
    pub fn with_vault<T>(
        &self,
        f: impl FnOnce(&mut Vault) -> Result<T, CommandError>,
    ) -> Result<T, CommandError> {
        let (result, change) = {
            let mut slot = self.slot();
            // Checked with the vault held: nothing reads it between the
            // check and `f`.
            if self.lock.is_locked() {
                return Err(locked());
            }
            let vault = slot.as_mut().ok_or_else(not_open)?;
            let reloaded = vault.reload_if_changed()?;
            let saves = vault.saves();
            let result = f(vault);
            (result, change_after(vault, saves, reloaded))
        };
        if let Some(change) = change {
            self.changed(change);
        }
        result
    }

    /// `Err(AppLocked)` while the app is locked: for what changes no vault
    /// yet but must not be done past the lock (a waiting import, the clock
    /// correction, the shortcut). Checked before anything is changed.
    pub fn refuse_if_locked(&self) -> Result<(), CommandError> {
        if self.lock.is_locked() {
            return Err(locked());
        }
        Ok(())
    }

    /// Reads the vault's settings, also while the app is locked: the lock
    /// itself, the tray, the shortcut. Never an account.
    pub fn meta<T>(&self, f: impl FnOnce(&Meta) -> T) -> Result<T, CommandError> {
        self.slot().as_ref().map(|v| f(v.meta())).ok_or_else(not_open)
    }

    /// The pinned accounts, for the tray (which words them); none while
    /// locked or with no vault open.
    pub fn pinned(&self) -> Vec<Pinned> {
        if self.lock.is_locked() {
            return Vec::new();
        }
        self.slot().as_ref().map_or_else(Vec::new, |v| {
            let pinned = v.accounts().iter().filter(|a| a.pinned);
            pinned.map(|a| Pinned { id: a.id, issuer: a.issuer.clone(), name: a.name.clone() }).collect()
        })
    }

    /// Backs the open vault up (if backups are on), also while the app is
    /// locked: a backup shows nothing to anyone. `Ok(false)`: backups are
    /// off, or no vault is open.
    pub fn back_up(&self) -> Result<bool, BackupError> {
        let (reloaded, attempted) = {
            let mut slot = self.slot();
            let Some(vault) = slot.as_mut() else { return Ok(false) };
            // What the CLI saved meanwhile (the window may be locked, and
            // then nothing else reads the file): never back up an older copy.
            let reloaded = vault.reload_if_changed()?;
            (reloaded, backup::back_up(vault, &self.keychain, twofold_core::unix_now())?.is_some())
        };
        if reloaded {
            self.changed(Change::Reloaded);
        }
        Ok(attempted)
    }

    /// One sync round on the open vault, also while the app is locked: it
    /// merges data and shows nothing. Answers the folder to watch (`None`:
    /// sync is off or no vault is open); what the round said is kept in
    /// `sync_report`.
    pub fn sync_round(&self, confirmed: bool) -> Option<PathBuf> {
        let (folder, change) = {
            let mut slot = self.slot();
            let vault = slot.as_mut()?;
            let folder = vault.meta().sync.as_ref().map(|s| s.folder.clone())?;
            let reloaded = vault.reload_if_changed().unwrap_or(false);
            let saves = vault.saves();
            let result = twofold_core::sync::round(vault, &self.keychain, self.now_ms(), confirmed);
            *self.sync_report.lock().unwrap_or_else(std::sync::PoisonError::into_inner) =
                Some(result.map_err(|e| e.to_string()));
            (folder, change_after(vault, saves, reloaded))
        };
        if let Some(change) = change {
            self.changed(change);
        }
        Some(folder)
    }
}
