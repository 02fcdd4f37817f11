//! The vault one command works on: found in the default data directory,
//! unlocked by the keychain or by `--vault-passphrase-file`, opened at most
//! once and owned here for the rest of the command.

use std::path::PathBuf;

use twofold_core::{vault, Keychain, Vault};
use zeroize::Zeroizing;

use crate::failure::Failure;
use crate::input::read_secret_file;

pub struct Session {
    passphrase_file: Option<PathBuf>,
    vault: Option<Vault>,
}

impl Session {
    pub fn new(passphrase_file: Option<PathBuf>) -> Self {
        Self { passphrase_file, vault: None }
    }

    pub fn path(&self) -> Result<PathBuf, Failure> {
        Ok(vault::path_in(&vault::default_dir()?))
    }

    /// The vault passphrase, if one was given.
    pub fn passphrase(&self) -> Result<Option<Zeroizing<String>>, Failure> {
        self.passphrase_file.as_deref().map(read_secret_file).transpose()
    }

    /// The vault, if there is one. Opened once: a second call (a command
    /// that reads, then changes) gets the same copy, without reading the
    /// passphrase again (standard input can be read only once).
    pub fn open_if_any(&mut self) -> Result<Option<&mut Vault>, Failure> {
        if self.vault.is_none() {
            let passphrase = self.passphrase()?;
            self.vault = vault::open_if_any(
                &self.path()?,
                &Keychain::from_env(),
                passphrase.as_deref().map(|p| p.as_str()),
            )?;
        }
        Ok(self.vault.as_mut())
    }

    pub fn open_existing(&mut self) -> Result<&mut Vault, Failure> {
        self.open_if_any()?.ok_or_else(|| Failure::Failed("there are no accounts yet (no vault)".into()))
    }

    /// The vault, created empty if there is none yet.
    pub fn open_or_create(&mut self) -> Result<&mut Vault, Failure> {
        let vault = match self.vault.take() {
            Some(vault) => vault,
            None => {
                let passphrase = self.passphrase()?;
                vault::open_or_create(
                    &self.path()?,
                    &Keychain::from_env(),
                    passphrase.as_deref().map(|p| p.as_str()),
                )?
            }
        };
        Ok(self.vault.insert(vault))
    }
}
