//! Converting between records and columns: enums as their JSON names, versions as `bigint`,
//! documents as `jsonb`.

use crate::error::{Result, StoreError};
use crate::records::RecordKind;
use crate::sql::corrupt_json;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::Row;
use sqlx::postgres::PgRow;
use sqlx::types::Json;

/// An enum's JSON name (`"no_show"`), for a text column.
pub(super) fn name_of<T: Serialize>(kind: RecordKind, value: &T) -> Result<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        Ok(other) => Err(StoreError::Corrupt {
            kind,
            message: format!("{other} is not a name"),
        }),
        Err(e) => Err(corrupt_json(kind, e)),
    }
}

/// An enum from its JSON name.
pub(super) fn from_name<T: DeserializeOwned>(kind: RecordKind, name: String) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(name)).map_err(|e| corrupt_json(kind, e))
}

/// A version as the `bigint` it is compared with; one no row can hold when it does not fit.
pub(super) fn version_param(version: u64) -> i64 {
    i64::try_from(version).unwrap_or(-1)
}

/// A stored `bigint` version.
pub(super) fn version_of(kind: RecordKind, stored: i64) -> Result<u64> {
    u64::try_from(stored).map_err(|_| StoreError::Corrupt {
        kind,
        message: format!("stored version {stored} is negative"),
    })
}

/// The record in column `doc` of a row.
pub(super) fn doc<T: DeserializeOwned>(kind: RecordKind, row: &PgRow) -> Result<T> {
    json(kind, row, "doc")
}

/// The value in a JSON column of a row.
pub(super) fn json<T: DeserializeOwned>(kind: RecordKind, row: &PgRow, name: &str) -> Result<T> {
    row.try_get::<Json<T>, _>(name)
        .map(|Json(v)| v)
        .map_err(|e| StoreError::Corrupt {
            kind,
            message: e.to_string(),
        })
}

/// A column of a row.
pub(super) fn col<'r, T>(kind: RecordKind, row: &'r PgRow, name: &str) -> Result<T>
where
    T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    row.try_get::<T, _>(name).map_err(|e| StoreError::Corrupt {
        kind,
        message: e.to_string(),
    })
}
