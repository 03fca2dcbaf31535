//! Splitting a total into parts that always sum exactly to it (largest remainder method).

use super::{Money, fast};
use crate::error::{Error, ErrorCode, FieldError};
use rust_decimal::Decimal;

/// Splits `total` in proportion to `weights`, to the currency's minor unit, so that the parts
/// sum exactly to the total.
///
/// Each part first gets its proportional share rounded down to the minor unit; the cents left
/// over go one each to the parts with the largest remainders, ties going to the earlier part.
/// A negative total is split as its absolute value and every part negated, so a reversal
/// mirrors the original split cent for cent. A zero weight always gets zero.
///
/// Errors: no weights (`money.allocation.no_parts`), a negative weight
/// (`money.allocation.negative_weight`), all weights zero (`money.allocation.zero_weights`),
/// a total with fractions of a cent (`money.allocation.sub_unit`), and `money.overflow` for
/// totals and weights beyond 38 significant digits combined.
///
/// ```
/// use crm_core::{Money, allocate};
/// use rust_decimal_macros::dec;
/// let parts = allocate(Money::brl(dec!(1000.00)), &[dec!(1), dec!(1), dec!(1)]).unwrap();
/// assert_eq!(parts, [Money::brl(dec!(333.34)), Money::brl(dec!(333.33)), Money::brl(dec!(333.33))]);
/// ```
pub fn allocate(total: Money, weights: &[Decimal]) -> Result<Vec<Money>, Error> {
    let mut parts = vec![Money::zero(total.currency()); weights.len()];
    allocate_into(total, weights, &mut parts)?;
    Ok(parts)
}

/// Weights up to this many are split in a buffer on the stack.
const STACK_PARTS: usize = 8;

/// [`allocate`] into `out`, one part per weight (`out` is as long as `weights`): the same
/// parts and errors, without allocating for up to [`STACK_PARTS`] weights.
pub(crate) fn allocate_into(
    total: Money,
    weights: &[Decimal],
    out: &mut [Money],
) -> Result<(), Error> {
    let places = total.currency().minor_units();
    if weights.is_empty() {
        return Err(FieldError::new(
            ErrorCode::AllocationNoParts,
            "there are no parts to allocate to",
        )
        .into());
    }
    if let Some((i, w)) = weights
        .iter()
        .enumerate()
        .find(|(_, w)| w.is_sign_negative() && !w.is_zero())
    {
        return Err(FieldError::new(
            ErrorCode::AllocationNegativeWeight,
            format!("weight {i} is negative ({w})"),
        )
        .at(&format!("weights[{i}]"))
        .into());
    }
    if !total.is_whole_minor_units() {
        return Err(FieldError::new(
            ErrorCode::AllocationSubUnit,
            format!("{total} has fractions of the minor unit; round it before allocating"),
        )
        .into());
    }
    if let [w] = weights {
        // One part takes everything (a zero weight still has nothing to take it by).
        if w.is_zero() {
            return Err(
                FieldError::new(ErrorCode::AllocationZeroWeights, "all weights are zero").into(),
            );
        }
        if let Some(o) = out.first_mut() {
            *o = total;
        }
        return Ok(());
    }
    let units = to_integer(total.amount().abs(), places)?;
    let scale = weights
        .iter()
        .map(|w| fast::normalized_scale(*w))
        .max()
        .unwrap_or(0);
    if weights.len() <= STACK_PARTS {
        let mut buf = [(0i128, 0i128); STACK_PARTS];
        let (parts, _) = buf.split_at_mut(weights.len());
        split_units(total, units, scale, weights, parts, out)
    } else {
        let mut parts = vec![(0i128, 0i128); weights.len()];
        split_units(total, units, scale, weights, &mut parts, out)
    }
}

