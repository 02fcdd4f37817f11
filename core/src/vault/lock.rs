//! An advisory lock beside the vault (`vault.twofold.lock`), held around
//! every read-modify-write, so processes sharing one vault (the window, CLIs)
//! take turns and none saves from a stale copy. The vault file itself cannot
//! carry the lock: every save renames a new file over it. The lock file is
//! never replaced or deleted; the operating system releases the lock when
//! the process ends, however it ends.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

use crate::fs;

pub struct VaultLock {
    _file: File,
}

impl VaultLock {
    /// Waits until no other process holds the lock for the vault at `vault`.
    pub fn acquire(vault: &Path) -> io::Result<Self> {
        fs::create_private_dir(fs::directory_of(vault))?;
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(fs::sibling(vault, "lock"))?;
        file.lock()?;
        Ok(Self { _file: file })
    }
}
