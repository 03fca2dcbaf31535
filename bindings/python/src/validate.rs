//! Documents and contact data: one value at a time, and whole columns at once.

use crate::errors::{run, run_detached, to_pyerr};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyFloat, PyList, PyString};
use realestate_crm::host::{self, HostError, ValueKind};
use realestate_crm::{
    Cep, Cnpj, Cpf, Creci, CreciKind, Document, Email, FieldError, Phone, PhoneKind, PhoneOptions,
    Uf,
};

fn field(py: Python<'_>, e: FieldError) -> PyErr {
    to_pyerr(py, HostError::from(e))
}

/// A text argument: a `str` (anything else is a coded `input.json` error, not a bare
/// `TypeError`), with lone surrogates refused.
fn arg<'a>(py: Python<'_>, s: &'a Bound<'_, PyAny>) -> PyResult<std::borrow::Cow<'a, str>> {
    let s = s.cast::<PyString>().map_err(|_| {
        let name = s
            .get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_default();
        to_pyerr(
            py,
            HostError::input("", format!("expected a str, not {name}")),
        )
    })?;
    crate::convert::text(s).map_err(|e| to_pyerr(py, e))
}

/// `(bare, formatted)` of a CPF.
#[pyfunction]
#[pyo3(signature = (value, allow_repeated = false))]
pub fn parse_cpf(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
    allow_repeated: bool,
) -> PyResult<(String, String)> {
    let s = arg(py, value)?;
    let parsed = if allow_repeated {
        Cpf::parse_lenient(&s)
    } else {
        Cpf::parse(&s)
    };
    let v = parsed.map_err(|e| field(py, e))?;
    Ok((v.as_str().to_owned(), v.formatted()))
}

/// `(bare, formatted)` of a CNPJ.
#[pyfunction]
pub fn parse_cnpj(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<(String, String)> {
    let v = Cnpj::parse(&arg(py, value)?).map_err(|e| field(py, e))?;
    Ok((v.as_str().to_owned(), v.formatted()))
}

/// `(kind, bare, formatted)` of a CPF or CNPJ; kind is `"cpf"` or `"cnpj"`.
#[pyfunction]
pub fn parse_document(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
) -> PyResult<(&'static str, String, String)> {
    let v = Document::parse(&arg(py, value)?).map_err(|e| field(py, e))?;
    let kind = if v.is_cpf() { "cpf" } else { "cnpj" };
    Ok((kind, v.as_str().to_owned(), v.formatted()))
}

/// `(bare, formatted, uf)` of a CEP; `uf` is `None` outside the range table.
#[pyfunction]
pub fn parse_cep(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
) -> PyResult<(String, String, Option<&'static str>)> {
    let v = Cep::parse(&arg(py, value)?).map_err(|e| field(py, e))?;
    Ok((v.as_str().to_owned(), v.formatted(), v.uf().map(Uf::code)))
}

/// `(code, name)` of a state.
#[pyfunction]
pub fn parse_uf(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
) -> PyResult<(&'static str, &'static str)> {
    let v = Uf::parse(&arg(py, value)?).map_err(|e| field(py, e))?;
    Ok((v.code(), v.name()))
}

fn phone_kind(kind: PhoneKind) -> &'static str {
    match kind {
        PhoneKind::Mobile => "mobile",
        PhoneKind::Landline => "landline",
        _ => "foreign",
    }
}

/// `(e164, kind, formatted)` of a phone; kind is `mobile`, `landline` or `foreign`.
#[pyfunction]
#[pyo3(signature = (value, repair_legacy_mobile = false))]
pub fn parse_phone(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
    repair_legacy_mobile: bool,
) -> PyResult<(String, &'static str, String)> {
    let v = Phone::parse_with(
        &arg(py, value)?,
        PhoneOptions {
            repair_legacy_mobile,
        },
    )
    .map_err(|e| field(py, e))?;
    Ok((v.as_str().to_owned(), phone_kind(v.kind()), v.formatted()))
}

