//! Unit tests of the ratio study and the price-per-m² statistics, worked by hand.

use super::*;
use rust_decimal_macros::dec;

fn pair(predicted: Decimal, sale: Decimal) -> RatioPair {
    RatioPair {
        predicted: Money::brl(predicted),
        sale_price: Money::brl(sale),
    }
}

fn comparable(price: Decimal, area: Decimal) -> Comparable {
    Comparable {
        price: Money::brl(price),
        area_m2: area,
    }
}

fn first_error(e: Error) -> (ErrorCode, String) {
    (
        e.code(),
        e.field_errors()
            .first()
            .map(|f| f.path.clone())
            .unwrap_or_default(),
    )
}

#[test]
fn even_count_study() {
    // Ratios 160/200 = 0.8, 90/100 = 0.9, 110/100 = 1.1, 390/300 = 1.3.
    let s = ratio_study(&[
        pair(dec!(160), dec!(200)),
        pair(dec!(90), dec!(100)),
        pair(dec!(110), dec!(100)),
        pair(dec!(390), dec!(300)),
    ])
    .unwrap();
    assert_eq!(s.count, 4);
    // Median of an even count: (0.9 + 1.1) / 2 = 1.0; mean 4.1 / 4 = 1.025.
    assert_eq!(s.median_ratio, dec!(1));
    assert_eq!(s.mean_ratio, dec!(1.025));
    // |ratio − 1|: 0.2, 0.1, 0.1, 0.3 → sorted 0.1, 0.1, 0.2, 0.3: median 0.15, mean 0.175.
    assert_eq!(s.mdape, dec!(0.15));
    assert_eq!(s.mape, dec!(0.175));
    // Within 10%: 0.9 and 1.1 (exactly 10% counts); within 20%: also 0.8.
    assert_eq!(s.ppe10, dec!(0.5));
    assert_eq!(s.ppe20, dec!(0.75));
    // COD = 100 · mean |r − 1.0| / 1.0 = 100 · 0.175 = 17.5.
    assert_eq!(s.cod, dec!(17.5));
    // Weighted mean 750 / 700 = 1.0714285…; PRD = 1.025 / 1.0714285… = 0.9566666… → 0.956667.
    assert_eq!(s.weighted_mean_ratio, dec!(1.071429));
    assert_eq!(s.prd, dec!(0.956667));
}

#[test]
fn identical_values_are_perfect() {
    let pairs: Vec<RatioPair> = [dec!(350000), dec!(1200000), dec!(89999.99)]
        .into_iter()
        .map(|v| pair(v, v))
        .collect();
    let s = ratio_study(&pairs).unwrap();
    assert_eq!((s.median_ratio, s.cod, s.prd), (dec!(1), dec!(0), dec!(1)));
    assert_eq!(
        (s.mdape, s.mape, s.ppe10, s.ppe20),
        (dec!(0), dec!(0), dec!(1), dec!(1))
    );
}

#[test]
fn rounding_happens_at_the_end() {
    // Ratios 1/3, 2/3, 1: mean (1/3 + 2/3 + 1) / 3 = 2/3 → 0.666667; median 2/3.
    // COD = 100 · (1/3 + 0 + 1/3) / 3 / (2/3) = 100 · (2/9) · (3/2) = 33.333333….
    let s = ratio_study(&[
        pair(dec!(100), dec!(300)),
        pair(dec!(200), dec!(300)),
        pair(dec!(300), dec!(300)),
    ])
    .unwrap();
    assert_eq!(s.mean_ratio, dec!(0.666667));
    assert_eq!(s.median_ratio, dec!(0.666667));
    assert_eq!(s.cod, dec!(33.333333));
    // Weighted 600 / 900 = 2/3, so PRD = (2/3) / (2/3) = 1.
    assert_eq!(s.prd, dec!(1));
}

