//! Closing costs of a purchase: ITBI (the municipal transfer tax), the property registry
//! (Registro de Imóveis) and the notary (Tabelionato de Notas, for the deed), and the cash the
//! buyer needs on top of the loan.

use super::math::{add, mul, sub};
use super::{Problems, round_half_even, same_currency};
use crate::error::{Error, ErrorCode, FieldError};
use crate::money::{Money, Rate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One bracket of a fee table: values up to `up_to` (inclusive) pay `fee`; no `up_to` makes it
/// the open-ended last bracket.
///
/// ```
/// use crm_core::pricing::FeeBracket;
/// let b: FeeBracket = serde_json::from_str(r#"{"fee": "4000"}"#).unwrap();
/// assert!(b.up_to.is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeBracket {
    /// The bracket's upper bound, inclusive; `None` for the open-ended last one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub up_to: Option<Money>,
    /// The fee for values in the bracket.
    pub fee: Money,
}

/// A fee table by value, as registries and notaries publish them: brackets in strictly
/// ascending order of `up_to`, only the last open-ended. JSON: an array of brackets.
///
/// ```
/// use crm_core::domain::from_json;
/// use crm_core::pricing::FeeTable;
/// use crm_core::Money;
/// use rust_decimal_macros::dec;
/// let t: FeeTable = from_json(r#"[{"up_to": "100000", "fee": "1200"},
///                                  {"up_to": "500000", "fee": "2500"},
///                                  {"fee": "4000"}]"#).unwrap();
/// assert_eq!(t.fee_for(Money::brl(dec!(100000))).unwrap(), Money::brl(dec!(1200)));
/// assert_eq!(t.fee_for(Money::brl(dec!(100000.01))).unwrap(), Money::brl(dec!(2500)));
/// assert_eq!(t.fee_for(Money::brl(dec!(9000000))).unwrap(), Money::brl(dec!(4000)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FeeTable(pub Vec<FeeBracket>);

impl FeeTable {
    /// Every problem with the table's shape, at paths relative to it (`[2].up_to`): brackets
    /// out of order or repeated, or an open bracket before the last
    /// (`validation.fee_table.order`); a negative bound or fee (`validation.money.negative`).
    ///
    /// ```
    /// use crm_core::domain::from_json;
    /// use crm_core::pricing::FeeTable;
    /// let t: FeeTable = from_json(r#"[{"fee": "1"}, {"up_to": "10", "fee": "2"}]"#).unwrap();
    /// let p = t.problems();
    /// assert_eq!(p[0].path, "[0].up_to");
    /// assert_eq!(p[0].code.as_str(), "validation.fee_table.order");
    /// ```
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        let mut previous: Option<Money> = None;
        let last = self.0.len().saturating_sub(1);
        for (i, bracket) in self.0.iter().enumerate() {
            if bracket.fee.is_negative() {
                out.push(
                    FieldError::new(
                        ErrorCode::MoneyNegative,
                        format!("a fee of {} is negative", bracket.fee),
                    )
                    .at(&format!("[{i}].fee")),
                );
            }
            match bracket.up_to {
                None if i != last => out.push(
                    FieldError::new(
                        ErrorCode::FeeTableOrder,
                        "only the last bracket may be open-ended",
                    )
                    .at(&format!("[{i}].up_to")),
                ),
                None => {}
                Some(up_to) => {
                    if up_to.is_negative() {
                        out.push(
                            FieldError::new(
                                ErrorCode::MoneyNegative,
                                format!("a bound of {up_to} is negative"),
                            )
                            .at(&format!("[{i}].up_to")),
                        );
                    }
                    if let Some(p) = previous.filter(|p| up_to.amount() <= p.amount()) {
                        out.push(
                            FieldError::new(
                                ErrorCode::FeeTableOrder,
                                format!("{up_to} does not come after the previous bound {p}"),
                            )
                            .at(&format!("[{i}].up_to")),
                        );
                    }
                    previous = Some(up_to);
                }
            }
        }
        out
    }

    /// The fee for `value`: the first bracket whose `up_to` is at or above it, or the open
    /// one. Assumes a table without [`problems`](FeeTable::problems).
    ///
    /// Errors: `validation.fee_table.uncovered` when the value is above every closed bracket
    /// and there is no open one (also for an empty table).
    pub fn fee_for(&self, value: Money) -> Result<Money, Error> {
        self.0
            .iter()
            .find(|b| b.up_to.is_none_or(|u| value.amount() <= u.amount()))
            .map(|b| b.fee)
            .ok_or_else(|| {
                FieldError::new(
                    ErrorCode::FeeTableUncovered,
                    format!("{value} is above every bracket and the table has no open-ended one"),
                )
                .into()
            })
    }

    fn amounts(&self) -> impl Iterator<Item = &Money> {
        self.0.iter().flat_map(|b| b.up_to.iter().chain([&b.fee]))
    }
}

