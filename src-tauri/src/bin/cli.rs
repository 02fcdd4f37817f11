//! `twofold-cli`: the same core and vault as the window app, for scripts,
//! cross-checks and benchmarks.
//!
//! Exit status: 0 success, 1 failure (no match, vault or keychain trouble),
//! 2 bad input (a malformed URI, wrong usage). Errors are one line on stderr
//! and never contain a secret.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use twofold_core::vault::{self, ProtectionKind};
use twofold_core::{unix_now, Account, Keychain, KeychainError, OtpauthUri, Unlock, Vault, VaultError};
use zeroize::Zeroizing;

#[derive(Parser)]
#[command(
    name = "twofold-cli",
    version,
    about = "Twofold from the command line: the same vault as the window app"
)]
struct Cli {
    /// Read the vault passphrase from FILE ("-" reads standard input); for
    /// passphrase-protected vaults, and with `init` to create one.
    #[arg(long, global = true, value_name = "FILE")]
    passphrase_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the accounts with their current codes.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Print the current code of the account matching SEARCH, or of --uri
    /// without touching any vault.
    Code {
        /// Part of the issuer or account name.
        #[arg(required_unless_present = "uri", conflicts_with = "uri")]
        search: Option<String>,
        /// An otpauth:// URI to compute a code for; no vault is read or written.
        #[arg(long, value_name = "OTPAUTH_URI")]
        uri: Option<String>,
        /// Compute the code for this time (Unix seconds) instead of now.
        #[arg(long, value_name = "UNIX_SECONDS")]
        at: Option<u64>,
        #[arg(long)]
        json: bool,
    },
    /// Add an account from an otpauth:// URI.
    Add { uri: String },
    /// Remove the one account matching SEARCH.
    Remove { search: String },
    /// Advance a counter-based (HOTP) account and print its next code.
    Next { search: String },
    /// Create an empty vault: its key in the system keychain, or under the
    /// passphrase given with --passphrase-file.
    Init,
}

/// A failure and the exit status it maps to.
enum Failure {
    BadInput(String),
    Failed(String),
}

