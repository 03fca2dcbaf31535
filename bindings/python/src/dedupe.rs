//! Duplicate detection: normalisation keys, pair comparison, duplicates in a book, ingestion
//! of re-delivered leads and merge plans.

use crate::api::{load, load_config, out};
use crate::errors::{run, run_detached};
use pyo3::prelude::*;
use realestate_crm::dedupe::{self, DedupeConfig, FieldWeights};
use realestate_crm::domain::Lead;
use realestate_crm::host::{self, HostError};

fn config(obj: Option<&Bound<'_, PyAny>>) -> Result<DedupeConfig, HostError> {
    let c: DedupeConfig = match obj {
        Some(c) if !c.is_none() => load_config(c)?,
        _ => host::from_value(serde_json::json!({}))?,
    };
    c.validate()?;
    Ok(c)
}

fn leads(obj: &Bound<'_, PyAny>, what: &str) -> Result<Vec<Lead>, HostError> {
    let mut out = Vec::new();
    for (i, item) in obj
        .try_iter()
        .map_err(crate::errors::input_error)?
        .enumerate()
    {
        let item = item.map_err(crate::errors::input_error)?;
        out.push(load(&item).map_err(|e| e.at(&format!("{what}[{i}]")))?);
    }
    Ok(out)
}

/// Loads and validates a dedupe configuration, giving back its JSON form (defaults filled in);
/// raises `ValidationError` with every problem.
#[pyfunction]
#[pyo3(signature = (config_obj = None))]
pub fn dedupe_config<'py>(
    py: Python<'py>,
    config_obj: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let c = run(py, || config(config_obj))?;
    out(py, &c)
}

/// Compares two leads: the decision, the rule that decided, the score and the evidence.
#[pyfunction]
#[pyo3(signature = (a, b, config_obj = None))]
pub fn compare_leads<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
    config_obj: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let s = run(py, || {
        let a: Lead = load(a).map_err(|e| e.at("a"))?;
        let b: Lead = load(b).map_err(|e| e.at("b"))?;
        Ok(dedupe::compare(&a, &b, &config(config_obj)?))
    })?;
    crate::api::out_view(py, &s)
}

/// The candidate duplicate pairs of a book, best first, with the interpreter released.
#[pyfunction]
#[pyo3(signature = (book, config_obj = None))]
pub fn find_duplicates<'py>(
    py: Python<'py>,
    book: &Bound<'py, PyAny>,
    config_obj: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let (book, c) = run(py, || Ok((leads(book, "")?, config(config_obj)?)))?;
    let pairs = run_detached(py, || Ok(dedupe::find_duplicates(&book, &c)))?;
    out(py, &pairs)
}

/// The stored lead a new delivery is (by portal key, lead id or comparison), or `None`.
#[pyfunction]
#[pyo3(signature = (new, book, config_obj = None))]
pub fn find_existing<'py>(
    py: Python<'py>,
    new: &Bound<'py, PyAny>,
    book: &Bound<'py, PyAny>,
    config_obj: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let (new, book, c) = run(py, || {
        let new: Lead = load(new).map_err(|e| e.at("new"))?;
        Ok((new, leads(book, "book")?, config(config_obj)?))
    })?;
    let found = run_detached(py, || Ok(dedupe::find_existing(&new, &book, &c)))?;
    out(py, &found)
}

/// How two records of one person merge: the survivor, every field choice and the merged lead.
#[pyfunction]
pub fn merge_plan<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let plan = run(py, || {
        let a: Lead = load(a).map_err(|e| e.at("a"))?;
        let b: Lead = load(b).map_err(|e| e.at("b"))?;
        Ok(dedupe::merge_plan(&a, &b))
    })?;
    out(py, &plan)
}

/// A normalisation key for matching: `kind` is `name` (a token list), `email`, `phone` or
/// `document` (text, or `None` when absent).
#[pyfunction]
pub fn match_key<'py>(py: Python<'py>, kind: &str, value: &str) -> PyResult<Bound<'py, PyAny>> {
    match kind {
        "name" => out(py, &dedupe::name_tokens(value)),
        "email" => out(py, &dedupe::email_key(value)),
        "phone" => out(py, &dedupe::phone_key(value)),
        "document" => out(
            py,
            &dedupe::document_key(value).map(|d| d.as_str().to_owned()),
        ),
        other => Err(crate::errors::to_pyerr(
            py,
            HostError::input(
                "kind",
                format!(
                    "unknown key kind `{}`",
                    other.chars().take(40).collect::<String>()
                ),
            ),
        )),
    }
}

/// `(agreement, disagreement)` weights of a field with match probability `m` and chance
/// agreement `u`.
#[pyfunction]
pub fn field_weights(m: f64, u: f64) -> (f64, f64) {
    let w = FieldWeights { m, u };
    (w.agreement(), w.disagreement())
}
