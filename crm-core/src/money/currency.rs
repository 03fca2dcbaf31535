//! ISO 4217 currencies, with the number of minor units each one rounds to.

use crate::error::{ErrorCode, FieldError};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An ISO 4217 currency. BRL is the default.
///
/// ```
/// use crm_core::Currency;
/// let usd: Currency = "usd".parse().unwrap();
/// assert_eq!(usd.code(), "USD");
/// assert_eq!(Currency::default(), Currency::BRL);
/// assert_eq!(Currency::BRL.minor_units(), 2);
/// assert_eq!("JPY".parse::<Currency>().unwrap().minor_units(), 0);
/// assert!("XYZ".parse::<Currency>().is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency(iso_currency::Currency);

impl Currency {
    /// Brazilian real, the default currency.
    pub const BRL: Currency = Currency(iso_currency::Currency::BRL);
    /// US dollar.
    pub const USD: Currency = Currency(iso_currency::Currency::USD);
    /// Euro.
    pub const EUR: Currency = Currency(iso_currency::Currency::EUR);

    /// The three-letter code, such as `BRL`.
    pub fn code(self) -> &'static str {
        self.0.code()
    }

    /// Decimal places of the minor unit (2 for BRL cents; 0 where ISO 4217 has none).
    pub fn minor_units(self) -> u32 {
        self.0.exponent().map_or(0, u32::from)
    }

    /// Reads a code, ignoring case and surrounding whitespace.
    pub fn parse(input: &str) -> Result<Currency, FieldError> {
        // Codes are three ASCII letters: anything else is unknown, and three bytes are
        // upper-cased on the stack.
        let found = match input.trim().as_bytes() {
            [a, b, c] => {
                let code = [
                    a.to_ascii_uppercase(),
                    b.to_ascii_uppercase(),
                    c.to_ascii_uppercase(),
                ];
                std::str::from_utf8(&code)
                    .ok()
                    .and_then(iso_currency::Currency::from_code)
            }
            _ => None,
        };
        found.map(Currency).ok_or_else(|| {
            FieldError::new(
                ErrorCode::CurrencyUnknown,
                format!("`{}` is not an ISO 4217 currency code", input.trim()),
            )
        })
    }
}

impl Default for Currency {
    fn default() -> Self {
        Currency::BRL
    }
}

impl FromStr for Currency {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::parse(s)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::serde_str::read(d, |s| Currency::parse(s).map_err(|e| e.message))
    }
}
