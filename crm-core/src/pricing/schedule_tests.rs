//! Unit tests of `simulate`, with the arithmetic worked by hand in the comments.

use super::*;
use crate::Currency;
use crate::pricing::InterestRate;
use chrono::NaiveDate;
use rust_decimal_macros::dec;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn brl(x: Decimal) -> Money {
    Money::brl(x)
}

fn terms(
    system: AmortizationSystem,
    principal: Decimal,
    monthly: Decimal,
    n: u32,
) -> FinancingTerms {
    FinancingTerms::new(
        system,
        brl(principal),
        InterestRate::Monthly(monthly),
        n,
        date(2026, 1, 15),
    )
}

fn code(t: &FinancingTerms) -> ErrorCode {
    simulate(t).unwrap_err().code()
}

fn path_of(t: &FinancingTerms) -> String {
    simulate(t).unwrap_err().field_errors()[0].path.clone()
}

#[test]
fn price_100k_at_1pct_over_12() {
    // PMT = 100000 · 0.01 / (1 − 1.01^−12); 1.01^12 = 1.126825030131969720661201,
    // 1 − 1/1.126825… = 0.112550772…, 1000 / 0.112550772… = 8884.8788… → 8884.88.
    let s = simulate(&terms(
        AmortizationSystem::Price,
        dec!(100000),
        dec!(0.01),
        12,
    ))
    .unwrap();
    let l = &s.lines;
    assert_eq!(l.len(), 12);
    // Month 1: interest 100000 · 0.01 = 1000.00, amortisation 8884.88 − 1000 = 7884.88,
    // balance 100000 − 7884.88 = 92115.12.
    assert_eq!(l[0].interest, brl(dec!(1000.00)));
    assert_eq!(l[0].amortization, brl(dec!(7884.88)));
    assert_eq!(l[0].balance, brl(dec!(92115.12)));
    // Month 2: 92115.12 · 0.01 = 921.1512 → 921.15; 8884.88 − 921.15 = 7963.73;
    // 92115.12 − 7963.73 = 84151.39.
    assert_eq!(l[1].interest, brl(dec!(921.15)));
    assert_eq!(l[1].amortization, brl(dec!(7963.73)));
    assert_eq!(l[1].balance, brl(dec!(84151.39)));
    // Month 12 starts from 8796.88: interest 87.9688 → 87.97; the amortisation is the whole
    // balance, so the instalment is 87.97 + 8796.88 = 8884.85 (the residual of −0.03).
    assert_eq!(l[10].balance, brl(dec!(8796.88)));
    assert_eq!(l[11].interest, brl(dec!(87.97)));
    assert_eq!(l[11].amortization, brl(dec!(8796.88)));
    assert_eq!(l[11].instalment, brl(dec!(8884.85)));
    assert_eq!(l[11].balance, brl(dec!(0)));
    assert!(l[..11].iter().all(|x| x.instalment == brl(dec!(8884.88))));
    // Σ paid = 11 · 8884.88 + 8884.85 = 106618.53; Σ interest = 106618.53 − 100000.
    assert_eq!(s.total_paid, brl(dec!(106618.53)));
    assert_eq!(s.total_interest, brl(dec!(6618.53)));
    assert_eq!(s.total_amortization, brl(dec!(100000)));
    assert_eq!(s.first_payment, brl(dec!(8884.88)));
    assert_eq!(s.last_payment, brl(dec!(8884.85)));
    assert_eq!(s.monthly_rate, dec!(0.01));
    // CET: the payments discount to 100000 at a rate a hair under 1% (the last instalment
    // is 3 cents short), which rounds to 0.010000; 1.01^12 − 1 = 0.126825….
    assert_eq!(s.cet_monthly, dec!(0.010000));
    assert_eq!(s.cet_annual, dec!(0.126825));
    assert_eq!(l[0].due, date(2026, 1, 15));
    assert_eq!(l[11].due, date(2026, 12, 15));
}

