//! What every adapter does before writing and before querying, written once so that memory,
//! SQLite and PostgreSQL store the same bytes and answer the same queries: validate, normalise,
//! cut instants to microseconds, and derive the index keys (normalised e-mail, phone, document,
//! folded name, portal key).

use crate::error::{Result, StoreError};
use crate::query::{Cursor, LeadQuery, PageRequest};
use crate::records::{NewLedgerEntry, RecordKind};
use chrono::{DateTime, SubsecRound, Utc};
use crm_core::dedupe::name_key;
use crm_core::domain::{Activity, Agent, Deal, Lead, Property, Visit};
use crm_core::{Document, Email, ErrorCode, FieldError, Money, Phone, ValidationErrors};

/// An instant cut to whole microseconds (PostgreSQL's `timestamptz` precision).
pub fn micros(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

/// The columns a lead is found by.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LeadKeys {
    /// [`name_key`] of the contact's name: lower case, no accents, no particles.
    pub name_key: String,
    /// Normalised e-mail, lower-cased whole (mailboxes are matched case-insensitively in
    /// practice, though the stored record keeps the local part as given).
    pub email: Option<String>,
    /// Phone in E.164.
    pub phone: Option<String>,
    /// CPF or CNPJ, bare.
    pub document: Option<String>,
    /// The portal's key (`zap`, `olx`, …) when the lead came from a portal with its lead id.
    pub portal: Option<String>,
    /// The portal's own lead id.
    pub portal_lead_id: Option<String>,
}

impl LeadKeys {
    /// The keys of a lead already in normalised form (as stored).
    pub fn of(lead: &Lead) -> LeadKeys {
        let (portal, portal_lead_id) = match lead.source.portal_key() {
            Some((p, id)) => (Some(p.key().to_owned()), Some(id.to_owned())),
            None => (None, None),
        };
        LeadKeys {
            name_key: name_key(&lead.contact.name),
            email: lead.contact.email.as_deref().map(str::to_lowercase),
            phone: lead.contact.phone.clone(),
            document: lead.contact.document.clone(),
            portal,
            portal_lead_id,
        }
    }
}

/// A lead ready to store, with its keys: validated, normalised, instants in microseconds.
pub fn prepare_lead(lead: &Lead) -> Result<(Lead, LeadKeys)> {
    let mut lead = lead.normalized()?;
    lead.created_at = micros(lead.created_at);
    lead.updated_at = micros(lead.updated_at);
    for consent in &mut lead.consents {
        consent.granted_at = micros(consent.granted_at);
        consent.revoked_at = consent.revoked_at.map(micros);
    }
    let keys = LeadKeys::of(&lead);
    Ok((lead, keys))
}

/// Prepares every lead of a batch, reporting every invalid one with its position
/// (`[3].contact.email`); nothing is returned unless all are valid.
pub fn prepare_leads(leads: &[Lead]) -> Result<Vec<(Lead, LeadKeys)>> {
    let mut errors = ValidationErrors::default();
    let mut out = Vec::with_capacity(leads.len());
    for (i, lead) in leads.iter().enumerate() {
        match prepare_lead(lead) {
            Ok(p) => out.push(p),
            Err(StoreError::Validation(v)) => errors.extend_at(&format!("[{i}]"), v),
            Err(e) => return Err(e),
        }
    }
    errors.into_result()?;
    Ok(out)
}

/// An agent ready to store.
pub fn prepare_agent(agent: &Agent) -> Result<Agent> {
    let mut agent = agent.normalized()?;
    agent.created_at = micros(agent.created_at);
    agent.updated_at = micros(agent.updated_at);
    Ok(agent)
}

/// A property ready to store, with the folded city it is found by.
pub fn prepare_property(property: &Property) -> Result<(Property, String)> {
    let mut property = property.normalized()?;
    property.created_at = micros(property.created_at);
    property.updated_at = micros(property.updated_at);
    let city = city_key(&property.address.city);
    Ok((property, city))
}

/// A deal ready to store, with the agents taking part (for finding deals by agent).
pub fn prepare_deal(deal: &Deal) -> Result<(Deal, Vec<uuid::Uuid>)> {
    deal.validate()?;
    let mut deal = deal.clone();
    deal.created_at = micros(deal.created_at);
    deal.updated_at = micros(deal.updated_at);
    let mut agents: Vec<uuid::Uuid> = deal
        .participants
        .iter()
        .filter_map(|p| p.agent_id.map(|a| a.as_uuid()))
        .collect();
    agents.sort_unstable();
    agents.dedup();
    Ok((deal, agents))
}

/// A visit ready to store.
pub fn prepare_visit(visit: &Visit) -> Result<Visit> {
    visit.validate()?;
    let mut visit = visit.clone();
    visit.starts_at = micros(visit.starts_at);
    visit.ends_at = micros(visit.ends_at);
    Ok(visit)
}

/// An activity ready to store.
pub fn prepare_activity(activity: &Activity) -> Result<Activity> {
    activity.validate()?;
    let mut activity = activity.clone();
    activity.at = micros(activity.at);
    Ok(activity)
}

