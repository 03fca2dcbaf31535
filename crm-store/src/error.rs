//! The store's error: every failure carries one of the catalogue's stable `store.*` codes (or,
//! for a record that fails validation, the record's own `validation.*` codes with their paths).

use crate::records::RecordKind;
use crm_core::{ErrorCode, FieldError, ValidationErrors};
use uuid::Uuid;

/// Anything a store call can fail with. [`StoreError::code`] is the stable code hosts match on.
///
/// ```
/// use crm_store::{StoreError, RecordKind};
/// let err = StoreError::Conflict { kind: RecordKind::Deal, id: uuid::Uuid::nil(), expected: 3, actual: Some(4) };
/// assert_eq!(err.code().as_str(), "store.conflict");
/// assert!(err.to_string().contains("version 3"));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The record (or a query's argument) is invalid; every problem with its path.
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    /// The record to change, or one a new record refers to, is not in this tenant.
    #[error("no {kind} {id} in this tenant")]
    NotFound {
        /// What was looked for.
        kind: RecordKind,
        /// Its id.
        id: Uuid,
    },
    /// An update carried a stale version.
    #[error("{kind} {id} was changed by someone else: the update carried version {expected}, the store holds {}", .actual.map_or_else(|| "none".to_owned(), |v| v.to_string()))]
    Conflict {
        /// What was updated.
        kind: RecordKind,
        /// Its id.
        id: Uuid,
        /// The version the update carried (the one it read).
        expected: u64,
        /// The stored version, when known.
        actual: Option<u64>,
    },
    /// A new record repeats a stored one's id or unique key.
    #[error("{kind} {existing} already holds {what}")]
    Duplicate {
        /// What was inserted.
        kind: RecordKind,
        /// The stored record that holds the key.
        existing: Uuid,
        /// Which key: `id`, or `portal lead id zap:123`.
        what: String,
    },
    /// A ledger entry whose postings do not sum to zero.
    #[error("ledger entry {id} is not balanced: {message}")]
    LedgerUnbalanced {
        /// The entry's id.
        id: Uuid,
        /// What is wrong.
        message: String,
    },
    /// The server could not be reached or did not answer in time.
    #[error("the store is unavailable: {0}")]
    Unavailable(String),
    /// Credentials or role refused.
    #[error("the database refused the credentials: {0}")]
    Auth(String),
    /// The schema is not the one this build expects.
    #[error("the database schema does not match this build: {0}")]
    Migration(String),
    /// A URL or option is wrong.
    #[error("bad store configuration: {0}")]
    Config(String),
    /// A stored row could not be read back.
    #[error("a stored {kind} could not be read: {message}")]
    Corrupt {
        /// What was read.
        kind: RecordKind,
        /// Why it failed.
        message: String,
    },
    /// Any other database error, in the database's words.
    #[error("database error: {0}")]
    Backend(String),
}

impl StoreError {
    /// The stable machine code (`store.conflict`, `validation.cpf.check_digit`, …).
    pub fn code(&self) -> ErrorCode {
        match self {
            StoreError::Validation(errors) => errors
                .errors()
                .first()
                .map_or(ErrorCode::Required, |e| e.code),
            StoreError::NotFound { .. } => ErrorCode::StoreNotFound,
            StoreError::Conflict { .. } => ErrorCode::StoreConflict,
            StoreError::Duplicate { .. } => ErrorCode::StoreDuplicate,
            StoreError::LedgerUnbalanced { .. } => ErrorCode::StoreLedgerUnbalanced,
            StoreError::Unavailable(_) => ErrorCode::StoreUnavailable,
            StoreError::Auth(_) => ErrorCode::StoreAuth,
            StoreError::Migration(_) => ErrorCode::StoreMigration,
            StoreError::Config(_) => ErrorCode::StoreConfig,
            StoreError::Corrupt { .. } => ErrorCode::StoreCorrupt,
            StoreError::Backend(_) => ErrorCode::StoreBackend,
        }
    }

    /// The field problems (for [`StoreError::Validation`]); empty otherwise.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            StoreError::Validation(errors) => errors.errors(),
            _ => &[],
        }
    }

    /// Whether retrying the same call later may succeed (the server was unreachable or slow).
    pub fn is_transient(&self) -> bool {
        matches!(self, StoreError::Unavailable(_))
    }

    /// One bad argument at `path`.
    pub(crate) fn invalid(error: FieldError, path: &str) -> Self {
        StoreError::Validation(ValidationErrors::from(error.at(path)))
    }
}

impl From<FieldError> for StoreError {
    fn from(e: FieldError) -> Self {
        StoreError::Validation(ValidationErrors::from(e))
    }
}

impl From<crm_core::Error> for StoreError {
    fn from(e: crm_core::Error) -> Self {
        match e {
            crm_core::Error::Invalid(f) => f.into(),
            crm_core::Error::Validation(v) => v.into(),
            other => StoreError::Validation(ValidationErrors::from(FieldError::new(
                other.code(),
                other.to_string(),
            ))),
        }
    }
}

/// Shorthand for store results.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
