//! Hand-worked automation cases.

use super::*;
use crate::ErrorCode;
use crate::workflow::calendar::BusinessCalendar;
use crate::workflow::intent::Intent;
use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Value, json};

fn at(d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap()
}

fn rules(v: Value) -> Vec<Rule> {
    serde_json::from_value(v).unwrap()
}

fn stage_event(from: &str, to: &str, before: Value, after: Value) -> Event {
    Event::new(
        EventKind::StageChanged {
            from: from.into(),
            to: to.into(),
        },
        Some(before),
        after,
        at(26, 13),
    )
}

#[test]
fn before_and_after_conditions() {
    let rs = rules(json!([{
        "id": "big_proposal", "trigger": {"type": "stage_changed", "to": "proposal"},
        "conditions": {
            "before": {"field": "stage", "op": "eq", "value": "visit_done"},
            "after": {"all": [{"field": "budget.max.amount", "op": "gte", "value": "1000000"},
                               {"field": "assigned_agent", "op": "not_empty"}]}},
        "actions": [{"type": "notify", "to": {"type": "manager"}, "template": "big_proposal"},
                    {"type": "add_tag", "tag": "alto_padrao"}]
    }]));
    let before = json!({"stage": "visit_done"});
    let ok_after = json!({"stage": "proposal", "budget": {"max": {"amount": "1200000.00", "currency": "BRL"}}, "assigned_agent": "x"});
    let ev = evaluate(
        &stage_event("visit_done", "proposal", before.clone(), ok_after),
        &rs,
        &EvalContext::at(at(26, 13)),
    );
    assert_eq!(ev.fired_ids(), ["big_proposal"]);
    assert_eq!(ev.intents().count(), 2);

    let small = json!({"stage": "proposal", "budget": {"max": {"amount": "900000.00", "currency": "BRL"}}, "assigned_agent": "x"});
    let ev = evaluate(
        &stage_event("visit_done", "proposal", before, small),
        &rs,
        &EvalContext::at(at(26, 13)),
    );
    assert_eq!(
        ev.trace[0].why,
        Why::ConditionFailed {
            side: Side::After,
            path: "all[0]".into(),
            field: Some("budget.max.amount".into())
        }
    );
    assert_eq!(
        ev.trace[0].why.to_string(),
        "condition after failed at all[0] (field budget.max.amount)"
    );

    let ev = evaluate(
        &stage_event(
            "visit_scheduled",
            "proposal",
            json!({"stage": "visit_scheduled"}),
            json!({}),
        ),
        &rs,
        &EvalContext::at(at(26, 13)),
    );
    assert_eq!(
        ev.trace[0].why,
        Why::ConditionFailed {
            side: Side::Before,
            path: String::new(),
            field: Some("stage".into())
        }
    );
}

