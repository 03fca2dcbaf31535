//! Pieces every validated type shares: the mod-11 check-digit rule, short descriptions of bad
//! input for messages and the string-based trait impls (`FromStr`, serde).

use crate::error::FieldError;
use serde::de;
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

pub(crate) use crate::money::truncate_text as truncate;

/// The check-digit rule shared by CPF and CNPJ: remainder of `sum` by 11; 0 when it is below 2,
/// 11 minus it otherwise.
pub(crate) const fn mod11_digit(sum: u32) -> u8 {
    let r = sum % 11;
    if r < 2 { 0 } else { (11 - r) as u8 }
}

/// The character starting at byte `at` of `s`, quoted and escaped for a message (`'x'`,
/// `'\u{301}'`). `at` comes from a scan of `s`; anything else gives an empty quote.
pub(crate) fn quoted_char_at(s: &str, at: usize) -> String {
    match s.get(at..).and_then(|rest| rest.chars().next()) {
        Some(c) => format!("{c:?}"),
        None => String::from("''"),
    }
}

/// A serde visitor reading a string through `T::from_str`, reporting the parse error's message.
pub(crate) struct ParseVisitor<T> {
    expecting: &'static str,
    marker: PhantomData<fn() -> T>,
}

impl<T> ParseVisitor<T> {
    pub(crate) const fn new(expecting: &'static str) -> Self {
        Self {
            expecting,
            marker: PhantomData,
        }
    }
}

impl<T: FromStr<Err = FieldError>> de::Visitor<'_> for ParseVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        v.parse::<T>().map_err(|e| E::custom(e.message))
    }
}

/// Implements `FromStr` (through `Self::parse`), `Serialize` (as a string) and `Deserialize`
/// (from a string, through `Self::parse`).
///
/// `as_str` serialises `self.as_str()`; `display` serialises the `Display` form.
macro_rules! string_serde {
    ($ty:ident, as_str, $expecting:literal) => {
        $crate::validation::shared::string_serde!(@common $ty, $expecting);
        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
    ($ty:ident, display, $expecting:literal) => {
        $crate::validation::shared::string_serde!(@common $ty, $expecting);
        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }
    };
    (@common $ty:ident, $expecting:literal) => {
        impl ::std::str::FromStr for $ty {
            type Err = $crate::error::FieldError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str($crate::validation::shared::ParseVisitor::<Self>::new($expecting))
            }
        }
    };
}

pub(crate) use string_serde;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mod11_rule() {
        // remainders 0 and 1 give 0; the rest give 11 - r
        assert_eq!(mod11_digit(0), 0);
        assert_eq!(mod11_digit(12), 0); // 12 % 11 = 1
        assert_eq!(mod11_digit(295), 2); // 295 % 11 = 9
        assert_eq!(mod11_digit(13), 9); // 13 % 11 = 2
    }

    #[test]
    fn quoting() {
        assert_eq!(quoted_char_at("ab", 1), "'b'");
        assert_eq!(quoted_char_at("a\u{301}", 1), "'\\u{301}'");
        assert_eq!(quoted_char_at("ab", 5), "''");
        assert_eq!(quoted_char_at("é", 1), "''"); // not a char boundary
    }
}
