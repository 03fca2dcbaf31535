//! The quickstart's pricing section: a financing simulation (SAC and PRICE), what a buyer can
//! afford, the closing costs, and a lease's yearly rent adjustment.

use realestate_crm::pricing::{
    AffordabilityRequest, AmortizationSystem, ClosingCostRequest, FinancingTerms,
    RentAdjustmentRequest, adjust_rent, affordability, closing_costs, simulate,
};
use rust_decimal::Decimal;
use serde::Deserialize;

/// `pricing.json`: the requests the quickstart runs.
#[derive(Deserialize)]
pub struct Assumptions {
    financing: FinancingTerms,
    affordability: AffordabilityRequest,
    closing_costs: ClosingCostRequest,
    rent_adjustment: RentAdjustmentRequest,
}

fn pct(f: Decimal) -> String {
    format!("{}%", (f * Decimal::ONE_HUNDRED).round_dp(4).normalize())
}

pub fn report(a: &Assumptions) -> Result<(), String> {
    let err = |e: realestate_crm::Error| format!("{e} [{}]", e.code());
    println!(
        "\nfinancing {} of a {} apartment over {} months, {} a year effective",
        a.financing.principal.to_brl_string(),
        a.financing
            .property_value
            .map(|m| m.to_brl_string())
            .unwrap_or_default(),
        a.financing.term_months,
        match a.financing.rate {
            realestate_crm::pricing::InterestRate::AnnualEffective(r)
            | realestate_crm::pricing::InterestRate::Monthly(r) => pct(r),
        }
    );
    println!(
        "  {:<6} {:>15} {:>15} {:>17} {:>17} {:>10}",
        "system", "first payment", "last payment", "total interest", "total paid", "CET/year"
    );
    for system in [AmortizationSystem::Sac, AmortizationSystem::Price] {
        let terms = FinancingTerms {
            system,
            ..a.financing.clone()
        };
        let s = simulate(&terms).map_err(err)?;
        println!(
            "  {:<6} {:>15} {:>15} {:>17} {:>17} {:>10}",
            format!("{system:?}").to_uppercase(),
            s.first_payment.to_brl_string(),
            s.last_payment.to_brl_string(),
            s.total_interest.to_brl_string(),
            s.total_paid.to_brl_string(),
            pct(s.cet_annual)
        );
    }
    let af = affordability(&a.affordability).map_err(err)?;
    println!(
        "  income {} → payment up to {}: loan up to {} (bound by {:?}), down payment {}",
        a.affordability.gross_monthly_income.to_brl_string(),
        af.max_payment.to_brl_string(),
        af.max_loan.to_brl_string(),
        af.binding_limit,
        af.down_payment.to_brl_string()
    );
    let cc = closing_costs(&a.closing_costs).map_err(err)?;
    println!(
        "  closing costs: ITBI {} + registry {} + notary {} = {}; cash needed {}",
        cc.itbi.to_brl_string(),
        cc.registry.to_brl_string(),
        cc.notary.to_brl_string(),
        cc.total_costs.to_brl_string(),
        cc.cash_needed.to_brl_string()
    );

    let r = adjust_rent(&a.rent_adjustment).map_err(err)?;
    println!(
        "\nrent adjustment by {} on {} (window {}..{}): accumulated {} → rent {} becomes {}{}",
        a.rent_adjustment.index_name,
        r.anniversary,
        r.window_start,
        r.window_end,
        pct(r.variation),
        r.previous_rent.to_brl_string(),
        r.new_rent.to_brl_string(),
        if r.floored {
            " (floored: the contract does not lower the rent)"
        } else {
            ""
        }
    );
    let used: Vec<String> = r
        .months
        .iter()
        .map(|m| format!("{} {}", m.month, pct(m.value)))
        .collect();
    println!("  months used: {}", used.join(", "));
    Ok(())
}
