//! The Redis layer: the read-through cache (hits, invalidation of records and lists, Redis
//! faults and outages, no stale value after Redis returns), routing state in Redis (atomic
//! cursors across connections, compare-and-swap), and the behaviour suite through the cache.
//!
//! Needs Redis at `REDIS_URL` (default `redis://127.0.0.1:6379`): skipped loudly when it is
//! unreachable, failed under `CRM_REQUIRE_SERVICES=1`. Every test works under its own key
//! prefix and deletes its keys afterwards. Tests that need no Redis (a cache pointed at a
//! closed port) always run.
#![cfg(feature = "redis")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[allow(clippy::cloned_ref_to_slice_refs)] // in the shared suite
mod behaviour;
mod services;

use async_trait::async_trait;
use behaviour::fixtures as fx;
use chrono::{DateTime, Utc};
use crm_core::ErrorCode;
use crm_core::domain::{
    Activity, Agent, AgentId, Deal, DealId, Lead, LeadId, Portal, Property, PropertyId, TenantId,
    Visit, VisitId,
};
use crm_core::workflow::routing::RoutingState;
use crm_store::cache::{RedisCache, RedisRoutingState};
use crm_store::memory::MemoryStore;
use crm_store::{
    AgentStore, AuditEvent, AuditLog, AuditQuery, DealQuery, DealStore, ImportReport, LeadQuery,
    LeadStore, LedgerStore, NewLedgerEntry, Page, PropertyQuery, PropertyStore, Result,
    RoutingStateStore, Store, StoreError, StoreOptions, StoredLedgerEntry, Versioned, VisitQuery,
    VisitStore,
};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch};

// ---------------------------------------------------------------------------------------------
// Helpers: a key prefix that cleans up after itself, and a TCP proxy that can fail on demand.
// ---------------------------------------------------------------------------------------------

/// A unique key prefix; its keys are deleted when dropped (also when the test fails).
struct Keyspace {
    url: String,
    prefix: String,
}

impl Keyspace {
    fn new() -> Keyspace {
        Keyspace {
            url: services::redis_url(),
            prefix: services::unique_name("crmtest"),
        }
    }

    /// Cache options with this prefix and a time budget of `timeout_ms` per Redis call.
    fn options(&self, timeout_ms: u64) -> StoreOptions {
        StoreOptions {
            cache_prefix: self.prefix.clone(),
            cache_timeout: Duration::from_millis(timeout_ms),
            cache_ttl: Duration::from_secs(60),
            ..StoreOptions::default()
        }
    }

    /// Keys matching `{prefix}:{pattern}`.
    fn keys(&self, pattern: &str) -> Vec<String> {
        scan(&self.url, &format!("{}:{pattern}", self.prefix)).unwrap()
    }
}

impl Drop for Keyspace {
    fn drop(&mut self) {
        let result = scan(&self.url, &format!("{}:*", self.prefix)).and_then(|keys| {
            let mut con = redis::Client::open(self.url.as_str())?.get_connection()?;
            for chunk in keys.chunks(500) {
                redis::cmd("DEL").arg(chunk).query::<()>(&mut con)?;
            }
            Ok(())
        });
        if let Err(e) = result {
            eprintln!("could not delete the test keys under {}: {e}", self.prefix);
        }
    }
}

fn scan(url: &str, pattern: &str) -> redis::RedisResult<Vec<String>> {
    let mut con = redis::Client::open(url)?.get_connection()?;
    let mut cursor = 0u64;
    let mut keys = Vec::new();
    loop {
        let (next, batch): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(pattern)
            .arg("COUNT")
            .arg(1000)
            .query(&mut con)?;
        keys.extend(batch);
        if next == 0 {
            return Ok(keys);
        }
        cursor = next;
    }
}

fn redis_up() -> bool {
    services::available("Redis", &services::redis_url(), 6379)
}

