//! The file system, as every feature needs it.
//!
//! Reading a file someone named, within bounds ([`read_bounded`]): only
//! regular files (a FIFO would block forever, `/dev/zero` never ends) and
//! never more than a limit, whatever the file's size claims. The bytes are
//! zeroed when dropped: an import file may hold every secret.
//!
//! Crash-safe replacement of a file ([`replace_atomically`]): write a
//! temporary file beside it, fsync, (for the vault) keep the previous version,
//! rename over, fsync the directory. At every instant the path holds either
//! the old or the new complete file. Temporary files are created exclusively
//! under a random name, readable by the owner only from the start: a file or
//! symlink someone put in the way is never followed, reused or left
//! world-readable.

use std::fs::{self, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

/// The most any file named to Twofold is read of: an import file, an image,
/// a transfer bundle or a backup. Any export or screenshot is far smaller,
/// and QR decoding refuses larger images anyway.
pub const MAX_IMPORT_BYTES: usize = 64 << 20;

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
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // Should the name become a FIFO between the check and here, opening
        // it does not wait for a writer; the check below then refuses it.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path).map_err(|e| ReadError::Io(e.kind()))?;
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

/// Replaces `path` with `bytes` atomically, so an interrupted write never
/// leaves a half-written file under its name.
pub fn replace_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace(path, bytes, None)
}

/// Creates `path` holding `bytes`, complete or not at all, and never over a
/// file already there (`AlreadyExists`): written beside it, synced, then
/// moved into place without replacing.
pub fn create_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = write_temp(path, bytes)?;
    let result = move_no_replace(&tmp, path).and_then(|()| sync_dir(directory_of(path)));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Replaces `path` with `bytes` atomically; the old version (if any)
/// becomes `previous` (the vault's way back from a mistake).
pub(crate) fn replace(path: &Path, bytes: &[u8], previous: Option<&Path>) -> io::Result<()> {
    let tmp = write_temp(path, bytes)?;
    let result = (|| {
        if let (Some(previous), true) = (previous, path.exists()) {
            keep_previous(path, previous)?;
        }
        fs::rename(&tmp, path)?;
        sync_dir(directory_of(path))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// A write left unfinished (a crash, a power cut) leaves its temporary
/// file behind; one older than this is nobody's write in progress.
const STALE_TEMP: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Removes the temporary files unfinished writes left in the directory of
/// `fresh`, a file just written there. Only regular files named as
/// `write_temp` names them, and at least an hour older than `fresh`
/// by the file system's own clock: another process's write in progress is
/// seconds old, and the person's own files never have such names. Called
/// for the directories Twofold owns (the vault's, the backups'), never for
/// a folder an export went to. Returns how many went.
pub fn sweep_stale_temps(fresh: &Path) -> usize {
    let Ok(now) = fs::metadata(fresh).and_then(|m| m.modified()) else {
        return 0;
    };
    let Ok(entries) = fs::read_dir(directory_of(fresh)) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        if !is_temp_name(&entry.file_name().to_string_lossy()) {
            continue;
        }
        // `DirEntry::metadata` does not follow symlinks.
        let Ok(meta) = entry.metadata() else { continue };
        let stale = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age >= STALE_TEMP);
        if meta.is_file() && stale && fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// `<name>.tmp-<16 hex digits>`, as [`write_temp`] and [`keep_previous`] name them.
fn is_temp_name(name: &str) -> bool {
    name.rsplit_once(".tmp-").is_some_and(|(stem, tag)| {
        !stem.is_empty() && tag.len() == 16 && tag.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// The directory holding `path`: "." for a bare file name, whose parent is "".
pub fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Makes `dir` (and its parents) a directory only the owner can enter:
/// created 0700, and one that was already there, with a looser mode from
/// before, tightened to 0700. One that is not ours is refused and left
/// alone. (A symlink the person made to a directory of theirs is followed.)
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let meta = fs::metadata(dir)?;
        if meta.uid() != rustix::process::getuid().as_raw() {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!("{} belongs to another user", dir.display()),
            ));
        }
        if meta.mode() & 0o077 != 0 {
            fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
        }
    }
    Ok(())
}

/// Whether `dir` is a directory only this user can enter (ours, not a
/// symlink, no access for group or others), changing nothing: where a
/// file another program writes (a screenshot) may go.
pub fn is_private_dir(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        fs::symlink_metadata(dir).is_ok_and(|meta| {
            meta.is_dir() && meta.uid() == rustix::process::getuid().as_raw() && meta.mode() & 0o077 == 0
        })
    }
    #[cfg(not(unix))]
    {
        dir.is_dir()
    }
}

/// `vault.twofold` + `tag` → `vault.twofold.tag`.
pub fn sibling(path: &Path, tag: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".");
    name.push(tag);
    path.with_file_name(name)
}

/// Moves `path` aside to a free name beside it, `<name>.<tag>-<now>` (then
/// `-<now>-2`, `-<now>-3`, …), and returns that name. A file already there
/// is never replaced: two set-asides in the same second (a double click, two
/// processes) each keep their own copy.
pub fn set_aside(path: &Path, tag: &str, now: u64) -> io::Result<PathBuf> {
    for n in 1..=1000u32 {
        let suffix = if n == 1 { format!("{tag}-{now}") } else { format!("{tag}-{now}-{n}") };
        let aside = sibling(path, &suffix);
        match move_no_replace(path, &aside) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
            Ok(()) => {
                sync_dir(directory_of(path))?;
                return Ok(aside);
            }
        }
    }
    Err(io::Error::new(io::ErrorKind::AlreadyExists, "no free name to set the file aside"))
}

