//! The vault: every account in ONE encrypted file, unlocked by a key in the
//! OS keychain or, where no keychain is usable, by a passphrase.
//!
//! Each change is made under a lock shared by every process, to what is on
//! disk at that moment (re-read first), and written through
//! [`crate::fs`] (atomically) before it is adopted in memory: memory never runs
//! ahead of the disk, a crash never loses an account whose save returned, and
//! two processes changing the vault both keep their change.

mod crypto;
mod format;
pub mod keychain;
mod lock;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroizing;

use std::collections::HashSet;

use crate::account::{Account, OtherWays, RecoveryCode};
use crate::fs;
use crate::otp::Kind;
use crate::passphrase::WeakPassphrase;
use crate::same_codes::SameCodes;
use crate::settings::{
    ClockSettings, ListOrder, Meta, Privacy, QuickSettings, Retention, TraySettings, VerifiedBundle,
};
use crypto::{KdfParams, VaultKey};
pub use format::FORMAT_VERSION;
use format::{Header, LayoutError, Protection};
use keychain::Item;
pub use keychain::{Keychain, KeychainError};
use lock::VaultLock;

/// Environment variable naming the directory that holds the vault.
pub const DATA_DIR_ENV: &str = "TWOFOLD_DATA_DIR";
const FILE_NAME: &str = "vault.twofold";

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("could not {action} {}: {source}", path.display())]
    Io { action: &'static str, path: PathBuf, source: std::io::Error },
    #[error("no vault at {}", .0.display())]
    Missing(PathBuf),
    /// No vault file, but signs that there was one: creating a new, empty
    /// vault must be an explicit choice, never a silent fresh start.
    #[error("the vault is missing, but {} is there: restore it rather than start over", found.display())]
    MissingButFound { found: PathBuf, backup: bool },
    #[error("the vault file was replaced by a different vault; open it again")]
    Replaced,
    #[error("a vault already exists at {}", .0.display())]
    AlreadyExists(PathBuf),
    #[error("the vault file is corrupted{}", if backup.is_some() { "; a backup of the previous version is available" } else { "" })]
    Corrupted { backup: Option<PathBuf> },
    #[error("this vault was written by a newer version of Twofold (format {0})")]
    NewerFormat(u16),
    #[error("wrong passphrase")]
    WrongPassphrase,
    #[error("the key in the keychain does not open this vault")]
    KeyMismatch,
    #[error("this vault is protected by a passphrase")]
    NeedsPassphrase,
    #[error("this vault is protected by the system keychain, not a passphrase")]
    NeedsKeychain,
    #[error(transparent)]
    WeakPassphrase(#[from] WeakPassphrase),
    #[error(transparent)]
    Keychain(#[from] KeychainError),
    #[error("no data directory could be found; set {DATA_DIR_ENV}")]
    NoDataDir,
    #[error("the system random number generator failed")]
    Random,
    #[error("key derivation failed")]
    Kdf,
    #[error("there is no such account")]
    NoSuchAccount,
    #[error("this account is already in the vault as {existing}")]
    Duplicate { existing: String },
    #[error("only counter-based (HOTP) accounts have a next code")]
    NotHotp,
    #[error("that recovery code is not saved for this account")]
    NoSuchRecoveryCode,
    #[error("that recovery code was already marked used")]
    RecoveryCodeUsed,
}

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

/// What [`Vault::add_all`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct AddOutcome {
    pub added: Vec<Uuid>,
    pub skipped: Vec<Skipped>,
}

/// An account not added because the vault already computes its codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub account: String,
    pub existing: String,
}

/// The encrypted content. New fields get `#[serde(default)]` so older files open.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Contents {
    #[serde(default)]
    accounts: Vec<Account>,
    #[serde(default)]
    meta: Meta,
}

/// What a save is: a change (the previous file becomes `.bak`, and it
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

/// A sign that a vault existed at `path`: its backup first (which can be
/// restored, hence `true`), else any other version of it kept beside it.
pub fn evidence_of(path: &Path) -> Option<(PathBuf, bool)> {
    let backup = backup_path(path);
    if backup.exists() {
        return Some((backup, true));
    }
    let name = path.file_name()?.to_string_lossy().into_owned();
    let entries = std::fs::read_dir(fs::directory_of(path)).ok()?;
    entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            let other = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            // The lock and half-written temporary files are not versions of the vault.
            other.strip_prefix(&name).and_then(|r| r.strip_prefix('.')).is_some_and(|rest| {
                rest != "lock" && !rest.starts_with("tmp-") && !rest.starts_with("bak.tmp-")
            })
        })
        .map(|p| (p, false))
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

