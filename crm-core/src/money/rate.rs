//! [`Rate`]: a decimal fraction (6% is `0.06`), never a float.

use super::decimal_text::{parse_decimal, truncate};
use crate::error::{ErrorCode, FieldError};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize, de};
use std::fmt;
use std::str::FromStr;

/// A rate as an exact decimal fraction within 0%..=100%: commission rates, tax rates, shares.
///
/// Reads `"6%"`, `"6.5 %"`, `"6,5%"` (Brazilian decimal comma), `"0.065"` and `"0,065"`.
/// Serialises as the fraction in a string (`"0.065"`) and reads any of the forms above.
///
/// ```
/// use crm_core::Rate;
/// use rust_decimal_macros::dec;
/// assert_eq!(Rate::parse("6.5 %").unwrap().value(), dec!(0.065));
/// assert_eq!(Rate::parse("0.065").unwrap(), Rate::parse("6,5%").unwrap());
/// assert_eq!(Rate::parse("6.5%").unwrap().to_string(), "6.5%");
/// assert_eq!(Rate::parse("120%").unwrap_err().code.as_str(), "validation.rate.range");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Rate(Decimal);

impl Rate {
    /// 0%.
    pub const ZERO: Rate = Rate(Decimal::ZERO);
    /// 100%.
    pub const ONE: Rate = Rate(Decimal::ONE);

    /// A rate from a fraction within 0..=1.
    pub fn new(fraction: Decimal) -> Result<Rate, FieldError> {
        Rate::bounded(fraction, Decimal::ZERO, Decimal::ONE)
    }

    /// A rate from a percentage within 0..=100 (`6.5` → 0.065).
    pub fn from_percent(percent: Decimal) -> Result<Rate, FieldError> {
        let fraction = percent
            .checked_div(Decimal::ONE_HUNDRED)
            .unwrap_or(Decimal::MAX);
        Rate::new(fraction)
    }

    /// A rate from a fraction within `min..=max`, for rules whose range differs from 0..=1
    /// (a negative index variation, an accelerator above 100%).
    pub fn bounded(fraction: Decimal, min: Decimal, max: Decimal) -> Result<Rate, FieldError> {
        if fraction < min || fraction > max {
            return Err(FieldError::new(
                ErrorCode::RateRange,
                format!(
                    "the rate {}% is outside {}%..={}%",
                    percent_text(fraction),
                    percent_text(min),
                    percent_text(max)
                ),
            ));
        }
        Ok(Rate(fraction.normalize()))
    }

    /// Parses a percentage or a fraction within 0%..=100%.
    pub fn parse(input: &str) -> Result<Rate, FieldError> {
        Rate::parse_bounded(input, Decimal::ZERO, Decimal::ONE)
    }

    /// Parses a percentage or a fraction within `min..=max` (given as fractions).
    pub fn parse_bounded(input: &str, min: Decimal, max: Decimal) -> Result<Rate, FieldError> {
        let s = input.trim();
        let (number, is_percent) = match s.strip_suffix('%') {
            Some(n) => (n.trim_end(), true),
            None => (s, false),
        };
        let number = if number.contains(',') && !number.contains('.') {
            number.replacen(',', ".", 1)
        } else {
            number.to_owned()
        };
        let value = parse_decimal(&number).map_err(|_| {
            FieldError::new(
                ErrorCode::RateFormat,
                format!(
                    "`{}` is not a rate such as \"6%\", \"6.5 %\" or \"0.065\"",
                    truncate(s)
                ),
            )
        })?;
        let fraction = if is_percent {
            value.checked_div(Decimal::ONE_HUNDRED).ok_or_else(|| {
                FieldError::new(
                    ErrorCode::RateFormat,
                    format!("`{}` is out of range", truncate(s)),
                )
            })?
        } else {
            value
        };
        Rate::bounded(fraction, min, max)
    }

    /// The fraction (`0.065` for 6.5%).
    pub const fn value(self) -> Decimal {
        self.0
    }

    /// The percentage (`6.5` for 6.5%).
    pub fn as_percent(self) -> Decimal {
        self.0
            .checked_mul(Decimal::ONE_HUNDRED)
            .unwrap_or(Decimal::MAX)
            .normalize()
    }
}

fn percent_text(fraction: Decimal) -> String {
    fraction
        .checked_mul(Decimal::ONE_HUNDRED)
        .unwrap_or(fraction)
        .normalize()
        .to_string()
}

impl FromStr for Rate {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Rate::parse(s)
    }
}

impl fmt::Display for Rate {
    /// The percentage: `6.5%`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.as_percent())
    }
}

impl fmt::Debug for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Rate({})", self.0)
    }
}

impl Serialize for Rate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

struct RateVisitor;

impl de::Visitor<'_> for RateVisitor {
    type Value = Rate;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(r#"a rate as a string: "0.065", "6.5%""#)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Rate, E> {
        Rate::parse(v).map_err(|e| E::custom(e.message))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Rate, E> {
        Rate::new(Decimal::from(v)).map_err(|e| E::custom(e.message))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Rate, E> {
        Rate::new(Decimal::from(v)).map_err(|e| E::custom(e.message))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Rate, E> {
        Err(E::custom(format!(
            "the rate {v} must be written as a string (\"{v}\") {}",
            crate::money::FLOAT_REFUSED
        )))
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RateVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn parses_the_usual_forms() {
        for (input, expected) in [
            ("6%", dec!(0.06)),
            ("6.5 %", dec!(0.065)),
            (" 6,5% ", dec!(0.065)),
            ("0.065", dec!(0.065)),
            ("0,065", dec!(0.065)),
            ("100%", dec!(1)),
            ("0", dec!(0)),
            ("1", dec!(1)),
            ("0.125%", dec!(0.00125)),
        ] {
            assert_eq!(
                Rate::parse(input).map(Rate::value).ok(),
                Some(expected),
                "{input}"
            );
        }
    }

    #[test]
    fn rejects_bad_and_out_of_range() {
        for bad in ["", "%", "six", "6%%", "1,000.5", "6 5%", "0.5.5", "1e-2"] {
            assert_eq!(
                Rate::parse(bad).err().map(|e| e.code),
                Some(ErrorCode::RateFormat),
                "{bad}"
            );
        }
        for out in ["-1%", "100.01%", "1.5", "-0.001"] {
            assert_eq!(
                Rate::parse(out).err().map(|e| e.code),
                Some(ErrorCode::RateRange),
                "{out}"
            );
        }
        assert!(Rate::parse_bounded("-0.5%", dec!(-1), dec!(1)).is_ok());
        assert!(Rate::from_percent(dec!(101)).is_err());
        assert_eq!(
            Rate::from_percent(dec!(8)).ok().map(Rate::value),
            Some(dec!(0.08))
        );
    }

    #[test]
    fn serde_is_textual() {
        let r = Rate::parse("6.5%").unwrap_or_default();
        assert_eq!(serde_json::to_string(&r).unwrap_or_default(), r#""0.065""#);
        assert_eq!(serde_json::from_str::<Rate>(r#""6.5%""#).ok(), Some(r));
        assert_eq!(serde_json::from_str::<Rate>("1").ok(), Some(Rate::ONE));
        assert!(serde_json::from_str::<Rate>("0.065").is_err());
        assert!(serde_json::from_str::<Rate>(r#""150%""#).is_err());
    }

    #[test]
    fn display_round_trips() {
        for s in ["6%", "6.5%", "0.01%", "100%", "0%"] {
            let r = Rate::parse(s).unwrap_or_default();
            assert_eq!(Rate::parse(&r.to_string()).ok(), Some(r));
        }
    }
}
