//! Leads and their activities. A lead is its `doc` plus the keys it is found by
//! ([`LeadKeys`]); activities are plain columns, so an erasure can drop their notes.

use super::PgStore;
use super::checks::stale;
use super::error::{UNIQUE_VIOLATION, on, sqlstate};
use super::rows::{col, doc, from_name, name_of, version_param};
use crate::error::{Result, StoreError};
use crate::prepare::{self, LeadFilter, LeadKeys};
use crate::query::{LeadQuery, Page};
use crate::records::{ImportReport, RecordKind};
use crate::traits::LeadStore;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use crm_core::domain::{Activity, ActivityId, AgentId, Lead, LeadId, Portal, PropertyId, TenantId};
use sqlx::postgres::PgRow;
use sqlx::types::Json;
use sqlx::{PgConnection, Postgres, QueryBuilder};
use uuid::Uuid;

const KIND: RecordKind = RecordKind::Lead;

/// The columns of a lead, after `tenant_id` and `id`, in the order [`bind_lead`] binds them.
const LEAD_COLUMNS: &str = "doc, name_key, email, phone, document, portal, portal_lead_id, \
                            stage, assigned_agent, created_at";

fn bind_lead<'q>(
    query: sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments>,
    lead: &'q Lead,
    keys: &'q LeadKeys,
) -> sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments> {
    query
        .bind(Json(lead))
        .bind(keys.name_key.as_str())
        .bind(keys.email.as_deref())
        .bind(keys.phone.as_deref())
        .bind(keys.document.as_deref())
        .bind(keys.portal.as_deref())
        .bind(keys.portal_lead_id.as_deref())
        .bind(lead.stage.as_str())
        .bind(lead.assigned_agent.map(|a| a.as_uuid()))
        .bind(lead.created_at)
}

/// `portal lead id zap:123`, as the memory store names the key.
pub(super) fn portal_what(portal: &str, portal_lead_id: &str) -> String {
    format!("portal lead id {portal}:{portal_lead_id}")
}

/// The stored lead holding a portal key, if any.
async fn portal_holder(
    conn: &mut PgConnection,
    tenant: TenantId,
    portal: &str,
    portal_lead_id: &str,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM leads WHERE tenant_id = $1 AND portal = $2 AND portal_lead_id = $3",
    )
    .bind(tenant.as_uuid())
    .bind(portal)
    .bind(portal_lead_id)
    .fetch_optional(conn)
    .await
}

/// Why a new lead was not inserted: its id, or its portal key, is taken.
async fn why_not_inserted(
    conn: &mut PgConnection,
    tenant: TenantId,
    lead: &Lead,
    keys: &LeadKeys,
) -> Result<StoreError, sqlx::Error> {
    let id = lead.id.as_uuid();
    let taken: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM leads WHERE tenant_id = $1 AND id = $2)")
            .bind(tenant.as_uuid())
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    if taken {
        return Ok(StoreError::Duplicate {
            kind: KIND,
            existing: id,
            what: "id".to_owned(),
        });
    }
    if let (Some(p), Some(pl)) = (&keys.portal, &keys.portal_lead_id)
        && let Some(holder) = portal_holder(conn, tenant, p, pl).await?
    {
        return Ok(StoreError::Duplicate {
            kind: KIND,
            existing: holder,
            what: portal_what(p, pl),
        });
    }
    Ok(StoreError::Backend(format!(
        "lead {id} was neither inserted nor found: a concurrent change, try again"
    )))
}

/// An activity from its row.
fn activity(row: &PgRow) -> Result<Activity> {
    const K: RecordKind = RecordKind::Activity;
    Ok(Activity {
        id: ActivityId::from_uuid(col(K, row, "id")?),
        lead_id: LeadId::from_uuid(col(K, row, "lead_id")?),
        kind: from_name(K, col(K, row, "kind")?)?,
        at: col(K, row, "at")?,
        property_id: col::<Option<Uuid>>(K, row, "property_id")?.map(PropertyId::from_uuid),
        agent_id: col::<Option<Uuid>>(K, row, "agent_id")?.map(AgentId::from_uuid),
        note: col(K, row, "note")?,
    })
}

