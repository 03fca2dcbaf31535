//! The store: `openStore` and the methods of `NativeStore`, each returning a Promise.
//!
//! Every call runs on the facade's one tokio runtime (`realestate_crm::host::runtime`), never on
//! the event loop and never on a libuv worker: the call creates a Promise with napi's deferred
//! (`Env::create_deferred`), spawns a task on the runtime and returns the Promise at once. The
//! task reads its arguments (JSON text), awaits the store and writes the result as JSON text;
//! then it settles the deferred, which napi hands back to the JS thread (a thread-safe function)
//! where the result becomes a JS string, or a failure the package's coded error object (the same
//! factory as every synchronous call, so `e.code === 'store.conflict'` and `e instanceof
//! ConflictError` hold). The task is polled under the facade's panic guard: a panic inside it
//! rejects the Promise with `internal.panic`, and a task dropped before it answers rejects it too,
//! so no Promise is ever left pending (a pending one would also keep Node from exiting).

use crate::errors::to_js;
use crate::json::{instant, load, out};
use napi::bindgen_prelude::{Object, ToNapiValue};
use napi::{Env, JsDeferred};
use napi_derive::napi;
use realestate_crm::ErrorCode;
use realestate_crm::domain::{
    Activity, Agent, AgentId, Consent, ConsentPurpose, Deal, DealId, Lead, LeadId, Portal,
    Property, PropertyId, TenantId, Visit, VisitId,
};
use realestate_crm::host::{self, HostError, guard, runtime, text};
use realestate_crm::store::privacy::{Privacy, SubjectKey};
use realestate_crm::store::{
    AuditEvent, AuditQuery, Cursor, DealQuery, LeadQuery, NewLedgerEntry, PropertyQuery, Store,
    StoreOptions, VisitQuery,
};
use realestate_crm::workflow::routing::RoutingState;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

// --- Promises settled from the runtime -----------------------------------------------------

/// What turns a task's output into the JS value on the JS thread (or its error into the coded
/// error object).
type Resolver<T> = Box<dyn FnOnce(Env) -> napi::Result<T> + Send>;

/// The Promise of one call, settled exactly once: with the task's result, or — when the task is
/// dropped before it answers (the runtime shutting down, a panic while settling) — with an
/// `internal.panic` error.
struct Settle<T: ToNapiValue + Send + 'static> {
    deferred: Option<JsDeferred<T, Resolver<T>>>,
}

impl<T: ToNapiValue + Send + 'static> Settle<T> {
    fn finish(mut self, result: Result<T, HostError>) {
        if let Some(deferred) = self.deferred.take() {
            deferred.resolve(Box::new(move |env| result.map_err(|e| to_js(&env, e))));
        }
    }
}

impl<T: ToNapiValue + Send + 'static> Drop for Settle<T> {
    fn drop(&mut self) {
        if let Some(deferred) = self.deferred.take() {
            deferred.resolve(Box::new(|env| {
                Err(to_js(
                    &env,
                    HostError::new(
                        ErrorCode::Panic,
                        "internal error (please report it): the store call ended without an answer",
                    ),
                ))
            }));
        }
    }
}

/// A future polled under the facade's panic guard: a panic while it runs is its
/// `internal.panic` error (and it is not polled again).
struct Guarded<F>(Pin<Box<F>>);

impl<T, F: Future<Output = Result<T, HostError>>> Future for Guarded<F> {
    type Output = Result<T, HostError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.0.as_mut();
        match guard(move || Ok(inner.poll(cx))) {
            Ok(poll) => poll,
            Err(panicked) => Poll::Ready(Err(panicked)),
        }
    }
}

/// A Promise for `task`, which runs on the process's runtime under the panic guard.
fn promise<T, F>(env: &Env, task: F) -> napi::Result<Object<'_>>
where
    T: ToNapiValue + Send + 'static,
    F: Future<Output = Result<T, HostError>> + Send + 'static,
{
    let (deferred, promise) = env.create_deferred::<T, Resolver<T>>()?;
    let settle = Settle {
        deferred: Some(deferred),
    };
    match guard(runtime::handle) {
        Ok(rt) => {
            rt.spawn(async move {
                let result = Guarded(Box::pin(task)).await;
                settle.finish(result);
            });
        }
        Err(e) => settle.finish(Err(e)),
    }
    Ok(promise)
}

