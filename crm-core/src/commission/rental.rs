//! Leases: the monthly administration fee on each rent received, pro-rata for partial months,
//! split by the plan, and what the landlord receives. (The placement fee at signature is an
//! ordinary statement under a lease plan whose pool is `first_rent`.)

use super::explain::Explanation;
use super::plan::{RoleShare, SplitRule};
use super::rate::PlanRate;
use super::split::{SplitOptions, Volumes, split_pool};
use super::statement::{CommissionEngine, StatementLine, build_lines, totals};
use crate::domain::{Deal, DealId, DealKind, ParticipantRole};
use crate::error::{Error, ErrorCode, FieldError};
use crate::money::{Money, RoundingMode};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A rent period of one calendar month or part of it (first and last day, inclusive), and
/// what was actually received for it (the rent due when absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RentReceipt {
    /// First day covered.
    pub period_start: NaiveDate,
    /// Last day covered (same calendar month).
    pub period_end: NaiveDate,
    /// The amount received; the rent due when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received: Option<Money>,
}

/// One month's administration of a lease.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdministrationStatement {
    /// The lease.
    pub deal_id: DealId,
    /// The plan's id.
    pub plan_id: Arc<str>,
    /// First day covered.
    pub period_start: NaiveDate,
    /// Last day covered.
    pub period_end: NaiveDate,
    /// Days covered.
    pub days: u32,
    /// Days in that month.
    pub days_in_month: u32,
    /// The monthly rent of the lease.
    pub monthly_rent: Money,
    /// Rent due for the period: the monthly rent, or `rent · days / days_in_month` rounded
    /// half-even to cents for a partial month.
    pub rent_due: Money,
    /// Rent received.
    pub rent_received: Money,
    /// The administration rate.
    pub rate: Decimal,
    /// `rent_received · rate`, rounded half-even to cents.
    pub fee: Money,
    /// The fee's split among the participants.
    pub lines: Vec<StatementLine>,
    /// Everything withheld from the fee's lines.
    pub total_withheld: Money,
    /// What the landlord receives: rent received less the fee.
    pub landlord_net: Money,
}

