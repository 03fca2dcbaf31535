//! Leads and their activities: a JSON document per lead with its search keys as columns, and
//! flat activity rows. LGPD erasure rewrites the lead and clears the notes in one transaction.

use super::{SqliteStore, codec, duplicate_id, error, import, missed_update, require};
use crate::error::{Result, StoreError};
use crate::prepare::{self, LeadFilter, LeadKeys};
use crate::query::{LeadQuery, Page};
use crate::records::{ImportReport, RecordKind};
use crate::traits::LeadStore;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use crm_core::domain::{Activity, ActivityId, Lead, LeadId, Portal, TenantId};
use sqlx::QueryBuilder;
use sqlx::sqlite::{Sqlite, SqliteConnection};
use uuid::Uuid;

const KIND: RecordKind = RecordKind::Lead;

/// The columns of a lead row, in [`LeadRow::COLUMNS`] order after the tenant.
pub(super) struct LeadRow {
    pub id: Uuid,
    pub doc: String,
    pub keys: LeadKeys,
    pub stage: String,
    pub assigned_agent: Option<Uuid>,
    pub created_at: i64,
    pub version: i64,
}

impl LeadRow {
    /// Every column of the `leads` table, in bind order.
    pub const COLUMNS: &'static str = "tenant_id, id, doc, name_key, email, phone, document, \
         portal, portal_lead_id, stage, assigned_agent, created_at, version";
    /// How many columns [`LeadRow::COLUMNS`] names.
    pub const COLUMN_COUNT: usize = 13;

    /// The row of a prepared lead (its version already set).
    pub fn new(lead: &Lead, keys: LeadKeys) -> Result<LeadRow> {
        Ok(LeadRow {
            id: lead.id.as_uuid(),
            doc: codec::to_json(KIND, lead)?,
            keys,
            stage: lead.stage.clone(),
            assigned_agent: lead.assigned_agent.map(|a| a.as_uuid()),
            created_at: codec::micros(lead.created_at),
            version: codec::version(lead.version),
        })
    }

    /// Binds the row after its tenant, in [`LeadRow::COLUMNS`] order.
    pub fn push(self, tenant: Uuid, mut b: sqlx::query_builder::Separated<'_, '_, Sqlite, &str>) {
        b.push_bind(tenant)
            .push_bind(self.id)
            .push_bind(self.doc)
            .push_bind(self.keys.name_key)
            .push_bind(self.keys.email)
            .push_bind(self.keys.phone)
            .push_bind(self.keys.document)
            .push_bind(self.keys.portal)
            .push_bind(self.keys.portal_lead_id)
            .push_bind(self.stage)
            .push_bind(self.assigned_agent)
            .push_bind(self.created_at)
            .push_bind(self.version);
    }
}

/// A lead back from its document and version column.
pub(super) fn decode((doc, version): (String, i64)) -> Result<Lead> {
    let mut lead: Lead = codec::from_json(KIND, &doc)?;
    lead.version = codec::stored_version(KIND, version)?;
    Ok(lead)
}

/// The stored lead holding this portal lead id, if any.
pub(super) async fn portal_owner(
    conn: &mut SqliteConnection,
    tenant: Uuid,
    portal: &str,
    portal_lead_id: &str,
) -> Result<Option<Uuid>> {
    sqlx::query_scalar(
        "SELECT id FROM leads WHERE tenant_id = ? AND portal_lead_id = ? AND portal = ?",
    )
    .bind(tenant)
    .bind(portal_lead_id)
    .bind(portal)
    .fetch_optional(conn)
    .await
    .map_err(error::db(KIND))
}

/// The `store.duplicate` for a lead whose portal lead id another lead holds (`None` when no
/// other lead holds it).
async fn portal_taken(
    conn: &mut SqliteConnection,
    tenant: Uuid,
    id: Uuid,
    keys: &LeadKeys,
) -> Result<Option<StoreError>> {
    let (Some(portal), Some(pid)) = (&keys.portal, &keys.portal_lead_id) else {
        return Ok(None);
    };
    Ok(portal_owner(conn, tenant, portal, pid)
        .await?
        .filter(|other| *other != id)
        .map(|other| StoreError::Duplicate {
            kind: KIND,
            existing: other,
            what: format!("portal lead id {portal}:{pid}"),
        }))
}

/// Rewrites a lead row if its stored version is `expected`; the number of rows changed.
async fn write_lead(
    conn: &mut SqliteConnection,
    tenant: Uuid,
    row: LeadRow,
    expected: u64,
) -> std::result::Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE leads SET doc = ?, name_key = ?, email = ?, phone = ?, document = ?, portal = ?, \
         portal_lead_id = ?, stage = ?, assigned_agent = ?, created_at = ?, version = version + 1 \
         WHERE tenant_id = ? AND id = ? AND version = ?",
    )
    .bind(row.doc)
    .bind(row.keys.name_key)
    .bind(row.keys.email)
    .bind(row.keys.phone)
    .bind(row.keys.document)
    .bind(row.keys.portal)
    .bind(row.keys.portal_lead_id)
    .bind(row.stage)
    .bind(row.assigned_agent)
    .bind(row.created_at)
    .bind(tenant)
    .bind(row.id)
    .bind(codec::version(expected))
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

