//! What the cache does not cache: the ledger and the audit log (append-only, read in order,
//! where a stale page would hide a booking) and routing state (cursors, counters and a
//! compare-and-swap document, which must be exact). These calls go straight to the primary.

use super::RedisCache;
use crate::error::Result;
use crate::query::{AuditQuery, Page};
use crate::records::{AuditEvent, NewLedgerEntry, StoredLedgerEntry, Versioned};
use crate::traits::{AuditLog, LedgerStore, RoutingStateStore};
use async_trait::async_trait;
use crm_core::domain::{DealId, TenantId};
use crm_core::workflow::routing::RoutingState;

#[async_trait]
impl LedgerStore for RedisCache {
    async fn append_ledger(
        &self,
        tenant: TenantId,
        entries: &[NewLedgerEntry],
    ) -> Result<Vec<StoredLedgerEntry>> {
        self.inner.append_ledger(tenant, entries).await
    }

    async fn ledger_for_deal(
        &self,
        tenant: TenantId,
        deal_id: DealId,
    ) -> Result<Vec<StoredLedgerEntry>> {
        self.inner.ledger_for_deal(tenant, deal_id).await
    }

    async fn ledger_page(
        &self,
        tenant: TenantId,
        after_seq: Option<u64>,
        limit: u32,
    ) -> Result<Vec<StoredLedgerEntry>> {
        self.inner.ledger_page(tenant, after_seq, limit).await
    }
}

#[async_trait]
impl RoutingStateStore for RedisCache {
    async fn next_cursor(&self, tenant: TenantId, key: &str) -> Result<u64> {
        self.inner.next_cursor(tenant, key).await
    }

    async fn add_to_counter(&self, tenant: TenantId, key: &str, delta: i64) -> Result<i64> {
        self.inner.add_to_counter(tenant, key, delta).await
    }

    async fn counter(&self, tenant: TenantId, key: &str) -> Result<i64> {
        self.inner.counter(tenant, key).await
    }

    async fn load_routing_state(&self, tenant: TenantId) -> Result<Versioned<RoutingState>> {
        self.inner.load_routing_state(tenant).await
    }

    async fn save_routing_state(
        &self,
        tenant: TenantId,
        state: &RoutingState,
        expected_version: u64,
    ) -> Result<u64> {
        self.inner
            .save_routing_state(tenant, state, expected_version)
            .await
    }
}

#[async_trait]
impl AuditLog for RedisCache {
    async fn append_audit(&self, tenant: TenantId, event: &AuditEvent) -> Result<()> {
        self.inner.append_audit(tenant, event).await
    }

    async fn find_audit(&self, tenant: TenantId, query: &AuditQuery) -> Result<Page<AuditEvent>> {
        self.inner.find_audit(tenant, query).await
    }
}
