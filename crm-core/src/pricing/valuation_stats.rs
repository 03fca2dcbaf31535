//! Valuation statistics: IAAO ratio studies of predicted against sale prices, and summary
//! statistics of comparables' price per m².

use super::math::{add, div, mul, sub};
use super::{Problems, round_half_even, round6};
use crate::error::{Error, ErrorCode, FieldError};
use crate::money::{Currency, Money, strict_decimal};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

/// A valuation and the price the property then sold for.
///
/// JSON: `{"predicted": "510000", "sale_price": "500000"}`.
///
/// ```
/// use crm_core::pricing::RatioPair;
/// let p: RatioPair = serde_json::from_str(r#"{"predicted": "510000", "sale_price": "500000"}"#).unwrap();
/// assert_eq!(p.predicted.amount() / p.sale_price.amount(), rust_decimal_macros::dec!(1.02));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatioPair {
    /// The model's (or appraiser's) value.
    pub predicted: Money,
    /// The actual sale price.
    pub sale_price: Money,
}

/// An IAAO ratio study. Every statistic is rounded half-even to 6 places at the end, from
/// unrounded intermediate values.
///
/// ```
/// use crm_core::pricing::{RatioPair, ratio_study};
/// use crm_core::Money;
/// use rust_decimal_macros::dec;
/// // One valuation 2% high: ratio 1.02, every error 0.02, COD 0 (a single ratio is its median).
/// let s = ratio_study(&[RatioPair { predicted: Money::brl(dec!(510000)),
///                                   sale_price: Money::brl(dec!(500000)) }]).unwrap();
/// assert_eq!((s.count, s.median_ratio, s.mdape, s.cod), (1, dec!(1.02), dec!(0.02), dec!(0)));
/// assert_eq!(serde_json::to_value(&s).unwrap()["ppe10"], "1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatioStudy {
    /// Number of pairs.
    pub count: usize,
    /// Median of `predicted / sale_price`.
    #[serde(with = "strict_decimal")]
    pub median_ratio: Decimal,
    /// Mean ratio.
    #[serde(with = "strict_decimal")]
    pub mean_ratio: Decimal,
    /// Σ predicted / Σ sale price.
    #[serde(with = "strict_decimal")]
    pub weighted_mean_ratio: Decimal,
    /// Median absolute percentage error: median `|ratio − 1|` (a fraction).
    #[serde(with = "strict_decimal")]
    pub mdape: Decimal,
    /// Mean `|ratio − 1|`.
    #[serde(with = "strict_decimal")]
    pub mape: Decimal,
    /// Share of pairs within 10%: `|ratio − 1| ≤ 0.10`.
    #[serde(with = "strict_decimal")]
    pub ppe10: Decimal,
    /// Share of pairs within 20%.
    #[serde(with = "strict_decimal")]
    pub ppe20: Decimal,
    /// Coefficient of dispersion: `100 · mean |ratio − median| / median`.
    #[serde(with = "strict_decimal")]
    pub cod: Decimal,
    /// Price-related differential: `mean ratio / weighted mean ratio`.
    #[serde(with = "strict_decimal")]
    pub prd: Decimal,
}

/// A comparable listing or sale.
///
/// ```
/// use crm_core::pricing::Comparable;
/// let c: Comparable = serde_json::from_str(r#"{"price": "750000", "area_m2": "68.5"}"#).unwrap();
/// assert_eq!(c.area_m2.to_string(), "68.5");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Comparable {
    /// Its price.
    pub price: Money,
    /// Its area in m².
    #[serde(with = "strict_decimal")]
    pub area_m2: Decimal,
}

/// Price per m² across comparables, rounded half-even to cents at the end.
///
/// ```
/// use crm_core::pricing::{Comparable, price_per_m2_stats};
/// use crm_core::Money;
/// use rust_decimal_macros::dec;
/// // 100000 / 3 m² = 33333.333… → 33333.33 (rounded only at the end).
/// let s = price_per_m2_stats(&[Comparable { price: Money::brl(dec!(100000)), area_m2: dec!(3) }]).unwrap();
/// assert_eq!(s.median, Money::brl(dec!(33333.33)));
/// assert_eq!(s.count, 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComparableStats {
    /// Number of comparables.
    pub count: usize,
    /// The lowest price per m².
    pub min: Money,
    /// First quartile.
    pub q1: Money,
    /// Median.
    pub median: Money,
    /// Third quartile.
    pub q3: Money,
    /// The highest.
    pub max: Money,
    /// The mean.
    pub mean: Money,
}

