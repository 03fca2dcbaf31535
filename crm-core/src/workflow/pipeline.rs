//! Pipelines as data: ordered stages with a kind (open, won, lost), the moves allowed between
//! them and the guards each move must pass.
//!
//! A pipeline applies to leads (the stage is `Lead::stage`) or to deals (the stage is
//! `Deal::status`, so its stage keys are `DealStatus` names). [`Pipeline::transition`] checks a
//! move of a record given as JSON; [`Pipeline::transition_lead`] and
//! [`Pipeline::transition_deal`] do the same for typed records and return the updated copy.
//! Two pipelines ship with the crate, [`Pipeline::default_sales`] and
//! [`Pipeline::default_rentals`] (documented in `docs/workflow.md`).
//!
//! Rules of the moves:
//! - an explicit `from → to` transition wins over a `* → to` one for the same target;
//! - `*` stands for every **open** stage (never a won or lost one), except `to` itself;
//! - leaving a won or lost stage needs an explicit transition with `reopen: true`;
//! - a move to the stage the record is already at is forbidden;
//! - guards are checked in order and **every** failing guard is reported, each at `guards[i]`.
//!
//! ```
//! use crm_core::workflow::{Pipeline, TransitionContext};
//! use chrono::{TimeZone, Utc};
//! use serde_json::json;
//! let sales = Pipeline::default_sales().unwrap();
//! let now = Utc.with_ymd_and_hms(2026, 11, 26, 13, 0, 0).unwrap();
//! let lead = json!({"stage": "visit_done"});
//! let err = sales.transition(&lead, "proposal", &TransitionContext::at(now)).unwrap_err();
//! assert_eq!(err.code().as_str(), "workflow.transition.guard");
//! assert_eq!(err.field_errors()[0].path, "guards[0]");
//! let err = sales.transition(&lead, "won", &TransitionContext::at(now)).unwrap_err();
//! assert_eq!(err.code().as_str(), "workflow.transition.forbidden");
//! let ctx = TransitionContext::at(now).with_reason("comprou com outra imobiliária");
//! let (after, t) = sales.transition(&lead, "lost", &ctx).unwrap();
//! assert_eq!((t.from.as_str(), t.to.as_str(), after["stage"].as_str()), ("visit_done", "lost", Some("lost")));
//! ```

use super::condition::{Condition, lookup};
use crate::Money;
use crate::domain::{AgentId, Deal, DealStatus, Lead, PropertyId};
use crate::error::{Error, ErrorCode, FieldError, ValidationErrors};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeSet;

/// The `from` of a transition that stands for every open stage.
pub const ANY_STAGE: &str = "*";

/// What reaching a stage means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    /// Still in progress.
    Open,
    /// Won: sold, rented, signed.
    Won,
    /// Lost: gave up, bought elsewhere, no answer.
    Lost,
}

/// What kind of record a pipeline moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppliesTo {
    /// Leads; the stage is the lead's `stage`.
    #[default]
    Lead,
    /// Deals; the stage is the deal's `status`.
    Deal,
}

impl AppliesTo {
    /// The field of the record's JSON form that holds its stage (`stage` or `status`).
    ///
    /// ```
    /// use crm_core::workflow::AppliesTo;
    /// assert_eq!(AppliesTo::Deal.stage_field(), "status");
    /// ```
    pub fn stage_field(self) -> &'static str {
        match self {
            AppliesTo::Lead => "stage",
            AppliesTo::Deal => "status",
        }
    }
}

/// One stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    /// The stable key stored on the record (`visit_scheduled`).
    pub key: String,
    /// A name for people (`Visita agendada`); the key when absent.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Open, won or lost.
    pub kind: StageKind,
}

