//! Runs the shared workflow vectors in `tests/vectors/workflow.json` against the Rust API.
//!
//! Every expectation was worked out by hand (see the "workflow.json" section of
//! `tests/vectors/README.md`). Features:
//! - `transition`: a pipeline (`"sales"`, `"rentals"` or an object loaded with
//!   `Pipeline::from_json`) moves `record` to `to` under `context`; expect `ok` (from, to, kind,
//!   and the returned record's stage field equal to `to`) or `errors` (the ordered `{path, code}`
//!   list of the error's field problems);
//! - `pipeline_invalid`: `Pipeline::from_json` refuses the pipeline with exactly `errors`
//!   (a `path` left out is not compared);
//! - `rules`: `evaluate(event, rules, ctx)` at `now` (with the São Paulo calendar when
//!   `calendar` is `"sao_paulo"`, at chain `depth`); expect the fired rule ids in order,
//!   optionally every intent with its rule id, and for the rules named in `why` the exact
//!   serialised reason;
//! - `rules_invalid` / `rules_valid`: `RuleSet::new` refuses the rules with exactly `errors`,
//!   or accepts them.
//!
//! Every case is run; all failures are reported together.

use chrono::{DateTime, Utc};
use realestate_crm::workflow::calendar::BusinessCalendar;
use realestate_crm::workflow::{
    EvalContext, Event, Pipeline, Rule, RuleSet, TransitionContext, evaluate,
};
use realestate_crm::{Error, ErrorCode};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::collections::BTreeMap;

const MIN_CASES: usize = 40;
const MIN_PER_FEATURE: [(&str, usize); 5] = [
    ("transition", 20),
    ("pipeline_invalid", 8),
    ("rules", 25),
    ("rules_invalid", 5),
    ("rules_valid", 2),
];

fn load() -> Value {
    let path = format!("{}/tests/vectors/workflow.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let doc: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not valid JSON: {e}"));
    assert_eq!(doc.get("format"), Some(&json!(1)), "{path}: unknown format");
    doc
}

fn parse<T: DeserializeOwned>(what: &str, v: Option<&Value>) -> Result<T, String> {
    let v = v.ok_or_else(|| format!("no `{what}`"))?;
    serde_json::from_value(v.clone()).map_err(|e| format!("`{what}` does not load: {e}"))
}

fn pipeline(v: Option<&Value>) -> Result<Pipeline, String> {
    match v {
        Some(Value::String(s)) if s == "sales" => {
            Pipeline::default_sales().map_err(|e| e.to_string())
        }
        Some(Value::String(s)) if s == "rentals" => {
            Pipeline::default_rentals().map_err(|e| e.to_string())
        }
        Some(v @ Value::Object(_)) => {
            Pipeline::from_json(&v.to_string()).map_err(|e| e.to_string())
        }
        other => Err(format!("unknown pipeline {other:?}")),
    }
}

/// The expected `{path, code}` list; a missing path is `None` (not compared).
fn expected_errors(expect: &Value) -> Result<Vec<(Option<String>, String)>, String> {
    expect
        .get("errors")
        .and_then(Value::as_array)
        .ok_or("`expect.errors` is not an array")?
        .iter()
        .map(|e| {
            let code = e
                .get("code")
                .and_then(Value::as_str)
                .ok_or("an error without a code")?;
            code.parse::<ErrorCode>()
                .map_err(|_| format!("expected code {code:?} is not in the catalogue"))?;
            let path = e.get("path").and_then(Value::as_str).map(str::to_owned);
            Ok((path, code.to_owned()))
        })
        .collect()
}

fn compare_errors(want: &[(Option<String>, String)], got: &Error) -> Result<(), String> {
    let got: Vec<(String, String)> = got
        .field_errors()
        .into_iter()
        .map(|e| (e.path, e.code.as_str().to_owned()))
        .collect();
    let same = want.len() == got.len()
        && want
            .iter()
            .zip(&got)
            .all(|((wp, wc), (gp, gc))| wc == gc && wp.as_ref().is_none_or(|p| p == gp));
    if same {
        Ok(())
    } else {
        Err(format!("expected errors {want:?}, got {got:?}"))
    }
}

fn run_transition(case: &Value) -> Result<(), String> {
    let p = pipeline(case.get("pipeline"))?;
    let record = case.get("record").cloned().ok_or("no `record`")?;
    let to = case.get("to").and_then(Value::as_str).ok_or("no `to`")?;
    let ctx: TransitionContext = parse("context", case.get("context"))?;
    let expect = case.get("expect").ok_or("no `expect`")?;
    let result = p.transition(&record, to, &ctx);
    match (expect.get("ok"), result) {
        (Some(want), Ok((after, t))) => {
            let got = json!({"from": t.from, "to": t.to, "kind": t.kind});
            if &got != want {
                return Err(format!("expected {want}, got {got}"));
            }
            let field = p.applies_to.stage_field();
            if after.get(field) != Some(&json!(to)) || t.at != ctx.now {
                return Err(format!("the moved record is {after}, the transition {t:?}"));
            }
            Ok(())
        }
        (Some(_), Err(e)) => Err(format!("expected a move, got {e}")),
        (None, Ok((_, t))) => Err(format!("expected an error, got {t:?}")),
        (None, Err(e)) => compare_errors(&expected_errors(expect)?, &e),
    }
}

