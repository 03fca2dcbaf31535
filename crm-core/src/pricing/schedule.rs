//! [`simulate`]: a loan month by month, its totals and its CET.

use super::cet::solve_cet;
use super::financing::{
    AmortizationSystem, FinancingTerms, MAX_TERM_MONTHS, Schedule, ScheduleLine,
};
use super::math::{LevelInstalments, add, annual_rate_from_monthly, level_instalment, mul, sub};
use super::{Problems, round_half_even, round6, same_currency};
use crate::error::{Error, ErrorCode, FieldError};
use crate::money::Money;
use chrono::Months;
use rust_decimal::Decimal;

/// What the checks established about valid terms.
struct Checked {
    monthly_rate: Decimal,
    mip_rate: Decimal,
    dfi: Decimal,
    admin_fee: Decimal,
    upfront_costs: Decimal,
}

fn check(terms: &FinancingTerms) -> Result<Checked, Error> {
    let currency = terms.principal.currency();
    same_currency(
        currency,
        [terms.property_value, terms.admin_fee, terms.upfront_costs]
            .iter()
            .flatten(),
    )?;
    let places = currency.minor_units();
    let mut problems = Problems::default();
    let principal = terms.principal;
    if principal.is_negative() || principal.is_zero() || !principal.is_whole_minor_units() {
        problems.push(
            "principal",
            ErrorCode::FinancingPrincipal,
            format!("must be above zero in whole cents, found {principal}"),
        );
    }
    let monthly_rate = match terms.rate.monthly_rate() {
        Ok(m) => Some(m),
        Err(e) => {
            problems.push_error("rate", e);
            None
        }
    };
    let term_ok = (1..=MAX_TERM_MONTHS).contains(&terms.term_months);
    if !term_ok {
        problems.push(
            "term_months",
            ErrorCode::FinancingTerm,
            format!(
                "must be 1 to {MAX_TERM_MONTHS} months, found {}",
                terms.term_months
            ),
        );
    } else if terms
        .first_due
        .checked_add_months(Months::new(terms.term_months - 1))
        .is_none()
    {
        problems.push(
            "first_due",
            ErrorCode::FinancingTerm,
            "the last due date would be beyond the calendar",
        );
    }
    if let Some(v) = terms
        .property_value
        .filter(|v| v.is_negative() || v.is_zero())
    {
        problems.push(
            "property_value",
            ErrorCode::FinancingPrincipal,
            format!("must be above zero, found {v}"),
        );
    }
    let mip_rate = insurance_rate(&mut problems, "mip_rate", terms.mip_rate);
    let dfi_rate = insurance_rate(&mut problems, "dfi_rate", terms.dfi_rate);
    if terms.dfi_rate.is_some() && terms.property_value.is_none() {
        problems.push(
            "property_value",
            ErrorCode::Required,
            "is required when dfi_rate is set",
        );
    }
    let admin_fee = fee(&mut problems, "admin_fee", terms.admin_fee);
    let upfront_costs = fee(&mut problems, "upfront_costs", terms.upfront_costs);
    if !terms.tr.is_empty() {
        if term_ok && terms.tr.len() != terms.term_months as usize {
            problems.push(
                "tr",
                ErrorCode::FinancingTrSeries,
                format!(
                    "has {} entries; a TR series needs one per month of the term ({})",
                    terms.tr.len(),
                    terms.term_months
                ),
            );
        }
        for (k, t) in terms.tr.iter().enumerate() {
            if *t <= Decimal::NEGATIVE_ONE || *t > Decimal::ONE {
                problems.push(
                    &format!("tr[{k}]"),
                    ErrorCode::FinancingRate,
                    format!("the TR {t} is outside the range above -100% and up to 100% a month"),
                );
            }
        }
    }
    problems.finish()?;
    let dfi = match (terms.property_value, dfi_rate) {
        (Some(v), Some(r)) => round_half_even(mul(v.amount(), r)?, places),
        _ => Decimal::ZERO,
    };
    Ok(Checked {
        monthly_rate: monthly_rate.unwrap_or_default(),
        mip_rate: mip_rate.unwrap_or_default(),
        dfi,
        admin_fee: admin_fee.unwrap_or_default(),
        upfront_costs: upfront_costs.unwrap_or_default(),
    })
}

/// An insurance rate: a monthly fraction from 0 to 1.
fn insurance_rate(problems: &mut Problems, path: &str, rate: Option<Decimal>) -> Option<Decimal> {
    let r = rate?;
    if r.is_sign_negative() && !r.is_zero() || r > Decimal::ONE {
        problems.push(
            path,
            ErrorCode::FinancingRate,
            format!("an insurance rate must be 0 to 100% a month, found {r}"),
        );
        return None;
    }
    Some(r)
}

