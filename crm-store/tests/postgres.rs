//! The PostgreSQL adapter: the behaviour suite in a schema of its own, and what only
//! PostgreSQL has — migrations and the schema check, row-level security switched on for every
//! table, the application role, error mapping (unknown role, missing database, unreachable
//! server), bulk import by `UNNEST` against the memory store's answers, and the append-only
//! ledger.
//!
//! Every test works in a fresh schema (`crm_test_<pid>_<nanos>_<n>`) dropped afterwards, also
//! when the test fails. Without a reachable server the tests are skipped loudly (or fail under
//! `CRM_REQUIRE_SERVICES=1`).
#![cfg(feature = "postgres")]
// The shared behaviour suite (and these tests) unwrap: a failing test is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[allow(clippy::cloned_ref_to_slice_refs)] // in the shared suite
mod behaviour;
mod services;

use behaviour::fixtures as fx;
use crm_core::ErrorCode;
use crm_core::Money;
use crm_core::commission::{Account, EntryKind, LedgerEntry, Posting};
use crm_core::domain::{Lead, LeadId, Portal, TenantId};
use crm_store::memory::MemoryStore;
use crm_store::postgres::PgStore;
use crm_store::{
    LeadQuery, LeadStore, LedgerStore, NewLedgerEntry, PageRequest, Store, StoreError, StoreOptions,
};
use rust_decimal_macros::dec;
use sqlx::{Connection, Executor, PgConnection, Row};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A schema of this test run, dropped (CASCADE) when the guard is dropped — also on panic.
struct Schema {
    name: String,
    url: String,
}

impl Schema {
    /// A fresh schema name, or `None` (after a loud skip message) without a server.
    fn new() -> Option<Schema> {
        let url = services::database_url();
        if !services::available("PostgreSQL", &url, 5432) {
            return None;
        }
        Some(Schema {
            name: services::unique_name("crm_test"),
            url,
        })
    }

    fn options(&self) -> StoreOptions {
        StoreOptions {
            schema: Some(self.name.clone()),
            max_connections: 4,
            ..StoreOptions::default()
        }
    }

    async fn store(&self) -> PgStore {
        PgStore::connect(&self.url, &self.options()).await.unwrap()
    }

    /// A connection as the login role (a superuser here), with the schema on its path.
    async fn raw(&self) -> PgConnection {
        let mut c = PgConnection::connect(&self.url).await.unwrap();
        c.execute(format!("SET search_path TO \"{}\"", self.name).as_str())
            .await
            .unwrap();
        c
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        let (url, name) = (self.url.clone(), self.name.clone());
        // Drop runs inside the test's runtime: clean up on a thread with a runtime of its own.
        let done = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let mut c = PgConnection::connect(&url).await?;
                c.execute(format!("DROP SCHEMA IF EXISTS \"{name}\" CASCADE").as_str())
                    .await?;
                c.close().await
            })
        })
        .join();
        if !matches!(done, Ok(Ok(()))) {
            eprintln!("could not drop test schema {}: {done:?}", self.name);
        }
    }
}

