//! Properties of the pricing calculators: schedules repay exactly what was lent and end at
//! zero, PRICE instalments and SAC amortisations are level but for the last, the CET is never
//! below the nominal rate, a flat index leaves a rent alone, a perfect valuation scores
//! perfectly, and no JSON at all can make a calculator panic or hang.

use chrono::NaiveDate;
use crm_core::domain::from_json;
use crm_core::pricing::{
    AffordabilityLimits, AffordabilityRequest, AmortizationSystem, ClosingCostRequest, Comparable,
    FinancingTerms, IndexSeries, InterestRate, NegativePolicy, RatioPair, RentAdjustmentRequest,
    Schedule, YearMonth, adjust_rent, affordability, annual_rate_from_monthly, closing_costs,
    pow_int, price_per_m2_stats, ratio_study, simulate,
};
use crm_core::{ErrorCode, Money};
use proptest::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{Value, json};

fn fail(e: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(e.to_string())
}

fn cents(c: i64) -> Money {
    Money::brl(Decimal::new(c, 2))
}

/// R$ 1,000.00 to R$ 5,000,000.00 in whole cents.
fn principal() -> impl Strategy<Value = i64> {
    100_000i64..=500_000_000
}

/// 0 to 3% a month, with exactly 0 drawn often.
fn monthly_rate() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        1 => Just(Decimal::ZERO),
        4 => (0i64..=300_000).prop_map(|m| Decimal::new(m, 7)),
    ]
}

fn system() -> impl Strategy<Value = AmortizationSystem> {
    prop_oneof![
        Just(AmortizationSystem::Sac),
        Just(AmortizationSystem::Price)
    ]
}

fn first_due() -> impl Strategy<Value = NaiveDate> {
    (2020i32..2040, 1u32..=12, 1u32..=31).prop_map(|(y, m, d)| {
        NaiveDate::from_ymd_opt(y, m, d)
            .or_else(|| NaiveDate::from_ymd_opt(y, m, 28))
            .unwrap_or_default()
    })
}

fn terms(
    system: AmortizationSystem,
    principal: i64,
    rate: Decimal,
    n: u32,
    due: NaiveDate,
) -> FinancingTerms {
    FinancingTerms::new(
        system,
        cents(principal),
        InterestRate::Monthly(rate),
        n,
        due,
    )
}

/// The invariants every schedule keeps.
fn check_schedule(t: &FinancingTerms, s: &Schedule) -> Result<(), TestCaseError> {
    let n = t.term_months as usize;
    prop_assert_eq!(s.lines.len(), n);
    let last = s.lines.last().ok_or_else(|| fail("no lines"))?;
    prop_assert!(last.balance.is_zero(), "balance ends at {}", last.balance);
    let sum = |f: fn(&crm_core::pricing::ScheduleLine) -> Decimal| -> Decimal {
        s.lines.iter().map(f).sum()
    };
    let amortised = sum(|l| l.amortization.amount());
    let corrected = sum(|l| l.correction.amount());
    prop_assert_eq!(amortised, t.principal.amount() + corrected);
    prop_assert_eq!(s.total_amortization.amount(), amortised);
    prop_assert_eq!(s.total_correction.amount(), corrected);
    prop_assert_eq!(s.total_paid.amount(), sum(|l| l.payment.amount()));
    let mut balance = t.principal.amount();
    for (k, l) in s.lines.iter().enumerate() {
        prop_assert_eq!(l.number as usize, k + 1);
        prop_assert!(
            !l.balance.is_negative(),
            "line {} balance {}",
            k + 1,
            l.balance
        );
        prop_assert!(!l.amortization.is_negative());
        prop_assert_eq!(
            l.instalment.amount(),
            l.interest.amount() + l.amortization.amount()
        );
        let add_ons = l.mip.amount() + l.dfi.amount() + l.admin_fee.amount();
        prop_assert_eq!(l.payment.amount(), l.instalment.amount() + add_ons);
        prop_assert_eq!(
            l.balance.amount(),
            balance + l.correction.amount() - l.amortization.amount()
        );
        prop_assert!(l.payment.is_whole_minor_units() && l.balance.is_whole_minor_units());
        balance = l.balance.amount();
    }
    Ok(())
}

