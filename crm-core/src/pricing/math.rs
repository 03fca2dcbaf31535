//! Exact maths for the calculators: integer powers, n-th roots and the conversions between
//! monthly and annual effective rates, all in `Decimal` with checked arithmetic.
//!
//! `Decimal` carries 96 bits (28–29 significant digits, at most 28 decimal places). Every
//! operation here either gives a result to that precision or a typed error; nothing panics and
//! every iteration has a fixed bound.

use crate::error::{Error, ErrorCode, FieldError};
use rust_decimal::Decimal;

/// The most iterations a root search may take. Newton converges in a handful from the bracket
/// built below; the bound only guarantees that nothing can hang.
const MAX_ROOT_ITERATIONS: u32 = 400;

pub(crate) fn overflow(operation: &'static str) -> Error {
    Error::Overflow { operation }
}

pub(crate) fn mul(a: Decimal, b: Decimal) -> Result<Decimal, Error> {
    a.checked_mul(b).ok_or_else(|| overflow("multiplication"))
}

pub(crate) fn div(a: Decimal, b: Decimal) -> Result<Decimal, Error> {
    a.checked_div(b).ok_or_else(|| overflow("division"))
}

pub(crate) fn add(a: Decimal, b: Decimal) -> Result<Decimal, Error> {
    a.checked_add(b).ok_or_else(|| overflow("addition"))
}

pub(crate) fn sub(a: Decimal, b: Decimal) -> Result<Decimal, Error> {
    a.checked_sub(b).ok_or_else(|| overflow("subtraction"))
}

/// `base` raised to an integer power, by squaring, with checked multiplication.
///
/// A negative exponent divides: `base^-n = 1 / base^n`. When `base^n` itself is beyond the
/// decimal range (1.5^-600, say) the power is taken of the reciprocal instead, so the result
/// comes out as the tiny number (or zero) it is rather than as an overflow; for `|base| < 1`
/// the power of the reciprocal is taken directly, so no digits are lost to a tiny
/// intermediate. `0^0` is 1.
///
/// Errors: `money.overflow` when the result is beyond the decimal range (`10^30`, `0^-1`).
///
/// ```
/// use crm_core::pricing::pow_int;
/// use rust_decimal_macros::dec;
/// assert_eq!(pow_int(dec!(1.01), 2).unwrap(), dec!(1.0201));
/// assert_eq!(pow_int(dec!(2), -2).unwrap(), dec!(0.25));
/// assert_eq!(pow_int(dec!(-3), 3).unwrap(), dec!(-27));
/// assert_eq!(pow_int(dec!(10), 30).unwrap_err().code().as_str(), "money.overflow");
/// ```
pub fn pow_int(base: Decimal, exp: i64) -> Result<Decimal, Error> {
    let n = exp.unsigned_abs();
    if exp >= 0 {
        return pow_u64(base, n);
    }
    if base.abs() < Decimal::ONE {
        // The reciprocal is above one, so its power keeps every significant digit.
        return pow_u64(div(Decimal::ONE, base)?, n);
    }
    match pow_u64(base, n) {
        Ok(p) => div(Decimal::ONE, p),
        Err(_) => pow_u64(div(Decimal::ONE, base)?, n),
    }
}

fn pow_u64(base: Decimal, mut n: u64) -> Result<Decimal, Error> {
    let mut result = Decimal::ONE;
    let mut square = base;
    // At most 64 rounds; the last square is skipped so no intermediate exceeds the result.
    loop {
        if n & 1 == 1 {
            result = mul(result, square)?;
        }
        n >>= 1;
        if n == 0 {
            return Ok(result);
        }
        if square.is_zero() || square == Decimal::ONE {
            // 0^k and 1^k need no more squaring (and a zero result stays zero).
            return Ok(if result.is_zero() || square.is_zero() {
                Decimal::ZERO
            } else {
                result
            });
        }
        square = mul(square, square)?;
    }
}

