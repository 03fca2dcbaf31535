//! What the host tells routing about each agent right now: paused or not, how many open leads,
//! and whether they are on duty (a flag the host computed, or a weekly schedule routing checks).

use crate::domain::AgentId;
use crate::error::{ErrorCode, FieldError, ValidationErrors};
use crate::workflow::calendar::BusinessCalendar;
use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use serde::{Deserialize, Serialize};

/// America/Sao_Paulo's offset from UTC in minutes: −3 h all year since Brazil dropped daylight
/// saving time in 2019.
pub const SAO_PAULO_OFFSET_MINUTES: i32 = -180;

fn sao_paulo() -> i32 {
    SAO_PAULO_OFFSET_MINUTES
}

/// One agent's state at routing time, supplied by the host.
///
/// Off duty means `on_duty: false`, or — when `on_duty` is absent — a `calendar` (the workflow
/// [`BusinessCalendar`]: working hours in an IANA zone, with holidays) or a `working_hours`
/// schedule that does not cover `now`; with both, both must. With none, the agent counts as on
/// duty. `on_duty`, when given, wins (the host knows about sick days and shifts swapped).
///
/// ```
/// use crm_core::domain::{AgentId, from_json};
/// use crm_core::workflow::routing::AgentStatus;
/// let s: AgentStatus = from_json(r#"{"agent_id": "0190f3a0-0000-7000-8000-000000000001", "open_leads": 3}"#).unwrap();
/// assert!(!s.paused);
/// assert_eq!(s.on_duty, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentStatus {
    /// The agent.
    pub agent_id: AgentId,
    /// Paused agents (on leave, asked for no new leads) are never offered a lead.
    #[serde(default)]
    pub paused: bool,
    /// Leads the agent holds open now; compared with the member's `max_open_leads`.
    #[serde(default)]
    pub open_leads: u32,
    /// Whether the agent is on duty, as the host computed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_duty: Option<bool>,
    /// The agent's weekly working hours, used when `on_duty` is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_hours: Option<WeeklyHours>,
    /// The agent's business calendar (hours and holidays), used when `on_duty` is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<BusinessCalendar>,
}

impl AgentStatus {
    /// An agent who is not paused, holds no open leads and is on duty (no flag, no schedule).
    ///
    /// ```
    /// use crm_core::domain::AgentId;
    /// use crm_core::workflow::routing::AgentStatus;
    /// let s = AgentStatus::available(AgentId::from_parts(1, [1; 10]));
    /// assert!(!s.paused && s.open_leads == 0);
    /// ```
    pub fn available(agent_id: AgentId) -> Self {
        Self {
            agent_id,
            paused: false,
            open_leads: 0,
            on_duty: None,
            working_hours: None,
            calendar: None,
        }
    }

    /// Whether the agent is on duty at `now` (see the type's rules).
    ///
    /// ```
    /// use crm_core::domain::AgentId;
    /// use crm_core::workflow::routing::AgentStatus;
    /// use chrono::{TimeZone, Utc};
    /// let mut s = AgentStatus::available(AgentId::from_parts(1, [1; 10]));
    /// s.on_duty = Some(false);
    /// assert!(!s.is_on_duty(Utc.with_ymd_and_hms(2026, 11, 26, 15, 0, 0).unwrap()));
    /// ```
    pub fn is_on_duty(&self, now: DateTime<Utc>) -> bool {
        match self.on_duty {
            Some(flag) => flag,
            None => {
                self.calendar
                    .as_ref()
                    .is_none_or(|c| c.is_working_time(now))
                    && self
                        .working_hours
                        .as_ref()
                        .is_none_or(|h| h.is_working_time(now))
            }
        }
    }
}

/// A day of the week, written `mon` … `sun`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Day {
    fn of(weekday: chrono::Weekday) -> Day {
        match weekday {
            chrono::Weekday::Mon => Day::Mon,
            chrono::Weekday::Tue => Day::Tue,
            chrono::Weekday::Wed => Day::Wed,
            chrono::Weekday::Thu => Day::Thu,
            chrono::Weekday::Fri => Day::Fri,
            chrono::Weekday::Sat => Day::Sat,
            chrono::Weekday::Sun => Day::Sun,
        }
    }
}

/// A weekly schedule in the agency's local time, a fixed offset from UTC (São Paulo's −03:00 by
/// default). Each interval covers `from` (inclusive) to `to` (exclusive) on each of its days;
/// `to` may be `24:00`. A shift over midnight is two intervals.
///
/// ```
/// use crm_core::domain::from_json;
/// use crm_core::workflow::routing::WeeklyHours;
/// use chrono::{TimeZone, Utc};
/// let h: WeeklyHours = from_json(r#"{"intervals": [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "09:00", "to": "18:00"}]}"#).unwrap();
/// assert!(h.validate().is_ok());
/// // Thursday 26 Nov 2026, 12:00 UTC is 09:00 in São Paulo: working.
/// assert!(h.is_working_time(Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap()));
/// // 21:00 UTC is 18:00 local: the day is over.
/// assert!(!h.is_working_time(Utc.with_ymd_and_hms(2026, 11, 26, 21, 0, 0).unwrap()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeeklyHours {
    /// Local time minus UTC, in minutes (−180 for São Paulo).
    #[serde(default = "sao_paulo")]
    pub utc_offset_minutes: i32,
    /// The working intervals.
    pub intervals: Vec<WorkingInterval>,
}