/// Checks that each ledger entry is balanced and in one currency; ids must be distinct within
/// the batch. Returns the entries with `recorded_at` in microseconds.
pub fn prepare_ledger(entries: &[NewLedgerEntry]) -> Result<Vec<NewLedgerEntry>> {
    let mut out = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        if entries[..i]
            .iter()
            .any(|prev| prev.id == e.id && prev.entry != e.entry)
        {
            return Err(StoreError::Duplicate {
                kind: RecordKind::LedgerEntry,
                existing: e.id,
                what: "id (twice in one batch with different entries)".to_owned(),
            });
        }
        let currency = e.entry.postings.first().map(|p| p.amount.currency());
        let mixed =
            currency.is_some_and(|c| e.entry.postings.iter().any(|p| p.amount.currency() != c));
        if e.entry.postings.is_empty() || mixed || !e.entry.is_balanced() {
            let message = if e.entry.postings.is_empty() {
                "it has no postings".to_owned()
            } else if mixed {
                "its postings mix currencies".to_owned()
            } else {
                let c = currency.unwrap_or(crm_core::Currency::BRL);
                let sum = Money::sum(c, e.entry.postings.iter().map(|p| p.amount))
                    .map_or_else(|err| err.to_string(), |m| m.to_string());
                format!("its postings sum to {sum}, not zero")
            };
            return Err(StoreError::LedgerUnbalanced { id: e.id, message });
        }
        let mut e = e.clone();
        e.recorded_at = micros(e.recorded_at);
        out.push(e);
    }
    Ok(out)
}

/// The folded form a city is found by (`São Paulo` → `sao paulo`).
pub fn city_key(city: &str) -> String {
    name_key(city)
}

/// A [`LeadQuery`] with its values normalised the way stored leads are, ready for an adapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadFilter {
    /// Stage.
    pub stage: Option<String>,
    /// Assigned agent.
    pub assigned_agent: Option<uuid::Uuid>,
    /// Created at or after.
    pub created_from: Option<DateTime<Utc>>,
    /// Created before.
    pub created_to: Option<DateTime<Utc>>,
    /// Normalised, lower-cased e-mail.
    pub email: Option<String>,
    /// E.164 phone.
    pub phone: Option<String>,
    /// Bare document.
    pub document: Option<String>,
    /// Folded name fragment to look for inside the stored name key.
    pub name: Option<String>,
    /// Rows to return.
    pub limit: u32,
    /// Start after.
    pub after: Option<Cursor>,
}

impl LeadFilter {
    /// Normalises and checks a query; every bad argument is reported with its field name.
    pub fn from_query(q: &LeadQuery) -> Result<LeadFilter> {
        let mut errors = ValidationErrors::default();
        let email = q.email.as_deref().and_then(|e| {
            errors
                .check("email", Email::parse(e))
                .map(|e| e.as_str().to_lowercase())
        });
        let phone = q.phone.as_deref().and_then(|p| {
            errors
                .check("phone", Phone::parse(p))
                .map(|p| p.as_str().to_owned())
        });
        let document = q.document.as_deref().and_then(|d| {
            errors
                .check("document", Document::parse(d))
                .map(|d| d.as_str().to_owned())
        });
        let name = match q.name.as_deref() {
            None => None,
            Some(n) => {
                let key = name_key(n);
                errors.ensure(
                    !key.is_empty(),
                    "name",
                    ErrorCode::Required,
                    "the name to search for has no word in it",
                );
                Some(key)
            }
        };
        let limit = errors.check("", q.page.size()).unwrap_or(1);
        if let (Some(from), Some(to)) = (q.created_from, q.created_to) {
            errors.ensure(
                from <= to,
                "created_to",
                ErrorCode::DateOrder,
                "`created_to` is before `created_from`",
            );
        }
        errors.into_result()?;
        Ok(LeadFilter {
            stage: q.stage.as_deref().map(|s| s.trim().to_owned()),
            assigned_agent: q.assigned_agent.map(|a| a.as_uuid()),
            created_from: q.created_from.map(micros),
            created_to: q.created_to.map(micros),
            email,
            phone,
            document,
            name,
            limit,
            after: q.page.after,
        })
    }
}

/// The checked page size of a request.
pub fn page_size(page: &PageRequest) -> Result<u32> {
    page.size().map_err(StoreError::from)
}

/// Checks a ledger page size (1..=1000).
pub fn ledger_limit(limit: u32) -> Result<u32> {
    PageRequest::first(limit).size().map_err(StoreError::from)
}

/// Escapes `%`, `_` and `\` for a SQL `LIKE … ESCAPE '\'` pattern and wraps it in `%…%`.
pub fn contains_pattern(fragment: &str) -> String {
    let mut out = String::with_capacity(fragment.len() + 2);
    out.push('%');
    for c in fragment.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// A counter or cursor key: 1 to 200 characters, no control characters.
pub fn check_key(key: &str) -> Result<()> {
    let ok = !key.is_empty() && key.len() <= 200 && !key.chars().any(char::is_control);
    if ok {
        Ok(())
    } else {
        Err(StoreError::invalid(
            FieldError::new(
                ErrorCode::TextTooLong,
                "a key is 1 to 200 characters without control characters",
            ),
            "key",
        ))
    }
}

/// Turns `limit + 1` fetched rows into a page: when the extra row is there, it is dropped and
/// the page's cursor names the last row kept; otherwise this is the last page. Adapters fetch
/// one row more than the page size so that a full last page does not promise a next one.
pub fn finish_page<T>(
    mut rows: Vec<T>,
    limit: u32,
    key: impl Fn(&T) -> (DateTime<Utc>, uuid::Uuid),
) -> crate::query::Page<T> {
    let limit = limit as usize;
    let next = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|r| {
            let (at, id) = key(r);
            Cursor::new(at, id)
        })
    } else {
        None
    };
    crate::query::Page { items: rows, next }
}