#[test]
fn each_trigger_type() {
    let rs = rules(json!([
        {"id": "created", "trigger": {"type": "lead_created"}, "actions": [{"type": "route"}]},
        {"id": "reassigned", "trigger": {"type": "field_changed", "field": "assigned_agent"},
         "actions": [{"type": "notify", "to": {"type": "owner"}, "template": "new_owner"}]},
        {"id": "visit", "trigger": {"type": "activity_recorded", "kinds": ["visit_done"]},
         "actions": [{"type": "move_stage", "to": "visit_done"}]},
        {"id": "hot", "trigger": {"type": "score_band_changed", "to": "A"},
         "actions": [{"type": "escalate", "level": 1, "to": {"type": "owner"}}]},
        {"id": "sla", "trigger": {"type": "sla_breached", "sla": "first_contact"},
         "actions": [{"type": "escalate", "level": 1, "to": {"type": "manager"}}]},
        {"id": "follow", "trigger": {"type": "time_after", "field": "last_visit_at", "offset": {"hours": 24}},
         "actions": [{"type": "create_task", "title": "Pedir retorno da visita"}]}
    ]));
    let set = RuleSet::new(rs).unwrap();
    let ctx = EvalContext::at(at(26, 13));
    let fire = |e: Event| {
        set.evaluate(&e, &ctx)
            .fired_ids()
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        fire(Event::new(
            EventKind::LeadCreated,
            None,
            json!({}),
            at(26, 13)
        )),
        ["created"]
    );
    assert_eq!(
        fire(Event::new(
            EventKind::Updated,
            Some(json!({"assigned_agent": "a"})),
            json!({"assigned_agent": "b"}),
            at(26, 13)
        )),
        ["reassigned"]
    );
    assert!(
        fire(Event::new(
            EventKind::Updated,
            Some(json!({"assigned_agent": "a"})),
            json!({"assigned_agent": "a"}),
            at(26, 13)
        ))
        .is_empty()
    );
    assert_eq!(
        fire(Event::new(
            EventKind::ActivityRecorded {
                kind: crate::domain::ActivityKind::VisitDone
            },
            None,
            json!({}),
            at(26, 13)
        )),
        ["visit"]
    );
    assert!(
        fire(Event::new(
            EventKind::ActivityRecorded {
                kind: crate::domain::ActivityKind::Call
            },
            None,
            json!({}),
            at(26, 13)
        ))
        .is_empty()
    );
    assert_eq!(
        fire(Event::new(
            EventKind::ScoreBandChanged {
                from: Some("B".into()),
                to: "A".into()
            },
            None,
            json!({}),
            at(26, 13)
        )),
        ["hot"]
    );
    assert_eq!(
        fire(Event::new(
            EventKind::SlaBreached {
                sla: "first_contact".into()
            },
            None,
            json!({}),
            at(26, 13)
        )),
        ["sla"]
    );
    assert!(
        fire(Event::new(
            EventKind::SlaBreached {
                sla: "proposal_answer".into()
            },
            None,
            json!({}),
            at(26, 13)
        ))
        .is_empty()
    );
    // 24 h after 25 Nov 12:00 is 26 Nov 12:00, due by 13:00.
    let rec = json!({"last_visit_at": "2026-11-25T12:00:00Z"});
    assert_eq!(fire(Event::tick(rec.clone(), None, at(26, 13))), ["follow"]);
    // Already due at the previous check (12:30): fired then, not again.
    let since = Utc.with_ymd_and_hms(2026, 11, 26, 12, 30, 0).unwrap();
    let ev = set.evaluate(&Event::tick(rec.clone(), Some(since), at(26, 13)), &ctx);
    assert_eq!(ev.trace[5].why, Why::AlreadyDue { due_at: at(26, 12) });
    let ev = set.evaluate(
        &Event::tick(rec, None, at(26, 11)),
        &EvalContext::at(at(26, 11)),
    );
    assert_eq!(ev.trace[5].why, Why::NotDue { due_at: at(26, 12) });
    let ev = set.evaluate(
        &Event::tick(json!({"last_visit_at": "ontem"}), None, at(26, 13)),
        &ctx,
    );
    assert_eq!(
        ev.trace[5].why,
        Why::NotATime {
            field: "last_visit_at".into()
        }
    );
}

#[test]
fn business_day_offsets_use_the_calendar() {
    let rs = rules(
        json!([{"id": "after_visit", "trigger": {"type": "time_after", "field": "last_visit_at", "offset": {"business_days": 3}},
        "actions": [{"type": "create_task", "title": "Retorno"}]}]),
    );
    // Tuesday 17 Nov 2026, 10:00 local (13:00Z); business days: Wed 18, Thu 19, (Fri 20 is
    // Consciência Negra, a national holiday since 2024), Mon 23 → Mon 23, 10:00 local.
    let rec = json!({"last_visit_at": "2026-11-17T13:00:00Z"});
    let ev = evaluate(
        &Event::tick(rec.clone(), None, at(26, 13)),
        &rs,
        &EvalContext::at(at(26, 13)),
    );
    assert_eq!(ev.trace[0].why, Why::NoCalendar);
    let cal = BusinessCalendar::sao_paulo();
    let ctx = EvalContext::at(at(23, 13)).with_calendar(&cal);
    let ev = evaluate(&Event::tick(rec.clone(), None, at(23, 13)), &rs, &ctx);
    assert_eq!(ev.fired.first().and_then(|f| f.due_at), Some(at(23, 13)));
    let ctx = EvalContext::at(at(23, 12)).with_calendar(&cal);
    let ev = evaluate(&Event::tick(rec, None, at(23, 12)), &rs, &ctx);
    assert_eq!(ev.trace[0].why, Why::NotDue { due_at: at(23, 13) });
}

#[test]
fn disabled_and_depth_limit() {
    let rs = rules(json!([
        {"id": "off", "enabled": false, "trigger": {"type": "lead_created"}, "actions": [{"type": "route"}]},
        {"id": "on", "trigger": {"type": "lead_created"}, "actions": [{"type": "route"}]}
    ]));
    let e = Event::new(EventKind::LeadCreated, None, json!({}), at(26, 13));
    let ev = evaluate(&e, &rs, &EvalContext::at(at(26, 13)));
    assert_eq!(ev.trace[0].why, Why::Disabled);
    assert_eq!(ev.fired_ids(), ["on"]);
    let mut ctx = EvalContext::at(at(26, 13));
    for _ in 0..4 {
        ctx = ctx.chained();
    }
    let ev = evaluate(&e, &rs, &ctx);
    assert!(ev.fired.is_empty());
    assert_eq!(ev.trace[1].why, Why::DepthLimit { depth: 4, max: 4 });
}