// --- arguments ----------------------------------------------------------------------------

/// An id (tenant, lead, …) from its text, errors at `path`.
fn id<T: DeserializeOwned>(text: &str, path: &str) -> Result<T, HostError> {
    host::from_value(serde_json::Value::String(text.to_owned())).map_err(|e| e.at(path))
}

fn tenant(text: &str) -> Result<TenantId, HostError> {
    id(text, "tenant")
}

/// A query (JSON, the core's snake_case fields). Its `after` cursor is read first, so a cursor
/// this store did not hand out is `store.cursor` at `query.after` (serde's flattened page
/// fields would report it as an `input.json` error of the whole query).
fn query<Q: DeserializeOwned + Serialize>(json: &str) -> Result<Q, HostError> {
    let value = text::parse(json).map_err(|e| e.at("query"))?;
    if let Some(serde_json::Value::String(after)) = value.get("after") {
        after
            .parse::<Cursor>()
            .map_err(|e| HostError::from(e.at("after")).at("query"))?;
    }
    text::from_json(&value).map_err(|e| e.at("query"))
}

/// A whole number ≥ 0 from a JS number (versions, sequence numbers).
fn unsigned(n: i64, path: &str) -> Result<u64, HostError> {
    u64::try_from(n)
        .map_err(|_| HostError::input(path, format!("expected an integer ≥ 0, not {n}")))
}

fn millis(ms: Option<u64>, default: Duration) -> Duration {
    ms.map_or(default, Duration::from_millis)
}

/// `null` for `appRole` means "no role": run as the login role.
fn nullable<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// The options of `openStore`, camelCase as the package takes them.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct OpenOptions {
    /// A Redis URL: the store behind a read-through cache.
    #[serde(default)]
    cache: Option<String>,
    #[serde(default)]
    pool_size: Option<u32>,
    #[serde(default)]
    acquire_timeout_ms: Option<u64>,
    #[serde(default)]
    connect_timeout_ms: Option<u64>,
    #[serde(default)]
    migrate: Option<bool>,
    #[serde(default)]
    schema: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    app_role: Option<Option<String>>,
    #[serde(default)]
    cache_ttl_seconds: Option<u64>,
    #[serde(default)]
    cache_timeout_ms: Option<u64>,
    #[serde(default)]
    cache_prefix: Option<String>,
}

impl OpenOptions {
    fn store_options(self) -> StoreOptions {
        let d = StoreOptions::default();
        StoreOptions {
            max_connections: self.pool_size.unwrap_or(d.max_connections),
            acquire_timeout: millis(self.acquire_timeout_ms, d.acquire_timeout),
            connect_timeout: millis(self.connect_timeout_ms, d.connect_timeout),
            migrate: self.migrate.unwrap_or(d.migrate),
            schema: self.schema.or(d.schema),
            app_role: self.app_role.unwrap_or(d.app_role),
            cache_ttl: self
                .cache_ttl_seconds
                .map_or(d.cache_ttl, Duration::from_secs),
            cache_timeout: millis(self.cache_timeout_ms, d.cache_timeout),
            cache_prefix: self.cache_prefix.unwrap_or(d.cache_prefix),
        }
    }
}

// --- the store ----------------------------------------------------------------------------

/// Opens the store `url` names (`memory:`, `sqlite://path`, `sqlite::memory:`, `postgres://…`)
/// with `options` (JSON text, camelCase: `cache`, `poolSize`, `acquireTimeoutMs`, …), applying
/// migrations unless `migrate` is false; with `cache` (`redis://…`) behind a Redis cache.
#[napi(ts_return_type = "Promise<NativeStore>")]
pub fn open_store(env: &Env, url: String, options: String) -> napi::Result<Object<'_>> {
    promise(env, async move {
        let o: OpenOptions = load(&options, "options")?;
        let cache = o.cache.clone();
        let options = o.store_options();
        let inner = opening(url, cache, options).await?;
        Ok(NativeStore {
            backend: inner.backend(),
            inner: Mutex::new(Some(inner)),
        })
    })
}

