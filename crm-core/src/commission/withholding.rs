//! Taxes withheld from commission payouts, as dated rules, so a deal recalculated later gets
//! the rules in force on its own date.
//!
//! ```json
//! [
//!   {"tax": "IRRF", "recipient": "company", "roles": ["partner_agency", "selling_broker", "listing_broker", "referral"],
//!    "valid_from": "2020-01-01", "rate": "1.5%", "min_tax": "10.00"},
//!   {"tax": "ISS", "roles": ["agency"], "valid_from": "2025-01-01", "rate": "5%"}
//! ]
//! ```

use super::rate::{PlanRate, check_rate};
use crate::domain::{ParticipantRole, RecipientType};
use crate::error::{ErrorCode, FieldError, ValidationErrors};
use crate::money::{Money, RoundingMode, fast};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::sync::Arc;

/// One dated withholding rule: which tax, on whom, from when, at what rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WithholdingRule {
    /// The tax's name as it should appear on statements (`IRRF`, `ISS`, `INSS`).
    pub tax: Arc<str>,
    /// Only recipients of this type; any when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<RecipientType>,
    /// Only participants in these roles; any role when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<ParticipantRole>,
    /// First day the rule is in force.
    pub valid_from: NaiveDate,
    /// First day it is no longer in force; open when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<NaiveDate>,
    /// A flat rate on the gross (give this or `brackets`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<PlanRate>,
    /// A progressive table: the gross's bracket gives a rate and a deduction,
    /// tax = gross · rate − deduction (as the IRPF monthly table).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub brackets: Vec<TaxBracket>,
    /// Withheld only when the gross reaches this amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_gross: Option<Money>,
    /// Not withheld when the tax comes to less than this (a DARF below R$ 10.00 is not issued).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_tax: Option<Money>,
}

/// A bracket of a progressive table: grosses up to and including `up_to` (open when absent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxBracket {
    /// Upper bound of the bracket, inclusive; the last bracket is open.
    #[serde(
        default,
        with = "super::plan::optional_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub up_to: Option<Decimal>,
    /// Rate on the whole gross.
    pub rate: PlanRate,
    /// Amount deducted from gross · rate.
    #[serde(default, with = "crate::money::strict_decimal")]
    pub deduction: Decimal,
}

/// One tax withheld from one statement line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withholding {
    /// The tax.
    pub tax: Arc<str>,
    /// The rate applied (the bracket's rate for progressive tables).
    pub rate: Decimal,
    /// The gross it was computed on.
    pub base: Money,
    /// The amount withheld, rounded half-even to cents.
    pub amount: Money,
}

impl WithholdingRule {
    fn in_force(&self, on: NaiveDate) -> bool {
        self.valid_from <= on && self.valid_until.is_none_or(|u| on < u)
    }

    fn applies_to(&self, role: ParticipantRole, recipient: RecipientType) -> bool {
        self.recipient.is_none_or(|r| r == recipient)
            && (self.roles.is_empty() || self.roles.contains(&role))
    }

    /// The tax on `gross`, or `None` when a threshold says nothing is withheld. Comparisons
    /// and arithmetic go through the money fast paths (same results as `Decimal`'s own).
    fn compute(&self, gross: Money) -> Option<Withholding> {
        let g = gross.amount();
        if self
            .min_gross
            .is_some_and(|m| fast::cmp(g, m.amount()) == Ordering::Less)
            || g.is_zero()
            || g.is_sign_negative()
        {
            return None;
        }
        let (rate, deduction) = match self.rate {
            Some(r) => (r.value(), Decimal::ZERO),
            None => {
                let b = self
                    .brackets
                    .iter()
                    .find(|b| b.up_to.is_none_or(|u| fast::cmp(g, u) != Ordering::Greater))
                    .or(self.brackets.last())?;
                (b.rate.value(), b.deduction)
            }
        };
        let exact = fast::checked_sub(fast::checked_mul(g, rate)?, deduction)?;
        // `Decimal::max(exact, 0)`: zero only when `exact` is below it.
        let floored = if fast::is_negative(exact) {
            Decimal::ZERO
        } else {
            exact
        };
        let amount = RoundingMode::HalfEven.round(floored, gross.currency().minor_units());
        if amount.is_zero()
            || self
                .min_tax
                .is_some_and(|m| fast::cmp(amount, m.amount()) == Ordering::Less)
        {
            return None;
        }
        Some(Withholding {
            tax: Arc::clone(&self.tax),
            rate,
            base: gross,
            amount: Money::new(amount, gross.currency()),
        })
    }
}

