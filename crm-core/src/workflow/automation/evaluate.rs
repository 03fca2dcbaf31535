//! Evaluation: which rules an event fires, their intents, and why every rule did or did not.

use super::event::{Event, EventKind};
use super::rule::{Offset, Rule, Trigger};
use crate::error::ErrorCode;
use crate::workflow::calendar::BusinessCalendar;
use crate::workflow::condition::{Condition, compare, lookup};
use crate::workflow::intent::Intent;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::cmp::Ordering;
use std::fmt;

/// How deep a chain of rule-caused events may go by default: an event caused by a rule's
/// intent has depth 1, the one it causes depth 2, …; at this depth nothing fires.
pub const MAX_CHAIN_DEPTH: u32 = 4;

/// What evaluation needs besides the event and the rules.
///
/// ```
/// use crm_core::workflow::EvalContext;
/// use crm_core::workflow::calendar::BusinessCalendar;
/// use chrono::{TimeZone, Utc};
/// let cal = BusinessCalendar::sao_paulo();
/// let ctx = EvalContext::at(Utc.with_ymd_and_hms(2026, 11, 26, 13, 0, 0).unwrap()).with_calendar(&cal);
/// assert_eq!((ctx.depth, ctx.max_depth), (0, 4));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct EvalContext<'a> {
    /// Now: when time triggers are checked.
    pub now: DateTime<Utc>,
    /// The business calendar for business-time offsets.
    pub calendar: Option<&'a BusinessCalendar>,
    /// How many rule-caused events led to this one (0: it came from outside).
    pub depth: u32,
    /// At this depth nothing fires ([`MAX_CHAIN_DEPTH`] by default).
    pub max_depth: u32,
}

impl<'a> EvalContext<'a> {
    /// A context at `now`, no calendar, depth 0.
    ///
    /// ```
    /// use crm_core::workflow::EvalContext;
    /// use chrono::{TimeZone, Utc};
    /// assert!(EvalContext::at(Utc.with_ymd_and_hms(2026, 11, 26, 13, 0, 0).unwrap()).calendar.is_none());
    /// ```
    pub fn at(now: DateTime<Utc>) -> Self {
        Self {
            now,
            calendar: None,
            depth: 0,
            max_depth: MAX_CHAIN_DEPTH,
        }
    }

    /// The same context with a business calendar (see [`EvalContext`]'s example).
    #[must_use]
    pub fn with_calendar(mut self, calendar: &'a BusinessCalendar) -> Self {
        self.calendar = Some(calendar);
        self
    }

    /// The same context for an event caused by a rule fired at this depth.
    ///
    /// ```
    /// use crm_core::workflow::EvalContext;
    /// use chrono::{TimeZone, Utc};
    /// let ctx = EvalContext::at(Utc.with_ymd_and_hms(2026, 11, 26, 13, 0, 0).unwrap());
    /// assert_eq!(ctx.chained().chained().depth, 2);
    /// ```
    #[must_use]
    pub fn chained(mut self) -> Self {
        self.depth = self.depth.saturating_add(1);
        self
    }
}

/// Which record a condition looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The record before the change.
    Before,
    /// The record after the change.
    After,
}

/// Why a rule fired or did not.
///
/// ```
/// use crm_core::workflow::{Side, Why};
/// let why = Why::ConditionFailed { side: Side::Before, path: "all[1]".into(), field: Some("stage".into()) };
/// assert_eq!(why.to_string(), "condition before failed at all[1] (field stage)");
/// assert_eq!(serde_json::to_value(&why).unwrap()["reason"], "condition_failed");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Why {
    /// It fired: trigger matched and conditions held (`due_at` for time triggers).
    Fired {
        /// When a time trigger became due.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due_at: Option<DateTime<Utc>>,
    },
    /// The rule is disabled.
    Disabled,
    /// The event is too deep in a chain of rule-caused events.
    DepthLimit {
        /// The event's depth.
        depth: u32,
        /// The limit.
        max: u32,
    },
    /// The trigger does not match the event.
    TriggerMismatch {
        /// The trigger, in words.
        expected: String,
        /// The event, in words.
        got: String,
    },
    /// A `before` condition on an event with no before record.
    NoBeforeRecord,
    /// A condition failed.
    ConditionFailed {
        /// Before or after.
        side: Side,
        /// Where in the condition (`all[1]`, `any`, `not`, empty for a bare test).
        path: String,
        /// The field of the failing test, when a test failed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        field: Option<String>,
    },
    /// A time trigger's field is missing or not an instant or date.
    NotATime {
        /// The field.
        field: String,
    },
    /// A time trigger is not due yet.
    NotDue {
        /// When it will be.
        due_at: DateTime<Utc>,
    },
    /// A time trigger was already due at the previous check (it fired then).
    AlreadyDue {
        /// When it became due.
        due_at: DateTime<Utc>,
    },
    /// A business-time offset with no business calendar in the context.
    NoCalendar,
    /// The calendar could not compute the due time.
    Calendar {
        /// The calendar's error code.
        code: ErrorCode,
        /// Its message.
        message: String,
    },
}