/// `(normalized, match_key)` of an e-mail address.
#[pyfunction]
pub fn parse_email(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<(String, String)> {
    let v = Email::parse(&arg(py, value)?).map_err(|e| field(py, e))?;
    Ok((v.as_str().to_owned(), v.match_key()))
}

/// `(uf, number, kind, formatted)` of a CRECI; kind is `"F"`, `"J"` or `None`.
#[pyfunction]
pub fn parse_creci(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
) -> PyResult<(&'static str, u32, Option<&'static str>, String)> {
    let v = Creci::parse(&arg(py, value)?).map_err(|e| field(py, e))?;
    let kind = v.kind().map(|k| match k {
        CreciKind::Company => "J",
        _ => "F",
    });
    Ok((v.uf().code(), v.number(), kind, v.formatted()))
}

fn kind_of(py: Python<'_>, kind: &str) -> PyResult<ValueKind> {
    ValueKind::parse(kind).map_err(|e| field(py, e))
}

/// Whether `value` is a valid value of `kind`; anything that is not a `str` is not.
#[pyfunction]
pub fn is_valid(kind: &str, value: &Bound<'_, PyAny>) -> PyResult<bool> {
    let py = value.py();
    let kind = kind_of(py, kind)?;
    Ok(match value.cast::<PyString>() {
        Ok(s) => match s.to_cow() {
            Ok(text) => host::check(kind, &text).is_ok(),
            Err(_) => false,
        },
        Err(_) => false,
    })
}

/// Whether a CPF is valid (the fastest single check).
#[pyfunction]
pub fn is_valid_cpf(value: &Bound<'_, PyAny>) -> bool {
    value
        .cast::<PyString>()
        .is_ok_and(|s| s.to_cow().is_ok_and(|t| Cpf::is_valid(&t)))
}

/// The error code of one value, `None` when it is valid.
#[pyfunction]
pub fn check(kind: &str, value: &Bound<'_, PyAny>) -> PyResult<Option<&'static str>> {
    let py = value.py();
    let kind = kind_of(py, kind)?;
    let s = arg(py, value)?;
    Ok(host::check(kind, &s).err().map(|e| e.code.as_str()))
}

/// The canonical text of one value (bare CPF, E.164 phone, …); raises on an invalid one.
#[pyfunction]
pub fn canonical(kind: &str, value: &Bound<'_, PyAny>) -> PyResult<String> {
    let py = value.py();
    let kind = kind_of(py, kind)?;
    let s = arg(py, value)?;
    run(py, || host::canonical(kind, &s).map_err(HostError::from))
}

/// One item of a column: text, missing (None, NaN), or of a type no value can be.
enum Cell {
    Text(usize),
    Missing,
    WrongType,
}

/// Reads a column (a list, or any iterable of str) into owned references plus a map of cells.
fn column<'py>(values: &Bound<'py, PyAny>) -> PyResult<(Vec<Bound<'py, PyString>>, Vec<Cell>)> {
    let items: Bound<'py, PyList> = match values.cast::<PyList>() {
        Ok(l) => l.clone(),
        Err(_) => PyList::new(
            values.py(),
            values.try_iter()?.collect::<PyResult<Vec<_>>>()?,
        )?,
    };
    let mut strings = Vec::with_capacity(items.len());
    let mut cells = Vec::with_capacity(items.len());
    for item in items.iter() {
        if let Ok(s) = item.cast::<PyString>() {
            strings.push(s.clone());
            cells.push(Cell::Text(strings.len() - 1));
        } else if item.is_none() || item.cast::<PyFloat>().is_ok_and(|f| f.value().is_nan()) {
            cells.push(Cell::Missing);
        } else {
            let name = item
                .get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default();
            cells.push(if name == "NAType" || name == "NaTType" {
                Cell::Missing
            } else {
                Cell::WrongType
            });
        }
    }
    Ok((strings, cells))
}

/// Validates a whole column of `kind` with the interpreter released: `(valid, codes)` where
/// `valid` holds one byte per item (1 valid, 0 not; `numpy.frombuffer(valid, bool)`) and
/// `codes` the error code of each item (`None` when valid). A missing item (None, NaN) gets the
/// kind's blank code; an item that is not text gets `input.json`.
#[pyfunction]
pub fn check_many<'py>(
    py: Python<'py>,
    kind: &str,
    values: &Bound<'py, PyAny>,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyList>)> {
    let kind = kind_of(py, kind)?;
    let (strings, cells) = column(values)?;
    let texts: Vec<Option<&str>> = strings.iter().map(|s| s.to_str().ok()).collect();
    let blank_code = host::check(kind, "").err().map(|e| e.code.as_str());
    let results = run_detached(py, || {
        Ok(host::batch::map_parallel(&texts, |t| match t {
            Some(t) => host::check(kind, t).err().map(|e| e.code.as_str()),
            None => Some("input.json"),
        }))
    })?;
    let mut valid = Vec::with_capacity(cells.len());
    let codes = PyList::empty(py);
    for cell in &cells {
        let code = match cell {
            Cell::Text(i) => results.get(*i).copied().flatten(),
            Cell::Missing => blank_code,
            Cell::WrongType => Some("input.json"),
        };
        valid.push(u8::from(code.is_none()));
        codes.append(code)?;
    }
    Ok((PyBytes::new(py, &valid), codes))
}

/// The canonical text of every item of a column (`None` where invalid) and the codes, with the
/// interpreter released.
#[pyfunction]
pub fn canonical_many<'py>(
    py: Python<'py>,
    kind: &str,
    values: &Bound<'py, PyAny>,
) -> PyResult<(Bound<'py, PyList>, Bound<'py, PyList>)> {
    let kind = kind_of(py, kind)?;
    let (strings, cells) = column(values)?;
    let texts: Vec<Option<&str>> = strings.iter().map(|s| s.to_str().ok()).collect();
    let blank_code = host::check(kind, "").err().map(|e| e.code.as_str());
    let results = run_detached(py, || {
        Ok(host::batch::map_parallel(&texts, |t| match t {
            Some(t) => host::canonical(kind, t).map_err(|e| e.code.as_str()),
            None => Err("input.json"),
        }))
    })?;
    let out = PyList::empty(py);
    let codes = PyList::empty(py);
    for cell in &cells {
        let r: Result<&str, &str> = match cell {
            Cell::Text(i) => match results.get(*i) {
                Some(Ok(s)) => Ok(s.as_str()),
                Some(Err(c)) => Err(c),
                None => Err("input.json"),
            },
            Cell::Missing => Err(blank_code.unwrap_or("validation.required")),
            Cell::WrongType => Err("input.json"),
        };
        match r {
            Ok(s) => {
                out.append(s)?;
                codes.append(py.None())?;
            }
            Err(c) => {
                out.append(py.None())?;
                codes.append(c)?;
            }
        }
    }
    Ok((out, codes))
}
