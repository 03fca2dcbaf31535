//! Bulk lead import: validate everything, then one transaction that sends the leads in chunks
//! as arrays — `INSERT … SELECT … FROM UNNEST($2::uuid[], …) ON CONFLICT DO NOTHING RETURNING
//! id` — and works out, for each lead not inserted, which stored lead it repeats.
//!
//! The outcome is the memory store's, lead by lead in input order: a lead whose id, or else
//! whose portal key, is already stored — or was inserted earlier in the same batch — is
//! reported as that lead. A chunk without repeats inside it is inserted directly (in a large
//! import of new leads, first without `ON CONFLICT`, in a savepoint) and only the leads the
//! database skipped are looked up; a chunk with repeats inside it first looks
//! up which of its keys are stored and decides lead by lead before inserting. Imports of one
//! tenant take turns (a transaction-level advisory lock), so their lookups stay true.

use super::PgStore;
use super::error::{UNIQUE_VIOLATION, classify, is_retryable, sqlstate};
use super::scope::RETRIES;
use crate::error::{Result, StoreError};
use crate::prepare::{self, LeadKeys};
use crate::records::{ImportReport, RecordKind};
use chrono::{DateTime, Utc};
use crm_core::domain::{Lead, LeadId, TenantId};
use sqlx::types::Json;
use sqlx::{Executor, PgConnection, Row};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Leads per `INSERT`.
pub(super) const CHUNK: usize = 5_000;

/// From this many leads, chunks are first tried without `ON CONFLICT` (below it, the two
/// extra round trips of the savepoint cost more than they save).
const OPTIMISTIC_FROM: usize = 1_000;

const KIND: RecordKind = RecordKind::Lead;

/// The chunk's rows, from arrays: one bind per column instead of one per value.
const INSERT_ROWS: &str = "INSERT INTO leads (tenant_id, id, doc, name_key, email, phone, \
    document, portal, portal_lead_id, stage, assigned_agent, created_at, version) \
    SELECT $1, u.id, u.doc, u.name_key, u.email, u.phone, u.document, u.portal, \
           u.portal_lead_id, u.stage, u.assigned_agent, u.created_at, 1 \
    FROM UNNEST($2::uuid[], $3::jsonb[], $4::text[], $5::text[], $6::text[], $7::text[], \
                $8::text[], $9::text[], $10::text[], $11::uuid[], $12::timestamptz[]) \
         AS u(id, doc, name_key, email, phone, document, portal, portal_lead_id, stage, \
              assigned_agent, created_at)";

type PortalKey = (String, String);

fn portal_key(keys: &LeadKeys) -> Option<PortalKey> {
    match (&keys.portal, &keys.portal_lead_id) {
        (Some(p), Some(id)) => Some((p.clone(), id.clone())),
        _ => None,
    }
}

/// Why an attempt failed.
enum Failed {
    /// The database said no (maybe retryable).
    Db(sqlx::Error),
    /// A lead chosen for insertion was not inserted: another writer got there first.
    Raced,
}

impl From<sqlx::Error> for Failed {
    fn from(e: sqlx::Error) -> Self {
        Failed::Db(e)
    }
}

/// What a lead of the batch became.
#[derive(Clone, Copy)]
enum Outcome {
    Inserted,
    Existing(Uuid),
}

/// [`crate::LeadStore::import_leads`]: validates every lead, then imports them in one
/// transaction, run again (up to [`RETRIES`] times) when it loses a deadlock or a race.
pub(super) async fn import(
    store: &PgStore,
    tenant: TenantId,
    leads: &[Lead],
) -> Result<ImportReport> {
    let mut prepared = prepare::prepare_leads(leads)?;
    if prepared.is_empty() {
        return Ok(ImportReport::default());
    }
    for (lead, _) in &mut prepared {
        lead.version = 1;
    }
    let mut attempt = 0;
    loop {
        attempt += 1;
        match try_import(store, tenant, &prepared).await {
            Ok(outcomes) => return Ok(report(&prepared, &outcomes)),
            Err(Failed::Db(e)) if is_retryable(&e) && attempt < RETRIES => {}
            Err(Failed::Raced) if attempt < RETRIES => {}
            Err(Failed::Db(e)) => return Err(classify(KIND, tenant.as_uuid(), e)),
            Err(Failed::Raced) => {
                return Err(StoreError::Backend(
                    "concurrent writers kept inserting the same leads during the import; try again"
                        .to_owned(),
                ));
            }
        }
        tracing::debug!(
            attempt,
            "import lost a race with another writer; running it again"
        );
    }
}

fn report(prepared: &[(Lead, LeadKeys)], outcomes: &[Outcome]) -> ImportReport {
    let mut report = ImportReport::default();
    for (i, ((lead, _), outcome)) in prepared.iter().zip(outcomes).enumerate() {
        match outcome {
            Outcome::Inserted => {
                report.ids.push(lead.id);
                report.inserted.push(i);
            }
            Outcome::Existing(id) => {
                report.ids.push(LeadId::from_uuid(*id));
                report.existing.push(i);
            }
        }
    }
    report
}

