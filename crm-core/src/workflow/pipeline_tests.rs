//! Hand-worked pipeline cases.

use super::*;
use chrono::TimeZone;
use rust_decimal_macros::dec;
use serde_json::json;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 13, 0, 0).unwrap()
}

fn codes(e: &Error) -> Vec<(String, ErrorCode)> {
    e.field_errors()
        .into_iter()
        .map(|f| (f.path, f.code))
        .collect()
}

#[test]
fn defaults_load_and_validate() {
    let sales = Pipeline::default_sales().unwrap();
    let rentals = Pipeline::default_rentals().unwrap();
    assert_eq!(sales.stages.len(), 8);
    assert_eq!(rentals.stages.len(), 8);
    assert_eq!(
        sales.targets("visit_done"),
        ["visit_scheduled", "proposal", "lost"]
    );
    assert_eq!(sales.targets("won"), Vec::<&str>::new());
    assert_eq!(sales.targets("lost"), ["contacted"]);
    assert_eq!(
        rentals.targets("guarantee"),
        ["application", "contract", "lost"]
    );
}

#[test]
fn proposal_guards_report_every_failure_in_order() {
    let sales = Pipeline::default_sales().unwrap();
    let rec = json!({"stage": "visit_done"});
    let err = sales
        .transition(&rec, "proposal", &TransitionContext::at(now()))
        .unwrap_err();
    assert_eq!(
        codes(&err),
        [
            ("guards[0]".to_owned(), ErrorCode::TransitionGuard),
            ("guards[1]".to_owned(), ErrorCode::TransitionGuard)
        ]
    );
    assert!(err.to_string().contains("has_property"), "{err}");
    // Property given, value zero: only the value guard fails.
    let mut ctx = TransitionContext::at(now());
    ctx.property_id = Some(PropertyId::from_parts(1, [2; 10]));
    ctx.offer_value = Some(Money::brl(dec!(0)));
    let err = sales.transition(&rec, "proposal", &ctx).unwrap_err();
    assert_eq!(
        codes(&err),
        [("guards[1]".to_owned(), ErrorCode::TransitionGuard)]
    );
    ctx.offer_value = Some(Money::brl(dec!(750000)));
    let (after, t) = sales.transition(&rec, "proposal", &ctx).unwrap();
    assert_eq!(after, json!({"stage": "proposal"}));
    assert_eq!((t.kind, t.at), (StageKind::Open, now()));
}

#[test]
fn star_covers_open_stages_only_and_explicit_wins() {
    let sales = Pipeline::default_sales().unwrap();
    let ctx = TransitionContext::at(now()).with_reason("  ");
    let err = sales
        .transition(&json!({"stage": "new"}), "lost", &ctx)
        .unwrap_err();
    assert_eq!(
        codes(&err),
        [("guards[0]".to_owned(), ErrorCode::TransitionGuard)]
    );
    let err = sales
        .transition(&json!({"stage": "won"}), "lost", &ctx)
        .unwrap_err();
    assert_eq!(
        codes(&err),
        [("to".to_owned(), ErrorCode::TransitionForbidden)]
    );
    assert!(err.to_string().contains("allowed: none"), "{err}");
    let ctx = TransitionContext::at(now()).with_reason(" voltou a procurar ");
    let (_, t) = sales
        .transition(&json!({"stage": "lost"}), "contacted", &ctx)
        .unwrap();
    assert_eq!(t.reason.as_deref(), Some("voltou a procurar"));
}

#[test]
fn unknown_stages_and_same_stage() {
    let sales = Pipeline::default_sales().unwrap();
    let ctx = TransitionContext::at(now());
    let err = sales
        .transition(&json!({"stage": "limbo"}), "contacted", &ctx)
        .unwrap_err();
    assert_eq!(codes(&err), [("stage".to_owned(), ErrorCode::StageUnknown)]);
    let err = sales
        .transition(&json!({"stage": "new"}), "limbo", &ctx)
        .unwrap_err();
    assert_eq!(codes(&err), [("to".to_owned(), ErrorCode::StageUnknown)]);
    let err = sales
        .transition(&json!({"stage": "new"}), "new", &ctx)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::TransitionForbidden);
    let err = sales
        .transition(&json!({"stage": 5}), "new", &ctx)
        .unwrap_err();
    assert_eq!(codes(&err), [("stage".to_owned(), ErrorCode::StageUnknown)]);
    // A lead without a stage is at `new`.
    let (after, _) = sales.transition(&json!({}), "contacted", &ctx).unwrap();
    assert_eq!(after["stage"], "contacted");
}

#[test]
fn condition_guard_names_its_code() {
    let p = Pipeline::from_json(
        r#"{"id": "p", "stages": [{"key": "new", "kind": "open"}, {"key": "won", "kind": "won"}, {"key": "lost", "kind": "lost"}],
        "transitions": [{"from": "new", "to": "won", "guards": [{"type": "condition", "code": "needs_phone",
            "condition": {"field": "contact.phone", "op": "not_empty"}, "message": "sem telefone"}]},
            {"from": "*", "to": "lost"}]}"#,
    )
    .unwrap();
    let err = p
        .transition(
            &json!({"stage": "new", "contact": {}}),
            "won",
            &TransitionContext::at(now()),
        )
        .unwrap_err();
    assert!(err.to_string().contains("`needs_phone`"), "{err}");
    assert!(err.to_string().contains("sem telefone"), "{err}");
    assert!(
        p.transition(
            &json!({"stage": "new", "contact": {"phone": "11987654321"}}),
            "won",
            &TransitionContext::at(now())
        )
        .is_ok()
    );
}

