//! Exact money: [`Money`] in a [`Currency`], [`Rate`]s as decimal fractions, explicit
//! [`RoundingMode`]s and [`allocate`], which splits a total so the parts sum to it exactly.
//!
//! Nothing here touches a float. Amounts and rates serialise as decimal strings.

mod allocate;
mod amount;
mod currency;
mod decimal_text;
mod rate;
mod rounding;

pub use allocate::{allocate, allocate_even};
pub use amount::Money;
pub use currency::Currency;
pub(crate) use decimal_text::truncate as truncate_text;
pub use decimal_text::{parse_decimal, strict as strict_decimal};
pub use rate::Rate;
pub use rounding::RoundingMode;