#[test]
fn sac_120k_at_1pct_over_12() {
    // A = 120000 / 12 = 10000; interest_k = (120000 − 10000 (k − 1)) · 0.01.
    let s = simulate(&terms(
        AmortizationSystem::Sac,
        dec!(120000),
        dec!(0.01),
        12,
    ))
    .unwrap();
    for (k, line) in s.lines.iter().enumerate() {
        let balance_before = dec!(120000) - dec!(10000) * Decimal::from(k);
        assert_eq!(line.amortization, brl(dec!(10000)));
        assert_eq!(line.interest, brl(balance_before * dec!(0.01)));
        assert_eq!(line.payment, line.instalment);
    }
    // Σ interest = 100 · (12 + 11 + … + 1) = 100 · 78 = 7800.
    assert_eq!(s.total_interest, brl(dec!(7800)));
    assert_eq!(s.first_payment, brl(dec!(11200)));
    assert_eq!(s.last_payment, brl(dec!(10100)));
}

#[test]
fn the_last_instalment_absorbs_the_residual() {
    // SAC 100000 over 3 months at 0%: A = round(33333.333…) = 33333.33; the last month
    // amortises 100000 − 2 · 33333.33 = 33333.34.
    let s = simulate(&terms(AmortizationSystem::Sac, dec!(100000), dec!(0), 3)).unwrap();
    let amort: Vec<Decimal> = s.lines.iter().map(|l| l.amortization.amount()).collect();
    assert_eq!(amort, [dec!(33333.33), dec!(33333.33), dec!(33333.34)]);
    // PRICE at 0% divides evenly: 100.00 / 3 = 33.333… → 33.33, last 33.34.
    let s = simulate(&terms(AmortizationSystem::Price, dec!(100), dec!(0), 3)).unwrap();
    let inst: Vec<Decimal> = s.lines.iter().map(|l| l.instalment.amount()).collect();
    assert_eq!(inst, [dec!(33.33), dec!(33.33), dec!(33.34)]);
    assert_eq!(s.cet_monthly, dec!(0));
    assert_eq!(s.cet_annual, dec!(0));
}

#[test]
fn instalments_round_half_even() {
    // 100.02 / 4 = 25.005 exactly: half-even gives 25.00 (half-up would give 25.01); the last
    // month takes 100.02 − 75.00 = 25.02.
    let s = simulate(&terms(AmortizationSystem::Price, dec!(100.02), dec!(0), 4)).unwrap();
    assert_eq!(s.lines[0].instalment, brl(dec!(25.00)));
    assert_eq!(s.lines[3].instalment, brl(dec!(25.02)));
    // 100.06 / 4 = 25.015 → 25.02 (the even neighbour); last 100.06 − 75.06 = 25.00.
    let s = simulate(&terms(AmortizationSystem::Sac, dec!(100.06), dec!(0), 4)).unwrap();
    assert_eq!(s.lines[0].amortization, brl(dec!(25.02)));
    assert_eq!(s.lines[3].amortization, brl(dec!(25.00)));
}

#[test]
fn sac_with_tr() {
    // PV 1000, 1% a month, TR 0.1% then 0.2%.
    // Month 1: correction 1000 · 0.001 = 1.00, B' = 1001.00, interest 10.01,
    //          amortisation round(1001 / 2) = 500.50, balance 500.50.
    // Month 2: correction round(500.50 · 0.002 = 1.001) = 1.00, B' = 501.50,
    //          interest round(5.015) = 5.02 (half-even), amortisation 501.50, balance 0.
    let mut t = terms(AmortizationSystem::Sac, dec!(1000), dec!(0.01), 2);
    t.tr = vec![dec!(0.001), dec!(0.002)];
    let s = simulate(&t).unwrap();
    let l = &s.lines;
    assert_eq!(
        (l[0].correction, l[0].interest),
        (brl(dec!(1.00)), brl(dec!(10.01)))
    );
    assert_eq!(
        (l[0].amortization, l[0].balance),
        (brl(dec!(500.50)), brl(dec!(500.50)))
    );
    assert_eq!(
        (l[1].correction, l[1].interest),
        (brl(dec!(1.00)), brl(dec!(5.02)))
    );
    assert_eq!(
        (l[1].amortization, l[1].balance),
        (brl(dec!(501.50)), brl(dec!(0)))
    );
    // Amortisations repay the principal plus every correction: 1000 + 2.00.
    assert_eq!(s.total_correction, brl(dec!(2.00)));
    assert_eq!(s.total_amortization, brl(dec!(1002.00)));
}

