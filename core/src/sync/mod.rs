//! Sync through a folder the person already syncs (Syncthing, Nextcloud,
//! Dropbox, OneDrive, iCloud Drive, a network share), with no account and
//! no server (`docs/sync-format.md`).
//!
//! Each computer writes only its own encrypted file in the folder and reads
//! everyone else's; what it reads is merged into its vault by `replica`
//! (a merge that keeps concurrent changes as conflicts and loses nothing).
//! The files are sealed with a key derived from the sync passphrase, kept
//! in the keychain; the folder's key file holds the salt every computer
//! derives it with.
//!
//! A round ([`round`]): list the folder (`folder.rs`), read and verify each
//! computer's file (`file.rs`; a damaged one is named and left out), then,
//! under the vault's lock, record this computer's changes, merge, and put
//! the result in the vault; only then write this computer's file, so the
//! file is never ahead of the vault it came from. This computer's own file
//! is read back too: a vault restored from a backup picks up the changes it
//! had already published, and never numbers a change twice.

mod file;
mod folder;

use std::path::{Path, PathBuf};

use serde::Serialize;
use uuid::Uuid;

pub use file::{
    open as open_file, seal as seal_file, FileError, FolderKey, Payload, SyncKey, MAX_FILE_BYTES,
};
pub use folder::{device_of, KEY_FILE};

use crate::account::Account;
use crate::fs;
use crate::passphrase::{self, WeakPassphrase};
use crate::replica::{Conflict, DeviceId, Field, Held, Keep, Replica, ReplicaError, State};
use crate::settings::{PeerSeen, SyncSettings};
use crate::vault::keychain::Item;
use crate::vault::{Keychain, KeychainError, Vault, VaultError};

/// A computer that wrote nothing for this long is named in the checklist.
pub const STALE_AFTER_MS: u64 = crate::settings::PEER_UNSEEN_AFTER_DAYS * DAY_MS;
/// This computer's file is written again at least this often, so the others
/// see it is still there.
pub const DAY_MS: u64 = 24 * 3_600_000;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("sync is off on this computer (turn it on with `sync enable`)")]
    Off,
    #[error("sync is already on, with {0}")]
    AlreadyOn(PathBuf),
    #[error(transparent)]
    Weak(#[from] WeakPassphrase),
    #[error("the sync folder {path} cannot be used ({reason})")]
    Folder { path: PathBuf, reason: String },
    #[error("that is not this folder's sync passphrase")]
    WrongPassphrase,
    #[error("the folder's key file ({0}) is damaged or from a newer Twofold")]
    BadFolderKey(PathBuf),
    #[error("the sync key is missing from the keychain: turn sync on again with its passphrase")]
    KeyMissing,
    #[error(transparent)]
    Keychain(KeychainError),
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error(transparent)]
    Replica(#[from] ReplicaError),
    #[error("there is no conflict {0} (see `sync conflicts`)")]
    NoSuchConflict(String),
    #[error("no other computer {0} is known (see `sync devices`)")]
    NoSuchDevice(String),
    #[error("could not draw random bytes for a device id")]
    Random,
}

/// What one round did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Other computers whose files were read.
    pub computers: usize,
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    /// Fields changed on two computers, waiting for the person.
    pub conflicts: usize,
    /// Removals and key changes waiting for the person's word.
    pub held_removals: usize,
    pub held_keys: usize,
    /// Accounts this computer already had that the folder also held, kept
    /// once (when sync was turned on).
    pub already_there: usize,
    /// Files that could not be read, each named with why; never merged.
    pub problems: Vec<Problem>,
    /// Files a sync tool left (conflict copies, partial downloads): ignored.
    pub ignored: Vec<String>,
    /// Whether this computer's file was written.
    pub wrote: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub file: String,
    pub reason: String,
}

fn folder_error(path: &Path, e: impl std::fmt::Display) -> SyncError {
    SyncError::Folder { path: path.into(), reason: e.to_string() }
}

fn keychain_error(e: KeychainError) -> SyncError {
    match e {
        KeychainError::KeyMissing => SyncError::KeyMissing,
        other => SyncError::Keychain(other),
    }
}

/// Turns sync on with `folder`: joins the folder if another computer set it
/// up (the passphrase must be its), or sets it up. Then runs a first round.
pub fn enable(
    vault: &mut Vault,
    keychain: &Keychain,
    folder: &Path,
    sync_passphrase: &str,
    name: &str,
    now_ms: u64,
) -> Result<Report, SyncError> {
    if let Some(on) = &vault.meta().sync {
        return Err(SyncError::AlreadyOn(on.folder.clone()));
    }
    passphrase::check(sync_passphrase)?;
    if !folder.is_dir() {
        return Err(folder_error(folder, "not a folder"));
    }
    let key = folder_key(folder, sync_passphrase)?;
    keychain.store(Item::SyncKey, vault.id(), key.as_bytes()).map_err(keychain_error)?;
    let device = DeviceId::random().map_err(|_| SyncError::Random)?;
    let settings =
        SyncSettings { folder: folder.into(), name: name.trim().into(), ..SyncSettings::default() };
    vault.sync_update(|_, meta, replica| {
        meta.sync = Some(settings);
        *replica = Some(Replica::new(device));
        Ok(((), true))
    })?;
    run(vault, &key, now_ms, false, true)
}

