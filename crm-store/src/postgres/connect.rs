//! Opening a [`PgStore`]: one direct connection first (so that a refused password, a missing
//! database or a missing role fails fast with its own error instead of a pool timeout), which
//! creates the schema, applies or checks the migrations and checks the application role; then
//! the pool, whose every connection sets the schema and the role.

use super::PgStore;
use super::error::server_error;
use crate::error::{Result, StoreError};
use crate::options::StoreOptions;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, Executor, PgConnection};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// The migrations of this build.
static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// A pooled connection idle longer than this is pinged before it is handed out.
const PING_AFTER_IDLE: Duration = Duration::from_secs(30);

/// The application role the migrations create and grant to (see
/// `migrations/postgres/0002_row_security.sql`): `StoreOptions::app_role` must be this role or
/// a member of it.
pub const MIGRATION_ROLE: &str = "crm_app";

impl PgStore {
    /// Connects to PostgreSQL at `url` (`postgres://user:password@host:5432/db`).
    ///
    /// Creates `options.schema` if missing and applies the migrations when `options.migrate`
    /// (otherwise a schema behind this build fails with `store.migration`); then checks that
    /// the login may act as `options.app_role`. Pool size and timeouts come from `options`.
    ///
    /// Errors: `store.config` for a malformed URL or option, or a missing database;
    /// `store.auth` when the server refuses the login or the role; `store.unavailable` when
    /// the server cannot be reached within `connect_timeout`; `store.migration`.
    ///
    /// ```no_run
    /// # async fn demo() -> crm_store::Result<()> {
    /// use crm_store::{StoreOptions, postgres::PgStore};
    /// let store = PgStore::connect("postgres://postgres@127.0.0.1:5432/test", &StoreOptions::default()).await?;
    /// # Ok(())
    /// # }
    /// ```
    #[tracing::instrument(skip_all, fields(schema = options.schema.as_deref().unwrap_or("")))]
    pub async fn connect(url: &str, options: &StoreOptions) -> Result<PgStore> {
        let mut connect_options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(format!("not a PostgreSQL URL: {e}")))?;
        if connect_options.get_application_name().is_none() {
            connect_options = connect_options.application_name("crm-store");
        }
        check_options(options)?;
        let target = format!(
            "{}:{}/{}",
            connect_options.get_host(),
            connect_options.get_port(),
            connect_options.get_database().unwrap_or("")
        );

        let mut conn = tokio::time::timeout(
            options.connect_timeout,
            PgConnection::connect_with(&connect_options),
        )
        .await
        .map_err(|_| {
            StoreError::Unavailable(format!(
                "PostgreSQL at {target} did not answer within {:?}",
                options.connect_timeout
            ))
        })?
        .map_err(|e| connect_error(&target, e))?;
        let prepared = prepare_database(&mut conn, options).await;
        // The setup connection is not pooled; its session state (role, advisory locks) ends here.
        let _ = conn.close().await;
        prepared?;

        let session = Arc::<str>::from(session_sql(options));
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections)
            .min_connections(0)
            .acquire_timeout(options.acquire_timeout)
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for > PING_AFTER_IDLE {
                        conn.ping().await?;
                    }
                    Ok(true)
                })
            })
            .after_connect(move |conn, _meta| {
                let session = Arc::clone(&session);
                Box::pin(async move {
                    if !session.is_empty() {
                        conn.execute(sqlx::raw_sql(&session)).await?;
                    }
                    Ok(())
                })
            })
            .connect_lazy_with(connect_options);
        Ok(PgStore { pool })
    }
}

fn check_options(options: &StoreOptions) -> Result<()> {
    if options.max_connections == 0 {
        return Err(StoreError::Config(
            "max_connections must be at least 1".to_owned(),
        ));
    }
    for (what, name) in [("schema", &options.schema), ("app_role", &options.app_role)] {
        if let Some(name) = name
            && (name.is_empty() || name.len() > 63 || name.contains('\0'))
        {
            return Err(StoreError::Config(format!(
                "{what} `{}` is not a PostgreSQL name (1 to 63 bytes)",
                name.escape_debug()
            )));
        }
    }
    Ok(())
}

