//! Runs the shared vectors in `tests/vectors/*.json` against the Rust API.
//!
//! The expected values come from an independent implementation of the rules
//! (`tests/vectors/tools/make_vectors.py`) plus hand-checked anchors; see
//! `tests/vectors/README.md` for the format. Every case is run; all failures are collected and
//! reported together at the end, each with its id, input, expected and actual outcome.

use realestate_crm::{
    Cep, Cnpj, Cpf, Creci, CreciKind, Currency, Email, ErrorCode, Money, Phone, PhoneKind,
    PhoneOptions, Rate, RoundingMode, Uf, allocate,
};
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;
use std::str::FromStr;

const MIN_VALIDATION_CASES: usize = 300;
const MIN_ROUNDING_CASES: usize = 100;
const MIN_ALLOCATION_CASES: usize = 30;
const MIN_RATE_CASES: usize = 30;
const MIN_CURRENCY_CASES: usize = 5;
const MIN_ARITHMETIC_CASES: usize = 10;

fn load(name: &str) -> Value {
    let path = format!("{}/tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
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

/// The failures of one test, reported together at the end.
#[derive(Default)]
struct Report {
    failures: Vec<String>,
    ids: BTreeSet<String>,
}

impl Report {
    fn fail(&mut self, id: &str, message: String) {
        self.failures.push(format!("[{id}] {message}"));
    }

    /// Records the id of a case, failing on a missing or duplicate id; returns it for messages.
    fn id(&mut self, case: &Value, index: usize, list: &str) -> String {
        match case.get("id").and_then(Value::as_str) {
            Some(id) => {
                if !self.ids.insert(id.to_owned()) {
                    self.fail(id, "duplicate case id".to_owned());
                }
                id.to_owned()
            }
            None => {
                let id = format!("{list}[{index}]");
                self.fail(&id, "case has no string `id`".to_owned());
                id
            }
        }
    }

    fn finish(self, what: &str, total: usize) {
        assert!(
            self.failures.is_empty(),
            "{} of {total} {what} vector cases failed:\n{}\n",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Reading case fields without hiding which case was malformed
// ---------------------------------------------------------------------------------------------

fn field<'a>(obj: &'a Value, key: &str) -> Result<&'a Value, String> {
    obj.get(key)
        .ok_or_else(|| format!("case field `{key}` is missing"))
}

fn text<'a>(obj: &'a Value, key: &str) -> Result<&'a str, String> {
    field(obj, key)?
        .as_str()
        .ok_or_else(|| format!("case field `{key}` is not a string"))
}

fn decimal(obj: &Value, key: &str) -> Result<Decimal, String> {
    let s = text(obj, key)?;
    Decimal::from_str(s).map_err(|e| format!("case field `{key}` = {s:?} is not a decimal: {e}"))
}

fn decimal_text(s: &str) -> Result<Decimal, String> {
    Decimal::from_str(s).map_err(|e| format!("{s:?} is not a decimal: {e}"))
}

fn known_code(code: &str) -> Result<(), String> {
    code.parse::<ErrorCode>()
        .map(|_| ())
        .map_err(|_| format!("expected code {code:?} is not in the ErrorCode catalogue"))
}

/// Whether two JSON values are equal, decimal strings (alone or in arrays) compared numerically.
fn same_numeric(want: &Value, got: &Value) -> Result<bool, String> {
    Ok(match (want, got) {
        (Value::String(w), Value::String(g)) => decimal_text(w)? == decimal_text(g)?,
        (Value::Array(w), Value::Array(g)) => {
            if w.len() != g.len() {
                return Ok(false);
            }
            for (a, b) in w.iter().zip(g) {
                if !same_numeric(a, b)? {
                    return Ok(false);
                }
            }
            true
        }
        _ => want == got,
    })
}

/// Compares an actual outcome with `expect`: every field present in `expect` must be in the
/// actual outcome with the same value; the fields named in `numeric` hold decimal strings (or
/// arrays of them) and compare by numeric value.
fn compare(expect: &Value, actual: &Value, numeric: &[&str]) -> Result<(), String> {
    let exp = expect.as_object().ok_or("`expect` is not an object")?;
    let act = actual
        .as_object()
        .ok_or("actual outcome is not an object")?;
    if let Some(code) = exp.get("code").and_then(Value::as_str) {
        known_code(code)?;
    }
    let mut diffs = Vec::new();
    for (key, want) in exp {
        let got = act.get(key).unwrap_or(&Value::Null);
        let same = if numeric.contains(&key.as_str()) {
            same_numeric(want, got)?
        } else {
            want == got
        };
        if !same {
            diffs.push(key.as_str());
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "mismatch in {}: expected {}, got {}",
            diffs.join(", "),
            Value::Object(exp.clone()),
            Value::Object(act.clone())
        ))
    }
}