impl fmt::Display for Why {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Why::Fired { due_at: Some(d) } => write!(f, "fired (due at {d})"),
            Why::Fired { due_at: None } => f.write_str("fired"),
            Why::Disabled => f.write_str("rule is disabled"),
            Why::DepthLimit { depth, max } => {
                write!(f, "event depth {depth} reached the chain limit {max}")
            }
            Why::TriggerMismatch { expected, got } => {
                write!(f, "trigger did not match: expected {expected}, got {got}")
            }
            Why::NoBeforeRecord => f.write_str("condition before needs a before record"),
            Why::ConditionFailed { side, path, field } => {
                let side = match side {
                    Side::Before => "before",
                    Side::After => "after",
                };
                let at = if path.is_empty() { "the root" } else { path };
                write!(f, "condition {side} failed at {at}")?;
                match field {
                    Some(field) => write!(f, " (field {field})"),
                    None => Ok(()),
                }
            }
            Why::NotATime { field } => write!(f, "{field} is not a date or instant"),
            Why::NotDue { due_at } => write!(f, "not due until {due_at}"),
            Why::AlreadyDue { due_at } => {
                write!(f, "already due at {due_at}, before the previous check")
            }
            Why::NoCalendar => f.write_str("a business-time offset needs a business calendar"),
            Why::Calendar { code, message } => write!(f, "calendar: {message} ({code})"),
        }
    }
}

/// A rule that fired and the intents it asks for, in its order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fired {
    /// The rule's id.
    pub rule_id: String,
    /// Its actions.
    pub intents: Vec<Intent>,
    /// When a time trigger became due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_at: Option<DateTime<Utc>>,
}

/// Whether one rule fired, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceEntry {
    /// The rule's id.
    pub rule_id: String,
    /// Whether it fired.
    pub fired: bool,
    /// Why.
    pub why: Why,
}

/// The rules an event fired, in rule order, and a trace entry for every rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// The rules that fired.
    pub fired: Vec<Fired>,
    /// One entry per rule, in rule order.
    pub trace: Vec<TraceEntry>,
}

impl Evaluation {
    /// Every intent, with the id of the rule that asked for it, in order.
    ///
    /// ```
    /// use crm_core::workflow::{EvalContext, Event, EventKind, Rule, evaluate};
    /// use chrono::{TimeZone, Utc};
    /// let rules: Vec<Rule> = serde_json::from_str(r#"[{"id": "r", "trigger": {"type": "lead_created"},
    ///   "actions": [{"type": "route"}, {"type": "add_tag", "tag": "novo"}]}]"#).unwrap();
    /// let at = Utc.with_ymd_and_hms(2026, 11, 26, 13, 0, 0).unwrap();
    /// let e = Event::new(EventKind::LeadCreated, None, serde_json::json!({}), at);
    /// let ev = evaluate(&e, &rules, &EvalContext::at(at));
    /// assert_eq!(ev.intents().count(), 2);
    /// ```
    pub fn intents(&self) -> impl Iterator<Item = (&str, &Intent)> {
        self.fired
            .iter()
            .flat_map(|f| f.intents.iter().map(move |i| (f.rule_id.as_str(), i)))
    }

