//! Business calendar and SLA benches: `add_business_minutes` across a weekend and across the
//! New Year boundary, `business_minutes_between` over a month, and SLA checks for a book of
//! 10,000 open leads. Run with `cargo bench --bench workflow_sla`.

use chrono::{DateTime, Duration, TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use realestate_crm::workflow::calendar::BusinessCalendar;
use realestate_crm::workflow::sla::{SlaPolicy, check_all};
use std::hint::black_box;

/// A São Paulo local time (UTC-3 since 2019) as an instant.
fn sp(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .unwrap_or_default()
        + Duration::hours(3)
}

const POLICY: &str = r#"{
    "id": "first_contact",
    "within": {"business_minutes": 15},
    "warn_before": {"business_minutes": 5},
    "escalate": [
        {"after": {"business_minutes": 0}, "intent": {"type": "notify", "to": {"type": "owner"}, "template": "sla_breached"}},
        {"after": {"business_minutes": 30}, "intent": {"type": "escalate", "level": 1, "to": {"type": "manager"}}}
    ]
}"#;

fn calendar(c: &mut Criterion) {
    let cal = BusinessCalendar::sao_paulo();
    let friday = sp(2026, 3, 13, 17, 55);
    let new_year = sp(2026, 12, 31, 17, 50);
    let mut g = c.benchmark_group("workflow_sla/calendar");
    g.bench_function("add_15_business_minutes_same_day", |b| {
        let from = sp(2026, 3, 10, 10, 0);
        b.iter(|| cal.add_business_minutes(black_box(from), 15))
    });
    g.bench_function("add_15_business_minutes_across_weekend", |b| {
        b.iter(|| cal.add_business_minutes(black_box(friday), 15))
    });
    g.bench_function("add_15_business_minutes_across_new_year", |b| {
        b.iter(|| cal.add_business_minutes(black_box(new_year), 15))
    });
    g.bench_function("add_2_business_days_across_new_year", |b| {
        b.iter(|| cal.add_business_days(black_box(new_year), 2))
    });
    g.bench_function("business_minutes_between_one_month", |b| {
        let to = friday + Duration::days(30);
        b.iter(|| cal.business_minutes_between(black_box(friday), black_box(to)))
    });
    g.finish();
}

fn checks(c: &mut Criterion) {
    let cal = BusinessCalendar::sao_paulo();
    let Ok(policy) = serde_json::from_str::<SlaPolicy>(POLICY) else {
        return;
    };
    // 10,000 leads created one every 7 minutes (around the clock) before `now`, a fifth met.
    let now = sp(2026, 3, 20, 15, 0);
    let leads: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> = (0..10_000i64)
        .map(|i| {
            let created = now - Duration::minutes(7 * i);
            let met = (i % 5 == 0).then(|| created + Duration::minutes(20));
            (created, met)
        })
        .collect();
    let mut g = c.benchmark_group("workflow_sla/check");
    g.throughput(Throughput::Elements(leads.len() as u64));
    g.sample_size(20);
    g.bench_function("check_10000_leads", |b| {
        b.iter(|| {
            check_all(
                leads.iter().map(|&(s, m)| (&policy, s, m)),
                black_box(now),
                &cal,
            )
        })
    });
    g.finish();
}

criterion_group!(benches, calendar, checks);
criterion_main!(benches);
