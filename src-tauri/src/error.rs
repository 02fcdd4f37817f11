//! The error every command returns: a typed `code` the UI switches on (and
//! translates: every code has a message in `ui/js/i18n/{en,ja}.js`, which a
//! test checks), plus an English `message` for logs.
//!
//! Each `From` below is one exhaustive `match`, so a new core error variant
//! does not compile until someone decides what the person is told.

use serde::Serialize;
use twofold_core::app_lock::LockError;
use twofold_core::backup::BackupError;
use twofold_core::formats::{FormatError, Unsupported};
use twofold_core::sync::SyncError;
use twofold_core::transfer::TransferError;
use twofold_core::{KeychainError, ManualEntryError, OtpError, SecretError, UriError, VaultError};

/// Declares [`ErrorCode`] and the list of all its variants together, so the
/// translation test cannot miss one.
macro_rules! error_codes {
    ($($variant:ident),* $(,)?) => {
        /// Stable, snake_case on the wire (`"wrong_passphrase"`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode { $($variant),* }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];
        }
    };
}

error_codes! {
    Internal,
    Io,
    NoDataDir,
    VaultNotOpen,
    AppLocked,
    LockWrong,
    LockWait,
    LockTooShort,
    SystemRefused,
    SystemCancelled,
    SystemUnavailable,
    VaultCorrupted,
    VaultCorruptedBackup,
    VaultNewerFormat,
    VaultMissingBackup,
    VaultMissingFound,
    VaultReplaced,
    VaultOpens,
    NotAServerName,
    ClockTooFarOff,
    WrongPassphrase,
    WeakPassphrase,
    NeedsPassphrase,
    KeychainUnavailable,
    KeychainKeyMissing,
    KeychainKeyMismatch,
    KeychainError,
    NoSuchAccount,
    DuplicateAccount,
    NotHotp,
    RecoveryCodeUnknown,
    RecoveryCodeUsed,
    RecoveryNoneFound,
    UriNotOtpauth,
    UriMigration,
    UriUnknownType,
    UriBadEncoding,
    UriMissingSecret,
    UriAlgorithm,
    UriAmbiguous,
    SecretEmpty,
    SecretNotBase32,
    DigitsOutOfRange,
    PeriodInvalid,
    CounterMissing,
    CounterInvalid,
    EntryNoName,
    NotABundle,
    FileExists,
    WouldReplaceVault,
    FileDamaged,
    FileNeedsFiles,
    FileTooCostly,
    FileTooLarge,
    NeedsPassphraseFile,
    FileUnrecognized,
    FileUnsupported,
    Clipboard,
    ClipboardEmpty,
    ShortcutTaken,
    BackupFolderMissing,
    BackupsOff,
    NoBackups,
    BackupFailed,
    RetentionTooLong,
    ScreenCapture,
    NoCodeOnScreen,
    SyncOff,
    SyncFolder,
    SyncConflictGone,
    SyncNoSuchComputer,
    SyncFailed,
    BadRequest,
}

#[derive(Debug, Serialize)]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
    /// Which kind of file, for [`ErrorCode::FileUnsupported`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<Unsupported>,
    /// How long to wait, for [`ErrorCode::LockWait`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds: Option<u64>,
}

impl CommandError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), detail: None, seconds: None }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

fn secret_code(e: &SecretError) -> ErrorCode {
    match e {
        SecretError::Empty => ErrorCode::SecretEmpty,
        SecretError::NotBase32 => ErrorCode::SecretNotBase32,
    }
}

fn otp_code(e: &OtpError) -> ErrorCode {
    match e {
        OtpError::Digits => ErrorCode::DigitsOutOfRange,
        OtpError::Period => ErrorCode::PeriodInvalid,
    }
}

impl From<LockError> for CommandError {
    fn from(e: LockError) -> Self {
        let code = match e {
            LockError::TooShort => ErrorCode::LockTooShort,
            LockError::Wrong => ErrorCode::LockWrong,
            LockError::Wait { seconds } => {
                return Self { seconds: Some(seconds), ..Self::new(ErrorCode::LockWait, e.to_string()) }
            }
            LockError::SystemRefused => ErrorCode::SystemRefused,
            LockError::SystemCancelled => ErrorCode::SystemCancelled,
            LockError::SystemUnavailable => ErrorCode::SystemUnavailable,
            LockError::NotSet | LockError::Damaged | LockError::Random => ErrorCode::Internal,
        };
        Self::new(code, e.to_string())
    }
}

impl From<twofold_core::clock::ClockError> for CommandError {
    fn from(e: twofold_core::clock::ClockError) -> Self {
        use twofold_core::clock::ClockError;
        let code = match e {
            ClockError::TooFarToCorrect => ErrorCode::ClockTooFarOff,
            ClockError::UnknownServer(_)
            | ClockError::Unreachable(_)
            | ClockError::Timeout
            | ClockError::BadReply
            | ClockError::Refused => ErrorCode::Internal,
        };
        Self::new(code, e.to_string())
    }
}

