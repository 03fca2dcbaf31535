//! The audit log: append-only rows, like the ledger.

use super::PgStore;
use super::error::on;
use super::rows::{col, json};
use crate::error::{Result, StoreError};
use crate::prepare;
use crate::query::{AuditQuery, Page};
use crate::records::{AuditEvent, RecordKind};
use crate::traits::AuditLog;
use async_trait::async_trait;
use crm_core::domain::TenantId;
use sqlx::postgres::PgRow;
use sqlx::types::Json;
use sqlx::{Postgres, QueryBuilder};

const KIND: RecordKind = RecordKind::AuditEvent;

fn event(row: &PgRow) -> Result<AuditEvent> {
    let record_kind: String = col(KIND, row, "record_kind")?;
    Ok(AuditEvent {
        id: col(KIND, row, "id")?,
        at: col(KIND, row, "at")?,
        actor: col(KIND, row, "actor")?,
        action: col(KIND, row, "action")?,
        record_kind: RecordKind::parse(&record_kind).ok_or_else(|| StoreError::Corrupt {
            kind: KIND,
            message: format!("`{record_kind}` is not a record kind"),
        })?,
        record_id: col(KIND, row, "record_id")?,
        detail: json(KIND, row, "detail")?,
    })
}

#[async_trait]
impl AuditLog for PgStore {
    #[tracing::instrument(skip_all, fields(tenant = %tenant, id = %event.id))]
    async fn append_audit(&self, tenant: TenantId, event: &AuditEvent) -> Result<()> {
        let fail = on(KIND, event.id);
        let mut tx = self.begin(tenant).await.map_err(&fail)?;
        let inserted = sqlx::query(
            "INSERT INTO audit (tenant_id, id, at, actor, action, record_kind, record_id, detail) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
        )
        .bind(tenant.as_uuid())
        .bind(event.id)
        .bind(prepare::micros(event.at))
        .bind(event.actor.as_str())
        .bind(event.action.as_str())
        .bind(event.record_kind.as_str())
        .bind(event.record_id)
        .bind(Json(&event.detail))
        .execute(&mut *tx)
        .await
        .map_err(&fail)?
        .rows_affected();
        tx.commit().await.map_err(&fail)?;
        if inserted == 0 {
            return Err(StoreError::Duplicate {
                kind: KIND,
                existing: event.id,
                what: "id".to_owned(),
            });
        }
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn find_audit(&self, tenant: TenantId, query: &AuditQuery) -> Result<Page<AuditEvent>> {
        let limit = prepare::page_size(&query.page)?;
        let mut qb = QueryBuilder::<Postgres>::new(
            "SELECT id, at, actor, action, record_kind, record_id, detail FROM audit \
             WHERE tenant_id = ",
        );
        qb.push_bind(tenant.as_uuid());
        if let Some(record) = query.record_id {
            qb.push(" AND record_id = ").push_bind(record);
        }
        if let Some(actor) = &query.actor {
            qb.push(" AND actor = ").push_bind(actor.as_str());
        }
        if let Some(from) = query.from {
            qb.push(" AND at >= ").push_bind(prepare::micros(from));
        }
        if let Some(to) = query.to {
            qb.push(" AND at < ").push_bind(prepare::micros(to));
        }
        if let Some(after) = query.page.after {
            qb.push(" AND (at, id) > (")
                .push_bind(after.at)
                .push(", ")
                .push_bind(after.id)
                .push(")");
        }
        qb.push(" ORDER BY at, id LIMIT ")
            .push_bind(i64::from(limit) + 1);
        let fail = on(KIND, tenant.as_uuid());
        let mut tx = self.begin(tenant).await.map_err(&fail)?;
        let rows = qb.build().fetch_all(&mut *tx).await.map_err(&fail)?;
        tx.commit().await.map_err(&fail)?;
        let items = rows.iter().map(event).collect::<Result<Vec<_>>>()?;
        Ok(prepare::finish_page(items, limit, |e| (e.at, e.id)))
    }
}
