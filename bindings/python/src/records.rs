//! Records: validation (every problem with its path), canonical forms, batches.

use crate::api::error_object;
use crate::convert::{Options, to_json, to_py};
use crate::errors::{run, run_detached};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use realestate_crm::host::{HostError, ops};

fn problems_list<'py>(
    py: Python<'py>,
    errors: &[realestate_crm::FieldError],
) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for f in errors {
        let d = PyDict::new(py);
        d.set_item("path", &f.path)?;
        d.set_item("code", f.code.as_str())?;
        d.set_item("message", &f.message)?;
        list.append(d)?;
    }
    Ok(list)
}

/// Every problem of a record of `kind` (`lead`, `property`, `deal`, `activity`, `agent`,
/// `visit`) as `{path, code, message}` dicts, empty when valid; a shape problem raises.
#[pyfunction]
pub fn record_problems<'py>(
    py: Python<'py>,
    kind: &str,
    record: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyList>> {
    let errors = run(py, || {
        let kind = ops::RecordKind::parse(kind)?;
        ops::record_problems(kind, to_json(record, Options::default())?)
    })?;
    problems_list(py, &errors)
}

/// The problems of every record of a list, with the interpreter released while checking; a
/// record of the wrong shape gives its exception object in its place.
#[pyfunction]
pub fn records_problems<'py>(
    py: Python<'py>,
    kind: &str,
    records: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyList>> {
    let kind = run(py, || ops::RecordKind::parse(kind))?;
    let mut values = Vec::new();
    for (i, r) in records.try_iter()?.enumerate() {
        values.push(to_json(&r?, Options::default()).map_err(|e| e.at(&format!("[{i}]"))));
    }
    let results: Vec<Result<Vec<realestate_crm::FieldError>, HostError>> =
        run_detached(py, || {
            Ok(values
                .into_iter()
                .enumerate()
                .map(|(i, v)| {
                    v.and_then(|v| ops::record_problems(kind, v)).map_err(|e| {
                        if e.path.as_deref().is_some_and(|p| p.starts_with('[')) {
                            e
                        } else {
                            e.at(&format!("[{i}]"))
                        }
                    })
                })
                .collect())
        })?;
    let list = PyList::empty(py);
    for r in results {
        match r {
            Ok(errors) => list.append(problems_list(py, &errors)?)?,
            Err(e) => list.append(error_object(py, e))?,
        }
    }
    Ok(list)
}

/// A record read and written back in the core's JSON form (defaults filled in); a shape
/// problem raises.
#[pyfunction]
pub fn record_round_trip<'py>(
    py: Python<'py>,
    kind: &str,
    record: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let v = run(py, || {
        let kind = ops::RecordKind::parse(kind)?;
        ops::record_round_trip(kind, to_json(record, Options::default())?)
    })?;
    to_py(py, &v)
}

/// The canonical copy of a valid lead, property or agent to store; raises with every problem.
#[pyfunction]
pub fn record_normalized<'py>(
    py: Python<'py>,
    kind: &str,
    record: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let v = run(py, || {
        let kind = ops::RecordKind::parse(kind)?;
        ops::record_normalized(kind, to_json(record, Options::default())?)
    })?;
    to_py(py, &v)
}

/// Converts any supported Python object to its JSON form (as plain Python objects), raising a
/// coded error for what the core would refuse (floats' NaN, naive datetimes, lone surrogates).
#[pyfunction]
pub fn to_json_form<'py>(py: Python<'py>, obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let v = run(py, || to_json(obj, Options::default()))?;
    to_py(py, &v)
}

/// Raises a Rust panic inside the guard, to test that it surfaces as `internal.panic`.
#[pyfunction]
#[allow(clippy::panic)]
pub fn _test_panic(py: Python<'_>) -> PyResult<()> {
    run(py, || -> Result<(), HostError> {
        panic!("a test panic from _test_panic")
    })
}