/// The largest-remainder split of `units` (the total's absolute value in minor units) by
/// `weights` (decimals of at most `scale` places), written to `out` with the total's sign.
/// `parts` is scratch space, one pair per weight.
fn split_units(
    total: Money,
    units: i128,
    scale: u32,
    weights: &[Decimal],
    parts: &mut [(i128, i128)],
    out: &mut [Money],
) -> Result<(), Error> {
    // Each part's floor and the remainder of its exact share, in integer units: no rounding.
    // The pairs first hold each weight as an integer at `scale` (converted once) and zero.
    let mut sum = 0i128;
    for (w, part) in weights.iter().zip(parts.iter_mut()) {
        let w = to_integer(*w, scale)?;
        sum = sum.checked_add(w).ok_or(OVERFLOW)?;
        *part = (w, 0);
    }
    if sum == 0 {
        return Err(
            FieldError::new(ErrorCode::AllocationZeroWeights, "all weights are zero").into(),
        );
    }
    let mut given = 0i128;
    for (part, rem) in parts.iter_mut() {
        let product = mul(units, *part).ok_or(OVERFLOW)?;
        (*part, *rem) = div_rem(product, sum);
        given = given.checked_add(*part).ok_or(OVERFLOW)?;
    }
    // The units left over (fewer than the parts) go one each to the largest remainders,
    // equal remainders to the earlier part. Remainders are never negative, so a handed-out
    // part is marked with -1.
    let mut leftover = usize::try_from(units - given).map_err(|_| OVERFLOW)?;
    if leftover > 0 && parts.len() <= 32 {
        while leftover > 0 {
            let mut best: Option<usize> = None;
            for (i, (_, rem)) in parts.iter().enumerate() {
                if *rem >= 0 && best.is_none_or(|b| parts.get(b).is_some_and(|(_, r)| rem > r)) {
                    best = Some(i);
                }
            }
            let Some((part, rem)) = best.and_then(|b| parts.get_mut(b)) else {
                break;
            };
            *part += 1;
            *rem = -1;
            leftover -= 1;
        }
    } else if leftover > 0 {
        let mut order: Vec<usize> = (0..parts.len()).collect();
        let rem = |i: usize| parts.get(i).map_or(0, |p| p.1);
        order.sort_unstable_by(|&a, &b| rem(b).cmp(&rem(a)).then(a.cmp(&b)));
        for i in order.into_iter().take(leftover) {
            if let Some(p) = parts.get_mut(i) {
                p.0 += 1;
            }
        }
    }
    let negative = total.is_negative();
    let places = total.currency().minor_units();
    for ((p, _), o) in parts.iter().zip(out.iter_mut()) {
        let amount = Decimal::try_from_i128_with_scale(if negative { -p } else { *p }, places)
            .map_err(|_| OVERFLOW)?;
        *o = Money::new(amount, total.currency());
    }
    Ok(())
}

/// `a · b` for `a, b >= 0`, checked; a single 64 × 64-bit multiplication when both fit.
#[inline]
fn mul(a: i128, b: i128) -> Option<i128> {
    match (u64::try_from(a), u64::try_from(b)) {
        (Ok(a), Ok(b)) => i128::try_from(u128::from(a) * u128::from(b)).ok(),
        _ => a.checked_mul(b),
    }
}

/// `a / b` and `a % b` for `a >= 0`, `b > 0`, in 64 bits when both fit (a single machine
/// division instead of a 128-bit library call).
#[inline]
fn div_rem(a: i128, b: i128) -> (i128, i128) {
    match (u64::try_from(a), u64::try_from(b)) {
        (Ok(a), Ok(b)) => (i128::from(a / b), i128::from(a % b)),
        _ => (a / b, a % b),
    }
}

/// Splits `total` into `parts` equal shares, earlier parts taking the odd cents.
///
/// ```
/// use crm_core::{Money, allocate_even};
/// use rust_decimal_macros::dec;
/// let parts = allocate_even(Money::brl(dec!(0.05)), 3).unwrap();
/// assert_eq!(parts, [Money::brl(dec!(0.02)), Money::brl(dec!(0.02)), Money::brl(dec!(0.01))]);
/// ```
pub fn allocate_even(total: Money, parts: usize) -> Result<Vec<Money>, Error> {
    allocate(total, &vec![Decimal::ONE; parts])
}

const OVERFLOW: Error = Error::Overflow {
    operation: "allocation",
};

