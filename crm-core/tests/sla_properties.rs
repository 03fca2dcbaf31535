//! Properties of business-time arithmetic on random calendars and instants:
//!
//! * `add_business_minutes` lands inside working time, or — when the minutes run out exactly at
//!   an interval's end — on that end (the instant just before it is working time);
//! * it is monotone in the minutes;
//! * `business_minutes_between(from, add_business_minutes(from, m)) == m` for every `from`
//!   (time before the next opening is not counted), and swapping the ends negates the count;
//! * `add_business_days` lands inside working time or on an interval's end;
//! * Easter is a Sunday between 22 March and 25 April.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // generators build from in-range parts

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use crm_core::workflow::calendar::{BusinessCalendar, HolidayRules, WorkingDay, easter_sunday};
use proptest::prelude::*;

const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

const ZONES: [chrono_tz::Tz; 4] = [
    chrono_tz::America::Sao_Paulo,
    chrono_tz::America::Manaus,
    chrono_tz::America::Noronha,
    chrono_tz::UTC,
];

/// A calendar with, per weekday, up to three non-overlapping intervals (boundaries are sorted
/// distinct minutes of the day, paired up), at least one interval in the week.
fn calendar() -> impl Strategy<Value = BusinessCalendar> {
    let day = prop::collection::btree_set(0u32..1440, 0..=6);
    (
        prop::array::uniform7(day),
        0..ZONES.len(),
        any::<(bool, bool, bool)>(),
        prop::collection::vec((2000i32..2040, 1u32..=12, 1u32..=28), 0..20),
    )
        .prop_filter_map("no working hours", |(days, zone, (n, c, cc), extra)| {
            let mut working_hours = Vec::new();
            for (weekday, set) in WEEKDAYS.iter().zip(days) {
                let points: Vec<u32> = set.into_iter().collect();
                for pair in points.chunks_exact(2) {
                    let t = |m: u32| NaiveTime::from_hms_opt(m / 60, m % 60, 0).unwrap();
                    working_hours.push(WorkingDay {
                        weekday: *weekday,
                        start: t(pair[0]),
                        end: t(pair[1]),
                    });
                }
            }
            let cal = BusinessCalendar {
                time_zone: ZONES[zone],
                working_hours,
                holidays: HolidayRules {
                    national: n,
                    carnival: c,
                    corpus_christi: cc,
                    extra: extra
                        .into_iter()
                        .filter_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
                        .collect(),
                },
            };
            cal.validate().is_ok().then_some(cal)
        })
}

fn any_calendar() -> impl Strategy<Value = BusinessCalendar> {
    prop_oneof![Just(BusinessCalendar::sao_paulo()), calendar()]
}

/// An instant between 2000 and 2040, to the second (São Paulo had summer time until 2019).
fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (946_684_800i64..2_208_988_800).prop_map(|s| Utc.timestamp_opt(s, 0).unwrap())
}

/// The result, or `None` when a sparse random calendar cannot fit the minutes into ten years
/// (`workflow.calendar.too_far`, a documented outcome).
fn within_bounds(r: Result<DateTime<Utc>, crm_core::Error>) -> Option<DateTime<Utc>> {
    match r {
        Ok(t) => Some(t),
        Err(e) => {
            assert_eq!(e.code(), crm_core::ErrorCode::CalendarTooFar, "{e}");
            None
        }
    }
}

fn inside_or_at_end(cal: &BusinessCalendar, t: DateTime<Utc>) -> bool {
    cal.is_working_time(t) || cal.is_working_time(t - Duration::nanoseconds(1))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn minutes_land_in_working_hours(cal in any_calendar(), from in instant(), m in 0u32..20_000) {
        let Some(due) = within_bounds(cal.add_business_minutes(from, m)) else { return Ok(()) };
        prop_assert!(due >= from);
        if m == 0 {
            prop_assert!(cal.is_working_time(due), "{due}");
        } else {
            prop_assert!(inside_or_at_end(&cal, due), "{due}");
        }
    }

    #[test]
    fn minutes_are_monotone(cal in any_calendar(), from in instant(), a in 0u32..5_000, b in 0u32..5_000) {
        let (lo, hi) = (a.min(b), a.max(b));
        let Some(high) = within_bounds(cal.add_business_minutes(from, hi)) else { return Ok(()) };
        prop_assert!(cal.add_business_minutes(from, lo).unwrap() <= high);
    }

    #[test]
    fn between_inverts_add(cal in any_calendar(), from in instant(), m in 0u32..20_000) {
        let Some(due) = within_bounds(cal.add_business_minutes(from, m)) else { return Ok(()) };
        prop_assert_eq!(cal.business_minutes_between(from, due), i64::from(m));
        prop_assert_eq!(cal.business_minutes_between(due, from), -i64::from(m));
    }

    #[test]
    fn days_land_in_working_hours(cal in any_calendar(), from in instant(), d in 0u32..60) {
        let Some(due) = within_bounds(cal.add_business_days(from, d)) else { return Ok(()) };
        prop_assert!(due >= from);
        prop_assert!(inside_or_at_end(&cal, due), "{due}");
        let local = due.with_timezone(&cal.time_zone).date_naive();
        prop_assert!(cal.is_business_day(local));
    }

    #[test]
    fn easter_is_a_sunday_in_range(year in 1583i32..5000) {
        let e = easter_sunday(year).unwrap();
        prop_assert_eq!(e.weekday(), Weekday::Sun);
        prop_assert!((e.month(), e.day()) >= (3, 22) && (e.month(), e.day()) <= (4, 25));
    }
}
