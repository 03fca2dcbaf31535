//! Points in fixed point (thousandths) and the time decay of events, computed so that every
//! platform gets the same bits: integer sums (order does not matter) and a decay factor built
//! from IEEE-754 basic operations only (no `exp` or `pow` from a platform's maths library).

use serde::{Deserialize, Serialize, de};
use std::fmt;

/// Points with a resolution of 0.001, stored as an integer number of thousandths.
///
/// JSON: a number or a string (`10`, `-15`, `2.5`, `"2.5"`).
///
/// ```
/// use crm_core::scoring::Points;
/// let p: Points = serde_json::from_str("2.5").unwrap();
/// assert_eq!(p.milli(), 2500);
/// assert_eq!(p.to_string(), "2.5");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Points(i64);

/// Largest magnitude accepted for any points value (a million points).
pub const MAX_POINTS_MILLI: i64 = 1_000_000_000;

impl Points {
    /// Zero points.
    pub const ZERO: Points = Points(0);

    /// From thousandths of a point.
    pub const fn from_milli(milli: i64) -> Self {
        Self(milli)
    }

    /// Whole points.
    pub const fn whole(points: i64) -> Self {
        Self(points.saturating_mul(1000))
    }

    /// Thousandths of a point.
    pub const fn milli(self) -> i64 {
        self.0
    }

    /// As a float, for display and for hosts (exact to the thousandth in decimal).
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }

    /// From a JSON number: refused beyond ±1,000,000 or with more than three decimals (a
    /// resolution the string form refuses too, so both forms of a value agree).
    fn from_f64(v: f64) -> Option<Self> {
        let milli = (v * 1000.0).round();
        let whole_thousandths = (v * 1000.0 - milli).abs() < 1e-6;
        (milli.is_finite() && milli.abs() <= MAX_POINTS_MILLI as f64 && whole_thousandths)
            .then_some(Self(milli as i64))
    }
}

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (int, frac) = (abs / 1000, abs % 1000);
        if frac == 0 {
            write!(f, "{sign}{int}")
        } else {
            let digits = format!("{frac:03}");
            write!(f, "{sign}{int}.{}", digits.trim_end_matches('0'))
        }
    }
}

impl fmt::Debug for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Points({self})")
    }
}

impl Serialize for Points {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_f64())
    }
}

impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Points;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("points as a number such as 10, -15 or 2.5")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Points, E> {
                Points::from_f64(v as f64)
                    .ok_or_else(|| E::custom("points must be within ±1,000,000"))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Points, E> {
                Points::from_f64(v as f64)
                    .ok_or_else(|| E::custom("points must be within ±1,000,000"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Points, E> {
                Points::from_f64(v).ok_or_else(|| {
                    E::custom("points must be within ±1,000,000, with at most three decimals")
                })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Points, E> {
                let d = crate::money::parse_decimal(v).map_err(|e| E::custom(e.message))?;
                if d.normalize().scale() > 3 {
                    return Err(E::custom("points have at most three decimals"));
                }
                let milli = d
                    .checked_mul(rust_decimal::Decimal::ONE_THOUSAND)
                    .map(|m| m.round())
                    .and_then(|m| i64::try_from(m).ok())
                    .filter(|m| m.abs() <= MAX_POINTS_MILLI);
                milli
                    .map(Points)
                    .ok_or_else(|| E::custom("points must be within ±1,000,000"))
            }
        }
        d.deserialize_any(V)
    }
}

/// `1/n!` for n = 0..=9, computed at compile time (an index out of range would not compile).
#[allow(clippy::indexing_slicing)]
const INV_FACTORIAL: [f64; 10] = {
    let mut c = [1.0f64; 10];
    let mut n = 1;
    while n < 10 {
        c[n] = c[n - 1] / n as f64;
        n += 1;
    }
    c
};

/// `2^(−k/8)` for k = 0..=7, from the literal `2^(−1/8)` by repeated multiplication at compile
/// time.
#[allow(clippy::indexing_slicing)]
const EIGHTHS: [f64; 8] = {
    let mut t = [1.0f64; 8];
    let mut k = 1;
    while k < 8 {
        t[k] = t[k - 1] * 0.917_004_043_204_671_2;
        k += 1;
    }
    t
};

/// `2^(−x)` for `x ≥ 0`, from basic IEEE-754 operations only, so every platform computes the
/// same bits: `x = q + k/8 + r` with `q` whole, `k` in 0..8 and `0 ≤ r < 1/8`;
/// `2^(−r) = e^(−r·ln 2)` by its Taylor polynomial of degree 9 (error below 1e-15), times
/// `2^(−k/8)` from a table, halved `q` times (exact in binary).
///
/// ```
/// use crm_core::scoring::half_life_factor;
/// assert_eq!(half_life_factor(0.0), 1.0);
/// assert_eq!(half_life_factor(1.0), 0.5);
/// assert_eq!(half_life_factor(3.0), 0.125);
/// assert!((half_life_factor(0.5) - std::f64::consts::FRAC_1_SQRT_2).abs() < 1e-15);
/// ```
pub fn half_life_factor(x: f64) -> f64 {
    if !x.is_finite() || x >= 1100.0 {
        return 0.0;
    }
    if x <= 0.0 {
        return 1.0;
    }
    // x is in (0, 1100): truncating casts are floors here, and exact.
    let q = f64::from(x as u32);
    let eighths = f64::from(((x - q) * 8.0) as u32);
    let r = (x - q) - eighths / 8.0;
    let t = -r * std::f64::consts::LN_2;
    let mut factor = 0.0f64;
    for c in INV_FACTORIAL.iter().rev() {
        factor = factor * t + c;
    }
    factor *= EIGHTHS.get(eighths as usize).copied().unwrap_or(1.0);
    let mut halvings = q as u32;
    while halvings > 0 && factor > 0.0 {
        factor *= 0.5;
        halvings -= 1;
    }
    factor
}

/// `points · factor`, rounded to the thousandth (half away from zero).
pub(crate) fn decayed(points: Points, factor: f64) -> i64 {
    (points.0 as f64 * factor).round() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_parse_and_print() {
        for (json, milli, text) in [
            ("10", 10_000, "10"),
            ("-15", -15_000, "-15"),
            ("2.5", 2_500, "2.5"),
            ("\"0.125\"", 125, "0.125"),
        ] {
            let p: Points = serde_json::from_str(json).unwrap();
            assert_eq!((p.milli(), p.to_string()), (milli, text.to_owned()));
        }
        assert!(serde_json::from_str::<Points>("1e12").is_err());
        assert!(serde_json::from_str::<Points>("\"abc\"").is_err());
        assert!(serde_json::from_str::<Points>("2.0005").is_err());
        assert!(serde_json::from_str::<Points>("\"2.0005\"").is_err());
        assert_eq!(Points::from_milli(-1500).to_string(), "-1.5");
    }

    #[test]
    fn decay_is_exact_at_whole_half_lives_and_monotone() {
        assert_eq!(half_life_factor(2.0), 0.25);
        assert_eq!(half_life_factor(-1.0), 1.0);
        assert_eq!(half_life_factor(f64::NAN), 0.0);
        assert_eq!(half_life_factor(5000.0), 0.0);
        let mut last = 1.0;
        for i in 1..400 {
            let v = half_life_factor(f64::from(i) / 37.0);
            assert!(v < last, "not decreasing at {i}");
            last = v;
        }
        // 2^(−0.25) = 0.8408964152537145
        assert!((half_life_factor(0.25) - 0.840_896_415_253_714_5).abs() < 1e-15);
        assert_eq!(decayed(Points::whole(10), 0.5), 5000);
    }
}
