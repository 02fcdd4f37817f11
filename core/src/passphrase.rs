//! The one rule for a passphrase Twofold asks for: a passphrase vault's,
//! a transfer bundle's and the automatic backups'. The window sends
//! [`MIN_PASSPHRASE_CHARS`] to the page, so the page never keeps a second
//! copy of the rule.
//!
//! The app lock's passphrase is not one of these: it guards the window only,
//! and `app_lock` has a rule of its own.

/// Shorter passphrases are refused, counted in characters (not bytes, not
/// UTF-16 units).
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// A passphrase shorter than [`MIN_PASSPHRASE_CHARS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the passphrase must be at least {MIN_PASSPHRASE_CHARS} characters long")]
pub struct WeakPassphrase;

/// Refuses a passphrase too short to protect every account.
pub fn check(passphrase: &str) -> Result<(), WeakPassphrase> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(WeakPassphrase);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_count_not_bytes() {
        assert_eq!(check("1234567"), Err(WeakPassphrase));
        assert_eq!(check("12345678"), Ok(()));
        // Eight characters, 24 bytes in UTF-8.
        assert_eq!(check("パスフレーズです"), Ok(()));
        assert_eq!(check("パスフレーズ"), Err(WeakPassphrase));
    }
}