impl From<UriError> for CommandError {
    fn from(e: UriError) -> Self {
        let code = match &e {
            UriError::NotOtpauth => ErrorCode::UriNotOtpauth,
            UriError::Migration => ErrorCode::UriMigration,
            UriError::UnknownType => ErrorCode::UriUnknownType,
            UriError::BadEncoding(_) => ErrorCode::UriBadEncoding,
            UriError::MissingSecret => ErrorCode::UriMissingSecret,
            UriError::Secret(s) => secret_code(s),
            UriError::Algorithm => ErrorCode::UriAlgorithm,
            UriError::DigitsNotNumber => ErrorCode::DigitsOutOfRange,
            UriError::PeriodNotNumber => ErrorCode::PeriodInvalid,
            UriError::MissingCounter => ErrorCode::CounterMissing,
            UriError::CounterNotNumber => ErrorCode::CounterInvalid,
            UriError::Otp(o) => otp_code(o),
            UriError::Ambiguous(_) => ErrorCode::UriAmbiguous,
        };
        Self::new(code, e.to_string())
    }
}

impl From<ManualEntryError> for CommandError {
    fn from(e: ManualEntryError) -> Self {
        let code = match &e {
            ManualEntryError::NoName => ErrorCode::EntryNoName,
            ManualEntryError::Secret(s) => secret_code(s),
            ManualEntryError::Otp(o) => otp_code(o),
        };
        Self::new(code, e.to_string())
    }
}

impl From<VaultError> for CommandError {
    fn from(e: VaultError) -> Self {
        let code = match &e {
            VaultError::Io { .. } => ErrorCode::Io,
            // The window checks for these before they can happen.
            VaultError::Missing(_) | VaultError::AlreadyExists(_) | VaultError::NeedsKeychain => {
                ErrorCode::Internal
            }
            VaultError::Corrupted { previous: Some(_) } => ErrorCode::VaultCorruptedBackup,
            VaultError::Corrupted { previous: None } => ErrorCode::VaultCorrupted,
            VaultError::NewerFormat(_) => ErrorCode::VaultNewerFormat,
            VaultError::MissingButFound { previous: true, .. } => ErrorCode::VaultMissingBackup,
            VaultError::MissingButFound { previous: false, .. } => ErrorCode::VaultMissingFound,
            VaultError::Replaced => ErrorCode::VaultReplaced,
            VaultError::WouldRollBack { .. } => ErrorCode::VaultOpens,
            VaultError::WrongPassphrase => ErrorCode::WrongPassphrase,
            VaultError::KeyMismatch => ErrorCode::KeychainKeyMismatch,
            VaultError::NeedsPassphrase => ErrorCode::NeedsPassphrase,
            VaultError::WeakPassphrase(_) => ErrorCode::WeakPassphrase,
            VaultError::Keychain(KeychainError::Unavailable { .. }) => ErrorCode::KeychainUnavailable,
            VaultError::Keychain(KeychainError::KeyMissing) => ErrorCode::KeychainKeyMissing,
            VaultError::Keychain(KeychainError::BadKey | KeychainError::Other(_)) => ErrorCode::KeychainError,
            VaultError::NoDataDir => ErrorCode::NoDataDir,
            VaultError::Random | VaultError::Kdf => ErrorCode::Internal,
            VaultError::NoSuchAccount => ErrorCode::NoSuchAccount,
            VaultError::NotAServerName => ErrorCode::NotAServerName,
            VaultError::Duplicate { .. } => ErrorCode::DuplicateAccount,
            VaultError::NotHotp => ErrorCode::NotHotp,
            VaultError::NoSuchRecoveryCode => ErrorCode::RecoveryCodeUnknown,
            VaultError::RecoveryCodeUsed => ErrorCode::RecoveryCodeUsed,
        };
        Self::new(code, e.to_string())
    }
}

impl From<FormatError> for CommandError {
    fn from(e: FormatError) -> Self {
        let code = match &e {
            FormatError::WrongPassphrase => ErrorCode::WrongPassphrase,
            FormatError::Damaged(_) => ErrorCode::FileDamaged,
            FormatError::TooCostly(_) => ErrorCode::FileTooCostly,
            FormatError::TooLarge | FormatError::TooComplex => ErrorCode::FileTooLarge,
            FormatError::NeedsPassphrase(_) => ErrorCode::NeedsPassphraseFile,
            // Images are scanned before formats are tried; this cannot reach the window.
            FormatError::Unrecognized | FormatError::Image => ErrorCode::FileUnrecognized,
            FormatError::Unsupported(kind) => {
                return Self { detail: Some(*kind), ..Self::new(ErrorCode::FileUnsupported, e.to_string()) }
            }
            FormatError::NeedsFiles(_) => ErrorCode::FileNeedsFiles,
            FormatError::Internal => ErrorCode::Internal,
        };
        Self::new(code, e.to_string())
    }
}

