//! Runs the shared pricing vectors in `tests/vectors/pricing.json` against the Rust API.
//!
//! The expected values come from an independent implementation of the rules
//! (`tests/vectors/tools/make_pricing_vectors.py`) plus hand-checked anchors; see the
//! "pricing.json" section of `tests/vectors/README.md` for the format. Each case's `input` is
//! loaded with `domain::from_json` into the request type, the calculator runs, its result is
//! serialised with `serde_json` and the `expect` subset is compared: money by the numeric value
//! of its amount, other decimals by numeric value (or within the case's `tolerance`), dates,
//! months and words exactly. Every case is run; all failures are reported together at the end.

use realestate_crm::domain::from_json;
use realestate_crm::pricing::{
    AffordabilityRequest, ClosingCostRequest, Comparable, FinancingTerms, RatioPair,
    RentAdjustmentRequest, adjust_rent, affordability, closing_costs, price_per_m2_stats,
    ratio_study, simulate,
};
use realestate_crm::{Error, ErrorCode};
use rust_decimal::Decimal;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

const MIN_CASES: usize = 100;
const MIN_PER_CALCULATOR: [(&str, usize); 6] = [
    ("financing", 40),
    ("affordability", 15),
    ("rent_adjustment", 25),
    ("closing_costs", 15),
    ("ratio_study", 8),
    ("price_per_m2", 8),
];

fn load() -> Value {
    let path = format!("{}/tests/vectors/pricing.json", env!("CARGO_MANIFEST_DIR"));
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

// ---------------------------------------------------------------------------------------------
// Running a case
// ---------------------------------------------------------------------------------------------

/// What a calculator gave: its serialised result, or its error.
enum Outcome {
    Ok(Value),
    Err {
        code: String,
        paths: Vec<String>,
        /// The error's display text and every field error's message, for the missing months.
        text: String,
    },
}

fn outcome_of_error(e: &Error) -> Outcome {
    let fields = e.field_errors();
    let paths = fields.iter().map(|f| f.path.as_str().to_owned()).collect();
    let mut text = e.to_string();
    for f in fields.iter() {
        text.push('\n');
        text.push_str(&f.message.to_string());
    }
    Outcome::Err {
        code: e.code().as_str().to_owned(),
        paths,
        text,
    }
}

fn serialised<T: Serialize>(result: Result<T, Error>) -> Result<Outcome, String> {
    match result {
        Ok(out) => serde_json::to_value(&out)
            .map(Outcome::Ok)
            .map_err(|e| format!("the result does not serialise: {e}")),
        Err(e) => Ok(outcome_of_error(&e)),
    }
}

/// Loads a request from JSON through the public loader (path-aware errors).
fn request<T: DeserializeOwned>(input: &Value) -> Result<T, String> {
    let text = input.to_string();
    from_json::<T>(&text).map_err(|e| format!("the input does not load: {e}"))
}

fn list_field<'a>(input: &'a Value, key: &str) -> Result<&'a Value, String> {
    input
        .get(key)
        .filter(|v| v.is_array())
        .ok_or_else(|| format!("input has no `{key}` array"))
}

fn run(calculator: &str, input: &Value) -> Result<Outcome, String> {
    match calculator {
        "financing" => serialised(simulate(&request::<FinancingTerms>(input)?)),
        "affordability" => serialised(affordability(&request::<AffordabilityRequest>(input)?)),
        "rent_adjustment" => serialised(adjust_rent(&request::<RentAdjustmentRequest>(input)?)),
        "closing_costs" => serialised(closing_costs(&request::<ClosingCostRequest>(input)?)),
        "ratio_study" => {
            let pairs: Vec<RatioPair> = request(list_field(input, "pairs")?)?;
            serialised(ratio_study(&pairs))
        }
        "price_per_m2" => {
            let comparables: Vec<Comparable> = request(list_field(input, "comparables")?)?;
            serialised(price_per_m2_stats(&comparables))
        }
        other => Err(format!("unknown calculator `{other}`")),
    }
}

// ---------------------------------------------------------------------------------------------
// Comparing
// ---------------------------------------------------------------------------------------------

/// A plain decimal as the vectors write it: optional `-`, digits, at most one `.`.
fn is_decimal_text(s: &str) -> bool {
    let body = s.strip_prefix('-').unwrap_or(s);
    !body.is_empty()
        && body.chars().all(|c| c.is_ascii_digit() || c == '.')
        && body.chars().filter(|&c| c == '.').count() <= 1
        && body.chars().any(|c| c.is_ascii_digit())
}

