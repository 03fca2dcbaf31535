//! The behaviour suite every store adapter must pass: memory, SQLite, PostgreSQL, and the Redis
//! cache over each. One call runs it all:
//!
//! ```ignore
//! mod behaviour;
//! mod services;
//! #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
//! async fn my_store_behaves() {
//!     behaviour::run_all(std::sync::Arc::new(MyStore::open(...).await.unwrap())).await;
//! }
//! ```
//!
//! Every check works in fresh random tenants, so one database can hold many runs; nothing
//! assumes an empty store. Named checks can also be run alone (`behaviour::concurrency::...`).
#![allow(dead_code, clippy::too_many_lines)]

pub mod concurrency;
pub mod fixtures;
pub mod isolation;
pub mod leads;
pub mod ledger;
pub mod privacy;
pub mod records;
pub mod routing;

use crm_store::Store;
use std::sync::Arc;

/// Runs every behaviour check against `store`.
pub async fn run_all(store: Arc<dyn Store>) {
    let s = store.as_ref();
    s.ping().await.expect("the store answers a ping");
    records::agents(s).await;
    records::properties(s).await;
    records::deals(s).await;
    records::visits(s).await;
    leads::insert_get_update(s).await;
    leads::invalid_records_are_refused_with_paths(s).await;
    leads::queries(s).await;
    leads::keyset_pagination(s).await;
    leads::portal_idempotency(s).await;
    leads::bulk_import(s).await;
    leads::activities(s).await;
    ledger::append_only_and_idempotent(s).await;
    ledger::audit_log(s).await;
    routing::cursors_counters_and_state(s).await;
    routing::concurrent_cursors(store.clone()).await;
    isolation::tenant_b_sees_and_changes_nothing_of_tenant_a(s).await;
    concurrency::no_lost_updates(store.clone(), 16).await;
    privacy::export_and_erase(s).await;
    privacy::consent(s).await;
}
