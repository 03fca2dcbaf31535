//! The behaviour suite against the in-memory store.

mod behaviour;

use crm_store::memory::MemoryStore;
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_store_passes_the_behaviour_suite() {
    behaviour::run_all(Arc::new(MemoryStore::new())).await;
}
