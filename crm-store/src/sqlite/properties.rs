//! Properties (listings): a JSON document each, with status, listing kind, folded city and
//! listing broker as columns.

use super::{SqliteStore, codec, duplicate_id, error, missed_update};
use crate::error::Result;
use crate::prepare;
use crate::query::{Page, PropertyQuery};
use crate::records::RecordKind;
use crate::traits::PropertyStore;
use async_trait::async_trait;
use crm_core::domain::{Property, PropertyId, TenantId};
use sqlx::QueryBuilder;
use sqlx::sqlite::Sqlite;

const KIND: RecordKind = RecordKind::Property;

fn decode((doc, version): (String, i64)) -> Result<Property> {
    let mut property: Property = codec::from_json(KIND, &doc)?;
    property.version = codec::stored_version(KIND, version)?;
    Ok(property)
}

#[async_trait]
impl PropertyStore for SqliteStore {
    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn insert_property(&self, tenant: TenantId, property: &Property) -> Result<Property> {
        let (mut property, city) = prepare::prepare_property(property)?;
        property.version = 1;
        let inserted = sqlx::query(
            "INSERT INTO properties (tenant_id, id, doc, status, listing, city_key, listing_broker, \
             created_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
        )
        .bind(tenant.as_uuid())
        .bind(property.id.as_uuid())
        .bind(codec::to_json(KIND, &property)?)
        .bind(codec::enum_name(KIND, &property.status)?)
        .bind(codec::enum_name(KIND, &property.listing)?)
        .bind(city)
        .bind(property.listing_broker.map(|b| b.as_uuid()))
        .bind(codec::micros(property.created_at))
        .execute(&self.pool)
        .await;
        match inserted {
            Ok(_) => Ok(property),
            Err(e) if error::is_unique(&e) => Err(duplicate_id(KIND, property.id.as_uuid())),
            Err(e) => Err(error::map(KIND, e)),
        }
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn get_property(&self, tenant: TenantId, id: PropertyId) -> Result<Option<Property>> {
        let row: Option<(String, i64)> =
            sqlx::query_as("SELECT doc, version FROM properties WHERE tenant_id = ? AND id = ?")
                .bind(tenant.as_uuid())
                .bind(id.as_uuid())
                .fetch_optional(&self.pool)
                .await
                .map_err(error::db(KIND))?;
        row.map(decode).transpose()
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn update_property(&self, tenant: TenantId, property: &Property) -> Result<Property> {
        let (mut property, city) = prepare::prepare_property(property)?;
        let expected = property.version;
        property.version = expected.saturating_add(1);
        let (tenant, id) = (tenant.as_uuid(), property.id.as_uuid());
        let mut conn = self.conn(KIND).await?;
        let done = sqlx::query(
            "UPDATE properties SET doc = ?, status = ?, listing = ?, city_key = ?, listing_broker = ?, \
             created_at = ?, version = version + 1 WHERE tenant_id = ? AND id = ? AND version = ?",
        )
        .bind(codec::to_json(KIND, &property)?)
        .bind(codec::enum_name(KIND, &property.status)?)
        .bind(codec::enum_name(KIND, &property.listing)?)
        .bind(city)
        .bind(property.listing_broker.map(|b| b.as_uuid()))
        .bind(codec::micros(property.created_at))
        .bind(tenant)
        .bind(id)
        .bind(codec::version(expected))
        .execute(&mut *conn)
        .await
        .map_err(error::db(KIND))?;
        if done.rows_affected() == 0 {
            return Err(missed_update(&mut conn, "properties", KIND, tenant, id, expected).await);
        }
        Ok(property)
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn find_properties(
        &self,
        tenant: TenantId,
        query: &PropertyQuery,
    ) -> Result<Page<Property>> {
        let limit = prepare::page_size(&query.page)?;
        let mut qb =
            QueryBuilder::<Sqlite>::new("SELECT doc, version FROM properties WHERE tenant_id = ");
        qb.push_bind(tenant.as_uuid());
        if let Some(status) = &query.status {
            qb.push(" AND status = ")
                .push_bind(codec::enum_name(KIND, status)?);
        }
        if let Some(listing) = &query.listing {
            qb.push(" AND listing = ")
                .push_bind(codec::enum_name(KIND, listing)?);
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
                .push_bind(codec::micros(after.at))
                .push(", ")
                .push_bind(after.id)
                .push(")");
        }
        qb.push(" ORDER BY created_at, id LIMIT ")
            .push_bind(i64::from(limit) + 1);
        let rows: Vec<(String, i64)> = qb
            .build_query_as()
            .fetch_all(&self.pool)
            .await
            .map_err(error::db(KIND))?;
        let items = rows.into_iter().map(decode).collect::<Result<Vec<_>>>()?;
        Ok(prepare::finish_page(items, limit, |p| {
            (p.created_at, p.id.as_uuid())
        }))
    }
}
