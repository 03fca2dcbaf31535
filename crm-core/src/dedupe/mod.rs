//! Duplicate detection: finding the leads that are the same person, and planning their merge.
//!
//! 1. **Normalisation** ([`MatchKeys`]): names without accents, case and particles
//!    (`de`, `da`, `do`, `das`, `dos`, `e`, `d'`) as tokens; e-mails by their match key;
//!    phones in E.164 with the missing ninth digit repaired; CPF/CNPJ bare; the portal and
//!    its lead id. Invalid values are simply absent.
//! 2. **Blocking** ([`name_block_keys`], [`BlockingConfig`]): only records sharing a key are
//!    compared, and large blocks by sorted neighbourhood, so cost grows linearly.
//! 3. **Comparison** ([`compare`]): per-field [`Evidence`] with Fellegi–Sunter weights
//!    (`log2(m/u)` for agreement, `log2((1−m)/(1−u))` for disagreement, interpolated for
//!    similar names and phones), summed into a score; the same CPF/CNPJ or portal lead id is
//!    a match, two different CPFs are never merged automatically, and names whose given
//!    names differ (family members sharing a phone) are never a match.
//! 4. **Decision** against [`Thresholds`]: [`Decision::Match`], [`Decision::Review`] or
//!    [`Decision::NonMatch`].
//! 5. **Merge plan** ([`merge_plan`]): the survivor and, field by field, the value kept and
//!    why.
//!
//! Every function is pure and deterministic, and symmetric: `compare(a, b)` mirrors
//! `compare(b, a)` bit for bit, and [`find_duplicates`] finds the same pairs whatever the
//! order of the book. See `docs/dedupe.md`.
//!
//! ```
//! use crm_core::dedupe::{find_duplicates, DedupeConfig, Decision};
//! use crm_core::domain::{Contact, Lead, LeadId};
//! use chrono::{TimeZone, Utc};
//! let at = Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap();
//! let leads = vec![
//!     Lead::new(LeadId::from_parts(1, [1; 10]), Contact::new("José da Silva").with_phone("(11) 8765-4321"), at),
//!     Lead::new(LeadId::from_parts(2, [2; 10]), Contact::new("Jose Silva").with_phone("+55 11 98765-4321"), at),
//!     Lead::new(LeadId::from_parts(3, [3; 10]), Contact::new("Maria Silva").with_phone("+55 11 98765-4321"), at),
//! ];
//! let pairs = find_duplicates(&leads, &DedupeConfig::default());
//! assert_eq!(pairs.len(), 1); // José and Maria share a phone, but are not the same person
//! assert_eq!((pairs[0].a, pairs[0].b, pairs[0].decision), (0, 1, Decision::Match));
//! ```

mod blocking;
mod compare;
mod config;
mod merge;
mod normalize;

pub use blocking::{BlockKind, OversizedBlock, name_block_keys};
pub use compare::{
    Decision, DecisionRule, EXTRA_TOKEN_PENALTY, Evidence, Field, INITIAL_SIMILARITY, Outcome,
    PairScore, name_similarity, same_given_name, token_similarity,
};
pub use config::{
    BlockingConfig, DedupeConfig, FieldConfigs, FieldWeights, SimilarField, Thresholds,
};
pub use merge::{FieldChoice, MergePlan, MergeReason, SurvivorReason, completeness, merge_plan};
pub use normalize::{
    MAX_NAME_TOKENS, MAX_TOKEN_CHARS, MatchKeys, NAME_PARTICLES, PortalKey, document_key,
    email_key, name_key, name_tokens, phone_key,
};

use crate::domain::{Lead, LeadId};
use compare::{Prepared, Scorer};
use serde::{Deserialize, Serialize};

/// A pair of leads of a book that may be the same, with the evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CandidatePair {
    /// Index of the first lead in the book (`a < b`).
    pub a: usize,
    /// Index of the second lead.
    pub b: usize,
    /// Id of the first lead.
    pub a_id: LeadId,
    /// Id of the second lead.
    pub b_id: LeadId,
    /// The sum of the evidence weights.
    pub score: f64,
    /// Match or review (non-matches are not listed).
    pub decision: Decision,
    /// Which rule decided.
    pub rule: DecisionRule,
    /// One entry per field.
    pub evidence: Vec<Evidence>,
}

