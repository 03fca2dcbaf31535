//! SQLite's errors as [`StoreError`]s. Unique and foreign-key violations need a look at the
//! stored rows to name the record in the way (the callers do that); a busy or locked database
//! is `store.unavailable`; the rest goes through [`crate::sql::classify`].

use crate::error::StoreError;
use crate::records::RecordKind;

/// SQLite's primary result codes this module tells apart.
const SQLITE_BUSY: i32 = 5;
const SQLITE_LOCKED: i32 = 6;
const SQLITE_READONLY: i32 = 8;
const SQLITE_IOERR: i32 = 10;
const SQLITE_CORRUPT: i32 = 11;
const SQLITE_FULL: i32 = 13;
const SQLITE_CANTOPEN: i32 = 14;
const SQLITE_NOTADB: i32 = 26;

/// The primary result code of a database error (SQLite reports extended codes; the primary
/// code is the low byte).
fn primary_code(err: &sqlx::Error) -> Option<i32> {
    let code = err.as_database_error()?.code()?;
    code.parse::<i32>().ok().map(|c| c & 0xff)
}

/// Whether the error is a UNIQUE or PRIMARY KEY violation.
pub(super) fn is_unique(err: &sqlx::Error) -> bool {
    err.as_database_error()
        .is_some_and(|e| e.kind() == sqlx::error::ErrorKind::UniqueViolation)
}

/// Whether the error is a FOREIGN KEY violation.
pub(super) fn is_foreign_key(err: &sqlx::Error) -> bool {
    err.as_database_error()
        .is_some_and(|e| e.kind() == sqlx::error::ErrorKind::ForeignKeyViolation)
}

/// The store error for a sqlx error met while working on a `kind` record.
pub(super) fn map(kind: RecordKind, err: sqlx::Error) -> StoreError {
    match primary_code(&err) {
        Some(SQLITE_BUSY | SQLITE_LOCKED) => StoreError::Unavailable(format!(
            "the SQLite database stayed locked by another writer: {err}"
        )),
        Some(SQLITE_IOERR | SQLITE_FULL) => {
            StoreError::Unavailable(format!("the SQLite database could not be written: {err}"))
        }
        Some(SQLITE_CORRUPT | SQLITE_NOTADB) => StoreError::Corrupt {
            kind,
            message: format!("the SQLite file is damaged: {err}"),
        },
        Some(SQLITE_READONLY) => {
            StoreError::Config(format!("the SQLite database is read-only: {err}"))
        }
        _ => crate::sql::classify(kind, err),
    }
}

/// A closure for `map_err` that maps with [`map`].
pub(super) fn db(kind: RecordKind) -> impl Fn(sqlx::Error) -> StoreError {
    move |err| map(kind, err)
}

/// The store error for a failure while opening the database at `target`.
pub(super) fn open_failed(target: &str, err: sqlx::Error) -> StoreError {
    match primary_code(&err) {
        Some(SQLITE_CANTOPEN) => StoreError::Config(format!(
            "cannot open or create the SQLite database {target} (does the directory exist, and may this process write to it?): {err}"
        )),
        Some(SQLITE_NOTADB) => {
            StoreError::Config(format!("{target} is not a SQLite database file: {err}"))
        }
        Some(SQLITE_READONLY) => StoreError::Config(format!(
            "the SQLite database {target} is read-only for this process: {err}"
        )),
        Some(SQLITE_BUSY | SQLITE_LOCKED) => StoreError::Unavailable(format!(
            "the SQLite database {target} stayed locked by another process: {err}"
        )),
        _ => match err {
            sqlx::Error::Migrate(e) => StoreError::Migration(format!(
                "migrating the SQLite database {target} failed: {e}"
            )),
            other => match crate::sql::classify(RecordKind::Agent, other) {
                StoreError::Backend(m) => {
                    StoreError::Backend(format!("opening the SQLite database {target} failed: {m}"))
                }
                mapped => mapped,
            },
        },
    }
}