/// A set of withholding rules. Check it with [`WithholdingTable::validate`].
///
/// ```
/// use crm_core::{Money, commission::WithholdingTable, domain::{ParticipantRole, RecipientType, from_json}};
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let table: WithholdingTable = from_json(r#"[
///   {"tax": "IRRF", "recipient": "company", "roles": ["partner_agency"], "valid_from": "2020-01-01", "rate": "1.5%", "min_tax": "10.00"}
/// ]"#).unwrap();
/// table.validate().unwrap();
/// let on = NaiveDate::from_ymd_opt(2026, 5, 4).unwrap();
/// let taxes = table.withhold(ParticipantRole::PartnerAgency, RecipientType::Company, Money::brl(dec!(25500)), on);
/// assert_eq!(taxes[0].amount, Money::brl(dec!(382.50)));
/// // 1.5% of 600.00 is 9.00, below the R$ 10.00 minimum: nothing withheld.
/// assert!(table.withhold(ParticipantRole::PartnerAgency, RecipientType::Company, Money::brl(dec!(600)), on).is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WithholdingTable(pub Vec<WithholdingRule>);

impl WithholdingTable {
    /// No withholding at all.
    pub fn none() -> Self {
        Self::default()
    }

    /// The taxes withheld from `gross` paid on `on` to a participant, in rule order.
    pub fn withhold(
        &self,
        role: ParticipantRole,
        recipient: RecipientType,
        gross: Money,
        on: NaiveDate,
    ) -> Vec<Withholding> {
        // A plain loop, and a Vec allocated once at its final size when a single tax applies
        // (the usual case) instead of grown from empty.
        let mut first: Option<Withholding> = None;
        let mut taxes = Vec::new();
        for (k, rule) in self.0.iter().enumerate() {
            if !(rule.in_force(on) && rule.applies_to(role, recipient)) {
                continue;
            }
            let Some(w) = rule.compute(gross) else {
                continue;
            };
            match first.take() {
                None if taxes.is_empty() => first = Some(w),
                earlier => {
                    if let Some(f) = earlier {
                        taxes.reserve(self.0.len() - k + 1);
                        taxes.push(f);
                    }
                    taxes.push(w);
                }
            }
        }
        match first {
            Some(w) => vec![w],
            None => taxes,
        }
    }

    /// Every problem, with paths such as `[2].brackets[1].up_to`: a tax name, exactly one of
    /// a rate and brackets, rates within 0%..=100%, sorted brackets with only the last open,
    /// non-negative deductions and thresholds, dates in order, and no two rules for the same
    /// tax that could both apply to the same participant on the same day.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        for (i, rule) in self.0.iter().enumerate() {
            let mut e = ValidationErrors::default();
            check_rule(&mut e, rule);
            errors.extend_at(&format!("[{i}]"), e);
        }
        for (i, a) in self.0.iter().enumerate() {
            if let Some(j) = self.0.iter().take(i).position(|b| overlaps(a, b)) {
                errors.push(
                    FieldError::new(
                        ErrorCode::WithholdingOverlap,
                        format!("rule {j} withholds {} from the same participants on some of the same days", a.tax),
                    )
                    .at(&format!("[{i}]")),
                );
            }
        }
        errors.into_result()
    }
}

