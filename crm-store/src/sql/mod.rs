//! What the SQL adapters share: turning sqlx's errors into [`StoreError`]s. Database-specific
//! codes (unique violations, authentication) are classified by each adapter before falling
//! back to [`classify`].

use crate::error::StoreError;
use crate::records::RecordKind;

/// The store error for a sqlx error that the adapter did not classify itself.
pub(crate) fn classify(kind: RecordKind, err: sqlx::Error) -> StoreError {
    match err {
        sqlx::Error::Configuration(e) => StoreError::Config(e.to_string()),
        sqlx::Error::Io(e) => StoreError::Unavailable(e.to_string()),
        sqlx::Error::Tls(e) => StoreError::Unavailable(format!("TLS: {e}")),
        sqlx::Error::PoolTimedOut => {
            StoreError::Unavailable("no database connection became free in time".to_owned())
        }
        sqlx::Error::PoolClosed => {
            StoreError::Unavailable("the connection pool is closed".to_owned())
        }
        sqlx::Error::WorkerCrashed => {
            StoreError::Unavailable("the database worker stopped".to_owned())
        }
        sqlx::Error::Protocol(e) => StoreError::Unavailable(format!("protocol: {e}")),
        sqlx::Error::ColumnDecode { .. }
        | sqlx::Error::Decode(_)
        | sqlx::Error::ColumnNotFound(_)
        | sqlx::Error::ColumnIndexOutOfBounds { .. }
        | sqlx::Error::TypeNotFound { .. } => StoreError::Corrupt {
            kind,
            message: err.to_string(),
        },
        sqlx::Error::Migrate(e) => StoreError::Migration(e.to_string()),
        other => StoreError::Backend(other.to_string()),
    }
}

/// The store error for a JSON document that does not read back into its record.
pub(crate) fn corrupt_json(kind: RecordKind, err: serde_json::Error) -> StoreError {
    StoreError::Corrupt {
        kind,
        message: err.to_string(),
    }
}
