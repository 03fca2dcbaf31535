//! Brazilian documents and contact data: [`Cpf`], [`Cnpj`], [`Document`] (CPF or CNPJ),
//! [`Cep`], [`Uf`], [`Phone`], [`Email`] and [`Creci`].
//!
//! Every type follows one pattern:
//!
//! - `T::parse(&str) -> Result<T, FieldError>` trims surrounding whitespace, tolerates the usual
//!   clutter (masks, separators, case) and reports a stable [`ErrorCode`](crate::ErrorCode) with
//!   a short message. No input, of any size or content, panics.
//! - `T::is_valid(&str) -> bool` gives the same answer as `parse(..).is_ok()`; for the
//!   fixed-size types it allocates nothing, so checking a CPF takes tens of nanoseconds.
//! - `FromStr` is `parse`; `Display` is the masked form people read (`529.982.247-25`).
//! - Serde writes a string (the canonical bare form, or the formatted one where the type says
//!   so) and reads a string through `parse`, so a bad value in JSON fails with its message.
//!
//! ```
//! use crm_core::{Cep, Cpf, ErrorCode, Uf};
//!
//! let cpf: Cpf = " 529.982.247-25 ".parse().unwrap();
//! assert_eq!(cpf.as_str(), "52998224725");
//! assert_eq!(cpf.to_string(), "529.982.247-25");
//! assert!(!Cpf::is_valid("529.982.247-24"));
//!
//! let cep = Cep::parse("01310-100").unwrap();
//! assert_eq!(cep.uf(), Some(Uf::Sp));
//!
//! assert_eq!(Cpf::parse("123").unwrap_err().code, ErrorCode::CpfLength);
//! ```

mod cep;
mod cnpj;
mod cpf;
mod creci;
mod document;
mod email;
mod phone;
mod shared;
mod uf;

pub use cep::Cep;
pub use cnpj::Cnpj;
pub use cpf::Cpf;
pub use creci::{Creci, CreciKind};
pub use document::Document;
pub use email::Email;
pub use phone::{Phone, PhoneKind, PhoneOptions};
pub use uf::Uf;
