//! Python objects ⇄ JSON values, the form the core reads and writes.
//!
//! Into JSON: `str`, `int`, `bool`, `None`, `dict` (string keys), `list`/`tuple` and any other
//! sequence, `decimal.Decimal` (as its plain decimal text, never a float), `datetime.date`
//! (ISO 8601), timezone-aware `datetime.datetime` (RFC 3339; naive ones are refused with
//! `input.naive_datetime`), `uuid.UUID`, `enum.Enum` (its value), record objects (their
//! `to_dict()`), numpy scalars (their `.item()`). A `float` becomes a JSON number, which the
//! core refuses wherever money or a rate is expected; NaN and infinities are refused here.
//!
//! Out of JSON: plain Python objects (`dict`, `list`, `str`, `int`, `float`, `bool`, `None`);
//! the pure-Python package turns them into records with `Decimal`, `date`, `datetime` and
//! `UUID` fields.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use realestate_crm::ErrorCode;
use realestate_crm::host::HostError;
use serde_json::{Map, Number, Value};

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static UUID: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static ENUM: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static TIMEDELTA: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// How cells are read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// A float NaN (pandas' missing value) and pandas' `NaT`/`NA` are `null` instead of an error.
    pub nan_is_null: bool,
}

fn bad(message: impl Into<String>) -> HostError {
    HostError::input("", message)
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_owned())
}

/// A Python `str` as Rust text; a lone surrogate is an `input.json` error.
pub fn text<'a>(s: &'a Bound<'_, PyString>) -> Result<std::borrow::Cow<'a, str>, HostError> {
    s.to_cow().map_err(|_| {
        bad("the text is not valid Unicode (it holds a lone surrogate such as \\ud800)")
    })
}

/// Whether `obj` is a `decimal.Decimal`.
pub fn is_decimal(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    let ty = DECIMAL.import(obj.py(), "decimal", "Decimal")?;
    obj.is_instance(ty)
}

/// A `Decimal`'s plain text (`format(d, "f")`, so no exponent); NaN and infinities are
/// `validation.money.format` errors.
pub fn decimal_text(obj: &Bound<'_, PyAny>) -> Result<String, HostError> {
    let finite = obj
        .call_method0("is_finite")
        .and_then(|v| v.extract::<bool>())
        .unwrap_or(false);
    if !finite {
        return Err(HostError::new(
            ErrorCode::MoneyFormat,
            "a decimal must be finite (not NaN or an infinity)",
        ));
    }
    obj.call_method1("__format__", ("f",))
        .and_then(|s| s.extract::<String>())
        .map_err(|e| bad(format!("the decimal cannot be written as text: {e}")))
}

/// A tz-aware `datetime` as RFC 3339 text; a naive one is `input.naive_datetime`.
pub fn datetime_text(obj: &Bound<'_, PyAny>) -> Result<String, HostError> {
    let offset = obj
        .call_method0("utcoffset")
        .map_err(|e| bad(format!("cannot read the datetime's offset: {e}")))?;
    if offset.is_none() {
        return Err(HostError::new(
            ErrorCode::NaiveDatetime,
            "a naive datetime has no time zone; give a timezone-aware one (tzinfo=timezone.utc)",
        ));
    }
    obj.call_method0("isoformat")
        .and_then(|s| s.extract::<String>())
        .map_err(|e| bad(format!("cannot write the datetime: {e}")))
}

fn float_value(x: f64, opts: Options) -> Result<Value, HostError> {
    if x.is_nan() && opts.nan_is_null {
        return Ok(Value::Null);
    }
    Number::from_f64(x)
        .map(Value::Number)
        .ok_or_else(|| bad("NaN and infinities are not numbers the core accepts"))
}

/// How deeply containers may nest in a value read from Python (serde_json's own limit for
/// JSON text): a deeper one — a list that holds itself, say — is an `input.json` error, not a
/// stack overflow that would take the interpreter down.
pub const MAX_DEPTH: usize = 128;

