//! Splitting a pool among a deal's participants: shares off the top, then the remainder by
//! role (vacant shares, equal shares when the plan is silent, accelerators), then caps and
//! minimums settled against the house role. The parts always sum exactly to the pool.

use super::explain::Explanation;
use super::plan::{CommissionPlan, SplitRule};
use crate::domain::{Participant, ParticipantRole};
use crate::error::{Error, ErrorCode, FieldError, ValidationErrors};
use crate::money::{Money, RoundingMode, allocate, allocate_even};
use rust_decimal::Decimal;

/// Gross amounts and trails per participant, in deal order.
pub(crate) struct SplitOutcome {
    pub gross: Vec<Money>,
    pub trails: Vec<Vec<Explanation>>,
    pub pool_trail: Vec<Explanation>,
}

/// What the split may use beyond the shares: accelerators and limits (sales and placements),
/// or neither (administration fees).
pub(crate) struct SplitOptions<'a> {
    pub plan: &'a CommissionPlan,
    pub accelerate: bool,
    pub limit: bool,
    /// Each participant's period volume including this deal (for accelerators).
    pub volumes: &'a [Decimal],
}

/// A role of the remainder: its share after vacancies and the vacant roles it took over.
type RoleEntry = (ParticipantRole, Decimal, Vec<(ParticipantRole, Decimal)>);

fn add(a: Money, b: Money) -> Result<Money, Error> {
    a.checked_add(b)
}

fn overflow() -> Error {
    Error::Overflow {
        operation: "commission split",
    }
}

pub(crate) fn split_pool(
    pool: Money,
    split: &SplitRule,
    participants: &[Participant],
    opts: &SplitOptions<'_>,
) -> Result<SplitOutcome, Error> {
    let n = participants.len();
    let currency = pool.currency();
    let mut out = SplitOutcome {
        gross: vec![Money::zero(currency); n],
        trails: vec![Vec::new(); n],
        pool_trail: Vec::new(),
    };
    let holders_of = |role: ParticipantRole| -> Vec<usize> {
        participants
            .iter()
            .enumerate()
            .filter(|(_, p)| p.role == role)
            .map(|(i, _)| i)
            .collect()
    };

    // 1. Shares off the top, in order.
    let mut taken = Money::zero(currency);
    let mut paid_on_top = vec![false; n];
    for (j, top) in split.first.iter().enumerate() {
        let holders = holders_of(top.role);
        if holders.is_empty() {
            out.pool_trail.push(Explanation::TopShareSkipped {
                index: j,
                role: top.role,
            });
            continue;
        }
        let amount = match (top.percent_of_pool, top.fixed) {
            (Some(rate), None) => pool
                .checked_mul(rate.value())?
                .round(RoundingMode::HalfEven),
            (None, Some(fixed)) if fixed.currency() != currency => {
                return Err(Error::CurrencyMismatch {
                    left: currency,
                    right: fixed.currency(),
                });
            }
            (None, Some(fixed)) => fixed,
            _ => {
                return Err(FieldError::new(
                    ErrorCode::CommissionShareKind,
                    "give either percent_of_pool or fixed",
                )
                .at(&format!("split.first[{j}]"))
                .into());
            }
        };
        // One holder takes the whole share; several split it evenly (largest remainder).
        let parts = if holders.len() == 1 {
            vec![amount]
        } else {
            allocate_even(amount, holders.len())?
        };
        for (&h, part) in holders.iter().zip(parts) {
            if let (Some(g), Some(t)) = (out.gross.get_mut(h), out.trails.get_mut(h)) {
                *g = add(*g, part)?;
                t.push(Explanation::TopShare {
                    index: j,
                    percent_of_pool: top.percent_of_pool.map(|r| r.value()),
                    amount,
                    holders: holders.len(),
                });
            }
            if let Some(p) = paid_on_top.get_mut(h) {
                *p = true;
            }
        }
        taken = add(taken, amount)?;
    }
    let remainder = pool.checked_sub(taken)?;
    if remainder.is_negative() {
        return Err(FieldError::new(
            ErrorCode::CommissionPoolExceeded,
            format!("shares off the top take {taken}, more than the pool {pool}"),
        )
        .at("split.first")
        .into());
    }
    out.pool_trail
        .push(Explanation::Remainder { amount: remainder });

    // 2. The remainder by role.
    let weights = remainder_weights(split, participants, &paid_on_top, opts, &mut out.trails)?;
    if !remainder.is_zero() {
        let parts = allocate(remainder, &weights)?;
        for (i, part) in parts.into_iter().enumerate() {
            let w = weights.get(i).copied().unwrap_or_default();
            if let (Some(g), Some(t)) = (out.gross.get_mut(i), out.trails.get_mut(i)) {
                if !w.is_zero() {
                    *g = add(*g, part)?;
                    t.push(Explanation::Allocated { amount: part });
                }
            }
        }
    }

    // 3. Caps and minimums, settled against the house role.
    if opts.limit {
        settle_limits(opts.plan, participants, &mut out)?;
    }
    Ok(out)
}

