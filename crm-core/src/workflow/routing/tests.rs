//! Unit tests with expectations worked by hand (draws from SplitMix64 computed independently:
//! seed 0 → 16294208416658607535 then 7960286522194355700; seed 1 → 10451216379200822465;
//! seed 7 → 7191089600892374487; seed 42 → 13679457532755275413).

use super::*;
use crate::domain::{Address, Contact, ListingKind, PropertyType, from_json};
use chrono::TimeZone;
use serde_json::json;

fn agent(n: u128) -> AgentId {
    AgentId::from_uuid(uuid::Uuid::from_u128(
        0x0190_f3a0_0000_7000_8000_0000_0000_0000 + n,
    ))
}

fn now() -> DateTime<Utc> {
    // Thursday 26 Nov 2026, 11:00 in São Paulo.
    Utc.with_ymd_and_hms(2026, 11, 26, 14, 0, 0).unwrap()
}

fn lead(n: u64) -> Lead {
    Lead::new(
        LeadId::from_parts(1_700_000_000_000 + n, [1; 10]),
        Contact::new("Ana Souza").with_phone("11987654321"),
        now(),
    )
}

fn policy(v: serde_json::Value) -> RoutingPolicy {
    from_json(&v.to_string()).unwrap()
}

fn members(ids: &[u128]) -> serde_json::Value {
    json!(
        ids.iter()
            .map(|&i| json!({"agent_id": agent(i)}))
            .collect::<Vec<_>>()
    )
}

fn statuses(ids: &[u128]) -> Vec<AgentStatus> {
    ids.iter()
        .map(|&i| AgentStatus::available(agent(i)))
        .collect()
}

fn assigned(d: &RoutingDecision) -> AgentId {
    match &d.assignment {
        Assignment::Assigned { agent_id } => *agent_id,
        other => panic!("not assigned: {other:?}"),
    }
}

fn run(
    p: &RoutingPolicy,
    agents: &[AgentStatus],
    calls: usize,
    seed: u64,
) -> (Vec<AgentId>, RoutingState) {
    let mut state = RoutingState::default();
    let mut out = Vec::new();
    for i in 0..calls {
        let d = route(&lead(i as u64), None, p, &state, agents, now(), seed).unwrap();
        out.push(assigned(&d));
        state = d.new_state;
    }
    (out, state)
}

#[test]
fn round_robin_carries_the_cursor() {
    let p = policy(json!({"teams": [{"id": "geral", "members": members(&[1, 2, 3])}]}));
    let agents = statuses(&[1, 2, 3]);
    let mut state = RoutingState::default();
    let want = [(1, 1), (2, 2), (3, 0), (1, 1), (2, 2)];
    for (i, (who, cursor)) in want.into_iter().enumerate() {
        let d = route(&lead(i as u64), None, &p, &state, &agents, now(), 0).unwrap();
        assert_eq!(assigned(&d), agent(who), "call {i}");
        assert_eq!(d.new_state.cursors["geral"], cursor);
        state = d.new_state;
    }
}

#[test]
fn paused_off_duty_and_full_agents_are_skipped_with_reasons() {
    let p = policy(json!({"teams": [{"id": "geral", "members": [
        {"agent_id": agent(1), "max_open_leads": 12},
        {"agent_id": agent(2)}, {"agent_id": agent(3)}, {"agent_id": agent(4)}]}]}));
    let mut agents = statuses(&[1, 2, 3, 4]);
    agents[0].open_leads = 12;
    agents[1].paused = true;
    agents[2].on_duty = Some(false);
    let d = route(
        &lead(0),
        None,
        &p,
        &RoutingState::default(),
        &agents,
        now(),
        0,
    )
    .unwrap();
    assert_eq!(assigned(&d), agent(4));
    assert_eq!(d.new_state.cursors["geral"], 0);
    let skips: Vec<&SkipWhy> = d
        .reasons
        .iter()
        .filter_map(|r| match r {
            Reason::SkippedAgent { why, .. } => Some(why),
            _ => None,
        })
        .collect();
    assert_eq!(
        skips,
        [
            &SkipWhy::AtCapacity {
                open_leads: 12,
                max_open_leads: 12
            },
            &SkipWhy::Paused,
            &SkipWhy::OffDuty
        ]
    );
    assert!(d.reasons.contains(&Reason::CursorMoved {
        team: "geral".into(),
        from: 0,
        to: 0
    }));
}

