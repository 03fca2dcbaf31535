use super::*;
use chrono::TimeZone;

fn cal() -> BusinessCalendar {
    BusinessCalendar::sao_paulo()
}

/// A São Paulo local time (UTC-3 since 2019) as an instant.
fn sp(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    chrono_tz::America::Sao_Paulo
        .with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn default_calendar_round_trips_and_validates() {
    let c = cal();
    c.validate().unwrap();
    let json = serde_json::to_string(&c).unwrap();
    assert!(
        json.contains("\"time_zone\":\"America/Sao_Paulo\""),
        "{json}"
    );
    assert!(json.contains("{\"weekday\":\"mon\",\"start\":\"09:00\",\"end\":\"18:00\"}"));
    let back: BusinessCalendar = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c);
    let empty: BusinessCalendar = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, c);
    assert!(serde_json::from_str::<BusinessCalendar>(r#"{"zone": "UTC"}"#).is_err());
    assert!(serde_json::from_str::<BusinessCalendar>(r#"{"time_zone": "Mars/Olympus"}"#).is_err());
}

#[test]
fn holidays_2026() {
    let c = cal();
    for d in [
        date(2026, 1, 1),
        date(2026, 2, 16),
        date(2026, 2, 17),
        date(2026, 4, 3),
        date(2026, 4, 21),
        date(2026, 5, 1),
        date(2026, 6, 4),
        date(2026, 9, 7),
        date(2026, 10, 12),
        date(2026, 11, 2),
        date(2026, 11, 20),
        date(2026, 12, 25),
    ] {
        assert!(c.is_holiday(d), "{d}");
        assert!(!c.is_business_day(d), "{d}");
    }
    assert!(!c.is_holiday(date(2026, 2, 18)));
    assert!(c.is_business_day(date(2026, 2, 18)));
    assert!(!c.is_business_day(date(2026, 2, 14))); // a Saturday, not a holiday
    assert!(!c.is_holiday(date(2026, 2, 14)));
    let mut no_optional = cal();
    no_optional.holidays.carnival = false;
    no_optional.holidays.corpus_christi = false;
    no_optional.holidays.extra = vec![date(2026, 1, 25), date(2026, 1, 1)];
    assert!(no_optional.is_business_day(date(2026, 2, 16)));
    assert!(no_optional.is_business_day(date(2026, 6, 4)));
    assert!(no_optional.is_holiday(date(2026, 1, 25)));
    let list = no_optional.holidays_in(2026);
    assert_eq!(list.len(), 11); // 10 national + 25 Jan (1 Jan listed once)
    assert_eq!(list[0], (date(2026, 1, 1), "Confraternização Universal"));
    assert_eq!(list[1], (date(2026, 1, 25), HOST_HOLIDAY));
}

#[test]
fn minutes_across_night_weekend_and_holidays() {
    let c = cal();
    // Tuesday 17:50 + 15 → Wednesday 09:05.
    assert_eq!(
        c.add_business_minutes(sp(2026, 3, 10, 17, 50), 15).unwrap(),
        sp(2026, 3, 11, 9, 5)
    );
    // Ends exactly at closing.
    assert_eq!(
        c.add_business_minutes(sp(2026, 3, 10, 17, 45), 15).unwrap(),
        sp(2026, 3, 10, 18, 0)
    );
    // Saturday → Monday opening + 15.
    assert_eq!(
        c.add_business_minutes(sp(2026, 3, 14, 11, 0), 15).unwrap(),
        sp(2026, 3, 16, 9, 15)
    );
    // Zero minutes: inside stays, outside moves to the opening; closing time is outside.
    assert_eq!(
        c.add_business_minutes(sp(2026, 3, 10, 10, 0), 0).unwrap(),
        sp(2026, 3, 10, 10, 0)
    );
    assert_eq!(
        c.add_business_minutes(sp(2026, 3, 10, 18, 0), 0).unwrap(),
        sp(2026, 3, 11, 9, 0)
    );
    // Christmas Thursday 2025 17:55 → Friday 26 Dec 09:10; 31 Dec 17:55 → Friday 2 Jan 09:10.
    assert_eq!(
        c.add_business_minutes(sp(2025, 12, 24, 17, 55), 15)
            .unwrap(),
        sp(2025, 12, 26, 9, 10)
    );
    assert_eq!(
        c.add_business_minutes(sp(2025, 12, 31, 17, 55), 15)
            .unwrap(),
        sp(2026, 1, 2, 9, 10)
    );
    assert!(c.is_working_time(sp(2026, 3, 10, 9, 0)));
    assert!(!c.is_working_time(sp(2026, 3, 10, 18, 0)));
    assert!(!c.is_working_time(sp(2026, 2, 16, 10, 0)));
}

#[test]
fn days_rule() {
    let c = cal();
    // Friday 17:00 + 1 → Monday 17:00; Friday 19:00 (after hours) + 1 → Tuesday 09:00.
    assert_eq!(
        c.add_business_days(sp(2026, 3, 13, 17, 0), 1).unwrap(),
        sp(2026, 3, 16, 17, 0)
    );
    assert_eq!(
        c.add_business_days(sp(2026, 3, 13, 19, 0), 1).unwrap(),
        sp(2026, 3, 17, 9, 0)
    );
    // Clamped into a shorter Saturday.
    let mut sat = cal();
    sat.working_hours.push(WorkingDay {
        weekday: Weekday::Sat,
        start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
        end: NaiveTime::from_hms_opt(13, 0, 0).unwrap(),
    });
    assert_eq!(
        sat.add_business_days(sp(2026, 3, 13, 17, 0), 1).unwrap(),
        sp(2026, 3, 14, 13, 0)
    );
    assert_eq!(
        c.add_business_days(sp(2026, 3, 14, 10, 0), 0).unwrap(),
        sp(2026, 3, 16, 9, 0)
    );
}

#[test]
fn validation_and_bounds() {
    let mut c = cal();
    c.working_hours.push(WorkingDay {
        weekday: Weekday::Mon,
        start: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
        end: NaiveTime::from_hms_opt(19, 0, 0).unwrap(),
    });
    c.working_hours.push(WorkingDay {
        weekday: Weekday::Tue,
        start: NaiveTime::from_hms_opt(19, 0, 0).unwrap(),
        end: NaiveTime::from_hms_opt(19, 0, 0).unwrap(),
    });
    let errors = c.validate().unwrap_err();
    assert!(errors.contains("working_hours[5]", ErrorCode::CalendarHours));
    assert!(errors.contains("working_hours[6].end", ErrorCode::CalendarHours));
    assert_eq!(errors.len(), 2);
    let none = BusinessCalendar {
        working_hours: vec![],
        ..cal()
    };
    assert!(
        none.validate()
            .unwrap_err()
            .contains("working_hours", ErrorCode::CalendarHours)
    );
    let err = none
        .add_business_minutes(sp(2026, 1, 1, 0, 0), 1)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::CalendarHours);
    assert_eq!(
        none.business_minutes_between(sp(2026, 1, 1, 0, 0), sp(2027, 1, 1, 0, 0)),
        0
    );
    let err = cal()
        .add_business_minutes(sp(2026, 1, 1, 0, 0), u32::MAX)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::CalendarTooFar);
    let err = cal()
        .add_business_days(sp(2026, 1, 1, 0, 0), 4000)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::CalendarTooFar);
    // Near the end of chrono's range: an error, not a panic.
    let end = DateTime::<Utc>::MAX_UTC;
    assert!(cal().add_business_minutes(end, 15).is_err());
    assert!(cal().add_business_days(end, 1).is_err());
    assert_eq!(
        parse_time_zone("America/Sao_Paulo").unwrap(),
        chrono_tz::America::Sao_Paulo
    );
}

#[test]
fn dst_history_is_respected() {
    // 2018-11-05 (Monday): São Paulo was on summer time (UTC-2) from 4 Nov 2018.
    let c = cal();
    let opening = Utc.with_ymd_and_hms(2018, 11, 5, 11, 0, 0).unwrap(); // 09:00 UTC-2
    assert!(c.is_working_time(opening));
    assert!(!c.is_working_time(opening - Duration::minutes(1)));
    // Friday 2 Nov 2018 was Finados; Thursday 1 Nov 17:50 (UTC-3) + 15 → Monday 09:05 (UTC-2).
    let from = Utc.with_ymd_and_hms(2018, 11, 1, 20, 50, 0).unwrap();
    assert_eq!(
        c.add_business_minutes(from, 15).unwrap(),
        opening + Duration::minutes(5)
    );
    assert_eq!(
        c.business_minutes_between(from, opening + Duration::minutes(5)),
        15
    );
}
