//! Crash-safe replacement of a file: write a temporary file beside it, fsync,
//! keep the previous version as a backup, rename over, fsync the directory.
//! At every instant the path holds either the old or the new complete file.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Replaces `path` with `bytes`; the old version (if any) becomes `backup`.
pub fn replace(path: &Path, bytes: &[u8], backup: Option<&Path>) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = sibling(path, &format!("tmp-{}", std::process::id()));
    let result = write_synced(&tmp, bytes).and_then(|()| {
        if let (Some(backup), true) = (backup, path.exists()) {
            keep_backup(path, backup)?;
        }
        fs::rename(&tmp, path)?;
        sync_dir(dir)
    });
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// `vault.twofold` + `tag` → `vault.twofold.tag`.
pub fn sibling(path: &Path, tag: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".");
    name.push(tag);
    path.with_file_name(name)
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        // Only the owner may read the vault, even though it is encrypted.
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Points `backup` at the current version without ever leaving `backup`
/// half-written: a hard link (the file is never modified in place, only
/// renamed over) or, where links are unsupported, a synced copy; then an
/// atomic rename.
fn keep_backup(path: &Path, backup: &Path) -> io::Result<()> {
    let staged = sibling(backup, &format!("tmp-{}", std::process::id()));
    let _ = fs::remove_file(&staged);
    if fs::hard_link(path, &staged).is_err() {
        write_synced(&staged, &fs::read(path)?)?;
    }
    fs::rename(&staged, backup)
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    // Windows has no directory handles to fsync; MoveFileEx is durable enough.
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_keeps_the_previous_version() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("v");
        let backup = dir.path().join("v.bak");
        replace(&path, b"one", Some(&backup)).expect("first write");
        assert!(!backup.exists(), "nothing to back up on the first write");
        replace(&path, b"two", Some(&backup)).expect("second write");
        replace(&path, b"three", Some(&backup)).expect("third write");
        assert_eq!(fs::read(&path).expect("read"), b"three");
        assert_eq!(fs::read(&backup).expect("read backup"), b"two");
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("tmp"))
            .collect();
        assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    }

    #[cfg(unix)]
    #[test]
    fn only_the_owner_can_read() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("v");
        replace(&path, b"x", None).expect("write");
        let mode = fs::metadata(&path).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