fn check_rule(errors: &mut ValidationErrors, rule: &WithholdingRule) {
    crate::domain::required_text(errors, "tax", &rule.tax, crate::domain::MAX_NAME_CHARS);
    match (rule.rate, rule.brackets.is_empty()) {
        (Some(r), true) => check_rate(errors, "rate", r),
        (None, false) => {
            let mut previous: Option<Decimal> = None;
            let last = rule.brackets.len() - 1;
            for (k, b) in rule.brackets.iter().enumerate() {
                check_rate(errors, &format!("brackets[{k}].rate"), b.rate);
                if b.deduction < Decimal::ZERO {
                    errors.push(
                        FieldError::new(ErrorCode::MoneyNegative, "a deduction cannot be negative")
                            .at(&format!("brackets[{k}].deduction")),
                    );
                }
                match b.up_to {
                    None if k != last => errors.push(
                        FieldError::new(
                            ErrorCode::WithholdingBrackets,
                            "only the last bracket may be open-ended",
                        )
                        .at(&format!("brackets[{k}].up_to")),
                    ),
                    Some(u) if previous.is_some_and(|p| u <= p) || u <= Decimal::ZERO => errors
                        .push(
                            FieldError::new(
                                ErrorCode::WithholdingBrackets,
                                "brackets must rise strictly from zero",
                            )
                            .at(&format!("brackets[{k}].up_to")),
                        ),
                    _ => {}
                }
                previous = b.up_to.or(previous);
            }
        }
        _ => errors.push(FieldError::new(
            ErrorCode::WithholdingRule,
            "give either a flat `rate` or progressive `brackets`, not both or neither",
        )),
    }
    for (path, m) in [("min_gross", rule.min_gross), ("min_tax", rule.min_tax)] {
        if m.is_some_and(|m| m.is_negative()) {
            errors.push(
                FieldError::new(ErrorCode::MoneyNegative, "a threshold cannot be negative")
                    .at(path),
            );
        }
    }
    if rule.valid_until.is_some_and(|u| u <= rule.valid_from) {
        errors.push(
            FieldError::new(ErrorCode::DateOrder, "valid_until must be after valid_from")
                .at("valid_until"),
        );
    }
}

