//! Core integration tests, built as one binary.
//!
//! `keychain` needs a real Secret Service: `make test` (scripts/test-session)
//! starts a D-Bus session with an unlocked gnome-keyring for it.

mod android;
mod app_lock;
mod backup;
mod clock;
mod common;
mod crash;
mod databases;
mod formats;
mod formats_encrypted;
mod hostile;
mod imports;
mod keychain;
mod kit;
mod migration;
mod multi_code;
mod phone_export;
mod qr;
mod recovery;
mod rfc;
mod roundtrip;
mod sync_folder;
mod sync_merge;
mod transfer;
mod vault;
