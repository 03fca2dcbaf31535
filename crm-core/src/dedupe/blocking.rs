//! Blocking: which pairs of records are compared at all.
//!
//! Comparing every pair of a book of 100,000 leads is five billion comparisons. Only records
//! that share a key are compared: the same CPF/CNPJ, portal lead id, e-mail key or phone, or
//! the same name block (see [`name_block_keys`]). A block no larger than its limit
//! ([`BlockingConfig::max_block`], [`BlockingConfig::max_name_block`]) is compared pair by
//! pair; a larger one is sorted and each record is compared with its next `window − 1`
//! neighbours only (the sorted-neighbourhood method), so every record takes part in at most
//! `keys × max(limit, window)` comparisons and the total grows linearly with the book.

use super::compare::Prepared;
use super::config::BlockingConfig;
use crate::domain::LeadId;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// The kind of key a block shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// The same valid CPF or CNPJ.
    Document,
    /// The same portal and portal lead id.
    PortalId,
    /// The same e-mail match key.
    Email,
    /// The same phone in E.164.
    Phone,
    /// The same name block key.
    Name,
}

/// A block larger than its limit, compared by sorted neighbourhood instead of pair by pair:
/// often a placeholder value (a phone typed into every walk-in lead) worth cleaning up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OversizedBlock {
    /// Which key.
    pub kind: BlockKind,
    /// The shared normalised value (for a portal: `portal` and id joined by a space).
    pub key: String,
    /// How many records share it.
    pub size: usize,
}

/// The name block keys of a name's tokens: the unordered pair of its first and last tokens
/// as written, and the unordered pair of the first and last tokens in sorted order (one key
/// when both are the same, the token itself for a one-token name, none for no token).
///
/// The first catches "Maria Silva" against "Maria José da Silva" (a middle name left out);
/// the second catches "Silva Maria José" against "Maria José Silva" (reordered).
///
/// ```
/// use crm_core::dedupe::{name_block_keys, name_tokens};
/// assert_eq!(name_block_keys(&name_tokens("Maria José da Silva")), ["maria silva", "jose silva"]);
/// assert_eq!(name_block_keys(&name_tokens("Silva Maria José")), ["jose silva"]);
/// assert_eq!(name_block_keys(&name_tokens("Maria Silva")), ["maria silva"]);
/// assert_eq!(name_block_keys(&name_tokens("Cher")), ["cher"]);
/// ```
pub fn name_block_keys(tokens: &[String]) -> Vec<String> {
    let unordered = |a: &str, b: &str| -> String {
        if a == b {
            a.to_owned()
        } else if a < b {
            format!("{a} {b}")
        } else {
            format!("{b} {a}")
        }
    };
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
        return Vec::new();
    };
    let written = unordered(first, last);
    let mut keys = vec![written];
    let lowest = tokens.iter().min();
    let highest = tokens.iter().max();
    if let (Some(lo), Some(hi)) = (lowest, highest) {
        let sorted = unordered(lo, hi);
        if !keys.contains(&sorted) {
            keys.push(sorted);
        }
    }
    keys
}

/// The candidate pairs `(i, j)` with `i < j`, sorted and without repeats, and the blocks that
/// were too large to compare pair by pair.
pub(crate) struct Candidates {
    pub pairs: Vec<(usize, usize)>,
    pub oversized: Vec<OversizedBlock>,
}

