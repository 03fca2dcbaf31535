//! The cache's machinery, independent of the record types: read-through with a guarded fill,
//! invalidation, fault handling and the background recovery.

use super::health::{Invalidation, State};
use super::keys::{CacheKey, Keys};
use super::link::{Fault, Link};
use super::scripts::{self, QuickReply, ReadReply, Seen};
use crate::error::Result;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

/// The first wait before a recovery attempt, doubled after each failed attempt.
const FIRST_RETRY: Duration = Duration::from_millis(50);
/// The longest wait between recovery attempts.
const MAX_RETRY: Duration = Duration::from_secs(1);
/// Counter values remembered for the fast read (about 7 per active tenant) before the memory
/// is cleared and relearnt.
const MAX_KNOWN_COUNTERS: usize = 100_000;

/// What a recovery attempt achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Recovery {
    /// Nothing pending any more: cached reads resume.
    Healthy,
    /// Redis answered, but writes arrived meanwhile: try again at once.
    Again,
    /// Redis did not answer (or failed again meanwhile): wait before the next attempt.
    Later,
}

/// What a cache lookup found.
enum Lookup<T> {
    /// Served from Redis.
    Hit(T),
    /// Not there; fill it with what the primary answers if `Some` (the epochs seen).
    Miss(Option<Seen>),
}

/// Read-through, invalidation and recovery over one Redis link.
#[derive(Debug)]
pub(crate) struct Engine {
    link: Link,
    keys: Keys,
    global_epoch: String,
    ttl: Duration,
    /// The time budget of a recovery attempt (it runs in the background, so it may wait for a
    /// slow connection to open where a request would give up).
    recovery_budget: Duration,
    /// The last values seen of epoch and generation counters, by key: lets a read check them
    /// and fetch the entry in one round trip without a script.
    counters: Mutex<HashMap<String, String>>,
    /// Mirrors `state.healthy()` for the lock-free fast path.
    healthy: AtomicBool,
    state: Mutex<State>,
}

impl Engine {
    pub(crate) fn new(link: Link, keys: Keys, ttl: Duration, recovery_budget: Duration) -> Engine {
        let global_epoch = keys.global_epoch();
        Engine {
            link,
            keys,
            global_epoch,
            ttl,
            recovery_budget,
            counters: Mutex::new(HashMap::new()),
            healthy: AtomicBool::new(true),
            state: Mutex::new(State::default()),
        }
    }

    pub(crate) fn keys(&self) -> &Keys {
        &self.keys
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether reads currently bypass Redis.
    pub(crate) fn is_degraded(&self) -> bool {
        !self.healthy.load(Ordering::Acquire)
    }

    /// How many invalidations wait for Redis, and whether an outage awaits its epoch bump.
    pub(crate) fn backlog(&self) -> (usize, bool) {
        let s = self.state();
        (s.pending.len(), s.outage)
    }

    /// The value for `key`: from Redis if there, else from `load` (the primary), then stored in
    /// Redis when `cacheable` says so. Redis trouble never fails the call.
    pub(crate) async fn through<T, F, Fut>(
        self: &Arc<Self>,
        key: CacheKey,
        cacheable: fn(&T) -> bool,
        load: F,
    ) -> Result<T>
    where
        T: Serialize + DeserializeOwned,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let seen = match self.lookup::<T>(&key).await {
            Lookup::Hit(value) => return Ok(value),
            Lookup::Miss(seen) => seen,
        };
        let value = load().await?;
        if let Some(seen) = seen
            && cacheable(&value)
        {
            self.fill(&key, &seen, &value).await;
        }
        Ok(value)
    }