/// A quoted SQL identifier.
pub(super) fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// What every pooled connection runs once: the schema as its search path, then the role.
fn session_sql(options: &StoreOptions) -> String {
    let mut sql = String::new();
    if let Some(schema) = &options.schema {
        sql.push_str(&format!("SET search_path TO {};", ident(schema)));
    }
    if let Some(role) = &options.app_role {
        sql.push_str(&format!("SET ROLE {};", ident(role)));
    }
    sql
}

fn connect_error(target: &str, err: sqlx::Error) -> StoreError {
    match err {
        sqlx::Error::Io(e) => {
            StoreError::Unavailable(format!("cannot reach PostgreSQL at {target}: {e}"))
        }
        sqlx::Error::Tls(e) => {
            StoreError::Unavailable(format!("TLS with PostgreSQL at {target} failed: {e}"))
        }
        sqlx::Error::Configuration(e) => StoreError::Config(e.to_string()),
        err @ sqlx::Error::Database(_) => server_error(err).unwrap_or_else(|e| {
            StoreError::Backend(format!("connecting to PostgreSQL at {target}: {e}"))
        }),
        other => StoreError::Unavailable(format!("connecting to PostgreSQL at {target}: {other}")),
    }
}

/// Schema, migrations and role, on the setup connection (as the login role).
async fn prepare_database(conn: &mut PgConnection, options: &StoreOptions) -> Result<()> {
    let schema_name = options.schema.as_deref().unwrap_or("public");
    if let Some(schema) = &options.schema {
        if options.migrate {
            create_schema(conn, schema).await?;
        }
        sqlx::raw_sql(&format!("SET search_path TO {}", ident(schema)))
            .execute(&mut *conn)
            .await
            .map_err(super::error::server)?;
    }
    if options.migrate {
        MIGRATOR.run_direct(conn).await.map_err(|e| {
            StoreError::Migration(format!(
                "applying the migrations to schema `{schema_name}`: {e}"
            ))
        })?;
    } else {
        check_migrations(conn, schema_name).await?;
    }
    if let Some(role) = &options.app_role {
        check_role(conn, role, schema_name).await?;
    }
    Ok(())
}

async fn create_schema(conn: &mut PgConnection, schema: &str) -> Result<()> {
    let sql = format!("CREATE SCHEMA IF NOT EXISTS {}", ident(schema));
    match sqlx::raw_sql(&sql).execute(&mut *conn).await {
        Ok(_) => Ok(()),
        // Created by a concurrent connection between the check and the insert.
        Err(e)
            if matches!(
                super::error::sqlstate(&e).as_deref(),
                Some("42P06" | "23505")
            ) =>
        {
            Ok(())
        }
        Err(e) if super::error::sqlstate(&e).as_deref() == Some("42501") => {
            Err(StoreError::Auth(format!(
                "the login may not create schema `{schema}`: create it beforehand (and grant \
                 the login CREATE on it), or grant the login CREATE on the database"
            )))
        }
        Err(e) => Err(match server_error(e) {
            Ok(mapped) => mapped,
            Err(e) => StoreError::Config(format!("cannot create schema `{schema}`: {e}")),
        }),
    }
}

