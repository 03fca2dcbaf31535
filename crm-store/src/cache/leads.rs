//! Leads and activities through the cache. Every lead write (insert, update, import, erase)
//! bumps the lead generation, so no cached lead list or portal lookup survives it.

use super::RedisCache;
use super::health::Invalidation;
use crate::error::Result;
use crate::query::{LeadQuery, Page};
use crate::records::{ImportReport, RecordKind};
use crate::traits::LeadStore;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use crm_core::domain::{Activity, Lead, LeadId, Portal, TenantId};

#[async_trait]
impl LeadStore for RedisCache {
    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn insert_lead(&self, tenant: TenantId, lead: &Lead) -> Result<Lead> {
        let result = self.inner.insert_lead(tenant, lead).await;
        self.written(
            result,
            Invalidation::record(tenant, RecordKind::Lead, lead.id.as_uuid()),
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn get_lead(&self, tenant: TenantId, id: LeadId) -> Result<Option<Lead>> {
        self.record(tenant, RecordKind::Lead, id.as_uuid(), || {
            self.inner.get_lead(tenant, id)
        })
        .await
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn update_lead(&self, tenant: TenantId, lead: &Lead) -> Result<Lead> {
        let result = self.inner.update_lead(tenant, lead).await;
        self.written(
            result,
            Invalidation::record(tenant, RecordKind::Lead, lead.id.as_uuid()),
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn find_leads(&self, tenant: TenantId, query: &LeadQuery) -> Result<Page<Lead>> {
        self.list(tenant, RecordKind::Lead, "find", query, || {
            self.inner.find_leads(tenant, query)
        })
        .await
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn find_lead_by_portal(
        &self,
        tenant: TenantId,
        portal: &Portal,
        portal_lead_id: &str,
    ) -> Result<Option<Lead>> {
        let query = serde_json::json!({ "portal": portal.key(), "id": portal_lead_id });
        self.list(tenant, RecordKind::Lead, "portal", &query, || {
            self.inner
                .find_lead_by_portal(tenant, portal, portal_lead_id)
        })
        .await
    }

    /// Imports through the primary; existing leads are left unchanged and new ones were not
    /// cached (absent records never are), so bumping the lead generation is enough.
    #[tracing::instrument(skip_all, fields(tenant = %tenant, leads = leads.len()))]
    async fn import_leads(&self, tenant: TenantId, leads: &[Lead]) -> Result<ImportReport> {
        let result = self.inner.import_leads(tenant, leads).await;
        self.written(result, Invalidation::lists(tenant, RecordKind::Lead))
            .await
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn add_activity(&self, tenant: TenantId, activity: &Activity) -> Result<Activity> {
        let result = self.inner.add_activity(tenant, activity).await;
        self.written(result, Invalidation::lists(tenant, RecordKind::Activity))
            .await
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn list_activities(&self, tenant: TenantId, lead_id: LeadId) -> Result<Vec<Activity>> {
        let query = serde_json::json!({ "lead_id": lead_id });
        self.list(tenant, RecordKind::Activity, "of_lead", &query, || {
            self.inner.list_activities(tenant, lead_id)
        })
        .await
    }

    /// Erases in the primary, then deletes the lead's entry and abandons every other entry of
    /// the tenant (the erasure also removed notes from activities and visits).
    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn erase_lead(&self, tenant: TenantId, id: LeadId, at: DateTime<Utc>) -> Result<Lead> {
        let result = self.inner.erase_lead(tenant, id, at).await;
        self.written(
            result,
            Invalidation::tenant(tenant, RecordKind::Lead, id.as_uuid()),
        )
        .await
    }
}
