//! LGPD operations on any [`Store`]: export everything held about a data subject, erase them by
//! anonymising their personal data, and record or revoke consent. The ledger's amounts and the
//! audit trail are kept (they hold no personal data, and a brokerage must keep its books);
//! deals keep their parties, as contracts the law requires the agency to retain (LGPD art. 16,
//! I). Each erasure and consent change is written to the audit log.

use crate::error::{Result, StoreError};
use crate::query::{AuditQuery, DealQuery, LeadQuery, PageRequest, VisitQuery};
use crate::records::{AuditEvent, RecordKind, StoredLedgerEntry};
use crate::traits::Store;
use chrono::{DateTime, Utc};
use crm_core::domain::{Activity, Consent, ConsentPurpose, Deal, Lead, LeadId, TenantId, Visit};
use serde::{Deserialize, Serialize};

/// The name an erased lead keeps (Portuguese, as the CRM's users read it).
pub const ERASED_NAME: &str = "Titular removido (LGPD)";

/// How a data subject is found: by any of the identifiers they gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", content = "value", rename_all = "snake_case")]
pub enum SubjectKey {
    /// CPF (or CNPJ), in any usual form.
    Document(String),
    /// E-mail address.
    Email(String),
    /// Phone number.
    Phone(String),
}

impl SubjectKey {
    fn query(&self) -> LeadQuery {
        let mut q = LeadQuery::default();
        match self {
            SubjectKey::Document(d) => q.document = Some(d.clone()),
            SubjectKey::Email(e) => q.email = Some(e.clone()),
            SubjectKey::Phone(p) => q.phone = Some(p.clone()),
        }
        q.page = PageRequest::first(crate::query::MAX_PAGE_SIZE);
        q
    }
}

/// Everything held about a data subject, as one JSON-ready document (LGPD art. 18, II).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubjectExport {
    /// How they were found.
    pub subject: SubjectKey,
    /// When the export was made.
    pub exported_at: DateTime<Utc>,
    /// Their leads, with contact data, interests and consents.
    pub leads: Vec<Lead>,
    /// The activities of those leads.
    pub activities: Vec<Activity>,
    /// Their visits.
    pub visits: Vec<Visit>,
    /// Deals in which they are the buyer or tenant.
    pub deals: Vec<Deal>,
    /// Ledger entries of those deals.
    pub ledger: Vec<StoredLedgerEntry>,
    /// What was done to their records, and by whom.
    pub audit: Vec<AuditEvent>,
}

/// What an erasure changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureReport {
    /// The leads anonymised.
    pub leads: Vec<LeadId>,
}

/// A lead with the subject's personal data removed: the name replaced by [`ERASED_NAME`],
/// e-mail, phone and document dropped, wanted neighbourhoods and marketing opt-in cleared,
/// consents kept as evidence without their channel. What the business needs to keep its numbers
/// (source, stage, budget, dates, owner) stays.
///
/// ```
/// use crm_core::domain::{Contact, Lead, LeadId};
/// let lead = Lead::new(LeadId::from_uuid(uuid::Uuid::from_u128(1)), Contact::new("Ana").with_email("ana@x.com.br"), chrono::Utc::now());
/// let erased = crm_store::privacy::anonymised_lead(&lead, chrono::Utc::now());
/// assert_eq!(erased.contact.name, crm_store::privacy::ERASED_NAME);
/// assert!(erased.contact.email.is_none());
/// ```
pub fn anonymised_lead(lead: &Lead, at: DateTime<Utc>) -> Lead {
    let mut erased = lead.clone();
    erased.contact.name = ERASED_NAME.to_owned();
    erased.contact.email = None;
    erased.contact.phone = None;
    erased.contact.document = None;
    erased.wanted_neighbourhoods.clear();
    erased.marketing_opt_in = false;
    for consent in &mut erased.consents {
        consent.channel = None;
        if consent.revoked_at.is_none() {
            consent.revoked_at = Some(crate::prepare::micros(at.max(consent.granted_at)));
        }
    }
    erased.updated_at = crate::prepare::micros(at.max(lead.updated_at));
    erased
}