/// Whether the contract's fixed PRICE instalment repays the loan before its last month.
///
/// `PMT = round(PV · i / (1 − (1 + i)^−n))` is off the exact instalment by up to half a cent;
/// rounded up, the excess compounds at `i` and, over a long term at a high rate on a small
/// principal, can exceed the whole balance left for the last month (R$ 115,799.32 at 2.44579%
/// over 411 months: PMT 2832.35 for an exact 2832.3459…, and month 410 would amortise 2778.05
/// of a 2220.30 balance). The contract then has no valid schedule and `simulate` refuses it
/// with `validation.financing.negative_amortization`. This model replays the contract's
/// recursion independently to tell those cases apart.
fn price_overpays(principal: i64, i: Decimal, n: u32) -> Result<bool, TestCaseError> {
    let pv = Decimal::new(principal, 2);
    let half_even = |x: Decimal| x.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven);
    let exact = if i.is_zero() {
        pv / Decimal::from(n)
    } else {
        let v = pow_int(Decimal::ONE + i, -i64::from(n)).map_err(fail)?;
        pv * i / (Decimal::ONE - v)
    };
    let pmt = half_even(exact);
    let mut balance = pv;
    for _ in 1..n {
        balance -= pmt - half_even(balance * i);
        if balance.is_sign_negative() && !balance.is_zero() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// How far cent rounding can pull the CET of a schedule without add-ons below its rate, as
/// an annual fraction. With `ε_k` the rounding of month k's interest (|ε_k| ≤ half a cent) and
/// `v = 1/(1 + i)`, the payments discount at `i` to exactly `PV + Σ ε_k v^k` whatever the
/// amortisations are, so the CET `r` satisfies `|r − i| ≤ 0.005 · Σ v^k / Σ k·p_k·v^(k+1)`
/// (the slope of the present value at `i`), and the annual rate moves at most `12 (1 + i)^11`
/// times that. About `0.25 / PV` for short loans: 5e-5 on R$ 4,838.71 over 6 months.
fn cet_rounding_bound(s: &Schedule, i: Decimal) -> Decimal {
    let v = Decimal::ONE / (Decimal::ONE + i);
    let (mut vk, mut annuity, mut slope) = (Decimal::ONE, Decimal::ZERO, Decimal::ZERO);
    for (k, line) in s.lines.iter().enumerate() {
        vk *= v;
        annuity += vk;
        slope += Decimal::from(k + 1) * line.payment.amount() * vk * v;
    }
    let monthly = Decimal::new(5, 3) * annuity / slope;
    let growth = pow_int(Decimal::ONE + i, 11).unwrap_or(Decimal::ONE);
    Decimal::from(12) * growth * monthly
}

fn level_but_last(values: &[Decimal]) -> Result<(), TestCaseError> {
    if let Some((first, rest)) = values.split_first() {
        let middle = rest.len().saturating_sub(1);
        for v in rest.iter().take(middle) {
            prop_assert_eq!(v, first);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn schedules_repay_exactly(
        system in system(), p in principal(), rate in monthly_rate(), n in 1u32..=420,
        due in first_due(),
    ) {
        let t = terms(system, p, rate, n, due);
        let overpays = system == AmortizationSystem::Price && price_overpays(p, rate, n)?;
        let s = match simulate(&t) {
            Err(e) if overpays => {
                prop_assert_eq!(e.code(), ErrorCode::FinancingNegativeAmortization);
                return Ok(());
            }
            other => other.map_err(fail)?,
        };
        prop_assert!(!overpays, "the model says PRICE overpays, yet a schedule came out");
        check_schedule(&t, &s)?;
        match system {
            AmortizationSystem::Price => {
                let inst: Vec<Decimal> = s.lines.iter().map(|l| l.instalment.amount()).collect();
                level_but_last(&inst)?;
            }
            AmortizationSystem::Sac => {
                let amort: Vec<Decimal> = s.lines.iter().map(|l| l.amortization.amount()).collect();
                level_but_last(&amort)?;
            }
        }
        // Without add-ons or upfront costs the CET is the nominal rate up to cent rounding:
        // 0.000001 as asked, or the rounding bound where a small principal makes it larger,
        // plus half a unit of the 6th place the CET is reported in.
        let nominal = annual_rate_from_monthly(rate).map_err(fail)?;
        let tolerance = Decimal::new(1, 6).max(cet_rounding_bound(&s, rate) + Decimal::new(5, 7));
        prop_assert!(
            s.cet_annual >= nominal - tolerance,
            "CET {} below nominal {} by more than {}", s.cet_annual, nominal, tolerance
        );
    }

    #[test]
    fn add_ons_raise_the_cet(
        system in system(), p in principal(), rate in monthly_rate(), n in 1u32..=420,
        due in first_due(),
        mip in 100i64..=500, dfi in 50i64..=300, fee in 1_000i64..=10_000,
        upfront_per_mille in 10i64..=30, pick in 0u8..16,
    ) {
        let mut t = terms(system, p, rate, n, due);
        // Some subset of MIP (0.01%–0.05%), DFI (0.0005%–0.003% of twice the principal), a
        // R$ 10–100 fee and upfront costs of 1–3% of the principal; at least one. Each is
        // large enough to outweigh the cent rounding of the interest (at most half a cent a
        // month), so the CET is at or above the nominal rate with no tolerance.
        let pick = pick.max(1);
        if pick & 1 != 0 {
            t.mip_rate = Some(Decimal::new(mip, 6));
        }
        if pick & 2 != 0 {
            t.property_value = Some(cents(p * 2));
            t.dfi_rate = Some(Decimal::new(dfi, 7));
        }
        if pick & 4 != 0 {
            t.admin_fee = Some(cents(fee));
        }
        if pick & 8 != 0 {
            t.upfront_costs = Some(cents(p * upfront_per_mille / 1000));
        }
        let overpays = system == AmortizationSystem::Price && price_overpays(p, rate, n)?;
        let s = match simulate(&t) {
            Err(e) if overpays => {
                prop_assert_eq!(e.code(), ErrorCode::FinancingNegativeAmortization);
                return Ok(());
            }
            other => other.map_err(fail)?,
        };
        check_schedule(&t, &s)?;
        // Both sides at the 6 places the CET is reported in: rounding is monotonic, so a CET
        // at or above the nominal rate never reports below its rounded value.
        let nominal = annual_rate_from_monthly(rate).map_err(fail)?;
        let nominal = nominal.round_dp_with_strategy(6, RoundingStrategy::MidpointNearestEven);
        prop_assert!(s.cet_annual >= nominal, "CET {} below nominal {}", s.cet_annual, nominal);
        prop_assert!(s.cet_monthly >= rate.round_dp_with_strategy(6, RoundingStrategy::MidpointNearestEven));
    }

    #[test]
    fn tr_is_repaid_too(
        system in system(), p in principal(), rate in monthly_rate(), n in 1u32..=240,
        due in first_due(), seed in prop::collection::vec(0i64..=30, 1..=12),
    ) {
        // TR of 0 to 0.3% a month, cycling through the drawn values.
        let mut t = terms(system, p, rate, n, due);
        t.tr = (0..n as usize).map(|k| Decimal::new(seed[k % seed.len()], 4)).collect();
        let s = simulate(&t).map_err(fail)?;
        check_schedule(&t, &s)?;
    }

    #[test]
    fn first_payment_fits_the_income(
        system in system(), income in 100_000i64..=10_000_000, rate in monthly_rate(),
        n in 1u32..=420,
    ) {
        let req = AffordabilityRequest {
            system,
            gross_monthly_income: cents(income),
            property_value: cents(income * 200),
            rate: InterestRate::Monthly(rate),
            term_months: n,
            limits: AffordabilityLimits {
                income_commitment: crm_core::Rate::parse("30%").map_err(fail)?,
                max_ltv: crm_core::Rate::parse("80%").map_err(fail)?,
                max_term_months: 420,
            },
        };
        let a = affordability(&req).map_err(fail)?;
        prop_assert!(a.max_loan.amount() <= a.max_loan_by_income.amount());
        prop_assert!(a.max_loan.amount() <= a.max_loan_by_ltv.amount());
        prop_assert!(a.first_payment.amount() <= a.max_payment.amount() + Decimal::new(1, 2));
        prop_assert_eq!(a.down_payment.amount() + a.max_loan.amount(), req.property_value.amount());
    }

    #[test]
    fn flat_index_leaves_the_rent_alone(
        rent in 1i64..=10_000_000, year in 2000i32..2090, month in 1u32..=12, day in 1u32..=28,
        lag in 0u32..=3, years_later in 1i32..=5, floor in any::<bool>(),
    ) {
        let start = NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| fail("date"))?;
        let anniversary = YearMonth::new(year + years_later, month).map_err(fail)?;
        let first = anniversary.plus_months(-i64::from(lag) - 12).ok_or_else(|| fail("month"))?;
        let series = first.through(anniversary).map(|m| (m, Decimal::ZERO)).collect();
        let req = RentAdjustmentRequest {
            index_name: "IGP-M".into(),
            current_rent: cents(rent),
            contract_start: start,
            adjustment_year: year + years_later,
            renegotiated_on: None,
            lag_months: lag,
            negative_policy: if floor { NegativePolicy::FloorAtZero } else { NegativePolicy::Apply },
            series: IndexSeries::Variations(series),
        };
        let adj = adjust_rent(&req).map_err(fail)?;
        prop_assert_eq!(adj.new_rent, req.current_rent);
        prop_assert_eq!(adj.factor, Decimal::ONE);
        prop_assert_eq!(adj.months.len(), 12);
        prop_assert!(!adj.floored);
    }

    #[test]
    fn perfect_valuations_score_perfectly(prices in prop::collection::vec(1i64..=1_000_000_000, 1..60)) {
        let pairs: Vec<RatioPair> = prices
            .iter()
            .map(|c| RatioPair { predicted: cents(*c), sale_price: cents(*c) })
            .collect();
        let s = ratio_study(&pairs).map_err(fail)?;
        prop_assert_eq!(s.count, prices.len());
        prop_assert_eq!(s.median_ratio, Decimal::ONE);
        prop_assert_eq!(s.cod, Decimal::ZERO);
        prop_assert_eq!(s.prd, Decimal::ONE);
        prop_assert_eq!(s.mdape, Decimal::ZERO);
        prop_assert_eq!(s.ppe10, Decimal::ONE);
    }
}

// --- no input can make a calculator panic or hang ---------------------------------------------

/// Decimal text: ordinary values, boundaries and values no rule accepts.
fn decimal_text() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => (any::<i64>(), 0u32..=28).prop_map(|(m, s)| json!(Decimal::new(m, s).to_string())),
        3 => (-1_000i64..=1_000_000, 0u32..=4).prop_map(|(m, s)| json!(Decimal::new(m, s).to_string())),
        1 => prop::sample::select(vec![
            "0", "-0", "1", "-1", "0.01", "-1.0000000000000000000000000001", "4095", "4096",
            "79228162514264337593543950335", "-79228162514264337593543950335",
            "0.0000000000000000000000000001", "1e3", "NaN", "", "12,5", "6%",
        ]).prop_map(|s| json!(s)),
        1 => any::<i64>().prop_map(|i| json!(i)),
        1 => any::<f64>().prop_map(|f| json!(f)),
    ]
}

