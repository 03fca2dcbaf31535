//! The SQLite adapter: the behaviour suite on an in-memory database and on a file, and what
//! only SQLite has — URL forms, files created and reopened with their data, WAL mode, the schema
//! check when migrations are off, error mapping (corrupt rows, unwritable paths, a locked
//! database) and bulk-import idempotency.
// Tests may unwrap: a failing test is the point (the shared suite's helpers too).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

// The shared suite is linted as part of each test crate that includes it.
#[allow(clippy::cloned_ref_to_slice_refs)]
mod behaviour;
mod services;

use behaviour::fixtures as fx;
use crm_core::ErrorCode;
use crm_core::domain::{Lead, LeadSource, Portal};
use crm_store::sqlite::SqliteStore;
use crm_store::{
    AgentStore, DealStore, LeadQuery, LeadStore, PageRequest, PropertyStore, RoutingStateStore,
    Store, StoreError, StoreOptions, VisitStore,
};
use sqlx::Connection;
use sqlx::sqlite::SqliteConnection;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// A database file in the temp directory, removed (with its WAL files) when dropped — also
/// when the test fails.
struct TempDb {
    path: PathBuf,
}

impl TempDb {
    fn new(name: &str) -> TempDb {
        let path = std::env::temp_dir().join(format!("{}.db", services::unique_name(name)));
        TempDb { path }
    }

    fn url(&self) -> String {
        format!("sqlite://{}", self.path.display())
    }

    async fn raw(&self) -> SqliteConnection {
        SqliteConnection::connect(&format!("sqlite://{}?mode=rw", self.path.display()))
            .await
            .unwrap()
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut p = self.path.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(Path::new(&p));
        }
    }
}