/// LGPD operations, available on every [`Store`] (including `dyn Store`).
#[async_trait::async_trait]
pub trait Privacy {
    /// Every record held about the subject, as one document.
    async fn export_subject(
        &self,
        tenant: TenantId,
        subject: &SubjectKey,
        now: DateTime<Utc>,
    ) -> Result<SubjectExport>;

    /// Anonymises every lead of the subject (with their activities' and visits' notes), and
    /// writes one `lgpd.erase` audit event per lead. Running it again finds nothing more to do.
    async fn erase_subject(
        &self,
        tenant: TenantId,
        subject: &SubjectKey,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<ErasureReport>;

    /// Adds a consent to a lead (retrying on a concurrent update) and audits it.
    async fn record_consent(
        &self,
        tenant: TenantId,
        lead_id: LeadId,
        consent: Consent,
        actor: &str,
    ) -> Result<Lead>;

    /// Revokes the lead's active consents for `purpose` at `at` (switching marketing off when
    /// the purpose is marketing) and audits it.
    async fn revoke_consent(
        &self,
        tenant: TenantId,
        lead_id: LeadId,
        purpose: ConsentPurpose,
        actor: &str,
        at: DateTime<Utc>,
    ) -> Result<Lead>;
}

/// How often a consent change is retried when another writer updates the lead meanwhile.
const CONSENT_RETRIES: usize = 5;

async fn subject_leads<S: Store + ?Sized>(
    store: &S,
    tenant: TenantId,
    subject: &SubjectKey,
) -> Result<Vec<Lead>> {
    let mut query = subject.query();
    let mut leads = Vec::new();
    loop {
        let page = store.find_leads(tenant, &query).await?;
        leads.extend(page.items);
        match page.next {
            Some(next) => query.page.after = Some(next),
            None => return Ok(leads),
        }
    }
}

fn audit_event(
    actor: &str,
    action: &str,
    lead: LeadId,
    at: DateTime<Utc>,
    detail: serde_json::Value,
) -> AuditEvent {
    AuditEvent {
        id: uuid::Uuid::now_v7(),
        at: crate::prepare::micros(at),
        actor: actor.to_owned(),
        action: action.to_owned(),
        record_kind: RecordKind::Lead,
        record_id: lead.as_uuid(),
        detail,
    }
}

#[async_trait::async_trait]
impl<S: Store + ?Sized> Privacy for S {
    async fn export_subject(
        &self,
        tenant: TenantId,
        subject: &SubjectKey,
        now: DateTime<Utc>,
    ) -> Result<SubjectExport> {
        let leads = subject_leads(self, tenant, subject).await?;
        let mut export = SubjectExport {
            subject: subject.clone(),
            exported_at: crate::prepare::micros(now),
            leads: Vec::new(),
            activities: Vec::new(),
            visits: Vec::new(),
            deals: Vec::new(),
            ledger: Vec::new(),
            audit: Vec::new(),
        };
        for lead in &leads {
            export
                .activities
                .extend(self.list_activities(tenant, lead.id).await?);
            let mut vq = VisitQuery {
                lead_id: Some(lead.id),
                ..Default::default()
            };
            vq.page = PageRequest::first(crate::query::MAX_PAGE_SIZE);
            loop {
                let page = self.find_visits(tenant, &vq).await?;
                export.visits.extend(page.items);
                match page.next {
                    Some(n) => vq.page.after = Some(n),
                    None => break,
                }
            }
            let mut dq = DealQuery {
                lead_id: Some(lead.id),
                ..Default::default()
            };
            dq.page = PageRequest::first(crate::query::MAX_PAGE_SIZE);
            loop {
                let page = self.find_deals(tenant, &dq).await?;
                for deal in &page.items {
                    export
                        .ledger
                        .extend(self.ledger_for_deal(tenant, deal.id).await?);
                }
                export.deals.extend(page.items);
                match page.next {
                    Some(n) => dq.page.after = Some(n),
                    None => break,
                }
            }
            let mut aq = AuditQuery {
                record_id: Some(lead.id.as_uuid()),
                ..Default::default()
            };
            aq.page = PageRequest::first(crate::query::MAX_PAGE_SIZE);
            loop {
                let page = self.find_audit(tenant, &aq).await?;
                export.audit.extend(page.items);
                match page.next {
                    Some(n) => aq.page.after = Some(n),
                    None => break,
                }
            }
        }
        export.leads = leads;
        Ok(export)
    }

