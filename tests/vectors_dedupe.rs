//! Runs the shared duplicate-detection vectors, `tests/vectors/dedupe.json`, against the Rust
//! API. The expected values are hand labels (see `tests/vectors/tools/make_dedupe_vectors.py`
//! and the "dedupe.json" section of `tests/vectors/README.md`). Every case is run; all
//! failures are reported together at the end.

use realestate_crm::dedupe::{
    self, DedupeConfig, FieldWeights, compare, document_key, email_key, find_duplicates,
    find_existing, merge_plan, name_tokens, phone_key,
};
use realestate_crm::domain::{Lead, LeadId, from_json};
use serde_json::{Value, json};
use std::collections::BTreeSet;

const MIN_CASES: usize = 40;

fn load() -> Value {
    let path = format!("{}/tests/vectors/dedupe.json", env!("CARGO_MANIFEST_DIR"));
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

#[derive(Default)]
struct Report {
    failures: Vec<String>,
    ids: BTreeSet<String>,
    cases: usize,
}

impl Report {
    fn fail(&mut self, id: &str, message: String) {
        self.failures.push(format!("[{id}] {message}"));
    }

    fn check<T: PartialEq + std::fmt::Debug>(
        &mut self,
        id: &str,
        what: &str,
        actual: T,
        expected: T,
    ) {
        if actual != expected {
            self.fail(id, format!("{what}: expected {expected:?}, got {actual:?}"));
        }
    }

    fn id(&mut self, case: &Value) -> String {
        self.cases += 1;
        let id = case
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("<no id>")
            .to_owned();
        if !self.ids.insert(id.clone()) {
            self.fail(&id, "duplicate case id".to_owned());
        }
        id
    }
}

fn list<'a>(doc: &'a Value, key: &str) -> &'a [Value] {
    doc.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_else(|| panic!("dedupe.json has no list `{key}`"))
}

fn lead(v: &Value) -> Result<Lead, String> {
    from_json::<Lead>(&v.to_string()).map_err(|e| format!("lead does not load: {e}"))
}

fn config(v: Option<&Value>) -> Result<DedupeConfig, String> {
    let v = v.cloned().unwrap_or_else(|| json!({}));
    let c: DedupeConfig = from_json(&v.to_string()).map_err(|e| format!("config: {e}"))?;
    c.validate().map_err(|e| format!("config: {e}"))?;
    Ok(c)
}

fn as_json<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance
}