/// Moves `from` to `to`, failing with `AlreadyExists` rather than replacing
/// what is at `to` (a plain rename replaces it silently, on every platform
/// std supports). A hard link refuses an existing name. Where links are
/// unsupported (FAT, some network shares), the name is checked and then
/// renamed to: atomic still, but another process choosing the same name in
/// that instant could be replaced.
fn move_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    match fs::hard_link(from, to) {
        Ok(()) => fs::remove_file(from),
        Err(e) if matches!(e.kind(), io::ErrorKind::AlreadyExists | io::ErrorKind::NotFound) => Err(e),
        Err(_) if fs::symlink_metadata(to).is_ok() => Err(io::Error::from(io::ErrorKind::AlreadyExists)),
        Err(_) => fs::rename(from, to),
    }
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

/// Points `previous` at the current version without ever leaving `previous`
/// half-written: a hard link (the file is never modified in place, only
/// renamed over) or, where links are unsupported, a synced copy; then an
/// atomic rename.
fn keep_previous(path: &Path, previous: &Path) -> io::Result<()> {
    // A hard link never follows or replaces what is at its new name.
    let mut random = [0u8; 8];
    getrandom::fill(&mut random).map_err(|e| io::Error::other(e.to_string()))?;
    let tag: String = random.iter().map(|b| format!("{b:02x}")).collect();
    let staged = sibling(previous, &format!("tmp-{tag}"));
    let staged = match fs::hard_link(path, &staged) {
        Ok(()) => staged,
        Err(_) => write_temp(previous, &fs::read(path)?)?,
    };
    fs::rename(&staged, previous)
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

    /// Issue 22 (F17): a crash mid-write left `vault.json.tmp-…` (a whole
    /// vault, or a whole unencrypted export) for good. Old temporaries beside
    /// a fresh write go; a write in progress, and files not named as ours, stay.
    #[test]
    fn issue_22_stale_temporary_files_are_swept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fresh = dir.path().join("vault.json");
        let aged = |name: &str, age_secs: u64| {
            let path = dir.path().join(name);
            let file = fs::File::create(&path).expect("create");
            let when = std::time::SystemTime::now() - std::time::Duration::from_secs(age_secs);
            file.set_modified(when).expect("set mtime");
            path
        };
        let stale = aged("vault.json.tmp-0123456789abcdef", 2 * 60 * 60);
        let stale_bak = aged("vault.json.bak.tmp-fedcba9876543210", 3 * 60 * 60);
        let in_progress = aged("vault.json.tmp-00112233445566ff", 5);
        let not_ours = aged("notes.tmp-not-hex-at-all!", 2 * 60 * 60);
        let too_short = aged("vault.json.tmp-0123", 2 * 60 * 60);
        replace_atomically(&fresh, b"new").expect("write");
        assert_eq!(sweep_stale_temps(&fresh), 2);
        assert!(!stale.exists() && !stale_bak.exists(), "stale temporaries removed");
        assert!(in_progress.exists() && not_ours.exists() && too_short.exists(), "the rest left alone");
        assert_eq!(fs::read(&fresh).expect("read"), b"new");
    }

    #[test]
    fn replaces_and_keeps_the_previous_version() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("v");
        let previous = dir.path().join("v.bak");
        replace(&path, b"one", Some(&previous)).expect("first write");
        assert!(!previous.exists(), "no previous version on the first write");
        replace(&path, b"two", Some(&previous)).expect("second write");
        replace(&path, b"three", Some(&previous)).expect("third write");
        assert_eq!(fs::read(&path).expect("read"), b"three");
        assert_eq!(fs::read(&previous).expect("read previous"), b"two");
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
        replace_atomically(&path, b"x").expect("write");
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
        replace_atomically(&path, b"secret seeds").expect("write");
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
        assert!(is_private_dir(&data));
    }

    /// Issue 22 (F15): a data directory that already existed with a looser
    /// mode (made by hand, or by an older version) stayed that way, and the
    /// lock file and socket in it followed the umask.
    #[cfg(unix)]
    #[test]
    fn issue_22_an_existing_directory_is_tightened() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("twofold");
        fs::create_dir(&data).expect("mkdir");
        fs::set_permissions(&data, fs::Permissions::from_mode(0o775)).expect("loosen");
        assert!(!is_private_dir(&data), "group can enter");
        create_private_dir(&data).expect("tighten");
        assert_eq!(fs::metadata(&data).expect("stat").permissions().mode() & 0o777, 0o700);
        assert!(is_private_dir(&data));
    }

    /// Issue 22 (F3): a symlink (someone else's directory behind it) is never
    /// taken for a private one.
    #[cfg(unix)]
    #[test]
    fn issue_22_a_symlink_is_not_a_private_directory() {
        let dir = tempfile::tempdir().expect("tempdir");
        let real = dir.path().join("real");
        create_private_dir(&real).expect("create");
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        assert!(!is_private_dir(&link));
    }
}
