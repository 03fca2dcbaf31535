//! The business calendar: working hours in the agency's time zone, national holidays (with the
//! moveable ones from Easter) and the host's own, and arithmetic in business time.
//!
//! # The rules
//!
//! * **Working time** is the union of the calendar's intervals for the local weekday, each
//!   half-open `[start, end)` in local wall-clock time, on a *business day*: a date whose
//!   weekday has at least one interval and that is not a holiday. Intervals are read in the
//!   calendar's zone through the IANA database (`chrono-tz`), so past dates get their historical
//!   offsets; a local time skipped by a daylight-saving change is read with the offset in force
//!   the day before (it lands just after the gap), an ambiguous one as the earlier instant.
//! * **Business minutes** are elapsed minutes inside working time.
//!   [`BusinessCalendar::add_business_minutes`] starts at `from`, or at the next opening when
//!   `from` is outside working time, and walks the intervals forward. When the minutes run out
//!   exactly at an interval's end, the result *is* that end (17:45 + 15 min on a 09:00–18:00
//!   day is 18:00 that day, not 09:00 the next); otherwise the result lies inside an interval.
//!   Adding zero minutes gives the first working instant at or after `from`.
//! * **Business days**: [`BusinessCalendar::add_business_days`] first moves `from` to the first
//!   working instant at or after it (the *effective start*), then takes the n-th business day
//!   after the effective start's date, at the same local time, clamped into that day's hours:
//!   before the first interval → its start; in a break between intervals → the next interval's
//!   start; after the last interval → the last interval's end. Zero days gives the effective
//!   start.
//! * **Bounds**: a result must fall within 3,653 days (ten years) of the start's local date;
//!   beyond that the call fails with `workflow.calendar.too_far` instead of searching on. A
//!   calendar with no working interval fails with `validation.calendar.hours`. Nothing loops
//!   without a bound.

use super::holidays::{self, Switches};
use crate::error::{Error, ErrorCode, FieldError, ValidationErrors};
use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

pub use super::holidays::easter_sunday;

/// How many days past the start's local date a business-time result may lie (ten years).
pub const MAX_SPAN_DAYS: u32 = 3653;

/// A business calendar: the agency's zone, working hours per weekday, and holidays.
///
/// Read from JSON with every field optional (the default is [`BusinessCalendar::sao_paulo`]):
///
/// ```
/// use crm_core::workflow::calendar::BusinessCalendar;
/// use chrono::{TimeZone, Utc};
/// let cal: BusinessCalendar = serde_json::from_str(r#"{
///     "time_zone": "America/Sao_Paulo",
///     "working_hours": [
///         {"weekday": "mon", "start": "09:00", "end": "12:00"},
///         {"weekday": "mon", "start": "13:00", "end": "18:00"}
///     ],
///     "holidays": {"extra": ["2026-01-25"]}
/// }"#).unwrap();
/// cal.validate().unwrap();
/// // Monday 2 Feb 2026, 11:50 in São Paulo (14:50 UTC) + 15 business minutes → 13:05 local.
/// let from = Utc.with_ymd_and_hms(2026, 2, 2, 14, 50, 0).unwrap();
/// let due = cal.add_business_minutes(from, 15).unwrap();
/// assert_eq!(due, Utc.with_ymd_and_hms(2026, 2, 2, 16, 5, 0).unwrap());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BusinessCalendar {
    /// The agency's IANA time zone, `"America/Sao_Paulo"` by default.
    pub time_zone: Tz,
    /// Working intervals; a weekday may have several (a lunch break is two entries). Monday to
    /// Friday 09:00–18:00 by default.
    pub working_hours: Vec<WorkingDay>,
    /// Which holidays close the agency.
    pub holidays: HolidayRules,
}

/// One working interval `[start, end)` on a weekday, in local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkingDay {
    /// The weekday, as `"mon"`, `"tue"`, … `"sun"` (full English names are also read).
    #[serde(with = "weekday_text")]
    pub weekday: Weekday,
    /// Opening, `"09:00"` (or `"09:00:30"`).
    #[serde(with = "time_text")]
    pub start: NaiveTime,
    /// Closing, after `start` on the same day.
    #[serde(with = "time_text")]
    pub end: NaiveTime,
}

