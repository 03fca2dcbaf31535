//! One tenant's data in the memory store, and the checks every write makes on it.

use crate::error::{Result, StoreError};
use crate::prepare::{LeadFilter, LeadKeys};
use crate::records::{NewLedgerEntry, RecordKind, StoredLedgerEntry, Versioned};
use crm_core::domain::{Activity, Agent, AgentId, Deal, Lead, LeadId, Property, PropertyId, Visit};
use crm_core::workflow::routing::RoutingState;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

#[derive(Debug, Default)]
pub(super) struct TenantData {
    pub agents: BTreeMap<Uuid, Agent>,
    pub leads: HashMap<LeadId, (Lead, LeadKeys)>,
    pub portal_index: HashMap<(String, String), LeadId>,
    pub activities: BTreeMap<Uuid, Activity>,
    pub properties: BTreeMap<Uuid, (Property, String)>,
    pub deals: BTreeMap<Uuid, Deal>,
    pub visits: BTreeMap<Uuid, Visit>,
    pub ledger: Vec<StoredLedgerEntry>,
    pub audit: Vec<crate::records::AuditEvent>,
    pub cursors: HashMap<String, u64>,
    pub counters: HashMap<String, i64>,
    pub routing: Versioned<RoutingState>,
}

fn portal_key(keys: &LeadKeys) -> Option<(String, String)> {
    match (&keys.portal, &keys.portal_lead_id) {
        (Some(p), Some(id)) => Some((p.clone(), id.clone())),
        _ => None,
    }
}

impl TenantData {
    /// Stores a lead (already checked), keeping the portal index in step.
    pub fn put_lead(&mut self, lead: Lead, keys: LeadKeys) {
        if let Some((_, old)) = self.leads.get(&lead.id)
            && let Some(k) = portal_key(old)
        {
            self.portal_index.remove(&k);
        }
        if let Some(k) = portal_key(&keys) {
            self.portal_index.insert(k, lead.id);
        }
        self.leads.insert(lead.id, (lead, keys));
    }

    /// The stored lead a new one would repeat: same id, or same portal lead id.
    pub fn existing_lead_for(&self, lead: &Lead, keys: &LeadKeys) -> Option<LeadId> {
        if self.leads.contains_key(&lead.id) {
            return Some(lead.id);
        }
        portal_key(keys).and_then(|k| self.portal_index.get(&k).copied())
    }

    pub fn check_new_lead(&self, lead: &Lead, keys: &LeadKeys) -> Result<()> {
        if self.leads.contains_key(&lead.id) {
            return Err(StoreError::Duplicate {
                kind: RecordKind::Lead,
                existing: lead.id.as_uuid(),
                what: "id".to_owned(),
            });
        }
        self.check_portal_free(lead.id, keys)
    }

    /// Fails when another lead holds this lead's portal key.
    pub fn check_portal_free(&self, id: LeadId, keys: &LeadKeys) -> Result<()> {
        if let Some(k) = portal_key(keys)
            && let Some(other) = self.portal_index.get(&k).filter(|other| **other != id)
        {
            return Err(StoreError::Duplicate {
                kind: RecordKind::Lead,
                existing: other.as_uuid(),
                what: format!("portal lead id {}:{}", k.0, k.1),
            });
        }
        Ok(())
    }

    pub fn require_lead(&self, id: LeadId) -> Result<()> {
        if self.leads.contains_key(&id) {
            Ok(())
        } else {
            Err(StoreError::NotFound {
                kind: RecordKind::Lead,
                id: id.as_uuid(),
            })
        }
    }

    pub fn require_property(&self, id: PropertyId) -> Result<()> {
        if self.properties.contains_key(&id.as_uuid()) {
            Ok(())
        } else {
            Err(StoreError::NotFound {
                kind: RecordKind::Property,
                id: id.as_uuid(),
            })
        }
    }

    pub fn require_agent(&self, id: AgentId) -> Result<()> {
        if self.agents.contains_key(&id.as_uuid()) {
            Ok(())
        } else {
            Err(StoreError::NotFound {
                kind: RecordKind::Agent,
                id: id.as_uuid(),
            })
        }
    }

    pub fn append_ledger(
        &mut self,
        entries: Vec<NewLedgerEntry>,
    ) -> Result<Vec<StoredLedgerEntry>> {
        // Check everything first: all or none.
        for e in &entries {
            if let Some(stored) = self.ledger.iter().find(|s| s.id == e.id)
                && stored.entry != e.entry
            {
                return Err(StoreError::Duplicate {
                    kind: RecordKind::LedgerEntry,
                    existing: e.id,
                    what: "id (with a different entry)".to_owned(),
                });
            }
        }
        let mut out = Vec::with_capacity(entries.len());
        for e in entries {
            if let Some(stored) = self.ledger.iter().find(|s| s.id == e.id) {
                out.push(stored.clone());
                continue;
            }
            let seq = self.ledger.last().map_or(1, |s| s.seq + 1);
            let stored = StoredLedgerEntry {
                id: e.id,
                seq,
                recorded_at: e.recorded_at,
                entry: e.entry,
            };
            self.ledger.push(stored.clone());
            out.push(stored);
        }
        Ok(out)
    }
}

/// Whether a stored lead matches a normalised query.
pub(super) fn lead_matches(lead: &Lead, keys: &LeadKeys, f: &LeadFilter) -> bool {
    f.stage.as_ref().is_none_or(|s| &lead.stage == s)
        && f.assigned_agent
            .is_none_or(|a| lead.assigned_agent.map(|x| x.as_uuid()) == Some(a))
        && f.created_from.is_none_or(|from| lead.created_at >= from)
        && f.created_to.is_none_or(|to| lead.created_at < to)
        && f.email
            .as_ref()
            .is_none_or(|e| keys.email.as_ref() == Some(e))
        && f.phone
            .as_ref()
            .is_none_or(|p| keys.phone.as_ref() == Some(p))
        && f.document
            .as_ref()
            .is_none_or(|d| keys.document.as_ref() == Some(d))
        && f.name
            .as_ref()
            .is_none_or(|n| keys.name_key.contains(n.as_str()))
}
