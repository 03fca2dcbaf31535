use super::*;
use serde_json::json;

fn table(j: Value) -> DecisionTable {
    let t: DecisionTable = serde_json::from_value(j).unwrap();
    t.validate().unwrap();
    t
}

fn plan_table(policy: &str) -> DecisionTable {
    table(json!({
        "id": "plan", "hit_policy": policy,
        "inputs": [{"name": "kind", "field": "kind", "values": ["sale", "lease"]},
                   {"name": "value", "field": "value.amount", "type": "number"}],
        "outputs": [{"name": "plan"}],
        "rows": [
            {"when": [{"op": "eq", "value": "sale"}, {"op": "lt", "value": "1000000"}], "then": ["standard"]},
            {"when": [{"op": "eq", "value": "sale"}, {"op": "gte", "value": "1000000"}], "then": ["premium"]},
            {"when": [{"op": "eq", "value": "lease"}, "-"], "then": ["lease"]}
        ]
    }))
}

fn codes(t: &DecisionTable) -> Vec<(String, ErrorCode)> {
    t.validate()
        .unwrap_err()
        .into_iter()
        .map(|e| (e.path, e.code))
        .collect()
}

#[test]
fn unique_picks_the_one_row_and_the_check_is_clean() {
    let t = plan_table("unique");
    let d = t
        .evaluate(&json!({"kind": "sale", "value": {"amount": "999999.99"}}))
        .unwrap();
    assert_eq!(
        d.outputs,
        vec![json!({"plan": "standard"}).as_object().unwrap().clone()]
    );
    assert_eq!((d.matched_rows, d.selected_row), (vec![0], Some(0)));
    let d = t.evaluate(&json!({"kind": "lease"})).unwrap();
    assert_eq!(d.selected_row, Some(2));
    let r = t.check();
    assert!(r.is_clean(), "{r:?}");
}

#[test]
fn type_and_allowed_values_are_enforced() {
    let t = plan_table("unique");
    let e = t.evaluate(&json!({"kind": "swap"})).unwrap_err();
    assert_eq!(e.code(), ErrorCode::DecisionInputType);
    assert_eq!(e.field_errors()[0].path, "kind");
    let e = t
        .evaluate(&json!({"kind": "sale", "value": {"amount": "abc"}}))
        .unwrap_err();
    assert_eq!(e.field_errors()[0].path, "value.amount");
    // Missing values match only "-": a sale without a value matches nothing.
    let e = t.evaluate(&json!({"kind": "sale"})).unwrap_err();
    assert_eq!(e.code(), ErrorCode::DecisionNoMatch);
}

#[test]
fn unique_any_first_priority() {
    let rows = json!([
        {"when": [{"op": "gte", "value": 0}], "then": ["standard"]},
        {"when": [{"op": "gte", "value": 500000}], "then": ["premium"]},
        {"when": [{"op": "gte", "value": 800000}], "then": ["premium"]}
    ]);
    let mk = |policy: &str, priority: bool| {
        let output = if priority {
            json!({"name": "plan", "priority": ["premium", "standard"]})
        } else {
            json!({"name": "plan"})
        };
        table(json!({"id": "t", "hit_policy": policy,
            "inputs": [{"name": "v", "field": "v", "type": "number"}],
            "outputs": [output], "rows": rows}))
    };
    let r = json!({"v": "900000"});
    let e = mk("unique", false).evaluate(&r).unwrap_err();
    assert_eq!(e.code(), ErrorCode::DecisionNotUnique);
    assert!(e.to_string().contains("rows[0], rows[1], rows[2]"), "{e}");
    let e = mk("any", false).evaluate(&r).unwrap_err();
    assert_eq!(e.code(), ErrorCode::DecisionConflict);
    assert!(e.to_string().contains("rows[0], rows[1]"), "{e}");
    let d = mk("any", false).evaluate(&json!({"v": 100})).unwrap();
    assert_eq!(d.selected_row, Some(0));
    assert_eq!(mk("first", false).evaluate(&r).unwrap().matched_rows, [0]);
    let d = mk("priority", true).evaluate(&r).unwrap();
    assert_eq!((d.selected_row, d.matched_rows), (Some(1), vec![0, 1, 2]));
    assert_eq!(d.outputs[0]["plan"], json!("premium"));
    let e = mk("first", false).evaluate(&json!({"v": -1})).unwrap_err();
    assert_eq!(e.code(), ErrorCode::DecisionNoMatch);
    // any: rows 1 and 2 agree, so their overlap is not reported; 0–1 and 0–2 are.
    let overlaps: Vec<[usize; 2]> = mk("any", false)
        .check()
        .overlaps
        .iter()
        .map(|o| o.rows)
        .collect();
    assert_eq!(overlaps, [[0, 1], [0, 2]]);
    let report = mk("unique", false).check();
    assert_eq!(report.overlaps.len(), 3);
    assert_eq!(report.overlaps[2].description, "v >= 800000");
    assert_eq!(report.gaps[0].description, "v < 0");
    assert!(mk("first", false).check().overlaps.is_empty());
}

