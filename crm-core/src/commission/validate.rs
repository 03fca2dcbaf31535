//! Plan validation: every problem of a plan, each with its path, before any deal is paid.

use super::plan::{CommissionPlan, PoolRule, SplitRule, Tier};
use super::rate::check_rate;
use crate::domain::{DealKind, ParticipantRole};
use crate::error::{ErrorCode, FieldError, ValidationErrors};
use rust_decimal::Decimal;
use std::collections::HashSet;

impl CommissionPlan {
    /// Every problem with the plan, each with its path: rates outside 0%..=100%, tiers with
    /// gaps or overlaps (a gap would silently pay zero) or not open-ended, shares of the
    /// remainder not summing to 100%, top shares over 100% or with neither/both kinds, a role
    /// twice, accelerators that lower a share or cannot be funded, caps below minimums, fixed
    /// amounts that are negative, a pool that does not fit the plan's deal kind.
    ///
    /// ```
    /// use crm_core::{commission::CommissionPlan, domain::from_json};
    /// let plan: CommissionPlan = from_json(r#"{
    ///   "id": "bad", "applies_to": "sale",
    ///   "pool": {"type": "tiered", "mode": "flat", "tiers": [
    ///     {"from": "0", "to": "500000", "rate": "6%"},
    ///     {"from": "600000", "to": null, "rate": "5%"}]},
    ///   "split": {"then": [{"role": "agency", "share": "50%"}, {"role": "selling_broker", "share": "40%"}]}
    /// }"#).unwrap();
    /// let errors = plan.validate().unwrap_err();
    /// let found: Vec<_> = errors.errors().iter().map(|e| (e.path.as_str(), e.code.as_str())).collect();
    /// assert_eq!(found, [
    ///     ("pool.tiers[1].from", "validation.commission.tier_gap"),
    ///     ("split.then", "validation.commission.shares_sum"),
    /// ]);
    /// ```
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        crate::domain::required_text(&mut errors, "id", &self.id, crate::domain::MAX_NAME_CHARS);
        self.check_pool(&mut errors);
        check_split(&mut errors, "split", &self.split);
        self.check_accelerators(&mut errors);
        self.check_limits(&mut errors);
        if let Some(admin) = &self.administration {
            if self.applies_to != DealKind::Lease {
                errors.push(
                    FieldError::new(
                        ErrorCode::CommissionPoolKind,
                        "only a lease plan has an administration fee",
                    )
                    .at("administration"),
                );
            }
            check_rate(&mut errors, "administration.rate", admin.rate);
            if let Some(split) = &admin.split {
                check_split(&mut errors, "administration.split", split);
            }
        }
        if let Some(c) = self.clawback.filter(|c| c.window_days == 0) {
            errors.push(
                FieldError::new(
                    ErrorCode::NumberRange,
                    format!("a window of {} days claws nothing back", c.window_days),
                )
                .at("clawback.window_days"),
            );
        }
        let roles = self.split.then.iter().map(|s| s.role).collect::<Vec<_>>();
        if let Some(vacant) = self
            .vacant_share_to
            .filter(|r| !roles.is_empty() && !roles.contains(r))
        {
            errors.push(
                FieldError::new(
                    ErrorCode::CommissionRoleUnfilled,
                    format!("vacant shares go to {vacant:?}, which has no share of the remainder"),
                )
                .at("vacant_share_to"),
            );
        }
        errors.into_result()
    }

    fn check_pool(&self, errors: &mut ValidationErrors) {
        match &self.pool {
            PoolRule::Percentage { rate } => check_rate(errors, "pool.rate", *rate),
            PoolRule::Fixed { amount } => {
                if amount.is_negative() || amount.is_zero() {
                    errors.push(
                        FieldError::new(ErrorCode::NumberRange, "a fixed fee must be above zero")
                            .at("pool.amount"),
                    );
                }
            }
            PoolRule::Tiered { tiers, .. } => check_tiers(errors, tiers),
            PoolRule::FirstRent { share } => {
                check_rate(errors, "pool.share", *share);
                if self.applies_to != DealKind::Lease {
                    errors.push(
                        FieldError::new(
                            ErrorCode::CommissionPoolKind,
                            "a first-rent pool only fits a lease plan",
                        )
                        .at("pool.type"),
                    );
                }
            }
        }
    }

    fn check_accelerators(&self, errors: &mut ValidationErrors) {
        let share_of = |role| {
            self.split
                .then
                .iter()
                .find(|s| s.role == role)
                .map(|s| s.share.value())
        };
        let house = share_of(self.house_role).unwrap_or(Decimal::ZERO);
        for (i, a) in self.accelerators.iter().enumerate() {
            let path = format!("accelerators[{i}]");
            check_rate(errors, &format!("{path}.share"), a.share);
            if a.from_volume < Decimal::ZERO {
                errors.push(
                    FieldError::new(
                        ErrorCode::NumberRange,
                        "a volume threshold cannot be negative",
                    )
                    .at(&format!("{path}.from_volume")),
                );
            }
            let twice = self
                .accelerators
                .iter()
                .take(i)
                .any(|b| b.role == a.role && b.from_volume == a.from_volume);
            if twice {
                errors.push(
                    FieldError::new(
                        ErrorCode::CommissionRoleDuplicate,
                        "two accelerators for one role and threshold",
                    )
                    .at(&path),
                );
            }
            let problem = match share_of(a.role) {
                None => Some(format!(
                    "{:?} has no share of the remainder to accelerate",
                    a.role
                )),
                Some(_) if a.role == self.house_role => {
                    Some("the house role cannot fund its own accelerator".into())
                }
                Some(base) if a.share.value() < base => {
                    Some(format!("lowers {:?}'s share below its base", a.role))
                }
                Some(base) if a.share.value().checked_sub(base).is_none_or(|d| d > house) => {
                    Some(format!(
                        "needs {} more of the remainder; the house role holds {}",
                        super::rate::PlanRate::new(a.share.value().saturating_sub(base)),
                        super::rate::PlanRate::new(house)
                    ))
                }
                Some(_) => None,
            };
            if let Some(message) = problem {
                errors.push(
                    FieldError::new(ErrorCode::CommissionAccelerator, message)
                        .at(&format!("{path}.share")),
                );
            }
        }
    }

    fn check_limits(&self, errors: &mut ValidationErrors) {
        for (i, l) in self.limits.iter().enumerate() {
            let path = format!("limits[{i}]");
            for (field, m) in [("min", l.min), ("max", l.max)] {
                if m.is_some_and(|m| m.is_negative()) {
                    errors.push(
                        FieldError::new(ErrorCode::MoneyNegative, "cannot be negative")
                            .at(&format!("{path}.{field}")),
                    );
                }
            }
            if let (Some(min), Some(max)) = (l.min, l.max) {
                if max.currency() != min.currency() || max.amount() < min.amount() {
                    errors.push(
                        FieldError::new(
                            ErrorCode::CommissionCapBelowMinimum,
                            format!("cap {max} is below minimum {min}"),
                        )
                        .at(&format!("{path}.max")),
                    );
                }
            }
            if self.limits.iter().take(i).any(|o| o.role == l.role) {
                errors.push(
                    FieldError::new(
                        ErrorCode::CommissionRoleDuplicate,
                        format!("{:?} already has limits", l.role),
                    )
                    .at(&format!("{path}.role")),
                );
            }
            if l.role == self.house_role {
                errors.push(
                    FieldError::new(
                        ErrorCode::CommissionRoleDuplicate,
                        "the house role absorbs limits and has none itself",
                    )
                    .at(&format!("{path}.role")),
                );
            }
        }
    }
}

