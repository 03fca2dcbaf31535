//! The store: `NativeStore` holds an `Arc<dyn Store>` and runs every call on the facade's one
//! tokio runtime (`host::runtime::block_on`) with the interpreter released, under the panic
//! guard. Records go in and come out in the core's JSON form; the pure-Python `Store` and
//! `AsyncStore` wrap them in record classes.

use crate::api::{instant, load, out};
use crate::errors::{run, run_detached};
use pyo3::prelude::*;
use realestate_crm::domain::{
    Activity, Agent, AgentId, Consent, ConsentPurpose, Deal, DealId, Lead, LeadId, Portal,
    Property, PropertyId, TenantId, Visit, VisitId,
};
use realestate_crm::host::{HostError, runtime};
use realestate_crm::store::privacy::{Privacy, SubjectKey};
use realestate_crm::store::{
    AuditEvent, AuditQuery, DealQuery, LeadQuery, NewLedgerEntry, PropertyQuery, Store, StoreError,
    StoreOptions, VisitQuery,
};
use realestate_crm::workflow::routing::RoutingState;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// Runs a store call on the runtime, with the interpreter released.
/// `make` builds the future on the releasing thread, so the future itself need not be `Send`.
fn call<T: Send, F: Future<Output = Result<T, StoreError>>>(
    py: Python<'_>,
    make: impl FnOnce() -> F + Send,
) -> PyResult<T> {
    run_detached(py, || runtime::block_on(make())?.map_err(HostError::from))
}

fn tenant_of(obj: &Bound<'_, PyAny>) -> PyResult<TenantId> {
    let py = obj.py();
    run(py, || load::<TenantId>(obj).map_err(|e| e.at("tenant")))
}

fn arg<T: serde::de::DeserializeOwned>(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<T> {
    run(obj.py(), || load::<T>(obj).map_err(|e| e.at(what)))
}

fn secs(s: f64, what: &str) -> Result<Duration, HostError> {
    Duration::try_from_secs_f64(s)
        .map_err(|e| HostError::input(what, format!("not a number of seconds: {e}")))
}

/// A store opened from a URL (`sqlite:///path`, `sqlite::memory:`, `postgres://…`, `memory:`),
/// optionally behind a Redis cache.
#[pyclass(module = "realestate_crm._native", frozen)]
pub struct NativeStore {
    inner: Arc<dyn Store>,
}

/// The `#[pymethods]` block, with insert/get/update for each record kind (pyo3 expands no
/// macros inside the block, so the macro emits the whole block).
macro_rules! store_methods {
    ($(($ty:ty, $id:ty, $insert:ident, $get:ident, $update:ident)),* ; $($rest:tt)*) => {
        #[pymethods]
        impl NativeStore {
        $(
        /// Stores a new record (version 1) and returns it as stored.
        fn $insert<'py>(
            &self,
            py: Python<'py>,
            tenant: &Bound<'py, PyAny>,
            record: &Bound<'py, PyAny>,
        ) -> PyResult<Bound<'py, PyAny>> {
            let t = tenant_of(tenant)?;
            let r: $ty = arg(record, "")?;
            let s = Arc::clone(&self.inner);
            let v = call(py, move || async move { s.$insert(t, &r).await })?;
            out(py, &v)
        }

        /// The record, or `None`.
        fn $get<'py>(
            &self,
            py: Python<'py>,
            tenant: &Bound<'py, PyAny>,
            id: &Bound<'py, PyAny>,
        ) -> PyResult<Bound<'py, PyAny>> {
            let t = tenant_of(tenant)?;
            let id: $id = arg(id, "id")?;
            let s = Arc::clone(&self.inner);
            let v = call(py, move || async move { s.$get(t, id).await })?;
            out(py, &v)
        }

        /// Replaces the record; its `version` must be the stored one (`store.conflict`).
        fn $update<'py>(
            &self,
            py: Python<'py>,
            tenant: &Bound<'py, PyAny>,
            record: &Bound<'py, PyAny>,
        ) -> PyResult<Bound<'py, PyAny>> {
            let t = tenant_of(tenant)?;
            let r: $ty = arg(record, "")?;
            let s = Arc::clone(&self.inner);
            let v = call(py, move || async move { s.$update(t, &r).await })?;
            out(py, &v)
        }
        )*
        $($rest)*
        }
    };
}

