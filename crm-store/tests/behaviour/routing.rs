//! Routing state: atomic cursors and counters, and the routing document with compare-and-swap.

use super::fixtures as fx;
use crm_core::ErrorCode;
use crm_core::workflow::routing::RoutingState;
use crm_store::Store;
use std::sync::Arc;

pub async fn cursors_counters_and_state(s: &dyn Store) {
    let t = fx::tenant();
    let other = fx::tenant();
    assert_eq!(s.next_cursor(t, "zona_sul").await.unwrap(), 0);
    assert_eq!(s.next_cursor(t, "zona_sul").await.unwrap(), 1);
    assert_eq!(s.next_cursor(t, "zona_norte").await.unwrap(), 0);
    assert_eq!(
        s.next_cursor(other, "zona_sul").await.unwrap(),
        0,
        "per tenant"
    );
    assert_eq!(s.counter(t, "open:ana").await.unwrap(), 0);
    assert_eq!(s.add_to_counter(t, "open:ana", 3).await.unwrap(), 3);
    assert_eq!(s.add_to_counter(t, "open:ana", -1).await.unwrap(), 2);
    assert_eq!(s.counter(t, "open:ana").await.unwrap(), 2);
    assert_eq!(s.counter(other, "open:ana").await.unwrap(), 0);
    assert_eq!(
        s.next_cursor(t, "").await.unwrap_err().code(),
        ErrorCode::TextTooLong
    );

    let empty = s.load_routing_state(t).await.unwrap();
    assert_eq!(empty.version, 0);
    assert_eq!(empty.value, RoutingState::default());
    let mut state = RoutingState::default();
    state.cursors.insert("zona_sul".into(), 4);
    state.next_offer_id = 9;
    assert_eq!(s.save_routing_state(t, &state, 0).await.unwrap(), 1);
    let loaded = s.load_routing_state(t).await.unwrap();
    assert_eq!((loaded.value, loaded.version), (state.clone(), 1));
    let err = s
        .save_routing_state(t, &RoutingState::default(), 0)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::StoreConflict);
    assert_eq!(
        s.save_routing_state(t, &RoutingState::default(), 1)
            .await
            .unwrap(),
        2
    );
    assert_eq!(s.load_routing_state(other).await.unwrap().version, 0);
}

/// 8 tasks take 50 cursor values each: all 400 values distinct and contiguous.
pub async fn concurrent_cursors(store: Arc<dyn Store>) {
    let t = fx::tenant();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let s = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut got = Vec::new();
            for _ in 0..50 {
                got.push(s.next_cursor(t, "rr").await.unwrap());
                s.add_to_counter(t, "hits", 1).await.unwrap();
            }
            got
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    all.sort_unstable();
    assert_eq!(all, (0..400).collect::<Vec<u64>>());
    assert_eq!(store.counter(t, "hits").await.unwrap(), 400);
}
