//! Rounding modes. Every rule that rounds names its mode; the default is half-even (NBR 5891).

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// How to round a decimal to a number of places.
///
/// ```
/// use crm_core::RoundingMode;
/// use rust_decimal_macros::dec;
/// assert_eq!(RoundingMode::HalfEven.round(dec!(2.345), 2), dec!(2.34));
/// assert_eq!(RoundingMode::HalfUp.round(dec!(2.345), 2), dec!(2.35));
/// assert_eq!(RoundingMode::HalfUp.round(dec!(-2.345), 2), dec!(-2.35));
/// assert_eq!(RoundingMode::Down.round(dec!(2.349), 2), dec!(2.34));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// Round half to even, "banker's rounding" (ABNT NBR 5891): 2.345 → 2.34, 2.355 → 2.36.
    #[default]
    HalfEven,
    /// Round half away from zero, the school rule: 2.345 → 2.35, −2.345 → −2.35.
    HalfUp,
    /// Round half towards zero: 2.345 → 2.34.
    HalfDown,
    /// Truncate towards zero: 2.349 → 2.34, −2.349 → −2.34.
    Down,
    /// Away from zero: 2.341 → 2.35.
    Up,
    /// Towards negative infinity: −2.341 → −2.35.
    Floor,
    /// Towards positive infinity: 2.341 → 2.35.
    Ceiling,
}

impl RoundingMode {
    /// Rounds `value` to `places` decimal places. Never fails: a value already at or below
    /// `places` comes back unchanged (and keeps its scale).
    #[inline]
    pub fn round(self, value: Decimal, places: u32) -> Decimal {
        super::fast::round(value, places, self)
    }

    /// The rust_decimal strategy of this mode.
    pub(super) fn strategy(self) -> RoundingStrategy {
        match self {
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
            RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfDown => RoundingStrategy::MidpointTowardZero,
            RoundingMode::Down => RoundingStrategy::ToZero,
            RoundingMode::Up => RoundingStrategy::AwayFromZero,
            RoundingMode::Floor => RoundingStrategy::ToNegativeInfinity,
            RoundingMode::Ceiling => RoundingStrategy::ToPositiveInfinity,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn half_even_follows_nbr_5891() {
        // NBR 5891: a trailing 5 rounds to the even neighbour.
        let m = RoundingMode::HalfEven;
        assert_eq!(m.round(dec!(0.125), 2), dec!(0.12));
        assert_eq!(m.round(dec!(0.135), 2), dec!(0.14));
        assert_eq!(m.round(dec!(0.1251), 2), dec!(0.13));
        assert_eq!(m.round(dec!(-0.125), 2), dec!(-0.12));
    }

    #[test]
    fn directed_modes() {
        assert_eq!(RoundingMode::Up.round(dec!(2.341), 2), dec!(2.35));
        assert_eq!(RoundingMode::Floor.round(dec!(-2.341), 2), dec!(-2.35));
        assert_eq!(RoundingMode::Ceiling.round(dec!(2.341), 2), dec!(2.35));
        assert_eq!(RoundingMode::Ceiling.round(dec!(-2.349), 2), dec!(-2.34));
        assert_eq!(RoundingMode::HalfDown.round(dec!(2.345), 2), dec!(2.34));
        assert_eq!(RoundingMode::HalfDown.round(dec!(2.3451), 2), dec!(2.35));
    }
}
