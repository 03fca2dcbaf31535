//! Deals: a JSON document each, with status, lead, property and creation time as columns, and
//! the agents taking part in the `deal_agents` side table (to find deals by agent).

use super::{SqliteStore, codec, duplicate_id, error, missed_update, require};
use crate::error::{Result, StoreError};
use crate::prepare;
use crate::query::{DealQuery, Page};
use crate::records::RecordKind;
use crate::traits::DealStore;
use async_trait::async_trait;
use crm_core::domain::{Deal, DealId, TenantId};
use sqlx::QueryBuilder;
use sqlx::sqlite::{Sqlite, SqliteConnection};
use uuid::Uuid;

const KIND: RecordKind = RecordKind::Deal;

fn decode((doc, version): (String, i64)) -> Result<Deal> {
    let mut deal: Deal = codec::from_json(KIND, &doc)?;
    deal.version = codec::stored_version(KIND, version)?;
    Ok(deal)
}

/// The error for a write that broke a foreign key or a unique key, in the order the other
/// stores check: the lead, the property, then the deal's own id.
async fn diagnose(
    conn: &mut SqliteConnection,
    tenant: Uuid,
    deal: &Deal,
    err: sqlx::Error,
) -> StoreError {
    let checks = async {
        require(
            conn,
            "leads",
            RecordKind::Lead,
            tenant,
            deal.lead_id.as_uuid(),
        )
        .await?;
        require(
            conn,
            "properties",
            RecordKind::Property,
            tenant,
            deal.property_id.as_uuid(),
        )
        .await
    };
    match checks.await {
        Err(e) => e,
        Ok(()) if error::is_unique(&err) => duplicate_id(KIND, deal.id.as_uuid()),
        Ok(()) => error::map(KIND, err),
    }
}

/// Replaces the deal's rows in `deal_agents`.
async fn set_agents(
    conn: &mut SqliteConnection,
    tenant: Uuid,
    deal: Uuid,
    agents: &[Uuid],
) -> Result<()> {
    sqlx::query("DELETE FROM deal_agents WHERE tenant_id = ? AND deal_id = ?")
        .bind(tenant)
        .bind(deal)
        .execute(&mut *conn)
        .await
        .map_err(error::db(KIND))?;
    if agents.is_empty() {
        return Ok(());
    }
    let mut qb =
        QueryBuilder::<Sqlite>::new("INSERT INTO deal_agents (tenant_id, deal_id, agent_id) ");
    qb.push_values(agents, |mut b, agent| {
        b.push_bind(tenant).push_bind(deal).push_bind(*agent);
    });
    qb.build()
        .execute(&mut *conn)
        .await
        .map_err(error::db(KIND))?;
    Ok(())
}