fn run_pipeline_invalid(case: &Value) -> Result<(), String> {
    let text = case.get("pipeline").ok_or("no `pipeline`")?.to_string();
    let expect = case.get("expect").ok_or("no `expect`")?;
    match Pipeline::from_json(&text) {
        Ok(_) => Err("expected the pipeline to be refused".to_owned()),
        Err(e) => compare_errors(&expected_errors(expect)?, &e),
    }
}

fn run_rules(case: &Value, calendar: &BusinessCalendar) -> Result<(), String> {
    let rules: Vec<Rule> = parse("rules", case.get("rules"))?;
    let event: Event = parse("event", case.get("event"))?;
    let now: DateTime<Utc> = parse("now", case.get("now"))?;
    let mut ctx = EvalContext::at(now);
    match case.get("calendar").and_then(Value::as_str) {
        Some("sao_paulo") => ctx = ctx.with_calendar(calendar),
        Some(other) => return Err(format!("unknown calendar {other}")),
        None => {}
    }
    ctx.depth = case.get("depth").and_then(Value::as_u64).unwrap_or(0) as u32;
    let expect = case.get("expect").ok_or("no `expect`")?;
    let ev = evaluate(&event, &rules, &ctx);
    let again = evaluate(&event, &rules, &ctx);
    if ev != again {
        return Err("evaluation is not deterministic".to_owned());
    }
    if ev.trace.len() != rules.len() {
        return Err(format!(
            "{} trace entries for {} rules",
            ev.trace.len(),
            rules.len()
        ));
    }
    let fired = json!(ev.fired_ids());
    if expect.get("fired") != Some(&fired) {
        return Err(format!(
            "expected fired {:?}, got {fired}; trace: {}",
            expect.get("fired"),
            json!(ev.trace)
        ));
    }
    if let Some(want) = expect.get("intents") {
        let got: Vec<Value> = ev
            .intents()
            .map(|(id, i)| json!({"rule_id": id, "intent": i}))
            .collect();
        if want != &json!(got) {
            return Err(format!("expected intents {want}, got {}", json!(got)));
        }
    }
    let whys: BTreeMap<String, Value> =
        parse("why", Some(expect.get("why").unwrap_or(&json!({}))))?;
    for (rule_id, want) in whys {
        let entry = ev
            .trace
            .iter()
            .find(|t| t.rule_id == rule_id)
            .ok_or_else(|| format!("no trace entry for {rule_id}"))?;
        let got = json!(entry.why);
        if got != want {
            return Err(format!("{rule_id}: expected why {want}, got {got}"));
        }
    }
    Ok(())
}

fn run_rule_set(case: &Value, valid: bool) -> Result<(), String> {
    let rules: Vec<Rule> = parse("rules", case.get("rules"))?;
    let expect = case.get("expect").ok_or("no `expect`")?;
    match (RuleSet::new(rules), valid) {
        (Ok(_), true) => Ok(()),
        (Err(e), true) => Err(format!("expected the rules to load, got {e}")),
        (Ok(_), false) => Err("expected the rules to be refused".to_owned()),
        (Err(e), false) => compare_errors(&expected_errors(expect)?, &Error::Validation(e)),
    }
}

#[test]
fn workflow_vectors() {
    let doc = load();
    let cases = doc.get("cases").and_then(Value::as_array).expect("cases");
    assert!(cases.len() >= MIN_CASES, "only {} cases", cases.len());
    let calendar = BusinessCalendar::sao_paulo();
    let mut per_feature: BTreeMap<&str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for case in cases {
        let id = case.get("id").and_then(Value::as_str).unwrap_or("?");
        let feature = case.get("feature").and_then(Value::as_str).unwrap_or("?");
        *per_feature.entry(feature).or_default() += 1;
        let result = match feature {
            "transition" => run_transition(case),
            "pipeline_invalid" => run_pipeline_invalid(case),
            "rules" => run_rules(case, &calendar),
            "rules_invalid" => run_rule_set(case, false),
            "rules_valid" => run_rule_set(case, true),
            other => Err(format!("unknown feature {other}")),
        };
        if let Err(e) = result {
            failures.push(format!("{id}: {e}"));
        }
    }
    for (feature, min) in MIN_PER_FEATURE {
        let n = per_feature.get(feature).copied().unwrap_or(0);
        assert!(
            n >= min,
            "feature {feature}: {n} cases, want at least {min}"
        );
    }
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
