//! A vault's life cycle before it is in memory: whether one is there (or
//! was: [`evidence_of`]), opening it, creating one (refused where a vault
//! was before, unless [`Vault::create_anew`] is chosen), and putting the
//! previous version back in place of a damaged file.

use std::path::{Path, PathBuf};

use super::crypto::{self, KdfParams, VaultKey};
use super::format::{self, Header, Protection};
use super::keychain::Item;
use super::{
    corrupted, decrypt, format_error, lock, previous_path, read_vault_file, Keychain, KeychainError,
    ProtectionKind, Stamp, Unlock, Vault, VaultError, Write,
};
use crate::fs;
use crate::settings::Meta;

/// A sign that a vault existed at `path`: its previous version first
/// (which can be restored, hence `true`), else any other version of it kept
/// beside it.
pub fn evidence_of(path: &Path) -> Option<(PathBuf, bool)> {
    let previous = previous_path(path);
    if previous.exists() {
        return Some((previous, true));
    }
    let name = path.file_name()?.to_string_lossy().into_owned();
    let entries = std::fs::read_dir(fs::directory_of(path)).ok()?;
    entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            let other = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            // The lock and half-written temporary files are not versions of the vault.
            other.strip_prefix(&name).and_then(|r| r.strip_prefix('.')).is_some_and(|rest| {
                rest != "lock" && !rest.starts_with("tmp-") && !rest.starts_with("bak.tmp-")
            })
        })
        .map(|p| (p, false))
}

/// The id in the vault file's header, when it can be read (for finding its
/// backups when the vault itself cannot open).
pub fn id_of(path: &Path) -> Option<[u8; 16]> {
    let bytes = std::fs::read(path).ok()?;
    format::parse(&bytes).ok().map(|sealed| sealed.header.vault_id)
}

/// `None` when there is no vault at `path` yet.
pub fn protection_of(path: &Path) -> Result<Option<ProtectionKind>, VaultError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(VaultError::Io { action: "read", path: path.into(), source }),
    };
    let sealed = format::parse(&bytes).map_err(|e| format_error(e, path))?;
    Ok(Some(match sealed.header.protection {
        Protection::Keychain => ProtectionKind::Keychain,
        Protection::Passphrase { .. } => ProtectionKind::Passphrase,
    }))
}

/// Opens the vault at `path`: with `passphrase` when it is a passphrase
/// vault ([`VaultError::NeedsPassphrase`] without one), with the keychain
/// otherwise. `Ok(None)` when there is no vault yet, and never was:
/// [`VaultError::MissingButFound`] when the previous version or another version of it
/// is there.
pub fn open_if_any(
    path: &Path,
    keychain: &Keychain,
    passphrase: Option<&str>,
) -> Result<Option<Vault>, VaultError> {
    let unlock = match (protection_of(path)?, passphrase) {
        // "No vault yet" only where there never was one.
        (None, _) => match evidence_of(path) {
            Some((found, previous)) => return Err(VaultError::MissingButFound { found, previous }),
            None => return Ok(None),
        },
        (Some(ProtectionKind::Keychain), _) => Unlock::Keychain(keychain),
        (Some(ProtectionKind::Passphrase), Some(passphrase)) => Unlock::Passphrase(passphrase),
        (Some(ProtectionKind::Passphrase), None) => return Err(VaultError::NeedsPassphrase),
    };
    Vault::open(path, unlock).map(Some)
}

/// Opens the vault at `path` as [`open_if_any`] does, or creates an empty
/// one: under `passphrase` when one is given, else with its key in the keychain.
pub fn open_or_create(
    path: &Path,
    keychain: &Keychain,
    passphrase: Option<&str>,
) -> Result<Vault, VaultError> {
    if let Some(vault) = open_if_any(path, keychain, passphrase)? {
        return Ok(vault);
    }
    let unlock = passphrase.map_or(Unlock::Keychain(keychain), Unlock::Passphrase);
    Vault::create(path, unlock)
}

