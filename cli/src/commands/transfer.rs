//! Moving to a new computer: export a transfer bundle and verify it at
//! once, verify one later, unencrypted exports, the emergency kit, and the
//! checklist of what to fix before wiping this machine.

use std::path::{Path, PathBuf};

use twofold_core::checklist::Checklist;
use twofold_core::kit;
use twofold_core::transfer::{self, PlainFormat, Replace};
use twofold_core::{unix_now, Keychain};

use crate::args::{ExportFormat, KitLanguage, KitPaper};
use crate::failure::Failure;
use crate::input::read_secret_file;
use crate::print;
use crate::session::Session;

pub fn export(
    session: &mut Session,
    out: &Path,
    passphrase_file: Option<PathBuf>,
    format: ExportFormat,
    force: bool,
) -> Result<(), Failure> {
    let vault = session.open_existing()?;
    let replace = if force { Replace::Existing } else { Replace::Never };
    let format = match format {
        ExportFormat::Bundle => {
            // clap requires --passphrase-file with the bundle format.
            let passphrase = read_secret_file(&passphrase_file.unwrap_or_default())?;
            let report = transfer::export_file(vault, out, &passphrase, replace, unix_now())?;
            return print::verification(out, &report);
        }
        ExportFormat::AegisPlain => PlainFormat::Aegis,
        ExportFormat::UriList => PlainFormat::UriList,
    };
    let written = transfer::export_plain_file(vault, out, format, replace)?;
    eprintln!("twofold-cli: warning: {} holds every secret UNENCRYPTED; anyone who reads it can sign in as you. Delete it once imported.", written.display());
    println!("wrote {} accounts to {}", vault.accounts().len(), written.display());
    Ok(())
}

/// Makes the emergency kit's PDF at `out` and records it in the vault.
pub fn kit(
    session: &mut Session,
    out: &Path,
    passphrase_file: &Path,
    paper: KitPaper,
    language: KitLanguage,
    with_recovery_codes: bool,
    force: bool,
) -> Result<(), Failure> {
    let passphrase = read_secret_file(passphrase_file)?;
    let vault = session.open_existing()?;
    let backup_folder = vault.meta().backup_folder.clone();
    let request = kit::KitRequest {
        passphrase: &passphrase,
        language: match language {
            KitLanguage::En => kit::Language::En,
            KitLanguage::Ja => kit::Language::Ja,
        },
        paper: match paper {
            KitPaper::A4 => kit::Paper::A4,
            KitPaper::Letter => kit::Paper::Letter,
        },
        backup_folder: backup_folder.as_deref(),
        date: unix_now(),
        with_recovery_codes,
    };
    let replace = if force { Replace::Existing } else { Replace::Never };
    let made = kit::write_file(vault, out, &request, replace)?;
    if with_recovery_codes {
        eprintln!("twofold-cli: warning: the kit's last pages hold recovery codes UNENCRYPTED; keep the paper as safely as cash.");
    }
    println!(
        "wrote the emergency kit {} to {}: {} accounts in {} QR codes on {} pages",
        made.id,
        out.display(),
        made.accounts,
        made.parts,
        made.pages
    );
    Ok(())
}

pub fn verify(session: &mut Session, file: &Path, passphrase_file: &Path) -> Result<(), Failure> {
    let passphrase = read_secret_file(passphrase_file)?;
    let vault = session.open_existing()?;
    let report = transfer::verify_file(vault, file, &passphrase, unix_now())?;
    print::verification(file, &report)
}

/// Exit status 1 (after the list) when anything needs attention.
pub fn check(session: &mut Session, json: bool) -> Result<(), Failure> {
    let vault = session.open_existing()?;
    let list = Checklist::build(vault.accounts(), vault.meta(), unix_now())
        .with_backups(twofold_core::backup::health(vault, &Keychain::from_env()));
    if json {
        print::json(&list);
    } else {
        print::checklist(&list);
    }
    if list.needs_attention {
        return Err(Failure::Quiet);
    }
    Ok(())
}
