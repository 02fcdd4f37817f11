//! The vault file itself: create one (`init`), or put the previous version
//! back in place of a missing or damaged one (`restore`).

use twofold_core::vault::{self, IfItOpens, ProtectionKind};
use twofold_core::{unix_now, Keychain, Unlock, Vault};

use crate::failure::Failure;
use crate::session::Session;

pub fn init(session: &Session, new_despite_backup: bool) -> Result<(), Failure> {
    let path = session.path()?;
    let passphrase = session.passphrase()?;
    let keychain = Keychain::from_env();
    let unlock = passphrase.as_deref().map_or(Unlock::Keychain(&keychain), |p| Unlock::Passphrase(p));
    let vault = if new_despite_backup {
        Vault::create_anew(&path, unlock, unix_now())?
    } else {
        Vault::create(&path, unlock)?
    };
    let how = match vault.protection() {
        ProtectionKind::Keychain => "key in the system keychain",
        ProtectionKind::Passphrase => "protected by a passphrase",
    };
    println!("created {} ({how})", path.display());
    Ok(())
}

pub fn restore(session: &Session, force: bool) -> Result<(), Failure> {
    let path = session.path()?;
    let passphrase = session.passphrase()?;
    let keychain = Keychain::from_env();
    let unlock = passphrase.as_deref().map_or(Unlock::Keychain(&keychain), |p| Unlock::Passphrase(p));
    let if_it_opens = if force { IfItOpens::RollBack } else { IfItOpens::Refuse(unlock) };
    let aside = vault::restore_previous(&path, unix_now(), if_it_opens)?;
    println!("restored the previous version of {}", path.display());
    if let Some(aside) = aside {
        println!("the file it replaced is kept as {}", aside.display());
    }
    Ok(())
}
