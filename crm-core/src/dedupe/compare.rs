//! Comparing two records: per-field evidence, Fellegi–Sunter weights, and the decision.
//!
//! Every computation here is symmetric by construction: string similarities are computed
//! with their two arguments in a canonical order, token alignment breaks ties by the tokens'
//! text, and matched similarities are summed in sorted order, so `compare(a, b)` and
//! `compare(b, a)` give the same evidence and the same score, bit for bit.

use super::config::{DedupeConfig, FieldWeights, SimilarField};
use super::normalize::MatchKeys;
use serde::{Deserialize, Serialize};

/// A field that matching compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The CPF or CNPJ.
    Document,
    /// The portal and its lead id.
    PortalId,
    /// The e-mail match key.
    Email,
    /// The phone in E.164.
    Phone,
    /// The contact's name.
    Name,
}

/// How one field compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The normalised values are equal (for names: the same tokens in any order).
    Exact,
    /// Close enough to count partly (names by Jaro–Winkler, phones one digit off).
    Similar,
    /// Both present and not close enough.
    Different,
    /// Absent, blank or invalid on at least one side (or a CPF against a CNPJ).
    Missing,
}

/// The evidence one field gives about a pair.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// Which field.
    pub field: Field,
    /// How it compared.
    pub outcome: Outcome,
    /// Similarity of the two values, 0..=1 (1 for exact, 0 when missing; the exact-only
    /// fields give 0 when different).
    pub similarity: f64,
    /// Bits of evidence added to the score: positive for a match, negative against.
    pub weight: f64,
}

/// What a pair is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The same lead: merge.
    Match,
    /// Maybe the same lead: a person decides.
    Review,
    /// Different leads.
    NonMatch,
}

/// Which rule settled the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionRule {
    /// The same valid CPF or CNPJ: a match whatever the score.
    SameDocument,
    /// The same portal lead id: a re-delivery, a match whatever the score.
    SamePortalLead,
    /// Two different valid CPFs (or CNPJs): never merged automatically, at most a review.
    DocumentConflict,
    /// The names disagree (given names differ, as with family members sharing a phone or
    /// an e-mail): at most a review.
    NamesDiffer,
    /// The score against the thresholds.
    Score,
}

/// The result of comparing two leads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairScore {
    /// The sum of the evidence weights.
    pub score: f64,
    /// Match, review or non-match.
    pub decision: Decision,
    /// Which rule decided.
    pub rule: DecisionRule,
    /// One entry per field, in the order document, portal_id, email, phone, name.
    pub evidence: Vec<Evidence>,
}

impl PairScore {
    /// The evidence of one field.
    pub fn evidence_of(&self, field: Field) -> Option<&Evidence> {
        self.evidence.iter().find(|e| e.field == field)
    }
}

/// Similarity given to an initial against a name starting with that letter (`m` ~ `maria`).
pub const INITIAL_SIMILARITY: f64 = 0.9;

/// What each token of the longer name without a counterpart in the shorter one takes off the
/// name similarity (`Maria Silva` against `Maria José Silva`: 1 − 0.02 = 0.98).
pub const EXTRA_TOKEN_PENALTY: f64 = 0.02;

/// Jaro–Winkler with the arguments in canonical order, so the result is symmetric bit for bit.
fn jaro_winkler(a: &str, b: &str) -> f64 {
    if a <= b {
        strsim::jaro_winkler(a, b)
    } else {
        strsim::jaro_winkler(b, a)
    }
}

fn single_char(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some() && chars.next().is_none()
}

/// Similarity of two name tokens: 1 when equal, [`INITIAL_SIMILARITY`] for an initial and a
/// token it begins, 0 for an initial against anything else, Jaro–Winkler otherwise.
///
/// ```
/// use crm_core::dedupe::token_similarity;
/// assert_eq!(token_similarity("maria", "maria"), 1.0);
/// assert_eq!(token_similarity("m", "maria"), 0.9);
/// // martha / marhta: the classic example, 0.961
/// assert!((token_similarity("martha", "marhta") - 0.961).abs() < 0.001);
/// assert_eq!(token_similarity("martha", "marhta"), token_similarity("marhta", "martha"));
/// ```
pub fn token_similarity(a: &str, b: &str) -> f64 {
    if a == b {
        1.0
    } else if single_char(a) || single_char(b) {
        let (initial, other) = if single_char(a) { (a, b) } else { (b, a) };
        if other.starts_with(initial) {
            INITIAL_SIMILARITY
        } else {
            0.0
        }
    } else {
        jaro_winkler(a, b)
    }
}