    /// The ids of the rules that fired.
    ///
    /// ```
    /// use crm_core::workflow::{EvalContext, Event, EventKind, Rule, evaluate};
    /// use chrono::{TimeZone, Utc};
    /// let rules: Vec<Rule> = serde_json::from_str(r#"[{"id": "r", "trigger": {"type": "lead_created"},
    ///   "actions": [{"type": "route"}, {"type": "add_tag", "tag": "novo"}]}]"#).unwrap();
    /// let at = Utc.with_ymd_and_hms(2026, 11, 26, 13, 0, 0).unwrap();
    /// let e = Event::new(EventKind::LeadCreated, None, serde_json::json!({}), at);
    /// let ev = evaluate(&e, &rules, &EvalContext::at(at));
    /// assert_eq!(ev.fired_ids(), ["r"]);
    /// ```
    pub fn fired_ids(&self) -> Vec<&str> {
        self.fired.iter().map(|f| f.rule_id.as_str()).collect()
    }
}

/// Evaluates `event` against `rules` (in order). Deterministic; never fails: a rule that
/// cannot be decided (a time field that is not a date, no calendar) does not fire and its
/// trace says why. Rules need not be validated, but load them through
/// [`RuleSet`](super::RuleSet) to catch mistakes and loops.
///
/// ```
/// use crm_core::workflow::{EvalContext, Event, EventKind, Rule, evaluate};
/// use chrono::{TimeZone, Utc};
/// use serde_json::json;
/// let rules: Vec<Rule> = serde_json::from_value(json!([{
///   "id": "won_thanks", "trigger": {"type": "stage_changed", "to": "won"},
///   "actions": [{"type": "notify", "to": {"type": "lead"}, "template": "obrigado"}]}])).unwrap();
/// let at = Utc.with_ymd_and_hms(2026, 11, 26, 13, 0, 0).unwrap();
/// let e = Event::new(EventKind::StageChanged { from: "proposal".into(), to: "visit_scheduled".into() },
///     Some(json!({"stage": "proposal"})), json!({"stage": "visit_scheduled"}), at);
/// let ev = evaluate(&e, &rules, &EvalContext::at(at));
/// assert!(ev.fired.is_empty());
/// assert_eq!(ev.trace[0].why.to_string(),
///     "trigger did not match: expected stage changed from any to won, got stage changed from proposal to visit_scheduled");
/// ```
pub fn evaluate(event: &Event, rules: &[Rule], ctx: &EvalContext<'_>) -> Evaluation {
    let mut out = Evaluation::default();
    for rule in rules {
        let why = decide(rule, event, ctx);
        let fired = matches!(why, Why::Fired { .. });
        if let Why::Fired { due_at } = &why {
            out.fired.push(Fired {
                rule_id: rule.id.clone(),
                intents: rule.actions.clone(),
                due_at: *due_at,
            });
        }
        out.trace.push(TraceEntry {
            rule_id: rule.id.clone(),
            fired,
            why,
        });
    }
    out
}

fn decide(rule: &Rule, event: &Event, ctx: &EvalContext<'_>) -> Why {
    if !rule.enabled {
        return Why::Disabled;
    }
    if ctx.depth >= ctx.max_depth {
        return Why::DepthLimit {
            depth: ctx.depth,
            max: ctx.max_depth,
        };
    }
    let due_at = match trigger_matches(&rule.trigger, event, ctx) {
        Ok(due) => due,
        Err(why) => return why,
    };
    if let Some(c) = &rule.conditions.before {
        let Some(before) = &event.before else {
            return Why::NoBeforeRecord;
        };
        if let Some((path, field)) = failing(c, before, 0) {
            return Why::ConditionFailed {
                side: Side::Before,
                path,
                field,
            };
        }
    }
    if let Some(c) = &rule.conditions.after {
        if let Some((path, field)) = failing(c, &event.after, 0) {
            return Why::ConditionFailed {
                side: Side::After,
                path,
                field,
            };
        }
    }
    Why::Fired { due_at }
}

