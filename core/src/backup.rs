//! Automatic encrypted backups and their restore points.
//!
//! A backup is a transfer bundle (an encrypted Aegis vault, so Aegis on a
//! phone opens it too) written into a folder the person chose, atomically,
//! then read back from disk and checked against the vault. Each file has a
//! master key of its own, wrapped by the backup passphrase's scrypt key
//! ([`BackupKey`]), which the caller keeps in the system keychain so no
//! backup asks for the passphrase. The passphrase opens the files, and so
//! does that stored key (as strong as the keychain that holds the vault's).
//!
//! Each file is named for the vault that wrote it and numbered in the order
//! it was written ([`Chain`], `twofold-backup-<time>-<vault>-<n>.json`):
//! "the newest" is the last written, whatever the clock said, and several
//! computers sharing one folder never thin each other's backups. Thinning
//! ([`to_keep`]) is a pure function of the backups' times, their accounts
//! and the clock, applied only to the backups written since the clock last
//! jumped ([`since_the_clock_jumped`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use uuid::Uuid;

use crate::account::Account;
use crate::civil::{civil_date, days_from_civil};
use crate::formats::{aegis, FormatError};
use crate::fs::{self, read_bounded, ReadError, MAX_IMPORT_BYTES};
use crate::passphrase::WeakPassphrase;
use crate::settings::{Retention, RetentionTooLong};
use crate::vault::keychain::Item;
use crate::vault::{Keychain, KeychainError, Vault};

use crate::formats::aegis::Carried;
pub use crate::formats::aegis::SlotKey as BackupKey;

