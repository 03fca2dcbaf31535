//! Automation rules as data: a [`Trigger`], [`Conditions`] on the record before and after the
//! change (all/any/not over typed field comparisons, see
//! [`Condition`](crate::workflow::Condition)), and ordered actions
//! ([`Intent`](crate::workflow::Intent)s). [`evaluate`] returns the rules an [`Event`] fires
//! with their intents, and a trace of why every rule fired or did not.
//!
//! Loops: [`RuleSet::new`] refuses rule sets whose actions can trigger their own rule,
//! directly or through other rules (`validation.automation.loop`, see [`find_loops`]); and
//! evaluation refuses to fire anything for an event at the chain depth limit
//! ([`EvalContext::max_depth`]), which bounds chains even for unvalidated rules.
//!
//! ```
//! use crm_core::workflow::{EvalContext, Event, Intent, RuleSet};
//! use crm_core::domain::{Contact, Lead, LeadId};
//! use chrono::{TimeZone, Utc};
//! let rules = RuleSet::from_json(r#"[{
//!   "id": "proposal_follow_up", "name": "Acompanhar proposta",
//!   "trigger": {"type": "stage_changed", "to": "proposal"},
//!   "conditions": {"before": {"field": "stage", "op": "in", "values": ["visit_scheduled", "visit_done"]}},
//!   "actions": [{"type": "create_task", "title": "Ligar sobre a proposta"}]
//! }]"#).unwrap();
//! let at = Utc.with_ymd_and_hms(2026, 11, 26, 13, 0, 0).unwrap();
//! let mut before = Lead::new(LeadId::from_parts(1, [1; 10]), Contact::new("Ana"), at);
//! before.stage = "visit_done".into();
//! let mut after = before.clone();
//! after.stage = "proposal".into();
//! let ev = rules.evaluate(&Event::stage_changed(&before, &after, at), &EvalContext::at(at));
//! assert_eq!(ev.fired_ids(), ["proposal_follow_up"]);
//! assert!(matches!(ev.fired[0].intents[0], Intent::CreateTask { .. }));
//! ```

mod evaluate;
mod event;
mod rule;
mod validate;

pub use evaluate::{
    EvalContext, Evaluation, Fired, MAX_CHAIN_DEPTH, Side, TraceEntry, Why, evaluate,
};
pub use event::{Event, EventKind};
pub use rule::{Conditions, Offset, Rule, Trigger};
pub use validate::{MAX_OFFSET_DAYS, find_loops};

use crate::error::{Error, ValidationErrors};
use serde::Serialize;

/// A validated list of rules, evaluated in order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct RuleSet {
    rules: Vec<Rule>,
}

impl RuleSet {
    /// Validates `rules` and keeps them: every problem with its path (`[2].trigger.field`):
    /// blank or repeated ids, invalid triggers, conditions and actions, `before` conditions on
    /// triggers without a before record, and loops among the enabled rules
    /// (`validation.automation.loop` at the first rule of each cycle, naming every rule in it).
    ///
    /// ```
    /// use crm_core::{ErrorCode, workflow::{Rule, RuleSet}};
    /// let rules: Vec<Rule> = serde_json::from_str(r#"[{"id": "r", "trigger": {"type": "stage_changed"},
    ///   "actions": [{"type": "move_stage", "to": "contacted"}]}]"#).unwrap();
    /// let errors = RuleSet::new(rules).unwrap_err();
    /// assert!(errors.contains("[0]", ErrorCode::AutomationLoop));
    /// ```
    pub fn new(rules: Vec<Rule>) -> Result<RuleSet, ValidationErrors> {
        validate::check_rules(&rules).into_result()?;
        Ok(RuleSet { rules })
    }

    /// Reads a JSON array of rules and validates it ([`RuleSet::new`]).
    ///
    /// ```
    /// let err = crm_core::workflow::RuleSet::from_json(r#"[{"id": "x"}]"#).unwrap_err();
    /// assert_eq!(err.code().as_str(), "input.json");
    /// ```
    pub fn from_json(json: &str) -> Result<RuleSet, Error> {
        let rules: Vec<Rule> = crate::domain::from_json(json)?;
        Ok(RuleSet::new(rules)?)
    }

    /// The rules, in order.
    ///
    /// ```
    /// assert!(crm_core::workflow::RuleSet::default().rules().is_empty());
    /// ```
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Evaluates an event against the rules ([`evaluate`]).
    ///
    /// ```
    /// use crm_core::workflow::{EvalContext, Event, RuleSet};
    /// use chrono::{TimeZone, Utc};
    /// let at = Utc.with_ymd_and_hms(2026, 11, 26, 13, 0, 0).unwrap();
    /// let e = Event::tick(serde_json::json!({}), None, at);
    /// assert!(RuleSet::default().evaluate(&e, &EvalContext::at(at)).trace.is_empty());
    /// ```
    pub fn evaluate(&self, event: &Event, ctx: &EvalContext<'_>) -> Evaluation {
        evaluate(event, &self.rules, ctx)
    }
}

#[cfg(test)]
mod tests;
