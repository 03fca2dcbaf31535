//! Clawbacks: when a deal is cancelled (distrato) within the plan's window, the commission
//! paid comes back — fully or pro-rata — as reversing lines, never more than was paid.
//! Outside the window, or without a clawback rule, the fee stays due (Civil Code art. 725).

use super::plan::ClawbackMode;
use super::statement::{CommissionEngine, CommissionStatement};
use super::withholding::Withholding;
use crate::domain::{AgentId, DealId, ParticipantRole};
use crate::error::{Error, ErrorCode, FieldError};
use crate::money::{Money, RoundingMode, allocate};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The reversal of a statement's lines after a cancellation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reversal {
    /// The deal.
    pub deal_id: DealId,
    /// The plan's id.
    pub plan_id: Arc<str>,
    /// When the deal closed (the statement's date).
    pub closed_on: NaiveDate,
    /// When it was cancelled.
    pub cancelled_on: NaiveDate,
    /// Days from closing to cancellation.
    pub days_elapsed: i64,
    /// Whether the cancellation fell within the clawback window.
    pub within_window: bool,
    /// The share of the commission that comes back (1 for full, less for pro-rata, 0 outside).
    pub fraction: Decimal,
    /// One reversing line per statement line that gives anything back (amounts negative).
    pub lines: Vec<ReversalLine>,
    /// Sum of the lines' grosses (zero or negative).
    pub total_gross: Money,
}

/// One participant's reversal: negative gross, withholdings and net.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReversalLine {
    /// The participant's index in the deal.
    pub participant: usize,
    /// Their role.
    pub role: ParticipantRole,
    /// The agent, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<AgentId>,
    /// The name, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Gross reversed (negative).
    pub gross: Money,
    /// Withholdings reversed (negative), in proportion to the gross reversed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withholdings: Vec<Withholding>,
    /// Net reversed (negative): what the participant gives back.
    pub net: Money,
}

