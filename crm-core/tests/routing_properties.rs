//! Properties of lead routing: replay determinism, round-robin fairness, and that paused,
//! off-duty and full agents are never chosen.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)] // fixtures fail loudly

use chrono::{DateTime, Duration, TimeZone, Utc};
use crm_core::domain::{AgentId, Contact, Lead, LeadId};
use crm_core::workflow::routing::{
    AgentStatus, Assignment, ClaimMode, ClaimPolicy, Member, Method, RoutingPolicy, RoutingState,
    Team, Territories, route,
};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn agent(n: usize) -> AgentId {
    AgentId::from_uuid(uuid_from(n as u128 + 1))
}

fn uuid_from(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(0x0190_f3a0_0000_7000_8000_0000_0000_0000 + n)
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 14, 0, 0).unwrap()
}

fn lead(i: usize) -> Lead {
    Lead::new(
        LeadId::from_parts(1_700_000_000_000 + i as u64, [3; 10]),
        Contact::new("Lead").with_phone("11987654321"),
        now(),
    )
}

fn method() -> impl Strategy<Value = Method> {
    prop_oneof![
        Just(Method::RoundRobin),
        Just(Method::WeightedRoundRobin),
        Just(Method::LeastLoaded),
        Just(Method::RandomWeighted),
    ]
}

/// Teams of 1..6 members over agents 0..12, with territories drawn from two cities.
fn policy() -> impl Strategy<Value = RoutingPolicy> {
    let team = (
        proptest::collection::btree_set(0usize..12, 1..6),
        proptest::collection::vec(1u32..5, 6),
        method(),
        1u32..5,
        proptest::option::of(0usize..2),
    );
    (proptest::collection::vec(team, 1..5), any::<bool>()).prop_map(|(teams, claim)| {
        RoutingPolicy {
            teams: teams
                .into_iter()
                .enumerate()
                .map(|(i, (ids, weights, method, capacity, city))| Team {
                    id: format!("t{i}"),
                    members: ids
                        .into_iter()
                        .zip(weights)
                        .map(|(a, w)| Member {
                            agent_id: agent(a),
                            weight: w,
                            max_open_leads: Some(5),
                            languages: vec![],
                        })
                        .collect(),
                    territories: Territories {
                        cities: city
                            .map(|c| vec![["Santos", "Campinas"][c].to_owned()])
                            .into_iter()
                            .flatten()
                            .collect(),
                        ..Territories::default()
                    },
                    capacity,
                    method,
                    manager: None,
                })
                .collect(),
            match_order: vec![],
            fallback_team: Some("t0".into()),
            manager: None,
            claim: claim.then(|| ClaimPolicy {
                mode: ClaimMode::FirstToClaim,
                offer_to: 2,
                timeout_minutes: 5,
                fallback: vec!["next_in_team".into(), "pool".into()],
            }),
        }
    })
}

/// Statuses for agents 0..12: (paused, on duty, open leads).
fn statuses() -> impl Strategy<Value = Vec<AgentStatus>> {
    proptest::collection::vec((any::<bool>(), prop::bool::weighted(0.8), 0u32..7), 12).prop_map(
        |v| {
            v.into_iter()
                .enumerate()
                .map(|(i, (paused, on, open))| AgentStatus {
                    agent_id: agent(i),
                    paused: paused && i % 3 == 0,
                    open_leads: open,
                    on_duty: Some(on),
                    working_hours: None,
                    calendar: None,
                })
                .collect()
        },
    )
}

fn run(
    policy: &RoutingPolicy,
    agents: &[AgentStatus],
    seed: u64,
    n: usize,
) -> Vec<(Assignment, Option<String>, RoutingState)> {
    let mut state = RoutingState::default();
    let mut out = Vec::new();
    for i in 0..n {
        let mut l = lead(i);
        if i % 2 == 0 {
            l.wanted_cities = vec!["Santos".into()];
        }
        let d = route(
            &l,
            None,
            policy,
            &state,
            agents,
            now() + Duration::minutes(i as i64),
            seed.wrapping_add(i as u64),
        )
        .unwrap();
        state = d.new_state.clone();
        out.push((d.assignment, d.team, d.new_state));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn replay_gives_the_same_assignments(policy in policy(), agents in statuses(), seed in any::<u64>()) {
        prop_assert_eq!(run(&policy, &agents, seed, 12), run(&policy, &agents, seed, 12));
    }

    #[test]
    fn unavailable_agents_are_never_chosen(policy in policy(), agents in statuses(), seed in any::<u64>()) {
        let by_id: BTreeMap<AgentId, &AgentStatus> = agents.iter().map(|a| (a.agent_id, a)).collect();
        for (assignment, _, _) in run(&policy, &agents, seed, 12) {
            let chosen = match assignment {
                Assignment::Assigned { agent_id } => vec![agent_id],
                Assignment::Offered { agents, .. } => agents,
                Assignment::Unassigned { .. } => vec![],
            };
            for id in chosen {
                let s = by_id[&id];
                prop_assert!(!s.paused, "paused agent {} chosen", id);
                prop_assert_eq!(s.on_duty, Some(true));
                prop_assert!(s.open_leads < 5, "agent {} at capacity chosen", id);
            }
        }
    }

    #[test]
    fn round_robin_gives_each_available_agent_k_leads(
        n in 1usize..9,
        k in 1usize..6,
        unavailable in proptest::collection::vec(0u8..4, 0..6),
        cursor in any::<u64>(),
        method in prop_oneof![Just(Method::RoundRobin), Just(Method::WeightedRoundRobin)],
    ) {
        // n available agents plus some paused, off-duty or full ones interleaved; weights 1
        // (weighted round robin with equal weights is round robin).
        let mut members = Vec::new();
        let mut agents = Vec::new();
        let mut next = 0;
        for i in 0..n {
            if let Some(kind) = unavailable.get(i) {
                let mut s = AgentStatus::available(agent(next));
                match kind {
                    0 => s.paused = true,
                    1 => s.on_duty = Some(false),
                    2 => s.open_leads = 3,
                    _ => {}
                }
                if *kind < 3 {
                    members.push(Member { agent_id: agent(next), weight: 1, max_open_leads: Some(3), languages: vec![] });
                    agents.push(s);
                    next += 1;
                }
            }
            members.push(Member { agent_id: agent(next), weight: 1, max_open_leads: Some(3), languages: vec![] });
            agents.push(AgentStatus::available(agent(next)));
            next += 1;
        }
        let policy = RoutingPolicy {
            teams: vec![Team { id: "t".into(), members, territories: Territories::default(), capacity: 1, method, manager: None }],
            match_order: vec![],
            fallback_team: None,
            manager: None,
            claim: None,
        };
        let mut state = RoutingState::default();
        state.cursors.insert("t".into(), cursor);
        let mut counts: BTreeMap<AgentId, usize> = BTreeMap::new();
        for i in 0..k * n {
            let d = route(&lead(i), None, &policy, &state, &agents, now(), 0).unwrap();
            let Assignment::Assigned { agent_id } = d.assignment else { panic!("unassigned") };
            *counts.entry(agent_id).or_default() += 1;
            state = d.new_state;
        }
        prop_assert_eq!(counts.len(), n);
        prop_assert!(counts.values().all(|&c| c == k), "{:?}", counts);
    }
}
