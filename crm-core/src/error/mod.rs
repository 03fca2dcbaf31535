//! Errors: one catalogue of stable codes ([`ErrorCode`]), one problem type ([`FieldError`]),
//! a list of problems ([`ValidationErrors`]) and the crate-wide [`Error`].
//!
//! # The catalogue
//!
#![doc = include_str!("../../../docs/error-codes.md")]

mod code;

pub use code::{ErrorCode, UnknownErrorCode};

use serde::{Deserialize, Serialize};
use std::fmt;

/// One problem with one value: where (`path`, dotted with `[i]` for list items, empty for a
/// bare value), what (`code`) and a message for people.
///
/// ```
/// use crm_core::{Cpf, ErrorCode};
/// let err = Cpf::parse("529.982.247-24").unwrap_err();
/// assert_eq!(err.code, ErrorCode::CpfCheckDigit);
/// let err = err.at("contact.document");
/// assert_eq!(err.path, "contact.document");
/// assert!(err.to_string().starts_with("contact.document: "));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub struct FieldError {
    /// Where the problem is, such as `contact.phone` or `consents[1].revoked_at`.
    pub path: String,
    /// The stable machine code.
    pub code: ErrorCode,
    /// A sentence for people, in English.
    pub message: String,
}

impl FieldError {
    /// A problem with a bare value (no path yet).
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            path: String::new(),
            code,
            message: message.into(),
        }
    }

    /// The same problem placed at `path`; a path it already had is kept below the new one
    /// (`contact` + `phone` → `contact.phone`).
    #[must_use]
    pub fn at(mut self, path: &str) -> Self {
        self.path = join_path(path, &self.path);
        self
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{} ({})", self.message, self.code)
        } else {
            write!(f, "{}: {} ({})", self.path, self.message, self.code)
        }
    }
}

pub(crate) fn join_path(parent: &str, child: &str) -> String {
    match (parent.is_empty(), child.is_empty()) {
        (true, _) => child.to_owned(),
        (_, true) => parent.to_owned(),
        _ if child.starts_with('[') => format!("{parent}{child}"),
        _ => format!("{parent}.{child}"),
    }
}

/// Every problem found in a record, in the order the fields were checked. Never empty when
/// returned as an error.
///
/// ```
/// use crm_core::{ErrorCode, FieldError, ValidationErrors};
/// let mut errors = ValidationErrors::default();
/// errors.push(FieldError::new(ErrorCode::Required, "a name is required").at("name"));
/// assert_eq!(errors.len(), 1);
/// assert!(errors.contains("name", ErrorCode::Required));
/// assert!(errors.into_result().is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ValidationErrors(Vec<FieldError>);

impl ValidationErrors {
    /// Adds one problem.
    pub fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    /// Adds a problem at `path` if `result` is an error; gives back the value otherwise.
    pub fn check<T>(&mut self, path: &str, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e.at(path));
                None
            }
        }
    }

    /// Adds a problem at `path` when `ok` is false.
    pub fn ensure(&mut self, ok: bool, path: &str, code: ErrorCode, message: impl Into<String>) {
        if !ok {
            self.0.push(FieldError::new(code, message).at(path));
        }
    }

    /// [`Self::ensure`] with a message built only when the check fails (for messages that
    /// format values, so a passing check allocates nothing).
    pub fn ensure_with<M: Into<String>>(
        &mut self,
        ok: bool,
        path: &str,
        code: ErrorCode,
        message: impl FnOnce() -> M,
    ) {
        if !ok {
            self.0.push(FieldError::new(code, message()).at(path));
        }
    }

    /// Adds every problem of a nested record under `path`.
    pub fn extend_at(&mut self, path: &str, nested: ValidationErrors) {
        self.0.extend(nested.0.into_iter().map(|e| e.at(path)));
    }

    /// Whether no problem was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many problems were found.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The problems, in the order found.
    pub fn errors(&self) -> &[FieldError] {
        &self.0
    }

    /// Whether a problem with this path and code was found.
    pub fn contains(&self, path: &str, code: ErrorCode) -> bool {
        self.0.iter().any(|e| e.path == path && e.code == code)
    }

    /// `Ok(())` when empty, the problems otherwise.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl IntoIterator for ValidationErrors {
    type Item = FieldError;
    type IntoIter = std::vec::IntoIter<FieldError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl From<FieldError> for ValidationErrors {
    fn from(e: FieldError) -> Self {
        Self(vec![e])
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_slice() {
            [] => f.write_str("no problems"),
            [one] => write!(f, "{one}"),
            [first, rest @ ..] => write!(f, "{first} (and {} more)", rest.len()),
        }
    }
}

