//! Bulk lead import, in one `BEGIN IMMEDIATE` transaction and as a two-stage pipeline: this
//! task validates, normalises and encodes the leads chunk by chunk, while a writer task looks
//! up which ids and portal lead ids each chunk repeats and inserts the new leads with one
//! multi-row `INSERT` per chunk — so the encoding of one chunk overlaps SQLite's work on the
//! previous one.
//!
//! Every lead is validated even after an invalid one (the error lists them all), and nothing is
//! committed unless all are valid. A lead that repeats a stored lead, or an earlier lead of the
//! batch, by id or by portal lead id is reported as existing with that lead's id, exactly as the
//! other stores decide it.

use super::leads::LeadRow;
use super::{SqliteStore, error};
use crate::error::{Result, StoreError};
use crate::prepare;
use crate::records::{ImportReport, RecordKind};
use crm_core::ValidationErrors;
use crm_core::domain::{Lead, LeadId};
use sqlx::sqlite::{Sqlite, SqliteConnection};
use sqlx::{QueryBuilder, Transaction};
use std::collections::{HashMap, HashSet};
use tokio::sync::mpsc;
use tracing::Instrument;
use uuid::Uuid;

const KIND: RecordKind = RecordKind::Lead;

/// Leads per chunk (one `INSERT` each): 13 columns a row stay well under SQLite's 32,766
/// bound variables.
const CHUNK: usize = 1000;
const _: () = assert!(CHUNK * LeadRow::COLUMN_COUNT <= 32_766);

/// The page cache of the connection that runs an import, in KiB, while it runs.
const IMPORT_CACHE_KIB: &str = "-131072";

/// Encoded chunks waiting for the writer.
const QUEUED_CHUNKS: usize = 2;

type PortalKey = (String, String);

fn portal_key(row: &LeadRow) -> Option<PortalKey> {
    match (&row.keys.portal, &row.keys.portal_lead_id) {
        (Some(p), Some(id)) => Some((p.clone(), id.clone())),
        _ => None,
    }
}

/// Imports a batch (see [`crate::LeadStore::import_leads`]).
pub(super) async fn import_leads(
    store: &SqliteStore,
    tenant: Uuid,
    leads: &[Lead],
) -> Result<ImportReport> {
    if leads.is_empty() {
        return Ok(ImportReport::default());
    }
    let tx = store.write(KIND).await?;
    let (send, recv) = mpsc::channel(QUEUED_CHUNKS);
    let writer = tokio::spawn(write_chunks(tx, tenant, recv, leads.len()).in_current_span());
    // The writer's task is aborted (and its transaction rolled back) if this call is dropped
    // or fails before it finishes.
    let mut writer = AbortOnDrop(writer);

    let mut invalid = ValidationErrors::default();
    for (k, chunk) in leads.chunks(CHUNK).enumerate() {
        let rows = encode_chunk(k * CHUNK, chunk, &mut invalid)?;
        // Once a lead is invalid nothing more is written, but every lead is still checked. A
        // failed send means the writer stopped on an error, reported below.
        if invalid.is_empty() {
            let _ = send.send(rows).await;
        }
        tokio::task::yield_now().await;
    }
    drop(send);
    let written = (&mut writer.0)
        .await
        .map_err(|e| StoreError::Backend(format!("the import's writer stopped: {e}")))?;
    invalid.into_result()?;
    let (tx, report) = written?;
    tx.commit().await.map_err(error::db(KIND))?;
    Ok(report)
}

struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Validates, normalises and encodes one chunk starting at position `offset`, adding its
/// invalid leads (with their positions) to `invalid`.
fn encode_chunk(
    offset: usize,
    chunk: &[Lead],
    invalid: &mut ValidationErrors,
) -> Result<Vec<LeadRow>> {
    let mut rows = Vec::with_capacity(chunk.len());
    for (i, lead) in chunk.iter().enumerate() {
        match prepare::prepare_lead(lead) {
            Ok((mut lead, keys)) => {
                if invalid.is_empty() {
                    lead.version = 1;
                    rows.push(LeadRow::new(&lead, keys)?);
                }
            }
            Err(StoreError::Validation(v)) => invalid.extend_at(&format!("[{}]", offset + i), v),
            Err(e) => return Err(e),
        }
    }
    Ok(rows)
}

/// The writer: for each chunk, decides position by position and inserts the new leads.
async fn write_chunks(
    mut tx: Transaction<'static, Sqlite>,
    tenant: Uuid,
    chunks: mpsc::Receiver<Vec<LeadRow>>,
    total: usize,
) -> Result<(Transaction<'static, Sqlite>, ImportReport)> {
    // A bulk import touches many pages: a larger cache while it runs keeps SQLite from
    // spilling half-built index pages; it is given back afterwards, whatever happened.
    set_cache(&mut tx, IMPORT_CACHE_KIB).await?;
    let written = write_all(&mut tx, tenant, chunks, total).await;
    let restored = set_cache(&mut tx, super::connect::CACHE_KIB).await;
    let report = written?;
    restored?;
    Ok((tx, report))
}

