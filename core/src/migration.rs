//! Google Authenticator exports: `otpauth-migration://offline?data=…`, a
//! base64 protobuf `MigrationPayload` (declared below with prost),
//! possibly split over a numbered batch of QR codes.
//!
//! What is lost: the format has no period (always 30 s) and no digit
//! counts other than 6 and 8; Google's apps export nothing else.

use base64::Engine;
use percent_encoding::percent_decode_str;
use prost::Message;

use crate::otp::{Algorithm, Kind, Otp, OtpError};
use crate::secret::{Secret, SecretError};
use crate::uri::OtpauthUri;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MigrationError {
    #[error("not a Google Authenticator export (otpauth-migration://)")]
    NotMigration,
    #[error("the export has no data parameter")]
    MissingData,
    #[error("the export's data is damaged (not valid base64)")]
    BadBase64,
    #[error("the export's data is damaged (not a valid payload)")]
    BadPayload,
    #[error("account {index} of the export: {reason}")]
    BadAccount { index: usize, reason: String },
    /// Real exports split a few hundred accounts at most over a handful of
    /// codes; a huge count is a crafted file, refused before anything is
    /// sized by it.
    #[error("the export claims {0} codes, more than any real export")]
    TooManyCodes(i64),
}

/// More codes than this in one export is refused ([`MigrationError::TooManyCodes`]).
pub const MAX_BATCH_SIZE: u32 = 1000;

#[derive(Clone, PartialEq, Message)]
struct MigrationPayload {
    #[prost(message, repeated, tag = "1")]
    otp_parameters: Vec<OtpParameters>,
    #[prost(int32, tag = "2")]
    version: i32,
    #[prost(int32, tag = "3")]
    batch_size: i32,
    #[prost(int32, tag = "4")]
    batch_index: i32,
    #[prost(int32, tag = "5")]
    batch_id: i32,
}

#[derive(Clone, PartialEq, Message)]
struct OtpParameters {
    #[prost(bytes = "vec", tag = "1")]
    secret: Vec<u8>,
    #[prost(string, tag = "2")]
    name: String,
    #[prost(string, tag = "3")]
    issuer: String,
    /// 0 unspecified, 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5.
    #[prost(int32, tag = "4")]
    algorithm: i32,
    /// An enum, not a count: 0 unspecified, 1 six, 2 eight.
    #[prost(int32, tag = "5")]
    digits: i32,
    /// 0 unspecified, 1 HOTP, 2 TOTP.
    #[prost(int32, tag = "6")]
    kind: i32,
    #[prost(int64, tag = "7")]
    counter: i64,
}

/// The decoded message holds the raw seed: clear it when dropped, whichever
/// way decoding ends.
impl Drop for OtpParameters {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.secret);
    }
}

/// Which QR code of a multi-code export this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Batch {
    /// Shared by all codes of one export (0 in some exports).
    pub id: i32,
    /// 0-based position of this code.
    pub index: u32,
    /// Number of codes in the export (at least 1).
    pub size: u32,
}

/// One decoded QR code of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    pub accounts: Vec<OtpauthUri>,
    pub batch: Batch,
}

