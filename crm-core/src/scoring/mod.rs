//! Lead scoring with explanations: HubSpot-style fit and engagement points in capped groups,
//! time decay or windows on activities, a combined 0–100 score, a band, and every rule that
//! contributed — deterministic for the same inputs and `now`, on every platform.
//!
//! Rule sets are data ([`RuleSet`], JSON); a default for a Brazilian brokerage ships with the
//! crate ([`default_rules`], documented in `docs/scoring.md`).

mod fit;
pub(crate) use fit::base_letter;
mod points;
mod rules;
mod score;
mod validate;

pub use points::{Points, half_life_factor};
pub use rules::{
    Band, Decay, EngagementCondition, EngagementSection, FitCondition, Group, Rule, RuleSet,
    Section, Weights,
};
pub use score::{LeadInput, LeadScore, Reason, Scorer, SectionKind, Summary};

/// The default rule set's JSON, as shipped (`crm-core/src/scoring/default_rules.json`).
pub const DEFAULT_RULES_JSON: &str = include_str!("default_rules.json");

/// The default rule set for a Brazilian brokerage (see `docs/scoring.md` for each rule and why).
///
/// ```
/// let rules = crm_core::scoring::default_rules().unwrap();
/// assert!(rules.validate().is_ok());
/// assert_eq!(rules.bands.iter().map(|b| b.name.as_str()).collect::<Vec<_>>(), ["A", "B", "C", "D"]);
/// ```
pub fn default_rules() -> Result<RuleSet, crate::FieldError> {
    crate::domain::from_json(DEFAULT_RULES_JSON)
}

#[cfg(test)]
mod tests;
