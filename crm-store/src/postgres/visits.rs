//! Visits: plain columns (no `doc`), so an erasure can drop a note. The lead, the property and
//! the agent must be in the tenant.

use super::PgStore;
use super::checks::{missing_parent, stale};
use super::error::on;
use super::rows::{col, from_name, name_of, version_of, version_param};
use crate::error::{Result, StoreError};
use crate::prepare;
use crate::query::{Page, VisitQuery};
use crate::records::RecordKind;
use crate::traits::VisitStore;
use async_trait::async_trait;
use crm_core::domain::{AgentId, LeadId, PropertyId, TenantId, Visit, VisitId};
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::query::Query;
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

const KIND: RecordKind = RecordKind::Visit;

const COLUMNS: &str =
    "id, lead_id, property_id, agent_id, starts_at, ends_at, status, note, version";

/// The columns of a visit, bound after `tenant_id` and `id`: lead_id, property_id, agent_id,
/// starts_at, ends_at, status, note.
fn bind_visit<'q>(
    query: Query<'q, Postgres, PgArguments>,
    visit: &'q Visit,
) -> Result<Query<'q, Postgres, PgArguments>> {
    Ok(query
        .bind(visit.lead_id.as_uuid())
        .bind(visit.property_id.as_uuid())
        .bind(visit.agent_id.as_uuid())
        .bind(visit.starts_at)
        .bind(visit.ends_at)
        .bind(name_of(KIND, &visit.status)?)
        .bind(visit.note.as_deref()))
}

fn visit(row: &PgRow) -> Result<Visit> {
    Ok(Visit {
        id: VisitId::from_uuid(col(KIND, row, "id")?),
        lead_id: LeadId::from_uuid(col(KIND, row, "lead_id")?),
        property_id: PropertyId::from_uuid(col(KIND, row, "property_id")?),
        agent_id: AgentId::from_uuid(col(KIND, row, "agent_id")?),
        starts_at: col(KIND, row, "starts_at")?,
        ends_at: col(KIND, row, "ends_at")?,
        status: from_name(KIND, col(KIND, row, "status")?)?,
        note: col(KIND, row, "note")?,
        version: version_of(KIND, col(KIND, row, "version")?)?,
    })
}

