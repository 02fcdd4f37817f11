//! `twofold-cli`: the same core and vault as the window app, for scripts,
//! servers without a desktop, cross-checks and benchmarks. It depends on
//! `twofold-core` alone, never on Tauri or WebKit.
//!
//! Exit status: 0 success, 1 failure (no match, vault or keychain trouble),
//! 2 bad input (a malformed URI, wrong usage). Errors are one line on stderr
//! and never contain a secret.

mod backups;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use twofold_core::account::label;
use twofold_core::checklist::Checklist;
use twofold_core::compare::Verification;
use twofold_core::enroll::{self, CodeReport, Collected, Input};
use twofold_core::formats::FormatError;
use twofold_core::qr::{self, Limits};
use twofold_core::recovery;
use twofold_core::transfer::{self, PlainFormat, Replace, TransferError};
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
    vault_passphrase_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the accounts with their current codes.
    List {
        #[arg(long)]
        json: bool,
        /// Only accounts with this tag.
        #[arg(long)]
        tag: Option<String>,
    },
    /// Pin the one account matching SEARCH to the top of the list (and the
    /// tray menu), or unpin it with --off.
    Pin {
        search: String,
        #[arg(long)]
        off: bool,
    },
    /// Set the tags of the one account matching SEARCH (none given: clear them).
    Tag { search: String, tags: Vec<String> },
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
    /// Add an account from an otpauth:// URI, read from standard input
    /// (`echo 'otpauth://…' | twofold-cli add`): on the command line it
    /// would show in every process list and stay in the shell's history.
    Add {
        /// The URI itself (discouraged, see above); "-" or nothing reads standard input.
        uri: Option<String>,
    },
    /// Remove the one account matching SEARCH.
    Remove { search: String },
    /// Rename the one account matching SEARCH.
    Rename {
        search: String,
        #[arg(long)]
        issuer: Option<String>,
        #[arg(long)]
        name: Option<String>,
    },
    /// Advance a counter-based (HOTP) account and print its next code.
    Next { search: String },
    /// Find the QR codes in images and say what they hold (no secrets).
    /// Exit status: 0 when a code was found, 1 when none, 2 when a file
    /// cannot be read.
    Scan {
        #[arg(required = true, value_name = "IMAGE")]
        images: Vec<PathBuf>,
        /// Print the raw text of every code found, one per line, in image order.
        #[arg(long)]
        reveal: bool,
        #[arg(long)]
        json: bool,
    },
    /// Add the accounts in FILEs: transfer bundles, other authenticators'
    /// exports (Aegis, 2FAS, andOTP, Bitwarden, FreeOTP+, Ente, otpauth
    /// lists) or QR images; the format is detected. All or nothing;
    /// accounts already in the vault are skipped.
    Import {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The file's passphrase ("-" reads standard input), if it is encrypted.
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
        /// Add what could be read even when some entries (or some codes of an
        /// export) could not; without it, nothing is added then (exit 1).
        #[arg(long)]
        partial: bool,
    },
    /// Write every account to a transfer bundle (encrypted; the Aegis vault
    /// format) and verify it; `--format` selects an unencrypted format.
    Export {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// The bundle's passphrase ("-" reads standard input).
        #[arg(long, value_name = "FILE", required_if_eq("format", "bundle"))]
        passphrase_file: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "bundle")]
        format: ExportFormat,
        /// Replace a file already at --out (never the vault or its backups).
        #[arg(long)]
        force: bool,
    },
    /// Decrypt a transfer bundle and compare it with the vault. Exit status 0
    /// only when every account is present and its codes match.
    Verify {
        file: PathBuf,
        #[arg(long, value_name = "FILE")]
        passphrase_file: PathBuf,
    },
    /// Recovery (backup) codes of an account.
    #[command(subcommand)]
    Recovery(RecoveryCommand),
    /// Compare the system clock with a time server (SNTP). Prints the offset
    /// in seconds, positive when the local clock is fast.
    Clock {
        #[arg(long, value_name = "HOST[:PORT]", default_value = twofold_core::clock::DEFAULT_SERVER)]
        server: String,
        #[arg(long)]
        json: bool,
    },
    /// What to fix before wiping this machine. Exit status 1 when anything
    /// needs attention.
    Check {
        #[arg(long)]
        json: bool,
    },
    /// Create an empty vault: its key in the system keychain, or under the
    /// passphrase given with --passphrase-file.
    Init {
        /// Start a new, empty vault even though a backup (or another version)
        /// of an earlier vault is here; the backup is kept aside, not deleted.
        #[arg(long)]
        new_despite_backup: bool,
    },
    /// Put the backup (the previous version) in place of a missing or
    /// damaged vault; a damaged file is kept aside.
    Restore,
    /// Automatic encrypted backups into a folder, and their restore points.
    #[command(subcommand)]
    Backups(backups::BackupsCommand),
}

