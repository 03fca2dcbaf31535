//! Agents, properties, deals and visits through the cache: reads by id and lists read through
//! Redis; writes go to the primary, then drop the record's entry and bump its kind's generation.

use super::RedisCache;
use super::health::Invalidation;
use crate::error::Result;
use crate::query::{DealQuery, Page, PropertyQuery, VisitQuery};
use crate::records::RecordKind;
use crate::traits::{AgentStore, DealStore, PropertyStore, VisitStore};
use async_trait::async_trait;
use crm_core::domain::{
    Agent, AgentId, Deal, DealId, Property, PropertyId, TenantId, Visit, VisitId,
};

#[async_trait]
impl AgentStore for RedisCache {
    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn insert_agent(&self, tenant: TenantId, agent: &Agent) -> Result<Agent> {
        let result = self.inner.insert_agent(tenant, agent).await;
        self.written(
            result,
            Invalidation::record(tenant, RecordKind::Agent, agent.id.as_uuid()),
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn get_agent(&self, tenant: TenantId, id: AgentId) -> Result<Option<Agent>> {
        self.record(tenant, RecordKind::Agent, id.as_uuid(), || {
            self.inner.get_agent(tenant, id)
        })
        .await
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn update_agent(&self, tenant: TenantId, agent: &Agent) -> Result<Agent> {
        let result = self.inner.update_agent(tenant, agent).await;
        self.written(
            result,
            Invalidation::record(tenant, RecordKind::Agent, agent.id.as_uuid()),
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn list_agents(&self, tenant: TenantId) -> Result<Vec<Agent>> {
        let query = serde_json::json!({});
        self.list(tenant, RecordKind::Agent, "all", &query, || {
            self.inner.list_agents(tenant)
        })
        .await
    }
}

#[async_trait]
impl PropertyStore for RedisCache {
    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn insert_property(&self, tenant: TenantId, property: &Property) -> Result<Property> {
        let result = self.inner.insert_property(tenant, property).await;
        self.written(
            result,
            Invalidation::record(tenant, RecordKind::Property, property.id.as_uuid()),
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn get_property(&self, tenant: TenantId, id: PropertyId) -> Result<Option<Property>> {
        self.record(tenant, RecordKind::Property, id.as_uuid(), || {
            self.inner.get_property(tenant, id)
        })
        .await
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn update_property(&self, tenant: TenantId, property: &Property) -> Result<Property> {
        let result = self.inner.update_property(tenant, property).await;
        self.written(
            result,
            Invalidation::record(tenant, RecordKind::Property, property.id.as_uuid()),
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn find_properties(
        &self,
        tenant: TenantId,
        query: &PropertyQuery,
    ) -> Result<Page<Property>> {
        self.list(tenant, RecordKind::Property, "find", query, || {
            self.inner.find_properties(tenant, query)
        })
        .await
    }
}

#[async_trait]
impl DealStore for RedisCache {
    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn insert_deal(&self, tenant: TenantId, deal: &Deal) -> Result<Deal> {
        let result = self.inner.insert_deal(tenant, deal).await;
        self.written(
            result,
            Invalidation::record(tenant, RecordKind::Deal, deal.id.as_uuid()),
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn get_deal(&self, tenant: TenantId, id: DealId) -> Result<Option<Deal>> {
        self.record(tenant, RecordKind::Deal, id.as_uuid(), || {
            self.inner.get_deal(tenant, id)
        })
        .await
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn update_deal(&self, tenant: TenantId, deal: &Deal) -> Result<Deal> {
        let result = self.inner.update_deal(tenant, deal).await;
        self.written(
            result,
            Invalidation::record(tenant, RecordKind::Deal, deal.id.as_uuid()),
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn find_deals(&self, tenant: TenantId, query: &DealQuery) -> Result<Page<Deal>> {
        self.list(tenant, RecordKind::Deal, "find", query, || {
            self.inner.find_deals(tenant, query)
        })
        .await
    }
}

#[async_trait]
impl VisitStore for RedisCache {
    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn insert_visit(&self, tenant: TenantId, visit: &Visit) -> Result<Visit> {
        let result = self.inner.insert_visit(tenant, visit).await;
        self.written(
            result,
            Invalidation::record(tenant, RecordKind::Visit, visit.id.as_uuid()),
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn get_visit(&self, tenant: TenantId, id: VisitId) -> Result<Option<Visit>> {
        self.record(tenant, RecordKind::Visit, id.as_uuid(), || {
            self.inner.get_visit(tenant, id)
        })
        .await
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn update_visit(&self, tenant: TenantId, visit: &Visit) -> Result<Visit> {
        let result = self.inner.update_visit(tenant, visit).await;
        self.written(
            result,
            Invalidation::record(tenant, RecordKind::Visit, visit.id.as_uuid()),
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn find_visits(&self, tenant: TenantId, query: &VisitQuery) -> Result<Page<Visit>> {
        self.list(tenant, RecordKind::Visit, "find", query, || {
            self.inner.find_visits(tenant, query)
        })
        .await
    }
}
