//! The audit log: append-only rows (triggers refuse updates and deletes), ordered by `at`.

use super::{SqliteStore, codec, duplicate_id, error};
use crate::error::{Result, StoreError};
use crate::prepare;
use crate::query::{AuditQuery, Page};
use crate::records::{AuditEvent, RecordKind};
use crate::traits::AuditLog;
use async_trait::async_trait;
use crm_core::domain::TenantId;
use sqlx::QueryBuilder;
use sqlx::sqlite::Sqlite;
use uuid::Uuid;

const KIND: RecordKind = RecordKind::AuditEvent;

type AuditRow = (Uuid, i64, String, String, String, Uuid, String);

fn decode((id, at, actor, action, record_kind, record_id, detail): AuditRow) -> Result<AuditEvent> {
    Ok(AuditEvent {
        id,
        at: codec::instant(KIND, at)?,
        actor,
        action,
        record_kind: RecordKind::parse(&record_kind).ok_or_else(|| StoreError::Corrupt {
            kind: KIND,
            message: format!("`{record_kind}` is not a kind of record"),
        })?,
        record_id,
        detail: codec::from_json(KIND, &detail)?,
    })
}

#[async_trait]
impl AuditLog for SqliteStore {
    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn append_audit(&self, tenant: TenantId, event: &AuditEvent) -> Result<()> {
        let inserted = sqlx::query(
            "INSERT INTO audit (tenant_id, id, at, actor, action, record_kind, record_id, detail) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(tenant.as_uuid())
        .bind(event.id)
        .bind(codec::micros(prepare::micros(event.at)))
        .bind(event.actor.as_str())
        .bind(event.action.as_str())
        .bind(event.record_kind.as_str())
        .bind(event.record_id)
        .bind(codec::to_json(KIND, &event.detail)?)
        .execute(&self.pool)
        .await;
        match inserted {
            Ok(_) => Ok(()),
            Err(e) if error::is_unique(&e) => Err(duplicate_id(KIND, event.id)),
            Err(e) => Err(error::map(KIND, e)),
        }
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn find_audit(&self, tenant: TenantId, query: &AuditQuery) -> Result<Page<AuditEvent>> {
        let limit = prepare::page_size(&query.page)?;
        let mut qb = QueryBuilder::<Sqlite>::new(
            "SELECT id, at, actor, action, record_kind, record_id, detail FROM audit WHERE tenant_id = ",
        );
        qb.push_bind(tenant.as_uuid());
        if let Some(record) = query.record_id {
            qb.push(" AND record_id = ").push_bind(record);
        }
        if let Some(actor) = &query.actor {
            qb.push(" AND actor = ").push_bind(actor.clone());
        }
        if let Some(from) = query.from {
            qb.push(" AND at >= ")
                .push_bind(codec::micros(prepare::micros(from)));
        }
        if let Some(to) = query.to {
            qb.push(" AND at < ")
                .push_bind(codec::micros(prepare::micros(to)));
        }
        if let Some(after) = query.page.after {
            qb.push(" AND (at, id) > (")
                .push_bind(codec::micros(after.at))
                .push(", ")
                .push_bind(after.id)
                .push(")");
        }
        qb.push(" ORDER BY at, id LIMIT ")
            .push_bind(i64::from(limit) + 1);
        let rows: Vec<AuditRow> = qb
            .build_query_as()
            .fetch_all(&self.pool)
            .await
            .map_err(error::db(KIND))?;
        let items = rows.into_iter().map(decode).collect::<Result<Vec<_>>>()?;
        Ok(prepare::finish_page(items, limit, |e| (e.at, e.id)))
    }
}
