//! Integer fast paths for the `Decimal` operations that every commission statement repeats:
//! add, subtract, compare, multiply, round, normalise and scale to integer units.
//!
//! Each function handles the common shape inline in 64/128-bit integer arithmetic (mantissas
//! below 2^64; scales at most 19 apart for add and subtract, equal scales and signs for
//! compare) and otherwise calls `rust_decimal` out of line. The result is always exactly what `rust_decimal` returns: the
//! same value, the same scale and the same sign of zero (the property tests at the end of this
//! file compare the two over random operands, zeros and negative zeros included).

use super::RoundingMode;
use rust_decimal::Decimal;
use std::cmp::Ordering;

/// 10^0 ..= 10^19: every power of ten a `u64` holds.
const POW10: [u64; 20] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
    10_000_000_000,
    100_000_000_000,
    1_000_000_000_000,
    10_000_000_000_000,
    100_000_000_000_000,
    1_000_000_000_000_000,
    10_000_000_000_000_000,
    100_000_000_000_000_000,
    1_000_000_000_000_000_000,
    10_000_000_000_000_000_000,
];

/// 10^`exp` for `exp` <= 19, `None` above.
#[inline(always)]
fn pow10(exp: u32) -> Option<u64> {
    POW10.get(exp as usize).copied()
}

/// A decimal whose mantissa fits 64 bits, taken apart: magnitude, sign flag, scale.
#[derive(Clone, Copy)]
struct Small {
    mag: u64,
    negative: bool,
    scale: u32,
}

/// `d` taken apart when its mantissa is below 2^64.
#[inline(always)]
fn small(d: Decimal) -> Option<Small> {
    let u = d.unpack();
    if u.hi == 0 {
        Some(Small {
            mag: (u64::from(u.mid) << 32) | u64::from(u.lo),
            negative: u.negative,
            scale: u.scale,
        })
    } else {
        None
    }
}

/// The decimal of magnitude `mag` (below 2^96), sign and scale (at most 28). A zero comes out
/// positive, as `Decimal::from_parts` makes it.
#[inline(always)]
fn build(mag: u128, negative: bool, scale: u32) -> Decimal {
    Decimal::from_parts(
        mag as u32,
        (mag >> 32) as u32,
        (mag >> 64) as u32,
        negative,
        scale,
    )
}

#[inline(never)]
fn slow_add(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_add(b)
}

#[inline(never)]
fn slow_sub(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_sub(b)
}

#[inline(never)]
fn slow_mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_mul(b)
}

#[inline(never)]
fn slow_cmp(a: Decimal, b: Decimal) -> Ordering {
    a.cmp(&b)
}

#[inline(never)]
fn slow_round(value: Decimal, places: u32, mode: RoundingMode) -> Decimal {
    value.round_dp_with_strategy(places, mode.strategy())
}

/// `a + b` exactly as `Decimal::checked_add`.
#[inline(always)]
pub(crate) fn checked_add(a: Decimal, b: Decimal) -> Option<Decimal> {
    match add_sub(a, b, false) {
        Some(d) => Some(d),
        None => slow_add(a, b),
    }
}

/// `a − b` exactly as `Decimal::checked_sub`.
#[inline(always)]
pub(crate) fn checked_sub(a: Decimal, b: Decimal) -> Option<Decimal> {
    match add_sub(a, b, true) {
        Some(d) => Some(d),
        None => slow_sub(a, b),
    }
}

