//! Properties of lead scoring: scores stay in bounds for any input, a positive activity never
//! lowers engagement, the order of activities does not matter, and reasons add up.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // fixtures: a broken default rule set should fail loudly

use chrono::{DateTime, Duration, TimeZone, Utc};
use crm_core::domain::*;
use crm_core::scoring::{LeadInput, Scorer, default_rules};
use proptest::prelude::*;

const KINDS: [ActivityKind; 11] = [
    ActivityKind::ListingView,
    ActivityKind::Favourite,
    ActivityKind::SavedSearch,
    ActivityKind::Message,
    ActivityKind::Call,
    ActivityKind::EmailOpened,
    ActivityKind::VisitScheduled,
    ActivityKind::VisitDone,
    ActivityKind::VisitNoShow,
    ActivityKind::ProposalSent,
    ActivityKind::Unsubscribed,
];

const POSITIVE: [ActivityKind; 9] = [
    ActivityKind::ListingView,
    ActivityKind::Favourite,
    ActivityKind::SavedSearch,
    ActivityKind::Message,
    ActivityKind::Call,
    ActivityKind::EmailOpened,
    ActivityKind::VisitScheduled,
    ActivityKind::VisitDone,
    ActivityKind::ProposalSent,
];

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap()
}

fn activity(i: usize, kind: ActivityKind, age_minutes: i64, property: u8) -> Activity {
    let mut a = Activity::new(
        ActivityId::from_parts(i as u64, [7; 10]),
        LeadId::from_parts(1, [1; 10]),
        kind,
        now() - Duration::minutes(age_minutes),
    );
    a.property_id = Some(PropertyId::from_parts(u64::from(property), [3; 10]));
    a
}

fn activities() -> impl Strategy<Value = Vec<Activity>> {
    prop::collection::vec((0usize..KINDS.len(), -600i64..200_000, 0u8..4), 0..40).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (k, age, p))| activity(i, KINDS[k], age, p))
            .collect()
    })
}

fn lead(phone: &str, email: &str, timeline: usize) -> Lead {
    let mut l = Lead::new(
        LeadId::from_parts(1, [1; 10]),
        Contact::new("Ana").with_phone(phone).with_email(email),
        now() - Duration::days(30),
    );
    l.timeline = [
        Timeline::Immediate,
        Timeline::Within6Months,
        Timeline::Unknown,
    ][timeline % 3];
    l
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn scores_stay_within_bounds(acts in activities(), phone in ".{0,20}", email in ".{0,20}", t in 0usize..3) {
        let scorer = Scorer::new(default_rules().unwrap()).unwrap();
        let l = lead(&phone, &email, t);
        let s = scorer.score(&LeadInput { lead: &l, activities: &acts, property: None }, now());
        prop_assert!((0.0..=100.0).contains(&s.score));
        prop_assert!((0.0..=50.0).contains(&s.fit) && (0.0..=50.0).contains(&s.engagement));
        let fit: i64 = s.reasons.iter().filter(|r| r.section == crm_core::scoring::SectionKind::Fit).map(|r| (r.after_caps * 1000.0).round() as i64).sum();
        prop_assert_eq!(fit, (s.fit * 1000.0).round() as i64);
    }

    #[test]
    fn a_positive_activity_never_lowers_engagement(acts in activities(), k in 0usize..POSITIVE.len(), age in 0i64..100_000, p in 0u8..4) {
        let scorer = Scorer::new(default_rules().unwrap()).unwrap();
        let l = lead("(11) 98765-4321", "ana@exemplo.com", 0);
        let before = scorer.score(&LeadInput { lead: &l, activities: &acts, property: None }, now());
        let mut more = acts.clone();
        more.push(activity(999, POSITIVE[k], age, p));
        let after = scorer.score(&LeadInput { lead: &l, activities: &more, property: None }, now());
        prop_assert!(after.engagement >= before.engagement, "{} then {}", before.engagement, after.engagement);
        prop_assert!(after.score >= before.score);
    }

    #[test]
    fn order_of_activities_does_not_matter(mut acts in activities(), seed in any::<u64>()) {
        let scorer = Scorer::new(default_rules().unwrap()).unwrap();
        let l = lead("(11) 98765-4321", "ana@exemplo.com", 1);
        let a = scorer.score(&LeadInput { lead: &l, activities: &acts, property: None }, now());
        // a deterministic shuffle
        let n = acts.len();
        for i in (1..n).rev() {
            let j = (seed.wrapping_mul(i as u64 + 1).rotate_left(17) % (i as u64 + 1)) as usize;
            acts.swap(i, j);
        }
        let b = scorer.score(&LeadInput { lead: &l, activities: &acts, property: None }, now());
        prop_assert_eq!(a.score, b.score);
        prop_assert_eq!(a.reasons, b.reasons);
    }

    #[test]
    fn rule_set_json_never_panics(s in ".{0,300}") {
        let _ = from_json::<crm_core::scoring::RuleSet>(&s);
    }
}
