//! The Battle.net app's authenticator settings
//! (`com.blizzard.messenger.authenticator_preferences.xml`): one
//! authenticator whose serial and hex secret are XOR-masked with a key
//! fixed in the app. Codes are 8 digits, SHA1, 30 s. Lost: the region and
//! the server time offset (Twofold keeps its own clock).

use zeroize::Zeroizing;

use super::android_prefs::{self, Pref};
use super::{EntryProblem, FormatError, Imported};
use crate::account::Account;
use crate::otp::{Algorithm, Kind, Otp};
use crate::secret::Secret;

const SECRET: &str = "com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET";
const SERIAL: &str = "com.blizzard.messenger.AUTHENTICATOR_SERIAL";
const ENCRYPTION: &str = "com.blizzard.messenger.AUTHENTICATOR_CREDENTIALS_ENCRYPTION_TYPE";
const ISSUER: &str = "Battle.net";
const DIGITS: u8 = 8;

/// The app's mask (published by the apps that read these files).
const MASK: [u8; 57] = [
    0x39, 0x8e, 0x27, 0xfc, 0x50, 0x27, 0x6a, 0x65, 0x60, 0x65, 0xb0, 0xe5, 0x25, 0xf4, 0xc0, 0x6c, 0x04,
    0xc6, 0x10, 0x75, 0x28, 0x6b, 0x8e, 0x7a, 0xed, 0xa5, 0x9d, 0xa9, 0x81, 0x3b, 0x5d, 0xd6, 0xc8, 0x0d,
    0x2f, 0xb3, 0x80, 0x68, 0x77, 0x3f, 0xa5, 0x9b, 0xa4, 0x7c, 0x17, 0xca, 0x6c, 0x64, 0x79, 0x01, 0x5c,
    0x1d, 0x5b, 0x8b, 0x8f, 0x6b, 0x9a,
];

pub fn detect(prefs: &[Pref]) -> bool {
    android_prefs::string(prefs, SECRET).is_some()
}

pub fn read(prefs: &[Pref]) -> Result<Imported, FormatError> {
    let serial =
        android_prefs::string(prefs, SERIAL).and_then(unmask).map(|s| s.to_string()).unwrap_or_default();
    let masked = android_prefs::string(prefs, SECRET).ok_or(FormatError::Unrecognized)?;
    // Newer app versions may keep the credentials encrypted in the
    // device's keystore instead: those cannot be read off the device.
    let masked_kind = android_prefs::string(prefs, ENCRYPTION).is_none_or(|k| k == "MASK");
    let entries = [(serial, masked)];
    Ok(Imported::from_entries(
        &entries,
        |(serial, _)| (ISSUER, serial.as_str()),
        |(serial, masked)| {
            if !masked_kind {
                return Err(EntryProblem::Undecryptable);
            }
            let hex = unmask(masked).ok_or(EntryProblem::Damaged)?;
            let bytes = data_encoding::HEXLOWER_PERMISSIVE
                .decode(hex.as_bytes())
                .map_err(|_| EntryProblem::Damaged)?;
            let otp =
                Otp::new(Secret::from_bytes(bytes)?, Algorithm::Sha1, DIGITS, Kind::Totp { period: 30 })?;
            Ok(Account::new(ISSUER, serial.as_str(), otp, 0))
        },
    ))
}

/// The masked hex as the text it hides; `None` if it is not hex, longer
/// than the mask, or not text.
fn unmask(masked: &str) -> Option<Zeroizing<String>> {
    let bytes = Zeroizing::new(data_encoding::HEXLOWER_PERMISSIVE.decode(masked.trim().as_bytes()).ok()?);
    if bytes.len() > MASK.len() {
        return None;
    }
    let plain: Zeroizing<Vec<u8>> = Zeroizing::new(bytes.iter().zip(MASK).map(|(b, m)| b ^ m).collect());
    let text = std::str::from_utf8(&plain).ok()?;
    text.chars().all(|c| c.is_ascii_graphic()).then(|| Zeroizing::new(text.to_owned()))
}
