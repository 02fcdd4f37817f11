//! The command line: every subcommand and option, as clap types. What each
//! one does lives in `commands/`, grouped as the window's commands are.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "twofold-cli",
    version,
    about = "Twofold from the command line: the same vault as the window app"
)]
pub struct Cli {
    /// Read the vault passphrase from FILE ("-" reads standard input); for
    /// passphrase-protected vaults, and with `init` to create one.
    #[arg(long, global = true, value_name = "FILE")]
    pub vault_passphrase_file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
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
    /// Print the current code of the account matching SEARCH, or of an
    /// otpauth:// URI read from standard input with --uri (`echo 'otpauth://…'
    /// | twofold-cli code --uri`) without touching any vault.
    Code {
        /// Part of the issuer or account name.
        #[arg(required_unless_present = "uri", conflicts_with = "uri")]
        search: Option<String>,
        /// Compute the code of an otpauth:// URI; no vault is read or written.
        /// The URI is read from standard input; given here (discouraged: it
        /// would show in every process list and stay in the shell's history)
        /// it is used as it is, and "-" reads standard input.
        #[arg(long, value_name = "OTPAUTH_URI", num_args = 0..=1, default_missing_value = "-")]
        uri: Option<String>,
        /// Compute the code for this time (Unix seconds) instead of now.
        #[arg(long, value_name = "UNIX_SECONDS")]
        at: Option<u64>,
        /// Print the code that follows the current one (time-based accounts):
        /// for a code that would expire while it is typed.
        #[arg(long)]
        next: bool,
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
        /// Print the raw text of every code found, one per line, in image
        /// order (control characters shown as U+FFFD).
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
    /// Make the emergency kit: a printable PDF that restores every account
    /// (encrypted QR codes; read back with `import PAGE.png … --passphrase-file`).
    Kit {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// The kit's passphrase ("-" reads standard input).
        #[arg(long, value_name = "FILE")]
        passphrase_file: PathBuf,
        #[arg(long, value_enum, default_value = "a4")]
        paper: KitPaper,
        /// The kit's language (a Japanese kit needs a Japanese system font).
        #[arg(long, value_enum, default_value = "en")]
        language: KitLanguage,
        /// Add each account's recovery codes and other ways in, UNENCRYPTED.
        #[arg(long)]
        with_recovery_codes: bool,
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
    /// Put the previous version in place of a missing or damaged vault; the
    /// file it replaces is kept aside. A vault that opens is left alone,
    /// saying what would be rolled back, unless --force is given.
    Restore {
        /// Roll back a vault that opens (undoing its last change); the
        /// current file is kept aside as `.replaced-<time>`.
        #[arg(long)]
        force: bool,
    },
    /// Automatic encrypted backups into a folder, and their restore points.
    #[command(subcommand)]
    Backups(BackupsCommand),
    /// Keep several computers in step through a folder you already sync
    /// (Syncthing, Nextcloud, Dropbox, OneDrive, iCloud Drive, a share).
    #[command(subcommand)]
    Sync(SyncCommand),
}

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Sync through DIR. On the first computer this sets the folder up; on
    /// the others, the same folder and passphrase join it.
    Enable {
        #[arg(long, value_name = "DIR")]
        folder: PathBuf,
        /// The sync passphrase ("-" reads standard input).
        #[arg(long, value_name = "FILE")]
        passphrase_file: PathBuf,
        /// This computer's name, as the others show it (default: its host name).
        #[arg(long)]
        name: Option<String>,
    },
    /// The folder, the other computers and when each was last seen.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Read the other computers' files and write this one's now.
    Now {
        /// Agree to the removals and key changes another computer asked for
        /// that were held back (a restore point is written first).
        #[arg(long, conflicts_with = "keep")]
        confirm: bool,
        /// Keep the accounts whose removal (or new key) was held back: the
        /// other computers get them back too.
        #[arg(long)]
        keep: bool,
    },
    /// Fields changed on two computers that had not seen each other's change.
    Conflicts {
        #[arg(long)]
        json: bool,
    },
    /// Settle a conflict: keep this computer's version or the other one.
    Resolve {
        id: String,
        #[arg(long, value_enum)]
        keep: SyncKeep,
    },
    /// The other computers (id, name, last seen).
    Devices {
        #[arg(long)]
        json: bool,
    },
    /// Stop reading another computer's file and remove it from the folder;
    /// every account it brought stays.
    RemoveDevice { id: String },
    /// Stop syncing: this computer's file leaves the folder; its accounts stay
    /// here and on the others.
    Disable,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SyncKeep {
    This,
    Other,
}

#[derive(Subcommand)]
pub enum RecoveryCommand {
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
    /// Mark a code used, read from standard input (`echo CODE | twofold-cli
    /// recovery use SEARCH`).
    Use {
        search: String,
        /// The code itself (discouraged: it would show in every process
        /// list and stay in the shell's history); "-" or nothing reads
        /// standard input.
        code: Option<String>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Encrypted transfer bundle (Aegis encrypted vault).
    Bundle,
    /// UNENCRYPTED Aegis vault JSON.
    AegisPlain,
    /// UNENCRYPTED list of otpauth:// links, one per line.
    UriList,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KitPaper {
    A4,
    Letter,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KitLanguage {
    En,
    Ja,
}

#[derive(Subcommand)]
pub enum BackupsCommand {
    /// Back up automatically, after every change, into FOLDER; only the
    /// passphrase opens the backups (each is an encrypted Aegis vault).
    Enable {
        #[arg(long, value_name = "DIR")]
        folder: PathBuf,
        /// The backup passphrase ("-" reads standard input).
        #[arg(long, value_name = "FILE")]
        passphrase_file: PathBuf,
    },
    /// Stop backing up (the backups already written stay).
    Disable,
    /// How long backups are kept (unchanged where not given). The last
    /// backup holding an account deleted within --deleted-days is always kept.
    Keep {
        /// Every backup of this many hours (default 24).
        #[arg(long)]
        hours: Option<u64>,
        /// Then the last of each day, for this many days (default 30).
        #[arg(long)]
        days: Option<u64>,
        /// Then the last of each month, for this many months (default 12).
        #[arg(long)]
        months: Option<u64>,
        #[arg(long)]
        deleted_days: Option<u64>,
    },
    /// Where backups go and when the last one was written. Exit status 1
    /// when backups are on but failing.
    Status,
    /// The restore points, oldest first.
    List {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        elsewhere: Elsewhere,
    },
    /// Add back the accounts of a restore point (ID or "latest") that the
    /// vault lacks; nothing is duplicated. With --start-over, the way back
    /// for a vault that cannot be opened.
    Restore {
        point: String,
        /// Only accounts whose issuer or name contains this.
        #[arg(long, conflicts_with = "start_over")]
        only: Option<String>,
        #[command(flatten)]
        elsewhere: Elsewhere,
        /// For a vault that cannot be opened (its key gone from the keychain,
        /// the file damaged): a new vault with every account of the newest
        /// backup in --folder, backing up there under the same passphrase.
        /// The old vault files are kept aside, never deleted.
        #[arg(long, requires = "folder")]
        start_over: bool,
    },
}

/// For a machine whose own settings or keychain are gone: the folder and
/// the backup passphrase.
#[derive(clap::Args)]
pub struct Elsewhere {
    #[arg(long, value_name = "DIR", requires = "passphrase_file")]
    pub folder: Option<PathBuf>,
    #[arg(long, value_name = "FILE", requires = "folder")]
    pub passphrase_file: Option<PathBuf>,
}
