//! A read-only, lazily converted view of a JSON result: results stay Rust values until Python
//! reads a part of them, so a batch of statements or a 360-line schedule costs one small object
//! each instead of hundreds of dicts and strings (and no garbage-collector passes over them).

use crate::convert::to_py;
use pyo3::basic::CompareOp;
use pyo3::exceptions::{PyIndexError, PyKeyError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};
use serde_json::Value;

/// A JSON object or array from the core, read like a `dict` or a `list`: `view["pool"]`,
/// `view.get("lines")`, `len(view)`, iteration, `keys()`/`values()`/`items()`; `to_py()`
/// converts the whole of it. Nested objects and arrays come back as views, scalars as Python
/// values.
#[pyclass(frozen, module = "realestate_crm._native", name = "JsonView")]
pub struct JsonView {
    inner: Inner,
}

enum Inner {
    /// An object or an array.
    Value(Value),
    /// An object kept as the JSON text of each top-level field, read back on demand.
    Fields(Vec<(String, String)>),
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

impl JsonView {
    /// The whole value.
    pub fn whole(&self) -> Value {
        match &self.inner {
            Inner::Value(v) => v.clone(),
            Inner::Fields(fields) => {
                Value::Object(fields.iter().map(|(k, t)| (k.clone(), parse(t))).collect())
            }
        }
    }

    /// A view of a result: a struct or map keeps its fields as text; anything else is
    /// written as a value.
    pub fn of<T: serde::Serialize>(value: &T) -> Result<Self, realestate_crm::host::HostError> {
        Ok(match crate::fields::fields_as_text(value) {
            Some(fields) => Self {
                inner: Inner::Fields(fields),
            },
            None => Self {
                inner: Inner::Value(realestate_crm::host::to_value(value)?),
            },
        })
    }

    fn is_array(&self) -> bool {
        matches!(&self.inner, Inner::Value(Value::Array(_)))
    }
}

/// A value as a view (objects, arrays) or a Python scalar.
pub fn view<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    match value {
        Value::Object(_) | Value::Array(_) => Ok(Bound::new(
            py,
            JsonView {
                inner: Inner::Value(value.clone()),
            },
        )?
        .into_any()),
        scalar => to_py(py, scalar),
    }
}

