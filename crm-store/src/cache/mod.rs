//! The Redis layer: [`RedisCache`], a read-through cache around any [`Store`], and
//! [`RedisRoutingState`], routing cursors, counters and state kept in Redis.
//!
//! # What is cached
//!
//! - **Records by id** (agents, leads, properties, deals, visits) for `options.cache_ttl`,
//!   as their JSON, at `{prefix}:{tenant}:{kind}:{id}` (plus the epoch suffix, below).
//! - **Lists and finds** (`find_*`, `list_agents`, `list_activities`, `find_lead_by_portal`),
//!   keyed by their arguments and by the *generation* of their kind in the tenant
//!   (`{prefix}:{tenant}:gen:{kind}`): every write of a kind bumps its generation, which
//!   abandons all of that kind's cached lists at once (invalidation by tag).
//! - **Not cached**: the ledger and the audit log (append-only, read in order by accountants
//!   and auditors) and routing state, which go straight to the primary.
//!
//! Every write goes to the primary first; then its record entry is deleted and its kind's
//! generation bumped. `import_leads` bumps the lead generation; `add_activity` the activity
//! one; `erase_lead` deletes the lead's entry and abandons every entry of the tenant (the
//! erasure also changes activities and visits of the lead).
//!
//! # Redis trouble is never an error
//!
//! Every Redis call made for a store call is bounded by `options.cache_timeout`. A Redis error
//! or timeout is logged (`tracing::warn!`) and the call is served by the primary; no call fails
//! because of Redis. Building a cache does not connect: it only parses the URL; the connection
//! is opened on first use (within `options.connect_timeout`) and reopened after failures. The
//! background recovery (below) may wait up to the larger of the two budgets, off the request
//! path.
//!
//! A read costs one round trip: the epochs and the kind's generation, as last seen by this
//! process, are checked (`MGET`) in the same pipeline as the entry is fetched; when one moved,
//! a Lua script reads them and the entry atomically. A miss costs the primary's read plus one
//! guarded fill (below).
//!
//! # No stale reads after an outage
//!
//! A write whose invalidation cannot reach Redis is remembered in this process (the pending
//! set: record entries and generations to drop; past 10,000 entries it becomes "flush these
//! tenants", past 1,000 tenants "flush everything under the prefix"). While anything is
//! pending, or since any outage (a timeout or a connection failure) was seen, the cache is
//! *degraded*: reads bypass Redis and go to the primary, and further writes only add to the
//! pending set. A background task probes Redis (50 ms, doubling to 1 s between attempts) and,
//! once it answers, replays the pending set in one atomic script; after an outage the same
//! script also bumps the **global epoch** (`{prefix}:epoch`), which is part of every entry's
//! name, so every entry written before the outage is abandoned, by every process. Only then do
//! cached reads resume. So within this process, a value written while Redis was away is never
//! served stale from Redis once it is back.
//!
//! Across processes: every lookup checks the current epochs on the server in the same round
//! trip as it reads the entry, so a bump by any process takes effect for all of them at once. A write made by **another**
//! process during an outage is covered as soon as that process sees Redis again (its recovery
//! bumps the epoch within about a second of Redis returning, even if it is idle). If that
//! process never sees Redis again (it crashed, or only it was cut off and stays cut off),
//! another process may serve the old value until the entry's TTL (`cache_ttl`) expires: that is
//! the bound. A process that itself saw the outage abandons all old entries when it recovers,
//! whoever wrote.
//!
//! The price of this rule: a single Redis timeout (a Redis too busy to answer within
//! `cache_timeout`) counts as an outage, so the recovery after it empties the cache for every
//! process. Keep `cache_timeout` well above Redis's normal latency.
//!
//! A read that misses fills the entry only if no epoch and no generation of its kind moved
//! since the lookup (checked atomically on the server), so a value read from the primary just
//! before a concurrent write cannot be cached after that write's invalidation.
//!
//! Epoch and generation counters that vanish (eviction under an `allkeys-*` policy) restart
//! from the server clock in microseconds, never from a value that names live entries. Routing
//! keys have no TTL: give Redis `noeviction` or a `volatile-*` policy if it also holds routing
//! state. The scripts touch keys they do not declare, so Redis Cluster is not supported.
//!
//! ```
//! use std::sync::Arc;
//! use crm_store::{Store, StoreOptions, cache::RedisCache, memory::MemoryStore};
//! // Building the cache never connects: Redis may be down; only a bad URL is an error.
//! let cache = RedisCache::new(Arc::new(MemoryStore::new()), "redis://127.0.0.1:6379", &StoreOptions::default()).unwrap();
//! assert_eq!(cache.backend(), "redis+memory");
//! let err = RedisCache::new(Arc::new(MemoryStore::new()), "http://nope", &StoreOptions::default()).unwrap_err();
//! assert_eq!(err.code().as_str(), "store.config");
//! ```

mod engine;
mod health;
mod keys;
mod leads;
mod link;
mod passthrough;
mod records;
mod routing;
mod scripts;

pub use routing::RedisRoutingState;

use crate::error::{Result, StoreError};
use crate::options::StoreOptions;
use crate::records::RecordKind;
use crate::traits::Store;
use async_trait::async_trait;
use crm_core::domain::TenantId;
use engine::Engine;
use health::Invalidation;
use keys::Keys;
use link::Link;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use uuid::Uuid;

