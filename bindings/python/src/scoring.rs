//! Lead scoring: one lead, a list of records, or a table given as columns.

use crate::api::{instant, load, load_config, out};
use crate::convert::{Options, text, to_json, to_py};
use crate::errors::{run, run_detached};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use realestate_crm::domain::{Activity, Lead, Property};
use realestate_crm::host::{self, HostError, rows};
use realestate_crm::scoring::{self, LeadInput, RuleSet};
use serde_json::Value;

/// A validated scoring rule set.
#[pyclass(frozen, module = "realestate_crm._native")]
pub struct Scorer {
    inner: scoring::Scorer,
}

/// Reads records from a list of objects, or from `(names, columns)`: dotted column names and
/// one Python list per column (a DataFrame's columns), NaN and None leaving a field out. Cells
/// are read with the interpreter held; rows are assembled and parsed with it released, on
/// several threads for large tables.
pub fn records<T: serde::de::DeserializeOwned + Send>(
    obj: &Bound<'_, PyAny>,
) -> Result<Vec<T>, HostError> {
    if let Ok(tuple) = obj.extract::<(Vec<Bound<'_, PyString>>, Vec<Bound<'_, PyList>>)>() {
        let (names, columns) = tuple;
        let names: Vec<String> = names
            .iter()
            .map(|n| text(n).map(|c| c.into_owned()))
            .collect::<Result<_, _>>()?;
        return from_columns(obj.py(), &names, &columns);
    }
    let mut out = Vec::new();
    for (i, item) in obj
        .try_iter()
        .map_err(crate::errors::input_error)?
        .enumerate()
    {
        let item = item.map_err(crate::errors::input_error)?;
        out.push(load(&item).map_err(|e| e.at(&format!("[{i}]")))?);
    }
    Ok(out)
}

