//! Shared conversions for the engine wrappers: arguments into core types, results out.

use crate::convert::{Options, config_json, to_json, to_py};
use crate::errors::to_pyerr;
use chrono::{DateTime, NaiveDate, Utc};
use pyo3::prelude::*;
use realestate_crm::host::{HostError, from_value, to_value};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Reads a core type from a Python object (dict, list, record, …): straight from the object
/// ([`crate::pyde`]); an object that does not read is read again through its JSON form, whose
/// error (code, message and path) is the one reported.
pub fn load<T: DeserializeOwned>(obj: &Bound<'_, PyAny>) -> Result<T, HostError> {
    match T::deserialize(crate::pyde::PyDe::new(obj)) {
        Ok(v) => Ok(v),
        Err(_) => from_value(to_json(obj, Options::default())?),
    }
}

/// Reads a core type from a Python object or JSON text.
pub fn load_config<T: DeserializeOwned>(obj: &Bound<'_, PyAny>) -> Result<T, HostError> {
    from_value(config_json(obj)?)
}

/// A result as plain Python objects (its JSON form).
pub fn out<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    let v = to_value(value).map_err(|e| to_pyerr(py, e))?;
    to_py(py, &v)
}

/// An instant argument: a timezone-aware `datetime` or RFC 3339 text.
pub fn instant(obj: &Bound<'_, PyAny>, what: &str) -> Result<DateTime<Utc>, HostError> {
    let v = to_json(obj, Options::default()).map_err(|e| e.at(what))?;
    let text = v
        .as_str()
        .ok_or_else(|| HostError::input(what, "expected a timezone-aware datetime"))?;
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| HostError::input(what, format!("not an RFC 3339 instant: {e}")))
}

/// A calendar-date argument: a `date` or ISO 8601 text (`2026-05-04`).
pub fn date(obj: &Bound<'_, PyAny>, what: &str) -> Result<NaiveDate, HostError> {
    let v = to_json(obj, Options::default()).map_err(|e| e.at(what))?;
    let text = v
        .as_str()
        .ok_or_else(|| HostError::input(what, "expected a datetime.date"))?;
    text.parse::<NaiveDate>()
        .map_err(|e| HostError::input(what, format!("not a date: {e}")))
}

/// A failed item of a batch as an exception object (returned, not raised).
pub fn error_object<'py>(py: Python<'py>, e: HostError) -> Bound<'py, PyAny> {
    to_pyerr(py, e).into_value(py).into_bound(py).into_any()
}

/// A result as a lazily converted view (objects and arrays), for results that are records.
pub fn out_view<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    let view = crate::view::JsonView::of(value).map_err(|e| to_pyerr(py, e))?;
    Ok(Bound::new(py, view)?.into_any())
}
