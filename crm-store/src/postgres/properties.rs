//! Properties: a `doc` plus status, listing kind, folded city, listing broker and prices.

use super::PgStore;
use super::checks::stale;
use super::error::on;
use super::rows::{doc, name_of, version_param};
use crate::error::{Result, StoreError};
use crate::prepare;
use crate::query::{Page, PropertyQuery};
use crate::records::RecordKind;
use crate::traits::PropertyStore;
use async_trait::async_trait;
use crm_core::domain::{Property, PropertyId, TenantId};
use sqlx::postgres::PgArguments;
use sqlx::query::Query;
use sqlx::types::Json;
use sqlx::{Postgres, QueryBuilder};

const KIND: RecordKind = RecordKind::Property;

/// The projections of a property, bound after `tenant_id` and `id`: doc, status, listing,
/// city_key, listing_broker, sale_price, rent, created_at.
fn bind_property<'q>(
    query: Query<'q, Postgres, PgArguments>,
    property: &'q Property,
    city: &'q str,
) -> Result<Query<'q, Postgres, PgArguments>> {
    Ok(query
        .bind(Json(property))
        .bind(name_of(KIND, &property.status)?)
        .bind(name_of(KIND, &property.listing)?)
        .bind(city)
        .bind(property.listing_broker.map(|a| a.as_uuid()))
        .bind(property.sale_price.map(|m| m.amount()))
        .bind(property.rent.map(|m| m.amount()))
        .bind(property.created_at))
}

#[async_trait]
impl PropertyStore for PgStore {
    #[tracing::instrument(skip_all, fields(tenant = %tenant, id = %property.id))]
    async fn insert_property(&self, tenant: TenantId, property: &Property) -> Result<Property> {
        let (mut property, city) = prepare::prepare_property(property)?;
        property.version = 1;
        let id = property.id.as_uuid();
        let fail = on(KIND, id);
        let query = sqlx::query(
            "INSERT INTO properties (tenant_id, id, doc, status, listing, city_key, \
             listing_broker, sale_price, rent, created_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1) ON CONFLICT DO NOTHING",
        )
        .bind(tenant.as_uuid())
        .bind(id);
        let query = bind_property(query, &property, &city)?;
        let mut tx = self.begin(tenant).await.map_err(&fail)?;
        let inserted = query
            .execute(&mut *tx)
            .await
            .map_err(&fail)?
            .rows_affected();
        tx.commit().await.map_err(&fail)?;
        if inserted == 0 {
            return Err(StoreError::Duplicate {
                kind: KIND,
                existing: id,
                what: "id".to_owned(),
            });
        }
        Ok(property)
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant, id = %id))]
    async fn get_property(&self, tenant: TenantId, id: PropertyId) -> Result<Option<Property>> {
        self.doc_by_id(KIND, "crm_property_doc", tenant, id.as_uuid())
            .await
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant, id = %property.id))]
    async fn update_property(&self, tenant: TenantId, property: &Property) -> Result<Property> {
        let (mut property, city) = prepare::prepare_property(property)?;
        let expected = property.version;
        property.version = expected.saturating_add(1);
        let id = property.id.as_uuid();
        let fail = on(KIND, id);
        let query = sqlx::query(
            "UPDATE properties SET doc = $3, status = $4, listing = $5, city_key = $6, \
             listing_broker = $7, sale_price = $8, rent = $9, created_at = $10, \
             version = version + 1 WHERE tenant_id = $1 AND id = $2 AND version = $11",
        )
        .bind(tenant.as_uuid())
        .bind(id);
        let query = bind_property(query, &property, &city)?.bind(version_param(expected));
        let mut tx = self.begin(tenant).await.map_err(&fail)?;
        let updated = query
            .execute(&mut *tx)
            .await
            .map_err(&fail)?
            .rows_affected();
        if updated == 0 {
            let err = stale(&mut tx, "properties", KIND, tenant, id, expected).await;
            let _ = tx.rollback().await;
            return Err(err);
        }
        tx.commit().await.map_err(&fail)?;
        Ok(property)
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn find_properties(
        &self,
        tenant: TenantId,
        query: &PropertyQuery,
    ) -> Result<Page<Property>> {
        let limit = prepare::page_size(&query.page)?;
        let mut qb = QueryBuilder::<Postgres>::new("SELECT doc FROM properties WHERE tenant_id = ");
        qb.push_bind(tenant.as_uuid());
        if let Some(status) = &query.status {
            qb.push(" AND status = ").push_bind(name_of(KIND, status)?);
        }
        if let Some(listing) = &query.listing {
            qb.push(" AND listing = ")
                .push_bind(name_of(KIND, listing)?);
        }
        if let Some(city) = &query.city {
            qb.push(" AND city_key = ")
                .push_bind(prepare::city_key(city));
        }
        if let Some(broker) = query.listing_broker {
            qb.push(" AND listing_broker = ")
                .push_bind(broker.as_uuid());
        }
        if let Some(after) = query.page.after {
            qb.push(" AND (created_at, id) > (")
                .push_bind(after.at)
                .push(", ")
                .push_bind(after.id)
                .push(")");
        }
        qb.push(" ORDER BY created_at, id LIMIT ")
            .push_bind(i64::from(limit) + 1);
        let fail = on(KIND, tenant.as_uuid());
        let mut tx = self.begin(tenant).await.map_err(&fail)?;
        let rows = qb.build().fetch_all(&mut *tx).await.map_err(&fail)?;
        tx.commit().await.map_err(&fail)?;
        let items = rows
            .iter()
            .map(|r| doc::<Property>(KIND, r))
            .collect::<Result<Vec<_>>>()?;
        Ok(prepare::finish_page(items, limit, |p| {
            (p.created_at, p.id.as_uuid())
        }))
    }
}