/// Which holidays close the agency. Every switch is on by default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HolidayRules {
    /// The national holidays fixed by date (1 Jan, 21 Apr, 1 May, 7 Sep, 12 Oct, 2 Nov, 15 Nov,
    /// 20 Nov from 2024, 25 Dec) and Good Friday.
    pub national: bool,
    /// Carnival Monday and Tuesday (48 and 47 days before Easter; *pontos facultativos*).
    pub carnival: bool,
    /// Corpus Christi (60 days after Easter; a *ponto facultativo*).
    pub corpus_christi: bool,
    /// The host's own closed dates (municipal and state holidays, the agency's own days off).
    pub extra: Vec<NaiveDate>,
}

impl Default for HolidayRules {
    fn default() -> Self {
        Self {
            national: true,
            carnival: true,
            corpus_christi: true,
            extra: Vec::new(),
        }
    }
}

impl Default for BusinessCalendar {
    fn default() -> Self {
        Self::sao_paulo()
    }
}

/// The name given to the host's own holidays in [`BusinessCalendar::holidays_in`].
pub const HOST_HOLIDAY: &str = "host holiday";

/// Reads an IANA zone name such as `"America/Sao_Paulo"`.
///
/// ```
/// use crm_core::workflow::calendar::parse_time_zone;
/// assert!(parse_time_zone("America/Manaus").is_ok());
/// assert_eq!(parse_time_zone("Brasil/Paulista").unwrap_err().code.as_str(), "validation.calendar.time_zone");
/// ```
pub fn parse_time_zone(name: &str) -> Result<Tz, FieldError> {
    name.trim().parse::<Tz>().map_err(|_| {
        FieldError::new(
            ErrorCode::CalendarTimeZone,
            format!("`{name}` is not an IANA time zone name"),
        )
    })
}

/// Working intervals by weekday (Monday first), sorted and merged; built once per call.
struct Schedule {
    days: [Vec<(NaiveTime, NaiveTime)>; 7],
}

impl Schedule {
    fn of(hours: &[WorkingDay]) -> Self {
        let mut days: [Vec<(NaiveTime, NaiveTime)>; 7] = Default::default();
        for w in hours.iter().filter(|w| w.end > w.start) {
            if let Some(day) = days.get_mut(w.weekday.num_days_from_monday() as usize) {
                day.push((w.start, w.end));
            }
        }
        for day in &mut days {
            day.sort();
            let mut merged: Vec<(NaiveTime, NaiveTime)> = Vec::with_capacity(day.len());
            for &(s, e) in day.iter() {
                match merged.last_mut() {
                    Some(last) if s <= last.1 => last.1 = last.1.max(e),
                    _ => merged.push((s, e)),
                }
            }
            *day = merged;
        }
        Self { days }
    }

    fn is_empty(&self) -> bool {
        self.days.iter().all(Vec::is_empty)
    }

    fn of_day(&self, weekday: Weekday) -> &[(NaiveTime, NaiveTime)] {
        self.days
            .get(weekday.num_days_from_monday() as usize)
            .map_or(&[], Vec::as_slice)
    }
}

fn too_far() -> Error {
    Error::Invalid(FieldError::new(
        ErrorCode::CalendarTooFar,
        format!("the result would lie more than {MAX_SPAN_DAYS} days (ten years) away"),
    ))
}

fn no_hours() -> Error {
    Error::Invalid(
        FieldError::new(
            ErrorCode::CalendarHours,
            "the calendar has no working interval",
        )
        .at("working_hours"),
    )
}