#[test]
fn dedupe_vectors() {
    let doc = load();
    let tolerance = doc
        .get("score_tolerance")
        .and_then(Value::as_f64)
        .unwrap_or(0.001);
    let mut r = Report::default();

    for case in list(&doc, "normalization") {
        let id = r.id(case);
        let input = case
            .get("input")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let expect = case.get("expect").cloned().unwrap_or(Value::Null);
        let actual = match case.get("kind").and_then(Value::as_str) {
            Some("name") => as_json(&name_tokens(input)),
            Some("email") => as_json(&email_key(input)),
            Some("phone") => as_json(&phone_key(input)),
            Some("document") => as_json(&document_key(input).map(|d| d.as_str().to_owned())),
            other => {
                r.fail(&id, format!("unknown kind {other:?}"));
                continue;
            }
        };
        r.check(&id, &format!("normalised {input:?}"), actual, expect);
    }

    for case in list(&doc, "weights") {
        let id = r.id(case);
        let w = FieldWeights {
            m: case.get("m").and_then(Value::as_f64).unwrap_or(f64::NAN),
            u: case.get("u").and_then(Value::as_f64).unwrap_or(f64::NAN),
        };
        let e = case.get("expect").cloned().unwrap_or(Value::Null);
        for (what, actual) in [
            ("agreement", w.agreement()),
            ("disagreement", w.disagreement()),
        ] {
            let expected = e.get(what).and_then(Value::as_f64).unwrap_or(f64::NAN);
            if !close(actual, expected, tolerance) {
                r.fail(&id, format!("{what}: expected {expected}, got {actual}"));
            }
        }
    }

    for case in list(&doc, "pairs") {
        let id = r.id(case);
        let loaded = (|| {
            Ok::<_, String>((
                lead(&case["a"])?,
                lead(&case["b"])?,
                config(case.get("config"))?,
            ))
        })();
        let (a, b, c) = match loaded {
            Ok(x) => x,
            Err(e) => {
                r.fail(&id, e);
                continue;
            }
        };
        let s = compare(&a, &b, &c);
        let mirrored = compare(&b, &a, &c);
        if s != mirrored || s.score.to_bits() != mirrored.score.to_bits() {
            r.fail(&id, "compare(a, b) and compare(b, a) differ".to_owned());
        }
        let expect = &case["expect"];
        let actual = as_json(&s);
        for key in ["decision", "rule"] {
            if let Some(e) = expect.get(key) {
                r.check(&id, key, &actual[key], e);
            }
        }
        if let Some(score) = expect.get("score").and_then(Value::as_f64) {
            if !close(s.score, score, tolerance) {
                r.fail(&id, format!("score: expected {score}, got {}", s.score));
            }
        }
        if let Some(fields) = expect.get("evidence").and_then(Value::as_object) {
            for (field, outcome) in fields {
                let found = s
                    .evidence
                    .iter()
                    .find(|e| as_json(&e.field) == json!(field))
                    .map(|e| as_json(&e.outcome));
                r.check(
                    &id,
                    &format!("evidence {field}"),
                    found,
                    Some(outcome.clone()),
                );
            }
        }
    }

    for case in list(&doc, "books") {
        let id = r.id(case);
        let leads: Result<Vec<Lead>, String> = case["leads"]
            .as_array()
            .map(|l| l.iter().map(lead).collect())
            .unwrap_or_else(|| Err("no leads".to_owned()));
        let (leads, c) = match (leads, config(case.get("config"))) {
            (Ok(l), Ok(c)) => (l, c),
            (Err(e), _) | (_, Err(e)) => {
                r.fail(&id, e);
                continue;
            }
        };
        let actual: Vec<Value> = find_duplicates(&leads, &c)
            .iter()
            .map(|p| json!({"a": p.a, "b": p.b, "decision": as_json(&p.decision)}))
            .collect();
        r.check(&id, "pairs", json!(actual), case["expect"].clone());
    }

    for case in list(&doc, "ingestion") {
        let id = r.id(case);
        let book: Result<Vec<Lead>, String> = case["book"]
            .as_array()
            .map(|l| l.iter().map(lead).collect())
            .unwrap_or_else(|| Err("no book".to_owned()));
        let (book, new, c) = match (book, lead(&case["new"]), config(case.get("config"))) {
            (Ok(b), Ok(n), Ok(c)) => (b, n, c),
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                r.fail(&id, e);
                continue;
            }
        };
        let actual = find_existing(&new, &book, &c).map(|m| {
            json!({"index": m.index, "by": as_json(&m.by), "decision": as_json(&m.score.decision)})
        });
        r.check(
            &id,
            "existing lead",
            actual.unwrap_or(Value::Null),
            case["expect"].clone(),
        );
    }

    for case in list(&doc, "merges") {
        let id = r.id(case);
        let (a, b) = match (lead(&case["a"]), lead(&case["b"])) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(e), _) | (_, Err(e)) => {
                r.fail(&id, e);
                continue;
            }
        };
        let side = |v: &Value| -> Option<LeadId> {
            match v.as_str() {
                Some("a") => Some(a.id),
                Some("b") => Some(b.id),
                _ => None,
            }
        };
        let plan = merge_plan(&a, &b);
        let expect = &case["expect"];
        r.check(
            &id,
            "survivor",
            Some(plan.survivor),
            side(&expect["survivor"]),
        );
        r.check(
            &id,
            "survivor_reason",
            as_json(&plan.survivor_reason),
            expect["survivor_reason"].clone(),
        );
        if let Some(keys) = expect.get("portal_keys") {
            r.check(&id, "portal_keys", as_json(&plan.portal_keys), keys.clone());
        }
        for (path, want) in expect["fields"].as_object().into_iter().flatten() {
            let Some(choice) = plan.fields.iter().find(|f| &f.field == path) else {
                r.fail(&id, format!("no choice for {path}"));
                continue;
            };
            r.check(
                &id,
                &format!("{path}.from"),
                Some(choice.from),
                side(&want["from"]),
            );
            r.check(
                &id,
                &format!("{path}.reason"),
                as_json(&choice.reason),
                want["reason"].clone(),
            );
            if let Some(value) = want.get("value") {
                r.check(&id, &format!("{path}.value"), &choice.value, value);
            }
            if let Some(discarded) = want.get("discarded") {
                r.check(
                    &id,
                    &format!("{path}.discarded"),
                    choice.discarded.clone().unwrap_or(Value::Null),
                    discarded.clone(),
                );
            }
        }
        let merged = as_json(&plan.merged);
        for (key, want) in expect
            .get("merged")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let actual = match key.as_str() {
                "consents_count" => json!(plan.merged.consents.len()),
                k => merged.get(k).cloned().unwrap_or(Value::Null),
            };
            r.check(&id, &format!("merged.{key}"), actual, want.clone());
        }
        if let Err(e) = plan.merged.validate() {
            r.fail(&id, format!("the merged lead does not validate: {e}"));
        }
    }

    for case in list(&doc, "configs") {
        let id = r.id(case);
        let text = case["config"].to_string();
        let actual: Vec<Value> = match from_json::<DedupeConfig>(&text) {
            Err(e) => vec![json!({"path": e.path, "code": e.code.as_str()})],
            Ok(c) => match c.validate() {
                Ok(()) => Vec::new(),
                Err(errors) => errors
                    .errors()
                    .iter()
                    .map(|e| json!({"path": e.path, "code": e.code.as_str()}))
                    .collect(),
            },
        };
        let expect = &case["expect"];
        r.check(&id, "ok", json!(actual.is_empty()), expect["ok"].clone());
        let errors = expect.get("errors").cloned().unwrap_or_else(|| json!([]));
        r.check(&id, "errors", json!(actual), errors);
    }

    assert!(
        r.cases >= MIN_CASES,
        "dedupe.json has {} cases; at least {MIN_CASES} expected",
        r.cases
    );
    let total = r.cases;
    assert!(
        r.failures.is_empty(),
        "{} of {total} dedupe vector cases failed:\n{}\n",
        r.failures.len(),
        r.failures.join("\n")
    );
    // The module is reachable through the facade under its documented name.
    let _ = dedupe::NAME_PARTICLES;
}
