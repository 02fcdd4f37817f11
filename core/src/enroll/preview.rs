//! What was collected as the preview shows it: live codes, the accounts the
//! vault already has flagged, never a secret; and the person's choice of
//! what to add.

use serde::Serialize;

use super::{BatchProgress, Collected, FileRepeat, Problem};
use crate::account::{Account, Summary};
use crate::same_codes::SameCodes;

/// One found account as the preview shows it: never the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviewAccount {
    #[serde(flatten)]
    pub summary: Summary,
    /// The vault account that already computes these codes; it is skipped.
    pub duplicate_of: Option<String>,
    /// Whether confirming adds it (every new account, until left out).
    pub chosen: bool,
}

/// What the person confirms before anything is saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preview {
    pub accounts: Vec<PreviewAccount>,
    pub batches: Vec<BatchProgress>,
    /// Emergency kits being gathered: parts found and missing, and whether
    /// each was opened (see `crate::kit`).
    pub kits: Vec<crate::kit::KitProgress>,
    pub problems: Vec<Problem>,
    pub repeats: usize,
    /// Which accounts were repeated inside which file (counted in `repeats`).
    pub file_repeats: Vec<FileRepeat>,
    /// Accounts that confirming would add.
    pub new_count: usize,
}

impl Collected {
    /// The preview at `now`, with accounts already in `existing` flagged.
    pub fn preview(&self, existing: &[Account], now: u64) -> Preview {
        let same = SameCodes::new(existing);
        let accounts: Vec<PreviewAccount> = self
            .accounts
            .iter()
            .enumerate()
            .map(|(i, account)| {
                let duplicate_of = same.find(existing, &account.otp).map(|i| existing[i].display_name());
                let chosen = duplicate_of.is_none() && !self.left_out.contains(&i);
                PreviewAccount { summary: account.summary_at(now), duplicate_of, chosen }
            })
            .collect();
        let new_count = accounts.iter().filter(|a| a.chosen).count();
        Preview {
            accounts,
            batches: self.batches.clone(),
            kits: self.kits.clone(),
            problems: self.problems.clone(),
            repeats: self.repeats,
            file_repeats: self.file_repeats.clone(),
            new_count,
        }
    }

    /// Leaves the account at `index` (its place in the preview) out of
    /// what confirming adds, or puts it back. An index past the end changes
    /// nothing: the page's list may be older than a new scan.
    pub fn choose(&mut self, index: usize, chosen: bool) {
        if index >= self.accounts.len() {
            return;
        }
        if chosen {
            self.left_out.remove(&index);
        } else {
            self.left_out.insert(index);
        }
    }

    /// The accounts to add, without those left out; the vault skips any
    /// that are already there. Accounts keep their own creation time when
    /// the source had one.
    pub fn to_accounts(&self, created: u64) -> Vec<Account> {
        self.accounts
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.left_out.contains(i))
            .map(|(_, a)| {
                let mut a = a.clone();
                if a.created == 0 {
                    a.created = created;
                }
                a
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enroll::{KEY_A, KEY_B, KEY_C};
    use crate::OtpauthUri;

    #[test]
    fn preview_flags_what_the_vault_already_has_and_shows_no_secret() {
        let mut c = Collected::default();
        c.add_texts(
            "x.png",
            &[format!("otpauth://totp/A:a?secret={KEY_A}"), format!("otpauth://totp/B:b?secret={KEY_B}")],
        );
        let existing = vec![Account::from_uri(
            OtpauthUri::parse("otpauth://totp/Old:a?secret=jbswy3dpehpk3pxp").expect("valid"),
            0,
        )];
        let preview = c.preview(&existing, 59);
        assert_eq!(preview.accounts[0].duplicate_of.as_deref(), Some("Old (a)"));
        assert_eq!(preview.accounts[1].duplicate_of, None);
        assert_eq!(preview.new_count, 1);
        let json = serde_json::to_string(&preview).expect("serializes");
        assert!(!json.contains("JBSWY3DP") && !json.contains("GEZDGNBV"), "{json}");
        // The live code itself, not just a field named "code".
        let live = c.accounts[1].otp.code_at(59).value;
        assert_eq!(preview.accounts[1].summary.code, live);
        assert!(json.contains(&format!("\"code\":\"{live}\"")), "{json}");
    }

    fn three() -> Collected {
        let mut c = Collected::default();
        c.add_texts(
            "x.png",
            &[
                format!("otpauth://totp/A:a?secret={KEY_A}"),
                format!("otpauth://totp/B:b?secret={KEY_B}"),
                format!("otpauth://totp/C:c?secret={KEY_C}"),
            ],
        );
        c
    }

    #[test]
    fn an_account_left_out_is_not_added_and_can_be_put_back() {
        let mut c = three();
        c.choose(1, false);
        let preview = c.preview(&[], 59);
        let chosen: Vec<bool> = preview.accounts.iter().map(|a| a.chosen).collect();
        assert_eq!((chosen, preview.new_count), (vec![true, false, true], 2));
        let names: Vec<String> = c.to_accounts(1).iter().map(|a| a.issuer.clone()).collect();
        assert_eq!(names, ["A", "C"]);
        c.choose(1, true);
        assert_eq!(c.to_accounts(1).len(), 3);
        assert_eq!(c.preview(&[], 59).new_count, 3);
    }

    #[test]
    fn a_duplicate_is_never_chosen_and_a_stale_index_changes_nothing() {
        let mut c = three();
        let existing = vec![c.accounts[0].clone()];
        c.choose(99, false);
        let preview = c.preview(&existing, 59);
        assert!(!preview.accounts[0].chosen, "already in the vault");
        assert_eq!(preview.new_count, 2);
        assert_eq!(c.to_accounts(1).len(), 3, "the vault skips the duplicate itself");
    }
}