    async fn lookup<T: DeserializeOwned>(self: &Arc<Self>, key: &CacheKey) -> Lookup<T> {
        if self.is_degraded() {
            self.ensure_recovery();
            return Lookup::Miss(None);
        }
        // Fast path: the counters' values are known here; check them and read the entry in one
        // round trip, without a script.
        if let Some(seen) = self.known(key) {
            match self
                .link
                .call_pipeline::<QuickReply>(&scripts::quick_read(&self.global_epoch, key, &seen))
                .await
            {
                Ok((now, bytes)) if seen.still(&now) => return self.decode(key, seen, bytes),
                // A counter moved (a write elsewhere, an epoch bump): ask the server.
                Ok(_) => {}
                Err(fault) => {
                    self.fault(&fault, "cache read", None);
                    return Lookup::Miss(None);
                }
            }
        }
        match self
            .link
            .call::<ReadReply>(&scripts::read(&self.global_epoch, key))
            .await
        {
            Ok((epoch, tenant_epoch, generation, bytes)) => {
                let seen = Seen {
                    epoch,
                    tenant_epoch,
                    generation,
                };
                self.learn(key, &seen);
                self.decode(key, seen, bytes)
            }
            Err(fault) => {
                self.fault(&fault, "cache read", None);
                Lookup::Miss(None)
            }
        }
    }

    fn decode<T: DeserializeOwned>(
        &self,
        key: &CacheKey,
        seen: Seen,
        bytes: Option<Vec<u8>>,
    ) -> Lookup<T> {
        match bytes.map(|b| serde_json::from_slice::<T>(&b)) {
            Some(Ok(value)) if !self.is_degraded() => Lookup::Hit(value),
            Some(Ok(_)) => Lookup::Miss(None),
            Some(Err(err)) => {
                tracing::warn!(key = %key.base, error = %err, "unreadable cache entry; reading the primary");
                Lookup::Miss(Some(seen))
            }
            None => Lookup::Miss(Some(seen)),
        }
    }

    fn counters(&self) -> MutexGuard<'_, HashMap<String, String>> {
        self.counters
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The counters' values last seen for this entry, if all are known.
    fn known(&self, key: &CacheKey) -> Option<Seen> {
        let known = self.counters();
        Some(Seen {
            epoch: known.get(&self.global_epoch)?.clone(),
            tenant_epoch: known.get(&key.tenant_epoch)?.clone(),
            generation: known.get(&key.generation)?.clone(),
        })
    }

    /// Remembers the counters' values a script read returned.
    fn learn(&self, key: &CacheKey, seen: &Seen) {
        let mut known = self.counters();
        if known.len() >= MAX_KNOWN_COUNTERS {
            known.clear();
        }
        known.insert(self.global_epoch.clone(), seen.epoch.clone());
        known.insert(key.tenant_epoch.clone(), seen.tenant_epoch.clone());
        known.insert(key.generation.clone(), seen.generation.clone());
    }

    async fn fill<T: Serialize>(self: &Arc<Self>, key: &CacheKey, seen: &Seen, value: &T) {
        if self.is_degraded() {
            return;
        }
        let bytes = match serde_json::to_vec(value) {
            Ok(b) => b,
            Err(err) => {
                tracing::warn!(key = %key.base, error = %err, "could not encode a cache entry");
                return;
            }
        };
        let cmd = scripts::fill(&self.global_epoch, key, seen, &bytes, self.ttl);
        if let Err(fault) = self.link.call::<i64>(&cmd).await {
            self.fault(&fault, "cache fill", None);
        }
    }

    /// Makes Redis forget what a write changed (the primary was written first). When Redis
    /// cannot be reached, the invalidation is remembered and replayed before any cached read.
    pub(crate) async fn invalidate(self: &Arc<Self>, inv: Invalidation) {
        if self.is_degraded() && !self.remember(&inv) {
            return;
        }
        let plan = inv.plan(&self.keys);
        if let Err(fault) = self
            .link
            .call::<i64>(&scripts::invalidate(&self.global_epoch, &plan))
            .await
        {
            self.fault(&fault, "cache invalidation", Some(&inv));
        }
    }

    /// While degraded: adds the invalidation to the pending set, or, when the recovery is
    /// draining the last of it, returns `true` to send it to Redis now.
    fn remember(self: &Arc<Self>, inv: &Invalidation) -> bool {
        {
            let mut s = self.state();
            if s.draining {
                return true;
            }
            s.pending.add(inv);
            self.healthy.store(false, Ordering::Release);
        }
        self.ensure_recovery();
        false
    }

