//! The vault: every account in ONE encrypted file, unlocked by a key in the
//! OS keychain or, where no keychain is usable, by a passphrase.
//!
//! Each change is made under a lock shared by every process, to what is on
//! disk at that moment (re-read first), and written through
//! [`crate::fs`] (atomically) before it is adopted in memory: memory never runs
//! ahead of the disk, a crash never loses an account whose save returned, and
//! two processes changing the vault both keep their change.
//!
//! This file holds the [`Vault`] itself, its write path and its accessors;
//! beside it, `error.rs` ([`VaultError`]), `open.rs` (finding, opening,
//! creating and restoring a vault), `edit.rs` (every change, each built on
//! one update) and `listing.rs` (the list as shown, the tags in use).

pub(crate) mod crypto;
mod edit;
mod error;
mod format;
pub mod keychain;
mod listing;
mod lock;
mod open;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::account::Account;
use crate::fs;
use crate::replica::Replica;
use crate::settings::Meta;
use crypto::VaultKey;
pub use edit::{AddOutcome, Skipped};
pub use error::VaultError;
pub use format::FORMAT_VERSION;
use format::{Header, LayoutError, Protection};
pub use keychain::{Keychain, KeychainError};
use lock::VaultLock;
pub use open::{evidence_of, id_of, open_if_any, open_or_create, protection_of, restore_previous, IfItOpens};

/// Environment variable naming the directory that holds the vault.
pub const DATA_DIR_ENV: &str = "TWOFOLD_DATA_DIR";
const FILE_NAME: &str = "vault.twofold";

/// How to unlock (or protect) a vault.
#[derive(Clone, Copy)]
pub enum Unlock<'a> {
    Keychain(&'a Keychain),
    Passphrase(&'a str),
}

/// Which unlock a vault on disk needs, read from its header alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProtectionKind {
    Keychain,
    Passphrase,
}

/// The encrypted content. New fields get `#[serde(default)]` so older files open.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Contents {
    #[serde(default)]
    accounts: Vec<Account>,
    #[serde(default)]
    meta: Meta,
    /// What sync merges (`replica`), while sync is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    replica: Option<Replica>,
}

/// What a save is: a change (the file it replaces becomes the previous
/// version, `.bak`, and it
/// counts in [`Vault::saves`]), or a quiet note such as the time a code was
/// used (neither).
#[derive(Clone, Copy)]
enum Write {
    Change,
    Quiet,
}

#[derive(Debug)]
pub struct Vault {
    path: PathBuf,
    header: Header,
    key: VaultKey,
    accounts: Vec<Account>,
    meta: Meta,
    replica: Option<Replica>,
    /// The file as last read or written, to notice another process's save.
    stamp: Option<Stamp>,
    /// Saves made through this copy (a window backs up after them).
    saves: u64,
}

/// What tells one version of the file from the next without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    /// Each save renames a new file in: a new inode, even within one mtime tick.
    inode: u64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Self> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Self { len: meta.len(), modified: meta.modified().ok(), inode })
    }
}

fn lock(path: &Path) -> Result<VaultLock, VaultError> {
    VaultLock::acquire(path).map_err(|source| VaultError::Io { action: "lock", path: path.into(), source })
}

/// The directory named by `TWOFOLD_DATA_DIR`, else the platform's data
/// directory (`~/.local/share/twofold` on Linux).
pub fn default_dir() -> Result<PathBuf, VaultError> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("app", "Twofold", "twofold")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .ok_or(VaultError::NoDataDir)
}

/// The vault file inside a data directory.
pub fn path_in(dir: &Path) -> PathBuf {
    dir.join(FILE_NAME)
}

/// The previous version of the vault at `path` (`vault.twofold.bak`): the
/// file each change replaced, the way back from a mistake or a damaged file.
/// Not an automatic backup (see `backup`).
pub fn previous_path(path: &Path) -> PathBuf {
    fs::sibling(path, "bak")
}

impl Vault {
    /// Picks up what another process saved since this copy was read (the
    /// window calls it before showing the list). `Ok(true)` when it changed.
    pub fn reload_if_changed(&mut self) -> Result<bool, VaultError> {
        if Stamp::of(&self.path) == self.stamp {
            return Ok(false);
        }
        self.reload()?;
        Ok(true)
    }

    /// Reads the file again with the key already held.
    fn reload(&mut self) -> Result<(), VaultError> {
        let stamp = Stamp::of(&self.path);
        let bytes = read_vault_file(&self.path)?;
        let sealed = format::parse(&bytes).map_err(|e| format_error(e, &self.path))?;
        if sealed.header.vault_id != self.header.vault_id || sealed.header.key_check != self.header.key_check
        {
            return Err(VaultError::Replaced);
        }
        let contents = decrypt(&self.path, &self.key, &sealed)?;
        (self.accounts, self.meta, self.replica, self.stamp) =
            (contents.accounts, contents.meta, contents.replica, stamp);
        self.header = sealed.header.clone();
        Ok(())
    }

