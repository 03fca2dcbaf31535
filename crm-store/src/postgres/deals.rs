//! Deals: a `doc` plus status, lead, property, the agents taking part (`uuid[]`, GIN-indexed)
//! and the value (`numeric` and currency). The lead and the property must be in the tenant.

use super::PgStore;
use super::checks::{missing_parent, stale};
use super::error::on;
use super::rows::{doc, name_of, version_param};
use crate::error::{Result, StoreError};
use crate::prepare;
use crate::query::{DealQuery, Page};
use crate::records::RecordKind;
use crate::traits::DealStore;
use async_trait::async_trait;
use crm_core::domain::{Deal, DealId, TenantId};
use sqlx::postgres::PgArguments;
use sqlx::query::Query;
use sqlx::types::Json;
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

const KIND: RecordKind = RecordKind::Deal;

/// The projections of a deal, bound after `tenant_id` and `id`: doc, status, lead_id,
/// property_id, agent_ids, value, currency, created_at.
fn bind_deal<'q>(
    query: Query<'q, Postgres, PgArguments>,
    deal: &'q Deal,
    agents: Vec<Uuid>,
) -> Result<Query<'q, Postgres, PgArguments>> {
    Ok(query
        .bind(Json(deal))
        .bind(name_of(KIND, &deal.status)?)
        .bind(deal.lead_id.as_uuid())
        .bind(deal.property_id.as_uuid())
        .bind(agents)
        .bind(deal.value.amount())
        .bind(deal.value.currency().code())
        .bind(deal.created_at))
}

/// The parents a deal needs, in the order the memory store checks them.
fn parents(deal: &Deal) -> [(RecordKind, &'static str, Uuid); 2] {
    [
        (RecordKind::Lead, "leads", deal.lead_id.as_uuid()),
        (
            RecordKind::Property,
            "properties",
            deal.property_id.as_uuid(),
        ),
    ]
}

const PARENTS_EXIST: &str = "EXISTS (SELECT 1 FROM leads WHERE tenant_id = $1 AND id = $5) \
     AND EXISTS (SELECT 1 FROM properties WHERE tenant_id = $1 AND id = $6)";

#[async_trait]
impl DealStore for PgStore {
    #[tracing::instrument(skip_all, fields(tenant = %tenant, id = %deal.id))]
    async fn insert_deal(&self, tenant: TenantId, deal: &Deal) -> Result<Deal> {
        let (mut deal, agents) = prepare::prepare_deal(deal)?;
        deal.version = 1;
        let id = deal.id.as_uuid();
        let fail = on(KIND, id);
        let sql = format!(
            "INSERT INTO deals (tenant_id, id, doc, status, lead_id, property_id, agent_ids, \
             value, currency, created_at, version) \
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1 WHERE {PARENTS_EXIST} \
             ON CONFLICT DO NOTHING"
        );
        let query = bind_deal(
            sqlx::query(&sql).bind(tenant.as_uuid()).bind(id),
            &deal,
            agents,
        )?;
        let mut tx = self.begin(tenant).await.map_err(&fail)?;
        let inserted = query
            .execute(&mut *tx)
            .await
            .map_err(&fail)?
            .rows_affected();
        if inserted == 0 {
            let missing = missing_parent(&mut tx, tenant, &parents(&deal))
                .await
                .map_err(&fail)?;
            let _ = tx.rollback().await;
            return Err(missing.unwrap_or(StoreError::Duplicate {
                kind: KIND,
                existing: id,
                what: "id".to_owned(),
            }));
        }
        tx.commit().await.map_err(&fail)?;
        Ok(deal)
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant, id = %id))]
    async fn get_deal(&self, tenant: TenantId, id: DealId) -> Result<Option<Deal>> {
        self.doc_by_id(KIND, "crm_deal_doc", tenant, id.as_uuid())
            .await
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant, id = %deal.id))]
    async fn update_deal(&self, tenant: TenantId, deal: &Deal) -> Result<Deal> {
        let (mut deal, agents) = prepare::prepare_deal(deal)?;
        let expected = deal.version;
        deal.version = expected.saturating_add(1);
        let id = deal.id.as_uuid();
        let fail = on(KIND, id);
        let sql = format!(
            "UPDATE deals SET doc = $3, status = $4, lead_id = $5, property_id = $6, \
             agent_ids = $7, value = $8, currency = $9, created_at = $10, version = version + 1 \
             WHERE tenant_id = $1 AND id = $2 AND version = $11 AND {PARENTS_EXIST}"
        );
        let query = bind_deal(
            sqlx::query(&sql).bind(tenant.as_uuid()).bind(id),
            &deal,
            agents,
        )?
        .bind(version_param(expected));
        let mut tx = self.begin(tenant).await.map_err(&fail)?;
        let updated = query
            .execute(&mut *tx)
            .await
            .map_err(&fail)?
            .rows_affected();
        if updated == 0 {
            let err = match stale(&mut tx, "deals", KIND, tenant, id, expected).await {
                // The version matched: a parent is missing.
                StoreError::Conflict {
                    actual: Some(actual),
                    ..
                } if actual == expected => missing_parent(&mut tx, tenant, &parents(&deal))
                    .await
                    .map_err(&fail)?
                    .unwrap_or_else(|| {
                        StoreError::Backend(format!(
                            "deal {id} was not updated and nothing explains why: try again"
                        ))
                    }),
                other => other,
            };
            let _ = tx.rollback().await;
            return Err(err);
        }
        tx.commit().await.map_err(&fail)?;
        Ok(deal)
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn find_deals(&self, tenant: TenantId, query: &DealQuery) -> Result<Page<Deal>> {
        let limit = prepare::page_size(&query.page)?;
        let mut qb = QueryBuilder::<Postgres>::new("SELECT doc FROM deals WHERE tenant_id = ");
        qb.push_bind(tenant.as_uuid());
        if let Some(status) = &query.status {
            qb.push(" AND status = ").push_bind(name_of(KIND, status)?);
        }
        if let Some(lead) = query.lead_id {
            qb.push(" AND lead_id = ").push_bind(lead.as_uuid());
        }
        if let Some(property) = query.property_id {
            qb.push(" AND property_id = ").push_bind(property.as_uuid());
        }
        if let Some(agent) = query.agent {
            qb.push(" AND agent_ids @> ARRAY[")
                .push_bind(agent.as_uuid())
                .push("]::uuid[]");
        }
        if let Some(from) = query.created_from {
            qb.push(" AND created_at >= ")
                .push_bind(prepare::micros(from));
        }
        if let Some(to) = query.created_to {
            qb.push(" AND created_at < ").push_bind(prepare::micros(to));
        }
        if let Some(after) = query.page.after {
            qb.push(" AND (created_at, id) > (")
                .push_bind(after.at)
                .push(", ")
                .push_bind(after.id)
                .push(")");
        }
        qb.push(" ORDER BY created_at, id LIMIT ")
            .push_bind(i64::from(limit) + 1);
        let fail = on(KIND, tenant.as_uuid());
        let mut tx = self.begin(tenant).await.map_err(&fail)?;
        let rows = qb.build().fetch_all(&mut *tx).await.map_err(&fail)?;
        tx.commit().await.map_err(&fail)?;
        let items = rows
            .iter()
            .map(|r| doc::<Deal>(KIND, r))
            .collect::<Result<Vec<_>>>()?;
        Ok(prepare::finish_page(items, limit, |d| {
            (d.created_at, d.id.as_uuid())
        }))
    }
}
