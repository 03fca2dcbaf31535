//! Opening a SQLite database: the URL forms, the connection settings (WAL for files, foreign
//! keys, busy timeout), the pool, and the schema (migrated, or checked when migrations are off).

use super::error::open_failed;
use crate::error::{Result, StoreError};
use crate::options::StoreOptions;
use sqlx::ConnectOptions;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

/// The schema, embedded in the build.
pub(super) static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// Page cache per connection, in KiB (SQLite's negative `cache_size`): large enough that a bulk
/// import does not spill index pages.
pub(super) const CACHE_KIB: &str = "-32768";

/// Page size of new database files: 16 KiB pages hold ~25 lead documents, which makes bulk
/// inserts markedly cheaper than the default 4 KiB (existing files keep theirs).
const PAGE_SIZE: &str = "16384";

/// The shortest busy timeout: how long a writer waits for the write lock.
const MIN_BUSY_TIMEOUT: Duration = Duration::from_millis(100);

/// A parsed SQLite URL.
#[derive(Debug)]
pub(super) struct Target {
    /// sqlx's options for it.
    pub options: SqliteConnectOptions,
    /// Whether it is an in-memory database.
    pub memory: bool,
    /// How errors name it (after "the SQLite database").
    pub name: String,
}

/// Reads `sqlite://path`, `sqlite:path`, `sqlite::memory:` or `sqlite://:memory:` (sqlx's query
/// parameters such as `?mode=ro` are accepted).
pub(super) fn parse(url: &str) -> Result<Target> {
    let url = url.trim();
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .ok_or_else(|| {
            StoreError::Config(format!(
                "`{url}` is not a SQLite URL: use sqlite://path/to/file.db, sqlite:file.db or sqlite::memory:"
            ))
        })?;
    let (db, params) = rest.split_once('?').unwrap_or((rest, ""));
    let memory = db == ":memory:" || params.split('&').any(|p| p == "mode=memory");
    if !memory && db.is_empty() {
        return Err(StoreError::Config(format!(
            "`{url}` names no database file"
        )));
    }
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| StoreError::Config(format!("bad SQLite URL `{url}`: {e}")))?;
    let name = if memory {
        "`:memory:`".to_owned()
    } else {
        format!("`{db}`")
    };
    Ok(Target {
        options,
        memory,
        name,
    })
}

/// What [`open`] gives: the pool, and for an in-memory database a connection held aside so the
/// database lives as long as the store whatever the pool does with its connection.
pub(super) struct Opened {
    pub pool: SqlitePool,
    pub keeper: Option<SqliteConnection>,
    pub name: String,
}

/// Opens (creating a missing file), then migrates or checks the schema.
pub(super) async fn open(url: &str, options: &StoreOptions) -> Result<Opened> {
    let target = parse(url)?;
    let busy = options.acquire_timeout.max(MIN_BUSY_TIMEOUT);
    let mut connect = target
        .options
        .foreign_keys(true)
        .busy_timeout(busy)
        .pragma("cache_size", CACHE_KIB)
        .pragma("temp_store", "memory")
        .pragma("page_size", PAGE_SIZE);
    let name = target.name;
    let (pool_options, keeper) = if target.memory {
        // One connection: an in-memory database is one shared database for the whole store,
        // and SQLite's shared-cache locking is table-level and can deadlock between
        // connections, so every call goes through the single connection in turn.
        let keeper = connect.connect().await.map_err(|e| open_failed(&name, e))?;
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None);
        (pool, Some(keeper))
    } else {
        connect = connect
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full);
        let pool = SqlitePoolOptions::new().max_connections(options.max_connections.max(1));
        (pool, None)
    };
    // No ping before handing out a connection: SQLite is in this process, there is no link
    // to go stale, and the ping would double the cost of every call.
    let pool = pool_options
        .test_before_acquire(false)
        .acquire_timeout(options.acquire_timeout)
        .connect_with(connect)
        .await
        .map_err(|e| open_failed(&name, e))?;
    if options.migrate {
        MIGRATOR.run(&pool).await.map_err(|e| {
            StoreError::Migration(format!("migrating the SQLite database {name} failed: {e}"))
        })?;
    } else {
        check_schema(&pool, &name).await?;
    }
    tracing::debug!(database = %name, "opened the SQLite store");
    Ok(Opened { pool, keeper, name })
}

/// With migrations off: fails with `store.migration` unless every migration of this build is
/// applied, unchanged and complete, and none unknown to it is.
async fn check_schema(pool: &SqlitePool, name: &str) -> Result<()> {
    let has_table: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations')",
    )
    .fetch_one(pool)
    .await
    .map_err(|e| open_failed(name, e))?;
    let applied: Vec<(i64, Vec<u8>, bool)> = if has_table {
        sqlx::query_as("SELECT version, checksum, success FROM _sqlx_migrations ORDER BY version")
            .fetch_all(pool)
            .await
            .map_err(|e| open_failed(name, e))?
    } else {
        Vec::new()
    };
    let expected: Vec<_> = MIGRATOR
        .iter()
        .filter(|m| !m.migration_type.is_down_migration())
        .collect();
    for (version, checksum, success) in &applied {
        let Some(m) = expected.iter().find(|m| m.version == *version) else {
            return Err(StoreError::Migration(format!(
                "the SQLite database {name} was migrated by a newer build: migration {version} is unknown to this one"
            )));
        };
        if !success {
            return Err(StoreError::Migration(format!(
                "migration {version} ({}) of the SQLite database {name} failed part-way; the database needs repair",
                m.description
            )));
        }
        if m.checksum.as_ref() != checksum.as_slice() {
            return Err(StoreError::Migration(format!(
                "migration {version} ({}) applied to the SQLite database {name} differs from this build's",
                m.description
            )));
        }
    }
    let pending: Vec<String> = expected
        .iter()
        .filter(|m| !applied.iter().any(|(v, ..)| *v == m.version))
        .map(|m| format!("{} ({})", m.version, m.description))
        .collect();
    if pending.is_empty() {
        return Ok(());
    }
    let current = applied.last().map_or_else(
        || "has no schema yet".to_owned(),
        |(v, ..)| format!("is at migration {v}"),
    );
    Err(StoreError::Migration(format!(
        "the schema of the SQLite database {name} is behind this build: it {current}, and migration(s) {} are not applied; \
         open it with `StoreOptions {{ migrate: true, .. }}` to apply them",
        pending.join(", ")
    )))
}
