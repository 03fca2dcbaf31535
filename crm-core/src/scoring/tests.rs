//! Scores worked by hand from small rule sets.

use super::*;
use crate::domain::*;
use chrono::{DateTime, Duration, TimeZone, Utc};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap()
}

const RULES: &str = r#"{"id": "t",
  "fit": {"cap": 20, "groups": [{"name": "a", "cap": 10}, {"name": "b", "cap": 5}],
    "rules": [{"id": "phone", "group": "a", "points": 6, "when": {"type": "valid_phone"}},
              {"id": "email", "group": "a", "points": 6, "when": {"type": "valid_email"}},
              {"id": "doc", "group": "b", "points": 3, "when": {"type": "valid_document"}}]},
  "engagement": {"cap": 20, "decay": {"type": "half_life", "days": 10},
    "groups": [{"name": "g", "cap": 100}, {"name": "neg", "cap": 1}],
    "rules": [{"id": "view", "group": "g", "points": 4, "when": {"type": "activity", "kinds": ["listing_view"]}},
              {"id": "noshow", "group": "neg", "points": -5, "when": {"type": "activity", "kinds": ["visit_no_show"]}}]},
  "bands": [{"name": "A", "min": 43.75}, {"name": "B", "min": 20}, {"name": "C", "min": 0}]}"#;

fn scorer(json: &str) -> Scorer {
    Scorer::new(from_json(json).unwrap()).unwrap()
}

fn lead() -> Lead {
    Lead::new(
        LeadId::from_parts(1, [1; 10]),
        Contact::new("Ana Souza")
            .with_phone("(11) 98765-4321")
            .with_email("ana@exemplo.com.br")
            .with_document("529.982.247-25"),
        now() - Duration::days(60),
    )
}

fn activity(kind: ActivityKind, age: Duration, n: u8) -> Activity {
    let mut a = Activity::new(
        ActivityId::from_parts(u64::from(n), [n; 10]),
        LeadId::from_parts(1, [1; 10]),
        kind,
        now() - age,
    );
    a.property_id = Some(PropertyId::from_parts(1, [3; 10]));
    a
}

fn reason<'a>(s: &'a LeadScore<'a>, rule: &str) -> Option<&'a Reason<'a>> {
    s.reasons.iter().find(|r| r.rule == rule)
}

#[test]
fn caps_decay_negative_points_and_bands_by_hand() {
    let l = lead();
    let acts = [
        activity(ActivityKind::ListingView, Duration::zero(), 1), // 4 · 1     = 4
        activity(ActivityKind::ListingView, Duration::days(10), 2), // 4 · 1/2   = 2
        activity(ActivityKind::ListingView, Duration::days(20), 3), // 4 · 1/4   = 1
        activity(ActivityKind::VisitNoShow, Duration::days(10), 4), // −5 · 1/2  = −2.5
    ];
    let sc = scorer(RULES);
    let s = sc.score(
        &LeadInput {
            lead: &l,
            activities: &acts,
            property: None,
        },
        now(),
    );
    // Fit: phone 6 + email 6 = 12 capped to 10 in group a (5 + 5); doc 3 → 13.
    assert_eq!(s.fit, 13.0);
    assert_eq!(
        (
            reason(&s, "phone").unwrap().points,
            reason(&s, "phone").unwrap().after_caps
        ),
        (6.0, 5.0)
    );
    // Engagement: 4 + 2 + 1 − 2.5 = 4.5.
    assert_eq!(s.engagement, 4.5);
    let view = reason(&s, "view").unwrap();
    assert_eq!(
        (view.matched, view.points, view.after_decay, view.after_caps),
        (3, 12.0, 7.0, 7.0)
    );
    assert_eq!(reason(&s, "noshow").unwrap().after_caps, -2.5);
    // Combined: 100 · (13/20 + 4.5/20) / 2 = 43.75, exactly the A threshold.
    assert_eq!(s.score, 43.75);
    assert_eq!(s.band, "A");
    // Reasons by weight: view 7, phone 5, email 5 (rule order), doc 3, noshow −2.5.
    let order: Vec<&str> = s.reasons.iter().map(|r| r.rule).collect();
    assert_eq!(order, ["view", "phone", "email", "doc", "noshow"]);
}

#[test]
fn section_caps_scale_reasons_to_add_up_exactly() {
    // Ten fresh views: 40 points, section cap 20 → the reason shows 20 after caps.
    let l = lead();
    let acts: Vec<Activity> = (0..10)
        .map(|i| activity(ActivityKind::ListingView, Duration::hours(i64::from(i)), i))
        .collect();
    let sc = scorer(RULES);
    let s = sc.score(
        &LeadInput {
            lead: &l,
            activities: &acts,
            property: None,
        },
        now(),
    );
    assert_eq!(s.engagement, 20.0);
    assert_eq!(reason(&s, "view").unwrap().after_caps, 20.0);
    let fit_sum: f64 = s
        .reasons
        .iter()
        .filter(|r| r.section == SectionKind::Fit)
        .map(|r| r.after_caps)
        .sum();
    assert_eq!(fit_sum, s.fit);
}

