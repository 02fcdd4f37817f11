//! What can go wrong with the vault, for every caller (open, edit, save).

use std::path::PathBuf;

use super::{KeychainError, DATA_DIR_ENV};
use crate::passphrase::WeakPassphrase;

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("could not {action} {}: {source}", path.display())]
    Io { action: &'static str, path: PathBuf, source: std::io::Error },
    #[error("no vault at {}", .0.display())]
    Missing(PathBuf),
    /// No vault file, but signs that there was one: creating a new, empty
    /// vault must be an explicit choice, never a silent fresh start.
    /// `previous`: what was found is the previous version (`.bak`), which
    /// [`restore_previous`](super::restore_previous) puts back.
    #[error("the vault is missing, but {} is there: restore it rather than start over", found.display())]
    MissingButFound { found: PathBuf, previous: bool },
    #[error("the vault file was replaced by a different vault; open it again")]
    Replaced,
    /// The vault opens: putting its previous version back would undo its
    /// last change. `lost`: the accounts that would go; `returned`: those
    /// that would come back.
    #[error(
        "the vault opens; restoring its previous version would remove {} and bring back {}",
        said(lost),
        said(returned)
    )]
    WouldRollBack { lost: Vec<String>, returned: Vec<String> },
    #[error("a vault already exists at {}", .0.display())]
    AlreadyExists(PathBuf),
    /// `previous`: the previous version (`.bak`), when there is one to restore.
    #[error("the vault file is corrupted{}", if previous.is_some() { "; a backup of the previous version is available" } else { "" })]
    Corrupted { previous: Option<PathBuf> },
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
    #[error("the time server must be a host name, such as time.example.org (optionally with :port)")]
    NotAServerName,
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

/// "2 accounts (A, B)", "no account".
fn said(labels: &[String]) -> String {
    match labels.len() {
        0 => "no account".to_owned(),
        1 => format!("1 account ({})", labels[0]),
        n => format!("{n} accounts ({})", labels.join(", ")),
    }
}