/// The municipality's and the registries' rules.
///
/// ```
/// use crm_core::domain::from_json;
/// use crm_core::pricing::ClosingCostConfig;
/// let c: ClosingCostConfig = from_json(r#"{"itbi_rate": "3%", "itbi_financed_rate": "0.5%",
///     "registry_fees": [{"fee": "2800"}], "notary_fees": [{"fee": "4500"}]}"#).unwrap();
/// assert_eq!(c.itbi_rate.to_string(), "3%");
/// assert!(c.itbi_financed_cap.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClosingCostConfig {
    /// The ITBI rate (3% in São Paulo).
    pub itbi_rate: Rate,
    /// The city's reference value (valor venal de referência), when it configures one: ITBI is
    /// charged on the greater of it and the declared value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub itbi_reference_value: Option<Money>,
    /// A reduced rate on the financed part (SFH: 0.5% in São Paulo).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub itbi_financed_rate: Option<Rate>,
    /// How much of the financed part gets the reduced rate (all of it when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub itbi_financed_cap: Option<Money>,
    /// Registro de Imóveis fees, by the declared value.
    pub registry_fees: FeeTable,
    /// Tabelionato (deed) fees, by the declared value.
    pub notary_fees: FeeTable,
}

/// A purchase to cost.
///
/// ```
/// use crm_core::domain::from_json;
/// use crm_core::pricing::ClosingCostRequest;
/// let req: ClosingCostRequest = from_json(r#"{"declared_value": "500000", "config": {
///     "itbi_rate": "3%", "registry_fees": [{"fee": "2000"}], "notary_fees": [{"fee": "3000"}]}}"#,
/// ).unwrap();
/// assert!(req.notary_required && req.financed.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClosingCostRequest {
    /// The price in the deed, above zero.
    pub declared_value: Money,
    /// The loan amount, at most the declared value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub financed: Option<Money>,
    /// Whether a public deed is drawn up at a notary (a bank's financing contract can replace
    /// it, in which case there is no notary fee). True by default.
    #[serde(default = "yes")]
    pub notary_required: bool,
    /// The rules.
    pub config: ClosingCostConfig,
}

fn yes() -> bool {
    true
}

/// The result of [`closing_costs`].
///
/// ```
/// use crm_core::domain::from_json;
/// use crm_core::pricing::{closing_costs, ClosingCostRequest};
/// use crm_core::Money;
/// use rust_decimal_macros::dec;
/// // 300000 declared, 240000 financed: ITBI 9000 + registry 1800 + notary 2500 = 13300;
/// // down payment 60000; cash needed 73300.
/// let req: ClosingCostRequest = from_json(r#"{"declared_value": "300000", "financed": "240000",
///     "config": {"itbi_rate": "3%", "registry_fees": [{"fee": "1800"}],
///                "notary_fees": [{"fee": "2500"}]}}"#).unwrap();
/// let c = closing_costs(&req).unwrap();
/// assert_eq!(c.total_costs, Money::brl(dec!(13300)));
/// assert_eq!(c.cash_needed, Money::brl(dec!(73300)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosingCosts {
    /// The ITBI base: the greater of the declared and the reference value.
    pub itbi_base: Money,
    /// The ITBI.
    pub itbi: Money,
    /// The registry fee.
    pub registry: Money,
    /// The notary fee (zero when no deed is required).
    pub notary: Money,
    /// `itbi + registry + notary`.
    pub total_costs: Money,
    /// `declared − financed`.
    pub down_payment: Money,
    /// `down_payment + total_costs`: the cash the buyer needs.
    pub cash_needed: Money,
}

