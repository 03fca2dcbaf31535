//! Affordability: the largest loan a buyer's income and the lender's loan-to-value cap allow.

use super::financing::{AmortizationSystem, InterestRate, MAX_TERM_MONTHS};
use super::math::{add, div, level_instalment, mul, rate_error, recovery_factor, sub};
use super::{Problems, round_half_even, same_currency};
use crate::error::{Error, ErrorCode};
use crate::money::{Money, Rate, RoundingMode};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A lender's limits.
///
/// ```
/// use crm_core::domain::from_json;
/// use crm_core::pricing::AffordabilityLimits;
/// use rust_decimal_macros::dec;
/// let l: AffordabilityLimits = from_json(r#"{"max_ltv": "80%", "max_term_months": 420}"#).unwrap();
/// assert_eq!(l.income_commitment.value(), dec!(0.3)); // the default, 30%
/// assert_eq!(l.max_ltv.value(), dec!(0.8));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AffordabilityLimits {
    /// The share of gross monthly income the first payment may take (30% by default).
    #[serde(default = "default_commitment")]
    pub income_commitment: Rate,
    /// The loan may be at most the property value times this (loan-to-value).
    pub max_ltv: Rate,
    /// The longest term the lender offers, in months.
    pub max_term_months: u32,
}

fn default_commitment() -> Rate {
    Rate::new(Decimal::new(3, 1)).unwrap_or(Rate::ZERO)
}

/// Who is buying what, under which loan and limits.
///
/// ```
/// use crm_core::domain::from_json;
/// use crm_core::pricing::{AffordabilityRequest, AmortizationSystem};
/// let req: AffordabilityRequest = from_json(r#"{"system": "sac",
///     "gross_monthly_income": "12000", "property_value": "650000",
///     "rate": {"annual_effective": "0.1149"}, "term_months": 360,
///     "limits": {"income_commitment": "30%", "max_ltv": "80%", "max_term_months": 420}}"#).unwrap();
/// assert_eq!(req.system, AmortizationSystem::Sac);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AffordabilityRequest {
    /// SAC or PRICE.
    pub system: AmortizationSystem,
    /// Gross monthly income (renda bruta), above zero.
    pub gross_monthly_income: Money,
    /// The property's value, above zero.
    pub property_value: Money,
    /// The loan's interest rate.
    pub rate: InterestRate,
    /// The term wanted, 1 to 600 months (capped by the lender's maximum).
    pub term_months: u32,
    /// The lender's limits.
    pub limits: AffordabilityLimits,
}

/// Which limit decides the loan.
///
/// ```
/// use crm_core::pricing::BindingLimit;
/// assert_eq!(serde_json::to_string(&BindingLimit::Ltv).unwrap(), r#""ltv""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BindingLimit {
    /// The share of income the first payment may take.
    Income,
    /// The loan-to-value cap (also when both limits give the same loan).
    Ltv,
}

/// The result of [`affordability`].
///
/// ```
/// use crm_core::pricing::*;
/// use crm_core::{Money, Rate};
/// use rust_decimal_macros::dec;
/// // Income 20000 · 30% = 6000; SAC at 0% over 100 months: 6000 · 100 = 600000, above the
/// // LTV limit 500000 · 70% = 350000, so the LTV binds: first payment 350000 / 100 = 3500.
/// let a = affordability(&AffordabilityRequest {
///     system: AmortizationSystem::Sac,
///     gross_monthly_income: Money::brl(dec!(20000)),
///     property_value: Money::brl(dec!(500000)),
///     rate: InterestRate::Monthly(dec!(0)),
///     term_months: 100,
///     limits: AffordabilityLimits {
///         income_commitment: Rate::parse("30%").unwrap(),
///         max_ltv: Rate::parse("70%").unwrap(),
///         max_term_months: 420,
///     },
/// }).unwrap();
/// assert_eq!(a.binding_limit, BindingLimit::Ltv);
/// assert_eq!(a.max_loan, Money::brl(dec!(350000)));
/// assert_eq!(a.down_payment, Money::brl(dec!(150000)));
/// assert_eq!(a.first_payment, Money::brl(dec!(3500)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Affordability {
    /// The term used: the smaller of the one wanted and the lender's maximum.
    pub term_months: u32,
    /// The largest first payment: income · commitment, truncated to cents.
    pub max_payment: Money,
    /// The largest loan whose first payment fits `max_payment`, truncated to cents.
    pub max_loan_by_income: Money,
    /// Property value · max LTV, truncated to cents.
    pub max_loan_by_ltv: Money,
    /// The smaller of the two.
    pub max_loan: Money,
    /// Which limit gave `max_loan` (ties go to the LTV).
    pub binding_limit: BindingLimit,
    /// Property value − max loan: what the buyer must bring.
    pub down_payment: Money,
    /// The first instalment of `max_loan` (never above `max_payment` by more than a cent).
    pub first_payment: Money,
}

