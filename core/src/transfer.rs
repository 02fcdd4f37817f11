//! The transfer bundle: every account in one passphrase-encrypted file (the
//! Aegis vault format, see [`crate::formats::aegis`]), and its verification
//! against the vault before the old machine is wiped.

use std::path::Path;

use serde::Serialize;

use crate::account::Account;
use crate::formats::{self, aegis, Format, FormatError};

/// Passphrases shorter than this are refused for bundles.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error("the passphrase must be at least {MIN_PASSPHRASE_CHARS} characters long")]
    WeakPassphrase,
    #[error(transparent)]
    Format(#[from] FormatError),
    #[error("this file is not a transfer bundle (it is {0})")]
    NotABundle(&'static str),
    #[error("could not write {}: {source}", path.display())]
    Write { path: std::path::PathBuf, source: std::io::Error },
}

/// The bundle's bytes for `accounts`.
pub fn export(accounts: &[Account], passphrase: &str) -> Result<Vec<u8>, TransferError> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(TransferError::WeakPassphrase);
    }
    Ok(aegis::write_encrypted(accounts, passphrase)?)
}

/// Writes a file atomically (temporary file, fsync, rename), so an
/// interrupted export never leaves a half-written bundle under its name.
pub fn save(path: &Path, bytes: &[u8]) -> Result<(), TransferError> {
    crate::vault::write_file_atomically(path, bytes)
        .map_err(|source| TransferError::Write { path: path.to_path_buf(), source })
}

/// Decrypts a bundle (any encrypted Aegis vault).
pub fn open(bytes: &[u8], passphrase: &str) -> Result<Vec<Account>, TransferError> {
    match formats::read(bytes, Some(passphrase))? {
        (Format::Aegis, imported) => Ok(imported.accounts),
        (other, _) => Err(TransferError::NotABundle(other.name())),
    }
}

/// How a bundle compares with the vault.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// Accounts in the vault.
    pub total: usize,
    /// Vault accounts present in the bundle with every field and code equal.
    pub matching: usize,
    /// In the vault, not in the bundle.
    pub missing: Vec<String>,
    /// In both, but something differs (name, parameters, notes, codes…).
    pub different: Vec<String>,
    /// In the bundle only.
    pub extra: Vec<String>,
}

impl Verification {
    /// Everything in the vault is in the bundle, unchanged.
    pub fn is_complete(&self) -> bool {
        self.matching == self.total && self.missing.is_empty() && self.different.is_empty()
    }
}

/// Compares every vault account with the bundle: same id, same fields, and
/// the same code at `now`.
pub fn verify(bundle: &[Account], vault: &[Account], now: u64) -> Verification {
    let mut report = Verification { total: vault.len(), ..Verification::default() };
    for account in vault {
        let found = bundle
            .iter()
            .find(|b| b.id == account.id)
            .or_else(|| bundle.iter().find(|b| b.otp.same_codes_as(&account.otp)));
        match found {
            None => report.missing.push(account.display_name()),
            Some(b) if same(b, account, now) => report.matching += 1,
            Some(_) => report.different.push(account.display_name()),
        }
    }
    for b in bundle {
        if !vault.iter().any(|a| a.id == b.id || a.otp.same_codes_as(&b.otp)) {
            report.extra.push(b.display_name());
        }
    }
    report
}

fn same(a: &Account, b: &Account, now: u64) -> bool {
    a.issuer == b.issuer
        && a.name == b.name
        && a.otp == b.otp
        && a.notes == b.notes
        && a.tags == b.tags
        && a.recovery_codes == b.recovery_codes
        && a.otp.code_at(now) == b.otp.code_at(now)
}