fn money_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => decimal_text(),
        1 => (decimal_text(), prop::sample::select(vec!["BRL", "USD", "JPY", "XXX", "brl"]))
            .prop_map(|(a, c)| json!({"amount": a, "currency": c})),
    ]
}

fn month_key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (2015i32..2030, 1u32..=12).prop_map(|(y, m)| format!("{y:04}-{m:02}")),
        1 => prop::sample::select(vec!["0000-01", "9999-12", "2025-13", "2025-1", "x"]).prop_map(String::from),
    ]
}

fn date_text() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => (1990i32..2100, 1u32..=12, 1u32..=31).prop_map(|(y, m, d)| json!(format!("{y:04}-{m:02}-{d:02}"))),
        1 => prop::sample::select(vec!["0000-01-01", "9999-12-31", "+262142-12-31", "-262143-01-01", "2025-02-30", "x"])
            .prop_map(|s| json!(s)),
    ]
}

fn small_int() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => (0i64..=24).prop_map(|i| json!(i)),
        1 => prop::sample::select(vec![-1i64, 0, 360, 600, 601, 120_000, 4_294_967_295, 4_294_967_296, i64::MIN, i64::MAX])
            .prop_map(|i| json!(i)),
        1 => any::<i32>().prop_map(|i| json!(i)),
    ]
}

