//! One-time passwords: HOTP (RFC 4226), TOTP (RFC 6238) and Steam Guard.
//!
//! The clock is always passed in (`code_at(unix_seconds)`), so codes are
//! pure functions of their inputs and a clock correction is one parameter.
//!
//! Built on RustCrypto's `hmac`/`sha1`/`sha2` rather than `totp-rs`: totp-rs 6
//! panics on 10-digit codes and has no HOTP. The test suite uses totp-rs as an
//! independent cross-check where it does apply.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};

use crate::secret::Secret;

/// Hash function of the HMAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "UPPERCASE")]
pub enum Algorithm {
    #[default]
    Sha1,
    Sha256,
    Sha512,
}

impl Algorithm {
    /// Reads the names real files use: `SHA1`, `sha256`, `SHA-512`, and
    /// `Algorithm.sha1` (an old Ente export bug).
    pub fn from_name(name: &str) -> Option<Self> {
        let value = name.trim().trim_start_matches("Algorithm.").replace('-', "").to_ascii_uppercase();
        match value.as_str() {
            "SHA1" => Some(Algorithm::Sha1),
            "SHA256" => Some(Algorithm::Sha256),
            "SHA512" => Some(Algorithm::Sha512),
            _ => None,
        }
    }

    /// The spelling of otpauth URIs and most export formats.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }
}

/// How the moving factor is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Kind {
    /// Time-based: the counter is `unix_seconds / period`.
    Totp { period: u32 },
    /// Counter-based: advances only when the person asks for the next code.
    Hotp { counter: u64 },
    /// Steam Guard: TOTP with SHA1, 30 s, rendered as 5 characters.
    Steam,
}

impl Kind {
    pub fn otp_type(&self) -> OtpType {
        match self {
            Kind::Totp { .. } => OtpType::Totp,
            Kind::Hotp { .. } => OtpType::Hotp,
            Kind::Steam => OtpType::Steam,
        }
    }
}

/// The type of an account without its parameters: what lists show and the
/// manual-entry form chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum OtpType {
    #[default]
    Totp,
    Hotp,
    Steam,
}

impl OtpType {
    pub fn as_str(self) -> &'static str {
        match self {
            OtpType::Totp => "totp",
            OtpType::Hotp => "hotp",
            OtpType::Steam => "steam",
        }
    }
}

/// Why OTP parameters were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OtpError {
    #[error("digits must be between {min} and {max}", min = Otp::MIN_DIGITS, max = Otp::MAX_DIGITS)]
    Digits,
    #[error("period must be a whole number of seconds greater than zero")]
    Period,
}

/// Everything needed to compute codes for one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Otp {
    pub secret: Secret,
    pub algorithm: Algorithm,
    pub digits: u8,
    #[serde(flatten)]
    pub kind: Kind,
}

/// A code and how long it stays valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub value: String,
    /// Seconds until the code changes; `None` for HOTP, which never expires.
    pub seconds_left: Option<u32>,
    /// The length of a period in seconds (`None` for HOTP).
    pub period: Option<u32>,
}

const STEAM_ALPHABET: &[u8; 26] = b"23456789BCDFGHJKMNPQRTVWXY";

impl Otp {
    pub const DEFAULT_DIGITS: u8 = 6;
    pub const DEFAULT_PERIOD: u32 = 30;
    pub const MIN_DIGITS: u8 = 6;
    pub const MAX_DIGITS: u8 = 10;
    pub const STEAM_DIGITS: u8 = 5;
    pub const STEAM_PERIOD: u32 = 30;

    /// Checks parameters; Steam's fixed parameters are forced.
    pub fn new(secret: Secret, algorithm: Algorithm, digits: u8, kind: Kind) -> Result<Self, OtpError> {
        if kind == Kind::Steam {
            return Ok(Self::steam(secret));
        }
        if !(Self::MIN_DIGITS..=Self::MAX_DIGITS).contains(&digits) {
            return Err(OtpError::Digits);
        }
        if let Kind::Totp { period: 0 } = kind {
            return Err(OtpError::Period);
        }
        Ok(Self { secret, algorithm, digits, kind })
    }

