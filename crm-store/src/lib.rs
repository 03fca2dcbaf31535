//! # crm-store
//!
//! Storage for realestate-crm behind async traits ([`Store`] and one trait per aggregate),
//! with adapters that all pass one behaviour suite:
//!
//! - [`memory::MemoryStore`] — for tests and for hosts that bring their own persistence;
//! - `sqlite::SqliteStore` (feature `sqlite`, on by default) — the embedded default, a file in
//!   WAL mode or an in-memory database;
//! - `postgres::PgStore` (feature `postgres`) — migrations, typed columns, bulk writes by
//!   `UNNEST`, and row-level security keyed on the tenant;
//! - `cache::RedisCache` (feature `redis`) — a read-through cache around any store that never
//!   turns a Redis failure into an error.
//!
//! Every call takes the [`TenantId`](crm_core::domain::TenantId); mutable records carry a
//! `version`, and an update with a stale one gets `store.conflict`. The ledger and the audit
//! log are append-only. [`privacy::Privacy`] adds the LGPD operations to every store.
//!
//! ```
//! use crm_store::{LeadStore, memory::MemoryStore};
//! use crm_core::domain::{Contact, Lead, LeadId, TenantId};
//! # tokio_test_block_on(async {
//! let store = MemoryStore::new();
//! let tenant = TenantId::from_uuid(uuid::Uuid::now_v7());
//! let lead = Lead::new(LeadId::from_uuid(uuid::Uuid::now_v7()), Contact::new("Ana Souza").with_email("Ana@Exemplo.com.br"), chrono::Utc::now());
//! let stored = store.insert_lead(tenant, &lead).await.unwrap();
//! assert_eq!(stored.version, 1);
//! assert_eq!(stored.contact.email.as_deref(), Some("Ana@exemplo.com.br"));
//! let other = TenantId::from_uuid(uuid::Uuid::now_v7());
//! assert!(store.get_lead(other, lead.id).await.unwrap().is_none());
//! # });
//! # fn tokio_test_block_on<F: std::future::Future>(f: F) -> F::Output {
//! #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
//! # }
//! ```
#![forbid(unsafe_code)]

#[cfg(feature = "redis")]
pub mod cache;
mod error;
pub mod memory;
mod open;
mod options;
#[cfg(feature = "postgres")]
pub mod postgres;
pub mod prepare;
pub mod privacy;
mod query;
mod records;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;
#[cfg(feature = "sqlite")]
pub mod sqlite;
mod traits;

pub use error::{Result, StoreError};
pub use open::{open, open_cached};
pub use options::StoreOptions;
pub use query::{
    AuditQuery, Cursor, DEFAULT_PAGE_SIZE, DealQuery, LeadQuery, MAX_PAGE_SIZE, Page, PageRequest,
    PropertyQuery, VisitQuery,
};
pub use records::{
    AuditEvent, ImportReport, NewLedgerEntry, RecordKind, StoredLedgerEntry, Versioned,
};
pub use traits::{
    AgentStore, AuditLog, DealStore, LeadStore, LedgerStore, PropertyStore, RoutingStateStore,
    Store, VisitStore,
};
