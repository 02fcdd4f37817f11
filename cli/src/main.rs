//! `twofold-cli`: the same core and vault as the window app, for scripts,
//! servers without a desktop, cross-checks and benchmarks. It depends on
//! `twofold-core` alone, never on Tauri or WebKit.
//!
//! Exit status: 0 success, 1 failure (no match, vault or keychain trouble),
//! 2 bad input (a malformed URI, wrong usage). Errors are one line on stderr
//! and never contain a secret.
//!
//! The pieces: `args` (the command line), `commands/` (what each subcommand
//! does, grouped as the window's commands are), `session` (the vault a
//! command opened, and the backup after a change), `input` (secrets from
//! files), `print` (stdout) and `failure` (stderr and the exit status).

mod args;
mod commands;
mod failure;
mod input;
mod print;
mod session;

use std::process::ExitCode;

use clap::Parser;

use crate::session::Session;

fn main() -> ExitCode {
    twofold_core::harden::process();
    let cli = args::Cli::parse();
    let mut session = Session::new(cli.vault_passphrase_file);
    let result = commands::run(&mut session, cli.command);
    // Before the exit status: a change saved by a command that then failed
    // is backed up too.
    session.finish();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}
