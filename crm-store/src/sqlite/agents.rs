//! Agents (brokers): a JSON document per agent, ordered by `created_at`.

use super::{SqliteStore, codec, duplicate_id, error, missed_update};
use crate::error::Result;
use crate::prepare;
use crate::records::RecordKind;
use crate::traits::AgentStore;
use async_trait::async_trait;
use crm_core::domain::{Agent, AgentId, TenantId};

const KIND: RecordKind = RecordKind::Agent;

/// An agent back from its document and version column.
fn decode((doc, version): (String, i64)) -> Result<Agent> {
    let mut agent: Agent = codec::from_json(KIND, &doc)?;
    agent.version = codec::stored_version(KIND, version)?;
    Ok(agent)
}

#[async_trait]
impl AgentStore for SqliteStore {
    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn insert_agent(&self, tenant: TenantId, agent: &Agent) -> Result<Agent> {
        let mut agent = prepare::prepare_agent(agent)?;
        agent.version = 1;
        let doc = codec::to_json(KIND, &agent)?;
        let mut conn = self.conn(KIND).await?;
        let inserted = sqlx::query(
            "INSERT INTO agents (tenant_id, id, doc, created_at, version) VALUES (?, ?, ?, ?, 1)",
        )
        .bind(tenant.as_uuid())
        .bind(agent.id.as_uuid())
        .bind(doc)
        .bind(codec::micros(agent.created_at))
        .execute(&mut *conn)
        .await;
        match inserted {
            Ok(_) => Ok(agent),
            Err(e) if error::is_unique(&e) => Err(duplicate_id(KIND, agent.id.as_uuid())),
            Err(e) => Err(error::map(KIND, e)),
        }
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn get_agent(&self, tenant: TenantId, id: AgentId) -> Result<Option<Agent>> {
        let row: Option<(String, i64)> =
            sqlx::query_as("SELECT doc, version FROM agents WHERE tenant_id = ? AND id = ?")
                .bind(tenant.as_uuid())
                .bind(id.as_uuid())
                .fetch_optional(&self.pool)
                .await
                .map_err(error::db(KIND))?;
        row.map(decode).transpose()
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn update_agent(&self, tenant: TenantId, agent: &Agent) -> Result<Agent> {
        let mut agent = prepare::prepare_agent(agent)?;
        let expected = agent.version;
        agent.version = expected.saturating_add(1);
        let doc = codec::to_json(KIND, &agent)?;
        let mut conn = self.conn(KIND).await?;
        let done = sqlx::query(
            "UPDATE agents SET doc = ?, created_at = ?, version = version + 1 \
             WHERE tenant_id = ? AND id = ? AND version = ?",
        )
        .bind(doc)
        .bind(codec::micros(agent.created_at))
        .bind(tenant.as_uuid())
        .bind(agent.id.as_uuid())
        .bind(codec::version(expected))
        .execute(&mut *conn)
        .await
        .map_err(error::db(KIND))?;
        if done.rows_affected() == 0 {
            let id = agent.id.as_uuid();
            return Err(
                missed_update(&mut conn, "agents", KIND, tenant.as_uuid(), id, expected).await,
            );
        }
        Ok(agent)
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn list_agents(&self, tenant: TenantId) -> Result<Vec<Agent>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT doc, version FROM agents WHERE tenant_id = ? ORDER BY created_at, id",
        )
        .bind(tenant.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(error::db(KIND))?;
        rows.into_iter().map(decode).collect()
    }
}