/// `Ok(due_at)` when the trigger matches (a due time for time triggers), the reason otherwise.
fn trigger_matches(
    trigger: &Trigger,
    event: &Event,
    ctx: &EvalContext<'_>,
) -> Result<Option<DateTime<Utc>>, Why> {
    let mismatch = || Why::TriggerMismatch {
        expected: trigger.to_string(),
        got: event.kind.to_string(),
    };
    let end_ok = |want: &Option<String>, got: &str| want.as_deref().is_none_or(|w| w == got);
    match (trigger, &event.kind) {
        (Trigger::LeadCreated, EventKind::LeadCreated) => Ok(None),
        (Trigger::StageChanged { from, to }, EventKind::StageChanged { from: f, to: t })
            if end_ok(from, f) && end_ok(to, t) =>
        {
            Ok(None)
        }
        (Trigger::FieldChanged { field }, _) => {
            let changed = event.before.as_ref().is_some_and(|before| {
                let (a, b) = (lookup(before, field), lookup(&event.after, field));
                match (a, b) {
                    (Some(a), Some(b)) => compare(a, b) != Some(Ordering::Equal) && a != b,
                    (None, None) => false,
                    (Some(v), None) | (None, Some(v)) => !v.is_null(),
                }
            });
            if changed {
                Ok(None)
            } else {
                Err(Why::TriggerMismatch {
                    expected: trigger.to_string(),
                    got: format!("{} with {field} unchanged", event.kind),
                })
            }
        }
        (Trigger::ActivityRecorded { kinds }, EventKind::ActivityRecorded { kind })
            if kinds.is_empty() || kinds.contains(kind) =>
        {
            Ok(None)
        }
        (
            Trigger::ScoreBandChanged { from, to },
            EventKind::ScoreBandChanged { from: f, to: t },
        ) if from.as_deref().is_none_or(|w| Some(w) == f.as_deref()) && end_ok(to, t) => Ok(None),
        (Trigger::TimeAfter { field, offset }, EventKind::Tick { since }) => {
            let start = lookup(&event.after, field)
                .and_then(as_instant)
                .ok_or_else(|| Why::NotATime {
                    field: field.clone(),
                })?;
            let due = due_at(start, *offset, ctx)?;
            if due > ctx.now {
                Err(Why::NotDue { due_at: due })
            } else if since.is_some_and(|s| due <= s) {
                Err(Why::AlreadyDue { due_at: due })
            } else {
                Ok(Some(due))
            }
        }
        (Trigger::SlaBreached { sla }, EventKind::SlaBreached { sla: s }) if end_ok(sla, s) => {
            Ok(None)
        }
        _ => Err(mismatch()),
    }
}

fn due_at(
    start: DateTime<Utc>,
    offset: Offset,
    ctx: &EvalContext<'_>,
) -> Result<DateTime<Utc>, Why> {
    if let Some(minutes) = offset.calendar_minutes() {
        return start
            .checked_add_signed(chrono::Duration::minutes(minutes))
            .ok_or(Why::Calendar {
                code: ErrorCode::CalendarTooFar,
                message: "the due time is out of the supported dates".to_owned(),
            });
    }
    let calendar = ctx.calendar.ok_or(Why::NoCalendar)?;
    let result = match offset {
        Offset::BusinessDays(d) => calendar.add_business_days(start, d),
        Offset::BusinessMinutes(m) => calendar.add_business_minutes(start, m),
        Offset::Days(_) | Offset::Hours(_) | Offset::Minutes(_) => Ok(start),
    };
    result.map_err(|e| Why::Calendar {
        code: e.code(),
        message: e.to_string(),
    })
}

/// An RFC 3339 instant, or a `YYYY-MM-DD` date as midnight in America/Sao_Paulo.
fn as_instant(v: &Value) -> Option<DateTime<Utc>> {
    let s = v.as_str()?;
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    let local = chrono_tz::America::Sao_Paulo
        .from_local_datetime(&d.and_hms_opt(0, 0, 0)?)
        .earliest()?;
    Some(local.with_timezone(&Utc))
}

/// Where `c` fails on `record` (its path and the failing test's field), `None` when it holds.
fn failing(c: &Condition, record: &Value, depth: usize) -> Option<(String, Option<String>)> {
    if c.holds(record) {
        return None;
    }
    if depth > 32 {
        return Some((String::new(), None));
    }
    let nest = |prefix: String, inner: Option<(String, Option<String>)>| {
        inner.map(|(p, f)| {
            let path = if p.is_empty() {
                prefix.clone()
            } else {
                format!("{prefix}.{p}")
            };
            (path, f)
        })
    };
    match c {
        Condition::All { all } => all
            .iter()
            .enumerate()
            .find_map(|(i, child)| nest(format!("all[{i}]"), failing(child, record, depth + 1))),
        Condition::Any { .. } => Some(("any".to_owned(), None)),
        Condition::Not { .. } => Some(("not".to_owned(), None)),
        Condition::Field(t) => Some((String::new(), Some(t.field.clone()))),
    }
}