/// The positive `n`-th root of `x > 0`, to full decimal precision.
///
/// Newton's iteration on `y^n − x` inside a bracket that always holds the root (a step that
/// would leave the bracket bisects it instead), until the value stops changing; at most a few
/// hundred steps whatever `x` and `n` are. The result is within a unit or two of the 28th
/// significant digit.
///
/// Errors: `validation.number.range` when `x ≤ 0` or `n = 0`.
///
/// ```
/// use crm_core::pricing::nth_root;
/// use rust_decimal_macros::dec;
/// assert_eq!(nth_root(dec!(1.0201), 2).unwrap(), dec!(1.01));
/// assert_eq!(nth_root(dec!(27), 3).unwrap(), dec!(3));
/// // 1.1^(1/12) = 1.0079741404289037410660… (12 factors of it multiply back to 1.1)
/// let r = nth_root(dec!(1.1), 12).unwrap();
/// assert_eq!(r.round_dp(18), dec!(1.007974140428903741));
/// assert!(nth_root(dec!(-1), 2).is_err());
/// ```
pub fn nth_root(x: Decimal, n: u32) -> Result<Decimal, Error> {
    if x <= Decimal::ZERO || n == 0 {
        return Err(FieldError::new(
            ErrorCode::NumberRange,
            format!("the {n}-th root of {x} is not a positive real number"),
        )
        .into());
    }
    if n == 1 || x == Decimal::ONE {
        return Ok(x);
    }
    // Below 1 a decimal's resolution is absolute (28 places), so y^n would lose significant
    // digits: take the root of x · 10^(k·n) ≥ 1 instead and divide it by 10^k.
    if x < Decimal::ONE && n <= 28 {
        let k = (-decimal_exponent(x)).div_euclid(i64::from(n))
            + i64::from((-decimal_exponent(x)).rem_euclid(i64::from(n)) != 0);
        let shift = k * i64::from(n);
        let scaled = mul(
            mul(x, pow_int(Decimal::TEN, shift.min(28))?)?,
            pow_int(Decimal::TEN, (shift - 28).max(0))?,
        )?;
        return div(root_in_range(scaled, n)?, pow_int(Decimal::TEN, k)?);
    }
    root_in_range(x, n)
}

/// `e` with `10^e ≤ x < 10^(e+1)`, for `x > 0`.
fn decimal_exponent(x: Decimal) -> i64 {
    let digits = x.mantissa().unsigned_abs().checked_ilog10().unwrap_or(0);
    i64::from(digits) - i64::from(x.scale())
}

/// Newton inside a bracket, for `x > 0` and `n ≥ 2`.
fn root_in_range(x: Decimal, n: u32) -> Result<Decimal, Error> {
    let n_dec = Decimal::from(n);
    let n_minus_1 = i64::from(n) - 1;
    let (mut lo, mut hi) = bracket(x, n)?;
    // Start at the top of the bracket: Newton on a convex increasing function from above
    // decreases monotonically towards the root.
    let mut y = hi;
    let mut previous_step = hi - lo;
    for _ in 0..MAX_ROOT_ITERATIONS {
        // y^n − x and its slope n·y^(n−1); a power beyond the decimal range means y is far
        // above the root (x itself is within range).
        let newton = match pow_int(y, n_minus_1).and_then(|p| Ok((sub(mul(p, y)?, x)?, p))) {
            Ok((f, _)) if f.is_zero() => return Ok(y),
            Ok((f, p)) => {
                if f > Decimal::ZERO {
                    hi = hi.min(y);
                } else {
                    lo = lo.max(y);
                }
                mul(n_dec, p)
                    .ok()
                    .and_then(|slope| f.checked_div(slope))
                    .and_then(|step| y.checked_sub(step))
            }
            Err(_) => {
                hi = hi.min(y);
                None
            }
        };
        let next = match newton {
            Some(t) if t > lo && t < hi && (y - t).abs() <= previous_step => t,
            _ => midpoint(lo, hi),
        };
        if next == y || next <= lo || next >= hi {
            break;
        }
        previous_step = (y - next).abs();
        y = next;
    }
    // Of the last iterate and the bracket's ends, the closest to the root.
    Ok(closest(x, n_minus_1, &[y, lo, hi]).unwrap_or(y))
}

fn midpoint(lo: Decimal, hi: Decimal) -> Decimal {
    // lo + (hi − lo) / 2 cannot overflow for 0 < lo < hi.
    lo + (hi - lo) / Decimal::TWO
}

