//! Service-level agreements in business time: "first contact within 15 business minutes",
//! with a warning before the deadline and escalation steps after it.
//!
//! # The rules
//!
//! * The **deadline** is the start plus `within`, counted on the [`BusinessCalendar`]
//!   (business minutes and days by its rules) or, for `minutes`, in plain elapsed time.
//! * A duration of zero adds nothing in any unit: `after: {"business_minutes": 0}` is the
//!   deadline itself, even when the deadline falls at a closing time.
//! * **Met**: `met_at <= deadline` is `met_on_time`, later is `met_late`; a met SLA returns no
//!   intents.
//! * **Open**: `now > deadline` is `breached`; otherwise `warning` when `now + warn_before >=
//!   deadline`, else `on_track`. Being exactly at the deadline is not yet a breach.
//! * **Escalations**: step *i* is due when the SLA is breached and `now >= deadline +
//!   after_i`; [`SlaStatus::intents`] lists the intents of every due step in step order, and
//!   [`SlaStatus::escalations_due`] their indices (so a host that checks repeatedly can skip
//!   the steps it already carried out). [`SlaStatus::next_check_at`] says when the state next
//!   changes without new input: the deadline while open, the next step's time once breached.
//! * [`SlaStatus::business_minutes_left_or_over`] is the business minutes from `now` (or
//!   `met_at`) to the deadline: positive while time is left, negative once over.

use super::calendar::BusinessCalendar;
use super::intent::Intent;
use crate::error::{Error, ErrorCode, FieldError, ValidationErrors};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The longest duration a policy may state: ten years of minutes, or 3,650 days.
pub const MAX_MINUTES: u32 = 10 * 365 * 24 * 60;
/// The longest duration in business days a policy may state.
pub const MAX_DAYS: u32 = 3650;

/// A length of time in one unit, written `{"business_minutes": 15}`, `{"business_days": 2}` or
/// `{"minutes": 30}` (calendar time, nights and holidays included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaDuration {
    /// Minutes of working time on the calendar.
    BusinessMinutes(u32),
    /// Business days on the calendar (same local time, clamped into working hours).
    BusinessDays(u32),
    /// Elapsed minutes, ignoring the calendar.
    Minutes(u32),
}

impl SlaDuration {
    /// `at` plus this duration. Zero adds nothing in any unit.
    ///
    /// # Errors
    /// The calendar's errors (`validation.calendar.hours`, `workflow.calendar.too_far`).
    pub fn add_to(
        self,
        at: DateTime<Utc>,
        calendar: &BusinessCalendar,
    ) -> Result<DateTime<Utc>, Error> {
        match self {
            SlaDuration::BusinessMinutes(0)
            | SlaDuration::BusinessDays(0)
            | SlaDuration::Minutes(0) => Ok(at),
            SlaDuration::BusinessMinutes(m) => calendar.add_business_minutes(at, m),
            SlaDuration::BusinessDays(d) => calendar.add_business_days(at, d),
            SlaDuration::Minutes(m) => at
                .checked_add_signed(Duration::minutes(i64::from(m)))
                .ok_or_else(|| {
                    Error::Invalid(FieldError::new(
                        ErrorCode::CalendarTooFar,
                        "the deadline is outside the supported dates",
                    ))
                }),
        }
    }

    fn amount(self) -> u32 {
        match self {
            SlaDuration::BusinessMinutes(n)
            | SlaDuration::BusinessDays(n)
            | SlaDuration::Minutes(n) => n,
        }
    }

    fn unit(self) -> &'static str {
        match self {
            SlaDuration::BusinessMinutes(_) => "business_minutes",
            SlaDuration::BusinessDays(_) => "business_days",
            SlaDuration::Minutes(_) => "minutes",
        }
    }

    fn limit(self) -> u32 {
        match self {
            SlaDuration::BusinessDays(_) => MAX_DAYS,
            _ => MAX_MINUTES,
        }
    }
}

/// Which timestamp starts the clock; the host reads it and passes it as `started_at`.
/// Written `"lead_created"`, `"stage_entered"` or `{"field": "first_reply_at"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SlaStart {
    /// When the lead was created (the default).
    #[default]
    LeadCreated,
    /// When the record entered its current stage.
    StageEntered,
    /// A timestamp field of the record, by name.
    Field(String),
}

/// Which records a policy covers; an empty list matches anything.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SlaScope {
    /// Stage keys (`"new"`).
    pub stages: Vec<String>,
    /// Source keys as the host names them (`"site"`, `"zap"`, `"referral"`).
    pub sources: Vec<String>,
}

/// One escalation step: after the deadline plus `after`, ask the host to do `intent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationStep {
    /// How long past the deadline (zero: at the breach).
    pub after: SlaDuration,
    /// What to ask for.
    pub intent: Intent,
}

