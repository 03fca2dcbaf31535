//! Commission statements: for a deal and a plan, one line per participant — gross, each tax
//! withheld, net — with the trail that explains it. The lines' grosses sum exactly to the pool.

use super::explain::Explanation;
use super::plan::CommissionPlan;
use super::pool::compute_pool;
use super::split::{Part, SplitOptions, Volumes, split_pool};
use super::withholding::{Withholding, WithholdingTable};
use crate::domain::{AgentId, Deal, DealId, Participant, ParticipantRole, RecipientType};
use crate::error::{Error, ErrorCode, FieldError, ValidationErrors};
use crate::money::Money;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A validated plan with the withholding rules to apply: build once, compute many statements.
///
/// ```
/// use crm_core::{Money, commission::*, domain::*};
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use rust_decimal_macros::dec;
/// let plan: CommissionPlan = from_json(r#"{"id": "venda", "applies_to": "sale",
///   "pool": {"type": "percentage", "rate": "6%"},
///   "split": {"then": [{"role": "agency", "share": "50%"}, {"role": "listing_broker", "share": "20%"},
///                      {"role": "selling_broker", "share": "30%"}]}}"#).unwrap();
/// let engine = CommissionEngine::new(plan, WithholdingTable::none()).unwrap();
/// let day = NaiveDate::from_ymd_opt(2026, 5, 4).unwrap();
/// let mut deal = Deal::new(DealId::from_parts(1, [1; 10]), LeadId::from_parts(1, [2; 10]),
///     PropertyId::from_parts(1, [3; 10]), DealKind::Sale, Money::brl(dec!(850000)), day,
///     Utc.with_ymd_and_hms(2026, 5, 4, 12, 0, 0).unwrap());
/// deal.participants = vec![
///     Participant::agency(),
///     Participant::broker(ParticipantRole::ListingBroker, AgentId::from_parts(1, [4; 10])),
///     Participant::broker(ParticipantRole::SellingBroker, AgentId::from_parts(1, [5; 10])),
/// ];
/// let s = engine.statement(&deal, &StatementContext::on(day)).unwrap();
/// assert_eq!(s.pool, Money::brl(dec!(51000.00)));
/// let grosses: Vec<_> = s.lines.iter().map(|l| l.gross.amount()).collect();
/// assert_eq!(grosses, [dec!(25500.00), dec!(10200.00), dec!(15300.00)]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommissionEngine {
    plan: CommissionPlan,
    taxes: WithholdingTable,
    /// The plan's id, shared by every statement instead of copied.
    pub(crate) plan_id: Arc<str>,
}

/// What a statement needs besides the deal: the date whose tax rules apply when the deal has
/// no closing date, and each broker's volume so far in the accelerator period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementContext {
    /// The statement's date; the deal's `closed_on` takes precedence for tax rules.
    pub as_of: NaiveDate,
    /// Volume so far in the period per agent (this deal excluded).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub period_volumes: BTreeMap<AgentId, Money>,
}

impl StatementContext {
    /// A context on `as_of` with no period volumes.
    pub fn on(as_of: NaiveDate) -> Self {
        Self {
            as_of,
            period_volumes: BTreeMap::new(),
        }
    }
}

/// One participant's line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    /// The participant's index in the deal.
    pub participant: usize,
    /// Their role.
    pub role: ParticipantRole,
    /// The agent, for the agency's brokers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<AgentId>,
    /// The name, for outside parties.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Person or company.
    pub recipient: RecipientType,
    /// Before taxes.
    pub gross: Money,
    /// Each tax withheld.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withholdings: Vec<Withholding>,
    /// Gross less withholdings.
    pub net: Money,
    /// How the gross was reached.
    pub trail: Vec<Explanation>,
}

