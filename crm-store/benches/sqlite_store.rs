//! SQLite store throughput: bulk import of valid, varied leads into a fresh file database,
//! then point reads by id and optimistic updates, one call at a time.
//!
//! ```text
//! cargo bench -p crm-store --features sqlite --bench sqlite_store            # 100,000 leads
//! CRM_BENCH_LEADS=20000 cargo bench -p crm-store --features sqlite --bench sqlite_store
//! cargo bench -p crm-store --features sqlite --bench sqlite_store -- 20000
//! ```
//!
//! Leads are generated deterministically (a fixed-seed generator): names with accents, CPFs
//! with their check digits, mobile numbers with real area codes, e-mails, budgets; about half
//! come from a portal with the portal's lead id. Generation is not timed; validation and
//! normalisation are (they are part of every import).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use chrono::{Duration, TimeZone, Utc};
use crm_core::domain::{Lead, LeadId, TenantId};
use crm_store::sqlite::SqliteStore;
use crm_store::{LeadStore, StoreOptions};
use std::path::PathBuf;
use std::time::Instant;
use uuid::Uuid;

const DEFAULT_LEADS: usize = 100_000;
const GETS: usize = 20_000;
const UPDATES: usize = 5_000;
mod common;
use common::*;
/// This process's CPU time (user + system) so far, from `/proc/self/stat` (0 elsewhere).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    let after = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.0.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }
}

fn main() {
    let n = leads_wanted(DEFAULT_LEADS);
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
    let file = TempFile(std::env::temp_dir().join(format!(
        "crm_sqlite_bench_{}_{}.db",
        std::process::id(),
        Utc::now().timestamp_micros()
    )));

    runtime.block_on(async {
        let url = format!("sqlite://{}", file.0.display());
        let store = SqliteStore::open(&url, &StoreOptions::default())
            .await
            .expect("open the bench database");
        let tenant = TenantId::from_uuid(Uuid::now_v7());

        let cpu0 = cpu_seconds();
        let started = Instant::now();
        let report = store.import_leads(tenant, &leads).await.expect("import");
        let took = started.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - cpu0;
        assert_eq!(report.inserted.len(), n, "every generated lead is new");
        println!(
            "sqlite import: {n} leads in {took:.2} s = {} rows/s",
            grouped(n as f64 / took)
        );

        println!("sqlite import CPU time (all threads): {cpu:.2} s");

        let again = Instant::now();
        let report = store.import_leads(tenant, &leads).await.expect("re-import");
        let took = again.elapsed().as_secs_f64();
        assert_eq!(report.existing.len(), n, "a re-import inserts nothing");
        println!(
            "sqlite re-import (all existing): {n} leads in {took:.2} s = {} rows/s",
            grouped(n as f64 / took)
        );

        let ids: Vec<LeadId> = (0..GETS).map(|_| leads[rng.below(n)].id).collect();
        let started = Instant::now();
        for id in &ids {
            let got = store.get_lead(tenant, *id).await.expect("get");
            assert!(got.is_some());
        }
        let took = started.elapsed().as_secs_f64();
        println!(
            "sqlite get_lead by id: {GETS} reads in {took:.2} s = {} ops/s",
            grouped(GETS as f64 / took)
        );

        // Distinct leads, read first; only the updates are timed.
        let wanted = UPDATES.min(n);
        let mut picked = std::collections::HashSet::with_capacity(wanted);
        while picked.len() < wanted {
            picked.insert(rng.below(n));
        }
        let mut targets: Vec<Lead> = Vec::with_capacity(wanted);
        for i in picked {
            targets.push(
                store
                    .get_lead(tenant, leads[i].id)
                    .await
                    .expect("get")
                    .expect("stored"),
            );
        }
        let started = Instant::now();
        for (i, mut lead) in targets.into_iter().enumerate() {
            lead.stage = STAGES[i % STAGES.len()].to_owned();
            lead.updated_at += Duration::minutes(1);
            let stored = store.update_lead(tenant, &lead).await.expect("update");
            assert_eq!(stored.version, lead.version + 1);
        }
        let took = started.elapsed().as_secs_f64();
        println!(
            "sqlite update_lead (optimistic): {wanted} updates in {took:.2} s = {} ops/s",
            grouped(wanted as f64 / took)
        );
        store.close().await;
    });
}