    pub fn steam(secret: Secret) -> Self {
        Self { secret, algorithm: Algorithm::Sha1, digits: Self::STEAM_DIGITS, kind: Kind::Steam }
    }

    /// The period of time-based kinds.
    pub fn period(&self) -> Option<u32> {
        match self.kind {
            Kind::Totp { period } => Some(period),
            Kind::Steam => Some(Self::STEAM_PERIOD),
            Kind::Hotp { .. } => None,
        }
    }

    /// The code valid at `unix_seconds` (HOTP ignores the time).
    pub fn code_at(&self, unix_seconds: u64) -> Code {
        let (counter, seconds_left, period) = match self.period() {
            Some(period) => {
                let period64 = u64::from(period);
                let left = period64 - unix_seconds % period64;
                // `left` is in 1..=period, so it fits the u32 period came from.
                (unix_seconds / period64, u32::try_from(left).ok(), Some(period))
            }
            None => match self.kind {
                Kind::Hotp { counter } => (counter, None, None),
                _ => unreachable!("only HOTP has no period"),
            },
        };
        let value = truncated_hmac(self.algorithm, self.secret.as_bytes(), counter);
        let value = match self.kind {
            Kind::Steam => steam_chars(value),
            _ => decimal(value, self.digits),
        };
        Code { value, seconds_left, period }
    }

    /// The code that follows the one valid at `unix_seconds`: the next
    /// period's, for a code about to expire while it is typed. `None` for
    /// HOTP, whose next code needs the counter advanced (and saved).
    pub fn next_code_at(&self, unix_seconds: u64) -> Option<Code> {
        let left = self.code_at(unix_seconds).seconds_left?;
        Some(self.code_at(unix_seconds.saturating_add(u64::from(left))))
    }

    /// True when both compute the same codes: same key and parameters.
    /// This is what "already in the vault" means.
    pub fn same_codes_as(&self, other: &Otp) -> bool {
        let kind_matches = match (self.kind, other.kind) {
            (Kind::Hotp { .. }, Kind::Hotp { .. }) => true,
            (a, b) => a == b,
        };
        kind_matches
            && self.algorithm == other.algorithm
            && self.digits == other.digits
            && self.secret == other.secret
    }
}

/// HMAC over the big-endian counter, dynamically truncated to 31 bits
/// (RFC 4226 §5.3).
fn truncated_hmac(algorithm: Algorithm, key: &[u8], counter: u64) -> u32 {
    fn mac<M: Mac + hmac::digest::KeyInit>(key: &[u8], counter: u64) -> Vec<u8> {
        let mut mac =
            <M as hmac::digest::KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length");
        mac.update(&counter.to_be_bytes());
        mac.finalize().into_bytes().to_vec()
    }
    let digest = match algorithm {
        Algorithm::Sha1 => mac::<Hmac<sha1::Sha1>>(key, counter),
        Algorithm::Sha256 => mac::<Hmac<sha2::Sha256>>(key, counter),
        Algorithm::Sha512 => mac::<Hmac<sha2::Sha512>>(key, counter),
    };
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let bytes = [digest[offset], digest[offset + 1], digest[offset + 2], digest[offset + 3]];
    u32::from_be_bytes(bytes) & 0x7fff_ffff
}

fn decimal(value: u32, digits: u8) -> String {
    // u64: 10^10 does not fit a u32, and 10-digit codes are allowed.
    let modulus = 10u64.pow(u32::from(digits));
    format!("{:0width$}", u64::from(value) % modulus, width = usize::from(digits))
}