#[derive(Subcommand)]
enum RecoveryCommand {
    /// Save the codes a service printed (any common layout) for an account.
    Add {
        search: String,
        /// The codes as the service gave them ("-" reads standard input).
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
    },
    /// List an account's codes and which are used.
    List {
        search: String,
        #[arg(long)]
        json: bool,
    },
    /// Mark a code used.
    Use { search: String, code: String },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ExportFormat {
    /// Encrypted transfer bundle (Aegis encrypted vault).
    Bundle,
    /// UNENCRYPTED Aegis vault JSON.
    AegisPlain,
    /// UNENCRYPTED list of otpauth:// links, one per line.
    UriList,
}

/// A failure and the exit status it maps to.
enum Failure {
    BadInput(String),
    Failed(String),
    /// Exit status 1 with nothing more to say (the output said it).
    Quiet,
}

impl From<VaultError> for Failure {
    fn from(e: VaultError) -> Self {
        match e {
            VaultError::Keychain(KeychainError::Unavailable { .. }) => Failure::Failed(format!(
                "{e}; create a passphrase-protected vault instead: twofold-cli init --vault-passphrase-file FILE"
            )),
            VaultError::WeakPassphrase(_) => Failure::BadInput(e.to_string()),
            VaultError::MissingButFound { previous: true, .. } => {
                Failure::Failed(format!("{e}: twofold-cli restore"))
            }
            VaultError::MissingButFound { previous: false, .. } => Failure::Failed(format!(
                "{e}; to start a new, empty vault anyway: twofold-cli init --new-despite-backup"
            )),
            VaultError::NeedsPassphrase => Failure::Failed(
                "this vault is protected by a passphrase; pass --vault-passphrase-file FILE".into(),
            ),
            other => Failure::Failed(other.to_string()),
        }
    }
}

fn main() -> ExitCode {
    twofold_core::harden::process();
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
        Err(Failure::Quiet) => ExitCode::from(1),
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let session = Session { passphrase_file: cli.vault_passphrase_file };
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
        Command::List { json, tag } => {
            let summaries: Vec<_> = match session.open_if_any()? {
                Some(vault) => vault.listing(unix_now(), tag.as_deref()),
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
            let uri = match uri.filter(|u| u != "-") {
                Some(uri) => {
                    eprintln!("twofold-cli: warning: a secret on the command line is visible in process lists and kept in shell history; pipe it instead: … | twofold-cli add");
                    Zeroizing::new(uri)
                }
                None => read_secret_file(Path::new("-"))?,
            };
            let parsed = OtpauthUri::parse(uri.trim()).map_err(|e| Failure::BadInput(e.to_string()))?;
            let account = Account::from_uri(parsed, unix_now());
            let name = account.display_name();
            let mut vault = session.open_or_create()?;
            vault.add(account)?;
            println!("added {name}");
            backups::after_change(&vault);
            Ok(())
        }
        Command::Remove { search } => {
            let mut vault = session.open_existing()?;
            let id = find(vault.accounts(), &search)?.id;
            let removed = vault.remove(id)?;
            println!("removed {}", removed.display_name());
            backups::after_change(&vault);
            Ok(())
        }
        Command::Rename { search, issuer, name } => {
            let mut vault = session.open_existing()?;
            let account = find(vault.accounts(), &search)?;
            let id = account.id;
            let issuer = issuer.unwrap_or_else(|| account.issuer.clone());
            let name = name.unwrap_or_else(|| account.name.clone());
            vault.rename(id, &issuer, &name, unix_now())?;
            println!("renamed to {}", label(&issuer, &name));
            backups::after_change(&vault);
            Ok(())
        }
        Command::Pin { search, off } => {
            let mut vault = session.open_existing()?;
            let account = find(vault.accounts(), &search)?;
            let (id, shown) = (account.id, account.display_name());
            vault.set_pinned(id, !off, unix_now())?;
            println!("{} {shown}", if off { "unpinned" } else { "pinned" });
            backups::after_change(&vault);
            Ok(())
        }
        Command::Tag { search, tags } => {
            let mut vault = session.open_existing()?;
            let id = find(vault.accounts(), &search)?.id;
            vault.set_tags(id, &tags, unix_now())?;
            let account = vault.account(id)?;
            println!("{}: {}", account.display_name(), account.tags.join(", "));
            backups::after_change(&vault);
            Ok(())
        }
        Command::Next { search } => {
            let mut vault = session.open_existing()?;
            let id = find(vault.accounts(), &search)?.id;
            let now = unix_now();
            println!("{}", vault.next_hotp(id, now)?.otp.code_at(now).value);
            backups::after_change(&vault);
            Ok(())
        }
        Command::Scan { images, reveal, json } => scan(&images, reveal, json),
        Command::Import { files, passphrase_file, partial } => {
            let passphrase = passphrase_file.map(|f| read_secret_file(&f)).transpose()?;
            let mut collected = Collected::default();
            for file in &files {
                let name = file.display().to_string();
                let bytes = enroll::read_file(file).map_err(|e| Failure::BadInput(format!("{name}: {e}")))?;
                let added = collected
                    .add(&name, Input::File(&bytes), passphrase.as_deref().map(|p| p.as_str()))
                    .map_err(|e| match e {
                        FormatError::NeedsPassphrase(_) => {
                            Failure::BadInput(format!("{name}: {e}; pass --passphrase-file FILE"))
                        }
                        other => Failure::Failed(format!("{name}: {other}")),
                    })?;
                let format = added.format.map_or("text", |f| f.name());
                eprintln!("twofold-cli: {name}: {format} ({} accounts)", added.accounts);
            }
            for problem in &collected.problems {
                eprintln!("twofold-cli: {}: {}", problem.source, problem.message);
            }
            // Judged after every file: a later file may complete an export.
            for batch in collected.incomplete_batches() {
                eprintln!("twofold-cli: warning: {batch}");
            }
            if collected.accounts.is_empty() {
                return Err(Failure::Failed("no accounts were found".into()));
            }
            let incomplete =
                !collected.problems.is_empty() || collected.incomplete_batches().next().is_some();
            if incomplete && !partial {
                return Err(Failure::Failed(
                    "some entries could not be read (above); nothing was added. Fix them, or pass --partial to add the rest".into(),
                ));
            }
            let mut vault = session.open_or_create()?;
            let outcome = vault.add_all(collected.to_accounts(unix_now()))?;
            backups::after_change(&vault);
            for skipped in &outcome.skipped {
                println!("skipped {} (already in the vault as {})", skipped.account, skipped.existing);
            }
            println!(
                "added {} account{}",
                outcome.added.len(),
                if outcome.added.len() == 1 { "" } else { "s" }
            );
            Ok(())
        }
        Command::Export { out, passphrase_file, format, force } => {
            let mut vault = session.open_existing()?;
            let replace = if force { Replace::Existing } else { Replace::Never };
            match format {
                ExportFormat::Bundle => {
                    let passphrase = read_secret_file(&passphrase_file.unwrap_or_default())?;
                    let report = transfer::export_file(&mut vault, &out, &passphrase, replace, unix_now())
                        .map_err(transfer_failure)?;
                    print_verification(&out, &report)
                }
                plain => {
                    let format = match plain {
                        ExportFormat::AegisPlain => PlainFormat::Aegis,
                        _ => PlainFormat::UriList,
                    };
                    let written = transfer::export_plain_file(&vault, &out, format, replace)
                        .map_err(transfer_failure)?;
                    eprintln!("twofold-cli: warning: {} holds every secret UNENCRYPTED; anyone who reads it can sign in as you. Delete it once imported.", written.display());
                    println!("wrote {} accounts to {}", vault.accounts().len(), written.display());
                    Ok(())
                }
            }
        }
        Command::Verify { file, passphrase_file } => {
            let passphrase = read_secret_file(&passphrase_file)?;
            let mut vault = session.open_existing()?;
            let report = transfer::verify_file(&mut vault, &file, &passphrase, unix_now())
                .map_err(transfer_failure)?;
            print_verification(&file, &report)
        }
        Command::Recovery(RecoveryCommand::Add { search, file }) => {
            let text = read_secret_file(&file)?;
            let codes = recovery::parse(&text);
            if codes.is_empty() {
                return Err(Failure::BadInput("no recovery codes were found in the file".into()));
            }
            let mut vault = session.open_existing()?;
            let account = find(vault.accounts(), &search)?;
            let (id, name) = (account.id, account.display_name());
            let count = codes.len();
            vault.set_recovery_codes(id, codes, unix_now())?;
            println!("saved {count} recovery codes for {name}");
            backups::after_change(&vault);
            Ok(())
        }
        Command::Recovery(RecoveryCommand::List { search, json }) => {
            let vault = session.open_existing()?;
            let account = find(vault.accounts(), &search)?;
            if json {
                let codes: Vec<_> = account
                    .recovery_codes
                    .iter()
                    .map(|c| serde_json::json!({"code": c.code, "used": c.used_at.is_some(), "used_at": c.used_at}))
                    .collect();
                println!("{}", serde_json::to_string_pretty(&codes).unwrap_or_default());
            } else {
                for c in &account.recovery_codes {
                    println!("{}{}", c.code, if c.used_at.is_some() { "  (used)" } else { "" });
                }
            }
            Ok(())
        }
        Command::Recovery(RecoveryCommand::Use { search, code }) => {
            let mut vault = session.open_existing()?;
            let account = find(vault.accounts(), &search)?;
            let (id, name) = (account.id, account.display_name());
            let left = vault.use_recovery_code(id, &code, unix_now())?;
            backups::after_change(&vault);
            println!("marked used; {left} recovery code{} left for {name}", if left == 1 { "" } else { "s" });
            Ok(())
        }
        Command::Clock { server, json } => {
            let m = twofold_core::clock::measure(&server, std::time::Duration::from_secs(5))
                .map_err(|e| Failure::Failed(format!("the clock could not be checked: {e}")))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&m).unwrap_or_default());
            } else {
                println!("{:.3}", m.offset_seconds);
            }
            Ok(())
        }
        Command::Check { json } => {
            let vault = session.open_existing()?;
            let list = Checklist::build(vault.accounts(), vault.meta(), unix_now())
                .with_backups(twofold_core::backup::health(&vault, &Keychain::from_env()));
            if json {
                println!("{}", serde_json::to_string_pretty(&list).unwrap_or_default());
            } else {
                print_checklist(&list);
            }
            if list.needs_attention {
                return Err(Failure::Quiet);
            }
            Ok(())
        }
        Command::Backups(command) => backups::run(&session, command),
        Command::Restore => {
            let path = session.path()?;
            vault::restore_previous(&path, unix_now())?;
            println!("restored {} from its backup", path.display());
            Ok(())
        }
        Command::Init { new_despite_backup } => {
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
    }
}