/// The costs of closing a purchase and the cash needed.
///
/// ITBI without a financed rate is `round(base · itbi_rate)`; with one, the reduced part is
/// `r = min(financed, itbi_financed_cap or financed)` and
/// `ITBI = round(r · financed_rate) + round((base − r) · itbi_rate)`. Rounding is half-even to
/// cents. Registry and notary fees come from their tables by the declared value.
///
/// Errors: `validation.financing.principal` (a declared value not above zero, a financed
/// amount negative or above the declared value), `validation.fee_table.order` (at
/// `config.registry_fees[2].up_to`-style paths), `validation.fee_table.uncovered` (a value above
/// every bracket of a table without an open one), `validation.money.negative` (a negative fee,
/// bound, reference value or cap), `money.currency_mismatch`.
///
/// ```
/// use crm_core::pricing::*;
/// use crm_core::{Money, Rate};
/// use rust_decimal_macros::dec;
///
/// // R$ 600,000, R$ 400,000 financed under SFH in São Paulo: 0.5% on the financed part up to
/// // a cap of R$ 100,000, 3% on the rest: 100000 · 0.005 + 500000 · 0.03 = 500 + 15000.
/// let config = ClosingCostConfig {
///     itbi_rate: Rate::parse("3%").unwrap(),
///     itbi_reference_value: None,
///     itbi_financed_rate: Some(Rate::parse("0.5%").unwrap()),
///     itbi_financed_cap: Some(Money::brl(dec!(100000))),
///     registry_fees: FeeTable(vec![FeeBracket { up_to: None, fee: Money::brl(dec!(2800)) }]),
///     notary_fees: FeeTable(vec![FeeBracket { up_to: None, fee: Money::brl(dec!(4500)) }]),
/// };
/// let req = ClosingCostRequest {
///     declared_value: Money::brl(dec!(600000)),
///     financed: Some(Money::brl(dec!(400000))),
///     notary_required: false,
///     config,
/// };
/// let c = closing_costs(&req).unwrap();
/// assert_eq!(c.itbi, Money::brl(dec!(15500)));
/// assert_eq!(c.notary, Money::brl(dec!(0)));
/// assert_eq!(c.total_costs, Money::brl(dec!(18300))); // 15500 + 2800
/// assert_eq!(c.cash_needed, Money::brl(dec!(218300))); // 200000 down + 18300
/// ```
pub fn closing_costs(req: &ClosingCostRequest) -> Result<ClosingCosts, Error> {
    let config = &req.config;
    let currency = req.declared_value.currency();
    same_currency(
        currency,
        [
            req.financed,
            config.itbi_reference_value,
            config.itbi_financed_cap,
        ]
        .iter()
        .flatten()
        .chain(config.registry_fees.amounts())
        .chain(config.notary_fees.amounts()),
    )?;
    let mut problems = Problems::default();
    let declared = req.declared_value;
    if declared.is_negative() || declared.is_zero() {
        problems.push(
            "declared_value",
            ErrorCode::FinancingPrincipal,
            format!("must be above zero, found {declared}"),
        );
    }
    if let Some(f) = req
        .financed
        .filter(|f| f.is_negative() || f.amount() > declared.amount())
    {
        problems.push(
            "financed",
            ErrorCode::FinancingPrincipal,
            format!("must be from zero to the declared value {declared}, found {f}"),
        );
    }
    for (path, value) in [
        ("config.itbi_reference_value", config.itbi_reference_value),
        ("config.itbi_financed_cap", config.itbi_financed_cap),
    ] {
        if let Some(v) = value.filter(Money::is_negative) {
            problems.push(
                path,
                ErrorCode::MoneyNegative,
                format!("must not be negative, found {v}"),
            );
        }
    }
    for (path, table) in [
        ("config.registry_fees", &config.registry_fees),
        ("config.notary_fees", &config.notary_fees),
    ] {
        for e in table.problems() {
            problems.push_error(path, e.into());
        }
    }
    problems.finish()?;

    let places = currency.minor_units();
    let round = |x: Decimal| round_half_even(x, places);
    let base = match config.itbi_reference_value {
        Some(r) if r.amount() > declared.amount() => r.amount(),
        _ => declared.amount(),
    };
    let financed = req.financed.map_or(Decimal::ZERO, |f| f.amount());
    let itbi = match config.itbi_financed_rate {
        None => round(mul(base, config.itbi_rate.value())?),
        Some(reduced) => {
            let part = config
                .itbi_financed_cap
                .map_or(financed, |cap| financed.min(cap.amount()));
            add(
                round(mul(part, reduced.value())?),
                round(mul(sub(base, part)?, config.itbi_rate.value())?),
            )?
        }
    };
    let registry = config
        .registry_fees
        .fee_for(declared)
        .map_err(|e| super::at(e, "config.registry_fees"))?
        .amount();
    let notary = if req.notary_required {
        config
            .notary_fees
            .fee_for(declared)
            .map_err(|e| super::at(e, "config.notary_fees"))?
            .amount()
    } else {
        Decimal::ZERO
    };
    let total = add(add(itbi, registry)?, notary)?;
    let down_payment = sub(declared.amount(), financed)?;
    let money = |x: Decimal| super::money(x, currency);
    Ok(ClosingCosts {
        itbi_base: money(base),
        itbi: money(itbi),
        registry: money(registry),
        notary: money(notary),
        total_costs: money(total),
        down_payment: money(down_payment),
        cash_needed: money(add(down_payment, total)?),
    })
}

#[cfg(test)]
#[path = "closing_costs_tests.rs"]
mod tests;