/// Weights of the remainder per participant, exact decimals (no repeating fractions: each
/// role's share is scaled by the product of the holder counts instead of divided).
fn remainder_weights(
    split: &SplitRule,
    participants: &[Participant],
    paid_on_top: &[bool],
    opts: &SplitOptions<'_>,
    trails: &mut [Vec<Explanation>],
) -> Result<Vec<Decimal>, Error> {
    let n = participants.len();
    let mut weights = vec![Decimal::ZERO; n];
    let count = |role: ParticipantRole| participants.iter().filter(|p| p.role == role).count();

    if split.then.is_empty() {
        // Silent agreement: everyone not paid off the top shares equally (Civil Code art. 728).
        let eligible: Vec<usize> = (0..n)
            .filter(|i| !paid_on_top.get(*i).copied().unwrap_or(true))
            .collect();
        if eligible.is_empty() {
            return Err(FieldError::new(
                ErrorCode::CommissionRoleUnfilled,
                "no participant is left to share the remainder",
            )
            .at("participants")
            .into());
        }
        for &i in &eligible {
            if let (Some(w), Some(t)) = (weights.get_mut(i), trails.get_mut(i)) {
                *w = Decimal::ONE;
                t.push(Explanation::EqualShare {
                    participants: eligible.len(),
                });
            }
        }
        return Ok(weights);
    }

    // Shares per role, with vacant roles passed on.
    let mut errors = ValidationErrors::default();
    // (role, its share after vacancies, the vacant roles whose shares it received)
    let mut shares: Vec<RoleEntry> = Vec::new();
    for s in &split.then {
        shares.push((s.role, s.share.value(), Vec::new()));
    }
    for (k, s) in split.then.iter().enumerate() {
        if count(s.role) > 0 {
            continue;
        }
        let target = opts.plan.vacant_share_to.filter(|v| count(*v) > 0);
        match target.and_then(|v| shares.iter_mut().find(|(r, _, _)| *r == v)) {
            Some(entry) => {
                entry.1 = entry.1.checked_add(s.share.value()).ok_or_else(overflow)?;
                entry.2.push((s.role, s.share.value()));
            }
            None => errors.push(
                FieldError::new(
                    ErrorCode::CommissionRoleUnfilled,
                    format!(
                        "the plan gives {:?} a share but no participant holds that role",
                        s.role
                    ),
                )
                .at(&format!("split.then[{k}].role")),
            ),
        }
    }
    for (i, p) in participants.iter().enumerate() {
        let on_top = paid_on_top.get(i).copied().unwrap_or(false);
        if !on_top && !split.then.iter().any(|s| s.role == p.role) {
            errors.push(
                FieldError::new(
                    ErrorCode::CommissionRoleUnpaid,
                    format!("the plan pays no share to {:?}", p.role),
                )
                .at(&format!("participants[{i}].role")),
            );
        }
    }
    errors.into_result()?;

    // Scale: the product of the holder counts, times the house's count again so its funding of
    // accelerators divides exactly.
    let house = opts.plan.house_role;
    let mut scale: u64 = 1;
    for (k, (role, _, _)) in shares.iter().enumerate() {
        let c = count(*role);
        let seen = shares.iter().take(k).any(|(r, _, _)| count(*r) == c);
        if c > 0 && !seen {
            scale = scale.checked_mul(c as u64).ok_or_else(overflow)?;
        }
    }
    scale = scale
        .checked_mul(count(house).max(1) as u64)
        .ok_or_else(overflow)?;
    let scale = Decimal::from(scale);

    let mut funded = Decimal::ZERO;
    for (role, share, received) in &shares {
        let holders = count(*role);
        if holders == 0 {
            continue;
        }
        let per = scale
            .checked_div(Decimal::from(holders as u64))
            .ok_or_else(overflow)?;
        for (i, _) in participants
            .iter()
            .enumerate()
            .filter(|(_, p)| p.role == *role)
        {
            let mut effective = *share;
            let trail = trails.get_mut(i);
            let Some(trail) = trail else { continue };
            trail.push(Explanation::RoleShare {
                share: *share,
                holders,
            });
            for (from_role, s) in received {
                trail.push(Explanation::VacantShareReceived {
                    from_role: *from_role,
                    share: *s,
                });
            }
            if opts.accelerate && *role != house {
                let volume = opts.volumes.get(i).copied().unwrap_or_default();
                let best = opts
                    .plan
                    .accelerators
                    .iter()
                    .filter(|a| a.role == *role && a.from_volume <= volume)
                    .max_by_key(|a| a.from_volume);
                if let Some(a) = best.filter(|a| a.share.value() > *share) {
                    let delta = a.share.value().checked_sub(*share).ok_or_else(overflow)?;
                    funded = funded
                        .checked_add(delta.checked_mul(per).ok_or_else(overflow)?)
                        .ok_or_else(overflow)?;
                    effective = a.share.value();
                    trail.push(Explanation::Accelerated {
                        from_volume: a.from_volume,
                        volume,
                        share: effective,
                    });
                }
            }
            if let Some(w) = weights.get_mut(i) {
                *w = effective.checked_mul(per).ok_or_else(overflow)?;
            }
        }
    }
    if !funded.is_zero() {
        let house_holders: Vec<usize> = (0..n)
            .filter(|i| participants.get(*i).is_some_and(|p| p.role == house))
            .collect();
        if house_holders.is_empty() {
            return Err(FieldError::new(
                ErrorCode::CommissionLimitUnfunded,
                "no house participant can fund the accelerator",
            )
            .at("participants")
            .into());
        }
        let each = funded
            .checked_div(Decimal::from(house_holders.len() as u64))
            .ok_or_else(overflow)?;
        for i in house_holders {
            if let (Some(w), Some(t)) = (weights.get_mut(i), trails.get_mut(i)) {
                *w = w.checked_sub(each).ok_or_else(overflow)?;
                if w.is_sign_negative() && !w.is_zero() {
                    return Err(FieldError::new(
                        ErrorCode::CommissionLimitUnfunded,
                        "accelerators need more than the house role's share",
                    )
                    .at("accelerators")
                    .into());
                }
                t.push(Explanation::AcceleratorFunded {
                    share: each.checked_div(scale).unwrap_or_default().normalize(),
                });
            }
        }
    }
    Ok(weights)
}