/// A financing request with every field drawn from good and bad values (some left out).
fn financing_json() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec!["sac", "price", "german"]),
        money_value(),
        prop_oneof![Just("monthly"), Just("annual_effective"), Just("daily")],
        decimal_text(),
        small_int(),
        date_text(),
        prop::option::of(money_value()),
        (
            prop::option::of(decimal_text()),
            prop::option::of(decimal_text()),
        ),
        prop::option::of(money_value()),
        prop::collection::vec(decimal_text(), 0..=24),
        prop::option::of(money_value()),
    )
        .prop_map(
            |(system, principal, kind, rate, term, due, property, (mip, dfi), fee, tr, upfront)| {
                let mut o = json!({
                    "system": system, "principal": principal, "rate": {kind: rate},
                    "term_months": term, "first_due": due, "tr": tr,
                });
                for (key, v) in [
                    ("property_value", property),
                    ("mip_rate", mip),
                    ("dfi_rate", dfi),
                    ("admin_fee", fee),
                    ("upfront_costs", upfront),
                ] {
                    if let (Some(v), Some(map)) = (v, o.as_object_mut()) {
                        map.insert(key.to_owned(), v);
                    }
                }
                o
            },
        )
}

fn rent_json() -> impl Strategy<Value = Value> {
    (
        money_value(),
        date_text(),
        small_int(),
        prop::option::of(date_text()),
        prop::option::of(small_int()),
        prop_oneof![Just("variations"), Just("numbers")],
        prop::collection::btree_map(month_key(), decimal_text(), 0..=30),
    )
        .prop_map(|(rent, start, year_offset, reneg, lag, kind, series)| {
            let year = 2010i64.saturating_add(year_offset.as_i64().unwrap_or(0));
            let mut o = json!({
                "index_name": "IGP-M", "current_rent": rent, "contract_start": start,
                "adjustment_year": year, "series": {kind: series},
            });
            if let Some(map) = o.as_object_mut() {
                if let Some(r) = reneg {
                    map.insert("renegotiated_on".into(), r);
                }
                if let Some(l) = lag {
                    map.insert("lag_months".into(), l);
                }
            }
            o
        })
}