/// A ratio study: how close predicted values are to sale prices, and whether errors depend on
/// the price (IAAO Standard on Ratio Studies).
///
/// `ratio = predicted / sale_price` exactly (decimal division); the median of an even count is
/// the mean of the two middle ratios. PPE10/PPE20 compare `|predicted − sale| ≤ 0.10 · sale`
/// exactly, so a ratio of exactly 1.1 counts.
///
/// Errors: `validation.stats.empty` for no pairs; `validation.stats.value` at
/// `[i].predicted` / `[i].sale_price` for a price not above zero; `money.currency_mismatch`.
///
/// ```
/// use crm_core::pricing::{RatioPair, ratio_study};
/// use crm_core::Money;
/// use rust_decimal_macros::dec;
/// let pair = |p, s| RatioPair { predicted: Money::brl(p), sale_price: Money::brl(s) };
/// // Ratios 0.9, 1.0, 1.2 (450/500, 300/300, 240/200).
/// let s = ratio_study(&[pair(dec!(450), dec!(500)), pair(dec!(300), dec!(300)), pair(dec!(240), dec!(200))]).unwrap();
/// assert_eq!(s.median_ratio, dec!(1));
/// assert_eq!(s.mean_ratio, dec!(1.033333)); // 3.1 / 3
/// assert_eq!(s.weighted_mean_ratio, dec!(0.99)); // 990 / 1000
/// assert_eq!(s.mdape, dec!(0.1)); // median of 0.1, 0, 0.2
/// assert_eq!(s.ppe10, dec!(0.666667)); // 2 of 3
/// assert_eq!(s.cod, dec!(10)); // 100 · (0.1 + 0 + 0.2) / 3 / 1
/// assert_eq!(s.prd, dec!(1.043771)); // 1.0333… / 0.99
/// ```
pub fn ratio_study(pairs: &[RatioPair]) -> Result<RatioStudy, Error> {
    let first = pairs.first().ok_or_else(empty)?;
    let currency = first.sale_price.currency();
    for p in pairs {
        for m in [p.predicted, p.sale_price] {
            if m.currency() != currency {
                return Err(Error::CurrencyMismatch {
                    left: currency,
                    right: m.currency(),
                });
            }
        }
    }
    let mut problems = Problems::default();
    for (i, p) in pairs.iter().enumerate() {
        for (field, m) in [("predicted", p.predicted), ("sale_price", p.sale_price)] {
            if m.is_negative() || m.is_zero() {
                problems.push(
                    &format!("[{i}].{field}"),
                    ErrorCode::StatsValue,
                    format!("a price must be above zero, found {m}"),
                );
            }
        }
    }
    problems.finish()?;

    let mut ratios = Vec::with_capacity(pairs.len());
    let (mut sum_predicted, mut sum_sale) = (Decimal::ZERO, Decimal::ZERO);
    let (mut within10, mut within20) = (0usize, 0usize);
    for p in pairs {
        let (predicted, sale) = (p.predicted.amount(), p.sale_price.amount());
        ratios.push(div(predicted, sale)?);
        sum_predicted = add(sum_predicted, predicted)?;
        sum_sale = add(sum_sale, sale)?;
        // |p − s| ≤ 0.1·s ⇔ 10·|p − s| ≤ s, exactly.
        let gap = mul(sub(predicted, sale)?.abs(), Decimal::TEN)?;
        within10 += usize::from(gap <= sale);
        within20 += usize::from(gap <= mul(sale, Decimal::TWO)?);
    }
    ratios.sort_unstable();
    let count = Decimal::from(ratios.len());
    let median = quantile(&ratios, Decimal::new(5, 1))?;
    let mean = div(sum(&ratios)?, count)?;
    let weighted = div(sum_predicted, sum_sale)?;
    let mut errors = Vec::with_capacity(ratios.len());
    for r in &ratios {
        errors.push(sub(*r, Decimal::ONE)?.abs());
    }
    errors.sort_unstable();
    let mdape = quantile(&errors, Decimal::new(5, 1))?;
    let mape = div(sum(&errors)?, count)?;
    let mut dispersion = Decimal::ZERO;
    for r in &ratios {
        dispersion = add(dispersion, sub(*r, median)?.abs())?;
    }
    let cod = div(mul(Decimal::ONE_HUNDRED, div(dispersion, count)?)?, median)?;
    Ok(RatioStudy {
        count: ratios.len(),
        median_ratio: round6(median),
        mean_ratio: round6(mean),
        weighted_mean_ratio: round6(weighted),
        mdape: round6(mdape),
        mape: round6(mape),
        ppe10: round6(div(Decimal::from(within10), count)?),
        ppe20: round6(div(Decimal::from(within20), count)?),
        cod: round6(cod),
        prd: round6(div(mean, weighted)?),
    })
}

