//! Structured values cross as JSON text: the package writes them with `JSON.stringify` (Dates
//! become ISO 8601 instants), the core reads them with the failing path, and results go back
//! as text for `JSON.parse`. Numbers where the core keeps decimals are refused
//! (`realestate_crm::host::text`).

use chrono::{DateTime, NaiveDate, Utc};
use realestate_crm::host::{HostError, text};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Reads a core type from JSON text, errors placed below `path` (`deal`, `[3]`).
pub fn load<T: DeserializeOwned + Serialize>(json: &str, path: &str) -> Result<T, HostError> {
    text::from_text(json).map_err(|e| e.at(path))
}

/// Reads an optional argument (absent, or the text `null`) as `None`.
pub fn load_opt<T: DeserializeOwned + Serialize>(
    json: Option<&str>,
    path: &str,
) -> Result<Option<T>, HostError> {
    match json {
        None | Some("null") => Ok(None),
        Some(j) => load(j, path).map(Some),
    }
}

/// A result as JSON text.
pub fn out<T: Serialize>(value: &T) -> Result<String, HostError> {
    text::to_text(value)
}

/// An instant argument: RFC 3339 text (the package sends `Date#toISOString()`).
pub fn instant(value: &str, path: &str) -> Result<DateTime<Utc>, HostError> {
    DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| HostError::input(path, format!("not an RFC 3339 instant: {e}")))
}

/// A calendar-date argument: `YYYY-MM-DD`.
pub fn date(value: &str, path: &str) -> Result<NaiveDate, HostError> {
    value
        .parse::<NaiveDate>()
        .map_err(|e| HostError::input(path, format!("not a date (YYYY-MM-DD): {e}")))
}

/// An instant as RFC 3339 text in UTC.
pub fn instant_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}