#[test]
fn price_with_tr_recomputes_the_instalment() {
    // Month 1: correction 1.00, B' = 1001; PMT = 1001 · 0.01 / (1 − 1.01^−2)
    //   = 10.01 · 1.0201 / 0.0201 = 508.0199… → 508.02; interest 10.01, amortisation 498.01,
    //   balance 502.99.
    // Month 2: correction round(502.99 · 0.002 = 1.00598) = 1.01, B' = 504.00, interest 5.04,
    //   amortisation 504.00, instalment 509.04.
    let mut t = terms(AmortizationSystem::Price, dec!(1000), dec!(0.01), 2);
    t.tr = vec![dec!(0.001), dec!(0.002)];
    let s = simulate(&t).unwrap();
    let l = &s.lines;
    assert_eq!(l[0].instalment, brl(dec!(508.02)));
    assert_eq!(l[0].amortization, brl(dec!(498.01)));
    assert_eq!(l[0].balance, brl(dec!(502.99)));
    assert_eq!(l[1].correction, brl(dec!(1.01)));
    assert_eq!(l[1].instalment, brl(dec!(509.04)));
    assert_eq!(s.total_amortization, brl(dec!(1002.01)));
    assert_eq!(s.total_correction, brl(dec!(2.01)));
}

#[test]
fn insurance_fees_and_cet() {
    // PRICE 100k at 1% over 12, property 200000, MIP 0.02%, DFI 0.01%, admin fee 25.
    // Month 1: MIP 100000 · 0.0002 = 20.00, DFI 200000 · 0.0001 = 20.00,
    //          payment 8884.88 + 20 + 20 + 25 = 8949.88.
    // Month 2: MIP 92115.12 · 0.0002 = 18.423024 → 18.42, payment 8948.30.
    // Month 12: MIP 8796.88 · 0.0002 = 1.759376 → 1.76, payment 8884.85 + 46.76 = 8931.61.
    let mut t = terms(AmortizationSystem::Price, dec!(100000), dec!(0.01), 12);
    t.property_value = Some(brl(dec!(200000)));
    t.mip_rate = Some(dec!(0.0002));
    t.dfi_rate = Some(dec!(0.0001));
    t.admin_fee = Some(brl(dec!(25)));
    let s = simulate(&t).unwrap();
    assert_eq!(s.lines[0].payment, brl(dec!(8949.88)));
    assert_eq!(s.lines[1].mip, brl(dec!(18.42)));
    assert_eq!(s.lines[1].payment, brl(dec!(8948.30)));
    assert_eq!(s.lines[11].payment, brl(dec!(8931.61)));
    assert_eq!(s.total_fees, brl(dec!(300)));
    // The add-ons raise the cost: the rate discounting these payments to 100000 is
    // 1.10002% a month (checked against an independent 80-digit bisection), 14.0289% a year.
    assert_eq!(s.cet_monthly, dec!(0.011000));
    assert_eq!(s.cet_annual, dec!(0.140289));
    let insurance: Decimal = s
        .lines
        .iter()
        .map(|l| l.mip.amount() + l.dfi.amount())
        .sum();
    assert_eq!(s.total_insurance.amount(), insurance);
}

#[test]
fn upfront_costs_lower_the_amount_received() {
    // Same PRICE loan, R$ 2,000 of fees at signature: 98000 received for the same payments.
    // r with Σ payment / (1 + r)^k = 98000 is 1.3212081% a month (independent bisection);
    // (1.013212…)^12 − 1 = 17.0589%.
    let mut t = terms(AmortizationSystem::Price, dec!(100000), dec!(0.01), 12);
    t.upfront_costs = Some(brl(dec!(2000)));
    let s = simulate(&t).unwrap();
    assert_eq!(s.cet_monthly, dec!(0.013212));
    assert_eq!(s.cet_annual, dec!(0.170589));
}

#[test]
fn annual_rate_is_converted_exactly() {
    // 1.01^12 − 1 = 0.126825030131969720661201 exactly, so the monthly rate is 1% and the
    // schedule is the one of `price_100k_at_1pct_over_12`.
    let mut t = terms(AmortizationSystem::Price, dec!(100000), dec!(0), 12);
    t.rate = InterestRate::AnnualEffective(dec!(0.126825030131969720661201));
    let s = simulate(&t).unwrap();
    assert_eq!(s.monthly_rate.round_dp(26), dec!(0.01));
    assert_eq!(s.first_payment, brl(dec!(8884.88)));
    assert_eq!(s.last_payment, brl(dec!(8884.85)));
}

