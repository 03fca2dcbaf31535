//! `CommissionEngine::statement_without_trails` against `statement` on every case of the shared
//! commission vectors (`tests/vectors/commission.json` at the workspace root) that computes a
//! statement (`statement` and `clawback` cases): the same statement with its trails empty, or
//! the same error.

#![allow(clippy::unwrap_used, clippy::panic)] // test fixtures: a bad fixture should fail loudly

use crm_core::commission::{
    CommissionEngine, CommissionPlan, CommissionStatement, StatementContext, WithholdingTable,
};
use crm_core::domain::{Deal, from_json};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Fewer statements than this means a truncated vector file or a runner that skips cases.
const MIN_STATEMENTS: usize = 90;
const MIN_ERRORS: usize = 10;

fn read<T: DeserializeOwned>(case: &Value, key: &str) -> T {
    let value = case
        .get(key)
        .unwrap_or_else(|| panic!("case field `{key}` is missing"));
    from_json(&value.to_string()).unwrap_or_else(|e| panic!("case field `{key}`: {e}"))
}

fn without_trails(mut s: CommissionStatement) -> CommissionStatement {
    s.pool_trail.clear();
    for line in &mut s.lines {
        line.trail.clear();
    }
    s
}

#[test]
fn equals_the_statement_with_its_trails_cleared_on_every_vector() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/commission.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap();
    let cases = doc.get("cases").and_then(Value::as_array).unwrap();
    let (mut statements, mut errors, mut explained) = (0, 0, 0);
    let mut failures = Vec::new();
    for case in cases {
        let op = case.get("operation").and_then(Value::as_str).unwrap();
        if op != "statement" && op != "clawback" {
            continue;
        }
        let id = case.get("id").and_then(Value::as_str).unwrap();
        let plan: CommissionPlan = read(case, "plan");
        let table: WithholdingTable = read(case, "withholding");
        let engine = CommissionEngine::new(plan, table).unwrap();
        let deal: Deal = read(case, "deal");
        let ctx: StatementContext = read(case, "context");
        let full = engine.statement(&deal, &ctx);
        let lean = engine.statement_without_trails(&deal, &ctx);
        match (&full, &lean) {
            (Ok(f), Ok(l)) => {
                statements += 1;
                if !f.pool_trail.is_empty() && f.lines.iter().all(|l| !l.trail.is_empty()) {
                    explained += 1;
                }
                if *l != without_trails(f.clone()) {
                    failures.push(format!("[{id}] {l:?}\n  is not\n{f:?}"));
                }
            }
            (Err(f), Err(l)) => {
                errors += 1;
                if f != l {
                    failures.push(format!("[{id}] error {l:?} is not {f:?}"));
                }
            }
            _ => failures.push(format!("[{id}] {lean:?}\n  is not\n{full:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        statements >= MIN_STATEMENTS && errors >= MIN_ERRORS,
        "only {statements} statements and {errors} errors compared"
    );
    assert_eq!(explained, statements, "every full statement has its trails");
}
