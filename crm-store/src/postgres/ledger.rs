//! The commission ledger: append-only rows (the application role may only `SELECT` and
//! `INSERT`; a trigger refuses `UPDATE` and `DELETE`). `seq` is an identity column, so entries
//! are numbered in append order. Appending an id again with the same entry returns the stored
//! one; with another entry it is `store.duplicate`.

use super::PgStore;
use super::error::{UNIQUE_VIOLATION, classify, is_retryable, on, sqlstate};
use super::rows::{col, json, name_of, version_of};
use super::scope::RETRIES;
use crate::error::{Result, StoreError};
use crate::prepare;
use crate::records::{NewLedgerEntry, RecordKind, StoredLedgerEntry};
use crate::traits::LedgerStore;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use crm_core::domain::{DealId, TenantId};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use sqlx::postgres::PgRow;
use sqlx::types::Json;
use std::collections::HashMap;
use uuid::Uuid;

const KIND: RecordKind = RecordKind::LedgerEntry;

const COLUMNS: &str = "id, seq, recorded_at, entry";

const INSERT: &str = "INSERT INTO ledger (tenant_id, id, deal_id, kind, plan_id, date, memo, \
    postings, amount, currency, recorded_at, entry) \
    SELECT $1, u.id, u.deal_id, u.kind, u.plan_id, u.date, u.memo, u.postings, u.amount, \
           u.currency, u.recorded_at, u.entry \
    FROM UNNEST($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::date[], $7::text[], \
                $8::jsonb[], $9::numeric[], $10::text[], $11::timestamptz[], $12::jsonb[]) \
         WITH ORDINALITY AS u(id, deal_id, kind, plan_id, date, memo, postings, amount, \
                              currency, recorded_at, entry, ord) \
    ORDER BY u.ord \
    RETURNING id, seq";

fn stored(row: &PgRow) -> Result<StoredLedgerEntry> {
    Ok(StoredLedgerEntry {
        id: col(KIND, row, "id")?,
        seq: version_of(KIND, col(KIND, row, "seq")?)?,
        recorded_at: col(KIND, row, "recorded_at")?,
        entry: json(KIND, row, "entry")?,
    })
}

/// Why an attempt failed.
enum Failed {
    Db(sqlx::Error),
    Store(StoreError),
}

impl From<sqlx::Error> for Failed {
    fn from(e: sqlx::Error) -> Self {
        Failed::Db(e)
    }
}

impl From<StoreError> for Failed {
    fn from(e: StoreError) -> Self {
        Failed::Store(e)
    }
}