/// A check a move must pass. The built-in guards look at the [`TransitionContext`] first and
/// then at the record (before the move): `has_property` also accepts a record with a
/// non-empty `property_id` (a deal), `has_offer_value` a record with a positive
/// `value.amount`, `proposal_accepted` a record with a non-empty `accepted_on`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Guard {
    /// A property is named (the proposal is for a listing).
    HasProperty,
    /// An offered value above zero is given.
    HasOfferValue,
    /// The proposal was accepted.
    ProposalAccepted,
    /// A reason is given (non-blank).
    HasReason,
    /// A condition on the record before the move.
    Condition {
        /// The condition.
        condition: Condition,
        /// A name for the guard in errors (`needs_visit`); `condition` when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<String>,
        /// A sentence for people when the guard fails.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
}

impl Guard {
    /// The guard's name: its type, or a condition guard's `code`.
    ///
    /// ```
    /// use crm_core::workflow::Guard;
    /// assert_eq!(Guard::HasReason.name(), "has_reason");
    /// ```
    pub fn name(&self) -> &str {
        match self {
            Guard::HasProperty => "has_property",
            Guard::HasOfferValue => "has_offer_value",
            Guard::ProposalAccepted => "proposal_accepted",
            Guard::HasReason => "has_reason",
            Guard::Condition { code, .. } => code.as_deref().unwrap_or("condition"),
        }
    }

    /// Why the guard fails for `record` and `ctx`, or `None` when it passes.
    fn failure(&self, record: &Value, ctx: &TransitionContext) -> Option<String> {
        let present = |field: &str| {
            lookup(record, field).is_some_and(|v| !matches!(v, Value::Null) && v != "")
        };
        match self {
            Guard::HasProperty => (ctx.property_id.is_none() && !present("property_id"))
                .then(|| "name the property the proposal is for".to_owned()),
            Guard::HasOfferValue => {
                let in_ctx = ctx
                    .offer_value
                    .is_some_and(|m| !m.is_zero() && !m.is_negative());
                let in_record = lookup(record, "value.amount")
                    .and_then(Value::as_str)
                    .and_then(|s| crate::money::parse_decimal(s).ok())
                    .is_some_and(|d| d > rust_decimal::Decimal::ZERO);
                (!in_ctx && !in_record).then(|| "give the offered value (above zero)".to_owned())
            }
            Guard::ProposalAccepted => (!ctx.proposal_accepted && !present("accepted_on"))
                .then(|| "the proposal has not been accepted".to_owned()),
            Guard::HasReason => (ctx.reason.as_deref().is_none_or(|r| r.trim().is_empty()))
                .then(|| "give a reason".to_owned()),
            Guard::Condition {
                condition, message, ..
            } => (!condition.holds(record)).then(|| {
                message
                    .clone()
                    .unwrap_or_else(|| "the record does not meet the condition".to_owned())
            }),
        }
    }
}

/// An allowed move with its guards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionRule {
    /// The stage moved from, or `*` for every open stage.
    pub from: String,
    /// The stage moved to.
    pub to: String,
    /// Checks the move must pass, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guards: Vec<Guard>,
    /// Must be `true` on a move out of a won or lost stage.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reopen: bool,
}

/// A pipeline: stages in order (the first is where records start) and allowed moves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pipeline {
    /// The pipeline's id (`sales`).
    pub id: String,
    /// A name for people.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Leads or deals.
    #[serde(default)]
    pub applies_to: AppliesTo,
    /// The stages, in display order; the first is the initial stage.
    pub stages: Vec<Stage>,
    /// The allowed moves.
    pub transitions: Vec<TransitionRule>,
}

/// What a move needs to know besides the record.
///
/// ```
/// use crm_core::workflow::TransitionContext;
/// use chrono::{TimeZone, Utc};
/// let ctx = TransitionContext::at(Utc.with_ymd_and_hms(2026, 11, 26, 13, 0, 0).unwrap())
///     .with_reason("sem retorno");
/// assert_eq!(ctx.reason.as_deref(), Some("sem retorno"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionContext {
    /// When the move happens.
    pub now: DateTime<Utc>,
    /// Who moves the record (`None`: an automation or the system).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<AgentId>,
    /// Why (required to lose a record in the default pipelines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The property of a proposal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub property_id: Option<PropertyId>,
    /// The value offered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer_value: Option<Money>,
    /// Whether the proposal was accepted.
    #[serde(default)]
    pub proposal_accepted: bool,
}

