//! Financing: the terms of a loan and the schedule [`simulate`](super::simulate) computes
//! from them (SAC and PRICE, with MIP and DFI insurance, an admin fee, TR correction and the
//! total effective cost).

use super::decimal_serde;
use super::math::rate_error;
use crate::error::Error;
use crate::money::{Money, strict_decimal};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The longest term a schedule may have: 600 months (50 years). Longer terms are refused
/// before any computation runs.
///
/// ```
/// use crm_core::pricing::{AmortizationSystem, FinancingTerms, InterestRate, MAX_TERM_MONTHS, simulate};
/// use crm_core::Money;
/// use rust_decimal_macros::dec;
/// let d = chrono::NaiveDate::from_ymd_opt(2026, 1, 10).unwrap();
/// let ten_thousand_years = 10_000 * 12;
/// let t = FinancingTerms::new(AmortizationSystem::Sac, Money::brl(dec!(1000)),
///                             InterestRate::Monthly(dec!(0.01)), ten_thousand_years, d);
/// assert!(ten_thousand_years > MAX_TERM_MONTHS);
/// assert_eq!(simulate(&t).unwrap_err().code().as_str(), "validation.financing.term");
/// ```
pub const MAX_TERM_MONTHS: u32 = 600;

/// The largest annual effective rate that is still at most 100% a month: `2^12 − 1`.
const MAX_ANNUAL_RATE: Decimal = Decimal::from_parts(4095, 0, 0, false, 0);

/// How the principal is repaid.
///
/// ```
/// use crm_core::pricing::AmortizationSystem;
/// let s: AmortizationSystem = serde_json::from_str(r#""sac""#).unwrap();
/// assert_eq!(s, AmortizationSystem::Sac);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmortizationSystem {
    /// Sistema de Amortização Constante: equal amortisations, falling instalments.
    Sac,
    /// Tabela Price (French system): equal instalments, rising amortisations.
    Price,
}