fn fee_table() -> impl Strategy<Value = Value> {
    prop::collection::vec(
        (prop::option::of(money_value()), money_value()).prop_map(|(up_to, fee)| match up_to {
            Some(u) => json!({"up_to": u, "fee": fee}),
            None => json!({"fee": fee}),
        }),
        0..=5,
    )
    .prop_map(Value::Array)
}

fn other_json() -> impl Strategy<Value = (u8, Value)> {
    prop_oneof![
        (
            money_value(),
            prop::option::of(money_value()),
            decimal_text(),
            prop::option::of(decimal_text()),
            fee_table(),
            fee_table()
        )
            .prop_map(|(declared, financed, rate, reduced, registry, notary)| {
                let mut config =
                    json!({"itbi_rate": rate, "registry_fees": registry, "notary_fees": notary});
                if let (Some(r), Some(map)) = (reduced, config.as_object_mut()) {
                    map.insert("itbi_financed_rate".into(), r);
                }
                let mut o = json!({"declared_value": declared, "config": config});
                if let (Some(f), Some(map)) = (financed, o.as_object_mut()) {
                    map.insert("financed".into(), f);
                }
                (0u8, o)
            }),
        prop::collection::vec((money_value(), money_value()), 0..=8).prop_map(|v| (
            1u8,
            Value::Array(
                v.into_iter()
                    .map(|(p, s)| json!({"predicted": p, "sale_price": s}))
                    .collect()
            )
        )),
        prop::collection::vec((money_value(), decimal_text()), 0..=8).prop_map(|v| (
            2u8,
            Value::Array(
                v.into_iter()
                    .map(|(p, a)| json!({"price": p, "area_m2": a}))
                    .collect()
            )
        )),
        (
            prop::sample::select(vec!["sac", "price"]),
            money_value(),
            money_value(),
            decimal_text(),
            small_int(),
            small_int(),
            decimal_text()
        )
            .prop_map(|(system, income, value, rate, term, max_term, ltv)| (
                3u8,
                json!({
                    "system": system, "gross_monthly_income": income, "property_value": value,
                    "rate": {"monthly": rate}, "term_months": term,
                    "limits": {"max_ltv": ltv, "max_term_months": max_term},
                })
            )),
    ]
}