/// An owned value as a view (no copy).
pub fn into_view(py: Python<'_>, value: Value) -> PyResult<Bound<'_, PyAny>> {
    match value {
        Value::Object(_) | Value::Array(_) => Ok(Bound::new(
            py,
            JsonView {
                inner: Inner::Value(value),
            },
        )?
        .into_any()),
        scalar => to_py(py, &scalar),
    }
}

impl JsonView {
    fn item(&self, key: &Bound<'_, PyAny>) -> PyResult<Option<Value>> {
        match &self.inner {
            Inner::Fields(fields) => Ok(match key.cast::<PyString>() {
                Ok(k) => {
                    let k = k.to_cow()?;
                    fields.iter().find(|(n, _)| *n == k).map(|(_, t)| parse(t))
                }
                Err(_) => None,
            }),
            Inner::Value(Value::Object(map)) => match key.cast::<PyString>() {
                Ok(k) => Ok(map.get(k.to_cow()?.as_ref()).cloned()),
                Err(_) => Ok(None),
            },
            Inner::Value(Value::Array(items)) => {
                let i: isize = key
                    .extract()
                    .map_err(|_| PyTypeError::new_err("list indices must be integers"))?;
                let len = isize::try_from(items.len()).unwrap_or(isize::MAX);
                let idx = if i < 0 { i + len } else { i };
                Ok(usize::try_from(idx)
                    .ok()
                    .and_then(|i| items.get(i))
                    .cloned())
            }
            Inner::Value(_) => Ok(None),
        }
    }
}

#[pymethods]
impl JsonView {
    fn __getitem__<'py>(
        &self,
        py: Python<'py>,
        key: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match self.item(key)? {
            Some(v) => into_view(py, v),
            None if self.is_array() => Err(PyIndexError::new_err("index out of range")),
            None => Err(PyKeyError::new_err(key.clone().unbind())),
        }
    }

    /// The value at `key`, or `default`.
    #[pyo3(signature = (key, default = None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        key: &Bound<'py, PyAny>,
        default: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match self.item(key)? {
            Some(v) => into_view(py, v),
            None => Ok(default.unwrap_or_else(|| py.None().into_bound(py))),
        }
    }

    fn __contains__(&self, key: &Bound<'_, PyAny>) -> PyResult<bool> {
        match &self.inner {
            Inner::Fields(fields) => Ok(key
                .cast::<PyString>()
                .ok()
                .and_then(|k| k.to_cow().ok().map(|k| fields.iter().any(|(n, _)| *n == k)))
                .unwrap_or(false)),
            Inner::Value(Value::Object(map)) => Ok(key
                .cast::<PyString>()
                .ok()
                .and_then(|k| k.to_cow().ok().map(|k| map.contains_key(k.as_ref())))
                .unwrap_or(false)),
            Inner::Value(Value::Array(items)) => {
                let py = key.py();
                for v in items {
                    if view(py, v)?.eq(key)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            _ => Ok(false),
        }
    }

    fn __len__(&self) -> usize {
        match &self.inner {
            Inner::Fields(fields) => fields.len(),
            Inner::Value(Value::Object(map)) => map.len(),
            Inner::Value(Value::Array(items)) => items.len(),
            Inner::Value(_) => 0,
        }
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let list = if self.is_array() {
            self.values(py)?
        } else {
            self.keys(py)?
        };
        list.as_any().try_iter().map(Bound::into_any)
    }

    /// The keys of an object (empty for an array).
    fn keys<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        match &self.inner {
            Inner::Fields(fields) => {
                for (k, _) in fields {
                    list.append(k)?;
                }
            }
            Inner::Value(Value::Object(map)) => {
                for k in map.keys() {
                    list.append(k)?;
                }
            }
            Inner::Value(_) => {}
        }
        Ok(list)
    }

    /// The values of an object, or the items of an array.
    fn values<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        match &self.inner {
            Inner::Fields(fields) => {
                for (_, t) in fields {
                    list.append(into_view(py, parse(t))?)?;
                }
            }
            Inner::Value(Value::Object(map)) => {
                for v in map.values() {
                    list.append(view(py, v)?)?;
                }
            }
            Inner::Value(Value::Array(items)) => {
                for v in items {
                    list.append(view(py, v)?)?;
                }
            }
            Inner::Value(_) => {}
        }
        Ok(list)
    }

    /// The `(key, value)` pairs of an object.
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        match &self.inner {
            Inner::Fields(fields) => {
                for (k, t) in fields {
                    list.append((k, into_view(py, parse(t))?))?;
                }
            }
            Inner::Value(Value::Object(map)) => {
                for (k, v) in map {
                    list.append((k, view(py, v)?))?;
                }
            }
            Inner::Value(_) => {}
        }
        Ok(list)
    }

    /// The whole value as plain Python objects (`dict`, `list`, `str`, …).
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match &self.inner {
            Inner::Value(v) => to_py(py, v),
            Inner::Fields(_) => to_py(py, &self.whole()),
        }
    }

    /// The value as JSON text.
    fn to_json(&self) -> String {
        self.whole().to_string()
    }

    /// Whether the view is a JSON array.
    fn is_list(&self) -> bool {
        self.is_array()
    }

    fn __richcmp__<'py>(
        &self,
        other: &Bound<'py, PyAny>,
        op: CompareOp,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = other.py();
        let equal = match other.cast::<JsonView>() {
            Ok(o) => self.whole() == o.get().whole(),
            Err(_) => self.to_py(py)?.eq(other)?,
        };
        let out = match op {
            CompareOp::Eq => equal,
            CompareOp::Ne => !equal,
            _ => return Ok(py.NotImplemented().into_bound(py)),
        };
        Ok(pyo3::types::PyBool::new(py, out).to_owned().into_any())
    }

    fn __repr__(&self) -> String {
        let text = self.to_json();
        let short: String = text.chars().take(200).collect();
        if short.len() < text.len() {
            format!("JsonView({short}…)")
        } else {
            format!("JsonView({text})")
        }
    }
}