#[async_trait]
impl LeadStore for PgStore {
    #[tracing::instrument(skip_all, fields(tenant = %tenant, id = %lead.id))]
    async fn insert_lead(&self, tenant: TenantId, lead: &Lead) -> Result<Lead> {
        let (mut lead, keys) = prepare::prepare_lead(lead)?;
        lead.version = 1;
        let id = lead.id.as_uuid();
        let fail = on(KIND, id);
        let mut tx = self.begin(tenant).await.map_err(&fail)?;
        let sql = format!(
            "INSERT INTO leads (tenant_id, id, {LEAD_COLUMNS}, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1) ON CONFLICT DO NOTHING"
        );
        let query = sqlx::query(&sql).bind(tenant.as_uuid()).bind(id);
        let inserted = bind_lead(query, &lead, &keys)
            .execute(&mut *tx)
            .await
            .map_err(&fail)?
            .rows_affected();
        if inserted == 0 {
            let err = why_not_inserted(&mut tx, tenant, &lead, &keys)
                .await
                .map_err(&fail)?;
            let _ = tx.rollback().await;
            return Err(err);
        }
        tx.commit().await.map_err(&fail)?;
        Ok(lead)
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant, id = %id))]
    async fn get_lead(&self, tenant: TenantId, id: LeadId) -> Result<Option<Lead>> {
        self.doc_by_id(KIND, "crm_lead_doc", tenant, id.as_uuid())
            .await
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant, id = %lead.id))]
    async fn update_lead(&self, tenant: TenantId, lead: &Lead) -> Result<Lead> {
        let (mut lead, keys) = prepare::prepare_lead(lead)?;
        let expected = lead.version;
        lead.version = expected.saturating_add(1);
        let id = lead.id.as_uuid();
        let fail = on(KIND, id);
        let mut tx = self.begin(tenant).await.map_err(&fail)?;
        let query = sqlx::query(
            "UPDATE leads SET doc = $3, name_key = $4, email = $5, phone = $6, document = $7, \
             portal = $8, portal_lead_id = $9, stage = $10, assigned_agent = $11, \
             created_at = $12, version = version + 1 \
             WHERE tenant_id = $1 AND id = $2 AND version = $13",
        )
        .bind(tenant.as_uuid())
        .bind(id);
        let result = bind_lead(query, &lead, &keys)
            .bind(version_param(expected))
            .execute(&mut *tx)
            .await;
        let updated = match result {
            Ok(r) => r.rows_affected(),
            Err(e) if sqlstate(&e).as_deref() == Some(UNIQUE_VIOLATION) => {
                // Another lead holds the portal key: name it.
                let _ = tx.rollback().await;
                let (Some(p), Some(pl)) = (&keys.portal, &keys.portal_lead_id) else {
                    return Err(fail(e));
                };
                let mut tx = self.begin(tenant).await.map_err(&fail)?;
                let holder = portal_holder(&mut tx, tenant, p, pl).await.map_err(&fail)?;
                let _ = tx.rollback().await;
                return Err(StoreError::Duplicate {
                    kind: KIND,
                    existing: holder.unwrap_or(id),
                    what: portal_what(p, pl),
                });
            }
            Err(e) => return Err(fail(e)),
        };
        if updated == 0 {
            let err = stale(&mut tx, "leads", KIND, tenant, id, expected).await;
            let _ = tx.rollback().await;
            return Err(err);
        }
        tx.commit().await.map_err(&fail)?;
        Ok(lead)
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn find_leads(&self, tenant: TenantId, query: &LeadQuery) -> Result<Page<Lead>> {
        let f = LeadFilter::from_query(query)?;
        let mut qb = QueryBuilder::<Postgres>::new("SELECT doc FROM leads WHERE tenant_id = ");
        qb.push_bind(tenant.as_uuid());
        if let Some(stage) = &f.stage {
            qb.push(" AND stage = ").push_bind(stage.as_str());
        }
        if let Some(agent) = f.assigned_agent {
            qb.push(" AND assigned_agent = ").push_bind(agent);
        }
        if let Some(from) = f.created_from {
            qb.push(" AND created_at >= ").push_bind(from);
        }
        if let Some(to) = f.created_to {
            qb.push(" AND created_at < ").push_bind(to);
        }
        if let Some(email) = &f.email {
            qb.push(" AND email = ").push_bind(email.as_str());
        }
        if let Some(phone) = &f.phone {
            qb.push(" AND phone = ").push_bind(phone.as_str());
        }
        if let Some(document) = &f.document {
            qb.push(" AND document = ").push_bind(document.as_str());
        }
        if let Some(name) = &f.name {
            qb.push(" AND name_key LIKE ")
                .push_bind(prepare::contains_pattern(name))
                .push(" ESCAPE '\\'");
        }
        if let Some(after) = f.after {
            qb.push(" AND (created_at, id) > (")
                .push_bind(after.at)
                .push(", ")
                .push_bind(after.id)
                .push(")");
        }
        qb.push(" ORDER BY created_at, id LIMIT ")
            .push_bind(i64::from(f.limit) + 1);
        let fail = on(KIND, tenant.as_uuid());
        let mut tx = self.begin(tenant).await.map_err(&fail)?;
        let rows = qb.build().fetch_all(&mut *tx).await.map_err(&fail)?;
        tx.commit().await.map_err(&fail)?;
        let leads = rows
            .iter()
            .map(|r| doc::<Lead>(KIND, r))
            .collect::<Result<Vec<_>>>()?;
        Ok(prepare::finish_page(leads, f.limit, |l| {
            (l.created_at, l.id.as_uuid())
        }))
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant, portal = %portal))]
    async fn find_lead_by_portal(
        &self,
        tenant: TenantId,
        portal: &Portal,
        portal_lead_id: &str,
    ) -> Result<Option<Lead>> {
        let fail = on(KIND, tenant.as_uuid());
        let mut tx = self.begin(tenant).await.map_err(&fail)?;
        let row = sqlx::query(
            "SELECT doc FROM leads WHERE tenant_id = $1 AND portal = $2 AND portal_lead_id = $3",
        )
        .bind(tenant.as_uuid())
        .bind(portal.key())
        .bind(portal_lead_id.trim())
        .fetch_optional(&mut *tx)
        .await
        .map_err(&fail)?;
        tx.commit().await.map_err(&fail)?;
        row.map(|r| doc(KIND, &r)).transpose()
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant, leads = leads.len()))]
    async fn import_leads(&self, tenant: TenantId, leads: &[Lead]) -> Result<ImportReport> {
        super::import::import(self, tenant, leads).await
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant, id = %activity.id))]
    async fn add_activity(&self, tenant: TenantId, activity: &Activity) -> Result<Activity> {
        let activity = prepare::prepare_activity(activity)?;
        let id = activity.id.as_uuid();
        let fail = on(RecordKind::Activity, id);
        let kind = name_of(RecordKind::Activity, &activity.kind)?;
        let mut tx = self.begin(tenant).await.map_err(&fail)?;
        let inserted = sqlx::query(
            "INSERT INTO activities (tenant_id, id, lead_id, kind, at, property_id, agent_id, note) \
             SELECT $1, $2, $3, $4, $5, $6, $7, $8 \
             WHERE EXISTS (SELECT 1 FROM leads WHERE tenant_id = $1 AND id = $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(tenant.as_uuid())
        .bind(id)
        .bind(activity.lead_id.as_uuid())
        .bind(kind)
        .bind(activity.at)
        .bind(activity.property_id.map(|p| p.as_uuid()))
        .bind(activity.agent_id.map(|a| a.as_uuid()))
        .bind(activity.note.as_deref())
        .execute(&mut *tx)
        .await
        .map_err(&fail)?
        .rows_affected();
        if inserted == 0 {
            let lead: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM leads WHERE tenant_id = $1 AND id = $2)",
            )
            .bind(tenant.as_uuid())
            .bind(activity.lead_id.as_uuid())
            .fetch_one(&mut *tx)
            .await
            .map_err(&fail)?;
            let _ = tx.rollback().await;
            return Err(if lead {
                StoreError::Duplicate {
                    kind: RecordKind::Activity,
                    existing: id,
                    what: "id".to_owned(),
                }
            } else {
                StoreError::NotFound {
                    kind: KIND,
                    id: activity.lead_id.as_uuid(),
                }
            });
        }
        tx.commit().await.map_err(&fail)?;
        Ok(activity)
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant, lead = %lead_id))]
    async fn list_activities(&self, tenant: TenantId, lead_id: LeadId) -> Result<Vec<Activity>> {
        let fail = on(RecordKind::Activity, lead_id.as_uuid());
        let mut tx = self.begin(tenant).await.map_err(&fail)?;
        let rows = sqlx::query(
            "SELECT id, lead_id, kind, at, property_id, agent_id, note FROM activities \
             WHERE tenant_id = $1 AND lead_id = $2 ORDER BY at, id",
        )
        .bind(tenant.as_uuid())
        .bind(lead_id.as_uuid())
        .fetch_all(&mut *tx)
        .await
        .map_err(&fail)?;
        tx.commit().await.map_err(&fail)?;
        rows.iter().map(activity).collect()
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant, id = %id))]
    async fn erase_lead(&self, tenant: TenantId, id: LeadId, at: DateTime<Utc>) -> Result<Lead> {
        let uuid = id.as_uuid();
        let fail = on(KIND, uuid);
        let mut tx = self.begin(tenant).await.map_err(&fail)?;
        let row = sqlx::query("SELECT doc FROM leads WHERE tenant_id = $1 AND id = $2 FOR UPDATE")
            .bind(tenant.as_uuid())
            .bind(uuid)
            .fetch_optional(&mut *tx)
            .await
            .map_err(&fail)?;
        let Some(row) = row else {
            let _ = tx.rollback().await;
            return Err(StoreError::NotFound {
                kind: KIND,
                id: uuid,
            });
        };
        let stored: Lead = doc(KIND, &row)?;
        let mut erased = crate::privacy::anonymised_lead(&stored, at);
        erased.version = stored.version.saturating_add(1);
        let keys = LeadKeys::of(&erased);
        let query = sqlx::query(
            "UPDATE leads SET doc = $3, name_key = $4, email = $5, phone = $6, document = $7, \
             portal = $8, portal_lead_id = $9, stage = $10, assigned_agent = $11, \
             created_at = $12, version = version + 1 WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant.as_uuid())
        .bind(uuid);
        bind_lead(query, &erased, &keys)
            .execute(&mut *tx)
            .await
            .map_err(&fail)?;
        sqlx::query(
            "UPDATE activities SET note = NULL \
             WHERE tenant_id = $1 AND lead_id = $2 AND note IS NOT NULL",
        )
        .bind(tenant.as_uuid())
        .bind(uuid)
        .execute(&mut *tx)
        .await
        .map_err(&fail)?;
        sqlx::query(
            "UPDATE visits SET note = NULL, version = version + 1 \
             WHERE tenant_id = $1 AND lead_id = $2 AND note IS NOT NULL",
        )
        .bind(tenant.as_uuid())
        .bind(uuid)
        .execute(&mut *tx)
        .await
        .map_err(&fail)?;
        tx.commit().await.map_err(&fail)?;
        Ok(erased)
    }
}
