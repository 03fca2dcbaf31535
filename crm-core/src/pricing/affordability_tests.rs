//! Unit tests of `affordability`, worked by hand.

use super::*;
use crate::Currency;
use rust_decimal_macros::dec;

fn brl(x: Decimal) -> Money {
    Money::brl(x)
}

fn rate(s: &str) -> Rate {
    Rate::parse(s).unwrap()
}

fn request(
    system: AmortizationSystem,
    income: Decimal,
    monthly: Decimal,
    n: u32,
) -> AffordabilityRequest {
    AffordabilityRequest {
        system,
        gross_monthly_income: brl(income),
        property_value: brl(dec!(500000)),
        rate: InterestRate::Monthly(monthly),
        term_months: n,
        limits: AffordabilityLimits {
            income_commitment: rate("30%"),
            max_ltv: rate("80%"),
            max_term_months: 420,
        },
    }
}

fn error(req: &AffordabilityRequest) -> (ErrorCode, String) {
    let e = affordability(req).unwrap_err();
    (
        e.code(),
        e.field_errors()
            .first()
            .map(|f| f.path.clone())
            .unwrap_or_default(),
    )
}

#[test]
fn sac_income_binds() {
    // Income 10000 · 30% = 3000. SAC at 1% over 100 months: loan = 3000 / (1/100 + 0.01)
    // = 3000 · 100 / 2 = 150000 exactly. LTV 500000 · 80% = 400000 > 150000.
    // First payment: 150000 / 100 + 150000 · 0.01 = 1500 + 1500 = 3000.
    let a = affordability(&request(
        AmortizationSystem::Sac,
        dec!(10000),
        dec!(0.01),
        100,
    ))
    .unwrap();
    assert_eq!(a.max_payment, brl(dec!(3000)));
    assert_eq!(a.max_loan_by_income, brl(dec!(150000)));
    assert_eq!(a.max_loan_by_ltv, brl(dec!(400000)));
    assert_eq!(a.max_loan, brl(dec!(150000)));
    assert_eq!(a.binding_limit, BindingLimit::Income);
    assert_eq!(a.down_payment, brl(dec!(350000)));
    assert_eq!(a.first_payment, brl(dec!(3000)));
    assert_eq!(a.term_months, 100);
}

#[test]
fn ltv_binds_and_wins_ties() {
    // Income 50000 → 15000; SAC loan 15000 · 100 / 2 = 750000 > 400000: the LTV binds.
    // First payment 400000 / 100 + 4000 = 8000; down payment 500000 − 400000.
    let a = affordability(&request(
        AmortizationSystem::Sac,
        dec!(50000),
        dec!(0.01),
        100,
    ))
    .unwrap();
    assert_eq!(a.max_loan, brl(dec!(400000)));
    assert_eq!(a.binding_limit, BindingLimit::Ltv);
    assert_eq!(a.down_payment, brl(dec!(100000)));
    assert_eq!(a.first_payment, brl(dec!(8000)));
    // Income 32000 at 25% → 8000 → loan 8000 · 50 = 400000 = the LTV limit: a tie goes to LTV.
    let mut req = request(AmortizationSystem::Sac, dec!(32000), dec!(0.01), 100);
    req.limits.income_commitment = rate("25%");
    let a = affordability(&req).unwrap();
    assert_eq!(a.max_loan_by_income, a.max_loan_by_ltv);
    assert_eq!(a.binding_limit, BindingLimit::Ltv);
}

#[test]
fn price_rounds_the_loan_down() {
    // 3000 · (1 − 1.01^−12) / 0.01 = 33765.2324… → 33765.23 (truncated, never up).
    // First payment 33765.23 · 0.0888487886… = 2999.99978… → 3000.00.
    let a = affordability(&request(
        AmortizationSystem::Price,
        dec!(10000),
        dec!(0.01),
        12,
    ))
    .unwrap();
    assert_eq!(a.max_loan, brl(dec!(33765.23)));
    assert_eq!(a.first_payment, brl(dec!(3000.00)));
}

