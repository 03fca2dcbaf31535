//! Decimals as text: strict parsing and the serde helpers that keep money and rates out of floats.

use crate::error::{ErrorCode, FieldError};
use rust_decimal::Decimal;
use std::fmt;

/// Parses a plain decimal: optional sign, digits, optional `.` and digits, surrounding
/// whitespace allowed. No exponents, thousands separators or underscores, so `"1e3"`,
/// `"1,000.00"` and `"1_000"` are refused rather than guessed at.
///
/// ```
/// use crm_core::money::parse_decimal;
/// use rust_decimal_macros::dec;
/// assert_eq!(parse_decimal(" -1234.50 ").unwrap(), dec!(-1234.50));
/// assert!(parse_decimal("1e3").is_err());
/// assert!(parse_decimal("1,5").is_err());
/// ```
pub fn parse_decimal(input: &str) -> Result<Decimal, FieldError> {
    let s = input.trim();
    let bad = || {
        FieldError::new(
            ErrorCode::MoneyFormat,
            format!(
                "`{}` is not a decimal number such as \"1234.56\"",
                truncate(s)
            ),
        )
    };
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let digits_ok = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits_ok(int) || frac.is_some_and(|f| f.is_empty() || !digits_ok(f)) {
        return Err(bad());
    }
    Decimal::from_str_exact(s.strip_prefix('+').unwrap_or(s)).map_err(|_| {
        FieldError::new(
            ErrorCode::MoneyFormat,
            format!(
                "`{}` has more digits than a 96-bit decimal holds",
                truncate(s)
            ),
        )
    })
}

/// Keeps error messages short whatever the input's size.
pub(crate) fn truncate(s: &str) -> String {
    const MAX: usize = 40;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", s.get(..i).unwrap_or_default()),
        None => s.to_owned(),
    }
}

/// Serde helpers for a [`Decimal`] field that must never pass through a float: written as a
/// string, read from a string or a JSON integer; a JSON float is refused.
pub mod strict {
    use super::*;
    use serde::{Deserializer, Serializer, de};

    /// Writes the decimal as a string.
    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(value)
    }

    /// Reads a decimal from a string or an integer.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        d.deserialize_any(StrictVisitor)
    }

    pub(crate) struct StrictVisitor;

    impl de::Visitor<'_> for StrictVisitor {
        type Value = Decimal;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a decimal number as a string, such as \"1234.56\"")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
            parse_decimal(v).map_err(|e| E::custom(e.message))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
            Err(E::custom(format!(
                "the number {v} must be written as a decimal string (\"{v}\") {}",
                crate::money::FLOAT_REFUSED
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn parses_plain_decimals_only() {
        assert_eq!(parse_decimal("0").ok(), Some(dec!(0)));
        assert_eq!(parse_decimal("+12.30").ok(), Some(dec!(12.30)));
        assert_eq!(parse_decimal("007.5").ok(), Some(dec!(7.5)));
        for bad in [
            "", "-", ".5", "5.", "1.2.3", "1e3", "NaN", "1 000", "1_000", "--1", "R$ 10",
        ] {
            let e = parse_decimal(bad).err();
            assert_eq!(e.map(|e| e.code), Some(ErrorCode::MoneyFormat), "{bad}");
        }
        let huge = "9".repeat(40);
        assert_eq!(
            parse_decimal(&huge).err().map(|e| e.code),
            Some(ErrorCode::MoneyFormat)
        );
    }

    #[test]
    fn truncates_long_inputs() {
        let long = "x".repeat(100);
        assert_eq!(truncate(&long).chars().count(), 41);
        assert_eq!(truncate("short"), "short");
    }
}
