//! Runs the shared commission vectors in `tests/vectors/commission.json` against the Rust API.
//!
//! The expected values come from an independent implementation of the commission rules
//! (`tests/vectors/tools/make_commission_vectors.py`) plus hand-checked anchors; see
//! `tests/vectors/README.md`, section `commission.json`, for the format. Every case is run; all
//! failures are collected and reported together at the end, each with its id, note, expected
//! and actual outcome.

use chrono::NaiveDate;
use realestate_crm::commission::{
    CommissionEngine, CommissionPlan, CommissionStatement, Explanation, RentReceipt,
    StatementContext, StatementLine, WithholdingTable,
};
use realestate_crm::domain::{Deal, ParticipantRole, from_json};
use realestate_crm::{Error, ErrorCode, Money};
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

/// Fewer cases than this means a truncated or emptied file.
const MIN_CASES: usize = 150;
/// And at least this many of each operation.
const MIN_PER_OPERATION: [(&str, usize); 4] = [
    ("statement", 60),
    ("administration", 15),
    ("clawback", 12),
    ("validate_plan", 50),
];

/// `expect` keys whose values are decimal strings, compared by numeric value.
const NUMERIC: [&str; 12] = [
    "pool",
    "gross",
    "net",
    "amount",
    "total_withheld",
    "total_net",
    "rent_due",
    "rent_received",
    "fee",
    "landlord_net",
    "total_gross",
    "fraction",
];

fn load() -> Value {
    let path = format!(
        "{}/tests/vectors/commission.json",
        env!("CARGO_MANIFEST_DIR")
    );
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
// Reading cases
// ---------------------------------------------------------------------------------------------

fn field<'a>(obj: &'a Value, key: &str) -> Result<&'a Value, String> {
    obj.get(key)
        .ok_or_else(|| format!("case field `{key}` is missing"))
}

/// Reads a case field through the crate's own JSON entry point, as a host would.
fn read<T: DeserializeOwned>(case: &Value, key: &str) -> Result<T, String> {
    let value = field(case, key)?;
    from_json::<T>(&value.to_string()).map_err(|e| format!("case field `{key}` does not read: {e}"))
}

fn decimal_text(s: &str) -> Result<Decimal, String> {
    Decimal::from_str(s).map_err(|e| format!("{s:?} is not a decimal: {e}"))
}

