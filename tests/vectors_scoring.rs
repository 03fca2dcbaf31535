//! Runs the shared lead-scoring vectors in `tests/vectors/scoring.json` against the Rust API.
//!
//! The expected values come from an independent implementation of the scoring rules
//! (`tests/vectors/tools/make_scoring_vectors.py`) plus hand-checked anchors; see the
//! "scoring.json" section of `tests/vectors/README.md` for the format. Each case's rule set is
//! loaded with `domain::from_json` (or is the shipped default), checked by `Scorer::new`; the
//! lead, activities and property are loaded with `domain::from_json` and scored at `now`.
//! Numbers are compared as integer thousandths (`round(x * 1000)`); rejected rule sets by their
//! full ordered list of `{path, code}`. Every case is run; all failures are reported together.

use chrono::{DateTime, Utc};
use realestate_crm::ErrorCode;
use realestate_crm::domain::{Activity, Lead, Property, from_json};
use realestate_crm::scoring::{LeadInput, RuleSet, Scorer, default_rules};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};

const MIN_CASES: usize = 140;
const MIN_PER_FEATURE: [(&str, usize); 9] = [
    ("fit", 50),
    ("consent", 8),
    ("engagement", 6),
    ("decay", 10),
    ("caps", 8),
    ("score", 12),
    ("order", 2),
    ("default", 4),
    ("invalid", 12),
];

fn load() -> Value {
    let path = format!("{}/tests/vectors/scoring.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let doc: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not valid JSON: {e}"));
    assert_eq!(
        doc.get("format"),
        Some(&json!(1)),
        "{path}: unknown vector format (this runner reads format 1)"
    );
    doc
}

/// Loads a value from JSON through the public loader (path-aware errors).
fn load_as<T: DeserializeOwned>(what: &str, v: &Value) -> Result<T, String> {
    from_json::<T>(&v.to_string()).map_err(|e| format!("the {what} does not load: {e}"))
}

/// A number of points as integer thousandths.
fn milli(v: &Value) -> Option<i64> {
    v.as_f64().map(|x| (x * 1000.0).round() as i64)
}

fn rule_set(case: &Value) -> Result<RuleSet, String> {
    match case.get("rules") {
        Some(Value::String(s)) if s == "default" => {
            default_rules().map_err(|e| format!("the default rules do not load: {e}"))
        }
        Some(v @ Value::Object(_)) => load_as("rule set", v),
        other => Err(format!(
            "`rules` must be \"default\" or an object, got {other:?}"
        )),
    }
}

fn check_errors(expect: &Value, rules: RuleSet) -> Result<(), String> {
    let want: Vec<(String, String)> = expect
        .as_array()
        .ok_or("`expect.errors` is not an array")?
        .iter()
        .map(|e| {
            let path = e.get("path").and_then(Value::as_str);
            let code = e.get("code").and_then(Value::as_str);
            match (path, code) {
                (Some(p), Some(c)) => {
                    c.parse::<ErrorCode>()
                        .map_err(|_| format!("expected code {c:?} is not in the catalogue"))?;
                    Ok((p.to_owned(), c.to_owned()))
                }
                _ => Err(format!("malformed expected error {e}")),
            }
        })
        .collect::<Result<_, String>>()?;
    let got: Vec<(String, String)> = match Scorer::new(rules) {
        Ok(_) => {
            return Err(format!(
                "expected errors {want:?}, the rule set was accepted"
            ));
        }
        Err(errors) => errors
            .errors()
            .iter()
            .map(|e| (e.path.clone(), e.code.as_str().to_owned()))
            .collect(),
    };
    if got == want {
        Ok(())
    } else {
        Err(format!(
            "errors differ\n    expected: {want:?}\n    got:      {got:?}"
        ))
    }
}

fn compare_milli(diffs: &mut Vec<String>, what: &str, want: Option<&Value>, got: Option<&Value>) {
    let (w, g) = (want.and_then(milli), got.and_then(milli));
    if w.is_none() || w != g {
        diffs.push(format!(
            "{what}: expected {}, got {}",
            want.map_or("(missing)".into(), Value::to_string),
            got.map_or("(missing)".into(), Value::to_string)
        ));
    }
}

fn compare_reasons(diffs: &mut Vec<String>, want: &Value, got: &Value) {
    let (Some(want), Some(got)) = (want.as_array(), got.as_array()) else {
        diffs.push("reasons: expected and actual must both be arrays".to_owned());
        return;
    };
    let names = |list: &[Value]| -> Vec<String> {
        list.iter()
            .map(|r| {
                r.get("rule")
                    .and_then(Value::as_str)
                    .unwrap_or("?")
                    .to_owned()
            })
            .collect()
    };
    if want.len() != got.len() {
        diffs.push(format!(
            "reasons: expected {} {:?}, got {} {:?}",
            want.len(),
            names(want),
            got.len(),
            names(got)
        ));
        return;
    }
    if names(want) != names(got) {
        diffs.push(format!(
            "reasons order: expected {:?}, got {:?}",
            names(want),
            names(got)
        ));
    }
    for (i, (w, g)) in want.iter().zip(got).enumerate() {
        let Some(w) = w.as_object() else {
            diffs.push(format!("reasons[{i}]: expected reason is not an object"));
            continue;
        };
        let rule = w.get("rule").and_then(Value::as_str).unwrap_or("?");
        for (key, wv) in w {
            let gv = g.get(key);
            match key.as_str() {
                "points" | "after_decay" | "after_caps" => {
                    compare_milli(diffs, &format!("reasons[{i}]({rule}).{key}"), Some(wv), gv);
                }
                "rule" | "section" | "group" | "matched" => {
                    if gv != Some(wv) {
                        diffs.push(format!(
                            "reasons[{i}]({rule}).{key}: expected {wv}, got {gv:?}"
                        ));
                    }
                }
                other => diffs.push(format!("reasons[{i}]: unknown expected key `{other}`")),
            }
        }
    }
}