fn parse_decimal(s: &str) -> Result<Decimal, String> {
    Decimal::from_str(s).map_err(|e| format!("{s:?} is not a decimal: {e}"))
}

/// The decimal a response value holds: a string, a JSON number, or money's object form.
fn actual_decimal(got: &Value) -> Option<Decimal> {
    match got {
        Value::String(s) if is_decimal_text(s) => Decimal::from_str(s).ok(),
        Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        Value::Object(m) => m.get("amount").and_then(actual_decimal),
        _ => None,
    }
}

struct Compare<'a> {
    tolerance: &'a BTreeMap<String, Decimal>,
    diffs: Vec<String>,
}

impl Compare<'_> {
    fn value(&mut self, path: &str, top: &str, want: &Value, got: &Value) {
        match want {
            Value::String(w) if is_decimal_text(w) => {
                let want_d = match parse_decimal(w) {
                    Ok(d) => d,
                    Err(e) => {
                        self.diffs.push(format!("{path}: expected value {e}"));
                        return;
                    }
                };
                let Some(got_d) = actual_decimal(got) else {
                    self.diffs
                        .push(format!("{path}: expected {w}, got {got} (not a decimal)"));
                    return;
                };
                let ok = match self.tolerance.get(top) {
                    Some(tol) => (want_d - got_d).abs() <= *tol,
                    None => want_d == got_d,
                };
                if !ok {
                    let tol = self
                        .tolerance
                        .get(top)
                        .map_or_else(String::new, |t| format!(" (tolerance {t})"));
                    self.diffs
                        .push(format!("{path}: expected {w}, got {got}{tol}"));
                }
            }
            Value::Object(w) => {
                let Some(g) = got.as_object() else {
                    self.diffs
                        .push(format!("{path}: expected an object, got {got}"));
                    return;
                };
                for (key, want_v) in w {
                    let sub = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    match g.get(key) {
                        Some(got_v) => self.value(&sub, top, want_v, got_v),
                        None => self.diffs.push(format!("{sub}: missing in the response")),
                    }
                }
            }
            Value::Array(w) => {
                let Some(g) = got.as_array() else {
                    self.diffs
                        .push(format!("{path}: expected an array, got {got}"));
                    return;
                };
                if w.len() != g.len() {
                    self.diffs.push(format!(
                        "{path}: expected {} elements, got {}: {got}",
                        w.len(),
                        g.len()
                    ));
                    return;
                }
                for (i, (a, b)) in w.iter().zip(g).enumerate() {
                    self.value(&format!("{path}[{i}]"), top, a, b);
                }
            }
            _ => {
                if want != got {
                    self.diffs
                        .push(format!("{path}: expected {want}, got {got}"));
                }
            }
        }
    }

    /// `expect.lines` lists some schedule lines; each is matched to the response's by `number`.
    fn lines(&mut self, want: &Value, got: &Map<String, Value>) {
        let (Some(want), Some(got)) = (want.as_array(), got.get("lines").and_then(Value::as_array))
        else {
            self.diffs
                .push("lines: expected and actual `lines` must both be arrays".to_owned());
            return;
        };
        for w in want {
            let number = w.get("number").cloned().unwrap_or(Value::Null);
            match got.iter().find(|g| g.get("number") == Some(&number)) {
                Some(g) => self.value(&format!("lines[number={number}]"), "lines", w, g),
                None => self.diffs.push(format!(
                    "lines: no line with number {number} in the response"
                )),
            }
        }
    }

    fn success(&mut self, expect: &Map<String, Value>, got: &Value) {
        let Some(got) = got.as_object() else {
            self.diffs
                .push(format!("the response is not a JSON object: {got}"));
            return;
        };
        for (key, want) in expect {
            match key.as_str() {
                "lines" => self.lines(want, got),
                "line_count" => {
                    let n = got.get("lines").and_then(Value::as_array).map(Vec::len);
                    if n.map(|n| json!(n)) != Some(want.clone()) {
                        self.diffs
                            .push(format!("line_count: expected {want}, got {n:?}"));
                    }
                }
                _ => match got.get(key) {
                    Some(g) => self.value(key, key, want, g),
                    None => self.diffs.push(format!("{key}: missing in the response")),
                },
            }
        }
    }
}