/// A bracket `lo ≤ root ≤ hi` from the decimal exponent of `x`: `10^e ≤ x < 10^(e+1)`, so the
/// root lies within `[10^floor(e/n), 10^ceil((e+1)/n)]`.
fn bracket(x: Decimal, n: u32) -> Result<(Decimal, Decimal), Error> {
    let e = decimal_exponent(x);
    let n = i64::from(n);
    let lo = pow_int(Decimal::TEN, e.div_euclid(n))?;
    let hi_exp = (e + 1).div_euclid(n) + i64::from((e + 1).rem_euclid(n) != 0);
    let hi = pow_int(Decimal::TEN, hi_exp)?;
    Ok((lo, hi))
}

fn closest(x: Decimal, n_minus_1: i64, candidates: &[Decimal]) -> Option<Decimal> {
    let mut best: Option<(Decimal, Decimal)> = None;
    for &c in candidates {
        let Ok(err) = pow_int(c, n_minus_1).and_then(|p| sub(mul(p, c)?, x)) else {
            continue;
        };
        let err = err.abs();
        if best.is_none_or(|(e, _)| err < e) {
            best = Some((err, c));
        }
    }
    best.map(|(_, c)| c)
}

/// The monthly effective rate equivalent to an annual effective one: `(1 + i_a)^(1/12) − 1`,
/// to full decimal precision (28 decimal places).
///
/// Errors: `validation.financing.rate` when `i_a ≤ −1` (−100%).
///
/// ```
/// use crm_core::pricing::monthly_rate_from_annual;
/// use rust_decimal_macros::dec;
/// // 1.12^(1/12) = 1.009488792934582... so 12% a year is 0.9488792934582...% a month.
/// let m = monthly_rate_from_annual(dec!(0.12)).unwrap();
/// assert_eq!(m.round_dp(15), dec!(0.009488792934583));
/// // 1.01^12 = 1.126825030131969720661201: exactly 1% a month back.
/// assert_eq!(monthly_rate_from_annual(dec!(0.126825030131969720661201)).unwrap().round_dp(26), dec!(0.01));
/// ```
pub fn monthly_rate_from_annual(i_a: Decimal) -> Result<Decimal, Error> {
    if i_a <= Decimal::NEGATIVE_ONE {
        return Err(rate_error(format!(
            "an annual rate of {i_a} is at or below -100%"
        )));
    }
    let root = nth_root(add(Decimal::ONE, i_a)?, 12)?;
    sub(root, Decimal::ONE)
}

/// The annual effective rate equivalent to a monthly one: `(1 + i_m)^12 − 1`.
///
/// Errors: `validation.financing.rate` when `i_m ≤ −1` (−100%); `money.overflow` when the
/// annual rate is beyond the decimal range.
///
/// ```
/// use crm_core::pricing::annual_rate_from_monthly;
/// use rust_decimal_macros::dec;
/// // 1.01^12 = 1.126825030131969720661201
/// assert_eq!(annual_rate_from_monthly(dec!(0.01)).unwrap(), dec!(0.126825030131969720661201));
/// assert_eq!(annual_rate_from_monthly(dec!(0)).unwrap(), dec!(0));
/// ```
pub fn annual_rate_from_monthly(i_m: Decimal) -> Result<Decimal, Error> {
    if i_m <= Decimal::NEGATIVE_ONE {
        return Err(rate_error(format!(
            "a monthly rate of {i_m} is at or below -100%"
        )));
    }
    sub(pow_int(add(Decimal::ONE, i_m)?, 12)?, Decimal::ONE)
}

/// `(1 + i)^n − 1`, without the cancellation that subtracting 1 from the power would cause
/// for small rates: squaring and multiplying are done on `a = x^m − 1` itself
/// (`x^2m − 1 = a·(a + 2)`, `x^(m+1) − 1 = a + i + a·i`), so the result keeps its significant
/// digits even for `i = 1e-12`.
pub(crate) fn compound_minus_one(i: Decimal, n: u32) -> Result<Decimal, Error> {
    let mut a = Decimal::ZERO;
    for bit in (0..u32::BITS - n.leading_zeros()).rev() {
        a = mul(a, add(a, Decimal::TWO)?)?;
        if (n >> bit) & 1 == 1 {
            a = add(add(a, i)?, mul(a, i)?)?;
        }
    }
    Ok(a)
}

