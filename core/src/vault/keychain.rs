//! The OS keychain (Secret Service, macOS Keychain, Windows Credential
//! Manager through `keyring`), holding a few random keys per vault — never
//! seeds. It stores opaque items ([`Item`]): each owner decodes its own (the
//! vault its key, `backup` the key that writes backups), so the keychain
//! names no feature above the vault.

use zeroize::Zeroizing;

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
    /// The keychain holds something that is not the key it should be.
    #[error("the keychain entry for this vault is damaged")]
    BadKey,
    #[error("the keychain refused the request ({0})")]
    Other(String),
}

/// What the keychain keeps for one vault, each under a name of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// The key that opens the vault (a keychain vault's only key).
    VaultKey,
    /// The key that writes the vault's automatic backups (see `backup`).
    BackupKey,
    /// The key of the sync folder's files, derived from the sync
    /// passphrase (see `sync`).
    SyncKey,
}

impl Item {
    /// The keychain's user name for this item of the vault `vault_id`.
    fn user(self, vault_id: &[u8; 16]) -> String {
        match self {
            Item::VaultKey => format!("vault-{}", hex(vault_id)),
            Item::BackupKey => format!("backups-{}", hex(vault_id)),
            Item::SyncKey => format!("sync-{}", hex(vault_id)),
        }
    }
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

    /// How many items this keychain (and its clones) has read.
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

    /// The bytes stored as `item` for the vault `vault_id`.
    pub fn load(&self, item: Item, vault_id: &[u8; 16]) -> Result<Zeroizing<Vec<u8>>, KeychainError> {
        self.reads.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let entry = self.entry(item, vault_id)?;
        Ok(Zeroizing::new(patiently(|| entry.get_secret()).map_err(map_error)?))
    }

    pub fn store(&self, item: Item, vault_id: &[u8; 16], secret: &[u8]) -> Result<(), KeychainError> {
        let entry = self.entry(item, vault_id)?;
        patiently(|| entry.set_secret(secret)).map_err(map_error)
    }

    /// Forgets `item`; nothing to forget is not an error.
    pub fn delete(&self, item: Item, vault_id: &[u8; 16]) -> Result<(), KeychainError> {
        let entry = self.entry(item, vault_id)?;
        match patiently(|| entry.delete_credential()) {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_error(e)),
        }
    }

    fn entry(&self, item: Item, vault_id: &[u8; 16]) -> Result<keyring::Entry, KeychainError> {
        keyring::Entry::new(&self.service, &item.user(vault_id)).map_err(map_error)
    }
}

/// Tries this many times while the keychain is there but does not answer.
const ATTEMPTS: usize = 4;

/// Runs a keychain call again while the Secret Service is slow rather than
/// absent. The Secret Service client gives each D-Bus call 2 s; a busy
/// session (a login with many apps starting, a loaded machine) can take
/// longer, and that is not "no keychain". Each attempt is itself bounded by
/// that 2 s, so this waits about 8 s at most. Other failures return at once.
fn patiently<T>(mut call: impl FnMut() -> keyring::Result<T>) -> keyring::Result<T> {
    let mut attempt = 1;
    loop {
        match call() {
            Err(keyring::Error::PlatformFailure(e)) if attempt < ATTEMPTS && no_reply(&e.to_string()) => {
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// Whether a D-Bus failure is a call that timed out (the service is there,
/// busy): dbus names it `org.freedesktop.DBus.Error.NoReply`, and the error
/// reaches us only as text through `keyring`'s boxed error.
fn no_reply(error: &str) -> bool {
    error.contains("org.freedesktop.DBus.Error.NoReply") || error.contains("Did not receive a reply")
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