store_methods! {
    (Agent, AgentId, insert_agent, get_agent, update_agent),
    (Lead, LeadId, insert_lead, get_lead, update_lead),
    (Property, PropertyId, insert_property, get_property, update_property),
    (Deal, DealId, insert_deal, get_deal, update_deal),
    (Visit, VisitId, insert_visit, get_visit, update_visit);

    /// Opens (and by default migrates) the store `url` names; with `cache_url`, behind Redis.
    #[staticmethod]
    #[pyo3(signature = (url, cache_url=None, max_connections=10, acquire_timeout=5.0,
        connect_timeout=5.0, schema=None, migrate=true, app_role=Some("crm_app".to_owned()),
        cache_ttl=300.0, cache_timeout=0.25, cache_prefix="crm".to_owned()))]
    #[allow(clippy::too_many_arguments)]
    fn open(
        py: Python<'_>,
        url: String,
        cache_url: Option<String>,
        max_connections: u32,
        acquire_timeout: f64,
        connect_timeout: f64,
        schema: Option<String>,
        migrate: bool,
        app_role: Option<String>,
        cache_ttl: f64,
        cache_timeout: f64,
        cache_prefix: String,
    ) -> PyResult<Self> {
        let options = run(py, || {
            Ok(StoreOptions {
                max_connections,
                acquire_timeout: secs(acquire_timeout, "acquire_timeout")?,
                connect_timeout: secs(connect_timeout, "connect_timeout")?,
                migrate,
                schema,
                app_role,
                cache_ttl: secs(cache_ttl, "cache_ttl")?,
                cache_timeout: secs(cache_timeout, "cache_timeout")?,
                cache_prefix,
            })
        })?;
        let inner = call(py, move || async move {
            match cache_url {
                Some(cache) => realestate_crm::store::open_cached(&url, &cache, &options).await,
                None => realestate_crm::store::open(&url, &options).await,
            }
        })?;
        Ok(Self { inner })
    }

    /// The backend's name: `memory`, `sqlite`, `postgres`, or `redis+…`.
    fn backend(&self) -> String {
        self.inner.backend()
    }

    /// Checks that the backend answers.
    fn ping(&self, py: Python<'_>) -> PyResult<()> {
        let s = Arc::clone(&self.inner);
        call(py, move || async move { s.ping().await })
    }


    /// Leads matching a query dict (`phone`, `email`, `stage`, `limit`, `after`, …), as
    /// `{"items": [...], "next": cursor or None}`.
    fn find_leads<'py>(
        &self,
        py: Python<'py>,
        tenant: &Bound<'py, PyAny>,
        query: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let t = tenant_of(tenant)?;
        let q: LeadQuery = arg(query, "query")?;
        let s = Arc::clone(&self.inner);
        let v = call(py, move || async move { s.find_leads(t, &q).await })?;
        out(py, &v)
    }

    /// The lead a portal delivered under its own id, or `None`.
    fn find_lead_by_portal<'py>(
        &self,
        py: Python<'py>,
        tenant: &Bound<'py, PyAny>,
        portal: &Bound<'py, PyAny>,
        portal_lead_id: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let t = tenant_of(tenant)?;
        let p: Portal = arg(portal, "portal")?;
        let s = Arc::clone(&self.inner);
        let v = call(py, move || async move {
            s.find_lead_by_portal(t, &p, &portal_lead_id).await
        })?;
        out(py, &v)
    }

    /// Bulk import: `{"ids", "inserted", "existing"}`; re-deliveries are left unchanged.
    fn import_leads<'py>(
        &self,
        py: Python<'py>,
        tenant: &Bound<'py, PyAny>,
        leads: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let t = tenant_of(tenant)?;
        let leads: Vec<Lead> = arg(leads, "")?;
        let s = Arc::clone(&self.inner);
        let v = call(py, move || async move { s.import_leads(t, &leads).await })?;
        out(py, &v)
    }

    /// Appends an activity to its lead.
    fn add_activity<'py>(
        &self,
        py: Python<'py>,
        tenant: &Bound<'py, PyAny>,
        activity: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let t = tenant_of(tenant)?;
        let a: Activity = arg(activity, "")?;
        let s = Arc::clone(&self.inner);
        let v = call(py, move || async move { s.add_activity(t, &a).await })?;
        out(py, &v)
    }

    /// A lead's activities, by time.
    fn list_activities<'py>(
        &self,
        py: Python<'py>,
        tenant: &Bound<'py, PyAny>,
        lead_id: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let t = tenant_of(tenant)?;
        let id: LeadId = arg(lead_id, "lead_id")?;
        let s = Arc::clone(&self.inner);
        let v = call(py, move || async move { s.list_activities(t, id).await })?;
        out(py, &v)
    }

    /// Appends ledger entries (`{id, recorded_at, entry}`), all or none; a retried id with the
    /// same entry returns the stored one.
    fn append_ledger<'py>(
        &self,
        py: Python<'py>,
        tenant: &Bound<'py, PyAny>,
        entries: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let t = tenant_of(tenant)?;
        let e: Vec<NewLedgerEntry> = arg(entries, "")?;
        let s = Arc::clone(&self.inner);
        let v = call(py, move || async move { s.append_ledger(t, &e).await })?;
        out(py, &v)
    }

    /// A deal's ledger entries, in append order.
    fn ledger_for_deal<'py>(
        &self,
        py: Python<'py>,
        tenant: &Bound<'py, PyAny>,
        deal_id: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let t = tenant_of(tenant)?;
        let id: DealId = arg(deal_id, "deal_id")?;
        let s = Arc::clone(&self.inner);
        let v = call(py, move || async move { s.ledger_for_deal(t, id).await })?;
        out(py, &v)
    }

    /// Takes the round-robin cursor `key` and advances it (0, 1, 2, … across processes).
    fn next_cursor(&self, py: Python<'_>, tenant: &Bound<'_, PyAny>, key: String) -> PyResult<u64> {
        let t = tenant_of(tenant)?;
        let s = Arc::clone(&self.inner);
        call(py, move || async move { s.next_cursor(t, &key).await })
    }

    /// Adds `delta` to the counter `key` and returns the new value.
    fn add_to_counter(
        &self,
        py: Python<'_>,
        tenant: &Bound<'_, PyAny>,
        key: String,
        delta: i64,
    ) -> PyResult<i64> {
        let t = tenant_of(tenant)?;
        let s = Arc::clone(&self.inner);
        call(py, move || async move { s.add_to_counter(t, &key, delta).await })
    }

    /// Everything held about a subject (`{"by": "email"|"phone"|"document", "value": ...}`).
    fn export_subject<'py>(
        &self,
        py: Python<'py>,
        tenant: &Bound<'py, PyAny>,
        subject: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let t = tenant_of(tenant)?;
        let k: SubjectKey = arg(subject, "subject")?;
        let now = run(py, || instant(now, "now"))?;
        let s = Arc::clone(&self.inner);
        let v = call(py, move || async move { s.export_subject(t, &k, now).await })?;
        out(py, &v)
    }

    /// Anonymises every lead of a subject; `{"leads": [ids]}`.
    fn erase_subject<'py>(
        &self,
        py: Python<'py>,
        tenant: &Bound<'py, PyAny>,
        subject: &Bound<'py, PyAny>,
        actor: String,
        now: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let t = tenant_of(tenant)?;
        let k: SubjectKey = arg(subject, "subject")?;
        let now = run(py, || instant(now, "now"))?;
        let s = Arc::clone(&self.inner);
        let v = call(py, move || async move { s.erase_subject(t, &k, &actor, now).await })?;
        out(py, &v)
    }

    /// Adds a consent to a lead; returns the lead.
    fn record_consent<'py>(
        &self,
        py: Python<'py>,
        tenant: &Bound<'py, PyAny>,
        lead_id: &Bound<'py, PyAny>,
        consent: &Bound<'py, PyAny>,
        actor: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let t = tenant_of(tenant)?;
        let id: LeadId = arg(lead_id, "lead_id")?;
        let c: Consent = arg(consent, "consent")?;
        let s = Arc::clone(&self.inner);
        let v = call(py, move || async move { s.record_consent(t, id, c, &actor).await })?;
        out(py, &v)
    }

    /// Revokes a lead's active consents for `purpose` at `at`; returns the lead.
    fn revoke_consent<'py>(
        &self,
        py: Python<'py>,
        tenant: &Bound<'py, PyAny>,
        lead_id: &Bound<'py, PyAny>,
        purpose: &Bound<'py, PyAny>,
        actor: String,
        at: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let t = tenant_of(tenant)?;
        let id: LeadId = arg(lead_id, "lead_id")?;
        let p: ConsentPurpose = arg(purpose, "purpose")?;
        let at = run(py, || instant(at, "at"))?;
        let s = Arc::clone(&self.inner);
        let v = call(py, move || async move {
            s.revoke_consent(t, id, p, &actor, at).await
        })?;
        out(py, &v)
    }

    /// Every agent of the tenant, by creation.
    fn list_agents<'py>(&self, py: Python<'py>, tenant: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let t = tenant_of(tenant)?;
        let s = Arc::clone(&self.inner);
        let v = call(py, move || async move { s.list_agents(t).await })?;
        out(py, &v)
    }

    /// Properties matching a query dict; a page `{items, next}`.
    fn find_properties<'py>(
        &self,
        py: Python<'py>,
        tenant: &Bound<'py, PyAny>,
        query: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let t = tenant_of(tenant)?;
        let q: PropertyQuery = arg(query, "query")?;
        let s = Arc::clone(&self.inner);
        let v = call(py, move || async move { s.find_properties(t, &q).await })?;
        out(py, &v)
    }

    /// Deals matching a query dict; a page `{items, next}`.
    fn find_deals<'py>(
        &self,
        py: Python<'py>,
        tenant: &Bound<'py, PyAny>,
        query: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let t = tenant_of(tenant)?;
        let q: DealQuery = arg(query, "query")?;
        let s = Arc::clone(&self.inner);
        let v = call(py, move || async move { s.find_deals(t, &q).await })?;
        out(py, &v)
    }

    /// Visits matching a query dict; a page `{items, next}`.
    fn find_visits<'py>(
        &self,
        py: Python<'py>,
        tenant: &Bound<'py, PyAny>,
        query: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let t = tenant_of(tenant)?;
        let q: VisitQuery = arg(query, "query")?;
        let s = Arc::clone(&self.inner);
        let v = call(py, move || async move { s.find_visits(t, &q).await })?;
        out(py, &v)
    }

    /// The tenant's ledger in append order: up to `limit` entries after `after_seq`.
    #[pyo3(signature = (tenant, after_seq=None, limit=100))]
    fn ledger_page<'py>(
        &self,
        py: Python<'py>,
        tenant: &Bound<'py, PyAny>,
        after_seq: Option<u64>,
        limit: u32,
    ) -> PyResult<Bound<'py, PyAny>> {
        let t = tenant_of(tenant)?;
        let s = Arc::clone(&self.inner);
        let v = call(py, move || async move { s.ledger_page(t, after_seq, limit).await })?;
        out(py, &v)
    }

    /// The counter `key` (0 when never touched).
    fn counter(&self, py: Python<'_>, tenant: &Bound<'_, PyAny>, key: String) -> PyResult<i64> {
        let t = tenant_of(tenant)?;
        let s = Arc::clone(&self.inner);
        call(py, move || async move { s.counter(t, &key).await })
    }

    /// The routing state and its version: `{value, version}`.
    fn load_routing_state<'py>(&self, py: Python<'py>, tenant: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let t = tenant_of(tenant)?;
        let s = Arc::clone(&self.inner);
        let v = call(py, move || async move { s.load_routing_state(t).await })?;
        out(py, &v)
    }

    /// Saves the routing state if the stored version is still `expected_version`.
    fn save_routing_state(
        &self,
        py: Python<'_>,
        tenant: &Bound<'_, PyAny>,
        state: &Bound<'_, PyAny>,
        expected_version: u64,
    ) -> PyResult<u64> {
        let t = tenant_of(tenant)?;
        let st: RoutingState = arg(state, "state")?;
        let s = Arc::clone(&self.inner);
        call(py, move || async move { s.save_routing_state(t, &st, expected_version).await })
    }

    /// Appends an audit event (`{id, at, actor, action, record_kind, record_id, detail}`).
    fn append_audit(&self, py: Python<'_>, tenant: &Bound<'_, PyAny>, event: &Bound<'_, PyAny>) -> PyResult<()> {
        let t = tenant_of(tenant)?;
        let e: AuditEvent = arg(event, "event")?;
        let s = Arc::clone(&self.inner);
        call(py, move || async move { s.append_audit(t, &e).await })
    }

    /// Audit events matching a query dict; a page `{items, next}`.
    fn find_audit<'py>(
        &self,
        py: Python<'py>,
        tenant: &Bound<'py, PyAny>,
        query: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let t = tenant_of(tenant)?;
        let q: AuditQuery = arg(query, "query")?;
        let s = Arc::clone(&self.inner);
        let v = call(py, move || async move { s.find_audit(t, &q).await })?;
        out(py, &v)
    }
}