impl StatementLine {
    /// Everything withheld from the line: the sum of its withholdings (zero when there are
    /// none), so `gross − withheld = net`.
    ///
    /// ```
    /// use crm_core::commission::StatementLine;
    /// let line: StatementLine = serde_json::from_str(r#"{"participant": 0, "role": "agency",
    ///     "recipient": "company", "gross": {"amount": "6000.00", "currency": "BRL"},
    ///     "withholdings": [{"tax": "ISS", "rate": "0.05",
    ///         "base": {"amount": "6000.00", "currency": "BRL"},
    ///         "amount": {"amount": "300.00", "currency": "BRL"}}],
    ///     "net": {"amount": "5700.00", "currency": "BRL"}, "trail": []}"#).unwrap();
    /// assert_eq!(line.withheld().unwrap().amount().to_string(), "300.00");
    /// assert_eq!(line.gross.checked_sub(line.withheld().unwrap()).unwrap(), line.net);
    /// ```
    pub fn withheld(&self) -> Result<Money, Error> {
        Money::sum(
            self.gross.currency(),
            self.withholdings.iter().map(|w| w.amount),
        )
    }
}

/// A deal's commission statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommissionStatement {
    /// The deal.
    pub deal_id: DealId,
    /// The plan's id.
    pub plan_id: Arc<str>,
    /// The date whose tax rules applied.
    pub date: NaiveDate,
    /// The deal value the pool came from.
    pub base: Money,
    /// The fee pool; the lines' grosses sum to it exactly.
    pub pool: Money,
    /// How the pool was computed and split at the top.
    pub pool_trail: Vec<Explanation>,
    /// One line per participant, in deal order.
    pub lines: Vec<StatementLine>,
    /// Everything withheld.
    pub total_withheld: Money,
    /// Everything paid out.
    pub total_net: Money,
}

impl CommissionEngine {
    /// Validates the plan and the withholding rules, reporting every problem of both
    /// (the rules' paths start with `withholding`).
    pub fn new(plan: CommissionPlan, taxes: WithholdingTable) -> Result<Self, ValidationErrors> {
        let mut errors = plan.validate().err().unwrap_or_default();
        if let Err(e) = taxes.validate() {
            errors.extend_at("withholding", e);
        }
        errors.into_result()?;
        let plan_id = Arc::from(plan.id.as_str());
        Ok(Self {
            plan,
            taxes,
            plan_id,
        })
    }

    /// A copy of the engine that shares no reference-counted text with this one: the plan id
    /// and the tax names, which every statement clones, are copied. Statements computed on
    /// several threads, each thread with its own copy, then never contend for one reference
    /// count (measured: a shared count cost a third of a two-thread book's time).
    ///
    /// ```
    /// use crm_core::commission::*;
    /// use crm_core::domain::from_json;
    /// use std::sync::Arc;
    /// let plan: CommissionPlan = from_json(r#"{"id": "venda", "applies_to": "sale",
    ///   "pool": {"type": "percentage", "rate": "6%"}, "split": {"then": []}}"#).unwrap();
    /// let taxes: WithholdingTable = from_json(r#"[
    ///   {"tax": "ISS", "roles": ["agency"], "valid_from": "2020-01-01", "rate": "5%"}]"#).unwrap();
    /// let engine = CommissionEngine::new(plan, taxes).unwrap();
    /// let copy = engine.unshared();
    /// assert_eq!(copy, engine);
    /// assert!(!Arc::ptr_eq(&copy.taxes().0[0].tax, &engine.taxes().0[0].tax));
    /// ```
    pub fn unshared(&self) -> Self {
        let mut taxes = self.taxes.clone();
        for rule in &mut taxes.0 {
            rule.tax = Arc::from(&*rule.tax);
        }
        Self {
            plan: self.plan.clone(),
            taxes,
            plan_id: Arc::from(&*self.plan_id),
        }
    }

    /// The plan.
    pub fn plan(&self) -> &CommissionPlan {
        &self.plan
    }

    /// The withholding rules.
    pub fn taxes(&self) -> &WithholdingTable {
        &self.taxes
    }

