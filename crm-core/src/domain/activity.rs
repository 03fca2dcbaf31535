//! [`Activity`]: one thing a lead did or that was done with them, when, and about which
//! property. Engagement scoring reads these.

use super::checks::{MAX_NOTE_CHARS, optional_text};
use super::ids::{ActivityId, AgentId, LeadId, PropertyId};
use crate::error::{ErrorCode, ValidationErrors};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    /// Viewed a listing.
    ListingView,
    /// Marked a listing as a favourite.
    Favourite,
    /// Saved a search.
    SavedSearch,
    /// Sent a message to the broker.
    Message,
    /// A phone call with the lead.
    Call,
    /// Opened an e-mail.
    EmailOpened,
    /// A visit was scheduled.
    VisitScheduled,
    /// A visit took place.
    VisitDone,
    /// The lead missed a visit.
    VisitNoShow,
    /// A proposal was sent.
    ProposalSent,
    /// Unsubscribed from messages.
    Unsubscribed,
}

impl ActivityKind {
    /// Whether the activity is about a listing and must name the property.
    pub fn needs_property(self) -> bool {
        matches!(
            self,
            ActivityKind::ListingView
                | ActivityKind::Favourite
                | ActivityKind::VisitScheduled
                | ActivityKind::VisitDone
                | ActivityKind::VisitNoShow
                | ActivityKind::ProposalSent
        )
    }
}

/// One activity of a lead.
///
/// ```
/// use crm_core::domain::{Activity, ActivityId, ActivityKind, LeadId};
/// use chrono::{TimeZone, Utc};
/// let at = Utc.with_ymd_and_hms(2026, 11, 20, 21, 15, 0).unwrap();
/// let a = Activity::new(ActivityId::from_parts(1, [5; 10]), LeadId::from_parts(1, [1; 10]), ActivityKind::ListingView, at);
/// assert_eq!(a.validate().unwrap_err().errors()[0].code.as_str(), "validation.activity.property_missing");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// The activity's id.
    pub id: ActivityId,
    /// Whose activity it is.
    pub lead_id: LeadId,
    /// What happened.
    pub kind: ActivityKind,
    /// When.
    #[serde(deserialize_with = "super::instant::deserialize")]
    pub at: DateTime<Utc>,
    /// The listing it was about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub property_id: Option<PropertyId>,
    /// The agent involved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<AgentId>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Activity {
    /// An activity with no property, agent or note.
    pub fn new(id: ActivityId, lead_id: LeadId, kind: ActivityKind, at: DateTime<Utc>) -> Self {
        Self {
            id,
            lead_id,
            kind,
            at,
            property_id: None,
            agent_id: None,
            note: None,
        }
    }

    /// Every problem: listing activities name the property; the note has a length limit.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        errors.ensure(
            !self.kind.needs_property() || self.property_id.is_some(),
            "property_id",
            ErrorCode::ActivityPropertyMissing,
            "this activity is about a listing and must name the property",
        );
        optional_text(&mut errors, "note", &self.note, MAX_NOTE_CHARS);
        errors.into_result()
    }
}