impl From<BackupError> for CommandError {
    fn from(e: BackupError) -> Self {
        let code = match &e {
            BackupError::Off => ErrorCode::BackupsOff,
            BackupError::FolderMissing(_) => ErrorCode::BackupFolderMissing,
            BackupError::NoBackups(_) => ErrorCode::NoBackups,
            BackupError::WeakPassphrase(_) => ErrorCode::WeakPassphrase,
            BackupError::RetentionTooLong(_) => ErrorCode::RetentionTooLong,
            BackupError::Format(FormatError::WrongPassphrase) => ErrorCode::WrongPassphrase,
            BackupError::KeyMissing
            | BackupError::Write { .. }
            | BackupError::Read { .. }
            | BackupError::Mismatch(_)
            | BackupError::Format(_)
            | BackupError::Keychain(_)
            | BackupError::Vault(_) => ErrorCode::BackupFailed,
        };
        CommandError::new(code, e.to_string())
    }
}

impl From<SyncError> for CommandError {
    fn from(e: SyncError) -> Self {
        let e = match e {
            SyncError::Vault(v) => return v.into(),
            other => other,
        };
        let code = match &e {
            SyncError::Off => ErrorCode::SyncOff,
            SyncError::Weak(_) => ErrorCode::WeakPassphrase,
            SyncError::WrongPassphrase => ErrorCode::WrongPassphrase,
            SyncError::Folder { .. } | SyncError::BadFolderKey(_) | SyncError::AlreadyOn(_) => {
                ErrorCode::SyncFolder
            }
            SyncError::NoSuchConflict(_) | SyncError::Replica(_) => ErrorCode::SyncConflictGone,
            SyncError::NoSuchDevice(_) => ErrorCode::SyncNoSuchComputer,
            SyncError::KeyMissing => ErrorCode::KeychainKeyMissing,
            SyncError::Keychain(_) | SyncError::Vault(_) | SyncError::Random => ErrorCode::SyncFailed,
        };
        CommandError::new(code, e.to_string())
    }
}

impl From<TransferError> for CommandError {
    fn from(e: TransferError) -> Self {
        match e {
            TransferError::Format(f) => f.into(),
            TransferError::Vault(v) => v.into(),
            TransferError::WeakPassphrase(_) => Self::new(ErrorCode::WeakPassphrase, e.to_string()),
            TransferError::NotABundle(_) => Self::new(ErrorCode::NotABundle, e.to_string()),
            TransferError::Write { .. } | TransferError::Read { .. } => {
                Self::new(ErrorCode::Io, e.to_string())
            }
            TransferError::Exists(_) => Self::new(ErrorCode::FileExists, e.to_string()),
            TransferError::WouldReplaceVault(_) => Self::new(ErrorCode::WouldReplaceVault, e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The name a value is sent to the page under (`"wrong_passphrase"`,
    /// or the `kind` of a tagged enum).
    fn wire_name(value: impl Serialize) -> String {
        match serde_json::to_value(value).expect("serializes") {
            serde_json::Value::String(s) => s,
            other => other["kind"].as_str().unwrap_or_default().to_owned(),
        }
    }

    /// Fails naming every key that a language's message table lacks.
    fn assert_worded(keys: &[String]) {
        for language in ["en", "ja"] {
            let path = format!("{}/ui/js/i18n/{language}.js", env!("CARGO_MANIFEST_DIR"));
            let table = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
            let missing: Vec<&String> =
                keys.iter().filter(|k| !table.contains(&format!("\"{k}\":"))).collect();
            assert!(missing.is_empty(), "{language}.js has no message for {missing:?}");
        }
    }

    /// Every code the window can receive has a message in every language.
    #[test]
    fn every_error_code_has_a_message_in_english_and_japanese() {
        let keys: Vec<String> = ErrorCode::ALL.iter().map(|c| format!("error.{}", wire_name(c))).collect();
        assert_worded(&keys);
    }

    /// Every name the page builds a message key from has its words in both
    /// languages, so no message falls back to Rust's English: the kinds of
    /// problem a scan or an import reports (`problem.<kind>`, `problem.<what
    /// it holds>`, `entryReason.<code>`) and the formats it names
    /// (`format.<kind>`).
    #[test]
    fn every_problem_and_format_has_a_message_in_english_and_japanese() {
        use twofold_core::enroll::{OtherKind, ProblemKind};
        use twofold_core::formats::{EntryProblem, Unsupported};
        let mut keys: Vec<String> = Vec::new();
        keys.extend(ProblemKind::SIMPLE.iter().map(|k| format!("problem.{}", wire_name(k))));
        keys.extend(OtherKind::ALL.iter().map(|k| format!("problem.{}", wire_name(k))));
        keys.extend(EntryProblem::CODES.iter().map(|c| format!("entryReason.{c}")));
        keys.extend(Unsupported::ALL.iter().map(|k| format!("format.{}", wire_name(k))));
        assert!(keys.len() > 25, "the kinds were read: {keys:?}");
        assert_worded(&keys);
    }

    /// Every backup problem the page shows (`backup.problem.<name>`) has
    /// its words in both languages: the checklist and the status line build
    /// the key from the name (the checklist showed Rust's English before).
    #[test]
    fn every_backup_problem_has_a_message_in_english_and_japanese() {
        use twofold_core::backup::BackupProblem;
        let keys: Vec<String> =
            BackupProblem::ALL.iter().map(|p| format!("backup.problem.{}", wire_name(p))).collect();
        assert_worded(&keys);
    }
}
