//! Reading a string with serde without copying it: the typed ids and currency codes of every
//! record are parsed from text, and reading each into a `String` first cost an allocation apiece.

use serde::de::{self, Deserializer, Unexpected, Visitor};
use std::fmt;

/// Reads a string as serde reads a `String` — the same inputs accepted and the same errors for
/// values of other types — and hands it to `parse` borrowed; a refusal's message becomes the
/// deserializer's custom error.
///
/// The refusal is raised once the deserializer has returned, as it was when the text was
/// first read into a `String` and parsed afterwards: a deserializer that adds a position to
/// errors (serde_json's line and column) adds the same one as before.
pub(crate) fn read<'de, D, T, F>(d: D, parse: F) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    F: FnOnce(&str) -> Result<T, String>,
{
    d.deserialize_string(StrVisitor(parse))?
        .map_err(de::Error::custom)
}

struct StrVisitor<F>(F);

impl<T, F: FnOnce(&str) -> Result<T, String>> Visitor<'_> for StrVisitor<F> {
    /// What `parse` made of the text, refusals included (raised by [`read`]).
    type Value = Result<T, String>;

    // serde's words for a `String`.
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok((self.0)(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
        match std::str::from_utf8(v) {
            Ok(s) => self.visit_str(s),
            Err(_) => Err(E::invalid_value(Unexpected::Bytes(v), &self)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde::de::value::{BytesDeserializer, Error as ValueError};

    /// A string that must be all digits, read the new way and the old way (through a `String`).
    #[derive(Debug, PartialEq)]
    struct Digits(u64);

    fn digits(s: &str) -> Result<Digits, String> {
        s.parse()
            .map(Digits)
            .map_err(|_| format!("`{s}` is not digits"))
    }

    impl<'de> Deserialize<'de> for Digits {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            read(d, digits)
        }
    }

    fn old_way<'de, D: Deserializer<'de>>(d: D) -> Result<Digits, D::Error> {
        let s = String::deserialize(d)?;
        digits(&s).map_err(de::Error::custom)
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct New {
        n: Digits,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Old {
        #[serde(deserialize_with = "old_way")]
        n: Digits,
    }

    #[test]
    fn reads_and_refuses_as_through_a_string() {
        for json in [
            r#"{"n": "42"}"#,
            r#"{"n": "4\u0032"}"#,
            r#"{"n": "x"}"#,
            r#"{"n": 42}"#,
            r#"{"n": null}"#,
            r#"{"n": ["42"]}"#,
            "{\"n\":\n \"nope\"}",
            r#"{"n": "x", "m": 1}"#,
            r#"[{"n": "x"  } ]"#,
        ] {
            let new = serde_json::from_str::<New>(json).map(|v| v.n);
            let old = serde_json::from_str::<Old>(json).map(|v| v.n);
            let (new, old) = (
                new.map_err(|e| e.to_string()),
                old.map_err(|e| e.to_string()),
            );
            assert_eq!(new, old, "{json}");
            let value: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
            let new = New::deserialize(&value).map(|v| v.n);
            let old = Old::deserialize(&value).map(|v| v.n);
            let (new, old) = (
                new.map_err(|e| e.to_string()),
                old.map_err(|e| e.to_string()),
            );
            assert_eq!(new, old, "{json}");
        }
        assert_eq!(
            serde_json::from_str::<New>(r#"{"n": "42"}"#).ok(),
            Some(New { n: Digits(42) })
        );
        for bytes in [&b"17"[..], &b"\xff"[..], &b"a"[..]] {
            let new = Digits::deserialize(BytesDeserializer::<ValueError>::new(bytes));
            let old = old_way(BytesDeserializer::<ValueError>::new(bytes));
            assert_eq!(new, old);
        }
    }
}