#[test]
fn zero_interest_is_exact() {
    // 3000 · 30% = 900; PRICE at 0% over 12 months: 900 · 12 = 10800; first 10800 / 12 = 900.
    let mut req = request(AmortizationSystem::Price, dec!(3000), dec!(0), 12);
    let a = affordability(&req).unwrap();
    assert_eq!(a.max_loan, brl(dec!(10800)));
    assert_eq!(a.first_payment, brl(dec!(900)));
    req.system = AmortizationSystem::Sac;
    let a = affordability(&req).unwrap();
    assert_eq!(a.max_loan, brl(dec!(10800)));
    assert_eq!(a.first_payment, brl(dec!(900)));
}

#[test]
fn max_payment_truncates_and_term_is_capped() {
    // 3333.33 · 0.3 = 999.999 → 999.99 (Down).
    let mut req = request(AmortizationSystem::Price, dec!(3333.33), dec!(0), 600);
    req.limits.max_term_months = 360;
    let a = affordability(&req).unwrap();
    assert_eq!(a.max_payment, brl(dec!(999.99)));
    assert_eq!(a.term_months, 360);
    // 999.99 · 360 = 359996.40 at 0%.
    assert_eq!(a.max_loan_by_income, brl(dec!(359996.40)));
    // The lender's maximum may exceed 600; the request's term may not.
    req.limits.max_term_months = 1000;
    req.term_months = 420;
    assert_eq!(affordability(&req).unwrap().term_months, 420);
}

#[test]
fn default_commitment_is_30_percent() {
    let l: AffordabilityLimits =
        serde_json::from_str(r#"{"max_ltv": "0.8", "max_term_months": 360}"#).unwrap();
    assert_eq!(l.income_commitment, rate("30%"));
    let json = r#"{"system": "price", "gross_monthly_income": "10000", "property_value": "500000",
        "rate": {"annual_effective": "0.1149"}, "term_months": 360,
        "limits": {"max_ltv": "80%", "max_term_months": 420}}"#;
    let req: AffordabilityRequest = crate::domain::from_json(json).unwrap();
    let a = affordability(&req).unwrap();
    assert!(a.first_payment.amount() <= a.max_payment.amount() + dec!(0.01));
    let back: Affordability = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
    assert_eq!(back, a);
}

#[test]
fn errors() {
    let ok = request(AmortizationSystem::Price, dec!(10000), dec!(0.01), 360);
    let mut r = ok.clone();
    r.gross_monthly_income = brl(dec!(0));
    assert_eq!(
        error(&r),
        (ErrorCode::FinancingPrincipal, "gross_monthly_income".into())
    );
    let mut r = ok.clone();
    r.property_value = brl(dec!(-1));
    assert_eq!(
        error(&r),
        (ErrorCode::FinancingPrincipal, "property_value".into())
    );
    for bad in [0, 601, 120_000] {
        let mut r = ok.clone();
        r.term_months = bad;
        assert_eq!(error(&r), (ErrorCode::FinancingTerm, "term_months".into()));
    }
    let mut r = ok.clone();
    r.limits.max_term_months = 0;
    assert_eq!(
        error(&r),
        (ErrorCode::FinancingTerm, "limits.max_term_months".into())
    );
    let mut r = ok.clone();
    r.rate = InterestRate::Monthly(dec!(-1));
    assert_eq!(error(&r), (ErrorCode::FinancingRate, "rate".into()));
    // SAC at −1% over 100 months: 1/100 − 0.01 = 0, no loan has a positive first instalment.
    let mut r = ok.clone();
    r.system = AmortizationSystem::Sac;
    r.term_months = 100;
    r.rate = InterestRate::Monthly(dec!(-0.01));
    assert_eq!(error(&r), (ErrorCode::FinancingRate, "rate".into()));
    let mut r = ok;
    r.gross_monthly_income = Money::new(dec!(10000), Currency::USD);
    assert_eq!(
        affordability(&r).unwrap_err().code(),
        ErrorCode::CurrencyMismatch
    );
}