#[test]
fn rule_order_and_collect_aggregations() {
    let mk = |policy: &str, aggregation: Option<&str>| {
        let mut j = json!({"id": "bonus", "hit_policy": policy,
        "inputs": [{"name": "v", "field": "v"}], "outputs": [{"name": "b"}],
        "rows": [
            {"when": [{"op": "gte", "value": "0"}], "then": ["100.10"]},
            {"when": [{"op": "gte", "value": "10"}], "then": ["0.05"]},
            {"when": [{"op": "gte", "value": "20"}], "then": ["250"]}
        ]});
        if let Some(a) = aggregation {
            j["aggregation"] = json!(a);
        }
        table(j)
    };
    let r = json!({"v": 15});
    let d = mk("rule_order", None).evaluate(&r).unwrap();
    assert_eq!(
        (d.matched_rows, d.outputs.len(), d.aggregate),
        (vec![0, 1], 2, None)
    );
    assert_eq!(
        mk("collect", Some("sum")).evaluate(&r).unwrap().aggregate,
        Some(json!("100.15"))
    );
    assert_eq!(
        mk("collect", Some("min")).evaluate(&r).unwrap().aggregate,
        Some(json!("0.05"))
    );
    assert_eq!(
        mk("collect", Some("max")).evaluate(&r).unwrap().aggregate,
        Some(json!("100.10"))
    );
    assert_eq!(
        mk("collect", Some("count")).evaluate(&r).unwrap().aggregate,
        Some(json!("2"))
    );
    let none = json!({"v": -5});
    assert_eq!(
        mk("collect", Some("sum"))
            .evaluate(&none)
            .unwrap()
            .aggregate,
        Some(json!("0"))
    );
    assert_eq!(
        mk("collect", Some("max"))
            .evaluate(&none)
            .unwrap()
            .aggregate,
        Some(Value::Null)
    );
    assert!(
        mk("rule_order", None)
            .evaluate(&none)
            .unwrap()
            .outputs
            .is_empty()
    );
    // A non-number under sum: only an unvalidated table can get here with a string.
    let mut t = mk("collect", Some("sum"));
    t.rows[1].then[0] = json!("ten");
    let e = t.evaluate(&r).unwrap_err();
    assert_eq!(e.code(), ErrorCode::DecisionAggregate);
    assert_eq!(e.field_errors()[0].path, "rows[1].then[0]");
}

