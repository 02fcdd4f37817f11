//! Every way an account comes in (a dropped, picked or imported file, a
//! pasted screenshot, pasted text) goes through [`Collected::add`]: QR images
//! are scanned here, other files are read by [`crate::formats`], and what was
//! found is gathered for one preview: what each code holds, which codes of a
//! multi-code export are still missing, which entries could not be read, and
//! which accounts repeat each other.
//!
//! `payload.rs` classifies one code's text ([`Payload`]) and reports it for
//! `twofold-cli scan` ([`CodeReport`]); `collected.rs` gathers what came in
//! ([`Collected`]); `preview.rs` shows it and keeps the person's choices
//! ([`Preview`]).

mod collected;
mod payload;
mod preview;

use crate::fs::{ReadError, MAX_IMPORT_BYTES};

pub use collected::{
    Added, BatchProgress, Collected, FileRepeat, Input, Problem, ProblemKind, KIT_FORMAT_NAME,
};
pub use payload::{BatchPosition, CodeReport, OtherKind, Payload, PayloadError, ReportedAccount};
pub use preview::{Preview, PreviewAccount};

/// Reads a file for [`Input::File`]: a regular file of at most
/// [`MAX_IMPORT_BYTES`] (the bytes are zeroed when dropped).
pub fn read_file(path: &std::path::Path) -> Result<zeroize::Zeroizing<Vec<u8>>, ReadError> {
    crate::fs::read_bounded(path, MAX_IMPORT_BYTES)
}

/// A file's name and its bytes (zeroed when dropped).
pub type NamedFile = (String, zeroize::Zeroizing<Vec<u8>>);

/// One file named to Twofold (dropped, or given to the CLI), with the files
/// it names beside it when it is an index of others (a Steam Desktop
/// Authenticator `manifest.json` and its maFiles): the index first, each
/// by file name. Only plain file names the index lists are read, from its
/// own folder; a name with a separator or `..` is never followed.
pub fn read_with_companions(path: &std::path::Path) -> Result<Vec<NamedFile>, ReadError> {
    let name =
        |p: &std::path::Path| p.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let bytes = read_file(path)?;
    let needed = crate::formats::files_needed(&bytes).unwrap_or_default();
    let mut files = vec![(name(path), bytes)];
    let folder = crate::fs::directory_of(path);
    for wanted in needed {
        let plain = !wanted.is_empty()
            && wanted != ".."
            && wanted != "."
            && !wanted.contains(['/', '\\'])
            && std::path::Path::new(&wanted).components().count() == 1;
        if !plain {
            continue;
        }
        // A listed file that cannot be read is named by the format's reader.
        if let Ok(bytes) = read_file(&folder.join(&wanted)) {
            files.push((wanted, bytes));
        }
    }
    Ok(files)
}

/// Public example keys, shared by the tests of every part (no real account's).
#[cfg(test)]
const KEY_A: &str = "JBSWY3DPEHPK3PXP";
#[cfg(test)]
const KEY_B: &str = "GEZDGNBVGY3TQOJQ";
#[cfg(test)]
const KEY_C: &str = "MFRGGZDFMZTWQ2LK";