/// Everything [`find_duplicates_report`] found, with how much work it took.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DedupeReport {
    /// The matches and reviews, by score descending, then by `a`, then by `b`.
    pub pairs: Vec<CandidatePair>,
    /// How many candidate pairs blocking produced (each compared once).
    pub candidates: usize,
    /// Blocks too large to compare pair by pair, compared by sorted neighbourhood instead.
    pub oversized_blocks: Vec<OversizedBlock>,
}

/// The pairs of `leads` that are the same lead ([`Decision::Match`]) or may be
/// ([`Decision::Review`]), sorted by score descending, then by indices. Validate the
/// configuration first ([`DedupeConfig::validate`]); an invalid one gives meaningless
/// decisions but never panics.
pub fn find_duplicates(leads: &[Lead], config: &DedupeConfig) -> Vec<CandidatePair> {
    find_duplicates_report(leads, config).pairs
}

/// [`find_duplicates`] with the number of candidate pairs and the oversized blocks.
pub fn find_duplicates_report(leads: &[Lead], config: &DedupeConfig) -> DedupeReport {
    let prepared: Vec<Prepared> = leads
        .iter()
        .map(|l| Prepared::new(MatchKeys::of(l)))
        .collect();
    let ids: Vec<LeadId> = leads.iter().map(|l| l.id).collect();
    let scorer = Scorer::new(config);
    let candidates = blocking::candidate_pairs(&prepared, &ids, &config.blocking);
    let mut pairs = Vec::new();
    for &(a, b) in &candidates.pairs {
        let (Some(pa), Some(pb), Some(&a_id), Some(&b_id)) =
            (prepared.get(a), prepared.get(b), ids.get(a), ids.get(b))
        else {
            continue;
        };
        let Some(s) = scorer.evaluate(pa, pb, true) else {
            continue;
        };
        if s.decision != Decision::NonMatch {
            pairs.push(CandidatePair {
                a,
                b,
                a_id,
                b_id,
                score: s.score,
                decision: s.decision,
                rule: s.rule,
                evidence: s.evidence,
            });
        }
    }
    pairs.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then(x.a.cmp(&y.a))
            .then(x.b.cmp(&y.b))
    });
    DedupeReport {
        pairs,
        candidates: candidates.pairs.len(),
        oversized_blocks: candidates.oversized,
    }
}

/// Compares two leads: the evidence of every field, the score and the decision.
///
/// ```
/// use crm_core::dedupe::{compare, DedupeConfig, Decision, DecisionRule, Field, Outcome};
/// use crm_core::domain::{Contact, Lead, LeadId};
/// use chrono::{TimeZone, Utc};
/// let at = Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap();
/// let maria = Lead::new(LeadId::from_parts(1, [1; 10]),
///     Contact::new("Maria Souza").with_phone("11 98765-4321").with_email("familia.souza@example.com"), at);
/// let joao = Lead::new(LeadId::from_parts(2, [2; 10]),
///     Contact::new("João Souza").with_phone("11 98765-4321").with_email("familia.souza@example.com"), at);
/// let s = compare(&maria, &joao, &DedupeConfig::default());
/// assert_eq!(s.evidence_of(Field::Phone).unwrap().outcome, Outcome::Exact);
/// assert_eq!(s.evidence_of(Field::Name).unwrap().outcome, Outcome::Different);
/// assert_eq!((s.decision, s.rule), (Decision::Review, DecisionRule::NamesDiffer));
/// assert_eq!(s, compare(&joao, &maria, &DedupeConfig::default()));
/// ```
pub fn compare(a: &Lead, b: &Lead, config: &DedupeConfig) -> PairScore {
    let pa = Prepared::new(MatchKeys::of(a));
    let pb = Prepared::new(MatchKeys::of(b));
    Scorer::new(config).score(&pa, &pb)
}

/// How [`find_existing`] found the existing lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// The same portal and portal lead id: the portal delivered the lead again.
    PortalKey,
    /// The same lead id: the lead was submitted again.
    LeadId,
    /// The comparison of the contact data.
    Comparison,
}

/// An existing lead that a new one duplicates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Match {
    /// Index of the existing lead in the book.
    pub index: usize,
    /// Its id.
    pub lead_id: LeadId,
    /// How it was found.
    pub by: MatchedBy,
    /// The comparison of the new lead with it (`decision` is `match` or `review`; a portal
    /// re-delivery whose CPF changed is a `review`).
    pub score: PairScore,
}