impl Migration {
    pub fn parse(text: &str) -> Result<Self, MigrationError> {
        let text = text.trim();
        let rest = text
            .get(..20)
            .filter(|head| head.eq_ignore_ascii_case("otpauth-migration://"))
            .map(|_| &text[20..])
            .ok_or(MigrationError::NotMigration)?;
        let query = rest.split_once('?').map(|(_, q)| q).unwrap_or("");
        let data = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("data="))
            .filter(|d| !d.is_empty())
            .ok_or(MigrationError::MissingData)?;
        // Percent-decode only: a literal `+` is base64, not a space (the
        // "plus problem" of some exporters).
        let data = zeroize::Zeroizing::new(
            percent_decode_str(data).filter(|b| !b.is_ascii_whitespace()).collect::<Vec<u8>>(),
        );
        let bytes = zeroize::Zeroizing::new(decode_base64(&data).ok_or(MigrationError::BadBase64)?);
        let payload = MigrationPayload::decode(bytes.as_slice()).map_err(|_| MigrationError::BadPayload)?;
        let accounts = payload
            .otp_parameters
            .iter()
            .enumerate()
            .map(|(index, p)| {
                account(p).map_err(|reason| MigrationError::BadAccount { index: index + 1, reason })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if payload.batch_size > MAX_BATCH_SIZE as i32 {
            return Err(MigrationError::TooManyCodes(i64::from(payload.batch_size)));
        }
        let size = u32::try_from(payload.batch_size).unwrap_or(0).max(1);
        let index = u32::try_from(payload.batch_index).unwrap_or(0).min(size - 1);
        Ok(Self { accounts, batch: Batch { id: payload.batch_id, index, size } })
    }
}

fn decode_base64(data: &[u8]) -> Option<Vec<u8>> {
    let engines = [
        base64::engine::general_purpose::STANDARD,
        base64::engine::general_purpose::STANDARD_NO_PAD,
        base64::engine::general_purpose::URL_SAFE,
        base64::engine::general_purpose::URL_SAFE_NO_PAD,
    ];
    engines.iter().find_map(|engine| engine.decode(data).ok())
}

fn account(p: &OtpParameters) -> Result<OtpauthUri, String> {
    let secret = Secret::from_bytes(p.secret.clone()).map_err(|e: SecretError| e.to_string())?;
    let algorithm = match p.algorithm {
        0 | 1 => Algorithm::Sha1,
        2 => Algorithm::Sha256,
        3 => Algorithm::Sha512,
        4 => return Err("MD5 accounts are not supported".into()),
        other => return Err(format!("unknown algorithm {other}")),
    };
    let digits = match p.digits {
        0 | 1 => 6,
        2 => 8,
        other => return Err(format!("unknown digit count {other}")),
    };
    let kind = match p.kind {
        1 => Kind::Hotp { counter: u64::try_from(p.counter).unwrap_or(0) },
        0 | 2 => Kind::Totp { period: Otp::DEFAULT_PERIOD },
        other => return Err(format!("unknown OTP type {other}")),
    };
    let otp = Otp::new(secret, algorithm, digits, kind).map_err(|e: OtpError| e.to_string())?;
    // Google puts "Issuer:account" in the name; split it when there is no
    // issuer, and drop the redundant prefix when there is.
    let issuer = p.issuer.trim();
    let (issuer, name) = if issuer.is_empty() {
        match p.name.split_once(':') {
            Some((prefix, rest)) => (prefix.trim(), rest.trim()),
            None => ("", p.name.trim()),
        }
    } else {
        // The issuer itself may hold a colon: compare the whole prefix.
        let rest = p.name.trim_start().strip_prefix(issuer).and_then(|r| r.trim_start().strip_prefix(':'));
        (issuer, rest.unwrap_or(&p.name).trim())
    };
    let (issuer, name) = (issuer.to_owned(), name.to_owned());
    Ok(OtpauthUri { issuer, name, otp })
}

/// Encodes accounts as one export code (used by tests and, later, by export).
pub fn encode(accounts: &[OtpauthUri], batch: Batch) -> zeroize::Zeroizing<String> {
    let payload = MigrationPayload {
        otp_parameters: accounts
            .iter()
            .map(|a| OtpParameters {
                secret: a.otp.secret.as_bytes().to_vec(),
                // Readers (this one and Google's) take "issuer:" off the
                // front of a name: a name with a colon of its own is written
                // after its issuer, so reading it back gives it whole.
                name: if a.name.contains(':') { format!("{}:{}", a.issuer, a.name) } else { a.name.clone() },
                issuer: a.issuer.clone(),
                algorithm: match a.otp.algorithm {
                    Algorithm::Sha1 => 1,
                    Algorithm::Sha256 => 2,
                    Algorithm::Sha512 => 3,
                },
                digits: if a.otp.digits == 8 { 2 } else { 1 },
                kind: if matches!(a.otp.kind, Kind::Hotp { .. }) { 1 } else { 2 },
                counter: match a.otp.kind {
                    Kind::Hotp { counter } => i64::try_from(counter).unwrap_or(i64::MAX),
                    _ => 0,
                },
            })
            .collect(),
        version: 1,
        batch_size: i32::try_from(batch.size).unwrap_or(1),
        batch_index: i32::try_from(batch.index).unwrap_or(0),
        batch_id: batch.id,
    };
    let bytes = zeroize::Zeroizing::new(payload.encode_to_vec());
    let data = base64::engine::general_purpose::STANDARD.encode(bytes.as_slice());
    let data = percent_encoding::utf8_percent_encode(&data, percent_encoding::NON_ALPHANUMERIC);
    zeroize::Zeroizing::new(format!("otpauth-migration://offline?data={data}"))
}