async fn write_all(
    tx: &mut SqliteConnection,
    tenant: Uuid,
    mut chunks: mpsc::Receiver<Vec<LeadRow>>,
    total: usize,
) -> Result<ImportReport> {
    let mut report = ImportReport {
        ids: Vec::with_capacity(total),
        inserted: Vec::with_capacity(total),
        existing: Vec::new(),
    };
    // A tenant without leads needs no look-ups: only repeats within the batch matter.
    let had_leads: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM leads WHERE tenant_id = ?)")
            .bind(tenant)
            .fetch_one(&mut *tx)
            .await
            .map_err(error::db(KIND))?;
    let mut batch_ids = HashSet::with_capacity(total);
    let mut batch_portals = HashMap::new();
    while let Some(rows) = chunks.recv().await {
        let (stored_ids, stored_portals) = if had_leads {
            (
                stored_ids(tx, tenant, &rows).await?,
                stored_portals(tx, tenant, &rows).await?,
            )
        } else {
            (HashSet::new(), HashMap::new())
        };
        let mut fresh = Vec::with_capacity(rows.len());
        for row in rows {
            let position = report.ids.len();
            let key = portal_key(&row);
            let existing = if stored_ids.contains(&row.id) || batch_ids.contains(&row.id) {
                Some(row.id)
            } else {
                key.as_ref().and_then(|k| {
                    stored_portals
                        .get(k)
                        .or_else(|| batch_portals.get(k))
                        .copied()
                })
            };
            match existing {
                Some(id) => {
                    report.ids.push(LeadId::from_uuid(id));
                    report.existing.push(position);
                }
                None => {
                    report.ids.push(LeadId::from_uuid(row.id));
                    report.inserted.push(position);
                    batch_ids.insert(row.id);
                    if let Some(k) = key {
                        batch_portals.insert(k, row.id);
                    }
                    fresh.push(row);
                }
            }
        }
        insert(tx, tenant, fresh).await?;
    }
    Ok(report)
}

/// Sets the connection's page cache size (SQLite's negative `cache_size`, in KiB).
async fn set_cache(conn: &mut SqliteConnection, kib: &str) -> Result<()> {
    sqlx::query(&format!("PRAGMA cache_size = {kib}"))
        .execute(conn)
        .await
        .map_err(error::db(KIND))?;
    Ok(())
}

/// Inserts rows known to be new. `OR IGNORE` spares SQLite a statement journal; the count
/// check turns a row it would have ignored into an error instead of a silent loss.
async fn insert(conn: &mut SqliteConnection, tenant: Uuid, rows: Vec<LeadRow>) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let expected = rows.len() as u64;
    let mut qb = QueryBuilder::<Sqlite>::new(format!(
        "INSERT OR IGNORE INTO leads ({}) ",
        LeadRow::COLUMNS
    ));
    qb.push_values(rows, |b, row| row.push(tenant, b));
    let done = qb.build().execute(conn).await.map_err(error::db(KIND))?;
    if done.rows_affected() != expected {
        return Err(StoreError::Backend(format!(
            "the import inserted {} of {expected} new leads; nothing was imported",
            done.rows_affected()
        )));
    }
    Ok(())
}

/// Which of the chunk's ids the tenant already holds.
async fn stored_ids(
    conn: &mut SqliteConnection,
    tenant: Uuid,
    rows: &[LeadRow],
) -> Result<HashSet<Uuid>> {
    let mut qb = QueryBuilder::<Sqlite>::new("SELECT id FROM leads WHERE tenant_id = ");
    qb.push_bind(tenant).push(" AND id IN (");
    let mut ids = qb.separated(", ");
    for row in rows {
        ids.push_bind(row.id);
    }
    qb.push(")");
    let hits: Vec<Uuid> = qb
        .build_query_scalar()
        .fetch_all(conn)
        .await
        .map_err(error::db(KIND))?;
    Ok(hits.into_iter().collect())
}

/// The stored leads holding any of the chunk's portal lead ids, by portal key.
async fn stored_portals(
    conn: &mut SqliteConnection,
    tenant: Uuid,
    rows: &[LeadRow],
) -> Result<HashMap<PortalKey, Uuid>> {
    let mut wanted: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.keys.portal_lead_id.as_deref())
        .collect();
    if wanted.is_empty() {
        return Ok(HashMap::new());
    }
    wanted.sort_unstable();
    wanted.dedup();
    let mut qb = QueryBuilder::<Sqlite>::new(
        "SELECT portal, portal_lead_id, id FROM leads WHERE tenant_id = ",
    );
    qb.push_bind(tenant).push(" AND portal_lead_id IN (");
    let mut ids = qb.separated(", ");
    for id in wanted {
        ids.push_bind(id.to_owned());
    }
    qb.push(")");
    let hits: Vec<(String, String, Uuid)> = qb
        .build_query_as()
        .fetch_all(conn)
        .await
        .map_err(error::db(KIND))?;
    Ok(hits
        .into_iter()
        .map(|(p, pid, id)| ((p, pid), id))
        .collect())
}
