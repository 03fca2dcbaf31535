//! The lookups that explain why a write touched no row: a stale version, a missing parent.

use super::error::on;
use super::rows::version_of;
use crate::error::StoreError;
use crate::records::RecordKind;
use crm_core::domain::TenantId;
use sqlx::PgConnection;
use uuid::Uuid;

/// Why an optimistic update touched no row: the record is absent (`store.not_found`) or holds
/// another version (`store.conflict`).
pub(super) async fn stale(
    tx: &mut PgConnection,
    table: &str,
    kind: RecordKind,
    tenant: TenantId,
    id: Uuid,
    expected: u64,
) -> StoreError {
    let sql = format!("SELECT version FROM {table} WHERE tenant_id = $1 AND id = $2");
    match sqlx::query_scalar::<_, i64>(&sql)
        .bind(tenant.as_uuid())
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
    {
        Ok(None) => StoreError::NotFound { kind, id },
        Ok(Some(actual)) => match version_of(kind, actual) {
            Ok(actual) => StoreError::Conflict {
                kind,
                id,
                expected,
                actual: Some(actual),
            },
            Err(e) => e,
        },
        Err(e) => on(kind, id)(e),
    }
}

/// The first of `parents` (kind, table, id) that is not in this tenant, as `store.not_found`.
pub(super) async fn missing_parent(
    conn: &mut PgConnection,
    tenant: TenantId,
    parents: &[(RecordKind, &str, Uuid)],
) -> Result<Option<StoreError>, sqlx::Error> {
    for (kind, table, id) in parents {
        let sql = format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE tenant_id = $1 AND id = $2)");
        let found: bool = sqlx::query_scalar(&sql)
            .bind(tenant.as_uuid())
            .bind(*id)
            .fetch_one(&mut *conn)
            .await?;
        if !found {
            return Ok(Some(StoreError::NotFound {
                kind: *kind,
                id: *id,
            }));
        }
    }
    Ok(None)
}
