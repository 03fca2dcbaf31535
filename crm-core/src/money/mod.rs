//! Exact money: [`Money`] in a [`Currency`], [`Rate`]s as decimal fractions, explicit
//! [`RoundingMode`]s and [`allocate`], which splits a total so the parts sum to it exactly.
//!
//! Nothing here touches a float. Amounts and rates serialise as decimal strings.

mod allocate;
mod amount;
mod currency;
mod decimal_text;
pub(crate) mod fast;
mod rate;
mod rounding;

pub(crate) use allocate::allocate_into;
pub use allocate::{allocate, allocate_even};
pub use amount::Money;
pub use currency::Currency;
pub(crate) use decimal_text::truncate as truncate_text;
pub use decimal_text::{parse_decimal, strict as strict_decimal};
pub use rate::Rate;
pub use rounding::RoundingMode;

/// The words every refusal of a JSON float where an exact decimal belongs ends with (money,
/// rates, shares): a host that reads records from JSON recognises the refusal by them and
/// reports it as `validation.money.format`, wherever in a record it happens.
///
/// ```
/// use crm_core::Money;
/// let err = serde_json::from_str::<Money>(r#"{"amount": 1.5, "currency": "BRL"}"#).unwrap_err();
/// assert!(err.to_string().contains(crm_core::money::FLOAT_REFUSED));
/// ```
pub const FLOAT_REFUSED: &str = "so no float touches it";
