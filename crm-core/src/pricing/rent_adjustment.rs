//! Yearly rent adjustment by a price index (IGP-M, IPCA, INPC …) on the lease's anniversary.

use super::decimal_serde;
use super::math::{add, div, mul, sub};
use super::year_month::YearMonth;
use super::{Problems, round_half_even, round6};
use crate::error::{Error, ErrorCode, FieldError};
use crate::money::{Money, strict_decimal};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A published index series, by month.
///
/// JSON: `{"variations": {"2025-01": "0.0027", …}}` (monthly variations as fractions:
/// 0.27% is `"0.0027"`) or `{"numbers": {"2024-12": "1134.567", …}}` (the index number at
/// each month).
///
/// ```
/// use crm_core::pricing::IndexSeries;
/// let s: IndexSeries = serde_json::from_str(r#"{"numbers": {"2024-12": "1134.567"}}"#).unwrap();
/// assert!(matches!(s, IndexSeries::Numbers(ref m) if m.len() == 1));
/// assert!(serde_json::from_str::<IndexSeries>(r#"{"variations": {"2025-01": 0.0027}}"#).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexSeries {
    /// Monthly variations, as fractions.
    Variations(#[serde(with = "decimal_serde::map")] BTreeMap<YearMonth, Decimal>),
    /// Index numbers.
    Numbers(#[serde(with = "decimal_serde::map")] BTreeMap<YearMonth, Decimal>),
}

impl IndexSeries {
    fn entries(&self) -> &BTreeMap<YearMonth, Decimal> {
        match self {
            IndexSeries::Variations(m) | IndexSeries::Numbers(m) => m,
        }
    }

    fn kind(&self) -> SeriesKind {
        match self {
            IndexSeries::Variations(_) => SeriesKind::Variations,
            IndexSeries::Numbers(_) => SeriesKind::Numbers,
        }
    }
}

/// Which kind of series an adjustment used.
///
/// ```
/// use crm_core::pricing::SeriesKind;
/// assert_eq!(serde_json::to_string(&SeriesKind::Numbers).unwrap(), r#""numbers""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeriesKind {
    /// Monthly variations, multiplied.
    Variations,
    /// Index numbers, divided.
    Numbers,
}

/// What a fall of the index does to the rent.
///
/// ```
/// use crm_core::pricing::NegativePolicy;
/// assert_eq!(NegativePolicy::default(), NegativePolicy::Apply);
/// let p: NegativePolicy = serde_json::from_str(r#""floor_at_zero""#).unwrap();
/// assert_eq!(p, NegativePolicy::FloorAtZero);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NegativePolicy {
    /// The rent falls with the index (the default).
    #[default]
    Apply,
    /// The rent stays as it is when the accumulated variation is negative.
    FloorAtZero,
}

/// A rent to adjust.
///
/// ```
/// use crm_core::domain::from_json;
/// use crm_core::pricing::{NegativePolicy, RentAdjustmentRequest};
/// let req: RentAdjustmentRequest = from_json(r#"{
///     "index_name": "IGP-M", "current_rent": "2500.00", "contract_start": "2024-03-10",
///     "adjustment_year": 2025, "series": {"variations": {"2024-02": "0.0052"}}}"#).unwrap();
/// assert_eq!(req.lag_months, 1); // the default: the window ends the month before
/// assert_eq!(req.negative_policy, NegativePolicy::Apply);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RentAdjustmentRequest {
    /// The index agreed ("IGP-M", "IPCA", …), kept for the audit only.
    pub index_name: String,
    /// The rent in force: above zero, in whole cents.
    pub current_rent: Money,
    /// The lease's start; its month is the anniversary month.
    pub contract_start: NaiveDate,
    /// The year whose anniversary is computed.
    pub adjustment_year: i32,
    /// A renegotiated rent resets the base: the anniversary month becomes this date's month and
    /// the first adjustment is 12 months after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renegotiated_on: Option<NaiveDate>,
    /// The 12-month window ends this many months before the anniversary month (1 by default:
    /// the month before, as indices are published after the month ends).
    #[serde(default = "default_lag")]
    pub lag_months: u32,
    /// Whether a fall of the index lowers the rent.
    #[serde(default)]
    pub negative_policy: NegativePolicy,
    /// The index series.
    pub series: IndexSeries,
}

