//! [`YearMonth`]: a calendar month, the unit price indices are published in.

use crate::error::{ErrorCode, FieldError};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize, de};
use std::fmt;
use std::str::FromStr;

/// A calendar month such as March 2025, written `"2025-03"` (four-digit year, two-digit month)
/// in text and JSON. Years run from 0 to 9999. Ordered by time.
///
/// ```
/// use crm_core::pricing::YearMonth;
/// let m: YearMonth = "2025-12".parse().unwrap();
/// assert_eq!(m.next().unwrap().to_string(), "2026-01");
/// assert_eq!(m.plus_months(-12).unwrap(), YearMonth::new(2024, 12).unwrap());
/// assert!(YearMonth::new(2025, 13).is_err());
/// assert!("2025-3".parse::<YearMonth>().is_err());
/// assert_eq!(serde_json::to_string(&m).unwrap(), r#""2025-12""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct YearMonth {
    // Field order gives the derived ordering: by year, then month.
    year: i32,
    month: u32,
}

const MAX_YEAR: i32 = 9999;

impl YearMonth {
    /// The month `month` (1–12) of `year` (0–9999).
    ///
    /// Errors: `validation.number.range` outside those ranges.
    ///
    /// ```
    /// use crm_core::pricing::YearMonth;
    /// assert_eq!(YearMonth::new(2025, 3).unwrap().to_string(), "2025-03");
    /// assert_eq!(YearMonth::new(10_000, 1).unwrap_err().code.as_str(), "validation.number.range");
    /// ```
    pub fn new(year: i32, month: u32) -> Result<YearMonth, FieldError> {
        if !(0..=MAX_YEAR).contains(&year) || !(1..=12).contains(&month) {
            return Err(FieldError::new(
                ErrorCode::NumberRange,
                format!("{year}-{month:02} is not a month of the years 0000 to 9999"),
            ));
        }
        Ok(YearMonth { year, month })
    }

    /// The month a date falls in.
    ///
    /// ```
    /// use crm_core::pricing::YearMonth;
    /// let d = chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    /// assert_eq!(YearMonth::of(d).unwrap().to_string(), "2024-02");
    /// ```
    pub fn of(date: NaiveDate) -> Result<YearMonth, FieldError> {
        YearMonth::new(date.year(), date.month())
    }

    /// The year.
    ///
    /// ```
    /// let m = crm_core::pricing::YearMonth::new(2025, 3).unwrap();
    /// assert_eq!((m.year(), m.month()), (2025, 3));
    /// ```
    pub const fn year(self) -> i32 {
        self.year
    }

    /// The month, 1–12.
    ///
    /// ```
    /// assert_eq!(crm_core::pricing::YearMonth::new(2025, 12).unwrap().month(), 12);
    /// ```
    pub const fn month(self) -> u32 {
        self.month
    }

    /// The month after, or `None` after 9999-12.
    ///
    /// ```
    /// use crm_core::pricing::YearMonth;
    /// assert_eq!(YearMonth::new(2024, 12).unwrap().next(), YearMonth::new(2025, 1).ok());
    /// assert_eq!(YearMonth::new(9999, 12).unwrap().next(), None);
    /// ```
    pub fn next(self) -> Option<YearMonth> {
        self.plus_months(1)
    }

    /// The month before, or `None` before 0000-01.
    ///
    /// ```
    /// use crm_core::pricing::YearMonth;
    /// assert_eq!(YearMonth::new(2025, 1).unwrap().prev(), YearMonth::new(2024, 12).ok());
    /// ```
    pub fn prev(self) -> Option<YearMonth> {
        self.plus_months(-1)
    }

    /// `months` later (earlier when negative), or `None` outside 0000-01..=9999-12.
    ///
    /// ```
    /// use crm_core::pricing::YearMonth;
    /// let m = YearMonth::new(2025, 3).unwrap();
    /// assert_eq!(m.plus_months(-14), YearMonth::new(2024, 1).ok());
    /// assert_eq!(m.plus_months(i64::MAX), None);
    /// ```
    pub fn plus_months(self, months: i64) -> Option<YearMonth> {
        let index = i64::from(self.year) * 12 + i64::from(self.month) - 1;
        let target = index.checked_add(months)?;
        let year = i32::try_from(target.div_euclid(12)).ok()?;
        let month = u32::try_from(target.rem_euclid(12)).ok()? + 1;
        YearMonth::new(year, month).ok()
    }

