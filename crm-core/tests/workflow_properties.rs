//! Properties of pipelines and automation rules: evaluation is deterministic and never panics
//! on arbitrary records; transitions never panic and either move to the requested stage or
//! fail with one of the three transition codes; a rule set accepted as loop-free never fires a
//! rule twice in one chain of events (so no rule is ever re-triggered by its own actions), and
//! any rule set — loops included — stops at the chain depth limit.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // fixtures and JSON edits fail loudly

use chrono::{DateTime, TimeZone, Utc};
use crm_core::ErrorCode;
use crm_core::workflow::automation::MAX_CHAIN_DEPTH;
use crm_core::workflow::calendar::BusinessCalendar;
use crm_core::workflow::{
    EvalContext, Event, EventKind, Intent, Pipeline, Rule, RuleSet, TransitionContext, evaluate,
};
use proptest::prelude::*;
use serde_json::{Value, json};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 13, 0, 0).unwrap()
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        "[a-z0-9 .:TZ-]{0,24}".prop_map(Value::String),
        Just(json!("2026-11-20T12:00:00Z")),
        Just(json!("2026-11-20")),
        Just(json!("visit_done")),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("stage".to_owned()),
                    Just("assigned_agent".to_owned()),
                    Just("budget".to_owned()),
                    Just("max".to_owned()),
                    Just("amount".to_owned()),
                    Just("last_visit_at".to_owned()),
                    Just("tags".to_owned()),
                    "[a-z]{1,6}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn sample_rules() -> Vec<Rule> {
    serde_json::from_value(json!([
        {"id": "created", "trigger": {"type": "lead_created"},
         "conditions": {"after": {"any": [{"field": "source.type", "op": "eq", "value": "portal"},
                                          {"field": "tags", "op": "contains", "value": "vip"}]}},
         "actions": [{"type": "route"}]},
        {"id": "stage", "trigger": {"type": "stage_changed", "to": "proposal"},
         "conditions": {"before": {"field": "stage", "op": "in", "values": ["visit_done"]},
                        "after": {"all": [{"field": "budget.max.amount", "op": "between", "min": 1, "max": "9000000"},
                                          {"not": {"field": "assigned_agent", "op": "empty"}}]}},
         "actions": [{"type": "add_tag", "tag": "proposta"}]},
        {"id": "field", "trigger": {"type": "field_changed", "field": "budget.max.amount"},
         "actions": [{"type": "create_task", "title": "Rever"}]},
        {"id": "time", "trigger": {"type": "time_after", "field": "last_visit_at", "offset": {"business_days": 3}},
         "actions": [{"type": "create_task", "title": "Retorno"}]},
        {"id": "time_h", "trigger": {"type": "time_after", "field": "last_visit_at", "offset": {"hours": 24}},
         "conditions": {"after": {"field": "stage", "op": "ne", "value": "won"}},
         "actions": [{"type": "create_task", "title": "Retorno"}]},
        {"id": "text", "trigger": {"type": "score_band_changed"},
         "conditions": {"after": {"field": "name", "op": "contains", "value": "joão"}},
         "actions": [{"type": "notify", "to": {"type": "owner"}, "template": "t"}]}
    ]))
    .unwrap()
}