    /// The vault's random id: what its keychain items are filed under.
    pub fn id(&self) -> &[u8; 16] {
        &self.header.vault_id
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn protection(&self) -> ProtectionKind {
        match self.header.protection {
            Protection::Keychain => ProtectionKind::Keychain,
            Protection::Passphrase { .. } => ProtectionKind::Passphrase,
        }
    }

    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    pub fn account(&self, id: Uuid) -> Result<&Account, VaultError> {
        self.accounts.iter().find(|a| a.id == id).ok_or(VaultError::NoSuchAccount)
    }

    /// The account in the vault that computes the same codes, if any.
    pub fn find_duplicate(&self, account: &Account) -> Option<&Account> {
        self.accounts.iter().find(|a| a.otp.same_codes_as(&account.otp))
    }

    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    /// What sync merges, while it is on.
    pub fn replica(&self) -> Option<&Replica> {
        self.replica.as_ref()
    }

    /// Sync's one way in: `change` gets the accounts, the settings and the
    /// replica as on disk now (under the lock, like every change) and says
    /// whether it changed anything; nothing is written when it did not (a
    /// round that found nothing new costs no write, no backup).
    pub fn sync_update<T>(
        &mut self,
        change: impl FnOnce(&mut Vec<Account>, &mut Meta, &mut Option<Replica>) -> Result<(T, bool), VaultError>,
    ) -> Result<T, VaultError> {
        let _lock = lock(&self.path)?;
        self.reload()?;
        let (mut accounts, mut meta, mut replica) =
            (self.accounts.clone(), self.meta.clone(), self.replica.clone());
        let (result, changed) = change(&mut accounts, &mut meta, &mut replica)?;
        if changed {
            self.write(&accounts, &meta, replica.as_ref(), Write::Change)?;
            (self.accounts, self.meta, self.replica) = (accounts, meta, replica);
        }
        Ok(result)
    }

    /// Applies `change` to what is on disk now (re-read under the lock, so
    /// another process's save is never undone), saves it, then adopts it.
    fn update<T>(
        &mut self,
        change: impl FnOnce(&mut Vec<Account>, &mut Meta) -> Result<T, VaultError>,
    ) -> Result<T, VaultError> {
        self.update_as(Write::Change, change)
    }

    fn update_as<T>(
        &mut self,
        kind: Write,
        change: impl FnOnce(&mut Vec<Account>, &mut Meta) -> Result<T, VaultError>,
    ) -> Result<T, VaultError> {
        let _lock = lock(&self.path)?;
        self.reload()?;
        let (mut accounts, mut meta) = (self.accounts.clone(), self.meta.clone());
        let result = change(&mut accounts, &mut meta)?;
        let replica = self.replica.take();
        let written = self.write(&accounts, &meta, replica.as_ref(), kind);
        self.replica = replica;
        written?;
        (self.accounts, self.meta) = (accounts, meta);
        Ok(result)
    }

    fn write(
        &mut self,
        accounts: &[Account],
        meta: &Meta,
        replica: Option<&Replica>,
        kind: Write,
    ) -> Result<(), VaultError> {
        #[derive(Serialize)]
        struct ContentsRef<'a> {
            accounts: &'a [Account],
            meta: &'a Meta,
            #[serde(skip_serializing_if = "Option::is_none")]
            replica: Option<&'a Replica>,
        }
        // Sized first: a growing buffer would free copies of the secrets.
        let plaintext = crate::sized::json(&ContentsRef { accounts, meta, replica })
            .expect("accounts serialize to JSON: they hold only strings and numbers");
        let mut bytes = self.header.to_bytes();
        let nonce = crypto::random_bytes().map_err(|_| VaultError::Random)?;
        bytes.extend_from_slice(&nonce);
        let ciphertext = crypto::seal(&self.key, &nonce, &bytes, &plaintext);
        bytes.extend_from_slice(&ciphertext);
        // A change keeps the file it replaces as the previous version (the
        // way back from a mistake); a note of use must not push that copy out.
        let previous = match kind {
            Write::Change => Some(previous_path(&self.path)),
            Write::Quiet => None,
        };
        fs::replace(&self.path, &bytes, previous.as_deref()).map_err(|source| VaultError::Io {
            action: "save the vault to",
            path: self.path.clone(),
            source,
        })?;
        self.stamp = Stamp::of(&self.path);
        if matches!(kind, Write::Change) {
            // Not at each note of use (every copied code): a change is often enough.
            fs::sweep_stale_temps(&self.path);
            self.saves += 1;
        }
        Ok(())
    }

    /// How many times this copy has saved a change to the vault (notes of
    /// use are not counted: they need no backup).
    pub fn saves(&self) -> u64 {
        self.saves
    }
}

fn read_vault_file(path: &Path) -> Result<Vec<u8>, VaultError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(VaultError::Missing(path.into())),
        Err(source) => Err(VaultError::Io { action: "read", path: path.into(), source }),
    }
}

fn decrypt(path: &Path, key: &VaultKey, sealed: &format::Sealed<'_>) -> Result<Contents, VaultError> {
    let plaintext =
        crypto::open(key, &sealed.nonce, sealed.aad, sealed.ciphertext).ok_or_else(|| corrupted(path))?;
    serde_json::from_slice(&plaintext).map_err(|_| corrupted(path))
}

fn corrupted(path: &Path) -> VaultError {
    let previous = previous_path(path);
    VaultError::Corrupted { previous: previous.exists().then_some(previous) }
}

fn format_error(error: LayoutError, path: &Path) -> VaultError {
    match error {
        LayoutError::Damaged => corrupted(path),
        LayoutError::NewerVersion(v) => VaultError::NewerFormat(v),
    }
}
