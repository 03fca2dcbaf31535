//! Reading records and configuration from JSON, with the path of the first problem.

use crate::error::{ErrorCode, FieldError};
use serde::de::DeserializeOwned;

/// Reads a `T` from JSON text. On failure the error has code `input.json`, the path of the
/// offending field (`leads[3].budget.max`) and the line and column.
///
/// Reading checks shape only (types, required fields, known variants, no unknown fields);
/// call the record's `validate()` afterwards to check the values and report every problem.
///
/// ```
/// use crm_core::domain::{Agent, from_json};
/// let err = from_json::<Vec<Agent>>(r#"[{"id": 5}]"#).unwrap_err();
/// assert_eq!(err.code.as_str(), "input.json");
/// assert_eq!(err.path, "[0].id");
/// ```
pub fn from_json<T: DeserializeOwned>(json: &str) -> Result<T, FieldError> {
    // Text that reads is read straight; tracking the path costs an allocation per field, so
    // only text that fails is read again with it, for an error that names the field.
    if let Ok(value) = serde_json::from_str(json) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_str(json);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let path = if path == "." { String::new() } else { path };
        FieldError {
            path,
            code: ErrorCode::Json,
            message: inner.to_string(),
        }
    })?;
    de.end()
        .map_err(|e| FieldError::new(ErrorCode::Json, e.to_string()))?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        #[allow(dead_code)]
        n: u8,
    }

    #[test]
    fn reports_path_line_and_column() {
        let err = from_json::<Vec<Inner>>("[{\"n\": 1},\n {\"n\": 300}]").err();
        let err = err.unwrap_or_else(|| FieldError::new(ErrorCode::Required, ""));
        assert_eq!(err.code, ErrorCode::Json);
        assert_eq!(err.path, "[1].n");
        assert!(err.message.contains("line 2"), "{}", err.message);
        assert!(from_json::<Vec<Inner>>("[] trailing").is_err());
        assert!(from_json::<Vec<Inner>>("[{\"n\":1,\"m\":2}]").is_err());
        assert!(from_json::<Vec<Inner>>("").is_err());
    }
}
