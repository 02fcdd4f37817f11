//! The OS keychain (Secret Service, macOS Keychain, Windows Credential
//! Manager through `keyring`), holding one random key per vault — never seeds.

use super::crypto::VaultKey;

/// The service name entries are filed under, unless overridden.
pub const DEFAULT_SERVICE: &str = "app.twofold.desktop";
/// Environment variable that overrides the service name (tests, power users).
pub const SERVICE_ENV: &str = "TWOFOLD_KEYCHAIN_SERVICE";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeychainError {
    /// No keychain can be reached: no Secret Service running, locked, no D-Bus.
    #[error("no usable keychain was found ({reason})")]
    Unavailable { reason: String },
    /// The vault exists but its key is not in the keychain.
    #[error("the vault key is missing from the keychain")]
    KeyMissing,
    /// The keychain holds something that is not a vault key.
    #[error("the keychain entry for this vault is damaged")]
    BadKey,
    #[error("the keychain refused the request ({0})")]
    Other(String),
}

#[derive(Debug, Clone)]
pub struct Keychain {
    service: String,
    /// Keys read so far (shared by clones): each read can mean a prompt or
    /// a D-Bus round trip, so opening a vault must cost exactly one.
    reads: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Keychain {
    pub fn new(service: impl Into<String>) -> Self {
        Self { service: service.into(), reads: Default::default() }
    }

    /// How many keys this keychain (and its clones) has read.
    pub fn reads(&self) -> usize {
        self.reads.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The service named by `TWOFOLD_KEYCHAIN_SERVICE`, or the default.
    pub fn from_env() -> Self {
        Self::new(std::env::var(SERVICE_ENV).unwrap_or_else(|_| DEFAULT_SERVICE.to_owned()))
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    pub fn load(&self, vault_id: &[u8; 16]) -> Result<VaultKey, KeychainError> {
        self.reads.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let bytes = zeroize::Zeroizing::new(self.entry(vault_id)?.get_secret().map_err(map_error)?);
        VaultKey::from_bytes(&bytes).ok_or(KeychainError::BadKey)
    }

    pub fn store(&self, vault_id: &[u8; 16], key: &VaultKey) -> Result<(), KeychainError> {
        self.entry(vault_id)?.set_secret(key.as_bytes()).map_err(map_error)
    }

    pub fn delete(&self, vault_id: &[u8; 16]) -> Result<(), KeychainError> {
        match self.entry(vault_id)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_error(e)),
        }
    }

    fn entry(&self, vault_id: &[u8; 16]) -> Result<keyring::Entry, KeychainError> {
        let user = format!("vault-{}", hex(vault_id));
        keyring::Entry::new(&self.service, &user).map_err(map_error)
    }

    /// The key that writes this vault's backups (see `backup`), beside its own.
    pub fn load_backup_key(&self, vault_id: &[u8; 16]) -> Result<crate::backup::BackupKey, KeychainError> {
        let bytes = zeroize::Zeroizing::new(self.backup_entry(vault_id)?.get_secret().map_err(map_error)?);
        crate::backup::BackupKey::from_bytes(&bytes).ok_or(KeychainError::BadKey)
    }

    pub fn store_backup_key(
        &self,
        vault_id: &[u8; 16],
        key: &crate::backup::BackupKey,
    ) -> Result<(), KeychainError> {
        self.backup_entry(vault_id)?.set_secret(&key.to_bytes()).map_err(map_error)
    }

    pub fn delete_backup_key(&self, vault_id: &[u8; 16]) -> Result<(), KeychainError> {
        match self.backup_entry(vault_id)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_error(e)),
        }
    }

    fn backup_entry(&self, vault_id: &[u8; 16]) -> Result<keyring::Entry, KeychainError> {
        let user = format!("backups-{}", hex(vault_id));
        keyring::Entry::new(&self.service, &user).map_err(map_error)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn map_error(error: keyring::Error) -> KeychainError {
    match error {
        keyring::Error::NoEntry => KeychainError::KeyMissing,
        keyring::Error::PlatformFailure(e) | keyring::Error::NoStorageAccess(e) => {
            KeychainError::Unavailable { reason: e.to_string() }
        }
        // BadEncoding carries the stored bytes: never format it.
        keyring::Error::BadEncoding(_) => KeychainError::BadKey,
        other => KeychainError::Other(other.to_string()),
    }
}