/// Whether two rules for the same tax could apply to one participant on one day.
fn overlaps(a: &WithholdingRule, b: &WithholdingRule) -> bool {
    let same_tax = a.tax.trim().eq_ignore_ascii_case(b.tax.trim());
    let recipients = a.recipient.is_none() || b.recipient.is_none() || a.recipient == b.recipient;
    let roles =
        a.roles.is_empty() || b.roles.is_empty() || a.roles.iter().any(|r| b.roles.contains(r));
    let dates = a.valid_until.is_none_or(|u| b.valid_from < u)
        && b.valid_until.is_none_or(|u| a.valid_from < u);
    same_tax && recipients && roles && dates
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::from_json;
    use rust_decimal_macros::dec;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dated_rules_give_each_date_its_own_rate() {
        // ISS at 2% until 2025, 5% from 2026: a 2025 deal recalculated later keeps 2%.
        let t: WithholdingTable = from_json(
            r#"[{"tax": "ISS", "roles": ["agency"], "valid_from": "2020-01-01", "valid_until": "2026-01-01", "rate": "2%"},
                {"tax": "ISS", "roles": ["agency"], "valid_from": "2026-01-01", "rate": "5%"}]"#,
        )
        .unwrap();
        t.validate().unwrap();
        let g = Money::brl(dec!(25500));
        let a = ParticipantRole::Agency;
        let c = RecipientType::Company;
        assert_eq!(
            t.withhold(a, c, g, day(2025, 12, 31))[0].amount,
            Money::brl(dec!(510.00))
        );
        assert_eq!(
            t.withhold(a, c, g, day(2026, 1, 1))[0].amount,
            Money::brl(dec!(1275.00))
        );
        assert!(t.withhold(a, c, g, day(2019, 12, 31)).is_empty());
        assert!(
            t.withhold(ParticipantRole::SellingBroker, c, g, day(2026, 1, 1))
                .is_empty()
        );
    }

    #[test]
    fn progressive_table_with_deduction() {
        // The 2025 IRPF monthly table's top brackets: 22.5% − 662.77 up to 4664.68; 27.5% − 896.00 above.
        let t: WithholdingTable = from_json(
            r#"[{"tax": "IRRF", "recipient": "individual", "valid_from": "2025-05-01", "brackets": [
                {"up_to": "2428.80", "rate": "0", "deduction": "0"},
                {"up_to": "2826.65", "rate": "7.5%", "deduction": "182.16"},
                {"up_to": "3751.05", "rate": "15%", "deduction": "394.16"},
                {"up_to": "4664.68", "rate": "22.5%", "deduction": "675.49"},
                {"rate": "27.5%", "deduction": "908.73"}]}]"#,
        )
        .unwrap();
        t.validate().unwrap();
        let on = day(2025, 6, 1);
        let w = |g| {
            t.withhold(
                ParticipantRole::SellingBroker,
                RecipientType::Individual,
                Money::brl(g),
                on,
            )
        };
        // 15300.00 · 27.5% − 908.73 = 4207.50 − 908.73 = 3298.77
        assert_eq!(w(dec!(15300))[0].amount, Money::brl(dec!(3298.77)));
        // 3000.00 · 15% − 394.16 = 450.00 − 394.16 = 55.84
        assert_eq!(w(dec!(3000))[0].amount, Money::brl(dec!(55.84)));
        // exactly at the first bracket's edge: 2428.80 is exempt
        assert!(w(dec!(2428.80)).is_empty());
    }

    #[test]
    fn several_taxes_come_back_in_rule_order() {
        // Three taxes on one line, one rule not in force and one below its minimum between them.
        let t: WithholdingTable = from_json(
            r#"[{"tax": "IRRF", "valid_from": "2020-01-01", "rate": "1.5%"},
                {"tax": "OLD", "valid_from": "2010-01-01", "valid_until": "2011-01-01", "rate": "9%"},
                {"tax": "CSRF", "valid_from": "2020-01-01", "rate": "4.65%"},
                {"tax": "TINY", "valid_from": "2020-01-01", "rate": "0.01%", "min_tax": "10.00"},
                {"tax": "ISS", "valid_from": "2020-01-01", "rate": "5%"}]"#,
        )
        .unwrap();
        let taxes = t.withhold(
            ParticipantRole::Agency,
            RecipientType::Company,
            Money::brl(dec!(2000.00)),
            day(2026, 5, 4),
        );
        let got: Vec<(&str, Decimal)> =
            taxes.iter().map(|w| (&*w.tax, w.amount.amount())).collect();
        assert_eq!(
            got,
            [
                ("IRRF", dec!(30.00)),
                ("CSRF", dec!(93.00)),
                ("ISS", dec!(100.00))
            ]
        );
    }

    #[test]
    fn validation_reports_every_problem() {
        let t: WithholdingTable = from_json(
            r#"[{"tax": "", "valid_from": "2025-01-01", "valid_until": "2024-01-01"},
                {"tax": "IRRF", "valid_from": "2025-01-01", "rate": "150%", "min_tax": "-1"},
                {"tax": "irrf", "valid_from": "2025-06-01", "brackets": [{"rate": "0"}, {"up_to": "100", "rate": "5%", "deduction": "-2"}]}]"#,
        )
        .unwrap();
        let errs: Vec<(String, ErrorCode)> = t
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|e| (e.path, e.code))
            .collect();
        assert_eq!(
            errs,
            [
                ("[0].tax".to_owned(), ErrorCode::Required),
                ("[0]".to_owned(), ErrorCode::WithholdingRule),
                ("[0].valid_until".to_owned(), ErrorCode::DateOrder),
                ("[1].rate".to_owned(), ErrorCode::RateRange),
                ("[1].min_tax".to_owned(), ErrorCode::MoneyNegative),
                (
                    "[2].brackets[0].up_to".to_owned(),
                    ErrorCode::WithholdingBrackets
                ),
                (
                    "[2].brackets[1].deduction".to_owned(),
                    ErrorCode::MoneyNegative
                ),
                ("[2]".to_owned(), ErrorCode::WithholdingOverlap),
            ]
        );
    }
}
