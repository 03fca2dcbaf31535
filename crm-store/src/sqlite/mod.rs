//! The SQLite store: the embedded default. A file in WAL mode (readers never wait for the
//! writer), or an in-memory database for tests and short-lived tools.
//!
//! Each table is keyed by (tenant, id). Leads, agents, properties and deals keep their
//! normalised record as JSON beside typed columns used to filter and order; activities and
//! visits are flat rows. Updates are one `UPDATE … WHERE version = ?`, so concurrent writers
//! never lose an update; writes that read first run in `BEGIN IMMEDIATE` transactions.

mod agents;
mod audit;
mod codec;
mod connect;
mod deals;
mod error;
mod import;
mod leads;
mod ledger;
mod properties;
mod routing;
mod visits;

use crate::error::{Result, StoreError};
use crate::options::StoreOptions;
use crate::records::RecordKind;
use crate::traits::Store;
use async_trait::async_trait;
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{Sqlite, SqliteConnection, SqlitePool};
use sqlx::{Connection, Transaction};
use uuid::Uuid;

/// A store in a SQLite database.
///
/// ```no_run
/// use crm_store::{Store, StoreOptions, sqlite::SqliteStore};
/// # async fn demo() -> crm_store::Result<()> {
/// let store = SqliteStore::open("sqlite://crm.db", &StoreOptions::default()).await?;
/// assert_eq!(store.backend(), "sqlite");
/// store.ping().await?;
/// # Ok(())
/// # }
/// ```
pub struct SqliteStore {
    pool: SqlitePool,
    /// For an in-memory database: a connection outside the pool that keeps it alive.
    keeper: Option<tokio::sync::Mutex<SqliteConnection>>,
    name: String,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("database", &self.name)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens the database at `url` — `sqlite://path/to/file.db`, `sqlite:file.db`,
    /// `sqlite::memory:` or `sqlite://:memory:` — creating a missing file, and applies the
    /// embedded migrations (or, with `options.migrate` false, fails with `store.migration` when
    /// the schema is behind this build). Files use WAL with `synchronous = FULL` (a committed
    /// write survives a power cut); the pool holds up to `options.max_connections` connections
    /// (one for an in-memory database, which is one database shared by every call). A call
    /// waits up to `options.acquire_timeout` for a connection, and a writer as long for
    /// SQLite's write lock, before `store.unavailable`. A path that cannot be opened or created
    /// is `store.config`.
    ///
    /// ```
    /// use crm_store::{StoreOptions, sqlite::SqliteStore};
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let err = SqliteStore::open("postgres://x", &StoreOptions::default()).await.unwrap_err();
    /// assert_eq!(err.code().as_str(), "store.config");
    /// let store = SqliteStore::open("sqlite::memory:", &StoreOptions::default()).await.unwrap();
    /// # });
    /// ```
    pub async fn open(url: &str, options: &StoreOptions) -> Result<SqliteStore> {
        let opened = connect::open(url, options).await?;
        Ok(SqliteStore {
            pool: opened.pool,
            keeper: opened.keeper.map(tokio::sync::Mutex::new),
            name: opened.name,
        })
    }

    /// A new, empty in-memory database with the default options.
    ///
    /// ```
    /// use crm_store::{Store, sqlite::SqliteStore};
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let store = SqliteStore::in_memory().await.unwrap();
    /// assert_eq!(store.backend(), "sqlite");
    /// # });
    /// ```
    pub async fn in_memory() -> Result<SqliteStore> {
        Self::open("sqlite::memory:", &StoreOptions::default()).await
    }

    /// Closes every connection (waiting for calls in flight). An in-memory database is gone
    /// afterwards; a file is left checkpointed and consistent.
    pub async fn close(self) {
        self.pool.close().await;
        if let Some(keeper) = self.keeper {
            // Best effort: the database is being dropped anyway.
            let _ = keeper.into_inner().close().await;
        }
    }

    /// A pooled connection for one call.
    async fn conn(&self, kind: RecordKind) -> Result<PoolConnection<Sqlite>> {
        self.pool.acquire().await.map_err(error::db(kind))
    }

    /// A write transaction that holds SQLite's write lock from its start (`BEGIN IMMEDIATE`),
    /// so what it reads cannot change before it writes.
    async fn write(&self, kind: RecordKind) -> Result<Transaction<'static, Sqlite>> {
        self.pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(error::db(kind))
    }
}

/// Whether a row with this id is in the tenant's `table` (an internal table name).
async fn exists(
    conn: &mut SqliteConnection,
    table: &'static str,
    kind: RecordKind,
    tenant: Uuid,
    id: Uuid,
) -> Result<bool> {
    let sql = format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE tenant_id = ? AND id = ?)");
    sqlx::query_scalar(&sql)
        .bind(tenant)
        .bind(id)
        .fetch_one(conn)
        .await
        .map_err(error::db(kind))
}

/// `store.not_found` unless the row is in the tenant's `table`.
async fn require(
    conn: &mut SqliteConnection,
    table: &'static str,
    kind: RecordKind,
    tenant: Uuid,
    id: Uuid,
) -> Result<()> {
    if exists(conn, table, kind, tenant, id).await? {
        Ok(())
    } else {
        Err(StoreError::NotFound { kind, id })
    }
}

/// The error for an optimistic update that changed no row: the record is absent, or its
/// stored version is not the one the update carried.
async fn missed_update(
    conn: &mut SqliteConnection,
    table: &'static str,
    kind: RecordKind,
    tenant: Uuid,
    id: Uuid,
    expected: u64,
) -> StoreError {
    let sql = format!("SELECT version FROM {table} WHERE tenant_id = ? AND id = ?");
    let stored: std::result::Result<Option<i64>, _> = sqlx::query_scalar(&sql)
        .bind(tenant)
        .bind(id)
        .fetch_optional(conn)
        .await;
    match stored {
        Ok(None) => StoreError::NotFound { kind, id },
        Ok(Some(v)) => StoreError::Conflict {
            kind,
            id,
            expected,
            actual: codec::stored_version(kind, v).ok(),
        },
        Err(e) => error::map(kind, e),
    }
}

/// The error for an insert whose id is taken.
fn duplicate_id(kind: RecordKind, id: Uuid) -> StoreError {
    StoreError::Duplicate {
        kind,
        existing: id,
        what: "id".to_owned(),
    }
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> String {
        "sqlite".to_owned()
    }

    #[tracing::instrument(skip_all)]
    async fn ping(&self) -> Result<()> {
        let mut conn = self.conn(RecordKind::Agent).await?;
        conn.ping().await.map_err(error::db(RecordKind::Agent))
    }
}