#[test]
fn working_hours_decide_duty() {
    let p = policy(json!({"teams": [{"id": "geral", "members": members(&[1, 2])}]}));
    let mut agents = statuses(&[1, 2]);
    agents[0].working_hours = Some(WeeklyHours {
        utc_offset_minutes: SAO_PAULO_OFFSET_MINUTES,
        intervals: vec![WorkingInterval {
            days: vec![Day::Thu],
            from: "12:00".into(),
            to: "18:00".into(),
        }],
    });
    // 11:00 local: agent 1 is not yet working.
    let d = route(
        &lead(0),
        None,
        &p,
        &RoutingState::default(),
        &agents,
        now(),
        0,
    )
    .unwrap();
    assert_eq!(assigned(&d), agent(2));
    // 12:00 local (15:00 UTC): working.
    let noon = now() + Duration::hours(1);
    let d = route(
        &lead(0),
        None,
        &p,
        &RoutingState::default(),
        &agents,
        noon,
        0,
    )
    .unwrap();
    assert_eq!(assigned(&d), agent(1));
    // The host's flag wins over the schedule.
    agents[0].on_duty = Some(true);
    let d = route(
        &lead(0),
        None,
        &p,
        &RoutingState::default(),
        &agents,
        now(),
        0,
    )
    .unwrap();
    assert_eq!(assigned(&d), agent(1));
}

#[test]
fn weighted_round_robin_interleaves() {
    let p = policy(
        json!({"teams": [{"id": "t", "method": "weighted_round_robin", "members": [
        {"agent_id": agent(1), "weight": 2}, {"agent_id": agent(2)}, {"agent_id": agent(3), "weight": 3}]}]}),
    );
    let (got, state) = run(&p, &statuses(&[1, 2, 3]), 7, 0);
    let want: Vec<AgentId> = [1, 2, 3, 1, 3, 3, 1].iter().map(|&i| agent(i)).collect();
    assert_eq!(got, want);
    assert_eq!(state.cursors["t"], 1);
}

#[test]
fn least_loaded_uses_load_per_weight_and_rotates_ties() {
    let p = policy(
        json!({"teams": [{"id": "t", "method": "least_loaded", "members": [
        {"agent_id": agent(1)}, {"agent_id": agent(2), "weight": 2}, {"agent_id": agent(3)}]}]}),
    );
    let mut agents = statuses(&[1, 2, 3]);
    agents[0].open_leads = 5;
    agents[1].open_leads = 4; // 4 / 2 = 2 per unit of weight
    agents[2].open_leads = 3;
    let d = route(
        &lead(0),
        None,
        &p,
        &RoutingState::default(),
        &agents,
        now(),
        0,
    )
    .unwrap();
    assert_eq!(assigned(&d), agent(2));
    // All equal: the first from the cursor wins, and the cursor moves past it.
    let agents = statuses(&[1, 2, 3]);
    let mut state = RoutingState::default();
    state.cursors.insert("t".into(), 2);
    let d = route(&lead(0), None, &p, &state, &agents, now(), 0).unwrap();
    assert_eq!(assigned(&d), agent(3));
    assert_eq!(d.new_state.cursors["t"], 0);
}