/// Similarity of two names given as tokens, order-independent: the tokens of the shorter
/// name are aligned greedily with those of the longer one by descending
/// [`token_similarity`] (ties broken by the tokens' text); the similarity is the mean over
/// the shorter name's tokens, less [`EXTRA_TOKEN_PENALTY`] per token of the longer name left
/// over, within 0..=1. Exactly 1 only for the same tokens in any order; 0 when either is
/// empty.
///
/// ```
/// use crm_core::dedupe::{name_similarity, name_tokens};
/// let sim = |a: &str, b: &str| name_similarity(&name_tokens(a), &name_tokens(b));
/// assert_eq!(sim("Silva Maria José", "Maria José da Silva"), 1.0);
/// assert!((sim("Maria Silva", "Maria José Silva") - 0.98).abs() < 1e-12);
/// assert!(sim("Maria Souza", "João Souza") < 0.85);
/// ```
pub fn name_similarity(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut candidates: Vec<(f64, &str, &str, usize, usize)> =
        Vec::with_capacity(short.len() * long.len());
    for (i, x) in short.iter().enumerate() {
        for (j, y) in long.iter().enumerate() {
            let (lo, hi) = if x <= y { (x, y) } else { (y, x) };
            candidates.push((token_similarity(x, y), lo, hi, i, j));
        }
    }
    candidates.sort_by(|p, q| {
        q.0.total_cmp(&p.0)
            .then_with(|| p.1.cmp(q.1))
            .then_with(|| p.2.cmp(q.2))
    });
    let mut used_short = vec![false; short.len()];
    let mut used_long = vec![false; long.len()];
    let mut matched: Vec<f64> = Vec::with_capacity(short.len());
    for (s, _, _, i, j) in candidates {
        let (Some(ui), Some(uj)) = (used_short.get(i), used_long.get(j)) else {
            continue;
        };
        if *ui || *uj {
            continue;
        }
        if let Some(u) = used_short.get_mut(i) {
            *u = true;
        }
        if let Some(u) = used_long.get_mut(j) {
            *u = true;
        }
        matched.push(s);
        if matched.len() == short.len() {
            break;
        }
    }
    matched.sort_by(|x, y| y.total_cmp(x));
    let sum: f64 = matched.iter().sum();
    let extra = (long.len() - short.len()) as f64;
    (sum / short.len() as f64 - EXTRA_TOKEN_PENALTY * extra).clamp(0.0, 1.0)
}

/// The optimal-string-alignment distance (substitutions, insertions, deletions and swaps of
/// neighbours, each substring edited once) of two short ASCII strings such as phone digits,
/// on the stack; longer or non-ASCII strings go to `strsim::osa_distance`, which allocates.
/// Called for every candidate pair whose phones differ, so it must be cheap.
fn osa_distance(a: &str, b: &str) -> usize {
    const MAX: usize = 24;
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if x.len() > MAX || y.len() > MAX || !a.is_ascii() || !b.is_ascii() {
        return strsim::osa_distance(a, b);
    }
    // rows of the dynamic-programming table: two back, one back, current
    let mut two = [0usize; MAX + 1];
    let mut one = [0usize; MAX + 1];
    let mut cur = [0usize; MAX + 1];
    for (j, cell) in one.iter_mut().enumerate().take(y.len() + 1) {
        *cell = j;
    }
    // every index stays within 0..=MAX, so the fallback never applies
    let at = |row: &[usize; MAX + 1], k: usize| row.get(k).copied().unwrap_or(MAX);
    for (i, &xc) in x.iter().enumerate() {
        if let Some(first) = cur.first_mut() {
            *first = i + 1;
        }
        for (j, &yc) in y.iter().enumerate() {
            let cost = usize::from(xc != yc);
            let mut d = (at(&cur, j) + 1)
                .min(at(&one, j + 1) + 1)
                .min(at(&one, j) + cost);
            if i > 0 && j > 0 && xc != yc && Some(&xc) == y.get(j - 1) && Some(&yc) == x.get(i - 1)
            {
                d = d.min(at(&two, j - 1) + 1);
            }
            if let Some(cell) = cur.get_mut(j + 1) {
                *cell = d;
            }
        }
        std::mem::swap(&mut two, &mut one);
        std::mem::swap(&mut one, &mut cur);
    }
    at(&one, y.len())
}

