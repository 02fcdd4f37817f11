//! Adding an account by hand: the fields of the "enter a key" form.

use serde::Deserialize;

use crate::account::Account;
use crate::otp::{Algorithm, Kind, Otp, OtpError, OtpType};
use crate::secret::{Secret, SecretError};

/// The form as typed. Optional fields fall back to the usual defaults.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ManualEntry {
    pub issuer: String,
    pub name: String,
    pub secret: zeroize::Zeroizing<String>,
    pub kind: OtpType,
    pub algorithm: Option<Algorithm>,
    pub digits: Option<u8>,
    pub period: Option<u32>,
    pub counter: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManualEntryError {
    #[error("enter an issuer or an account name")]
    NoName,
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error(transparent)]
    Otp(#[from] OtpError),
}

impl ManualEntry {
    pub fn into_account(self, created: u64) -> Result<Account, ManualEntryError> {
        let (issuer, name) = (self.issuer.trim(), self.name.trim());
        if issuer.is_empty() && name.is_empty() {
            return Err(ManualEntryError::NoName);
        }
        let secret = Secret::from_base32(&self.secret)?;
        let kind = match self.kind {
            OtpType::Totp => Kind::Totp { period: self.period.unwrap_or(Otp::DEFAULT_PERIOD) },
            OtpType::Hotp => Kind::Hotp { counter: self.counter.unwrap_or(0) },
            OtpType::Steam => Kind::Steam,
        };
        let otp = Otp::new(
            secret,
            self.algorithm.unwrap_or_default(),
            self.digits.unwrap_or(Otp::DEFAULT_DIGITS),
            kind,
        )?;
        Ok(Account::new(issuer, name, otp, created))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(secret: &str) -> ManualEntry {
        ManualEntry { issuer: " Example ".into(), secret: secret.to_owned().into(), ..Default::default() }
    }

    #[test]
    fn defaults_make_a_standard_totp() {
        let account = entry("jbsw y3dp ehpk 3pxp").into_account(5).expect("valid");
        assert_eq!(account.issuer, "Example");
        assert_eq!((account.otp.digits, account.otp.kind), (6, Kind::Totp { period: 30 }));
        assert_eq!(account.created, 5);
    }

    #[test]
    fn each_mistake_is_named() {
        assert_eq!(
            entry("not base32!").into_account(0).err(),
            Some(ManualEntryError::Secret(SecretError::NotBase32))
        );
        assert_eq!(entry("").into_account(0).err(), Some(ManualEntryError::Secret(SecretError::Empty)));
        let nameless = ManualEntry { secret: "JBSWY3DP".to_owned().into(), ..Default::default() };
        assert_eq!(nameless.into_account(0).err(), Some(ManualEntryError::NoName));
        let mut digits = entry("JBSWY3DP");
        digits.digits = Some(12);
        assert_eq!(digits.into_account(0).err(), Some(ManualEntryError::Otp(OtpError::Digits)));
    }

    #[test]
    fn hotp_starts_at_the_given_counter() {
        let mut e = entry("JBSWY3DP");
        e.kind = OtpType::Hotp;
        e.counter = Some(3);
        assert_eq!(e.into_account(0).expect("valid").otp.kind, Kind::Hotp { counter: 3 });
    }
}