#[test]
fn window_edges_and_future_events() {
    let rules = RULES.replace(
        r#"{"type": "half_life", "days": 10}"#,
        r#"{"type": "window", "days": 7}"#,
    );
    let l = lead();
    let acts = [
        activity(ActivityKind::ListingView, Duration::days(7), 1), // exactly 7 days: counts
        activity(
            ActivityKind::ListingView,
            Duration::days(7) + Duration::seconds(1),
            2,
        ), // outside
        activity(ActivityKind::ListingView, -Duration::hours(1), 3), // in the future: ignored
    ];
    let sc = scorer(&rules);
    let s = sc.score(
        &LeadInput {
            lead: &l,
            activities: &acts,
            property: None,
        },
        now(),
    );
    assert_eq!(s.engagement, 4.0);
    assert_eq!(reason(&s, "view").unwrap().matched, 1);
}

#[test]
fn order_of_activities_does_not_matter() {
    let l = lead();
    let mut acts: Vec<Activity> = (0..12)
        .map(|i| {
            activity(
                ActivityKind::ListingView,
                Duration::hours(i64::from(i) * 37 + 5),
                i,
            )
        })
        .collect();
    let sc = scorer(RULES);
    let a = sc.score(
        &LeadInput {
            lead: &l,
            activities: &acts,
            property: None,
        },
        now(),
    );
    acts.reverse();
    let b = sc.score(
        &LeadInput {
            lead: &l,
            activities: &acts,
            property: None,
        },
        now(),
    );
    assert_eq!(a, b);
}

#[test]
fn default_rules_fit_with_a_property() {
    let sc = Scorer::new(default_rules().unwrap()).unwrap();
    let mut l = lead();
    l.interest = Interest::Buy;
    l.budget = BudgetRange {
        min: Some(crate::Money::brl(rust_decimal::Decimal::new(800_000, 0))),
        max: Some(crate::Money::brl(rust_decimal::Decimal::new(1_000_000, 0))),
    };
    l.wanted_neighbourhoods = vec!["moema".into()];
    l.wanted_cities = vec!["Sao Paulo".into()];
    l.property_types = vec![PropertyType::Apartment];
    l.min_bedrooms = Some(2);
    l.timeline = Timeline::Within3Months;
    l.source = LeadSource::Referral { referrer: None };
    let mut p = Property::new(
        PropertyId::from_parts(1, [3; 10]),
        ListingKind::Sale,
        PropertyType::Apartment,
        Address::new("04077-000", "Alameda dos Maracatins", "São Paulo", "SP")
            .with_neighbourhood("Moema"),
        now(),
    );
    p.bedrooms = 3;
    // 1,080,000 is above the 1,000,000 budget but within its 10% tolerance (1,100,000).
    p.sale_price = Some(crate::Money::brl(rust_decimal::Decimal::new(1_080_000, 0)));
    let s = sc.score(
        &LeadInput {
            lead: &l,
            activities: &[],
            property: Some(&p),
        },
        now(),
    );
    // budget 15 + location 6+4 = 10 + property 4+4 = 8 + profile 7 (all 8 fields) + contact 3+2+1 = 6
    // + intent 6 + source 8 = 60 → capped at the section's 50.
    assert_eq!(s.fit, 50.0);
    assert_eq!(s.engagement, 0.0);
    assert_eq!(s.score, 50.0);
    assert_eq!(s.band, "B");
    let fit_sum: f64 = s.reasons.iter().map(|r| r.after_caps).sum();
    assert_eq!(fit_sum, 50.0);
}

#[test]
fn portal_names_in_rules_must_be_keys() {
    let rules = RULES.replace(
        r#"{"id": "doc", "group": "b", "points": 3, "when": {"type": "valid_document"}}"#,
        r#"{"id": "doc", "group": "b", "points": 3, "when": {"type": "source", "portals": ["ZAP", "viva_real"]}}"#,
    );
    let set: RuleSet = from_json(&rules).unwrap();
    let errs: Vec<(String, crate::ErrorCode)> = set
        .validate()
        .unwrap_err()
        .into_iter()
        .map(|e| (e.path, e.code))
        .collect();
    assert_eq!(
        errs,
        [(
            "fit.rules[2].when.portals[0]".to_owned(),
            crate::ErrorCode::ScoringCondition
        )]
    );
}