fn default_lag() -> u32 {
    1
}

/// One month of the series that the adjustment used, for the audit.
///
/// ```
/// use crm_core::pricing::MonthUsed;
/// let m: MonthUsed = serde_json::from_str(r#"{"month": "2025-03", "value": "0.0027"}"#).unwrap();
/// assert_eq!(m.month.to_string(), "2025-03");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthUsed {
    /// The month.
    pub month: YearMonth,
    /// Its variation, or its index number.
    #[serde(with = "strict_decimal")]
    pub value: Decimal,
}

/// The result of [`adjust_rent`].
///
/// ```
/// use crm_core::domain::from_json;
/// use crm_core::pricing::{adjust_rent, RentAdjustmentRequest};
/// use crm_core::Money;
/// use rust_decimal_macros::dec;
/// // A June anniversary, lag 1: the window is 2024-06 … 2025-05, so the index numbers used
/// // are 2024-05's (the base) and 2025-05's. 1050 / 1000 = 1.05; 1800.00 · 1.05 = 1890.00.
/// let req: RentAdjustmentRequest = from_json(r#"{"index_name": "IPCA", "current_rent": "1800",
///     "contract_start": "2023-06-15", "adjustment_year": 2025,
///     "series": {"numbers": {"2024-05": "1000", "2025-05": "1050"}}}"#).unwrap();
/// let adj = adjust_rent(&req).unwrap();
/// assert_eq!(adj.factor, dec!(1.05));
/// assert_eq!(adj.new_rent, Money::brl(dec!(1890)));
/// assert_eq!(adj.months.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RentAdjustment {
    /// The anniversary date in the adjustment year (the day clamped to the month's end).
    pub anniversary: NaiveDate,
    /// First month of the 12-month window.
    pub window_start: YearMonth,
    /// Last month of the window.
    pub window_end: YearMonth,
    /// The series entries used: the 12 variations, or the two index numbers (the base month
    /// before the window, then the window's last month).
    pub months: Vec<MonthUsed>,
    /// The accumulated factor, unrounded.
    #[serde(with = "strict_decimal")]
    pub factor: Decimal,
    /// `factor − 1`, rounded half-even to 6 places (a fraction: 0.045123 = 4.5123%).
    #[serde(with = "strict_decimal")]
    pub variation: Decimal,
    /// The factor applied: `factor`, or 1 when a fall was floored.
    #[serde(with = "strict_decimal")]
    pub applied_factor: Decimal,
    /// Whether a fall of the index was floored at zero.
    pub floored: bool,
    /// The rent before.
    pub previous_rent: Money,
    /// `round(previous_rent · applied_factor)`, half-even to cents.
    pub new_rent: Money,
    /// Whether variations or index numbers were used.
    pub source: SeriesKind,
}