/// The capital recovery factor: the level instalment per unit of principal that repays it in
/// `n` months at rate `i`, `i / (1 − (1 + i)^−n)`, written `i · (1 + 1/w)` with
/// `w = (1 + i)^n − 1` so that neither a small rate nor a large power loses digits; `1/n` when
/// `i = 0`. When `(1 + i)^n` is beyond the decimal range, `(1 + i)^−n` is below its resolution
/// and the factor is `i` to every digit.
pub(crate) fn recovery_factor(i: Decimal, n: u32) -> Result<Decimal, Error> {
    if n == 0 {
        return Err(overflow("recovery factor over no months"));
    }
    if i.is_zero() {
        return div(Decimal::ONE, Decimal::from(n));
    }
    match compound_minus_one(i, n) {
        Ok(w) => mul(i, add(Decimal::ONE, div(Decimal::ONE, w)?)?),
        Err(_) => Ok(i),
    }
}

/// The level (PRICE) instalment that repays `balance` in `n` months at rate `i`, unrounded:
/// `balance · i / (1 − (1 + i)^−n)`, or `balance / n` at zero interest (a division, so that
/// exact halves of a cent stay exact for the rounding that follows).
pub(crate) fn level_instalment(balance: Decimal, i: Decimal, n: u32) -> Result<Decimal, Error> {
    if i.is_zero() {
        return div(balance, Decimal::from(n));
    }
    mul(balance, recovery_factor(i, n)?)
}

/// Level instalments at one rate for every term from 1 to `n` months, for PRICE with TR,
/// which recomputes the instalment every month over the months left. `(1 + i)^m − 1` is
/// built for every `m` from the one before (`w_{m+1} = w_m + i + w_m·i`: one multiplication
/// a month instead of a power each month); `None` once it is beyond the decimal range.
pub(crate) struct LevelInstalments {
    i: Decimal,
    compound: Vec<Option<Decimal>>,
}

impl LevelInstalments {
    pub(crate) fn new(i: Decimal, n: u32) -> LevelInstalments {
        let mut compound = Vec::with_capacity(n as usize);
        let mut w = Some(Decimal::ZERO);
        for _ in 0..n {
            w = w.and_then(|w| w.checked_add(i)?.checked_add(w.checked_mul(i)?));
            compound.push(w);
        }
        LevelInstalments { i, compound }
    }

    /// [`level_instalment`]`(balance, i, months)`, unrounded.
    pub(crate) fn instalment(&self, balance: Decimal, months: u32) -> Result<Decimal, Error> {
        let w = self
            .compound
            .get((months as usize).wrapping_sub(1))
            .ok_or_else(|| overflow("instalment beyond the table"))?;
        if self.i.is_zero() {
            return div(balance, Decimal::from(months));
        }
        let factor = match w {
            Some(w) => mul(self.i, add(Decimal::ONE, div(Decimal::ONE, *w)?)?)?,
            None => self.i,
        };
        mul(balance, factor)
    }
}

