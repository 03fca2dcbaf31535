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
            let parts = host::batch::score_rows(
                &self.inner,
                &layout,
                cells.rows(),
                &cells,
                acts,
                now,
                top,
                Kept::of,
            )
            .map_err(|e| e.at("leads"))?;
            score_batches(&self.inner, &table, &parts)
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
                let rules: Vec<&str> = s.reasons.iter().take(top).map(|r| r.rule).collect();
                cols.reasons.push(rules.join(","));
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
/// pandas reads them as categoricals; every band is a category, each combination of reasons is
/// joined once). `parts` are the kept scores in row order, in pieces.
fn score_batches(
    scorer: &scoring::Scorer,
    table: &crate::arrow::Table,
    parts: &[Vec<Kept>],
) -> Result<crate::arrow::ArrowTable, HostError> {
    use arrow_array::StringArray;
    use arrow_array::types::Int32Type;
    use arrow_array::{ArrayRef, DictionaryArray, Float64Array, Int32Array, RecordBatch};
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
    let bands: Arc<StringArray> = Arc::new(StringArray::from(scorer.band_names()));
    // Each combination of reasons is one dictionary value, shared by every batch.
    let mut seen: rustc_hash::FxHashMap<&Reasons, i32> = rustc_hash::FxHashMap::default();
    let mut texts: Vec<String> = Vec::new();
    let mut rows = parts.iter().flatten();
    let mut pending = Vec::with_capacity(table.batches.len());
    for batch in &table.batches {
        let n = batch.num_rows();
        let (mut fit, mut engagement, mut score) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        let (mut band, mut reasons) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for kept in rows.by_ref().take(n) {
            fit.push(kept.fit);
            engagement.push(kept.engagement);
            score.push(kept.score);
            band.push(kept.band);
            let next = i32::try_from(texts.len()).unwrap_or(i32::MAX);
            reasons.push(*seen.entry(&kept.reasons).or_insert_with(|| {
                texts.push(kept.reasons.joined(scorer.rule_ids()));
                next
            }));
        }
        if fit.len() != n {
            return Err(HostError::new(
                realestate_crm::ErrorCode::Panic,
                "scores and rows differ",
            ));
        }
        pending.push((batch, fit, engagement, score, band, reasons));
    }
    let texts: Arc<StringArray> = Arc::new(StringArray::from(texts));
    let mut out = Vec::with_capacity(pending.len());
    for (batch, fit, engagement, score, band, reasons) in pending {
        let ids = batch
            .columns()
            .get(id_col)
            .cloned()
            .ok_or_else(|| HostError::input("id", "the table has no `id` column"))?;
        let keyed = |keys: Vec<i32>, values: &Arc<StringArray>| -> Result<ArrayRef, HostError> {
            let array = DictionaryArray::<Int32Type>::try_new(
                Int32Array::from(keys),
                values.clone() as ArrayRef,
            )
            .map_err(internal)?;
            Ok(Arc::new(array))
        };
        let columns: Vec<ArrayRef> = vec![
            ids,
            Arc::new(Float64Array::from(fit)),
            Arc::new(Float64Array::from(engagement)),
            Arc::new(Float64Array::from(score)),
            keyed(band, &bands)?,
            keyed(reasons, &texts)?,
        ];
        out.push(RecordBatch::try_new(schema.clone(), columns).map_err(internal)?);
    }
    Ok(crate::arrow::ArrowTable::new(schema, out))
}

/// What the score table keeps of a lead's score: the numbers, the band's index and the rules
/// of its first reasons. Made on the worker that scored the lead, without the reasons ever
/// being built.
struct Kept {
    fit: f64,
    engagement: f64,
    score: f64,
    band: i32,
    reasons: Reasons,
}

/// The rules of a score's first reasons, heaviest first: up to four rule indices packed in a
/// number (each plus one, 16 bits apiece: no allocation), more as a list.
#[derive(PartialEq, Eq, Hash)]
enum Reasons {
    Packed(u64),
    Many(Box<[usize]>),
}

impl Kept {
    fn of(s: &scoring::Summary<'_>) -> Self {
        let packed = (s.top.len() <= 4 && s.top.iter().all(|&i| i < 0xFFFF)).then(|| {
            s.top
                .iter()
                .fold(0u64, |key, &i| (key << 16) | (i as u64 + 1))
        });
        Self {
            fit: s.fit,
            engagement: s.engagement,
            score: s.score,
            band: i32::try_from(s.band).unwrap_or(i32::MAX),
            reasons: match packed {
                Some(key) => Reasons::Packed(key),
                None => Reasons::Many(s.top.into()),
            },
        }
    }
}

impl Reasons {
    /// The rules' ids, comma-separated.
    fn joined(&self, ids: &[String]) -> String {
        let id = |i: usize| ids.get(i).map_or("", String::as_str);
        match self {
            Reasons::Many(list) => list.iter().map(|&i| id(i)).collect::<Vec<_>>().join(","),
            Reasons::Packed(key) => {
                let mut rules: Vec<&str> = Vec::with_capacity(4);
                let mut key = *key;
                while key != 0 {
                    rules.push(id(((key & 0xFFFF) - 1) as usize));
                    key >>= 16;
                }
                rules.reverse();
                rules.join(",")
            }
        }
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