/// Adjusts a rent by the index accumulated over the 12 months before its anniversary.
///
/// The anniversary month `A` is the month of `renegotiated_on` when given, else of
/// `contract_start`; the window ends `lag_months` before `A` in `adjustment_year` and spans 12
/// months. Variations: `factor = Π (1 + v)`. Numbers: `factor = N(window end) / N(month before
/// the window)`. The new rent is `round(rent · factor)`, half-even to cents, unless the factor
/// is below 1 and the policy floors it.
///
/// Errors: `validation.index.empty` (an empty series), `validation.index.missing_months`
/// (months the window needs are absent: the message lists them all, `YYYY-MM`, ascending),
/// `validation.index.value` (a variation at or below −100% or an index number not above zero,
/// anywhere in the series), `validation.index.too_early` (the adjustment year is not after the
/// start's, or not at least a year after the renegotiation), `validation.number.range` (a rent
/// not above zero in whole cents; a window beyond the years 0–9999),
/// `validation.date.order` (a renegotiation before the contract start).
///
/// ```
/// use crm_core::pricing::*;
/// use crm_core::Money;
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// use std::collections::BTreeMap;
///
/// // Contract from 2024-03-10, adjusted in March 2025 on the 12 months that end a month
/// // before (lag 1): 2024-03 … 2025-02.
/// // Every month +0.5% except 2024-06 at −1%: 1.005^11 = 1.0563958327…, times 0.99 is
/// // 1.0458318743…; 2000.00 · 1.0458318743… = 2091.6637… → 2091.66.
/// let mut months = BTreeMap::new();
/// let first: YearMonth = "2024-03".parse().unwrap();
/// for m in first.through("2025-02".parse().unwrap()) {
///     let v = if m.to_string() == "2024-06" { dec!(-0.01) } else { dec!(0.005) };
///     months.insert(m, v);
/// }
/// let req = RentAdjustmentRequest {
///     index_name: "IGP-M".into(),
///     current_rent: Money::brl(dec!(2000)),
///     contract_start: NaiveDate::from_ymd_opt(2024, 3, 10).unwrap(),
///     adjustment_year: 2025,
///     renegotiated_on: None,
///     lag_months: 1,
///     negative_policy: NegativePolicy::Apply,
///     series: IndexSeries::Variations(months),
/// };
/// let adj = adjust_rent(&req).unwrap();
/// assert_eq!(adj.anniversary.to_string(), "2025-03-10");
/// assert_eq!(adj.window_start.to_string(), "2024-03");
/// assert_eq!(adj.window_end.to_string(), "2025-02");
/// assert_eq!(adj.variation, dec!(0.045832));
/// assert_eq!(adj.new_rent, Money::brl(dec!(2091.66)));
/// ```
pub fn adjust_rent(req: &RentAdjustmentRequest) -> Result<RentAdjustment, Error> {
    let plan = plan(req)?;
    let (factor, months) = match &req.series {
        IndexSeries::Variations(series) => {
            let mut factor = Decimal::ONE;
            let mut used = Vec::with_capacity(12);
            for month in plan.window_start.through(plan.window_end) {
                let v = value_at(series, month)?;
                factor = mul(factor, add(Decimal::ONE, v)?)?;
                used.push(MonthUsed { month, value: v });
            }
            (factor, used)
        }
        IndexSeries::Numbers(series) => {
            let start = value_at(series, plan.base)?;
            let end = value_at(series, plan.window_end)?;
            let used = vec![
                MonthUsed {
                    month: plan.base,
                    value: start,
                },
                MonthUsed {
                    month: plan.window_end,
                    value: end,
                },
            ];
            (div(end, start)?, used)
        }
    };
    let floored = factor < Decimal::ONE && req.negative_policy == NegativePolicy::FloorAtZero;
    let applied_factor = if floored { Decimal::ONE } else { factor };
    let currency = req.current_rent.currency();
    let new_rent = round_half_even(
        mul(req.current_rent.amount(), applied_factor)?,
        currency.minor_units(),
    );
    Ok(RentAdjustment {
        anniversary: plan.anniversary,
        window_start: plan.window_start,
        window_end: plan.window_end,
        months,
        factor,
        variation: round6(sub(factor, Decimal::ONE)?),
        applied_factor,
        floored,
        previous_rent: req.current_rent,
        new_rent: super::money(new_rent, currency),
        source: req.series.kind(),
    })
}

/// The value of a month the plan has checked is present.
fn value_at(series: &BTreeMap<YearMonth, Decimal>, month: YearMonth) -> Result<Decimal, Error> {
    series.get(&month).copied().ok_or_else(|| {
        FieldError::new(
            ErrorCode::IndexMissingMonths,
            format!("the series lacks {month}"),
        )
        .at("series")
        .into()
    })
}

/// The dates and months an adjustment needs.
struct Plan {
    anniversary: NaiveDate,
    window_start: YearMonth,
    window_end: YearMonth,
    /// The month before the window: the base index number.
    base: YearMonth,
}