/// `value · 10^places` as an integer; `value` must have at most `places` decimals.
#[inline]
fn to_integer(value: Decimal, places: u32) -> Result<i128, Error> {
    fast::to_integer(value, places).ok_or(OVERFLOW)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn brl(v: Decimal) -> Money {
        Money::brl(v)
    }

    #[test]
    fn thirds_of_a_thousand() {
        let parts = allocate(brl(dec!(1000)), &[dec!(1), dec!(1), dec!(1)]).unwrap_or_default();
        assert_eq!(
            parts,
            [brl(dec!(333.34)), brl(dec!(333.33)), brl(dec!(333.33))]
        );
    }

    #[test]
    fn by_weights_largest_remainder() {
        // 100.00 by 1:2:3:4 → 10, 20, 30, 40 exactly.
        let parts =
            allocate(brl(dec!(100)), &[dec!(1), dec!(2), dec!(3), dec!(4)]).unwrap_or_default();
        assert_eq!(
            parts,
            [brl(dec!(10)), brl(dec!(20)), brl(dec!(30)), brl(dec!(40))]
        );
        // 0.10 by 0.3:0.3:0.4 → exact 3, 3, 4 cents.
        let parts =
            allocate(brl(dec!(0.10)), &[dec!(0.3), dec!(0.3), dec!(0.4)]).unwrap_or_default();
        assert_eq!(parts, [brl(dec!(0.03)), brl(dec!(0.03)), brl(dec!(0.04))]);
        // 10.00 by 1:1:1:1:1:1:1 (7 parts): 1000 cents = 7·142 + 6, first six get 143.
        let parts = allocate_even(brl(dec!(10)), 7).unwrap_or_default();
        assert_eq!(parts.iter().filter(|p| p.amount() == dec!(1.43)).count(), 6);
        assert_eq!(parts.last().map(Money::amount), Some(dec!(1.42)));
        // 51000.00 at 40/35/25 of the pool: 20400, 17850, 12750.
        let parts =
            allocate(brl(dec!(51000)), &[dec!(0.40), dec!(0.35), dec!(0.25)]).unwrap_or_default();
        assert_eq!(
            parts,
            [brl(dec!(20400)), brl(dec!(17850)), brl(dec!(12750))]
        );
        // 1.00 by 2:1 → 66.67 / 33.33 cents: remainders 2/3 and 1/3, so the 1st gets the cent.
        let parts = allocate(brl(dec!(1)), &[dec!(2), dec!(1)]).unwrap_or_default();
        assert_eq!(parts, [brl(dec!(0.67)), brl(dec!(0.33))]);
        // Remainder beats order: 1.00 by 1:2 → 0.33 (rem 1/3), 0.66 (rem 2/3) → 0.33, 0.67.
        let parts = allocate(brl(dec!(1)), &[dec!(1), dec!(2)]).unwrap_or_default();
        assert_eq!(parts, [brl(dec!(0.33)), brl(dec!(0.67))]);
    }

    #[test]
    fn negative_totals_mirror_positive_ones() {
        let parts = allocate(brl(dec!(-1000)), &[dec!(1), dec!(1), dec!(1)]).unwrap_or_default();
        assert_eq!(
            parts,
            [brl(dec!(-333.34)), brl(dec!(-333.33)), brl(dec!(-333.33))]
        );
    }

    #[test]
    fn zero_weights_get_zero_and_currencies_keep_their_units() {
        let parts = allocate(brl(dec!(0.01)), &[dec!(0), dec!(1), dec!(0)]).unwrap_or_default();
        assert_eq!(parts, [brl(dec!(0)), brl(dec!(0.01)), brl(dec!(0))]);
        let jpy = Currency::parse("JPY").unwrap_or_default();
        let parts =
            allocate(Money::new(dec!(100), jpy), &[dec!(1), dec!(1), dec!(1)]).unwrap_or_default();
        let amounts: Vec<Decimal> = parts.iter().map(Money::amount).collect();
        assert_eq!(amounts, [dec!(34), dec!(33), dec!(33)]);
    }

    /// The allocation before the stack buffers and 64-bit divisions, kept to check against.
    fn reference(total: Money, weights: &[Decimal]) -> Result<Vec<Money>, Error> {
        let places = total.currency().minor_units();
        if weights.is_empty() {
            return Err(FieldError::new(
                ErrorCode::AllocationNoParts,
                "there are no parts to allocate to",
            )
            .into());
        }
        if let Some((i, w)) = weights
            .iter()
            .enumerate()
            .find(|(_, w)| w.is_sign_negative() && !w.is_zero())
        {
            return Err(FieldError::new(
                ErrorCode::AllocationNegativeWeight,
                format!("weight {i} is negative ({w})"),
            )
            .at(&format!("weights[{i}]"))
            .into());
        }
        if !total.is_whole_minor_units() {
            return Err(FieldError::new(
                ErrorCode::AllocationSubUnit,
                format!("{total} has fractions of the minor unit; round it before allocating"),
            )
            .into());
        }
        if let [w] = weights {
            // One part takes everything (a zero weight still has nothing to take it by).
            if w.is_zero() {
                return Err(FieldError::new(
                    ErrorCode::AllocationZeroWeights,
                    "all weights are zero",
                )
                .into());
            }
            return Ok(vec![total]);
        }
        let units = reference_to_integer(total.amount().abs(), places)?;
        let scale = weights
            .iter()
            .map(|w| w.normalize().scale())
            .max()
            .unwrap_or(0);
        // Each part's floor and the remainder of its exact share, in integer units: no rounding.
        // The pairs first hold each weight as an integer at `scale` (converted once) and zero.
        let mut parts: Vec<(i128, i128)> = Vec::with_capacity(weights.len());
        let mut sum = 0i128;
        for w in weights {
            let w = reference_to_integer(*w, scale)?;
            sum = sum.checked_add(w).ok_or(OVERFLOW)?;
            parts.push((w, 0));
        }
        if sum == 0 {
            return Err(
                FieldError::new(ErrorCode::AllocationZeroWeights, "all weights are zero").into(),
            );
        }
        let mut given = 0i128;
        for (part, rem) in &mut parts {
            let product = mul(units, *part).ok_or(OVERFLOW)?;
            *part = product / sum;
            *rem = product % sum;
            given = given.checked_add(*part).ok_or(OVERFLOW)?;
        }
        // The units left over (fewer than the parts) go one each to the largest remainders,
        // equal remainders to the earlier part. Remainders are never negative, so a handed-out
        // part is marked with -1.
        let mut leftover = usize::try_from(units - given).map_err(|_| OVERFLOW)?;
        if leftover > 0 && parts.len() <= 32 {
            while leftover > 0 {
                let mut best: Option<usize> = None;
                for (i, (_, rem)) in parts.iter().enumerate() {
                    if *rem >= 0 && best.is_none_or(|b| parts.get(b).is_some_and(|(_, r)| rem > r))
                    {
                        best = Some(i);
                    }
                }
                let Some((part, rem)) = best.and_then(|b| parts.get_mut(b)) else {
                    break;
                };
                *part += 1;
                *rem = -1;
                leftover -= 1;
            }
        } else if leftover > 0 {
            let mut order: Vec<usize> = (0..parts.len()).collect();
            let rem = |i: usize| parts.get(i).map_or(0, |p| p.1);
            order.sort_unstable_by(|&a, &b| rem(b).cmp(&rem(a)).then(a.cmp(&b)));
            for i in order.into_iter().take(leftover) {
                if let Some(p) = parts.get_mut(i) {
                    p.0 += 1;
                }
            }
        }
        let negative = total.is_negative();
        parts
            .into_iter()
            .map(|(p, _)| {
                let amount =
                    Decimal::try_from_i128_with_scale(if negative { -p } else { p }, places)
                        .map_err(|_| OVERFLOW)?;
                Ok(Money::new(amount, total.currency()))
            })
            .collect()
    }

    fn reference_to_integer(value: Decimal, places: u32) -> Result<i128, Error> {
        let v = value.normalize();
        let shift = places.checked_sub(v.scale()).ok_or(OVERFLOW)?;
        let factor = 10i128.checked_pow(shift).ok_or(OVERFLOW)?;
        v.mantissa().checked_mul(factor).ok_or(OVERFLOW)
    }

    /// Totals of any sign with 0..=4 decimals, in reais or in a three-decimal currency.
    fn total() -> impl Strategy<Value = Money> {
        let bhd = Currency::parse("BHD").unwrap_or_default();
        (
            prop_oneof![0i64..1000, 0i64..1_000_000_000, Just(i64::MAX)],
            any::<bool>(),
            0u32..=4,
            any::<bool>(),
        )
            .prop_map(move |(m, neg, scale, dinars)| {
                let amount = Decimal::new(if neg { -m } else { m }, scale);
                Money::new(amount, if dinars { bhd } else { Currency::BRL })
            })
    }

    /// Weights: zeros (and −0), small shares at various scales, huge and negative ones.
    fn weight() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            Just(Decimal::ZERO),
            Just(Decimal::new(0, 3)),
            Just(-Decimal::new(0, 2)),
            (0i64..1000, 0u32..=6).prop_map(|(m, s)| Decimal::new(m, s)),
            (0i64..i64::MAX, 0u32..=28).prop_map(|(m, s)| Decimal::new(m, s)),
            (1i64..100).prop_map(|m| Decimal::new(-m, 2)),
            Just(Decimal::MAX),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5_000))]

        #[test]
        fn allocate_matches_the_reference(
            total in total(),
            weights in proptest::collection::vec(weight(), 0..12),
        ) {
            let fast = allocate(total, &weights);
            let slow = reference(total, &weights);
            prop_assert_eq!(format!("{fast:?}"), format!("{slow:?}"));
            if let (Ok(f), Ok(s)) = (&fast, &slow) {
                let text = |v: &[Money]| v.iter().map(|m| m.amount().serialize()).collect::<Vec<_>>();
                prop_assert_eq!(text(f), text(s));
            }
        }
    }

    #[test]
    fn errors_have_codes() {
        let code = |r: Result<Vec<Money>, Error>| r.err().map(|e| e.code());
        assert_eq!(
            code(allocate(brl(dec!(1)), &[])),
            Some(ErrorCode::AllocationNoParts)
        );
        assert_eq!(
            code(allocate(brl(dec!(1)), &[dec!(1), dec!(-1)])),
            Some(ErrorCode::AllocationNegativeWeight)
        );
        assert_eq!(
            code(allocate(brl(dec!(1)), &[dec!(0), dec!(0)])),
            Some(ErrorCode::AllocationZeroWeights)
        );
        assert_eq!(
            code(allocate(brl(dec!(1.005)), &[dec!(1)])),
            Some(ErrorCode::AllocationSubUnit)
        );
        assert_eq!(
            code(allocate(brl(Decimal::MAX), &[Decimal::MAX, dec!(1)])),
            Some(ErrorCode::Overflow)
        );
    }
}
