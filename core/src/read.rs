//! Reading a file someone named, within bounds: only regular files (a FIFO
//! would block forever, `/dev/zero` never ends) and never more than a limit,
//! whatever the file's size claims. The bytes are zeroed when dropped: an
//! import file may hold every secret.

use std::io::Read;
use std::path::Path;

use zeroize::Zeroizing;

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("could not read the file ({0})")]
    Io(std::io::ErrorKind),
    #[error("not a regular file (a device, a pipe or a folder)")]
    NotAFile,
    #[error("the file is too large (over {} MiB)", .max_bytes >> 20)]
    TooLarge { max_bytes: usize },
}

/// The bytes of the regular file at `path`, at most `max_bytes` of them.
pub fn read_bounded(path: &Path, max_bytes: usize) -> Result<Zeroizing<Vec<u8>>, ReadError> {
    // Checked before opening: opening a FIFO blocks until a writer appears.
    if !std::fs::metadata(path).map_err(|e| ReadError::Io(e.kind()))?.is_file() {
        return Err(ReadError::NotAFile);
    }
    let file = std::fs::File::open(path).map_err(|e| ReadError::Io(e.kind()))?;
    // And again on what was opened, in case the name now points elsewhere.
    let meta = file.metadata().map_err(|e| ReadError::Io(e.kind()))?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    if meta.len() > max_bytes as u64 {
        return Err(ReadError::TooLarge { max_bytes });
    }
    let mut bytes = Zeroizing::new(Vec::with_capacity(meta.len() as usize));
    // One byte more than allowed tells "too large" from "exactly at the limit"
    // for a file that grows while it is read.
    file.take(max_bytes as u64 + 1).read_to_end(&mut bytes).map_err(|e| ReadError::Io(e.kind()))?;
    if bytes.len() > max_bytes {
        return Err(ReadError::TooLarge { max_bytes });
    }
    Ok(bytes)
}