fn no_migrate() -> StoreOptions {
    StoreOptions {
        migrate: false,
        ..StoreOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_memory_store_passes_the_behaviour_suite() {
    let store = SqliteStore::in_memory().await.unwrap();
    behaviour::run_all(Arc::new(store)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_store_passes_the_behaviour_suite() {
    let db = TempDb::new("crm_sqlite_behaviour");
    let store = SqliteStore::open(&db.url(), &StoreOptions::default())
        .await
        .unwrap();
    let store = Arc::new(store);
    behaviour::run_all(store.clone()).await;
    Arc::try_unwrap(store).unwrap().close().await;
}

#[tokio::test]
async fn url_forms() {
    for url in ["sqlite::memory:", "sqlite://:memory:", " sqlite::memory: "] {
        let store = SqliteStore::open(url, &StoreOptions::default())
            .await
            .unwrap();
        assert_eq!(store.backend(), "sqlite");
        store.ping().await.unwrap();
    }
    let db = TempDb::new("crm_sqlite_url_a");
    let store = SqliteStore::open(&db.url(), &StoreOptions::default())
        .await
        .unwrap();
    store.ping().await.unwrap();
    assert!(db.path.exists(), "sqlite://path creates the file");
    store.close().await;
    let db = TempDb::new("crm_sqlite_url_b");
    let url = format!("sqlite:{}", db.path.display());
    let store = SqliteStore::open(&url, &StoreOptions::default())
        .await
        .unwrap();
    store.ping().await.unwrap();
    assert!(db.path.exists(), "sqlite:path creates the file");
    store.close().await;

    for bad in [
        "postgres://localhost/x",
        "crm.db",
        "sqlite://",
        "sqlite:",
        "sqlite://x.db?mode=bogus",
    ] {
        let err = SqliteStore::open(bad, &StoreOptions::default())
            .await
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::StoreConfig, "{bad}: {err:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_in_memory_database_is_one_database_for_every_call() {
    let store = Arc::new(
        SqliteStore::open("sqlite://:memory:", &StoreOptions::default())
            .await
            .unwrap(),
    );
    let t = fx::tenant();
    let mut tasks = Vec::new();
    for i in 0..24 {
        let s = store.clone();
        tasks.push(tokio::spawn(async move {
            s.insert_lead(t, &fx::lead("Paralela", i)).await.unwrap()
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let all = store.find_leads(t, &LeadQuery::default()).await.unwrap();
    assert_eq!(all.items.len(), 24);
    // Another in-memory store is another database.
    let other = SqliteStore::in_memory().await.unwrap();
    assert!(
        other
            .find_leads(t, &LeadQuery::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );
}

#[tokio::test]
async fn a_file_is_created_and_reopened_with_its_data() {
    let db = TempDb::new("crm_sqlite_reopen");
    assert!(!db.path.exists());
    let t = fx::tenant();
    let store = SqliteStore::open(&db.url(), &StoreOptions::default())
        .await
        .unwrap();
    let agent = store
        .insert_agent(t, &fx::agent("Durável", 0))
        .await
        .unwrap();
    let lead = store
        .insert_lead(t, &fx::portal_lead("Persistente", Portal::Zap, "Z-9", 0))
        .await
        .unwrap();
    let prop = store
        .insert_property(t, &fx::property("São Paulo", 0))
        .await
        .unwrap();
    let deal = store
        .insert_deal(t, &fx::deal(lead.id, prop.id, agent.id, agent.id, 1))
        .await
        .unwrap();
    let mut moved = deal.clone();
    moved.updated_at = fx::at(2);
    let deal = store.update_deal(t, &moved).await.unwrap();
    let visit = store
        .insert_visit(t, &fx::visit(lead.id, prop.id, agent.id, 60))
        .await
        .unwrap();
    let activity = store
        .add_activity(t, &fx::activity(lead.id, 3, "ligar"))
        .await
        .unwrap();
    assert_eq!(store.next_cursor(t, "zona_sul").await.unwrap(), 0);
    store.close().await;
    assert!(db.path.exists());

    // Reopened with migrations off: the schema is current, and everything is there.
    let store = SqliteStore::open(&db.url(), &no_migrate()).await.unwrap();
    assert_eq!(store.get_agent(t, agent.id).await.unwrap(), Some(agent));
    assert_eq!(
        store.get_lead(t, lead.id).await.unwrap(),
        Some(lead.clone())
    );
    assert_eq!(
        store
            .find_lead_by_portal(t, &Portal::Zap, "Z-9")
            .await
            .unwrap()
            .map(|l| l.id),
        Some(lead.id)
    );
    assert_eq!(store.get_property(t, prop.id).await.unwrap(), Some(prop));
    assert_eq!(
        store.get_deal(t, deal.id).await.unwrap(),
        Some(deal.clone())
    );
    assert_eq!(deal.version, 2);
    assert_eq!(store.get_visit(t, visit.id).await.unwrap(), Some(visit));
    assert_eq!(
        store.list_activities(t, lead.id).await.unwrap(),
        vec![activity]
    );
    assert_eq!(store.next_cursor(t, "zona_sul").await.unwrap(), 1);
    store.close().await;

    // And again with migrations on (a no-op now).
    let store = SqliteStore::open(&db.url(), &StoreOptions::default())
        .await
        .unwrap();
    assert_eq!(store.get_lead(t, lead.id).await.unwrap(), Some(lead));
    store.close().await;
}

#[tokio::test]
async fn files_use_wal_and_keep_the_ledger_append_only() {
    let db = TempDb::new("crm_sqlite_wal");
    let store = SqliteStore::open(&db.url(), &StoreOptions::default())
        .await
        .unwrap();
    store.ping().await.unwrap();
    let mut raw = db.raw().await;
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut raw)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    // Triggers refuse changes even when there are rows to change.
    sqlx::query(
        "INSERT INTO audit (tenant_id, id, at, actor, action, record_kind, record_id, detail) \
         VALUES (x'00', x'01', 0, 'a', 'b', 'lead', x'02', '{}')",
    )
    .execute(&mut raw)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO ledger (tenant_id, id, deal_id, kind, plan_id, date, memo, postings, recorded_at, entry) \
         VALUES (x'00', x'01', x'02', 'commission', 'p', '2026-01-01', 'm', '[]', 0, '{}')",
    )
    .execute(&mut raw)
    .await
    .unwrap();
    for sql in [
        "DELETE FROM ledger",
        "UPDATE ledger SET memo = 'x'",
        "UPDATE audit SET actor = 'x'",
        "DELETE FROM audit",
    ] {
        let err = sqlx::query(sql).execute(&mut raw).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    raw.close().await.unwrap();
    store.close().await;
}

#[tokio::test]
async fn migrations_off_refuse_a_database_whose_schema_is_behind() {
    let db = TempDb::new("crm_sqlite_nomigrate");
    let err = SqliteStore::open(&db.url(), &no_migrate())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::StoreMigration, "{err:?}");
    assert!(matches!(err, StoreError::Migration(_)));
    let message = err.to_string();
    assert!(
        message.contains("behind") && message.contains("migrate: true"),
        "{message}"
    );

    // Migrated, it opens; with an unknown (newer) migration recorded, it does not.
    SqliteStore::open(&db.url(), &StoreOptions::default())
        .await
        .unwrap()
        .close()
        .await;
    SqliteStore::open(&db.url(), &no_migrate())
        .await
        .unwrap()
        .close()
        .await;
    let mut raw = db.raw().await;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (99990101000000, 'from the future', 1, x'00', 0)",
    )
    .execute(&mut raw)
    .await
    .unwrap();
    raw.close().await.unwrap();
    for options in [no_migrate(), StoreOptions::default()] {
        let err = SqliteStore::open(&db.url(), &options).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::StoreMigration, "{err:?}");
    }
}

#[tokio::test]
async fn unusable_paths_are_clear_typed_errors() {
    let missing_dir = std::env::temp_dir()
        .join(services::unique_name("crm_no_such_dir"))
        .join("crm.db");
    let err = SqliteStore::open(
        &format!("sqlite://{}", missing_dir.display()),
        &StoreOptions::default(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::StoreConfig, "{err:?}");
    assert!(err.to_string().contains("cannot open or create"), "{err}");

    let db = TempDb::new("crm_sqlite_notadb");
    std::fs::write(
        &db.path,
        b"this is not a database, it is a text file that is long enough to matter",
    )
    .unwrap();
    let err = SqliteStore::open(&db.url(), &StoreOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::StoreConfig, "{err:?}");
    assert!(err.to_string().contains("not a SQLite database"), "{err}");
}

#[tokio::test]
async fn a_corrupt_document_is_store_corrupt() {
    let db = TempDb::new("crm_sqlite_corrupt");
    let store = SqliteStore::open(&db.url(), &StoreOptions::default())
        .await
        .unwrap();
    let t = fx::tenant();
    let lead = store
        .insert_lead(t, &fx::lead("Corrompida", 0))
        .await
        .unwrap();
    let mut raw = db.raw().await;
    sqlx::query("UPDATE leads SET doc = '{\"id\": 42' WHERE tenant_id = ? AND id = ?")
        .bind(t.as_uuid())
        .bind(lead.id.as_uuid())
        .execute(&mut raw)
        .await
        .unwrap();
    raw.close().await.unwrap();
    let err = store.get_lead(t, lead.id).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::StoreCorrupt, "{err:?}");
    assert!(matches!(
        err,
        StoreError::Corrupt {
            kind: crm_store::RecordKind::Lead,
            ..
        }
    ));
    let err = store
        .find_leads(t, &LeadQuery::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::StoreCorrupt, "{err:?}");
    store.close().await;
}

#[tokio::test]
async fn a_database_locked_by_another_writer_is_unavailable() {
    let db = TempDb::new("crm_sqlite_busy");
    let options = StoreOptions {
        acquire_timeout: Duration::from_millis(200),
        ..StoreOptions::default()
    };
    let store = SqliteStore::open(&db.url(), &options).await.unwrap();
    let t = fx::tenant();
    let mut raw = db.raw().await;
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut raw)
        .await
        .unwrap();
    let err = store
        .insert_lead(t, &fx::lead("Bloqueada", 0))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::StoreUnavailable, "{err:?}");
    assert!(err.is_transient());
    let err = store
        .import_leads(t, &[fx::lead("Bloqueada", 0)])
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::StoreUnavailable, "{err:?}");
    // Readers are not blocked by the writer (WAL).
    assert!(
        store
            .find_leads(t, &LeadQuery::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );
    sqlx::query("ROLLBACK").execute(&mut raw).await.unwrap();
    raw.close().await.unwrap();
    store
        .insert_lead(t, &fx::lead("Liberada", 0))
        .await
        .unwrap();
    store.close().await;
}

fn thousand_leads() -> Vec<Lead> {
    (0..1000)
        .map(|i| {
            if i % 2 == 0 {
                fx::portal_lead("Importada Portal", Portal::Zap, &format!("ZAP-{i}"), i)
            } else {
                fx::lead("Importada Site", i)
            }
        })
        .collect()
}

#[tokio::test]
async fn importing_1000_leads_twice_stores_them_once() {
    let db = TempDb::new("crm_sqlite_import");
    let store = SqliteStore::open(&db.url(), &StoreOptions::default())
        .await
        .unwrap();
    let t = fx::tenant();
    let batch = thousand_leads();
    let first = store.import_leads(t, &batch).await.unwrap();
    assert_eq!(first.inserted, (0..1000).collect::<Vec<_>>());
    assert!(first.existing.is_empty());
    assert_eq!(first.ids, batch.iter().map(|l| l.id).collect::<Vec<_>>());

    let again = store.import_leads(t, &batch).await.unwrap();
    assert!(again.inserted.is_empty());
    assert_eq!(again.existing, (0..1000).collect::<Vec<_>>());
    assert_eq!(again.ids, first.ids);

    // Re-delivered by the portal under new lead ids: found by the portal lead id.
    let redelivered: Vec<Lead> = batch
        .iter()
        .step_by(2)
        .map(|l| {
            let mut copy = fx::lead("Reenviada", 0);
            copy.source = l.source.clone();
            copy
        })
        .collect();
    let report = store.import_leads(t, &redelivered).await.unwrap();
    assert!(report.inserted.is_empty());
    assert_eq!(
        report.ids,
        batch.iter().step_by(2).map(|l| l.id).collect::<Vec<_>>()
    );

    // The same batch in another tenant is all new there.
    let other = fx::tenant();
    assert_eq!(
        store
            .import_leads(other, &batch)
            .await
            .unwrap()
            .inserted
            .len(),
        1000
    );

    let mut count = 0;
    let mut q = LeadQuery {
        page: PageRequest::first(300),
        ..Default::default()
    };
    loop {
        let page = store.find_leads(t, &q).await.unwrap();
        count += page.items.len();
        assert!(page.items.iter().all(|l| l.version == 1));
        match page.next {
            Some(next) => q.page.after = Some(next),
            None => break,
        }
    }
    assert_eq!(count, 1000);
    let zap = store
        .find_lead_by_portal(t, &Portal::Zap, "ZAP-998")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(zap.id, batch[998].id);
    assert!(matches!(zap.source, LeadSource::Portal { .. }));
    store.close().await;
}

#[tokio::test]
async fn counters_saturate_instead_of_turning_into_floats() {
    let store = SqliteStore::in_memory().await.unwrap();
    let t = fx::tenant();
    assert_eq!(
        store.add_to_counter(t, "k", i64::MAX - 1).await.unwrap(),
        i64::MAX - 1
    );
    assert_eq!(store.add_to_counter(t, "k", 5).await.unwrap(), i64::MAX);
    assert_eq!(
        store.add_to_counter(t, "k", -3).await.unwrap(),
        i64::MAX - 3
    );
    assert_eq!(
        store.add_to_counter(t, "low", i64::MIN + 2).await.unwrap(),
        i64::MIN + 2
    );
    assert_eq!(store.add_to_counter(t, "low", -7).await.unwrap(), i64::MIN);
    assert_eq!(store.counter(t, "low").await.unwrap(), i64::MIN);
    // Cursors and counters are separate namespaces.
    assert_eq!(store.next_cursor(t, "k").await.unwrap(), 0);
    assert_eq!(store.counter(t, "k").await.unwrap(), i64::MAX - 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_lead_late_in_a_large_import_writes_nothing() {
    let db = TempDb::new("crm_sqlite_import_invalid");
    let store = SqliteStore::open(&db.url(), &StoreOptions::default())
        .await
        .unwrap();
    let t = fx::tenant();
    let mut batch: Vec<Lead> = (0..3000).map(|i| fx::lead("Lote Grande", i)).collect();
    batch[2500].contact.email = Some("não é e-mail".into());
    batch[2999].contact.phone = Some("123".into());
    let err = store.import_leads(t, &batch).await.unwrap_err();
    let paths: Vec<&str> = err.field_errors().iter().map(|e| e.path.as_str()).collect();
    assert!(paths.contains(&"[2500].contact.email"), "{paths:?}");
    assert!(
        paths.iter().any(|p| p.starts_with("[2999].contact")),
        "{paths:?}"
    );
    assert!(
        store
            .find_leads(t, &LeadQuery::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert!(store.get_lead(t, batch[0].id).await.unwrap().is_none());
    // The store is usable afterwards (the import's transaction was rolled back).
    batch[2500].contact.email = None;
    batch[2999].contact.phone = None;
    let report = store.import_leads(t, &batch).await.unwrap();
    assert_eq!(report.inserted.len(), 3000);
    store.close().await;
}
