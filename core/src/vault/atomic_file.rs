//! Crash-safe replacement of a file: write a temporary file beside it, fsync,
//! keep the previous version as a backup, rename over, fsync the directory.
//! At every instant the path holds either the old or the new complete file.
//!
//! Temporary files are created exclusively under a random name, readable by
//! the owner only from the start: a file or symlink someone put in the way is
//! never followed, reused or left world-readable.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Replaces `path` with `bytes`; the old version (if any) becomes `backup`.
pub fn replace(path: &Path, bytes: &[u8], backup: Option<&Path>) -> io::Result<()> {
    let tmp = write_temp(path, bytes)?;
    let result = (|| {
        if let (Some(backup), true) = (backup, path.exists()) {
            keep_backup(path, backup)?;
        }
        fs::rename(&tmp, path)?;
        sync_dir(directory_of(path))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// The directory holding `path`: "." for a bare file name, whose parent is "".
pub fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Creates a directory (and its parents) that only the owner can enter.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// `vault.twofold` + `tag` → `vault.twofold.tag`.
pub fn sibling(path: &Path, tag: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".");
    name.push(tag);
    path.with_file_name(name)
}

/// Writes `bytes` to a new temporary file beside `target`, synced, and
/// returns its path. `create_new` (O_EXCL) refuses anything already there,
/// a symlink included, so nothing is followed or reused.
fn write_temp(target: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    for _ in 0..8 {
        let mut random = [0u8; 8];
        getrandom::fill(&mut random).map_err(|e| io::Error::other(e.to_string()))?;
        let tag: String = random.iter().map(|b| format!("{b:02x}")).collect();
        let tmp = sibling(target, &format!("tmp-{tag}"));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            // Only the owner may read it, from the moment it exists.
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = match options.open(&tmp) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            other => other?,
        };
        let written = file.write_all(bytes).and_then(|()| file.sync_all());
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
        return Ok(tmp);
    }
    Err(io::Error::new(io::ErrorKind::AlreadyExists, "no free temporary file name"))
}

/// Points `backup` at the current version without ever leaving `backup`
/// half-written: a hard link (the file is never modified in place, only
/// renamed over) or, where links are unsupported, a synced copy; then an
/// atomic rename.
fn keep_backup(path: &Path, backup: &Path) -> io::Result<()> {
    // A hard link never follows or replaces what is at its new name.
    let mut random = [0u8; 8];
    getrandom::fill(&mut random).map_err(|e| io::Error::other(e.to_string()))?;
    let tag: String = random.iter().map(|b| format!("{b:02x}")).collect();
    let staged = sibling(backup, &format!("tmp-{tag}"));
    let staged = match fs::hard_link(path, &staged) {
        Ok(()) => staged,
        Err(_) => write_temp(backup, &fs::read(path)?)?,
    };
    fs::rename(&staged, backup)
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    fs::File::open(dir)?.sync_all()
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

    /// Issue 11: the old temporary name was predictable (`.tmp-<pid>`), so a
    /// symlink planted there made a write land in its target.
    #[cfg(unix)]
    #[test]
    fn issue_11_a_planted_symlink_is_never_followed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("export.json");
        let victim = dir.path().join("victim");
        fs::write(&victim, b"keep me").expect("write victim");
        std::os::unix::fs::symlink(&victim, sibling(&path, &format!("tmp-{}", std::process::id())))
            .expect("plant a symlink");
        replace(&path, b"secret seeds", None).expect("write");
        assert_eq!(fs::read(&victim).expect("read victim"), b"keep me");
        assert_eq!(fs::read(&path).expect("read"), b"secret seeds");
    }

    #[test]
    fn issue_11_a_bare_file_name_lives_in_the_current_directory() {
        assert_eq!(directory_of(Path::new("b.json")), Path::new("."));
        assert_eq!(directory_of(Path::new("out/b.json")), Path::new("out"));
        assert_eq!(directory_of(Path::new("/b.json")), Path::new("/"));
    }

    #[cfg(unix)]
    #[test]
    fn private_directories_are_for_the_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("a/twofold");
        create_private_dir(&data).expect("create");
        assert_eq!(fs::metadata(&data).expect("stat").permissions().mode() & 0o777, 0o700);
    }
}
