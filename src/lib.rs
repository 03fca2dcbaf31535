//! # realestate-crm
//!
//! The business rules of a Brazilian real-estate CRM in one Rust core, for every host that
//! embeds them: Rust services (this crate), and later Python, Node and mobile bindings that
//! give the same answer to the cent.
//!
//! This facade re-exports the pure core ([`crm_core`]) and adds what needs the outside world,
//! such as [`new_id`], which reads the clock and draws random bits for a UUID v7, and storage:
//! [`store`] (the `crm-store` crate) behind the features `sqlite` (on by default), `postgres`
//! and `redis`. Trained models (`ml`) arrive behind a feature in a later release.
//!
//! ```
//! use realestate_crm::{Cpf, Phone, domain::LeadId, new_id};
//!
//! assert!(Cpf::is_valid("529.982.247-25"));
//! let phone = Phone::parse("+55 (11) 98765-4321").unwrap();
//! assert_eq!(phone.as_str(), "+5511987654321");
//! let id: LeadId = new_id();
//! assert_eq!(id.as_uuid().get_version_num(), 7);
//! ```
#![forbid(unsafe_code)]

pub use crm_core::*;

pub mod host;

/// Storage: async traits per aggregate, the in-memory store, SQLite (feature `sqlite`, the
/// default), PostgreSQL (`postgres`) and a Redis cache layer (`redis`); see [`store::open`].
#[cfg(feature = "store")]
pub use crm_store as store;

/// A fresh UUID v7 id of any typed id (`LeadId`, `PropertyId`, …), from the system clock and
/// the operating system's random source. Ids made in one process sort by creation time.
pub fn new_id<T: From<uuid::Uuid>>() -> T {
    T::from(uuid::Uuid::now_v7())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crm_core::domain::{AgentId, PropertyId};

    #[test]
    fn new_ids_are_v7_distinct_and_ordered() {
        let a: PropertyId = new_id();
        let b: PropertyId = new_id();
        assert_ne!(a, b);
        assert!(a < b, "uuid's v7 generator is monotonic within a process");
        let agent: AgentId = new_id();
        assert_eq!(agent.as_uuid().get_version_num(), 7);
    }
}
