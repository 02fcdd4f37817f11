//! What can go wrong, in one place: each core error becomes a `Failure`,
//! and each `Failure` one line on stderr and an exit status (1: it failed,
//! 2: bad input). Core's messages never hold a secret, so they are shown
//! as they are, with a hint where the next step is not obvious.

use std::process::ExitCode;

use twofold_core::backup::BackupError;
use twofold_core::kit::KitError;
use twofold_core::transfer::TransferError;
use twofold_core::{KeychainError, VaultError};

/// A failure and the exit status it maps to.
pub enum Failure {
    BadInput(String),
    Failed(String),
    /// Exit status 1 with nothing more to say (the output said it).
    Quiet,
}

impl Failure {
    /// Says the failure on stderr and answers the exit status.
    pub fn report(self) -> ExitCode {
        match self {
            Failure::BadInput(message) => {
                eprintln!("twofold-cli: {message}");
                ExitCode::from(2)
            }
            Failure::Failed(message) => {
                eprintln!("twofold-cli: {message}");
                ExitCode::from(1)
            }
            Failure::Quiet => ExitCode::from(1),
        }
    }
}

impl From<VaultError> for Failure {
    fn from(e: VaultError) -> Self {
        match e {
            VaultError::Keychain(KeychainError::Unavailable { .. }) => Failure::Failed(format!(
                "{e}; create a passphrase-protected vault instead: twofold-cli init --vault-passphrase-file FILE"
            )),
            VaultError::WeakPassphrase(_) => Failure::BadInput(e.to_string()),
            VaultError::MissingButFound { previous: true, .. } => {
                Failure::Failed(format!("{e}: twofold-cli restore"))
            }
            VaultError::MissingButFound { previous: false, .. } => Failure::Failed(format!(
                "{e}; to start a new, empty vault anyway: twofold-cli init --new-despite-backup"
            )),
            VaultError::WouldRollBack { .. } => {
                Failure::Failed(format!("{e}; to roll back anyway: twofold-cli restore --force"))
            }
            // When the key is gone for good (a new keyring, a reinstalled
            // desktop), the backups are the way back.
            VaultError::Keychain(KeychainError::KeyMissing | KeychainError::BadKey)
            | VaultError::KeyMismatch => Failure::Failed(format!(
                "{e} (a keychain that is only locked or closed: open it and try again); if the key is gone for good, start a new vault from your backups, the old files kept aside: twofold-cli backups restore latest --folder DIR --passphrase-file FILE --start-over"
            )),
            VaultError::NeedsPassphrase => Failure::Failed(
                "this vault is protected by a passphrase; pass --vault-passphrase-file FILE".into(),
            ),
            other => Failure::Failed(other.to_string()),
        }
    }
}

impl From<TransferError> for Failure {
    fn from(e: TransferError) -> Self {
        match e {
            TransferError::WeakPassphrase(_) | TransferError::Read { .. } => Failure::BadInput(e.to_string()),
            TransferError::Exists(_) => Failure::BadInput(format!("{e}: pass --force to replace it")),
            other => Failure::Failed(other.to_string()),
        }
    }
}

impl From<BackupError> for Failure {
    fn from(e: BackupError) -> Self {
        match e {
            BackupError::WeakPassphrase(_) | BackupError::RetentionTooLong(_) => {
                Failure::BadInput(e.to_string())
            }
            other => Failure::Failed(other.to_string()),
        }
    }
}

impl From<KitError> for Failure {
    fn from(e: KitError) -> Self {
        match e {
            KitError::File(e) => e.into(),
            KitError::Vault(e) => e.into(),
            KitError::WeakPassphrase(_) => Failure::BadInput(e.to_string()),
            other => Failure::Failed(other.to_string()),
        }
    }
}
