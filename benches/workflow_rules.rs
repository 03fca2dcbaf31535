//! Automation rule evaluation and pipeline transitions. Run with
//! `cargo bench --bench workflow_rules`.
//!
//! - `evaluate/50_rules_stage_changed`: one stage-change event against 50 rules (a mix of
//!   stage, field, activity, band, SLA and time triggers with before/after conditions), trace
//!   included;
//! - `evaluate/50_rules_tick_business_days`: a time check against the same rules with the
//!   São Paulo business calendar (the business-day rules compute their due time);
//! - `transition/sales_proposal_guards`: a guarded move (`visit_done → proposal`) on a lead's
//!   JSON form; `transition/lead_typed`: the same through `transition_lead`.

use chrono::{TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use realestate_crm::Money;
use realestate_crm::domain::{Contact, Lead, LeadId, PropertyId};
use realestate_crm::workflow::calendar::BusinessCalendar;
use realestate_crm::workflow::{
    EvalContext, Event, EventKind, Pipeline, RuleSet, TransitionContext,
};
use rust_decimal_macros::dec;
use serde_json::{Value, json};
use std::hint::black_box;

const STAGES: [&str; 6] = [
    "new",
    "contacted",
    "qualified",
    "visit_scheduled",
    "visit_done",
    "proposal",
];

fn rules() -> RuleSet {
    let mut rules: Vec<Value> = Vec::new();
    for i in 0..50 {
        let stage = STAGES[i % STAGES.len()];
        let trigger = match i % 7 {
            0..=2 => json!({"type": "stage_changed", "to": stage}),
            3 => json!({"type": "field_changed", "field": "budget.max.amount"}),
            4 => json!({"type": "activity_recorded", "kinds": ["visit_done", "message"]}),
            5 => {
                json!({"type": "time_after", "field": "last_visit_at", "offset": {"business_days": 1 + i % 3}})
            }
            _ => json!({"type": "sla_breached", "sla": "first_contact"}),
        };
        let before = if i % 7 < 3 {
            json!({"field": "stage", "op": "in", "values": ["visit_scheduled", "visit_done", "qualified"]})
        } else {
            Value::Null
        };
        let after = json!({"all": [
            {"field": "budget.max.amount", "op": "between", "min": format!("{}", 100000 * (i % 5)), "max": "5000000"},
            {"any": [{"field": "wanted_neighbourhoods", "op": "contains", "value": "Moema"},
                     {"field": "contact.name", "op": "contains", "value": "silva"}]},
            {"not": {"field": "assigned_agent", "op": "empty"}}
        ]});
        let mut conditions = json!({"after": after});
        if !before.is_null() {
            conditions["before"] = before;
        }
        rules.push(json!({
            "id": format!("rule_{i:02}"), "trigger": trigger, "conditions": conditions,
            "actions": [{"type": "create_task", "title": format!("Tarefa {i}")},
                        {"type": "notify", "to": {"type": "owner"}, "template": "aviso"}]
        }));
    }
    RuleSet::from_json(&Value::Array(rules).to_string()).unwrap_or_default()
}

fn record(stage: &str) -> Value {
    json!({
        "stage": stage, "assigned_agent": "019a7c2e-1b00-7000-8000-00000000c001",
        "contact": {"name": "João da Silva", "phone": "11987654321"},
        "budget": {"max": {"amount": "850000.00", "currency": "BRL"}},
        "wanted_neighbourhoods": ["Vila Mariana", "Moema"],
        "last_visit_at": "2026-11-17T13:00:00Z"
    })
}

fn bench(c: &mut Criterion) {
    let set = rules();
    assert_eq!(set.rules().len(), 50);
    let now = Utc
        .with_ymd_and_hms(2026, 11, 26, 13, 0, 0)
        .single()
        .unwrap_or_default();
    let cal = BusinessCalendar::sao_paulo();
    let event = Event::new(
        EventKind::StageChanged {
            from: "visit_done".into(),
            to: "proposal".into(),
        },
        Some(record("visit_done")),
        record("proposal"),
        now,
    );
    let ctx = EvalContext::at(now).with_calendar(&cal);
    let fired = set.evaluate(&event, &ctx).fired.len();
    assert!(fired > 0, "the bench event should fire some rules");
    let tick = Event::tick(
        record("proposal"),
        Some(now - chrono::Duration::hours(1)),
        now,
    );

    let mut g = c.benchmark_group("evaluate");
    g.throughput(Throughput::Elements(50));
    g.bench_function("50_rules_stage_changed", |b| {
        b.iter(|| black_box(set.evaluate(black_box(&event), &ctx)))
    });
    g.bench_function("50_rules_tick_business_days", |b| {
        b.iter(|| black_box(set.evaluate(black_box(&tick), &ctx)))
    });
    g.finish();

    let sales = Pipeline::default_sales().unwrap_or_else(|e| panic!("{e}"));
    let tctx = TransitionContext::at(now)
        .with_proposal(PropertyId::from_parts(1, [2; 10]), Money::brl(dec!(750000)));
    let rec = record("visit_done");
    let mut lead = Lead::new(
        LeadId::from_parts(1, [1; 10]),
        Contact::new("João da Silva"),
        now,
    );
    lead.stage = "visit_done".into();
    let mut g = c.benchmark_group("transition");
    g.bench_function("sales_proposal_guards", |b| {
        b.iter(|| black_box(sales.transition(black_box(&rec), "proposal", &tctx)))
    });
    g.bench_function("lead_typed", |b| {
        b.iter(|| black_box(sales.transition_lead(black_box(&lead), "proposal", &tctx)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
