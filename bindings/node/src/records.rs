//! Records: validation with every problem and its path, canonical forms, batches.

use crate::errors::{envelope, run};
use crate::json::out;
use crate::task::Job;
use napi::Env;
use napi::bindgen_prelude::AsyncTask;
use napi_derive::napi;
use realestate_crm::FieldError;
use realestate_crm::host::{HostError, ops, text};
use serde_json::Value;

/// One problem with one field.
#[napi(object)]
pub struct FieldProblem {
    /// Where (`contact.phone`, `consents[0].revoked_at`; empty for the record as a whole).
    pub path: String,
    /// The stable code (`validation.phone.length`).
    pub code: String,
    /// A sentence for people.
    pub message: String,
}

fn problem(f: &FieldError) -> FieldProblem {
    FieldProblem {
        path: f.path.clone(),
        code: f.code.as_str().to_owned(),
        message: f.message.clone(),
    }
}

/// A record read from a JSON value: its written form (defaults filled in), refusing numbers
/// where the core keeps decimals.
fn record_value(kind: ops::RecordKind, input: Value) -> Result<Value, HostError> {
    let written = ops::record_round_trip(kind, input.clone())?;
    text::check_numbers(&input, &written)?;
    Ok(written)
}

/// Every problem of a record of `kind` (`lead`, `property`, `deal`, `activity`, `agent`,
/// `visit`) given as JSON text, empty when valid; a record of the wrong shape throws.
#[napi]
pub fn record_problems(env: Env, kind: String, record: String) -> napi::Result<Vec<FieldProblem>> {
    run(&env, || {
        let kind = ops::RecordKind::parse(&kind).map_err(|e| e.at("kind"))?;
        let value = record_value(kind, text::parse(&record)?)?;
        Ok(ops::record_problems(kind, value)?
            .iter()
            .map(problem)
            .collect())
    })
}

fn problems_batch(kind: ops::RecordKind, records: &str) -> Result<String, HostError> {
    let list = text::array_items(records)?;
    let results = realestate_crm::host::batch::map_parallel(&list, |r| {
        record_value(kind, text::parse(r)?).and_then(|v| ops::record_problems(kind, v))
    });
    let items: Vec<Value> = results
        .into_iter()
        .enumerate()
        .map(|(i, r)| match r {
            Ok(problems) => Value::Array(
                problems
                    .iter()
                    .map(|f| serde_json::json!({"path": f.path, "code": f.code.as_str(), "message": f.message}))
                    .collect(),
            ),
            Err(e) => serde_json::json!({"error": envelope(&e.at(&format!("[{i}]")))}),
        })
        .collect();
    out(&items)
}

/// The problems of every record of a JSON array, in order, as JSON text: a list of problems
/// per record, or `{"error": {...}}` for a record of the wrong shape.
#[napi]
pub fn records_problems(env: Env, kind: String, records: String) -> napi::Result<String> {
    run(&env, || {
        let kind = ops::RecordKind::parse(&kind).map_err(|e| e.at("kind"))?;
        problems_batch(kind, &records)
    })
}

/// `recordsProblems` on the libuv thread pool.
#[napi(ts_return_type = "Promise<string>")]
pub fn records_problems_async(
    env: Env,
    kind: String,
    records: String,
) -> napi::Result<AsyncTask<Job<String>>> {
    let kind = run(&env, || {
        ops::RecordKind::parse(&kind).map_err(|e| e.at("kind"))
    })?;
    Ok(AsyncTask::new(Job::new(move || {
        problems_batch(kind, &records)
    })))
}

/// A record read and written back in the core's JSON form (defaults filled in).
#[napi]
pub fn record_read(env: Env, kind: String, record: String) -> napi::Result<String> {
    run(&env, || {
        let kind = ops::RecordKind::parse(&kind).map_err(|e| e.at("kind"))?;
        out(&record_value(kind, text::parse(&record)?)?)
    })
}

/// The canonical copy of a valid lead, property or agent to store (E.164 phone, bare CPF,
/// CEP digits); throws with every problem otherwise.
#[napi]
pub fn record_normalized(env: Env, kind: String, record: String) -> napi::Result<String> {
    run(&env, || {
        let kind = ops::RecordKind::parse(&kind).map_err(|e| e.at("kind"))?;
        let value = record_value(kind, text::parse(&record)?)?;
        out(&ops::record_normalized(kind, value)?)
    })
}
