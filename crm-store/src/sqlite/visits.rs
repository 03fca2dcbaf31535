//! Visits: flat rows (every field a column), ordered by `starts_at`.

use super::{SqliteStore, codec, duplicate_id, error, missed_update, require};
use crate::error::{Result, StoreError};
use crate::prepare;
use crate::query::{Page, VisitQuery};
use crate::records::RecordKind;
use crate::traits::VisitStore;
use async_trait::async_trait;
use crm_core::domain::{TenantId, Visit, VisitId};
use sqlx::QueryBuilder;
use sqlx::sqlite::{Sqlite, SqliteConnection};
use uuid::Uuid;

const KIND: RecordKind = RecordKind::Visit;

const COLUMNS: &str =
    "id, lead_id, property_id, agent_id, starts_at, ends_at, status, note, version";

type VisitRow = (
    Uuid,
    Uuid,
    Uuid,
    Uuid,
    i64,
    i64,
    String,
    Option<String>,
    i64,
);

fn decode(
    (id, lead, property, agent, starts, ends, status, note, version): VisitRow,
) -> Result<Visit> {
    Ok(Visit {
        id: VisitId::from_uuid(id),
        lead_id: lead.into(),
        property_id: property.into(),
        agent_id: agent.into(),
        starts_at: codec::instant(KIND, starts)?,
        ends_at: codec::instant(KIND, ends)?,
        status: codec::from_enum_name(KIND, &status)?,
        note,
        version: codec::stored_version(KIND, version)?,
    })
}

/// The error for a write that broke a foreign key or a unique key, in the order the other
/// stores check: lead, property, agent, then the visit's own id.
async fn diagnose(
    conn: &mut SqliteConnection,
    tenant: Uuid,
    visit: &Visit,
    err: sqlx::Error,
) -> StoreError {
    let checks = async {
        require(
            conn,
            "leads",
            RecordKind::Lead,
            tenant,
            visit.lead_id.as_uuid(),
        )
        .await?;
        require(
            conn,
            "properties",
            RecordKind::Property,
            tenant,
            visit.property_id.as_uuid(),
        )
        .await?;
        require(
            conn,
            "agents",
            RecordKind::Agent,
            tenant,
            visit.agent_id.as_uuid(),
        )
        .await
    };
    match checks.await {
        Err(e) => e,
        Ok(()) if error::is_unique(&err) => duplicate_id(KIND, visit.id.as_uuid()),
        Ok(()) => error::map(KIND, err),
    }
}

#[async_trait]
impl VisitStore for SqliteStore {
    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn insert_visit(&self, tenant: TenantId, visit: &Visit) -> Result<Visit> {
        let mut visit = prepare::prepare_visit(visit)?;
        visit.version = 1;
        let tenant = tenant.as_uuid();
        let mut conn = self.conn(KIND).await?;
        let inserted = sqlx::query(
            "INSERT INTO visits (tenant_id, id, lead_id, property_id, agent_id, starts_at, ends_at, \
             status, note, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
        )
        .bind(tenant)
        .bind(visit.id.as_uuid())
        .bind(visit.lead_id.as_uuid())
        .bind(visit.property_id.as_uuid())
        .bind(visit.agent_id.as_uuid())
        .bind(codec::micros(visit.starts_at))
        .bind(codec::micros(visit.ends_at))
        .bind(codec::enum_name(KIND, &visit.status)?)
        .bind(visit.note.clone())
        .execute(&mut *conn)
        .await;
        match inserted {
            Ok(_) => Ok(visit),
            Err(e) if error::is_unique(&e) || error::is_foreign_key(&e) => {
                Err(diagnose(&mut conn, tenant, &visit, e).await)
            }
            Err(e) => Err(error::map(KIND, e)),
        }
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn get_visit(&self, tenant: TenantId, id: VisitId) -> Result<Option<Visit>> {
        let sql = format!("SELECT {COLUMNS} FROM visits WHERE tenant_id = ? AND id = ?");
        let row: Option<VisitRow> = sqlx::query_as(&sql)
            .bind(tenant.as_uuid())
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(error::db(KIND))?;
        row.map(decode).transpose()
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn update_visit(&self, tenant: TenantId, visit: &Visit) -> Result<Visit> {
        let mut visit = prepare::prepare_visit(visit)?;
        let expected = visit.version;
        visit.version = expected.saturating_add(1);
        let (tenant, id) = (tenant.as_uuid(), visit.id.as_uuid());
        let mut conn = self.conn(KIND).await?;
        let updated = sqlx::query(
            "UPDATE visits SET lead_id = ?, property_id = ?, agent_id = ?, starts_at = ?, ends_at = ?, \
             status = ?, note = ?, version = version + 1 WHERE tenant_id = ? AND id = ? AND version = ?",
        )
        .bind(visit.lead_id.as_uuid())
        .bind(visit.property_id.as_uuid())
        .bind(visit.agent_id.as_uuid())
        .bind(codec::micros(visit.starts_at))
        .bind(codec::micros(visit.ends_at))
        .bind(codec::enum_name(KIND, &visit.status)?)
        .bind(visit.note.clone())
        .bind(tenant)
        .bind(id)
        .bind(codec::version(expected))
        .execute(&mut *conn)
        .await;
        match updated {
            Ok(done) if done.rows_affected() == 0 => {
                Err(missed_update(&mut conn, "visits", KIND, tenant, id, expected).await)
            }
            Ok(_) => Ok(visit),
            Err(e) if error::is_foreign_key(&e) => {
                Err(diagnose(&mut conn, tenant, &visit, e).await)
            }
            Err(e) => Err(error::map(KIND, e)),
        }
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn find_visits(&self, tenant: TenantId, query: &VisitQuery) -> Result<Page<Visit>> {
        let limit = prepare::page_size(&query.page)?;
        let mut qb =
            QueryBuilder::<Sqlite>::new(format!("SELECT {COLUMNS} FROM visits WHERE tenant_id = "));
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
            qb.push(" AND status = ")
                .push_bind(codec::enum_name(KIND, status)?);
        }
        if let Some(from) = query.starts_from {
            qb.push(" AND starts_at >= ")
                .push_bind(codec::micros(prepare::micros(from)));
        }
        if let Some(to) = query.starts_to {
            qb.push(" AND starts_at < ")
                .push_bind(codec::micros(prepare::micros(to)));
        }
        if let Some(after) = query.page.after {
            qb.push(" AND (starts_at, id) > (")
                .push_bind(codec::micros(after.at))
                .push(", ")
                .push_bind(after.id)
                .push(")");
        }
        qb.push(" ORDER BY starts_at, id LIMIT ")
            .push_bind(i64::from(limit) + 1);
        let rows: Vec<VisitRow> = qb
            .build_query_as()
            .fetch_all(&self.pool)
            .await
            .map_err(error::db(KIND))?;
        let items = rows.into_iter().map(decode).collect::<Result<Vec<_>>>()?;
        Ok(prepare::finish_page(items, limit, |v| {
            (v.starts_at, v.id.as_uuid())
        }))
    }
}