/// Without migrating: the schema must hold exactly this build's migrations.
async fn check_migrations(conn: &mut PgConnection, schema: &str) -> Result<()> {
    let behind = |what: String| {
        StoreError::Migration(format!(
            "schema `{schema}` {what}; run with migrate = true (or apply crm-store/migrations/postgres) first"
        ))
    };
    // A schema the login may not use is skipped by the search path: say so, rather than
    // that it is empty.
    let (exists, usable): (bool, bool) = sqlx::query_as(
        "SELECT n.oid IS NOT NULL, coalesce(has_schema_privilege(n.oid, 'USAGE'), false) \
         FROM (SELECT 1) AS one LEFT JOIN pg_namespace n ON n.nspname = $1",
    )
    .bind(schema)
    .fetch_one(&mut *conn)
    .await
    .map_err(super::error::server)?;
    if exists && !usable {
        return Err(StoreError::Auth(format!(
            "the login may not use schema `{schema}`: make it a member of {MIGRATION_ROLE} \
             (GRANT {MIGRATION_ROLE} TO <login role>)"
        )));
    }
    let table: Option<String> = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations')::text")
        .fetch_one(&mut *conn)
        .await
        .map_err(super::error::server)?;
    if table.is_none() {
        return Err(behind(
            "has no tables of this store (no migration was applied)".to_owned(),
        ));
    }
    let applied: Vec<(i64, Vec<u8>, bool)> =
        sqlx::query_as("SELECT version, checksum, success FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| match super::error::sqlstate(&e).as_deref() {
                Some("42501") => StoreError::Auth(format!(
                    "the login may not read `_sqlx_migrations` in schema `{schema}` to check its \
                     version: make it a member of {MIGRATION_ROLE}, or grant it SELECT"
                )),
                _ => super::error::server(e),
            })?;
    if let Some((v, _, _)) = applied.iter().find(|(_, _, ok)| !ok) {
        return Err(behind(format!("has migration {v} partially applied")));
    }
    for (version, checksum, _) in &applied {
        match MIGRATOR.iter().find(|m| m.version == *version) {
            None => {
                return Err(StoreError::Migration(format!(
                    "schema `{schema}` has migration {version}, which this build does not know: it is newer than this build"
                )));
            }
            Some(m) if m.checksum.as_ref() != checksum.as_slice() => {
                return Err(StoreError::Migration(format!(
                    "schema `{schema}` applied a different migration {version} than this build's"
                )));
            }
            Some(_) => {}
        }
    }
    let missing: Vec<String> = MIGRATOR
        .iter()
        .filter(|m| !m.migration_type.is_down_migration())
        .filter(|m| !applied.iter().any(|(v, _, _)| *v == m.version))
        .map(|m| format!("{} ({})", m.version, m.description))
        .collect();
    if !missing.is_empty() {
        return Err(behind(format!(
            "is behind this build: migrations {} are not applied",
            missing.join(", ")
        )));
    }
    Ok(())
}

/// The login may act as the role, and the role may use the tables.
async fn check_role(conn: &mut PgConnection, role: &str, schema: &str) -> Result<()> {
    let set = format!("SET ROLE {}", ident(role));
    if let Err(e) = sqlx::raw_sql(&set).execute(&mut *conn).await {
        return Err(match super::error::sqlstate(&e).as_deref() {
            // "role … does not exist" is 22023 for SET ROLE, 42704 elsewhere.
            Some("22023" | "42704") => StoreError::Config(format!(
                "role `{role}` does not exist: the migrations create `{MIGRATION_ROLE}`; use it, or a role granted it, as app_role"
            )),
            Some("42501") => StoreError::Auth(format!(
                "the login may not act as role `{role}`: GRANT {role} TO <login role>"
            )),
            _ => super::error::server(e),
        });
    }
    let probe = sqlx::raw_sql("SELECT 1 FROM leads LIMIT 0; SELECT 1 FROM ledger LIMIT 0")
        .execute(&mut *conn)
        .await;
    if let Err(e) = probe {
        return Err(match super::error::sqlstate(&e).as_deref() {
            Some("42501") => StoreError::Auth(format!(
                "role `{role}` may not use the tables of schema `{schema}`: it must be `{MIGRATION_ROLE}` or a member of it (GRANT {MIGRATION_ROLE} TO {role})"
            )),
            _ => super::error::server(e),
        });
    }
    Ok(())
}