pub fn backup_path(path: &Path) -> PathBuf {
    fs::sibling(path, "bak")
}

/// `None` when there is no vault at `path` yet.
pub fn protection_of(path: &Path) -> Result<Option<ProtectionKind>, VaultError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(VaultError::Io { action: "read", path: path.into(), source }),
    };
    let sealed = format::parse(&bytes).map_err(|e| format_error(e, path))?;
    Ok(Some(match sealed.header.protection {
        Protection::Keychain => ProtectionKind::Keychain,
        Protection::Passphrase { .. } => ProtectionKind::Passphrase,
    }))
}

/// Opens the vault at `path`: with `passphrase` when it is a passphrase
/// vault ([`VaultError::NeedsPassphrase`] without one), with the keychain
/// otherwise. `Ok(None)` when there is no vault yet, and never was:
/// [`VaultError::MissingButFound`] when a backup or another version of one
/// is there.
pub fn open_if_any(
    path: &Path,
    keychain: &Keychain,
    passphrase: Option<&str>,
) -> Result<Option<Vault>, VaultError> {
    let unlock = match (protection_of(path)?, passphrase) {
        // "No vault yet" only where there never was one.
        (None, _) => match evidence_of(path) {
            Some((found, backup)) => return Err(VaultError::MissingButFound { found, backup }),
            None => return Ok(None),
        },
        (Some(ProtectionKind::Keychain), _) => Unlock::Keychain(keychain),
        (Some(ProtectionKind::Passphrase), Some(passphrase)) => Unlock::Passphrase(passphrase),
        (Some(ProtectionKind::Passphrase), None) => return Err(VaultError::NeedsPassphrase),
    };
    Vault::open(path, unlock).map(Some)
}

/// Opens the vault at `path` as [`open_if_any`] does, or creates an empty
/// one: under `passphrase` when one is given, else with its key in the keychain.
pub fn open_or_create(
    path: &Path,
    keychain: &Keychain,
    passphrase: Option<&str>,
) -> Result<Vault, VaultError> {
    if let Some(vault) = open_if_any(path, keychain, passphrase)? {
        return Ok(vault);
    }
    let unlock = passphrase.map_or(Unlock::Keychain(keychain), Unlock::Passphrase);
    Vault::create(path, unlock)
}

/// Puts the backup in place of a damaged vault. The damaged file is kept
/// beside it (`.damaged-<unix seconds>`) rather than deleted.
pub fn restore_backup(path: &Path, now: u64) -> Result<(), VaultError> {
    let _lock = lock(path)?;
    let backup = backup_path(path);
    let bytes = std::fs::read(&backup).map_err(|source| VaultError::Io {
        action: "read",
        path: backup.clone(),
        source,
    })?;
    format::parse(&bytes).map_err(|e| format_error(e, path))?;
    if path.exists() {
        let aside = fs::sibling(path, &format!("damaged-{now}"));
        std::fs::rename(path, &aside).map_err(|source| VaultError::Io {
            action: "move aside",
            path: path.into(),
            source,
        })?;
    }
    // The backup stays where it is; the restored copy becomes the vault.
    fs::replace(path, &bytes, None).map_err(|source| VaultError::Io {
        action: "write",
        path: path.into(),
        source,
    })
}

impl Vault {
    /// Creates an empty vault. With the keychain, a random key is stored
    /// there first; with a passphrase, the key is derived with Argon2id.
    ///
    /// Refused where a vault was before ([`VaultError::MissingButFound`]):
    /// [`Vault::create_anew`] is that explicit choice.
    pub fn create(path: &Path, unlock: Unlock<'_>) -> Result<Self, VaultError> {
        let _lock = lock(path)?;
        if !path.exists() {
            if let Some((found, backup)) = evidence_of(path) {
                return Err(VaultError::MissingButFound { found, backup });
            }
        }
        Self::create_locked(path, unlock)
    }

