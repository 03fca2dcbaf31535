//! Queries and keyset pagination. Lists are ordered by a time and then the id, and a page's
//! [`Cursor`] names the last row it held, so the next page starts right after it whatever is
//! inserted meanwhile (no `OFFSET`, no skipped or repeated rows).

use chrono::{DateTime, Utc};
use crm_core::domain::{
    AgentId, DealStatus, LeadId, ListingKind, PropertyId, PropertyStatus, VisitStatus,
};
use crm_core::{ErrorCode, FieldError};
use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

/// The page size when a query gives none.
pub const DEFAULT_PAGE_SIZE: u32 = 50;
/// The largest page a query may ask for.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// Where a page ends: the sort time and id of its last row. Opaque to hosts (a short string),
/// handed back to fetch the next page.
///
/// ```
/// use crm_store::Cursor;
/// let c = Cursor::new(chrono::DateTime::from_timestamp_micros(1_700_000_000_123_456).unwrap(), uuid::Uuid::from_u128(7));
/// let text = c.to_string();
/// assert_eq!(text.parse::<Cursor>().unwrap(), c);
/// assert_eq!("garbage".parse::<Cursor>().unwrap_err().code.as_str(), "store.cursor");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cursor {
    /// The last row's sort time, in whole microseconds.
    pub at: DateTime<Utc>,
    /// The last row's id.
    pub id: Uuid,
}

impl Cursor {
    /// A cursor after the row sorted at `at` with this id.
    pub fn new(at: DateTime<Utc>, id: Uuid) -> Self {
        Self { at, id }
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "c1.{}.{}", self.at.timestamp_micros(), self.id.simple())
    }
}

impl std::str::FromStr for Cursor {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, FieldError> {
        let bad = || FieldError::new(ErrorCode::StoreCursor, "not a cursor this store handed out");
        let mut parts = s.trim().split('.');
        let (Some("c1"), Some(micros), Some(id), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let micros: i64 = micros.parse().map_err(|_| bad())?;
        let at = DateTime::from_timestamp_micros(micros).ok_or_else(bad)?;
        let id = Uuid::try_parse(id).map_err(|_| bad())?;
        Ok(Cursor { at, id })
    }
}

impl Serialize for Cursor {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Cursor {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// One page of a list, and the cursor for the next one (`None` on the last page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The rows, in order.
    pub items: Vec<T>,
    /// Pass as `after` to get the next page; `None` when this page is the last.
    pub next: Option<Cursor>,
}

impl<T> Page<T> {
    /// An empty last page.
    pub fn empty() -> Self {
        Self {
            items: Vec::new(),
            next: None,
        }
    }
}

/// Size and start of a page: every list query carries one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRequest {
    /// Rows per page, 1..=[`MAX_PAGE_SIZE`]; [`DEFAULT_PAGE_SIZE`] when `None`.
    #[serde(default)]
    pub limit: Option<u32>,
    /// Start after this cursor (from the previous page's `next`).
    #[serde(default)]
    pub after: Option<Cursor>,
}

impl PageRequest {
    /// The first page with `limit` rows.
    pub fn first(limit: u32) -> Self {
        Self {
            limit: Some(limit),
            after: None,
        }
    }

    /// The checked page size.
    pub fn size(&self) -> Result<u32, FieldError> {
        match self.limit {
            None => Ok(DEFAULT_PAGE_SIZE),
            Some(n) if (1..=MAX_PAGE_SIZE).contains(&n) => Ok(n),
            Some(n) => Err(FieldError::new(
                ErrorCode::NumberRange,
                format!("a page holds 1 to {MAX_PAGE_SIZE} rows, not {n}"),
            )
            .at("limit")),
        }
    }
}

/// Which leads to list, ordered by `created_at` then id. Every filter given must match.
/// E-mail, phone and document are normalised as leads are (so `(11) 98765-4321` finds
/// `+5511987654321`); `name` matches leads whose name contains it, ignoring case, accents and
/// particles (`da`, `de`, …).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadQuery {
    /// Pipeline stage.
    #[serde(default)]
    pub stage: Option<String>,
    /// Assigned agent.
    #[serde(default)]
    pub assigned_agent: Option<AgentId>,
    /// Created at or after.
    #[serde(default)]
    pub created_from: Option<DateTime<Utc>>,
    /// Created before.
    #[serde(default)]
    pub created_to: Option<DateTime<Utc>>,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// CPF or CNPJ.
    #[serde(default)]
    pub document: Option<String>,
    /// Part of the name.
    #[serde(default)]
    pub name: Option<String>,
    /// Page size and start.
    #[serde(default, flatten)]
    pub page: PageRequest,
}

/// Which deals to list, ordered by `created_at` then id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DealQuery {
    /// Status (the deal pipeline's stage).
    #[serde(default)]
    pub status: Option<DealStatus>,
    /// An agent taking part (any role).
    #[serde(default)]
    pub agent: Option<AgentId>,
    /// The buyer's or tenant's lead.
    #[serde(default)]
    pub lead_id: Option<LeadId>,
    /// The property.
    #[serde(default)]
    pub property_id: Option<PropertyId>,
    /// Created at or after.
    #[serde(default)]
    pub created_from: Option<DateTime<Utc>>,
    /// Created before.
    #[serde(default)]
    pub created_to: Option<DateTime<Utc>>,
    /// Page size and start.
    #[serde(default, flatten)]
    pub page: PageRequest,
}

/// Which properties to list, ordered by `created_at` then id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PropertyQuery {
    /// Listing status.
    #[serde(default)]
    pub status: Option<PropertyStatus>,
    /// For sale or for rent.
    #[serde(default)]
    pub listing: Option<ListingKind>,
    /// City, ignoring case and accents.
    #[serde(default)]
    pub city: Option<String>,
    /// The listing broker (captador).
    #[serde(default)]
    pub listing_broker: Option<AgentId>,
    /// Page size and start.
    #[serde(default, flatten)]
    pub page: PageRequest,
}

/// Which visits to list, ordered by `starts_at` then id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitQuery {
    /// The lead visiting.
    #[serde(default)]
    pub lead_id: Option<LeadId>,
    /// The agent showing.
    #[serde(default)]
    pub agent_id: Option<AgentId>,
    /// The property shown.
    #[serde(default)]
    pub property_id: Option<PropertyId>,
    /// Status.
    #[serde(default)]
    pub status: Option<VisitStatus>,
    /// Starting at or after.
    #[serde(default)]
    pub starts_from: Option<DateTime<Utc>>,
    /// Starting before.
    #[serde(default)]
    pub starts_to: Option<DateTime<Utc>>,
    /// Page size and start.
    #[serde(default, flatten)]
    pub page: PageRequest,
}

/// Which audit events to list, ordered by `at` then id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Events about this record.
    #[serde(default)]
    pub record_id: Option<Uuid>,
    /// Events by this actor.
    #[serde(default)]
    pub actor: Option<String>,
    /// At or after.
    #[serde(default)]
    pub from: Option<DateTime<Utc>>,
    /// Before.
    #[serde(default)]
    pub to: Option<DateTime<Utc>>,
    /// Page size and start.
    #[serde(default, flatten)]
    pub page: PageRequest,
}
