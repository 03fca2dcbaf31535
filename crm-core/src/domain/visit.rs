//! [`Visit`]: a lead seeing a property with an agent.

use super::checks::{MAX_NOTE_CHARS, optional_text};
use super::ids::{AgentId, LeadId, PropertyId, VisitId};
use crate::error::{ErrorCode, FieldError, ValidationErrors};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a visit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitStatus {
    /// Booked.
    #[default]
    Scheduled,
    /// Took place.
    Done,
    /// The lead did not come.
    NoShow,
    /// Called off.
    Cancelled,
}

/// A visit.
///
/// ```
/// use crm_core::domain::*;
/// use chrono::{Duration, TimeZone, Utc};
/// let start = Utc.with_ymd_and_hms(2026, 11, 28, 13, 0, 0).unwrap();
/// let mut v = Visit::new(VisitId::from_parts(1, [6; 10]), LeadId::from_parts(1, [1; 10]),
///     PropertyId::from_parts(1, [2; 10]), AgentId::from_parts(1, [4; 10]), start, start + Duration::minutes(45));
/// assert!(v.validate().is_ok());
/// v.ends_at = start;
/// assert_eq!(v.validate().unwrap_err().errors()[0].code.as_str(), "validation.date.order");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Visit {
    /// The visit's id.
    pub id: VisitId,
    /// Who visits.
    pub lead_id: LeadId,
    /// What is visited.
    pub property_id: PropertyId,
    /// Who shows the property.
    pub agent_id: AgentId,
    /// Start.
    #[serde(deserialize_with = "super::instant::deserialize")]
    pub starts_at: DateTime<Utc>,
    /// End.
    #[serde(deserialize_with = "super::instant::deserialize")]
    pub ends_at: DateTime<Utc>,
    /// Where it stands.
    #[serde(default)]
    pub status: VisitStatus,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Optimistic-concurrency version, increased by the store on every update (0 before the
    /// visit is first stored).
    #[serde(default)]
    pub version: u64,
}

impl Visit {
    /// A scheduled visit.
    pub fn new(
        id: VisitId,
        lead_id: LeadId,
        property_id: PropertyId,
        agent_id: AgentId,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
    ) -> Self {
        Self {
            id,
            lead_id,
            property_id,
            agent_id,
            starts_at,
            ends_at,
            status: VisitStatus::default(),
            note: None,
            version: 0,
        }
    }

    /// Every problem: the end after the start, the note's length.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if self.ends_at <= self.starts_at {
            errors.push(
                FieldError::new(
                    ErrorCode::DateOrder,
                    format!(
                        "the visit ends ({}) at or before it starts ({})",
                        self.ends_at, self.starts_at
                    ),
                )
                .at("ends_at"),
            );
        }
        optional_text(&mut errors, "note", &self.note, MAX_NOTE_CHARS);
        errors.into_result()
    }
}