#[test]
fn random_weighted_follows_the_seed() {
    let p = policy(
        json!({"teams": [{"id": "t", "method": "random_weighted", "members": [
        {"agent_id": agent(1)}, {"agent_id": agent(2), "weight": 2}, {"agent_id": agent(3), "weight": 3}]}]}),
    );
    // total 6: seed 0 → draw 1 (agent 2), seed 1 → 5 (agent 3), seed 7 → 3 (agent 3).
    for (seed, draw, who) in [(0, 1, 2), (1, 5, 3), (7, 3, 3)] {
        let d = route(
            &lead(0),
            None,
            &p,
            &RoutingState::default(),
            &statuses(&[1, 2, 3]),
            now(),
            seed,
        )
        .unwrap();
        assert_eq!(assigned(&d), agent(who), "seed {seed}");
        assert!(d.reasons.contains(&Reason::DrewAgent {
            team: "t".into(),
            agent_id: agent(who),
            draw,
            total: 6
        }));
        assert!(!d.new_state.cursors.is_empty());
    }
}

fn two_teams() -> RoutingPolicy {
    policy(json!({"teams": [
        {"id": "norte", "capacity": 2, "territories": {"cities": ["São Paulo"]}, "members": members(&[1])},
        {"id": "sul", "capacity": 3, "territories": {"cities": ["sao paulo"]}, "members": members(&[2])},
        {"id": "moema", "territories": {"cities": ["São Paulo"], "neighbourhoods": ["Moema"]}, "members": members(&[3])},
        {"id": "intl", "territories": {"languages": ["en"]}, "members": members(&[4])}
    ], "fallback_team": "intl"}))
}

#[test]
fn capacity_draw_between_matching_teams() {
    let p = two_teams();
    let agents = statuses(&[1, 2, 3, 4]);
    let mut l = lead(0);
    l.wanted_cities = vec!["  SÃO   PAULO ".into()];
    // total 5: seed 0 → 0 (norte), seed 1 → 0 (norte), seed 7 → 2 (sul), seed 42 → 3 (sul).
    for (seed, team, who, draw) in [
        (0, "norte", 1, 0),
        (1, "norte", 1, 0),
        (7, "sul", 2, 2),
        (42, "sul", 2, 3),
    ] {
        let d = route(&l, None, &p, &RoutingState::default(), &agents, now(), seed).unwrap();
        assert_eq!(d.team.as_deref(), Some(team), "seed {seed}");
        assert_eq!(assigned(&d), agent(who));
        assert!(d.reasons.contains(&Reason::ChoseTeamByCapacity {
            team: team.into(),
            candidates: vec!["norte".into(), "sul".into()],
            capacities: vec![2, 3],
            draw,
            total: 5
        }));
    }
}

#[test]
fn neighbourhood_beats_city_and_listing_address_beats_wants() {
    let p = two_teams();
    let agents = statuses(&[1, 2, 3, 4]);
    let mut l = lead(0);
    l.wanted_cities = vec!["Campinas".into()];
    let mut prop = Property::new(
        PropertyId::from_parts(1, [2; 10]),
        ListingKind::Sale,
        PropertyType::Apartment,
        Address::new("04077-000", "Alameda dos Arapanés", "São Paulo", "SP")
            .with_neighbourhood("Moema"),
        now(),
    );
    let d = route(
        &l,
        Some(&prop),
        &p,
        &RoutingState::default(),
        &agents,
        now(),
        0,
    )
    .unwrap();
    assert_eq!(d.team.as_deref(), Some("moema"));
    assert_eq!(
        d.reasons[0],
        Reason::MatchedTerritory {
            team: "moema".into(),
            level: TerritoryLevel::Neighbourhood,
            value: "Moema".into()
        }
    );
    // The listing is elsewhere: no territory, no language, no listing → fallback team.
    prop.address.city = "Santos".into();
    let d = route(
        &l,
        Some(&prop),
        &p,
        &RoutingState::default(),
        &agents,
        now(),
        0,
    )
    .unwrap();
    assert_eq!(d.team.as_deref(), Some("intl"));
    assert!(d.reasons.contains(&Reason::FallbackTeam {
        team: "intl".into()
    }));
}