#[async_trait]
impl DealStore for SqliteStore {
    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn insert_deal(&self, tenant: TenantId, deal: &Deal) -> Result<Deal> {
        let (mut deal, agents) = prepare::prepare_deal(deal)?;
        deal.version = 1;
        let doc = codec::to_json(KIND, &deal)?;
        let status = codec::enum_name(KIND, &deal.status)?;
        let tenant = tenant.as_uuid();
        let mut tx = self.write(KIND).await?;
        let inserted = sqlx::query(
            "INSERT INTO deals (tenant_id, id, doc, status, lead_id, property_id, created_at, version) \
             VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
        )
        .bind(tenant)
        .bind(deal.id.as_uuid())
        .bind(doc)
        .bind(status)
        .bind(deal.lead_id.as_uuid())
        .bind(deal.property_id.as_uuid())
        .bind(codec::micros(deal.created_at))
        .execute(&mut *tx)
        .await;
        if let Err(e) = inserted {
            return Err(if error::is_unique(&e) || error::is_foreign_key(&e) {
                diagnose(&mut tx, tenant, &deal, e).await
            } else {
                error::map(KIND, e)
            });
        }
        set_agents(&mut tx, tenant, deal.id.as_uuid(), &agents).await?;
        tx.commit().await.map_err(error::db(KIND))?;
        Ok(deal)
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn get_deal(&self, tenant: TenantId, id: DealId) -> Result<Option<Deal>> {
        let row: Option<(String, i64)> =
            sqlx::query_as("SELECT doc, version FROM deals WHERE tenant_id = ? AND id = ?")
                .bind(tenant.as_uuid())
                .bind(id.as_uuid())
                .fetch_optional(&self.pool)
                .await
                .map_err(error::db(KIND))?;
        row.map(decode).transpose()
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn update_deal(&self, tenant: TenantId, deal: &Deal) -> Result<Deal> {
        let (mut deal, agents) = prepare::prepare_deal(deal)?;
        let expected = deal.version;
        deal.version = expected.saturating_add(1);
        let doc = codec::to_json(KIND, &deal)?;
        let status = codec::enum_name(KIND, &deal.status)?;
        let (tenant, id) = (tenant.as_uuid(), deal.id.as_uuid());
        let mut tx = self.write(KIND).await?;
        let updated = sqlx::query(
            "UPDATE deals SET doc = ?, status = ?, lead_id = ?, property_id = ?, created_at = ?, \
             version = version + 1 WHERE tenant_id = ? AND id = ? AND version = ?",
        )
        .bind(doc)
        .bind(status)
        .bind(deal.lead_id.as_uuid())
        .bind(deal.property_id.as_uuid())
        .bind(codec::micros(deal.created_at))
        .bind(tenant)
        .bind(id)
        .bind(codec::version(expected))
        .execute(&mut *tx)
        .await;
        match updated {
            Ok(done) if done.rows_affected() == 0 => {
                return Err(missed_update(&mut tx, "deals", KIND, tenant, id, expected).await);
            }
            Ok(_) => {}
            Err(e) if error::is_foreign_key(&e) => {
                return Err(diagnose(&mut tx, tenant, &deal, e).await);
            }
            Err(e) => return Err(error::map(KIND, e)),
        }
        set_agents(&mut tx, tenant, id, &agents).await?;
        tx.commit().await.map_err(error::db(KIND))?;
        Ok(deal)
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn find_deals(&self, tenant: TenantId, query: &DealQuery) -> Result<Page<Deal>> {
        let limit = prepare::page_size(&query.page)?;
        let mut qb = QueryBuilder::<Sqlite>::new(
            "SELECT d.doc, d.version FROM deals d WHERE d.tenant_id = ",
        );
        qb.push_bind(tenant.as_uuid());
        if let Some(status) = &query.status {
            qb.push(" AND d.status = ")
                .push_bind(codec::enum_name(KIND, status)?);
        }
        if let Some(lead) = query.lead_id {
            qb.push(" AND d.lead_id = ").push_bind(lead.as_uuid());
        }
        if let Some(property) = query.property_id {
            qb.push(" AND d.property_id = ")
                .push_bind(property.as_uuid());
        }
        if let Some(agent) = query.agent {
            qb.push(
                " AND EXISTS (SELECT 1 FROM deal_agents a WHERE a.tenant_id = d.tenant_id \
                 AND a.deal_id = d.id AND a.agent_id = ",
            )
            .push_bind(agent.as_uuid())
            .push(")");
        }
        if let Some(from) = query.created_from {
            qb.push(" AND d.created_at >= ")
                .push_bind(codec::micros(prepare::micros(from)));
        }
        if let Some(to) = query.created_to {
            qb.push(" AND d.created_at < ")
                .push_bind(codec::micros(prepare::micros(to)));
        }
        if let Some(after) = query.page.after {
            qb.push(" AND (d.created_at, d.id) > (")
                .push_bind(codec::micros(after.at))
                .push(", ")
                .push_bind(after.id)
                .push(")");
        }
        qb.push(" ORDER BY d.created_at, d.id LIMIT ")
            .push_bind(i64::from(limit) + 1);
        let rows: Vec<(String, i64)> = qb
            .build_query_as()
            .fetch_all(&self.pool)
            .await
            .map_err(error::db(KIND))?;
        let items = rows.into_iter().map(decode).collect::<Result<Vec<_>>>()?;
        Ok(prepare::finish_page(items, limit, |d| {
            (d.created_at, d.id.as_uuid())
        }))
    }
}