impl TransitionContext {
    /// A context at `now` with nothing else known.
    pub fn at(now: DateTime<Utc>) -> Self {
        Self {
            now,
            actor: None,
            reason: None,
            property_id: None,
            offer_value: None,
            proposal_accepted: false,
        }
    }

    /// The same context with an actor.
    ///
    /// ```
    /// use crm_core::{Money, domain::{AgentId, PropertyId}, workflow::TransitionContext};
    /// use chrono::{TimeZone, Utc};
    /// let ctx = TransitionContext::at(Utc.with_ymd_and_hms(2026, 11, 26, 13, 0, 0).unwrap())
    ///     .with_actor(AgentId::from_parts(1, [4; 10]))
    ///     .with_proposal(PropertyId::from_parts(1, [2; 10]), Money::brl(750000.into()))
    ///     .with_proposal_accepted();
    /// assert!(ctx.actor.is_some() && ctx.offer_value.is_some() && ctx.proposal_accepted);
    /// ```
    #[must_use]
    pub fn with_actor(mut self, actor: AgentId) -> Self {
        self.actor = Some(actor);
        self
    }

    /// The same context with a reason.
    #[must_use]
    pub fn with_reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    /// The same context with a proposal: its property and offered value.
    #[must_use]
    pub fn with_proposal(mut self, property_id: PropertyId, offer_value: Money) -> Self {
        self.property_id = Some(property_id);
        self.offer_value = Some(offer_value);
        self
    }

    /// The same context with the proposal accepted.
    #[must_use]
    pub fn with_proposal_accepted(mut self) -> Self {
        self.proposal_accepted = true;
        self
    }
}

/// The record of a move, for the record's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    /// The pipeline's id.
    pub pipeline: String,
    /// The stage left.
    pub from: String,
    /// The stage reached.
    pub to: String,
    /// The kind of the stage reached.
    pub kind: StageKind,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (`None`: an automation or the system).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<AgentId>,
    /// Why, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The sales pipeline's JSON, as shipped (`crm-core/src/workflow/pipelines/sales.json`).
pub const DEFAULT_SALES_JSON: &str = include_str!("pipelines/sales.json");
/// The rentals pipeline's JSON, as shipped (`crm-core/src/workflow/pipelines/rentals.json`).
pub const DEFAULT_RENTALS_JSON: &str = include_str!("pipelines/rentals.json");
/// The deals pipeline's JSON, as shipped (`crm-core/src/workflow/pipelines/deals.json`).
pub const DEFAULT_DEALS_JSON: &str = include_str!("pipelines/deals.json");

impl Pipeline {
    /// Reads a pipeline from JSON and validates it: shape problems as `input.json` with their
    /// path, then every validation problem.
    ///
    /// ```
    /// use crm_core::workflow::Pipeline;
    /// let err = Pipeline::from_json(r#"{"id": "x", "stages": [{"key": "new", "kind": "open"}], "transitions": []}"#).unwrap_err();
    /// assert_eq!(err.code().as_str(), "validation.pipeline.terminal_missing");
    /// ```
    pub fn from_json(json: &str) -> Result<Pipeline, Error> {
        let p: Pipeline = crate::domain::from_json(json)?;
        p.validate()?;
        Ok(p)
    }

    /// The default pipeline for sales leads: `new → contacted → qualified → visit_scheduled →
    /// visit_done → proposal → won`, and `lost` from any open stage with a reason.
    ///
    /// ```
    /// let p = crm_core::workflow::Pipeline::default_sales().unwrap();
    /// assert_eq!(p.initial_stage().map(|s| s.key.as_str()), Some("new"));
    /// ```
    pub fn default_sales() -> Result<Pipeline, Error> {
        Pipeline::from_json(DEFAULT_SALES_JSON)
    }

