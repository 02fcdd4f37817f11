//! The transfer bundle: every account in one passphrase-encrypted file (the
//! Aegis vault format, see `formats::aegis`), and its verification
//! against the vault before the old machine is wiped.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::account::Account;
use crate::compare::{verify, Verification};
use crate::formats::{self, aegis, Format, FormatError};
use crate::passphrase::WeakPassphrase;
use crate::settings::VerifiedBundle;
use crate::vault::{Vault, VaultError};
use zeroize::Zeroizing;

#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error(transparent)]
    WeakPassphrase(#[from] WeakPassphrase),
    #[error(transparent)]
    Format(#[from] FormatError),
    #[error("this file is not a transfer bundle (it is {0})")]
    NotABundle(&'static str),
    #[error("could not write {}: {source}", path.display())]
    Write { path: std::path::PathBuf, source: std::io::Error },
    #[error("{} already exists; choose another name (or replace it on purpose)", .0.display())]
    Exists(PathBuf),
    #[error("{} is the vault or one of its backups: an export never replaces them", .0.display())]
    WouldReplaceVault(PathBuf),
    #[error("could not read {}: {source}", path.display())]
    Read { path: std::path::PathBuf, source: crate::fs::ReadError },
    #[error(transparent)]
    Vault(#[from] VaultError),
}

/// Unencrypted exports, for people whose other app cannot read the bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlainFormat {
    /// Aegis vault JSON without encryption.
    Aegis,
    /// One otpauth:// link per line.
    UriList,
}

impl PlainFormat {
    /// Where a plain export asked for at `path` is written: the name says
    /// UNENCRYPTED, so it is never mistaken for the bundle.
    /// `backup.json` → `backup-UNENCRYPTED.json` (Aegis) or
    /// `backup-UNENCRYPTED.txt` (links).
    pub fn file_for(self, path: &Path) -> PathBuf {
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let stem = stem.strip_suffix("-UNENCRYPTED").unwrap_or(&stem);
        let extension = match self {
            PlainFormat::Aegis => "json",
            PlainFormat::UriList => "txt",
        };
        path.with_file_name(format!("{stem}-UNENCRYPTED.{extension}"))
    }
}

/// Whether an export may replace a file already at its path. The vault and
/// its backups are never replaced, whatever this says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replace {
    /// Refuse ([`TransferError::Exists`]): the default.
    Never,
    /// The person asked to replace it (`--force`).
    Existing,
}

/// Writes every account UNENCRYPTED next to `path` (see
/// [`PlainFormat::file_for`]) and returns where.
pub fn export_plain_file(
    vault: &Vault,
    path: &Path,
    format: PlainFormat,
    replace: Replace,
) -> Result<PathBuf, TransferError> {
    let target = format.file_for(path);
    check_target(vault, &target, replace)?;
    save(&target, &export_plain(vault.accounts(), format)?)?;
    Ok(target)
}

/// Exports every account of `vault` to a bundle at `path`, then reads the
/// file back from disk and verifies it (recording it when complete): what
/// is checked is what was written, not what was in memory.
pub fn export_file(
    vault: &mut Vault,
    path: &Path,
    passphrase: &str,
    replace: Replace,
    now: u64,
) -> Result<Verification, TransferError> {
    let bytes = export(vault.accounts(), passphrase)?;
    check_target(vault, path, replace)?;
    save(path, &bytes)?;
    verify_file(vault, path, passphrase, now)
}

/// Refuses to write over the vault, anything beside it named after it
/// (backups, the lock), or, unless asked, any existing file.
pub(crate) fn check_target(vault: &Vault, target: &Path, replace: Replace) -> Result<(), TransferError> {
    let canonical_dir = |p: &Path| std::fs::canonicalize(crate::fs::directory_of(p)).ok();
    let vault_name = vault.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let target_name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let target_dir = canonical_dir(target);
    let same_dir = target_dir.is_some() && target_dir == canonical_dir(vault.path());
    if same_dir && (target_name == vault_name || target_name.starts_with(&format!("{vault_name}."))) {
        return Err(TransferError::WouldReplaceVault(target.to_path_buf()));
    }
    if replace == Replace::Never && std::fs::symlink_metadata(target).is_ok() {
        return Err(TransferError::Exists(target.to_path_buf()));
    }
    Ok(())
}

/// Every account in an UNENCRYPTED format (zeroized on drop).
pub fn export_plain(accounts: &[Account], format: PlainFormat) -> Result<Zeroizing<Vec<u8>>, TransferError> {
    Ok(match format {
        PlainFormat::Aegis => aegis::write_plain(accounts)?,
        PlainFormat::UriList => {
            let uris: Vec<Zeroizing<String>> = accounts.iter().map(|a| a.to_uri().to_uri()).collect();
            let lines: Vec<&str> = uris.iter().flat_map(|uri| [uri.as_str(), "\n"]).collect();
            let mut text = crate::sized::concat(&lines);
            // The same allocation, as bytes: nothing is copied.
            Zeroizing::new(std::mem::take(&mut *text).into_bytes())
        }
    })
}

/// Reads the bundle at `path` from disk, compares it with the vault, and
/// records it in the vault when it is complete.
pub fn verify_file(
    vault: &mut Vault,
    path: &Path,
    passphrase: &str,
    now: u64,
) -> Result<Verification, TransferError> {
    // Bounded, and regular files only: a bundle is never more than an
    // import file may be, and a FIFO named here must not hang the vault.
    let bytes = crate::fs::read_bounded(path, crate::fs::MAX_IMPORT_BYTES)
        .map_err(|source| TransferError::Read { path: path.to_path_buf(), source })?;
    let bundle = open(&bytes, passphrase)?;
    let report = verify(&bundle, vault.accounts(), now);
    if report.complete {
        vault.record_verified_bundle(VerifiedBundle {
            at: now,
            accounts: bundle.len(),
            path: path.display().to_string(),
        })?;
    }
    Ok(report)
}

/// "twofold-transfer-2026-11-25.json" for the day of `unix_seconds` (UTC).
pub fn suggested_file_name(unix_seconds: u64) -> String {
    let (y, m, d) = crate::civil::civil_date(unix_seconds / 86_400);
    format!("twofold-transfer-{y:04}-{m:02}-{d:02}.json")
}

/// The bundle's bytes for `accounts`.
pub fn export(accounts: &[Account], passphrase: &str) -> Result<Vec<u8>, TransferError> {
    crate::passphrase::check(passphrase)?;
    Ok(aegis::write_encrypted(accounts, passphrase)?)
}

/// Writes a file atomically (temporary file, fsync, rename), so an
/// interrupted export never leaves a half-written bundle under its name.
pub fn save(path: &Path, bytes: &[u8]) -> Result<(), TransferError> {
    crate::fs::replace_atomically(path, bytes)
        .map_err(|source| TransferError::Write { path: path.to_path_buf(), source })
}

/// Decrypts a bundle (any encrypted Aegis vault).
pub fn open(bytes: &[u8], passphrase: &str) -> Result<Vec<Account>, TransferError> {
    match formats::read(bytes, Some(passphrase))? {
        (Format::Aegis, imported) => Ok(imported.accounts),
        (other, _) => Err(TransferError::NotABundle(other.name())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_exports_say_unencrypted_in_their_name() {
        let cases = [
            ("/x/backup.json", PlainFormat::Aegis, "/x/backup-UNENCRYPTED.json"),
            ("/x/backup.json", PlainFormat::UriList, "/x/backup-UNENCRYPTED.txt"),
            ("b.txt", PlainFormat::UriList, "b-UNENCRYPTED.txt"),
            ("/x/b-UNENCRYPTED.json", PlainFormat::Aegis, "/x/b-UNENCRYPTED.json"),
        ];
        for (asked, format, written) in cases {
            assert_eq!(format.file_for(Path::new(asked)), Path::new(written), "{asked}");
        }
    }

    #[test]
    fn file_names_carry_the_date() {
        assert_eq!(suggested_file_name(0), "twofold-transfer-1970-01-01.json");
        assert_eq!(suggested_file_name(951_782_400), "twofold-transfer-2000-02-29.json");
        assert_eq!(suggested_file_name(1_795_996_800), "twofold-transfer-2026-11-30.json");
    }
}
