//! Loading core types from JSON values with the path of the first shape problem, and writing
//! results back to JSON values.

use super::HostError;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Reads a `T` from a JSON value (built by a binding from host objects). A shape problem is an
/// `input.json` error at the failing path (`participants[1].role`).
///
/// ```
/// use realestate_crm::host::from_value;
/// use realestate_crm::domain::Agent;
/// let err = from_value::<Vec<Agent>>(serde_json::json!([{"id": 5}])).unwrap_err();
/// assert_eq!((err.code.as_str(), err.path.as_deref()), ("input.json", Some("[0].id")));
/// ```
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, HostError> {
    from_ref(&value)
}

/// [`from_value`] on a borrowed value: the fast path reads it directly; only a value that
/// fails is read again with path tracking, so the error names the failing field.
pub fn from_ref<T: DeserializeOwned>(value: &Value) -> Result<T, HostError> {
    match T::deserialize(value) {
        Ok(v) => Ok(v),
        Err(_) => match serde_path_to_error::deserialize(value) {
            Ok(v) => Ok(v),
            Err(e) => Err(HostError::from(e)),
        },
    }
}

/// Writes a result as a JSON value (decimals as strings, dates as ISO 8601 text).
pub fn to_value<T: Serialize>(value: &T) -> Result<Value, HostError> {
    serde_json::to_value(value).map_err(|e| {
        HostError::new(
            crate::ErrorCode::Panic,
            format!("a result could not be written as JSON: {e}"),
        )
    })
}
