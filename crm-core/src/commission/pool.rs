//! The fee pool of a deal: a percentage, a fixed fee, flat or marginal tiers, or a share of
//! the first rent; computed exactly and rounded half-even to cents once, at the end.

use super::explain::{Explanation, Trail};
use super::plan::{PoolRule, TierMode};
use crate::error::{Error, ErrorCode, FieldError};
use crate::money::{Money, RoundingMode, fast};
use rust_decimal::Decimal;

fn overflow() -> Error {
    Error::Overflow {
        operation: "commission pool",
    }
}

/// The pool for a deal `value` (a sale's price or a lease's monthly rent) and its trail (kept
/// only when `explain`).
pub(crate) fn compute_pool(
    rule: &PoolRule,
    value: Money,
    explain: bool,
) -> Result<(Money, Trail), Error> {
    let v = value.amount();
    if value.is_negative() {
        return Err(FieldError::new(
            ErrorCode::NumberRange,
            "the deal value must not be negative",
        )
        .at("value")
        .into());
    }
    let mut trail = Trail::new(explain);
    let exact = match rule {
        PoolRule::Percentage { rate } => {
            trail.push(|| Explanation::PoolPercentage {
                rate: rate.value(),
                base: value,
            });
            fast::checked_mul(v, rate.value()).ok_or_else(overflow)?
        }
        PoolRule::Fixed { amount } => {
            if amount.currency() != value.currency() {
                return Err(Error::CurrencyMismatch {
                    left: value.currency(),
                    right: amount.currency(),
                });
            }
            trail.push(|| Explanation::PoolFixed { amount: *amount });
            return Ok((*amount, trail));
        }
        PoolRule::FirstRent { share } => {
            trail.push(|| Explanation::PoolFirstRent {
                rent: value,
                share: share.value(),
            });
            v.checked_mul(share.value()).ok_or_else(overflow)?
        }
        PoolRule::Tiered {
            mode: TierMode::Flat,
            tiers,
        } => {
            let (k, tier) = tiers
                .iter()
                .enumerate()
                .find(|(k, t)| {
                    (v > t.from || (*k == 0 && v >= t.from)) && t.to.is_none_or(|to| v <= to)
                })
                .ok_or_else(|| uncovered(v))?;
            trail.push(|| Explanation::PoolFlatTier {
                tier: k,
                from: tier.from,
                to: tier.to,
                rate: tier.rate.value(),
            });
            v.checked_mul(tier.rate.value()).ok_or_else(overflow)?
        }
        PoolRule::Tiered {
            mode: TierMode::Marginal,
            tiers,
        } => {
            let mut total = Decimal::ZERO;
            let mut covered = Decimal::ZERO;
            for (k, t) in tiers.iter().enumerate() {
                if v <= t.from {
                    break;
                }
                let top = t.to.map_or(v, |to| to.min(v));
                let slice = top.checked_sub(t.from).ok_or_else(overflow)?;
                let amount = slice.checked_mul(t.rate.value()).ok_or_else(overflow)?;
                trail.push(|| Explanation::PoolMarginalSlice {
                    tier: k,
                    slice,
                    rate: t.rate.value(),
                    amount,
                });
                total = total.checked_add(amount).ok_or_else(overflow)?;
                covered = top;
            }
            if covered < v {
                return Err(uncovered(v));
            }
            total
        }
    };
    let rounded = Money::new(exact, value.currency()).round(RoundingMode::HalfEven);
    trail.push(|| Explanation::PoolRounded { exact, rounded });
    Ok((rounded, trail))
}

fn uncovered(v: Decimal) -> Error {
    FieldError::new(
        ErrorCode::CommissionTierGap,
        format!("no tier covers the value {v}"),
    )
    .at("pool.tiers")
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commission::{PlanRate, Tier};
    use rust_decimal_macros::dec;

    fn tiers() -> Vec<Tier> {
        vec![
            Tier {
                from: dec!(0),
                to: Some(dec!(500000)),
                rate: PlanRate::new(dec!(0.06)),
            },
            Tier {
                from: dec!(500000),
                to: Some(dec!(1000000)),
                rate: PlanRate::new(dec!(0.05)),
            },
            Tier {
                from: dec!(1000000),
                to: None,
                rate: PlanRate::new(dec!(0.04)),
            },
        ]
    }

    fn pool(mode: TierMode, v: Decimal) -> Decimal {
        compute_pool(
            &PoolRule::Tiered {
                mode,
                tiers: tiers(),
            },
            Money::brl(v),
            true,
        )
        .map(|(m, _)| m.amount())
        .unwrap_or_default()
    }

    #[test]
    fn flat_tiers_use_the_bracket_of_the_whole_value() {
        assert_eq!(pool(TierMode::Flat, dec!(0)), dec!(0));
        // exactly at the edge: 500,000 is "up to and including" → 6% = 30,000.00
        assert_eq!(pool(TierMode::Flat, dec!(500000)), dec!(30000.00));
        // one cent above: 5% of 500,000.01 = 25,000.0005 → 25,000.00
        assert_eq!(pool(TierMode::Flat, dec!(500000.01)), dec!(25000.00));
        assert_eq!(pool(TierMode::Flat, dec!(1200000)), dec!(48000.00));
    }

    #[test]
    fn marginal_tiers_apply_each_rate_to_its_slice() {
        // 500,000·6% = 30,000 exactly at the edge.
        assert_eq!(pool(TierMode::Marginal, dec!(500000)), dec!(30000.00));
        // 30,000 + 300,000·5% = 45,000
        assert_eq!(pool(TierMode::Marginal, dec!(800000)), dec!(45000.00));
        // 30,000 + 25,000 + 200,000·4% = 63,000
        assert_eq!(pool(TierMode::Marginal, dec!(1200000)), dec!(63000.00));
        // 30,000 + 0.01·5% = 30,000.0005 → 30,000.00 (half-even)
        assert_eq!(pool(TierMode::Marginal, dec!(500000.01)), dec!(30000.00));
    }

    #[test]
    fn uncovered_values_are_errors_never_zero() {
        let gap = vec![Tier {
            from: dec!(0),
            to: Some(dec!(100)),
            rate: PlanRate::new(dec!(0.1)),
        }];
        let r = compute_pool(
            &PoolRule::Tiered {
                mode: TierMode::Flat,
                tiers: gap.clone(),
            },
            Money::brl(dec!(150)),
            true,
        );
        assert_eq!(
            r.err().map(|e| e.code()),
            Some(ErrorCode::CommissionTierGap)
        );
        let r = compute_pool(
            &PoolRule::Tiered {
                mode: TierMode::Marginal,
                tiers: gap,
            },
            Money::brl(dec!(150)),
            true,
        );
        assert_eq!(
            r.err().map(|e| e.code()),
            Some(ErrorCode::CommissionTierGap)
        );
    }
}
