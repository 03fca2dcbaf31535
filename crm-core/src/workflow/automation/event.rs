//! Events: what happened to a record, with the record before and after.

use crate::domain::{Activity, ActivityKind, Lead};
use crate::workflow::pipeline::Transition;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// What kind of thing happened.
///
/// ```
/// use crm_core::workflow::EventKind;
/// let k: EventKind = serde_json::from_str(r#"{"type": "sla_breached", "sla": "first_contact"}"#).unwrap();
/// assert_eq!(k.to_string(), "SLA first_contact breached");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// A lead was created (`before` is absent).
    LeadCreated,
    /// The record changed in some other way (`field_changed` triggers compare the records).
    Updated,
    /// The record moved between stages.
    StageChanged {
        /// The stage left.
        from: String,
        /// The stage reached.
        to: String,
    },
    /// An activity was recorded for the record.
    ActivityRecorded {
        /// Its kind.
        kind: ActivityKind,
    },
    /// The score band changed.
    ScoreBandChanged {
        /// The band left (`None`: first scored).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        /// The band reached.
        to: String,
    },
    /// A periodic check of time triggers: a rule due in `(since, at]` fires (every due rule
    /// at or before `at` when `since` is absent).
    Tick {
        /// The previous check (exclusive), so a due rule fires on one tick only.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        since: Option<DateTime<Utc>>,
    },
    /// An SLA was breached.
    SlaBreached {
        /// The SLA's id.
        sla: String,
    },
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventKind::LeadCreated => f.write_str("lead created"),
            EventKind::Updated => f.write_str("record updated"),
            EventKind::StageChanged { from, to } => {
                write!(f, "stage changed from {from} to {to}")
            }
            EventKind::ActivityRecorded { kind } => {
                write!(
                    f,
                    "activity recorded: {}",
                    super::rule::activity_name(*kind)
                )
            }
            EventKind::ScoreBandChanged { from, to } => write!(
                f,
                "score band changed from {} to {to}",
                from.as_deref().unwrap_or("none")
            ),
            EventKind::Tick { .. } => f.write_str("time check"),
            EventKind::SlaBreached { sla } => write!(f, "SLA {sla} breached"),
        }
    }
}

/// Something that happened to a record: its kind, the record's JSON form before (when there
/// was one) and after, and when.
///
/// JSON: `{"type": "stage_changed", "from": "proposal", "to": "won", "before": {…},
/// "after": {…}, "at": "2026-11-26T13:00:00Z"}`.
///
/// ```
/// use crm_core::domain::{Contact, Lead, LeadId};
/// use crm_core::workflow::{Event, EventKind};
/// use chrono::{TimeZone, Utc};
/// let at = Utc.with_ymd_and_hms(2026, 11, 26, 13, 0, 0).unwrap();
/// let before = Lead::new(LeadId::from_parts(1, [1; 10]), Contact::new("Ana"), at);
/// let mut after = before.clone();
/// after.stage = "contacted".into();
/// let e = Event::stage_changed(&before, &after, at);
/// assert_eq!(e.kind, EventKind::StageChanged { from: "new".into(), to: "contacted".into() });
/// assert_eq!(e.after["stage"], "contacted");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
    /// The record before the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    /// The record after the change.
    pub after: Value,
    /// When it happened.
    pub at: DateTime<Utc>,
}

fn json<T: Serialize>(record: &T) -> Value {
    serde_json::to_value(record).unwrap_or(Value::Null)
}

impl Event {
    /// An event of any kind over JSON records.
    ///
    /// ```
    /// use crm_core::workflow::{Event, EventKind};
    /// use chrono::{TimeZone, Utc};
    /// let at = Utc.with_ymd_and_hms(2026, 11, 26, 13, 0, 0).unwrap();
    /// let e = Event::new(EventKind::Updated, Some(serde_json::json!({"n": 1})), serde_json::json!({"n": 2}), at);
    /// assert_eq!(e.to_string(), "record updated");
    /// ```
    pub fn new(kind: EventKind, before: Option<Value>, after: Value, at: DateTime<Utc>) -> Self {
        Self {
            kind,
            before,
            after,
            at,
        }
    }

    /// A lead was created (at its `created_at`).
    ///
    /// ```
    /// use crm_core::domain::{Contact, Lead, LeadId};
    /// use crm_core::workflow::{Event, EventKind};
    /// use chrono::{TimeZone, Utc};
    /// let lead = Lead::new(LeadId::from_parts(1, [1; 10]), Contact::new("Ana"), Utc.with_ymd_and_hms(2026, 11, 26, 13, 0, 0).unwrap());
    /// let e = Event::lead_created(&lead);
    /// assert_eq!((e.kind, e.before, e.at), (EventKind::LeadCreated, None, lead.created_at));
    /// ```
    pub fn lead_created(lead: &Lead) -> Self {
        Self::new(EventKind::LeadCreated, None, json(lead), lead.created_at)
    }

    /// A lead moved from `before.stage` to `after.stage` at `at`.
    pub fn stage_changed(before: &Lead, after: &Lead, at: DateTime<Utc>) -> Self {
        Self::new(
            EventKind::StageChanged {
                from: before.stage.clone(),
                to: after.stage.clone(),
            },
            Some(json(before)),
            json(after),
            at,
        )
    }

