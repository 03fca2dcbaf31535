//! [`DedupeConfig`]: the Fellegi–Sunter probabilities per field, the decision thresholds and
//! the blocking bounds, as data hosts load from JSON, with validation that reports every
//! problem with its path.

use crate::error::{ErrorCode, FieldError, ValidationErrors};
use serde::{Deserialize, Serialize};

/// The two probabilities of a Fellegi–Sunter field.
///
/// - `m`: the probability that the field agrees when the two records are the same person.
/// - `u`: the probability that it agrees by chance when they are different people.
///
/// Agreement adds `log2(m / u)` to a pair's score, disagreement adds
/// `log2((1 − m) / (1 − u))` (a negative number), a value missing on either side adds 0.
/// Both must lie strictly between 0 and 1, and `m` must be above `u`.
///
/// ```
/// use crm_core::dedupe::FieldWeights;
/// let w = FieldWeights { m: 0.95, u: 0.001 };
/// assert!((w.agreement() - 9.891_783_7).abs() < 1e-6);
/// assert!((w.disagreement() + 4.320_484_0).abs() < 1e-6);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldWeights {
    /// P(agree | same person).
    pub m: f64,
    /// P(agree | different people).
    pub u: f64,
}

impl FieldWeights {
    /// The weight of agreement, `log2(m / u)`.
    pub fn agreement(&self) -> f64 {
        (self.m / self.u).log2()
    }

    /// The weight of disagreement, `log2((1 − m) / (1 − u))`.
    pub fn disagreement(&self) -> f64 {
        ((1.0 - self.m) / (1.0 - self.u)).log2()
    }
}

/// A field compared by similarity (names, phones): its probabilities and the similarity from
/// which two values count as partly agreeing.
///
/// A similarity `s` at or above `similar_at` (but below 1) is a partial agreement weighted
/// by straight-line interpolation between the disagreement and agreement weights:
/// `w = dis + (agr − dis) · (s − similar_at) / (1 − similar_at)`; below it, disagreement.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimilarField {
    /// P(agree | same person).
    pub m: f64,
    /// P(agree | different people).
    pub u: f64,
    /// The similarity (0 ≤ `similar_at` < 1) from which the values partly agree.
    #[serde(default = "default_similar_at")]
    pub similar_at: f64,
}

fn default_similar_at() -> f64 {
    0.85
}

impl SimilarField {
    /// The probabilities alone.
    pub fn weights(&self) -> FieldWeights {
        FieldWeights {
            m: self.m,
            u: self.u,
        }
    }
}

/// The probabilities of every field. A field given in JSON replaces that field's defaults
/// (its `m` and `u` are then required; `similar_at` defaults to 0.85); a field left out keeps
/// its default.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FieldConfigs {
    /// The contact's name, compared token by token with Jaro–Winkler.
    /// Default m 0.95, u 0.001, similar_at 0.85.
    pub name: SimilarField,
    /// The e-mail match key, compared exactly. Default m 0.80, u 0.0001.
    pub email: FieldWeights,
    /// The phone in E.164, compared exactly, or partly when one digit is off.
    /// Default m 0.85, u 0.0001, similar_at 0.85.
    pub phone: SimilarField,
    /// The CPF or CNPJ, compared exactly (a CPF is never compared with a CNPJ).
    /// Default m 0.999, u 0.0000001.
    pub document: FieldWeights,
    /// The portal's lead id, compared exactly; only agreement counts (a person who enquires
    /// twice gets two ids). Default m 0.99, u 0.0000001.
    pub portal_id: FieldWeights,
}

impl Default for FieldConfigs {
    fn default() -> Self {
        Self {
            name: SimilarField {
                m: 0.95,
                u: 0.001,
                similar_at: 0.85,
            },
            email: FieldWeights { m: 0.80, u: 0.0001 },
            phone: SimilarField {
                m: 0.85,
                u: 0.0001,
                similar_at: 0.85,
            },
            document: FieldWeights {
                m: 0.999,
                u: 0.000_000_1,
            },
            portal_id: FieldWeights {
                m: 0.99,
                u: 0.000_000_1,
            },
        }
    }
}

/// Decision thresholds on the summed weights (bits of evidence). A pair scoring at least
/// `match_at` is a match, at least `review_at` goes to a person, anything lower is not a
/// duplicate. Defaults 15 and 11.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// The score from which a pair is a match.
    pub match_at: f64,
    /// The score from which a pair is reviewed by a person (≤ `match_at`).
    pub review_at: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            match_at: 15.0,
            review_at: 11.0,
        }
    }
}

