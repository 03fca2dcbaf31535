//! Unit tests of `closing_costs` and `FeeTable`, worked by hand.

use super::*;
use crate::Currency;
use rust_decimal_macros::dec;

fn brl(x: Decimal) -> Money {
    Money::brl(x)
}

fn bracket(up_to: Option<Decimal>, fee: Decimal) -> FeeBracket {
    FeeBracket {
        up_to: up_to.map(brl),
        fee: brl(fee),
    }
}

fn registry() -> FeeTable {
    FeeTable(vec![
        bracket(Some(dec!(100000)), dec!(1200)),
        bracket(Some(dec!(500000)), dec!(2500)),
        bracket(None, dec!(4000)),
    ])
}

fn notary() -> FeeTable {
    FeeTable(vec![
        bracket(Some(dec!(300000)), dec!(3000)),
        bracket(Some(dec!(1000000)), dec!(4500)),
    ])
}

fn request(declared: Decimal) -> ClosingCostRequest {
    ClosingCostRequest {
        declared_value: brl(declared),
        financed: None,
        notary_required: true,
        config: ClosingCostConfig {
            itbi_rate: Rate::parse("3%").unwrap(),
            itbi_reference_value: None,
            itbi_financed_rate: None,
            itbi_financed_cap: None,
            registry_fees: registry(),
            notary_fees: notary(),
        },
    }
}

fn error(req: &ClosingCostRequest) -> (ErrorCode, String) {
    let e = closing_costs(req).unwrap_err();
    (
        e.code(),
        e.field_errors()
            .first()
            .map(|f| f.path.clone())
            .unwrap_or_default(),
    )
}

#[test]
fn cash_purchase() {
    // ITBI 500000 · 3% = 15000; registry: 500000 ≤ 500000 (inclusive) → 2500; notary
    // 500000 ≤ 1000000 → 4500. Total 22000; nothing financed, so 522000 in cash.
    let c = closing_costs(&request(dec!(500000))).unwrap();
    assert_eq!(c.itbi_base, brl(dec!(500000)));
    assert_eq!(c.itbi, brl(dec!(15000)));
    assert_eq!(c.registry, brl(dec!(2500)));
    assert_eq!(c.notary, brl(dec!(4500)));
    assert_eq!(c.total_costs, brl(dec!(22000)));
    assert_eq!(c.down_payment, brl(dec!(500000)));
    assert_eq!(c.cash_needed, brl(dec!(522000)));
}

#[test]
fn itbi_base_is_the_greater_value() {
    // Reference 450000 above the declared 400000: 450000 · 3% = 13500.
    let mut req = request(dec!(400000));
    req.config.itbi_reference_value = Some(brl(dec!(450000)));
    let c = closing_costs(&req).unwrap();
    assert_eq!((c.itbi_base, c.itbi), (brl(dec!(450000)), brl(dec!(13500))));
    // Below it, the declared value stays the base: 400000 · 3% = 12000.
    req.config.itbi_reference_value = Some(brl(dec!(350000)));
    let c = closing_costs(&req).unwrap();
    assert_eq!((c.itbi_base, c.itbi), (brl(dec!(400000)), brl(dec!(12000))));
}

#[test]
fn reduced_rate_on_the_financed_part() {
    // 300000 financed at 0.5% with no cap: 1500 + (500000 − 300000) · 3% = 1500 + 6000.
    let mut req = request(dec!(500000));
    req.financed = Some(brl(dec!(300000)));
    req.config.itbi_financed_rate = Some(Rate::parse("0.5%").unwrap());
    let c = closing_costs(&req).unwrap();
    assert_eq!(c.itbi, brl(dec!(7500)));
    assert_eq!(c.down_payment, brl(dec!(200000)));
    // 200000 + 7500 + 2500 + 4500
    assert_eq!(c.cash_needed, brl(dec!(214500)));
    // A cap above the financed amount changes nothing; a financed rate with nothing financed
    // is the plain rate.
    req.config.itbi_financed_cap = Some(brl(dec!(900000)));
    assert_eq!(closing_costs(&req).unwrap().itbi, brl(dec!(7500)));
    req.financed = None;
    assert_eq!(closing_costs(&req).unwrap().itbi, brl(dec!(15000)));
}

#[test]
fn itbi_rounds_half_even() {
    // 100000.50 · 3% = 3000.015 → 3000.02; 100001.50 · 3% = 3000.045 → 3000.04.
    assert_eq!(
        closing_costs(&request(dec!(100000.50))).unwrap().itbi,
        brl(dec!(3000.02))
    );
    assert_eq!(
        closing_costs(&request(dec!(100001.50))).unwrap().itbi,
        brl(dec!(3000.04))
    );
}

#[test]
fn notary_may_be_skipped() {
    // Above every notary bracket with no open one: uncovered, unless no deed is needed.
    let mut req = request(dec!(2000000));
    assert_eq!(
        error(&req),
        (ErrorCode::FeeTableUncovered, "config.notary_fees".into())
    );
    req.notary_required = false;
    let c = closing_costs(&req).unwrap();
    assert_eq!(c.notary, brl(dec!(0)));
    assert_eq!(c.registry, brl(dec!(4000))); // the open bracket
}