type ActivityRow = (
    Uuid,
    Uuid,
    String,
    i64,
    Option<Uuid>,
    Option<Uuid>,
    Option<String>,
);

fn decode_activity(
    (id, lead_id, kind, at, property_id, agent_id, note): ActivityRow,
) -> Result<Activity> {
    let k = RecordKind::Activity;
    Ok(Activity {
        id: ActivityId::from_uuid(id),
        lead_id: LeadId::from_uuid(lead_id),
        kind: codec::from_enum_name(k, &kind)?,
        at: codec::instant(k, at)?,
        property_id: property_id.map(Into::into),
        agent_id: agent_id.map(Into::into),
        note,
    })
}

#[async_trait]
impl LeadStore for SqliteStore {
    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn insert_lead(&self, tenant: TenantId, lead: &Lead) -> Result<Lead> {
        let (mut lead, keys) = prepare::prepare_lead(lead)?;
        lead.version = 1;
        let row = LeadRow::new(&lead, keys.clone())?;
        let tenant = tenant.as_uuid();
        let mut conn = self.conn(KIND).await?;
        let mut qb =
            QueryBuilder::<Sqlite>::new(format!("INSERT INTO leads ({}) ", LeadRow::COLUMNS));
        qb.push_values(std::iter::once(row), |b, row| row.push(tenant, b));
        match qb.build().execute(&mut *conn).await {
            Ok(_) => Ok(lead),
            Err(e) if error::is_unique(&e) => {
                let id = lead.id.as_uuid();
                if super::exists(&mut conn, "leads", KIND, tenant, id).await? {
                    return Err(duplicate_id(KIND, id));
                }
                match portal_taken(&mut conn, tenant, id, &keys).await? {
                    Some(dup) => Err(dup),
                    None => Err(error::map(KIND, e)),
                }
            }
            Err(e) => Err(error::map(KIND, e)),
        }
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn get_lead(&self, tenant: TenantId, id: LeadId) -> Result<Option<Lead>> {
        let row: Option<(String, i64)> =
            sqlx::query_as("SELECT doc, version FROM leads WHERE tenant_id = ? AND id = ?")
                .bind(tenant.as_uuid())
                .bind(id.as_uuid())
                .fetch_optional(&self.pool)
                .await
                .map_err(error::db(KIND))?;
        row.map(decode).transpose()
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn update_lead(&self, tenant: TenantId, lead: &Lead) -> Result<Lead> {
        let (mut lead, keys) = prepare::prepare_lead(lead)?;
        let expected = lead.version;
        lead.version = expected.saturating_add(1);
        let row = LeadRow::new(&lead, keys.clone())?;
        let (tenant, id) = (tenant.as_uuid(), lead.id.as_uuid());
        let mut conn = self.conn(KIND).await?;
        match write_lead(&mut conn, tenant, row, expected).await {
            Ok(0) => Err(missed_update(&mut conn, "leads", KIND, tenant, id, expected).await),
            Ok(_) => Ok(lead),
            Err(e) if error::is_unique(&e) => {
                match portal_taken(&mut conn, tenant, id, &keys).await? {
                    Some(dup) => Err(dup),
                    None => Err(error::map(KIND, e)),
                }
            }
            Err(e) => Err(error::map(KIND, e)),
        }
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn find_leads(&self, tenant: TenantId, query: &LeadQuery) -> Result<Page<Lead>> {
        let f = LeadFilter::from_query(query)?;
        let mut qb =
            QueryBuilder::<Sqlite>::new("SELECT doc, version FROM leads WHERE tenant_id = ");
        qb.push_bind(tenant.as_uuid());
        if let Some(stage) = f.stage {
            qb.push(" AND stage = ").push_bind(stage);
        }
        if let Some(agent) = f.assigned_agent {
            qb.push(" AND assigned_agent = ").push_bind(agent);
        }
        if let Some(from) = f.created_from {
            qb.push(" AND created_at >= ")
                .push_bind(codec::micros(from));
        }
        if let Some(to) = f.created_to {
            qb.push(" AND created_at < ").push_bind(codec::micros(to));
        }
        if let Some(email) = f.email {
            qb.push(" AND email = ").push_bind(email);
        }
        if let Some(phone) = f.phone {
            qb.push(" AND phone = ").push_bind(phone);
        }
        if let Some(document) = f.document {
            qb.push(" AND document = ").push_bind(document);
        }
        if let Some(name) = f.name {
            qb.push(" AND name_key LIKE ")
                .push_bind(prepare::contains_pattern(&name))
                .push(" ESCAPE '\\'");
        }
        if let Some(after) = f.after {
            qb.push(" AND (created_at, id) > (")
                .push_bind(codec::micros(after.at))
                .push(", ")
                .push_bind(after.id)
                .push(")");
        }
        qb.push(" ORDER BY created_at, id LIMIT ")
            .push_bind(i64::from(f.limit) + 1);
        let rows: Vec<(String, i64)> = qb
            .build_query_as()
            .fetch_all(&self.pool)
            .await
            .map_err(error::db(KIND))?;
        let leads = rows.into_iter().map(decode).collect::<Result<Vec<_>>>()?;
        Ok(prepare::finish_page(leads, f.limit, |l| {
            (l.created_at, l.id.as_uuid())
        }))
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn find_lead_by_portal(
        &self,
        tenant: TenantId,
        portal: &Portal,
        portal_lead_id: &str,
    ) -> Result<Option<Lead>> {
        let row: Option<(String, i64)> = sqlx::query_as(
            "SELECT doc, version FROM leads WHERE tenant_id = ? AND portal_lead_id = ? AND portal = ?",
        )
        .bind(tenant.as_uuid())
        .bind(portal_lead_id.trim())
        .bind(portal.key())
        .fetch_optional(&self.pool)
        .await
        .map_err(error::db(KIND))?;
        row.map(decode).transpose()
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant, leads = leads.len()))]
    async fn import_leads(&self, tenant: TenantId, leads: &[Lead]) -> Result<ImportReport> {
        import::import_leads(self, tenant.as_uuid(), leads).await
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn add_activity(&self, tenant: TenantId, activity: &Activity) -> Result<Activity> {
        let activity = prepare::prepare_activity(activity)?;
        let k = RecordKind::Activity;
        let tenant = tenant.as_uuid();
        let mut conn = self.conn(k).await?;
        let inserted = sqlx::query(
            "INSERT INTO activities (tenant_id, id, lead_id, kind, at, property_id, agent_id, note) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(tenant)
        .bind(activity.id.as_uuid())
        .bind(activity.lead_id.as_uuid())
        .bind(codec::enum_name(k, &activity.kind)?)
        .bind(codec::micros(activity.at))
        .bind(activity.property_id.map(|p| p.as_uuid()))
        .bind(activity.agent_id.map(|a| a.as_uuid()))
        .bind(activity.note.clone())
        .execute(&mut *conn)
        .await;
        match inserted {
            Ok(_) => Ok(activity),
            Err(e) if error::is_unique(&e) || error::is_foreign_key(&e) => {
                // As the other stores check: the lead first, then the id.
                require(&mut conn, "leads", KIND, tenant, activity.lead_id.as_uuid()).await?;
                if error::is_unique(&e) {
                    Err(duplicate_id(k, activity.id.as_uuid()))
                } else {
                    Err(error::map(k, e))
                }
            }
            Err(e) => Err(error::map(k, e)),
        }
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn list_activities(&self, tenant: TenantId, lead_id: LeadId) -> Result<Vec<Activity>> {
        let rows: Vec<ActivityRow> = sqlx::query_as(
            "SELECT id, lead_id, kind, at, property_id, agent_id, note FROM activities \
             WHERE tenant_id = ? AND lead_id = ? ORDER BY at, id",
        )
        .bind(tenant.as_uuid())
        .bind(lead_id.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(error::db(RecordKind::Activity))?;
        rows.into_iter().map(decode_activity).collect()
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    async fn erase_lead(&self, tenant: TenantId, id: LeadId, at: DateTime<Utc>) -> Result<Lead> {
        let tenant = tenant.as_uuid();
        let mut tx = self.write(KIND).await?;
        let row: Option<(String, i64)> =
            sqlx::query_as("SELECT doc, version FROM leads WHERE tenant_id = ? AND id = ?")
                .bind(tenant)
                .bind(id.as_uuid())
                .fetch_optional(&mut *tx)
                .await
                .map_err(error::db(KIND))?;
        let stored = row.map(decode).transpose()?.ok_or(StoreError::NotFound {
            kind: KIND,
            id: id.as_uuid(),
        })?;
        let mut erased = crate::privacy::anonymised_lead(&stored, at);
        erased.version = stored.version.saturating_add(1);
        let row = LeadRow::new(&erased, LeadKeys::of(&erased))?;
        write_lead(&mut tx, tenant, row, stored.version)
            .await
            .map_err(error::db(KIND))?;
        sqlx::query("UPDATE activities SET note = NULL WHERE tenant_id = ? AND lead_id = ? AND note IS NOT NULL")
            .bind(tenant)
            .bind(id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(error::db(RecordKind::Activity))?;
        sqlx::query(
            "UPDATE visits SET note = NULL, version = version + 1 \
             WHERE tenant_id = ? AND lead_id = ? AND note IS NOT NULL",
        )
        .bind(tenant)
        .bind(id.as_uuid())
        .execute(&mut *tx)
        .await
        .map_err(error::db(RecordKind::Visit))?;
        tx.commit().await.map_err(error::db(KIND))?;
        Ok(erased)
    }
}