fn error(code: ErrorCode) -> Value {
    json!({"valid": false, "code": code.as_str()})
}

// ---------------------------------------------------------------------------------------------
// validation.json
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct Options {
    allow_repeated: bool,
    repair_legacy_mobile: bool,
}

fn options(case: &Value) -> Result<Options, String> {
    let mut out = Options::default();
    let Some(map) = case.get("options") else {
        return Ok(out);
    };
    let map: &Map<String, Value> = map.as_object().ok_or("`options` is not an object")?;
    for (key, value) in map {
        let flag = value
            .as_bool()
            .ok_or_else(|| format!("option `{key}` is not a boolean"))?;
        match key.as_str() {
            "allow_repeated" => out.allow_repeated = flag,
            "repair_legacy_mobile" => out.repair_legacy_mobile = flag,
            other => {
                return Err(format!(
                    "unknown option `{other}`: this runner cannot honour it"
                ));
            }
        }
    }
    Ok(out)
}

fn phone_kind(kind: PhoneKind) -> String {
    #[allow(unreachable_patterns)]
    match kind {
        PhoneKind::Mobile => "mobile".to_owned(),
        PhoneKind::Landline => "landline".to_owned(),
        PhoneKind::Foreign => "foreign".to_owned(),
        other => format!("{other:?}"),
    }
}

fn creci_kind(kind: Option<CreciKind>) -> Value {
    #[allow(unreachable_patterns)]
    match kind {
        None => Value::Null,
        Some(CreciKind::Individual) => json!("F"),
        Some(CreciKind::Company) => json!("J"),
        Some(other) => json!(format!("{other:?}")),
    }
}

/// Runs one case through the API; returns the actual outcome in the shape of `expect`, plus
/// any problems found with the boolean `is_valid` checks.
fn run_validation(
    kind: &str,
    input: &str,
    opts: &Options,
    problems: &mut Vec<String>,
) -> Result<Value, String> {
    let default_opts = !opts.allow_repeated && !opts.repair_legacy_mobile;
    let actual = match kind {
        "cpf" => {
            let parsed = if opts.allow_repeated {
                Cpf::parse_lenient(input)
            } else {
                Cpf::parse(input)
            };
            let out = match parsed {
                Ok(v) => {
                    json!({"valid": true, "bare": v.as_str().to_string(), "formatted": v.formatted().to_string()})
                }
                Err(e) => error(e.code),
            };
            if default_opts && Cpf::is_valid(input) != (out["valid"] == json!(true)) {
                problems.push(format!(
                    "Cpf::is_valid disagrees with Cpf::parse ({})",
                    Cpf::is_valid(input)
                ));
            }
            out
        }
        "cnpj" => {
            let out = match Cnpj::parse(input) {
                Ok(v) => {
                    json!({"valid": true, "bare": v.as_str().to_string(), "formatted": v.formatted().to_string()})
                }
                Err(e) => error(e.code),
            };
            if default_opts && Cnpj::is_valid(input) != (out["valid"] == json!(true)) {
                problems.push(format!(
                    "Cnpj::is_valid disagrees with Cnpj::parse ({})",
                    Cnpj::is_valid(input)
                ));
            }
            out
        }
        "cep" => {
            let out = match Cep::parse(input) {
                Ok(v) => json!({
                    "valid": true,
                    "bare": v.as_str().to_string(),
                    "formatted": v.formatted().to_string(),
                    "uf": v.uf().map(|uf| uf.code().to_string()),
                }),
                Err(e) => error(e.code),
            };
            if default_opts && Cep::is_valid(input) != (out["valid"] == json!(true)) {
                problems.push(format!(
                    "Cep::is_valid disagrees with Cep::parse ({})",
                    Cep::is_valid(input)
                ));
            }
            out
        }
        "uf" => match Uf::parse(input) {
            Ok(v) => {
                json!({"valid": true, "bare": v.code().to_string(), "name": v.name().to_string()})
            }
            Err(e) => error(e.code),
        },
        "phone" => {
            let outcome = |parsed: Result<Phone, realestate_crm::FieldError>| match parsed {
                Ok(v) => json!({
                    "valid": true,
                    "e164": v.as_str().to_string(),
                    "phone_kind": phone_kind(v.kind()),
                    "formatted": v.formatted().to_string(),
                }),
                Err(e) => error(e.code),
            };
            let out = outcome(Phone::parse_with(
                input,
                PhoneOptions {
                    repair_legacy_mobile: opts.repair_legacy_mobile,
                },
            ));
            if !opts.repair_legacy_mobile {
                let plain = outcome(Phone::parse(input));
                if plain != out {
                    problems.push(format!("Phone::parse gives {plain}, Phone::parse_with(repair_legacy_mobile: false) gives {out}"));
                }
            }
            out
        }
        "email" => match Email::parse(input) {
            Ok(v) => {
                json!({"valid": true, "normalized": v.as_str().to_string(), "match_key": v.match_key().to_string()})
            }
            Err(e) => error(e.code),
        },
        "creci" => match Creci::parse(input) {
            Ok(v) => json!({
                "valid": true,
                "uf": v.uf().code().to_string(),
                "number": v.number(),
                "creci_kind": creci_kind(v.kind()),
                "formatted": v.formatted().to_string(),
            }),
            Err(e) => error(e.code),
        },
        other => return Err(format!("unknown kind `{other}`")),
    };
    Ok(actual)
}

