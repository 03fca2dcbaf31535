//! Runs the shared decision-table vectors in `tests/vectors/decision.json` against the Rust API.
//!
//! The expected values are hand labels (`tests/vectors/tools/make_decision_vectors.py`); see the
//! "decision.json" section of `tests/vectors/README.md` for the format. Tables are loaded with
//! `DecisionTable::from_json` (read + validate); `evaluate` cases compare outputs, matched and
//! selected rows and the aggregate, or the error's code (with its path and the rows its message
//! names, when given); `check` cases compare gap and overlap descriptions in order and the
//! not-analysed cells; `invalid` cases compare the full ordered list of `{path, code}`. Every
//! case is run; all failures are reported together.

use realestate_crm::workflow::DecisionTable;
use serde_json::{Value, json};
use std::collections::BTreeMap;

const MIN_CASES: usize = 60;
const MIN_PER_FEATURE: [(&str, usize); 10] = [
    ("unique", 5),
    ("first", 4),
    ("priority", 3),
    ("any", 4),
    ("rule_order", 3),
    ("collect", 2),
    ("aggregation", 8),
    ("gap", 2),
    ("overlap", 2),
    ("check", 8),
];

fn load() -> Value {
    let path = format!("{}/tests/vectors/decision.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let doc: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not valid JSON: {e}"));
    assert_eq!(
        doc.get("format"),
        Some(&json!(1)),
        "{path}: unknown vector format"
    );
    doc
}

fn table_of(doc: &Value, case: &Value) -> Result<DecisionTable, String> {
    let t = match &case["table"] {
        Value::String(name) => doc["tables"]
            .get(name)
            .ok_or_else(|| format!("no table named {name}"))?,
        other => other,
    };
    DecisionTable::from_json(&t.to_string()).map_err(|e| format!("the table does not load: {e}"))
}

fn run_evaluate(doc: &Value, case: &Value) -> Result<(), String> {
    let table = table_of(doc, case)?;
    let result = table.evaluate(&case["record"]);
    match (case.get("expect"), case.get("expect_error"), result) {
        (Some(expect), _, Ok(d)) => {
            let mut actual = json!({
                "outputs": d.outputs,
                "matched_rows": d.matched_rows,
                "selected_row": d.selected_row,
            });
            if expect.get("aggregate").is_some() {
                actual["aggregate"] = d.aggregate.unwrap_or(json!("<none>"));
            }
            if &actual == expect {
                Ok(())
            } else {
                Err(format!("expected {expect}, got {actual}"))
            }
        }
        (Some(expect), _, Err(e)) => Err(format!("expected {expect}, got error {e}")),
        (None, Some(expect), Ok(d)) => Err(format!("expected error {expect}, got {d:?}")),
        (None, Some(expect), Err(e)) => {
            let mut problems = Vec::new();
            if e.code().as_str() != expect["code"] {
                problems.push(format!("code {} (expected {})", e.code(), expect["code"]));
            }
            if let Some(path) = expect.get("path") {
                let actual = e
                    .field_errors()
                    .first()
                    .map(|f| f.path.clone())
                    .unwrap_or_default();
                if actual != *path {
                    problems.push(format!("path {actual} (expected {path})"));
                }
            }
            for row in expect
                .get("rows")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let name = format!("rows[{row}]");
                if !e.to_string().contains(&name) {
                    problems.push(format!("message `{e}` does not name {name}"));
                }
            }
            if problems.is_empty() {
                Ok(())
            } else {
                Err(problems.join("; "))
            }
        }
        (None, None, _) => Err("the case gives neither expect nor expect_error".to_owned()),
    }
}

fn run_check(doc: &Value, case: &Value) -> Result<(), String> {
    let report = table_of(doc, case)?.check();
    let actual = json!({
        "gaps": report.gaps.iter().map(|g| g.description.clone()).collect::<Vec<_>>(),
        "overlaps": report.overlaps.iter().map(|o| json!({"rows": o.rows, "where": o.description})).collect::<Vec<_>>(),
        "not_analysed": report.not_analysed.iter().map(|n| n.path.clone()).collect::<Vec<_>>(),
    });
    if report.truncated {
        return Err("the check was truncated".to_owned());
    }
    if actual == case["expect_report"] {
        Ok(())
    } else {
        Err(format!("expected {}, got {actual}", case["expect_report"]))
    }
}

fn run_invalid(case: &Value) -> Result<(), String> {
    let errors = match DecisionTable::from_json(&case["table"].to_string()) {
        Ok(_) => return Err("the table loaded and validated".to_owned()),
        Err(e) => e.field_errors(),
    };
    let actual: Vec<Value> = errors
        .iter()
        .map(|e| json!({"path": e.path, "code": e.code.as_str()}))
        .collect();
    if json!(actual) == case["expect_errors"] {
        Ok(())
    } else {
        Err(format!(
            "expected {}, got {}",
            case["expect_errors"],
            json!(actual)
        ))
    }
}

#[test]
fn decision_vectors() {
    let doc = load();
    let cases = doc["cases"].as_array().expect("cases");
    assert!(cases.len() >= MIN_CASES, "only {} cases", cases.len());
    let mut per_feature: BTreeMap<&str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for case in cases {
        let feature = case["feature"].as_str().unwrap_or("?");
        *per_feature.entry(feature).or_default() += 1;
        let outcome = match case["kind"].as_str() {
            Some("evaluate") => run_evaluate(&doc, case),
            Some("check") => run_check(&doc, case),
            Some("invalid") => run_invalid(case),
            other => Err(format!("unknown kind {other:?}")),
        };
        if let Err(why) = outcome {
            failures.push(format!("{}: {why}", case["id"]));
        }
    }
    for (feature, min) in MIN_PER_FEATURE {
        let n = per_feature.get(feature).copied().unwrap_or(0);
        assert!(n >= min, "only {n} `{feature}` cases (want {min})");
    }
    assert!(
        failures.is_empty(),
        "{} failing case(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