/// The folder's key for `passphrase`: read from its key file, or that file
/// made (never over one another computer made meanwhile).
fn folder_key(folder: &Path, sync_passphrase: &str) -> Result<SyncKey, SyncError> {
    let path = folder.join(KEY_FILE);
    for _ in 0..2 {
        match fs::read_bounded(&path, 4096) {
            Ok(bytes) => {
                let folder_key =
                    FolderKey::parse(&bytes).map_err(|_| SyncError::BadFolderKey(path.clone()))?;
                return folder_key.unlock(sync_passphrase).map_err(|e| match e {
                    FileError::OtherKey => SyncError::WrongPassphrase,
                    _ => SyncError::BadFolderKey(path.clone()),
                });
            }
            Err(fs::ReadError::Io(std::io::ErrorKind::NotFound)) => {
                let (folder_key, key) =
                    FolderKey::create(sync_passphrase).map_err(|_| SyncError::BadFolderKey(path.clone()))?;
                match fs::create_atomically(&path, &folder_key.to_bytes()) {
                    Ok(()) => return Ok(key),
                    // Another computer made it first: read theirs.
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                    Err(e) => return Err(folder_error(folder, e)),
                }
            }
            Err(e) => return Err(folder_error(&path, e)),
        }
    }
    Err(SyncError::BadFolderKey(path))
}

/// Turns sync off: this computer's file leaves the folder (the others keep
/// every account they merged), the key leaves the keychain.
pub fn disable(vault: &mut Vault, keychain: &Keychain) -> Result<(), SyncError> {
    let (settings, device) = on(vault)?;
    remove_device_file(&settings.folder, device)?;
    vault.sync_update(|_, meta, replica| {
        meta.sync = None;
        *replica = None;
        Ok(((), true))
    })?;
    keychain.delete(Item::SyncKey, vault.id()).map_err(keychain_error)
}

/// A computer's file leaves the folder; one already gone is no error.
fn remove_device_file(folder: &Path, device: DeviceId) -> Result<(), SyncError> {
    match std::fs::remove_file(folder::device_file(folder, device)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(folder_error(folder, e)),
        _ => Ok(()),
    }
}

fn on(vault: &Vault) -> Result<(SyncSettings, DeviceId), SyncError> {
    match (&vault.meta().sync, vault.replica()) {
        (Some(settings), Some(replica)) => Ok((settings.clone(), replica.device)),
        _ => Err(SyncError::Off),
    }
}

pub fn key_of(vault: &Vault, keychain: &Keychain) -> Result<SyncKey, SyncError> {
    let bytes = keychain.load(Item::SyncKey, vault.id()).map_err(keychain_error)?;
    SyncKey::from_bytes(&bytes).ok_or(SyncError::Keychain(KeychainError::BadKey))
}

/// One round: read the folder, merge, save, write this computer's file.
/// `confirmed`: the person agreed to the removals and key changes held
/// back (a restore point is written first).
pub fn round(
    vault: &mut Vault,
    keychain: &Keychain,
    now_ms: u64,
    confirmed: bool,
) -> Result<Report, SyncError> {
    let key = key_of(vault, keychain)?;
    if confirmed && !vault.replica().is_some_and(|r| r.held.is_empty()) {
        crate::backup::back_up(vault, keychain, now_ms / 1000)
            .map_err(|e| folder_error(vault.path(), format!("no restore point could be written: {e}")))?;
    }
    run(vault, &key, now_ms, confirmed, false)
}

/// A file read from the folder.
struct Read {
    device: DeviceId,
    payload: Payload,
}

fn read_folder(settings: &SyncSettings, key: &SyncKey, report: &mut Report) -> Result<Vec<Read>, SyncError> {
    let listing = folder::list(&settings.folder).map_err(|e| folder_error(&settings.folder, e))?;
    report.ignored = listing.ignored;
    let mut read = Vec::new();
    for (device, path) in listing.devices {
        if settings.removed.contains(&device.to_string()) {
            continue;
        }
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let opened = fs::read_bounded(&path, MAX_FILE_BYTES)
            .map_err(|e| e.to_string())
            .and_then(|bytes| file::open(&bytes, key).map_err(|e| e.to_string()));
        match opened {
            Ok((inside, _)) if inside != device => report
                .problems
                .push(Problem { file: name, reason: "it is named for another computer".into() }),
            Ok((_, payload)) => read.push(Read { device, payload }),
            Err(reason) => report.problems.push(Problem { file: name, reason }),
        }
    }
    Ok(read)
}

