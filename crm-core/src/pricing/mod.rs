//! Pricing calculators: financing schedules (SAC and PRICE) with insurance, fees, TR and the
//! total effective cost (CET); what a buyer can afford; rent adjustment by a price index;
//! closing costs (ITBI, registry, notary); and valuation statistics (IAAO ratio studies,
//! price per m²).
//!
//! Everything is exact: money is [`crate::Money`], rates are `Decimal` fractions, and
//! where a power or a root is needed ([`pow_int`], [`nth_root`]) it is computed to the full
//! 28 digits of a `Decimal` and rounded only where a rule says. Rounding is half-even to the
//! currency's minor unit (cents) unless a rule says otherwise. Every request type is a serde
//! struct hosts load from JSON (`snake_case`, unknown fields refused, decimals as strings), and
//! bad input gets a typed [`crate::Error`] with a stable code, never a panic or a hang:
//! terms above 600 months are refused before any loop runs and every iteration is bounded.
//!
//! ```
//! use crm_core::pricing::{AmortizationSystem, FinancingTerms, InterestRate, simulate};
//! use crm_core::Money;
//! use chrono::NaiveDate;
//! use rust_decimal_macros::dec;
//!
//! // R$ 100,000 at 1% a month over 12 months, PRICE:
//! // PMT = 100000 · 0.01 / (1 − 1.01^−12) = 1000 / 0.112550772… = 8884.8788… → 8884.88
//! let terms = FinancingTerms::new(
//!     AmortizationSystem::Price,
//!     Money::brl(dec!(100000)),
//!     InterestRate::Monthly(dec!(0.01)),
//!     12,
//!     NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(),
//! );
//! let schedule = simulate(&terms).unwrap();
//! assert_eq!(schedule.first_payment, Money::brl(dec!(8884.88)));
//! assert_eq!(schedule.lines.last().unwrap().balance, Money::brl(dec!(0)));
//! ```

mod affordability;
mod cet;
mod closing_costs;
mod decimal_serde;
mod financing;
mod math;
mod rent_adjustment;
mod schedule;
mod valuation_stats;
mod year_month;

pub use affordability::{
    Affordability, AffordabilityLimits, AffordabilityRequest, BindingLimit, affordability,
};
pub use closing_costs::{
    ClosingCostConfig, ClosingCostRequest, ClosingCosts, FeeBracket, FeeTable, closing_costs,
};
pub use financing::{
    AmortizationSystem, FinancingTerms, InterestRate, MAX_TERM_MONTHS, Schedule, ScheduleLine,
};
pub use math::{annual_rate_from_monthly, monthly_rate_from_annual, nth_root, pow_int};
pub use rent_adjustment::{
    IndexSeries, MonthUsed, NegativePolicy, RentAdjustment, RentAdjustmentRequest, SeriesKind,
    adjust_rent,
};
pub use schedule::simulate;
pub use valuation_stats::{
    Comparable, ComparableStats, RatioPair, RatioStudy, price_per_m2_stats, ratio_study,
};
pub use year_month::YearMonth;

use crate::error::{Error, ErrorCode, FieldError, ValidationErrors};
use crate::money::{Money, RoundingMode};
use rust_decimal::Decimal;

/// The problems found while checking a request, turned into one [`Error`] at the end: none is
/// `Ok`, one is [`Error::Invalid`], several are [`Error::Validation`] (whose code is the first).
#[derive(Default)]
pub(crate) struct Problems(ValidationErrors);

impl Problems {
    pub(crate) fn push(&mut self, path: &str, code: ErrorCode, message: impl Into<String>) {
        self.0.push(FieldError::new(code, message).at(path));
    }

    /// Adds the field problems of `err` under `path`; an error of another kind becomes one
    /// problem with its code and message.
    pub(crate) fn push_error(&mut self, path: &str, err: Error) {
        match err {
            Error::Invalid(e) => self.0.push(e.at(path)),
            Error::Validation(errors) => self.0.extend_at(path, errors),
            other => self.push(path, other.code(), other.to_string()),
        }
    }