/// The fast path of `checked_add`/`checked_sub`; `None` leaves the operation to rust_decimal.
#[inline(always)]
fn add_sub(a: Decimal, b: Decimal, subtract: bool) -> Option<Decimal> {
    let (x, y) = (small(a)?, small(b)?);
    // rust_decimal returns a zero operand's partner unchanged (negated for `0 − b`, b ≠ 0).
    if x.mag == 0 {
        let mut r = b;
        if subtract && y.mag != 0 {
            r.set_sign_negative(!y.negative);
        }
        return Some(r);
    }
    if y.mag == 0 {
        return Some(a);
    }
    // Align the scales: the operand with fewer decimals times 10^(difference) stays below
    // 2^64 · 10^19 < 2^128 / 2, so the sum cannot overflow either.
    let (xm, ym, scale) = match x.scale.cmp(&y.scale) {
        Ordering::Equal => (u128::from(x.mag), u128::from(y.mag), x.scale),
        Ordering::Greater => {
            let p = pow10(x.scale - y.scale)?;
            (
                u128::from(x.mag),
                u128::from(y.mag) * u128::from(p),
                x.scale,
            )
        }
        Ordering::Less => {
            let p = pow10(y.scale - x.scale)?;
            (
                u128::from(x.mag) * u128::from(p),
                u128::from(y.mag),
                y.scale,
            )
        }
    };
    let (mag, negative) = if x.negative == (y.negative ^ subtract) {
        (xm + ym, x.negative)
    } else if xm >= ym {
        (xm - ym, x.negative)
    } else {
        (ym - xm, !x.negative)
    };
    // Beyond 96 bits rust_decimal rounds the result: leave that to it.
    (mag >> 96 == 0).then(|| build(mag, negative, scale))
}

/// The order of `a` and `b` by value, exactly as `Decimal::cmp` (so −0 equals 0).
#[inline(always)]
pub(crate) fn cmp(a: Decimal, b: Decimal) -> Ordering {
    if let (Some(x), Some(y)) = (small(a), small(b)) {
        if x.scale == y.scale && x.negative == y.negative {
            let order = x.mag.cmp(&y.mag);
            return if x.negative { order.reverse() } else { order };
        }
    }
    slow_cmp(a, b)
}

/// Whether `d` is below zero (a negative zero is not).
#[inline(always)]
pub(crate) fn is_negative(d: Decimal) -> bool {
    d.is_sign_negative() && !d.is_zero()
}

/// `a · b` exactly as `Decimal::checked_mul`.
#[inline(always)]
pub(crate) fn checked_mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    if let (Some(x), Some(y)) = (small(a), small(b)) {
        if x.mag == 0 || y.mag == 0 {
            return Some(Decimal::ZERO);
        }
        let scale = x.scale + y.scale;
        let product = u128::from(x.mag) * u128::from(y.mag);
        if scale <= Decimal::MAX_SCALE && product >> 96 == 0 {
            return Some(build(product, x.negative ^ y.negative, scale));
        }
    }
    slow_mul(a, b)
}

/// `value` rounded to `places` with `mode`, exactly as `Decimal::round_dp_with_strategy`.
#[inline(always)]
pub(crate) fn round(value: Decimal, places: u32, mode: RoundingMode) -> Decimal {
    let scale = value.scale();
    if scale <= places {
        return value;
    }
    if let (Some(v), Some(p)) = (small(value), pow10(scale - places)) {
        if v.mag != 0 {
            let (q, r) = (v.mag / p, v.mag % p);
            // p is a power of ten above 1, so even: r against p/2 tells below, at or above half.
            let half = p / 2;
            let up = match mode {
                RoundingMode::HalfEven => r > half || (r == half && q & 1 == 1),
                RoundingMode::HalfUp => r >= half,
                RoundingMode::HalfDown => r > half,
                RoundingMode::Down => false,
                RoundingMode::Up => r != 0,
                RoundingMode::Floor => v.negative && r != 0,
                RoundingMode::Ceiling => !v.negative && r != 0,
            };
            // q < 2^64 / 10, so q + 1 cannot overflow.
            return build(u128::from(q + u64::from(up)), v.negative, places);
        }
    }
    slow_round(value, places, mode)
}

/// The scale of `value.normalize()`: its decimals without trailing zeros (0 for zero).
#[inline(always)]
pub(crate) fn normalized_scale(value: Decimal) -> u32 {
    match small(value) {
        Some(v) if v.mag == 0 => 0,
        Some(v) => {
            let (mut m, mut scale) = (v.mag, v.scale);
            while scale > 0 && m % 10 == 0 {
                m /= 10;
                scale -= 1;
            }
            scale
        }
        None => slow_normalized_scale(value),
    }
}

