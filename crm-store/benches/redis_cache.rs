//! Point reads by id through the Redis cache against the same reads straight from PostgreSQL:
//! 10,000 leads in a schema of its own (dropped afterwards), 2 concurrent tasks, the same
//! number of reads each way, the same random ids, alternated over three rounds (the best round
//! of each is reported). The cache is warmed first (every lead read once) and must stay healthy
//! for the whole run, so every timed read is a Redis hit.
//!
//! ```text
//! cargo bench -p crm-store --features redis,postgres --bench redis_cache
//! CRM_BENCH_GETS=100000 cargo bench -p crm-store --features redis,postgres --bench redis_cache
//! DATABASE_URL=postgres://user@host/db REDIS_URL=redis://host:6379 cargo bench …
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "../tests/services/mod.rs"]
mod services;

use chrono::{Duration as Minutes, TimeZone, Utc};
use crm_core::domain::{Contact, Lead, LeadId, TenantId};
use crm_store::cache::RedisCache;
use crm_store::postgres::PgStore;
use crm_store::{LeadStore, Store, StoreOptions};
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

const LEADS: usize = 10_000;
const DEFAULT_GETS: usize = 20_000;
const TASKS: usize = 2;
const ROUNDS: usize = 3;

/// SplitMix64: a small fixed-seed generator (the bench must not depend on `rand`).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn leads(n: usize) -> Vec<Lead> {
    const NAMES: &[&str] = &[
        "Ana Souza",
        "João Silva",
        "Lúcia Araújo",
        "Pedro Conceição",
        "Camila Brandão",
    ];
    let base = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).single().unwrap();
    (0..n)
        .map(|i| {
            let id = LeadId::from_parts(1_760_000_000_000 + i as u64, [(i % 251) as u8; 10]);
            let contact =
                Contact::new(NAMES[i % NAMES.len()]).with_email(format!("lead{i}@exemplo.com.br"));
            Lead::new(id, contact, base + Minutes::seconds(i as i64))
        })
        .collect()
}

/// Reads `gets` random leads by id from `tasks` concurrent tasks; returns the elapsed time.
async fn read_all(
    store: Arc<dyn Store>,
    tenant: TenantId,
    ids: Arc<Vec<LeadId>>,
    gets: usize,
) -> Duration {
    let start = Instant::now();
    let mut handles = Vec::new();
    for task in 0..TASKS {
        let (store, ids) = (store.clone(), ids.clone());
        handles.push(tokio::spawn(async move {
            let mut rng = Rng(0xC0FF_EE00 + task as u64);
            for _ in 0..gets / TASKS {
                let id = ids[(rng.next() % ids.len() as u64) as usize];
                assert!(store.get_lead(tenant, id).await.unwrap().is_some());
            }
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    start.elapsed()
}

fn rate(ops: usize, took: Duration) -> String {
    let per_sec = (ops as f64 / took.as_secs_f64()).round() as u64;
    let digits = per_sec.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{ops} ops in {:.2} s = {grouped} ops/s", took.as_secs_f64())
}

/// Drops the bench schema and the cache's keys, also when the bench panics.
struct Cleanup {
    db_url: String,
    schema: String,
    redis_url: String,
    prefix: String,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let (db_url, schema) = (self.db_url.clone(), self.schema.clone());
        let dropped = std::thread::spawn(move || {
            use sqlx::{Connection, Executor};
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let mut c = sqlx::PgConnection::connect(&db_url).await?;
                c.execute(format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE").as_str())
                    .await?;
                c.close().await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop bench schema {}: {dropped:?}", self.schema);
        }
        let deleted = (|| -> redis::RedisResult<()> {
            let mut con = redis::Client::open(self.redis_url.as_str())?.get_connection()?;
            let mut cursor = 0u64;
            loop {
                let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
                    .arg(cursor)
                    .arg("MATCH")
                    .arg(format!("{}:*", self.prefix))
                    .arg("COUNT")
                    .arg(1000)
                    .query(&mut con)?;
                if !keys.is_empty() {
                    redis::cmd("DEL").arg(keys).query::<()>(&mut con)?;
                }
                if next == 0 {
                    return Ok(());
                }
                cursor = next;
            }
        })();
        if let Err(e) = deleted {
            eprintln!("could not delete the bench keys under {}: {e}", self.prefix);
        }
    }
}

fn main() {
    let (db_url, redis_url) = (services::database_url(), services::redis_url());
    if !services::available("PostgreSQL", &db_url, 5432)
        || !services::available("Redis", &redis_url, 6379)
    {
        return;
    }
    let gets: usize = std::env::var("CRM_BENCH_GETS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_GETS);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let cleanup = Cleanup {
        db_url: db_url.clone(),
        schema: services::unique_name("crm_bench_redis"),
        redis_url: redis_url.clone(),
        prefix: services::unique_name("crmbench"),
    };
    rt.block_on(async {
        let options = StoreOptions {
            schema: Some(cleanup.schema.clone()),
            max_connections: 4,
            cache_prefix: cleanup.prefix.clone(),
            cache_ttl: Duration::from_secs(600),
            ..StoreOptions::default()
        };
        let pg = Arc::new(PgStore::connect(&db_url, &options).await.unwrap());
        let tenant = TenantId::from_uuid(Uuid::now_v7());
        let all = leads(LEADS);
        for chunk in all.chunks(2_000) {
            pg.import_leads(tenant, chunk).await.unwrap();
        }
        let ids: Arc<Vec<LeadId>> = Arc::new(all.iter().map(|l| l.id).collect());
        let cache = Arc::new(RedisCache::new(pg.clone(), &redis_url, &options).unwrap());

        // Cold: every lead read once through the cache (a miss, a PostgreSQL read and a fill).
        let start = Instant::now();
        for &id in ids.iter() {
            cache.get_lead(tenant, id).await.unwrap().unwrap();
        }
        let cold = start.elapsed();
        assert!(!cache.is_degraded(), "Redis failed during the warm-up");

        // Alternate the two, three rounds each, and keep each one's best round: the machine
        // may be shared, and a burst of load should not decide the comparison.
        let (mut direct, mut cached) = (Duration::MAX, Duration::MAX);
        for _ in 0..ROUNDS {
            direct = direct.min(read_all(pg.clone(), tenant, ids.clone(), gets).await);
            cached = cached.min(read_all(cache.clone(), tenant, ids.clone(), gets).await);
        }
        assert!(
            !cache.is_degraded(),
            "Redis failed during the run: figures would be the primary's"
        );
        println!("{LEADS} leads in PostgreSQL, {TASKS} concurrent tasks, random ids, best of {ROUNDS} rounds");
        println!(
            "get-by-id via redis cache: {} (postgres direct: {})",
            rate(gets, cached),
            rate(gets, direct)
        );
        println!(
            "speed-up: {:.2}x; cold pass through the cache (miss + fill, 1 task): {}",
            direct.as_secs_f64() / cached.as_secs_f64(),
            rate(LEADS, cold)
        );
        pg.close().await;
    });
    drop(cleanup);
}
