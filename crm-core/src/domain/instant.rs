//! Reading instants fast: the records' timestamps come in their millions from tables, and
//! chrono's general RFC 3339 parser was the largest cost of reading a lead. The common form
//! (`2026-11-01T12:00:00Z`, `…T12:00:00.123456-03:00`) is read here directly; anything else goes
//! to chrono, so what is accepted, and every error, stays exactly chrono's.

use super::date::{digits, ymd};
use chrono::{DateTime, FixedOffset, NaiveTime, TimeDelta, Utc};
use serde::{Deserializer, de};

/// Deserializes an RFC 3339 instant as [`DateTime<Utc>`], accepting what chrono's own
/// `Deserialize` accepts (for `#[serde(deserialize_with = …)]`).
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    d.deserialize_str(InstantVisitor)
}

struct InstantVisitor;

impl de::Visitor<'_> for InstantVisitor {
    type Value = DateTime<Utc>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an RFC 3339 formatted date and time string")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        parse(s).map_err(E::custom)
    }
}

/// Parses an RFC 3339 instant: the common form directly, the rest with chrono.
pub(crate) fn parse(s: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    match fast(s.as_bytes()) {
        Some(t) => Ok(t),
        None => s
            .parse::<DateTime<FixedOffset>>()
            .map(|t| t.with_timezone(&Utc)),
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, or `None` for chrono to read (or refuse).
fn fast(b: &[u8]) -> Option<DateTime<Utc>> {
    let sep = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(sep(10, b'T') && sep(13, b':') && sep(16, b':')) {
        return None;
    }
    let date = ymd(b)?;
    let (h, m, s) = (digits(b, 11, 2)?, digits(b, 14, 2)?, digits(b, 17, 2)?);
    let mut at = 19;
    let mut nanos = 0u32;
    if sep(at, b'.') {
        at += 1;
        let start = at;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        let n = at - start;
        if n == 0 || n > 9 {
            return None;
        }
        nanos = digits(b, start, n)? * 10u32.pow(u32::try_from(9 - n).ok()?);
    }
    let offset_secs: i64 = match b.get(at..)? {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (oh, om) = (digits(b, at + 1, 2)?, digits(b, at + 4, 2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let secs = i64::from(oh * 3600 + om * 60);
            if *sign == b'-' { -secs } else { secs }
        }
        _ => return None,
    };
    // Leap seconds (`:60`) and anything out of range: chrono's rules.
    if s > 59 {
        return None;
    }
    let time = NaiveTime::from_hms_nano_opt(h, m, s, nanos)?;
    let local = date.and_time(time);
    // `Z` (the usual form) is already UTC.
    let utc = if offset_secs == 0 {
        local
    } else {
        local.checked_sub_signed(TimeDelta::seconds(offset_secs))?
    };
    Some(utc.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chrono(s: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
        s.parse::<DateTime<FixedOffset>>()
            .map(|t| t.with_timezone(&Utc))
    }

    #[test]
    fn common_forms_read_directly_as_chrono_reads_them() {
        for s in [
            "2026-11-01T12:00:00Z",
            "2026-11-01T12:00:00.5Z",
            "2026-11-01T12:00:00.123456Z",
            "2026-11-01T12:00:00.123456789Z",
            "2026-11-01T09:00:00-03:00",
            "2026-11-01T23:30:00+05:30",
            "2024-02-29T00:00:00Z",
            "0001-01-01T00:00:00+00:01",
        ] {
            assert!(fast(s.as_bytes()).is_some(), "{s} takes the fast path");
            assert_eq!(parse(s).ok(), chrono(s).ok(), "{s}");
        }
        assert_eq!(
            parse("2026-11-01T09:00:00-03:00")
                .map(|t| t.to_rfc3339())
                .ok(),
            Some("2026-11-01T12:00:00+00:00".to_owned())
        );
    }

    #[test]
    fn other_forms_and_errors_are_chronos() {
        for s in [
            "2026-11-01 12:00:00Z",
            "2026-11-01t12:00:00z",
            "2026-11-01T12:00:60Z",
            "2026-02-30T12:00:00Z",
            "2026-11-01T24:00:00Z",
            "2026-11-01T12:00:00",
            "2026-11-01T12:00:00.Z",
            "2026-11-01T12:00:00.1234567890Z",
            "2026-11-01T12:00:00+24:00",
            "2026-11-01T12:00:00+0300",
            "",
            "not a date",
            "２０２６-11-01T12:00:00Z",
        ] {
            assert_eq!(
                parse(s).map_err(|e| e.to_string()),
                chrono(s).map_err(|e| e.to_string()),
                "{s}"
            );
        }
    }

    proptest! {
        #[test]
        fn agrees_with_chrono(
            y in 0u32..10_000, mo in 0u32..14, d in 0u32..33, h in 0u32..26, mi in 0u32..62,
            s in 0u32..62, frac in proptest::option::of("[0-9]{1,10}"),
            off in prop_oneof![Just("Z".to_owned()), "[+-][0-2][0-9]:[0-6][0-9]"],
        ) {
            let f = frac.map(|f| format!(".{f}")).unwrap_or_default();
            let text = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{f}{off}");
            prop_assert_eq!(
                parse(&text).map_err(|e| e.to_string()),
                chrono(&text).map_err(|e| e.to_string())
            );
        }
    }
}