/// `scan`: what each image holds, without secrets unless `reveal`.
fn scan(images: &[PathBuf], reveal: bool, json: bool) -> Result<(), Failure> {
    #[derive(serde::Serialize)]
    #[serde(untagged)]
    enum Report {
        Codes { image: String, codes: Vec<CodeReport> },
        Error { image: String, error: String },
    }
    let mut found_any = false;
    let mut unreadable = Vec::new();
    let mut reports = Vec::new();
    for image in images {
        let name = image.display().to_string();
        let texts = match qr::scan_file(image, Limits::default()) {
            Ok(scan) => scan.texts,
            Err(e) => {
                unreadable.push(format!("{name}: {e}"));
                reports.push(Report::Error { image: name, error: e.to_string() });
                continue;
            }
        };
        found_any |= !texts.is_empty();
        if reveal {
            for text in &texts {
                println!("{text}");
            }
            continue;
        }
        let codes: Vec<CodeReport> = texts.iter().map(|t| CodeReport::of(t)).collect();
        if !json {
            if codes.is_empty() {
                println!("{name}: no QR code found");
            }
            for line in codes.iter().flat_map(CodeReport::lines) {
                println!("{name}: {line}");
            }
        }
        reports.push(Report::Codes { image: name, codes });
    }
    if json && !reveal {
        println!("{}", serde_json::to_string_pretty(&reports).unwrap_or_default());
    }
    if !unreadable.is_empty() {
        return Err(Failure::BadInput(unreadable.join("; ")));
    }
    if found_any {
        Ok(())
    } else {
        Err(Failure::Failed("no QR code was found".into()))
    }
}