    /// The statement of a sale (or of a lease's placement fee) under the plan.
    ///
    /// Errors: a deal of the other kind (`validation.commission.deal_kind`), a value that is
    /// negative, no participants, roles the plan pays that nobody holds
    /// (`validation.commission.role_unfilled`) or participants the plan does not pay
    /// (`validation.commission.role_unpaid`), top shares above the pool
    /// (`commission.pool_exceeded`), limits or accelerators the house cannot fund
    /// (`commission.limit_unfunded`), taxes above a gross, and currency mismatches.
    pub fn statement(
        &self,
        deal: &Deal,
        ctx: &StatementContext,
    ) -> Result<CommissionStatement, Error> {
        self.compute(deal, ctx, true)
    }

    /// The same statement as [`CommissionEngine::statement`] (same lines, amounts, taxes and
    /// errors) without the explanation trails: `pool_trail` and every line's `trail` are
    /// empty, and are never built, which makes it the cheaper call when only the numbers are
    /// wanted (a host tabulating many statements).
    ///
    /// ```
    /// use crm_core::{Money, commission::*, domain::*};
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// use rust_decimal_macros::dec;
    /// let plan: CommissionPlan = from_json(r#"{"id": "venda", "applies_to": "sale",
    ///   "pool": {"type": "percentage", "rate": "6%"},
    ///   "split": {"then": [{"role": "agency", "share": "50%"}, {"role": "listing_broker", "share": "20%"},
    ///                      {"role": "selling_broker", "share": "30%"}]}}"#).unwrap();
    /// let taxes: WithholdingTable = from_json(r#"[
    ///   {"tax": "ISS", "roles": ["agency"], "valid_from": "2020-01-01", "rate": "5%"}]"#).unwrap();
    /// let engine = CommissionEngine::new(plan, taxes).unwrap();
    /// let day = NaiveDate::from_ymd_opt(2026, 5, 4).unwrap();
    /// let mut deal = Deal::new(DealId::from_parts(1, [1; 10]), LeadId::from_parts(1, [2; 10]),
    ///     PropertyId::from_parts(1, [3; 10]), DealKind::Sale, Money::brl(dec!(850000)), day,
    ///     Utc.with_ymd_and_hms(2026, 5, 4, 12, 0, 0).unwrap());
    /// deal.participants = vec![
    ///     Participant::agency(),
    ///     Participant::broker(ParticipantRole::ListingBroker, AgentId::from_parts(1, [4; 10])),
    ///     Participant::broker(ParticipantRole::SellingBroker, AgentId::from_parts(1, [5; 10])),
    /// ];
    /// let ctx = StatementContext::on(day);
    /// let s = engine.statement_without_trails(&deal, &ctx).unwrap();
    /// assert!(s.pool_trail.is_empty() && s.lines.iter().all(|l| l.trail.is_empty()));
    /// // 6% of 850,000.00 = 51,000.00; the agency's half pays 5% ISS.
    /// assert_eq!(s.lines[0].gross, Money::brl(dec!(25500.00)));
    /// assert_eq!(s.lines[0].net, Money::brl(dec!(24225.00)));
    /// assert_eq!(s.total_withheld, Money::brl(dec!(1275.00)));
    ///
    /// // The full statement differs only by its trails.
    /// let mut full = engine.statement(&deal, &ctx).unwrap();
    /// assert!(!full.pool_trail.is_empty());
    /// full.pool_trail.clear();
    /// full.lines.iter_mut().for_each(|l| l.trail.clear());
    /// assert_eq!(full, s);
    /// ```
    pub fn statement_without_trails(
        &self,
        deal: &Deal,
        ctx: &StatementContext,
    ) -> Result<CommissionStatement, Error> {
        self.compute(deal, ctx, false)
    }

