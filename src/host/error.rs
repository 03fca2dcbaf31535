//! The error envelope every binding raises: a stable code, a message, the path of the failing
//! field when there is one, and every field problem for validation errors.

use crate::{Error, ErrorCode, FieldError, ValidationErrors};
use serde::Serialize;
use std::fmt;

/// An error as a host sees it: `code` is a stable machine code from the catalogue
/// (`validation.cpf.check_digit`, `store.conflict`, `internal.panic`), `message` a sentence
/// for people, `path` the field it is about (the first problem's, for validation errors) and
/// `errors` every field problem, in the order found (empty for errors that are not about
/// fields, such as `money.currency_mismatch`).
///
/// ```
/// use realestate_crm::host::{ErrorCategory, HostError};
/// use realestate_crm::Cpf;
/// let err = HostError::from(Cpf::parse("123").unwrap_err());
/// assert_eq!(err.code, "validation.cpf.length");
/// assert_eq!(err.category(), ErrorCategory::Validation);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostError {
    /// The stable machine code.
    pub code: String,
    /// A sentence for people, in English.
    pub message: String,
    /// The field the error is about, when there is one (`contact.phone`, `[3].value`).
    pub path: Option<String>,
    /// Every field problem, in the order found.
    pub errors: Vec<FieldError>,
}

/// The family of an error, which bindings map to one exception class each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCategory {
    /// Bad input: every `validation.*` and `input.*` code.
    Validation,
    /// `store.conflict`: a stale version.
    Conflict,
    /// `store.not_found`.
    NotFound,
    /// `store.duplicate`.
    Duplicate,
    /// `store.unavailable`: the database could not be reached; retrying may work.
    StoreUnavailable,
    /// Any other `store.*` code.
    Store,
    /// `money.*`: currency mismatch, overflow, allocation problems.
    Money,
    /// `commission.*`: a statement the plan cannot pay.
    Commission,
    /// `pricing.*`: a calculation with no answer.
    Pricing,
    /// `workflow.*`: a refused move, a failing guard, a decision with no match.
    Workflow,
    /// `internal.*`: a bug caught at the boundary.
    Internal,
}

impl ErrorCategory {
    /// The category of a dotted code.
    pub fn of(code: &str) -> Self {
        match code {
            "store.conflict" => Self::Conflict,
            "store.not_found" => Self::NotFound,
            "store.duplicate" => Self::Duplicate,
            "store.unavailable" => Self::StoreUnavailable,
            _ => match code.split('.').next().unwrap_or_default() {
                "validation" | "input" => Self::Validation,
                "store" => Self::Store,
                "money" => Self::Money,
                "commission" => Self::Commission,
                "pricing" => Self::Pricing,
                "workflow" => Self::Workflow,
                _ => Self::Internal,
            },
        }
    }

    /// The exception class name bindings use for the category (`ValidationError`,
    /// `ConflictError`, …); every class derives from `CrmError`.
    pub fn class_name(self) -> &'static str {
        match self {
            Self::Validation => "ValidationError",
            Self::Conflict => "ConflictError",
            Self::NotFound => "NotFoundError",
            Self::Duplicate => "DuplicateError",
            Self::StoreUnavailable => "StoreUnavailableError",
            Self::Store => "StoreError",
            Self::Money => "MoneyError",
            Self::Commission => "CommissionError",
            Self::Pricing => "PricingError",
            Self::Workflow => "WorkflowError",
            Self::Internal => "InternalError",
        }
    }
}

impl HostError {
    /// An error with a code from the catalogue and no field problems.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code: code.as_str().to_owned(),
            message: message.into(),
            path: None,
            errors: Vec::new(),
        }
    }

    /// A bad-input error (`input.json`) at `path`, for values of the wrong type.
    pub fn input(path: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            path: path.into(),
            code: ErrorCode::Json,
            message: message.into(),
        }
        .into()
    }

    /// The error's category (which exception class a binding raises).
    pub fn category(&self) -> ErrorCategory {
        ErrorCategory::of(&self.code)
    }

    /// The same error with every path placed below `parent` (`[3]` + `value` → `[3].value`).
    #[must_use]
    pub fn at(mut self, parent: &str) -> Self {
        if parent.is_empty() {
            return self;
        }
        self.errors = self.errors.into_iter().map(|e| e.at(parent)).collect();
        self.path = Some(match self.path.as_deref() {
            None | Some("") => parent.to_owned(),
            Some(p) => join(parent, p),
        });
        self
    }
}

