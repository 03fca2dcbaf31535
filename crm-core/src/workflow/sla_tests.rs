use super::*;
use crate::workflow::intent::Recipient;
use chrono::TimeZone;

fn sp(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    chrono_tz::America::Sao_Paulo
        .with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

fn first_contact() -> SlaPolicy {
    SlaPolicy {
        id: "first_contact".into(),
        applies_to: SlaScope {
            stages: vec!["new".into()],
            sources: vec![],
        },
        start: SlaStart::LeadCreated,
        within: SlaDuration::BusinessMinutes(15),
        warn_before: Some(SlaDuration::BusinessMinutes(5)),
        escalate: vec![
            EscalationStep {
                after: SlaDuration::BusinessMinutes(0),
                intent: Intent::Notify {
                    to: Recipient::Owner,
                    template: "sla_breached".into(),
                },
            },
            EscalationStep {
                after: SlaDuration::BusinessMinutes(30),
                intent: Intent::Escalate {
                    level: 1,
                    to: Recipient::Manager,
                },
            },
        ],
    }
}

#[test]
fn states_in_order() {
    let cal = BusinessCalendar::sao_paulo();
    let p = first_contact();
    let start = sp(2026, 3, 10, 10, 0); // Tuesday; due 10:15
    let at = |h, m| p.check(start, None, sp(2026, 3, 10, h, m), &cal).unwrap();
    let s = at(10, 5);
    assert_eq!(
        (s.state, s.business_minutes_left_or_over),
        (SlaState::OnTrack, 10)
    );
    assert_eq!(s.next_check_at, Some(sp(2026, 3, 10, 10, 15)));
    assert_eq!(at(10, 10).state, SlaState::Warning);
    assert_eq!(at(10, 15).state, SlaState::Warning);
    let s = at(10, 16);
    assert_eq!(s.state, SlaState::Breached);
    assert_eq!(s.escalations_due, vec![0]);
    assert_eq!(s.next_check_at, Some(sp(2026, 3, 10, 10, 45)));
    let s = at(10, 45);
    assert_eq!(s.escalations_due, vec![0, 1]);
    assert_eq!(s.intents.len(), 2);
    assert_eq!(s.next_check_at, None);
    let met = p
        .check(
            start,
            Some(sp(2026, 3, 10, 10, 15)),
            sp(2026, 3, 10, 11, 0),
            &cal,
        )
        .unwrap();
    assert_eq!(met.state, SlaState::MetOnTime);
    assert_eq!(met.business_minutes_left_or_over, 0);
    assert!(met.intents.is_empty());
    let late = p
        .check(
            start,
            Some(sp(2026, 3, 10, 10, 20)),
            sp(2026, 3, 10, 11, 0),
            &cal,
        )
        .unwrap();
    assert_eq!(
        (late.state, late.business_minutes_left_or_over),
        (SlaState::MetLate, -5)
    );
}

#[test]
fn units_and_scope() {
    let cal = BusinessCalendar::sao_paulo();
    let mut p = first_contact();
    assert!(p.applies("new", None));
    assert!(!p.applies("contacted", None));
    p.applies_to.sources = vec!["zap".into()];
    assert!(p.applies("new", Some("zap")));
    assert!(!p.applies("new", Some("site")));
    assert!(!p.applies("new", None));
    p.within = SlaDuration::Minutes(30);
    assert_eq!(
        p.deadline(sp(2026, 3, 10, 17, 50), &cal).unwrap(),
        sp(2026, 3, 10, 18, 20)
    );
    p.within = SlaDuration::BusinessDays(2);
    assert_eq!(
        p.deadline(sp(2026, 3, 12, 11, 0), &cal).unwrap(),
        sp(2026, 3, 16, 11, 0)
    );
}

#[test]
fn serde_shapes() {
    let json = r#"{"id": "x", "start": {"field": "visit_at"}, "within": {"business_days": 2}}"#;
    let p: SlaPolicy = serde_json::from_str(json).unwrap();
    assert_eq!(p.start, SlaStart::Field("visit_at".into()));
    assert_eq!(p.within, SlaDuration::BusinessDays(2));
    let p: SlaPolicy =
        serde_json::from_str(r#"{"id": "x", "start": "stage_entered", "within": {"minutes": 1}}"#)
            .unwrap();
    assert_eq!(p.start, SlaStart::StageEntered);
    assert!(serde_json::from_str::<SlaPolicy>(r#"{"id": "x", "within": {"hours": 1}}"#).is_err());
    assert!(
        serde_json::from_str::<SlaPolicy>(r#"{"id": "x", "within": {"minutes": 1}, "oops": 1}"#)
            .is_err()
    );
    let back: SlaPolicy =
        serde_json::from_str(&serde_json::to_string(&first_contact()).unwrap()).unwrap();
    assert_eq!(back, first_contact());
}

#[test]
fn validation_paths() {
    let mut p = first_contact();
    p.id = " ".into();
    p.start = SlaStart::Field(String::new());
    p.within = SlaDuration::BusinessMinutes(0);
    p.warn_before = Some(SlaDuration::Minutes(5));
    p.escalate.swap(0, 1);
    let e = p.validate().unwrap_err();
    assert!(e.contains("id", ErrorCode::SlaId));
    assert!(e.contains("start.field", ErrorCode::SlaStart));
    assert!(e.contains("within.business_minutes", ErrorCode::SlaDuration));
    assert!(e.contains("warn_before", ErrorCode::SlaWarnBefore));
    assert!(e.contains("escalate[1].after", ErrorCode::SlaEscalation));
    assert_eq!(e.len(), 5, "{e:?}");
    let mut q = first_contact();
    q.warn_before = Some(SlaDuration::BusinessMinutes(15));
    q.escalate[1].after = SlaDuration::Minutes(MAX_MINUTES + 1);
    let e = validate_policies(&[first_contact(), q]).unwrap_err();
    assert!(e.contains("[1].id", ErrorCode::SlaId));
    assert!(e.contains("[1].warn_before.business_minutes", ErrorCode::SlaWarnBefore));
    assert!(e.contains("[1].escalate[1].after.minutes", ErrorCode::SlaDuration));
    assert!(e.contains("[1].escalate[1].after", ErrorCode::SlaEscalation));
    assert_eq!(e.len(), 4, "{e:?}");
}
