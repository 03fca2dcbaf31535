//! PostgreSQL's errors as [`StoreError`]s: SQLSTATE codes first, then what every SQL adapter
//! shares ([`crate::sql::classify`]).

use crate::error::StoreError;
use crate::records::RecordKind;
use sqlx::postgres::PgDatabaseError;
use uuid::Uuid;

/// `unique_violation`.
pub(super) const UNIQUE_VIOLATION: &str = "23505";

/// The SQLSTATE of a database error.
pub(super) fn sqlstate(err: &sqlx::Error) -> Option<String> {
    match err {
        sqlx::Error::Database(db) => db.code().map(|c| c.into_owned()),
        _ => None,
    }
}

/// Whether the transaction lost a deadlock or a serialization check and may simply be retried.
pub(super) fn is_retryable(err: &sqlx::Error) -> bool {
    matches!(sqlstate(err).as_deref(), Some("40001" | "40P01"))
}

/// The error mapper for a statement about one record (`kind` `id`).
pub(super) fn on(kind: RecordKind, id: Uuid) -> impl Fn(sqlx::Error) -> StoreError {
    move |err| classify(kind, id, err)
}

/// The store error for a failed statement about the record `kind` `id`.
pub(super) fn classify(kind: RecordKind, id: Uuid, err: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &err {
        let pg = db.try_downcast_ref::<PgDatabaseError>();
        let detail = pg.and_then(PgDatabaseError::detail).unwrap_or_default();
        let constraint = db.constraint().unwrap_or_default();
        match db.code().as_deref() {
            Some(UNIQUE_VIOLATION) => {
                let (existing, what) = if constraint == "leads_portal_key" {
                    (id, format!("a portal lead id ({detail})"))
                } else {
                    (last_uuid(detail).unwrap_or(id), "id".to_owned())
                };
                return StoreError::Duplicate {
                    kind,
                    existing,
                    what,
                };
            }
            Some("23503") => {
                return StoreError::NotFound {
                    kind: parent_of(constraint).unwrap_or(kind),
                    id: last_uuid(detail).unwrap_or(id),
                };
            }
            Some("40001" | "40P01") => {
                return StoreError::Conflict {
                    kind,
                    id,
                    expected: 0,
                    actual: None,
                };
            }
            _ => {}
        }
    }
    server_error(err).unwrap_or_else(|err| crate::sql::classify(kind, err))
}

/// The store error for a failure that is about the server rather than a record (credentials,
/// a missing database or table, the server going away), or the error back when it is not.
pub(super) fn server_error(err: sqlx::Error) -> Result<StoreError, sqlx::Error> {
    let sqlx::Error::Database(db) = &err else {
        return Err(err);
    };
    let message = db.message().to_owned();
    let Some(code) = db.code().map(|c| c.into_owned()) else {
        return Err(err);
    };
    Ok(match code.as_str() {
        "28P01" | "28000" => StoreError::Auth(message),
        "42501" => StoreError::Auth(format!(
            "{message} (the application role lacks a privilege: see migrations/postgres/0002_row_security.sql)"
        )),
        "3D000" => StoreError::Config(format!(
            "{message}: create the database, or fix the database name in the URL"
        )),
        "42P01" | "42703" | "42883" | "42704" => StoreError::Migration(format!(
            "{message}: the schema is not the one this build expects (run with migrate = true)"
        )),
        "57014" => StoreError::Unavailable(format!("{message} (statement timeout)")),
        c if c.starts_with("08") || c.starts_with("57P") || c == "53300" || c == "53400" => {
            StoreError::Unavailable(message)
        }
        _ => return Err(err),
    })
}

/// [`server_error`] with the shared classification as the fallback; for calls about no record.
pub(super) fn server(err: sqlx::Error) -> StoreError {
    server_error(err).unwrap_or_else(|err| match err {
        sqlx::Error::Database(db) => StoreError::Backend(db.to_string()),
        other => crate::sql::classify(RecordKind::Lead, other),
    })
}

/// The record kind a foreign key points at, by the constraint names of the migrations.
fn parent_of(constraint: &str) -> Option<RecordKind> {
    if constraint.ends_with("_lead_fk") {
        Some(RecordKind::Lead)
    } else if constraint.ends_with("_property_fk") {
        Some(RecordKind::Property)
    } else if constraint.ends_with("_agent_fk") {
        Some(RecordKind::Agent)
    } else {
        None
    }
}

/// The last UUID in an error detail such as `Key (tenant_id, lead_id)=(…, …) is not present`.
fn last_uuid(detail: &str) -> Option<Uuid> {
    detail
        .rsplit(|c: char| !(c.is_ascii_hexdigit() || c == '-'))
        .filter(|w| w.len() == 36)
        .find_map(|w| Uuid::try_parse(w).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_key_in_a_detail() {
        let d = "Key (tenant_id, lead_id)=(0190f5f4-8b1e-7c3a-9d2e-5a4b3c2d1e0f, 0190f5f4-8b1e-7c3a-9d2e-5a4b3c2d1e10) is not present in table \"leads\".";
        assert_eq!(
            last_uuid(d),
            Uuid::try_parse("0190f5f4-8b1e-7c3a-9d2e-5a4b3c2d1e10").ok()
        );
        assert_eq!(last_uuid("nothing here"), None);
        assert_eq!(parent_of("visits_agent_fk"), Some(RecordKind::Agent));
        assert_eq!(parent_of("deals_property_fk"), Some(RecordKind::Property));
        assert_eq!(parent_of("whatever"), None);
    }
}
