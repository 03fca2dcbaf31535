//! Reading calendar dates fast: deals come in their thousands from tables, and chrono's general
//! format parser (behind `NaiveDate`'s `FromStr` and `Deserialize`) was a visible part of
//! reading one. The common form, `YYYY-MM-DD` exactly, is read here directly; anything else goes
//! to chrono, so what is accepted, and every error, stays exactly chrono's. Dates are written as
//! before, by chrono's `Serialize`.

use chrono::NaiveDate;
use serde::{Deserializer, de};
use std::fmt;

/// Deserializes a calendar date, accepting what chrono's `Deserialize` for [`NaiveDate`]
/// accepts, with the same errors (for `#[serde(deserialize_with = …)]`).
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    d.deserialize_str(DateVisitor)
}

/// [`deserialize`] for an optional date: `null` (or a missing field with `#[serde(default)]`)
/// is `None`, as serde reads an `Option<NaiveDate>`.
pub(crate) fn deserialize_option<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<NaiveDate>, D::Error> {
    d.deserialize_option(OptionalDateVisitor)
}

struct DateVisitor;

impl de::Visitor<'_> for DateVisitor {
    type Value = NaiveDate;

    // chrono's words, so a value of the wrong type is refused with the same message.
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a formatted date string")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<NaiveDate, E> {
        parse(s).map_err(E::custom)
    }
}

struct OptionalDateVisitor;

impl<'de> de::Visitor<'de> for OptionalDateVisitor {
    type Value = Option<NaiveDate>;

    // serde's words for an `Option`.
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("option")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        deserialize(d).map(Some)
    }
}

/// Parses a calendar date: `YYYY-MM-DD` directly, anything else with chrono.
pub(crate) fn parse(s: &str) -> Result<NaiveDate, chrono::ParseError> {
    let b = s.as_bytes();
    match b.len() {
        10 => ymd(b),
        _ => None,
    }
    .map_or_else(|| s.parse::<NaiveDate>(), Ok)
}

