//! One entry point from a URL: `memory:`, `sqlite://path` (or `sqlite::memory:`),
//! `postgres://…`, optionally behind a Redis cache (`redis://…`).

use crate::error::{Result, StoreError};
use crate::options::StoreOptions;
use crate::traits::Store;
use std::sync::Arc;

/// Opens the store a URL names, applying migrations unless `options.migrate` is false.
///
/// | URL | store |
/// |---|---|
/// | `memory:` | [`crate::memory::MemoryStore`] |
/// | `sqlite://path/to/crm.db`, `sqlite::memory:` | SQLite (feature `sqlite`) |
/// | `postgres://user@host/db`, `postgresql://…` | PostgreSQL (feature `postgres`) |
///
/// A scheme this build lacks is `store.config`; an unreachable server `store.unavailable`;
/// refused credentials `store.auth`; a schema behind this build (with `migrate: false`)
/// `store.migration`.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let store = crm_store::open("memory:", &crm_store::StoreOptions::default()).await.unwrap();
/// assert_eq!(store.backend(), "memory");
/// let Err(err) = crm_store::open("mysql://x", &Default::default()).await else { unreachable!() };
/// assert_eq!(err.code().as_str(), "store.config");
/// # });
/// ```
pub async fn open(url: &str, options: &StoreOptions) -> Result<Arc<dyn Store>> {
    let url = url.trim();
    let scheme = url
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match scheme.as_str() {
        "memory" => Ok(Arc::new(crate::memory::MemoryStore::new())),
        "sqlite" => open_sqlite(url, options).await,
        "postgres" | "postgresql" => open_postgres(url, options).await,
        _ => Err(StoreError::Config(format!(
            "`{}` is not a store URL: use memory:, sqlite://path or postgres://…",
            url.chars().take(60).collect::<String>()
        ))),
    }
}

/// Opens the store `url` names behind a Redis cache at `cache_url` (feature `redis`). The cache
/// never fails a call: when Redis is slow or down, calls go to the store.
pub async fn open_cached(
    url: &str,
    cache_url: &str,
    options: &StoreOptions,
) -> Result<Arc<dyn Store>> {
    let inner = open(url, options).await?;
    cache(inner, cache_url, options).await
}

#[cfg(feature = "redis")]
async fn cache(
    inner: Arc<dyn Store>,
    cache_url: &str,
    options: &StoreOptions,
) -> Result<Arc<dyn Store>> {
    Ok(Arc::new(crate::cache::RedisCache::new(
        inner, cache_url, options,
    )?))
}

#[cfg(not(feature = "redis"))]
async fn cache(
    _inner: Arc<dyn Store>,
    _cache_url: &str,
    _options: &StoreOptions,
) -> Result<Arc<dyn Store>> {
    Err(StoreError::Config(
        "this build has no Redis cache: enable the `redis` feature".to_owned(),
    ))
}

#[cfg(feature = "sqlite")]
async fn open_sqlite(url: &str, options: &StoreOptions) -> Result<Arc<dyn Store>> {
    Ok(Arc::new(
        crate::sqlite::SqliteStore::open(url, options).await?,
    ))
}

#[cfg(not(feature = "sqlite"))]
async fn open_sqlite(_url: &str, _options: &StoreOptions) -> Result<Arc<dyn Store>> {
    Err(StoreError::Config(
        "this build has no SQLite store: enable the `sqlite` feature".to_owned(),
    ))
}

#[cfg(feature = "postgres")]
async fn open_postgres(url: &str, options: &StoreOptions) -> Result<Arc<dyn Store>> {
    Ok(Arc::new(
        crate::postgres::PgStore::connect(url, options).await?,
    ))
}

#[cfg(not(feature = "postgres"))]
async fn open_postgres(_url: &str, _options: &StoreOptions) -> Result<Arc<dyn Store>> {
    Err(StoreError::Config(
        "this build has no PostgreSQL store: enable the `postgres` feature".to_owned(),
    ))
}
