//! Lead routing state: cursors and counters as rows updated atomically by
//! `INSERT … ON CONFLICT DO UPDATE … RETURNING`, and the routing document with a version for
//! compare-and-swap.

use super::PgStore;
use super::error::on;
use super::rows::{json, version_of, version_param};
use crate::error::{Result, StoreError};
use crate::prepare;
use crate::records::{RecordKind, Versioned};
use crate::traits::RoutingStateStore;
use async_trait::async_trait;
use crm_core::domain::TenantId;
use crm_core::workflow::routing::RoutingState;
use sqlx::types::Json;

const KIND: RecordKind = RecordKind::RoutingState;

impl PgStore {
    /// Adds `delta` to the row `kind`/`key` (created at `delta`), saturating at the bounds of
    /// `bigint` as the memory store does; returns the new value.
    async fn bump(&self, tenant: TenantId, kind: &str, key: &str, delta: i64) -> Result<i64> {
        prepare::check_key(key)?;
        let fail = on(KIND, tenant.as_uuid());
        let mut tx = self.begin(tenant).await.map_err(&fail)?;
        let value: i64 = sqlx::query_scalar(
            "INSERT INTO routing_counters AS c (tenant_id, kind, key, value) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (tenant_id, kind, key) DO UPDATE SET value = \
               LEAST(GREATEST(c.value::numeric + EXCLUDED.value, -9223372036854775808), \
                     9223372036854775807)::bigint \
             RETURNING value",
        )
        .bind(tenant.as_uuid())
        .bind(kind)
        .bind(key)
        .bind(delta)
        .fetch_one(&mut *tx)
        .await
        .map_err(&fail)?;
        tx.commit().await.map_err(&fail)?;
        Ok(value)
    }
}

#[async_trait]
impl RoutingStateStore for PgStore {
    #[tracing::instrument(skip_all, fields(tenant = %tenant, key = key))]
    async fn next_cursor(&self, tenant: TenantId, key: &str) -> Result<u64> {
        let after = self.bump(tenant, "cursor", key, 1).await?;
        // The value before this call's increment.
        version_of(KIND, after.saturating_sub(1))
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant, key = key))]
    async fn add_to_counter(&self, tenant: TenantId, key: &str, delta: i64) -> Result<i64> {
        self.bump(tenant, "counter", key, delta).await
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant, key = key))]
    async fn counter(&self, tenant: TenantId, key: &str) -> Result<i64> {
        prepare::check_key(key)?;
        let fail = on(KIND, tenant.as_uuid());
        let mut tx = self.begin(tenant).await.map_err(&fail)?;
        let value: Option<i64> = sqlx::query_scalar(
            "SELECT value FROM routing_counters \
             WHERE tenant_id = $1 AND kind = 'counter' AND key = $2",
        )
        .bind(tenant.as_uuid())
        .bind(key)
        .fetch_optional(&mut *tx)
        .await
        .map_err(&fail)?;
        tx.commit().await.map_err(&fail)?;
        Ok(value.unwrap_or(0))
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn load_routing_state(&self, tenant: TenantId) -> Result<Versioned<RoutingState>> {
        let fail = on(KIND, tenant.as_uuid());
        let mut tx = self.begin(tenant).await.map_err(&fail)?;
        let row = sqlx::query("SELECT doc, version FROM routing_state WHERE tenant_id = $1")
            .bind(tenant.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .map_err(&fail)?;
        tx.commit().await.map_err(&fail)?;
        match row {
            None => Ok(Versioned::default()),
            Some(row) => Ok(Versioned {
                value: json(KIND, &row, "doc")?,
                version: version_of(KIND, super::rows::col(KIND, &row, "version")?)?,
            }),
        }
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant, expected = expected_version))]
    async fn save_routing_state(
        &self,
        tenant: TenantId,
        state: &RoutingState,
        expected_version: u64,
    ) -> Result<u64> {
        let id = tenant.as_uuid();
        let fail = on(KIND, id);
        let mut tx = self.begin(tenant).await.map_err(&fail)?;
        let saved: Option<i64> = if expected_version == 0 {
            sqlx::query_scalar(
                "INSERT INTO routing_state (tenant_id, doc, version) VALUES ($1, $2, 1) \
                 ON CONFLICT DO NOTHING RETURNING version",
            )
            .bind(id)
            .bind(Json(state))
            .fetch_optional(&mut *tx)
            .await
        } else {
            sqlx::query_scalar(
                "UPDATE routing_state SET doc = $2, version = version + 1 \
                 WHERE tenant_id = $1 AND version = $3 RETURNING version",
            )
            .bind(id)
            .bind(Json(state))
            .bind(version_param(expected_version))
            .fetch_optional(&mut *tx)
            .await
        }
        .map_err(&fail)?;
        match saved {
            Some(version) => {
                tx.commit().await.map_err(&fail)?;
                version_of(KIND, version)
            }
            None => {
                let actual: Option<i64> =
                    sqlx::query_scalar("SELECT version FROM routing_state WHERE tenant_id = $1")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(&fail)?;
                let _ = tx.rollback().await;
                let actual = version_of(KIND, actual.unwrap_or(0))?;
                Err(StoreError::Conflict {
                    kind: KIND,
                    id,
                    expected: expected_version,
                    actual: Some(actual),
                })
            }
        }
    }
}
