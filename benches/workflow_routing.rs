//! Lead routing: one lead in a 5-team, 40-agent policy, and 10,000 leads in a row carrying the
//! routing state. Run with `cargo bench --bench workflow_routing`.

use chrono::{TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use realestate_crm::domain::*;
use realestate_crm::workflow::routing::{
    AgentStatus, Member, Method, RoutingPolicy, RoutingState, Team, Territories, route,
};
use std::hint::black_box;

const CITIES: [&str; 5] = [
    "São Paulo",
    "Campinas",
    "Santos",
    "Rio de Janeiro",
    "Niterói",
];
const METHODS: [Method; 5] = [
    Method::RoundRobin,
    Method::WeightedRoundRobin,
    Method::LeastLoaded,
    Method::RandomWeighted,
    Method::RoundRobin,
];

fn agent(n: usize) -> AgentId {
    AgentId::from_parts(1_700_000_000_000 + n as u64, [9; 10])
}

fn setup() -> (RoutingPolicy, Vec<AgentStatus>) {
    let teams = (0..5)
        .map(|t| Team {
            id: format!("team{t}"),
            members: (0..8)
                .map(|m| Member {
                    agent_id: agent(t * 8 + m),
                    weight: 1 + (m as u32 % 3),
                    max_open_leads: Some(30),
                    languages: vec![],
                })
                .collect(),
            territories: Territories {
                cities: vec![CITIES[t].to_owned(), CITIES[(t + 1) % 5].to_owned()],
                ..Territories::default()
            },
            capacity: 1 + t as u32,
            method: METHODS[t],
            manager: None,
        })
        .collect();
    let policy = RoutingPolicy {
        teams,
        match_order: vec![],
        fallback_team: Some("team0".into()),
        manager: None,
        claim: None,
    };
    let agents = (0..40)
        .map(|i| AgentStatus {
            agent_id: agent(i),
            paused: i % 11 == 0,
            open_leads: (i * 7 % 31) as u32,
            on_duty: Some(i % 13 != 0),
            working_hours: None,
            calendar: None,
        })
        .collect();
    (policy, agents)
}

fn leads(n: usize) -> Vec<Lead> {
    let now = Utc
        .with_ymd_and_hms(2026, 11, 26, 9, 0, 0)
        .single()
        .unwrap_or_default();
    (0..n)
        .map(|i| {
            let mut l = Lead::new(
                LeadId::from_parts(i as u64, [1; 10]),
                Contact::new("Maria Souza").with_phone("(11) 98765-4321"),
                now,
            );
            l.wanted_cities = vec![CITIES[i % 5].to_owned()];
            l
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let (policy, agents) = setup();
    let now = Utc
        .with_ymd_and_hms(2026, 11, 26, 14, 0, 0)
        .single()
        .unwrap_or_default();
    let one = leads(1);
    let state = RoutingState::default();
    c.bench_function("route one lead (5 teams, 40 agents)", |b| {
        b.iter(|| route(black_box(&one[0]), None, &policy, &state, &agents, now, 42))
    });
    let book = leads(10_000);
    let mut group = c.benchmark_group("route 10,000 leads carrying state");
    group.throughput(Throughput::Elements(book.len() as u64));
    group.sample_size(10);
    group.bench_function("sequential", |b| {
        b.iter(|| {
            let mut state = RoutingState::default();
            for (i, lead) in book.iter().enumerate() {
                if let Ok(d) = route(lead, None, &policy, &state, &agents, now, i as u64) {
                    state = d.new_state;
                }
            }
            black_box(state)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
