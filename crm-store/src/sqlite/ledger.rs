//! The commission ledger: append-only rows (triggers refuse updates and deletes), numbered by
//! an `AUTOINCREMENT` sequence. An append re-sent with the same ids and entries returns what
//! was stored; the same id with another entry is `store.duplicate`, and nothing is appended.

use super::{SqliteStore, codec, error};
use crate::error::{Result, StoreError};
use crate::prepare;
use crate::records::{NewLedgerEntry, RecordKind, StoredLedgerEntry};
use crate::traits::LedgerStore;
use async_trait::async_trait;
use crm_core::commission::LedgerEntry;
use crm_core::domain::{DealId, TenantId};
use sqlx::sqlite::SqliteConnection;
use uuid::Uuid;

const KIND: RecordKind = RecordKind::LedgerEntry;

type LedgerRow = (i64, Uuid, i64, String);

fn decode((seq, id, recorded_at, entry): LedgerRow) -> Result<StoredLedgerEntry> {
    Ok(StoredLedgerEntry {
        id,
        seq: u64::try_from(seq).map_err(|_| StoreError::Corrupt {
            kind: KIND,
            message: format!("ledger sequence {seq} is negative"),
        })?,
        recorded_at: codec::instant(KIND, recorded_at)?,
        entry: codec::from_json::<LedgerEntry>(KIND, &entry)?,
    })
}

/// Appends one entry, or returns the stored one with its id when it is the same entry.
async fn append_one(
    conn: &mut SqliteConnection,
    tenant: Uuid,
    e: NewLedgerEntry,
) -> Result<StoredLedgerEntry> {
    let stored: Option<LedgerRow> = sqlx::query_as(
        "SELECT seq, id, recorded_at, entry FROM ledger WHERE tenant_id = ? AND id = ?",
    )
    .bind(tenant)
    .bind(e.id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(error::db(KIND))?;
    if let Some(row) = stored {
        let stored = decode(row)?;
        if stored.entry != e.entry {
            return Err(StoreError::Duplicate {
                kind: KIND,
                existing: e.id,
                what: "id (with a different entry)".to_owned(),
            });
        }
        return Ok(stored);
    }
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO ledger (tenant_id, id, deal_id, kind, plan_id, date, memo, postings, recorded_at, entry) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq",
    )
    .bind(tenant)
    .bind(e.id)
    .bind(e.entry.deal_id.as_uuid())
    .bind(codec::enum_name(KIND, &e.entry.kind)?)
    .bind(e.entry.plan_id.to_string())
    .bind(e.entry.date.to_string())
    .bind(e.entry.memo.clone())
    .bind(codec::to_json(KIND, &e.entry.postings)?)
    .bind(codec::micros(e.recorded_at))
    .bind(codec::to_json(KIND, &e.entry)?)
    .fetch_one(&mut *conn)
    .await
    .map_err(error::db(KIND))?;
    Ok(StoredLedgerEntry {
        id: e.id,
        seq: u64::try_from(seq).unwrap_or_default(),
        recorded_at: e.recorded_at,
        entry: e.entry,
    })
}

#[async_trait]
impl LedgerStore for SqliteStore {
    #[tracing::instrument(skip_all, fields(tenant = %tenant, entries = entries.len()))]
    async fn append_ledger(
        &self,
        tenant: TenantId,
        entries: &[NewLedgerEntry],
    ) -> Result<Vec<StoredLedgerEntry>> {
        let entries = prepare::prepare_ledger(entries)?;
        if entries.is_empty() {
            return Ok(Vec::new());
        }
        let tenant = tenant.as_uuid();
        let mut tx = self.write(KIND).await?;
        let mut out = Vec::with_capacity(entries.len());
        for e in entries {
            // An error drops the transaction: nothing of the batch is appended.
            out.push(append_one(&mut tx, tenant, e).await?);
        }
        tx.commit().await.map_err(error::db(KIND))?;
        Ok(out)
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn ledger_for_deal(
        &self,
        tenant: TenantId,
        deal_id: DealId,
    ) -> Result<Vec<StoredLedgerEntry>> {
        let rows: Vec<LedgerRow> = sqlx::query_as(
            "SELECT seq, id, recorded_at, entry FROM ledger WHERE tenant_id = ? AND deal_id = ? ORDER BY seq",
        )
        .bind(tenant.as_uuid())
        .bind(deal_id.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(error::db(KIND))?;
        rows.into_iter().map(decode).collect()
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn ledger_page(
        &self,
        tenant: TenantId,
        after_seq: Option<u64>,
        limit: u32,
    ) -> Result<Vec<StoredLedgerEntry>> {
        let limit = prepare::ledger_limit(limit)?;
        let after = after_seq.map_or(0, |s| i64::try_from(s).unwrap_or(i64::MAX));
        let rows: Vec<LedgerRow> = sqlx::query_as(
            "SELECT seq, id, recorded_at, entry FROM ledger WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?",
        )
        .bind(tenant.as_uuid())
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(error::db(KIND))?;
        rows.into_iter().map(decode).collect()
    }
}