/// A fee: not negative, in whole cents.
fn fee(problems: &mut Problems, path: &str, amount: Option<Money>) -> Option<Decimal> {
    let m = amount?;
    if m.is_negative() {
        problems.push(
            path,
            ErrorCode::MoneyNegative,
            format!("must not be negative, found {m}"),
        );
        return None;
    }
    if !m.is_whole_minor_units() {
        problems.push(
            path,
            ErrorCode::FinancingPrincipal,
            format!("must be in whole cents, found {m}"),
        );
        return None;
    }
    Some(m.amount())
}

/// Simulates a loan month by month and computes its CET.
///
/// With `B₀` the principal, `i` the monthly rate and `n` the term, month `k`:
/// 1. TR (when given): `correction = round(B · tr[k−1])`, `B' = B + correction`; else `B' = B`.
/// 2. `interest = round(B' · i)`.
/// 3. Amortisation, for `k < n`: SAC `round(PV / n)` (with TR: `round(B' / (n − k + 1))`);
///    PRICE `PMT − interest` with `PMT = round(PV · i / (1 − (1 + i)^−n))` (with TR recomputed
///    each month on `B'` over the `n − k + 1` months left; `i = 0` divides evenly). In month
///    `n` the amortisation is the whole remaining `B'`: **the last instalment absorbs the
///    rounding residual**, so the balance ends at exactly zero.
/// 4. `mip = round(B' · mip_rate)`, `dfi = round(property_value · dfi_rate)`, the admin fee
///    as given; `payment = interest + amortization + mip + dfi + admin_fee`;
///    `B = B' − amortization`.
///
/// All rounding is half-even to cents. The CET is the monthly rate `r` with
/// `principal − upfront_costs = Σ payment_k / (1 + r)^k`, found by Newton (inside a bracket
/// when it misbehaves), and its annual equivalent `(1 + r)^12 − 1`, both rounded half-even to
/// 6 places.
///
/// Errors (every input problem is reported, each at its field's path):
/// `validation.financing.principal` (principal not above zero in whole cents; property value
/// not above zero; a fee with fractions of a cent), `validation.financing.rate` (a rate at or
/// below −100% or above 100% a month, a TR entry likewise, a negative insurance rate),
/// `validation.financing.term` (term outside 1..=600), `validation.financing.tr_series` (a TR
/// series without one entry per month), `validation.required` (DFI without a property value),
/// `validation.money.negative` (a negative fee), `money.currency_mismatch`;
/// `validation.financing.negative_amortization` when an amortisation would be negative or
/// exceed the balance (a principal too small for its term, or a PRICE instalment whose
/// rounding up, compounded over a long term at a high rate, repays the loan before its last
/// month: see `docs/pricing.md`); `pricing.cet.no_solution` when no
/// CET exists in (−99%, 1000%) a month (upfront costs as large as the principal);
/// `money.overflow` for amounts beyond the decimal range.
///
/// ```
/// use crm_core::pricing::{AmortizationSystem, FinancingTerms, InterestRate, simulate};
/// use crm_core::Money;
/// use rust_decimal_macros::dec;
///
/// // SAC, R$ 120,000 at 1% a month over 12 months: amortisation 120000 / 12 = 10000;
/// // month 1 interest 120000 · 0.01 = 1200 → 11200; month 12 interest 10000 · 0.01 = 100.
/// let terms = FinancingTerms::new(
///     AmortizationSystem::Sac,
///     Money::brl(dec!(120000)),
///     InterestRate::Monthly(dec!(0.01)),
///     12,
///     chrono::NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
/// );
/// let s = simulate(&terms).unwrap();
/// assert_eq!(s.first_payment, Money::brl(dec!(11200)));
/// assert_eq!(s.last_payment, Money::brl(dec!(10100)));
/// // Σ interest = 0.01 · 10000 · (12 + 11 + … + 1) = 100 · 78 = 7800
/// assert_eq!(s.total_interest, Money::brl(dec!(7800)));
/// // Jan 31 → Feb 28 → Mar 31: each due date is computed from the first.
/// assert_eq!(s.lines[1].due.to_string(), "2026-02-28");
/// assert_eq!(s.lines[2].due.to_string(), "2026-03-31");
/// // Without fees the CET is the rate itself: 1% a month, 1.01^12 − 1 = 12.6825% a year.
/// assert_eq!(s.cet_monthly, dec!(0.010000));
/// assert_eq!(s.cet_annual, dec!(0.126825));
/// ```
pub fn simulate(terms: &FinancingTerms) -> Result<Schedule, Error> {
    let checked = check(terms)?;
    let currency = terms.principal.currency();
    let places = currency.minor_units();
    let round = |x: Decimal| round_half_even(x, places);
    let money = |x: Decimal| super::money(x, currency);
    let n = terms.term_months;
    let i = checked.monthly_rate;
    let principal = terms.principal.amount();
    let with_tr = !terms.tr.is_empty();
    let n_dec = Decimal::from(n);
    // Without TR the SAC amortisation and the PRICE instalment are fixed at the start.
    let fixed = match (terms.system, with_tr) {
        (_, true) => None,
        (AmortizationSystem::Sac, false) => Some(round(div(principal, n_dec)?)),
        (AmortizationSystem::Price, false) => Some(round(level_instalment(principal, i, n)?)),
    };
    // With TR, PRICE recomputes the instalment every month over the months left.
    let recomputed =
        (terms.system == AmortizationSystem::Price && with_tr).then(|| LevelInstalments::new(i, n));

    let mut lines = Vec::with_capacity(n as usize);
    let mut payments = Vec::with_capacity(n as usize);
    let mut balance = principal;
    let mut totals = Totals::default();
    for k in 1..=n {
        let correction = match terms.tr.get(k as usize - 1) {
            Some(t) => round(mul(balance, *t)?),
            None => Decimal::ZERO,
        };
        let corrected = add(balance, correction)?;
        let interest = round(mul(corrected, i)?);
        let months_left = n - k + 1;
        let amortization = if k == n {
            corrected
        } else {
            match (terms.system, fixed) {
                (AmortizationSystem::Sac, Some(a)) => a,
                (AmortizationSystem::Sac, None) => {
                    round(div(corrected, Decimal::from(months_left))?)
                }
                (AmortizationSystem::Price, pmt) => {
                    let pmt = match (pmt, &recomputed) {
                        (Some(p), _) => p,
                        (None, Some(table)) => round(table.instalment(corrected, months_left)?),
                        (None, None) => round(level_instalment(corrected, i, months_left)?),
                    };
                    sub(pmt, interest)?
                }
            }
        };
        if amortization.is_sign_negative() && !amortization.is_zero() || amortization > corrected {
            return Err(FieldError::new(
                ErrorCode::FinancingNegativeAmortization,
                format!(
                    "month {k}: the amortisation would be {} against a balance of {}; \
                     the loan cannot be amortised over this term",
                    money(amortization),
                    money(corrected)
                ),
            )
            .into());
        }
        let instalment = add(interest, amortization)?;
        let mip = round(mul(corrected, checked.mip_rate)?);
        let payment = add(add(add(instalment, mip)?, checked.dfi)?, checked.admin_fee)?;
        balance = sub(corrected, amortization)?;
        totals.add(correction, interest, amortization, mip, &checked, payment)?;
        let due = terms
            .first_due
            .checked_add_months(Months::new(k - 1))
            .ok_or_else(|| {
                FieldError::new(
                    ErrorCode::FinancingTerm,
                    "a due date is beyond the calendar",
                )
                .at("first_due")
            })?;
        payments.push(payment);
        lines.push(ScheduleLine {
            number: k,
            due,
            correction: money(correction),
            interest: money(interest),
            amortization: money(amortization),
            instalment: money(instalment),
            mip: money(mip),
            dfi: money(checked.dfi),
            admin_fee: money(checked.admin_fee),
            payment: money(payment),
            balance: money(balance),
        });
    }

    let received = sub(principal, checked.upfront_costs)?;
    let cet = solve_cet(received, &payments, i)?;
    let cet_annual = annual_rate_from_monthly(cet)?;
    let first_payment = payments.first().copied().unwrap_or_default();
    let last_payment = payments.last().copied().unwrap_or_default();
    Ok(Schedule {
        system: terms.system,
        monthly_rate: i,
        lines,
        total_interest: money(totals.interest),
        total_amortization: money(totals.amortization),
        total_correction: money(totals.correction),
        total_insurance: money(totals.insurance),
        total_fees: money(totals.fees),
        total_paid: money(totals.paid),
        first_payment: money(first_payment),
        last_payment: money(last_payment),
        cet_monthly: round6(cet),
        cet_annual: round6(cet_annual),
    })
}

fn div(a: Decimal, b: Decimal) -> Result<Decimal, Error> {
    super::math::div(a, b)
}

#[derive(Default)]
struct Totals {
    correction: Decimal,
    interest: Decimal,
    amortization: Decimal,
    insurance: Decimal,
    fees: Decimal,
    paid: Decimal,
}

impl Totals {
    fn add(
        &mut self,
        correction: Decimal,
        interest: Decimal,
        amortization: Decimal,
        mip: Decimal,
        checked: &Checked,
        payment: Decimal,
    ) -> Result<(), Error> {
        self.correction = add(self.correction, correction)?;
        self.interest = add(self.interest, interest)?;
        self.amortization = add(self.amortization, amortization)?;
        self.insurance = add(add(self.insurance, mip)?, checked.dfi)?;
        self.fees = add(self.fees, checked.admin_fee)?;
        self.paid = add(self.paid, payment)?;
        Ok(())
    }
}

#[cfg(test)]
#[path = "schedule_tests.rs"]
mod tests;