#[test]
fn unavailable_team_falls_through_to_the_next_criterion() {
    let p = policy(json!({"teams": [
        {"id": "centro", "territories": {"cities": ["Rio de Janeiro"]}, "members": members(&[1])},
        {"id": "listing", "territories": {"listing_ids": [PropertyId::from_parts(1, [2; 10])]}, "members": members(&[2])}
    ]}));
    let mut agents = statuses(&[1, 2]);
    agents[0].paused = true;
    let mut l = lead(0);
    l.wanted_cities = vec!["Rio de Janeiro".into()];
    let d = route(&l, None, &p, &RoutingState::default(), &agents, now(), 0).unwrap();
    assert_eq!(
        d.assignment,
        Assignment::Unassigned {
            why: UnassignedWhy::NoAgentAvailable
        }
    );
    assert!(d.reasons.contains(&Reason::TeamUnavailable {
        team: "centro".into()
    }));
    let l2 = lead(1);
    let d = route(&l2, None, &p, &RoutingState::default(), &agents, now(), 0).unwrap();
    assert_eq!(
        d.assignment,
        Assignment::Unassigned {
            why: UnassignedWhy::NoTeamMatched
        }
    );
}

#[test]
fn language_filters_members() {
    let p = policy(
        json!({"teams": [{"id": "t", "territories": {"languages": ["es"]}, "members": [
        {"agent_id": agent(1), "languages": ["pt"]}, {"agent_id": agent(2), "languages": ["pt-BR", "es-AR"]}]}]}),
    );
    let l = lead(0);
    let input = LeadToRoute {
        lead: &l,
        property: None,
        language: Some("ES"),
    };
    let d = route_lead(
        input,
        &p,
        &RoutingState::default(),
        &statuses(&[1, 2]),
        now(),
        0,
    )
    .unwrap();
    assert_eq!(assigned(&d), agent(2));
    assert!(d.reasons.contains(&Reason::SkippedAgent {
        team: "t".into(),
        agent_id: agent(1),
        why: SkipWhy::Language {
            language: "es".into()
        }
    }));
}

fn claim_policy() -> RoutingPolicy {
    policy(json!({"teams": [
        {"id": "a", "manager": agent(99), "members": members(&[1, 2, 3])},
        {"id": "b", "territories": {"cities": ["Santos"]}, "members": members(&[4])}],
        "manager": agent(98),
        "claim": {"mode": "first_to_claim", "offer_to": 2, "timeout_minutes": 5,
                  "fallback": ["next_in_team", "team:b", "next_in_team", "manager"]}}))
}

#[test]
fn claim_timeout_walks_the_fallback_chain() {
    let p = claim_policy();
    let agents = statuses(&[1, 2, 3, 4]);
    let d = route(
        &lead(0),
        None,
        &p,
        &RoutingState::default(),
        &agents,
        now(),
        0,
    )
    .unwrap();
    let t5 = now() + Duration::minutes(5);
    assert_eq!(
        d.assignment,
        Assignment::Offered {
            offer_id: 0,
            agents: vec![agent(1), agent(2)],
            expires_at: t5
        }
    );
    assert_eq!(d.new_state.cursors["a"], 2);
    // Routing the same lead again while the offer is open is refused.
    let e = route(&lead(0), None, &p, &d.new_state, &agents, now(), 0).unwrap_err();
    assert_eq!(e.code(), ErrorCode::RoutingOfferPending);
    // Too early to give up; a stranger cannot claim; a late claim is refused.
    let e = resolve_offer(
        &p,
        &d.new_state,
        0,
        None,
        &agents,
        t5 - Duration::seconds(1),
        0,
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::RoutingOfferNotExpired);
    let e = resolve_offer(&p, &d.new_state, 0, Some(agent(3)), &agents, now(), 0).unwrap_err();
    assert_eq!(e.code(), ErrorCode::RoutingClaimNotOffered);
    let e = resolve_offer(&p, &d.new_state, 0, Some(agent(1)), &agents, t5, 0).unwrap_err();
    assert_eq!(e.code(), ErrorCode::RoutingOfferExpired);
    let e = resolve_offer(&p, &d.new_state, 7, None, &agents, t5, 0).unwrap_err();
    assert_eq!(e.code(), ErrorCode::RoutingOfferUnknown);
    // Step 0, next_in_team: only agent 3 is left in team a.
    let d = resolve_offer(&p, &d.new_state, 0, None, &agents, t5, 0).unwrap();
    let t10 = t5 + Duration::minutes(5);
    assert_eq!(
        d.assignment,
        Assignment::Offered {
            offer_id: 1,
            agents: vec![agent(3)],
            expires_at: t10
        }
    );
    assert_eq!(d.new_state.cursors["a"], 0);
    // Step 1, team:b.
    let d = resolve_offer(&p, &d.new_state, 1, None, &agents, t10, 0).unwrap();
    assert_eq!(d.team.as_deref(), Some("b"));
    assert_eq!(
        d.assignment,
        Assignment::Offered {
            offer_id: 2,
            agents: vec![agent(4)],
            expires_at: t10 + Duration::minutes(5)
        }
    );
    // Step 2, next_in_team (team b): nobody left, passed; step 3: team b has no manager, so
    // the agency's.
    let d = resolve_offer(
        &p,
        &d.new_state,
        2,
        None,
        &agents,
        t10 + Duration::minutes(5),
        0,
    )
    .unwrap();
    assert_eq!(assigned(&d), agent(98));
    assert!(d.new_state.offers.is_empty());
    assert!(d.reasons.contains(&Reason::FallbackStepSkipped {
        index: 2,
        step: "next_in_team".into()
    }));
    assert!(d.reasons.contains(&Reason::EscalatedToManager {
        agent_id: agent(98)
    }));
}