/// A read-through Redis cache in front of a primary store. It is itself a [`Store`]: hold it as
/// `Arc<dyn Store>` in place of the primary. See the [module docs](self) for what is cached and
/// the staleness guarantees.
pub struct RedisCache {
    inner: Arc<dyn Store>,
    engine: Arc<Engine>,
}

impl fmt::Debug for RedisCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisCache")
            .field("primary", &self.inner.backend())
            .field("engine", &self.engine)
            .finish()
    }
}

/// Checks the cache options shared by [`RedisCache`] and [`RedisRoutingState`].
fn check_options(options: &StoreOptions) -> Result<()> {
    if options.cache_prefix.is_empty() || options.cache_prefix.chars().any(char::is_whitespace) {
        return Err(StoreError::Config(format!(
            "the cache key prefix must be non-empty and without spaces, not {:?}",
            options.cache_prefix
        )));
    }
    if options.cache_ttl.is_zero() || options.cache_timeout.is_zero() {
        return Err(StoreError::Config(
            "the cache TTL and time budget must be above zero".to_owned(),
        ));
    }
    Ok(())
}

fn bad_url(err: &redis::RedisError) -> StoreError {
    StoreError::Config(format!("not a usable Redis URL: {err}"))
}

impl RedisCache {
    /// A cache in front of `inner`, using the Redis at `redis_url` (`redis://host:port/db`,
    /// `rediss://…`, `unix://…`). Nothing is connected here, so Redis may be down; only a
    /// malformed URL or options (empty prefix, zero TTL or time budget) are errors
    /// (`store.config`).
    pub fn new(
        inner: Arc<dyn Store>,
        redis_url: &str,
        options: &StoreOptions,
    ) -> Result<RedisCache> {
        check_options(options)?;
        let link = Link::open(redis_url, options.cache_timeout, options.connect_timeout)
            .map_err(|e| bad_url(&e))?;
        let recovery_budget = options.cache_timeout.max(options.connect_timeout);
        let keys = Keys::new(&options.cache_prefix);
        let engine = Engine::new(link, keys, options.cache_ttl, recovery_budget);
        Ok(RedisCache {
            inner,
            engine: Arc::new(engine),
        })
    }

    /// The primary store behind the cache.
    pub fn primary(&self) -> &Arc<dyn Store> {
        &self.inner
    }

    /// Whether reads currently bypass Redis (a Redis fault was seen and the recovery has not
    /// yet replayed the missed invalidations). Hosts can report it in their health checks.
    pub fn is_degraded(&self) -> bool {
        self.engine.is_degraded()
    }

    /// How many invalidations wait for Redis to come back (0 when healthy; 1 once they were
    /// collapsed into "flush everything").
    pub fn pending_invalidations(&self) -> usize {
        self.engine.backlog().0
    }

    /// Tries the recovery now instead of waiting for the background task: returns whether the
    /// cache is healthy afterwards.
    pub async fn recover_now(&self) -> bool {
        loop {
            match self.engine.try_recover().await {
                engine::Recovery::Healthy => return true,
                engine::Recovery::Again => {}
                engine::Recovery::Later => return false,
            }
        }
    }

    /// Read-through for a record by id (absent records are not cached).
    async fn record<T, F, Fut>(
        &self,
        tenant: TenantId,
        kind: RecordKind,
        id: Uuid,
        load: F,
    ) -> Result<Option<T>>
    where
        T: Serialize + DeserializeOwned,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Option<T>>>,
    {
        let key = self.engine.keys().record(tenant, kind, id);
        self.engine.through(key, Option::is_some, load).await
    }

    /// Read-through for a list, keyed by `op` and its arguments.
    async fn list<T, Q, F, Fut>(
        &self,
        tenant: TenantId,
        kind: RecordKind,
        op: &str,
        query: &Q,
        load: F,
    ) -> Result<T>
    where
        T: Serialize + DeserializeOwned,
        Q: Serialize + ?Sized,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let query = match serde_json::to_string(query) {
            Ok(q) => q,
            Err(err) => {
                tracing::warn!(error = %err, "could not encode a query as a cache key");
                return load().await;
            }
        };
        let key = self.engine.keys().list(tenant, kind, op, &query);
        self.engine.through(key, |_| true, load).await
    }

    /// Invalidates after a write to the primary, unless the write certainly changed nothing.
    async fn written<T>(&self, result: Result<T>, inv: Invalidation) -> Result<T> {
        if may_have_written(&result) {
            self.engine.invalidate(inv).await;
        }
        result
    }
}

/// Whether a write call may have changed the primary: it succeeded, or failed in a way that
/// leaves it unknown (a lost connection after the commit).
fn may_have_written<T>(result: &Result<T>) -> bool {
    !matches!(
        result,
        Err(StoreError::Validation(_)
            | StoreError::NotFound { .. }
            | StoreError::Conflict { .. }
            | StoreError::Duplicate { .. }
            | StoreError::LedgerUnbalanced { .. }
            | StoreError::Config(_)
            | StoreError::Auth(_))
    )
}

#[async_trait]
impl Store for RedisCache {
    fn backend(&self) -> String {
        format!("redis+{}", self.inner.backend())
    }

    /// Pings the primary (the cache being away is not a failure of the store).
    async fn ping(&self) -> Result<()> {
        self.inner.ping().await
    }
}