/// Cuts grosses to their caps and raises them to their minimums, the house role absorbing the
/// difference so the total is unchanged.
fn settle_limits(
    plan: &CommissionPlan,
    participants: &[Participant],
    out: &mut SplitOutcome,
) -> Result<(), Error> {
    if plan.limits.is_empty() {
        return Ok(());
    }
    let currency = out
        .gross
        .first()
        .map_or(crate::Currency::BRL, Money::currency);
    let mut house_delta = Money::zero(currency);
    for pass_caps in [true, false] {
        for (i, p) in participants.iter().enumerate() {
            let Some(limit) = plan
                .limits
                .iter()
                .find(|l| l.role == p.role && p.role != plan.house_role)
            else {
                continue;
            };
            let (Some(g), Some(t)) = (out.gross.get_mut(i), out.trails.get_mut(i)) else {
                continue;
            };
            let bound = if pass_caps { limit.max } else { limit.min };
            let Some(bound) = bound else { continue };
            if bound.currency() != currency {
                return Err(Error::CurrencyMismatch {
                    left: currency,
                    right: bound.currency(),
                });
            }
            if pass_caps && g.amount() > bound.amount() {
                let excess = g.checked_sub(bound)?;
                t.push(Explanation::Capped { max: bound, excess });
                house_delta = house_delta.checked_add(excess)?;
                *g = bound;
            } else if !pass_caps && g.amount() < bound.amount() {
                let top_up = bound.checked_sub(*g)?;
                t.push(Explanation::RaisedToMinimum { min: bound, top_up });
                house_delta = house_delta.checked_sub(top_up)?;
                *g = bound;
            }
        }
    }
    if house_delta.is_zero() {
        return Ok(());
    }
    let house: Vec<usize> = participants
        .iter()
        .enumerate()
        .filter(|(_, p)| p.role == plan.house_role)
        .map(|(i, _)| i)
        .collect();
    if house.is_empty() {
        return Err(FieldError::new(
            ErrorCode::CommissionLimitUnfunded,
            "no house participant can settle caps and minimums",
        )
        .at("participants")
        .into());
    }
    let magnitude = Money::new(house_delta.amount().abs(), currency);
    let parts = allocate_even(magnitude, house.len())?;
    for (&h, part) in house.iter().zip(parts) {
        let signed = if house_delta.is_negative() {
            -part
        } else {
            part
        };
        if let (Some(g), Some(t)) = (out.gross.get_mut(h), out.trails.get_mut(h)) {
            *g = g.checked_add(signed)?;
            if g.is_negative() {
                return Err(FieldError::new(
                    ErrorCode::CommissionLimitUnfunded,
                    "minimums need more than the house role's share holds",
                )
                .at("limits")
                .into());
            }
            t.push(Explanation::LimitsSettled { amount: signed });
        }
    }
    Ok(())
}