fn check_validation_case(case: &Value) -> Result<String, String> {
    let kind = text(case, "kind")?;
    let input = text(case, "input")?;
    let expect = field(case, "expect")?;
    let opts = options(case)?;
    if expect.get("valid").and_then(Value::as_bool).is_none() {
        return Err("`expect.valid` is missing or not a boolean".to_owned());
    }
    let mut problems = Vec::new();
    let actual = run_validation(kind, input, &opts, &mut problems)?;
    if let Err(diff) = compare(expect, &actual, &[]) {
        problems.insert(0, diff);
    }
    if problems.is_empty() {
        Ok(kind.to_owned())
    } else {
        let opts_text = case
            .get("options")
            .map_or_else(String::new, |o| format!(" options {o}"));
        Err(format!(
            "{kind} input {input:?}{opts_text}: {}",
            problems.join("; ")
        ))
    }
}

#[test]
fn validation_vectors() {
    let doc = load("validation.json");
    let cases = doc
        .get("cases")
        .and_then(Value::as_array)
        .expect("validation.json: `cases` must be an array");
    let mut report = Report::default();
    let mut per_kind = std::collections::BTreeMap::<String, usize>::new();
    for (i, case) in cases.iter().enumerate() {
        let id = report.id(case, i, "cases");
        match check_validation_case(case) {
            Ok(kind) => *per_kind.entry(kind).or_default() += 1,
            Err(message) => report.fail(&id, message),
        }
    }
    println!(
        "validation vectors: {} cases, passing per kind: {per_kind:?}",
        cases.len()
    );
    assert!(
        cases.len() >= MIN_VALIDATION_CASES,
        "validation.json has {} cases, fewer than the {MIN_VALIDATION_CASES} expected: truncated file?",
        cases.len()
    );
    report.finish("validation", cases.len());
}

// ---------------------------------------------------------------------------------------------
// money.json
// ---------------------------------------------------------------------------------------------

fn currency(code: &str) -> Result<Currency, String> {
    Currency::parse(code).map_err(|e| format!("currency {code:?} does not parse: {e}"))
}

fn money(obj: &Value) -> Result<Money, String> {
    Ok(Money::new(
        decimal(obj, "amount")?,
        currency(text(obj, "currency")?)?,
    ))
}

fn ok_value(mut value: Value) -> Value {
    if let Some(map) = value.as_object_mut() {
        map.insert("ok".to_owned(), json!(true));
    }
    value
}

fn failed(code: ErrorCode) -> Value {
    json!({"ok": false, "code": code.as_str()})
}

fn check_rounding(case: &Value) -> Result<(), String> {
    let value = decimal(case, "value")?;
    let places = field(case, "places")?
        .as_u64()
        .ok_or("`places` is not a non-negative integer")?;
    let places = u32::try_from(places).map_err(|_| "`places` is too large".to_owned())?;
    let mode_name = text(case, "mode")?;
    let mode: RoundingMode = serde_json::from_value(json!(mode_name))
        .map_err(|e| format!("mode {mode_name:?} is not a RoundingMode: {e}"))?;
    let want = decimal(case, "expect")?;
    let got = mode.round(value, places);
    if got == want {
        Ok(())
    } else {
        Err(format!(
            "round({value}, {places}, {mode_name}): expected {want}, got {got}"
        ))
    }
}