fn check_score(case: &Value, expect: &Map<String, Value>, rules: RuleSet) -> Result<(), String> {
    let scorer = Scorer::new(rules).map_err(|e| format!("the rule set is refused: {e:?}"))?;
    let lead: Lead = load_as("lead", case.get("lead").ok_or("case has no `lead`")?)?;
    let activities: Vec<Activity> = load_as(
        "activities",
        case.get("activities").ok_or("case has no `activities`")?,
    )?;
    let property: Option<Property> = load_as(
        "property",
        case.get("property").ok_or("case has no `property`")?,
    )?;
    let now: DateTime<Utc> = case
        .get("now")
        .and_then(Value::as_str)
        .ok_or("case has no string `now`")?
        .parse()
        .map_err(|e| format!("`now` is not an RFC 3339 time: {e}"))?;
    let input = LeadInput {
        lead: &lead,
        activities: &activities,
        property: property.as_ref(),
    };
    let score = scorer.score(&input, now);
    let mut diffs = Vec::new();
    // The summary path (what score tables keep) agrees with the full score: the same numbers
    // and band, and the reasons' rules in the same order, whatever the number kept.
    for top in [0, 1, 3, usize::MAX] {
        let summary = scorer.summarize_batch(&[input], now, top, |s| {
            let rules: Vec<String> = s
                .top
                .iter()
                .map(|&i| scorer.rule_ids().get(i).cloned().unwrap_or_default())
                .collect();
            let band = scorer.band_names().get(s.band).map(|b| b.to_string());
            (s.lead_id, s.fit, s.engagement, s.score, band, rules)
        });
        let want: Vec<String> = score
            .reasons
            .iter()
            .take(top)
            .map(|r| r.rule.to_owned())
            .collect();
        let full = (
            score.lead_id,
            score.fit,
            score.engagement,
            score.score,
            Some(score.band.to_owned()),
            want,
        );
        if summary.first() != Some(&full) {
            diffs.push(format!(
                "summarize_batch(top {top}): {summary:?}, the full score says {full:?}"
            ));
        }
    }
    if score.lead_id != lead.id {
        diffs.push(format!(
            "lead_id: expected {}, got {}",
            lead.id, score.lead_id
        ));
    }
    let got =
        serde_json::to_value(&score).map_err(|e| format!("the score does not serialise: {e}"))?;
    for (key, want) in expect {
        match key.as_str() {
            "fit" | "engagement" | "score" => {
                compare_milli(&mut diffs, key, Some(want), got.get(key))
            }
            "band" => {
                if got.get("band") != Some(want) {
                    diffs.push(format!("band: expected {want}, got {:?}", got.get("band")));
                }
            }
            "reasons" => {
                compare_reasons(&mut diffs, want, got.get("reasons").unwrap_or(&Value::Null))
            }
            other => diffs.push(format!("unknown key `{other}` in `expect`")),
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(diffs.join("\n    "))
    }
}

fn check_case(case: &Value) -> Result<(), String> {
    let expect = case
        .get("expect")
        .and_then(Value::as_object)
        .ok_or("case has no object `expect`")?;
    let rules = rule_set(case)?;
    match expect.get("errors") {
        Some(errors) => {
            if expect.len() != 1 {
                return Err("an error expectation holds only `errors`".to_owned());
            }
            check_errors(errors, rules)
        }
        None => check_score(case, expect, rules),
    }
}

#[test]
fn scoring_vectors() {
    let doc = load();
    let cases = doc
        .get("cases")
        .and_then(Value::as_array)
        .expect("scoring.json: `cases` must be an array");
    let mut failures = Vec::new();
    let mut ids = BTreeSet::new();
    let mut per_feature = BTreeMap::<String, usize>::new();
    let mut per_code = BTreeMap::<String, usize>::new();
    for (i, case) in cases.iter().enumerate() {
        let id = case
            .get("id")
            .and_then(Value::as_str)
            .map_or_else(|| format!("cases[{i}]"), str::to_owned);
        if !ids.insert(id.clone()) {
            failures.push(format!("[{id}] duplicate case id"));
        }
        let feature = case.get("feature").and_then(Value::as_str).unwrap_or("?");
        *per_feature.entry(feature.to_owned()).or_default() += 1;
        if let Some(errors) = case.pointer("/expect/errors").and_then(Value::as_array) {
            for e in errors {
                let code = e.get("code").and_then(Value::as_str).unwrap_or("?");
                *per_code.entry(code.to_owned()).or_default() += 1;
            }
        }
        if let Err(message) = check_case(case) {
            let note = case.get("note").and_then(Value::as_str).unwrap_or("");
            let expect = case.get("expect").map(Value::to_string).unwrap_or_default();
            failures.push(format!(
                "[{id}] {message}\n    note:   {note}\n    expect: {expect}"
            ));
        }
    }
    println!(
        "scoring vectors: {} cases; per feature {per_feature:?}; expected errors per code {per_code:?}",
        cases.len()
    );
    assert!(
        cases.len() >= MIN_CASES,
        "scoring.json has {} cases, fewer than the {MIN_CASES} expected: truncated file?",
        cases.len()
    );
    for (feature, minimum) in MIN_PER_FEATURE {
        let n = per_feature.get(feature).copied().unwrap_or(0);
        if n < minimum {
            failures.push(format!(
                "[{feature}] {n} cases, fewer than the {minimum} expected"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} scoring vector cases failed:\n{}\n",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
