//! The vault one command works on: found in the default data directory,
//! unlocked by the keychain or by `--vault-passphrase-file`, opened at most
//! once and owned here for the rest of the command, which ends with
//! [`Session::finish`]: one sync round and one backup if the command saved
//! a change. That is
//! the window's trigger too (it backs up when `Vault::saves` grows), so no
//! command has to remember to back up, and none backs up twice.

use std::path::PathBuf;

use twofold_core::{backup, sync, unix_now, vault, Keychain, Vault};
use zeroize::Zeroizing;

use crate::failure::Failure;
use crate::input::read_secret_file;

pub struct Session {
    passphrase_file: Option<PathBuf>,
    vault: Option<Vault>,
    /// `vault.saves()` at the last backup (a vault opens with none).
    backed_up_at: u64,
    /// `vault.saves()` at the last sync round.
    synced_at: u64,
}

impl Session {
    pub fn new(passphrase_file: Option<PathBuf>) -> Self {
        Self { passphrase_file, vault: None, backed_up_at: 0, synced_at: 0 }
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

    /// The command backed up itself (`backups enable` writes the first
    /// backup at once): what it saved so far needs no other.
    pub fn backed_up(&mut self) {
        if let Some(vault) = &self.vault {
            self.backed_up_at = vault.saves();
        }
    }

    /// The command ran a sync round itself (`sync …`).
    pub fn synced(&mut self) {
        if let Some(vault) = &self.vault {
            self.synced_at = vault.saves();
        }
    }

    /// Ends the command, whether it succeeded or not: if it saved a change,
    /// one sync round (when sync is on: the other computers get it) and
    /// one backup (when backups are on). The change is saved either way; a
    /// failed round or backup is said, never silent.
    pub fn finish(mut self) {
        let Some(vault) = self.vault.as_mut() else { return };
        if vault.saves() != self.synced_at && vault.meta().sync.is_some() {
            let now_ms = unix_now().saturating_mul(1000);
            match sync::round(vault, &Keychain::from_env(), now_ms, false) {
                Ok(report) => crate::print::sync_warnings(&report),
                Err(e) => eprintln!("twofold-cli: warning: the change is saved, but sync did not run: {e}"),
            }
        }
        if vault.saves() == self.backed_up_at {
            return;
        }
        if let Err(e) = backup::back_up(vault, &Keychain::from_env(), unix_now()) {
            eprintln!("twofold-cli: warning: the change is saved, but no backup was written: {e}");
        }
    }
}
