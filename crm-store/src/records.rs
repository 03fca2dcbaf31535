//! What the store keeps beside the core's records: ledger entries as stored, audit events,
//! import reports and the kinds of record the errors name.

use chrono::{DateTime, Utc};
use crm_core::commission::LedgerEntry;
use crm_core::domain::LeadId;
use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

/// The kinds of record the store holds (named in errors and audit events).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RecordKind {
    /// A broker.
    Agent,
    /// A lead.
    Lead,
    /// A lead's activity.
    Activity,
    /// A property.
    Property,
    /// A deal.
    Deal,
    /// A visit.
    Visit,
    /// A commission ledger entry.
    LedgerEntry,
    /// An audit event.
    AuditEvent,
    /// A tenant's routing state.
    RoutingState,
}

impl RecordKind {
    /// The snake_case name (`ledger_entry`).
    pub const fn as_str(self) -> &'static str {
        match self {
            RecordKind::Agent => "agent",
            RecordKind::Lead => "lead",
            RecordKind::Activity => "activity",
            RecordKind::Property => "property",
            RecordKind::Deal => "deal",
            RecordKind::Visit => "visit",
            RecordKind::LedgerEntry => "ledger_entry",
            RecordKind::AuditEvent => "audit_event",
            RecordKind::RoutingState => "routing_state",
        }
    }

    /// Parses [`RecordKind::as_str`]'s names.
    pub fn parse(name: &str) -> Option<RecordKind> {
        [
            RecordKind::Agent,
            RecordKind::Lead,
            RecordKind::Activity,
            RecordKind::Property,
            RecordKind::Deal,
            RecordKind::Visit,
            RecordKind::LedgerEntry,
            RecordKind::AuditEvent,
            RecordKind::RoutingState,
        ]
        .into_iter()
        .find(|k| k.as_str() == name)
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A ledger entry to append. The `id` is the caller's idempotency key: appending the same id
/// with the same entry again is a no-op that returns the stored entry, so a retry after a
/// timeout never books a commission twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewLedgerEntry {
    /// Idempotency key and id.
    pub id: Uuid,
    /// When it was booked.
    pub recorded_at: DateTime<Utc>,
    /// The balanced entry.
    pub entry: LedgerEntry,
}

/// A ledger entry as stored: with its place in the tenant's ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredLedgerEntry {
    /// The entry's id.
    pub id: Uuid,
    /// Position in the tenant's ledger, increasing in append order (gaps are allowed).
    pub seq: u64,
    /// When it was booked.
    pub recorded_at: DateTime<Utc>,
    /// The entry.
    pub entry: LedgerEntry,
}

/// One line of the audit log: who did what to which record, when. `detail` must hold no
/// personal data (field names, stage names, counts — not names or e-mails), since the log
/// outlives an erasure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// The event's id (UUID v7 sorts by time).
    pub id: Uuid,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Who did it: a user, an agent id, `system`, `portal:zap`.
    pub actor: String,
    /// What was done, dotted: `lead.update`, `lgpd.erase`, `consent.revoke`.
    pub action: String,
    /// The kind of record it was done to.
    pub record_kind: RecordKind,
    /// The record's id.
    pub record_id: Uuid,
    /// Free structured detail, without personal data.
    #[serde(default)]
    pub detail: serde_json::Value,
}

/// What a bulk lead import did, position by position.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// For each input position, the stored lead's id: the new one, or the existing lead that
    /// already had this id or this portal lead id.
    pub ids: Vec<LeadId>,
    /// Positions of leads that were inserted.
    pub inserted: Vec<usize>,
    /// Positions of leads already stored (same id or same portal lead id), left unchanged.
    pub existing: Vec<usize>,
}

impl ImportReport {
    /// How many leads were inserted.
    pub fn inserted_count(&self) -> usize {
        self.inserted.len()
    }
}

/// A record with the version the store holds for it (for documents without their own
/// `version` field, such as the routing state).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Versioned<T> {
    /// The value.
    pub value: T,
    /// Its version: 0 when never stored.
    pub version: u64,
}