impl BusinessCalendar {
    /// São Paulo: `America/Sao_Paulo`, Monday to Friday 09:00–18:00, national holidays with
    /// Carnival and Corpus Christi, no extra dates.
    pub fn sao_paulo() -> Self {
        let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN);
        let six = NaiveTime::from_hms_opt(18, 0, 0).unwrap_or(NaiveTime::MIN);
        let working_hours = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ]
        .into_iter()
        .map(|weekday| WorkingDay {
            weekday,
            start: nine,
            end: six,
        })
        .collect();
        Self {
            time_zone: chrono_tz::America::Sao_Paulo,
            working_hours,
            holidays: HolidayRules::default(),
        }
    }

    /// Reads a calendar from JSON and validates it: shape problems give `input.json` with the
    /// path, value problems every `validation.calendar.*` problem.
    pub fn from_json(json: &str) -> Result<Self, Error> {
        let cal: Self = crate::domain::from_json(json)?;
        cal.validate()?;
        Ok(cal)
    }

    /// Checks the working hours: every interval ends after it starts
    /// (`working_hours[i].end`), no two intervals of a weekday overlap (`working_hours[j]`;
    /// touching is fine), and there is at least one interval (`working_hours`). All with
    /// `validation.calendar.hours`.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        for (i, w) in self.working_hours.iter().enumerate() {
            errors.ensure(
                w.end > w.start,
                &format!("working_hours[{i}].end"),
                ErrorCode::CalendarHours,
                "a working interval must end after it starts",
            );
        }
        for (j, b) in self.working_hours.iter().enumerate() {
            if b.end <= b.start {
                continue;
            }
            let clash = self.working_hours.iter().take(j).position(|a| {
                a.weekday == b.weekday && a.end > a.start && a.start < b.end && b.start < a.end
            });
            if let Some(i) = clash {
                errors.push(
                    FieldError::new(
                        ErrorCode::CalendarHours,
                        format!("overlaps working_hours[{i}] on the same weekday"),
                    )
                    .at(&format!("working_hours[{j}]")),
                );
            }
        }
        errors.ensure(
            self.working_hours.iter().any(|w| w.end > w.start),
            "working_hours",
            ErrorCode::CalendarHours,
            "the calendar needs at least one working interval",
        );
        errors.into_result()
    }

    fn switches(&self) -> Switches {
        Switches {
            national: self.holidays.national,
            carnival: self.holidays.carnival,
            corpus_christi: self.holidays.corpus_christi,
        }
    }

    /// The holidays of `year` under this calendar's rules, named and in date order (the host's
    /// own dates are named [`HOST_HOLIDAY`]; a date is listed once, under its national name
    /// when it has one).
    ///
    /// ```
    /// use crm_core::workflow::calendar::BusinessCalendar;
    /// let list = BusinessCalendar::sao_paulo().holidays_in(2026);
    /// assert_eq!(list.len(), 13);
    /// assert_eq!(list[1].0.to_string(), "2026-02-16");
    /// assert_eq!(list[1].1, "Carnaval (segunda-feira)");
    /// ```
    pub fn holidays_in(&self, year: i32) -> Vec<(NaiveDate, &'static str)> {
        let mut out = holidays::national_holidays(year, self.switches());
        for date in &self.holidays.extra {
            if date.year() == year && !out.iter().any(|(d, _)| d == date) {
                out.push((*date, HOST_HOLIDAY));
            }
        }
        out.sort_by_key(|(d, _)| *d);
        out
    }

    /// Whether the agency is closed on `date` for a holiday (weekends are not holidays).
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        holidays::is_national_holiday(date, easter_sunday(date.year()), self.switches())
            || self.holidays.extra.contains(&date)
    }

    /// Whether `date`'s weekday has working hours and it is not a holiday.
    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        self.working_hours
            .iter()
            .any(|w| w.weekday == date.weekday() && w.end > w.start)
            && !self.is_holiday(date)
    }

    fn open_on(&self, schedule: &Schedule, date: NaiveDate) -> bool {
        !schedule.of_day(date.weekday()).is_empty() && !self.is_holiday(date)
    }

    fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.time_zone).date_naive()
    }

    fn to_utc(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        match self.time_zone.from_local_datetime(&local) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.with_timezone(&Utc)),
            LocalResult::None => {
                let before = local.checked_sub_signed(Duration::days(1))?;
                let offset = self.time_zone.offset_from_utc_datetime(&before).fix();
                let utc = local
                    .checked_sub_signed(Duration::seconds(i64::from(offset.local_minus_utc())))?;
                Some(Utc.from_utc_datetime(&utc))
            }
        }
    }

    /// The working intervals of `date` as instants (none on a closed day).
    fn intervals<'a>(
        &'a self,
        schedule: &'a Schedule,
        date: NaiveDate,
    ) -> impl Iterator<Item = (DateTime<Utc>, DateTime<Utc>)> + 'a {
        let open = self.open_on(schedule, date);
        schedule
            .of_day(date.weekday())
            .iter()
            .filter(move |_| open)
            .filter_map(move |&(s, e)| {
                let s = self.to_utc(date.and_time(s))?;
                let e = self.to_utc(date.and_time(e))?;
                (e > s).then_some((s, e))
            })
    }

    /// Whether `at` is inside a working interval of a business day (start included, end not).
    pub fn is_working_time(&self, at: DateTime<Utc>) -> bool {
        let schedule = Schedule::of(&self.working_hours);
        self.intervals(&schedule, self.local_date(at))
            .any(|(s, e)| s <= at && at < e)
    }

    /// `from` plus `minutes` of business time (see the module's rules): from outside working
    /// time the count starts at the next opening; a result where the minutes run out exactly at
    /// an interval's end is that end.
    ///
    /// ```
    /// use crm_core::workflow::calendar::BusinessCalendar;
    /// use chrono::{TimeZone, Utc};
    /// let cal = BusinessCalendar::sao_paulo();
    /// // Friday 13 Feb 2026, 17:55 local (20:55 UTC); Carnival closes Mon 16 and Tue 17.
    /// let from = Utc.with_ymd_and_hms(2026, 2, 13, 20, 55, 0).unwrap();
    /// let due = cal.add_business_minutes(from, 15).unwrap();
    /// assert_eq!(due, Utc.with_ymd_and_hms(2026, 2, 18, 12, 10, 0).unwrap()); // Wed 09:10
    /// ```
    ///
    /// # Errors
    /// `validation.calendar.hours` when the calendar has no working interval;
    /// `workflow.calendar.too_far` when the result would lie more than [`MAX_SPAN_DAYS`] days
    /// past `from`'s local date.
    pub fn add_business_minutes(
        &self,
        from: DateTime<Utc>,
        minutes: u32,
    ) -> Result<DateTime<Utc>, Error> {
        let schedule = Schedule::of(&self.working_hours);
        if schedule.is_empty() {
            return Err(no_hours());
        }
        let mut remaining = Duration::minutes(i64::from(minutes));
        let mut date = self.local_date(from);
        for _ in 0..=MAX_SPAN_DAYS {
            for (s, e) in self.intervals(&schedule, date) {
                if e <= from {
                    continue;
                }
                let begin = s.max(from);
                let available = e - begin;
                if remaining <= available {
                    return begin.checked_add_signed(remaining).ok_or_else(too_far);
                }
                remaining -= available;
            }
            date = date.succ_opt().ok_or_else(too_far)?;
        }
        Err(too_far())
    }

    /// The same local time on the `days`-th business day after `from` (see the module's rules:
    /// `from` is first moved to the next working instant, and the time is clamped into the
    /// target day's hours).
    ///
    /// ```
    /// use crm_core::workflow::calendar::BusinessCalendar;
    /// use chrono::{TimeZone, Utc};
    /// let cal = BusinessCalendar::sao_paulo();
    /// // Thursday 2 Apr 2026, 10:00 local; Good Friday is 3 Apr → Monday 6 Apr, 10:00.
    /// let from = Utc.with_ymd_and_hms(2026, 4, 2, 13, 0, 0).unwrap();
    /// let due = cal.add_business_days(from, 1).unwrap();
    /// assert_eq!(due, Utc.with_ymd_and_hms(2026, 4, 6, 13, 0, 0).unwrap());
    /// ```
    ///
    /// # Errors
    /// As [`BusinessCalendar::add_business_minutes`].
    pub fn add_business_days(
        &self,
        from: DateTime<Utc>,
        days: u32,
    ) -> Result<DateTime<Utc>, Error> {
        let start = self.add_business_minutes(from, 0)?;
        if days == 0 {
            return Ok(start);
        }
        let schedule = Schedule::of(&self.working_hours);
        let local = start.with_timezone(&self.time_zone);
        let time = local.time();
        let start_date = local.date_naive();
        let mut date = start_date;
        let mut counted = 0u32;
        let mut span = 0u32;
        while span < MAX_SPAN_DAYS {
            date = date.succ_opt().ok_or_else(too_far)?;
            span += 1;
            if !self.open_on(&schedule, date) {
                continue;
            }
            counted += 1;
            if counted == days {
                return self.clamp_into(&schedule, date, time).ok_or_else(too_far);
            }
        }
        Err(too_far())
    }

    /// `time` on `date`, clamped into `date`'s working intervals.
    fn clamp_into(
        &self,
        schedule: &Schedule,
        date: NaiveDate,
        time: NaiveTime,
    ) -> Option<DateTime<Utc>> {
        let day = schedule.of_day(date.weekday());
        let chosen = day
            .iter()
            .find(|&&(_, e)| time < e)
            .map(|&(s, _)| time.max(s))
            .or_else(|| day.last().map(|&(_, e)| e))?;
        self.to_utc(date.and_time(chosen))
    }

    /// Business minutes from `from` to `to` (whole minutes, truncated toward zero); negative
    /// when `to` is before `from`. Zero for a calendar with no working interval. The cost is
    /// linear in the number of days spanned.
    ///
    /// ```
    /// use crm_core::workflow::calendar::BusinessCalendar;
    /// use chrono::{TimeZone, Utc};
    /// let cal = BusinessCalendar::sao_paulo();
    /// // Friday 17:00 → Monday 10:00 local, 2 Jan → 5 Jan 2026: 60 + 60 minutes.
    /// let from = Utc.with_ymd_and_hms(2026, 1, 2, 20, 0, 0).unwrap();
    /// let to = Utc.with_ymd_and_hms(2026, 1, 5, 13, 0, 0).unwrap();
    /// assert_eq!(cal.business_minutes_between(from, to), 120);
    /// assert_eq!(cal.business_minutes_between(to, from), -120);
    /// ```
    pub fn business_minutes_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        if to < from {
            return -self.business_minutes_between(to, from);
        }
        let schedule = Schedule::of(&self.working_hours);
        if schedule.is_empty() {
            return 0;
        }
        let last = self.local_date(to);
        let mut date = self.local_date(from);
        let mut total = Duration::zero();
        while date <= last {
            for (s, e) in self.intervals(&schedule, date) {
                let (a, b) = (s.max(from), e.min(to));
                if b > a {
                    total += b - a;
                }
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
        total.num_minutes()
    }
}

mod weekday_text {
    use chrono::Weekday;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(w: &Weekday, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(match w {
            Weekday::Mon => "mon",
            Weekday::Tue => "tue",
            Weekday::Wed => "wed",
            Weekday::Thu => "thu",
            Weekday::Fri => "fri",
            Weekday::Sat => "sat",
            Weekday::Sun => "sun",
        })
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Weekday, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.trim().parse::<Weekday>().map_err(|_| {
            serde::de::Error::custom(format!("`{text}` is not a weekday (mon, tue, … sun)"))
        })
    }
}

mod time_text {
    use chrono::{NaiveTime, Timelike};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        let format = if t.second() == 0 && t.nanosecond() == 0 {
            "%H:%M"
        } else {
            "%H:%M:%S"
        };
        s.collect_str(&t.format(format))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        let text = text.trim();
        NaiveTime::parse_from_str(text, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"))
            .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a time (HH:MM)")))
    }
}

#[cfg(test)]
#[path = "calendar_tests.rs"]
mod tests;