/// Builds the candidate pairs of `records` (with `ids[i]` the id of record `i`).
pub(crate) fn candidate_pairs(
    records: &[Prepared],
    ids: &[LeadId],
    config: &BlockingConfig,
) -> Candidates {
    // Keys that are not a field as is: the portal (portal + id) and the name blocks.
    let composite: Vec<Vec<(BlockKind, String)>> = records
        .iter()
        .map(|r| {
            let mut keys: Vec<(BlockKind, String)> = name_block_keys(&r.keys.name)
                .into_iter()
                .map(|k| (BlockKind::Name, k))
                .collect();
            if let Some(p) = &r.keys.portal {
                keys.push((
                    BlockKind::PortalId,
                    format!("{} {}", p.portal, p.external_id),
                ));
            }
            keys
        })
        .collect();

    // (kind, hash of the key, key, record): sorting compares the hashes first, so whole
    // strings are compared only within a block. The hasher has fixed keys: deterministic.
    let hash = |s: &str| {
        let mut h = DefaultHasher::new();
        s.hash(&mut h);
        h.finish()
    };
    let mut entries: Vec<(BlockKind, u64, &str, usize)> = Vec::with_capacity(records.len() * 5);
    for (i, (r, extra)) in records.iter().zip(&composite).enumerate() {
        if let Some(d) = &r.keys.document {
            entries.push((BlockKind::Document, hash(d.as_str()), d.as_str(), i));
        }
        if let Some(e) = &r.keys.email {
            entries.push((BlockKind::Email, hash(e), e.as_str(), i));
        }
        if let Some(p) = &r.keys.phone {
            entries.push((BlockKind::Phone, hash(p), p.as_str(), i));
        }
        for (kind, key) in extra {
            entries.push((*kind, hash(key), key.as_str(), i));
        }
    }
    entries.sort_unstable();

    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut oversized = Vec::new();
    let mut rank: Option<Vec<usize>> = None;
    let mut members: Vec<usize> = Vec::new();
    let mut rest: &[(BlockKind, u64, &str, usize)] = &entries;
    while let Some(&(kind, h, key, _)) = rest.first() {
        let size = rest
            .iter()
            .position(|&(k, g, v, _)| k != kind || g != h || v != key)
            .unwrap_or(rest.len());
        let (block, tail) = rest.split_at(size);
        rest = tail;
        if size < 2 {
            continue;
        }
        members.clear();
        members.extend(block.iter().map(|&(_, _, _, i)| i));
        let limit = if kind == BlockKind::Name {
            config.max_name_block
        } else {
            config.max_block
        };
        if size <= limit {
            for (n, &a) in members.iter().enumerate() {
                for &b in members.iter().skip(n + 1) {
                    pairs.push((a.min(b), a.max(b)));
                }
            }
        } else {
            oversized.push(OversizedBlock {
                kind,
                key: key.to_owned(),
                size,
            });
            let rank = rank.get_or_insert_with(|| neighbourhood_rank(records, ids));
            members.sort_unstable_by_key(|&i| rank.get(i).copied().unwrap_or(usize::MAX));
            let window = config.window.max(1);
            for (n, &a) in members.iter().enumerate() {
                for &b in members.iter().skip(n + 1).take(window - 1) {
                    pairs.push((a.min(b), a.max(b)));
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    oversized.sort_unstable_by(|x, y| (x.kind, &x.key).cmp(&(y.kind, &y.key)));
    Candidates { pairs, oversized }
}

/// Each record's position in the sorted-neighbourhood order: by sorted name, phone (a typo
/// near the end of a number keeps it next to the right one), e-mail key, document, portal
/// key and lead id (so the order does not depend on where a record
/// sits in the input), then by input position for records identical in all of these.
fn neighbourhood_rank(records: &[Prepared], ids: &[LeadId]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..records.len()).collect();
    let cmp = |&a: &usize, &b: &usize| -> Ordering {
        match (records.get(a), records.get(b)) {
            (Some(x), Some(y)) => x
                .sorted_name
                .cmp(&y.sorted_name)
                .then_with(|| x.keys.phone.cmp(&y.keys.phone))
                .then_with(|| x.keys.email.cmp(&y.keys.email))
                .then_with(|| x.keys.document.cmp(&y.keys.document))
                .then_with(|| x.keys.portal.cmp(&y.keys.portal))
                .then_with(|| ids.get(a).cmp(&ids.get(b)))
                .then_with(|| a.cmp(&b)),
            _ => a.cmp(&b),
        }
    };
    order.sort_unstable_by(cmp);
    let mut rank = vec![0usize; records.len()];
    for (position, &i) in order.iter().enumerate() {
        if let Some(r) = rank.get_mut(i) {
            *r = position;
        }
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedupe::normalize::MatchKeys;

    fn record(name: &str, phone: Option<&str>) -> Prepared {
        Prepared::new(MatchKeys {
            name: crate::dedupe::name_tokens(name),
            email: None,
            phone: phone.map(str::to_owned),
            document: None,
            portal: None,
        })
    }

    fn ids(n: usize) -> Vec<LeadId> {
        (0..n)
            .map(|i| LeadId::from_parts(i as u64 + 1, [1; 10]))
            .collect()
    }

    #[test]
    fn only_records_sharing_a_key_are_paired() {
        let records = vec![
            record("Maria Silva", Some("+5511987654321")),
            record("João Souza", Some("+5511987654321")),
            record("Maria José da Silva", None),
            record("Pedro Alves", None),
        ];
        let c = candidate_pairs(&records, &ids(4), &BlockingConfig::default());
        // 0-1 by phone, 0-2 by the name block "maria silva"
        assert_eq!(c.pairs, [(0, 1), (0, 2)]);
        assert!(c.oversized.is_empty());
    }

    #[test]
    fn large_blocks_use_a_window() {
        let n = 30;
        let records: Vec<Prepared> = (0..n)
            .map(|_| record("Maria Silva", Some("+5511987654321")))
            .collect();
        let config = BlockingConfig {
            max_block: 10,
            max_name_block: 10,
            window: 3,
        };
        let c = candidate_pairs(&records, &ids(n), &config);
        // each record with its next 2 neighbours: 29 + 28 pairs, the same in both blocks
        assert_eq!(c.pairs.len(), 57);
        assert_eq!(c.oversized.len(), 2);
        assert_eq!(c.oversized.first().map(|b| b.size), Some(30));
        // and pair by pair under the limit
        let c = candidate_pairs(&records, &ids(n), &BlockingConfig::default());
        assert_eq!(c.pairs.len(), n * (n - 1) / 2);
    }

    #[test]
    fn name_keys_worked_by_hand() {
        let keys = |s: &str| name_block_keys(&crate::dedupe::name_tokens(s));
        assert_eq!(keys("Ana Lima Souza"), ["ana souza"]);
        assert_eq!(keys("Souza Ana Lima"), ["lima souza", "ana souza"]);
        assert!(keys("de").is_empty());
    }
}