/// An SLA policy, as data.
///
/// ```
/// use crm_core::workflow::calendar::BusinessCalendar;
/// use crm_core::workflow::sla::{SlaPolicy, SlaState};
/// use chrono::{TimeZone, Utc};
/// let policy: SlaPolicy = serde_json::from_str(r#"{
///     "id": "first_contact",
///     "applies_to": {"stages": ["new"]},
///     "within": {"business_minutes": 15},
///     "warn_before": {"business_minutes": 5},
///     "escalate": [
///         {"after": {"business_minutes": 0},
///          "intent": {"type": "notify", "to": {"type": "owner"}, "template": "sla_breached"}},
///         {"after": {"business_minutes": 30},
///          "intent": {"type": "escalate", "level": 1, "to": {"type": "manager"}}}
///     ]
/// }"#).unwrap();
/// policy.validate().unwrap();
/// let cal = BusinessCalendar::sao_paulo();
/// // Created Friday 6 Mar 2026 at 17:50 local (20:50 UTC): due Monday 09:05.
/// let created = Utc.with_ymd_and_hms(2026, 3, 6, 20, 50, 0).unwrap();
/// let now = Utc.with_ymd_and_hms(2026, 3, 9, 12, 10, 0).unwrap(); // Monday 09:10
/// let status = policy.check(created, None, now, &cal).unwrap();
/// assert_eq!(status.deadline, Utc.with_ymd_and_hms(2026, 3, 9, 12, 5, 0).unwrap());
/// assert_eq!(status.state, SlaState::Breached);
/// assert_eq!(status.business_minutes_left_or_over, -5);
/// assert_eq!(status.escalations_due, vec![0]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaPolicy {
    /// A stable id, unique among the host's policies.
    pub id: String,
    /// Which records it covers (all by default).
    #[serde(default)]
    pub applies_to: SlaScope,
    /// What starts the clock (`lead_created` by default).
    #[serde(default)]
    pub start: SlaStart,
    /// How long the work may take.
    pub within: SlaDuration,
    /// Warn this long before the deadline (same unit as `within`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warn_before: Option<SlaDuration>,
    /// Escalation steps, in order of `after`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub escalate: Vec<EscalationStep>,
}

/// Where an SLA stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaState {
    /// Open, with time left and not yet in the warning window.
    OnTrack,
    /// Open, within `warn_before` of the deadline.
    Warning,
    /// Open past the deadline.
    Breached,
    /// Done at or before the deadline.
    MetOnTime,
    /// Done after the deadline.
    MetLate,
}

/// The result of [`SlaPolicy::check`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaStatus {
    /// The policy's id.
    pub policy_id: String,
    /// When the work is due.
    pub deadline: DateTime<Utc>,
    /// Where it stands.
    pub state: SlaState,
    /// Business minutes from `now` (or `met_at`) to the deadline: negative once over.
    pub business_minutes_left_or_over: i64,
    /// Indices of the escalation steps due by `now`, in step order.
    pub escalations_due: Vec<usize>,
    /// The intents of those steps, in the same order.
    pub intents: Vec<Intent>,
    /// When the state next changes without new input: the deadline while open, the next
    /// escalation step's time once breached; `None` when met or when every step is due.
    pub next_check_at: Option<DateTime<Utc>>,
}

impl SlaPolicy {
    /// Whether the policy covers a record at `stage` from `source`.
    pub fn applies(&self, stage: &str, source: Option<&str>) -> bool {
        let stage_ok =
            self.applies_to.stages.is_empty() || self.applies_to.stages.iter().any(|s| s == stage);
        let source_ok = self.applies_to.sources.is_empty()
            || source.is_some_and(|src| self.applies_to.sources.iter().any(|s| s == src));
        stage_ok && source_ok
    }

    /// When work started at `started_at` is due.
    ///
    /// # Errors
    /// The calendar's errors (`validation.calendar.hours`, `workflow.calendar.too_far`).
    pub fn deadline(
        &self,
        started_at: DateTime<Utc>,
        calendar: &BusinessCalendar,
    ) -> Result<DateTime<Utc>, Error> {
        self.within.add_to(started_at, calendar)
    }

    /// Where the SLA stands at `now` (see the module's rules).
    ///
    /// # Errors
    /// The calendar's errors (`validation.calendar.hours`, `workflow.calendar.too_far`).
    pub fn check(
        &self,
        started_at: DateTime<Utc>,
        met_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
        calendar: &BusinessCalendar,
    ) -> Result<SlaStatus, Error> {
        let deadline = self.deadline(started_at, calendar)?;
        let mut status = SlaStatus {
            policy_id: self.id.clone(),
            deadline,
            state: SlaState::OnTrack,
            business_minutes_left_or_over: 0,
            escalations_due: Vec::new(),
            intents: Vec::new(),
            next_check_at: None,
        };
        if let Some(met) = met_at {
            status.state = if met <= deadline {
                SlaState::MetOnTime
            } else {
                SlaState::MetLate
            };
            status.business_minutes_left_or_over = calendar.business_minutes_between(met, deadline);
            return Ok(status);
        }
        status.business_minutes_left_or_over = calendar.business_minutes_between(now, deadline);
        if now <= deadline {
            let warns = match self.warn_before {
                Some(w) => w.add_to(now, calendar)? >= deadline,
                None => false,
            };
            status.state = if warns {
                SlaState::Warning
            } else {
                SlaState::OnTrack
            };
            status.next_check_at = Some(deadline);
            return Ok(status);
        }
        status.state = SlaState::Breached;
        for (i, step) in self.escalate.iter().enumerate() {
            let due_at = step.after.add_to(deadline, calendar)?;
            if now >= due_at {
                status.escalations_due.push(i);
                status.intents.push(step.intent.clone());
            } else if status.next_check_at.is_none_or(|t| due_at < t) {
                status.next_check_at = Some(due_at);
            }
        }
        Ok(status)
    }

