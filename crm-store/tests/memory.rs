//! The behaviour suite against the in-memory store.
// Tests may unwrap: a failing test is the point (the shared suite's helpers too).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

// The shared suite is linted as part of each test crate that includes it.
#[allow(clippy::cloned_ref_to_slice_refs)]
mod behaviour;

use crm_store::memory::MemoryStore;
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_store_passes_the_behaviour_suite() {
    behaviour::run_all(Arc::new(MemoryStore::new())).await;
}