impl From<VaultError> for Failure {
    fn from(e: VaultError) -> Self {
        match e {
            VaultError::Keychain(KeychainError::Unavailable { .. }) => Failure::Failed(format!(
                "{e}; create a passphrase-protected vault instead: twofold-cli init --passphrase-file FILE"
            )),
            VaultError::WeakPassphrase => Failure::BadInput(e.to_string()),
            other => Failure::Failed(other.to_string()),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::BadInput(message)) => {
            eprintln!("twofold-cli: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Failed(message)) => {
            eprintln!("twofold-cli: {message}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let session = Session { passphrase_file: cli.passphrase_file };
    match cli.command {
        Command::Code { uri: Some(uri), at, json, .. } => {
            let parsed =
                OtpauthUri::parse(&Zeroizing::new(uri)).map_err(|e| Failure::BadInput(e.to_string()))?;
            let account = Account::from_uri(parsed, 0);
            print_code(&account, at.unwrap_or_else(unix_now), json)
        }
        Command::Code { search, at, json, .. } => {
            let vault = session.open_existing()?;
            let account = find(vault.accounts(), search.as_deref().unwrap_or_default())?;
            print_code(account, at.unwrap_or_else(unix_now), json)
        }
        Command::List { json } => {
            let now = unix_now();
            let summaries: Vec<_> = match session.open_if_any()? {
                Some(vault) => vault.accounts().iter().map(|a| a.summary_at(now)).collect(),
                None => Vec::new(),
            };
            if json {
                println!("{}", serde_json::to_string_pretty(&summaries).unwrap_or_default());
            } else {
                for s in &summaries {
                    let left = s.seconds_left.map(|l| format!("{l:>3}s")).unwrap_or_else(|| "   -".into());
                    println!("{:<10} {left}  {}", s.code, label(&s.issuer, &s.name));
                }
            }
            Ok(())
        }
        Command::Add { uri } => {
            let parsed =
                OtpauthUri::parse(&Zeroizing::new(uri)).map_err(|e| Failure::BadInput(e.to_string()))?;
            let account = Account::from_uri(parsed, unix_now());
            let name = account.display_name();
            session.open_or_create()?.add(account)?;
            println!("added {name}");
            Ok(())
        }
        Command::Remove { search } => {
            let mut vault = session.open_existing()?;
            let id = find(vault.accounts(), &search)?.id;
            let removed = vault.remove(id)?;
            println!("removed {}", removed.display_name());
            Ok(())
        }
        Command::Next { search } => {
            let mut vault = session.open_existing()?;
            let id = find(vault.accounts(), &search)?.id;
            println!("{}", vault.next_hotp(id)?.otp.code_at(unix_now()).value);
            Ok(())
        }
        Command::Init => {
            let path = session.path()?;
            let vault = match session.passphrase()? {
                Some(passphrase) => Vault::create(&path, Unlock::Passphrase(&passphrase))?,
                None => Vault::create(&path, Unlock::Keychain(&Keychain::from_env()))?,
            };
            let how = match vault.protection() {
                ProtectionKind::Keychain => "key in the system keychain",
                ProtectionKind::Passphrase => "protected by a passphrase",
            };
            println!("created {} ({how})", path.display());
            Ok(())
        }
    }
}

fn print_code(account: &Account, at: u64, json: bool) -> Result<(), Failure> {
    if json {
        println!("{}", serde_json::to_string_pretty(&account.summary_at(at)).unwrap_or_default());
    } else {
        println!("{}", account.otp.code_at(at).value);
    }
    Ok(())
}

fn label(issuer: &str, name: &str) -> String {
    match (issuer.is_empty(), name.is_empty()) {
        (false, false) => format!("{issuer} ({name})"),
        (false, true) => issuer.to_owned(),
        _ => name.to_owned(),
    }
}

/// The one account SEARCH names: an exact issuer, name or "issuer:name"
/// match wins; otherwise it must be the only partial match.
fn find<'a>(accounts: &'a [Account], search: &str) -> Result<&'a Account, Failure> {
    let wanted = search.trim().to_lowercase();
    let exact: Vec<_> = accounts
        .iter()
        .filter(|a| {
            let (issuer, name) = (a.issuer.to_lowercase(), a.name.to_lowercase());
            issuer == wanted || name == wanted || format!("{issuer}:{name}") == wanted
        })
        .collect();
    let candidates =
        if exact.is_empty() { accounts.iter().filter(|a| a.matches(search)).collect() } else { exact };
    match candidates.as_slice() {
        [one] => Ok(one),
        [] => Err(Failure::Failed(format!("no account matches \"{search}\""))),
        many => {
            let names: Vec<_> = many.iter().map(|a| a.display_name()).collect();
            Err(Failure::Failed(format!(
                "{} accounts match \"{search}\" ({}); be more specific",
                many.len(),
                names.join(", ")
            )))
        }
    }
}

struct Session {
    passphrase_file: Option<PathBuf>,
}

impl Session {
    fn path(&self) -> Result<PathBuf, Failure> {
        Ok(vault::path_in(&vault::default_dir()?))
    }

    fn passphrase(&self) -> Result<Option<Zeroizing<String>>, Failure> {
        let Some(file) = &self.passphrase_file else { return Ok(None) };
        let mut text = Zeroizing::new(String::new());
        let result = if file == Path::new("-") {
            std::io::stdin().read_to_string(&mut text).map(drop)
        } else {
            std::fs::File::open(file).and_then(|mut f| f.read_to_string(&mut text)).map(drop)
        };
        result.map_err(|e| Failure::BadInput(format!("could not read the passphrase file: {e}")))?;
        // A file written by `echo` ends with a newline that is not part of the passphrase.
        let trimmed = Zeroizing::new(text.trim_end_matches(['\n', '\r']).to_owned());
        Ok(Some(trimmed))
    }

    fn open_if_any(&self) -> Result<Option<Vault>, Failure> {
        let path = self.path()?;
        match vault::protection_of(&path)? {
            None => Ok(None),
            Some(ProtectionKind::Keychain) => {
                Ok(Some(Vault::open(&path, Unlock::Keychain(&Keychain::from_env()))?))
            }
            Some(ProtectionKind::Passphrase) => {
                let passphrase = self.passphrase()?.ok_or_else(|| {
                    Failure::Failed(
                        "this vault is protected by a passphrase; pass --passphrase-file FILE".into(),
                    )
                })?;
                Ok(Some(Vault::open(&path, Unlock::Passphrase(&passphrase))?))
            }
        }
    }

    fn open_existing(&self) -> Result<Vault, Failure> {
        self.open_if_any()?.ok_or_else(|| Failure::Failed("there are no accounts yet (no vault)".into()))
    }

    fn open_or_create(&self) -> Result<Vault, Failure> {
        if let Some(vault) = self.open_if_any()? {
            return Ok(vault);
        }
        let path = self.path()?;
        Ok(match self.passphrase()? {
            Some(passphrase) => Vault::create(&path, Unlock::Passphrase(&passphrase))?,
            None => Vault::create(&path, Unlock::Keychain(&Keychain::from_env()))?,
        })
    }
}