fn steam_chars(mut value: u32) -> String {
    (0..Otp::STEAM_DIGITS)
        .map(|_| {
            let c = STEAM_ALPHABET[(value % 26) as usize];
            value /= 26;
            char::from(c)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(bytes: &[u8]) -> Secret {
        Secret::from_bytes(bytes.to_vec()).expect("non-empty")
    }

    /// Issue 24: the next code is the following period's, checked against
    /// RFC 6238's published table (SHA1, 8 digits): T = 1111111109 is the
    /// last second of a period, and the next period's code is the one the
    /// table gives for T = 1111111111.
    #[test]
    fn issue_24_the_next_code_is_the_following_periods() {
        let otp = Otp::new(secret(b"12345678901234567890"), Algorithm::Sha1, 8, Kind::Totp { period: 30 })
            .expect("valid");
        assert_eq!(otp.code_at(1_111_111_109).value, "07081804");
        assert_eq!(otp.next_code_at(1_111_111_109).map(|c| c.value).as_deref(), Some("14050471"));
        assert_eq!(otp.next_code_at(1_111_111_110).map(|c| c.value), Some(otp.code_at(1_111_111_140).value));
        let hotp = Otp::new(secret(b"12345678901234567890"), Algorithm::Sha1, 6, Kind::Hotp { counter: 0 })
            .expect("valid");
        assert!(hotp.next_code_at(5).is_none());
    }

    #[test]
    fn ten_digit_codes_do_not_overflow() {
        let otp = Otp::new(secret(b"12345678901234567890"), Algorithm::Sha1, 10, Kind::Totp { period: 30 })
            .expect("valid");
        let code = otp.code_at(59);
        assert_eq!(code.value.len(), 10);
        // RFC 6238's 8-digit value 94287082 is the low digits of the same number.
        assert!(code.value.ends_with("94287082"), "{}", code.value);
    }

    #[test]
    fn seconds_left_counts_down_to_one() {
        let otp = Otp::new(secret(b"k"), Algorithm::Sha1, 6, Kind::Totp { period: 30 }).expect("valid");
        assert_eq!(otp.code_at(0).seconds_left, Some(30));
        assert_eq!(otp.code_at(29).seconds_left, Some(1));
        assert_eq!(otp.code_at(30).seconds_left, Some(30));
        assert_eq!(otp.code_at(0).value, otp.code_at(29).value);
    }

    #[test]
    fn hotp_ignores_time() {
        let otp = Otp::new(secret(b"12345678901234567890"), Algorithm::Sha1, 6, Kind::Hotp { counter: 1 })
            .expect("valid");
        assert_eq!(otp.code_at(0).value, "287082");
        assert_eq!(otp.code_at(1_000_000).value, "287082");
        assert_eq!(otp.code_at(0).seconds_left, None);
    }

    #[test]
    fn steam_forces_its_parameters() {
        let otp = Otp::new(secret(b"k"), Algorithm::Sha512, 8, Kind::Steam).expect("valid");
        assert_eq!((otp.algorithm, otp.digits, otp.period()), (Algorithm::Sha1, 5, Some(30)));
        let code = otp.code_at(1_700_000_000).value;
        assert_eq!(code.len(), 5);
        assert!(code.bytes().all(|c| STEAM_ALPHABET.contains(&c)), "{code}");
    }

    #[test]
    fn rejects_bad_parameters() {
        let kind = Kind::Totp { period: 30 };
        assert_eq!(Otp::new(secret(b"k"), Algorithm::Sha1, 5, kind), Err(OtpError::Digits));
        assert_eq!(Otp::new(secret(b"k"), Algorithm::Sha1, 11, kind), Err(OtpError::Digits));
        assert_eq!(
            Otp::new(secret(b"k"), Algorithm::Sha1, 6, Kind::Totp { period: 0 }),
            Err(OtpError::Period)
        );
    }

    #[test]
    fn duplicates_ignore_the_hotp_counter_but_not_the_key() {
        let a = Otp::new(secret(b"k"), Algorithm::Sha1, 6, Kind::Hotp { counter: 1 }).expect("valid");
        let b = Otp::new(secret(b"k"), Algorithm::Sha1, 6, Kind::Hotp { counter: 9 }).expect("valid");
        let c = Otp::new(secret(b"j"), Algorithm::Sha1, 6, Kind::Hotp { counter: 1 }).expect("valid");
        assert!(a.same_codes_as(&b));
        assert!(!a.same_codes_as(&c));
    }
}