    /// The default pipeline for rental leads: `new → contacted → visit_scheduled →
    /// application (ficha cadastral) → guarantee (fiador, seguro-fiança, caução) → contract →
    /// won`, and `lost` from any open stage with a reason.
    ///
    /// ```
    /// let p = crm_core::workflow::Pipeline::default_rentals().unwrap();
    /// assert!(p.stage("guarantee").is_some());
    /// ```
    pub fn default_rentals() -> Result<Pipeline, Error> {
        Pipeline::from_json(DEFAULT_RENTALS_JSON)
    }

    /// The default pipeline for deals (a deal's `status`): `proposal → accepted` (a property
    /// and an offered value) `→ closed` (the proposal accepted), `proposal → rejected` and
    /// `accepted → cancelled` with a reason, and a distrato reopening `closed → cancelled`
    /// with a reason.
    ///
    /// ```
    /// use crm_core::workflow::Pipeline;
    /// let p = Pipeline::default_deals().unwrap();
    /// assert_eq!(p.targets("accepted"), ["closed", "cancelled"]);
    /// ```
    pub fn default_deals() -> Result<Pipeline, Error> {
        Pipeline::from_json(DEFAULT_DEALS_JSON)
    }

    /// The stage with `key`.
    ///
    /// ```
    /// use crm_core::workflow::{Pipeline, StageKind};
    /// let p = Pipeline::default_sales().unwrap();
    /// assert_eq!(p.stage("won").map(|s| s.kind), Some(StageKind::Won));
    /// ```
    pub fn stage(&self, key: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.key == key)
    }

    /// The first stage, where records start.
    ///
    /// ```
    /// let p = crm_core::workflow::Pipeline::default_rentals().unwrap();
    /// assert_eq!(p.initial_stage().unwrap().key, "new");
    /// ```
    pub fn initial_stage(&self) -> Option<&Stage> {
        self.stages.first()
    }

    /// The rule for moving `from → to`: an explicit one, else a `*` one when `from` is open.
    ///
    /// ```
    /// let p = crm_core::workflow::Pipeline::default_sales().unwrap();
    /// assert_eq!(p.rule("qualified", "lost").unwrap().from, "*");
    /// assert!(p.rule("won", "lost").is_none());
    /// ```
    pub fn rule(&self, from: &str, to: &str) -> Option<&TransitionRule> {
        if from == to {
            return None;
        }
        let explicit = self
            .transitions
            .iter()
            .find(|t| t.from == from && t.to == to);
        explicit.or_else(|| {
            let open = self.stage(from).is_some_and(|s| s.kind == StageKind::Open);
            self.transitions
                .iter()
                .find(|t| open && t.from == ANY_STAGE && t.to == to)
        })
    }

    /// The stages a record at `from` may move to, in stage order (guards not checked).
    ///
    /// ```
    /// let p = crm_core::workflow::Pipeline::default_sales().unwrap();
    /// assert_eq!(p.targets("new"), ["contacted", "lost"]);
    /// ```
    pub fn targets(&self, from: &str) -> Vec<&str> {
        self.stages
            .iter()
            .filter(|s| self.rule(from, &s.key).is_some())
            .map(|s| s.key.as_str())
            .collect()
    }

    /// Checks the move of a record from `from` to `to`: both stages known, the move allowed,
    /// every guard passing on `record` (the JSON form before the move) and `ctx`.
    ///
    /// Errors: `workflow.stage.unknown` (path `from` or `to`), `workflow.transition.forbidden`
    /// (path `to`; the message lists the allowed targets), `workflow.transition.guard` (one
    /// problem per failing guard, path `guards[i]`, message naming the guard).
    ///
    /// ```
    /// use crm_core::workflow::{Pipeline, TransitionContext};
    /// use chrono::{TimeZone, Utc};
    /// let p = Pipeline::default_sales().unwrap();
    /// let ctx = TransitionContext::at(Utc.with_ymd_and_hms(2026, 11, 26, 13, 0, 0).unwrap());
    /// let t = p.check("new", "contacted", &serde_json::json!({}), &ctx).unwrap();
    /// assert_eq!(t.to, "contacted");
    /// ```
    pub fn check(
        &self,
        from: &str,
        to: &str,
        record: &Value,
        ctx: &TransitionContext,
    ) -> Result<Transition, Error> {
        if self.stage(from).is_none() {
            return Err(unknown_stage(&self.id, from, "from").into());
        }
        let Some(target) = self.stage(to) else {
            return Err(unknown_stage(&self.id, to, "to").into());
        };
        let Some(rule) = self.rule(from, to) else {
            let allowed = self.targets(from);
            let allowed = if allowed.is_empty() {
                "none".to_owned()
            } else {
                allowed.join(", ")
            };
            return Err(FieldError::new(
                ErrorCode::TransitionForbidden,
                format!(
                    "pipeline `{}` has no move from `{from}` to `{to}` (allowed: {allowed})",
                    self.id
                ),
            )
            .at("to")
            .into());
        };
        let mut errors = ValidationErrors::default();
        for (i, guard) in rule.guards.iter().enumerate() {
            if let Some(why) = guard.failure(record, ctx) {
                errors.push(
                    FieldError::new(
                        ErrorCode::TransitionGuard,
                        format!(
                            "guard `{}` failed on `{from}` → `{to}`: {why}",
                            guard.name()
                        ),
                    )
                    .at(&format!("guards[{i}]")),
                );
            }
        }
        errors.into_result()?;
        Ok(Transition {
            pipeline: self.id.clone(),
            from: from.to_owned(),
            to: to.to_owned(),
            kind: target.kind,
            at: ctx.now,
            actor: ctx.actor,
            reason: ctx
                .reason
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_owned),
        })
    }

    /// Moves a record given as JSON: reads its stage (`stage` for leads, `status` for deals;
    /// a lead without one is at the initial stage), checks the move ([`Pipeline::check`]) and
    /// returns a copy with the new stage and `updated_at = now` (when the record has an
    /// `updated_at`), with the transition record. A record that is not a JSON object is
    /// refused with `input.json`.
    ///
    /// ```
    /// use crm_core::workflow::{Pipeline, TransitionContext};
    /// use chrono::{TimeZone, Utc};
    /// let p = Pipeline::default_sales().unwrap();
    /// let ctx = TransitionContext::at(Utc.with_ymd_and_hms(2026, 11, 26, 13, 0, 0).unwrap());
    /// let (after, _) = p.transition(&serde_json::json!({"stage": "new"}), "contacted", &ctx).unwrap();
    /// assert_eq!(after["stage"], "contacted");
    /// ```
    pub fn transition(
        &self,
        record: &Value,
        to: &str,
        ctx: &TransitionContext,
    ) -> Result<(Value, Transition), Error> {
        let field = self.applies_to.stage_field();
        if !record.is_object() {
            return Err(FieldError::new(ErrorCode::Json, "the record is not a JSON object").into());
        }
        let from = match record.get(field) {
            Some(Value::String(s)) => s.as_str(),
            None if self.applies_to == AppliesTo::Lead => crate::domain::NEW_STAGE,
            _ => {
                return Err(FieldError::new(
                    ErrorCode::StageUnknown,
                    format!("the record has no `{field}` text to move from"),
                )
                .at(field)
                .into());
            }
        };
        let t = self
            .check(from, to, record, ctx)
            .map_err(|e| relocate_from(e, field))?;
        let mut after = record.clone();
        if let Value::Object(map) = &mut after {
            map.insert(field.to_owned(), Value::String(to.to_owned()));
            if map.contains_key("updated_at") {
                map.insert(
                    "updated_at".to_owned(),
                    serde_json::to_value(ctx.now).unwrap_or(Value::Null),
                );
            }
        }
        Ok((after, t))
    }

    /// Moves a lead: the copy has the new `stage` and `updated_at = now`; the `version` is
    /// unchanged (the store increases it when it saves). The pipeline must apply to leads.
    ///
    /// ```
    /// use crm_core::domain::{Contact, Lead, LeadId};
    /// use crm_core::workflow::{Pipeline, TransitionContext};
    /// use chrono::{TimeZone, Utc};
    /// let at = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();
    /// let lead = Lead::new(LeadId::from_parts(1, [1; 10]), Contact::new("Ana"), at);
    /// let now = Utc.with_ymd_and_hms(2026, 11, 26, 13, 0, 0).unwrap();
    /// let p = Pipeline::default_sales().unwrap();
    /// let (moved, t) = p.transition_lead(&lead, "contacted", &TransitionContext::at(now)).unwrap();
    /// assert_eq!((moved.stage.as_str(), moved.updated_at, moved.version), ("contacted", now, 0));
    /// assert_eq!(t.from, "new");
    /// ```
    pub fn transition_lead(
        &self,
        lead: &Lead,
        to: &str,
        ctx: &TransitionContext,
    ) -> Result<(Lead, Transition), Error> {
        self.require(AppliesTo::Lead)?;
        let record = to_json(lead)?;
        let t = self
            .check(&lead.stage, to, &record, ctx)
            .map_err(|e| relocate_from(e, "stage"))?;
        let mut moved = lead.clone();
        moved.stage = to.to_owned();
        moved.updated_at = ctx.now;
        Ok((moved, t))
    }

    /// Moves a deal: the stage keys are `DealStatus` names (`proposal`, `accepted`, `closed`,
    /// `rejected`, `cancelled`). The copy has the new `status`, `updated_at = now` and, when
    /// not yet set, the date its status needs (`accepted_on`, `closed_on` or `cancelled_on`,
    /// `now`'s date in America/Sao_Paulo); the `version` is unchanged.
    ///
    /// ```
    /// use crm_core::domain::*;
    /// use crm_core::{Money, workflow::{Pipeline, TransitionContext}};
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// let p = Pipeline::from_json(r#"{"id": "deals", "applies_to": "deal",
    ///   "stages": [{"key": "proposal", "kind": "open"}, {"key": "accepted", "kind": "open"},
    ///              {"key": "closed", "kind": "won"}, {"key": "rejected", "kind": "lost"}],
    ///   "transitions": [{"from": "proposal", "to": "accepted"},
    ///                   {"from": "accepted", "to": "closed", "guards": [{"type": "proposal_accepted"}]},
    ///                   {"from": "*", "to": "rejected", "guards": [{"type": "has_reason"}]}]}"#).unwrap();
    /// let at = Utc.with_ymd_and_hms(2026, 11, 2, 12, 0, 0).unwrap();
    /// let day = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    /// let deal = Deal::new(DealId::from_parts(1, [3; 10]), LeadId::from_parts(1, [1; 10]),
    ///     PropertyId::from_parts(1, [2; 10]), DealKind::Sale, Money::brl(780000.into()), day, at);
    /// let now = Utc.with_ymd_and_hms(2026, 11, 27, 2, 0, 0).unwrap(); // 26 Nov, 23:00 in São Paulo
    /// let (deal, _) = p.transition_deal(&deal, "accepted", &TransitionContext::at(now)).unwrap();
    /// assert_eq!(deal.status, DealStatus::Accepted);
    /// assert_eq!(deal.accepted_on, NaiveDate::from_ymd_opt(2026, 11, 26));
    /// let (deal, t) = p.transition_deal(&deal, "closed", &TransitionContext::at(now)).unwrap();
    /// assert_eq!((deal.status, t.kind), (DealStatus::Closed, crm_core::workflow::StageKind::Won));
    /// ```
    pub fn transition_deal(
        &self,
        deal: &Deal,
        to: &str,
        ctx: &TransitionContext,
    ) -> Result<(Deal, Transition), Error> {
        self.require(AppliesTo::Deal)?;
        let record = to_json(deal)?;
        let from = record
            .get("status")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let status: DealStatus =
            serde_json::from_value(Value::String(to.to_owned())).map_err(|_| {
                FieldError::new(
                    ErrorCode::StageUnknown,
                    format!("`{to}` is not a deal status (proposal, accepted, closed, rejected, cancelled)"),
                )
                .at("to")
            })?;
        let t = self
            .check(from, to, &record, ctx)
            .map_err(|e| relocate_from(e, "status"))?;
        let mut moved = deal.clone();
        let today = local_date(ctx.now);
        moved.status = status;
        moved.updated_at = ctx.now;
        match status {
            DealStatus::Accepted => {
                moved.accepted_on.get_or_insert(today);
            }
            DealStatus::Closed => {
                moved.accepted_on.get_or_insert(today);
                moved.closed_on.get_or_insert(today);
            }
            DealStatus::Rejected | DealStatus::Cancelled => {
                moved.cancelled_on.get_or_insert(today);
            }
            DealStatus::Proposal => {}
        }
        Ok((moved, t))
    }

    fn require(&self, kind: AppliesTo) -> Result<(), Error> {
        if self.applies_to == kind {
            return Ok(());
        }
        Err(FieldError::new(
            ErrorCode::StageUnknown,
            format!(
                "pipeline `{}` applies to {:?} records, not {kind:?}",
                self.id, self.applies_to
            ),
        )
        .at("applies_to")
        .into())
    }

    /// Every problem with the pipeline, each with its path: a blank id (`id`), blank,
    /// badly written or repeated stage keys (`stages[i].key`), no open, won or lost stage
    /// (`stages`), transitions naming unknown stages (`transitions[i].from`/`.to`), repeated
    /// or self moves (`transitions[i]`), moves out of won or lost without `reopen`
    /// (`transitions[i].from`), invalid condition guards (`transitions[i].guards[j]…`), and
    /// stages no move reaches from the first (`stages[i]`).
    ///
    /// ```
    /// use crm_core::{ErrorCode, workflow::Pipeline};
    /// let p: Pipeline = serde_json::from_str(r#"{"id": "p",
    ///   "stages": [{"key": "new", "kind": "open"}, {"key": "won", "kind": "won"}, {"key": "lost", "kind": "lost"}],
    ///   "transitions": [{"from": "new", "to": "won"}, {"from": "won", "to": "new"}, {"from": "new", "to": "gone"}]}"#).unwrap();
    /// let errors = p.validate().unwrap_err();
    /// assert!(errors.contains("transitions[1].from", ErrorCode::PipelineTerminalExit));
    /// assert!(errors.contains("transitions[2].to", ErrorCode::PipelineUnknownStage));
    /// assert!(errors.contains("stages[2]", ErrorCode::PipelineUnreachable));
    /// ```
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        errors.ensure(
            !self.id.trim().is_empty(),
            "id",
            ErrorCode::PipelineId,
            "give the pipeline an id",
        );
        let mut seen = BTreeSet::new();
        for (i, s) in self.stages.iter().enumerate() {
            let path = format!("stages[{i}].key");
            if !is_key(&s.key) {
                errors.push(
                    FieldError::new(
                        ErrorCode::PipelineStageKey,
                        format!(
                            "`{}` is not a stage key (lower-case letters, digits and `_`)",
                            s.key
                        ),
                    )
                    .at(&path),
                );
            } else if !seen.insert(s.key.as_str()) {
                errors.push(
                    FieldError::new(
                        ErrorCode::PipelineStageDuplicate,
                        format!("stage `{}` is defined twice", s.key),
                    )
                    .at(&path),
                );
            }
        }
        for kind in [StageKind::Open, StageKind::Won, StageKind::Lost] {
            errors.ensure_with(
                self.stages.iter().any(|s| s.kind == kind),
                "stages",
                ErrorCode::PipelineTerminalMissing,
                || format!("the pipeline needs at least one {kind:?} stage").to_lowercase(),
            );
        }
        let mut moves = BTreeSet::new();
        for (i, t) in self.transitions.iter().enumerate() {
            let path = format!("transitions[{i}]");
            let from = self.stage(&t.from);
            if t.from != ANY_STAGE && from.is_none() {
                errors.push(
                    FieldError::new(
                        ErrorCode::PipelineUnknownStage,
                        format!("`{}` is not a stage of this pipeline", t.from),
                    )
                    .at(&format!("{path}.from")),
                );
            }
            if self.stage(&t.to).is_none() {
                errors.push(
                    FieldError::new(
                        ErrorCode::PipelineUnknownStage,
                        format!("`{}` is not a stage of this pipeline", t.to),
                    )
                    .at(&format!("{path}.to")),
                );
            }
            if t.from == t.to || !moves.insert((t.from.as_str(), t.to.as_str())) {
                errors.push(
                    FieldError::new(
                        ErrorCode::PipelineTransitionDuplicate,
                        format!(
                            "the move `{}` → `{}` is repeated or goes nowhere",
                            t.from, t.to
                        ),
                    )
                    .at(&path),
                );
            }
            if from.is_some_and(|s| s.kind != StageKind::Open) && !t.reopen {
                errors.push(
                    FieldError::new(
                        ErrorCode::PipelineTerminalExit,
                        format!(
                            "`{}` is a won or lost stage; leaving it needs `\"reopen\": true`",
                            t.from
                        ),
                    )
                    .at(&format!("{path}.from")),
                );
            }
            for (j, g) in t.guards.iter().enumerate() {
                if let Guard::Condition {
                    condition, code, ..
                } = g
                {
                    let gpath = format!("{path}.guards[{j}]");
                    if let Err(e) = condition.validate() {
                        errors.extend_at(&format!("{gpath}.condition"), e);
                    }
                    if code.as_deref().is_some_and(|c| c.trim().is_empty()) {
                        errors.push(
                            FieldError::new(ErrorCode::PipelineGuard, "a guard code is blank")
                                .at(&format!("{gpath}.code")),
                        );
                    }
                }
            }
        }
        for (i, s) in self.reachability().iter().enumerate() {
            if !s {
                let key = self.stages.get(i).map_or("", |s| s.key.as_str());
                errors.push(
                    FieldError::new(
                        ErrorCode::PipelineUnreachable,
                        format!("no move reaches stage `{key}` from the first stage"),
                    )
                    .at(&format!("stages[{i}]")),
                );
            }
        }
        errors.into_result()
    }

    /// For each stage, whether it is reachable from the first (the first always is).
    fn reachability(&self) -> Vec<bool> {
        let mut reached: BTreeSet<&str> = BTreeSet::new();
        let mut stack: Vec<&Stage> = Vec::new();
        if let Some(first) = self.stages.first() {
            reached.insert(first.key.as_str());
            stack.push(first);
        }
        while let Some(stage) = stack.pop() {
            for t in &self.transitions {
                let from_here =
                    t.from == stage.key || (t.from == ANY_STAGE && stage.kind == StageKind::Open);
                if from_here && !reached.contains(t.to.as_str()) {
                    if let Some(next) = self.stage(&t.to) {
                        reached.insert(next.key.as_str());
                        stack.push(next);
                    }
                }
            }
        }
        self.stages
            .iter()
            .map(|s| reached.contains(s.key.as_str()))
            .collect()
    }
}

fn is_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn unknown_stage(pipeline: &str, key: &str, path: &str) -> FieldError {
    FieldError::new(
        ErrorCode::StageUnknown,
        format!("`{key}` is not a stage of pipeline `{pipeline}`"),
    )
    .at(path)
}

/// An unknown current stage is reported at the record's stage field, not at `from`.
fn relocate_from(e: Error, field: &str) -> Error {
    match e {
        Error::Invalid(mut fe) if fe.code == ErrorCode::StageUnknown && fe.path == "from" => {
            fe.path = field.to_owned();
            Error::Invalid(fe)
        }
        other => other,
    }
}

fn to_json<T: Serialize>(record: &T) -> Result<Value, Error> {
    serde_json::to_value(record).map_err(|e| FieldError::new(ErrorCode::Json, e.to_string()).into())
}

fn local_date(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&chrono_tz::America::Sao_Paulo)
        .date_naive()
}

#[cfg(test)]
#[path = "pipeline_tests.rs"]
mod tests;
