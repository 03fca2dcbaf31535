//! Tenant scoping: every statement of the store runs where `crm.tenant_id` is the call's
//! tenant, for the row-level security policies, and for no longer than the call.

use super::PgStore;
use super::error::on;
use crate::error::{Result, StoreError};
use crate::records::RecordKind;
use crm_core::domain::TenantId;
use serde::de::DeserializeOwned;
use sqlx::types::Json;
use sqlx::{Postgres, Row, Transaction};
use uuid::Uuid;

/// How many times a transaction that lost a deadlock or a serialization check is run again.
pub(super) const RETRIES: usize = 3;

/// `BEGIN` and the tenant setting for the transaction, as one simple-protocol message (one
/// round trip). The tenant is a UUID, written by `uuid` as hex digits and hyphens only, so it
/// is safe inside the literal.
fn begin_sql(tenant: TenantId) -> String {
    format!(
        "BEGIN; SELECT set_config('crm.tenant_id', '{}', true)",
        tenant.as_uuid().hyphenated()
    )
}

impl PgStore {
    /// A transaction in which row-level security shows this tenant's rows only.
    pub(super) async fn begin(
        &self,
        tenant: TenantId,
    ) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        self.pool.begin_with(begin_sql(tenant)).await
    }

    /// A record's `doc` by id in one round trip and one statement: `SELECT {function}($1, $2)`,
    /// where the function (migration 0003) sets the tenant for the statement's own implicit
    /// transaction and reads the row.
    pub(super) async fn doc_by_id<T: DeserializeOwned>(
        &self,
        kind: RecordKind,
        function: &str,
        tenant: TenantId,
        id: Uuid,
    ) -> Result<Option<T>> {
        let sql = format!("SELECT {function}($1, $2) AS doc");
        let row = sqlx::query(&sql)
            .bind(tenant.as_uuid())
            .bind(id)
            .fetch_one(&self.pool)
            .await
            .map_err(on(kind, id))?;
        let doc: Option<Json<T>> = row.try_get("doc").map_err(|e| StoreError::Corrupt {
            kind,
            message: e.to_string(),
        })?;
        Ok(doc.map(|Json(v)| v))
    }
}