#[test]
fn an_exhausted_chain_leaves_the_lead_unassigned_and_pool_is_terminal() {
    let mut p = claim_policy();
    if let Some(c) = p.claim.as_mut() {
        c.offer_to = 3;
        c.fallback = vec!["next_in_team".into()];
    }
    let agents = statuses(&[1, 2, 3, 4]);
    let d = route(
        &lead(0),
        None,
        &p,
        &RoutingState::default(),
        &agents,
        now(),
        0,
    )
    .unwrap();
    let t5 = now() + Duration::minutes(5);
    let d = resolve_offer(&p, &d.new_state, 0, None, &agents, t5, 0).unwrap();
    assert_eq!(
        d.assignment,
        Assignment::Unassigned {
            why: UnassignedWhy::FallbackExhausted
        }
    );
    assert_eq!(d.reasons.last(), Some(&Reason::FallbackExhausted));
    if let Some(c) = p.claim.as_mut() {
        c.fallback = vec!["pool".into(), "manager".into()];
    }
    let d = route(
        &lead(0),
        None,
        &p,
        &RoutingState::default(),
        &agents,
        now(),
        0,
    )
    .unwrap();
    let d = resolve_offer(&p, &d.new_state, 0, None, &agents, t5, 0).unwrap();
    assert_eq!(
        d.assignment,
        Assignment::Unassigned {
            why: UnassignedWhy::Pool
        }
    );
}

#[test]
fn a_claim_in_time_assigns() {
    let p = claim_policy();
    let agents = statuses(&[1, 2, 3, 4]);
    let d = route(
        &lead(0),
        None,
        &p,
        &RoutingState::default(),
        &agents,
        now(),
        0,
    )
    .unwrap();
    let d = resolve_offer(
        &p,
        &d.new_state,
        0,
        Some(agent(2)),
        &agents,
        now() + Duration::minutes(4),
        0,
    )
    .unwrap();
    assert_eq!(assigned(&d), agent(2));
    assert_eq!(
        d.reasons,
        vec![Reason::Claimed {
            offer_id: 0,
            agent_id: agent(2)
        }]
    );
    assert_eq!(d.new_state.next_offer_id, 1);
}