/// Whether two byte strings are at most one edit apart (a substitution, an insertion or
/// deletion, or a swap of neighbours), in linear time.
fn within_one_edit(x: &[u8], y: &[u8]) -> bool {
    let (short, long) = if x.len() <= y.len() { (x, y) } else { (y, x) };
    match long.len() - short.len() {
        0 => {
            let mut diffs = short
                .iter()
                .zip(long)
                .enumerate()
                .filter(|(_, (p, q))| p != q);
            match (diffs.next(), diffs.next(), diffs.next()) {
                (None, _, _) | (Some(_), None, _) => true,
                (Some((i, (p1, q1))), Some((j, (p2, q2))), None) => {
                    j == i + 1 && p1 == q2 && p2 == q1
                }
                _ => false,
            }
        }
        1 => {
            let skip = short
                .iter()
                .zip(long)
                .position(|(p, q)| p != q)
                .unwrap_or(short.len());
            short.get(skip..) == long.get(skip + 1..)
        }
        _ => false,
    }
}

/// Whether two given names can be the same person's: equal; an initial and a name it
/// begins; or, both of at least 4 letters, one typo apart (one substitution, insertion,
/// deletion or swap of neighbours) — except Portuguese gender pairs, which are different
/// names (`paulo`/`paula`, `fernando`/`fernanda`, `luiz`/`luiza`).
///
/// ```
/// use crm_core::dedupe::same_given_name;
/// assert!(same_given_name("maria", "marai"));
/// assert!(same_given_name("j", "joao"));
/// assert!(!same_given_name("maria", "mariana"));
/// assert!(!same_given_name("paulo", "paula"));
/// assert!(!same_given_name("luiz", "luiza"));
/// ```
pub fn same_given_name(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if single_char(a) || single_char(b) {
        let (initial, other) = if single_char(a) { (a, b) } else { (b, a) };
        return other.starts_with(initial);
    }
    if gender_pair(a, b) {
        return false;
    }
    a.chars().count() >= 4 && b.chars().count() >= 4 && strsim::osa_distance(a, b) <= 1
}

/// `stem + o` / `stem + a`, or `name` / `name + a`, in either order.
fn gender_pair(a: &str, b: &str) -> bool {
    let one_way = |x: &str, y: &str| {
        let swapped = match (x.strip_suffix('o'), y.strip_suffix('a')) {
            (Some(sx), Some(sy)) => !sx.is_empty() && sx == sy,
            _ => false,
        };
        let appended = y.strip_suffix('a') == Some(x);
        swapped || appended
    };
    one_way(a, b) || one_way(b, a)
}

/// Whether each name's first token (its given name, as written) has a counterpart in the
/// other name by [`same_given_name`]. Order-independent enough for "Silva Maria" against
/// "Maria Silva", strict enough to tell family members apart.
fn given_names_agree(a: &[String], b: &[String]) -> bool {
    let found = |first: Option<&String>, other: &[String]| {
        first.is_some_and(|f| other.iter().any(|t| same_given_name(f, t)))
    };
    found(a.first(), b) && found(b.first(), a)
}

/// Weights precomputed from a configuration.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scorer {
    name: FieldScale,
    phone: FieldScale,
    email: (f64, f64),
    document: (f64, f64),
    portal_agree: f64,
    match_at: f64,
    review_at: f64,
}

#[derive(Debug, Clone, Copy)]
struct FieldScale {
    agree: f64,
    disagree: f64,
    similar_at: f64,
}

impl FieldScale {
    fn of(f: &SimilarField) -> Self {
        let w = f.weights();
        Self {
            agree: w.agreement(),
            disagree: w.disagreement(),
            similar_at: f.similar_at,
        }
    }