    /// Every month from `self` to `last`, both included (empty when `last` is earlier).
    ///
    /// ```
    /// use crm_core::pricing::YearMonth;
    /// let from = YearMonth::new(2024, 11).unwrap();
    /// let months: Vec<String> = from.through(YearMonth::new(2025, 2).unwrap()).map(|m| m.to_string()).collect();
    /// assert_eq!(months, ["2024-11", "2024-12", "2025-01", "2025-02"]);
    /// ```
    pub fn through(self, last: YearMonth) -> impl Iterator<Item = YearMonth> {
        let mut current = Some(self).filter(|m| *m <= last);
        std::iter::from_fn(move || {
            let this = current?;
            current = this.next().filter(|m| *m <= last);
            Some(this)
        })
    }

    /// Parses `"YYYY-MM"`.
    ///
    /// Errors: `input.json` for any other shape (`"2025-3"`, `"2025-13"`, `"25-03"`).
    ///
    /// ```
    /// use crm_core::pricing::YearMonth;
    /// assert_eq!(YearMonth::parse("2025-03").unwrap().month(), 3);
    /// assert!(YearMonth::parse("2025-3").is_err());
    /// ```
    pub fn parse(input: &str) -> Result<YearMonth, FieldError> {
        let bad = || {
            FieldError::new(
                ErrorCode::Json,
                format!(
                    "`{}` is not a month written as YYYY-MM",
                    crate::money::truncate_text(input)
                ),
            )
        };
        let (y, m) = input.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 || !(y.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let year = y.parse::<i32>().map_err(|_| bad())?;
        let month = m.parse::<u32>().map_err(|_| bad())?;
        YearMonth::new(year, month).map_err(|_| bad())
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for YearMonth {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        YearMonth::parse(s)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

struct YearMonthVisitor;

impl de::Visitor<'_> for YearMonthVisitor {
    type Value = YearMonth;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a month as \"YYYY-MM\"")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<YearMonth, E> {
        YearMonth::parse(v).map_err(|e| E::custom(e.message))
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(YearMonthVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn parse_and_order() {
        let a = YearMonth::parse("2024-12").unwrap();
        let b = YearMonth::parse("2025-01").unwrap();
        assert!(a < b);
        assert_eq!(a.next(), Some(b));
        assert_eq!(b.prev(), Some(a));
        for bad in [
            "",
            "2025",
            "2025-00",
            "2025-13",
            "25-01",
            "2025-1",
            "+202-01",
            "2025-01-01",
            "２０２５-01",
        ] {
            assert!(YearMonth::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(YearMonth::new(9999, 12).unwrap().next(), None);
        assert_eq!(YearMonth::new(0, 1).unwrap().prev(), None);
        assert_eq!(a.plus_months(i64::MAX), None);
        assert_eq!(a.plus_months(i64::MIN), None);
        assert_eq!(
            a.plus_months(-23).map(|m| m.to_string()).as_deref(),
            Some("2023-01")
        );
    }

    #[test]
    fn ranges() {
        let a = YearMonth::parse("2024-11").unwrap();
        let b = YearMonth::parse("2025-02").unwrap();
        let months: Vec<String> = a.through(b).map(|m| m.to_string()).collect();
        assert_eq!(months, ["2024-11", "2024-12", "2025-01", "2025-02"]);
        assert_eq!(b.through(a).count(), 0);
        let last = YearMonth::new(9999, 12).unwrap();
        assert_eq!(last.through(last).count(), 1);
    }

    #[test]
    fn json_map_keys() {
        let map: BTreeMap<YearMonth, u8> =
            serde_json::from_str(r#"{"2025-02": 2, "2025-01": 1}"#).unwrap();
        assert_eq!(map.keys().next().map(|m| m.month()), Some(1));
        assert_eq!(
            serde_json::to_string(&map).unwrap(),
            r#"{"2025-01":1,"2025-02":2}"#
        );
        assert!(serde_json::from_str::<YearMonth>("202501").is_err());
    }
}