    /// Checks the policy: a non-empty `id` (`validation.sla.id`), a non-empty start field
    /// (`validation.sla.start`), durations in range (`validation.sla.duration`: `within` above
    /// zero, nothing beyond ten years), `warn_before` shorter than `within` and in its unit
    /// (`validation.sla.warn_before`), and escalation steps in one unit and in non-decreasing
    /// order of `after` (`validation.sla.escalation`).
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        errors.ensure(
            !self.id.trim().is_empty(),
            "id",
            ErrorCode::SlaId,
            "a policy needs an id",
        );
        if let SlaStart::Field(name) = &self.start {
            errors.ensure(
                !name.trim().is_empty(),
                "start.field",
                ErrorCode::SlaStart,
                "name the timestamp field that starts the clock",
            );
        }
        check_duration(&mut errors, "within", self.within);
        errors.ensure(
            self.within.amount() > 0,
            &format!("within.{}", self.within.unit()),
            ErrorCode::SlaDuration,
            "`within` must be above zero",
        );
        if let Some(w) = self.warn_before {
            check_duration(&mut errors, "warn_before", w);
            let same_unit = w.unit() == self.within.unit();
            errors.ensure_with(same_unit, "warn_before", ErrorCode::SlaWarnBefore, || {
                format!("`warn_before` must be counted in {}", self.within.unit())
            });
            errors.ensure(
                !same_unit || w.amount() < self.within.amount(),
                &format!("warn_before.{}", w.unit()),
                ErrorCode::SlaWarnBefore,
                "`warn_before` must be shorter than `within`",
            );
        }
        let first_unit = self.escalate.first().map(|s| s.after.unit());
        let mut previous: Option<u32> = None;
        for (i, step) in self.escalate.iter().enumerate() {
            let path = format!("escalate[{i}].after");
            check_duration(&mut errors, &path, step.after);
            if Some(step.after.unit()) != first_unit {
                errors.push(
                    FieldError::new(
                        ErrorCode::SlaEscalation,
                        "every escalation step must count `after` in the same unit",
                    )
                    .at(&path),
                );
                continue;
            }
            if previous.is_some_and(|p| step.after.amount() < p) {
                errors.push(
                    FieldError::new(
                        ErrorCode::SlaEscalation,
                        "escalation steps must be in order of `after`",
                    )
                    .at(&path),
                );
            }
            previous = Some(step.after.amount());
        }
        errors.into_result()
    }
}

fn check_duration(errors: &mut ValidationErrors, path: &str, d: SlaDuration) {
    errors.ensure_with(
        d.amount() <= d.limit(),
        &format!("{path}.{}", d.unit()),
        ErrorCode::SlaDuration,
        || format!("at most {} {} (ten years)", d.limit(), d.unit()),
    );
}

/// Checks a list of policies: each one, and that no two share an id (`[i].id`,
/// `validation.sla.id`).
pub fn validate_policies(policies: &[SlaPolicy]) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::default();
    for (i, p) in policies.iter().enumerate() {
        let path = format!("[{i}]");
        if let Err(e) = p.validate() {
            errors.extend_at(&path, e);
        }
        let duplicate =
            !p.id.trim().is_empty() && policies.iter().take(i).any(|q| q.id.trim() == p.id.trim());
        errors.ensure_with(!duplicate, &format!("{path}.id"), ErrorCode::SlaId, || {
            format!("another policy already has the id `{}`", p.id)
        });
    }
    errors.into_result()
}

/// Reads a list of policies from JSON and validates them (`input.json` for shape problems,
/// every `validation.sla.*` problem otherwise).
pub fn policies_from_json(json: &str) -> Result<Vec<SlaPolicy>, Error> {
    let policies: Vec<SlaPolicy> = crate::domain::from_json(json)?;
    validate_policies(&policies)?;
    Ok(policies)
}

/// Checks many SLAs against one calendar and one `now`: `(policy, started_at, met_at)` per
/// item, a result per item in order.
pub fn check_all<'a>(
    items: impl IntoIterator<Item = (&'a SlaPolicy, DateTime<Utc>, Option<DateTime<Utc>>)>,
    now: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> Vec<Result<SlaStatus, Error>> {
    items
        .into_iter()
        .map(|(policy, started_at, met_at)| policy.check(started_at, met_at, now, calendar))
        .collect()
}

#[cfg(test)]
#[path = "sla_tests.rs"]
mod tests;