impl std::error::Error for ValidationErrors {}

/// Any error the core returns. [`Error::code`] gives the stable code that hosts match on.
///
/// ```
/// use crm_core::{Error, ErrorCode, Money};
/// use rust_decimal_macros::dec;
/// let brl = Money::brl(dec!(10));
/// let usd = Money::new(dec!(10), "USD".parse().unwrap());
/// let err: Error = brl.checked_add(usd).unwrap_err();
/// assert_eq!(err.code(), ErrorCode::CurrencyMismatch);
/// assert_eq!(err.code().as_str(), "money.currency_mismatch");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// One bad value.
    #[error(transparent)]
    Invalid(#[from] FieldError),
    /// A record with one or more problems; the code is the first problem's.
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    /// Two amounts in different currencies were combined.
    #[error("cannot combine {left} with {right}")]
    CurrencyMismatch {
        /// The currency of the left operand.
        left: crate::Currency,
        /// The currency of the right operand.
        right: crate::Currency,
    },
    /// An arithmetic result out of the decimal range.
    #[error("{operation} overflowed the decimal range")]
    Overflow {
        /// What was being computed.
        operation: &'static str,
    },
}

impl Error {
    /// The stable machine code.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Invalid(e) => e.code,
            Error::Validation(errors) => errors
                .errors()
                .first()
                .map_or(ErrorCode::Required, |e| e.code),
            Error::CurrencyMismatch { .. } => ErrorCode::CurrencyMismatch,
            Error::Overflow { .. } => ErrorCode::Overflow,
        }
    }

    /// The field problems this error carries: one for [`Error::Invalid`], all of them for
    /// [`Error::Validation`], none otherwise.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            Error::Invalid(e) => vec![e.clone()],
            Error::Validation(errors) => errors.errors().to_vec(),
            _ => Vec::new(),
        }
    }
}

/// Shorthand for results whose error is the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join() {
        assert_eq!(join_path("", "phone"), "phone");
        assert_eq!(join_path("contact", ""), "contact");
        assert_eq!(join_path("contact", "phone"), "contact.phone");
        assert_eq!(
            join_path("consents", "[2].text_version"),
            "consents[2].text_version"
        );
        let e = FieldError::new(ErrorCode::Required, "x").at("b").at("a");
        assert_eq!(e.path, "a.b");
    }

    #[test]
    fn validation_errors_collect_and_display() {
        let mut errs = ValidationErrors::default();
        assert!(errs.clone().into_result().is_ok());
        errs.ensure(false, "name", ErrorCode::Required, "a name is required");
        errs.ensure(true, "email", ErrorCode::EmailFormat, "unused");
        let mut nested = ValidationErrors::default();
        nested.push(FieldError::new(ErrorCode::CepLength, "8 digits").at("cep"));
        errs.extend_at("address", nested);
        assert_eq!(errs.len(), 2);
        assert!(errs.contains("address.cep", ErrorCode::CepLength));
        assert_eq!(
            errs.to_string(),
            "name: a name is required (validation.required) (and 1 more)"
        );
        let err = Error::from(errs);
        assert_eq!(err.code(), ErrorCode::Required);
        assert_eq!(err.field_errors().len(), 2);
    }

    #[test]
    fn field_error_serialises_with_string_code() {
        let e =
            FieldError::new(ErrorCode::CpfLength, "expected 11 digits, found 10").at("document");
        let json = serde_json::to_string(&e).unwrap_or_default();
        assert_eq!(
            json,
            r#"{"path":"document","code":"validation.cpf.length","message":"expected 11 digits, found 10"}"#
        );
    }
}