/// Backup file names: this, the UTC time, ".json".
const PREFIX: &str = "twofold-backup-";

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// Automatic backups are not turned on for this vault.
    #[error("automatic backups are off")]
    Off,
    #[error("the backup folder {} is missing", .0.display())]
    FolderMissing(PathBuf),
    /// The folder is there but holds no backup to restore from.
    #[error("the backup folder {} holds no backup", .0.display())]
    NoBackups(PathBuf),
    #[error("could not write a backup into {}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("could not read {}: {source}", path.display())]
    Read { path: PathBuf, source: ReadError },
    #[error("the backup read back from {} does not match the vault", .0.display())]
    Mismatch(PathBuf),
    #[error("{0}")]
    Format(#[from] FormatError),
    #[error(transparent)]
    WeakPassphrase(#[from] WeakPassphrase),
    /// Backups are on, but the key that writes them is gone from the
    /// keychain (a reset keyring): the backup passphrase is needed again.
    #[error("the backup key is missing from the keychain: enter the backup passphrase again")]
    KeyMissing,
    #[error("{0}")]
    Keychain(KeychainError),
    #[error("{0}")]
    Vault(#[from] crate::vault::VaultError),
    #[error(transparent)]
    RetentionTooLong(#[from] RetentionTooLong),
}

/// One backup file: a restore point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestorePoint {
    /// The file name without ".json", e.g.
    /// `twofold-backup-20261126-051800-<vault>-7`.
    pub id: String,
    /// Unix seconds it was written, as the clock said then (from its name).
    pub time: u64,
    /// The vault that wrote it (`None`: written before files were named
    /// for their vault; never thinned).
    pub chain: Option<Chain>,
    /// Its place in its vault's backups: 1 for the first, counting up.
    pub seq: u64,
    pub path: PathBuf,
}

/// The backups of one vault: its id, in every file name it writes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Chain(String);

impl Chain {
    pub fn of(vault: &Vault) -> Self {
        Self::from_id(vault.id())
    }

    pub fn from_id(vault_id: &[u8; 16]) -> Self {
        Self(vault_id.iter().map(|b| format!("{b:02x}")).collect())
    }
}

/// `twofold-backup-20261126-051800-<vault>-<seq>` (the time in UTC).
pub fn id_for(unix_seconds: u64, chain: &Chain, seq: u64) -> String {
    let (y, m, d) = civil_date(unix_seconds / 86_400);
    let s = unix_seconds % 86_400;
    let time = format!("{y:04}{m:02}{d:02}-{:02}{:02}{:02}", s / 3600, s / 60 % 60, s % 60);
    format!("{PREFIX}{time}-{}-{seq}", chain.0)
}

/// The time, vault and number in a backup's id (an id from before files
/// were named for their vault has only the time).
fn parse_id(id: &str) -> Option<(u64, Option<Chain>, u64)> {
    let stamp = id.strip_prefix(PREFIX)?;
    let time = time_of(stamp.get(..15)?)?;
    match stamp.get(15..) {
        Some("") => Some((time, None, 0)),
        Some(rest) => {
            let (chain, seq) = rest.strip_prefix('-')?.split_once('-')?;
            let hex =
                chain.len() == 32 && chain.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
            let seq = seq.parse::<u64>().ok().filter(|&n| n > 0 && !seq.starts_with('0'))?;
            hex.then(|| (time, Some(Chain(chain.to_owned())), seq))
        }
        None => None,
    }
}

/// Unix seconds from "20261126-051800".
fn time_of(stamp: &str) -> Option<u64> {
    let (date, time) = stamp.split_once('-')?;
    let field = |text: &str, range: std::ops::Range<usize>| text.get(range)?.parse::<u64>().ok();
    let (y, m, d) = (field(date, 0..4)?, field(date, 4..6)?, field(date, 6..8)?);
    let (hh, mm, ss) = (field(time, 0..2)?, field(time, 2..4)?, field(time, 4..6)?);
    let days = days_from_civil(y, m, d)?;
    (date.len() == 8 && time.len() == 6 && hh < 24 && mm < 60 && ss < 60)
        .then(|| days * 86_400 + hh * 3600 + mm * 60 + ss)
}

/// Writes a backup of `accounts` into `folder` as the next of `chain`'s,
/// then reads it back from disk and checks it holds exactly the vault (a
/// backup that does not is removed and reported). Never over another file:
/// two processes backing up at once each get a number of their own.
pub fn write(
    folder: &Path,
    chain: &Chain,
    accounts: &[Account],
    key: &BackupKey,
    now: u64,
) -> Result<RestorePoint, BackupError> {
    write_carrying(folder, chain, accounts, None, key, now)
}

/// [`write()`], with settings the way back restores ([`Carried`]).
fn write_carrying(
    folder: &Path,
    chain: &Chain,
    accounts: &[Account],
    carried: Option<&Carried>,
    key: &BackupKey,
    now: u64,
) -> Result<RestorePoint, BackupError> {
    if !folder.is_dir() {
        return Err(BackupError::FolderMissing(folder.to_path_buf()));
    }
    let bytes = aegis::write_carrying(accounts, carried, key)?;
    let mut seq = chain_of(folder, chain)?.last().map_or(1, |p| p.seq + 1);
    let (id, path) = loop {
        let id = id_for(now, chain, seq);
        let path = folder.join(format!("{id}.json"));
        match fs::create_atomically(&path, &bytes) {
            Ok(()) => {
                fs::sweep_stale_temps(&path);
                break (id, path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && seq < u64::MAX => seq += 1,
            Err(source) => return Err(BackupError::Write { path, source }),
        }
    };
    let back = open(&path, key)?;
    let check = crate::compare::verify(&back, accounts, now);
    if !check.complete || back.len() != accounts.len() {
        let _ = std::fs::remove_file(&path);
        return Err(BackupError::Mismatch(path));
    }
    Ok(RestorePoint { id, time: now, chain: Some(chain.clone()), seq, path })
}

/// The accounts in a backup, opened with the stored key.
pub fn open(path: &Path, key: &BackupKey) -> Result<Vec<Account>, BackupError> {
    let bytes = read_bounded(path, MAX_IMPORT_BYTES)
        .map_err(|source| BackupError::Read { path: path.into(), source })?;
    Ok(aegis::read_with_slot_key(&bytes, key)?.0.accounts)
}

/// [`open`], and the settings the backup carries.
fn open_carrying(path: &Path, key: &BackupKey) -> Result<(Vec<Account>, Carried), BackupError> {
    let bytes = read_bounded(path, MAX_IMPORT_BYTES)
        .map_err(|source| BackupError::Read { path: path.into(), source })?;
    let (imported, carried) = aegis::read_with_slot_key(&bytes, key)?;
    Ok((imported.accounts, carried))
}

/// The key of a backup, from its passphrase (for a machine without the
/// stored key); it opens every backup written since backups were enabled.
pub fn recover_key(path: &Path, passphrase: &str) -> Result<BackupKey, BackupError> {
    let bytes = read_bounded(path, MAX_IMPORT_BYTES)
        .map_err(|source| BackupError::Read { path: path.into(), source })?;
    Ok(BackupKey::recover(&bytes, passphrase)?)
}

/// Every backup in `folder`, whichever vault wrote it, by the time in its
/// name (oldest first): for a folder looked at from elsewhere. Other files
/// are left alone.
pub fn list(folder: &Path) -> Result<Vec<RestorePoint>, BackupError> {
    let entries = std::fs::read_dir(folder).map_err(|_| BackupError::FolderMissing(folder.to_path_buf()))?;
    let mut points: Vec<RestorePoint> = entries
        .flatten()
        .filter_map(|entry| {
            let path = entry.path();
            let id = path.file_name()?.to_str()?.strip_suffix(".json")?.to_owned();
            let (time, chain, seq) = parse_id(&id)?;
            Some(RestorePoint { id, time, chain, seq, path })
        })
        .collect();
    points.sort_by(|a, b| (a.time, &a.chain, a.seq).cmp(&(b.time, &b.chain, b.seq)));
    Ok(points)
}

/// `chain`'s backups in `folder`, in the order they were written (oldest
/// first), whatever the clock said when each was.
pub fn chain_of(folder: &Path, chain: &Chain) -> Result<Vec<RestorePoint>, BackupError> {
    let mut points: Vec<RestorePoint> =
        list(folder)?.into_iter().filter(|p| p.chain.as_ref() == Some(chain)).collect();
    points.sort_by_key(|p| p.seq);
    Ok(points)
}

/// The vault's own backups (oldest first).
pub fn points_of(vault: &Vault) -> Result<Vec<RestorePoint>, BackupError> {
    let folder = vault.meta().backup_folder.clone().ok_or(BackupError::Off)?;
    chain_of(&folder, &Chain::of(vault))
}

/// Turns backups on: into `folder` (created if need be), with a key derived
/// from `passphrase` kept in the keychain, and a first backup at once.
pub fn enable(
    vault: &mut Vault,
    keychain: &Keychain,
    folder: &Path,
    passphrase: &str,
    now: u64,
) -> Result<RestorePoint, BackupError> {
    crate::passphrase::check(passphrase)?;
    // A folder made here is the person's alone (0700): others would see
    // when each change was made. One they chose is left as it is.
    if !folder.exists() {
        fs::create_private_dir(folder)
            .map_err(|source| BackupError::Write { path: folder.into(), source })?;
    }
    // Backups already there under this passphrase (the keychain lost the
    // key, or this is a new machine): carry on with their key, so every
    // restore point still opens with it and is thinned with the rest.
    let newest = chain_of(folder, &Chain::of(vault))?.pop();
    let key = match newest.map(|point| recover_key(&point.path, passphrase)) {
        Some(Ok(key)) => key,
        _ => BackupKey::derive(passphrase)?,
    };
    keychain.store(Item::BackupKey, vault.id(), &key.to_bytes()).map_err(BackupError::Keychain)?;
    vault.set_backup_folder(Some(folder.to_path_buf()))?;
    back_up(vault, keychain, now)?.ok_or(BackupError::Off)
}

/// Turns backups off; the files already written stay where they are.
pub fn disable(vault: &mut Vault, keychain: &Keychain) -> Result<(), BackupError> {
    vault.set_backup_folder(None)?;
    keychain.delete(Item::BackupKey, vault.id()).map_err(BackupError::Keychain)
}

/// The key that writes this vault's backups.
pub fn key_of(vault: &Vault, keychain: &Keychain) -> Result<BackupKey, BackupError> {
    let bytes = keychain.load(Item::BackupKey, vault.id()).map_err(|e| match e {
        KeychainError::KeyMissing | KeychainError::BadKey => BackupError::KeyMissing,
        other => BackupError::Keychain(other),
    })?;
    // Something that is not a backup key is as good as none.
    BackupKey::from_bytes(&bytes).ok_or(BackupError::KeyMissing)
}

/// After a change: a backup of the vault (if backups are on), then the
/// folder thinned. `Ok(None)`: backups are off.
pub fn back_up(vault: &Vault, keychain: &Keychain, now: u64) -> Result<Option<RestorePoint>, BackupError> {
    let Some(folder) = vault.meta().backup_folder.clone() else { return Ok(None) };
    let key = key_of(vault, keychain)?;
    let chain = Chain::of(vault);
    // The lock goes with the accounts: the way back restores it too.
    let carried = Carried { lock: Some(vault.meta().lock.clone()) };
    let point = write_carrying(&folder, &chain, vault.accounts(), Some(&carried), &key, now)?;
    let in_vault = vault.accounts().iter().map(|a| a.id).collect();
    thin(&folder, &chain, &key, &in_vault, now, vault.meta().backup_retention)?;
    Ok(Some(point))
}

/// Deletes the `chain` backups `to_keep` does not keep, among those
/// written since the clock last jumped. Another vault's backups, one this
/// key cannot open (another passphrase's, damaged), and every backup from
/// before the jump are never deleted.
pub fn thin(
    folder: &Path,
    chain: &Chain,
    key: &BackupKey,
    in_vault: &BTreeSet<Uuid>,
    now: u64,
    policy: Retention,
) -> Result<usize, BackupError> {
    let mine = chain_of(folder, chain)?;
    let steady = since_the_clock_jumped(&mine, now);
    let points: Vec<(RestorePoint, Snapshot)> = mine[steady..]
        .iter()
        .cloned()
        .filter_map(|point| {
            let accounts = open(&point.path, key).ok()?.iter().map(|a| a.id).collect();
            let snapshot = Snapshot { time: point.time, accounts };
            Some((point, snapshot))
        })
        .collect();
    let snapshots: Vec<Snapshot> = points.iter().map(|(_, s)| s.clone()).collect();
    let keep = to_keep(&snapshots, in_vault, now, policy);
    let mut removed = 0;
    for (i, (point, _)) in points.iter().enumerate() {
        if !keep.contains(&i) && std::fs::remove_file(&point.path).is_ok() {
            removed += 1;
        }
    }
    Ok(removed)
}

/// The way back when the vault cannot open (gone, damaged, its key lost):
/// a new vault where the old one was (the old files kept aside, never
/// deleted) holding the newest backup's accounts, backing up into the same
/// folder under the same passphrase. Nothing is created when the passphrase
/// is wrong or the folder holds no backup.
pub fn start_over_from(
    folder: &Path,
    passphrase: &str,
    vault_path: &Path,
    keychain: &Keychain,
    now: u64,
) -> Result<Vault, BackupError> {
    let (key, accounts, carried) = newest_that_opens(folder, passphrase, crate::vault::id_of(vault_path))?;
    let mut vault = Vault::create_anew(vault_path, crate::vault::Unlock::Keychain(keychain), now)?;
    vault.add_all(accounts)?;
    // The app lock the person had set comes back with the accounts.
    if let Some(lock) = carried.lock {
        vault.set_lock_settings(lock)?;
    }
    keychain.store(Item::BackupKey, vault.id(), &key.to_bytes()).map_err(BackupError::Keychain)?;
    vault.set_backup_folder(Some(folder.to_path_buf()))?;
    Ok(vault)
}

/// At most this many backups are tried for the way back (each costs a
/// key derivation): the vault's own newest first, then the others.
const WAY_BACK_TRIES: usize = 16;

/// The newest backup `passphrase` opens: the old vault's own (`vault_id`,
/// when its file still says), last written first, then any other vault's,
/// newest by the time in its name. A folder another computer shares, or a
/// backup under another passphrase, never hides the ones that open.
fn newest_that_opens(
    folder: &Path,
    passphrase: &str,
    vault_id: Option<[u8; 16]>,
) -> Result<(BackupKey, Vec<Account>, Carried), BackupError> {
    let mut points = list(folder)?;
    if points.is_empty() {
        return Err(BackupError::NoBackups(folder.to_path_buf()));
    }
    let own = vault_id.map(|id| Chain::from_id(&id));
    // Sorted so the most wanted come last: the old vault's, in its order.
    points
        .sort_by_key(|p| (p.chain.is_some() && p.chain == own, if p.chain == own { p.seq } else { p.time }));
    let mut last_error = None;
    for point in points.iter().rev().take(WAY_BACK_TRIES) {
        match recover_key(&point.path, passphrase)
            .and_then(|key| Ok((open_carrying(&point.path, &key)?, key)))
        {
            Ok(((accounts, carried), key)) => return Ok((key, accounts, carried)),
            Err(e) => last_error = Some(e),
        }
    }
    Err(last_error.unwrap_or_else(|| BackupError::NoBackups(folder.to_path_buf())))
}

/// Whether backups are working, for the checklist and status lines.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Health {
    pub on: bool,
    /// Where they go.
    pub folder: Option<PathBuf>,
    /// Unix seconds of the newest backup in the folder.
    pub last: Option<u64>,
    /// Why backups cannot be written now.
    pub problem: Option<BackupProblem>,
    /// What the system said, when it said something ("Read-only file
    /// system"): for the CLI's report; the page words the problem itself.
    #[serde(skip)]
    pub detail: Option<String>,
}

/// Why backups cannot be written: the one vocabulary of the checklist, the
/// window's status line, its scheduler and the CLI. The page words each
/// (`backup.problem.<name>` in `ui/js/i18n/`); the CLI says [`Self::said`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BackupProblem {
    /// The folder is gone (an unplugged drive, a renamed folder).
    FolderMissing,
    /// The folder refuses a file (read-only, full).
    Unwritable,
    /// The key that writes backups left the keychain.
    KeyMissing,
    /// Anything else went wrong with the last attempt.
    Failed,
}

impl BackupProblem {
    pub const ALL: &'static [BackupProblem] = &[
        BackupProblem::FolderMissing,
        BackupProblem::Unwritable,
        BackupProblem::KeyMissing,
        BackupProblem::Failed,
    ];

    /// The problem a failed attempt shows.
    pub fn of(error: &BackupError) -> Self {
        match error {
            BackupError::FolderMissing(_) => BackupProblem::FolderMissing,
            BackupError::Write { .. } => BackupProblem::Unwritable,
            BackupError::KeyMissing => BackupProblem::KeyMissing,
            BackupError::Off
            | BackupError::NoBackups(_)
            | BackupError::Read { .. }
            | BackupError::Mismatch(_)
            | BackupError::Format(_)
            | BackupError::WeakPassphrase(_)
            | BackupError::Keychain(_)
            | BackupError::Vault(_)
            | BackupError::RetentionTooLong(_) => BackupProblem::Failed,
        }
    }

    /// In English, for the CLI.
    pub fn said(self, folder: &Path) -> String {
        match self {
            BackupProblem::FolderMissing => format!("the backup folder {} is missing", folder.display()),
            BackupProblem::Unwritable => format!("could not write a backup into {}", folder.display()),
            BackupProblem::KeyMissing => {
                "the backup key is missing from the keychain: enter the backup passphrase again".into()
            }
            BackupProblem::Failed => "the last backup failed".into(),
        }
    }
}

/// Checks, without writing a backup, that one could be written: the folder
/// is there and writable, and the key is in the keychain.
pub fn health(vault: &Vault, keychain: &Keychain) -> Health {
    let Some(folder) = vault.meta().backup_folder.clone() else { return Health::default() };
    let last = list(&folder).ok().and_then(|points| points.last().map(|p| p.time));
    let (problem, detail) = if !folder.is_dir() {
        (Some(BackupProblem::FolderMissing), None)
    } else if let Err(e) = writable(&folder) {
        (Some(BackupProblem::Unwritable), Some(e.to_string()))
    } else {
        match key_of(vault, keychain) {
            Ok(_) => (None, None),
            Err(e) => (Some(BackupProblem::of(&e)), Some(e.to_string())),
        }
    };
    Health { on: true, folder: Some(folder), last, problem, detail }
}

/// Writes (and syncs) a few KiB to a probe file and removes it: a read-only
/// mount refuses the file, a full disk its bytes (an empty file would still
/// fit on a full disk).
fn writable(folder: &Path) -> std::io::Result<()> {
    use std::io::Write;
    let probe = folder.join(".twofold-write-check");
    let written =
        std::fs::OpenOptions::new().write(true).create_new(true).open(&probe).and_then(|mut file| {
            file.write_all(&[0; 4096])?;
            file.sync_all()
        });
    let removed = std::fs::remove_file(&probe);
    written.and(removed)
}

/// Saves how long backups are kept, once it is within [`Retention::MAX`].
pub fn set_retention(vault: &mut Vault, retention: Retention) -> Result<(), BackupError> {
    Ok(vault.set_backup_retention(retention.checked()?)?)
}

/// A gap between two backups (or between the last one and now) longer than
/// this, or a step back of more than a day, is the clock jumping: a wrong date, a restored
/// snapshot, a machine left off a long time.
pub const CLOCK_JUMP: u64 = 180 * 86_400;

/// Where in `points` (one vault's, in the order written) the backups
/// written since the clock last jumped begin. Thinning ages backups against
/// the clock: across a jump it would judge real backups by a wrong date
/// (a clock set to 2030 would find them all years old). The backups before
/// the jump were already thinned when they were written, so keeping them
/// costs a bounded number of files.
pub fn since_the_clock_jumped(points: &[RestorePoint], now: u64) -> usize {
    let times: Vec<u64> = points.iter().map(|p| p.time).chain(std::iter::once(now)).collect();
    // NTP corrects a clock by seconds, sometimes backwards: not a jump.
    let jumped = |pair: &[u64]| pair[1] + 86_400 < pair[0] || pair[1].saturating_sub(pair[0]) > CLOCK_JUMP;
    match times.windows(2).rposition(jumped) {
        // Now itself jumped from the newest: thin nothing.
        Some(i) if i + 1 == points.len() => points.len(),
        Some(i) => i + 1,
        None => 0,
    }
}

/// A backup as thinning sees it.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub time: u64,
    pub accounts: BTreeSet<Uuid>,
}

