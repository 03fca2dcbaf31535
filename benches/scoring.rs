//! Rule scoring with the default rule set: leads with about ten activities each, scored one by
//! one and as a batch. Run with `cargo bench --bench scoring`; throughput is leads per second.

use chrono::{Duration, TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use realestate_crm::domain::*;
use realestate_crm::scoring::{LeadInput, Scorer, default_rules};
use std::hint::black_box;

/// A small deterministic generator (xorshift64*), so every run scores the same book.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const KINDS: [ActivityKind; 8] = [
    ActivityKind::ListingView,
    ActivityKind::ListingView,
    ActivityKind::ListingView,
    ActivityKind::Favourite,
    ActivityKind::Message,
    ActivityKind::EmailOpened,
    ActivityKind::VisitScheduled,
    ActivityKind::VisitNoShow,
];

fn book(n: usize) -> (Vec<Lead>, Vec<Vec<Activity>>) {
    let now = Utc
        .with_ymd_and_hms(2026, 11, 26, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut leads = Vec::with_capacity(n);
    let mut acts = Vec::with_capacity(n);
    for i in 0..n {
        let id = LeadId::from_parts(i as u64, [1; 10]);
        let mut contact = Contact::new("Maria Souza").with_phone("(11) 98765-4321");
        if rng.below(2) == 0 {
            contact = contact.with_email("maria.souza@exemplo.com.br");
        }
        let mut lead = Lead::new(id, contact, now - Duration::days(90));
        lead.timeline = if rng.below(3) == 0 {
            Timeline::Within3Months
        } else {
            Timeline::Unknown
        };
        lead.source = LeadSource::Portal {
            portal: Portal::Zap,
            external_id: Some(format!("Z{i}")),
            temperature: Some(LeadTemperature::Warm),
        };
        let mut list = Vec::with_capacity(10);
        for k in 0..10u8 {
            let kind = KINDS[rng.below(KINDS.len() as u64) as usize];
            let mut a = Activity::new(
                ActivityId::from_parts(i as u64, [k; 10]),
                id,
                kind,
                now - Duration::minutes(rng.below(60 * 24 * 60) as i64),
            );
            a.property_id = Some(PropertyId::from_parts(rng.below(4), [3; 10]));
            list.push(a);
        }
        leads.push(lead);
        acts.push(list);
    }
    (leads, acts)
}

fn scoring(c: &mut Criterion) {
    let scorer = Scorer::new(default_rules().unwrap_or_else(|e| panic!("{e}")))
        .unwrap_or_else(|e| panic!("{e}"));
    let now = Utc
        .with_ymd_and_hms(2026, 11, 26, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let (leads, acts) = book(10_000);
    let inputs: Vec<LeadInput<'_>> = leads
        .iter()
        .zip(&acts)
        .map(|(lead, a)| LeadInput {
            lead,
            activities: a,
            property: None,
        })
        .collect();
    let mut g = c.benchmark_group("scoring");
    g.throughput(Throughput::Elements(1));
    g.bench_function("one lead, 10 activities, default rules", |b| {
        b.iter(|| scorer.score(black_box(&inputs[7]), now))
    });
    g.throughput(Throughput::Elements(inputs.len() as u64));
    g.sample_size(20);
    g.bench_function("batch of 10,000 leads", |b| {
        b.iter(|| scorer.score_batch(black_box(&inputs), now))
    });
    g.finish();
}

criterion_group!(benches, scoring);
criterion_main!(benches);