async fn try_import(
    store: &PgStore,
    tenant: TenantId,
    prepared: &[(Lead, LeadKeys)],
) -> Result<Vec<Outcome>, Failed> {
    let mut tx = store.begin(tenant).await?;
    sqlx::query(
        "SELECT pg_advisory_xact_lock(hashtextextended('crm-store import ' || $1::text, 0))",
    )
    .bind(tenant.as_uuid())
    .execute(&mut *tx)
    .await?;
    let mut outcomes = Vec::with_capacity(prepared.len());
    // Whether the chunks so far were all new leads; after the first that was not (a portal
    // delivering again), the rest go straight to `ON CONFLICT DO NOTHING`.
    let mut all_new = prepared.len() >= OPTIMISTIC_FROM;
    for chunk in prepared.chunks(CHUNK) {
        if repeats_inside(chunk) {
            all_new = false;
            outcomes.extend(decide_then_insert(&mut tx, tenant, chunk).await?);
        } else {
            outcomes.extend(insert_then_resolve(&mut tx, tenant, chunk, &mut all_new).await?);
        }
    }
    tx.commit().await?;
    Ok(outcomes)
}

/// Whether two leads of the chunk share an id or a portal key.
fn repeats_inside(chunk: &[(Lead, LeadKeys)]) -> bool {
    let mut ids = HashSet::with_capacity(chunk.len());
    let mut portals = HashSet::new();
    chunk.iter().any(|(lead, keys)| {
        !ids.insert(lead.id)
            || keys
                .portal
                .as_deref()
                .zip(keys.portal_lead_id.as_deref())
                .is_some_and(|k| !portals.insert(k))
    })
}

/// Inserts the leads: all of them (`skip_taken: false`, failing with a unique violation if
/// one is taken), or those whose keys are free (`skip_taken: true`, `ON CONFLICT DO NOTHING`,
/// which checks every unique index before each row and costs a few per cent more). Returns
/// the ids inserted.
async fn insert(
    conn: &mut PgConnection,
    tenant: TenantId,
    leads: &[&(Lead, LeadKeys)],
    skip_taken: bool,
) -> Result<HashSet<Uuid>, sqlx::Error> {
    let n = leads.len();
    let mut ids = Vec::with_capacity(n);
    let mut docs = Vec::with_capacity(n);
    let mut names = Vec::with_capacity(n);
    let mut emails = Vec::with_capacity(n);
    let mut phones = Vec::with_capacity(n);
    let mut documents = Vec::with_capacity(n);
    let mut portals = Vec::with_capacity(n);
    let mut portal_ids = Vec::with_capacity(n);
    let mut stages = Vec::with_capacity(n);
    let mut agents = Vec::with_capacity(n);
    let mut created: Vec<DateTime<Utc>> = Vec::with_capacity(n);
    for (lead, keys) in leads.iter().copied() {
        ids.push(lead.id.as_uuid());
        docs.push(Json(lead));
        names.push(keys.name_key.as_str());
        emails.push(keys.email.as_deref());
        phones.push(keys.phone.as_deref());
        documents.push(keys.document.as_deref());
        portals.push(keys.portal.as_deref());
        portal_ids.push(keys.portal_lead_id.as_deref());
        stages.push(lead.stage.as_str());
        agents.push(lead.assigned_agent.map(|a| a.as_uuid()));
        created.push(lead.created_at);
    }
    let sql = if skip_taken {
        format!("{INSERT_ROWS} ON CONFLICT DO NOTHING RETURNING id")
    } else {
        INSERT_ROWS.to_owned()
    };
    let all = ids.clone();
    let query = sqlx::query_scalar::<_, Uuid>(&sql)
        .bind(tenant.as_uuid())
        .bind(ids)
        .bind(docs)
        .bind(names)
        .bind(emails)
        .bind(phones)
        .bind(documents)
        .bind(portals)
        .bind(portal_ids)
        .bind(stages)
        .bind(agents)
        .bind(created);
    if skip_taken {
        Ok(query.fetch_all(conn).await?.into_iter().collect())
    } else {
        query.fetch_all(conn).await?;
        Ok(all.into_iter().collect())
    }
}