    async fn erase_subject(
        &self,
        tenant: TenantId,
        subject: &SubjectKey,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<ErasureReport> {
        let leads = subject_leads(self, tenant, subject).await?;
        let mut report = ErasureReport::default();
        for lead in leads {
            self.erase_lead(tenant, lead.id, now).await?;
            let by = match subject {
                SubjectKey::Document(_) => "document",
                SubjectKey::Email(_) => "email",
                SubjectKey::Phone(_) => "phone",
            };
            let event = audit_event(
                actor,
                "lgpd.erase",
                lead.id,
                now,
                serde_json::json!({ "found_by": by }),
            );
            self.append_audit(tenant, &event).await?;
            report.leads.push(lead.id);
        }
        Ok(report)
    }

    async fn record_consent(
        &self,
        tenant: TenantId,
        lead_id: LeadId,
        consent: Consent,
        actor: &str,
    ) -> Result<Lead> {
        for _ in 0..CONSENT_RETRIES {
            let mut lead = self
                .get_lead(tenant, lead_id)
                .await?
                .ok_or(StoreError::NotFound {
                    kind: RecordKind::Lead,
                    id: lead_id.as_uuid(),
                })?;
            lead.consents.push(consent.clone());
            lead.updated_at = lead.updated_at.max(consent.granted_at);
            match self.update_lead(tenant, &lead).await {
                Ok(stored) => {
                    let detail = serde_json::json!({ "purpose": consent.purpose, "text_version": consent.text_version });
                    let event =
                        audit_event(actor, "consent.record", lead_id, consent.granted_at, detail);
                    self.append_audit(tenant, &event).await?;
                    return Ok(stored);
                }
                Err(StoreError::Conflict { .. }) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(StoreError::Conflict {
            kind: RecordKind::Lead,
            id: lead_id.as_uuid(),
            expected: 0,
            actual: None,
        })
    }

    async fn revoke_consent(
        &self,
        tenant: TenantId,
        lead_id: LeadId,
        purpose: ConsentPurpose,
        actor: &str,
        at: DateTime<Utc>,
    ) -> Result<Lead> {
        for _ in 0..CONSENT_RETRIES {
            let mut lead = self
                .get_lead(tenant, lead_id)
                .await?
                .ok_or(StoreError::NotFound {
                    kind: RecordKind::Lead,
                    id: lead_id.as_uuid(),
                })?;
            let mut revoked = 0usize;
            for consent in &mut lead.consents {
                if consent.purpose == purpose && consent.revoked_at.is_none() {
                    consent.revoked_at = Some(at.max(consent.granted_at));
                    revoked += 1;
                }
            }
            if purpose == ConsentPurpose::Marketing {
                lead.marketing_opt_in = false;
            }
            lead.updated_at = lead.updated_at.max(at);
            match self.update_lead(tenant, &lead).await {
                Ok(stored) => {
                    let detail = serde_json::json!({ "purpose": purpose, "revoked": revoked });
                    let event = audit_event(actor, "consent.revoke", lead_id, at, detail);
                    self.append_audit(tenant, &event).await?;
                    return Ok(stored);
                }
                Err(StoreError::Conflict { .. }) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(StoreError::Conflict {
            kind: RecordKind::Lead,
            id: lead_id.as_uuid(),
            expected: 0,
            actual: None,
        })
    }
}
