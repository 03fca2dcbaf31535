//! Connection settings shared by the adapters: pool size and timeouts, migrations, and (for
//! PostgreSQL) the schema and the role queries run as; cache TTL and time budget.

use std::time::Duration;

/// How to connect. `Default` suits a service; every field can be set.
///
/// ```
/// use crm_store::StoreOptions;
/// let o = StoreOptions { max_connections: 4, ..StoreOptions::default() };
/// assert!(o.migrate);
/// assert_eq!(o.app_role.as_deref(), Some("crm_app"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreOptions {
    /// Largest number of pooled connections (SQLite: readers; it has one writer).
    pub max_connections: u32,
    /// How long a call waits for a pooled connection before `store.unavailable`.
    pub acquire_timeout: Duration,
    /// How long opening a connection may take before `store.unavailable`.
    pub connect_timeout: Duration,
    /// Apply the embedded migrations on open. When false, a database whose schema is behind
    /// this build fails to open with `store.migration`.
    pub migrate: bool,
    /// PostgreSQL: the schema to keep the tables in (created if missing); `None` for the
    /// connection's default (`public`).
    pub schema: Option<String>,
    /// PostgreSQL: the role every query runs as (`SET ROLE`), so row-level security applies
    /// even when the login is a superuser; `None` to run as the login role itself.
    pub app_role: Option<String>,
    /// Redis cache: how long a cached record lives.
    pub cache_ttl: Duration,
    /// Redis cache: how long one Redis call may take before the cache is bypassed.
    pub cache_timeout: Duration,
    /// Redis cache: the prefix of every key (to share one Redis between deployments).
    pub cache_prefix: String,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            max_connections: 10,
            acquire_timeout: Duration::from_secs(5),
            connect_timeout: Duration::from_secs(5),
            migrate: true,
            schema: None,
            app_role: Some("crm_app".to_owned()),
            cache_ttl: Duration::from_secs(300),
            cache_timeout: Duration::from_millis(250),
            cache_prefix: "crm".to_owned(),
        }
    }
}