/// The parents a visit needs, in the order the memory store checks them.
fn parents(visit: &Visit) -> [(RecordKind, &'static str, Uuid); 3] {
    [
        (RecordKind::Lead, "leads", visit.lead_id.as_uuid()),
        (
            RecordKind::Property,
            "properties",
            visit.property_id.as_uuid(),
        ),
        (RecordKind::Agent, "agents", visit.agent_id.as_uuid()),
    ]
}

const PARENTS_EXIST: &str = "EXISTS (SELECT 1 FROM leads WHERE tenant_id = $1 AND id = $3) \
     AND EXISTS (SELECT 1 FROM properties WHERE tenant_id = $1 AND id = $4) \
     AND EXISTS (SELECT 1 FROM agents WHERE tenant_id = $1 AND id = $5)";

#[async_trait]
impl VisitStore for PgStore {
    #[tracing::instrument(skip_all, fields(tenant = %tenant, id = %visit.id))]
    async fn insert_visit(&self, tenant: TenantId, visit: &Visit) -> Result<Visit> {
        let mut visit = prepare::prepare_visit(visit)?;
        visit.version = 1;
        let id = visit.id.as_uuid();
        let fail = on(KIND, id);
        let sql = format!(
            "INSERT INTO visits (tenant_id, id, lead_id, property_id, agent_id, starts_at, \
             ends_at, status, note, version) \
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, 1 WHERE {PARENTS_EXIST} \
             ON CONFLICT DO NOTHING"
        );
        let query = bind_visit(sqlx::query(&sql).bind(tenant.as_uuid()).bind(id), &visit)?;
        let mut tx = self.begin(tenant).await.map_err(&fail)?;
        let inserted = query
            .execute(&mut *tx)
            .await
            .map_err(&fail)?
            .rows_affected();
        if inserted == 0 {
            let missing = missing_parent(&mut tx, tenant, &parents(&visit))
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
        Ok(visit)
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant, id = %id))]
    async fn get_visit(&self, tenant: TenantId, id: VisitId) -> Result<Option<Visit>> {
        let id = id.as_uuid();
        // One statement: crm_visit_row (migration 0003) sets the tenant for its own
        // transaction and reads the row.
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM crm_visit_row($1, $2)"))
            .bind(tenant.as_uuid())
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(on(KIND, id))?;
        row.as_ref().map(visit).transpose()
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant, id = %visit.id))]
    async fn update_visit(&self, tenant: TenantId, visit: &Visit) -> Result<Visit> {
        let mut visit = prepare::prepare_visit(visit)?;
        let expected = visit.version;
        visit.version = expected.saturating_add(1);
        let id = visit.id.as_uuid();
        let fail = on(KIND, id);
        let sql = format!(
            "UPDATE visits SET lead_id = $3, property_id = $4, agent_id = $5, starts_at = $6, \
             ends_at = $7, status = $8, note = $9, version = version + 1 \
             WHERE tenant_id = $1 AND id = $2 AND version = $10 AND {PARENTS_EXIST}"
        );
        let query = bind_visit(sqlx::query(&sql).bind(tenant.as_uuid()).bind(id), &visit)?
            .bind(version_param(expected));
        let mut tx = self.begin(tenant).await.map_err(&fail)?;
        let updated = query
            .execute(&mut *tx)
            .await
            .map_err(&fail)?
            .rows_affected();
        if updated == 0 {
            let err = match stale(&mut tx, "visits", KIND, tenant, id, expected).await {
                StoreError::Conflict {
                    actual: Some(actual),
                    ..
                } if actual == expected => missing_parent(&mut tx, tenant, &parents(&visit))
                    .await
                    .map_err(&fail)?
                    .unwrap_or_else(|| {
                        StoreError::Backend(format!(
                            "visit {id} was not updated and nothing explains why: try again"
                        ))
                    }),
                other => other,
            };
            let _ = tx.rollback().await;
            return Err(err);
        }
        tx.commit().await.map_err(&fail)?;
        Ok(visit)
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn find_visits(&self, tenant: TenantId, query: &VisitQuery) -> Result<Page<Visit>> {
        let limit = prepare::page_size(&query.page)?;
        let mut qb = QueryBuilder::<Postgres>::new(format!(
            "SELECT {COLUMNS} FROM visits WHERE tenant_id = "
        ));
        qb.push_bind(tenant.as_uuid());
        if let Some(lead) = query.lead_id {
            qb.push(" AND lead_id = ").push_bind(lead.as_uuid());
        }
        if let Some(agent) = query.agent_id {
            qb.push(" AND agent_id = ").push_bind(agent.as_uuid());
        }
        if let Some(property) = query.property_id {
            qb.push(" AND property_id = ").push_bind(property.as_uuid());
        }
        if let Some(status) = &query.status {
            qb.push(" AND status = ").push_bind(name_of(KIND, status)?);
        }
        if let Some(from) = query.starts_from {
            qb.push(" AND starts_at >= ")
                .push_bind(prepare::micros(from));
        }
        if let Some(to) = query.starts_to {
            qb.push(" AND starts_at < ").push_bind(prepare::micros(to));
        }
        if let Some(after) = query.page.after {
            qb.push(" AND (starts_at, id) > (")
                .push_bind(after.at)
                .push(", ")
                .push_bind(after.id)
                .push(")");
        }
        qb.push(" ORDER BY starts_at, id LIMIT ")
            .push_bind(i64::from(limit) + 1);
        let fail = on(KIND, tenant.as_uuid());
        let mut tx = self.begin(tenant).await.map_err(&fail)?;
        let rows = qb.build().fetch_all(&mut *tx).await.map_err(&fail)?;
        tx.commit().await.map_err(&fail)?;
        let items = rows.iter().map(visit).collect::<Result<Vec<_>>>()?;
        Ok(prepare::finish_page(items, limit, |v| {
            (v.starts_at, v.id.as_uuid())
        }))
    }
}
