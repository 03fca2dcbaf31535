//! How values travel between records and SQLite columns: instants as INTEGER microseconds,
//! versions as INTEGER, enums as their serde names, records as JSON text.

use crate::error::{Result, StoreError};
use crate::records::RecordKind;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// An instant as stored: microseconds since the Unix epoch.
pub(super) fn micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

/// A stored instant back.
pub(super) fn instant(kind: RecordKind, micros: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_micros(micros).ok_or_else(|| StoreError::Corrupt {
        kind,
        message: format!("{micros} µs is not an instant"),
    })
}

/// A version as stored. Versions past `i64::MAX` cannot be stored, so they never match one
/// (an update carrying one is a conflict).
pub(super) fn version(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// A stored version back.
pub(super) fn stored_version(kind: RecordKind, v: i64) -> Result<u64> {
    u64::try_from(v).map_err(|_| StoreError::Corrupt {
        kind,
        message: format!("stored version {v} is negative"),
    })
}

/// A record as JSON text.
pub(super) fn to_json<T: Serialize + ?Sized>(kind: RecordKind, value: &T) -> Result<String> {
    serde_json::to_string(value)
        .map_err(|e| StoreError::Backend(format!("a {kind} could not be written as JSON: {e}")))
}

/// A record back from its JSON text.
pub(super) fn from_json<T: DeserializeOwned>(kind: RecordKind, text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| crate::sql::corrupt_json(kind, e))
}

/// The serde name of a unit enum variant (`DealStatus::Accepted` → `accepted`), the form the
/// typed columns hold.
pub(super) fn enum_name<T: Serialize>(kind: RecordKind, value: &T) -> Result<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        Ok(other) => Ok(other.to_string()),
        Err(e) => Err(StoreError::Backend(format!(
            "a {kind} field could not be written: {e}"
        ))),
    }
}

/// A unit enum back from its serde name.
pub(super) fn from_enum_name<T: DeserializeOwned>(kind: RecordKind, name: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(name.to_owned()))
        .map_err(|e| crate::sql::corrupt_json(kind, e))
}