    /// The statement, with its trails when `explain`.
    fn compute(
        &self,
        deal: &Deal,
        ctx: &StatementContext,
        explain: bool,
    ) -> Result<CommissionStatement, Error> {
        self.check_deal(deal)?;
        let (pool, mut pool_trail) = compute_pool(&self.plan.pool, deal.value, explain)?;
        // Each participant's period volume including this deal; with no earlier volumes in the
        // period every one of them is the deal's value.
        let each: Vec<Decimal>;
        let volumes = if ctx.period_volumes.is_empty() {
            Volumes::DealOnly(deal.value.amount())
        } else {
            each = deal
                .participants
                .iter()
                .map(|p| {
                    let so_far = p
                        .agent_id
                        .and_then(|a| ctx.period_volumes.get(&a))
                        .map_or(Decimal::ZERO, Money::amount);
                    so_far
                        .checked_add(deal.value.amount())
                        .ok_or(Error::Overflow {
                            operation: "period volume",
                        })
                })
                .collect::<Result<_, _>>()?;
            Volumes::Each(&each)
        };
        let opts = SplitOptions {
            plan: &self.plan,
            accelerate: true,
            limit: true,
            volumes,
            explain,
        };
        let outcome = split_pool(pool, &self.plan.split, &deal.participants, &opts)?;
        let date = deal.closed_on.unwrap_or(ctx.as_of);
        pool_trail.append(outcome.pool_trail);
        let lines = build_lines(&self.taxes, &deal.participants, outcome.parts, date)?;
        let (total_withheld, total_net) = totals(pool, &lines)?;
        Ok(CommissionStatement {
            deal_id: deal.id,
            plan_id: Arc::clone(&self.plan_id),
            date,
            base: deal.value,
            pool,
            pool_trail: pool_trail.into_steps(),
            lines,
            total_withheld,
            total_net,
        })
    }

    fn check_deal(&self, deal: &Deal) -> Result<(), Error> {
        let mut errors = ValidationErrors::default();
        errors.ensure_with(
            deal.kind == self.plan.applies_to,
            "kind",
            ErrorCode::CommissionDealKind,
            || {
                format!(
                    "the plan applies to {:?} deals, this deal is a {:?}",
                    self.plan.applies_to, deal.kind
                )
            },
        );
        crate::domain::positive_money(&mut errors, "value", &deal.value);
        errors.ensure(
            !deal.participants.is_empty(),
            "participants",
            ErrorCode::DealParticipantsMissing,
            "a deal needs at least one participant to pay",
        );
        errors.into_result().map_err(Error::from)
    }
}

/// Lines with withholding and net, in deal order.
pub(crate) fn build_lines(
    taxes: &WithholdingTable,
    participants: &[Participant],
    parts: Vec<Part>,
    date: NaiveDate,
) -> Result<Vec<StatementLine>, Error> {
    // A plain loop into a Vec of the right size: lines are large, and collecting results
    // through an iterator adapter copies each one several times.
    let mut lines = Vec::with_capacity(parts.len());
    for (i, (p, Part { gross, trail, .. })) in participants.iter().zip(parts).enumerate() {
        let withholdings = taxes.withhold(p.role, p.recipient, gross, date);
        let mut withheld = Money::zero(gross.currency());
        for w in &withholdings {
            withheld = withheld.checked_add(w.amount)?;
        }
        let net = gross.checked_sub(withheld)?;
        if net.is_negative() {
            return Err(FieldError::new(
                ErrorCode::CommissionWithholdingExceedsGross,
                format!("taxes of {withheld} exceed the gross {gross}"),
            )
            .at(&format!("lines[{i}]"))
            .into());
        }
        lines.push(StatementLine {
            participant: i,
            role: p.role,
            agent_id: p.agent_id,
            name: p.name.clone(),
            recipient: p.recipient,
            gross,
            withholdings,
            net,
            trail: trail.into_steps(),
        });
    }
    Ok(lines)
}

/// Total withheld and total net of lines whose grosses sum to `pool`.
pub(crate) fn totals(pool: Money, lines: &[StatementLine]) -> Result<(Money, Money), Error> {
    // Plain loops, in the order `Money::sum` would add them (all withholdings, then the nets).
    let c = pool.currency();
    let mut withheld = Money::zero(c);
    for w in lines.iter().flat_map(|l| &l.withholdings) {
        withheld = withheld.checked_add(w.amount)?;
    }
    let mut net = Money::zero(c);
    for l in lines {
        net = net.checked_add(l.net)?;
    }
    Ok((withheld, net))
}