pub(crate) fn rate_error(message: String) -> Error {
    FieldError::new(ErrorCode::FinancingRate, message).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn powers() {
        assert_eq!(pow_int(dec!(1.5), 0).unwrap(), dec!(1));
        assert_eq!(pow_int(dec!(0), 0).unwrap(), dec!(1));
        assert_eq!(pow_int(dec!(0), 5).unwrap(), dec!(0));
        assert_eq!(pow_int(dec!(1), i64::MAX).unwrap(), dec!(1));
        assert_eq!(pow_int(dec!(1), i64::MIN).unwrap(), dec!(1));
        // 1.1^3 = 1.331 ; 1.1^-1 = 0.90909…
        assert_eq!(pow_int(dec!(1.1), 3).unwrap(), dec!(1.331));
        assert_eq!(
            pow_int(dec!(1.1), -1).unwrap(),
            dec!(0.9090909090909090909090909091)
        );
        // 2^96 > Decimal::MAX (2^96 − 1): overflow; 2^95 fits.
        assert_eq!(
            pow_int(dec!(2), 96).unwrap_err().code(),
            ErrorCode::Overflow
        );
        assert_eq!(
            pow_int(dec!(2), 95).unwrap(),
            dec!(39614081257132168796771975168)
        );
        // 1.5^-600 is about 2.6e-106: below the smallest decimal, so zero, not an overflow.
        assert_eq!(pow_int(dec!(1.5), -600).unwrap(), dec!(0));
        assert_eq!(
            pow_int(dec!(0), -1).unwrap_err().code(),
            ErrorCode::Overflow
        );
        assert_eq!(
            pow_int(dec!(0.5), -200).unwrap_err().code(),
            ErrorCode::Overflow
        );
        assert_eq!(pow_int(dec!(0.5), i64::MAX).unwrap(), dec!(0));
        assert!(pow_int(dec!(2), i64::MAX).is_err());
        assert_eq!(pow_int(dec!(-1), i64::MAX).unwrap(), dec!(-1));
    }

    #[test]
    fn roots() {
        assert_eq!(nth_root(dec!(4), 2).unwrap(), dec!(2));
        assert_eq!(nth_root(dec!(0.0001), 4).unwrap(), dec!(0.1));
        // 0.5^(1/12) = 0.94387431268169349664191315666753…
        assert_eq!(
            nth_root(dec!(0.5), 12).unwrap().round_dp(26),
            dec!(0.94387431268169349664191316)
        );
        // 3e-28^(1/3) = 6.6943295008216952188265932…e-10: below 1 the root keeps 28 places.
        assert_eq!(
            nth_root(dec!(0.0000000000000000000000000003), 3).unwrap(),
            dec!(0.0000000006694329500821695219)
        );
        assert_eq!(nth_root(dec!(5), 1).unwrap(), dec!(5));
        // sqrt 2 = 1.41421356237309504880168872420969807…
        assert_eq!(
            nth_root(dec!(2), 2).unwrap(),
            dec!(1.4142135623730950488016887242)
        );
        assert_eq!(
            nth_root(dec!(0), 2).unwrap_err().code(),
            ErrorCode::NumberRange
        );
        assert_eq!(
            nth_root(dec!(2), 0).unwrap_err().code(),
            ErrorCode::NumberRange
        );
        // Extremes terminate with a sensible answer.
        let big = nth_root(Decimal::MAX, 12).unwrap();
        assert!(big > dec!(250) && big < dec!(260), "{big}"); // (2^96 − 1)^(1/12) is just below 2^8
        let tiny = nth_root(dec!(0.0000000000000000000000000001), 2).unwrap();
        assert_eq!(tiny, dec!(0.00000000000001));
        let huge_n = nth_root(dec!(2), u32::MAX).unwrap();
        // 2^(1/4294967295) = 1 + ln 2 / 4294967295 + … = 1.00000000016138590…
        assert_eq!(huge_n.round_dp(15), dec!(1.000000000161386));
    }

    #[test]
    fn root_then_power_round_trips() {
        for x in [
            dec!(1.1149),
            dec!(1.06),
            dec!(1.5),
            dec!(0.97),
            dec!(12345.678),
        ] {
            let r = nth_root(x, 12).unwrap();
            let back = pow_int(r, 12).unwrap();
            // Raising to the 12th power rounds too: compare to 26 significant digits.
            let tolerance = x * dec!(0.00000000000000000000000001);
            assert!((back - x).abs() <= tolerance, "{x}: {back}");
        }
    }

    #[test]
    fn compound_and_recovery() {
        // 1.01^12 − 1 = 0.126825030131969720661201
        assert_eq!(
            compound_minus_one(dec!(0.01), 12).unwrap(),
            dec!(0.126825030131969720661201)
        );
        assert_eq!(compound_minus_one(dec!(0.5), 0).unwrap(), dec!(0));
        // (1 + 1e-12)^12 − 1 = 12e-12 + 66e-24 + 220e-36 … : the small digits survive.
        assert_eq!(
            compound_minus_one(dec!(0.000000000001), 12).unwrap(),
            dec!(0.000000000012000000000066)
        );
        // (1 − 0.5)^3 − 1 = −0.875
        assert_eq!(compound_minus_one(dec!(-0.5), 3).unwrap(), dec!(-0.875));
        // 1% over 12 months: 0.01 · 1.126825…/0.126825… = 0.0888487886783417…
        assert_eq!(
            recovery_factor(dec!(0.01), 12).unwrap().round_dp(16),
            dec!(0.0888487886783417)
        );
        assert_eq!(recovery_factor(dec!(0), 4).unwrap(), dec!(0.25));
        // 100% a month over 600 months: 2^600 is beyond the range, the factor is the rate.
        assert_eq!(recovery_factor(dec!(1), 600).unwrap(), dec!(1));
        assert!(recovery_factor(dec!(0.01), 0).is_err());
    }

    #[test]
    fn monthly_rates_have_28_significant_digits() {
        // (1 + a)^(1/12) − 1 to 28 places, from a 60-digit computation.
        for (annual, monthly) in [
            (dec!(0.1149), dec!(0.0091049261801667102262335544)),
            (dec!(0.0001), dec!(0.0000083329514132891158881464)),
            (dec!(0.5), dec!(0.0343660831319165749697725532)),
            (dec!(0.99), dec!(0.0590206365197483292026504418)),
            (dec!(1), dec!(0.0594630943592952645618252949)),
            (dec!(2.5), dec!(0.1100409583315623636395050298)),
            (dec!(4095), dec!(1)),
            (dec!(-0.5), dec!(-0.0561256873183065033580868433)),
            (dec!(-0.999), dec!(-0.4376586748096509196050489602)),
            (dec!(0.000000001), dec!(0.0000000000833333332951388889)),
            (dec!(0.0725), dec!(0.0058497409526456540912303989)),
            (dec!(0.13), dec!(0.0102368443581763633608350318)),
            (dec!(0.126825030131969720661201), dec!(0.01)),
            (dec!(10), dec!(0.2211885503119937638230208431)),
            (dec!(100), dec!(0.4690168630587715389870840466)),
        ] {
            let m = monthly_rate_from_annual(annual).unwrap();
            // The root 1 + m has 28 or 29 significant digits; allow one unit in the 28th place.
            assert!(
                (m - monthly).abs() <= dec!(0.0000000000000000000000000001),
                "{annual}: {m} vs {monthly}"
            );
        }
    }

    #[test]
    fn the_instalment_table_matches_the_powers() {
        for i in [
            dec!(0),
            dec!(0.0091049261801667102262335544),
            dec!(0.03),
            dec!(-0.2),
            dec!(1),
        ] {
            let table = LevelInstalments::new(i, 600);
            for m in [1u32, 2, 12, 359, 360, 600] {
                let direct = level_instalment(dec!(400000), i, m).unwrap();
                let built = table.instalment(dec!(400000), m).unwrap();
                let tolerance = direct.abs() * dec!(0.000000000000000000000001);
                assert!(
                    (direct - built).abs() <= tolerance,
                    "{i} {m}: {direct} vs {built}"
                );
            }
            assert!(table.instalment(dec!(1), 0).is_err());
            assert!(table.instalment(dec!(1), 601).is_err());
        }
    }

    #[test]
    fn rate_conversions() {
        assert_eq!(
            monthly_rate_from_annual(dec!(-1)).unwrap_err().code(),
            ErrorCode::FinancingRate
        );
        assert_eq!(
            annual_rate_from_monthly(dec!(-1.5)).unwrap_err().code(),
            ErrorCode::FinancingRate
        );
        assert_eq!(monthly_rate_from_annual(dec!(0)).unwrap(), dec!(0));
        // 2^(1/12) − 1 = 0.059463094359295264561825294946…
        assert_eq!(
            monthly_rate_from_annual(dec!(1)).unwrap().round_dp(24),
            dec!(0.059463094359295264561825)
        );
        // A negative annual rate: 0.9^(1/12) − 1 = −0.008741611...
        let m = monthly_rate_from_annual(dec!(-0.1)).unwrap();
        assert_eq!(m.round_dp(9), dec!(-0.008741611));
        assert!(annual_rate_from_monthly(Decimal::MAX).is_err());
    }
}