#[test]
fn loops_are_found_at_load() {
    let direct = rules(
        json!([{"id": "r", "trigger": {"type": "stage_changed", "to": "contacted"},
        "actions": [{"type": "move_stage", "to": "contacted"}]}]),
    );
    // Moving to `contacted` cannot trigger a rule on moves *from* `contacted`.
    assert!(find_loops(&direct).len() == 1);
    let not_a_loop = rules(
        json!([{"id": "r", "trigger": {"type": "stage_changed", "from": "contacted"},
        "actions": [{"type": "move_stage", "to": "contacted"}]}]),
    );
    assert!(RuleSet::new(not_a_loop).is_ok());
    let cycle = rules(json!([
        {"id": "tag_on_assign", "trigger": {"type": "field_changed", "field": "assigned_agent"}, "actions": [{"type": "add_tag", "tag": "assigned"}]},
        {"id": "noise", "trigger": {"type": "lead_created"}, "actions": [{"type": "route"}]},
        {"id": "route_on_tag", "trigger": {"type": "field_changed", "field": "tags"}, "actions": [{"type": "route"}]}
    ]));
    let errs = RuleSet::new(cycle.clone()).unwrap_err();
    assert_eq!(errs.len(), 1);
    let e = &errs.errors()[0];
    assert_eq!(
        (e.path.as_str(), e.code),
        ("[0]", ErrorCode::AutomationLoop)
    );
    assert!(
        e.message.contains("tag_on_assign, route_on_tag"),
        "{}",
        e.message
    );
    // Disabling one rule of the cycle breaks it.
    let mut broken = cycle;
    broken[2].enabled = false;
    assert!(RuleSet::new(broken).is_ok());
}

#[test]
fn invalid_rules_report_paths() {
    let rs = rules(json!([
        {"id": "", "trigger": {"type": "stage_changed", "from": "a", "to": "a"}, "actions": []},
        {"id": "x", "trigger": {"type": "time_after", "field": " ", "offset": {"days": 0}},
         "conditions": {"before": {"field": "stage", "op": "empty"}},
         "actions": [{"type": "create_task", "title": " "}, {"type": "escalate", "level": 0, "to": {"type": "owner"}}]},
        {"id": "x", "trigger": {"type": "field_changed", "field": ""},
         "conditions": {"after": {"field": "n", "op": "between", "min": 3, "max": 1}},
         "actions": [{"type": "add_tag", "tag": "ok"}]}
    ]));
    let got: Vec<(String, ErrorCode)> = RuleSet::new(rs)
        .unwrap_err()
        .into_iter()
        .map(|e| (e.path, e.code))
        .collect();
    let want = [
        ("[0].id", ErrorCode::AutomationRuleId),
        ("[0].trigger", ErrorCode::AutomationTrigger),
        ("[0].actions", ErrorCode::AutomationAction),
        ("[1].trigger.field", ErrorCode::AutomationTrigger),
        ("[1].trigger.offset", ErrorCode::AutomationTrigger),
        ("[1].conditions.before", ErrorCode::AutomationTrigger),
        ("[1].actions[0].title", ErrorCode::AutomationAction),
        ("[1].actions[1].level", ErrorCode::AutomationAction),
        ("[2].id", ErrorCode::AutomationRuleId),
        ("[2].trigger.field", ErrorCode::AutomationTrigger),
        ("[2].conditions.after.op", ErrorCode::WorkflowCondition),
    ];
    let want: Vec<(String, ErrorCode)> = want.iter().map(|(p, c)| ((*p).to_owned(), *c)).collect();
    assert_eq!(got, want);
}

#[test]
fn trace_serialises_with_reasons() {
    let rs = rules(
        json!([{"id": "r", "trigger": {"type": "lead_created"}, "actions": [{"type": "move_stage", "to": "contacted"}]}]),
    );
    let ev = evaluate(
        &Event::new(EventKind::Updated, Some(json!({})), json!({}), at(26, 13)),
        &rs,
        &EvalContext::at(at(26, 13)),
    );
    assert_eq!(
        serde_json::to_value(&ev).unwrap(),
        json!({"fired": [], "trace": [{"rule_id": "r", "fired": false, "why": {"reason": "trigger_mismatch", "expected": "lead created", "got": "record updated"}}]})
    );
    let ev = evaluate(
        &Event::new(EventKind::LeadCreated, None, json!({}), at(26, 13)),
        &rs,
        &EvalContext::at(at(26, 13)),
    );
    assert_eq!(
        ev.fired[0].intents,
        [Intent::MoveStage {
            to: "contacted".into()
        }]
    );
}
