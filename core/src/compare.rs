//! Comparing two sets of accounts: a bundle or a backup read back from disk
//! against the vault. Transfer, backups and the window's restore-point view
//! all ask the same question, so it has one answer, here.

use serde::Serialize;

use crate::account::Account;

/// How a bundle compares with the vault.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// Accounts in the vault.
    pub total: usize,
    /// Vault accounts present in the bundle with every field and code equal.
    pub matching: usize,
    /// In the vault, not in the bundle.
    pub missing: Vec<String>,
    /// In both, but something differs (name, parameters, notes, codes…).
    pub different: Vec<String>,
    /// In the bundle only.
    pub extra: Vec<String>,
    /// Everything in the vault is in the bundle, unchanged: the old machine
    /// can be wiped.
    pub complete: bool,
}

/// Compares every vault account with the bundle: same id, same fields, and
/// the same code at `now`.
pub fn verify(bundle: &[Account], vault: &[Account], now: u64) -> Verification {
    let mut report = Verification { total: vault.len(), ..Verification::default() };
    for account in vault {
        let found = bundle
            .iter()
            .find(|b| b.id == account.id)
            .or_else(|| bundle.iter().find(|b| b.otp.same_codes_as(&account.otp)));
        match found {
            None => report.missing.push(account.display_name()),
            Some(b) if same(b, account, now) => report.matching += 1,
            Some(_) => report.different.push(account.display_name()),
        }
    }
    for b in bundle {
        if !vault.iter().any(|a| a.id == b.id || a.otp.same_codes_as(&b.otp)) {
            report.extra.push(b.display_name());
        }
    }
    report.complete =
        report.matching == report.total && report.missing.is_empty() && report.different.is_empty();
    report
}

/// Whether two accounts agree in every field kept (names, parameters, notes,
/// tags, recovery codes, other ways in) and give the same code at `now`.
pub fn same(a: &Account, b: &Account, now: u64) -> bool {
    a.issuer == b.issuer
        && a.name == b.name
        && a.otp == b.otp
        && a.notes == b.notes
        && a.tags == b.tags
        && a.recovery_codes == b.recovery_codes
        && a.other_ways == b.other_ways
        && a.otp.code_at(now) == b.otp.code_at(now)
}
