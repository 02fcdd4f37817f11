//! Authenticator Plus's export: a password-protected ZIP (ZipCrypto) holding
//! `Accounts.txt`, a list of `otpauth://` links (read as `uri_list.rs`
//! reads them). Lost: the app's categories and ordering, which the links
//! do not carry.
//!
//! ZipCrypto checks a password by one byte only, so a wrong password is
//! sometimes found only when the text fails to inflate or its CRC: both
//! are reported as a wrong password (the file cannot tell them apart).

use std::io::{Cursor, Read};

use zeroize::Zeroizing;

use super::{uri_list, FormatError, Imported, MAX_TEXT_BYTES};

const NAME: &str = "Authenticator Plus";
const FILE: &str = "Accounts.txt";
/// The most entries an archive may list: Authenticator Plus writes one.
const MAX_ENTRIES: usize = 1000;

/// Reads a ZIP (whose entry count `proton_pass::read_zip` has bounded)
/// if it is Authenticator Plus's: `Ok(None)` for any other. Nothing is
/// written, and entry names are only compared.
pub fn read(bytes: &[u8], password: Option<&str>) -> Result<Option<Imported>, FormatError> {
    // The app's exports are a few KiB: a larger archive is another's.
    if bytes.len() > MAX_TEXT_BYTES {
        return Ok(None);
    }
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(None);
    };
    if archive.len() > MAX_ENTRIES {
        return Err(FormatError::TooComplex);
    }
    // The last component of the entry's name, whatever its folders.
    let index = (0..archive.len()).find(|&i| {
        archive
            .name_for_index(i)
            .and_then(Result::ok)
            .is_some_and(|n| n.rsplit(['/', '\\']).next() == Some(FILE))
    });
    let Some(index) = index else {
        return Ok(None);
    };
    let encrypted = archive.by_index_raw(index).map_err(|_| FormatError::Damaged(NAME))?.encrypted();
    let entry = match (encrypted, password) {
        (false, _) => archive.by_index(index),
        (true, None) => return Err(FormatError::NeedsPassphrase(NAME)),
        (true, Some(p)) => archive.by_index_decrypt(index, p.as_bytes()),
    };
    let entry = entry.map_err(|e| match e {
        zip::result::ZipError::InvalidPassword => FormatError::WrongPassphrase,
        _ => FormatError::Damaged(NAME),
    })?;
    // The size in the header is the file's claim: the reading is bounded.
    let mut text = Zeroizing::new(Vec::new());
    let read = entry.take(MAX_TEXT_BYTES as u64 + 1).read_to_end(&mut text);
    if read.is_err() {
        return Err(if encrypted { FormatError::WrongPassphrase } else { FormatError::Damaged(NAME) });
    }
    if text.len() > MAX_TEXT_BYTES {
        return Err(FormatError::TooLarge);
    }
    let text = std::str::from_utf8(&text).map_err(|_| FormatError::Damaged(NAME))?;
    uri_list::read(text).map(Some)
}
