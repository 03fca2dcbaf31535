//! Rule-set validation: every problem with its path, before any lead is scored.

use super::points::Points;
use super::rules::{EngagementCondition, FitCondition, Group, Rule, RuleSet};
use crate::error::{ErrorCode, FieldError, ValidationErrors};
use std::collections::HashSet;

/// Source kinds a `source` condition may name.
pub(crate) const SOURCE_KINDS: [&str; 7] = [
    "website",
    "referral",
    "walk_in",
    "phone_call",
    "social",
    "portal",
    "other",
];

impl RuleSet {
    /// Every problem with the rule set, each with its path: caps above zero, unique group
    /// names, rules naming a known group with non-zero points and a sensible condition, rule ids
    /// unique across both sections, a positive decay, weights not both zero, and bands that are
    /// unique, within 0–100, strictly descending and ending at 0.
    ///
    /// ```
    /// use crm_core::{domain::from_json, scoring::RuleSet};
    /// let rules: RuleSet = from_json(r#"{"id": "r",
    ///   "fit": {"cap": 50, "groups": [{"name": "contact", "cap": 10}],
    ///           "rules": [{"id": "phone", "group": "contat", "points": 5, "when": {"type": "valid_phone"}}]},
    ///   "engagement": {"cap": 50, "decay": {"type": "half_life", "days": 14}, "groups": [], "rules": []},
    ///   "bands": [{"name": "Hot", "min": 70}, {"name": "Warm", "min": 40}]}"#).unwrap();
    /// let found: Vec<_> = rules.validate().unwrap_err().into_iter().map(|e| (e.path, e.code.as_str())).collect();
    /// assert_eq!(found, [
    ///     ("fit.rules[0].group".to_owned(), "validation.scoring.group_unknown"),
    ///     ("bands[1].min".to_owned(), "validation.scoring.bands"),
    /// ]);
    /// ```
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        crate::domain::required_text(&mut errors, "id", &self.id, crate::domain::MAX_NAME_CHARS);
        let mut ids = HashSet::new();
        check_section(
            &mut errors,
            "fit",
            self.fit.cap,
            &self.fit.groups,
            &self.fit.rules,
            &mut ids,
            check_fit,
        );
        let e = &self.engagement;
        check_section(
            &mut errors,
            "engagement",
            e.cap,
            &e.groups,
            &e.rules,
            &mut ids,
            check_engagement,
        );
        let days = match e.decay {
            super::rules::Decay::None => None,
            super::rules::Decay::Window { days } | super::rules::Decay::HalfLife { days } => {
                Some(days)
            }
        };
        if days == Some(0) {
            errors.push(
                FieldError::new(ErrorCode::NumberRange, "must be at least one day")
                    .at("engagement.decay.days"),
            );
        }
        let w = self.weights;
        if w.fit < Points::ZERO
            || w.engagement < Points::ZERO
            || (w.fit == Points::ZERO && w.engagement == Points::ZERO)
        {
            errors.push(
                FieldError::new(
                    ErrorCode::ScoringWeights,
                    "weights must not be negative and not both zero",
                )
                .at("weights"),
            );
        }
        self.check_bands(&mut errors);
        errors.into_result()
    }

    fn check_bands(&self, errors: &mut ValidationErrors) {
        if self.bands.is_empty() {
            errors.push(
                FieldError::new(ErrorCode::ScoringBands, "at least one band is needed").at("bands"),
            );
            return;
        }
        let mut names = HashSet::new();
        let mut previous: Option<Points> = None;
        for (i, b) in self.bands.iter().enumerate() {
            let path = format!("bands[{i}]");
            crate::domain::required_text(errors, &format!("{path}.name"), &b.name, 40);
            if !names.insert(b.name.trim()) {
                errors.push(
                    FieldError::new(ErrorCode::ScoringDuplicate, "another band has this name")
                        .at(&format!("{path}.name")),
                );
            }
            let out_of_range = b.min < Points::ZERO || b.min > Points::whole(100);
            let not_descending = previous.is_some_and(|p| b.min >= p);
            let last_not_zero = i + 1 == self.bands.len() && b.min != Points::ZERO;
            if out_of_range || not_descending || last_not_zero {
                let why = if out_of_range {
                    "must be within 0–100"
                } else if not_descending {
                    "must be below the previous band's"
                } else {
                    "the last band must start at 0 so every score has a band"
                };
                errors
                    .push(FieldError::new(ErrorCode::ScoringBands, why).at(&format!("{path}.min")));
            }
            previous = Some(b.min);
        }
    }
}

