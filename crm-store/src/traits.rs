//! The storage traits, one per aggregate, and [`Store`], which is all of them. Every call takes
//! the tenant (the brokerage) first; no call reads or changes another tenant's rows, and an id
//! that exists only in another tenant behaves exactly like an id that does not exist.
//!
//! Writes validate the record (every problem with its path, as `validate()` reports it), store
//! its normalised form (`normalized()`: e-mail lower-cased, phone in E.164, documents as bare
//! digits) with instants cut to whole microseconds (what PostgreSQL keeps), and return what was
//! stored. Inserts store version 1; an update must carry the version it read and stores the
//! next one, or fails with `store.conflict`.

use crate::error::Result;
use crate::query::{AuditQuery, DealQuery, LeadQuery, Page, PropertyQuery, VisitQuery};
use crate::records::{AuditEvent, ImportReport, NewLedgerEntry, StoredLedgerEntry, Versioned};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use crm_core::domain::{
    Activity, Agent, AgentId, Deal, DealId, Lead, LeadId, Portal, Property, PropertyId, TenantId,
    Visit, VisitId,
};
use crm_core::workflow::routing::RoutingState;

/// Brokers.
#[async_trait]
pub trait AgentStore: Send + Sync {
    /// Stores a new agent (version 1). `store.duplicate` if the id is taken.
    async fn insert_agent(&self, tenant: TenantId, agent: &Agent) -> Result<Agent>;
    /// The agent, or `None`.
    async fn get_agent(&self, tenant: TenantId, id: AgentId) -> Result<Option<Agent>>;
    /// Replaces an agent; `agent.version` must be the stored one.
    async fn update_agent(&self, tenant: TenantId, agent: &Agent) -> Result<Agent>;
    /// Every agent of the tenant, by `created_at` then id.
    async fn list_agents(&self, tenant: TenantId) -> Result<Vec<Agent>>;
}

/// Leads and their activities.
#[async_trait]
pub trait LeadStore: Send + Sync {
    /// Stores a new lead (version 1). `store.duplicate` if its id, or its portal and portal
    /// lead id, are already stored (the error names the stored lead).
    async fn insert_lead(&self, tenant: TenantId, lead: &Lead) -> Result<Lead>;
    /// The lead, or `None`.
    async fn get_lead(&self, tenant: TenantId, id: LeadId) -> Result<Option<Lead>>;
    /// Replaces a lead; `lead.version` must be the stored one.
    async fn update_lead(&self, tenant: TenantId, lead: &Lead) -> Result<Lead>;
    /// Leads matching every filter of the query, one page at a time.
    async fn find_leads(&self, tenant: TenantId, query: &LeadQuery) -> Result<Page<Lead>>;
    /// The lead a portal delivered under its own lead id, if stored.
    async fn find_lead_by_portal(
        &self,
        tenant: TenantId,
        portal: &Portal,
        portal_lead_id: &str,
    ) -> Result<Option<Lead>>;
    /// Bulk import (portal feeds): inserts the leads whose id and portal lead id are new, leaves
    /// stored ones unchanged, and reports both — so delivering the same portal lead twice gives
    /// one lead. All leads are validated first; any invalid lead fails the whole import with
    /// paths like `[3].contact.email` and nothing is written.
    async fn import_leads(&self, tenant: TenantId, leads: &[Lead]) -> Result<ImportReport>;
    /// Appends an activity to its lead (`store.not_found` if the lead is not in this tenant).
    async fn add_activity(&self, tenant: TenantId, activity: &Activity) -> Result<Activity>;
    /// A lead's activities, by `at` then id.
    async fn list_activities(&self, tenant: TenantId, lead_id: LeadId) -> Result<Vec<Activity>>;
    /// LGPD erasure of one lead, in one transaction: the lead's personal data replaced by
    /// [`crate::privacy::anonymised_lead`], and the notes of its activities and visits removed.
    /// Returns the anonymised lead. Deals and the ledger are not touched.
    async fn erase_lead(&self, tenant: TenantId, id: LeadId, at: DateTime<Utc>) -> Result<Lead>;
}

/// Properties (listings).
#[async_trait]
pub trait PropertyStore: Send + Sync {
    /// Stores a new property (version 1).
    async fn insert_property(&self, tenant: TenantId, property: &Property) -> Result<Property>;
    /// The property, or `None`.
    async fn get_property(&self, tenant: TenantId, id: PropertyId) -> Result<Option<Property>>;
    /// Replaces a property; `property.version` must be the stored one.
    async fn update_property(&self, tenant: TenantId, property: &Property) -> Result<Property>;
    /// Properties matching the query, one page at a time.
    async fn find_properties(
        &self,
        tenant: TenantId,
        query: &PropertyQuery,
    ) -> Result<Page<Property>>;
}