    /// A record (JSON) moved by a pipeline transition, at the transition's time.
    ///
    /// ```
    /// use crm_core::workflow::{Event, Pipeline, TransitionContext};
    /// use chrono::{TimeZone, Utc};
    /// let p = Pipeline::default_sales().unwrap();
    /// let before = serde_json::json!({"stage": "new"});
    /// let ctx = TransitionContext::at(Utc.with_ymd_and_hms(2026, 11, 26, 13, 0, 0).unwrap());
    /// let (after, t) = p.transition(&before, "contacted", &ctx).unwrap();
    /// let e = Event::transition(before, after, &t);
    /// assert_eq!(e.to_string(), "stage changed from new to contacted");
    /// ```
    pub fn transition(before: Value, after: Value, transition: &Transition) -> Self {
        Self::new(
            EventKind::StageChanged {
                from: transition.from.clone(),
                to: transition.to.clone(),
            },
            Some(before),
            after,
            transition.at,
        )
    }

    /// A lead changed in another way (reassigned, budget edited, …).
    ///
    /// ```
    /// use crm_core::domain::{AgentId, Contact, Lead, LeadId};
    /// use crm_core::workflow::{Event, EventKind};
    /// use chrono::{TimeZone, Utc};
    /// let at = Utc.with_ymd_and_hms(2026, 11, 26, 13, 0, 0).unwrap();
    /// let before = Lead::new(LeadId::from_parts(1, [1; 10]), Contact::new("Ana"), at);
    /// let mut after = before.clone();
    /// after.assigned_agent = Some(AgentId::from_parts(1, [4; 10]));
    /// let e = Event::lead_updated(&before, &after, at);
    /// assert_eq!(e.kind, EventKind::Updated);
    /// assert!(e.before.unwrap().get("assigned_agent").is_none());
    /// ```
    pub fn lead_updated(before: &Lead, after: &Lead, at: DateTime<Utc>) -> Self {
        Self::new(EventKind::Updated, Some(json(before)), json(after), at)
    }

    /// An activity was recorded for `lead` (at the activity's time).
    ///
    /// ```
    /// use crm_core::domain::{Activity, ActivityId, ActivityKind, Contact, Lead, LeadId};
    /// use crm_core::workflow::Event;
    /// use chrono::{TimeZone, Utc};
    /// let at = Utc.with_ymd_and_hms(2026, 11, 26, 13, 0, 0).unwrap();
    /// let lead = Lead::new(LeadId::from_parts(1, [1; 10]), Contact::new("Ana"), at);
    /// let call = Activity::new(ActivityId::from_parts(1, [5; 10]), lead.id, ActivityKind::Call, at);
    /// assert_eq!(Event::activity_recorded(&lead, &call).to_string(), "activity recorded: call");
    /// ```
    pub fn activity_recorded(lead: &Lead, activity: &Activity) -> Self {
        Self::new(
            EventKind::ActivityRecorded {
                kind: activity.kind,
            },
            None,
            json(lead),
            activity.at,
        )
    }

    /// The lead's score band changed.
    ///
    /// ```
    /// use crm_core::domain::{Contact, Lead, LeadId};
    /// use crm_core::workflow::Event;
    /// use chrono::{TimeZone, Utc};
    /// let at = Utc.with_ymd_and_hms(2026, 11, 26, 13, 0, 0).unwrap();
    /// let lead = Lead::new(LeadId::from_parts(1, [1; 10]), Contact::new("Ana"), at);
    /// let e = Event::score_band_changed(&lead, Some("B"), "A", at);
    /// assert_eq!(e.to_string(), "score band changed from B to A");
    /// ```
    pub fn score_band_changed(
        lead: &Lead,
        from: Option<&str>,
        to: &str,
        at: DateTime<Utc>,
    ) -> Self {
        Self::new(
            EventKind::ScoreBandChanged {
                from: from.map(str::to_owned),
                to: to.to_owned(),
            },
            None,
            json(lead),
            at,
        )
    }

    /// A time check of `record` (the host's JSON, which may carry extra date fields such as
    /// `last_visit_at`) at `at`, the previous check having been at `since`.
    ///
    /// ```
    /// use crm_core::workflow::{Event, EventKind};
    /// use chrono::{TimeZone, Utc};
    /// let at = Utc.with_ymd_and_hms(2026, 11, 26, 13, 0, 0).unwrap();
    /// let e = Event::tick(serde_json::json!({"last_visit_at": "2026-11-25T12:00:00Z"}), None, at);
    /// assert_eq!(e.kind, EventKind::Tick { since: None });
    /// ```
    pub fn tick(record: Value, since: Option<DateTime<Utc>>, at: DateTime<Utc>) -> Self {
        Self::new(EventKind::Tick { since }, None, record, at)
    }

    /// An SLA of `lead` was breached.
    ///
    /// ```
    /// use crm_core::domain::{Contact, Lead, LeadId};
    /// use crm_core::workflow::Event;
    /// use chrono::{TimeZone, Utc};
    /// let at = Utc.with_ymd_and_hms(2026, 11, 26, 13, 0, 0).unwrap();
    /// let lead = Lead::new(LeadId::from_parts(1, [1; 10]), Contact::new("Ana"), at);
    /// assert_eq!(Event::sla_breached(&lead, "first_contact", at).to_string(), "SLA first_contact breached");
    /// ```
    pub fn sla_breached(lead: &Lead, sla: &str, at: DateTime<Utc>) -> Self {
        Self::new(
            EventKind::SlaBreached {
                sla: sla.to_owned(),
            },
            None,
            json(lead),
            at,
        )
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}
