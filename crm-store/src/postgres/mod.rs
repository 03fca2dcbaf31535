//! The PostgreSQL adapter: [`PgStore`].
//!
//! - **Schema.** Embedded migrations (`migrations/postgres`) create typed tables keyed by
//!   `(tenant_id, id)`, with an index for every query of the store's traits. Leads, agents,
//!   properties and deals keep their full normalised record as `jsonb` (`doc`, the source of
//!   truth read back) beside typed projections (`uuid`, `numeric` for money, `timestamptz`,
//!   `uuid[]`) that the queries filter and order by; activities and visits are plain columns.
//!   `StoreOptions::schema` names the schema (created if missing); every pooled connection sets
//!   it as its `search_path`. With `migrate: false`, a schema behind this build is refused with
//!   `store.migration`.
//! - **Tenancy, twice.** Every query filters by `tenant_id` (the first wall). Row-level security
//!   is the second: every table has `ENABLE` and `FORCE ROW LEVEL SECURITY` and a policy that
//!   shows and accepts only rows whose `tenant_id` is the setting `crm.tenant_id` (no row at
//!   all when it is unset or empty). Queries run as the application role (`SET ROLE`, from
//!   `StoreOptions::app_role`, by default `crm_app`, which the migrations create), so the
//!   policies hold even when the login is a superuser; that role may only read and append to
//!   the ledger and the audit log, and a trigger refuses `UPDATE`/`DELETE` there for everyone.
//!   `app_role` must be `crm_app` or a role that is a member of it.
//! - **Setting the tenant.** The tenant is always set transaction-locally
//!   (`set_config('crm.tenant_id', …, true)`), never for the session, so it lives exactly as
//!   long as the call's transaction and no tenant is ever left set on an idle pooled
//!   connection. Writes and queries run in a transaction opened by
//!   `BEGIN; SELECT set_config('crm.tenant_id', '<tenant>', true)` — one round trip (the
//!   tenant is a UUID, written into the statement safely) — then their statements, then
//!   `COMMIT`. Reads by id, the hot path, are one prepared statement,
//!   `SELECT crm_lead_doc($1, $2)`: a function (migration 0003, running with the caller's
//!   rights) that sets the tenant for the statement's own implicit transaction and reads the
//!   row. Measured on this (shared, 2-core) machine, 2 tasks reading by id, median of
//!   interleaved rounds (`benches/postgres_store.rs`): that function ran at 8,800 reads/s,
//!   against 10,700 for the same `SELECT` with no tenant setting and row-level security
//!   bypassed; a session-level `set_config(…, false)` before each `SELECT` ran at 7,600 (two
//!   round trips, and it leaves the tenant set on the idle connection), `BEGIN` + setting |
//!   `SELECT` | `COMMIT` at 6,000 (three round trips), and the setting and the `SELECT` sent
//!   as one unprepared simple-protocol message at 6,100 (planned on every call). Writes pay
//!   the two extra round trips of their transaction.
//! - **Bulk import** sends leads in chunks of 5,000 as arrays (`INSERT … SELECT FROM UNNEST(…)
//!   ON CONFLICT DO NOTHING RETURNING id`), inside one transaction; it runs at about the rate
//!   of `COPY` into a table with the same indexes (the indexes, not the protocol, set the pace).
//! - **Errors.** Credentials refused → `store.auth`; a missing database → `store.config`;
//!   connection refused or timeouts → `store.unavailable`; unique and foreign-key violations →
//!   `store.duplicate` / `store.not_found` naming the record; a lost deadlock or serialization
//!   check is retried (imports, ledger appends) or reported as `store.conflict`.
//!
//! ```no_run
//! use crm_store::{Store, StoreOptions, postgres::PgStore};
//! # async fn demo() -> crm_store::Result<()> {
//! let options = StoreOptions { schema: Some("crm".to_owned()), ..StoreOptions::default() };
//! let store = PgStore::connect("postgres://crm@db.internal/crm", &options).await?;
//! assert_eq!(store.backend(), "postgres");
//! store.ping().await?;
//! # Ok(())
//! # }
//! ```

mod agents;
mod audit;
mod checks;
mod connect;
mod deals;
mod error;
mod import;
mod leads;
mod ledger;
mod properties;
mod routing;
mod rows;
mod scope;
mod visits;

pub use connect::MIGRATION_ROLE;

use crate::error::Result;
use crate::traits::Store;
use async_trait::async_trait;
use sqlx::PgPool;

/// A store in PostgreSQL: a connection pool, with row-level security keyed on the tenant.
/// Cloning shares the pool.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Closes the pool: waits for connections in use to come back, then closes them all.
    /// Calls made afterwards fail with `store.unavailable`.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[async_trait]
impl Store for PgStore {
    fn backend(&self) -> String {
        "postgres".to_owned()
    }

    #[tracing::instrument(skip_all)]
    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(error::server)
    }
}