/// Opens the store on the runtime. `open` (connecting, migrating) is not a future rustc can
/// prove `Send` (the higher-ranked lifetimes of sqlx's migration executors), so it cannot be a
/// task of its own: it runs on the runtime's blocking pool, driven by the runtime's handle, and
/// the task awaits it. Every other call is an ordinary task.
async fn opening(
    url: String,
    cache: Option<String>,
    options: StoreOptions,
) -> Result<Arc<dyn Store>, HostError> {
    let rt = runtime::handle()?;
    let handle = rt.handle().clone();
    let joined = rt
        .spawn_blocking(move || {
            guard(|| {
                handle
                    .block_on(async {
                        match cache {
                            Some(cache) => {
                                realestate_crm::store::open_cached(&url, &cache, &options).await
                            }
                            None => realestate_crm::store::open(&url, &options).await,
                        }
                    })
                    .map_err(HostError::from)
            })
        })
        .await;
    joined.unwrap_or_else(|e| {
        Err(HostError::new(
            ErrorCode::Panic,
            format!("internal error (please report it): opening the store failed: {e}"),
        ))
    })
}

/// An open store: every method returns a Promise of JSON text.
#[napi]
pub struct NativeStore {
    inner: Mutex<Option<Arc<dyn Store>>>,
    backend: String,
}

impl NativeStore {
    fn store(&self) -> Result<Arc<dyn Store>, HostError> {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .map(Arc::clone)
            .ok_or_else(|| {
                HostError::new(
                    ErrorCode::StoreUnavailable,
                    "this store is closed (store.close() was called): open a new one",
                )
            })
    }

    /// Runs `work` with the store on the runtime; the Promise resolves with its result as JSON
    /// text. Arguments are read inside `work`, off the JS thread too.
    fn call<'env, R, F, W>(&self, env: &'env Env, work: W) -> napi::Result<Object<'env>>
    where
        R: Serialize,
        F: Future<Output = Result<R, HostError>> + Send + 'static,
        W: FnOnce(Arc<dyn Store>) -> F + Send + 'static,
    {
        let store = self.store();
        promise(env, async move {
            let value = work(store?).await?;
            out(&value)
        })
    }
}

/// insert/get/update of each record kind (napi-derive expands no macros inside an `impl`
/// block, so the macro writes the whole block).
macro_rules! store_methods {
    ($(($ty:ty, $id:ty, $insert:ident, $get:ident, $update:ident)),*) => {
        #[napi]
        impl NativeStore {
        $(
        /// Stores a new record (version 1) and returns it as stored.
        #[napi(ts_return_type = "Promise<string>")]
        pub fn $insert<'env>(&self, env: &'env Env, tenant: String, record: String) -> napi::Result<Object<'env>> {
            self.call(env, move |s| async move {
                let t = self::tenant(&tenant)?;
                let r: $ty = load(&record, "")?;
                Ok(s.$insert(t, &r).await?)
            })
        }

        /// The record, or `null`.
        #[napi(ts_return_type = "Promise<string>")]
        pub fn $get<'env>(&self, env: &'env Env, tenant: String, id: String) -> napi::Result<Object<'env>> {
            self.call(env, move |s| async move {
                let t = self::tenant(&tenant)?;
                let id: $id = self::id(&id, "id")?;
                Ok(s.$get(t, id).await?)
            })
        }

        /// Replaces the record; its `version` must be the stored one (`store.conflict`).
        #[napi(ts_return_type = "Promise<string>")]
        pub fn $update<'env>(&self, env: &'env Env, tenant: String, record: String) -> napi::Result<Object<'env>> {
            self.call(env, move |s| async move {
                let t = self::tenant(&tenant)?;
                let r: $ty = load(&record, "")?;
                Ok(s.$update(t, &r).await?)
            })
        }
        )*
        }
    };
}

store_methods! {
    (Agent, AgentId, insert_agent, get_agent, update_agent),
    (Lead, LeadId, insert_lead, get_lead, update_lead),
    (Property, PropertyId, insert_property, get_property, update_property),
    (Deal, DealId, insert_deal, get_deal, update_deal),
    (Visit, VisitId, insert_visit, get_visit, update_visit)
}