fn run(
    vault: &mut Vault,
    key: &SyncKey,
    now_ms: u64,
    confirmed: bool,
    joining: bool,
) -> Result<Report, SyncError> {
    let (settings, device) = on(vault)?;
    let mut report = Report::default();
    let files = read_folder(&settings, key, &mut report)?;
    let own_file =
        files.iter().find(|f| f.device == device).map(|f| (f.payload.state.clone(), f.payload.written_ms));
    let (outcome, state) = vault.sync_update(|accounts, meta, replica| {
        let Some(replica) = replica.as_mut() else {
            return Ok(((Report::default(), State::default()), false));
        };
        let before = (accounts.clone(), replica.clone(), meta.sync.clone());
        let states: Vec<&State> = files.iter().map(|f| &f.payload.state).collect();
        let mut done = Report::default();
        let mut came_in = 0;
        if joining {
            // What the folder holds first: this computer's accounts are then
            // recorded as changes made after seeing it, not beside it.
            for state in &states {
                replica.merge(state, now_ms);
            }
            (came_in, done.already_there) = join(accounts, &replica.state, now_ms);
        }
        let applied = replica.round(accounts, &states, now_ms, confirmed);
        *accounts = applied.accounts;
        (done.added, done.changed, done.removed) =
            (applied.added + came_in, applied.changed, applied.removed);
        done.computers = files.iter().filter(|f| f.device != device).count();
        let view = replica.state.view(now_ms);
        done.conflicts = view.conflicts.len();
        (done.held_removals, done.held_keys) = (replica.held.removals.len(), replica.held.keys.len());
        if let Some(sync) = meta.sync.as_mut() {
            for f in files.iter().filter(|f| f.device != device) {
                let seen = PeerSeen { name: f.payload.name.clone(), written_ms: f.payload.written_ms };
                sync.peers.insert(f.device.to_string(), seen);
            }
        }
        let changed =
            (accounts.as_slice(), &*replica, &meta.sync) != (before.0.as_slice(), &before.1, &before.2);
        Ok(((done, replica.state.clone()), changed))
    })?;
    let Report {
        computers, added, changed, removed, conflicts, held_removals, held_keys, already_there, ..
    } = outcome;
    report = Report {
        computers,
        added,
        changed,
        removed,
        conflicts,
        held_removals,
        held_keys,
        already_there,
        ..report
    };
    let stale = match &own_file {
        Some((written, at)) => *written != state || now_ms.saturating_sub(*at) >= DAY_MS,
        None => true,
    };
    if stale {
        let payload = Payload { name: settings.name.clone(), written_ms: now_ms, state };
        let bytes = file::seal(device, key, &payload).map_err(|e| folder_error(&settings.folder, e))?;
        fs::replace_atomically(&folder::device_file(&settings.folder, device), &bytes)
            .map_err(|e| folder_error(&settings.folder, e))?;
        report.wrote = true;
    }
    Ok(report)
}

/// On joining a folder: the folder's accounts and this computer's, side by
/// side (the folder's first, in its order). An account this computer has
/// that the folder already holds (the same codes) is kept once, as the
/// folder's, with what only this computer's copy recorded (recovery codes,
/// notes, tags, a pin) added. Returns how many came in and how many were
/// kept once.
fn join(accounts: &mut Vec<Account>, folder: &State, now_ms: u64) -> (usize, usize) {
    let mut joined = folder.view(now_ms).accounts;
    let theirs = joined.len();
    let mut kept = 0;
    for account in accounts.drain(..) {
        let same = joined.iter_mut().find(|t| t.id == account.id || t.otp.same_codes_as(&account.otp));
        let Some(one) = same else {
            joined.push(account);
            continue;
        };
        if one.recovery_codes.is_empty() {
            one.recovery_codes = account.recovery_codes.clone();
        }
        if one.notes.is_empty() {
            one.notes = account.notes.clone();
        }
        if one.tags.is_empty() {
            one.tags = account.tags.clone();
        }
        one.pinned |= account.pinned;
        one.last_used = account.last_used;
        kept += 1;
    }
    *accounts = joined;
    (theirs - kept, kept)
}

/// Keeps the accounts a round held back: their removal (or new key) is
/// undone on every computer.
pub fn keep_held(vault: &mut Vault, keychain: &Keychain, now_ms: u64) -> Result<Report, SyncError> {
    let key = key_of(vault, keychain)?;
    vault.sync_update(|accounts, _, replica| {
        let Some(replica) = replica.as_mut() else { return Ok(((), false)) };
        replica.held = Held::default();
        replica.record(accounts, now_ms);
        Ok(((), true))
    })?;
    run(vault, &key, now_ms, false, false)
}