impl CommissionEngine {
    /// The administration statement of one rent receipt of a lease.
    ///
    /// ```
    /// use crm_core::{Money, commission::*, domain::*};
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// use rust_decimal_macros::dec;
    /// let plan: CommissionPlan = from_json(r#"{"id": "locacao", "applies_to": "lease",
    ///   "pool": {"type": "first_rent"}, "split": {"then": [{"role": "agency", "share": "100%"}]},
    ///   "administration": {"rate": "10%"}}"#).unwrap();
    /// let engine = CommissionEngine::new(plan, WithholdingTable::none()).unwrap();
    /// let day = |d| NaiveDate::from_ymd_opt(2026, 2, d).unwrap();
    /// let mut lease = Deal::new(DealId::from_parts(1, [1; 10]), LeadId::from_parts(1, [2; 10]),
    ///     PropertyId::from_parts(1, [3; 10]), DealKind::Lease, Money::brl(dec!(4200)), day(1),
    ///     Utc.with_ymd_and_hms(2026, 2, 1, 12, 0, 0).unwrap());
    /// lease.participants = vec![Participant::agency()];
    /// // Tenant moved in on 15 February: 14 of 28 days.
    /// let receipt = RentReceipt { period_start: day(15), period_end: day(28), received: None };
    /// let s = engine.administration(&lease, &receipt).unwrap();
    /// assert_eq!(s.rent_due, Money::brl(dec!(2100.00)));
    /// assert_eq!(s.fee, Money::brl(dec!(210.00)));
    /// assert_eq!(s.landlord_net, Money::brl(dec!(1890.00)));
    /// ```
    pub fn administration(
        &self,
        deal: &Deal,
        receipt: &RentReceipt,
    ) -> Result<AdministrationStatement, Error> {
        let plan = self.plan();
        let Some(admin) = &plan.administration else {
            return Err(FieldError::new(
                ErrorCode::CommissionPoolKind,
                "the plan has no administration fee",
            )
            .at("administration")
            .into());
        };
        if deal.kind != DealKind::Lease {
            return Err(FieldError::new(
                ErrorCode::CommissionDealKind,
                "administration fees apply to leases",
            )
            .at("kind")
            .into());
        }
        let (start, end) = (receipt.period_start, receipt.period_end);
        let days_in_month = days_in_month(start)
            .ok_or_else(|| period_error("the period's month is out of range"))?;
        if end < start || (end.year(), end.month()) != (start.year(), start.month()) {
            return Err(period_error(
                "a rent period runs forward within one calendar month",
            ));
        }
        let days = end.ordinal() - start.ordinal() + 1;
        let rent = deal.value;
        let rent_due = if days == days_in_month {
            rent
        } else {
            let share = Decimal::from(days)
                .checked_div(Decimal::from(days_in_month))
                .unwrap_or_default();
            rent.checked_mul(share)?.round(RoundingMode::HalfEven)
        };
        let received = receipt.received.unwrap_or(rent_due);
        if received.currency() != rent.currency() {
            return Err(Error::CurrencyMismatch {
                left: rent.currency(),
                right: received.currency(),
            });
        }
        if received.is_negative() {
            return Err(FieldError::new(
                ErrorCode::MoneyNegative,
                "rent received cannot be negative",
            )
            .at("received")
            .into());
        }
        let fee = received
            .checked_mul(admin.rate.value())?
            .round(RoundingMode::HalfEven);
        let agency_keeps_all = SplitRule {
            first: Vec::new(),
            then: vec![RoleShare {
                role: ParticipantRole::Agency,
                share: PlanRate::new(Decimal::ONE),
            }],
        };
        let split = admin.split.as_ref().unwrap_or(&agency_keeps_all);
        // Administration shares go to whoever holds a role the split names; others get nothing.
        let paid: Vec<_> = deal
            .participants
            .iter()
            .filter(|p| {
                split.first.iter().any(|s| s.role == p.role)
                    || split.then.iter().any(|s| s.role == p.role)
            })
            .cloned()
            .collect();
        let index: Vec<usize> = deal
            .participants
            .iter()
            .enumerate()
            .filter(|(_, p)| paid.iter().any(|q| q.role == p.role))
            .map(|(i, _)| i)
            .collect();
        let opts = SplitOptions {
            plan,
            accelerate: false,
            limit: false,
            volumes: Volumes::Each(&[]),
            explain: true,
        };
        let outcome = split_pool(fee, split, &paid, &opts)?;
        let mut lines = build_lines(self.taxes(), &paid, outcome.parts, end)?;
        for line in &mut lines {
            line.participant = index
                .get(line.participant)
                .copied()
                .unwrap_or(line.participant);
            line.trail.insert(
                0,
                Explanation::PoolPercentage {
                    rate: admin.rate.value(),
                    base: received,
                },
            );
        }
        let (total_withheld, _) = totals(fee, &lines)?;
        Ok(AdministrationStatement {
            deal_id: deal.id,
            plan_id: Arc::clone(&self.plan_id),
            period_start: start,
            period_end: end,
            days,
            days_in_month,
            monthly_rent: rent,
            rent_due,
            rent_received: received,
            rate: admin.rate.value(),
            fee,
            lines,
            total_withheld,
            landlord_net: received.checked_sub(fee)?,
        })
    }
}

fn period_error(message: &str) -> Error {
    FieldError::new(ErrorCode::CommissionPeriod, message)
        .at("period_end")
        .into()
}

/// Days in the month of `date`.
fn days_in_month(date: NaiveDate) -> Option<u32> {
    let first = date.with_day(1)?;
    let next = first.checked_add_months(chrono::Months::new(1))?;
    u32::try_from(next.signed_duration_since(first).num_days()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_lengths() {
        let d = |y, m| NaiveDate::from_ymd_opt(y, m, 1).unwrap();
        assert_eq!(days_in_month(d(2024, 2)), Some(29));
        assert_eq!(days_in_month(d(2026, 2)), Some(28));
        assert_eq!(days_in_month(d(2026, 12)), Some(31));
        assert_eq!(days_in_month(d(2026, 4)), Some(30));
    }
}
