//! Rates inside plans: read leniently so that plan validation, not the JSON reader, reports an
//! out-of-range rate with its path (together with every other problem of the plan).

use crate::error::{ErrorCode, FieldError};
use crate::money::Rate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize, de};
use std::fmt;

/// A rate as written in a plan (`"6%"`, `"0.06"`), any value; [`PlanRate::rate`] checks the
/// 0%..=100% range.
///
/// ```
/// use crm_core::commission::PlanRate;
/// let r: PlanRate = serde_json::from_str(r#""120%""#).unwrap();
/// assert_eq!(r.rate().unwrap_err().code.as_str(), "validation.rate.range");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct PlanRate(Decimal);

impl PlanRate {
    /// A plan rate from a fraction, unchecked.
    pub const fn new(fraction: Decimal) -> Self {
        Self(fraction)
    }

    /// The fraction as written.
    pub const fn value(self) -> Decimal {
        self.0
    }

    /// The rate, checked to be within 0%..=100%.
    pub fn rate(self) -> Result<Rate, FieldError> {
        Rate::new(self.0)
    }

    /// Parses a percentage or a fraction without a range check.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        Rate::parse_bounded(input, Decimal::MIN, Decimal::MAX).map(|r| Self(r.value()))
    }
}

impl From<Rate> for PlanRate {
    fn from(r: Rate) -> Self {
        Self(r.value())
    }
}

impl fmt::Debug for PlanRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PlanRate({})", self.0)
    }
}

impl fmt::Display for PlanRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = self
            .0
            .checked_mul(Decimal::ONE_HUNDRED)
            .unwrap_or(self.0)
            .normalize();
        write!(f, "{pct}%")
    }
}

impl Serialize for PlanRate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0.normalize())
    }
}

impl<'de> Deserialize<'de> for PlanRate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = PlanRate;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(r#"a rate as a string: "6%" or "0.06""#)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PlanRate, E> {
                PlanRate::parse(v).map_err(|e| E::custom(e.message))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<PlanRate, E> {
                Ok(PlanRate(Decimal::from(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<PlanRate, E> {
                Ok(PlanRate(Decimal::from(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<PlanRate, E> {
                Err(E::custom(format!(
                    "the rate {v} must be written as a string (\"{v}\") {}",
                    crate::money::FLOAT_REFUSED
                )))
            }
        }
        d.deserialize_any(V)
    }
}

/// Checks a plan rate is within 0%..=100%, reporting at `path`.
pub(crate) fn check_rate(errors: &mut crate::ValidationErrors, path: &str, rate: PlanRate) {
    if let Err(e) = rate.rate() {
        errors.push(FieldError::new(ErrorCode::RateRange, e.message).at(path));
    }
}