/// Checks the request and works out its dates; every month the series needs is present.
fn plan(req: &RentAdjustmentRequest) -> Result<Plan, Error> {
    let mut problems = Problems::default();
    let rent = req.current_rent;
    if rent.is_negative() || rent.is_zero() || !rent.is_whole_minor_units() {
        problems.push(
            "current_rent",
            ErrorCode::NumberRange,
            format!("must be above zero in whole cents, found {rent}"),
        );
    }
    let base_date = req.renegotiated_on.unwrap_or(req.contract_start);
    if let Some(r) = req.renegotiated_on.filter(|r| *r < req.contract_start) {
        problems.push(
            "renegotiated_on",
            ErrorCode::DateOrder,
            format!("{r} is before the contract start {}", req.contract_start),
        );
    }
    // The first adjustment is a year after the start, or after the renegotiation.
    if req.adjustment_year <= base_date.year() {
        problems.push(
            "adjustment_year",
            ErrorCode::IndexTooEarly,
            format!(
                "a rent set on {base_date} is first adjusted in {}, not in {}",
                i64::from(base_date.year()) + 1,
                req.adjustment_year
            ),
        );
    }
    check_values(&mut problems, &req.series);
    problems.finish()?;

    let anniversary = anniversary(base_date, req.adjustment_year).ok_or_else(|| {
        out_of_range(
            "adjustment_year",
            "the anniversary is beyond the years 0000 to 9999",
        )
    })?;
    let window_end = YearMonth::of(anniversary)
        .ok()
        .and_then(|a| a.plus_months(-i64::from(req.lag_months)));
    let window_start = window_end.and_then(|m| m.plus_months(-11));
    let base = window_start.and_then(YearMonth::prev);
    let (Some(window_end), Some(window_start), Some(base)) = (window_end, window_start, base)
    else {
        return Err(out_of_range(
            "lag_months",
            "the index window falls outside the years 0000 to 9999",
        ));
    };
    let needed: Vec<YearMonth> = match req.series {
        IndexSeries::Variations(_) => window_start.through(window_end).collect(),
        IndexSeries::Numbers(_) => vec![base, window_end],
    };
    let missing: Vec<String> = needed
        .iter()
        .filter(|m| !req.series.entries().contains_key(m))
        .map(YearMonth::to_string)
        .collect();
    if !missing.is_empty() {
        return Err(FieldError::new(
            ErrorCode::IndexMissingMonths,
            format!("the series lacks {}", missing.join(", ")),
        )
        .at("series")
        .into());
    }
    Ok(Plan {
        anniversary,
        window_start,
        window_end,
        base,
    })
}

fn out_of_range(path: &str, message: &str) -> Error {
    FieldError::new(ErrorCode::NumberRange, message.to_owned())
        .at(path)
        .into()
}

/// An empty series, or values no index can take.
fn check_values(problems: &mut Problems, series: &IndexSeries) {
    let entries = series.entries();
    if entries.is_empty() {
        problems.push("series", ErrorCode::IndexEmpty, "the index series is empty");
        return;
    }
    let (kind, floor, what) = match series {
        IndexSeries::Variations(_) => (
            "variations",
            Decimal::NEGATIVE_ONE,
            "a variation must be above -100%",
        ),
        IndexSeries::Numbers(_) => (
            "numbers",
            Decimal::ZERO,
            "an index number must be above zero",
        ),
    };
    for (month, value) in entries.iter().filter(|(_, v)| **v <= floor) {
        problems.push(
            &format!("series.{kind}.{month}"),
            ErrorCode::IndexValue,
            format!("{what}, found {value}"),
        );
    }
}

/// `base`'s month and day in `year` (0–9999), the day clamped to the month's last.
fn anniversary(base: NaiveDate, year: i32) -> Option<NaiveDate> {
    YearMonth::new(year, base.month()).ok()?;
    let first = NaiveDate::from_ymd_opt(year, base.month(), 1)?;
    let last_day = first
        .checked_add_months(chrono::Months::new(1))?
        .pred_opt()?
        .day();
    NaiveDate::from_ymd_opt(year, base.month(), base.day().min(last_day))
}

#[cfg(test)]
#[path = "rent_adjustment_tests.rs"]
mod tests;
