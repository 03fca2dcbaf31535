//! Splitting a pool among a deal's participants: shares off the top, then the remainder by
//! role (vacant shares, equal shares when the plan is silent, accelerators), then caps and
//! minimums settled against the house role. The parts always sum exactly to the pool.

use super::explain::{Explanation, Trail};
use super::plan::{CommissionPlan, RoleShare, SplitRule};
use crate::domain::{Participant, ParticipantRole};
use crate::error::{Error, ErrorCode, FieldError, ValidationErrors};
use crate::money::{Money, RoundingMode, allocate_even, allocate_into, fast};
use rust_decimal::Decimal;

/// Each participant's part, in deal order, and the pool's own trail.
pub(crate) struct SplitOutcome {
    pub parts: Vec<Part>,
    pub pool_trail: Trail,
}

/// One participant's part of the pool.
pub(crate) struct Part {
    /// The gross amount.
    pub gross: Money,
    /// How it was reached (kept only when explanations are asked for).
    pub trail: Trail,
    /// Whether a share off the top was paid to them.
    on_top: bool,
}

/// What the split may use beyond the shares: accelerators and limits (sales and placements),
/// or neither (administration fees), and whether to explain it.
pub(crate) struct SplitOptions<'a> {
    pub plan: &'a CommissionPlan,
    pub accelerate: bool,
    pub limit: bool,
    /// Each participant's period volume including this deal (for accelerators).
    pub volumes: Volumes<'a>,
    /// Whether to keep the trails; without them no explanation is built.
    pub explain: bool,
}

/// Each participant's period volume including this deal, for accelerators.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Volumes<'a> {
    /// Nobody has earlier volume in the period: every participant's volume is the deal's value.
    DealOnly(Decimal),
    /// Per participant, in deal order (zero past the end).
    Each(&'a [Decimal]),
}

impl Volumes<'_> {
    fn of(self, participant: usize) -> Decimal {
        match self {
            Volumes::DealOnly(value) => value,
            Volumes::Each(volumes) => volumes.get(participant).copied().unwrap_or_default(),
        }
    }
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

/// The parts of the participants holding `role`, with their participant index.
fn holding<'a>(
    parts: &'a mut [Part],
    participants: &'a [Participant],
    role: ParticipantRole,
) -> impl Iterator<Item = (usize, &'a mut Part)> {
    parts
        .iter_mut()
        .zip(participants)
        .enumerate()
        .filter(move |(_, (_, p))| p.role == role)
        .map(|(i, (part, _))| (i, part))
}

