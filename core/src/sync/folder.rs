//! The sync folder's names: one file per computer, the folder's key file,
//! and everything else a sync tool leaves behind, which is never read.
//!
//! A computer writes only `twofold-sync-<device>.tfsync` with its own
//! device id, so no sync tool ever holds two versions of one file. Names
//! that are not exactly one of Twofold's are ignored: Syncthing's
//! `.sync-conflict-…` copies and `.syncthing.….tmp` downloads, Dropbox's
//! "(… conflicted copy …)", Nextcloud's `.part` downloads, Office-style
//! `~$` lock files, Twofold's own temporary files mid-write.

use std::path::{Path, PathBuf};

use crate::replica::DeviceId;

const PREFIX: &str = "twofold-sync-";
const SUFFIX: &str = ".tfsync";
/// The folder key file: the salt and cost the sync passphrase is derived
/// with, shared by every computer (`file::FolderKey`).
pub const KEY_FILE: &str = "twofold-sync.key";

pub fn device_file(folder: &Path, device: DeviceId) -> PathBuf {
    folder.join(format!("{PREFIX}{device}{SUFFIX}"))
}

/// The device a file name is exactly Twofold's file for, if it is.
pub fn device_of(name: &str) -> Option<DeviceId> {
    DeviceId::parse(name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?)
}

/// What the folder holds, as sync reads it.
#[derive(Debug, Default)]
pub struct Listing {
    pub devices: Vec<(DeviceId, PathBuf)>,
    /// Names that look like sync's but are a sync tool's leftovers.
    pub ignored: Vec<String>,
}

pub fn list(folder: &Path) -> std::io::Result<Listing> {
    let mut listing = Listing::default();
    for entry in std::fs::read_dir(folder)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        match device_of(name) {
            Some(device) if entry.file_type().is_ok_and(|t| t.is_file()) => {
                listing.devices.push((device, entry.path()))
            }
            _ if name.contains("twofold-sync") && name != KEY_FILE => listing.ignored.push(name.to_owned()),
            _ => {}
        }
    }
    listing.devices.sort();
    listing.ignored.sort();
    Ok(listing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_twofolds_own_names_are_read() {
        let id = DeviceId(0x0123_4567_89ab_cdef);
        assert_eq!(device_of("twofold-sync-0123456789abcdef.tfsync"), Some(id));
        for leftover in [
            "twofold-sync-0123456789abcdef.sync-conflict-20261202-101010-ABCDEFG.tfsync",
            ".syncthing.twofold-sync-0123456789abcdef.tfsync.tmp",
            "~syncthing~twofold-sync-0123456789abcdef.tfsync.tmp",
            "twofold-sync-0123456789abcdef (office's conflicted copy 2026-12-02).tfsync",
            "twofold-sync-0123456789abcdef.tfsync.part",
            ".twofold-sync-0123456789abcdef.tfsync.~1a2b3c.part",
            "~$twofold-sync-0123456789abcdef.tfsync",
            "twofold-sync-0123456789ABCDEF.tfsync",
            "twofold-sync-0123456789abcdef.tfsync.tmp-1234",
        ] {
            assert_eq!(device_of(leftover), None, "{leftover}");
        }
    }
}
