//! PostgreSQL store throughput, in a schema of its own (dropped afterwards): bulk import of
//! valid, varied leads (with `COPY` of the same rows into a table with the same indexes as the
//! reference), point reads by id from 2 concurrent tasks, optimistic updates from 2 tasks on
//! different leads, and the cost of the ways of setting the tenant for row-level security.
//!
//! ```text
//! cargo bench -p crm-store --features postgres --bench postgres_store            # 100,000 leads
//! CRM_BENCH_LEADS=20000 cargo bench -p crm-store --features postgres --bench postgres_store
//! DATABASE_URL=postgres://user@host/db cargo bench -p crm-store --features postgres --bench postgres_store
//! ```
//!
//! The machine may be shared: the read and update measurements run in interleaved rounds and
//! report the median round; the import is bracketed by `COPY` of the same rows just before and
//! just after it.
//!
//! Leads are generated deterministically (a fixed-seed generator): names with accents, CPFs
//! with their check digits, mobile numbers with real area codes, e-mails, budgets; half come
//! from a portal with the portal's lead id. Generation is not timed; validation, normalisation
//! and JSON encoding are (they are part of every import).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use chrono::{Duration, TimeZone, Utc};
use crm_core::domain::{Lead, LeadId, TenantId};
use crm_store::postgres::PgStore;
use crm_store::{LeadStore, StoreOptions};
use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, Executor, PgConnection, PgPool, Row};
use std::sync::Arc;
use std::time::Instant;
use uuid::Uuid;

const DEFAULT_LEADS: usize = 100_000;
const GETS: usize = 20_000;
const UPDATES: usize = 5_000;
const TASKS: usize = 2;
mod common;
use common::*;
/// The bench's schema, dropped (CASCADE) when this goes out of scope — also on panic.
struct Schema {
    url: String,
    name: String,
}

impl Drop for Schema {
    fn drop(&mut self) {
        let (url, name) = (self.url.clone(), self.name.clone());
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let mut c = PgConnection::connect(&url).await.unwrap();
                c.execute(format!("DROP SCHEMA IF EXISTS \"{name}\" CASCADE").as_str())
                    .await
                    .unwrap();
            });
        })
        .join();
    }
}

/// One CSV field: quoted, quotes doubled; `None` is an unquoted empty field (NULL).
fn csv(out: &mut String, value: Option<&str>) {
    if let Some(v) = value {
        out.push('"');
        out.push_str(&v.replace('"', "\"\""));
        out.push('"');
    }
}

/// `COPY` of the same rows into a table like `leads` (same columns, no policy; with all its
/// indexes, or with the primary key only): what PostgreSQL does without the store in the way.
async fn copy_reference(
    url: &str,
    schema: &str,
    tenant: TenantId,
    leads: &[Lead],
    all_indexes: bool,
) -> f64 {
    let prepared = crm_store::prepare::prepare_leads(leads).unwrap();
    let mut text = String::with_capacity(leads.len() * 900);
    for (lead, keys) in &prepared {
        let doc = serde_json::to_string(lead).unwrap();
        let tenant = tenant.as_uuid().to_string();
        let id = lead.id.to_string();
        let agent = lead.assigned_agent.map(|a| a.to_string());
        let created = lead.created_at.to_rfc3339();
        let fields: [Option<&str>; 13] = [
            Some(&tenant),
            Some(&id),
            Some(&doc),
            Some(&keys.name_key),
            keys.email.as_deref(),
            keys.phone.as_deref(),
            keys.document.as_deref(),
            keys.portal.as_deref(),
            keys.portal_lead_id.as_deref(),
            Some(&lead.stage),
            agent.as_deref(),
            Some(&created),
            Some("1"),
        ];
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                text.push(',');
            }
            csv(&mut text, *f);
        }
        text.push('\n');
    }
    let mut c = PgConnection::connect(url).await.unwrap();
    let like = if all_indexes {
        "LIKE leads INCLUDING ALL"
    } else {
        "LIKE leads INCLUDING DEFAULTS, PRIMARY KEY (tenant_id, id)"
    };
    c.execute(
        format!("SET search_path TO \"{schema}\"; CREATE TABLE leads_copy ({like})").as_str(),
    )
    .await
    .unwrap();
    let started = Instant::now();
    let mut copy = c
        .copy_in_raw(
            "COPY leads_copy (tenant_id, id, doc, name_key, email, phone, document, portal, \
             portal_lead_id, stage, assigned_agent, created_at, version) FROM STDIN (FORMAT csv)",
        )
        .await
        .unwrap();
    copy.send(text.as_bytes()).await.unwrap();
    let rows = copy.finish().await.unwrap();
    let took = started.elapsed().as_secs_f64();
    assert_eq!(rows as usize, leads.len());
    c.execute("DROP TABLE leads_copy").await.unwrap();
    rows as f64 / took
}