fn print_checklist(list: &Checklist) {
    let section = |title: &str, names: &[String]| {
        if !names.is_empty() {
            println!("{title}:");
            for name in names {
                println!("  - {name}");
            }
        }
    };
    match list.bundle_age_days {
        None => println!("No transfer bundle has been verified yet: export one (twofold-cli export)."),
        Some(days) => {
            println!("Last verified transfer bundle: {days} day{} ago.", if days == 1 { "" } else { "s" })
        }
    }
    section("Added or changed since that bundle", &list.changed_since_bundle);
    section("No recovery codes saved", &list.without_recovery_codes);
    section("Only Twofold can sign in (no recovery codes, no other way in)", &list.twofold_only);
    section("Counter-based (HOTP): counters can drift", &list.hotp);
    match (&list.backups.problem, list.backups.on) {
        (Some(problem), _) => println!("Automatic backups are failing: {problem}."),
        (None, false) => println!("Automatic backups are off (twofold-cli backups enable)."),
        (None, true) => {}
    }
    if !list.needs_attention {
        println!("Nothing to fix: this machine can be wiped safely.");
    }
}

/// Prints how the bundle at `path` compares with the vault; exit status 1
/// unless it is complete.
fn print_verification(path: &Path, report: &Verification) -> Result<(), Failure> {
    if report.complete {
        println!("{}: all {} accounts present, codes match", path.display(), report.total);
        return Ok(());
    }
    println!("{}: {} of {} accounts present and matching", path.display(), report.matching, report.total);
    for name in &report.missing {
        println!("missing: {name}");
    }
    for name in &report.different {
        println!("different: {name}");
    }
    Err(Failure::Failed("the bundle does not match the vault".into()))
}