#[test]
fn fee_table_lookup() {
    let t = registry();
    assert_eq!(t.fee_for(brl(dec!(0))).unwrap(), brl(dec!(1200)));
    assert_eq!(t.fee_for(brl(dec!(100000))).unwrap(), brl(dec!(1200)));
    assert_eq!(t.fee_for(brl(dec!(100000.01))).unwrap(), brl(dec!(2500)));
    assert_eq!(t.fee_for(brl(dec!(500000.01))).unwrap(), brl(dec!(4000)));
    assert!(t.problems().is_empty());
    let empty = FeeTable::default();
    assert_eq!(
        empty.fee_for(brl(dec!(1))).unwrap_err().code(),
        ErrorCode::FeeTableUncovered
    );
}

#[test]
fn fee_table_order() {
    let mut req = request(dec!(500000));
    req.config.registry_fees = FeeTable(vec![
        bracket(Some(dec!(500000)), dec!(2500)),
        bracket(Some(dec!(100000)), dec!(1200)),
        bracket(None, dec!(4000)),
    ]);
    assert_eq!(
        error(&req),
        (
            ErrorCode::FeeTableOrder,
            "config.registry_fees[1].up_to".into()
        )
    );
    req.config.registry_fees = FeeTable(vec![
        bracket(Some(dec!(100000)), dec!(1200)),
        bracket(Some(dec!(100000)), dec!(1300)),
    ]);
    assert_eq!(
        error(&req),
        (
            ErrorCode::FeeTableOrder,
            "config.registry_fees[1].up_to".into()
        )
    );
    req.config.registry_fees = registry();
    req.config.notary_fees = FeeTable(vec![
        bracket(None, dec!(1)),
        bracket(Some(dec!(9)), dec!(2)),
    ]);
    assert_eq!(
        error(&req),
        (
            ErrorCode::FeeTableOrder,
            "config.notary_fees[0].up_to".into()
        )
    );
    // The order is checked even when no deed is needed.
    req.notary_required = false;
    assert_eq!(error(&req).0, ErrorCode::FeeTableOrder);
}

#[test]
fn value_errors() {
    let mut req = request(dec!(0));
    assert_eq!(
        error(&req),
        (ErrorCode::FinancingPrincipal, "declared_value".into())
    );
    req.declared_value = brl(dec!(500000));
    req.financed = Some(brl(dec!(500000.01)));
    assert_eq!(
        error(&req),
        (ErrorCode::FinancingPrincipal, "financed".into())
    );
    req.financed = Some(brl(dec!(-1)));
    assert_eq!(
        error(&req),
        (ErrorCode::FinancingPrincipal, "financed".into())
    );
    req.financed = Some(brl(dec!(500000)));
    assert_eq!(closing_costs(&req).unwrap().down_payment, brl(dec!(0)));
    req.config.itbi_reference_value = Some(brl(dec!(-5)));
    assert_eq!(
        error(&req),
        (
            ErrorCode::MoneyNegative,
            "config.itbi_reference_value".into()
        )
    );
    req.config.itbi_reference_value = None;
    req.config.registry_fees = FeeTable(vec![bracket(None, dec!(-10))]);
    assert_eq!(
        error(&req),
        (
            ErrorCode::MoneyNegative,
            "config.registry_fees[0].fee".into()
        )
    );
    req.config.registry_fees = FeeTable(vec![FeeBracket {
        up_to: None,
        fee: Money::new(dec!(10), Currency::USD),
    }]);
    assert_eq!(error(&req).0, ErrorCode::CurrencyMismatch);
}

#[test]
fn json_shapes() {
    let json = r#"{"declared_value": "600000", "financed": "400000", "notary_required": false,
        "config": {"itbi_rate": "3%", "itbi_financed_rate": "0.5%", "itbi_financed_cap": "100000",
                   "registry_fees": [{"up_to": "1000000", "fee": "2800"}, {"fee": "3500"}],
                   "notary_fees": []}}"#;
    let req: ClosingCostRequest = crate::domain::from_json(json).unwrap();
    let c = closing_costs(&req).unwrap();
    // 100000 · 0.5% + 500000 · 3% = 500 + 15000.
    assert_eq!(c.itbi, brl(dec!(15500)));
    let out = serde_json::to_value(&c).unwrap();
    assert_eq!(
        out["itbi"],
        serde_json::json!({"amount": "15500.00", "currency": "BRL"})
    );
    let back: ClosingCosts = serde_json::from_value(out).unwrap();
    assert_eq!(back, c);
    let bad = r#"{"declared_value": "1", "config": {"itbi_rate": "3%", "registry_fees": [{"upto": "1", "fee": "1"}], "notary_fees": []}}"#;
    assert_eq!(
        crate::domain::from_json::<ClosingCostRequest>(bad)
            .unwrap_err()
            .code,
        ErrorCode::Json
    );
}
