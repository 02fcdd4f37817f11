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

pub use collected::{Added, BatchProgress, Collected, FileRepeat, Input, Problem, ProblemKind};
pub use payload::{BatchPosition, CodeReport, OtherKind, Payload, PayloadError, ReportedAccount};
pub use preview::{Preview, PreviewAccount};

/// Reads a file for [`Input::File`]: a regular file of at most
/// [`MAX_IMPORT_BYTES`] (the bytes are zeroed when dropped).
pub fn read_file(path: &std::path::Path) -> Result<zeroize::Zeroizing<Vec<u8>>, ReadError> {
    crate::fs::read_bounded(path, MAX_IMPORT_BYTES)
}

/// Public example keys, shared by the tests of every part (no real account's).
#[cfg(test)]
const KEY_A: &str = "JBSWY3DPEHPK3PXP";
#[cfg(test)]
const KEY_B: &str = "GEZDGNBVGY3TQOJQ";
#[cfg(test)]
const KEY_C: &str = "MFRGGZDFMZTWQ2LK";
