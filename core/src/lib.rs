//! Twofold's core: everything an authenticator does, with no UI.
//!
//! - [`otp`]: HOTP, TOTP and Steam codes, with the clock passed in.
//! - [`uri`]: `otpauth://` Key URIs, parsed leniently and formatted canonically.
//! - [`vault`]: the encrypted vault file and its key in the OS keychain.
//! - [`settings`], [`fs`], [`civil`], [`compare`], [`passphrase`]: what several
//!   features share, in leaves that name none of them (no module imports
//!   another in a ring: `scripts/check-import-rings`).
//!
//! ```
//! use twofold_core::uri::OtpauthUri;
//! // RFC 6238's SHA1 seed, the ASCII "12345678901234567890", in base32.
//! let seed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
//! let uri = OtpauthUri::parse(&format!("otpauth://totp/Example:alice?secret={seed}&digits=8")).unwrap();
//! assert_eq!(uri.otp.code_at(59).value, "94287082"); // RFC 6238, Appendix B
//! ```
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod account;
pub mod app_lock;
pub mod backup;
mod bytes;
pub mod checklist;
pub mod civil;
pub mod clock;
pub mod compare;
pub mod enroll;
pub mod entry;
pub mod formats;
pub mod fs;
pub mod harden;
pub mod icons;
pub mod kit;
pub mod migration;
pub mod otp;
pub mod passphrase;
pub mod phone_export;
pub mod qr;
pub mod recovery;
pub mod replica;
mod same_codes;
pub mod secret;
pub mod settings;
mod sized;
pub mod sync;
pub mod transfer;
pub mod uri;
pub mod vault;

pub use account::{Account, Summary};
pub use entry::{ManualEntry, ManualEntryError};
pub use otp::{Algorithm, Code, Kind, Otp, OtpError, OtpType};
pub use secret::{Secret, SecretError};
pub use uri::{OtpauthUri, UriError};
pub use vault::{Keychain, KeychainError, Unlock, Vault, VaultError};

/// Unix seconds from the system clock, for the thin callers at the edges;
/// everything testable takes the time as a parameter.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}