/// Summary statistics of price per m² (`price / area`, unrounded per comparable), rounded
/// half-even to cents at the end. Quartiles interpolate linearly between order statistics at
/// position `p · (n − 1)` (numpy's default, "type 7").
///
/// Errors: `validation.stats.empty` for no comparables; `validation.stats.value` at
/// `[i].price` / `[i].area_m2` for a price or area not above zero; `money.currency_mismatch`.
///
/// ```
/// use crm_core::pricing::{Comparable, price_per_m2_stats};
/// use crm_core::Money;
/// use rust_decimal_macros::dec;
/// let c = |p, a| Comparable { price: Money::brl(p), area_m2: a };
/// // Per m²: 10000, 12000, 9000, 15000 → sorted 9000, 10000, 12000, 15000.
/// let s = price_per_m2_stats(&[
///     c(dec!(500000), dec!(50)), c(dec!(840000), dec!(70)),
///     c(dec!(540000), dec!(60)), c(dec!(1200000), dec!(80)),
/// ]).unwrap();
/// // q1 at position 0.75: 9000 + 0.75 · 1000 = 9750; median at 1.5: 11000;
/// // q3 at 2.25: 12000 + 0.25 · 3000 = 12750; mean 46000 / 4 = 11500.
/// assert_eq!(s.q1, Money::brl(dec!(9750)));
/// assert_eq!(s.median, Money::brl(dec!(11000)));
/// assert_eq!(s.q3, Money::brl(dec!(12750)));
/// assert_eq!(s.mean, Money::brl(dec!(11500)));
/// assert_eq!((s.min, s.max), (Money::brl(dec!(9000)), Money::brl(dec!(15000))));
/// ```
pub fn price_per_m2_stats(comparables: &[Comparable]) -> Result<ComparableStats, Error> {
    let first = comparables.first().ok_or_else(empty)?;
    let currency: Currency = first.price.currency();
    if let Some(other) = comparables.iter().find(|c| c.price.currency() != currency) {
        return Err(Error::CurrencyMismatch {
            left: currency,
            right: other.price.currency(),
        });
    }
    let mut problems = Problems::default();
    for (i, c) in comparables.iter().enumerate() {
        if c.price.is_negative() || c.price.is_zero() {
            problems.push(
                &format!("[{i}].price"),
                ErrorCode::StatsValue,
                format!("a price must be above zero, found {}", c.price),
            );
        }
        if c.area_m2 <= Decimal::ZERO {
            problems.push(
                &format!("[{i}].area_m2"),
                ErrorCode::StatsValue,
                format!("an area must be above zero, found {}", c.area_m2),
            );
        }
    }
    problems.finish()?;
    let mut per_m2 = Vec::with_capacity(comparables.len());
    for c in comparables {
        per_m2.push(div(c.price.amount(), c.area_m2)?);
    }
    per_m2.sort_unstable();
    let places = currency.minor_units();
    let money = |x: Decimal| super::money(round_half_even(x, places), currency);
    let mean = div(sum(&per_m2)?, Decimal::from(per_m2.len()))?;
    Ok(ComparableStats {
        count: per_m2.len(),
        min: money(quantile(&per_m2, Decimal::ZERO)?),
        q1: money(quantile(&per_m2, Decimal::new(25, 2))?),
        median: money(quantile(&per_m2, Decimal::new(5, 1))?),
        q3: money(quantile(&per_m2, Decimal::new(75, 2))?),
        max: money(quantile(&per_m2, Decimal::ONE)?),
        mean: money(mean),
    })
}

fn empty() -> Error {
    FieldError::new(
        ErrorCode::StatsEmpty,
        "there is nothing to compute statistics of",
    )
    .into()
}

fn sum(values: &[Decimal]) -> Result<Decimal, Error> {
    values.iter().try_fold(Decimal::ZERO, |acc, v| add(acc, *v))
}

/// The `p`-quantile of sorted values by linear interpolation at position `p · (n − 1)`
/// ("type 7"); the median of an even count is the mean of the two middle values.
fn quantile(sorted: &[Decimal], p: Decimal) -> Result<Decimal, Error> {
    let last = sorted.len().checked_sub(1).ok_or_else(empty)?;
    let position = mul(p, Decimal::from(last))?;
    let lower = position.floor();
    let fraction = sub(position, lower)?;
    let index = lower.to_usize().ok_or_else(empty)?;
    let below = sorted.get(index).copied().ok_or_else(empty)?;
    match sorted.get(index + 1) {
        Some(above) if !fraction.is_zero() => add(below, mul(fraction, sub(*above, below)?)?),
        _ => Ok(below),
    }
}

#[cfg(test)]
#[path = "valuation_stats_tests.rs"]
mod tests;