#[test]
fn validation_reports_every_problem_with_paths() {
    let t: DecisionTable = serde_json::from_value(json!({
        "id": " ", "hit_policy": "rule_order", "aggregation": "sum",
        "inputs": [{"name": "n", "field": "n", "type": "number"}, {"name": "n", "field": ""}],
        "outputs": [{"name": "o", "priority": ["a"]}, {"name": "o"}],
        "rows": [
            {"when": [{"op": "eq", "value": "sale"}, "-"], "then": [0.5, "x"]},
            {"when": [{"op": "between", "min": 5, "max": 1}], "then": ["a", "b"]}
        ]
    }))
    .unwrap();
    assert_eq!(
        codes(&t),
        [
            ("id".to_owned(), ErrorCode::Required),
            ("inputs[1].name".to_owned(), ErrorCode::DecisionShape),
            ("inputs[1].field".to_owned(), ErrorCode::Required),
            ("outputs[1].name".to_owned(), ErrorCode::DecisionShape),
            ("aggregation".to_owned(), ErrorCode::DecisionPolicy),
            ("outputs[0].priority".to_owned(), ErrorCode::DecisionPolicy),
            ("rows[0].when[0]".to_owned(), ErrorCode::DecisionCell),
            ("rows[0].then[0]".to_owned(), ErrorCode::DecisionCell),
            ("rows[1].when".to_owned(), ErrorCode::DecisionShape),
            ("rows[1].when[0]".to_owned(), ErrorCode::WorkflowCondition),
        ]
    );
    let t: DecisionTable = serde_json::from_value(json!({
        "id": "p", "hit_policy": "priority", "inputs": [], "outputs": [{"name": "o"}], "rows": []
    }))
    .unwrap();
    assert_eq!(
        codes(&t),
        [
            ("outputs".to_owned(), ErrorCode::DecisionPolicy),
            ("rows".to_owned(), ErrorCode::DecisionShape),
        ]
    );
    let e = DecisionTable::from_json(r#"{"id": "x", "hit_policy": "sometimes"}"#).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Json);
    assert_eq!(e.field_errors()[0].path, "hit_policy");
    let e = serde_json::from_value::<Cell>(json!(5)).unwrap_err();
    assert!(e.to_string().contains("a cell is"));
}

#[test]
fn check_finds_gaps_in_two_dimensions() {
    let t = table(json!({
        "id": "plan", "hit_policy": "unique",
        "inputs": [{"name": "kind", "field": "kind"}, {"name": "value", "field": "value", "type": "number"}],
        "outputs": [{"name": "plan"}],
        "rows": [
            {"when": [{"op": "eq", "value": "sale"}, {"op": "between", "min": "0", "max": "500000"}], "then": ["a"]},
            {"when": [{"op": "eq", "value": "sale"}, {"op": "gt", "value": "600000"}], "then": ["b"]},
            {"when": [{"op": "ne", "value": "sale"}, {"op": "gte", "value": "0"}], "then": ["c"]}
        ]
    }));
    let r = t.check();
    let gaps: Vec<&str> = r.gaps.iter().map(|g| g.description.as_str()).collect();
    assert_eq!(
        gaps,
        [
            "kind = sale, value < 0 or in (500000, 600000]",
            "kind != sale, value < 0"
        ]
    );
    assert!(r.overlaps.is_empty());
    assert_eq!(r.gaps[0].cells[1].values, "< 0 or in (500000, 600000]");
}

#[test]
fn check_sets_dates_bools_and_unknowns() {
    let t = table(json!({
        "id": "t", "hit_policy": "unique",
        "inputs": [{"name": "vip", "field": "vip", "type": "bool"},
                   {"name": "since", "field": "since", "type": "date"},
                   {"name": "tag", "field": "tag"}],
        "outputs": [{"name": "o"}],
        "rows": [
            {"when": [{"op": "eq", "value": true}, "-", "-"], "then": ["a"]},
            {"when": [{"op": "eq", "value": false}, {"op": "lt", "value": "2026-01-01"}, "-"], "then": ["b"]},
            {"when": [{"op": "eq", "value": false}, {"op": "gte", "value": "2026-01-01T00:00:00Z"}, {"op": "contains", "value": "x"}], "then": ["c"]}
        ]
    }));
    let r = t.check();
    assert_eq!(r.not_analysed.len(), 1);
    assert_eq!(r.not_analysed[0].path, "rows[2].when[2]");
    let gaps: Vec<&str> = r.gaps.iter().map(|g| g.description.as_str()).collect();
    assert_eq!(gaps, ["vip = false, since >= 2026-01-01"]);
    assert!(r.overlaps.is_empty());
    // A table of one "-" row is complete; no rows is one big gap.
    let t = table(
        json!({"id": "t", "hit_policy": "first", "inputs": [{"name": "a", "field": "a"}],
        "outputs": [{"name": "o"}], "rows": [{"when": ["-"], "then": [1]}]}),
    );
    assert!(t.check().is_clean());
    let mut t = t;
    t.rows.clear();
    assert_eq!(t.check().gaps[0].description, "any input");
}

#[test]
fn cells_round_trip_and_inputs_by_name() {
    let t = plan_table("first");
    let back: DecisionTable = serde_json::from_value(serde_json::to_value(&t).unwrap()).unwrap();
    assert_eq!(back, t);
    let inputs = json!({"kind": "sale", "value": 2_000_000});
    let d = t.evaluate_inputs(inputs.as_object().unwrap()).unwrap();
    assert_eq!(d.outputs[0]["plan"], json!("premium"));
    let e = t
        .evaluate_inputs(json!({"kind": 5}).as_object().unwrap())
        .unwrap_err();
    assert_eq!(e.field_errors()[0].path, "kind");
}
