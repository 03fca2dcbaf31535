//! Routing state kept in Redis: the primary copy, not a cache, so Redis trouble is an error
//! (`store.unavailable`) here.

use super::keys::Keys;
use super::link::{Fault, Link};
use super::{bad_url, check_options};
use crate::error::{Result, StoreError};
use crate::options::StoreOptions;
use crate::prepare;
use crate::records::{RecordKind, Versioned};
use crate::traits::RoutingStateStore;
use async_trait::async_trait;
use crm_core::domain::TenantId;
use crm_core::workflow::routing::RoutingState;
use std::fmt;

/// Saves the state hash if its version is still the expected one.
/// KEYS: the state hash. ARGV: expected version, the document.
/// Returns `{1, new version}` or `{0, stored version}`.
const SAVE_STATE: &str = r"
local v = redis.call('HGET', KEYS[1], 'version') or '0'
if v ~= ARGV[1] then return {0, v} end
local next = tostring(tonumber(v) + 1)
redis.call('HSET', KEYS[1], 'version', next, 'doc', ARGV[2])
return {1, next}
";

/// Sets a key only if it still holds the value read. KEYS: the key. ARGV: value read, new value.
const REPLACE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2])
  return 1
end
return 0
";

/// Cursors (`INCR`), counters (`INCRBY`) and the routing document (compare-and-swap in a Lua
/// script) in Redis, under `{prefix}:{tenant}:routing:`, shared by every process that uses the
/// same Redis and prefix. Each call is bounded by `options.acquire_timeout`; a Redis that is
/// down or too slow gives `store.unavailable` (an `INCR` that timed out may still have been
/// applied: the cursor then skips a value, never repeats one).
///
/// ```no_run
/// # async fn demo() -> crm_store::Result<()> {
/// use crm_store::{RoutingStateStore, StoreOptions, cache::RedisRoutingState};
/// let routing = RedisRoutingState::connect("redis://127.0.0.1:6379", &StoreOptions::default()).await?;
/// let tenant = crm_core::domain::TenantId::from_uuid(uuid::Uuid::now_v7());
/// assert_eq!(routing.next_cursor(tenant, "zona_sul").await?, 0);
/// assert_eq!(routing.next_cursor(tenant, "zona_sul").await?, 1);
/// # Ok(()) }
/// ```
pub struct RedisRoutingState {
    link: Link,
    keys: Keys,
}

impl fmt::Debug for RedisRoutingState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisRoutingState")
            .field("link", &self.link)
            .field("keys", &self.keys)
            .finish()
    }
}

fn unavailable(fault: Fault) -> StoreError {
    match fault {
        Fault::Reply(e) => StoreError::Backend(format!("Redis: {e}")),
        other => StoreError::Unavailable(other.to_string()),
    }
}

fn corrupt(message: impl fmt::Display) -> StoreError {
    StoreError::Corrupt {
        kind: RecordKind::RoutingState,
        message: message.to_string(),
    }
}

impl RedisRoutingState {
    /// Connects to the Redis at `redis_url` and checks that it answers (`store.unavailable`
    /// if not within `options.connect_timeout`; `store.config` for a malformed URL or options).
    pub async fn connect(redis_url: &str, options: &StoreOptions) -> Result<RedisRoutingState> {
        check_options(options)?;
        let link = Link::open(redis_url, options.acquire_timeout, options.connect_timeout)
            .map_err(|e| bad_url(&e))?;
        let this = RedisRoutingState {
            link,
            keys: Keys::new(&options.cache_prefix),
        };
        this.ping().await?;
        Ok(this)
    }

    /// Checks that Redis answers.
    pub async fn ping(&self) -> Result<()> {
        self.link
            .call::<String>(&redis::cmd("PING"))
            .await
            .map(|_| ())
            .map_err(unavailable)
    }

