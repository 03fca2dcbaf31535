//! Row-level security alone keeps tenants apart: rows of tenants A and B are written through
//! the store, then read and written on a raw connection as the application role with NO
//! `tenant_id` filter in the SQL — only the `crm.tenant_id` setting and the policies decide.
//!
//! Runs in a schema of its own, dropped afterwards (also on failure); skipped loudly without a
//! server (or failed under `CRM_REQUIRE_SERVICES=1`).
#![cfg(feature = "postgres")]
// The shared behaviour suite (and these tests) unwrap: a failing test is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[allow(clippy::cloned_ref_to_slice_refs)] // in the shared suite
mod behaviour;
mod services;

use behaviour::fixtures as fx;
use crm_core::Money;
use crm_core::commission::{Account, EntryKind, LedgerEntry, Posting};
use crm_core::domain::{Lead, TenantId};
use crm_core::workflow::routing::RoutingState;
use crm_store::postgres::PgStore;
use crm_store::{AuditEvent, NewLedgerEntry, RecordKind, Store, StoreOptions};
use sqlx::{Connection, Executor, PgConnection};

const TABLES: [&str; 10] = [
    "agents",
    "leads",
    "activities",
    "properties",
    "deals",
    "visits",
    "ledger",
    "audit",
    "routing_counters",
    "routing_state",
];

/// The test's schema and a role of its own, both dropped at the end (also on panic).
struct Guard {
    url: String,
    schema: String,
    role: String,
}

impl Drop for Guard {
    fn drop(&mut self) {
        let (url, schema, role) = (self.url.clone(), self.schema.clone(), self.role.clone());
        let done = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let mut c = PgConnection::connect(&url).await?;
                c.execute(format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE").as_str())
                    .await?;
                c.execute(format!("DROP ROLE IF EXISTS \"{role}\"").as_str())
                    .await?;
                c.close().await
            })
        })
        .join();
        if !matches!(done, Ok(Ok(()))) {
            eprintln!(
                "could not clean up schema {} / role {}: {done:?}",
                self.schema, self.role
            );
        }
    }
}