    /// Creates an empty vault where one was before, as the person chose
    /// (after the vault went missing, or when its key is lost and a transfer
    /// bundle will be imported instead). Nothing is deleted: an old vault file
    /// and its backup are kept aside as `.before-new-<now>` and
    /// `.bak.before-new-<now>`.
    pub fn create_anew(path: &Path, unlock: Unlock<'_>, now: u64) -> Result<Self, VaultError> {
        let _lock = lock(path)?;
        for old in [path.to_path_buf(), backup_path(path)] {
            if old.exists() {
                let aside = fs::sibling(&old, &format!("before-new-{now}"));
                std::fs::rename(&old, &aside).map_err(|source| VaultError::Io {
                    action: "move aside",
                    path: old,
                    source,
                })?;
            }
        }
        Self::create_locked(path, unlock)
    }

    fn create_locked(path: &Path, unlock: Unlock<'_>) -> Result<Self, VaultError> {
        if path.exists() {
            return Err(VaultError::AlreadyExists(path.into()));
        }
        let vault_id = crypto::random_bytes().map_err(|_| VaultError::Random)?;
        let (protection, key) = match unlock {
            Unlock::Keychain(keychain) => {
                let key = VaultKey::random().map_err(|_| VaultError::Random)?;
                keychain.store(Item::VaultKey, &vault_id, key.as_bytes())?;
                (Protection::Keychain, key)
            }
            Unlock::Passphrase(passphrase) => {
                crate::passphrase::check(passphrase)?;
                let salt = crypto::random_bytes().map_err(|_| VaultError::Random)?;
                let kdf = KdfParams::DEFAULT;
                let key = crypto::derive_key(passphrase, &salt, kdf).map_err(|_| VaultError::Kdf)?;
                (Protection::Passphrase { kdf, salt }, key)
            }
        };
        if let Some(parent) = path.parent() {
            fs::create_private_dir(parent).map_err(|source| VaultError::Io {
                action: "create the directory",
                path: parent.into(),
                source,
            })?;
        }
        let header = Header { vault_id, key_check: key.check_value(), protection };
        let mut vault = Self {
            path: path.into(),
            header,
            key,
            accounts: Vec::new(),
            meta: Meta::default(),
            stamp: None,
            saves: 0,
        };
        if let Err(e) = vault.write(&[], &Meta::default(), Write::Change) {
            if let (Unlock::Keychain(keychain), Protection::Keychain) = (unlock, &vault.header.protection) {
                let _ = keychain.delete(Item::VaultKey, &vault_id);
            }
            return Err(e);
        }
        Ok(vault)
    }