/// Which backups to keep (indices into `snapshots`, sorted oldest first): the
/// newest always; every one of the last hours; the last of each day, then of
/// each month; and, for an account no longer in the vault (`in_vault`), the
/// last backup holding it while its deletion is recent. The deletion is
/// dated by the first backup without it (or now), so a mistaken deletion
/// can be undone for `deleted_days` whatever else is thinned.
pub fn to_keep(
    snapshots: &[Snapshot],
    in_vault: &BTreeSet<Uuid>,
    now: u64,
    policy: Retention,
) -> BTreeSet<usize> {
    const DAY: u64 = 86_400;
    let mut keep = BTreeSet::new();
    if let Some(last) = snapshots.len().checked_sub(1) {
        keep.insert(last);
    }
    let mut newest_per_bucket: BTreeMap<(u8, i64, u32), usize> = BTreeMap::new();
    for (i, snapshot) in snapshots.iter().enumerate() {
        let age = now.saturating_sub(snapshot.time);
        if age < policy.all_hours.saturating_mul(3600) {
            keep.insert(i);
        } else if age < policy.daily_days.saturating_mul(DAY) {
            newest_per_bucket.insert((0, (snapshot.time / DAY) as i64, 0), i);
        } else {
            let (y, m, _) = civil_date(snapshot.time / DAY);
            let (ny, nm, _) = civil_date(now / DAY);
            let months_ago = (ny - y) * 12 + i64::from(nm) - i64::from(m);
            if months_ago < i64::try_from(policy.monthly_months).unwrap_or(i64::MAX) {
                newest_per_bucket.insert((1, y, m), i);
            }
        }
    }
    keep.extend(newest_per_bucket.values());
    // The way back from a mistaken deletion.
    let gone: BTreeSet<&Uuid> =
        snapshots.iter().flat_map(|s| &s.accounts).filter(|id| !in_vault.contains(id)).collect();
    for id in gone {
        let Some(last) = snapshots.iter().rposition(|s| s.accounts.contains(id)) else { continue };
        let deleted_at = snapshots.get(last + 1).map_or(now, |next| next.time);
        if now.saturating_sub(deleted_at) < policy.deleted_days.saturating_mul(DAY) {
            keep.insert(last);
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_times_round_trip() {
        let chain = Chain::from_id(&[0xab; 16]);
        for t in [0, 1_764_134_280, 1_800_000_000, 4_102_444_799] {
            let id = id_for(t, &chain, 7);
            assert_eq!(parse_id(&id), Some((t, Some(chain.clone()), 7)), "{id}");
        }
        assert_eq!(
            id_for(1_764_134_280, &chain, 1),
            format!("twofold-backup-20251126-051800-{}-1", "ab".repeat(16))
        );
        // Written before files were named for their vault.
        assert_eq!(parse_id("twofold-backup-20251126-051800"), Some((1_764_134_280, None, 0)));
        for bad in [
            "twofold-backup-20251326-051800",
            "notes",
            "twofold-backup-20251126-051800-ab-1",
            &format!("twofold-backup-20251126-051800-{}-0", "ab".repeat(16)),
            &format!("twofold-backup-20251126-051800-{}-01", "ab".repeat(16)),
            &format!("twofold-backup-20251126-051800-{}", "ab".repeat(16)),
        ] {
            assert_eq!(parse_id(bad), None, "{bad}");
        }
    }
}