/// `n` ASCII digits at `at` as a number, or `None`.
pub(super) fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let mut v = 0u32;
    for c in b.get(at..at.checked_add(n)?)? {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

/// The date in the first ten bytes, `YYYY-MM-DD` (four-digit year, no sign), or `None` when
/// they are not that or not a real date (chrono then reads or refuses the text).
pub(super) fn ymd(b: &[u8]) -> Option<NaiveDate> {
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let year = i32::try_from(digits(b, 0, 4)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(b, 5, 2)?, digits(b, 8, 2)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Deserialize;

    fn chrono(s: &str) -> Result<NaiveDate, String> {
        s.parse::<NaiveDate>().map_err(|e| e.to_string())
    }

    fn ours(s: &str) -> Result<NaiveDate, String> {
        parse(s).map_err(|e| e.to_string())
    }

    #[test]
    fn the_common_form_is_read_directly() {
        for (s, y, m, d) in [
            ("2026-05-20", 2026, 5, 20),
            ("2024-02-29", 2024, 2, 29),
            ("0000-01-01", 0, 1, 1),
            ("9999-12-31", 9999, 12, 31),
        ] {
            assert_eq!(ymd(s.as_bytes()), NaiveDate::from_ymd_opt(y, m, d), "{s}");
            assert_eq!(ours(s), chrono(s), "{s}");
            assert!(ours(s).is_ok(), "{s}");
        }
    }

    #[test]
    fn other_forms_and_errors_are_chronos() {
        for s in [
            "2026-02-30",
            "2025-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "2026-1-5",
            "+2026-05-20",
            "-0001-12-31",
            "+262142-12-31",
            "-262143-01-01",
            "12026-05-20",
            "2026-05-20 ",
            " 2026-05-20",
            "2026-05-20T00:00:00Z",
            "2026-05-2",
            "2026-05",
            "2026",
            "",
            "2026/05/20",
            "２０２６-05-20",
            "2026-05-2x",
        ] {
            assert_eq!(ours(s), chrono(s), "{s:?}");
        }
        assert_eq!(ours("2026-02-30"), Err("input is out of range".to_owned()));
        assert_eq!(ymd(b"+2026-05-20"), None, "signed years go to chrono");
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Ours {
        #[serde(deserialize_with = "deserialize")]
        on: NaiveDate,
        #[serde(default, deserialize_with = "deserialize_option")]
        until: Option<NaiveDate>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Chronos {
        on: NaiveDate,
        #[serde(default)]
        until: Option<NaiveDate>,
    }

    fn both(
        json: &str,
    ) -> (
        Result<Option<NaiveDate>, String>,
        Result<Option<NaiveDate>, String>,
    ) {
        let a = serde_json::from_str::<Ours>(json)
            .map(|o| o.until.or(Some(o.on)))
            .map_err(|e| e.to_string());
        let b = serde_json::from_str::<Chronos>(json)
            .map(|o| o.until.or(Some(o.on)))
            .map_err(|e| e.to_string());
        (a, b)
    }

    #[test]
    fn serde_reads_and_refuses_as_chrono_does() {
        for json in [
            r#"{"on": "2026-05-20"}"#,
            r#"{"on": "2026-05-20", "until": null}"#,
            r#"{"on": "2026-05-20", "until": "2026-06-01"}"#,
            r#"{"on": "2026-02-30"}"#,
            r#"{"on": "2026-05-20", "until": "2026-06-31"}"#,
            r#"{"on": 20260520}"#,
            r#"{"on": null}"#,
            r#"{"on": ["2026-05-20"]}"#,
            r#"{"on": "2026-05-20", "until": 5}"#,
            r#"{"on": "2026-05-20", "until": {"y": 2026}}"#,
            r#"{"on": "2026-05-20", "until": true}"#,
            r#"{"until": "2026-05-20"}"#,
            r#"{"on": "2026-05-2\u0030"}"#,
        ] {
            let (a, b) = both(json);
            assert_eq!(a, b, "{json}");
        }
        assert_eq!(
            both(r#"{"on": 5}"#).0,
            Err(
                "invalid type: integer `5`, expected a formatted date string at line 1 column 8"
                    .to_owned()
            )
        );
        // Through serde_json's value too (the hosts' row readers hand records that way).
        let v = serde_json::json!({"on": "2026-05-20", "until": null});
        assert_eq!(
            Ours::deserialize(&v).map_err(|e| e.to_string()),
            Ok(Ours {
                on: NaiveDate::from_ymd_opt(2026, 5, 20).unwrap_or_default(),
                until: None
            })
        );
    }

    /// Text near the common form: years of 1 to 6 digits with or without a sign, months and
    /// days in and out of range, other separators, and something before or after.
    fn near_valid() -> impl Strategy<Value = String> {
        (
            prop_oneof![Just(""), Just("+"), Just("-"), Just(" ")],
            prop_oneof![
                (0u32..10_000).prop_map(|y| format!("{y:04}")),
                (0u32..1_000_000).prop_map(|y| y.to_string()),
            ],
            0u32..14,
            0u32..33,
            prop_oneof![Just('-'), Just('/'), Just(' ')],
            prop_oneof![
                Just(""),
                Just(" "),
                Just("x"),
                Just("T00:00:00Z"),
                Just("0")
            ],
            0usize..30,
        )
            .prop_map(|(sign, y, m, d, sep, tail, cut)| {
                let full = format!("{sign}{y}-{m:02}{sep}{d:02}{tail}");
                // Sometimes a prefix only: short strings.
                if cut < 11 {
                    full.chars().take(cut).collect()
                } else {
                    full
                }
            })
    }

    proptest! {
        #[test]
        fn agrees_with_chrono_on_near_valid_text(s in near_valid()) {
            prop_assert_eq!(ours(&s), chrono(&s));
        }

        #[test]
        fn agrees_with_chrono_on_any_text(s in any::<String>()) {
            prop_assert_eq!(ours(&s), chrono(&s));
        }

        #[test]
        fn agrees_with_chrono_on_date_like_text(s in "[-+ 0-9]{0,12}") {
            prop_assert_eq!(ours(&s), chrono(&s));
        }

        #[test]
        fn every_real_date_reads_back(y in 0i32..10_000, ordinal in 1u32..=366) {
            if let Some(d) = NaiveDate::from_yo_opt(y, ordinal) {
                prop_assert_eq!(parse(&d.to_string()), Ok(d));
                prop_assert!(ymd(d.to_string().as_bytes()).is_some());
            }
        }
    }
}