/// Which of these ids and portal keys are stored (the portal keys with their lead's id).
async fn lookup(
    conn: &mut PgConnection,
    tenant: TenantId,
    leads: &[&(Lead, LeadKeys)],
) -> Result<(HashSet<Uuid>, HashMap<PortalKey, Uuid>), sqlx::Error> {
    let ids: Vec<Uuid> = leads.iter().map(|(l, _)| l.id.as_uuid()).collect();
    let (portals, portal_ids): (Vec<&str>, Vec<&str>) = leads
        .iter()
        .filter_map(|(_, k)| k.portal.as_deref().zip(k.portal_lead_id.as_deref()))
        .unzip();
    let stored_ids: Vec<Uuid> =
        sqlx::query_scalar("SELECT id FROM leads WHERE tenant_id = $1 AND id = ANY($2)")
            .bind(tenant.as_uuid())
            .bind(ids)
            .fetch_all(&mut *conn)
            .await?;
    let mut stored_portals = HashMap::new();
    if !portals.is_empty() {
        let rows = sqlx::query(
            "SELECT l.id, l.portal, l.portal_lead_id FROM leads l \
             JOIN UNNEST($2::text[], $3::text[]) AS k(portal, portal_lead_id) \
               ON l.portal = k.portal AND l.portal_lead_id = k.portal_lead_id \
             WHERE l.tenant_id = $1",
        )
        .bind(tenant.as_uuid())
        .bind(portals)
        .bind(portal_ids)
        .fetch_all(&mut *conn)
        .await?;
        for row in rows {
            let id: Uuid = row.try_get("id")?;
            let portal: String = row.try_get("portal")?;
            let portal_lead_id: String = row.try_get("portal_lead_id")?;
            stored_portals.insert((portal, portal_lead_id), id);
        }
    }
    Ok((stored_ids.into_iter().collect(), stored_portals))
}

/// A chunk without repeats inside: insert, then name the stored lead each skipped one repeats
/// (by id first, then by portal key, as the memory store checks). While the leads have all
/// been new (`all_new`), the chunk is first inserted without `ON CONFLICT` (a few per cent
/// faster), in a savepoint to fall back to when a key turns out to be taken.
async fn insert_then_resolve(
    conn: &mut PgConnection,
    tenant: TenantId,
    chunk: &[(Lead, LeadKeys)],
    all_new: &mut bool,
) -> Result<Vec<Outcome>, Failed> {
    let all: Vec<&(Lead, LeadKeys)> = chunk.iter().collect();
    if *all_new {
        conn.execute(sqlx::raw_sql("SAVEPOINT crm_import")).await?;
        match insert(conn, tenant, &all, false).await {
            Ok(_) => {
                conn.execute(sqlx::raw_sql("RELEASE SAVEPOINT crm_import"))
                    .await?;
                return Ok(vec![Outcome::Inserted; chunk.len()]);
            }
            Err(e) if sqlstate(&e).as_deref() == Some(UNIQUE_VIOLATION) => {
                *all_new = false;
                conn.execute(sqlx::raw_sql(
                    "ROLLBACK TO SAVEPOINT crm_import; RELEASE SAVEPOINT crm_import",
                ))
                .await?;
            }
            Err(e) => return Err(e.into()),
        }
    }
    let inserted = insert(conn, tenant, &all, true).await?;
    if inserted.len() == chunk.len() {
        return Ok(vec![Outcome::Inserted; chunk.len()]);
    }
    let skipped: Vec<&(Lead, LeadKeys)> = chunk
        .iter()
        .filter(|(l, _)| !inserted.contains(&l.id.as_uuid()))
        .collect();
    let (stored_ids, stored_portals) = lookup(conn, tenant, &skipped).await?;
    chunk
        .iter()
        .map(|(lead, keys)| {
            let id = lead.id.as_uuid();
            if inserted.contains(&id) {
                Ok(Outcome::Inserted)
            } else if stored_ids.contains(&id) {
                Ok(Outcome::Existing(id))
            } else {
                portal_key(keys)
                    .and_then(|k| stored_portals.get(&k).copied())
                    .map(Outcome::Existing)
                    .ok_or(Failed::Raced)
            }
        })
        .collect()
}

/// A chunk with repeats inside: look up what is stored, decide lead by lead in order (a lead
/// decided for insertion counts as stored for the ones after it), then insert.
async fn decide_then_insert(
    conn: &mut PgConnection,
    tenant: TenantId,
    chunk: &[(Lead, LeadKeys)],
) -> Result<Vec<Outcome>, Failed> {
    let all: Vec<&(Lead, LeadKeys)> = chunk.iter().collect();
    let (mut ids, mut portals) = lookup(conn, tenant, &all).await?;
    let mut outcomes = Vec::with_capacity(chunk.len());
    let mut new = Vec::new();
    for entry in chunk {
        let (lead, keys) = entry;
        let id = lead.id.as_uuid();
        let key = portal_key(keys);
        if ids.contains(&id) {
            outcomes.push(Outcome::Existing(id));
        } else if let Some(holder) = key.as_ref().and_then(|k| portals.get(k)) {
            outcomes.push(Outcome::Existing(*holder));
        } else {
            ids.insert(id);
            if let Some(k) = key {
                portals.insert(k, id);
            }
            outcomes.push(Outcome::Inserted);
            new.push(entry);
        }
    }
    if !new.is_empty() {
        let inserted = insert(conn, tenant, &new, true).await?;
        if inserted.len() != new.len() {
            return Err(Failed::Raced);
        }
    }
    Ok(outcomes)
}