    /// The evidence of a similarity strictly below 1.
    fn partial(&self, field: Field, similarity: f64) -> Evidence {
        if similarity >= self.similar_at {
            let fraction = (similarity - self.similar_at) / (1.0 - self.similar_at);
            Evidence {
                field,
                outcome: Outcome::Similar,
                similarity,
                weight: self.disagree + (self.agree - self.disagree) * fraction,
            }
        } else {
            Evidence {
                field,
                outcome: Outcome::Different,
                similarity,
                weight: self.disagree,
            }
        }
    }
}

fn pair_of(w: &FieldWeights) -> (f64, f64) {
    (w.agreement(), w.disagreement())
}

fn missing(field: Field) -> Evidence {
    Evidence {
        field,
        outcome: Outcome::Missing,
        similarity: 0.0,
        weight: 0.0,
    }
}

fn exact_or_different<T: PartialEq>(
    field: Field,
    a: Option<T>,
    b: Option<T>,
    (agree, disagree): (f64, f64),
) -> Evidence {
    match (a, b) {
        (Some(x), Some(y)) if x == y => Evidence {
            field,
            outcome: Outcome::Exact,
            similarity: 1.0,
            weight: agree,
        },
        (Some(_), Some(_)) => Evidence {
            field,
            outcome: Outcome::Different,
            similarity: 0.0,
            weight: disagree,
        },
        _ => missing(field),
    }
}

/// A record prepared for comparison: its keys plus the sorted name.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub keys: MatchKeys,
    pub sorted_name: String,
}

impl Prepared {
    pub fn new(keys: MatchKeys) -> Self {
        let sorted_name = keys.sorted_name();
        Self { keys, sorted_name }
    }
}

impl Scorer {
    pub fn new(config: &DedupeConfig) -> Self {
        let f = &config.fields;
        Self {
            name: FieldScale::of(&f.name),
            phone: FieldScale::of(&f.phone),
            email: pair_of(&f.email),
            document: pair_of(&f.document),
            portal_agree: f.portal_id.agreement(),
            match_at: config.thresholds.match_at,
            review_at: config.thresholds.review_at,
        }
    }

    /// The full comparison.
    pub fn score(&self, a: &Prepared, b: &Prepared) -> PairScore {
        self.evaluate(a, b, false).unwrap_or_else(|| PairScore {
            score: 0.0,
            decision: Decision::NonMatch,
            rule: DecisionRule::Score,
            evidence: Vec::new(),
        })
    }

    /// The comparison, or `None` when `prune` is set and the pair cannot reach `review_at`
    /// whatever the names say (the name comparison is the costly part).
    pub fn evaluate(&self, a: &Prepared, b: &Prepared, prune: bool) -> Option<PairScore> {
        let (ka, kb) = (&a.keys, &b.keys);
        let document = match (&ka.document, &kb.document) {
            (Some(x), Some(y)) if x.is_cpf() == y.is_cpf() => {
                exact_or_different(Field::Document, Some(x), Some(y), self.document)
            }
            _ => missing(Field::Document),
        };
        let portal = match exact_or_different(
            Field::PortalId,
            ka.portal.as_ref(),
            kb.portal.as_ref(),
            (self.portal_agree, 0.0),
        ) {
            // A person may enquire twice through one portal: different ids say nothing.
            e if e.outcome == Outcome::Different => Evidence { weight: 0.0, ..e },
            e => e,
        };
        let email = exact_or_different(
            Field::Email,
            ka.email.as_deref(),
            kb.email.as_deref(),
            self.email,
        );
        let (pa, pb) = (ka.phone.as_deref(), kb.phone.as_deref());
        let strong = document.outcome == Outcome::Exact || portal.outcome == Outcome::Exact;
        if prune && !strong {
            let names_present = !ka.name.is_empty() && !kb.name.is_empty();
            let best_name = if names_present {
                self.name.agree.max(0.0)
            } else {
                0.0
            };
            let best_phone = self.phone_upper_bound(pa, pb);
            let bound = document.weight + portal.weight + email.weight + best_phone + best_name;
            if bound < self.review_at {
                return None;
            }
        }
        let phone = self.phone_evidence(pa, pb);
        let name = self.name_evidence(a, b);
        let evidence = vec![document, portal, email, phone, name];
        let score: f64 = evidence.iter().map(|e| e.weight).sum();
        let (decision, rule) = self.decide(score, &document, &portal, &name);
        Some(PairScore {
            score,
            decision,
            rule,
            evidence,
        })
    }

