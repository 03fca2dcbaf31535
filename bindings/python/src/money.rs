//! Money: rounding, allocation, rates, currencies, checked arithmetic.

use crate::convert::{decimal_arg, py_decimal};
use crate::errors::run;
use pyo3::prelude::*;
use realestate_crm::host::{HostError, from_value};
use realestate_crm::{Currency, Money, Rate, RoundingMode, allocate as core_allocate};

fn mode(name: &str) -> Result<RoundingMode, HostError> {
    from_value::<RoundingMode>(serde_json::Value::String(name.to_owned())).map_err(|e| e.at("mode"))
}

/// `value` rounded to `places` decimals with a named mode (`half_even`, `half_up`,
/// `half_down`, `down`, `up`, `floor`, `ceiling`).
#[pyfunction]
#[pyo3(signature = (value, places = 2, mode_name = "half_even"))]
pub fn round_decimal<'py>(
    value: &Bound<'py, PyAny>,
    places: u32,
    mode_name: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let py = value.py();
    let out = run(py, || {
        let v = decimal_arg(value).map_err(|e| e.at("value"))?;
        Ok(mode(mode_name)?.round(v, places))
    })?;
    py_decimal(py, &out)
}

/// Splits `total` (in `currency`) by `weights` so the parts sum exactly to the total.
#[pyfunction]
pub fn allocate<'py>(
    total: &Bound<'py, PyAny>,
    currency: &str,
    weights: Vec<Bound<'py, PyAny>>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let py = total.py();
    let parts = run(py, || {
        let t = decimal_arg(total).map_err(|e| e.at("total"))?;
        let cur = Currency::parse(currency).map_err(|e| HostError::from(e.at("currency")))?;
        let w = weights
            .iter()
            .enumerate()
            .map(|(i, w)| decimal_arg(w).map_err(|e| e.at(&format!("weights[{i}]"))))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(core_allocate(Money::new(t, cur), &w)?)
    })?;
    parts.iter().map(|p| py_decimal(py, &p.amount())).collect()
}

/// A rate as people write it (`"6%"`, `"6,5 %"`, `"0.065"`) as its fraction.
#[pyfunction]
pub fn parse_rate<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let r = run(py, || Rate::parse(text).map_err(HostError::from))?;
    py_decimal(py, &r.value())
}

/// `(code, minor_units)` of an ISO 4217 currency.
#[pyfunction]
pub fn currency_info(py: Python<'_>, code: &str) -> PyResult<(&'static str, u32)> {
    let c = run(py, || Currency::parse(code).map_err(HostError::from))?;
    Ok((c.code(), c.minor_units()))
}

/// `left ± right` in one currency: `(amount, currency)`; different currencies raise
/// `money.currency_mismatch`.
#[pyfunction]
pub fn money_op<'py>(
    op: &str,
    left: &Bound<'py, PyAny>,
    left_currency: &str,
    right: &Bound<'py, PyAny>,
    right_currency: &str,
) -> PyResult<(Bound<'py, PyAny>, &'static str)> {
    let py = left.py();
    let m = run(py, || {
        let l = Money::new(
            decimal_arg(left).map_err(|e| e.at("left"))?,
            Currency::parse(left_currency).map_err(HostError::from)?,
        );
        let r = Money::new(
            decimal_arg(right).map_err(|e| e.at("right"))?,
            Currency::parse(right_currency).map_err(HostError::from)?,
        );
        Ok(match op {
            "sub" => l.checked_sub(r)?,
            _ => l.checked_add(r)?,
        })
    })?;
    Ok((py_decimal(py, &m.amount())?, m.currency().code()))
}

/// Checks a decimal argument: gives it back as a `Decimal` or raises (a float raises
/// `validation.money.format`).
#[pyfunction]
pub fn to_decimal<'py>(value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let py = value.py();
    let d = run(py, || decimal_arg(value))?;
    py_decimal(py, &d)
}
