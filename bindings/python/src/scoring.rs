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
    /// Scores a book given as Arrow data (a pandas or polars DataFrame, a pyarrow Table: any
    /// object with `__arrow_c_stream__`) with its activities (Arrow data or a list of records);
    /// returns an [`ArrowTable`](crate::arrow::ArrowTable) of `lead_id`, `fit`, `engagement`,
    /// `score`, `band` and `reasons`. The cells are read straight from the Arrow buffers with
    /// the interpreter released. Raises the producer's own error (e.g. `ImportError` from
    /// pandas without pyarrow) when the object cannot hand out Arrow data.
    #[pyo3(signature = (leads, now, activities = None, top = 3))]
    fn score_arrow(
        &self,
        py: Python<'_>,
        leads: &Bound<'_, PyAny>,
        now: &Bound<'_, PyAny>,
        activities: Option<&Bound<'_, PyAny>>,
        top: usize,
    ) -> PyResult<crate::arrow::ArrowTable> {
        let now = run(py, || instant(now, "now"))?;
        let table =
            crate::arrow::import(leads)?.map_err(|e| crate::errors::to_pyerr(py, e.at("leads")))?;
        let acts: Vec<Activity> = match activities {
            Some(a) if !a.is_none() => crate::arrow::records_of(a, records)?
                .map_err(|e| crate::errors::to_pyerr(py, e.at("activities")))?,
            _ => Vec::new(),
        };
        run_detached(py, || {
            let (layout, cells) = table.rows();
            let scores = host::batch::score_rows(
                &self.inner,
                &layout,
                cells.rows(),
                &cells,
                acts,
                now,
                |s| Kept::of(&s, top),
            )
            .map_err(|e| e.at("leads"))?;
            score_batches(&table, &scores)
        })
    }

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
                cols.reasons.push(Kept::of(s, top).joined());
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

/// The score columns of a book as Arrow data: `lead_id` (the input's own `id` column, shared),
/// `fit`, `engagement`, `score` (float64), `band` and `reasons` (dictionary-encoded strings:
/// pandas reads them as categoricals).
fn score_batches(
    table: &crate::arrow::Table,
    scores: &[Kept<'_>],
) -> Result<crate::arrow::ArrowTable, HostError> {
    use arrow_array::{ArrayRef, Float64Array, RecordBatch};
    use arrow_schema::{DataType, Field, Schema};
    use std::sync::Arc;

    let internal = |e: arrow_schema::ArrowError| {
        HostError::new(
            realestate_crm::ErrorCode::Panic,
            format!("the score table could not be built: {e}"),
        )
    };
    let id_col = table
        .column("id")
        .ok_or_else(|| HostError::input("id", "the table has no `id` column"))?;
    let id_field = table
        .schema
        .fields()
        .get(id_col)
        .map(|f| Field::new("lead_id", f.data_type().clone(), f.is_nullable()))
        .ok_or_else(|| HostError::input("id", "the table has no `id` column"))?;
    let dict = || DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
    let schema = Arc::new(Schema::new(vec![
        id_field,
        Field::new("fit", DataType::Float64, false),
        Field::new("engagement", DataType::Float64, false),
        Field::new("score", DataType::Float64, false),
        Field::new("band", dict(), false),
        Field::new("reasons", dict(), false),
    ]));
    let mut out = Vec::with_capacity(table.batches.len());
    let mut at = 0;
    for batch in &table.batches {
        let part = scores.get(at..at + batch.num_rows()).ok_or_else(|| {
            HostError::new(realestate_crm::ErrorCode::Panic, "scores and rows differ")
        })?;
        at += batch.num_rows();
        let floats = |f: fn(&Kept<'_>) -> f64| -> ArrayRef {
            Arc::new(Float64Array::from_iter_values(part.iter().map(f)))
        };
        let bands = dictionary(
            part,
            |s| (s.band.as_ptr() as usize, s.band.len()),
            |s| s.band.to_owned(),
        )?;
        let reasons = dictionary(
            part,
            |s| {
                // Rows with the same top rules share a key of the rules' ids by address (each
                // rule id is its own string in the rule set): the text is joined once per
                // combination.
                let mut key = [(0usize, 0usize); 4];
                for (k, r) in key.iter_mut().zip(s.top.iter().take(usize::from(s.n))) {
                    *k = (r.as_ptr() as usize, r.len());
                }
                (key, s.more.clone())
            },
            Kept::joined,
        )?;
        let ids = batch
            .columns()
            .get(id_col)
            .cloned()
            .ok_or_else(|| HostError::input("id", "the table has no `id` column"))?;
        let columns: Vec<ArrayRef> = vec![
            ids,
            floats(|s| s.fit),
            floats(|s| s.engagement),
            floats(|s| s.score),
            bands,
            reasons,
        ];
        out.push(RecordBatch::try_new(schema.clone(), columns).map_err(internal)?);
    }
    Ok(crate::arrow::ArrowTable::new(schema, out))
}

/// What the score table keeps of a score: the numbers, the band and the first `top` reasons
/// (up to four by reference; more as their joined text). Made on the worker that scored the
/// lead, so the book's scores with all their reasons are never kept at once.
struct Kept<'s> {
    fit: f64,
    engagement: f64,
    score: f64,
    band: &'s str,
    top: [&'s str; 4],
    n: u8,
    more: Option<String>,
}

impl<'s> Kept<'s> {
    fn of(s: &scoring::LeadScore<'s>, top: usize) -> Self {
        let mut kept = Self {
            fit: s.fit,
            engagement: s.engagement,
            score: s.score,
            band: s.band,
            top: [""; 4],
            n: 0,
            more: None,
        };
        if top <= 4 {
            for (slot, r) in kept.top.iter_mut().zip(s.reasons.iter().take(top)) {
                *slot = r.rule;
                kept.n += 1;
            }
        } else {
            let rules: Vec<&str> = s.reasons.iter().take(top).map(|r| r.rule).collect();
            kept.more = Some(rules.join(","));
        }
        kept
    }

    /// The kept reasons, comma-separated.
    fn joined(&self) -> String {
        match &self.more {
            Some(text) => text.clone(),
            None => self
                .top
                .iter()
                .take(usize::from(self.n))
                .copied()
                .collect::<Vec<_>>()
                .join(","),
        }
    }
}

/// A dictionary-encoded text column over `rows`: rows with equal `key`s share one value, whose
/// text `text` writes from the first such row.
fn dictionary<'a, K: std::hash::Hash + Eq>(
    rows: &'a [Kept<'a>],
    key: impl Fn(&Kept<'a>) -> K,
    text: impl Fn(&Kept<'a>) -> String,
) -> Result<arrow_array::ArrayRef, HostError> {
    use arrow_array::{DictionaryArray, Int32Array, StringArray, types::Int32Type};
    let mut seen: std::collections::HashMap<K, i32> = std::collections::HashMap::new();
    let mut values: Vec<String> = Vec::new();
    let mut keys = Vec::with_capacity(rows.len());
    for row in rows {
        let next = i32::try_from(values.len()).unwrap_or(i32::MAX);
        let k = *seen.entry(key(row)).or_insert_with(|| {
            values.push(text(row));
            next
        });
        keys.push(k);
    }
    DictionaryArray::<Int32Type>::try_new(
        Int32Array::from(keys),
        std::sync::Arc::new(StringArray::from(values)),
    )
    .map(|d| std::sync::Arc::new(d) as arrow_array::ArrayRef)
    .map_err(|e| {
        HostError::new(
            realestate_crm::ErrorCode::Panic,
            format!("the score table could not be built: {e}"),
        )
    })
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