fn check_allocation(case: &Value) -> Result<(), String> {
    let total = decimal(case, "total")?;
    let cur = currency(text(case, "currency")?)?;
    let weights = field(case, "weights")?
        .as_array()
        .ok_or("`weights` is not an array")?
        .iter()
        .map(|w| {
            w.as_str()
                .ok_or_else(|| "a weight is not a string".to_owned())
                .and_then(decimal_text)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let described = format!(
        "allocate({total} {}, {:?})",
        cur.code(),
        weights.iter().map(ToString::to_string).collect::<Vec<_>>()
    );
    let mut problems = Vec::new();
    let actual = match allocate(Money::new(total, cur), &weights) {
        Ok(parts) => {
            if parts.iter().any(|p| p.currency() != cur) {
                problems.push("a part is in another currency".to_owned());
            }
            if parts.iter().map(Money::amount).sum::<Decimal>() != total {
                problems.push("the parts do not sum to the total".to_owned());
            }
            ok_value(
                json!({"parts": parts.iter().map(|p| p.amount().to_string()).collect::<Vec<_>>()}),
            )
        }
        Err(e) => failed(e.code()),
    };
    if let Err(diff) = compare(field(case, "expect")?, &actual, &["parts"]) {
        problems.insert(0, diff);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{described}: {}", problems.join("; ")))
    }
}

fn check_rate(case: &Value) -> Result<(), String> {
    let input = text(case, "input")?;
    let actual = match Rate::parse(input) {
        Ok(r) => ok_value(json!({"value": r.value().to_string()})),
        Err(e) => failed(e.code),
    };
    compare(field(case, "expect")?, &actual, &["value"])
        .map_err(|d| format!("Rate::parse({input:?}): {d}"))
}

fn check_currency(case: &Value) -> Result<(), String> {
    let input = text(case, "input")?;
    let actual = match Currency::parse(input) {
        Ok(c) => ok_value(json!({"currency": c.code(), "minor_units": c.minor_units()})),
        Err(e) => failed(e.code),
    };
    compare(field(case, "expect")?, &actual, &[])
        .map_err(|d| format!("Currency::parse({input:?}): {d}"))
}

fn check_arithmetic(case: &Value) -> Result<(), String> {
    let op = text(case, "op")?;
    let left = money(field(case, "left")?)?;
    let right = money(field(case, "right")?)?;
    let result = match op {
        "add" => left.checked_add(right),
        "sub" => left.checked_sub(right),
        other => return Err(format!("unknown op {other:?}")),
    };
    let actual = match result {
        Ok(m) => {
            ok_value(json!({"amount": m.amount().to_string(), "currency": m.currency().code()}))
        }
        Err(e) => failed(e.code()),
    };
    compare(field(case, "expect")?, &actual, &["amount"]).map_err(|d| {
        format!(
            "{} {} {op} {} {}: {d}",
            left.amount(),
            left.currency().code(),
            right.amount(),
            right.currency().code()
        )
    })
}

/// Checks one case of a money.json list.
type CaseCheck = fn(&Value) -> Result<(), String>;

#[test]
fn money_vectors() {
    let doc = load("money.json");
    let mut report = Report::default();
    let mut total = 0;
    let lists: [(&str, usize, CaseCheck); 5] = [
        ("rounding", MIN_ROUNDING_CASES, check_rounding),
        ("allocation", MIN_ALLOCATION_CASES, check_allocation),
        ("rates", MIN_RATE_CASES, check_rate),
        ("currencies", MIN_CURRENCY_CASES, check_currency),
        ("arithmetic", MIN_ARITHMETIC_CASES, check_arithmetic),
    ];
    let mut counts = Vec::new();
    for (name, minimum, check) in lists {
        let cases = doc
            .get(name)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        if cases.len() < minimum {
            report.fail(
                name,
                format!(
                    "money.json has {} {name} cases, fewer than the {minimum} expected",
                    cases.len()
                ),
            );
        }
        for (i, case) in cases.iter().enumerate() {
            let id = report.id(case, i, name);
            if let Err(message) = check(case) {
                report.fail(&id, message);
            }
        }
        counts.push(format!("{name}: {}", cases.len()));
        total += cases.len();
    }
    println!("money vectors: {}", counts.join(", "));
    report.finish("money", total);
}