/// The loan's interest rate, as a fraction.
///
/// JSON: `{"annual_effective": "0.1149"}` or `{"monthly": "0.0091"}` (decimal strings).
///
/// ```
/// use crm_core::pricing::InterestRate;
/// use rust_decimal_macros::dec;
/// let r: InterestRate = serde_json::from_str(r#"{"monthly": "0.01"}"#).unwrap();
/// assert_eq!(r.monthly_rate().unwrap(), dec!(0.01));
/// // 12% a year effective is 0.94887929345829…% a month: 1.12^(1/12) − 1.
/// let a = InterestRate::AnnualEffective(dec!(0.12));
/// assert_eq!(a.monthly_rate().unwrap().round_dp(12), dec!(0.009488792935));
/// let bad = InterestRate::Monthly(dec!(1.5));
/// assert_eq!(bad.monthly_rate().unwrap_err().code().as_str(), "validation.financing.rate");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterestRate {
    /// An annual effective rate (taxa efetiva anual); the monthly rate is `(1 + a)^(1/12) − 1`.
    AnnualEffective(#[serde(with = "strict_decimal")] Decimal),
    /// A monthly effective rate, used as given.
    Monthly(#[serde(with = "strict_decimal")] Decimal),
}

impl InterestRate {
    /// The monthly effective rate, to full precision.
    ///
    /// Errors: `validation.financing.rate` for a rate at or below −100%, or above 100% a month
    /// (an annual rate above `2^12 − 1`).
    ///
    /// ```
    /// use crm_core::pricing::InterestRate;
    /// use rust_decimal_macros::dec;
    /// // 2^12 − 1 = 4095 a year is exactly 100% a month: 4096^(1/12) = 2.
    /// assert_eq!(InterestRate::AnnualEffective(dec!(4095)).monthly_rate().unwrap(), dec!(1));
    /// assert!(InterestRate::AnnualEffective(dec!(4096)).monthly_rate().is_err());
    /// assert!(InterestRate::Monthly(dec!(-1)).monthly_rate().is_err());
    /// ```
    pub fn monthly_rate(&self) -> Result<Decimal, Error> {
        match *self {
            InterestRate::Monthly(m) => check_monthly(m, "the monthly rate"),
            InterestRate::AnnualEffective(a) => {
                if a > MAX_ANNUAL_RATE {
                    return Err(rate_error(format!(
                        "the annual rate {a} is more than 100% a month"
                    )));
                }
                let m = super::math::monthly_rate_from_annual(a)?;
                check_monthly(m, "the monthly equivalent")
            }
        }
    }
}

fn check_monthly(m: Decimal, what: &str) -> Result<Decimal, Error> {
    if m <= Decimal::NEGATIVE_ONE || m > Decimal::ONE {
        return Err(rate_error(format!(
            "{what} {m} is outside the range above -100% and up to 100% a month"
        )));
    }
    Ok(m)
}

/// The terms of a loan to simulate.
///
/// JSON (optional fields may be left out):
/// ```json
/// {"system": "price", "principal": "100000", "rate": {"monthly": "0.01"},
///  "term_months": 12, "first_due": "2026-01-15", "property_value": "200000",
///  "mip_rate": "0.0002", "dfi_rate": "0.0001", "admin_fee": "25", "tr": [],
///  "upfront_costs": "1500"}
/// ```
///
/// ```
/// use crm_core::domain::from_json;
/// use crm_core::pricing::{AmortizationSystem, FinancingTerms};
/// let terms: FinancingTerms = from_json(
///     r#"{"system": "sac", "principal": "300000", "rate": {"annual_effective": "0.1149"},
///         "term_months": 360, "first_due": "2026-02-10"}"#,
/// ).unwrap();
/// assert_eq!(terms.system, AmortizationSystem::Sac);
/// assert!(terms.tr.is_empty() && terms.admin_fee.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinancingTerms {
    /// SAC or PRICE.
    pub system: AmortizationSystem,
    /// The amount lent: above zero, in whole cents.
    pub principal: Money,
    /// The interest rate.
    pub rate: InterestRate,
    /// Number of monthly instalments, 1 to 600.
    pub term_months: u32,
    /// Due date of instalment 1; instalment k is due k − 1 calendar months later.
    pub first_due: NaiveDate,
    /// The property's value, the base of the DFI insurance (required when `dfi_rate` is set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub property_value: Option<Money>,
    /// Monthly life and disability insurance (MIP) rate, on the balance before each payment.
    #[serde(
        default,
        with = "decimal_serde::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub mip_rate: Option<Decimal>,
    /// Monthly property damage insurance (DFI) rate, on the property value.
    #[serde(
        default,
        with = "decimal_serde::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub dfi_rate: Option<Decimal>,
    /// A fixed administration fee charged every month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_fee: Option<Money>,
    /// Monthly TR, month k using `tr[k − 1]`: empty for no correction, otherwise exactly one
    /// entry per month of the term.
    #[serde(
        default,
        with = "decimal_serde::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub tr: Vec<Decimal>,
    /// Fees paid at signature (appraisal, IOF, …); they lower the amount received for the CET.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upfront_costs: Option<Money>,
}

impl FinancingTerms {
    /// Terms with no insurance, fees, TR or upfront costs; set those fields afterwards.
    ///
    /// ```
    /// use crm_core::pricing::{AmortizationSystem, FinancingTerms, InterestRate};
    /// use crm_core::Money;
    /// use rust_decimal_macros::dec;
    /// let mut terms = FinancingTerms::new(
    ///     AmortizationSystem::Sac,
    ///     Money::brl(dec!(240000)),
    ///     InterestRate::Monthly(dec!(0.008)),
    ///     240,
    ///     chrono::NaiveDate::from_ymd_opt(2026, 3, 5).unwrap(),
    /// );
    /// terms.admin_fee = Some(Money::brl(dec!(25)));
    /// assert_eq!(terms.term_months, 240);
    /// ```
    pub fn new(
        system: AmortizationSystem,
        principal: Money,
        rate: InterestRate,
        term_months: u32,
        first_due: NaiveDate,
    ) -> FinancingTerms {
        FinancingTerms {
            system,
            principal,
            rate,
            term_months,
            first_due,
            property_value: None,
            mip_rate: None,
            dfi_rate: None,
            admin_fee: None,
            tr: Vec::new(),
            upfront_costs: None,
        }
    }
}