/// The conflicts waiting, each with its id and the account's name.
pub fn conflicts(vault: &Vault, now_ms: u64) -> Result<Vec<Named>, SyncError> {
    on(vault)?;
    let replica = vault.replica().ok_or(SyncError::Off)?;
    let view = replica.state.view(now_ms);
    Ok(view
        .conflicts
        .into_iter()
        .map(|conflict| {
            let account = vault.accounts().iter().find(|a| a.id == conflict.account);
            let label = account.map(Account::display_name).unwrap_or_default();
            Named { id: conflict.id(), name: label, conflict }
        })
        .collect())
}

/// A conflict as shown: its id, the account's name, the versions.
#[derive(Debug, Clone, Serialize)]
pub struct Named {
    pub id: String,
    /// The account as the list names it ("GitHub (alice)").
    pub name: String,
    #[serde(flatten)]
    pub conflict: Conflict,
}

/// Keeps one version of the conflict `id`, then runs a round so the other
/// computers see the choice.
pub fn resolve(
    vault: &mut Vault,
    keychain: &Keychain,
    id: &str,
    keep: Keep,
    now_ms: u64,
) -> Result<Report, SyncError> {
    let found = conflicts(vault, now_ms)?.into_iter().find(|c| c.id == id);
    let Some(found) = found else { return Err(SyncError::NoSuchConflict(id.into())) };
    let (account, field): (Uuid, Field) = (found.conflict.account, found.conflict.field);
    let key = key_of(vault, keychain)?;
    vault.sync_update(|accounts, _, replica| {
        let Some(replica) = replica.as_mut() else { return Ok((Err(SyncError::Off), false)) };
        if let Err(e) = replica.resolve(account, field, keep, now_ms) {
            return Ok((Err(e.into()), false));
        }
        *accounts = replica.apply(accounts, now_ms, false).accounts;
        Ok((Ok(()), true))
    })??;
    run(vault, &key, now_ms, false, false)
}

/// This computer and the others, as `sync status` and Settings show them.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub folder: PathBuf,
    pub name: String,
    pub device: String,
    pub computers: Vec<Computer>,
    pub conflicts: usize,
    pub held_removals: usize,
    pub held_keys: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Computer {
    pub device: String,
    pub name: String,
    /// When its file was last written, by its clock (Unix milliseconds).
    pub written_ms: u64,
    /// Not seen for [`STALE_AFTER_MS`].
    pub stale: bool,
}

pub fn status(vault: &Vault, now_ms: u64) -> Result<Status, SyncError> {
    let (settings, device) = on(vault)?;
    let replica = vault.replica().ok_or(SyncError::Off)?;
    let computers = settings
        .peers
        .iter()
        .filter(|(id, _)| !settings.removed.contains(*id))
        .map(|(id, seen)| Computer {
            device: id.clone(),
            name: seen.name.clone(),
            written_ms: seen.written_ms,
            stale: now_ms.saturating_sub(seen.written_ms) > STALE_AFTER_MS,
        })
        .collect();
    Ok(Status {
        folder: settings.folder.clone(),
        name: settings.name.clone(),
        device: device.to_string(),
        computers,
        conflicts: replica.state.view(now_ms).conflicts.len(),
        held_removals: replica.held.removals.len(),
        held_keys: replica.held.keys.len(),
    })
}

/// Removes another computer: its file leaves the folder and is not read
/// again; every account it brought stays.
pub fn remove_device(vault: &mut Vault, id: &str) -> Result<(), SyncError> {
    let (settings, _) = on(vault)?;
    let device = DeviceId::parse(id)
        .filter(|_| settings.peers.contains_key(id))
        .ok_or_else(|| SyncError::NoSuchDevice(id.into()))?;
    remove_device_file(&settings.folder, device)?;
    vault.sync_update(|_, meta, _| {
        if let Some(sync) = meta.sync.as_mut() {
            sync.removed.insert(id.to_owned());
            sync.peers.remove(id);
        }
        Ok(((), true))
    })?;
    Ok(())
}

/// A name for this computer the others can show: its host name where the
/// system says it without asking anyone (Linux's kernel, Windows's
/// environment), else a plain one the person can change.
pub fn this_computers_name() -> String {
    #[cfg(target_os = "linux")]
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname").ok();
    #[cfg(target_os = "windows")]
    let name = std::env::var("COMPUTERNAME").ok();
    #[cfg(not(any(target_os = "linux", target_os = "windows")))]
    let name = std::env::var("HOSTNAME").ok();
    name.map(|n| n.trim().chars().filter(|c| !c.is_control()).take(64).collect::<String>())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "this computer".into())
}
