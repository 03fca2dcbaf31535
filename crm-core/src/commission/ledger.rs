//! Ledger entries: every statement, administration and reversal as an immutable, balanced
//! entry — who owes whom, how much, why, for which deal — for the store to append. Corrections
//! are new entries (a reversal and a new statement), never edits.
//!
//! Postings are signed: positive is a debit (owed to the agency), negative a credit (owed by
//! the agency). Every entry's postings sum to zero.

use super::clawback::Reversal;
use super::rental::AdministrationStatement;
use super::statement::{CommissionStatement, StatementLine};
use super::withholding::Withholding;
use crate::domain::{AgentId, DealId, ParticipantRole};
use crate::error::Error;
use crate::money::Money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// What an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// A sale's commission or a lease's placement fee.
    Commission,
    /// A month's administration fee and the landlord's rent.
    Administration,
    /// A clawback of a commission.
    Reversal,
}

/// Whose balance a posting moves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Account {
    /// The client (seller, landlord) who owes the fee.
    Client,
    /// The tenant who paid the rent.
    Tenant,
    /// The landlord, owed the rent less the administration fee.
    Landlord,
    /// A participant of the deal, owed their net.
    Participant {
        /// Index in the deal's participants.
        index: usize,
        /// Role.
        role: ParticipantRole,
        /// The agent, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        agent_id: Option<AgentId>,
    },
    /// A tax authority, owed what was withheld.
    Tax {
        /// The tax.
        tax: Arc<str>,
    },
}

/// One movement on one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    /// The account.
    pub account: Account,
    /// Signed amount: debit positive, credit negative.
    pub amount: Money,
}

/// An immutable, balanced ledger entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// The deal.
    pub deal_id: DealId,
    /// What it records.
    pub kind: EntryKind,
    /// The plan under which it was computed.
    pub plan_id: Arc<str>,
    /// Its date.
    pub date: NaiveDate,
    /// Why, in words.
    pub memo: String,
    /// The movements; they sum to zero.
    pub postings: Vec<Posting>,
}

impl LedgerEntry {
    /// Whether the postings sum to zero (always true for entries built here).
    pub fn is_balanced(&self) -> bool {
        let currency = self
            .postings
            .first()
            .map_or(crate::Currency::BRL, |p| p.amount.currency());
        Money::sum(currency, self.postings.iter().map(|p| p.amount)).is_ok_and(|m| m.is_zero())
    }
}

fn participant_postings(
    postings: &mut Vec<Posting>,
    index: usize,
    role: ParticipantRole,
    agent_id: Option<AgentId>,
    net: Money,
    withholdings: &[Withholding],
) {
    postings.push(Posting {
        account: Account::Participant {
            index,
            role,
            agent_id,
        },
        amount: -net,
    });
    for w in withholdings {
        postings.push(Posting {
            account: Account::Tax {
                tax: Arc::clone(&w.tax),
            },
            amount: -w.amount,
        });
    }
}

fn lines_postings(postings: &mut Vec<Posting>, lines: &[StatementLine]) {
    for l in lines {
        participant_postings(
            postings,
            l.participant,
            l.role,
            l.agent_id,
            l.net,
            &l.withholdings,
        );
    }
}

impl CommissionStatement {
    /// The statement as one entry: the client owes the pool; each participant is owed their
    /// net and each tax authority what was withheld.
    ///
    /// ```
    /// # use crm_core::{Money, commission::*, domain::*};
    /// # use chrono::{NaiveDate, TimeZone, Utc};
    /// # use rust_decimal_macros::dec;
    /// # let plan: CommissionPlan = from_json(r#"{"id": "p", "applies_to": "sale",
    /// #   "pool": {"type": "percentage", "rate": "6%"}}"#).unwrap();
    /// # let engine = CommissionEngine::new(plan, WithholdingTable::none()).unwrap();
    /// # let day = NaiveDate::from_ymd_opt(2026, 5, 4).unwrap();
    /// # let mut deal = Deal::new(DealId::from_parts(1, [1; 10]), LeadId::from_parts(1, [2; 10]),
    /// #     PropertyId::from_parts(1, [3; 10]), DealKind::Sale, Money::brl(dec!(100000)), day,
    /// #     Utc.with_ymd_and_hms(2026, 5, 4, 12, 0, 0).unwrap());
    /// # deal.participants = vec![Participant::agency()];
    /// let entry = engine.statement(&deal, &StatementContext::on(day)).unwrap().ledger_entry();
    /// assert!(entry.is_balanced());
    /// assert_eq!(entry.postings[0].amount, Money::brl(dec!(6000.00)));
    /// ```
    pub fn ledger_entry(&self) -> LedgerEntry {
        let mut postings = vec![Posting {
            account: Account::Client,
            amount: self.pool,
        }];
        lines_postings(&mut postings, &self.lines);
        LedgerEntry {
            deal_id: self.deal_id,
            kind: EntryKind::Commission,
            plan_id: Arc::clone(&self.plan_id),
            date: self.date,
            memo: format!("commission on {} under plan {}", self.base, self.plan_id),
            postings,
        }
    }
}

impl AdministrationStatement {
    /// The month as one entry: the tenant's rent is owed on to the landlord (less the fee) and
    /// to the fee's participants and tax authorities.
    pub fn ledger_entry(&self) -> Result<LedgerEntry, Error> {
        let mut postings = vec![
            Posting {
                account: Account::Tenant,
                amount: self.rent_received,
            },
            Posting {
                account: Account::Landlord,
                amount: -self.landlord_net,
            },
        ];
        lines_postings(&mut postings, &self.lines);
        Ok(LedgerEntry {
            deal_id: self.deal_id,
            kind: EntryKind::Administration,
            plan_id: Arc::clone(&self.plan_id),
            date: self.period_end,
            memo: format!(
                "administration {} to {}",
                self.period_start, self.period_end
            ),
            postings,
        })
    }
}

impl Reversal {
    /// The clawback as one entry mirroring the statement's: the client's debt falls by what
    /// comes back and each participant and tax authority gives back their part. Empty of
    /// postings when nothing comes back.
    pub fn ledger_entry(&self) -> LedgerEntry {
        let mut postings = Vec::new();
        if !self.lines.is_empty() {
            postings.push(Posting {
                account: Account::Client,
                amount: self.total_gross,
            });
            for l in &self.lines {
                participant_postings(
                    &mut postings,
                    l.participant,
                    l.role,
                    l.agent_id,
                    l.net,
                    &l.withholdings,
                );
            }
        }
        LedgerEntry {
            deal_id: self.deal_id,
            kind: EntryKind::Reversal,
            plan_id: Arc::clone(&self.plan_id),
            date: self.cancelled_on,
            memo: format!(
                "clawback of {} after cancellation on {}",
                self.fraction, self.cancelled_on
            ),
            postings,
        }
    }
}