#[test]
fn due_dates_clamp_to_the_month_end() {
    // Jan 31 → Feb 29 (2028 is a leap year) → Mar 31 → Apr 30.
    let mut t = terms(AmortizationSystem::Sac, dec!(4000), dec!(0.01), 4);
    t.first_due = date(2028, 1, 31);
    let s = simulate(&t).unwrap();
    let due: Vec<NaiveDate> = s.lines.iter().map(|l| l.due).collect();
    assert_eq!(
        due,
        [
            date(2028, 1, 31),
            date(2028, 2, 29),
            date(2028, 3, 31),
            date(2028, 4, 30)
        ]
    );
}

#[test]
fn principal_errors() {
    let mut t = terms(AmortizationSystem::Price, dec!(0), dec!(0.01), 12);
    assert_eq!(code(&t), ErrorCode::FinancingPrincipal);
    assert_eq!(path_of(&t), "principal");
    t.principal = brl(dec!(-5));
    assert_eq!(code(&t), ErrorCode::FinancingPrincipal);
    t.principal = brl(dec!(100.001));
    assert_eq!(code(&t), ErrorCode::FinancingPrincipal);
    let mut t = terms(AmortizationSystem::Price, dec!(1000), dec!(0.01), 12);
    t.property_value = Some(brl(dec!(0)));
    assert_eq!(code(&t), ErrorCode::FinancingPrincipal);
    assert_eq!(path_of(&t), "property_value");
    let mut t = terms(AmortizationSystem::Price, dec!(1000), dec!(0.01), 12);
    t.admin_fee = Some(brl(dec!(25.005)));
    assert_eq!(code(&t), ErrorCode::FinancingPrincipal);
    assert_eq!(path_of(&t), "admin_fee");
}

#[test]
fn rate_errors() {
    for bad in [
        dec!(-1),
        dec!(-1.5),
        dec!(1.0001),
        Decimal::MAX,
        Decimal::MIN,
    ] {
        let t = terms(AmortizationSystem::Sac, dec!(1000), bad, 12);
        assert_eq!(code(&t), ErrorCode::FinancingRate, "{bad}");
        assert_eq!(path_of(&t), "rate");
    }
    // Exactly 100% a month is allowed; an annual rate above 2^12 − 1 = 4095 is not.
    assert!(simulate(&terms(AmortizationSystem::Price, dec!(1000), dec!(1), 12)).is_ok());
    let mut t = terms(AmortizationSystem::Price, dec!(1000), dec!(0), 12);
    for bad in [dec!(-1), dec!(4095.0001), Decimal::MAX] {
        t.rate = InterestRate::AnnualEffective(bad);
        assert_eq!(code(&t), ErrorCode::FinancingRate, "{bad}");
    }
    t.rate = InterestRate::AnnualEffective(dec!(4095));
    assert_eq!(t.rate.monthly_rate().unwrap(), dec!(1)); // 4096^(1/12) = 2
    // A rate between −100% and 0 is a (strange but valid) negative rate.
    let s = simulate(&terms(
        AmortizationSystem::Price,
        dec!(1000),
        dec!(-0.01),
        12,
    ))
    .unwrap();
    assert_eq!(s.lines[11].balance, brl(dec!(0)));
    // Insurance rates must be 0..=1 a month; TR entries above −100% and up to 100%.
    let mut t = terms(AmortizationSystem::Price, dec!(1000), dec!(0.01), 2);
    t.mip_rate = Some(dec!(-0.0001));
    assert_eq!(code(&t), ErrorCode::FinancingRate);
    assert_eq!(path_of(&t), "mip_rate");
    t.mip_rate = None;
    t.property_value = Some(brl(dec!(2000)));
    t.dfi_rate = Some(dec!(1.5));
    assert_eq!(path_of(&t), "dfi_rate");
    t.dfi_rate = None;
    t.tr = vec![dec!(0.001), dec!(-1)];
    assert_eq!(code(&t), ErrorCode::FinancingRate);
    assert_eq!(path_of(&t), "tr[1]");
}

#[test]
fn term_errors_come_before_any_loop() {
    for bad in [0, 601, 120_000, u32::MAX] {
        let t = terms(AmortizationSystem::Price, dec!(1000), dec!(0.01), bad);
        assert_eq!(code(&t), ErrorCode::FinancingTerm, "{bad}");
        assert_eq!(path_of(&t), "term_months");
    }
    // 600 months (50 years) is the longest term.
    let s = simulate(&terms(
        AmortizationSystem::Sac,
        dec!(600000),
        dec!(0.01),
        600,
    ))
    .unwrap();
    assert_eq!(s.lines.len(), 600);
    // A schedule whose due dates leave the calendar.
    let mut t = terms(AmortizationSystem::Sac, dec!(1000), dec!(0.01), 24);
    t.first_due = NaiveDate::MAX;
    assert_eq!(code(&t), ErrorCode::FinancingTerm);
    assert_eq!(path_of(&t), "first_due");
}