#[test]
fn invalid_policies_report_every_problem_by_path() {
    let p = policy(json!({"teams": [
        {"id": "a", "capacity": 0, "members": [
            {"agent_id": agent(1), "weight": 0}, {"agent_id": agent(1), "max_open_leads": 0}],
         "territories": {"cities": [" "]}},
        {"id": "a", "members": []}],
        "match_order": ["territory", "territory"],
        "fallback_team": "z",
        "claim": {"mode": "first_to_claim", "offer_to": 0, "timeout_minutes": 0, "fallback": ["nobody", "manager"]}}));
    let e = p.validate().unwrap_err();
    let got: Vec<(String, &str)> = e
        .errors()
        .iter()
        .map(|f| (f.path.clone(), f.code.as_str()))
        .collect();
    let want = [
        ("teams[0].capacity", "validation.routing.team"),
        ("teams[0].members[0].weight", "validation.routing.member"),
        ("teams[0].members[1].agent_id", "validation.routing.member"),
        (
            "teams[0].members[1].max_open_leads",
            "validation.routing.member",
        ),
        ("teams[0].territories.cities[0]", "validation.required"),
        ("teams[1].members", "validation.routing.team"),
        ("teams[1].id", "validation.routing.team"),
        ("match_order[1]", "validation.routing.match_order"),
        ("fallback_team", "validation.routing.team"),
        ("claim.offer_to", "validation.routing.claim"),
        ("claim.timeout_minutes", "validation.routing.claim"),
        ("claim.fallback[0]", "validation.routing.fallback"),
        ("claim.fallback[1]", "validation.routing.fallback"),
    ];
    let want: Vec<(String, &str)> = want.iter().map(|(p, c)| ((*p).to_owned(), *c)).collect();
    assert_eq!(got, want);
    // route refuses it with the same problems.
    let err = route(&lead(0), None, &p, &RoutingState::default(), &[], now(), 0).unwrap_err();
    assert_eq!(err.field_errors().len(), want.len());
}

#[test]
fn duplicate_statuses_are_refused() {
    let p = policy(json!({"teams": [{"id": "a", "members": members(&[1])}]}));
    let agents = statuses(&[1, 1]);
    let err = route(
        &lead(0),
        None,
        &p,
        &RoutingState::default(),
        &agents,
        now(),
        0,
    )
    .unwrap_err();
    assert_eq!(err.field_errors()[0].path, "agents[1].agent_id");
    assert_eq!(err.code(), ErrorCode::RoutingAgentStatus);
}

#[test]
fn decisions_round_trip_through_json() {
    let p = claim_policy();
    let d = route(
        &lead(0),
        None,
        &p,
        &RoutingState::default(),
        &statuses(&[1, 2, 3, 4]),
        now(),
        0,
    )
    .unwrap();
    let text = serde_json::to_string(&d).unwrap();
    let back: RoutingDecision = serde_json::from_str(&text).unwrap();
    assert_eq!(back, d);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["assignment"]["type"], "offered");
    assert_eq!(v["reasons"][0]["type"], "no_match");
}

#[test]
fn a_business_calendar_takes_holidays_off() {
    let p = policy(json!({"teams": [{"id": "geral", "members": members(&[1, 2])}]}));
    let mut agents = statuses(&[1, 2]);
    agents[0].calendar = Some(crate::workflow::calendar::BusinessCalendar::sao_paulo());
    // Thursday 26 Nov 2026, 11:00 in São Paulo: a working day.
    let d = route(
        &lead(0),
        None,
        &p,
        &RoutingState::default(),
        &agents,
        now(),
        0,
    )
    .unwrap();
    assert_eq!(assigned(&d), agent(1));
    // Friday 25 Dec 2026, 11:00 local: Christmas, agent 1 is off.
    let christmas = Utc.with_ymd_and_hms(2026, 12, 25, 14, 0, 0).unwrap();
    let d = route(
        &lead(0),
        None,
        &p,
        &RoutingState::default(),
        &agents,
        christmas,
        0,
    )
    .unwrap();
    assert_eq!(assigned(&d), agent(2));
    assert!(d.reasons.contains(&Reason::SkippedAgent {
        team: "geral".into(),
        agent_id: agent(1),
        why: SkipWhy::OffDuty
    }));
}
