//! The error every command returns: a stable `code` the UI switches on (and
//! translates), plus an English `message` for logs and the CLI.

use serde::Serialize;
use twofold_core::entry::EntryError;
use twofold_core::{KeychainError, OtpError, SecretError, UriError, VaultError};

#[derive(Debug, Serialize)]
pub struct CommandError {
    pub code: &'static str,
    pub message: String,
    /// A stable sub-code the UI translates too (e.g. which kind of file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<&'static str>,
}

impl CommandError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), detail: None }
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

fn secret_code(e: &SecretError) -> &'static str {
    match e {
        SecretError::Empty => "secret_empty",
        SecretError::NotBase32 => "secret_not_base32",
    }
}

fn otp_code(e: &OtpError) -> &'static str {
    match e {
        OtpError::Digits => "digits_out_of_range",
        OtpError::Period => "period_invalid",
    }
}

impl From<UriError> for CommandError {
    fn from(e: UriError) -> Self {
        let code = match &e {
            UriError::NotOtpauth => "uri_not_otpauth",
            UriError::Migration => "uri_migration",
            UriError::UnknownType(_) => "uri_unknown_type",
            UriError::BadEncoding(_) => "uri_bad_encoding",
            UriError::MissingSecret => "uri_missing_secret",
            UriError::Secret(s) => secret_code(s),
            UriError::Algorithm(_) => "uri_algorithm",
            UriError::DigitsNotNumber => "digits_out_of_range",
            UriError::PeriodNotNumber => "period_invalid",
            UriError::MissingCounter => "counter_missing",
            UriError::CounterNotNumber => "counter_invalid",
            UriError::Otp(o) => otp_code(o),
        };
        Self::new(code, e.to_string())
    }
}

impl From<EntryError> for CommandError {
    fn from(e: EntryError) -> Self {
        let code = match &e {
            EntryError::NoName => "entry_no_name",
            EntryError::Secret(s) => secret_code(s),
            EntryError::Otp(o) => otp_code(o),
        };
        Self::new(code, e.to_string())
    }
}

impl From<VaultError> for CommandError {
    fn from(e: VaultError) -> Self {
        let code = match &e {
            VaultError::Io { .. } => "io",
            VaultError::Missing(_) | VaultError::AlreadyExists(_) => "internal",
            VaultError::Corrupted { backup: Some(_) } => "vault_corrupted_backup",
            VaultError::Corrupted { backup: None } => "vault_corrupted",
            VaultError::NewerFormat(_) => "vault_newer_format",
            VaultError::WrongPassphrase => "wrong_passphrase",
            VaultError::KeyMismatch => "keychain_key_mismatch",
            VaultError::NeedsPassphrase => "needs_passphrase",
            VaultError::NeedsKeychain => "internal",
            VaultError::WeakPassphrase => "weak_passphrase",
            VaultError::Keychain(KeychainError::Unavailable { .. }) => "keychain_unavailable",
            VaultError::Keychain(KeychainError::KeyMissing) => "keychain_key_missing",
            VaultError::Keychain(KeychainError::BadKey | KeychainError::Other(_)) => "keychain_error",
            VaultError::NoDataDir => "no_data_dir",
            VaultError::Random | VaultError::Kdf => "internal",
            VaultError::NoSuchAccount => "no_such_account",
            VaultError::Duplicate { .. } => "duplicate_account",
            VaultError::NotHotp => "not_hotp",
            VaultError::NoSuchRecoveryCode => "recovery_code_unknown",
            VaultError::RecoveryCodeUsed => "recovery_code_used",
        };
        Self::new(code, e.to_string())
    }
}