    pub fn open(path: &Path, unlock: Unlock<'_>) -> Result<Self, VaultError> {
        let stamp = Stamp::of(path);
        let bytes = read_vault_file(path)?;
        let sealed = format::parse(&bytes).map_err(|e| format_error(e, path))?;
        let header = sealed.header.clone();
        let key = match (&header.protection, unlock) {
            (Protection::Keychain, Unlock::Keychain(keychain)) => {
                let bytes = keychain.load(Item::VaultKey, &header.vault_id)?;
                VaultKey::from_bytes(&bytes).ok_or(KeychainError::BadKey)?
            }
            (Protection::Passphrase { kdf, salt }, Unlock::Passphrase(passphrase)) => {
                if !kdf.is_sane() {
                    return Err(corrupted(path));
                }
                crypto::derive_key(passphrase, salt, *kdf).map_err(|_| VaultError::Kdf)?
            }
            (Protection::Keychain, Unlock::Passphrase(_)) => return Err(VaultError::NeedsKeychain),
            (Protection::Passphrase { .. }, Unlock::Keychain(_)) => return Err(VaultError::NeedsPassphrase),
        };
        if key.check_value() != header.key_check {
            return Err(match header.protection {
                Protection::Keychain => VaultError::KeyMismatch,
                Protection::Passphrase { .. } => VaultError::WrongPassphrase,
            });
        }
        let contents = decrypt(path, &key, &sealed)?;
        Ok(Self {
            path: path.into(),
            header,
            key,
            accounts: contents.accounts,
            meta: contents.meta,
            stamp,
            saves: 0,
        })
    }

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
        (self.accounts, self.meta, self.stamp) = (contents.accounts, contents.meta, stamp);
        self.header = sealed.header.clone();
        Ok(())
    }

    /// The vault's random id: what its keychain items are filed under.
    pub fn id(&self) -> &[u8; 16] {
        &self.header.vault_id
    }

    pub fn set_backup_retention(&mut self, retention: Retention) -> Result<(), VaultError> {
        self.update(|_, meta| {
            meta.backup_retention = retention;
            Ok(())
        })
    }

    pub fn set_backup_folder(&mut self, folder: Option<PathBuf>) -> Result<(), VaultError> {
        self.update(|_, meta| {
            meta.backup_folder = folder;
            Ok(())
        })
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

    /// The list as shown (window and CLI): pinned accounts first, each
    /// group in the vault's order; with `tag`, only accounts with that tag
    /// (ignoring case).
    pub fn listing(&self, now: u64, tag: Option<&str>) -> Vec<crate::Summary> {
        let tagged =
            |a: &&Account| tag.is_none_or(|tag| a.tags.iter().any(|t| crate::account::same_tag(t, tag)));
        let mut shown: Vec<&Account> = self.accounts.iter().filter(tagged).collect();
        // Stable sorts: ties keep the person's own order.
        match self.meta.list_order {
            ListOrder::Manual => {}
            ListOrder::Name => shown.sort_by_cached_key(|a| (a.issuer.to_lowercase(), a.name.to_lowercase())),
            ListOrder::Recent => shown.sort_by_key(|a| std::cmp::Reverse(a.last_used)),
        }
        shown.sort_by_key(|a| !a.pinned);
        shown.into_iter().map(|a| a.summary_at(now)).collect()
    }

    pub fn set_list_order(&mut self, order: ListOrder) -> Result<(), VaultError> {
        self.update(|_, meta| {
            meta.list_order = order;
            Ok(())
        })
    }

    /// Moves an account to where `other` is in the person's own order;
    /// `other` and those between shift one place towards where it was (a
    /// drag onto a row, or Alt+arrow past a neighbour). Pinned accounts are
    /// listed first whatever their place, so a move across that line (a
    /// pinned account onto an unpinned one) changes nothing: in the vault's
    /// order it could go the other way from what the person sees.
    pub fn move_to(&mut self, id: Uuid, other: Uuid) -> Result<(), VaultError> {
        self.update(|accounts, _| {
            let from = accounts.iter().position(|a| a.id == id).ok_or(VaultError::NoSuchAccount)?;
            let to = accounts.iter().position(|a| a.id == other).ok_or(VaultError::NoSuchAccount)?;
            if accounts[from].pinned != accounts[to].pinned {
                return Ok(());
            }
            let account = accounts.remove(from);
            accounts.insert(to, account);
            Ok(())
        })
    }

    /// Notes that the account's code was just used (copied), for the
    /// "recently used" order. Not a change: it does not count as one for
    /// automatic backups or the transfer checklist.
    pub fn mark_used(&mut self, id: Uuid, now: u64) -> Result<(), VaultError> {
        self.update_as(Write::Quiet, |accounts, _| {
            let account = accounts.iter_mut().find(|a| a.id == id).ok_or(VaultError::NoSuchAccount)?;
            account.last_used = now;
            Ok(())
        })
    }

    /// Every tag in use, sorted, each once (for the filter chips).
    pub fn tags(&self) -> Vec<String> {
        let mut tags: Vec<String> = self.accounts.iter().flat_map(|a| a.tags.iter().cloned()).collect();
        tags.sort_by_key(|t| t.to_lowercase());
        tags.dedup_by(|a, b| crate::account::same_tag(a, b));
        tags
    }

    pub fn account(&self, id: Uuid) -> Result<&Account, VaultError> {
        self.accounts.iter().find(|a| a.id == id).ok_or(VaultError::NoSuchAccount)
    }

    /// The account in the vault that computes the same codes, if any.
    pub fn find_duplicate(&self, account: &Account) -> Option<&Account> {
        self.accounts.iter().find(|a| a.otp.same_codes_as(&account.otp))
    }

    /// Adds an account unless one with the same key and parameters exists.
    pub fn add(&mut self, account: Account) -> Result<(), VaultError> {
        self.add_all(vec![account]).and_then(|outcome| match outcome.skipped.into_iter().next() {
            Some(skipped) => Err(VaultError::Duplicate { existing: skipped.existing }),
            None => Ok(()),
        })
    }

    /// Adds many accounts in ONE save: all of them or, if the save fails,
    /// none. Accounts already in the vault (or repeated in `accounts`) are
    /// skipped and named in the outcome; an account whose id is taken (an
    /// import of a file with repeated ids) gets a fresh one, so an id always
    /// names one account.
    pub fn add_all(&mut self, accounts: Vec<Account>) -> Result<AddOutcome, VaultError> {
        self.update(|current, _| {
            let mut outcome = AddOutcome::default();
            let mut same = SameCodes::new(current);
            let mut ids: HashSet<Uuid> = current.iter().map(|a| a.id).collect();
            for mut account in accounts {
                if let Some(existing) = same.find(current, &account.otp) {
                    let existing = current[existing].display_name();
                    outcome.skipped.push(Skipped { account: account.display_name(), existing });
                    continue;
                }
                while !ids.insert(account.id) {
                    account.id = Uuid::new_v4();
                }
                same.insert(current.len(), &account.otp);
                outcome.added.push(account.id);
                current.push(account);
            }
            Ok(outcome)
        })
    }

    pub fn remove(&mut self, id: Uuid) -> Result<Account, VaultError> {
        self.update(|accounts, _| {
            let index = accounts.iter().position(|a| a.id == id).ok_or(VaultError::NoSuchAccount)?;
            Ok(accounts.remove(index))
        })
    }

    pub fn rename(&mut self, id: Uuid, issuer: &str, name: &str, now: u64) -> Result<(), VaultError> {
        self.change(id, now, |account| {
            account.issuer = issuer.trim().to_owned();
            account.name = name.trim().to_owned();
            Ok(())
        })
    }

    /// Pins an account to the tray menu, or unpins it.
    pub fn set_pinned(&mut self, id: Uuid, pinned: bool, now: u64) -> Result<(), VaultError> {
        self.change(id, now, |account| {
            account.pinned = pinned;
            Ok(())
        })
    }

    /// The icon the account shows: matched by issuer, none, or a chosen one.
    pub fn set_icon(&mut self, id: Uuid, icon: crate::icons::IconChoice, now: u64) -> Result<(), VaultError> {
        self.change(id, now, |account| {
            account.icon = icon;
            Ok(())
        })
    }

    /// Replaces the account's tags (cleaned by [`crate::account::clean_tags`]).
    pub fn set_tags(&mut self, id: Uuid, tags: &[String], now: u64) -> Result<(), VaultError> {
        let tags = crate::account::clean_tags(tags);
        self.change(id, now, |account| {
            account.tags = tags;
            Ok(())
        })
    }

    /// Replaces the account's recovery codes (e.g. after the service issued new ones).
    pub fn set_recovery_codes(&mut self, id: Uuid, codes: Vec<String>, now: u64) -> Result<(), VaultError> {
        self.change(id, now, |a| {
            a.recovery_codes = codes.into_iter().map(|code| RecoveryCode { code, used_at: None }).collect();
            Ok(())
        })
    }

    /// Marks one code used; spaces, dashes and case do not matter. Returns
    /// how many unused codes remain.
    pub fn use_recovery_code(&mut self, id: Uuid, code: &str, now: u64) -> Result<usize, VaultError> {
        let wanted = normalise_code(code);
        self.change(id, now, |a| {
            let found = a.recovery_codes.iter_mut().find(|c| normalise_code(&c.code) == wanted);
            let found = found.ok_or(VaultError::NoSuchRecoveryCode)?;
            if found.used_at.is_some() {
                return Err(VaultError::RecoveryCodeUsed);
            }
            found.used_at = Some(now);
            Ok(a.recovery_codes.iter().filter(|c| c.used_at.is_none()).count())
        })
    }

    pub fn set_other_ways(&mut self, id: Uuid, ways: OtherWays, now: u64) -> Result<(), VaultError> {
        self.change(id, now, |a| {
            a.other_ways = ways;
            Ok(())
        })
    }

    pub fn set_notes(&mut self, id: Uuid, notes: &str, now: u64) -> Result<(), VaultError> {
        self.change(id, now, |a| {
            a.notes = notes.trim().to_owned();
            Ok(())
        })
    }

    /// The other ways in and the notes together, in one save.
    pub fn set_ways_in(
        &mut self,
        id: Uuid,
        ways: OtherWays,
        notes: &str,
        now: u64,
    ) -> Result<(), VaultError> {
        self.change(id, now, |a| {
            a.other_ways = ways;
            a.notes = notes.trim().to_owned();
            Ok(())
        })
    }

    /// Changes one account and stamps it as changed at `now`.
    fn change<T>(
        &mut self,
        id: Uuid,
        now: u64,
        f: impl FnOnce(&mut Account) -> Result<T, VaultError>,
    ) -> Result<T, VaultError> {
        self.update(|accounts, _| {
            let account = accounts.iter_mut().find(|a| a.id == id).ok_or(VaultError::NoSuchAccount)?;
            let result = f(account)?;
            account.updated = now;
            Ok(result)
        })
    }

    /// Advances an HOTP counter by one and saves it before the new code is
    /// shown, so a code is never displayed twice for different counters.
    /// The change is stamped like any other, so the checklist sees that
    /// the counter moved since the last bundle.
    pub fn next_hotp(&mut self, id: Uuid, now: u64) -> Result<&Account, VaultError> {
        self.change(id, now, |account| match &mut account.otp.kind {
            Kind::Hotp { counter } => {
                *counter = counter.saturating_add(1);
                Ok(())
            }
            _ => Err(VaultError::NotHotp),
        })?;
        self.account(id)
    }

    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    /// An empty server means the default one.
    pub fn set_clock_settings(&mut self, mut settings: ClockSettings) -> Result<(), VaultError> {
        settings.server = settings.server.trim().to_owned();
        if settings.server.is_empty() {
            settings.server = crate::clock::DEFAULT_SERVER.to_owned();
        }
        self.update(|_, meta| {
            meta.clock = settings;
            Ok(())
        })
    }

    pub fn set_lock_settings(&mut self, settings: crate::app_lock::LockSettings) -> Result<(), VaultError> {
        self.update(|_, meta| {
            meta.lock = settings;
            Ok(())
        })
    }

    pub fn set_quick_settings(&mut self, quick: QuickSettings) -> Result<(), VaultError> {
        self.update(|_, meta| {
            meta.quick = quick;
            Ok(())
        })
    }

    pub fn set_tray_settings(&mut self, tray: TraySettings) -> Result<(), VaultError> {
        self.update(|_, meta| {
            meta.tray = tray;
            Ok(())
        })
    }

    pub fn set_privacy(&mut self, privacy: Privacy) -> Result<(), VaultError> {
        self.update(|_, meta| {
            meta.privacy = privacy;
            Ok(())
        })
    }

    /// Records a bundle that was verified complete.
    pub fn record_verified_bundle(&mut self, verified: VerifiedBundle) -> Result<(), VaultError> {
        self.update(|_, meta| {
            meta.last_verified_bundle = Some(verified);
            Ok(())
        })
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
        self.write(&accounts, &meta, kind)?;
        (self.accounts, self.meta) = (accounts, meta);
        Ok(result)
    }

    fn write(&mut self, accounts: &[Account], meta: &Meta, kind: Write) -> Result<(), VaultError> {
        #[derive(Serialize)]
        struct ContentsRef<'a> {
            accounts: &'a [Account],
            meta: &'a Meta,
        }
        let mut plaintext = Zeroizing::new(Vec::with_capacity(256 + accounts.len() * 256));
        serde_json::to_writer(&mut *plaintext, &ContentsRef { accounts, meta })
            .expect("accounts serialize to JSON: they hold only strings and numbers");
        let mut bytes = self.header.to_bytes();
        let nonce = crypto::random_bytes().map_err(|_| VaultError::Random)?;
        bytes.extend_from_slice(&nonce);
        let ciphertext = crypto::seal(&self.key, &nonce, &bytes, &plaintext);
        bytes.extend_from_slice(&ciphertext);
        // A change keeps the file it replaces as `.bak` (the way back from
        // a mistake); a note of use must not push that copy out.
        let backup = match kind {
            Write::Change => Some(backup_path(&self.path)),
            Write::Quiet => None,
        };
        fs::replace(&self.path, &bytes, backup.as_deref()).map_err(|source| VaultError::Io {
            action: "save the vault to",
            path: self.path.clone(),
            source,
        })?;
        self.stamp = Stamp::of(&self.path);
        if matches!(kind, Write::Change) {
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

fn normalise_code(code: &str) -> String {
    code.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
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
    let backup = backup_path(path);
    VaultError::Corrupted { backup: backup.exists().then_some(backup) }
}

fn format_error(error: LayoutError, path: &Path) -> VaultError {
    match error {
        LayoutError::Damaged => corrupted(path),
        LayoutError::NewerVersion(v) => VaultError::NewerFormat(v),
    }
}