/// `host:port` of a `redis://` URL.
fn host_port(url: &str) -> String {
    let rest = url.split("://").nth(1).unwrap_or(url);
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    let hostport = authority.rsplit('@').next().unwrap_or(authority);
    if hostport.contains(':') {
        hostport.to_owned()
    } else {
        format!("{hostport}:6379")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Forward bytes both ways.
    Pass,
    /// Close every connection, and close new ones at once (Redis died / was restarted).
    Cut,
    /// Keep connections open but forward nothing (a network black hole).
    Hang,
}

/// A TCP proxy in front of Redis that can be cut and restored.
struct Proxy {
    url: String,
    mode: watch::Sender<Mode>,
    /// Connections currently forwarding bytes.
    forwarding: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    async fn start() -> Proxy {
        let upstream = host_port(&services::redis_url());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("redis://{}", listener.local_addr().unwrap());
        let (mode, rx) = watch::channel(Mode::Pass);
        let forwarding = Arc::new(AtomicUsize::new(0));
        let count = forwarding.clone();
        let task = tokio::spawn(async move {
            loop {
                if let Ok((client, _)) = listener.accept().await {
                    tokio::spawn(serve(client, upstream.clone(), rx.clone(), count.clone()));
                }
            }
        });
        Proxy {
            url,
            mode,
            forwarding,
            task,
        }
    }

    /// Switches the mode; when cutting, returns once no connection forwards bytes any more.
    async fn set(&self, mode: Mode) {
        self.mode.send_replace(mode);
        let start = Instant::now();
        while mode != Mode::Pass && self.forwarding.load(Ordering::SeqCst) > 0 {
            assert!(
                start.elapsed() < Duration::from_secs(5),
                "the proxy did not cut its connections"
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.mode.send_replace(Mode::Cut);
        self.task.abort();
    }
}

/// Decrements the forwarding count when a connection stops forwarding.
struct Forwarding(Arc<AtomicUsize>);

impl Drop for Forwarding {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn serve(
    mut client: TcpStream,
    upstream: String,
    mut mode: watch::Receiver<Mode>,
    count: Arc<AtomicUsize>,
) {
    let now = *mode.borrow_and_update();
    match now {
        Mode::Cut => return,
        Mode::Hang => {
            let _ = mode.wait_for(|m| *m != Mode::Hang).await;
            return;
        }
        Mode::Pass => {}
    }
    count.fetch_add(1, Ordering::SeqCst);
    let forwarding = Forwarding(count);
    if *mode.borrow() != Mode::Pass {
        return;
    }
    let Ok(mut server) = TcpStream::connect(&upstream).await else {
        return;
    };
    let hang = tokio::select! {
        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => false,
        m = mode.wait_for(|m| *m != Mode::Pass) => m.map(|m| *m == Mode::Hang).unwrap_or(false),
    };
    drop(forwarding);
    if hang {
        // Hold both sockets silent until the proxy is restored or cut, then close them.
        let _ = mode.wait_for(|m| *m != Mode::Hang).await;
    }
}

/// A cache over a fresh memory store (also returned, to change the primary behind the
/// cache's back).
fn cache_over_memory(url: &str, options: &StoreOptions) -> (Arc<MemoryStore>, Arc<RedisCache>) {
    let memory = Arc::new(MemoryStore::new());
    let cache = RedisCache::new(memory.clone(), url, options).unwrap();
    (memory, Arc::new(cache))
}

async fn wait_healthy(cache: &RedisCache) {
    let start = Instant::now();
    while cache.is_degraded() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the cache did not recover within 10 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A primary that can hold one `get_lead` after it read the store and before it answers, to
/// interleave a write between a cache miss's read and its fill.
struct GatedPrimary {
    inner: MemoryStore,
    gate: std::sync::Mutex<Option<(oneshot::Sender<()>, oneshot::Receiver<()>)>>,
}

impl GatedPrimary {
    /// Arms the gate: returns (reached, release).
    fn arm(&self) -> (oneshot::Receiver<()>, oneshot::Sender<()>) {
        let (reached_tx, reached_rx) = oneshot::channel();
        let (release_tx, release_rx) = oneshot::channel();
        *self.gate.lock().unwrap() = Some((reached_tx, release_rx));
        (reached_rx, release_tx)
    }
}

#[async_trait]
impl AgentStore for GatedPrimary {
    async fn insert_agent(&self, t: TenantId, a: &Agent) -> Result<Agent> {
        self.inner.insert_agent(t, a).await
    }
    async fn get_agent(&self, t: TenantId, id: AgentId) -> Result<Option<Agent>> {
        self.inner.get_agent(t, id).await
    }
    async fn update_agent(&self, t: TenantId, a: &Agent) -> Result<Agent> {
        self.inner.update_agent(t, a).await
    }
    async fn list_agents(&self, t: TenantId) -> Result<Vec<Agent>> {
        self.inner.list_agents(t).await
    }
}

#[async_trait]
impl LeadStore for GatedPrimary {
    async fn insert_lead(&self, t: TenantId, l: &Lead) -> Result<Lead> {
        self.inner.insert_lead(t, l).await
    }
    async fn get_lead(&self, t: TenantId, id: LeadId) -> Result<Option<Lead>> {
        let read = self.inner.get_lead(t, id).await;
        let gate = self.gate.lock().unwrap().take();
        if let Some((reached, release)) = gate {
            reached.send(()).unwrap();
            release.await.unwrap();
        }
        read
    }
    async fn update_lead(&self, t: TenantId, l: &Lead) -> Result<Lead> {
        self.inner.update_lead(t, l).await
    }
    async fn find_leads(&self, t: TenantId, q: &LeadQuery) -> Result<Page<Lead>> {
        self.inner.find_leads(t, q).await
    }
    async fn find_lead_by_portal(&self, t: TenantId, p: &Portal, id: &str) -> Result<Option<Lead>> {
        self.inner.find_lead_by_portal(t, p, id).await
    }
    async fn import_leads(&self, t: TenantId, l: &[Lead]) -> Result<ImportReport> {
        self.inner.import_leads(t, l).await
    }
    async fn add_activity(&self, t: TenantId, a: &Activity) -> Result<Activity> {
        self.inner.add_activity(t, a).await
    }
    async fn list_activities(&self, t: TenantId, l: LeadId) -> Result<Vec<Activity>> {
        self.inner.list_activities(t, l).await
    }
    async fn erase_lead(&self, t: TenantId, id: LeadId, at: DateTime<Utc>) -> Result<Lead> {
        self.inner.erase_lead(t, id, at).await
    }
}

#[async_trait]
impl PropertyStore for GatedPrimary {
    async fn insert_property(&self, t: TenantId, p: &Property) -> Result<Property> {
        self.inner.insert_property(t, p).await
    }
    async fn get_property(&self, t: TenantId, id: PropertyId) -> Result<Option<Property>> {
        self.inner.get_property(t, id).await
    }
    async fn update_property(&self, t: TenantId, p: &Property) -> Result<Property> {
        self.inner.update_property(t, p).await
    }
    async fn find_properties(&self, t: TenantId, q: &PropertyQuery) -> Result<Page<Property>> {
        self.inner.find_properties(t, q).await
    }
}

#[async_trait]
impl DealStore for GatedPrimary {
    async fn insert_deal(&self, t: TenantId, d: &Deal) -> Result<Deal> {
        self.inner.insert_deal(t, d).await
    }
    async fn get_deal(&self, t: TenantId, id: DealId) -> Result<Option<Deal>> {
        self.inner.get_deal(t, id).await
    }
    async fn update_deal(&self, t: TenantId, d: &Deal) -> Result<Deal> {
        self.inner.update_deal(t, d).await
    }
    async fn find_deals(&self, t: TenantId, q: &DealQuery) -> Result<Page<Deal>> {
        self.inner.find_deals(t, q).await
    }
}

#[async_trait]
impl VisitStore for GatedPrimary {
    async fn insert_visit(&self, t: TenantId, v: &Visit) -> Result<Visit> {
        self.inner.insert_visit(t, v).await
    }
    async fn get_visit(&self, t: TenantId, id: VisitId) -> Result<Option<Visit>> {
        self.inner.get_visit(t, id).await
    }
    async fn update_visit(&self, t: TenantId, v: &Visit) -> Result<Visit> {
        self.inner.update_visit(t, v).await
    }
    async fn find_visits(&self, t: TenantId, q: &VisitQuery) -> Result<Page<Visit>> {
        self.inner.find_visits(t, q).await
    }
}

#[async_trait]
impl LedgerStore for GatedPrimary {
    async fn append_ledger(
        &self,
        t: TenantId,
        e: &[NewLedgerEntry],
    ) -> Result<Vec<StoredLedgerEntry>> {
        self.inner.append_ledger(t, e).await
    }
    async fn ledger_for_deal(&self, t: TenantId, d: DealId) -> Result<Vec<StoredLedgerEntry>> {
        self.inner.ledger_for_deal(t, d).await
    }
    async fn ledger_page(
        &self,
        t: TenantId,
        after: Option<u64>,
        limit: u32,
    ) -> Result<Vec<StoredLedgerEntry>> {
        self.inner.ledger_page(t, after, limit).await
    }
}

#[async_trait]
impl RoutingStateStore for GatedPrimary {
    async fn next_cursor(&self, t: TenantId, k: &str) -> Result<u64> {
        self.inner.next_cursor(t, k).await
    }
    async fn add_to_counter(&self, t: TenantId, k: &str, d: i64) -> Result<i64> {
        self.inner.add_to_counter(t, k, d).await
    }
    async fn counter(&self, t: TenantId, k: &str) -> Result<i64> {
        self.inner.counter(t, k).await
    }
    async fn load_routing_state(&self, t: TenantId) -> Result<Versioned<RoutingState>> {
        self.inner.load_routing_state(t).await
    }
    async fn save_routing_state(&self, t: TenantId, s: &RoutingState, v: u64) -> Result<u64> {
        self.inner.save_routing_state(t, s, v).await
    }
}

#[async_trait]
impl AuditLog for GatedPrimary {
    async fn append_audit(&self, t: TenantId, e: &AuditEvent) -> Result<()> {
        self.inner.append_audit(t, e).await
    }
    async fn find_audit(&self, t: TenantId, q: &AuditQuery) -> Result<Page<AuditEvent>> {
        self.inner.find_audit(t, q).await
    }
}

#[async_trait]
impl Store for GatedPrimary {
    fn backend(&self) -> String {
        "gated".to_owned()
    }
    async fn ping(&self) -> Result<()> {
        self.inner.ping().await
    }
}

// ---------------------------------------------------------------------------------------------
// Construction
// ---------------------------------------------------------------------------------------------

#[test]
fn only_a_malformed_url_or_options_fail_construction() {
    let memory = || Arc::new(MemoryStore::new()) as Arc<dyn Store>;
    let o = StoreOptions::default();
    let err = RedisCache::new(memory(), "not a url", &o).unwrap_err();
    assert_eq!(err.code(), ErrorCode::StoreConfig);
    let empty = StoreOptions {
        cache_prefix: String::new(),
        ..o.clone()
    };
    assert_eq!(
        RedisCache::new(memory(), "redis://127.0.0.1:6379", &empty)
            .unwrap_err()
            .code(),
        ErrorCode::StoreConfig
    );
    // Redis down at construction (nothing listens on port 1) is fine: nothing is connected yet.
    let cache = RedisCache::new(memory(), "redis://127.0.0.1:1", &o).unwrap();
    assert_eq!(cache.backend(), "redis+memory");
    assert!(!cache.is_degraded());
}

// ---------------------------------------------------------------------------------------------
// Read-through and invalidation
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_are_served_from_redis_until_a_write_invalidates_them() {
    if !redis_up() {
        return;
    }
    let ks = Keyspace::new();
    let (memory, cache) = cache_over_memory(&ks.url, &ks.options(1000));
    let t = fx::tenant();
    let lead = cache
        .insert_lead(t, &fx::lead("Ana Souza", 0))
        .await
        .unwrap();
    assert_eq!(
        cache.get_lead(t, lead.id).await.unwrap().as_ref(),
        Some(&lead),
        "miss: from the primary"
    );
    assert_eq!(
        ks.keys(&format!("{t}:lead:{}:*", lead.id)).len(),
        1,
        "the read filled the entry"
    );

    // Change the primary behind the cache's back: the cache still answers version 1, so it
    // is answering from Redis.
    let mut behind = lead.clone();
    behind.stage = "qualified".into();
    let v2 = memory.update_lead(t, &behind).await.unwrap();
    let cached = cache.get_lead(t, lead.id).await.unwrap().unwrap();
    assert_eq!(
        (cached.version, cached.stage.as_str()),
        (1, lead.stage.as_str()),
        "served from Redis"
    );

    // A write through the cache invalidates: the next read sees the primary.
    let mut through = v2.clone();
    through.stage = "visit".into();
    let v3 = cache.update_lead(t, &through).await.unwrap();
    assert_eq!(
        cache.get_lead(t, lead.id).await.unwrap().as_ref(),
        Some(&v3)
    );
    // Absent records are not cached: inserting one later is seen at once.
    let later = fx::lead("Bia Lima", 1);
    assert!(cache.get_lead(t, later.id).await.unwrap().is_none());
    memory.insert_lead(t, &later).await.unwrap();
    assert!(cache.get_lead(t, later.id).await.unwrap().is_some());
    // Another tenant never sees the entry.
    assert!(
        cache
            .get_lead(fx::tenant(), lead.id)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_kind_invalidates_its_record() {
    if !redis_up() {
        return;
    }
    let ks = Keyspace::new();
    let (_memory, cache) = cache_over_memory(&ks.url, &ks.options(1000));
    let s: &dyn Store = cache.as_ref();
    let t = fx::tenant();

    let agent = s
        .insert_agent(t, &fx::agent("Carla Dias", 0))
        .await
        .unwrap();
    s.get_agent(t, agent.id).await.unwrap();
    let mut a = agent.clone();
    a.team = Some("Zona Sul".into());
    s.update_agent(t, &a).await.unwrap();
    assert_eq!(
        s.get_agent(t, agent.id).await.unwrap().unwrap().version,
        2,
        "agent"
    );

    let prop = s
        .insert_property(t, &fx::property("São Paulo", 0))
        .await
        .unwrap();
    s.get_property(t, prop.id).await.unwrap();
    let mut p = prop.clone();
    p.status = crm_core::domain::PropertyStatus::Sold;
    s.update_property(t, &p).await.unwrap();
    assert_eq!(
        s.get_property(t, prop.id).await.unwrap().unwrap().version,
        2,
        "property"
    );

    let lead = s.insert_lead(t, &fx::lead("Davi Rocha", 0)).await.unwrap();
    s.get_lead(t, lead.id).await.unwrap();
    let mut l = lead.clone();
    l.stage = "qualified".into();
    s.update_lead(t, &l).await.unwrap();
    assert_eq!(
        s.get_lead(t, lead.id).await.unwrap().unwrap().version,
        2,
        "lead"
    );

    let deal = s
        .insert_deal(t, &fx::deal(lead.id, prop.id, agent.id, agent.id, 0))
        .await
        .unwrap();
    s.get_deal(t, deal.id).await.unwrap();
    let mut d = deal.clone();
    d.lease_months = None;
    s.update_deal(t, &d).await.unwrap();
    assert_eq!(
        s.get_deal(t, deal.id).await.unwrap().unwrap().version,
        2,
        "deal"
    );

    let mut visit = fx::visit(lead.id, prop.id, agent.id, 0);
    visit.note = Some("Prefere andar alto".into());
    let visit = s.insert_visit(t, &visit).await.unwrap();
    s.get_visit(t, visit.id).await.unwrap();
    let mut v = visit.clone();
    v.status = crm_core::domain::VisitStatus::Done;
    s.update_visit(t, &v).await.unwrap();
    assert_eq!(
        s.get_visit(t, visit.id).await.unwrap().unwrap().version,
        2,
        "visit"
    );

    // Activities are cached as a lead's list: adding one invalidates it.
    s.add_activity(t, &fx::activity(lead.id, 1, "ligou"))
        .await
        .unwrap();
    assert_eq!(s.list_activities(t, lead.id).await.unwrap().len(), 1);
    s.add_activity(t, &fx::activity(lead.id, 2, "visitou"))
        .await
        .unwrap();
    assert_eq!(
        s.list_activities(t, lead.id).await.unwrap().len(),
        2,
        "activity list"
    );

    // Erasure changes the lead, its activities' and its visits' notes: none survives cached.
    let erased = s.erase_lead(t, lead.id, fx::at(5)).await.unwrap();
    assert_eq!(
        s.get_lead(t, lead.id).await.unwrap().as_ref(),
        Some(&erased)
    );
    assert_eq!(erased.contact.name, crm_store::privacy::ERASED_NAME);
    assert!(
        s.list_activities(t, lead.id)
            .await
            .unwrap()
            .iter()
            .all(|a| a.note.is_none())
    );
    assert!(
        s.get_visit(t, visit.id)
            .await
            .unwrap()
            .unwrap()
            .note
            .is_none(),
        "visit note erased"
    );
    let old_lead_entries = ks.keys(&format!("{t}:lead:{}:*", lead.id));
    assert!(
        old_lead_entries.len() <= 1,
        "the erased lead's old entry was deleted: {old_lead_entries:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lead_lists_are_invalidated_by_tag_on_every_lead_write() {
    if !redis_up() {
        return;
    }
    let ks = Keyspace::new();
    let (memory, cache) = cache_over_memory(&ks.url, &ks.options(1000));
    let t = fx::tenant();
    let all = LeadQuery::default();
    let count = |p: crm_store::Page<Lead>| p.items.len();

    let first = cache
        .insert_lead(t, &fx::lead("Elisa Prado", 0))
        .await
        .unwrap();
    assert_eq!(count(cache.find_leads(t, &all).await.unwrap()), 1);
    // Behind the cache's back: the cached list does not change (it is served from Redis)...
    memory
        .insert_lead(t, &fx::lead("Fábio Melo", 1))
        .await
        .unwrap();
    assert_eq!(
        count(cache.find_leads(t, &all).await.unwrap()),
        1,
        "list served from Redis"
    );
    // ...until any lead write through the cache bumps the lead generation.
    cache
        .insert_lead(t, &fx::lead("Gabi Nunes", 2))
        .await
        .unwrap();
    assert_eq!(
        count(cache.find_leads(t, &all).await.unwrap()),
        3,
        "insert invalidates"
    );

    let qualified = LeadQuery {
        stage: Some("qualified".into()),
        ..LeadQuery::default()
    };
    assert_eq!(count(cache.find_leads(t, &qualified).await.unwrap()), 0);
    let mut q = first.clone();
    q.stage = "qualified".into();
    let first = cache.update_lead(t, &q).await.unwrap();
    assert_eq!(
        count(cache.find_leads(t, &qualified).await.unwrap()),
        1,
        "update invalidates"
    );

    let by_portal = cache
        .find_lead_by_portal(t, &Portal::Zap, "Z-1")
        .await
        .unwrap();
    assert!(by_portal.is_none());
    let report = cache
        .import_leads(t, &[fx::portal_lead("Hugo Reis", Portal::Zap, "Z-1", 3)])
        .await
        .unwrap();
    assert_eq!(report.inserted, vec![0]);
    assert!(
        cache
            .find_lead_by_portal(t, &Portal::Zap, "Z-1")
            .await
            .unwrap()
            .is_some(),
        "import invalidates"
    );
    assert_eq!(count(cache.find_leads(t, &all).await.unwrap()), 4);

    let by_name = LeadQuery {
        name: Some("elisa".into()),
        ..LeadQuery::default()
    };
    assert_eq!(count(cache.find_leads(t, &by_name).await.unwrap()), 1);
    cache.erase_lead(t, first.id, fx::at(9)).await.unwrap();
    assert_eq!(
        count(cache.find_leads(t, &by_name).await.unwrap()),
        0,
        "erase invalidates"
    );
    assert_eq!(
        count(cache.find_leads(t, &qualified).await.unwrap()),
        1,
        "stage kept after erasure"
    );

    // Lists of other kinds are tagged separately: a lead write leaves them cached.
    let agent = memory
        .insert_agent(t, &fx::agent("Iara Luz", 0))
        .await
        .unwrap();
    assert_eq!(cache.list_agents(t).await.unwrap().len(), 1);
    memory
        .insert_agent(t, &fx::agent("João Paz", 1))
        .await
        .unwrap();
    cache
        .insert_lead(t, &fx::lead("Kátia Sá", 4))
        .await
        .unwrap();
    assert_eq!(
        cache.list_agents(t).await.unwrap().len(),
        1,
        "agent list untouched by lead writes"
    );
    let mut a = agent.clone();
    a.team = Some("Centro".into());
    cache.update_agent(t, &a).await.unwrap();
    assert_eq!(
        cache.list_agents(t).await.unwrap().len(),
        2,
        "agent write invalidates agent lists"
    );
}

/// A miss reads the primary, a write lands and invalidates, then the miss fills: the fill must
/// be refused (the generation moved), or the old value would be cached after the write.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fill_racing_a_write_is_refused() {
    if !redis_up() {
        return;
    }
    let ks = Keyspace::new();
    let primary = Arc::new(GatedPrimary {
        inner: MemoryStore::new(),
        gate: Default::default(),
    });
    let cache = Arc::new(RedisCache::new(primary.clone(), &ks.url, &ks.options(1000)).unwrap());
    let t = fx::tenant();
    let v1 = cache
        .insert_lead(t, &fx::lead("Nina Couto", 0))
        .await
        .unwrap();

    let (reached, release) = primary.arm();
    let reader = {
        let cache = cache.clone();
        tokio::spawn(async move { cache.get_lead(t, v1.id).await })
    };
    reached.await.unwrap(); // the reader missed and read version 1 from the primary
    let mut changed = v1.clone();
    changed.stage = "contract".into();
    let v2 = cache.update_lead(t, &changed).await.unwrap();
    release.send(()).unwrap(); // now the reader tries to fill version 1
    assert_eq!(
        reader.await.unwrap().unwrap().unwrap().version,
        1,
        "a read concurrent with the write"
    );
    assert_eq!(
        cache.get_lead(t, v1.id).await.unwrap().as_ref(),
        Some(&v2),
        "the late fill was refused"
    );
    assert_eq!(cache.get_lead(t, v1.id).await.unwrap().as_ref(), Some(&v2));
}

// ---------------------------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cache_on_a_closed_port_passes_the_behaviour_suite() {
    let o = StoreOptions {
        cache_timeout: Duration::from_millis(100),
        ..StoreOptions::default()
    };
    let cache = RedisCache::new(Arc::new(MemoryStore::new()), "redis://127.0.0.1:1", &o).unwrap();
    let cache = Arc::new(cache);
    let start = Instant::now();
    behaviour::run_all(cache.clone()).await;
    assert!(cache.is_degraded(), "Redis never answered");
    eprintln!(
        "behaviour suite through a cache on a closed port: {:?}",
        start.elapsed()
    );
}

/// Cuts Redis in the middle of a run: every call still succeeds within the time budget, the
/// writes made meanwhile are never answered stale once Redis is back.
async fn outage_round_trip(mode: Mode) {
    let ks = Keyspace::new();
    let proxy = Proxy::start().await;
    let budget = 100;
    let (_memory, cache) = cache_over_memory(&proxy.url, &ks.options(budget));
    let s: &dyn Store = cache.as_ref();
    let t = fx::tenant();

    let mut leads = Vec::new();
    for i in 0..5 {
        leads.push(
            s.insert_lead(t, &fx::lead(&format!("Lead {i}"), i))
                .await
                .unwrap(),
        );
    }
    let agent = s
        .insert_agent(t, &fx::agent("Lara Paiva", 0))
        .await
        .unwrap();
    for l in &leads {
        s.get_lead(t, l.id).await.unwrap();
    }
    s.get_agent(t, agent.id).await.unwrap();
    assert_eq!(
        s.find_leads(t, &LeadQuery::default())
            .await
            .unwrap()
            .items
            .len(),
        5
    );
    assert!(!ks.keys(&format!("{t}:lead:*")).is_empty(), "warm cache");
    wait_healthy(&cache).await; // (a call may overrun 100 ms on a loaded machine)

    proxy.set(mode).await;
    let mut slowest = Duration::ZERO;
    let mut timed = |start: Instant| slowest = slowest.max(start.elapsed());
    // Reads and writes during the outage: all succeed, served by the primary.
    let mut updated = Vec::new();
    for l in &leads {
        let start = Instant::now();
        let mut changed = s.get_lead(t, l.id).await.unwrap().unwrap();
        assert_eq!(changed.version, 1);
        changed.stage = "qualified".into();
        updated.push(s.update_lead(t, &changed).await.unwrap());
        assert_eq!(
            s.get_lead(t, l.id).await.unwrap().unwrap().version,
            2,
            "fresh during the outage"
        );
        timed(start);
    }
    let start = Instant::now();
    let mut a = agent.clone();
    a.team = Some("Zona Oeste".into());
    s.update_agent(t, &a).await.unwrap();
    let extra = s
        .insert_lead(t, &fx::lead("Durante a queda", 9))
        .await
        .unwrap();
    assert_eq!(
        s.find_leads(t, &LeadQuery::default())
            .await
            .unwrap()
            .items
            .len(),
        6
    );
    timed(start);
    assert!(cache.is_degraded());
    assert!(cache.pending_invalidations() > 0 || mode == Mode::Cut);
    let limit = Duration::from_millis(budget * 2 + 300);
    assert!(
        slowest < limit,
        "a call took {slowest:?} during the outage (budget {budget} ms)"
    );
    eprintln!("{mode:?}: slowest call group during the outage {slowest:?}");

    // Redis returns. Its entries still hold version 1 of every lead and the 5-lead list: none
    // of them may be served, neither right away nor once the cache recovered.
    proxy.set(Mode::Pass).await;
    for l in &updated {
        assert_eq!(
            s.get_lead(t, l.id).await.unwrap().as_ref(),
            Some(l),
            "no stale value right after"
        );
    }
    wait_healthy(&cache).await;
    assert_eq!(cache.pending_invalidations(), 0);
    for round in 0..2 {
        for l in &updated {
            assert_eq!(
                s.get_lead(t, l.id).await.unwrap().as_ref(),
                Some(l),
                "no stale value (round {round})"
            );
        }
        assert_eq!(s.get_agent(t, agent.id).await.unwrap().unwrap().version, 2);
        assert_eq!(
            s.find_leads(t, &LeadQuery::default())
                .await
                .unwrap()
                .items
                .len(),
            6
        );
        assert!(s.get_lead(t, extra.id).await.unwrap().is_some());
    }
    // Cached reads resume (a call that overran the 100 ms budget on a loaded machine counts as
    // a new outage, and the cache recovers from it the same way).
    wait_healthy(&cache).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cut_redis_never_fails_a_call_nor_serves_stale_values_after() {
    if redis_up() {
        outage_round_trip(Mode::Cut).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_redis_costs_at_most_the_time_budget() {
    if redis_up() {
        outage_round_trip(Mode::Hang).await;
    }
}

/// Writes keep coming while Redis returns: the backlog of invalidations drains anyway (new
/// writes invalidate directly once Redis answered), cached reads resume, nothing is stale.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_steady_stream_of_writes_does_not_keep_the_cache_degraded() {
    if !redis_up() {
        return;
    }
    let ks = Keyspace::new();
    let proxy = Proxy::start().await;
    let (_memory, cache) = cache_over_memory(&proxy.url, &ks.options(100));
    let t = fx::tenant();
    let lead = cache
        .insert_lead(t, &fx::lead("Paula Reis", 0))
        .await
        .unwrap();
    cache.get_lead(t, lead.id).await.unwrap();

    proxy.set(Mode::Cut).await;
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (cache, stop) = (cache.clone(), stop.clone());
        tokio::spawn(async move {
            let mut current = lead;
            let mut writes = 0u64;
            while !stop.load(Ordering::SeqCst) {
                current.stage = format!("stage-{writes}");
                current = cache.update_lead(t, &current).await.unwrap();
                cache.insert_lead(t, &fx::lead("Fluxo", 1)).await.unwrap();
                writes += 1;
                tokio::task::yield_now().await;
            }
            (current, writes)
        })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    proxy.set(Mode::Pass).await;
    let back = Instant::now();
    wait_healthy(&cache).await;
    let took = back.elapsed();
    stop.store(true, Ordering::SeqCst);
    let (last, writes) = writer.await.unwrap();
    assert!(writes > 10, "the writer kept writing ({writes} writes)");
    // Recovery probes at most 1 s apart; draining takes a round trip or two more.
    assert!(
        took < Duration::from_secs(3),
        "healthy again only after {took:?}"
    );
    assert_eq!(
        cache.get_lead(t, last.id).await.unwrap().as_ref(),
        Some(&last)
    );
    assert_eq!(
        cache.get_lead(t, last.id).await.unwrap().as_ref(),
        Some(&last)
    );
}

/// Two processes (two caches with their own connections) share Redis. The writer is cut off
/// and writes; the reader still reaches Redis and, until the writer sees Redis again, may serve
/// its old entry (the documented bound). Once the writer recovers, nobody serves it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_by_another_process_during_an_outage_is_not_served_stale_after_it_recovers() {
    if !redis_up() {
        return;
    }
    let ks = Keyspace::new();
    let proxy = Proxy::start().await;
    let primary: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let writer = RedisCache::new(primary.clone(), &proxy.url, &ks.options(100)).unwrap();
    let reader = RedisCache::new(primary.clone(), &ks.url, &ks.options(1000)).unwrap();
    let t = fx::tenant();
    let lead = writer
        .insert_lead(t, &fx::lead("Mara Vaz", 0))
        .await
        .unwrap();
    assert_eq!(
        reader.get_lead(t, lead.id).await.unwrap().unwrap().version,
        1
    );
    assert_eq!(
        writer.get_lead(t, lead.id).await.unwrap().unwrap().version,
        1
    );

    proxy.set(Mode::Cut).await;
    let mut changed = lead.clone();
    changed.stage = "proposal".into();
    let v2 = writer.update_lead(t, &changed).await.unwrap();
    assert!(writer.is_degraded());
    assert_eq!(
        writer.get_lead(t, lead.id).await.unwrap().as_ref(),
        Some(&v2),
        "the writer reads the primary"
    );
    // The reader still reaches Redis and its entry predates the write: the documented window.
    assert_eq!(
        reader.get_lead(t, lead.id).await.unwrap().unwrap().version,
        1,
        "precondition: stale in Redis"
    );

    proxy.set(Mode::Pass).await;
    wait_healthy(&writer).await;
    assert_eq!(
        reader.get_lead(t, lead.id).await.unwrap().as_ref(),
        Some(&v2),
        "the epoch bump reached the reader"
    );
    assert_eq!(
        writer.get_lead(t, lead.id).await.unwrap().as_ref(),
        Some(&v2)
    );
}

/// The writer is cut off, writes, and dies before it ever sees Redis again (its pending
/// invalidation is lost). A reader that also saw the outage bumps the global epoch when it
/// recovers, so it does not serve the entry the dead writer could not invalidate.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_process_that_saw_the_outage_abandons_every_old_entry() {
    if !redis_up() {
        return;
    }
    let ks = Keyspace::new();
    let (writer_proxy, reader_proxy) = (Proxy::start().await, Proxy::start().await);
    let primary: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let writer = RedisCache::new(primary.clone(), &writer_proxy.url, &ks.options(100)).unwrap();
    let reader = RedisCache::new(primary.clone(), &reader_proxy.url, &ks.options(100)).unwrap();
    let t = fx::tenant();
    let lead = writer
        .insert_lead(t, &fx::lead("Otávio Lins", 0))
        .await
        .unwrap();
    assert_eq!(
        reader.get_lead(t, lead.id).await.unwrap().unwrap().version,
        1
    );

    writer_proxy.set(Mode::Cut).await;
    reader_proxy.set(Mode::Cut).await;
    let mut changed = lead.clone();
    changed.stage = "lost".into();
    let v2 = writer.update_lead(t, &changed).await.unwrap();
    drop(writer); // it never recovers
    drop(writer_proxy);
    assert_eq!(
        reader.get_lead(t, lead.id).await.unwrap().as_ref(),
        Some(&v2),
        "bypassed during the outage"
    );
    assert!(reader.is_degraded());

    reader_proxy.set(Mode::Pass).await;
    assert_eq!(
        reader.get_lead(t, lead.id).await.unwrap().as_ref(),
        Some(&v2)
    );
    wait_healthy(&reader).await;
    assert_eq!(
        reader.get_lead(t, lead.id).await.unwrap().as_ref(),
        Some(&v2),
        "old entry abandoned"
    );
    assert!(
        ks.keys(&format!("{t}:lead:{}:*", lead.id)).len() >= 2,
        "the old entry is still there, unreachable"
    );
}

// ---------------------------------------------------------------------------------------------
// Routing state in Redis
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cursors_are_atomic_across_connections() {
    if !redis_up() {
        return;
    }
    let ks = Keyspace::new();
    let t = fx::tenant();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (url, options) = (ks.url.clone(), ks.options(1000));
        tasks.push(tokio::spawn(async move {
            // Each task is its own "process": its own connection.
            let routing = RedisRoutingState::connect(&url, &options).await.unwrap();
            let mut got = Vec::with_capacity(250);
            for _ in 0..250 {
                got.push(routing.next_cursor(t, "zona_sul").await.unwrap());
            }
            got
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    all.sort_unstable();
    assert_eq!(all, (0..2000).collect::<Vec<u64>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routing_state_counters_and_compare_and_swap() {
    if !redis_up() {
        return;
    }
    let ks = Keyspace::new();
    let routing = RedisRoutingState::connect(&ks.url, &ks.options(1000))
        .await
        .unwrap();
    let (t, other) = (fx::tenant(), fx::tenant());
    assert_eq!(routing.next_cursor(t, "rr").await.unwrap(), 0);
    assert_eq!(routing.next_cursor(t, "rr").await.unwrap(), 1);
    assert_eq!(
        routing.next_cursor(other, "rr").await.unwrap(),
        0,
        "per tenant"
    );
    assert_eq!(
        routing.next_cursor(t, "").await.unwrap_err().code(),
        ErrorCode::TextTooLong
    );
    assert_eq!(routing.counter(t, "open:ana").await.unwrap(), 0);
    assert_eq!(routing.add_to_counter(t, "open:ana", 3).await.unwrap(), 3);
    assert_eq!(routing.add_to_counter(t, "open:ana", -5).await.unwrap(), -2);
    assert_eq!(routing.counter(t, "open:ana").await.unwrap(), -2);
    assert_eq!(
        routing
            .add_to_counter(t, "big", i64::MAX - 1)
            .await
            .unwrap(),
        i64::MAX - 1
    );
    assert_eq!(
        routing.add_to_counter(t, "big", 10).await.unwrap(),
        i64::MAX,
        "saturates like the other stores"
    );
    assert_eq!(
        routing.add_to_counter(t, "big", -1).await.unwrap(),
        i64::MAX - 1
    );

    let empty = routing.load_routing_state(t).await.unwrap();
    assert_eq!((empty.version, empty.value), (0, RoutingState::default()));
    let mut state = RoutingState::default();
    state.cursors.insert("zona_sul".into(), 4);
    state.next_offer_id = 9;
    assert_eq!(routing.save_routing_state(t, &state, 0).await.unwrap(), 1);
    let loaded = routing.load_routing_state(t).await.unwrap();
    assert_eq!((loaded.value, loaded.version), (state.clone(), 1));
    let err = routing
        .save_routing_state(t, &RoutingState::default(), 0)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                expected: 0,
                actual: Some(1),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(routing.load_routing_state(other).await.unwrap().version, 0);

    // Concurrent saves with the same expected version, each on its own connection: one wins.
    let mut tasks = Vec::new();
    for i in 0..8u64 {
        let (url, options) = (ks.url.clone(), ks.options(1000));
        tasks.push(tokio::spawn(async move {
            let routing = RedisRoutingState::connect(&url, &options).await.unwrap();
            let mine = RoutingState {
                next_offer_id: 100 + i,
                ..RoutingState::default()
            };
            routing
                .save_routing_state(t, &mine, 1)
                .await
                .map(|v| (v, i))
        }));
    }
    let mut winners = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(win) => winners.push(win),
            Err(e) => assert_eq!(e.code(), ErrorCode::StoreConflict),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one save wins: {winners:?}");
    let (version, i) = winners[0];
    assert_eq!(version, 2);
    assert_eq!(
        routing
            .load_routing_state(t)
            .await
            .unwrap()
            .value
            .next_offer_id,
        100 + i
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routing_state_reports_redis_down_as_unavailable() {
    let o = StoreOptions {
        connect_timeout: Duration::from_millis(500),
        ..StoreOptions::default()
    };
    let err = RedisRoutingState::connect("redis://127.0.0.1:1", &o)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::StoreUnavailable, "{err:?}");
    assert!(err.is_transient());
    if !redis_up() {
        return;
    }
    let ks = Keyspace::new();
    let proxy = Proxy::start().await;
    let o = StoreOptions {
        acquire_timeout: Duration::from_millis(300),
        ..ks.options(100)
    };
    let routing = RedisRoutingState::connect(&proxy.url, &o).await.unwrap();
    let t = fx::tenant();
    assert_eq!(routing.next_cursor(t, "rr").await.unwrap(), 0);
    for mode in [Mode::Cut, Mode::Hang] {
        proxy.set(mode).await;
        let start = Instant::now();
        let err = routing.next_cursor(t, "rr").await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::StoreUnavailable, "{mode:?}: {err:?}");
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{mode:?} took {:?}",
            start.elapsed()
        );
        proxy.set(Mode::Pass).await;
        // Back: the connection is reopened by the next call (or the one after).
        let mut next = routing.next_cursor(t, "rr").await;
        if next.is_err() {
            next = routing.next_cursor(t, "rr").await;
        }
        assert!(next.unwrap() >= 1);
    }
}

// ---------------------------------------------------------------------------------------------
// The behaviour suite through the cache
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_cache_over_memory_passes_the_behaviour_suite() {
    if !redis_up() {
        return;
    }
    let ks = Keyspace::new();
    let cache = RedisCache::new(Arc::new(MemoryStore::new()), &ks.url, &ks.options(1000)).unwrap();
    let cache = Arc::new(cache);
    behaviour::run_all(cache.clone()).await;
    assert!(!cache.is_degraded(), "Redis answered throughout");
    assert!(!ks.keys("*").is_empty(), "the suite went through Redis");
}

#[cfg(feature = "sqlite")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_cache_over_sqlite_passes_the_behaviour_suite() {
    if !redis_up() {
        return;
    }
    let ks = Keyspace::new();
    let sqlite = crm_store::sqlite::SqliteStore::in_memory().await.unwrap();
    let cache = Arc::new(RedisCache::new(Arc::new(sqlite), &ks.url, &ks.options(1000)).unwrap());
    assert_eq!(cache.backend(), "redis+sqlite");
    behaviour::run_all(cache.clone()).await;
    assert!(!cache.is_degraded(), "Redis answered throughout");
}

/// A PostgreSQL schema of its own, dropped (CASCADE) when the guard is dropped, also on panic.
#[cfg(feature = "postgres")]
struct PgSchema {
    url: String,
    name: String,
}

#[cfg(feature = "postgres")]
impl Drop for PgSchema {
    fn drop(&mut self) {
        use sqlx::{Connection, Executor};
        let (url, name) = (self.url.clone(), self.name.clone());
        // Drop runs inside the test's runtime: clean up on a thread with a runtime of its own.
        let done = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let mut c = sqlx::PgConnection::connect(&url).await?;
                c.execute(format!("DROP SCHEMA IF EXISTS \"{name}\" CASCADE").as_str())
                    .await?;
                c.close().await
            })
        })
        .join();
        if !matches!(done, Ok(Ok(()))) {
            eprintln!("could not drop test schema {}: {done:?}", self.name);
        }
    }
}

#[cfg(feature = "postgres")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_cache_over_postgres_passes_the_behaviour_suite() {
    let url = services::database_url();
    if !redis_up() || !services::available("PostgreSQL", &url, 5432) {
        return;
    }
    let ks = Keyspace::new();
    let schema = PgSchema {
        url,
        name: services::unique_name("crm_cache_test"),
    };
    let options = StoreOptions {
        schema: Some(schema.name.clone()),
        max_connections: 4,
        ..ks.options(1000)
    };
    let pg = crm_store::postgres::PgStore::connect(&schema.url, &options)
        .await
        .unwrap();
    let cache = Arc::new(RedisCache::new(Arc::new(pg), &ks.url, &options).unwrap());
    assert_eq!(cache.backend(), "redis+postgres");
    behaviour::run_all(cache.clone()).await;
    assert!(!cache.is_degraded(), "Redis answered throughout");
}