/// Tiers from zero, contiguous, rising, the last one open-ended.
fn check_tiers(errors: &mut ValidationErrors, tiers: &[Tier]) {
    if tiers.is_empty() {
        errors.push(
            FieldError::new(
                ErrorCode::CommissionTierGap,
                "a tiered pool needs at least one tier",
            )
            .at("pool.tiers"),
        );
        return;
    }
    let mut expected_from = Some(Decimal::ZERO);
    let last = tiers.len() - 1;
    for (k, t) in tiers.iter().enumerate() {
        let path = format!("pool.tiers[{k}]");
        check_rate(errors, &format!("{path}.rate"), t.rate);
        match expected_from {
            Some(e) if t.from > e => errors.push(
                FieldError::new(
                    ErrorCode::CommissionTierGap,
                    format!("starts at {}; values from {e} would pay zero", t.from),
                )
                .at(&format!("{path}.from")),
            ),
            Some(e) if t.from < e => errors.push(
                FieldError::new(
                    ErrorCode::CommissionTierOverlap,
                    format!("starts at {}, inside the previous tier (to {e})", t.from),
                )
                .at(&format!("{path}.from")),
            ),
            None => errors.push(
                FieldError::new(
                    ErrorCode::CommissionTierOverlap,
                    "follows an open-ended tier",
                )
                .at(&format!("{path}.from")),
            ),
            _ => {}
        }
        match t.to {
            Some(to) if to <= t.from => errors.push(
                FieldError::new(
                    ErrorCode::CommissionTierOverlap,
                    format!("ends at {to}, not above its start {}", t.from),
                )
                .at(&format!("{path}.to")),
            ),
            Some(to) if k == last => errors.push(
                FieldError::new(
                    ErrorCode::CommissionTierGap,
                    format!("the last tier ends at {to}; values above it would pay zero"),
                )
                .at(&format!("{path}.to")),
            ),
            _ => {}
        }
        expected_from = t.to;
    }
}