pub(crate) fn split_pool(
    pool: Money,
    split: &SplitRule,
    participants: &[Participant],
    opts: &SplitOptions<'_>,
) -> Result<SplitOutcome, Error> {
    let currency = pool.currency();
    let mut out = SplitOutcome {
        parts: participants
            .iter()
            .map(|_| Part {
                gross: Money::zero(currency),
                trail: Trail::new(opts.explain),
                on_top: false,
            })
            .collect(),
        pool_trail: Trail::new(opts.explain),
    };

    // 1. Shares off the top, in order.
    let mut taken = Money::zero(currency);
    for (j, top) in split.first.iter().enumerate() {
        let holders = participants.iter().filter(|p| p.role == top.role).count();
        if holders == 0 {
            out.pool_trail.push(|| Explanation::TopShareSkipped {
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
        let even = if holders == 1 {
            Vec::new()
        } else {
            allocate_even(amount, holders)?
        };
        let shares = even.into_iter().chain((holders == 1).then_some(amount));
        for ((_, part), share) in holding(&mut out.parts, participants, top.role).zip(shares) {
            part.gross = add(part.gross, share)?;
            part.trail.push(|| Explanation::TopShare {
                index: j,
                percent_of_pool: top.percent_of_pool.map(|r| r.value()),
                amount,
                holders,
            });
            part.on_top = true;
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
        .push(|| Explanation::Remainder { amount: remainder });

    // 2. The remainder by role. Weights and shares live on the stack for small deals.
    let n = participants.len();
    let mut weights_stack = [Decimal::ZERO; STACK_PARTICIPANTS];
    let mut weights_heap = Vec::new();
    let weights = if n <= STACK_PARTICIPANTS {
        weights_stack.split_at_mut(n).0
    } else {
        weights_heap.resize(n, Decimal::ZERO);
        weights_heap.as_mut_slice()
    };
    remainder_weights(split, participants, opts, &mut out.parts, weights)?;
    if !remainder.is_zero() {
        let mut shares_stack = [Money::zero(currency); STACK_PARTICIPANTS];
        let mut shares_heap = Vec::new();
        let allocated = if n <= STACK_PARTICIPANTS {
            shares_stack.split_at_mut(n).0
        } else {
            shares_heap.resize(n, Money::zero(currency));
            shares_heap.as_mut_slice()
        };
        allocate_into(remainder, weights, allocated)?;
        for ((part, share), w) in out
            .parts
            .iter_mut()
            .zip(allocated.iter())
            .zip(weights.iter())
        {
            if !w.is_zero() {
                part.gross = add(part.gross, *share)?;
                part.trail
                    .push(|| Explanation::Allocated { amount: *share });
            }
        }
    }

    // 3. Caps and minimums, settled against the house role.
    if opts.limit {
        settle_limits(opts.plan, participants, &mut out.parts)?;
    }
    Ok(out)
}

/// Deals with up to this many participants split their remainder without a heap allocation.
const STACK_PARTICIPANTS: usize = 8;

/// How many participants hold each role, counted once per split.
struct RoleCounts([usize; 5]);

impl RoleCounts {
    fn new(participants: &[Participant]) -> Self {
        let mut counts = [0; 5];
        for p in participants {
            if let Some(c) = counts.get_mut(Self::index(p.role)) {
                *c += 1;
            }
        }
        Self(counts)
    }

    const fn index(role: ParticipantRole) -> usize {
        match role {
            ParticipantRole::Agency => 0,
            ParticipantRole::ListingBroker => 1,
            ParticipantRole::SellingBroker => 2,
            ParticipantRole::PartnerAgency => 3,
            ParticipantRole::Referral => 4,
        }
    }

    fn of(&self, role: ParticipantRole) -> usize {
        self.0.get(Self::index(role)).copied().unwrap_or(0)
    }
}

/// Writes the weights of the remainder per participant to `weights` (all zero on entry),
/// exact decimals (no repeating fractions: each role's share is scaled by the product of the
/// holder counts instead of divided).
fn remainder_weights(
    split: &SplitRule,
    participants: &[Participant],
    opts: &SplitOptions<'_>,
    parts: &mut [Part],
    weights: &mut [Decimal],
) -> Result<(), Error> {
    let counts = RoleCounts::new(participants);
    let count = |role: ParticipantRole| counts.of(role);

    if split.then.is_empty() {
        // Silent agreement: everyone not paid off the top shares equally (Civil Code art. 728).
        let eligible = parts.iter().filter(|p| !p.on_top).count();
        if eligible == 0 {
            return Err(FieldError::new(
                ErrorCode::CommissionRoleUnfilled,
                "no participant is left to share the remainder",
            )
            .at("participants")
            .into());
        }
        for (w, part) in weights.iter_mut().zip(parts.iter_mut()) {
            if !part.on_top {
                *w = Decimal::ONE;
                part.trail.push(|| Explanation::EqualShare {
                    participants: eligible,
                });
            }
        }
        return Ok(());
    }

    // Shares per role, with vacant roles passed on.
    let mut errors = ValidationErrors::default();
    // (role, its share after vacancies, the vacant roles whose shares it received), built only
    // when some role is vacant; otherwise every role keeps its own share.
    let mut shares: Vec<RoleEntry> = Vec::new();
    if split.then.iter().any(|s| count(s.role) == 0) {
        shares = split
            .then
            .iter()
            .map(|s| (s.role, s.share.value(), Vec::new()))
            .collect();
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
    for (i, (p, part)) in participants.iter().zip(parts.iter()).enumerate() {
        if !part.on_top && !split.then.iter().any(|s| s.role == p.role) {
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
    // Role k's share after vacancies and the vacant roles it received.
    let entry = |k: usize, s: &RoleShare| match shares.get(k) {
        Some((_, share, received)) => (*share, received.as_slice()),
        None => (s.share.value(), &[][..]),
    };

    // Scale: the product of the holder counts, times the house's count again so its funding of
    // accelerators divides exactly.
    let house = opts.plan.house_role;
    let mut scale: u64 = 1;
    for (k, s) in split.then.iter().enumerate() {
        let c = count(s.role);
        let seen = split.then.iter().take(k).any(|r| count(r.role) == c);
        if c > 0 && !seen {
            scale = scale.checked_mul(c as u64).ok_or_else(overflow)?;
        }
    }
    scale = scale
        .checked_mul(count(house).max(1) as u64)
        .ok_or_else(overflow)?;

    let mut funded = Decimal::ZERO;
    for (k, s) in split.then.iter().enumerate() {
        let role = s.role;
        let (share, received) = entry(k, s);
        let holders = count(role);
        if holders == 0 {
            continue;
        }
        // Every holder count is a factor of the scale, so this divides exactly.
        let per = Decimal::from(scale / holders as u64);
        for (i, part) in holding(parts, participants, role) {
            let mut effective = share;
            part.trail
                .push(|| Explanation::RoleShare { share, holders });
            for (from_role, s) in received {
                part.trail.push(|| Explanation::VacantShareReceived {
                    from_role: *from_role,
                    share: *s,
                });
            }
            if opts.accelerate && role != house {
                let volume = opts.volumes.of(i);
                let best = opts
                    .plan
                    .accelerators
                    .iter()
                    .filter(|a| a.role == role && a.from_volume <= volume)
                    .max_by_key(|a| a.from_volume);
                if let Some(a) = best.filter(|a| a.share.value() > share) {
                    let delta = a.share.value().checked_sub(share).ok_or_else(overflow)?;
                    funded = funded
                        .checked_add(delta.checked_mul(per).ok_or_else(overflow)?)
                        .ok_or_else(overflow)?;
                    effective = a.share.value();
                    part.trail.push(|| Explanation::Accelerated {
                        from_volume: a.from_volume,
                        volume,
                        share: effective,
                    });
                }
            }
            if let Some(w) = weights.get_mut(i) {
                *w = fast::checked_mul(effective, per).ok_or_else(overflow)?;
            }
        }
    }
    if !funded.is_zero() {
        let house_holders = count(house);
        if house_holders == 0 {
            return Err(FieldError::new(
                ErrorCode::CommissionLimitUnfunded,
                "no house participant can fund the accelerator",
            )
            .at("participants")
            .into());
        }
        let each = funded
            .checked_div(Decimal::from(house_holders as u64))
            .ok_or_else(overflow)?;
        let scale = Decimal::from(scale);
        for (i, part) in holding(parts, participants, house) {
            if let Some(w) = weights.get_mut(i) {
                *w = w.checked_sub(each).ok_or_else(overflow)?;
                if w.is_sign_negative() && !w.is_zero() {
                    return Err(FieldError::new(
                        ErrorCode::CommissionLimitUnfunded,
                        "accelerators need more than the house role's share",
                    )
                    .at("accelerators")
                    .into());
                }
                part.trail.push(|| Explanation::AcceleratorFunded {
                    share: each.checked_div(scale).unwrap_or_default().normalize(),
                });
            }
        }
    }
    Ok(())
}

/// Cuts grosses to their caps and raises them to their minimums, the house role absorbing the
/// difference so the total is unchanged.
fn settle_limits(
    plan: &CommissionPlan,
    participants: &[Participant],
    parts: &mut [Part],
) -> Result<(), Error> {
    if plan.limits.is_empty() {
        return Ok(());
    }
    let currency = parts
        .first()
        .map_or(crate::Currency::BRL, |part| part.gross.currency());
    let mut house_delta = Money::zero(currency);
    for pass_caps in [true, false] {
        for (p, part) in participants.iter().zip(parts.iter_mut()) {
            let Some(limit) = plan
                .limits
                .iter()
                .find(|l| l.role == p.role && p.role != plan.house_role)
            else {
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
            let g = part.gross;
            if pass_caps && g.amount() > bound.amount() {
                let excess = g.checked_sub(bound)?;
                part.trail
                    .push(|| Explanation::Capped { max: bound, excess });
                house_delta = house_delta.checked_add(excess)?;
                part.gross = bound;
            } else if !pass_caps && g.amount() < bound.amount() {
                let top_up = bound.checked_sub(g)?;
                part.trail
                    .push(|| Explanation::RaisedToMinimum { min: bound, top_up });
                house_delta = house_delta.checked_sub(top_up)?;
                part.gross = bound;
            }
        }
    }
    if house_delta.is_zero() {
        return Ok(());
    }
    let house = participants
        .iter()
        .filter(|p| p.role == plan.house_role)
        .count();
    if house == 0 {
        return Err(FieldError::new(
            ErrorCode::CommissionLimitUnfunded,
            "no house participant can settle caps and minimums",
        )
        .at("participants")
        .into());
    }
    let magnitude = Money::new(house_delta.amount().abs(), currency);
    let shares = allocate_even(magnitude, house)?;
    for ((_, part), share) in holding(parts, participants, plan.house_role).zip(shares) {
        let signed = if house_delta.is_negative() {
            -share
        } else {
            share
        };
        part.gross = part.gross.checked_add(signed)?;
        if part.gross.is_negative() {
            return Err(FieldError::new(
                ErrorCode::CommissionLimitUnfunded,
                "minimums need more than the house role's share holds",
            )
            .at("limits")
            .into());
        }
        part.trail
            .push(|| Explanation::LimitsSettled { amount: signed });
    }
    Ok(())
}
