//! # crm-core
//!
//! The pure domain core of realestate-crm: exact money, Brazilian document and contact
//! validation, the records a brokerage keeps and their validation, and one catalogue of error
//! codes. No I/O, no async runtime, no clock and no randomness: every rule is a function of its
//! inputs, so a phone, a notebook and a server running it agree to the cent.
//!
//! ```
//! use crm_core::{Cpf, Money, Rate, allocate};
//! use rust_decimal_macros::dec;
//!
//! let cpf = Cpf::parse(" 529.982.247-25 ").unwrap();
//! assert_eq!(cpf.as_str(), "52998224725");
//!
//! let fee = Money::brl(dec!(600000)).percent(Rate::parse("6%").unwrap()).unwrap();
//! let parts = allocate(fee, &[dec!(1), dec!(1), dec!(1)]).unwrap();
//! assert_eq!(parts.iter().map(|p| p.amount()).sum::<rust_decimal::Decimal>(), dec!(36000));
//! ```
#![forbid(unsafe_code)]

pub mod commission;
pub mod dedupe;
pub mod domain;
pub mod error;
pub mod money;
pub mod pricing;
pub mod scoring;
pub mod validation;
pub mod workflow;

mod serde_str;

pub use error::{Error, ErrorCode, FieldError, ValidationErrors};
pub use money::{Currency, Money, Rate, RoundingMode, allocate, allocate_even};
pub use validation::{
    Cep, Cnpj, Cpf, Creci, CreciKind, Document, Email, Phone, PhoneKind, PhoneOptions, Uf,
};