    /// The most the phones can weigh, without the edit distance when they are two edits or
    /// more apart (the common case for records that share only a name block): the weight
    /// grows with the similarity, and two edits in `n` digits is a similarity of at most
    /// `1 − 2/n`.
    fn phone_upper_bound(&self, a: Option<&str>, b: Option<&str>) -> f64 {
        match (a, b) {
            (Some(x), Some(y)) if x == y => self.phone.agree,
            (Some(x), Some(y)) => {
                let (dx, dy) = (x.trim_start_matches('+'), y.trim_start_matches('+'));
                let digits = dx.len().max(dy.len()).max(1) as f64;
                let edits = if within_one_edit(dx.as_bytes(), dy.as_bytes()) {
                    1.0
                } else {
                    2.0
                };
                self.phone
                    .partial(Field::Phone, (1.0 - edits / digits).clamp(0.0, 1.0))
                    .weight
            }
            _ => 0.0,
        }
    }

    fn phone_evidence(&self, a: Option<&str>, b: Option<&str>) -> Evidence {
        match (a, b) {
            (Some(x), Some(y)) if x == y => Evidence {
                field: Field::Phone,
                outcome: Outcome::Exact,
                similarity: 1.0,
                weight: self.phone.agree,
            },
            (Some(x), Some(y)) => {
                let (dx, dy) = (x.trim_start_matches('+'), y.trim_start_matches('+'));
                let (lo, hi) = if dx <= dy { (dx, dy) } else { (dy, dx) };
                let distance = osa_distance(lo, hi) as f64;
                let digits = dx.len().max(dy.len()).max(1) as f64;
                // Different E.164 texts differ in at least one digit, so this is below 1.
                let similarity = (1.0 - distance / digits).clamp(0.0, 1.0);
                self.phone.partial(Field::Phone, similarity)
            }
            _ => missing(Field::Phone),
        }
    }

    fn name_evidence(&self, a: &Prepared, b: &Prepared) -> Evidence {
        let (ta, tb) = (&a.keys.name, &b.keys.name);
        if ta.is_empty() || tb.is_empty() {
            return missing(Field::Name);
        }
        if a.sorted_name == b.sorted_name {
            return Evidence {
                field: Field::Name,
                outcome: Outcome::Exact,
                similarity: 1.0,
                weight: self.name.agree,
            };
        }
        let similarity = name_similarity(ta, tb);
        if given_names_agree(ta, tb) {
            self.name.partial(Field::Name, similarity)
        } else {
            Evidence {
                field: Field::Name,
                outcome: Outcome::Different,
                similarity,
                weight: self.name.disagree,
            }
        }
    }