/// The largest loan a buyer can take, and the down payment it leaves.
///
/// With `P` the largest payment, `i` the monthly rate and `n` the term:
/// PRICE `loan = P · (1 − (1 + i)^−n) / i` (`P · n` at zero interest); SAC, whose first
/// instalment is the largest, `loan = P / (1/n + i)`; both truncated to cents so the limit is
/// never exceeded. The first payment is then computed as the schedule would: PRICE
/// `round(loan · i / (1 − (1 + i)^−n))`, SAC `round(loan / n) + round(loan · i)`.
///
/// Errors: `validation.financing.principal` when the income or the property value is not
/// above zero; `validation.financing.term` when the term is outside 1..=600 or the lender's
/// maximum is zero; `validation.financing.rate` for a rate at or below −100% or above 100% a
/// month (or a negative one at which a SAC loan has no first instalment);
/// `money.currency_mismatch` when income and property are in different currencies.
///
/// ```
/// use crm_core::pricing::*;
/// use crm_core::{Money, Rate};
/// use rust_decimal_macros::dec;
///
/// // Income R$ 10,000 → max payment 30% = 3000.00. PRICE at 1% over 12 months:
/// // 3000 · (1 − 1.01^−12) / 0.01 = 3000 · 11.2550775… = 33765.232… → 33765.23.
/// // LTV: 400000 · 80% = 320000, so income binds; down payment 400000 − 33765.23.
/// let req = AffordabilityRequest {
///     system: AmortizationSystem::Price,
///     gross_monthly_income: Money::brl(dec!(10000)),
///     property_value: Money::brl(dec!(400000)),
///     rate: InterestRate::Monthly(dec!(0.01)),
///     term_months: 12,
///     limits: AffordabilityLimits {
///         income_commitment: Rate::parse("30%").unwrap(),
///         max_ltv: Rate::parse("80%").unwrap(),
///         max_term_months: 420,
///     },
/// };
/// let a = affordability(&req).unwrap();
/// assert_eq!(a.max_payment, Money::brl(dec!(3000)));
/// assert_eq!(a.max_loan, Money::brl(dec!(33765.23)));
/// assert_eq!(a.binding_limit, BindingLimit::Income);
/// assert_eq!(a.down_payment, Money::brl(dec!(366234.77)));
/// // 33765.23 · 0.0888487886… = 2999.9998… → 3000.00
/// assert_eq!(a.first_payment, Money::brl(dec!(3000.00)));
/// ```
pub fn affordability(req: &AffordabilityRequest) -> Result<Affordability, Error> {
    let currency = req.property_value.currency();
    same_currency(currency, [&req.gross_monthly_income])?;
    let mut problems = Problems::default();
    for (path, value) in [
        ("gross_monthly_income", req.gross_monthly_income),
        ("property_value", req.property_value),
    ] {
        if value.is_negative() || value.is_zero() {
            problems.push(
                path,
                ErrorCode::FinancingPrincipal,
                format!("must be above zero, found {value}"),
            );
        }
    }
    let rate = match req.rate.monthly_rate() {
        Ok(i) => Some(i),
        Err(e) => {
            problems.push_error("rate", e);
            None
        }
    };
    if !(1..=MAX_TERM_MONTHS).contains(&req.term_months) {
        problems.push(
            "term_months",
            ErrorCode::FinancingTerm,
            format!(
                "must be 1 to {MAX_TERM_MONTHS} months, found {}",
                req.term_months
            ),
        );
    }
    if req.limits.max_term_months == 0 {
        problems.push(
            "limits.max_term_months",
            ErrorCode::FinancingTerm,
            "must be at least one month",
        );
    }
    problems.finish()?;
    let i = rate.unwrap_or_default();
    let n = req.term_months.min(req.limits.max_term_months);
    let n_dec = Decimal::from(n);
    let places = currency.minor_units();
    let down = |x: Decimal| RoundingMode::Down.round(x, places);
    let round = |x: Decimal| round_half_even(x, places);
    let money = |x: Decimal| super::money(x, currency);

    let max_payment = down(mul(
        req.gross_monthly_income.amount(),
        req.limits.income_commitment.value(),
    )?);
    let max_loan_by_income = down(loan_for_payment(req.system, max_payment, i, n)?);
    let max_loan_by_ltv = down(mul(
        req.property_value.amount(),
        req.limits.max_ltv.value(),
    )?);
    let (max_loan, binding_limit) = if max_loan_by_income < max_loan_by_ltv {
        (max_loan_by_income, BindingLimit::Income)
    } else {
        (max_loan_by_ltv, BindingLimit::Ltv)
    };
    let first_payment = match req.system {
        AmortizationSystem::Price => round(level_instalment(max_loan, i, n)?),
        AmortizationSystem::Sac => add(round(div(max_loan, n_dec)?), round(mul(max_loan, i)?))?,
    };
    Ok(Affordability {
        term_months: n,
        max_payment: money(max_payment),
        max_loan_by_income: money(max_loan_by_income),
        max_loan_by_ltv: money(max_loan_by_ltv),
        max_loan: money(max_loan),
        binding_limit,
        down_payment: money(sub(req.property_value.amount(), max_loan)?),
        first_payment: money(first_payment),
    })
}

/// The loan whose first instalment is exactly `payment`, unrounded. Written so that exact
/// cases stay exact (`P · n` at zero interest, `P · n / (1 + n·i)` for SAC), since the result
/// is truncated to cents.
fn loan_for_payment(
    system: AmortizationSystem,
    payment: Decimal,
    i: Decimal,
    n: u32,
) -> Result<Decimal, Error> {
    let n_dec = Decimal::from(n);
    if i.is_zero() {
        return mul(payment, n_dec);
    }
    match system {
        // P · (1 − (1 + i)^−n) / i = P / recovery factor
        AmortizationSystem::Price => div(payment, recovery_factor(i, n)?),
        // P / (1/n + i) = P · n / (1 + n·i)
        AmortizationSystem::Sac => {
            let denominator = add(Decimal::ONE, mul(n_dec, i)?)?;
            if denominator <= Decimal::ZERO {
                return Err(super::at(
                    rate_error(format!(
                        "at a monthly rate of {i} a SAC loan over {n} months has no positive first instalment"
                    )),
                    "rate",
                ));
            }
            div(mul(payment, n_dec)?, denominator)
        }
    }
}

#[cfg(test)]
#[path = "affordability_tests.rs"]
mod tests;