fn transfer_failure(e: TransferError) -> Failure {
    match e {
        TransferError::WeakPassphrase(_) | TransferError::Read { .. } => Failure::BadInput(e.to_string()),
        TransferError::Exists(_) => Failure::BadInput(format!("{e}: pass --force to replace it")),
        other => Failure::Failed(other.to_string()),
    }
}

/// A passphrase from a file ("-": standard input), without its final newline.
fn read_secret_file(file: &Path) -> Result<Zeroizing<String>, Failure> {
    // A passphrase (or a page of recovery codes) is small: read no more.
    const MAX: usize = 64 << 10;
    // Pipes are welcome here (`--passphrase-file <(pass show twofold)`): only
    // the size is bounded, so `/dev/zero` ends with an error, not a gigabyte.
    // Room for all of it up front: a growing Vec would free copies uncleared.
    let mut bytes = Zeroizing::new(Vec::with_capacity(MAX + 1));
    let read = if file == Path::new("-") {
        std::io::stdin().take(MAX as u64 + 1).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(file).and_then(|f| f.take(MAX as u64 + 1).read_to_end(&mut bytes))
    };
    read.map_err(|e| Failure::BadInput(format!("{}: could not read it ({})", file.display(), e.kind())))?;
    if bytes.len() > MAX {
        return Err(Failure::BadInput(format!(
            "{}: more than 64 KiB; not a passphrase file",
            file.display()
        )));
    }
    let text = Zeroizing::new(
        String::from_utf8(std::mem::take(&mut *bytes))
            .map_err(|_| Failure::BadInput(format!("{}: not UTF-8 text", file.display())))?,
    );
    // A file written by `echo` ends with a newline that is not part of the passphrase.
    Ok(Zeroizing::new(text.trim_end_matches(['\n', '\r']).to_owned()))
}

fn print_code(account: &Account, at: u64, json: bool) -> Result<(), Failure> {
    if json {
        println!("{}", serde_json::to_string_pretty(&account.summary_at(at)).unwrap_or_default());
    } else {
        println!("{}", account.otp.code_at(at).value);
    }
    Ok(())
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
        self.passphrase_file.as_deref().map(read_secret_file).transpose()
    }

    fn open_if_any(&self) -> Result<Option<Vault>, Failure> {
        let passphrase = self.passphrase()?;
        Ok(vault::open_if_any(
            &self.path()?,
            &Keychain::from_env(),
            passphrase.as_deref().map(|p| p.as_str()),
        )?)
    }

    fn open_existing(&self) -> Result<Vault, Failure> {
        self.open_if_any()?.ok_or_else(|| Failure::Failed("there are no accounts yet (no vault)".into()))
    }

    fn open_or_create(&self) -> Result<Vault, Failure> {
        let passphrase = self.passphrase()?;
        Ok(vault::open_or_create(
            &self.path()?,
            &Keychain::from_env(),
            passphrase.as_deref().map(|p| p.as_str()),
        )?)
    }
}