/// One month of a schedule.
///
/// ```
/// use crm_core::pricing::{AmortizationSystem, FinancingTerms, InterestRate, simulate};
/// use crm_core::Money;
/// use rust_decimal_macros::dec;
/// // SAC 1200 at 1% over 12 with a R$ 5 fee. Month 1: amortisation 1200 / 12 = 100, interest
/// // 1200 · 0.01 = 12, instalment 112, payment 112 + 5 = 117, balance 1100.
/// let mut t = FinancingTerms::new(AmortizationSystem::Sac, Money::brl(dec!(1200)),
///     InterestRate::Monthly(dec!(0.01)), 12, chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap());
/// t.admin_fee = Some(Money::brl(dec!(5)));
/// let line = &simulate(&t).unwrap().lines[0];
/// assert_eq!(line.number, 1);
/// assert_eq!(line.instalment, Money::brl(dec!(112)));
/// assert_eq!(line.payment, Money::brl(dec!(117)));
/// assert_eq!(line.balance, Money::brl(dec!(1100)));
/// assert_eq!(serde_json::to_value(line).unwrap()["payment"]["amount"], "117.00");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleLine {
    /// Instalment number, from 1.
    pub number: u32,
    /// Due date.
    pub due: NaiveDate,
    /// TR correction added to the balance this month (zero without TR).
    pub correction: Money,
    /// Interest on the corrected balance.
    pub interest: Money,
    /// Principal repaid.
    pub amortization: Money,
    /// `interest + amortization`.
    pub instalment: Money,
    /// Life and disability insurance on the corrected balance.
    pub mip: Money,
    /// Property damage insurance on the property value.
    pub dfi: Money,
    /// Administration fee.
    pub admin_fee: Money,
    /// What the borrower pays: `instalment + mip + dfi + admin_fee`.
    pub payment: Money,
    /// The balance after this payment.
    pub balance: Money,
}

/// A simulated schedule with its totals and CET.
///
/// ```
/// use crm_core::pricing::{AmortizationSystem, FinancingTerms, InterestRate, simulate};
/// use crm_core::Money;
/// use rust_decimal_macros::dec;
/// // PRICE 1000 at 0% over 4: 250 a month, no interest, CET 0.
/// let t = FinancingTerms::new(AmortizationSystem::Price, Money::brl(dec!(1000)),
///     InterestRate::Monthly(dec!(0)), 4, chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap());
/// let s = simulate(&t).unwrap();
/// assert_eq!(s.total_paid, Money::brl(dec!(1000)));
/// assert_eq!(s.total_interest, Money::brl(dec!(0)));
/// assert_eq!((s.first_payment, s.last_payment), (Money::brl(dec!(250)), Money::brl(dec!(250))));
/// assert_eq!((s.cet_monthly, s.cet_annual), (dec!(0), dec!(0)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// SAC or PRICE.
    pub system: AmortizationSystem,
    /// The exact monthly rate used (not rounded).
    #[serde(with = "strict_decimal")]
    pub monthly_rate: Decimal,
    /// One line per month.
    pub lines: Vec<ScheduleLine>,
    /// Σ interest.
    pub total_interest: Money,
    /// Σ amortization (the principal plus every TR correction).
    pub total_amortization: Money,
    /// Σ correction.
    pub total_correction: Money,
    /// Σ mip + Σ dfi.
    pub total_insurance: Money,
    /// Σ admin fee.
    pub total_fees: Money,
    /// Σ payment.
    pub total_paid: Money,
    /// The first month's payment.
    pub first_payment: Money,
    /// The last month's payment.
    pub last_payment: Money,
    /// CET a month: the rate that discounts every payment to the amount received (principal −
    /// upfront costs), rounded half-even to 6 places (0.010000 = 1%).
    #[serde(with = "strict_decimal")]
    pub cet_monthly: Decimal,
    /// CET a year, `(1 + cet_monthly)^12 − 1` from the unrounded monthly CET, rounded
    /// half-even to 6 places.
    #[serde(with = "strict_decimal")]
    pub cet_annual: Decimal,
}