/// Bounds that keep blocking near linear.
///
/// Records sharing a key (CPF/CNPJ, portal lead id, e-mail key, phone, name block) form a
/// block. A block up to its limit is compared pair by pair; a larger one (a placeholder phone
/// typed into thousands of leads, "maria silva" in a big book) is sorted by name, phone,
/// e-mail, document, portal key and id, and each record is compared with the next
/// `window − 1` records only (the sorted-neighbourhood method), so it costs
/// `size × (window − 1)` comparisons instead of `size²/2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BlockingConfig {
    /// The largest block of an exact key (document, portal id, e-mail, phone) compared pair
    /// by pair. Default 50.
    pub max_block: usize,
    /// The largest name block compared pair by pair. Default 20.
    pub max_name_block: usize,
    /// The sorted-neighbourhood window for larger blocks (at least 2). Default 10.
    pub window: usize,
}

impl Default for BlockingConfig {
    fn default() -> Self {
        Self {
            max_block: 50,
            max_name_block: 20,
            window: 10,
        }
    }
}

/// The configuration of duplicate detection. Every part has defaults (see `docs/dedupe.md`
/// for why), so `{}` is a valid configuration; unknown fields are refused.
///
/// ```
/// use crm_core::dedupe::DedupeConfig;
/// use crm_core::domain::from_json;
/// let config: DedupeConfig = from_json(r#"{
///   "fields": {"email": {"m": 0.8, "u": 0.9}},
///   "thresholds": {"match_at": 10, "review_at": 12},
///   "blocking": {"window": 1}
/// }"#).unwrap();
/// let errors = config.validate().unwrap_err();
/// let found: Vec<_> = errors.errors().iter().map(|e| (e.path.as_str(), e.code.as_str())).collect();
/// assert_eq!(found, [
///     ("fields.email.m", "validation.dedupe.weight_order"),
///     ("thresholds.review_at", "validation.dedupe.thresholds"),
///     ("blocking.window", "validation.dedupe.block_size"),
/// ]);
/// assert!(DedupeConfig::default().validate().is_ok());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DedupeConfig {
    /// Per-field probabilities.
    pub fields: FieldConfigs,
    /// Decision thresholds.
    pub thresholds: Thresholds,
    /// Blocking bounds.
    pub blocking: BlockingConfig,
}

impl DedupeConfig {
    /// Every problem, each with its path: `m` and `u` strictly between 0 and 1
    /// (`validation.dedupe.probability`), `m` above `u` (`validation.dedupe.weight_order`),
    /// `similar_at` within 0..1 (`validation.dedupe.similarity`), finite thresholds with
    /// `review_at ≤ match_at` (`validation.dedupe.thresholds`), block limits above 0 and a
    /// window of at least 2 (`validation.dedupe.block_size`).
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let f = &self.fields;
        check_similar(&mut errors, "fields.name", &f.name);
        check_weights(&mut errors, "fields.email", &f.email);
        check_similar(&mut errors, "fields.phone", &f.phone);
        check_weights(&mut errors, "fields.document", &f.document);
        check_weights(&mut errors, "fields.portal_id", &f.portal_id);

        let t = &self.thresholds;
        let mut finite = true;
        for (path, value) in [
            ("thresholds.match_at", t.match_at),
            ("thresholds.review_at", t.review_at),
        ] {
            if !value.is_finite() {
                finite = false;
                errors.push(
                    FieldError::new(
                        ErrorCode::DedupeThresholds,
                        format!("a threshold must be a finite number, found {value}"),
                    )
                    .at(path),
                );
            }
        }
        if finite && t.review_at > t.match_at {
            errors.push(
                FieldError::new(
                    ErrorCode::DedupeThresholds,
                    format!(
                        "review_at {} is above match_at {}; nothing could be sent to review",
                        t.review_at, t.match_at
                    ),
                )
                .at("thresholds.review_at"),
            );
        }

        let b = &self.blocking;
        for (path, value) in [
            ("blocking.max_block", b.max_block),
            ("blocking.max_name_block", b.max_name_block),
        ] {
            errors.ensure(
                value > 0,
                path,
                ErrorCode::DedupeBlockSize,
                "a block limit must be at least 1",
            );
        }
        errors.ensure_with(
            b.window >= 2,
            "blocking.window",
            ErrorCode::DedupeBlockSize,
            || {
                format!(
                    "a window of {} compares no record with another; it must be at least 2",
                    b.window
                )
            },
        );
        errors.into_result()
    }
}

fn check_weights(errors: &mut ValidationErrors, path: &str, w: &FieldWeights) {
    let mut in_range = true;
    for (name, p) in [("m", w.m), ("u", w.u)] {
        if !(p > 0.0 && p < 1.0) {
            in_range = false;
            errors.push(
                FieldError::new(
                    ErrorCode::DedupeProbability,
                    format!("a probability must be strictly between 0 and 1, found {p}"),
                )
                .at(&format!("{path}.{name}")),
            );
        }
    }
    if in_range && w.m <= w.u {
        errors.push(
            FieldError::new(
                ErrorCode::DedupeWeightOrder,
                format!(
                    "m ({}) must be above u ({}), or agreeing would count against a match",
                    w.m, w.u
                ),
            )
            .at(&format!("{path}.m")),
        );
    }
}

