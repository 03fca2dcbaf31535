//! Unit tests of `adjust_rent`, worked by hand.

use super::*;
use rust_decimal_macros::dec;

fn ym(s: &str) -> YearMonth {
    s.parse().unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Variations for every month from `first` to `last` (inclusive), all `v`.
fn flat(first: &str, last: &str, v: Decimal) -> BTreeMap<YearMonth, Decimal> {
    ym(first).through(ym(last)).map(|m| (m, v)).collect()
}

fn request(series: IndexSeries) -> RentAdjustmentRequest {
    RentAdjustmentRequest {
        index_name: "IGP-M".into(),
        current_rent: Money::brl(dec!(2500)),
        contract_start: date(2024, 3, 10),
        adjustment_year: 2025,
        renegotiated_on: None,
        lag_months: 1,
        negative_policy: NegativePolicy::Apply,
        series,
    }
}

fn error(req: &RentAdjustmentRequest) -> (ErrorCode, String) {
    let e = adjust_rent(req).unwrap_err();
    (
        e.code(),
        e.field_errors()
            .first()
            .map(|f| f.path.clone())
            .unwrap_or_default(),
    )
}

#[test]
fn accumulates_twelve_variations() {
    // Twelve monthly variations, 2024-03 … 2025-02 (the March anniversary: the window ends
    // lag 1 month before it, in February, and starts 11 months earlier):
    // Π (1 + v) = 1.0052 · 0.9953 · 1.0031 · 1.0089 · 1.0081 · 1.0061 · 1.0029 · 1.0062
    //           · 1.0152 · 1.0130 · 1.0094 · 1.0027 = 1.0786509101644906770959719440…
    // 2500.00 · 1.07865091… = 2696.6272… → 2696.63; variation 0.0786509… → 0.078651.
    let values = [
        "0.0052", "-0.0047", "0.0031", "0.0089", "0.0081", "0.0061", "0.0029", "0.0062", "0.0152",
        "0.0130", "0.0094", "0.0027",
    ];
    let mut series: BTreeMap<YearMonth, Decimal> = ym("2024-03")
        .through(ym("2025-02"))
        .zip(values)
        .map(|(m, v)| (m, v.parse().unwrap()))
        .collect();
    // Months outside the window are ignored.
    series.insert(ym("2024-02"), dec!(0.5));
    series.insert(ym("2025-03"), dec!(0.5));
    let adj = adjust_rent(&request(IndexSeries::Variations(series))).unwrap();
    assert_eq!(adj.anniversary, date(2025, 3, 10));
    assert_eq!(
        (adj.window_start, adj.window_end),
        (ym("2024-03"), ym("2025-02"))
    );
    assert_eq!(adj.months.len(), 12);
    assert_eq!(adj.months[1].value, dec!(-0.0047));
    assert_eq!(adj.factor.round_dp(24), dec!(1.078650910164490677095972));
    assert_eq!(adj.variation, dec!(0.078651));
    assert_eq!(adj.applied_factor, adj.factor);
    assert!(!adj.floored);
    assert_eq!(adj.previous_rent, Money::brl(dec!(2500)));
    assert_eq!(adj.new_rent, Money::brl(dec!(2696.63)));
    assert_eq!(adj.source, SeriesKind::Variations);
}

#[test]
fn index_numbers_divide_end_by_base() {
    // Window 2024-03 … 2025-02; the base is the number at 2024-02.
    // 1045.123 / 1000.000 = 1.045123; 2000 · 1.045123 = 2090.246 → 2090.25.
    let series: BTreeMap<YearMonth, Decimal> = [
        (ym("2024-02"), dec!(1000.000)),
        (ym("2024-07"), dec!(1020.5)),
        (ym("2025-02"), dec!(1045.123)),
    ]
    .into_iter()
    .collect();
    let mut req = request(IndexSeries::Numbers(series));
    req.current_rent = Money::brl(dec!(2000));
    let adj = adjust_rent(&req).unwrap();
    assert_eq!(adj.factor, dec!(1.045123));
    assert_eq!(adj.new_rent, Money::brl(dec!(2090.25)));
    assert_eq!(adj.source, SeriesKind::Numbers);
    let used: Vec<(String, Decimal)> = adj
        .months
        .iter()
        .map(|m| (m.month.to_string(), m.value))
        .collect();
    assert_eq!(
        used,
        [
            ("2024-02".to_owned(), dec!(1000.000)),
            ("2025-02".to_owned(), dec!(1045.123))
        ]
    );
}

#[test]
fn the_new_rent_rounds_half_even() {
    // 1500.00 · 1000.03 / 1000 = 1500.045 → 1500.04 (even); · 1.00005 = 1500.075 → 1500.08.
    for (end, expected) in [
        (dec!(1000.03), dec!(1500.04)),
        (dec!(1000.05), dec!(1500.08)),
    ] {
        let series = [(ym("2024-02"), dec!(1000)), (ym("2025-02"), end)]
            .into_iter()
            .collect();
        let mut req = request(IndexSeries::Numbers(series));
        req.current_rent = Money::brl(dec!(1500));
        assert_eq!(adjust_rent(&req).unwrap().new_rent, Money::brl(expected));
    }
}

#[test]
fn zero_variations_leave_the_rent_unchanged() {
    let req = request(IndexSeries::Variations(flat("2024-03", "2025-02", dec!(0))));
    let adj = adjust_rent(&req).unwrap();
    assert_eq!(adj.factor, dec!(1));
    assert_eq!(adj.variation, dec!(0));
    assert_eq!(adj.new_rent, req.current_rent);
}

#[test]
fn negative_variation_applies_or_floors() {
    // −1% every month: 0.99^12 = 0.886384871716129280658801; 2500 · 0.8863848717… =
    // 2215.962179… → 2215.96; variation −0.113615128… → −0.113615.
    let mut req = request(IndexSeries::Variations(flat(
        "2024-03",
        "2025-02",
        dec!(-0.01),
    )));
    let adj = adjust_rent(&req).unwrap();
    assert_eq!(adj.factor, dec!(0.886384871716129280658801));
    assert_eq!(adj.variation, dec!(-0.113615));
    assert_eq!(adj.new_rent, Money::brl(dec!(2215.96)));
    assert!(!adj.floored);
    req.negative_policy = NegativePolicy::FloorAtZero;
    let adj = adjust_rent(&req).unwrap();
    assert!(adj.floored);
    assert_eq!(adj.applied_factor, dec!(1));
    assert_eq!(adj.variation, dec!(-0.113615));
    assert_eq!(adj.new_rent, Money::brl(dec!(2500)));
}

#[test]
fn renegotiation_resets_the_anniversary() {
    // Renegotiated on 2024-08-31: adjusted in August 2025 on 2024-08 … 2025-07 (lag 1).
    let mut req = request(IndexSeries::Variations(flat(
        "2024-08",
        "2025-07",
        dec!(0.001),
    )));
    req.contract_start = date(2022, 5, 20);
    req.renegotiated_on = Some(date(2024, 8, 31));
    let adj = adjust_rent(&req).unwrap();
    assert_eq!(adj.anniversary, date(2025, 8, 31));
    assert_eq!(
        (adj.window_start, adj.window_end),
        (ym("2024-08"), ym("2025-07"))
    );
    // Not in the renegotiation's own year.
    req.adjustment_year = 2024;
    assert_eq!(
        error(&req),
        (ErrorCode::IndexTooEarly, "adjustment_year".into())
    );
    // Nor before the contract started.
    req.adjustment_year = 2025;
    req.renegotiated_on = Some(date(2022, 1, 1));
    assert_eq!(
        error(&req),
        (ErrorCode::DateOrder, "renegotiated_on".into())
    );
}

#[test]
fn anniversary_day_is_clamped_and_lag_moves_the_window() {
    // Started 2024-02-29: the 2025 anniversary is 2025-02-28.
    let mut req = request(IndexSeries::Variations(flat("2024-01", "2025-02", dec!(0))));
    req.contract_start = date(2024, 2, 29);
    assert_eq!(adjust_rent(&req).unwrap().anniversary, date(2025, 2, 28));
    // Lag 0: the window ends at the anniversary month itself, 2024-03 … 2025-02.
    req.lag_months = 0;
    let adj = adjust_rent(&req).unwrap();
    assert_eq!(
        (adj.window_start, adj.window_end),
        (ym("2024-03"), ym("2025-02"))
    );
    // Lag 2: 2024-01 … 2024-12.
    req.lag_months = 2;
    let adj = adjust_rent(&req).unwrap();
    assert_eq!(
        (adj.window_start, adj.window_end),
        (ym("2024-01"), ym("2024-12"))
    );
}

#[test]
fn missing_months_are_all_listed() {
    let mut months = flat("2024-03", "2025-02", dec!(0.001));
    months.remove(&ym("2024-09"));
    months.remove(&ym("2024-05"));
    let err = adjust_rent(&request(IndexSeries::Variations(months))).unwrap_err();
    assert_eq!(err.code(), ErrorCode::IndexMissingMonths);
    let e = &err.field_errors()[0];
    assert_eq!(e.path, "series");
    assert!(e.message.ends_with("2024-05, 2024-09"), "{}", e.message);
    // Index numbers need the base month and the window's last month.
    let numbers = [(ym("2024-06"), dec!(1000))].into_iter().collect();
    let err = adjust_rent(&request(IndexSeries::Numbers(numbers))).unwrap_err();
    assert!(err.to_string().contains("2024-02, 2025-02"), "{err}");
}

#[test]
fn empty_and_impossible_values() {
    let req = request(IndexSeries::Variations(BTreeMap::new()));
    assert_eq!(error(&req), (ErrorCode::IndexEmpty, "series".into()));
    let req = request(IndexSeries::Numbers(BTreeMap::new()));
    assert_eq!(error(&req), (ErrorCode::IndexEmpty, "series".into()));
    let mut months = flat("2024-03", "2025-02", dec!(0));
    months.insert(ym("2024-04"), dec!(-1));
    let req = request(IndexSeries::Variations(months));
    assert_eq!(
        error(&req),
        (ErrorCode::IndexValue, "series.variations.2024-04".into())
    );
    let numbers = [(ym("2024-02"), dec!(0)), (ym("2025-02"), dec!(100))]
        .into_iter()
        .collect();
    let req = request(IndexSeries::Numbers(numbers));
    assert_eq!(
        error(&req),
        (ErrorCode::IndexValue, "series.numbers.2024-02".into())
    );
}

#[test]
fn too_early_and_out_of_range() {
    let ok = request(IndexSeries::Variations(flat("2024-03", "2025-02", dec!(0))));
    let mut req = ok.clone();
    req.adjustment_year = 2024;
    assert_eq!(
        error(&req),
        (ErrorCode::IndexTooEarly, "adjustment_year".into())
    );
    req.adjustment_year = i32::MIN;
    assert_eq!(error(&req).0, ErrorCode::IndexTooEarly);
    let mut req = ok.clone();
    req.adjustment_year = 10_000;
    assert_eq!(
        error(&req),
        (ErrorCode::NumberRange, "adjustment_year".into())
    );
    req.adjustment_year = i32::MAX;
    assert_eq!(error(&req).0, ErrorCode::NumberRange);
    let mut req = ok.clone();
    req.lag_months = u32::MAX;
    assert_eq!(error(&req), (ErrorCode::NumberRange, "lag_months".into()));
    for bad in [dec!(0), dec!(-10), dec!(2500.001)] {
        let mut req = ok.clone();
        req.current_rent = Money::brl(bad);
        assert_eq!(error(&req), (ErrorCode::NumberRange, "current_rent".into()));
    }
}

#[test]
fn huge_variations_overflow_with_a_typed_error() {
    let req = request(IndexSeries::Variations(flat(
        "2024-03",
        "2025-02",
        Decimal::MAX,
    )));
    assert_eq!(error(&req).0, ErrorCode::Overflow);
}

#[test]
fn json_shapes() {
    let json = r#"{"index_name": "IPCA", "current_rent": {"amount": "1800.00", "currency": "BRL"},
        "contract_start": "2023-07-01", "adjustment_year": 2025, "negative_policy": "floor_at_zero",
        "lag_months": 2,
        "series": {"numbers": {"2024-05": "7000.12", "2025-05": "7300.5"}}}"#;
    let req: RentAdjustmentRequest = crate::domain::from_json(json).unwrap();
    let adj = adjust_rent(&req).unwrap();
    // 7300.5 / 7000.12 = 1.04291069…; 1800 · 1.04291069… = 1877.2392… → 1877.24.
    assert_eq!(adj.new_rent, Money::brl(dec!(1877.24)));
    let out = serde_json::to_value(&adj).unwrap();
    // July anniversary, lag 2: the window is 2024-06 … 2025-05, the base 2024-05.
    assert_eq!(
        out["months"][0],
        serde_json::json!({"month": "2024-05", "value": "7000.12"})
    );
    assert_eq!(out["source"], "numbers");
    assert_eq!(out["window_start"], "2024-06");
    let back: RentAdjustment = serde_json::from_value(out).unwrap();
    assert_eq!(back, adj);
    for bad in [
        r#"{"variations": {"2025-1": "0.1"}}"#,
        r#"{"variations": {"2025-01": 0.1}}"#,
        r#"{"indices": {}}"#,
    ] {
        assert!(serde_json::from_str::<IndexSeries>(bad).is_err(), "{bad}");
    }
}
