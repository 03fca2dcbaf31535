//! Lead routing's shared state: cursors and counters changed by single atomic upserts, and the
//! routing state document saved with compare-and-swap on its version.

use super::{SqliteStore, codec, error};
use crate::error::{Result, StoreError};
use crate::prepare;
use crate::records::{RecordKind, Versioned};
use crate::traits::RoutingStateStore;
use async_trait::async_trait;
use crm_core::domain::TenantId;
use crm_core::workflow::routing::RoutingState;

const KIND: RecordKind = RecordKind::RoutingState;

#[async_trait]
impl RoutingStateStore for SqliteStore {
    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn next_cursor(&self, tenant: TenantId, key: &str) -> Result<u64> {
        prepare::check_key(key)?;
        let taken: i64 = sqlx::query_scalar(
            "INSERT INTO routing_cursors (tenant_id, key, value) VALUES (?, ?, 1) \
             ON CONFLICT (tenant_id, key) DO UPDATE SET value = value + 1 RETURNING value - 1",
        )
        .bind(tenant.as_uuid())
        .bind(key)
        .fetch_one(&self.pool)
        .await
        .map_err(error::db(KIND))?;
        u64::try_from(taken).map_err(|_| StoreError::Corrupt {
            kind: KIND,
            message: format!("cursor `{key}` holds {taken}"),
        })
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn add_to_counter(&self, tenant: TenantId, key: &str, delta: i64) -> Result<i64> {
        prepare::check_key(key)?;
        // Saturating, as the other stores: SQLite would turn an overflowing sum into a float.
        sqlx::query_scalar(
            "INSERT INTO routing_counters (tenant_id, key, value) VALUES (?1, ?2, ?3) \
             ON CONFLICT (tenant_id, key) DO UPDATE SET value = CASE \
               WHEN ?3 > 0 AND value > ?4 - ?3 THEN ?4 \
               WHEN ?3 < 0 AND value < ?5 - ?3 THEN ?5 \
               ELSE value + ?3 END \
             RETURNING value",
        )
        .bind(tenant.as_uuid())
        .bind(key)
        .bind(delta)
        .bind(i64::MAX)
        .bind(i64::MIN)
        .fetch_one(&self.pool)
        .await
        .map_err(error::db(KIND))
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn counter(&self, tenant: TenantId, key: &str) -> Result<i64> {
        prepare::check_key(key)?;
        let value: Option<i64> = sqlx::query_scalar(
            "SELECT value FROM routing_counters WHERE tenant_id = ? AND key = ?",
        )
        .bind(tenant.as_uuid())
        .bind(key)
        .fetch_optional(&self.pool)
        .await
        .map_err(error::db(KIND))?;
        Ok(value.unwrap_or(0))
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn load_routing_state(&self, tenant: TenantId) -> Result<Versioned<RoutingState>> {
        let row: Option<(String, i64)> =
            sqlx::query_as("SELECT doc, version FROM routing_state WHERE tenant_id = ?")
                .bind(tenant.as_uuid())
                .fetch_optional(&self.pool)
                .await
                .map_err(error::db(KIND))?;
        match row {
            None => Ok(Versioned::default()),
            Some((doc, version)) => Ok(Versioned {
                value: codec::from_json(KIND, &doc)?,
                version: codec::stored_version(KIND, version)?,
            }),
        }
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn save_routing_state(
        &self,
        tenant: TenantId,
        state: &RoutingState,
        expected_version: u64,
    ) -> Result<u64> {
        let doc = codec::to_json(KIND, state)?;
        let id = tenant.as_uuid();
        let next = expected_version.saturating_add(1);
        let mut tx = self.write(KIND).await?;
        let stored: Option<i64> =
            sqlx::query_scalar("SELECT version FROM routing_state WHERE tenant_id = ?")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(error::db(KIND))?;
        let stored = stored
            .map(|v| codec::stored_version(KIND, v))
            .transpose()?
            .unwrap_or(0);
        if stored != expected_version {
            return Err(StoreError::Conflict {
                kind: KIND,
                id,
                expected: expected_version,
                actual: Some(stored),
            });
        }
        sqlx::query(
            "INSERT INTO routing_state (tenant_id, doc, version) VALUES (?, ?, ?) \
             ON CONFLICT (tenant_id) DO UPDATE SET doc = excluded.doc, version = excluded.version",
        )
        .bind(id)
        .bind(doc)
        .bind(codec::version(next))
        .execute(&mut *tx)
        .await
        .map_err(error::db(KIND))?;
        tx.commit().await.map_err(error::db(KIND))?;
        Ok(next)
    }
}
