//! Agents: a `doc` with the record, `created_at` for the listing order.

use super::PgStore;
use super::checks::stale;
use super::error::on;
use super::rows::{doc, version_param};
use crate::error::{Result, StoreError};
use crate::prepare;
use crate::records::RecordKind;
use crate::traits::AgentStore;
use async_trait::async_trait;
use crm_core::domain::{Agent, AgentId, TenantId};
use sqlx::types::Json;

const KIND: RecordKind = RecordKind::Agent;

#[async_trait]
impl AgentStore for PgStore {
    #[tracing::instrument(skip_all, fields(tenant = %tenant, id = %agent.id))]
    async fn insert_agent(&self, tenant: TenantId, agent: &Agent) -> Result<Agent> {
        let mut agent = prepare::prepare_agent(agent)?;
        agent.version = 1;
        let id = agent.id.as_uuid();
        let mut tx = self.begin(tenant).await.map_err(on(KIND, id))?;
        let inserted = sqlx::query(
            "INSERT INTO agents (tenant_id, id, doc, created_at, version) \
             VALUES ($1, $2, $3, $4, 1) ON CONFLICT DO NOTHING",
        )
        .bind(tenant.as_uuid())
        .bind(id)
        .bind(Json(&agent))
        .bind(agent.created_at)
        .execute(&mut *tx)
        .await
        .map_err(on(KIND, id))?
        .rows_affected();
        tx.commit().await.map_err(on(KIND, id))?;
        if inserted == 0 {
            return Err(StoreError::Duplicate {
                kind: KIND,
                existing: id,
                what: "id".to_owned(),
            });
        }
        Ok(agent)
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant, id = %id))]
    async fn get_agent(&self, tenant: TenantId, id: AgentId) -> Result<Option<Agent>> {
        self.doc_by_id(KIND, "crm_agent_doc", tenant, id.as_uuid())
            .await
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant, id = %agent.id))]
    async fn update_agent(&self, tenant: TenantId, agent: &Agent) -> Result<Agent> {
        let mut agent = prepare::prepare_agent(agent)?;
        let expected = agent.version;
        agent.version = expected.saturating_add(1);
        let id = agent.id.as_uuid();
        let mut tx = self.begin(tenant).await.map_err(on(KIND, id))?;
        let updated = sqlx::query(
            "UPDATE agents SET doc = $3, created_at = $4, version = version + 1 \
             WHERE tenant_id = $1 AND id = $2 AND version = $5",
        )
        .bind(tenant.as_uuid())
        .bind(id)
        .bind(Json(&agent))
        .bind(agent.created_at)
        .bind(version_param(expected))
        .execute(&mut *tx)
        .await
        .map_err(on(KIND, id))?
        .rows_affected();
        if updated == 0 {
            let err = stale(&mut tx, "agents", KIND, tenant, id, expected).await;
            let _ = tx.rollback().await;
            return Err(err);
        }
        tx.commit().await.map_err(on(KIND, id))?;
        Ok(agent)
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn list_agents(&self, tenant: TenantId) -> Result<Vec<Agent>> {
        let fail = on(KIND, tenant.as_uuid());
        let mut tx = self.begin(tenant).await.map_err(&fail)?;
        let rows =
            sqlx::query("SELECT doc FROM agents WHERE tenant_id = $1 ORDER BY created_at, id")
                .bind(tenant.as_uuid())
                .fetch_all(&mut *tx)
                .await
                .map_err(&fail)?;
        tx.commit().await.map_err(&fail)?;
        rows.iter().map(|r| doc(KIND, r)).collect()
    }
}