#[test]
fn tr_series_must_cover_the_term() {
    let mut t = terms(AmortizationSystem::Sac, dec!(1000), dec!(0.01), 3);
    t.tr = vec![dec!(0.001); 2];
    assert_eq!(code(&t), ErrorCode::FinancingTrSeries);
    assert_eq!(path_of(&t), "tr");
    t.tr = vec![dec!(0.001); 4];
    assert_eq!(code(&t), ErrorCode::FinancingTrSeries);
    t.tr = vec![dec!(0); 3];
    assert!(simulate(&t).is_ok());
}

#[test]
fn other_input_errors() {
    let mut t = terms(AmortizationSystem::Price, dec!(1000), dec!(0.01), 12);
    t.dfi_rate = Some(dec!(0.0001));
    assert_eq!(code(&t), ErrorCode::Required);
    assert_eq!(path_of(&t), "property_value");
    let mut t = terms(AmortizationSystem::Price, dec!(1000), dec!(0.01), 12);
    t.admin_fee = Some(brl(dec!(-1)));
    assert_eq!(code(&t), ErrorCode::MoneyNegative);
    t.admin_fee = None;
    t.upfront_costs = Some(brl(dec!(-1)));
    assert_eq!(code(&t), ErrorCode::MoneyNegative);
    assert_eq!(path_of(&t), "upfront_costs");
    t.upfront_costs = Some(Money::new(dec!(10), Currency::USD));
    assert_eq!(code(&t), ErrorCode::CurrencyMismatch);
}

#[test]
fn every_problem_is_reported() {
    let mut t = terms(AmortizationSystem::Price, dec!(0), dec!(-2), 0);
    t.mip_rate = Some(dec!(-1));
    let err = simulate(&t).unwrap_err();
    let paths: Vec<String> = err.field_errors().into_iter().map(|e| e.path).collect();
    assert_eq!(paths, ["principal", "rate", "term_months", "mip_rate"]);
    assert_eq!(err.code(), ErrorCode::FinancingPrincipal);
}

#[test]
fn a_principal_too_small_for_its_term_cannot_amortise() {
    // SAC R$ 10.00 over 600 months: A = round(10 / 600 = 0.01666…) = 0.02, and 500 months
    // of 0.02 already repay the 10.00; month 501 would amortise 0.02 of a zero balance.
    let t = terms(AmortizationSystem::Sac, dec!(10), dec!(0.01), 600);
    let err = simulate(&t).unwrap_err();
    assert_eq!(err.code(), ErrorCode::FinancingNegativeAmortization);
    assert!(err.to_string().contains("month 501"), "{err}");
    // PRICE R$ 1.00 over 600 months at 1%: PMT = round(0.01002…) = 0.01 = the interest, so
    // nothing is amortised until the last month, which repays the whole 1.00.
    let s = simulate(&terms(AmortizationSystem::Price, dec!(1), dec!(0.01), 600)).unwrap();
    assert_eq!(s.lines[598].balance, brl(dec!(1)));
    assert_eq!(s.lines[599].amortization, brl(dec!(1)));
}

#[test]
fn cet_without_a_solution() {
    // Fees at signature as large as the loan: nothing is received, so no rate discounts the
    // payments to it.
    let mut t = terms(AmortizationSystem::Price, dec!(1000), dec!(0.01), 12);
    t.upfront_costs = Some(brl(dec!(1000)));
    assert_eq!(code(&t), ErrorCode::CetNoSolution);
}

#[test]
fn huge_amounts_overflow_with_a_typed_error() {
    // 7.9e27 at 100% a month: the interest is fine but the payments overflow when summed.
    let t = terms(
        AmortizationSystem::Sac,
        dec!(7900000000000000000000000000),
        dec!(1),
        600,
    );
    assert_eq!(code(&t), ErrorCode::Overflow);
}