#[test]
fn study_errors() {
    assert_eq!(ratio_study(&[]).unwrap_err().code(), ErrorCode::StatsEmpty);
    let e = ratio_study(&[pair(dec!(1), dec!(1)), pair(dec!(1), dec!(0))]).unwrap_err();
    assert_eq!(
        first_error(e),
        (ErrorCode::StatsValue, "[1].sale_price".into())
    );
    let e = ratio_study(&[pair(dec!(-1), dec!(1))]).unwrap_err();
    assert_eq!(
        first_error(e),
        (ErrorCode::StatsValue, "[0].predicted".into())
    );
    let usd = RatioPair {
        predicted: Money::new(dec!(1), Currency::USD),
        sale_price: Money::brl(dec!(1)),
    };
    assert_eq!(
        ratio_study(&[usd]).unwrap_err().code(),
        ErrorCode::CurrencyMismatch
    );
    // Ratios beyond the decimal range are an overflow, not a panic.
    let e = ratio_study(&[pair(Decimal::MAX, dec!(0.0000000000000000000000000001))]).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Overflow);
}

#[test]
fn price_per_m2_odd_count() {
    // 300000/50 = 6000, 1000000/3 = 333333.33…, 450000/60 = 7500 → sorted 6000, 7500, 333333.3….
    // q1 at position 0.5: 6000 + 0.5 · 1500 = 6750; median 7500; q3 at 1.5: 7500 + 0.5 ·
    // (333333.333… − 7500) = 170416.666… → 170416.67; mean 346833.333… / 3 = 115611.111… → .11.
    let s = price_per_m2_stats(&[
        comparable(dec!(300000), dec!(50)),
        comparable(dec!(1000000), dec!(3)),
        comparable(dec!(450000), dec!(60)),
    ])
    .unwrap();
    assert_eq!(s.count, 3);
    assert_eq!(s.min, Money::brl(dec!(6000)));
    assert_eq!(s.q1, Money::brl(dec!(6750)));
    assert_eq!(s.median, Money::brl(dec!(7500)));
    assert_eq!(s.q3, Money::brl(dec!(170416.67)));
    assert_eq!(s.max, Money::brl(dec!(333333.33)));
    assert_eq!(s.mean, Money::brl(dec!(115611.11)));
    let one = price_per_m2_stats(&[comparable(dec!(500000), dec!(62.5))]).unwrap();
    assert_eq!(
        (one.min, one.q1, one.max),
        (
            Money::brl(dec!(8000)),
            Money::brl(dec!(8000)),
            Money::brl(dec!(8000))
        )
    );
    assert_eq!(
        serde_json::to_value(&one).unwrap()["mean"]["amount"],
        "8000.00"
    );
}

#[test]
fn price_per_m2_errors() {
    assert_eq!(
        price_per_m2_stats(&[]).unwrap_err().code(),
        ErrorCode::StatsEmpty
    );
    let e = price_per_m2_stats(&[comparable(dec!(1), dec!(0))]).unwrap_err();
    assert_eq!(
        first_error(e),
        (ErrorCode::StatsValue, "[0].area_m2".into())
    );
    let e = price_per_m2_stats(&[comparable(dec!(1), dec!(1)), comparable(dec!(0), dec!(1))])
        .unwrap_err();
    assert_eq!(first_error(e), (ErrorCode::StatsValue, "[1].price".into()));
    let mixed = [
        comparable(dec!(1), dec!(1)),
        Comparable {
            price: Money::new(dec!(1), Currency::EUR),
            area_m2: dec!(1),
        },
    ];
    assert_eq!(
        price_per_m2_stats(&mixed).unwrap_err().code(),
        ErrorCode::CurrencyMismatch
    );
}

#[test]
fn json_shapes() {
    let pairs: Vec<RatioPair> = crate::domain::from_json(
        r#"[{"predicted": "510000", "sale_price": "500000"}, {"predicted": {"amount": "95000"}, "sale_price": "100000"}]"#,
    )
    .unwrap();
    let s = ratio_study(&pairs).unwrap();
    // 1.02 and 0.95: median 0.985, mdape (0.02 + 0.05) / 2 = 0.035.
    assert_eq!((s.median_ratio, s.mdape), (dec!(0.985), dec!(0.035)));
    let out = serde_json::to_value(&s).unwrap();
    assert_eq!(out["median_ratio"], "0.985");
    assert_eq!(serde_json::from_value::<RatioStudy>(out).unwrap(), s);
    let bad = r#"[{"price": "1", "area_m2": 50.5}]"#;
    assert!(crate::domain::from_json::<Vec<Comparable>>(bad).is_err());
}
