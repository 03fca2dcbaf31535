//! The in-memory store: every aggregate in maps behind one lock, with the same behaviour as the
//! database adapters (the behaviour suite runs against it too). For tests, and for hosts that
//! bring their own persistence and only want the rules about versions, tenants and keys.

mod tenant;

use crate::error::{Result, StoreError};
use crate::prepare::{self, LeadFilter, LeadKeys};
use crate::query::{AuditQuery, Cursor, DealQuery, LeadQuery, Page, PropertyQuery, VisitQuery};
use crate::records::{
    AuditEvent, ImportReport, NewLedgerEntry, RecordKind, StoredLedgerEntry, Versioned,
};
use crate::traits::{
    AgentStore, AuditLog, DealStore, LeadStore, LedgerStore, PropertyStore, RoutingStateStore,
    Store, VisitStore,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use crm_core::domain::{
    Activity, Agent, AgentId, Deal, DealId, Lead, LeadId, Portal, Property, PropertyId, TenantId,
    Visit, VisitId,
};
use crm_core::workflow::routing::RoutingState;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use tenant::TenantData;
use uuid::Uuid;

/// A store held in this process's memory; cloning the handle is not supported, share it in an
/// `Arc`. Nothing survives the process.
///
/// ```
/// use crm_store::{Store, memory::MemoryStore};
/// let store = MemoryStore::new();
/// assert_eq!(store.backend(), "memory");
/// ```
#[derive(Debug, Default)]
pub struct MemoryStore {
    tenants: Mutex<HashMap<TenantId, TenantData>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn with<T>(&self, tenant: TenantId, f: impl FnOnce(&mut TenantData) -> Result<T>) -> Result<T> {
        let mut guard: MutexGuard<'_, _> = self
            .tenants
            .lock()
            .map_err(|_| StoreError::Backend("the memory store's lock was poisoned".to_owned()))?;
        f(guard.entry(tenant).or_default())
    }
}

fn conflict(kind: RecordKind, id: Uuid, expected: u64, actual: u64) -> StoreError {
    StoreError::Conflict {
        kind,
        id,
        expected,
        actual: Some(actual),
    }
}

fn not_found(kind: RecordKind, id: Uuid) -> StoreError {
    StoreError::NotFound { kind, id }
}

fn duplicate_id(kind: RecordKind, id: Uuid) -> StoreError {
    StoreError::Duplicate {
        kind,
        existing: id,
        what: "id".to_owned(),
    }
}

fn after(cursor: Option<Cursor>, at: DateTime<Utc>, id: Uuid) -> bool {
    cursor.is_none_or(|c| (at, id) > (c.at, c.id))
}

fn in_range(at: DateTime<Utc>, from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> bool {
    from.is_none_or(|f| at >= f) && to.is_none_or(|t| at < t)
}

/// Sorts by the key, keeps rows after the cursor and cuts a page.
fn page_of<T: Clone>(
    rows: impl Iterator<Item = T>,
    limit: u32,
    cursor: Option<Cursor>,
    key: impl Fn(&T) -> (DateTime<Utc>, Uuid) + Copy,
) -> Page<T> {
    let mut rows: Vec<T> = rows
        .filter(|r| {
            let (at, id) = key(r);
            after(cursor, at, id)
        })
        .collect();
    rows.sort_by_key(key);
    rows.truncate(limit as usize + 1);
    prepare::finish_page(rows, limit, key)
}

#[async_trait]
impl AgentStore for MemoryStore {
    async fn insert_agent(&self, tenant: TenantId, agent: &Agent) -> Result<Agent> {
        let mut agent = prepare::prepare_agent(agent)?;
        agent.version = 1;
        self.with(tenant, |t| {
            let id = agent.id.as_uuid();
            if t.agents.contains_key(&id) {
                return Err(duplicate_id(RecordKind::Agent, id));
            }
            t.agents.insert(id, agent.clone());
            Ok(agent)
        })
    }

    async fn get_agent(&self, tenant: TenantId, id: AgentId) -> Result<Option<Agent>> {
        self.with(tenant, |t| Ok(t.agents.get(&id.as_uuid()).cloned()))
    }

    async fn update_agent(&self, tenant: TenantId, agent: &Agent) -> Result<Agent> {
        let mut agent = prepare::prepare_agent(agent)?;
        self.with(tenant, |t| {
            let id = agent.id.as_uuid();
            let stored = t
                .agents
                .get_mut(&id)
                .ok_or_else(|| not_found(RecordKind::Agent, id))?;
            if stored.version != agent.version {
                return Err(conflict(
                    RecordKind::Agent,
                    id,
                    agent.version,
                    stored.version,
                ));
            }
            agent.version += 1;
            *stored = agent.clone();
            Ok(agent)
        })
    }

    async fn list_agents(&self, tenant: TenantId) -> Result<Vec<Agent>> {
        self.with(tenant, |t| {
            let mut agents: Vec<Agent> = t.agents.values().cloned().collect();
            agents.sort_by_key(|a| (a.created_at, a.id));
            Ok(agents)
        })
    }
}

#[async_trait]
impl LeadStore for MemoryStore {
    async fn insert_lead(&self, tenant: TenantId, lead: &Lead) -> Result<Lead> {
        let (mut lead, keys) = prepare::prepare_lead(lead)?;
        lead.version = 1;
        self.with(tenant, |t| {
            t.check_new_lead(&lead, &keys)?;
            t.put_lead(lead.clone(), keys);
            Ok(lead)
        })
    }

    async fn get_lead(&self, tenant: TenantId, id: LeadId) -> Result<Option<Lead>> {
        self.with(tenant, |t| Ok(t.leads.get(&id).map(|(l, _)| l.clone())))
    }

    async fn update_lead(&self, tenant: TenantId, lead: &Lead) -> Result<Lead> {
        let (mut lead, keys) = prepare::prepare_lead(lead)?;
        self.with(tenant, |t| {
            let id = lead.id;
            let (stored, _) = t
                .leads
                .get(&id)
                .ok_or_else(|| not_found(RecordKind::Lead, id.as_uuid()))?;
            if stored.version != lead.version {
                return Err(conflict(
                    RecordKind::Lead,
                    id.as_uuid(),
                    lead.version,
                    stored.version,
                ));
            }
            t.check_portal_free(id, &keys)?;
            lead.version += 1;
            t.put_lead(lead.clone(), keys);
            Ok(lead)
        })
    }

    async fn find_leads(&self, tenant: TenantId, query: &LeadQuery) -> Result<Page<Lead>> {
        let filter = LeadFilter::from_query(query)?;
        self.with(tenant, |t| {
            let rows = t
                .leads
                .values()
                .filter(|(lead, keys)| tenant::lead_matches(lead, keys, &filter))
                .map(|(lead, _)| lead.clone());
            Ok(page_of(rows, filter.limit, filter.after, |l| {
                (l.created_at, l.id.as_uuid())
            }))
        })
    }

    async fn find_lead_by_portal(
        &self,
        tenant: TenantId,
        portal: &Portal,
        portal_lead_id: &str,
    ) -> Result<Option<Lead>> {
        self.with(tenant, |t| {
            let key = (portal.key().to_owned(), portal_lead_id.trim().to_owned());
            Ok(t.portal_index
                .get(&key)
                .and_then(|id| t.leads.get(id))
                .map(|(l, _)| l.clone()))
        })
    }

    async fn import_leads(&self, tenant: TenantId, leads: &[Lead]) -> Result<ImportReport> {
        let prepared = prepare::prepare_leads(leads)?;
        self.with(tenant, |t| {
            let mut report = ImportReport::default();
            for (i, (mut lead, keys)) in prepared.into_iter().enumerate() {
                match t.existing_lead_for(&lead, &keys) {
                    Some(existing) => {
                        report.ids.push(existing);
                        report.existing.push(i);
                    }
                    None => {
                        lead.version = 1;
                        report.ids.push(lead.id);
                        report.inserted.push(i);
                        t.put_lead(lead, keys);
                    }
                }
            }
            Ok(report)
        })
    }

    async fn add_activity(&self, tenant: TenantId, activity: &Activity) -> Result<Activity> {
        let activity = prepare::prepare_activity(activity)?;
        self.with(tenant, |t| {
            t.require_lead(activity.lead_id)?;
            let id = activity.id.as_uuid();
            if t.activities.contains_key(&id) {
                return Err(duplicate_id(RecordKind::Activity, id));
            }
            t.activities.insert(id, activity.clone());
            Ok(activity)
        })
    }

    async fn list_activities(&self, tenant: TenantId, lead_id: LeadId) -> Result<Vec<Activity>> {
        self.with(tenant, |t| {
            let mut rows: Vec<Activity> = t
                .activities
                .values()
                .filter(|a| a.lead_id == lead_id)
                .cloned()
                .collect();
            rows.sort_by_key(|a| (a.at, a.id));
            Ok(rows)
        })
    }

    async fn erase_lead(&self, tenant: TenantId, id: LeadId, at: DateTime<Utc>) -> Result<Lead> {
        self.with(tenant, |t| {
            let (stored, _) = t
                .leads
                .get(&id)
                .ok_or_else(|| not_found(RecordKind::Lead, id.as_uuid()))?;
            let mut erased = crate::privacy::anonymised_lead(stored, at);
            erased.version = stored.version + 1;
            let keys = LeadKeys::of(&erased);
            t.put_lead(erased.clone(), keys);
            for a in t.activities.values_mut().filter(|a| a.lead_id == id) {
                a.note = None;
            }
            for v in t.visits.values_mut().filter(|v| v.lead_id == id) {
                if v.note.take().is_some() {
                    v.version += 1;
                }
            }
            Ok(erased)
        })
    }
}

#[async_trait]
impl PropertyStore for MemoryStore {
    async fn insert_property(&self, tenant: TenantId, property: &Property) -> Result<Property> {
        let (mut property, city) = prepare::prepare_property(property)?;
        property.version = 1;
        self.with(tenant, |t| {
            let id = property.id.as_uuid();
            if t.properties.contains_key(&id) {
                return Err(duplicate_id(RecordKind::Property, id));
            }
            t.properties.insert(id, (property.clone(), city));
            Ok(property)
        })
    }

    async fn get_property(&self, tenant: TenantId, id: PropertyId) -> Result<Option<Property>> {
        self.with(tenant, |t| {
            Ok(t.properties.get(&id.as_uuid()).map(|(p, _)| p.clone()))
        })
    }

    async fn update_property(&self, tenant: TenantId, property: &Property) -> Result<Property> {
        let (mut property, city) = prepare::prepare_property(property)?;
        self.with(tenant, |t| {
            let id = property.id.as_uuid();
            let (stored, _) = t
                .properties
                .get(&id)
                .ok_or_else(|| not_found(RecordKind::Property, id))?;
            if stored.version != property.version {
                return Err(conflict(
                    RecordKind::Property,
                    id,
                    property.version,
                    stored.version,
                ));
            }
            property.version += 1;
            t.properties.insert(id, (property.clone(), city));
            Ok(property)
        })
    }

    async fn find_properties(
        &self,
        tenant: TenantId,
        query: &PropertyQuery,
    ) -> Result<Page<Property>> {
        let limit = prepare::page_size(&query.page)?;
        let city = query.city.as_deref().map(prepare::city_key);
        self.with(tenant, |t| {
            let rows = t
                .properties
                .values()
                .filter(|(p, c)| {
                    query.status.is_none_or(|s| p.status == s)
                        && query.listing.is_none_or(|l| p.listing == l)
                        && city.as_ref().is_none_or(|k| k == c)
                        && query
                            .listing_broker
                            .is_none_or(|b| p.listing_broker == Some(b))
                })
                .map(|(p, _)| p.clone());
            Ok(page_of(rows, limit, query.page.after, |p| {
                (p.created_at, p.id.as_uuid())
            }))
        })
    }
}

#[async_trait]
impl DealStore for MemoryStore {
    async fn insert_deal(&self, tenant: TenantId, deal: &Deal) -> Result<Deal> {
        let (mut deal, _) = prepare::prepare_deal(deal)?;
        deal.version = 1;
        self.with(tenant, |t| {
            t.require_lead(deal.lead_id)?;
            t.require_property(deal.property_id)?;
            let id = deal.id.as_uuid();
            if t.deals.contains_key(&id) {
                return Err(duplicate_id(RecordKind::Deal, id));
            }
            t.deals.insert(id, deal.clone());
            Ok(deal)
        })
    }

    async fn get_deal(&self, tenant: TenantId, id: DealId) -> Result<Option<Deal>> {
        self.with(tenant, |t| Ok(t.deals.get(&id.as_uuid()).cloned()))
    }

    async fn update_deal(&self, tenant: TenantId, deal: &Deal) -> Result<Deal> {
        let (mut deal, _) = prepare::prepare_deal(deal)?;
        self.with(tenant, |t| {
            let id = deal.id.as_uuid();
            let stored = t
                .deals
                .get(&id)
                .ok_or_else(|| not_found(RecordKind::Deal, id))?;
            if stored.version != deal.version {
                return Err(conflict(RecordKind::Deal, id, deal.version, stored.version));
            }
            t.require_lead(deal.lead_id)?;
            t.require_property(deal.property_id)?;
            deal.version += 1;
            t.deals.insert(id, deal.clone());
            Ok(deal)
        })
    }

    async fn find_deals(&self, tenant: TenantId, query: &DealQuery) -> Result<Page<Deal>> {
        let limit = prepare::page_size(&query.page)?;
        self.with(tenant, |t| {
            let rows = t
                .deals
                .values()
                .filter(|d| {
                    query.status.is_none_or(|s| d.status == s)
                        && query.lead_id.is_none_or(|l| d.lead_id == l)
                        && query.property_id.is_none_or(|p| d.property_id == p)
                        && query
                            .agent
                            .is_none_or(|a| d.participants.iter().any(|p| p.agent_id == Some(a)))
                        && in_range(
                            d.created_at,
                            query.created_from.map(prepare::micros),
                            query.created_to.map(prepare::micros),
                        )
                })
                .cloned();
            Ok(page_of(rows, limit, query.page.after, |d| {
                (d.created_at, d.id.as_uuid())
            }))
        })
    }
}

#[async_trait]
impl VisitStore for MemoryStore {
    async fn insert_visit(&self, tenant: TenantId, visit: &Visit) -> Result<Visit> {
        let mut visit = prepare::prepare_visit(visit)?;
        visit.version = 1;
        self.with(tenant, |t| {
            t.require_lead(visit.lead_id)?;
            t.require_property(visit.property_id)?;
            t.require_agent(visit.agent_id)?;
            let id = visit.id.as_uuid();
            if t.visits.contains_key(&id) {
                return Err(duplicate_id(RecordKind::Visit, id));
            }
            t.visits.insert(id, visit.clone());
            Ok(visit)
        })
    }

    async fn get_visit(&self, tenant: TenantId, id: VisitId) -> Result<Option<Visit>> {
        self.with(tenant, |t| Ok(t.visits.get(&id.as_uuid()).cloned()))
    }

    async fn update_visit(&self, tenant: TenantId, visit: &Visit) -> Result<Visit> {
        let mut visit = prepare::prepare_visit(visit)?;
        self.with(tenant, |t| {
            let id = visit.id.as_uuid();
            let stored = t
                .visits
                .get(&id)
                .ok_or_else(|| not_found(RecordKind::Visit, id))?;
            if stored.version != visit.version {
                return Err(conflict(
                    RecordKind::Visit,
                    id,
                    visit.version,
                    stored.version,
                ));
            }
            t.require_lead(visit.lead_id)?;
            t.require_property(visit.property_id)?;
            t.require_agent(visit.agent_id)?;
            visit.version += 1;
            t.visits.insert(id, visit.clone());
            Ok(visit)
        })
    }

    async fn find_visits(&self, tenant: TenantId, query: &VisitQuery) -> Result<Page<Visit>> {
        let limit = prepare::page_size(&query.page)?;
        self.with(tenant, |t| {
            let rows = t
                .visits
                .values()
                .filter(|v| {
                    query.lead_id.is_none_or(|l| v.lead_id == l)
                        && query.agent_id.is_none_or(|a| v.agent_id == a)
                        && query.property_id.is_none_or(|p| v.property_id == p)
                        && query.status.is_none_or(|s| v.status == s)
                        && in_range(
                            v.starts_at,
                            query.starts_from.map(prepare::micros),
                            query.starts_to.map(prepare::micros),
                        )
                })
                .cloned();
            Ok(page_of(rows, limit, query.page.after, |v| {
                (v.starts_at, v.id.as_uuid())
            }))
        })
    }
}

#[async_trait]
impl LedgerStore for MemoryStore {
    async fn append_ledger(
        &self,
        tenant: TenantId,
        entries: &[NewLedgerEntry],
    ) -> Result<Vec<StoredLedgerEntry>> {
        let entries = prepare::prepare_ledger(entries)?;
        self.with(tenant, |t| t.append_ledger(entries))
    }

    async fn ledger_for_deal(
        &self,
        tenant: TenantId,
        deal_id: DealId,
    ) -> Result<Vec<StoredLedgerEntry>> {
        self.with(tenant, |t| {
            Ok(t.ledger
                .iter()
                .filter(|e| e.entry.deal_id == deal_id)
                .cloned()
                .collect())
        })
    }

    async fn ledger_page(
        &self,
        tenant: TenantId,
        after_seq: Option<u64>,
        limit: u32,
    ) -> Result<Vec<StoredLedgerEntry>> {
        let limit = prepare::ledger_limit(limit)?;
        self.with(tenant, |t| {
            Ok(t.ledger
                .iter()
                .filter(|e| after_seq.is_none_or(|s| e.seq > s))
                .take(limit as usize)
                .cloned()
                .collect())
        })
    }
}

#[async_trait]
impl RoutingStateStore for MemoryStore {
    async fn next_cursor(&self, tenant: TenantId, key: &str) -> Result<u64> {
        prepare::check_key(key)?;
        self.with(tenant, |t| {
            let cursor = t.cursors.entry(key.to_owned()).or_insert(0);
            let taken = *cursor;
            *cursor += 1;
            Ok(taken)
        })
    }

    async fn add_to_counter(&self, tenant: TenantId, key: &str, delta: i64) -> Result<i64> {
        prepare::check_key(key)?;
        self.with(tenant, |t| {
            let counter = t.counters.entry(key.to_owned()).or_insert(0);
            *counter = counter.saturating_add(delta);
            Ok(*counter)
        })
    }

    async fn counter(&self, tenant: TenantId, key: &str) -> Result<i64> {
        prepare::check_key(key)?;
        self.with(tenant, |t| Ok(t.counters.get(key).copied().unwrap_or(0)))
    }

    async fn load_routing_state(&self, tenant: TenantId) -> Result<Versioned<RoutingState>> {
        self.with(tenant, |t| Ok(t.routing.clone()))
    }

    async fn save_routing_state(
        &self,
        tenant: TenantId,
        state: &RoutingState,
        expected_version: u64,
    ) -> Result<u64> {
        self.with(tenant, |t| {
            if t.routing.version != expected_version {
                return Err(conflict(
                    RecordKind::RoutingState,
                    tenant.as_uuid(),
                    expected_version,
                    t.routing.version,
                ));
            }
            t.routing = Versioned {
                value: state.clone(),
                version: expected_version + 1,
            };
            Ok(t.routing.version)
        })
    }
}

#[async_trait]
impl AuditLog for MemoryStore {
    async fn append_audit(&self, tenant: TenantId, event: &AuditEvent) -> Result<()> {
        let mut event = event.clone();
        event.at = prepare::micros(event.at);
        self.with(tenant, |t| {
            if t.audit.iter().any(|e| e.id == event.id) {
                return Err(duplicate_id(RecordKind::AuditEvent, event.id));
            }
            t.audit.push(event);
            Ok(())
        })
    }

    async fn find_audit(&self, tenant: TenantId, query: &AuditQuery) -> Result<Page<AuditEvent>> {
        let limit = prepare::page_size(&query.page)?;
        self.with(tenant, |t| {
            let rows = t
                .audit
                .iter()
                .filter(|e| {
                    query.record_id.is_none_or(|r| e.record_id == r)
                        && query.actor.as_ref().is_none_or(|a| &e.actor == a)
                        && in_range(
                            e.at,
                            query.from.map(prepare::micros),
                            query.to.map(prepare::micros),
                        )
                })
                .cloned();
            Ok(page_of(rows, limit, query.page.after, |e| (e.at, e.id)))
        })
    }
}

#[async_trait]
impl Store for MemoryStore {
    fn backend(&self) -> String {
        "memory".to_owned()
    }

    async fn ping(&self) -> Result<()> {
        self.tenants
            .lock()
            .map(|_| ())
            .map_err(|_| StoreError::Backend("the memory store's lock was poisoned".to_owned()))
    }
}