impl CommissionEngine {
    /// Reverses `statement` for a cancellation on `cancelled_on`. `paid` is the gross paid so
    /// far per statement line (all of it when `None`); no line gives back more than was paid.
    ///
    /// Pro-rata gives back `(window_days − days_elapsed) / window_days` of the pool, split
    /// over the lines in proportion to their grosses with [`allocate`].
    ///
    /// ```
    /// use crm_core::{Money, commission::*, domain::*};
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// use rust_decimal_macros::dec;
    /// let plan: CommissionPlan = from_json(r#"{"id": "venda", "applies_to": "sale",
    ///   "pool": {"type": "percentage", "rate": "5%"},
    ///   "split": {"then": [{"role": "agency", "share": "60%"}, {"role": "selling_broker", "share": "40%"}]},
    ///   "clawback": {"window_days": 90, "mode": "pro_rata"}}"#).unwrap();
    /// let engine = CommissionEngine::new(plan, WithholdingTable::none()).unwrap();
    /// let closed = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    /// let mut deal = Deal::new(DealId::from_parts(1, [1; 10]), LeadId::from_parts(1, [2; 10]),
    ///     PropertyId::from_parts(1, [3; 10]), DealKind::Sale, Money::brl(dec!(600000)), closed,
    ///     Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap());
    /// deal.closed_on = Some(closed);
    /// deal.participants = vec![Participant::agency(),
    ///     Participant::broker(ParticipantRole::SellingBroker, AgentId::from_parts(1, [5; 10]))];
    /// let s = engine.statement(&deal, &StatementContext::on(closed)).unwrap();
    /// // Cancelled 30 days later: (90 − 30) / 90 = 2/3 of 30,000.00 comes back.
    /// let r = engine.clawback(&s, NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(), None).unwrap();
    /// assert_eq!(r.total_gross, Money::brl(dec!(-20000.00)));
    /// assert_eq!(r.lines[1].gross, Money::brl(dec!(-8000.00)));
    /// ```
    pub fn clawback(
        &self,
        statement: &CommissionStatement,
        cancelled_on: NaiveDate,
        paid: Option<&[Money]>,
    ) -> Result<Reversal, Error> {
        let currency = statement.pool.currency();
        let closed_on = statement.date;
        let days_elapsed = cancelled_on.signed_duration_since(closed_on).num_days();
        if days_elapsed < 0 {
            return Err(FieldError::new(
                ErrorCode::DateOrder,
                "a deal cannot be cancelled before it closed",
            )
            .at("cancelled_on")
            .into());
        }
        if let Some(p) = paid.filter(|p| p.len() != statement.lines.len()) {
            return Err(FieldError::new(
                ErrorCode::NumberRange,
                format!(
                    "paid has {} amounts for {} statement lines",
                    p.len(),
                    statement.lines.len()
                ),
            )
            .at("paid")
            .into());
        }
        let mut reversal = Reversal {
            deal_id: statement.deal_id,
            plan_id: Arc::clone(&statement.plan_id),
            closed_on,
            cancelled_on,
            days_elapsed,
            within_window: false,
            fraction: Decimal::ZERO,
            lines: Vec::new(),
            total_gross: Money::zero(currency),
        };
        let Some(rule) = self.plan().clawback else {
            return Ok(reversal);
        };
        let window = i64::from(rule.window_days);
        if days_elapsed > window || window == 0 {
            return Ok(reversal);
        }
        reversal.within_window = true;
        reversal.fraction = match rule.mode {
            ClawbackMode::Full => Decimal::ONE,
            ClawbackMode::ProRata => Decimal::from(window - days_elapsed)
                .checked_div(Decimal::from(window))
                .unwrap_or_default(),
        };
        let grosses: Vec<Decimal> = statement
            .lines
            .iter()
            .map(|l| l.gross.amount().max(Decimal::ZERO))
            .collect();
        let target = if rule.mode == ClawbackMode::Full {
            statement.pool
        } else {
            // pool · (window − days) is exact; dividing by the window afterwards keeps a true
            // half-cent tie exact (multiplying by a rounded fraction would not).
            let kept = statement
                .pool
                .checked_mul(Decimal::from(window - days_elapsed))?;
            let exact =
                kept.amount()
                    .checked_div(Decimal::from(window))
                    .ok_or(Error::Overflow {
                        operation: "clawback",
                    })?;
            Money::new(exact, currency).round(RoundingMode::HalfEven)
        };
        let shares = if target.is_zero() || grosses.iter().all(|g| g.is_zero()) {
            vec![Money::zero(currency); grosses.len()]
        } else {
            allocate(target, &grosses)?
        };
        for (i, (line, share)) in statement.lines.iter().zip(shares).enumerate() {
            let paid_gross = paid.and_then(|p| p.get(i).copied()).unwrap_or(line.gross);
            if paid_gross.currency() != currency {
                return Err(Error::CurrencyMismatch {
                    left: currency,
                    right: paid_gross.currency(),
                });
            }
            let back = if share.amount() > paid_gross.amount() {
                paid_gross
            } else {
                share
            };
            if back.amount() <= Decimal::ZERO {
                continue;
            }
            let withholdings = line
                .withholdings
                .iter()
                .map(|w| reverse_withholding(w, back, line.gross))
                .collect::<Result<Vec<_>, Error>>()?;
            let withheld = Money::sum(currency, withholdings.iter().map(|w| w.amount))?;
            reversal.lines.push(ReversalLine {
                participant: line.participant,
                role: line.role,
                agent_id: line.agent_id,
                name: line.name.clone(),
                gross: -back,
                net: -(back.checked_sub(withheld)?),
                withholdings: withholdings
                    .into_iter()
                    .map(|w| Withholding {
                        amount: -w.amount,
                        base: -w.base,
                        ..w
                    })
                    .collect(),
            });
        }
        reversal.total_gross = Money::sum(currency, reversal.lines.iter().map(|l| l.gross))?;
        Ok(reversal)
    }
}

/// The part of a withholding that goes with `back` of a line's `gross` (all of it when the
/// whole gross comes back), rounded half-even to cents.
fn reverse_withholding(w: &Withholding, back: Money, gross: Money) -> Result<Withholding, Error> {
    let amount = if back == gross || gross.is_zero() {
        w.amount
    } else {
        let share = back
            .amount()
            .checked_div(gross.amount())
            .unwrap_or_default();
        w.amount.checked_mul(share)?.round(RoundingMode::HalfEven)
    };
    Ok(Withholding {
        tax: Arc::clone(&w.tax),
        rate: w.rate,
        base: back,
        amount,
    })
}