/// Deals.
#[async_trait]
pub trait DealStore: Send + Sync {
    /// Stores a new deal (version 1); its lead and property must be in this tenant.
    async fn insert_deal(&self, tenant: TenantId, deal: &Deal) -> Result<Deal>;
    /// The deal, or `None`.
    async fn get_deal(&self, tenant: TenantId, id: DealId) -> Result<Option<Deal>>;
    /// Replaces a deal; `deal.version` must be the stored one.
    async fn update_deal(&self, tenant: TenantId, deal: &Deal) -> Result<Deal>;
    /// Deals matching the query, one page at a time.
    async fn find_deals(&self, tenant: TenantId, query: &DealQuery) -> Result<Page<Deal>>;
}

/// Visits.
#[async_trait]
pub trait VisitStore: Send + Sync {
    /// Stores a new visit (version 1); its lead, property and agent must be in this tenant.
    async fn insert_visit(&self, tenant: TenantId, visit: &Visit) -> Result<Visit>;
    /// The visit, or `None`.
    async fn get_visit(&self, tenant: TenantId, id: VisitId) -> Result<Option<Visit>>;
    /// Replaces a visit; `visit.version` must be the stored one.
    async fn update_visit(&self, tenant: TenantId, visit: &Visit) -> Result<Visit>;
    /// Visits matching the query, by `starts_at` then id.
    async fn find_visits(&self, tenant: TenantId, query: &VisitQuery) -> Result<Page<Visit>>;
}

/// The commission ledger: append-only. There is no update and no delete.
#[async_trait]
pub trait LedgerStore: Send + Sync {
    /// Appends entries, all or none. Each must be balanced (`store.ledger.unbalanced`). An id
    /// already stored with the same entry is returned as stored (a safe retry); with a
    /// different entry it is `store.duplicate`.
    async fn append_ledger(
        &self,
        tenant: TenantId,
        entries: &[NewLedgerEntry],
    ) -> Result<Vec<StoredLedgerEntry>>;
    /// A deal's entries, in append order.
    async fn ledger_for_deal(
        &self,
        tenant: TenantId,
        deal_id: DealId,
    ) -> Result<Vec<StoredLedgerEntry>>;
    /// The tenant's ledger in append order: up to `limit` (1..=1000) entries after `after_seq`.
    async fn ledger_page(
        &self,
        tenant: TenantId,
        after_seq: Option<u64>,
        limit: u32,
    ) -> Result<Vec<StoredLedgerEntry>>;
}

/// What lead routing keeps between calls, shared by every service instance: atomic round-robin
/// cursors and counters, and the core's [`RoutingState`] document with compare-and-swap.
#[async_trait]
pub trait RoutingStateStore: Send + Sync {
    /// Atomically takes the cursor named `key` and advances it: returns 0, 1, 2, … across all
    /// callers and processes, never the same value twice.
    async fn next_cursor(&self, tenant: TenantId, key: &str) -> Result<u64>;
    /// Atomically adds `delta` (may be negative) to the counter named `key` (0 when new) and
    /// returns the new value.
    async fn add_to_counter(&self, tenant: TenantId, key: &str, delta: i64) -> Result<i64>;
    /// The counter's value (0 when never touched).
    async fn counter(&self, tenant: TenantId, key: &str) -> Result<i64>;
    /// The routing state and its version (an empty state at version 0 when never saved).
    async fn load_routing_state(&self, tenant: TenantId) -> Result<Versioned<RoutingState>>;
    /// Saves the state if the stored version is still `expected_version` (`store.conflict`
    /// otherwise); returns the new version.
    async fn save_routing_state(
        &self,
        tenant: TenantId,
        state: &RoutingState,
        expected_version: u64,
    ) -> Result<u64>;
}

/// The audit log: append-only.
#[async_trait]
pub trait AuditLog: Send + Sync {
    /// Appends an event (`store.duplicate` if its id is taken).
    async fn append_audit(&self, tenant: TenantId, event: &AuditEvent) -> Result<()>;
    /// Events matching the query, by `at` then id.
    async fn find_audit(&self, tenant: TenantId, query: &AuditQuery) -> Result<Page<AuditEvent>>;
}

/// A whole store: every aggregate. Hosts hold it as `Arc<dyn Store>`.
#[async_trait]
pub trait Store:
    AgentStore
    + LeadStore
    + PropertyStore
    + DealStore
    + VisitStore
    + LedgerStore
    + RoutingStateStore
    + AuditLog
    + Send
    + Sync
{
    /// The backend's name: `memory`, `sqlite`, `postgres`, or `redis+…` for a cached store.
    fn backend(&self) -> String;
    /// Checks that the backend answers.
    async fn ping(&self) -> Result<()>;
}