/// One row in every tenant table for `t`, written through the store; returns the lead.
async fn populate(store: &dyn Store, t: TenantId) -> Lead {
    let agent = store
        .insert_agent(t, &fx::agent("Corretora", 0))
        .await
        .unwrap();
    let lead = store.insert_lead(t, &fx::lead("Cliente", 0)).await.unwrap();
    store
        .add_activity(t, &fx::activity(lead.id, 1, "ligou"))
        .await
        .unwrap();
    let property = store
        .insert_property(t, &fx::property("São Paulo", 0))
        .await
        .unwrap();
    let deal = fx::deal(lead.id, property.id, agent.id, agent.id, 2);
    let deal = store.insert_deal(t, &deal).await.unwrap();
    store
        .insert_visit(t, &fx::visit(lead.id, property.id, agent.id, 60))
        .await
        .unwrap();
    let amount = Money::brl(rust_decimal::Decimal::new(10_000, 2));
    let entry = LedgerEntry {
        deal_id: deal.id,
        kind: EntryKind::Commission,
        plan_id: "padrao".into(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        memo: "comissão".into(),
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
    };
    store
        .append_ledger(
            t,
            &[NewLedgerEntry {
                id: fx::id(),
                recorded_at: fx::at(3),
                entry,
            }],
        )
        .await
        .unwrap();
    let event = AuditEvent {
        id: fx::id(),
        at: fx::at(4),
        actor: "system".into(),
        action: "lead.create".into(),
        record_kind: RecordKind::Lead,
        record_id: lead.id.as_uuid(),
        detail: serde_json::json!({ "fields": 3 }),
    };
    store.append_audit(t, &event).await.unwrap();
    store.next_cursor(t, "team-a").await.unwrap();
    store.add_to_counter(t, "open-leads", 5).await.unwrap();
    store
        .save_routing_state(t, &RoutingState::default(), 0)
        .await
        .unwrap();
    lead
}

/// A connection acting as `role`, on the test schema, with `crm.tenant_id` as given.
async fn as_role(url: &str, schema: &str, role: &str, tenant: Option<&str>) -> PgConnection {
    let mut c = PgConnection::connect(url).await.unwrap();
    c.execute(format!("SET search_path TO \"{schema}\"; SET ROLE \"{role}\"").as_str())
        .await
        .unwrap();
    if let Some(t) = tenant {
        sqlx::query("SELECT set_config('crm.tenant_id', $1, false)")
            .bind(t)
            .execute(&mut c)
            .await
            .unwrap();
    }
    c
}

async fn count(c: &mut PgConnection, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(c).await.unwrap()
}

fn sqlstate(err: &sqlx::Error) -> String {
    err.as_database_error()
        .and_then(|d| d.code())
        .map(|c| c.into_owned())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row_level_security_alone_keeps_tenants_apart() {
    let url = services::database_url();
    if !services::available("PostgreSQL", &url, 5432) {
        return;
    }
    let schema = services::unique_name("crm_test");
    let guard = Guard {
        url: url.clone(),
        role: format!("{schema}_deleter"),
        schema: schema.clone(),
    };
    let options = StoreOptions {
        schema: Some(schema.clone()),
        max_connections: 2,
        ..StoreOptions::default()
    };
    let store = PgStore::connect(&url, &options).await.unwrap();
    let (a, b) = (fx::tenant(), fx::tenant());
    let lead_a = populate(&store, a).await;
    let lead_b = populate(&store, b).await;
    store.close().await;

    // The rows are there (the login is a superuser, which row-level security does not bind).
    let mut owner = PgConnection::connect(&url).await.unwrap();
    owner
        .execute(format!("SET search_path TO \"{schema}\"").as_str())
        .await
        .unwrap();
    for table in TABLES {
        let n = count(
            &mut owner,
            &format!("SELECT count(*) FROM {table} WHERE tenant_id = '{a}'"),
        )
        .await;
        assert!(n >= 1, "{table} holds tenant A's rows");
    }

    // As the application role with tenant B set: unfiltered queries see B's rows only.
    let b_text = b.as_uuid().to_string();
    let mut app = as_role(&url, &schema, "crm_app", Some(&b_text)).await;
    for table in TABLES {
        let all = count(&mut app, &format!("SELECT count(*) FROM {table}")).await;
        let own = count(
            &mut owner,
            &format!("SELECT count(*) FROM {table} WHERE tenant_id = '{b}'"),
        )
        .await;
        assert_eq!(
            all, own,
            "{table}: an unfiltered count sees exactly tenant B's rows"
        );
        assert!(all >= 1);
        let theirs = count(
            &mut app,
            &format!("SELECT count(*) FROM {table} WHERE tenant_id = '{a}'"),
        )
        .await;
        assert_eq!(theirs, 0, "{table}: nothing of tenant A");
    }
    // Updating A's lead by id touches nothing; B's own lead can be updated.
    let done = sqlx::query("UPDATE leads SET doc = doc WHERE id = $1")
        .bind(lead_a.id.as_uuid())
        .execute(&mut app)
        .await
        .unwrap();
    assert_eq!(
        done.rows_affected(),
        0,
        "A's lead is invisible to an update as B"
    );
    for table in [
        "agents",
        "activities",
        "properties",
        "deals",
        "visits",
        "routing_counters",
        "routing_state",
    ] {
        let done = app
            .execute(format!("UPDATE {table} SET tenant_id = tenant_id").as_str())
            .await
            .unwrap();
        let own = count(
            &mut owner,
            &format!("SELECT count(*) FROM {table} WHERE tenant_id = '{b}'"),
        )
        .await;
        assert_eq!(
            done.rows_affected() as i64,
            own,
            "{table}: an unfiltered update reaches B's rows only"
        );
    }
    let done = sqlx::query("UPDATE leads SET doc = doc WHERE id = $1")
        .bind(lead_b.id.as_uuid())
        .execute(&mut app)
        .await
        .unwrap();
    assert_eq!(done.rows_affected(), 1);
    // Moving B's row to tenant A, or inserting a row for A, is refused by WITH CHECK.
    let err = sqlx::query("UPDATE leads SET tenant_id = $1 WHERE id = $2")
        .bind(a.as_uuid())
        .bind(lead_b.id.as_uuid())
        .execute(&mut app)
        .await
        .unwrap_err();
    assert_eq!(sqlstate(&err), "42501", "{err}");
    assert!(err.to_string().contains("row-level security"), "{err}");
    let err = sqlx::query(
        "INSERT INTO leads (tenant_id, id, doc, name_key, stage, created_at, version) \
         VALUES ($1, $2, '{}', 'x', 'new', now(), 1)",
    )
    .bind(a.as_uuid())
    .bind(uuid::Uuid::now_v7())
    .execute(&mut app)
    .await
    .unwrap_err();
    assert_eq!(sqlstate(&err), "42501", "{err}");
    assert!(err.to_string().contains("row-level security"), "{err}");
    let err = sqlx::query(
        "INSERT INTO audit (tenant_id, id, at, actor, action, record_kind, record_id, detail) \
         VALUES ($1, $2, now(), 'x', 'x', 'lead', $2, '{}')",
    )
    .bind(a.as_uuid())
    .bind(uuid::Uuid::now_v7())
    .execute(&mut app)
    .await
    .unwrap_err();
    assert_eq!(sqlstate(&err), "42501", "{err}");
    // The application role may not delete at all.
    let err = sqlx::query("DELETE FROM leads WHERE id = $1")
        .bind(lead_a.id.as_uuid())
        .execute(&mut app)
        .await
        .unwrap_err();
    assert_eq!(sqlstate(&err), "42501", "{err}");

    // A role that may delete (a member of crm_app with DELETE granted): as B it still cannot
    // reach A's rows — the policy, not the privilege, stops it.
    owner
        .execute(
            format!(
                "CREATE ROLE \"{role}\" NOLOGIN; GRANT crm_app TO \"{role}\"; \
                 GRANT DELETE ON leads, activities TO \"{role}\"",
                role = guard.role
            )
            .as_str(),
        )
        .await
        .unwrap();
    let mut deleter = as_role(&url, &schema, &guard.role, Some(&b_text)).await;
    let done = sqlx::query("DELETE FROM activities WHERE lead_id = $1")
        .bind(lead_a.id.as_uuid())
        .execute(&mut deleter)
        .await
        .unwrap();
    assert_eq!(done.rows_affected(), 0);
    let done = sqlx::query("DELETE FROM leads WHERE id = $1")
        .bind(lead_a.id.as_uuid())
        .execute(&mut deleter)
        .await
        .unwrap();
    assert_eq!(done.rows_affected(), 0, "A's lead cannot be deleted as B");
    let left = count(
        &mut owner,
        &format!("SELECT count(*) FROM leads WHERE tenant_id = '{a}'"),
    )
    .await;
    assert_eq!(left, 1);

    // No tenant set at all, or an empty one: no row is visible, none can be written.
    for tenant in [None, Some("")] {
        let mut none = as_role(&url, &schema, "crm_app", tenant).await;
        for table in TABLES {
            assert_eq!(
                count(&mut none, &format!("SELECT count(*) FROM {table}")).await,
                0,
                "{table}"
            );
        }
        let done = none.execute("UPDATE leads SET doc = doc").await.unwrap();
        assert_eq!(done.rows_affected(), 0);
        let err =
            sqlx::query("INSERT INTO routing_state (tenant_id, doc, version) VALUES ($1, '{}', 1)")
                .bind(fx::tenant().as_uuid())
                .execute(&mut none)
                .await
                .unwrap_err();
        assert_eq!(sqlstate(&err), "42501", "{err}");
    }
    // The store's transaction-local setting does not outlive its transaction.
    let mut app = as_role(&url, &schema, "crm_app", None).await;
    let mut tx = app.begin().await.unwrap();
    sqlx::query("SELECT set_config('crm.tenant_id', $1, true)")
        .bind(&b_text)
        .execute(&mut *tx)
        .await
        .unwrap();
    assert!(count(&mut tx, "SELECT count(*) FROM leads").await >= 1);
    tx.commit().await.unwrap();
    assert_eq!(count(&mut app, "SELECT count(*) FROM leads").await, 0);
    drop(guard);
}