/// Converts a Python object to a JSON value (see the module docs); errors carry the path.
pub fn to_json(obj: &Bound<'_, PyAny>, opts: Options) -> Result<Value, HostError> {
    json_at(obj, opts, 0)
}

/// [`to_json`] of an object `depth` containers deep.
fn json_at(obj: &Bound<'_, PyAny>, opts: Options, depth: usize) -> Result<Value, HostError> {
    if depth > MAX_DEPTH {
        return Err(too_deep());
    }
    let to_json = |o: &Bound<'_, PyAny>, opts: Options| json_at(o, opts, depth + 1);
    let py = obj.py();
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(text(s)?.into_owned()));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::with_capacity(d.len());
        for (k, v) in d.iter() {
            let key = match k.cast::<PyString>() {
                Ok(s) => text(s)?.into_owned(),
                Err(_) => {
                    if opts.nan_is_null {
                        k.str().map(|s| s.to_string()).unwrap_or_default()
                    } else {
                        return Err(bad(format!(
                            "a mapping key must be a str, not {}",
                            type_name(&k)
                        )));
                    }
                }
            };
            let value = to_json(&v, opts).map_err(|e| e.at(&key))?;
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    if let Ok(l) = obj.cast::<PyList>() {
        let mut out = Vec::with_capacity(l.len());
        for (i, item) in l.iter().enumerate() {
            out.push(to_json(&item, opts).map_err(|e| e.at(&format!("[{i}]")))?);
        }
        return Ok(Value::Array(out));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(v) = obj.cast::<crate::view::JsonView>() {
        return Ok(v.get().whole());
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::Number(i.into()));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::Number(u.into()));
        }
        return Err(bad("an integer beyond 64 bits"));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return float_value(f.value(), opts);
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        let mut out = Vec::with_capacity(t.len());
        for (i, item) in t.iter().enumerate() {
            out.push(to_json(&item, opts).map_err(|e| e.at(&format!("[{i}]")))?);
        }
        return Ok(Value::Array(out));
    }
    let err = |e: PyErr| bad(format!("cannot read a {}: {e}", type_name(obj)));
    if obj
        .is_instance(DECIMAL.import(py, "decimal", "Decimal").map_err(err)?)
        .map_err(err)?
    {
        if opts.nan_is_null
            && obj
                .call_method0("is_nan")
                .and_then(|v| v.extract::<bool>())
                .unwrap_or(false)
        {
            return Ok(Value::Null);
        }
        return decimal_text(obj).map(Value::String);
    }
    if obj
        .is_instance(DATETIME.import(py, "datetime", "datetime").map_err(err)?)
        .map_err(err)?
    {
        if opts.nan_is_null && type_name(obj) == "NaTType" {
            return Ok(Value::Null);
        }
        return datetime_text(obj).map(Value::String);
    }
    if obj
        .is_instance(DATE.import(py, "datetime", "date").map_err(err)?)
        .map_err(err)?
    {
        return obj
            .call_method0("isoformat")
            .and_then(|s| s.extract::<String>())
            .map(Value::String)
            .map_err(err);
    }
    if obj
        .is_instance(UUID.import(py, "uuid", "UUID").map_err(err)?)
        .map_err(err)?
    {
        return obj.str().map(|s| Value::String(s.to_string())).map_err(err);
    }
    if obj
        .is_instance(ENUM.import(py, "enum", "Enum").map_err(err)?)
        .map_err(err)?
    {
        return to_json(&obj.getattr("value").map_err(err)?, opts);
    }
    if obj
        .is_instance(TIMEDELTA.import(py, "datetime", "timedelta").map_err(err)?)
        .map_err(err)?
    {
        return Err(bad("a timedelta is not accepted here"));
    }
    if let Ok(to_dict) = obj.getattr("to_dict")
        && !obj.is_instance_of::<PyType>()
        && to_dict.is_callable()
    {
        let d = to_dict.call0().map_err(err)?;
        if d.cast::<PyDict>().is_ok() {
            return to_json(&d, opts);
        }
    }
    if opts.nan_is_null && (type_name(obj) == "NAType" || type_name(obj) == "NaTType") {
        return Ok(Value::Null);
    }
    // numpy and pandas scalars: their Python value.
    if obj.hasattr("item").unwrap_or(false) && obj.hasattr("dtype").unwrap_or(false) {
        let item = obj.call_method0("item").map_err(err)?;
        if !item.is(obj) {
            return to_json(&item, opts);
        }
    }
    if let Ok(items) = obj.call_method0("items") {
        let dict = PyDict::new(py);
        if let Ok(iter) = items.try_iter() {
            for pair in iter {
                let pair = pair.map_err(err)?;
                let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = pair.extract().map_err(err)?;
                dict.set_item(k, v).map_err(err)?;
            }
            return to_json(dict.as_any(), opts);
        }
    }
    if !obj.is_instance_of::<pyo3::types::PyBytes>()
        && let Ok(iter) = obj.try_iter()
    {
        let mut out = Vec::new();
        for (i, item) in iter.enumerate() {
            let item = item.map_err(err)?;
            out.push(to_json(&item, opts).map_err(|e| e.at(&format!("[{i}]")))?);
        }
        return Ok(Value::Array(out));
    }
    Err(bad(format!(
        "a {} cannot be converted (expected str, int, Decimal, date, datetime, UUID, dict, list or a record)",
        type_name(obj)
    )))
}