/// Loads the JSON and, when it has the right shape, runs the calculator. Any outcome but a
/// panic is fine.
fn run_all(text: &str) {
    if let Ok(t) = from_json::<FinancingTerms>(text) {
        let _ = simulate(&t);
    }
    if let Ok(r) = from_json::<RentAdjustmentRequest>(text) {
        let _ = adjust_rent(&r);
    }
    if let Ok(r) = from_json::<ClosingCostRequest>(text) {
        let _ = closing_costs(&r);
    }
    if let Ok(r) = from_json::<AffordabilityRequest>(text) {
        let _ = affordability(&r);
    }
    if let Ok(p) = from_json::<Vec<RatioPair>>(text) {
        let _ = ratio_study(&p);
    }
    if let Ok(c) = from_json::<Vec<Comparable>>(text) {
        let _ = price_per_m2_stats(&c);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(s in ".{0,200}") {
        run_all(&s);
    }

    #[test]
    fn near_valid_financing_never_panics(v in financing_json()) {
        run_all(&v.to_string());
    }

    #[test]
    fn near_valid_rent_requests_never_panic(v in rent_json()) {
        run_all(&v.to_string());
    }

    #[test]
    fn near_valid_other_requests_never_panic((_, v) in other_json()) {
        run_all(&v.to_string());
    }
}

#[test]
fn the_longest_term_at_the_highest_rate_is_refused_or_computed_quickly() {
    // 600 months at 100% a month: 2^600 is far beyond the decimal range, yet the schedule is
    // computed (the instalment is the interest to every digit) without overflow or a hang.
    let due = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    for system in [AmortizationSystem::Sac, AmortizationSystem::Price] {
        let t = terms(system, 500_000_000, Decimal::ONE, 600, due);
        let started = std::time::Instant::now();
        let outcome = simulate(&t);
        assert!(started.elapsed().as_secs() < 5);
        if let Ok(s) = outcome {
            assert!(s.lines.last().is_some_and(|l| l.balance.is_zero()));
        }
    }
}