/// Records from named columns (see [`records`]).
pub fn from_columns<T: serde::de::DeserializeOwned + Send>(
    py: Python<'_>,
    names: &[String],
    columns: &[Bound<'_, PyList>],
) -> Result<Vec<T>, HostError> {
    let opts = Options { nan_is_null: true };
    let mut cells: Vec<Vec<Option<Value>>> = Vec::with_capacity(columns.len());
    for (c, col) in columns.iter().enumerate() {
        let mut out = Vec::with_capacity(col.len());
        for (r, cell) in col.iter().enumerate() {
            match to_json(&cell, opts) {
                Ok(Value::Null) => out.push(None),
                Ok(v) => out.push(Some(v)),
                Err(e) => {
                    return Err(e
                        .at(names.get(c).map_or("", String::as_str))
                        .at(&format!("[{r}]")));
                }
            }
        }
        cells.push(out);
    }
    py.detach(|| realestate_crm::host::guard(|| rows::records_from_columns(names, cells)))
}

#[pymethods]
impl Scorer {
    /// Loads and validates a rule set (dict, JSON text, or `"default"` for the shipped one);
    /// raises `ValidationError` with every problem.
    #[new]
    fn new(py: Python<'_>, rules: &Bound<'_, PyAny>) -> PyResult<Self> {
        run(py, || {
            let set: RuleSet = match rules.extract::<String>() {
                Ok(s) if s == "default" => scoring::default_rules()?,
                _ => load_config(rules).map_err(|e| e.at("rules"))?,
            };
            Ok(Self {
                inner: scoring::Scorer::new(set)?,
            })
        })
    }

    /// The rule set as JSON-form data.
    fn rules<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.inner.rules())
    }

    /// Scores one lead at `now` with its activities and its property of interest.
    #[pyo3(signature = (lead, now, activities = None, property = None))]
    fn score<'py>(
        &self,
        py: Python<'py>,
        lead: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        activities: Option<&Bound<'py, PyAny>>,
        property: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let value = run(py, || {
            let lead: Lead = load(lead).map_err(|e| e.at("lead"))?;
            let acts: Vec<Activity> = match activities {
                Some(a) if !a.is_none() => records(a).map_err(|e| e.at("activities"))?,
                _ => Vec::new(),
            };
            let prop: Option<Property> = match property {
                Some(p) if !p.is_none() => Some(load(p).map_err(|e| e.at("property"))?),
                _ => None,
            };
            let now = instant(now, "now")?;
            let input = LeadInput {
                lead: &lead,
                activities: &acts,
                property: prop.as_ref(),
            };
            crate::view::JsonView::of(&self.inner.score(&input, now))
        })?;
        Ok(Bound::new(py, value)?.into_any())
    }

    /// Scores a book: `leads` (a list of records, or `(names, columns)`), every activity of the
    /// book (grouped by `lead_id`), and optionally the property of interest of each lead (a list
    /// as long as `leads`, `None` where unknown). Returns columns: `lead_id`, `fit`,
    /// `engagement`, `score`, `band`, `reasons` (the first `top` rule ids, comma-separated) and,
    /// with `full=True`, `details` (every score in its JSON form).
    #[pyo3(signature = (leads, now, activities = None, properties = None, top = 3, full = false))]
    #[allow(clippy::too_many_arguments)]
    fn score_table<'py>(
        &self,
        py: Python<'py>,
        leads: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        activities: Option<&Bound<'py, PyAny>>,
        properties: Option<&Bound<'py, PyAny>>,
        top: usize,
        full: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let (leads, acts, props, now) = run(py, || {
            let leads: Vec<Lead> = records(leads).map_err(|e| e.at("leads"))?;
            let acts: Vec<Activity> = match activities {
                Some(a) if !a.is_none() => records(a).map_err(|e| e.at("activities"))?,
                _ => Vec::new(),
            };
            let props: Vec<Option<Property>> = match properties {
                Some(p) if !p.is_none() => records(p).map_err(|e| e.at("properties"))?,
                _ => Vec::new(),
            };
            Ok((leads, acts, props, instant(now, "now")?))
        })?;
        let scores = run_detached(py, || {
            let (acts, ranges) = host::batch::group_by_lead(&leads, acts);
            let prop_refs: Vec<Option<&Property>> = props.iter().map(Option::as_ref).collect();
            let scores =
                host::batch::score_many(&self.inner, &leads, &acts, &ranges, &prop_refs, now);
            let mut cols = Columns::default();
            for s in &scores {
                cols.lead_id.push(s.lead_id.to_string());
                cols.fit.push(s.fit);
                cols.engagement.push(s.engagement);
                cols.score.push(s.score);
                cols.band.push(s.band.to_owned());
                cols.reasons.push(
                    s.reasons
                        .iter()
                        .take(top)
                        .map(|r| r.rule)
                        .collect::<Vec<_>>()
                        .join(","),
                );
                if full {
                    cols.details.push(host::to_value(s)?);
                }
            }
            Ok(cols)
        })?;
        let d = PyDict::new(py);
        d.set_item("lead_id", scores.lead_id)?;
        d.set_item("fit", scores.fit)?;
        d.set_item("engagement", scores.engagement)?;
        d.set_item("score", scores.score)?;
        d.set_item("band", scores.band)?;
        d.set_item("reasons", scores.reasons)?;
        if full {
            let details = PyList::empty(py);
            for v in &scores.details {
                details.append(to_py(py, v)?)?;
            }
            d.set_item("details", details)?;
        }
        Ok(d)
    }
}

#[derive(Default)]
struct Columns {
    lead_id: Vec<String>,
    fit: Vec<f64>,
    engagement: Vec<f64>,
    score: Vec<f64>,
    band: Vec<String>,
    reasons: Vec<String>,
    details: Vec<Value>,
}

/// Reads a list of records (or `(names, columns)`) of a kind and gives them back in their
/// JSON form: how a table becomes records.
#[pyfunction]
pub fn records_from_columns<'py>(
    py: Python<'py>,
    kind: &str,
    names: Vec<String>,
    columns: Vec<Bound<'py, PyList>>,
) -> PyResult<Bound<'py, PyList>> {
    let values: Vec<Value> = run(py, || {
        let rows: Vec<Value> = from_columns(py, &names, &columns)?;
        let kind = host::ops::RecordKind::parse(kind)?;
        rows.into_iter()
            .enumerate()
            .map(|(i, v)| {
                host::ops::record_round_trip(kind, v).map_err(|e| e.at(&format!("[{i}]")))
            })
            .collect()
    })?;
    let list = PyList::empty(py);
    for v in &values {
        list.append(to_py(py, v)?)?;
    }
    Ok(list)
}