#[napi]
impl NativeStore {
    /// The backend's name: `memory`, `sqlite`, `postgres`, or `redis+…` for a cached store.
    #[napi(getter)]
    pub fn backend(&self) -> String {
        self.backend.clone()
    }

    /// Whether `close()` was called.
    #[napi(getter)]
    pub fn closed(&self) -> bool {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_none()
    }

    /// Lets go of the store: its pools close once the calls in flight have answered. Later
    /// calls reject with `store.unavailable`; closing again does nothing.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn close<'env>(&self, env: &'env Env) -> napi::Result<Object<'env>> {
        let taken = self
            .inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        // Dropped on the runtime: the pools' connections close in the runtime they belong to.
        promise(env, async move {
            drop(taken);
            Ok(())
        })
    }

    /// Checks that the backend answers (`store.unavailable` otherwise).
    #[napi(ts_return_type = "Promise<string>")]
    pub fn ping<'env>(&self, env: &'env Env) -> napi::Result<Object<'env>> {
        self.call(env, |s| async move { Ok(s.ping().await?) })
    }

    /// Every agent of the tenant, by creation.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn list_agents<'env>(&self, env: &'env Env, tenant: String) -> napi::Result<Object<'env>> {
        self.call(env, move |s| async move {
            let t = self::tenant(&tenant)?;
            Ok(s.list_agents(t).await?)
        })
    }

    /// Leads matching a query (JSON, snake_case: `stage`, `phone`, `limit`, `after`, …), as a
    /// page `{items, next}`.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn find_leads<'env>(
        &self,
        env: &'env Env,
        tenant: String,
        query: String,
    ) -> napi::Result<Object<'env>> {
        self.call(env, move |s| async move {
            let t = self::tenant(&tenant)?;
            let q: LeadQuery = self::query(&query)?;
            Ok(s.find_leads(t, &q).await?)
        })
    }

    /// The lead a portal delivered under its own id, or `null`.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn find_lead_by_portal<'env>(
        &self,
        env: &'env Env,
        tenant: String,
        portal: String,
        portal_lead_id: String,
    ) -> napi::Result<Object<'env>> {
        self.call(env, move |s| async move {
            let t = self::tenant(&tenant)?;
            let p: Portal = self::id(&portal, "portal")?;
            Ok(s.find_lead_by_portal(t, &p, &portal_lead_id).await?)
        })
    }

    /// Bulk import (a JSON array of leads): `{ids, inserted, existing}`; re-deliveries are left
    /// unchanged.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn import_leads<'env>(
        &self,
        env: &'env Env,
        tenant: String,
        leads: String,
    ) -> napi::Result<Object<'env>> {
        self.call(env, move |s| async move {
            let t = self::tenant(&tenant)?;
            let leads: Vec<Lead> = load(&leads, "")?;
            Ok(s.import_leads(t, &leads).await?)
        })
    }

    /// Appends an activity to its lead.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn add_activity<'env>(
        &self,
        env: &'env Env,
        tenant: String,
        activity: String,
    ) -> napi::Result<Object<'env>> {
        self.call(env, move |s| async move {
            let t = self::tenant(&tenant)?;
            let a: Activity = load(&activity, "")?;
            Ok(s.add_activity(t, &a).await?)
        })
    }

    /// A lead's activities, by time.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn list_activities<'env>(
        &self,
        env: &'env Env,
        tenant: String,
        lead_id: String,
    ) -> napi::Result<Object<'env>> {
        self.call(env, move |s| async move {
            let t = self::tenant(&tenant)?;
            let id: LeadId = self::id(&lead_id, "leadId")?;
            Ok(s.list_activities(t, id).await?)
        })
    }

    /// Properties matching a query; a page `{items, next}`.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn find_properties<'env>(
        &self,
        env: &'env Env,
        tenant: String,
        query: String,
    ) -> napi::Result<Object<'env>> {
        self.call(env, move |s| async move {
            let t = self::tenant(&tenant)?;
            let q: PropertyQuery = self::query(&query)?;
            Ok(s.find_properties(t, &q).await?)
        })
    }

    /// Deals matching a query; a page `{items, next}`.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn find_deals<'env>(
        &self,
        env: &'env Env,
        tenant: String,
        query: String,
    ) -> napi::Result<Object<'env>> {
        self.call(env, move |s| async move {
            let t = self::tenant(&tenant)?;
            let q: DealQuery = self::query(&query)?;
            Ok(s.find_deals(t, &q).await?)
        })
    }

    /// Visits matching a query; a page `{items, next}`.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn find_visits<'env>(
        &self,
        env: &'env Env,
        tenant: String,
        query: String,
    ) -> napi::Result<Object<'env>> {
        self.call(env, move |s| async move {
            let t = self::tenant(&tenant)?;
            let q: VisitQuery = self::query(&query)?;
            Ok(s.find_visits(t, &q).await?)
        })
    }

    /// Appends ledger entries (a JSON array of `{id, recorded_at, entry}`), all or none; a
    /// retried id with the same entry returns the stored one.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn append_ledger<'env>(
        &self,
        env: &'env Env,
        tenant: String,
        entries: String,
    ) -> napi::Result<Object<'env>> {
        self.call(env, move |s| async move {
            let t = self::tenant(&tenant)?;
            let e: Vec<NewLedgerEntry> = load(&entries, "")?;
            Ok(s.append_ledger(t, &e).await?)
        })
    }

    /// A deal's ledger entries, in append order.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn ledger_for_deal<'env>(
        &self,
        env: &'env Env,
        tenant: String,
        deal_id: String,
    ) -> napi::Result<Object<'env>> {
        self.call(env, move |s| async move {
            let t = self::tenant(&tenant)?;
            let id: DealId = self::id(&deal_id, "dealId")?;
            Ok(s.ledger_for_deal(t, id).await?)
        })
    }

    /// The tenant's ledger in append order: up to `limit` entries after `afterSeq`.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn ledger_page<'env>(
        &self,
        env: &'env Env,
        tenant: String,
        after_seq: Option<i64>,
        limit: u32,
    ) -> napi::Result<Object<'env>> {
        self.call(env, move |s| async move {
            let t = self::tenant(&tenant)?;
            let after = after_seq
                .map(|n| unsigned(n, "options.afterSeq"))
                .transpose()?;
            Ok(s.ledger_page(t, after, limit).await?)
        })
    }

    /// Takes the round-robin cursor `key` and advances it (0, 1, 2, … across processes).
    #[napi(ts_return_type = "Promise<string>")]
    pub fn next_cursor<'env>(
        &self,
        env: &'env Env,
        tenant: String,
        key: String,
    ) -> napi::Result<Object<'env>> {
        self.call(env, move |s| async move {
            let t = self::tenant(&tenant)?;
            Ok(s.next_cursor(t, &key).await?)
        })
    }

    /// Adds `delta` to the counter `key` and returns the new value.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn add_to_counter<'env>(
        &self,
        env: &'env Env,
        tenant: String,
        key: String,
        delta: i64,
    ) -> napi::Result<Object<'env>> {
        self.call(env, move |s| async move {
            let t = self::tenant(&tenant)?;
            Ok(s.add_to_counter(t, &key, delta).await?)
        })
    }

    /// The counter `key` (0 when never touched).
    #[napi(ts_return_type = "Promise<string>")]
    pub fn counter<'env>(
        &self,
        env: &'env Env,
        tenant: String,
        key: String,
    ) -> napi::Result<Object<'env>> {
        self.call(env, move |s| async move {
            let t = self::tenant(&tenant)?;
            Ok(s.counter(t, &key).await?)
        })
    }

    /// The routing state and its version: `{value, version}`.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn load_routing_state<'env>(
        &self,
        env: &'env Env,
        tenant: String,
    ) -> napi::Result<Object<'env>> {
        self.call(env, move |s| async move {
            let t = self::tenant(&tenant)?;
            Ok(s.load_routing_state(t).await?)
        })
    }

    /// Saves the routing state if the stored version is still `expectedVersion`; the new
    /// version.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn save_routing_state<'env>(
        &self,
        env: &'env Env,
        tenant: String,
        state: String,
        expected_version: i64,
    ) -> napi::Result<Object<'env>> {
        self.call(env, move |s| async move {
            let t = self::tenant(&tenant)?;
            let st: RoutingState = load(&state, "state")?;
            let expected = unsigned(expected_version, "expectedVersion")?;
            Ok(s.save_routing_state(t, &st, expected).await?)
        })
    }

    /// Appends an audit event (`{id, at, actor, action, record_kind, record_id, detail}`).
    #[napi(ts_return_type = "Promise<string>")]
    pub fn append_audit<'env>(
        &self,
        env: &'env Env,
        tenant: String,
        event: String,
    ) -> napi::Result<Object<'env>> {
        self.call(env, move |s| async move {
            let t = self::tenant(&tenant)?;
            let e: AuditEvent = load(&event, "event")?;
            Ok(s.append_audit(t, &e).await?)
        })
    }

    /// Audit events matching a query; a page `{items, next}`.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn find_audit<'env>(
        &self,
        env: &'env Env,
        tenant: String,
        query: String,
    ) -> napi::Result<Object<'env>> {
        self.call(env, move |s| async move {
            let t = self::tenant(&tenant)?;
            let q: AuditQuery = self::query(&query)?;
            Ok(s.find_audit(t, &q).await?)
        })
    }

    /// Everything held about a subject (`{by: "email"|"phone"|"document", value}`) at `now`.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn export_subject<'env>(
        &self,
        env: &'env Env,
        tenant: String,
        subject: String,
        now: String,
    ) -> napi::Result<Object<'env>> {
        self.call(env, move |s| async move {
            let t = self::tenant(&tenant)?;
            let k: SubjectKey = load(&subject, "subject")?;
            let now = instant(&now, "options.now")?;
            Ok(s.export_subject(t, &k, now).await?)
        })
    }

    /// Anonymises every lead of a subject; `{leads: [ids]}`.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn erase_subject<'env>(
        &self,
        env: &'env Env,
        tenant: String,
        subject: String,
        actor: String,
        now: String,
    ) -> napi::Result<Object<'env>> {
        self.call(env, move |s| async move {
            let t = self::tenant(&tenant)?;
            let k: SubjectKey = load(&subject, "subject")?;
            let now = instant(&now, "options.now")?;
            Ok(s.erase_subject(t, &k, &actor, now).await?)
        })
    }

    /// Adds a consent to a lead and audits it; the lead.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn record_consent<'env>(
        &self,
        env: &'env Env,
        tenant: String,
        lead_id: String,
        consent: String,
        actor: String,
    ) -> napi::Result<Object<'env>> {
        self.call(env, move |s| async move {
            let t = self::tenant(&tenant)?;
            let id: LeadId = self::id(&lead_id, "leadId")?;
            let c: Consent = load(&consent, "consent")?;
            Ok(s.record_consent(t, id, c, &actor).await?)
        })
    }

    /// Revokes a lead's active consents for `purpose` at `at` and audits it; the lead.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn revoke_consent<'env>(
        &self,
        env: &'env Env,
        tenant: String,
        lead_id: String,
        purpose: String,
        actor: String,
        at: String,
    ) -> napi::Result<Object<'env>> {
        self.call(env, move |s| async move {
            let t = self::tenant(&tenant)?;
            let id: LeadId = self::id(&lead_id, "leadId")?;
            let p: ConsentPurpose = self::id(&purpose, "purpose")?;
            let at = instant(&at, "options.at")?;
            Ok(s.revoke_consent(t, id, p, &actor, at).await?)
        })
    }

    /// Panics inside a store task (tests only): the Promise rejects with `internal.panic`.
    #[napi(js_name = "_testPanic", ts_return_type = "Promise<string>")]
    #[allow(clippy::panic)]
    pub fn test_panic<'env>(&self, env: &'env Env) -> napi::Result<Object<'env>> {
        self.call(env, |_| async move {
            yield_once().await;
            if std::hint::black_box(true) {
                panic!("a test panic inside a store task");
            }
            Ok(())
        })
    }
}

/// Yields once, so a test panic happens on a later poll of the task, not its first.
async fn yield_once() {
    struct Once(bool);
    impl Future for Once {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if self.0 {
                Poll::Ready(())
            } else {
                self.0 = true;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }
    Once(false).await
}
