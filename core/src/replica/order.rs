//! The list's order as a position per account, so that a move on one
//! computer and a move on another both survive: each account carries a
//! sortable key, and a move rewrites only the keys of the accounts moved.

use uuid::Uuid;

/// The gap left between keys when they are handed out afresh.
const SPACING: u64 = 1 << 20;

/// New keys for `local` (the order this computer shows) given each
/// account's current key (`None`: new here). The accounts already in
/// increasing order (the longest such run) keep their keys; the others get
/// keys between their neighbours, or every account a fresh key where there
/// is no room. Returns only the keys that change.
pub fn rekey(local: &[(Uuid, Option<u64>)]) -> Vec<(Uuid, u64)> {
    let keep = longest_increasing(local);
    let mut changes = Vec::new();
    let mut i = 0;
    while i < local.len() {
        if keep[i] {
            i += 1;
            continue;
        }
        // A run of accounts to place between the kept neighbours.
        let start = i;
        while i < local.len() && !keep[i] {
            i += 1;
        }
        let low = start.checked_sub(1).and_then(|j| local[j].1).unwrap_or(0);
        let high = local.get(i).and_then(|(_, key)| *key).unwrap_or(u64::MAX);
        let count = (i - start) as u64;
        let step = high.saturating_sub(low) / (count + 1);
        if step == 0 {
            return fresh(local);
        }
        for (k, (id, _)) in local[start..i].iter().enumerate() {
            changes.push((*id, low + step * (k as u64 + 1)));
        }
    }
    changes
}

/// Every account a fresh key, in `local`'s order.
fn fresh(local: &[(Uuid, Option<u64>)]) -> Vec<(Uuid, u64)> {
    local.iter().enumerate().map(|(i, (id, _))| (*id, SPACING * (i as u64 + 1))).collect()
}

/// Which entries lie on one longest strictly increasing run of (key, id),
/// the order the list is shown in (patience sorting, O(n log n)); entries
/// without a key never do. Two accounts can share a key (given the same
/// one on two computers at once): the id then orders them, everywhere.
fn longest_increasing(local: &[(Uuid, Option<u64>)]) -> Vec<bool> {
    let mut tails: Vec<usize> = Vec::new();
    let mut previous = vec![usize::MAX; local.len()];
    for (i, (_, key)) in local.iter().enumerate() {
        let Some(key) = *key else { continue };
        let at = tails.partition_point(|&t| (local[t].1, local[t].0) < (Some(key), local[i].0));
        if at > 0 {
            previous[i] = tails[at - 1];
        }
        if at == tails.len() {
            tails.push(i);
        } else {
            tails[at] = i;
        }
    }
    let mut keep = vec![false; local.len()];
    let mut at = tails.last().copied();
    while let Some(i) = at {
        keep[i] = true;
        at = (previous[i] != usize::MAX).then_some(previous[i]);
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<Uuid> {
        (0..n).map(|i| Uuid::from_u128(i as u128 + 1)).collect()
    }

    fn apply(local: &[(Uuid, Option<u64>)]) -> Vec<u64> {
        let changes = rekey(local);
        local
            .iter()
            .map(|(id, key)| changes.iter().find(|(c, _)| c == id).map(|(_, k)| *k).or(*key).expect("keyed"))
            .collect()
    }

    #[test]
    fn a_move_rewrites_one_key_and_the_order_holds() {
        let id = ids(4);
        let local = vec![(id[0], Some(10)), (id[3], Some(40)), (id[1], Some(20)), (id[2], Some(30))];
        let changes = rekey(&local);
        assert_eq!(changes.len(), 1, "{changes:?}");
        let keys = apply(&local);
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
    }

    #[test]
    fn new_accounts_get_keys_and_no_room_means_fresh_keys() {
        let id = ids(3);
        let keys = apply(&[(id[0], None), (id[1], None), (id[2], None)]);
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
        let crowded = [(id[0], Some(5)), (id[1], None), (id[2], Some(6))];
        assert_eq!(rekey(&crowded).len(), 3);
        let keys = apply(&crowded);
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
    }
}
