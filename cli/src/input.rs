//! Secrets the person hands over in files or on standard input:
//! passphrases, otpauth URIs, pages of recovery codes. Bounded, and held
//! in memory that is cleared when dropped.

use std::io::Read;
use std::path::Path;

use zeroize::Zeroizing;

use crate::failure::Failure;

/// A passphrase from a file ("-": standard input), without its final newline.
pub fn read_secret_file(file: &Path) -> Result<Zeroizing<String>, Failure> {
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

/// A secret given as an argument (`value`), or read from standard input
/// when there is none or it is "-". The argument form still works, with a
/// warning: every user's process list and the shell's history see it.
/// `pipe` is how the command reads it instead, for the warning.
pub fn secret_argument(value: Option<String>, pipe: &str) -> Result<Zeroizing<String>, Failure> {
    match value.filter(|v| v != "-") {
        Some(value) => {
            eprintln!("twofold-cli: warning: a secret on the command line is visible in process lists and kept in shell history; pipe it instead: … | {pipe}");
            Ok(Zeroizing::new(value))
        }
        None => read_secret_file(Path::new("-")),
    }
}