/// The error of a value nested deeper than [`MAX_DEPTH`].
pub fn too_deep() -> HostError {
    bad(format!(
        "the value nests containers more than {MAX_DEPTH} levels deep (a list or dict that holds itself?)"
    ))
}

/// Converts a JSON value to plain Python objects.
pub fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(PyString::new(py, k), to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// A JSON value from an argument that may also be JSON text (`str` or `bytes`).
pub fn config_json(obj: &Bound<'_, PyAny>) -> Result<Value, HostError> {
    if let Ok(s) = obj.cast::<PyString>() {
        return serde_json::from_str(&text(s)?).map_err(HostError::from);
    }
    if let Ok(b) = obj.cast::<pyo3::types::PyBytes>() {
        return serde_json::from_slice(b.as_bytes()).map_err(HostError::from);
    }
    to_json(obj, Options::default())
}

static DECIMAL_NEW: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// A decimal argument: a `Decimal`, an `int` or decimal text. A `float` is refused with
/// `validation.money.format` (money and rates never pass through binary floating point).
pub fn decimal_arg(obj: &Bound<'_, PyAny>) -> Result<rust_decimal::Decimal, HostError> {
    let text = if let Ok(s) = obj.cast::<PyString>() {
        text(s)?.into_owned()
    } else if obj.is_instance_of::<PyBool>() {
        return Err(HostError::new(
            ErrorCode::MoneyFormat,
            "a bool is not a decimal",
        ));
    } else if obj.is_instance_of::<PyInt>() {
        obj.str()
            .map(|s| s.to_string())
            .map_err(|e| bad(e.to_string()))?
    } else if obj.is_instance_of::<PyFloat>() {
        return Err(HostError::new(
            ErrorCode::MoneyFormat,
            "a float is not accepted for money or rates; use decimal.Decimal (or a string such as \"1234.56\")",
        ));
    } else if is_decimal(obj).unwrap_or(false) {
        decimal_text(obj)?
    } else {
        return Err(HostError::new(
            ErrorCode::MoneyFormat,
            format!(
                "expected a Decimal, an int or decimal text, not {}",
                type_name(obj)
            ),
        ));
    };
    realestate_crm::money::parse_decimal(&text).map_err(HostError::from)
}

/// A Rust decimal as a Python `Decimal`.
pub fn py_decimal<'py>(py: Python<'py>, d: &rust_decimal::Decimal) -> PyResult<Bound<'py, PyAny>> {
    DECIMAL_NEW
        .import(py, "decimal", "Decimal")?
        .call1((d.to_string(),))
}
