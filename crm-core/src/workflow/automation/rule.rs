//! Automation rules as data: a trigger, conditions on the record before and after the change,
//! and ordered actions (intents).

use crate::domain::ActivityKind;
use crate::workflow::condition::Condition;
use crate::workflow::intent::Intent;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How long after a date field a time trigger fires.
///
/// JSON: `{"business_days": 3}`, `{"business_minutes": 90}`, `{"days": 2}`, `{"hours": 24}` or
/// `{"minutes": 30}`. Business offsets need a business calendar at evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Offset {
    /// Business days (the same local time on the n-th business day, see the calendar).
    BusinessDays(u32),
    /// Business minutes (working hours only).
    BusinessMinutes(u32),
    /// Calendar days of 24 hours.
    Days(u32),
    /// Hours.
    Hours(u32),
    /// Minutes.
    Minutes(u32),
}

impl Offset {
    /// The offset in minutes of calendar time, `None` for business offsets.
    ///
    /// ```
    /// use crm_core::workflow::Offset;
    /// assert_eq!(Offset::Hours(24).calendar_minutes(), Some(1440));
    /// assert_eq!(Offset::BusinessDays(3).calendar_minutes(), None);
    /// ```
    pub fn calendar_minutes(self) -> Option<i64> {
        match self {
            Offset::Days(d) => Some(i64::from(d) * 24 * 60),
            Offset::Hours(h) => Some(i64::from(h) * 60),
            Offset::Minutes(m) => Some(i64::from(m)),
            Offset::BusinessDays(_) | Offset::BusinessMinutes(_) => None,
        }
    }

    /// Whether the offset is zero.
    ///
    /// ```
    /// assert!(crm_core::workflow::Offset::Minutes(0).is_zero());
    /// ```
    pub fn is_zero(self) -> bool {
        matches!(
            self,
            Offset::BusinessDays(0)
                | Offset::BusinessMinutes(0)
                | Offset::Days(0)
                | Offset::Hours(0)
                | Offset::Minutes(0)
        )
    }
}

impl fmt::Display for Offset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Offset::BusinessDays(n) => write!(f, "{n} business days"),
            Offset::BusinessMinutes(n) => write!(f, "{n} business minutes"),
            Offset::Days(n) => write!(f, "{n} days"),
            Offset::Hours(n) => write!(f, "{n} hours"),
            Offset::Minutes(n) => write!(f, "{n} minutes"),
        }
    }
}

/// What starts a rule.
///
/// ```
/// use crm_core::workflow::{Offset, Trigger};
/// let t: Trigger = serde_json::from_str(
///     r#"{"type": "time_after", "field": "last_visit_at", "offset": {"business_days": 3}}"#).unwrap();
/// assert_eq!(t, Trigger::TimeAfter { field: "last_visit_at".into(), offset: Offset::BusinessDays(3) });
/// assert_eq!(t.to_string(), "3 business days after last_visit_at");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Trigger {
    /// A lead was created.
    LeadCreated,
    /// The record moved between pipeline stages (either end may be left open).
    StageChanged {
        /// The stage left.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        /// The stage reached.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<String>,
    },
    /// A field (dotted path) has a different value after the change than before, on any
    /// event that carries both records.
    FieldChanged {
        /// The dotted path of the field.
        field: String,
    },
    /// An activity was recorded (of one of `kinds`; any kind when empty).
    ActivityRecorded {
        /// The activity kinds.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        kinds: Vec<ActivityKind>,
    },
    /// The score band changed (either end may be left open).
    ScoreBandChanged {
        /// The band left.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        /// The band reached.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<String>,
    },
    /// Time passed: `offset` after the instant in `field` (checked on `tick` events).
    TimeAfter {
        /// The dotted path of an RFC 3339 instant or a `YYYY-MM-DD` date (midnight in
        /// America/Sao_Paulo).
        field: String,
        /// How long after.
        offset: Offset,
    },
    /// An SLA was breached (the named one, or any).
    SlaBreached {
        /// The SLA's id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sla: Option<String>,
    },
}

impl fmt::Display for Trigger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let end = |o: &Option<String>| o.clone().unwrap_or_else(|| "any".to_owned());
        match self {
            Trigger::LeadCreated => f.write_str("lead created"),
            Trigger::StageChanged { from, to } => {
                write!(f, "stage changed from {} to {}", end(from), end(to))
            }
            Trigger::FieldChanged { field } => write!(f, "{field} changed"),
            Trigger::ActivityRecorded { kinds } if kinds.is_empty() => {
                f.write_str("any activity recorded")
            }
            Trigger::ActivityRecorded { kinds } => {
                let names: Vec<String> = kinds.iter().map(|k| activity_name(*k)).collect();
                write!(f, "activity recorded: {}", names.join(" or "))
            }
            Trigger::ScoreBandChanged { from, to } => {
                write!(f, "score band changed from {} to {}", end(from), end(to))
            }
            Trigger::TimeAfter { field, offset } => write!(f, "{offset} after {field}"),
            Trigger::SlaBreached { sla } => write!(f, "SLA {} breached", end(sla)),
        }
    }
}

/// The kind's JSON name (`visit_done`).
pub(super) fn activity_name(kind: ActivityKind) -> String {
    match serde_json::to_value(kind) {
        Ok(serde_json::Value::String(s)) => s,
        _ => format!("{kind:?}"),
    }
}

/// Conditions on the record before the change and after it; an absent one always holds. A
/// `before` condition fails on an event without a before record (a created lead).
///
/// ```
/// use crm_core::workflow::Conditions;
/// let c: Conditions = serde_json::from_str(r#"{"after": {"field": "stage", "op": "eq", "value": "won"}}"#).unwrap();
/// assert!(c.before.is_none() && c.after.is_some());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conditions {
    /// On the record before the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Condition>,
    /// On the record after the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Condition>,
}

/// One automation rule.
///
/// ```
/// use crm_core::workflow::{Intent, Rule};
/// let r: Rule = serde_json::from_str(r#"{
///   "id": "welcome", "name": "Boas-vindas",
///   "trigger": {"type": "lead_created"},
///   "conditions": {"after": {"field": "source.type", "op": "eq", "value": "portal"}},
///   "actions": [{"type": "notify", "to": {"type": "lead"}, "template": "welcome"}]
/// }"#).unwrap();
/// assert!(r.enabled);
/// assert!(matches!(r.actions[0], Intent::Notify { .. }));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The rule's id, unique in its set.
    pub id: String,
    /// A name for people.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Whether the rule runs (default true).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// What starts it.
    pub trigger: Trigger,
    /// What must hold before and after the change.
    #[serde(default)]
    pub conditions: Conditions,
    /// What to ask the host to do, in order.
    pub actions: Vec<Intent>,
}

fn yes() -> bool {
    true
}