/// Working time on some days of the week, `from`–`to` in `HH:MM` local time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkingInterval {
    /// The days the interval applies to.
    pub days: Vec<Day>,
    /// Start, inclusive (`"09:00"`).
    pub from: String,
    /// End, exclusive (`"18:00"`, up to `"24:00"`).
    pub to: String,
}

/// Minutes after midnight of `HH:MM` (`24:00` allowed), or `None`.
fn minutes(text: &str) -> Option<u32> {
    let (h, m) = text.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    match (h, m) {
        (24, 0) => Some(24 * 60),
        (0..=23, 0..=59) => Some(h * 60 + m),
        _ => None,
    }
}

impl WeeklyHours {
    /// Every problem, by path: offsets beyond ±14 h, intervals without days, times not `HH:MM`,
    /// `from` not before `to`. All with code `validation.routing.schedule`.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let code = ErrorCode::RoutingSchedule;
        errors.ensure(
            self.utc_offset_minutes.abs() <= 14 * 60,
            "utc_offset_minutes",
            code,
            "must be within -840..=840 minutes",
        );
        for (i, interval) in self.intervals.iter().enumerate() {
            let at = format!("intervals[{i}]");
            errors.ensure(
                !interval.days.is_empty(),
                &format!("{at}.days"),
                code,
                "name at least one day",
            );
            let from = minutes(&interval.from);
            let to = minutes(&interval.to);
            errors.ensure(
                from.is_some_and(|m| m < 24 * 60),
                &format!("{at}.from"),
                code,
                "must be a time written HH:MM, 00:00 to 23:59",
            );
            errors.ensure(
                to.is_some(),
                &format!("{at}.to"),
                code,
                "must be a time written HH:MM, 00:00 to 24:00",
            );
            if let (Some(f), Some(t)) = (from, to) {
                if f >= t {
                    errors.push(
                        FieldError::new(
                            code,
                            "must be after `from` (split a shift over midnight in two)",
                        )
                        .at(&format!("{at}.to")),
                    );
                }
            }
        }
        errors.into_result()
    }

    /// Whether `at` falls in one of the intervals, in local time. Intervals whose times do not
    /// parse never match (validation reports them).
    pub fn is_working_time(&self, at: DateTime<Utc>) -> bool {
        let local = at.naive_utc() + Duration::minutes(i64::from(self.utc_offset_minutes));
        let day = Day::of(local.weekday());
        let minute = local.hour() * 60 + local.minute();
        self.intervals.iter().any(|i| {
            i.days.contains(&day)
                && matches!((minutes(&i.from), minutes(&i.to)), (Some(f), Some(t)) if f <= minute && minute < t)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_parse() {
        assert_eq!(minutes("09:30"), Some(570));
        assert_eq!(minutes("24:00"), Some(1440));
        assert_eq!(minutes("24:01"), None);
        assert_eq!(minutes("9:30"), None);
        assert_eq!(minutes("ab:cd"), None);
    }

    #[test]
    fn schedule_problems_by_path() {
        let h = WeeklyHours {
            utc_offset_minutes: 900,
            intervals: vec![WorkingInterval {
                days: vec![],
                from: "18:00".into(),
                to: "09:00".into(),
            }],
        };
        let e = h.validate().unwrap_err();
        assert!(e.contains("utc_offset_minutes", ErrorCode::RoutingSchedule));
        assert!(e.contains("intervals[0].days", ErrorCode::RoutingSchedule));
        assert!(e.contains("intervals[0].to", ErrorCode::RoutingSchedule));
    }

    #[test]
    fn saturday_morning_local() {
        let h = WeeklyHours {
            utc_offset_minutes: -180,
            intervals: vec![WorkingInterval {
                days: vec![Day::Sat],
                from: "09:00".into(),
                to: "13:00".into(),
            }],
        };
        // Sat 28 Nov 2026 12:59 local = 15:59 UTC.
        assert!(h.is_working_time(Utc.with_ymd_and_hms(2026, 11, 28, 15, 59, 0).unwrap()));
        assert!(!h.is_working_time(Utc.with_ymd_and_hms(2026, 11, 28, 16, 0, 0).unwrap()));
        // Sat 02:00 UTC is still Friday 23:00 in São Paulo.
        assert!(!h.is_working_time(
            Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap() - Duration::hours(10)
        ));
    }
}