fn join(parent: &str, child: &str) -> String {
    if child.starts_with('[') {
        format!("{parent}{child}")
    } else {
        format!("{parent}.{child}")
    }
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.path.as_deref() {
            Some(p) if !p.is_empty() => write!(f, "{p}: {} ({})", self.message, self.code),
            _ => write!(f, "{} ({})", self.message, self.code),
        }
    }
}

impl std::error::Error for HostError {}

impl From<FieldError> for HostError {
    fn from(e: FieldError) -> Self {
        let path = (!e.path.is_empty()).then(|| e.path.clone());
        Self {
            code: e.code.as_str().to_owned(),
            message: e.message.clone(),
            path,
            errors: vec![e],
        }
    }
}

impl From<ValidationErrors> for HostError {
    fn from(errors: ValidationErrors) -> Self {
        let list = errors.errors().to_vec();
        let (code, path) = match list.first() {
            Some(first) => (
                first.code,
                (!first.path.is_empty()).then(|| first.path.clone()),
            ),
            None => (ErrorCode::Required, None),
        };
        Self {
            code: code.as_str().to_owned(),
            message: errors.to_string(),
            path,
            errors: list,
        }
    }
}

impl From<Error> for HostError {
    fn from(e: Error) -> Self {
        match e {
            Error::Invalid(f) => f.into(),
            Error::Validation(v) => v.into(),
            other => Self::new(other.code(), other.to_string()),
        }
    }
}

impl From<serde_path_to_error::Error<serde_json::Error>> for HostError {
    fn from(e: serde_path_to_error::Error<serde_json::Error>) -> Self {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        shape_error(path, e.into_inner().to_string())
    }
}

impl From<serde_json::Error> for HostError {
    fn from(e: serde_json::Error) -> Self {
        shape_error(String::new(), e.to_string())
    }
}

/// A record that does not read: `input.json`, except a JSON float where the core keeps an
/// exact decimal, which is `validation.money.format` in every host (the core's refusal says so
/// with [`FLOAT_REFUSED`](crate::money::FLOAT_REFUSED)).
fn shape_error(path: String, message: String) -> HostError {
    let code = if message.contains(crate::money::FLOAT_REFUSED) {
        ErrorCode::MoneyFormat
    } else {
        ErrorCode::Json
    };
    FieldError {
        path,
        code,
        message,
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_float_where_money_belongs_is_a_money_format_error_anywhere_in_a_record() {
        let err = crate::host::from_value::<crate::domain::Deal>(serde_json::json!({
            "value": {"amount": 1.5, "currency": "BRL"}
        }))
        .unwrap_err();
        assert_eq!(err.code, "validation.money.format");
        assert_eq!(err.path.as_deref(), Some("value.amount"));
        let err = crate::host::from_value::<crate::domain::Deal>(serde_json::json!({"id": 5}))
            .unwrap_err();
        assert_eq!(err.code, "input.json");
    }

    #[test]
    fn categories_follow_code_families() {
        assert_eq!(
            ErrorCategory::of("validation.cpf.length"),
            ErrorCategory::Validation
        );
        assert_eq!(ErrorCategory::of("input.json"), ErrorCategory::Validation);
        assert_eq!(ErrorCategory::of("store.conflict"), ErrorCategory::Conflict);
        assert_eq!(ErrorCategory::of("store.auth"), ErrorCategory::Store);
        assert_eq!(ErrorCategory::of("internal.panic"), ErrorCategory::Internal);
        assert_eq!(
            ErrorCategory::of("money.overflow").class_name(),
            "MoneyError"
        );
    }

    #[test]
    fn validation_errors_keep_every_problem_and_the_first_path() {
        let mut v = ValidationErrors::default();
        v.push(FieldError::new(ErrorCode::Required, "x").at("name"));
        v.push(FieldError::new(ErrorCode::EmailFormat, "y").at("contact.email"));
        let e = HostError::from(Error::Validation(v)).at("[2]");
        assert_eq!(e.code, "validation.required");
        assert_eq!(e.path.as_deref(), Some("[2].name"));
        assert_eq!(e.errors.len(), 2);
        assert_eq!(e.errors[1].path, "[2].contact.email");
    }
}
