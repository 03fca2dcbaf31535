//! What every host binding (Python, Node, mobile) needs around the core, written once:
//! error envelopes with stable codes ([`HostError`]), a panic guard ([`guard`]), JSON loading
//! with the failing path ([`from_value`]), batch loops over plain values and records
//! ([`batch`]), rows built from named columns ([`rows`]) and the JSON-level entry points of the
//! calculators ([`ops`]).
//!
//! Nothing here decides business rules: it converts, loops and reports, so each binding stays a
//! thin layer of type conversions.
//!
//! ```
//! use realestate_crm::host::{self, ValueKind};
//!
//! let codes = host::batch::check_many(ValueKind::Cpf, &["529.982.247-25", "529.982.247-24"]);
//! assert_eq!(codes[0], None);
//! assert_eq!(codes[1].map(|c| c.as_str()), Some("validation.cpf.check_digit"));
//! ```

pub mod batch;
mod error;
mod json;
pub mod lines;
pub mod ops;
mod panic;
pub mod rows;
#[cfg(feature = "store")]
pub mod runtime;
pub mod text;
mod values;

pub use error::{ErrorCategory, HostError};
pub use json::{from_ref, from_value, to_value};
pub use panic::guard;
pub use values::{ValueKind, canonical, check};