/// What [`restore_previous`] does when the vault still opens.
pub enum IfItOpens<'a> {
    /// Refuse, saying what the restore would roll back
    /// ([`VaultError::WouldRollBack`]); the vault is opened with this to tell.
    Refuse(Unlock<'a>),
    /// Roll back anyway, as the person confirmed: the current file is kept
    /// aside as `.replaced-<now>`.
    RollBack,
}

/// Puts the previous version (`.bak`) in place of a damaged or missing
/// vault, and returns where the file it replaced was kept
/// (`.damaged-<now>`, `.replaced-<now>` when it opened; never over another
/// copy). Nothing is deleted.
pub fn restore_previous(
    path: &Path,
    now: u64,
    if_it_opens: IfItOpens<'_>,
) -> Result<Option<PathBuf>, VaultError> {
    let _lock = lock(path)?;
    let previous = previous_path(path);
    let bytes = std::fs::read(&previous).map_err(|source| VaultError::Io {
        action: "read",
        path: previous.clone(),
        source,
    })?;
    let sealed = format::parse(&bytes).map_err(|e| format_error(e, path))?;
    if !path.exists() {
        write_restored(path, &bytes)?;
        return Ok(None);
    }
    let tag = match if_it_opens {
        IfItOpens::RollBack => "replaced",
        IfItOpens::Refuse(unlock) => match Vault::open(path, unlock) {
            Ok(current) => return Err(rollback_of(&current, &previous, &sealed)),
            // Whether it opens cannot be told without the passphrase.
            Err(
                e @ (VaultError::NeedsPassphrase | VaultError::WrongPassphrase | VaultError::NeedsKeychain),
            ) => return Err(e),
            Err(_) => "damaged",
        },
    };
    let aside = fs::set_aside(path, tag, now).map_err(|source| VaultError::Io {
        action: "move aside",
        path: path.into(),
        source,
    })?;
    write_restored(path, &bytes)?;
    Ok(Some(aside))
}

/// The previous version becomes the vault; the previous version stays where it is.
fn write_restored(path: &Path, bytes: &[u8]) -> Result<(), VaultError> {
    fs::replace(path, bytes, None).map_err(|source| VaultError::Io {
        action: "write",
        path: path.into(),
        source,
    })
}

/// What putting the previous version over `current` would undo: the
/// accounts only the current vault has, and those only the previous has.
fn rollback_of(current: &Vault, previous: &Path, sealed: &format::Sealed<'_>) -> VaultError {
    let Ok(contents) = decrypt(previous, &current.key, sealed) else {
        return VaultError::WouldRollBack { lost: Vec::new(), returned: Vec::new() };
    };
    let label = |a: &crate::account::Account| crate::account::label(&a.issuer, &a.name);
    let lost = current
        .accounts
        .iter()
        .filter(|a| !contents.accounts.iter().any(|b| b.id == a.id))
        .map(label)
        .collect();
    let returned = contents
        .accounts
        .iter()
        .filter(|b| !current.accounts.iter().any(|a| a.id == b.id))
        .map(label)
        .collect();
    VaultError::WouldRollBack { lost, returned }
}

impl Vault {
    /// Creates an empty vault. With the keychain, a random key is stored
    /// there first; with a passphrase, the key is derived with Argon2id.
    ///
    /// Refused where a vault was before ([`VaultError::MissingButFound`]):
    /// [`Vault::create_anew`] is that explicit choice.
    pub fn create(path: &Path, unlock: Unlock<'_>) -> Result<Self, VaultError> {
        let _lock = lock(path)?;
        if !path.exists() {
            if let Some((found, previous)) = evidence_of(path) {
                return Err(VaultError::MissingButFound { found, previous });
            }
        }
        Self::create_locked(path, unlock)
    }