fn check_similar(errors: &mut ValidationErrors, path: &str, f: &SimilarField) {
    check_weights(errors, path, &f.weights());
    if !(f.similar_at >= 0.0 && f.similar_at < 1.0) {
        errors.push(
            FieldError::new(
                ErrorCode::DedupeSimilarity,
                format!(
                    "similar_at must be at least 0 and below 1, found {}",
                    f.similar_at
                ),
            )
            .at(&format!("{path}.similar_at")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::from_json;

    fn problems(json: &str) -> Vec<(String, ErrorCode)> {
        let config: DedupeConfig = from_json(json).unwrap();
        match config.validate() {
            Ok(()) => Vec::new(),
            Err(e) => e.into_iter().map(|e| (e.path, e.code)).collect(),
        }
    }

    #[test]
    fn default_weights_worked_by_hand() {
        let f = FieldConfigs::default();
        // log2(0.95 / 0.001) = log2(950) = 9.8918 (2^9.8918 ≈ 950)
        assert!((f.name.weights().agreement() - 9.891_784).abs() < 1e-6);
        // log2(0.05 / 0.999) = −4.3205
        assert!((f.name.weights().disagreement() + 4.320_484).abs() < 1e-6);
        // log2(0.80 / 0.0001) = log2(8000) = 12.9658
        assert!((f.email.agreement() - 12.965_784).abs() < 1e-6);
        // log2(0.85 / 0.0001) = log2(8500) = 13.0533
        assert!((f.phone.weights().agreement() - 13.053_247).abs() < 1e-6);
        // log2(0.001 / 0.9999999) = −9.9658
        assert!((f.document.disagreement() + 9.965_784).abs() < 1e-6);
    }

    #[test]
    fn empty_json_is_the_default_and_valid() {
        assert_eq!(
            from_json::<DedupeConfig>("{}").ok(),
            Some(DedupeConfig::default())
        );
        assert!(problems("{}").is_empty());
    }

    #[test]
    fn every_problem_with_its_path() {
        assert_eq!(
            problems(r#"{"fields": {"name": {"m": 1.0, "u": 0.0, "similar_at": 1.0}}}"#),
            [
                ("fields.name.m".to_owned(), ErrorCode::DedupeProbability),
                ("fields.name.u".to_owned(), ErrorCode::DedupeProbability),
                (
                    "fields.name.similar_at".to_owned(),
                    ErrorCode::DedupeSimilarity
                ),
            ]
        );
        assert_eq!(
            problems(r#"{"fields": {"document": {"m": 0.5, "u": 0.5}}}"#),
            [("fields.document.m".to_owned(), ErrorCode::DedupeWeightOrder)]
        );
        assert_eq!(
            problems(r#"{"blocking": {"max_block": 0, "max_name_block": 0, "window": 0}}"#),
            [
                ("blocking.max_block".to_owned(), ErrorCode::DedupeBlockSize),
                (
                    "blocking.max_name_block".to_owned(),
                    ErrorCode::DedupeBlockSize
                ),
                ("blocking.window".to_owned(), ErrorCode::DedupeBlockSize),
            ]
        );
        // equal thresholds are fine (no review band)
        assert!(problems(r#"{"thresholds": {"match_at": 12, "review_at": 12}}"#).is_empty());
    }

    #[test]
    fn non_finite_values_from_rust_are_refused() {
        let mut c = DedupeConfig::default();
        c.fields.phone.m = f64::NAN;
        c.fields.phone.similar_at = f64::NAN;
        c.thresholds.match_at = f64::INFINITY;
        let errors = c.validate().unwrap_err();
        assert!(errors.contains("fields.phone.m", ErrorCode::DedupeProbability));
        assert!(errors.contains("fields.phone.similar_at", ErrorCode::DedupeSimilarity));
        assert!(errors.contains("thresholds.match_at", ErrorCode::DedupeThresholds));
        assert_eq!(errors.len(), 3);
    }

    #[test]
    fn shape_errors_name_the_path() {
        let err = from_json::<DedupeConfig>(r#"{"fields": {"name": {"m": 0.9}}}"#).unwrap_err();
        assert_eq!(err.code, ErrorCode::Json);
        assert_eq!(err.path, "fields.name");
        let err = from_json::<DedupeConfig>(r#"{"thresholds": {"match": 3}}"#).unwrap_err();
        assert_eq!(err.path, "thresholds.match");
    }
}
