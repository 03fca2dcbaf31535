//! Small checks shared by the records' `validate` methods.

use crate::error::{ErrorCode, FieldError, ValidationErrors};
use crate::money::Money;
use chrono::{DateTime, Utc};

/// Longest name, street or city the records accept, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest free-text note the records accept, in characters.
pub const MAX_NOTE_CHARS: usize = 10_000;

/// Whether an optional text field holds something other than whitespace.
pub(crate) fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A required text: not blank, at most `max` characters.
pub(crate) fn required_text(errors: &mut ValidationErrors, path: &str, value: &str, max: usize) {
    if value.trim().is_empty() {
        errors.push(FieldError::new(ErrorCode::Required, "is required").at(path));
    } else {
        text_length(errors, path, value, max);
    }
}

/// An optional text: at most `max` characters when given.
pub(crate) fn optional_text(
    errors: &mut ValidationErrors,
    path: &str,
    value: &Option<String>,
    max: usize,
) {
    if let Some(v) = value {
        text_length(errors, path, v, max);
    }
}

fn text_length(errors: &mut ValidationErrors, path: &str, value: &str, max: usize) {
    let chars = value.chars().count();
    if chars > max {
        errors.push(
            FieldError::new(
                ErrorCode::TextTooLong,
                format!("has {chars} characters; at most {max} are allowed"),
            )
            .at(path),
        );
    }
}

/// An optional value parsed with `parse` when present and not blank.
pub(crate) fn optional_parsed<T>(
    errors: &mut ValidationErrors,
    path: &str,
    value: &Option<String>,
    parse: impl FnOnce(&str) -> Result<T, FieldError>,
) -> Option<T> {
    present(value).and_then(|v| errors.check(path, parse(v)))
}

/// An amount that must be above zero.
pub(crate) fn positive_money(errors: &mut ValidationErrors, path: &str, value: &Money) {
    if value.is_negative() || value.is_zero() {
        errors.push(
            FieldError::new(
                ErrorCode::NumberRange,
                format!("must be above zero, found {value}"),
            )
            .at(path),
        );
    }
}

/// An amount that must not be negative.
pub(crate) fn non_negative_money(errors: &mut ValidationErrors, path: &str, value: &Option<Money>) {
    if let Some(v) = value.filter(Money::is_negative) {
        errors.push(
            FieldError::new(
                ErrorCode::MoneyNegative,
                format!("must not be negative, found {v}"),
            )
            .at(path),
        );
    }
}

/// `later` must not come before `earlier`.
pub(crate) fn not_before(
    errors: &mut ValidationErrors,
    path: &str,
    later: DateTime<Utc>,
    earlier_name: &str,
    earlier: DateTime<Utc>,
) {
    if later < earlier {
        errors.push(
            FieldError::new(
                ErrorCode::DateOrder,
                format!("{later} is before {earlier_name} ({earlier})"),
            )
            .at(path),
        );
    }
}
