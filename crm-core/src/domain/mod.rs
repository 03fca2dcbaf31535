//! The records a brokerage keeps: agents, leads and their activities, properties, deals and
//! visits. Each is a serde type a host fills from JSON (`snake_case` fields, money as decimal
//! strings), with a constructor for Rust callers, a `validate()` that reports every problem
//! with its path, and (where values have a canonical form) a `normalized()` copy to store.

mod activity;
mod address;
mod agent;
mod batch;
mod checks;
mod consent;
mod contact;
mod date;
mod deal;
mod ids;
mod instant;
mod json;
mod lead;
mod property;
mod source;
mod visit;

pub use activity::{Activity, ActivityKind};
pub use address::{Address, GeoPoint};
pub use agent::Agent;
pub use batch::{BatchReport, RecordProblems, Validate, validate_batch};
pub use checks::{MAX_NAME_CHARS, MAX_NOTE_CHARS};
pub(crate) use checks::{positive_money, required_text};
pub use consent::{Consent, ConsentPurpose};
pub use contact::Contact;
pub use deal::{Deal, DealKind, DealStatus, Participant, ParticipantRole, RecipientType};
pub use ids::{ActivityId, AgentId, DealId, LeadId, PropertyId, TenantId, VisitId};
pub use json::from_json;
pub use lead::{BudgetRange, Interest, Lead, NEW_STAGE, Timeline};
pub use property::{ListingKind, Property, PropertyStatus, PropertyType};
pub use source::{LeadSource, LeadTemperature, Portal};
pub use visit::{Visit, VisitStatus};

#[cfg(test)]
mod tests;
