//! No lost updates: many tasks update one deal at once; each update lands or gets
//! `store.conflict`, and the final version counts exactly the updates that landed.

use super::fixtures as fx;
use crm_core::ErrorCode;
use crm_store::Store;
use std::sync::Arc;
use tokio::sync::Barrier;

pub async fn no_lost_updates(store: Arc<dyn Store>, tasks: usize) {
    let t = fx::tenant();
    let agent = store
        .insert_agent(t, &fx::agent("Concorrente", 0))
        .await
        .unwrap();
    let lead = store
        .insert_lead(t, &fx::lead("Concorrência", 0))
        .await
        .unwrap();
    let prop = store
        .insert_property(t, &fx::property("São Paulo", 0))
        .await
        .unwrap();
    let deal = store
        .insert_deal(t, &fx::deal(lead.id, prop.id, agent.id, agent.id, 0))
        .await
        .unwrap();

    // Round 1: every task reads the same version, then all update at once: exactly one lands.
    let barrier = Arc::new(Barrier::new(tasks));
    let mut handles = Vec::new();
    for i in 0..tasks {
        let (s, b) = (store.clone(), barrier.clone());
        handles.push(tokio::spawn(async move {
            let mut d = s.get_deal(t, deal.id).await.unwrap().unwrap();
            b.wait().await;
            d.lease_months = None;
            d.updated_at = fx::at(i as i64 + 1);
            s.update_deal(t, &d).await
        }));
    }
    let (mut landed, mut conflicts) = (0u64, 0u64);
    for h in handles {
        match h.await.unwrap() {
            Ok(_) => landed += 1,
            Err(e) => {
                assert_eq!(e.code(), ErrorCode::StoreConflict, "{e:?}");
                conflicts += 1;
            }
        }
    }
    assert_eq!(landed, 1, "one writer wins a race on one version");
    assert_eq!(conflicts, tasks as u64 - 1);
    let after_race = store.get_deal(t, deal.id).await.unwrap().unwrap();
    assert_eq!(after_race.version, 1 + landed);

    // Round 2: free-running read-modify-write with retry; each task lands 5 updates.
    let mut handles = Vec::new();
    for i in 0..tasks {
        let s = store.clone();
        handles.push(tokio::spawn(async move {
            let (mut ok, mut conflicts) = (0u64, 0u64);
            while ok < 5 {
                let mut d = s.get_deal(t, deal.id).await.unwrap().unwrap();
                d.updated_at = fx::at(100 + i as i64);
                match s.update_deal(t, &d).await {
                    Ok(stored) => {
                        assert_eq!(stored.version, d.version + 1);
                        ok += 1;
                    }
                    Err(e) => {
                        assert_eq!(e.code(), ErrorCode::StoreConflict, "{e:?}");
                        conflicts += 1;
                    }
                }
            }
            (ok, conflicts)
        }));
    }
    let mut total = 0;
    for h in handles {
        total += h.await.unwrap().0;
    }
    let last = store.get_deal(t, deal.id).await.unwrap().unwrap();
    assert_eq!(total, 5 * tasks as u64);
    assert_eq!(
        last.version,
        1 + landed + total,
        "final version = 1 (insert) + every update that landed"
    );
}