fn arb_kind() -> impl Strategy<Value = EventKind> {
    prop_oneof![
        Just(EventKind::LeadCreated),
        Just(EventKind::Updated),
        ("[a-z_]{1,12}", "[a-z_]{1,12}")
            .prop_map(|(from, to)| EventKind::StageChanged { from, to }),
        Just(EventKind::StageChanged {
            from: "visit_done".into(),
            to: "proposal".into()
        }),
        proptest::option::of(0i64..2_000_000).prop_map(|s| EventKind::Tick {
            since: s.and_then(|m| Utc.timestamp_opt(1_795_000_000 + m, 0).single())
        }),
        "[A-D]".prop_map(|to| EventKind::ScoreBandChanged { from: None, to }),
        "[a-z_]{1,10}".prop_map(|sla| EventKind::SlaBreached { sla }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn evaluation_is_deterministic_and_total(
        kind in arb_kind(),
        before in proptest::option::of(arb_json()),
        after in arb_json(),
        offset in 0i64..10_000_000,
    ) {
        let rules = sample_rules();
        let cal = BusinessCalendar::sao_paulo();
        let at = now() + chrono::Duration::seconds(offset);
        let event = Event::new(kind, before, after, at);
        let ctx = EvalContext::at(at).with_calendar(&cal);
        let a = evaluate(&event, &rules, &ctx);
        let b = evaluate(&event, &rules, &ctx);
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(a.trace.len(), rules.len());
        let fired: Vec<&str> = a.trace.iter().filter(|t| t.fired).map(|t| t.rule_id.as_str()).collect();
        prop_assert_eq!(fired, a.fired_ids());
        // Without a calendar, business-day rules never fire, and nothing panics either.
        let plain = evaluate(&event, &rules, &EvalContext::at(at));
        prop_assert!(!plain.fired_ids().contains(&"time"));
    }

    #[test]
    fn transitions_are_total(record in arb_json(), to in prop_oneof![
        "[a-z_]{0,12}",
        Just("lost".to_owned()), Just("won".to_owned()), Just("proposal".to_owned()),
    ], accepted: bool, reason in proptest::option::of("[a-z ]{0,8}")) {
        for p in [Pipeline::default_sales().unwrap(), Pipeline::default_rentals().unwrap()] {
            let mut ctx = TransitionContext::at(now());
            ctx.proposal_accepted = accepted;
            ctx.reason = reason.clone();
            match p.transition(&record, &to, &ctx) {
                Ok((after, t)) => {
                    prop_assert_eq!(after.get("stage"), Some(&json!(to)));
                    prop_assert_eq!(&t.to, &to);
                    prop_assert!(p.rule(&t.from, &t.to).is_some());
                }
                Err(e) if !record.is_object() => prop_assert_eq!(e.code(), ErrorCode::Json),
                Err(e) => prop_assert!(matches!(
                    e.code(),
                    ErrorCode::TransitionForbidden | ErrorCode::TransitionGuard | ErrorCode::StageUnknown
                ), "{}", e),
            }
        }
    }

    #[test]
    fn loop_free_rule_sets_never_refire_in_a_chain(specs in prop::collection::vec(arb_rule_spec(), 1..8)) {
        let rules: Vec<Rule> = specs.iter().enumerate().map(|(i, s)| rule(i, s)).collect();
        let loop_free = RuleSet::new(rules.clone()).is_ok();
        let max_depth = if loop_free { 64 } else { MAX_CHAIN_DEPTH };
        for start in STAGES {
            let record = json!({"stage": "new", "assigned_agent": 0, "tags": []});
            let mut after = record.clone();
            after["stage"] = json!(start);
            let first = Event::new(
                EventKind::StageChanged { from: "new".into(), to: start.into() },
                Some(record), after, now(),
            );
            let deepest = simulate(&rules, first, max_depth, loop_free)?;
            if loop_free {
                prop_assert!(deepest <= rules.len() as u32, "chain of depth {} with {} rules", deepest, rules.len());
            } else {
                prop_assert!(deepest <= MAX_CHAIN_DEPTH);
            }
        }
    }
}

const STAGES: [&str; 4] = ["contacted", "qualified", "visit_done", "proposal"];

#[derive(Debug, Clone)]
struct Spec {
    trigger: u8,
    stage: usize,
    action: u8,
    target: usize,
}

fn arb_rule_spec() -> impl Strategy<Value = Spec> {
    (0u8..4, 0usize..4, 0u8..4, 0usize..4).prop_map(|(trigger, stage, action, target)| Spec {
        trigger,
        stage,
        action,
        target,
    })
}

fn rule(i: usize, s: &Spec) -> Rule {
    let stage = STAGES.get(s.stage).copied().unwrap_or("contacted");
    let target = STAGES.get(s.target).copied().unwrap_or("contacted");
    let trigger = match s.trigger {
        0 => json!({"type": "stage_changed", "to": stage}),
        1 => json!({"type": "stage_changed", "from": stage}),
        2 => json!({"type": "field_changed", "field": "assigned_agent"}),
        _ => json!({"type": "field_changed", "field": "tags"}),
    };
    let action = match s.action {
        0 => json!({"type": "move_stage", "to": target}),
        1 => json!({"type": "route"}),
        2 => json!({"type": "add_tag", "tag": target}),
        _ => json!({"type": "notify", "to": {"type": "owner"}, "template": "t"}),
    };
    serde_json::from_value(json!({"id": format!("r{i}"), "trigger": trigger, "actions": [action]}))
        .unwrap()
}

/// Runs a chain of events: every fired intent is applied to the record and the resulting event
/// evaluated one level deeper. Returns the deepest level at which a rule fired; with
/// `check_refire`, fails when a rule fires twice along one chain.
fn simulate(
    rules: &[Rule],
    first: Event,
    max_depth: u32,
    check_refire: bool,
) -> Result<u32, TestCaseError> {
    let mut queue = vec![(first, EvalContext::at(now()), Vec::<String>::new())];
    queue.iter_mut().for_each(|q| q.1.max_depth = max_depth);
    let mut deepest = 0;
    let mut steps = 0;
    while let Some((event, ctx, chain)) = queue.pop() {
        steps += 1;
        prop_assert!(steps < 20_000, "the chain does not end");
        let ev = evaluate(&event, rules, &ctx);
        for fired in &ev.fired {
            deepest = deepest.max(ctx.depth);
            if check_refire {
                prop_assert!(
                    !chain.contains(&fired.rule_id),
                    "{} fired twice in {:?}",
                    fired.rule_id,
                    chain
                );
            }
            let mut chain = chain.clone();
            chain.push(fired.rule_id.clone());
            for intent in &fired.intents {
                let before = event.after.clone();
                let mut after = before.clone();
                let kind = match intent {
                    Intent::MoveStage { to } => {
                        let from = before
                            .get("stage")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_owned();
                        if &from == to {
                            continue;
                        }
                        after["stage"] = json!(to);
                        EventKind::StageChanged {
                            from,
                            to: to.clone(),
                        }
                    }
                    Intent::Route { .. } | Intent::AssignAgent { .. } => {
                        let n = before
                            .get("assigned_agent")
                            .and_then(Value::as_u64)
                            .unwrap_or(0);
                        after["assigned_agent"] = json!(n + 1);
                        EventKind::Updated
                    }
                    Intent::AddTag { tag } => {
                        if let Some(tags) = after.get_mut("tags").and_then(Value::as_array_mut) {
                            tags.push(json!(tag));
                        }
                        EventKind::Updated
                    }
                    _ => continue,
                };
                queue.push((
                    Event::new(kind, Some(before), after, now()),
                    ctx.chained(),
                    chain.clone(),
                ));
            }
        }
    }
    Ok(deepest)
}