fn is_code<T: std::fmt::Debug>(result: Result<T, StoreError>, code: ErrorCode) -> StoreError {
    let err = result.unwrap_err();
    assert_eq!(err.code(), code, "{err}");
    err
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_store_passes_the_behaviour_suite() {
    let Some(schema) = Schema::new() else { return };
    let store = schema.store().await;
    assert_eq!(store.backend(), "postgres");
    behaviour::run_all(Arc::new(store.clone())).await;
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_create_secured_tables_and_indexes() {
    let Some(schema) = Schema::new() else { return };
    let store = schema.store().await;
    store.ping().await.unwrap();
    let mut raw = schema.raw().await;
    let tables: Vec<(String, bool, bool)> = sqlx::query_as(
        "SELECT c.relname::text, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = $1 AND c.relkind = 'r' AND c.relname <> '_sqlx_migrations' \
         ORDER BY 1",
    )
    .bind(&schema.name)
    .fetch_all(&mut raw)
    .await
    .unwrap();
    let names: Vec<&str> = tables.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "activities",
            "agents",
            "audit",
            "deals",
            "leads",
            "ledger",
            "properties",
            "routing_counters",
            "routing_state",
            "visits"
        ]
    );
    for (name, enabled, forced) in &tables {
        assert!(
            *enabled && *forced,
            "{name}: row-level security enabled and forced"
        );
    }
    let policies: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_policies WHERE schemaname = $1 AND policyname = 'tenant_isolation'",
    )
    .bind(&schema.name)
    .fetch_one(&mut raw)
    .await
    .unwrap();
    assert_eq!(policies, 10);
    let indexes: Vec<String> =
        sqlx::query_scalar("SELECT indexname::text FROM pg_indexes WHERE schemaname = $1")
            .bind(&schema.name)
            .fetch_all(&mut raw)
            .await
            .unwrap();
    for wanted in [
        "leads_portal_key",
        "leads_by_created",
        "leads_by_stage_agent",
        "leads_by_email",
        "leads_by_phone",
        "leads_by_document",
        "leads_by_name_trgm",
        "deals_by_status",
        "deals_by_lead",
        "deals_by_property",
        "deals_by_agent",
        "visits_by_lead",
        "visits_by_agent",
        "visits_by_start",
        "audit_by_record",
        "audit_by_at",
        "ledger_by_deal",
    ] {
        assert!(
            indexes.iter().any(|i| i == wanted),
            "index {wanted} in {indexes:?}"
        );
    }
    // The reads by id that set the tenant for their own statement.
    let functions: Vec<String> = sqlx::query_scalar(
        "SELECT p.proname::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
         WHERE n.nspname = $1 AND p.proname LIKE 'crm\\_%' ORDER BY 1",
    )
    .bind(&schema.name)
    .fetch_all(&mut raw)
    .await
    .unwrap();
    assert_eq!(
        functions,
        [
            "crm_agent_doc",
            "crm_deal_doc",
            "crm_lead_doc",
            "crm_property_doc",
            "crm_refuse_change",
            "crm_visit_row"
        ]
    );
    // The application role: read and write the mutable tables, only read and append to the
    // ledger and the audit log.
    let grants: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, privilege_type::text FROM information_schema.role_table_grants \
         WHERE grantee = 'crm_app' AND table_schema = $1 ORDER BY 1, 2",
    )
    .bind(&schema.name)
    .fetch_all(&mut raw)
    .await
    .unwrap();
    let of = |t: &str| -> Vec<&str> {
        grants
            .iter()
            .filter(|(n, _)| n == t)
            .map(|(_, p)| p.as_str())
            .collect()
    };
    assert_eq!(of("ledger"), ["INSERT", "SELECT"]);
    assert_eq!(of("audit"), ["INSERT", "SELECT"]);
    assert_eq!(of("leads"), ["INSERT", "SELECT", "UPDATE"]);
    // Connecting again applies nothing and checks fine, with or without migrating.
    let again = PgStore::connect(&schema.url, &schema.options())
        .await
        .unwrap();
    again.ping().await.unwrap();
    let checked = PgStore::connect(
        &schema.url,
        &StoreOptions {
            migrate: false,
            ..schema.options()
        },
    )
    .await
    .unwrap();
    checked.ping().await.unwrap();
    for s in [store, again, checked] {
        s.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_false_on_an_empty_or_missing_schema_is_store_migration() {
    let Some(schema) = Schema::new() else { return };
    let no_migrate = StoreOptions {
        migrate: false,
        ..schema.options()
    };
    // The schema does not even exist.
    let err = is_code(
        PgStore::connect(&schema.url, &no_migrate).await,
        ErrorCode::StoreMigration,
    );
    assert!(err.to_string().contains(&schema.name), "{err}");
    // It exists but is empty.
    let mut raw = PgConnection::connect(&schema.url).await.unwrap();
    raw.execute(format!("CREATE SCHEMA \"{}\"", schema.name).as_str())
        .await
        .unwrap();
    let err = is_code(
        PgStore::connect(&schema.url, &no_migrate).await,
        ErrorCode::StoreMigration,
    );
    assert!(err.to_string().contains("migrate = true"), "{err}");
    // Behind this build: only the first migration applied.
    schema.store().await.close().await;
    let mut raw = schema.raw().await;
    raw.execute("DELETE FROM _sqlx_migrations WHERE version = 2")
        .await
        .unwrap();
    let err = is_code(
        PgStore::connect(&schema.url, &no_migrate).await,
        ErrorCode::StoreMigration,
    );
    assert!(err.to_string().contains("behind this build"), "{err}");
    // Newer than this build.
    raw.execute(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (2, 'row security', true, '\\x00', 0), (99, 'future', true, '\\x00', 0)",
    )
    .await
    .unwrap();
    let err = is_code(
        PgStore::connect(&schema.url, &no_migrate).await,
        ErrorCode::StoreMigration,
    );
    assert!(err.to_string().contains("migration"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_role_is_store_auth() {
    let Some(schema) = Schema::new() else { return };
    // Trust authentication accepts any password for an existing role; a role that does not
    // exist is refused (SQLSTATE 28000).
    let url = with_user(&schema.url, &format!("{}_nobody", schema.name));
    let err = is_code(
        PgStore::connect(&url, &schema.options()).await,
        ErrorCode::StoreAuth,
    );
    assert!(err.to_string().contains("does not exist"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_database_is_store_config() {
    let Some(schema) = Schema::new() else { return };
    let url = with_database(&schema.url, &format!("{}_db", schema.name));
    let err = is_code(
        PgStore::connect(&url, &schema.options()).await,
        ErrorCode::StoreConfig,
    );
    assert!(err.to_string().contains("create the database"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_app_role_is_store_config() {
    let Some(schema) = Schema::new() else { return };
    let options = StoreOptions {
        app_role: Some(format!("{}_role", schema.name)),
        ..schema.options()
    };
    let err = is_code(
        PgStore::connect(&schema.url, &options).await,
        ErrorCode::StoreConfig,
    );
    assert!(err.to_string().contains("crm_app"), "{err}");
}

/// Login roles made by a test, dropped when the guard is dropped (declare it before the
/// [`Schema`] guard, so the schema goes first).
struct Roles {
    url: String,
    names: Vec<String>,
}

impl Drop for Roles {
    fn drop(&mut self) {
        let (url, names) = (self.url.clone(), self.names.clone());
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let mut c = PgConnection::connect(&url).await.unwrap();
                for n in names {
                    let _ = c
                        .execute(format!("DROP ROLE IF EXISTS \"{n}\"").as_str())
                        .await;
                }
            });
        })
        .join();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_role_must_be_crm_app_or_a_member_of_it() {
    let Some(schema) = Schema::new() else { return };
    let (svc, other) = (
        format!("{}_svc", schema.name),
        format!("{}_other", schema.name),
    );
    let _roles = Roles {
        url: schema.url.clone(),
        names: vec![svc.clone(), other.clone()],
    };
    // The schema, migrated by the owner (a superuser here).
    schema.store().await.close().await;
    let mut owner = PgConnection::connect(&schema.url).await.unwrap();
    owner
        .execute(
            format!(
                "CREATE ROLE \"{svc}\" LOGIN; GRANT crm_app TO \"{svc}\"; \
                 CREATE ROLE \"{other}\" LOGIN"
            )
            .as_str(),
        )
        .await
        .unwrap();
    let no_migrate = StoreOptions {
        migrate: false,
        ..schema.options()
    };
    let t = fx::tenant();
    // A service login that is a member of crm_app: as itself, as crm_app, and with no SET ROLE
    // at all (row-level security applies to it directly, the store sets the tenant).
    for role in [Some(svc.clone()), Some("crm_app".to_owned()), None] {
        let options = StoreOptions {
            app_role: role.clone(),
            ..no_migrate.clone()
        };
        let store = PgStore::connect(&with_user(&schema.url, &svc), &options)
            .await
            .unwrap();
        let lead = store.insert_lead(t, &fx::lead("Serviço", 0)).await.unwrap();
        assert_eq!(
            store.get_lead(t, lead.id).await.unwrap(),
            Some(lead.clone()),
            "{role:?}"
        );
        assert!(
            store
                .get_lead(fx::tenant(), lead.id)
                .await
                .unwrap()
                .is_none()
        );
        store.close().await;
    }
    // A login that is not: refused when connecting, with what to grant.
    let options = StoreOptions {
        app_role: Some(other.clone()),
        ..no_migrate.clone()
    };
    let err = is_code(
        PgStore::connect(&with_user(&schema.url, &other), &options).await,
        ErrorCode::StoreAuth,
    );
    assert!(err.to_string().contains("GRANT crm_app"), "{err}");
    // Nor may it act as crm_app.
    let options = StoreOptions {
        app_role: Some("crm_app".to_owned()),
        ..no_migrate
    };
    is_code(
        PgStore::connect(&with_user(&schema.url, &other), &options).await,
        ErrorCode::StoreAuth,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_server_is_store_unavailable_quickly() {
    let started = Instant::now();
    let options = StoreOptions {
        connect_timeout: Duration::from_secs(2),
        ..StoreOptions::default()
    };
    let err = is_code(
        PgStore::connect("postgres://postgres@127.0.0.1:1/test", &options).await,
        ErrorCode::StoreUnavailable,
    );
    assert!(err.is_transient());
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
    // A malformed URL is a configuration error.
    is_code(
        PgStore::connect("postgres://[::1", &options).await,
        ErrorCode::StoreConfig,
    );
    is_code(
        PgStore::connect(
            "postgres://postgres@127.0.0.1/test",
            &StoreOptions {
                max_connections: 0,
                ..StoreOptions::default()
            },
        )
        .await,
        ErrorCode::StoreConfig,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_gone_after_connecting_is_store_unavailable() {
    let Some(schema) = Schema::new() else { return };
    let store = schema.store().await;
    store.close().await;
    let err = is_code(
        store.get_lead(fx::tenant(), fx::id()).await,
        ErrorCode::StoreUnavailable,
    );
    assert!(err.is_transient());
}

fn with_user(url: &str, user: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    format!("postgres://{user}@{host}")
}

fn with_database(url: &str, db: &str) -> String {
    let base = url.split('?').next().unwrap_or(url);
    let server = base.rsplit_once('/').map_or(base, |(s, _)| s);
    format!("{server}/{db}")
}

/// Leads for the import: portal and website leads, some repeating stored leads (by id, by
/// portal key), some repeating earlier leads of the same batch, and leads that repeat both at
/// once in different leads.
fn import_batch(stored: &[Lead], n: usize) -> Vec<Lead> {
    let portals = [
        Portal::Zap,
        Portal::VivaReal,
        Portal::Olx,
        Portal::QuintoAndar,
    ];
    let mut batch: Vec<Lead> = Vec::with_capacity(n);
    for i in 0..n {
        let lead = match i % 10 {
            // A stored lead again, by id (changed: still left unchanged).
            0 if i / 10 < stored.len() => {
                let mut l = stored[i / 10].clone();
                l.stage = "changed".into();
                l
            }
            // A stored portal lead's key under a new id.
            1 if i / 10 < stored.len() => {
                let mut l = fx::lead("Repetido Portal", i as i64);
                l.source = stored[i / 10].source.clone();
                l
            }
            // An earlier lead of this batch again, by id.
            2 if i > 20 => batch[i - 7].clone(),
            // An earlier lead's portal key under a new id.
            3 if i > 20 => {
                let mut l = fx::lead("Repetido Lote", i as i64);
                l.source = batch[i - 11].source.clone();
                l
            }
            k if k % 2 == 0 => fx::portal_lead(
                "Importado Portal",
                portals[i % portals.len()].clone(),
                &format!("IMP-{i}"),
                (i % 500) as i64,
            ),
            _ => fx::lead("Importado Site", (i % 500) as i64),
        };
        batch.push(lead);
    }
    batch
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unnest_import_of_10000_leads_answers_as_the_memory_store() {
    let Some(schema) = Schema::new() else { return };
    let store = schema.store().await;
    let memory = MemoryStore::new();
    let t = fx::tenant();
    // Stored beforehand: 300 leads, half from portals.
    let stored: Vec<Lead> = (0..300)
        .map(|i| {
            if i % 2 == 0 {
                fx::portal_lead("Guardado", Portal::Zap, &format!("OLD-{i}"), i)
            } else {
                fx::lead("Guardado Site", i)
            }
        })
        .collect();
    let pg_first = store.import_leads(t, &stored).await.unwrap();
    let mem_first = memory.import_leads(t, &stored).await.unwrap();
    assert_eq!(pg_first, mem_first);
    assert_eq!(pg_first.inserted_count(), 300);

    let batch = import_batch(&stored, 10_000);
    let started = Instant::now();
    let pg = store.import_leads(t, &batch).await.unwrap();
    let took = started.elapsed();
    let mem = memory.import_leads(t, &batch).await.unwrap();
    assert_eq!(pg.ids, mem.ids, "each position names the same lead");
    assert_eq!(pg.inserted, mem.inserted);
    assert_eq!(pg.existing, mem.existing);
    assert!(
        pg.existing.len() > 1_000,
        "the batch repeats itself and the store: {}",
        pg.existing.len()
    );
    eprintln!(
        "imported {} of 10,000 leads ({} existing) in {took:?}",
        pg.inserted.len(),
        pg.existing.len()
    );
    // Stored leads were left unchanged; every new lead reads back as the memory store has it.
    for (i, id) in pg.ids.iter().enumerate().step_by(97) {
        let got = store.get_lead(t, *id).await.unwrap().unwrap();
        assert_eq!(
            Some(got),
            memory.get_lead(t, *id).await.unwrap(),
            "position {i}"
        );
    }
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM leads WHERE tenant_id = $1")
        .bind(t.as_uuid())
        .fetch_one(&mut schema.raw().await)
        .await
        .unwrap();
    assert_eq!(count as usize, 300 + pg.inserted.len());
    // Importing the same batch again inserts nothing and names the same leads.
    let again = store.import_leads(t, &batch).await.unwrap();
    assert!(again.inserted.is_empty());
    assert_eq!(again.ids, pg.ids);
    // Queries see the imported leads.
    let page = store
        .find_leads(
            t,
            &LeadQuery {
                name: Some("importado".into()),
                page: PageRequest::first(5),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(page.items.len(), 5);
    assert!(page.next.is_some());
    // Large batches without repeats inside: all new (inserted without ON CONFLICT), then new
    // leads mixed with stored ones (that attempt fails on a taken key and falls back).
    let fresh: Vec<Lead> = (0..2_500)
        .map(|i| fx::portal_lead("Novo", Portal::Olx, &format!("NEW-{i}"), i % 300))
        .collect();
    let pg_fresh = store.import_leads(t, &fresh).await.unwrap();
    assert_eq!(pg_fresh, memory.import_leads(t, &fresh).await.unwrap());
    assert_eq!(pg_fresh.inserted_count(), 2_500);
    let mixed: Vec<Lead> = (0..2_500)
        .map(|i| match i % 5 {
            0 => fresh[i].clone(),
            1 => {
                let mut l = fx::lead("Mesmo Portal", 7);
                l.source = fresh[i].source.clone();
                l
            }
            _ => fx::lead("Outro Novo", 8),
        })
        .collect();
    let pg_mixed = store.import_leads(t, &mixed).await.unwrap();
    assert_eq!(pg_mixed, memory.import_leads(t, &mixed).await.unwrap());
    assert_eq!(pg_mixed.existing.len(), 1_000);
    // An invalid lead fails the whole import with its position, and writes nothing.
    let mut bad = vec![fx::lead("Válido", 1), fx::lead("Inválido", 2)];
    bad[1].contact.email = Some("not-an-email".into());
    let err = is_code(store.import_leads(t, &bad).await, ErrorCode::EmailFormat);
    assert!(
        err.field_errors().iter().any(|e| e.path.starts_with("[1]")),
        "{err:?}"
    );
    assert!(store.get_lead(t, bad[0].id).await.unwrap().is_none());
    store.close().await;
}

fn entry(deal: crm_core::domain::DealId, cents: i64) -> LedgerEntry {
    let amount = Money::brl(rust_decimal::Decimal::new(cents, 2));
    LedgerEntry {
        deal_id: deal,
        kind: EntryKind::Commission,
        plan_id: "padrao-2026".into(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        memo: "comissão de venda".into(),
        postings: vec![
            Posting {
                account: Account::Client,
                amount,
            },
            Posting {
                account: Account::Tax { tax: "iss".into() },
                amount: -amount,
            },
        ],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ledger_refuses_update_and_delete() {
    let Some(schema) = Schema::new() else { return };
    let store = schema.store().await;
    let t = fx::tenant();
    let e = NewLedgerEntry {
        id: fx::id(),
        recorded_at: fx::at(0),
        entry: entry(fx::id(), 5_100_000),
    };
    let stored = store
        .append_ledger(t, std::slice::from_ref(&e))
        .await
        .unwrap();
    let amount: rust_decimal::Decimal =
        sqlx::query_scalar("SELECT amount FROM ledger WHERE id = $1")
            .bind(e.id)
            .fetch_one(&mut schema.raw().await)
            .await
            .unwrap();
    assert_eq!(amount, dec!(51000.00), "money is numeric");

    // As the application role: no privilege to change or remove rows.
    let mut app = schema.raw().await;
    app.execute("SET ROLE crm_app").await.unwrap();
    app.execute(
        format!(
            "SELECT set_config('crm.tenant_id', '{}', false)",
            t.as_uuid()
        )
        .as_str(),
    )
    .await
    .unwrap();
    for sql in [
        format!("UPDATE ledger SET memo = 'x' WHERE id = '{}'", e.id),
        format!("DELETE FROM ledger WHERE id = '{}'", e.id),
        format!("UPDATE audit SET actor = 'x' WHERE id = '{}'", e.id),
        "TRUNCATE ledger".to_owned(),
    ] {
        let err = app.execute(sql.as_str()).await.unwrap_err();
        let code = err
            .as_database_error()
            .and_then(|d| d.code())
            .unwrap()
            .into_owned();
        assert_eq!(code, "42501", "{sql}: {err}");
    }
    // As the owner (a superuser, past every privilege and policy): the trigger refuses.
    let mut owner = schema.raw().await;
    for sql in [
        format!("UPDATE ledger SET memo = 'x' WHERE id = '{}'", e.id),
        format!("DELETE FROM ledger WHERE id = '{}'", e.id),
        "TRUNCATE ledger".to_owned(),
    ] {
        let err = owner.execute(sql.as_str()).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(
        store.ledger_for_deal(t, e.entry.deal_id).await.unwrap(),
        stored
    );
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_stores_in_one_schema_share_rows_but_not_tenants() {
    let Some(schema) = Schema::new() else { return };
    let a = schema.store().await;
    let b = schema.store().await;
    let (t1, t2) = (fx::tenant(), fx::tenant());
    let lead = fx::lead("Compartilhada", 0);
    a.insert_lead(t1, &lead).await.unwrap();
    assert_eq!(
        b.get_lead(t1, lead.id).await.unwrap().map(|l| l.id),
        Some(lead.id)
    );
    assert!(b.get_lead(t2, lead.id).await.unwrap().is_none());
    // The same id in another tenant is another lead.
    b.insert_lead(t2, &lead).await.unwrap();
    let dup = is_code(a.insert_lead(t1, &lead).await, ErrorCode::StoreDuplicate);
    assert!(matches!(dup, StoreError::Duplicate { existing, .. } if existing == lead.id.as_uuid()));
    a.close().await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portal_key_taken_by_another_lead_names_it() {
    let Some(schema) = Schema::new() else { return };
    let store = schema.store().await;
    let t = fx::tenant();
    let first = store
        .insert_lead(t, &fx::portal_lead("Primeira", Portal::Zap, "Z-1", 0))
        .await
        .unwrap();
    let second = fx::portal_lead("Segunda", Portal::Zap, " Z-1 ", 1);
    let err = is_code(
        store.insert_lead(t, &second).await,
        ErrorCode::StoreDuplicate,
    );
    assert_eq!(
        err,
        StoreError::Duplicate {
            kind: crm_store::RecordKind::Lead,
            existing: first.id.as_uuid(),
            what: "portal lead id zap:Z-1".into()
        }
    );
    // An update moving another lead onto the key.
    let mut other = store
        .insert_lead(t, &fx::portal_lead("Outra", Portal::Zap, "Z-2", 2))
        .await
        .unwrap();
    other.source = first.source.clone();
    let err = is_code(
        store.update_lead(t, &other).await,
        ErrorCode::StoreDuplicate,
    );
    assert!(
        matches!(err, StoreError::Duplicate { existing, .. } if existing == first.id.as_uuid()),
        "{err:?}"
    );
    let found = store
        .find_lead_by_portal(t, &Portal::Zap, "Z-1")
        .await
        .unwrap();
    assert_eq!(found.map(|l| l.id), Some(first.id));
    let none: Option<Lead> = store
        .find_lead_by_portal(fx::tenant(), &Portal::Zap, "Z-1")
        .await
        .unwrap();
    assert!(none.is_none());
    let _: LeadId = first.id;
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_written_by_the_store_carry_the_tenant_and_typed_columns() {
    let Some(schema) = Schema::new() else { return };
    let store = schema.store().await;
    let t: TenantId = fx::tenant();
    let lead = store
        .insert_lead(t, &fx::lead("Maria da Silva", 0))
        .await
        .unwrap();
    let mut raw = schema.raw().await;
    let row = sqlx::query(
        "SELECT tenant_id, name_key, email, phone, document, stage, created_at, version, \
         doc->>'stage' AS doc_stage FROM leads WHERE id = $1",
    )
    .bind(lead.id.as_uuid())
    .fetch_one(&mut raw)
    .await
    .unwrap();
    assert_eq!(row.get::<uuid::Uuid, _>("tenant_id"), t.as_uuid());
    assert_eq!(row.get::<String, _>("name_key"), "maria silva");
    assert_eq!(
        row.get::<Option<String>, _>("email"),
        lead.contact.email.map(|e| e.to_lowercase()),
        "the e-mail key is lower-cased whole"
    );
    assert_eq!(
        row.get::<Option<String>, _>("document"),
        lead.contact.document
    );
    assert_eq!(
        row.get::<chrono::DateTime<chrono::Utc>, _>("created_at"),
        lead.created_at
    );
    assert_eq!(row.get::<i64, _>("version"), 1);
    assert_eq!(row.get::<String, _>("doc_stage"), "new");
    store.close().await;
}