#[test]
fn validation_reports_every_problem() {
    let p: Pipeline = serde_json::from_value(json!({
        "id": " ",
        "stages": [{"key": "new", "kind": "open"}, {"key": "New", "kind": "open"},
                   {"key": "new", "kind": "open"}, {"key": "orphan", "kind": "open"}],
        "transitions": [{"from": "new", "to": "ghost"}, {"from": "new", "to": "new"},
                        {"from": "*", "to": "orphan", "guards": [{"type": "condition", "code": "", "condition": {"field": "x", "op": "in", "values": []}}]},
                        {"from": "*", "to": "orphan"}]
    }))
    .unwrap();
    let got: Vec<(String, ErrorCode)> = p
        .validate()
        .unwrap_err()
        .into_iter()
        .map(|e| (e.path, e.code))
        .collect();
    let want = [
        ("id", ErrorCode::PipelineId),
        ("stages[1].key", ErrorCode::PipelineStageKey),
        ("stages[2].key", ErrorCode::PipelineStageDuplicate),
        ("stages", ErrorCode::PipelineTerminalMissing),
        ("stages", ErrorCode::PipelineTerminalMissing),
        ("transitions[0].to", ErrorCode::PipelineUnknownStage),
        ("transitions[1]", ErrorCode::PipelineTransitionDuplicate),
        (
            "transitions[2].guards[0].condition.op",
            ErrorCode::WorkflowCondition,
        ),
        ("transitions[2].guards[0].code", ErrorCode::PipelineGuard),
        ("transitions[3]", ErrorCode::PipelineTransitionDuplicate),
        ("stages[1]", ErrorCode::PipelineUnreachable),
    ];
    let want: Vec<(String, ErrorCode)> = want.iter().map(|(p, c)| ((*p).to_owned(), *c)).collect();
    assert_eq!(got, want);
}

#[test]
fn typed_lead_and_deal_helpers() {
    use crate::domain::{Contact, DealId, DealKind, LeadId};
    let sales = Pipeline::default_sales().unwrap();
    let mut lead = Lead::new(LeadId::from_parts(1, [1; 10]), Contact::new("Ana"), now());
    lead.version = 7;
    lead.stage = "proposal".into();
    let err = sales
        .transition_lead(&lead, "won", &TransitionContext::at(now()))
        .unwrap_err();
    assert_eq!(
        codes(&err),
        [("guards[0]".to_owned(), ErrorCode::TransitionGuard)]
    );
    let later = now() + chrono::Duration::hours(2);
    let (won, t) = sales
        .transition_lead(
            &lead,
            "won",
            &TransitionContext::at(later).with_proposal_accepted(),
        )
        .unwrap();
    assert_eq!(
        (won.stage.as_str(), won.updated_at, won.version),
        ("won", later, 7)
    );
    assert_eq!(t.kind, StageKind::Won);

    let day = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let deal = Deal::new(
        DealId::from_parts(1, [3; 10]),
        LeadId::from_parts(1, [1; 10]),
        PropertyId::from_parts(1, [2; 10]),
        DealKind::Lease,
        Money::brl(dec!(4500)),
        day,
        now(),
    );
    let err = sales
        .transition_deal(&deal, "accepted", &TransitionContext::at(now()))
        .unwrap_err();
    assert_eq!(
        codes(&err),
        [("applies_to".to_owned(), ErrorCode::StageUnknown)]
    );
    let deals = Pipeline::from_json(
        r#"{"id": "deals", "applies_to": "deal",
        "stages": [{"key": "proposal", "kind": "open"}, {"key": "accepted", "kind": "open"},
                   {"key": "closed", "kind": "won"}, {"key": "rejected", "kind": "lost"}, {"key": "limbo", "kind": "lost"}],
        "transitions": [{"from": "proposal", "to": "accepted", "guards": [{"type": "has_property"}, {"type": "has_offer_value"}]},
                        {"from": "proposal", "to": "closed", "guards": [{"type": "proposal_accepted"}]},
                        {"from": "accepted", "to": "closed", "guards": [{"type": "proposal_accepted"}]},
                        {"from": "*", "to": "rejected", "guards": [{"type": "has_reason"}]},
                        {"from": "*", "to": "limbo"}]}"#,
    )
    .unwrap();
    // The deal itself names the property and the value.
    let err = deals
        .transition_deal(&deal, "closed", &TransitionContext::at(now()))
        .unwrap_err();
    assert_eq!(
        codes(&err),
        [("guards[0]".to_owned(), ErrorCode::TransitionGuard)]
    );
    let (accepted, _) = deals
        .transition_deal(&deal, "accepted", &TransitionContext::at(now()))
        .unwrap();
    assert_eq!(accepted.accepted_on, NaiveDate::from_ymd_opt(2026, 11, 26));
    let (closed, _) = deals
        .transition_deal(&accepted, "closed", &TransitionContext::at(now()))
        .unwrap();
    assert!(closed.validate().is_ok() || closed.participants.is_empty());
    assert_eq!(closed.closed_on, NaiveDate::from_ymd_opt(2026, 11, 26));
    let err = deals
        .transition_deal(&deal, "limbo", &TransitionContext::at(now()))
        .unwrap_err();
    assert_eq!(codes(&err), [("to".to_owned(), ErrorCode::StageUnknown)]);
    let (rejected, _) = deals
        .transition_deal(
            &deal,
            "rejected",
            &TransitionContext::at(now()).with_reason("preço"),
        )
        .unwrap();
    assert_eq!(rejected.cancelled_on, NaiveDate::from_ymd_opt(2026, 11, 26));
}