    /// When `INCRBY` would overflow: stores the saturated sum (as the other stores do) with a
    /// compare-and-set, retrying if the counter moved meanwhile.
    async fn saturate(&self, key: &str, delta: i64) -> Result<i64> {
        for _ in 0..64 {
            let stored: Option<String> = self
                .link
                .call(redis::cmd("GET").arg(key))
                .await
                .map_err(unavailable)?;
            let stored = stored.unwrap_or_else(|| "0".to_owned());
            let current: i64 = stored
                .parse()
                .map_err(|_| corrupt(format!("counter {key} holds {stored:?}")))?;
            let next = current.saturating_add(delta);
            let mut cmd = redis::cmd("EVAL");
            cmd.arg(REPLACE).arg(1).arg(key).arg(&stored).arg(next);
            if self.link.call::<i64>(&cmd).await.map_err(unavailable)? == 1 {
                return Ok(next);
            }
        }
        Err(StoreError::Backend(format!(
            "counter {key} kept changing while saturating"
        )))
    }
}

#[async_trait]
impl RoutingStateStore for RedisRoutingState {
    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn next_cursor(&self, tenant: TenantId, key: &str) -> Result<u64> {
        prepare::check_key(key)?;
        let after: i64 = self
            .link
            .call(redis::cmd("INCR").arg(self.keys.cursor(tenant, key)))
            .await
            .map_err(unavailable)?;
        u64::try_from(after - 1).map_err(|_| corrupt(format!("cursor {key} went below zero")))
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn add_to_counter(&self, tenant: TenantId, key: &str, delta: i64) -> Result<i64> {
        prepare::check_key(key)?;
        let name = self.keys.counter(tenant, key);
        match self
            .link
            .call::<i64>(redis::cmd("INCRBY").arg(&name).arg(delta))
            .await
        {
            Ok(value) => Ok(value),
            Err(Fault::Reply(e)) if e.to_string().contains("overflow") => {
                self.saturate(&name, delta).await
            }
            Err(fault) => Err(unavailable(fault)),
        }
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn counter(&self, tenant: TenantId, key: &str) -> Result<i64> {
        prepare::check_key(key)?;
        let value: Option<i64> = self
            .link
            .call(redis::cmd("GET").arg(self.keys.counter(tenant, key)))
            .await
            .map_err(unavailable)?;
        Ok(value.unwrap_or(0))
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn load_routing_state(&self, tenant: TenantId) -> Result<Versioned<RoutingState>> {
        let mut cmd = redis::cmd("HMGET");
        cmd.arg(self.keys.routing_state(tenant))
            .arg("doc")
            .arg("version");
        let (doc, version): (Option<String>, Option<String>) =
            self.link.call(&cmd).await.map_err(unavailable)?;
        let (Some(doc), Some(version)) = (doc, version) else {
            return Ok(Versioned::default());
        };
        let version = version
            .parse()
            .map_err(|_| corrupt(format!("version {version:?}")))?;
        let value = serde_json::from_str(&doc).map_err(corrupt)?;
        Ok(Versioned { value, version })
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn save_routing_state(
        &self,
        tenant: TenantId,
        state: &RoutingState,
        expected_version: u64,
    ) -> Result<u64> {
        let doc = serde_json::to_string(state).map_err(corrupt)?;
        let mut cmd = redis::cmd("EVAL");
        cmd.arg(SAVE_STATE)
            .arg(1)
            .arg(self.keys.routing_state(tenant))
            .arg(expected_version)
            .arg(doc);
        let (saved, version): (i64, String) = self.link.call(&cmd).await.map_err(unavailable)?;
        let version: u64 = version
            .parse()
            .map_err(|_| corrupt(format!("version {version:?}")))?;
        if saved == 1 {
            Ok(version)
        } else {
            Err(StoreError::Conflict {
                kind: RecordKind::RoutingState,
                id: tenant.as_uuid(),
                expected: expected_version,
                actual: Some(version),
            })
        }
    }
}
