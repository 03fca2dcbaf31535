//! Core errors as Python exceptions: the class comes from `realestate_crm.errors` by the
//! error's category (`ValidationError`, `ConflictError`, …, all subclasses of `CrmError`), with
//! `code`, `message`, `path` and `errors` set.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyModule};
use realestate_crm::host::{HostError, guard};

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// The Python exception for a host error.
pub fn to_pyerr(py: Python<'_>, e: HostError) -> PyErr {
    match build(py, &e) {
        Ok(err) => err,
        Err(import_failed) => PyRuntimeError::new_err(format!(
            "{e} (and realestate_crm.errors could not be loaded: {import_failed})"
        )),
    }
}

fn build(py: Python<'_>, e: &HostError) -> PyResult<PyErr> {
    let module =
        ERRORS.get_or_try_init(py, || py.import("realestate_crm.errors").map(Bound::unbind))?;
    let cls = module.bind(py).getattr(e.category().class_name())?;
    let errors = PyList::empty(py);
    for f in &e.errors {
        let d = PyDict::new(py);
        d.set_item("path", &f.path)?;
        d.set_item("code", f.code.as_str())?;
        d.set_item("message", &f.message)?;
        errors.append(d)?;
    }
    let instance = cls.call1((&e.code, &e.message, e.path.as_deref(), errors))?;
    Ok(PyErr::from_value(instance))
}

/// Runs `f` under the panic guard and turns its error into the Python exception.
pub fn run<T>(py: Python<'_>, f: impl FnOnce() -> Result<T, HostError>) -> PyResult<T> {
    guard(f).map_err(|e| to_pyerr(py, e))
}

/// Runs `f` with the interpreter released (other Python threads run meanwhile), under the
/// panic guard.
pub fn run_detached<T: Send>(
    py: Python<'_>,
    f: impl FnOnce() -> Result<T, HostError> + Send,
) -> PyResult<T> {
    py.detach(|| guard(f)).map_err(|e| to_pyerr(py, e))
}

/// A Python error raised while reading input, as an `input.json` error.
pub fn input_error(e: PyErr) -> HostError {
    HostError::input("", e.to_string())
}