fn check_error(expect: &Map<String, Value>, actual: &Outcome) -> Result<(), String> {
    let want_code = expect
        .get("error")
        .and_then(Value::as_str)
        .ok_or("`expect.error` is not a string")?;
    want_code
        .parse::<ErrorCode>()
        .map_err(|_| format!("expected code {want_code:?} is not in the ErrorCode catalogue"))?;
    let (code, paths, text) = match actual {
        Outcome::Ok(v) => return Err(format!("expected error {want_code}, got success: {v}")),
        Outcome::Err { code, paths, text } => (code, paths, text),
    };
    let mut problems = Vec::new();
    if code != want_code {
        problems.push(format!("expected error {want_code}, got {code} ({text})"));
    }
    if let Some(path) = expect.get("path").and_then(Value::as_str) {
        if !paths.iter().any(|p| p == path) {
            problems.push(format!(
                "expected the error at path {path:?}, got paths {paths:?}"
            ));
        }
    }
    if let Some(months) = expect.get("missing_months").and_then(Value::as_array) {
        let months: Vec<&str> = months.iter().filter_map(Value::as_str).collect();
        let joined = months.join(",");
        let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if !squeezed.contains(&joined) {
            problems.push(format!(
                "the message must list the missing months {months:?} (ascending, comma-separated); it is {text:?}"
            ));
        }
    }
    for key in expect.keys() {
        if !matches!(key.as_str(), "error" | "path" | "missing_months") {
            problems.push(format!("unknown key `{key}` in an error expectation"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

fn tolerance(case: &Value) -> Result<BTreeMap<String, Decimal>, String> {
    let mut out = BTreeMap::new();
    if let Some(map) = case.get("tolerance") {
        let map = map.as_object().ok_or("`tolerance` is not an object")?;
        for (key, v) in map {
            let s = v
                .as_str()
                .ok_or_else(|| format!("tolerance of `{key}` is not a string"))?;
            out.insert(key.clone(), parse_decimal(s)?);
        }
    }
    Ok(out)
}

fn check_case(case: &Value) -> Result<(), String> {
    let calculator = case
        .get("calculator")
        .and_then(Value::as_str)
        .ok_or("case has no string `calculator`")?;
    let input = case.get("input").ok_or("case has no `input`")?;
    let expect = case
        .get("expect")
        .and_then(Value::as_object)
        .ok_or("case has no object `expect`")?;
    let tolerance = tolerance(case)?;
    let actual = run(calculator, input)?;
    if expect.contains_key("error") {
        return check_error(expect, &actual);
    }
    let got = match actual {
        Outcome::Ok(v) => v,
        Outcome::Err { code, paths, text } => {
            return Err(format!(
                "expected success, got error {code} at {paths:?}: {text}"
            ));
        }
    };
    let mut cmp = Compare {
        tolerance: &tolerance,
        diffs: Vec::new(),
    };
    cmp.success(expect, &got);
    if cmp.diffs.is_empty() {
        Ok(())
    } else {
        Err(cmp.diffs.join("; "))
    }
}

#[test]
fn pricing_vectors() {
    let doc = load();
    let cases = doc
        .get("cases")
        .and_then(Value::as_array)
        .expect("pricing.json: `cases` must be an array");
    let mut failures = Vec::new();
    let mut ids = BTreeSet::new();
    let mut per_calculator = BTreeMap::<String, usize>::new();
    let mut per_code = BTreeMap::<String, usize>::new();
    for (i, case) in cases.iter().enumerate() {
        let id = case
            .get("id")
            .and_then(Value::as_str)
            .map_or_else(|| format!("cases[{i}]"), str::to_owned);
        if !ids.insert(id.clone()) {
            failures.push(format!("[{id}] duplicate case id"));
        }
        let calculator = case
            .get("calculator")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_owned();
        *per_calculator.entry(calculator).or_default() += 1;
        if let Some(code) = case.pointer("/expect/error").and_then(Value::as_str) {
            *per_code.entry(code.to_owned()).or_default() += 1;
        }
        if let Err(message) = check_case(case) {
            let input = case.get("input").map(Value::to_string).unwrap_or_default();
            let expect = case.get("expect").map(Value::to_string).unwrap_or_default();
            failures.push(format!(
                "[{id}] {message}\n    input:  {input}\n    expect: {expect}"
            ));
        }
    }
    println!(
        "pricing vectors: {} cases; per calculator {per_calculator:?}; errors per code {per_code:?}",
        cases.len()
    );
    assert!(
        cases.len() >= MIN_CASES,
        "pricing.json has {} cases, fewer than the {MIN_CASES} expected: truncated file?",
        cases.len()
    );
    for (calculator, minimum) in MIN_PER_CALCULATOR {
        let n = per_calculator.get(calculator).copied().unwrap_or(0);
        if n < minimum {
            failures.push(format!(
                "[{calculator}] {n} cases, fewer than the {minimum} expected"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} pricing vector cases failed:\n{}\n",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