/// The existing lead of `book` that `new` duplicates, for ingestion:
///
/// 1. the same portal key (portal and portal lead id): a webhook delivered twice is the same
///    lead, whatever else changed (the oldest such lead when several);
/// 2. else the same lead id;
/// 3. else the best comparison among the leads sharing a blocking key with `new` (no window
///    here: the book is scanned once): a match before a review, then the higher score, then
///    the older lead, then the smaller id.
///
/// `None` when nothing reaches review. A book the size of a brokerage's is scanned in
/// linear time; the new lead is normalised once.
///
/// ```
/// use crm_core::dedupe::{find_existing, DedupeConfig, MatchedBy};
/// use crm_core::domain::{Contact, Lead, LeadId, LeadSource, Portal};
/// use chrono::{TimeZone, Utc};
/// let at = Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap();
/// let source = LeadSource::Portal { portal: Portal::Zap, external_id: Some("ZAP-77".into()), temperature: None };
/// let mut first = Lead::new(LeadId::from_parts(1, [1; 10]), Contact::new("Ana Lima").with_phone("21 99876-5432"), at);
/// first.source = source.clone();
/// let mut again = Lead::new(LeadId::from_parts(2, [2; 10]), Contact::new("ana lima").with_phone("21 99876-5432"), at);
/// again.source = source;
/// let found = find_existing(&again, &[first.clone()], &DedupeConfig::default()).unwrap();
/// assert_eq!((found.lead_id, found.by), (first.id, MatchedBy::PortalKey));
/// ```
pub fn find_existing(new: &Lead, book: &[Lead], config: &DedupeConfig) -> Option<Match> {
    let scorer = Scorer::new(config);
    let pn = Prepared::new(MatchKeys::of(new));
    let oldest = |x: &(usize, &Lead), y: &(usize, &Lead)| {
        x.1.created_at
            .cmp(&y.1.created_at)
            .then(x.1.id.cmp(&y.1.id))
            .then(x.0.cmp(&y.0))
    };
    let found = |index: usize, existing: &Lead, by: MatchedBy| Match {
        index,
        lead_id: existing.id,
        by,
        score: scorer.score(&pn, &Prepared::new(MatchKeys::of(existing))),
    };

    if let Some(key) = &pn.keys.portal {
        let same_portal = book
            .iter()
            .enumerate()
            .filter(|(_, l)| PortalKey::of(&l.source).as_ref() == Some(key))
            .min_by(oldest);
        if let Some((i, existing)) = same_portal {
            return Some(found(i, existing, MatchedBy::PortalKey));
        }
    }
    if let Some((i, existing)) = book
        .iter()
        .enumerate()
        .filter(|(_, l)| l.id == new.id)
        .min_by(oldest)
    {
        return Some(found(i, existing, MatchedBy::LeadId));
    }

    let new_names = name_block_keys(&pn.keys.name);
    let shares_key = |k: &MatchKeys| {
        let same = |x: &Option<String>, y: &Option<String>| x.is_some() && x == y;
        (pn.keys.document.is_some() && pn.keys.document == k.document)
            || same(&pn.keys.email, &k.email)
            || same(&pn.keys.phone, &k.phone)
            || name_block_keys(&k.name)
                .iter()
                .any(|n| new_names.contains(n))
    };
    let rank = |d: Decision| match d {
        Decision::Match => 0,
        Decision::Review => 1,
        Decision::NonMatch => 2,
    };
    let mut best: Option<(usize, &Lead, PairScore)> = None;
    for (i, existing) in book.iter().enumerate() {
        let keys = MatchKeys::of(existing);
        if !shares_key(&keys) {
            continue;
        }
        let Some(s) = scorer.evaluate(&pn, &Prepared::new(keys), true) else {
            continue;
        };
        if s.decision == Decision::NonMatch {
            continue;
        }
        let better = match &best {
            None => true,
            Some((bi, bl, bs)) => rank(s.decision)
                .cmp(&rank(bs.decision))
                .then(bs.score.total_cmp(&s.score))
                .then(oldest(&(i, existing), &(*bi, *bl)))
                .is_lt(),
        };
        if better {
            best = Some((i, existing, s));
        }
    }
    best.map(|(index, existing, score)| Match {
        index,
        lead_id: existing.id,
        by: MatchedBy::Comparison,
        score,
    })
}

impl CandidatePair {
    /// The comparison part of the pair.
    pub fn pair_score(&self) -> PairScore {
        PairScore {
            score: self.score,
            decision: self.decision,
            rule: self.rule,
            evidence: self.evidence.clone(),
        }
    }
}

#[cfg(test)]
mod tests;