    pub(crate) fn finish(self) -> Result<(), Error> {
        let mut errors = self.0.into_iter();
        match (errors.next(), errors.next()) {
            (None, _) => Ok(()),
            (Some(one), None) => Err(Error::Invalid(one)),
            (Some(first), Some(second)) => {
                let mut all = ValidationErrors::default();
                all.push(first);
                all.push(second);
                errors.for_each(|e| all.push(e));
                Err(Error::Validation(all))
            }
        }
    }
}

/// Places an error's field problems under `path`; other errors pass through.
pub(crate) fn at(err: Error, path: &str) -> Error {
    match err {
        Error::Invalid(e) => Error::Invalid(e.at(path)),
        Error::Validation(errors) => {
            let mut placed = ValidationErrors::default();
            placed.extend_at(path, errors);
            Error::Validation(placed)
        }
        other => other,
    }
}

/// Every amount must be in `currency`.
pub(crate) fn same_currency<'a>(
    currency: crate::Currency,
    amounts: impl IntoIterator<Item = &'a Money>,
) -> Result<(), Error> {
    match amounts.into_iter().find(|m| m.currency() != currency) {
        Some(other) => Err(Error::CurrencyMismatch {
            left: currency,
            right: other.currency(),
        }),
        None => Ok(()),
    }
}

/// Rounded half-even to `places` decimal places.
pub(crate) fn round_half_even(value: Decimal, places: u32) -> Decimal {
    RoundingMode::HalfEven.round(value, places)
}

/// An amount of `currency`, written with at least its minor unit's places (`25` →
/// `25.00`) so outputs read alike; the value itself is never changed.
pub(crate) fn money(value: Decimal, currency: crate::Currency) -> Money {
    let places = currency.minor_units();
    let padded = match places.checked_sub(value.scale()) {
        Some(missing) if missing > 0 => 10i128
            .checked_pow(missing)
            .and_then(|f| value.mantissa().checked_mul(f))
            .and_then(|m| Decimal::try_from_i128_with_scale(m, places).ok())
            .unwrap_or(value),
        _ => value,
    };
    Money::new(padded, currency)
}

/// Rounded half-even to 6 decimal places, the precision rates and statistics are reported in.
pub(crate) fn round6(value: Decimal) -> Decimal {
    round_half_even(value, 6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_become_one_error_or_many() {
        assert!(Problems::default().finish().is_ok());
        let mut one = Problems::default();
        one.push("term_months", ErrorCode::FinancingTerm, "too long");
        let err = one.finish().unwrap_err();
        assert!(matches!(&err, Error::Invalid(e) if e.path == "term_months"));
        let mut two = Problems::default();
        two.push("a", ErrorCode::FinancingRate, "x");
        two.push("b", ErrorCode::FinancingTerm, "y");
        two.push("c", ErrorCode::FinancingTerm, "z");
        let err = two.finish().unwrap_err();
        assert_eq!(err.code(), ErrorCode::FinancingRate);
        assert_eq!(err.field_errors().len(), 3);
        let placed = at(err, "request");
        assert_eq!(placed.field_errors()[1].path, "request.b");
        let overflow = at(Error::Overflow { operation: "x" }, "p");
        assert_eq!(overflow.code(), ErrorCode::Overflow);
    }

    #[test]
    fn money_is_padded_never_rounded() {
        use rust_decimal_macros::dec;
        let brl = crate::Currency::BRL;
        assert_eq!(money(dec!(25), brl).amount().to_string(), "25.00");
        assert_eq!(money(dec!(25.5), brl).amount().to_string(), "25.50");
        assert_eq!(money(dec!(25.125), brl).amount().to_string(), "25.125");
        assert_eq!(money(Decimal::MAX, brl).amount(), Decimal::MAX);
        assert_eq!(money(dec!(-3), brl).amount().to_string(), "-3.00");
    }
}