#[test]
fn json_round_trip() {
    let t: FinancingTerms = crate::domain::from_json(
        r#"{"system": "price", "principal": "100000", "rate": {"monthly": "0.01"},
            "term_months": 12, "first_due": "2026-01-15", "admin_fee": "25",
            "tr": ["0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"]}"#,
    )
    .unwrap();
    let s = simulate(&t).unwrap();
    let json = serde_json::to_string(&s).unwrap();
    assert!(json.contains(r#""first_payment":{"amount":"8909.88","currency":"BRL"}"#));
    assert!(json.contains(r#""system":"price""#));
    assert!(json.contains(r#""due":"2026-02-15""#));
    let back: Schedule = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s);
    let again: FinancingTerms = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
    assert_eq!(again, t);
    // Floats, unknown fields and unknown systems are refused.
    for bad in [
        r#"{"system": "price", "principal": "1", "rate": {"monthly": 0.01}, "term_months": 1, "first_due": "2026-01-01"}"#,
        r#"{"system": "price", "principal": "1", "rate": {"monthly": "0.01"}, "term_months": 1, "first_due": "2026-01-01", "mip_rate": 0.1}"#,
        r#"{"system": "german", "principal": "1", "rate": {"monthly": "0.01"}, "term_months": 1, "first_due": "2026-01-01"}"#,
        r#"{"system": "sac", "principal": "1", "rate": {"monthly": "0.01"}, "term_months": 1, "first_due": "2026-01-01", "extra": 1}"#,
        r#"{"system": "sac", "principal": "1", "rate": {"monthly": "0.01"}, "term_months": -1, "first_due": "2026-01-01"}"#,
        r#"{"system": "sac", "principal": "1", "rate": {"monthly": "0.01", "annual_effective": "0.1"}, "term_months": 1, "first_due": "2026-01-01"}"#,
        r#"{"system": "sac", "principal": "1", "rate": "0.01", "term_months": 1, "first_due": "2026-01-01"}"#,
        r#"{"system": "sac", "principal": "1", "rate": {"monthly": "0.01"}, "term_months": 1, "first_due": "2026-02-30"}"#,
    ] {
        assert_eq!(
            crate::domain::from_json::<FinancingTerms>(bad)
                .unwrap_err()
                .code,
            ErrorCode::Json,
            "{bad}"
        );
    }
}

#[test]
fn a_rounded_up_price_instalment_can_repay_the_loan_early() {
    // PMT = 115799.32 · 0.0244579 / (1 − 1.0244579^−411) = 2832.34593… → 2832.35: 0.0041 too
    // much each month, compounded at 2.44579% over 410 months (1.0244579^410 ≈ 20,000), repays
    // about R$ 3,350 early. Month 410 starts from 2220.30: interest 54.30, amortisation
    // 2832.35 − 54.30 = 2778.05 > 2220.30, so the contract's schedule would end below zero.
    let t = terms(
        AmortizationSystem::Price,
        dec!(115799.32),
        dec!(0.0244579),
        411,
    );
    let err = simulate(&t).unwrap_err();
    assert_eq!(err.code(), ErrorCode::FinancingNegativeAmortization);
    assert!(err.to_string().contains("month 410"), "{err}");
    assert!(err.to_string().contains("2778.05"), "{err}");
}

#[test]
fn interest_rounding_can_move_the_cet_of_a_small_loan() {
    // SAC R$ 4,838.71 at 0.46592% over 6 months: A = round(806.4516…) = 806.45; the interest
    // of months 1–6 (22.544…, 18.787…, 15.029…, 11.272…, 7.514…, 3.757…) rounds to 22.54,
    // 18.79, 15.03, 11.27, 7.51, 3.76: 0.6 of a cent less than the exact interest in all.
    // That lowers the CET to 0.465885% a month, 5.7361% a year against a nominal
    // 1.0046592^12 − 1 = 5.73656%: 4.6e-6 below, more than a millionth, as cent rounding can
    // on a small principal.
    let s = simulate(&terms(
        AmortizationSystem::Sac,
        dec!(4838.71),
        dec!(0.0046592),
        6,
    ))
    .unwrap();
    let interest: Vec<Decimal> = s.lines.iter().map(|l| l.interest.amount()).collect();
    assert_eq!(
        interest,
        [
            dec!(22.54),
            dec!(18.79),
            dec!(15.03),
            dec!(11.27),
            dec!(7.51),
            dec!(3.76)
        ]
    );
    assert_eq!(s.cet_annual, dec!(0.057361));
    let nominal = annual_rate_from_monthly(dec!(0.0046592)).unwrap();
    assert_eq!(nominal.round_dp(8), dec!(0.05736562));
}