    /// Logs a fault and, when it may hide a missed invalidation or an outage, degrades the
    /// cache until a recovery succeeds.
    fn fault(self: &Arc<Self>, fault: &Fault, during: &str, inv: Option<&Invalidation>) {
        tracing::warn!(error = %fault, "{during} failed; the primary serves the call");
        if inv.is_none() && !fault.is_outage() {
            return;
        }
        {
            let mut s = self.state();
            if let Some(inv) = inv {
                s.pending.add(inv);
            }
            if fault.is_outage() {
                s.outage = true;
            }
            s.faults += 1;
            s.draining = false;
            self.healthy.store(false, Ordering::Release);
        }
        self.ensure_recovery();
    }

    /// Starts the background recovery unless one runs (or there is no runtime to run it on;
    /// the next call tries again).
    fn ensure_recovery(self: &Arc<Self>) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let id = {
            let mut s = self.state();
            if s.recovering.is_some() || s.healthy() {
                return;
            }
            s.next_task += 1;
            s.recovering = Some(s.next_task);
            s.next_task
        };
        runtime.spawn(recover(Arc::downgrade(self), id));
    }

    /// One recovery attempt: replays the pending invalidations (and bumps the global epoch after
    /// an outage) in one script.
    pub(crate) async fn try_recover(&self) -> Recovery {
        let (replayed, outage, faults) = {
            let s = self.state();
            if s.healthy() {
                return Recovery::Healthy;
            }
            (s.pending.clone(), s.outage, s.faults)
        };
        let plan = replayed.plan(&self.keys, outage);
        let cmd = scripts::invalidate(&self.global_epoch, &plan);
        match self
            .link
            .call_within::<i64>(&cmd, self.recovery_budget)
            .await
        {
            Ok(_) => {
                let mut s = self.state();
                s.pending.settle(&replayed);
                let quiet = s.faults == faults;
                if quiet {
                    s.outage = false;
                }
                if s.healthy() {
                    s.draining = false;
                    self.healthy.store(true, Ordering::Release);
                    tracing::info!(
                        replayed = replayed.len(),
                        epoch_bumped = plan.global,
                        "Redis is back; pending invalidations replayed, cached reads resume"
                    );
                    return Recovery::Healthy;
                }
                // Writes arrived while the replay was in flight: replay those at once, and
                // let new writes invalidate directly meanwhile, so the backlog cannot keep
                // refilling itself.
                s.draining = quiet;
                if quiet {
                    Recovery::Again
                } else {
                    Recovery::Later
                }
            }
            Err(fault) => {
                self.state().draining = false;
                tracing::debug!(error = %fault, "Redis still unavailable; the cache stays bypassed");
                Recovery::Later
            }
        }
    }

    fn recovery_ended(&self, id: u64) {
        let mut s = self.state();
        if s.recovering == Some(id) {
            s.recovering = None;
        }
    }
}

/// Clears the engine's "recovery running" mark when the task ends, however it ends (its
/// runtime may shut down under it).
struct RecoveryGuard {
    engine: Weak<Engine>,
    id: u64,
}

impl Drop for RecoveryGuard {
    fn drop(&mut self) {
        if let Some(engine) = self.engine.upgrade() {
            engine.recovery_ended(self.id);
        }
    }
}

/// Probes Redis with growing pauses until a recovery succeeds or the cache is dropped.
async fn recover(engine: Weak<Engine>, id: u64) {
    let _guard = RecoveryGuard {
        engine: engine.clone(),
        id,
    };
    let mut delay = FIRST_RETRY;
    loop {
        tokio::time::sleep(delay).await;
        let Some(engine) = engine.upgrade() else {
            return;
        };
        loop {
            match engine.try_recover().await {
                Recovery::Healthy => return,
                Recovery::Again => continue,
                Recovery::Later => break,
            }
        }
        delay = (delay * 2).min(MAX_RETRY);
    }
}