fn known_codes(expect: &Value) -> Result<(), String> {
    let mut codes = Vec::new();
    if let Some(code) = expect.get("error").and_then(Value::as_str) {
        codes.push(code);
    }
    if let Some(list) = expect.get("errors").and_then(Value::as_array) {
        codes.extend(
            list.iter()
                .filter_map(|e| e.get("code").and_then(Value::as_str)),
        );
    }
    for code in codes {
        code.parse::<ErrorCode>()
            .map_err(|_| format!("expected code {code:?} is not in the ErrorCode catalogue"))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Actual outcomes in the shape of `expect`
// ---------------------------------------------------------------------------------------------

fn amount(m: &Money, problems: &mut Vec<String>, what: &str) -> String {
    if m.currency().code() != "BRL" {
        problems.push(format!("{what} is in {}, not BRL", m.currency().code()));
    }
    m.amount().to_string()
}

fn role_text(role: ParticipantRole) -> Value {
    serde_json::to_value(role).unwrap_or(Value::Null)
}

fn trail_types(trail: &[Explanation]) -> Vec<Value> {
    trail
        .iter()
        .map(|step| {
            serde_json::to_value(step)
                .ok()
                .and_then(|v| v.get("type").cloned())
                .unwrap_or(Value::Null)
        })
        .collect()
}

fn withholdings_json(
    list: &[realestate_crm::commission::Withholding],
    problems: &mut Vec<String>,
) -> Value {
    Value::Array(
        list.iter()
            .map(|w| json!({"tax": w.tax, "amount": amount(&w.amount, problems, "a withholding")}))
            .collect(),
    )
}

/// Checks a line's net against its gross and withholdings.
fn check_net(
    gross: &Money,
    list: &[realestate_crm::commission::Withholding],
    net: &Money,
    problems: &mut Vec<String>,
    what: &str,
) {
    let taxes: Decimal = list.iter().map(|w| w.amount.amount()).sum();
    if gross.amount() - taxes != net.amount() {
        problems.push(format!(
            "{what}: net {} is not gross {} less withholdings {taxes}",
            net.amount(),
            gross.amount()
        ));
    }
}

fn line_json(line: &StatementLine, problems: &mut Vec<String>) -> Value {
    let what = format!("line of participant {}", line.participant);
    check_net(&line.gross, &line.withholdings, &line.net, problems, &what);
    json!({
        "participant": line.participant,
        "role": role_text(line.role),
        "gross": amount(&line.gross, problems, &what),
        "withholdings": withholdings_json(&line.withholdings, problems),
        "net": amount(&line.net, problems, &what),
        "trail_types": trail_types(&line.trail),
    })
}

/// Checks the totals of a list of lines.
fn check_totals(
    lines: &[StatementLine],
    sum_of_grosses: Option<(&str, &Money)>,
    total_withheld: &Money,
    total_net: Option<&Money>,
    problems: &mut Vec<String>,
) {
    if let Some((what, whole)) = sum_of_grosses {
        let sum: Decimal = lines.iter().map(|l| l.gross.amount()).sum();
        if sum != whole.amount() {
            problems.push(format!(
                "the lines' grosses sum to {sum}, not to the {what} {}",
                whole.amount()
            ));
        }
    }
    let withheld: Decimal = lines
        .iter()
        .flat_map(|l| &l.withholdings)
        .map(|w| w.amount.amount())
        .sum();
    if withheld != total_withheld.amount() {
        problems.push(format!(
            "total_withheld {} is not the sum of the withholdings {withheld}",
            total_withheld.amount()
        ));
    }
    if let Some(total_net) = total_net {
        let net: Decimal = lines.iter().map(|l| l.net.amount()).sum();
        if net != total_net.amount() {
            problems.push(format!(
                "total_net {} is not the sum of the nets {net}",
                total_net.amount()
            ));
        }
    }
}

fn statement_json(s: &CommissionStatement, problems: &mut Vec<String>) -> Value {
    check_totals(
        &s.lines,
        Some(("pool", &s.pool)),
        &s.total_withheld,
        Some(&s.total_net),
        problems,
    );
    json!({
        "pool": amount(&s.pool, problems, "the pool"),
        "date": s.date.to_string(),
        "pool_trail_types": trail_types(&s.pool_trail),
        "lines": s.lines.iter().map(|l| line_json(l, problems)).collect::<Vec<_>>(),
        "total_withheld": amount(&s.total_withheld, problems, "total_withheld"),
        "total_net": amount(&s.total_net, problems, "total_net"),
    })
}

fn error_json(e: &Error) -> Value {
    json!({
        "error": e.code().as_str(),
        "errors": e.field_errors().iter()
            .map(|f| json!({"path": f.path, "code": f.code.as_str()}))
            .collect::<Vec<_>>(),
    })
}

// ---------------------------------------------------------------------------------------------
// Comparing
// ---------------------------------------------------------------------------------------------

/// Compares `want` with `got` below `path`, pushing one message per difference. Objects compare
/// the keys present in `want`; keys in `NUMERIC` hold decimal strings compared by value;
/// `trail_has` / `pool_trail_has` list explanation types that must appear in the actual trail;
/// `fraction_ratio` ("n/d") is a fraction that does not terminate in decimal.
fn compare(want: &Value, got: &Value, key: &str, path: &str, diffs: &mut Vec<String>) {
    match want {
        Value::Object(map) => {
            let Some(got_map) = got.as_object() else {
                diffs.push(format!("{path}: expected an object, got {got}"));
                return;
            };
            for (k, w) in map {
                let sub = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match k.as_str() {
                    "trail_has" | "pool_trail_has" => {
                        let actual_key = if k == "trail_has" {
                            "trail_types"
                        } else {
                            "pool_trail_types"
                        };
                        let types = got_map.get(actual_key).cloned().unwrap_or(json!([]));
                        let have: BTreeSet<String> = types
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(|t| t.as_str().map(str::to_owned))
                            .collect();
                        for t in w.as_array().into_iter().flatten() {
                            let t = t.as_str().unwrap_or_default();
                            if !have.contains(t) {
                                diffs.push(format!(
                                    "{sub}: the trail has no `{t}` step (it has {types})"
                                ));
                            }
                        }
                    }
                    "fraction_ratio" => {
                        let got_fraction = got_map.get("fraction").and_then(Value::as_str);
                        match (w.as_str().and_then(ratio), got_fraction.map(decimal_text)) {
                            (Some(q), Some(Ok(g))) => {
                                if (g - q).abs() > Decimal::new(1, 20) {
                                    diffs.push(format!("{sub}: expected {w} (≈ {q}), got {g}"));
                                }
                            }
                            _ => diffs
                                .push(format!("{sub}: cannot compare {w} with {got_fraction:?}")),
                        }
                    }
                    _ => match got_map.get(k) {
                        Some(g) => compare(w, g, k, &sub, diffs),
                        None => diffs.push(format!("{sub}: expected {w}, got nothing")),
                    },
                }
            }
        }
        Value::Array(items) => {
            let Some(got_items) = got.as_array() else {
                diffs.push(format!("{path}: expected an array, got {got}"));
                return;
            };
            if items.len() != got_items.len() {
                diffs.push(format!(
                    "{path}: expected {} items, got {}: expected {want}, got {got}",
                    items.len(),
                    got_items.len()
                ));
                return;
            }
            for (i, (w, g)) in items.iter().zip(got_items).enumerate() {
                compare(w, g, key, &format!("{path}[{i}]"), diffs);
            }
        }
        Value::String(w) if NUMERIC.contains(&key) => {
            let same = match (decimal_text(w), got.as_str().map(decimal_text)) {
                (Ok(a), Some(Ok(b))) => a == b,
                _ => false,
            };
            if !same {
                diffs.push(format!("{path}: expected {w}, got {got}"));
            }
        }
        _ => {
            if want != got {
                diffs.push(format!("{path}: expected {want}, got {got}"));
            }
        }
    }
}

/// "n/d" as a decimal (28 significant digits).
fn ratio(text: &str) -> Option<Decimal> {
    let (n, d) = text.split_once('/')?;
    let n = Decimal::from_str(n).ok()?;
    let d = Decimal::from_str(d).ok()?;
    n.checked_div(d)
}

// ---------------------------------------------------------------------------------------------
// Running one case
// ---------------------------------------------------------------------------------------------

fn engine(case: &Value) -> Result<CommissionEngine, String> {
    let plan: CommissionPlan = read(case, "plan")?;
    let table: WithholdingTable = read(case, "withholding")?;
    CommissionEngine::new(plan, table).map_err(|e| {
        format!(
            "the plan of this case should be valid, but CommissionEngine::new refused it: {:?}",
            e.errors()
                .iter()
                .map(|f| format!("{} at `{}`", f.code.as_str(), f.path))
                .collect::<Vec<_>>()
        )
    })
}

/// Runs one case; returns the actual outcome in the shape of `expect`, and problems found by
/// invariant checks (sums, nets, currencies).
fn run(case: &Value, op: &str, problems: &mut Vec<String>) -> Result<Value, String> {
    match op {
        "validate_plan" => {
            let plan: CommissionPlan = read(case, "plan")?;
            let table: WithholdingTable = read(case, "withholding")?;
            let errors = match CommissionEngine::new(plan, table) {
                Ok(_) => Vec::new(),
                Err(e) => e
                    .errors()
                    .iter()
                    .map(|f| json!({"path": f.path, "code": f.code.as_str()}))
                    .collect(),
            };
            Ok(json!({ "errors": errors }))
        }
        "statement" => {
            let engine = engine(case)?;
            let deal: Deal = read(case, "deal")?;
            let ctx: StatementContext = read(case, "context")?;
            Ok(match engine.statement(&deal, &ctx) {
                Ok(s) => statement_json(&s, problems),
                Err(e) => error_json(&e),
            })
        }
        "administration" => {
            let engine = engine(case)?;
            let deal: Deal = read(case, "deal")?;
            let receipt: RentReceipt = read(case, "receipt")?;
            Ok(match engine.administration(&deal, &receipt) {
                Ok(a) => {
                    check_totals(
                        &a.lines,
                        Some(("fee", &a.fee)),
                        &a.total_withheld,
                        None,
                        problems,
                    );
                    if a.rent_received.amount() - a.fee.amount() != a.landlord_net.amount() {
                        problems.push(format!(
                            "landlord_net {} is not rent_received {} less the fee {}",
                            a.landlord_net.amount(),
                            a.rent_received.amount(),
                            a.fee.amount()
                        ));
                    }
                    json!({
                        "days": a.days,
                        "days_in_month": a.days_in_month,
                        "rent_due": amount(&a.rent_due, problems, "rent_due"),
                        "rent_received": amount(&a.rent_received, problems, "rent_received"),
                        "fee": amount(&a.fee, problems, "fee"),
                        "lines": a.lines.iter().map(|l| line_json(l, problems)).collect::<Vec<_>>(),
                        "total_withheld": amount(&a.total_withheld, problems, "total_withheld"),
                        "landlord_net": amount(&a.landlord_net, problems, "landlord_net"),
                    })
                }
                Err(e) => error_json(&e),
            })
        }
        "clawback" => {
            let engine = engine(case)?;
            let deal: Deal = read(case, "deal")?;
            let ctx: StatementContext = read(case, "context")?;
            let cancelled_on: NaiveDate = read(case, "cancelled_on")?;
            let paid: Option<Vec<Money>> = match case.get("paid") {
                Some(_) => Some(read(case, "paid")?),
                None => None,
            };
            let statement = match engine.statement(&deal, &ctx) {
                Ok(s) => s,
                Err(e) => {
                    problems.push("the statement to reverse could not be computed".to_owned());
                    return Ok(error_json(&e));
                }
            };
            let stmt = statement_json(&statement, problems);
            Ok(
                match engine.clawback(&statement, cancelled_on, paid.as_deref()) {
                    Ok(r) => {
                        let mut lines = Vec::new();
                        for l in &r.lines {
                            let what = format!("reversal line of participant {}", l.participant);
                            check_net(&l.gross, &l.withholdings, &l.net, problems, &what);
                            lines.push(json!({
                                "participant": l.participant,
                                "role": role_text(l.role),
                                "gross": amount(&l.gross, problems, &what),
                                "withholdings": withholdings_json(&l.withholdings, problems),
                                "net": amount(&l.net, problems, &what),
                            }));
                        }
                        let sum: Decimal = r.lines.iter().map(|l| l.gross.amount()).sum();
                        if sum != r.total_gross.amount() {
                            problems.push(format!(
                                "total_gross {} is not the sum of the reversal lines {sum}",
                                r.total_gross.amount()
                            ));
                        }
                        json!({
                            "statement": stmt,
                            "reversal": {
                                "days_elapsed": r.days_elapsed,
                                "within_window": r.within_window,
                                "fraction": r.fraction.to_string(),
                                "lines": lines,
                                "total_gross": amount(&r.total_gross, problems, "total_gross"),
                            },
                        })
                    }
                    Err(e) => error_json(&e),
                },
            )
        }
        other => Err(format!(
            "unknown operation {other:?}: this runner cannot run it"
        )),
    }
}

fn check_case(case: &Value) -> Result<String, String> {
    let op = field(case, "operation")?
        .as_str()
        .ok_or("`operation` is not a string")?
        .to_owned();
    let expect = field(case, "expect")?;
    if !expect.is_object() {
        return Err("`expect` is not an object".to_owned());
    }
    known_codes(expect)?;
    let mut problems = Vec::new();
    let actual = run(case, &op, &mut problems)?;
    let mut diffs = Vec::new();
    compare(expect, &actual, "", "", &mut diffs);
    // A success that was expected to fail, or the other way round, gets the whole picture.
    let expected_error = expect.get("error").is_some() || expect.get("errors").is_some();
    let got_error = actual.get("error").is_some();
    if op != "validate_plan" && expected_error != got_error {
        diffs.push(format!("expected {expect}, got {actual}"));
    }
    diffs.extend(problems);
    if diffs.is_empty() {
        Ok(op)
    } else {
        let note = case.get("note").and_then(Value::as_str).unwrap_or_default();
        Err(format!("{op} ({note}):\n    {}", diffs.join("\n    ")))
    }
}

#[test]
fn commission_vectors() {
    let doc = load();
    let cases = doc
        .get("cases")
        .and_then(Value::as_array)
        .expect("commission.json: `cases` must be an array");
    let mut failures = Vec::new();
    let mut ids = BTreeSet::new();
    let mut per_op = BTreeMap::<String, usize>::new();
    let mut passing = BTreeMap::<String, usize>::new();
    for (i, case) in cases.iter().enumerate() {
        let id = match case.get("id").and_then(Value::as_str) {
            Some(id) => id.to_owned(),
            None => {
                failures.push(format!("[cases[{i}]] case has no string `id`"));
                continue;
            }
        };
        if !ids.insert(id.clone()) {
            failures.push(format!("[{id}] duplicate case id"));
        }
        if let Some(op) = case.get("operation").and_then(Value::as_str) {
            *per_op.entry(op.to_owned()).or_default() += 1;
        }
        match check_case(case) {
            Ok(op) => *passing.entry(op).or_default() += 1,
            Err(message) => failures.push(format!("[{id}] {message}")),
        }
    }
    println!(
        "commission vectors: {} cases {per_op:?}, passing {passing:?}",
        cases.len()
    );
    assert!(
        cases.len() >= MIN_CASES,
        "commission.json has {} cases, fewer than the {MIN_CASES} expected: truncated file?",
        cases.len()
    );
    for (op, minimum) in MIN_PER_OPERATION {
        let n = per_op.get(op).copied().unwrap_or(0);
        if n < minimum {
            failures.push(format!(
                "[{op}] commission.json has {n} {op} cases, fewer than the {minimum} expected"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} commission vector cases failed:\n{}\n",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