    /// Creates an empty vault where one was before, as the person chose
    /// (after the vault went missing, or when its key is lost and a transfer
    /// bundle will be imported instead). Nothing is deleted: an old vault file
    /// and its previous version are kept aside as `.before-new-<now>` and
    /// `.bak.before-new-<now>`, never over an earlier copy of that name.
    pub fn create_anew(path: &Path, unlock: Unlock<'_>, now: u64) -> Result<Self, VaultError> {
        let _lock = lock(path)?;
        for old in [path.to_path_buf(), previous_path(path)] {
            if old.exists() {
                fs::set_aside(&old, "before-new", now).map_err(|source| VaultError::Io {
                    action: "move aside",
                    path: old,
                    source,
                })?;
            }
        }
        Self::create_locked(path, unlock)
    }

    fn create_locked(path: &Path, unlock: Unlock<'_>) -> Result<Self, VaultError> {
        if path.exists() {
            return Err(VaultError::AlreadyExists(path.into()));
        }
        let vault_id = crypto::random_bytes().map_err(|_| VaultError::Random)?;
        let (protection, key) = match unlock {
            Unlock::Keychain(keychain) => {
                let key = VaultKey::random().map_err(|_| VaultError::Random)?;
                keychain.store(Item::VaultKey, &vault_id, key.as_bytes())?;
                (Protection::Keychain, key)
            }
            Unlock::Passphrase(passphrase) => {
                crate::passphrase::check(passphrase)?;
                let salt = crypto::random_bytes().map_err(|_| VaultError::Random)?;
                let kdf = KdfParams::DEFAULT;
                let key = crypto::derive_key(passphrase, &salt, kdf).map_err(|_| VaultError::Kdf)?;
                (Protection::Passphrase { kdf, salt }, key)
            }
        };
        if let Some(parent) = path.parent() {
            fs::create_private_dir(parent).map_err(|source| VaultError::Io {
                action: "create the directory",
                path: parent.into(),
                source,
            })?;
        }
        let header = Header { vault_id, key_check: key.check_value(), protection };
        let mut vault = Self {
            path: path.into(),
            header,
            key,
            accounts: Vec::new(),
            meta: Meta::default(),
            replica: None,
            stamp: None,
            saves: 0,
        };
        if let Err(e) = vault.write(&[], &Meta::default(), None, Write::Change) {
            if let (Unlock::Keychain(keychain), Protection::Keychain) = (unlock, &vault.header.protection) {
                let _ = keychain.delete(Item::VaultKey, &vault_id);
            }
            return Err(e);
        }
        Ok(vault)
    }

    pub fn open(path: &Path, unlock: Unlock<'_>) -> Result<Self, VaultError> {
        let stamp = Stamp::of(path);
        let bytes = read_vault_file(path)?;
        let sealed = format::parse(&bytes).map_err(|e| format_error(e, path))?;
        let header = sealed.header.clone();
        let key = match (&header.protection, unlock) {
            (Protection::Keychain, Unlock::Keychain(keychain)) => {
                let bytes = keychain.load(Item::VaultKey, &header.vault_id)?;
                VaultKey::from_bytes(&bytes).ok_or(KeychainError::BadKey)?
            }
            (Protection::Passphrase { kdf, salt }, Unlock::Passphrase(passphrase)) => {
                if !kdf.is_sane() {
                    return Err(corrupted(path));
                }
                crypto::derive_key(passphrase, salt, *kdf).map_err(|_| VaultError::Kdf)?
            }
            (Protection::Keychain, Unlock::Passphrase(_)) => return Err(VaultError::NeedsKeychain),
            (Protection::Passphrase { .. }, Unlock::Keychain(_)) => return Err(VaultError::NeedsPassphrase),
        };
        if key.check_value() != header.key_check {
            return Err(match header.protection {
                Protection::Keychain => VaultError::KeyMismatch,
                Protection::Passphrase { .. } => VaultError::WrongPassphrase,
            });
        }
        let contents = decrypt(path, &key, &sealed)?;
        Ok(Self {
            path: path.into(),
            header,
            key,
            accounts: contents.accounts,
            meta: contents.meta,
            replica: contents.replica,
            stamp,
            saves: 0,
        })
    }
}