/// Top shares: one kind each, rates in range, at most 100% of the pool together; the
/// remainder's shares in range and summing to 100%; no role twice.
fn check_split(errors: &mut ValidationErrors, at: &str, split: &SplitRule) {
    let mut seen: HashSet<ParticipantRole> = HashSet::new();
    let mut top_percent = Decimal::ZERO;
    for (i, s) in split.first.iter().enumerate() {
        let path = format!("{at}.first[{i}]");
        match (s.percent_of_pool, s.fixed) {
            (Some(r), None) => {
                check_rate(errors, &format!("{path}.percent_of_pool"), r);
                top_percent = top_percent.checked_add(r.value()).unwrap_or(Decimal::MAX);
            }
            (None, Some(m)) if m.is_negative() => errors.push(
                FieldError::new(ErrorCode::MoneyNegative, "cannot be negative")
                    .at(&format!("{path}.fixed")),
            ),
            (None, Some(_)) => {}
            _ => errors.push(
                FieldError::new(
                    ErrorCode::CommissionShareKind,
                    "give either percent_of_pool or fixed",
                )
                .at(&path),
            ),
        }
        if !seen.insert(s.role) {
            errors.push(
                FieldError::new(
                    ErrorCode::CommissionRoleDuplicate,
                    format!("{:?} already has a share", s.role),
                )
                .at(&format!("{path}.role")),
            );
        }
    }
    if top_percent > Decimal::ONE {
        errors.push(
            FieldError::new(
                ErrorCode::CommissionSharesSum,
                format!(
                    "shares off the top take {} of the pool",
                    super::rate::PlanRate::new(top_percent)
                ),
            )
            .at(&format!("{at}.first")),
        );
    }
    let mut sum = Decimal::ZERO;
    for (i, s) in split.then.iter().enumerate() {
        let path = format!("{at}.then[{i}]");
        check_rate(errors, &format!("{path}.share"), s.share);
        sum = sum.checked_add(s.share.value()).unwrap_or(Decimal::MAX);
        if !seen.insert(s.role) {
            errors.push(
                FieldError::new(
                    ErrorCode::CommissionRoleDuplicate,
                    format!("{:?} already has a share", s.role),
                )
                .at(&format!("{path}.role")),
            );
        }
    }
    if !split.then.is_empty() && sum != Decimal::ONE {
        errors.push(
            FieldError::new(
                ErrorCode::CommissionSharesSum,
                format!(
                    "the shares of the remainder sum to {}, not 100%",
                    super::rate::PlanRate::new(sum)
                ),
            )
            .at(&format!("{at}.then")),
        );
    }
}
