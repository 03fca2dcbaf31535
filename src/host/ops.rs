//! JSON-level entry points that every binding exposes the same way: a request as a JSON value
//! in, a result as a JSON value out, errors as [`HostError`]s.

use super::{HostError, from_value, to_value};
use crate::ErrorCode;
use crate::domain::{Activity, Agent, Deal, Lead, Property, Validate, Visit};
use crate::pricing::{
    AffordabilityRequest, ClosingCostRequest, Comparable, FinancingTerms, RatioPair,
    RentAdjustmentRequest, adjust_rent, affordability, closing_costs, price_per_m2_stats,
    ratio_study, simulate,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The pricing calculators by name: `financing` (a [`FinancingTerms`] → its schedule),
/// `affordability`, `rent_adjustment`, `closing_costs`, `ratio_study` (a list of pairs) and
/// `price_per_m2` (a list of comparables).
///
/// ```
/// use realestate_crm::host::ops::pricing;
/// use serde_json::json;
/// let out = pricing("financing", json!({"system": "price", "principal": "100000.00",
///     "rate": {"monthly": "0.01"}, "term_months": 12, "first_due": "2026-02-10"})).unwrap();
/// assert_eq!(out["lines"].as_array().map(Vec::len), Some(12));
/// ```
pub fn pricing(calculator: &str, input: Value) -> Result<Value, HostError> {
    match calculator {
        "financing" => to_value(&simulate(&from_value::<FinancingTerms>(input)?)?),
        "affordability" => to_value(&affordability(&from_value::<AffordabilityRequest>(input)?)?),
        "rent_adjustment" => to_value(&adjust_rent(&from_value::<RentAdjustmentRequest>(input)?)?),
        "closing_costs" => to_value(&closing_costs(&from_value::<ClosingCostRequest>(input)?)?),
        "ratio_study" => to_value(&ratio_study(&from_value::<Vec<RatioPair>>(input)?)?),
        "price_per_m2" => to_value(&price_per_m2_stats(&from_value::<Vec<Comparable>>(input)?)?),
        other => Err(HostError::input(
            "",
            format!(
                "unknown calculator `{}`; expected financing, affordability, rent_adjustment, closing_costs, ratio_study or price_per_m2",
                other.chars().take(40).collect::<String>()
            ),
        )),
    }
}

/// The kinds of record a host can validate by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    /// [`Lead`].
    Lead,
    /// [`Property`].
    Property,
    /// [`Deal`].
    Deal,
    /// [`Activity`].
    Activity,
    /// [`Agent`].
    Agent,
    /// [`Visit`].
    Visit,
}

impl RecordKind {
    /// The kind named `lead`, `property`, `deal`, `activity`, `agent` or `visit`.
    pub fn parse(name: &str) -> Result<Self, HostError> {
        Ok(match name {
            "lead" => Self::Lead,
            "property" => Self::Property,
            "deal" => Self::Deal,
            "activity" => Self::Activity,
            "agent" => Self::Agent,
            "visit" => Self::Visit,
            other => {
                return Err(HostError::input(
                    "",
                    format!(
                        "unknown record kind `{}`",
                        other.chars().take(40).collect::<String>()
                    ),
                ));
            }
        })
    }
}

fn problems_of<T: DeserializeOwned + Validate>(
    value: Value,
) -> Result<Vec<crate::FieldError>, HostError> {
    let record: T = from_value(value)?;
    Ok(match record.validate() {
        Ok(()) => Vec::new(),
        Err(errors) => errors.errors().to_vec(),
    })
}

/// Every problem of one record (shape problems are the `Err`; value problems the list, empty
/// when the record is valid).
pub fn record_problems(
    kind: RecordKind,
    value: Value,
) -> Result<Vec<crate::FieldError>, HostError> {
    match kind {
        RecordKind::Lead => problems_of::<Lead>(value),
        RecordKind::Property => problems_of::<Property>(value),
        RecordKind::Deal => problems_of::<Deal>(value),
        RecordKind::Activity => problems_of::<Activity>(value),
        RecordKind::Agent => problems_of::<Agent>(value),
        RecordKind::Visit => problems_of::<Visit>(value),
    }
}

fn reload<T: DeserializeOwned + Serialize>(value: Value) -> Result<Value, HostError> {
    to_value(&from_value::<T>(value)?)
}

/// The record read and written back: its canonical JSON form (defaults filled in, fields in
/// the core's order), or a shape error.
pub fn record_round_trip(kind: RecordKind, value: Value) -> Result<Value, HostError> {
    match kind {
        RecordKind::Lead => reload::<Lead>(value),
        RecordKind::Property => reload::<Property>(value),
        RecordKind::Deal => reload::<Deal>(value),
        RecordKind::Activity => reload::<Activity>(value),
        RecordKind::Agent => reload::<Agent>(value),
        RecordKind::Visit => reload::<Visit>(value),
    }
}

/// The canonical copy of a valid lead, agent or property to store (E.164 phone, bare CPF, CEP
/// digits, …), or every problem of the record.
pub fn record_normalized(kind: RecordKind, value: Value) -> Result<Value, HostError> {
    match kind {
        RecordKind::Lead => to_value(&from_value::<Lead>(value)?.normalized()?),
        RecordKind::Property => to_value(&from_value::<Property>(value)?.normalized()?),
        RecordKind::Agent => to_value(&from_value::<Agent>(value)?.normalized()?),
        _ => Err(HostError::new(
            ErrorCode::Json,
            "only leads, properties and agents have a normalized form",
        )),
    }
}