async fn append(
    conn: &mut PgConnection,
    tenant: TenantId,
    entries: &[NewLedgerEntry],
) -> Result<Vec<StoredLedgerEntry>, Failed> {
    let ids: Vec<Uuid> = entries.iter().map(|e| e.id).collect();
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM ledger WHERE tenant_id = $1 AND id = ANY($2)"
    ))
    .bind(tenant.as_uuid())
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    let mut known: HashMap<Uuid, StoredLedgerEntry> = HashMap::with_capacity(entries.len());
    for row in &rows {
        let s = stored(row)?;
        known.insert(s.id, s);
    }
    // All or none: every repeated id must repeat its entry.
    for e in entries {
        if let Some(s) = known.get(&e.id)
            && s.entry != e.entry
        {
            return Err(Failed::Store(StoreError::Duplicate {
                kind: KIND,
                existing: e.id,
                what: "id (with a different entry)".to_owned(),
            }));
        }
    }
    let mut new: Vec<&NewLedgerEntry> = Vec::new();
    for e in entries {
        if !known.contains_key(&e.id) && !new.iter().any(|n| n.id == e.id) {
            new.push(e);
        }
    }
    if !new.is_empty() {
        let n = new.len();
        let mut ids = Vec::with_capacity(n);
        let mut deals = Vec::with_capacity(n);
        let mut kinds = Vec::with_capacity(n);
        let mut plans = Vec::with_capacity(n);
        let mut dates: Vec<NaiveDate> = Vec::with_capacity(n);
        let mut memos = Vec::with_capacity(n);
        let mut postings = Vec::with_capacity(n);
        let mut amounts: Vec<Decimal> = Vec::with_capacity(n);
        let mut currencies = Vec::with_capacity(n);
        let mut recorded: Vec<DateTime<Utc>> = Vec::with_capacity(n);
        let mut docs = Vec::with_capacity(n);
        for e in &new {
            ids.push(e.id);
            deals.push(e.entry.deal_id.as_uuid());
            kinds.push(name_of(KIND, &e.entry.kind)?);
            plans.push(&*e.entry.plan_id);
            dates.push(e.entry.date);
            memos.push(e.entry.memo.as_str());
            postings.push(Json(&e.entry.postings));
            amounts.push(
                e.entry
                    .postings
                    .iter()
                    .map(|p| p.amount.amount())
                    .filter(|a| a.is_sign_positive())
                    .sum(),
            );
            currencies.push(
                e.entry
                    .postings
                    .first()
                    .map_or("BRL", |p| p.amount.currency().code()),
            );
            recorded.push(e.recorded_at);
            docs.push(Json(&e.entry));
        }
        let rows: Vec<(Uuid, i64)> = sqlx::query_as(INSERT)
            .bind(tenant.as_uuid())
            .bind(ids)
            .bind(deals)
            .bind(kinds)
            .bind(plans)
            .bind(dates)
            .bind(memos)
            .bind(postings)
            .bind(amounts)
            .bind(currencies)
            .bind(recorded)
            .bind(docs)
            .fetch_all(&mut *conn)
            .await?;
        for (id, seq) in rows {
            let Some(e) = new.iter().find(|e| e.id == id) else {
                continue;
            };
            let seq = version_of(KIND, seq)?;
            known.insert(
                id,
                StoredLedgerEntry {
                    id,
                    seq,
                    recorded_at: e.recorded_at,
                    entry: e.entry.clone(),
                },
            );
        }
    }
    entries
        .iter()
        .map(|e| {
            known.get(&e.id).cloned().ok_or_else(|| {
                Failed::Store(StoreError::Backend(format!(
                    "ledger entry {} was not stored",
                    e.id
                )))
            })
        })
        .collect()
}

#[async_trait]
impl LedgerStore for PgStore {
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
        let first = entries.first().map_or(Uuid::nil(), |e| e.id);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut tx = self.begin(tenant).await.map_err(on(KIND, first))?;
            let result = append(&mut tx, tenant, &entries).await;
            let result = match result {
                Ok(stored) => tx.commit().await.map(|()| stored).map_err(Failed::Db),
                Err(e) => {
                    let _ = tx.rollback().await;
                    Err(e)
                }
            };
            match result {
                Ok(stored) => return Ok(stored),
                Err(Failed::Store(e)) => return Err(e),
                // A concurrent append of the same id, a deadlock: run it again, it will see
                // the other's rows.
                Err(Failed::Db(e))
                    if attempt < RETRIES
                        && (is_retryable(&e)
                            || sqlstate(&e).as_deref() == Some(UNIQUE_VIOLATION)) => {}
                Err(Failed::Db(e)) => return Err(classify(KIND, first, e)),
            }
        }
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant, deal = %deal_id))]
    async fn ledger_for_deal(
        &self,
        tenant: TenantId,
        deal_id: DealId,
    ) -> Result<Vec<StoredLedgerEntry>> {
        let fail = on(KIND, deal_id.as_uuid());
        let mut tx = self.begin(tenant).await.map_err(&fail)?;
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM ledger WHERE tenant_id = $1 AND deal_id = $2 ORDER BY seq"
        ))
        .bind(tenant.as_uuid())
        .bind(deal_id.as_uuid())
        .fetch_all(&mut *tx)
        .await
        .map_err(&fail)?;
        tx.commit().await.map_err(&fail)?;
        rows.iter().map(stored).collect()
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn ledger_page(
        &self,
        tenant: TenantId,
        after_seq: Option<u64>,
        limit: u32,
    ) -> Result<Vec<StoredLedgerEntry>> {
        let limit = prepare::ledger_limit(limit)?;
        let Ok(after) = i64::try_from(after_seq.unwrap_or(0)) else {
            return Ok(Vec::new());
        };
        let fail = on(KIND, tenant.as_uuid());
        let mut tx = self.begin(tenant).await.map_err(&fail)?;
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM ledger WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3"
        ))
        .bind(tenant.as_uuid())
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&mut *tx)
        .await
        .map_err(&fail)?;
        tx.commit().await.map_err(&fail)?;
        rows.iter().map(stored).collect()
    }
}