/// `ops` point reads split over [`TASKS`] tasks; returns ops/s.
async fn concurrent<F, Fut>(ops: usize, f: F) -> f64
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let f = Arc::new(f);
    let started = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|t| {
            let f = Arc::clone(&f);
            tokio::spawn(async move {
                for i in (t..ops).step_by(TASKS) {
                    f(i).await;
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    ops as f64 / started.elapsed().as_secs_f64()
}

/// Interleaved rounds per measurement of reads and updates.
const ROUNDS: usize = 5;

/// The reads compared: the store's `get_lead`, then the same row read with raw sqlx under
/// each way of setting the tenant for row-level security.
const READS: [&str; 6] = [
    "store.get_lead",
    "one statement, SELECT crm_lead_doc($1, $2), set_config(…, true) inside (the store's way)",
    "one simple-protocol message, set_config(…, true); SELECT (unprepared)",
    "transaction, BEGIN + set_config(…, true) | SELECT $ | COMMIT",
    "session, set_config(…, false) | SELECT $ (leaves the tenant set)",
    "none: superuser past RLS, SELECT $ (lower bound)",
];

/// One read of `id` the way `READS[case]` says; whether the lead was found.
async fn read(
    case: usize,
    store: &PgStore,
    app: &PgPool,
    owner: &PgPool,
    tenant: TenantId,
    id: LeadId,
) -> bool {
    let (t, id) = (tenant.as_uuid(), id.as_uuid());
    let q = "SELECT doc FROM leads WHERE tenant_id = $1 AND id = $2";
    match case {
        0 => store
            .get_lead(tenant, LeadId::from_uuid(id))
            .await
            .unwrap()
            .is_some(),
        1 => sqlx::query("SELECT crm_lead_doc($1, $2) AS doc")
            .bind(t)
            .bind(id)
            .fetch_one(app)
            .await
            .unwrap()
            .try_get::<Option<serde_json::Value>, _>("doc")
            .unwrap()
            .is_some(),
        2 => {
            let sql = format!(
                "SELECT set_config('crm.tenant_id', '{t}', true); \
                 SELECT doc FROM leads WHERE tenant_id = '{t}' AND id = '{id}'"
            );
            sqlx::raw_sql(&sql).fetch_all(app).await.unwrap().len() == 2
        }
        3 => {
            let begin = format!("BEGIN; SELECT set_config('crm.tenant_id', '{t}', true)");
            let mut tx = app.begin_with(begin).await.unwrap();
            let row = sqlx::query(q)
                .bind(t)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            row.is_some()
        }
        4 => {
            let mut c = app.acquire().await.unwrap();
            sqlx::query("SELECT set_config('crm.tenant_id', $1, false)")
                .bind(t.to_string())
                .execute(&mut *c)
                .await
                .unwrap();
            sqlx::query(q)
                .bind(t)
                .bind(id)
                .fetch_optional(&mut *c)
                .await
                .unwrap()
                .is_some()
        }
        _ => sqlx::query(q)
            .bind(t)
            .bind(id)
            .fetch_optional(owner)
            .await
            .unwrap()
            .is_some(),
    }
}

fn median(rates: &mut [f64]) -> f64 {
    rates.sort_by(f64::total_cmp);
    rates[rates.len() / 2]
}

/// A raw pool acting as the application role on the bench schema, for the tenant-setting
/// comparison (the same statement the store sends for `get_lead`).
async fn raw_pool(url: &str, schema: &str, role: Option<&str>) -> PgPool {
    let session = match role {
        Some(r) => format!("SET search_path TO \"{schema}\"; SET ROLE \"{r}\""),
        None => format!("SET search_path TO \"{schema}\""),
    };
    let session = Arc::<str>::from(session);
    PgPoolOptions::new()
        .max_connections(4) // as the store's: sqlx pings a connection when it comes back
        // to the pool, so a pool no larger than the tasks would make them wait for it
        .test_before_acquire(false)
        .after_connect(move |c, _| {
            let session = Arc::clone(&session);
            Box::pin(async move {
                c.execute(sqlx::raw_sql(&session)).await?;
                Ok(())
            })
        })
        .connect(url)
        .await
        .unwrap()
}

fn main() {
    let n = leads_wanted(DEFAULT_LEADS);
    let url = std::env::var("DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let mut rng = Rng(0x5EED_C0FF_EE15_600D);
    let base = Utc
        .with_ymd_and_hms(2025, 1, 6, 9, 0, 0)
        .single()
        .expect("a valid instant");
    let leads: Vec<Lead> = (0..n).map(|i| lead(&mut rng, i, base)).collect();
    let schema = Schema {
        url: url.clone(),
        name: format!(
            "crm_bench_{}_{}",
            std::process::id(),
            Utc::now().timestamp_micros()
        ),
    };

    runtime.block_on(async {
        let options = StoreOptions {
            schema: Some(schema.name.clone()),
            max_connections: 4,
            ..StoreOptions::default()
        };
        let store = match PgStore::connect(&url, &options).await {
            Ok(s) => Arc::new(s),
            Err(e) => {
                eprintln!("*** SKIPPED: postgres bench — cannot connect to {url}: {e}");
                return;
            }
        };
        let tenant = TenantId::from_uuid(Uuid::now_v7());

        // What the client does before the server sees a row: validate and normalise, then
        // encode the documents as JSON.
        let started = Instant::now();
        let prepared = crm_store::prepare::prepare_leads(&leads).unwrap();
        let validate = started.elapsed().as_secs_f64();
        let started = Instant::now();
        let bytes: usize = prepared.iter().map(|(l, _)| serde_json::to_vec(l).unwrap().len()).sum();
        let encode = started.elapsed().as_secs_f64();
        drop(prepared);

        // COPY of the same rows just before and just after the import, to bracket it on a
        // shared machine.
        let copy_before = copy_reference(&url, &schema.name, tenant, &leads, true).await;
        let started = Instant::now();
        let report = store.import_leads(tenant, &leads).await.expect("import");
        let took = started.elapsed().as_secs_f64();
        assert_eq!(report.inserted.len(), n, "every generated lead is new");
        let copy_after = copy_reference(&url, &schema.name, tenant, &leads, true).await;
        let copy_pk = copy_reference(&url, &schema.name, tenant, &leads, false).await;
        println!(
            "postgres import: {n} leads in {took:.2} s = {} rows/s (COPY reference here, same rows: {} / {} rows/s just before / after into a table with the same indexes, {} rows/s with the primary key only)",
            grouped(n as f64 / took),
            grouped(copy_before),
            grouped(copy_after),
            grouped(copy_pk)
        );
        println!(
            "  client side of it: validation {validate:.2} s, JSON {encode:.2} s ({} bytes a lead)",
            bytes / n
        );

        let again = Instant::now();
        let report = store.import_leads(tenant, &leads).await.expect("re-import");
        let took = again.elapsed().as_secs_f64();
        assert_eq!(report.existing.len(), n, "a re-import inserts nothing");
        println!(
            "postgres re-import (all existing): {n} leads in {took:.2} s = {} rows/s",
            grouped(n as f64 / took)
        );

        let ids: Arc<Vec<LeadId>> = Arc::new((0..GETS).map(|_| leads[rng.below(n)].id).collect());
        let app = raw_pool(&url, &schema.name, Some("crm_app")).await;
        let owner = raw_pool(&url, &schema.name, None).await;
        // Warm the pools and the statement caches.
        for (k, id) in ids.iter().take(100).enumerate() {
            for case in 0..READS.len() {
                assert!(read(case, &store, &app, &owner, tenant, *id).await, "{k}");
            }
        }
        // The machine is shared: the cases take turns, round after round, and each reports
        // its median round.
        let per_round = GETS / ROUNDS;
        let mut rates = vec![Vec::with_capacity(ROUNDS); READS.len()];
        for round in 0..ROUNDS {
            for (case, rate) in rates.iter_mut().enumerate() {
                let (s, a, o, i) = (Arc::clone(&store), app.clone(), owner.clone(), Arc::clone(&ids));
                rate.push(
                    concurrent(per_round, move |k| {
                        let (s, a, o, i) = (Arc::clone(&s), a.clone(), o.clone(), Arc::clone(&i));
                        async move {
                            let id = i[round * per_round + k];
                            assert!(read(case, &s, &a, &o, tenant, id).await);
                        }
                    })
                    .await,
                );
            }
        }
        println!(
            "postgres get_lead by id ({TASKS} tasks): {} ops/s (median of {ROUNDS} rounds of {} reads)",
            grouped(median(&mut rates[0])),
            grouped(per_round as f64)
        );
        for (case, what) in READS.iter().enumerate().skip(1) {
            println!("  tenant setting, {what}: {} ops/s", grouped(median(&mut rates[case])));
        }
        app.close().await;

        // Distinct leads, read first; the updates (and the reference UPDATEs) take turns in
        // rounds, each round on leads of its own.
        let wanted = UPDATES.min(n);
        let mut picked = std::collections::HashSet::with_capacity(wanted);
        while picked.len() < wanted {
            picked.insert(rng.below(n));
        }
        let mut targets: Vec<Lead> = Vec::with_capacity(wanted);
        for i in picked {
            targets.push(store.get_lead(tenant, leads[i].id).await.expect("get").expect("stored"));
        }
        let targets = Arc::new(targets);
        let per_round = wanted / ROUNDS;
        let (mut updates, mut commits) = (Vec::new(), Vec::new());
        for round in 0..ROUNDS {
            let (s, tg) = (Arc::clone(&store), Arc::clone(&targets));
            updates.push(
                concurrent(per_round, move |k| {
                    let (s, tg) = (Arc::clone(&s), Arc::clone(&tg));
                    async move {
                        let mut lead = tg[round * per_round + k].clone();
                        lead.stage = STAGES[k % STAGES.len()].to_owned();
                        lead.updated_at += Duration::minutes(1);
                        let stored = s.update_lead(tenant, &lead).await.expect("update");
                        assert_eq!(stored.version, lead.version + 1);
                    }
                })
                .await,
            );
            // The server's own commit rate for a one-row UPDATE (autocommit, prepared,
            // superuser).
            let (o, tg) = (owner.clone(), Arc::clone(&targets));
            commits.push(
                concurrent(per_round, move |k| {
                    let (o, tg) = (o.clone(), Arc::clone(&tg));
                    async move {
                        sqlx::query("UPDATE leads SET stage = stage WHERE tenant_id = $1 AND id = $2")
                            .bind(tenant.as_uuid())
                            .bind(tg[round * per_round + k].id.as_uuid())
                            .execute(&o)
                            .await
                            .unwrap();
                    }
                })
                .await,
            );
        }
        println!(
            "postgres update_lead (optimistic, {TASKS} tasks on different leads): {} ops/s (median of {ROUNDS} rounds of {per_round}; reference, a bare one-row UPDATE per commit: {} ops/s)",
            grouped(median(&mut updates)),
            grouped(median(&mut commits))
        );
        owner.close().await;
        store.close().await;
    });
    drop(schema);
}