    fn decide(
        &self,
        score: f64,
        document: &Evidence,
        portal: &Evidence,
        name: &Evidence,
    ) -> (Decision, DecisionRule) {
        let conflict = document.outcome == Outcome::Different;
        if conflict && portal.outcome == Outcome::Exact {
            return (Decision::Review, DecisionRule::DocumentConflict);
        }
        if document.outcome == Outcome::Exact {
            return (Decision::Match, DecisionRule::SameDocument);
        }
        if portal.outcome == Outcome::Exact {
            return (Decision::Match, DecisionRule::SamePortalLead);
        }
        if score >= self.match_at {
            if conflict {
                return (Decision::Review, DecisionRule::DocumentConflict);
            }
            if name.outcome == Outcome::Different {
                return (Decision::Review, DecisionRule::NamesDiffer);
            }
            return (Decision::Match, DecisionRule::Score);
        }
        if score >= self.review_at {
            return (Decision::Review, DecisionRule::Score);
        }
        (Decision::NonMatch, DecisionRule::Score)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedupe::normalize::name_tokens;

    fn sim(a: &str, b: &str) -> f64 {
        name_similarity(&name_tokens(a), &name_tokens(b))
    }

    #[test]
    fn jaro_winkler_worked_by_hand() {
        // marai / maria: 5 matches; m a r a i against m a r i a has 2 out of order → t = 1;
        // jaro = (5/5 + 5/5 + 4/5) / 3 = 0.93333; prefix "mar" (3):
        // 0.93333 + 3 · 0.1 · 0.06667 = 0.95333
        assert!((token_similarity("marai", "maria") - 0.953_333).abs() < 1e-6);
        // maria / mariana: 5 matches, no transposition; jaro = (1 + 5/7 + 1) / 3 = 0.90476;
        // prefix 4: 0.90476 + 0.4 · 0.09524 = 0.94286
        assert!((token_similarity("maria", "mariana") - 0.942_857).abs() < 1e-6);
        // an initial
        assert_eq!(token_similarity("j", "jose"), INITIAL_SIMILARITY);
        assert_eq!(token_similarity("j", "maria"), 0.0);
    }

    #[test]
    fn name_similarity_worked_by_hand() {
        assert_eq!(sim("José da Silva", "Jose Silva"), 1.0);
        assert_eq!(sim("Silva Maria José", "Maria José da Silva"), 1.0);
        // one token missing: mean 1 − 0.02
        assert!((sim("Maria Silva", "Maria José Silva") - 0.98).abs() < 1e-12);
        // typo: (0.953333 + 1) / 2
        assert!((sim("Marai Silva", "Maria Silva") - 0.976_667).abs() < 1e-6);
        // an initial: (0.9 + 1) / 2
        assert!((sim("M. Silva", "Maria Silva") - 0.95).abs() < 1e-12);
        assert_eq!(sim("", "Maria"), 0.0);
        for (a, b) in [
            ("Ana Paula Souza", "Paula Ana Sousa"),
            ("Maria Maria Silva", "Silva Maria"),
            ("joão pedro", "pedro joão jr"),
        ] {
            assert_eq!(sim(a, b).to_bits(), sim(b, a).to_bits(), "{a} / {b}");
        }
    }

    #[test]
    fn osa_matches_strsim() {
        for (a, b) in [
            ("5511987654321", "5511987654312"),
            ("5511987654321", "5511987654321"),
            ("551134567890", "5511987654321"),
            ("", "123"),
            ("ca", "abc"),
            ("abcdef", "badcfe"),
            ("abcdef", "abdcef"),
            ("abcdef", "abcef"),
            ("abcdef", "xabcdef"),
            ("abcdef", "abcdeg"),
            ("ab", "ba"),
            ("1234567890123456789012345", "1"),
        ] {
            assert_eq!(osa_distance(a, b), strsim::osa_distance(a, b), "{a} / {b}");
            assert_eq!(
                within_one_edit(a.as_bytes(), b.as_bytes()),
                strsim::osa_distance(a, b) <= 1,
                "{a} / {b}"
            );
        }
    }

    #[test]
    fn given_names() {
        let t = |s: &str| name_tokens(s);
        assert!(given_names_agree(
            &t("Silva Maria José"),
            &t("Maria José da Silva")
        ));
        assert!(!given_names_agree(&t("Maria Souza"), &t("João Souza")));
        assert!(!given_names_agree(&t("Fernando Lima"), &t("Fernanda Lima")));
        assert!(given_names_agree(&t("J. Souza"), &t("João Souza")));
        assert!(!given_names_agree(&t("Souza"), &t("Maria Souza")));
        assert!(gender_pair("fernando", "fernanda"));
        assert!(gender_pair("luiza", "luiz"));
        assert!(!gender_pair("o", "a"));
        assert!(!same_given_name("ana", "ane"));
        assert!(same_given_name("joze", "jose"));
    }

    #[test]
    fn partial_weight_is_interpolated() {
        let scale = FieldScale {
            agree: 10.0,
            disagree: -4.0,
            similar_at: 0.8,
        };
        let e = scale.partial(Field::Name, 0.9);
        assert_eq!(e.outcome, Outcome::Similar);
        // −4 + 14 · (0.1 / 0.2) = 3
        assert!((e.weight - 3.0).abs() < 1e-12);
        let e = scale.partial(Field::Name, 0.8);
        assert_eq!((e.outcome, e.weight), (Outcome::Similar, -4.0));
        let e = scale.partial(Field::Name, 0.79);
        assert_eq!((e.outcome, e.weight), (Outcome::Different, -4.0));
    }
}