fn check_section<C>(
    errors: &mut ValidationErrors,
    at: &str,
    cap: Points,
    groups: &[Group],
    rules: &[Rule<C>],
    ids: &mut HashSet<String>,
    check: fn(&mut ValidationErrors, &str, &C),
) {
    if cap <= Points::ZERO {
        errors.push(
            FieldError::new(ErrorCode::NumberRange, "must be above zero").at(&format!("{at}.cap")),
        );
    }
    let mut names = HashSet::new();
    for (i, g) in groups.iter().enumerate() {
        let path = format!("{at}.groups[{i}]");
        crate::domain::required_text(errors, &format!("{path}.name"), &g.name, 80);
        if !names.insert(g.name.as_str()) {
            errors.push(
                FieldError::new(ErrorCode::ScoringDuplicate, "another group has this name")
                    .at(&format!("{path}.name")),
            );
        }
        if g.cap <= Points::ZERO {
            errors.push(
                FieldError::new(ErrorCode::NumberRange, "must be above zero")
                    .at(&format!("{path}.cap")),
            );
        }
    }
    for (i, r) in rules.iter().enumerate() {
        let path = format!("{at}.rules[{i}]");
        crate::domain::required_text(errors, &format!("{path}.id"), &r.id, 80);
        if !ids.insert(r.id.clone()) {
            errors.push(
                FieldError::new(ErrorCode::ScoringDuplicate, "another rule has this id")
                    .at(&format!("{path}.id")),
            );
        }
        if !groups.iter().any(|g| g.name == r.group) {
            errors.push(
                FieldError::new(
                    ErrorCode::ScoringGroupUnknown,
                    format!("no group `{}` in {at}", r.group),
                )
                .at(&format!("{path}.group")),
            );
        }
        if r.points == Points::ZERO {
            errors.push(
                FieldError::new(
                    ErrorCode::NumberRange,
                    "a rule worth zero points does nothing",
                )
                .at(&format!("{path}.points")),
            );
        }
        check(errors, &format!("{path}.when"), &r.when);
    }
}

fn bad(errors: &mut ValidationErrors, path: &str, message: &str) {
    errors.push(FieldError::new(ErrorCode::ScoringCondition, message).at(path));
}

fn check_fit(errors: &mut ValidationErrors, path: &str, c: &FitCondition) {
    match c {
        FitCondition::ProfileComplete { min_fields } if !(1..=8).contains(min_fields) => bad(
            errors,
            &format!("{path}.min_fields"),
            "must be within 1..=8",
        ),
        FitCondition::Source { sources, portals } => {
            if sources.is_empty() && portals.is_empty() {
                bad(errors, path, "name at least one source or portal");
            }
            for (i, s) in sources.iter().enumerate() {
                if !SOURCE_KINDS.contains(&s.as_str()) {
                    bad(
                        errors,
                        &format!("{path}.sources[{i}]"),
                        "unknown source kind",
                    );
                }
            }
            // Portals are matched by their key (`zap`, `viva_real`…): a name written another way
            // (`ZAP`, `Viva Real`) would silently never match, so it is refused.
            for (i, p) in portals.iter().enumerate() {
                if crate::domain::Portal::from_name(p).key() != p.as_str() {
                    bad(
                        errors,
                        &format!("{path}.portals[{i}]"),
                        "write the portal as its key, such as `zap` or `viva_real`",
                    );
                }
            }
        }
        FitCondition::Timeline { timelines } if timelines.is_empty() => bad(
            errors,
            &format!("{path}.timelines"),
            "name at least one timeline",
        ),
        _ => {}
    }
}

fn check_engagement(errors: &mut ValidationErrors, path: &str, c: &EngagementCondition) {
    match c {
        EngagementCondition::Activity { kinds } if kinds.is_empty() => bad(
            errors,
            &format!("{path}.kinds"),
            "name at least one activity kind",
        ),
        EngagementCondition::Recency { kinds, within_days } => {
            if kinds.is_empty() {
                bad(
                    errors,
                    &format!("{path}.kinds"),
                    "name at least one activity kind",
                );
            }
            if *within_days == 0 {
                bad(
                    errors,
                    &format!("{path}.within_days"),
                    "must be at least one day",
                );
            }
        }
        EngagementCondition::RepeatView { min_views } if *min_views < 2 => bad(
            errors,
            &format!("{path}.min_views"),
            "a repeat needs at least two views",
        ),
        _ => {}
    }
}