#[inline(never)]
fn slow_normalized_scale(value: Decimal) -> u32 {
    value.normalize().scale()
}

/// `value · 10^places` as an integer: `None` when `value` has more than `places` decimals
/// (trailing zeros aside) or the integer overflows an `i128`. The same as
/// normalising `value` and multiplying its mantissa by 10^(places − scale), checked.
#[inline(always)]
pub(crate) fn to_integer(value: Decimal, places: u32) -> Option<i128> {
    if let Some(v) = small(value) {
        // Within i128 with either sign (10^k · m is never 2^127, the one value only −i128 has).
        let signed = |m: u128| {
            let m = i128::try_from(m).ok()?;
            Some(if v.negative { -m } else { m })
        };
        if v.scale <= places {
            if let Some(p) = pow10(places - v.scale) {
                // A 64 × 64-bit product: one machine multiplication, below 2^128.
                return signed(u128::from(v.mag) * u128::from(p));
            }
        } else if let Some(p) = pow10(v.scale - places) {
            return if v.mag % p == 0 {
                signed(u128::from(v.mag / p))
            } else {
                None
            };
        }
    }
    slow_to_integer(value, places)
}

#[inline(never)]
fn slow_to_integer(value: Decimal, places: u32) -> Option<i128> {
    let v = value.normalize();
    let shift = places.checked_sub(v.scale())?;
    let factor = 10i128.checked_pow(shift)?;
    v.mantissa().checked_mul(factor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const MODES: [RoundingMode; 7] = [
        RoundingMode::HalfEven,
        RoundingMode::HalfUp,
        RoundingMode::HalfDown,
        RoundingMode::Down,
        RoundingMode::Up,
        RoundingMode::Floor,
        RoundingMode::Ceiling,
    ];

    /// Asserts `a` and `b` are the same decimal in every visible way.
    fn same(a: Decimal, b: Decimal) -> Result<(), TestCaseError> {
        prop_assert_eq!(a, b);
        prop_assert_eq!(a.scale(), b.scale(), "scale of {} vs {}", a, b);
        prop_assert_eq!(
            a.is_sign_negative(),
            b.is_sign_negative(),
            "sign {} vs {}",
            a,
            b
        );
        prop_assert_eq!(a.to_string(), b.to_string());
        prop_assert_eq!(a.serialize(), b.serialize());
        Ok(())
    }

    fn same_opt(a: Option<Decimal>, b: Option<Decimal>) -> Result<(), TestCaseError> {
        match (a, b) {
            (Some(a), Some(b)) => same(a, b),
            (a, b) => {
                prop_assert_eq!(a, b);
                Ok(())
            }
        }
    }

    /// Mantissas of every size that matters: zero, small, around 2^32, 2^63, 2^64 and 2^96.
    fn magnitude() -> impl Strategy<Value = u128> {
        let edge = |bits: u32| {
            let c = 1u128 << bits;
            (c - 3..=c + 3).prop_map(move |m| m & ((1u128 << 96) - 1))
        };
        prop_oneof![
            Just(0u128),
            1u128..1000,
            0u128..(1 << 32),
            0u128..(1 << 63),
            0u128..(1 << 96),
            edge(32),
            edge(63),
            edge(64),
            edge(95),
            ((1u128 << 96) - 5..(1u128 << 96)),
            (1u64..1_000_000).prop_map(|m| u128::from(m) * 10u128.pow(15)),
            // Exact midpoints: …5 followed by zeros.
            (0u128..1_000_000, 1u32..20)
                .prop_map(|(m, k)| m * 10u128.pow(k) + 5 * 10u128.pow(k - 1)),
        ]
    }

    /// Decimals of any sign (including −0), magnitude and scale 0..=28.
    fn decimal() -> impl Strategy<Value = Decimal> {
        let scale = prop_oneof![0u32..=4, 0u32..=28, Just(28u32)];
        (magnitude(), any::<bool>(), scale).prop_map(|(m, negative, scale)| {
            let mut d =
                Decimal::from_parts(m as u32, (m >> 32) as u32, (m >> 64) as u32, false, scale);
            // from_parts makes a zero positive; set the flag directly to get −0 too.
            d.set_sign_negative(negative);
            d
        })
    }

    fn mode() -> impl Strategy<Value = RoundingMode> {
        (0usize..MODES.len()).prop_map(|i| MODES.get(i).copied().unwrap_or_default())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn add_matches_rust_decimal(a in decimal(), b in decimal()) {
            same_opt(checked_add(a, b), a.checked_add(b))?;
        }

        #[test]
        fn sub_matches_rust_decimal(a in decimal(), b in decimal()) {
            same_opt(checked_sub(a, b), a.checked_sub(b))?;
        }

        #[test]
        fn cmp_matches_rust_decimal(a in decimal(), b in decimal()) {
            prop_assert_eq!(cmp(a, b), a.cmp(&b));
            prop_assert_eq!(cmp(a, a), Ordering::Equal);
        }

        #[test]
        fn mul_matches_rust_decimal(a in decimal(), b in decimal()) {
            same_opt(checked_mul(a, b), a.checked_mul(b))?;
        }

        #[test]
        fn round_matches_rust_decimal(a in decimal(), places in 0u32..=30, mode in mode()) {
            same(round(a, places, mode), a.round_dp_with_strategy(places, mode.strategy()))?;
        }

        #[test]
        fn round_to_cents_matches_rust_decimal(a in decimal(), mode in mode()) {
            for places in 0..=4 {
                same(round(a, places, mode), a.round_dp_with_strategy(places, mode.strategy()))?;
            }
        }

        #[test]
        fn normalized_scale_matches_rust_decimal(a in decimal()) {
            prop_assert_eq!(normalized_scale(a), a.normalize().scale());
        }

        #[test]
        fn to_integer_matches_normalising(a in decimal(), places in 0u32..=30) {
            let v = a.normalize();
            let slow = places
                .checked_sub(v.scale())
                .and_then(|shift| 10i128.checked_pow(shift))
                .and_then(|f| v.mantissa().checked_mul(f));
            prop_assert_eq!(to_integer(a, places), slow);
        }
    }

    #[test]
    fn zeros_keep_rust_decimals_signs_and_scales() {
        let mut neg_zero = Decimal::new(0, 3);
        neg_zero.set_sign_negative(true);
        let values = [
            Decimal::ZERO,
            neg_zero,
            Decimal::new(0, 2),
            Decimal::new(5, 2),
            Decimal::new(-5, 2),
            Decimal::new(-5, 0),
            Decimal::MAX,
            Decimal::MIN,
        ];
        for a in values {
            for b in values {
                let (ra, rs) = (checked_add(a, b), a.checked_add(b));
                assert_eq!(
                    ra.map(|d| (d.to_string(), d.serialize())),
                    rs.map(|d| (d.to_string(), d.serialize()))
                );
                let (ra, rs) = (checked_sub(a, b), a.checked_sub(b));
                assert_eq!(
                    ra.map(|d| (d.to_string(), d.serialize())),
                    rs.map(|d| (d.to_string(), d.serialize()))
                );
                let (ra, rs) = (checked_mul(a, b), a.checked_mul(b));
                assert_eq!(
                    ra.map(|d| (d.to_string(), d.serialize())),
                    rs.map(|d| (d.to_string(), d.serialize()))
                );
                assert_eq!(cmp(a, b), a.cmp(&b));
            }
            for mode in MODES {
                for places in 0..4 {
                    let f = round(a, places, mode);
                    let s = a.round_dp_with_strategy(places, mode.strategy());
                    assert_eq!(f.serialize(), s.serialize(), "{a} {places} {mode:?}");
                }
            }
        }
    }
}
