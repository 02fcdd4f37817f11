//! The vault as a list shows it: the order, the pinned accounts first, the
//! tag filter, and the tags in use (for the filter chips).

use super::Vault;
use crate::account::{same_tag, Account};
use crate::settings::ListOrder;
use crate::Summary;

impl Vault {
    /// The list as shown (window and CLI): pinned accounts first, each
    /// group in the vault's order; with `tag`, only accounts with that tag
    /// (ignoring case).
    pub fn listing(&self, now: u64, tag: Option<&str>) -> Vec<Summary> {
        let tagged = |a: &&Account| tag.is_none_or(|tag| a.tags.iter().any(|t| same_tag(t, tag)));
        let mut shown: Vec<&Account> = self.accounts.iter().filter(tagged).collect();
        // Stable sorts: ties keep the person's own order.
        match self.meta.list_order {
            ListOrder::Manual => {}
            ListOrder::Name => shown.sort_by_cached_key(|a| (a.issuer.to_lowercase(), a.name.to_lowercase())),
            ListOrder::Recent => shown.sort_by_key(|a| std::cmp::Reverse(a.last_used)),
        }
        shown.sort_by_key(|a| !a.pinned);
        shown.into_iter().map(|a| a.summary_at(now)).collect()
    }

    /// Every tag in use, sorted, each once (for the filter chips).
    pub fn tags(&self) -> Vec<String> {
        let mut tags: Vec<String> = self.accounts.iter().flat_map(|a| a.tags.iter().cloned()).collect();
        tags.sort_by_key(|t| t.to_lowercase());
        tags.dedup_by(|a, b| same_tag(a, b));
        tags
    }
}
