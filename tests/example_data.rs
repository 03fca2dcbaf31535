//! The bundled brokerage under `examples/data/` loads, and exactly the four leads that its
//! README says are flawed report exactly their flaws; every other record is valid.

use realestate_crm::ErrorCode;
use realestate_crm::domain::{
    Activity, Agent, Deal, Lead, Property, Validate, Visit, from_json, validate_batch,
};

fn load<T: serde::de::DeserializeOwned>(file: &str) -> Vec<T> {
    let path = format!("{}/examples/data/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    from_json(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn all_valid<T: Validate + serde::de::DeserializeOwned + std::fmt::Debug>(file: &str) -> usize {
    let records: Vec<T> = load(file);
    let report = validate_batch(&records);
    assert!(report.invalid.is_empty(), "{file}: {:?}", report.invalid);
    records.len()
}

#[test]
fn everything_but_the_four_flawed_leads_is_valid() {
    assert_eq!(all_valid::<Agent>("agents.json"), 6);
    assert_eq!(all_valid::<Property>("properties.json"), 10);
    assert_eq!(all_valid::<Activity>("activities.json"), 26);
    assert_eq!(all_valid::<Deal>("deals.json"), 3);
    assert_eq!(all_valid::<Visit>("visits.json"), 4);

    let leads: Vec<Lead> = load("leads.json");
    assert_eq!(leads.len(), 14);
    let report = validate_batch(&leads);
    let found: Vec<(&str, Vec<(&str, ErrorCode)>)> = report
        .invalid
        .iter()
        .map(|r| {
            let name = leads[r.index].contact.name.as_str();
            let errs = r
                .errors
                .errors()
                .iter()
                .map(|e| (e.path.as_str(), e.code))
                .collect();
            (name, errs)
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "Marcelo Antunes Peixoto",
                vec![("contact.document", ErrorCode::CpfCheckDigit)]
            ),
            (
                "Vanessa Correia Dantas",
                vec![
                    ("contact.phone", ErrorCode::PhoneAreaCode),
                    ("source.external_id", ErrorCode::LeadPortalIdMissing)
                ]
            ),
            (
                "Henrique Bittencourt Salles",
                vec![
                    ("budget.max", ErrorCode::LeadBudgetOrder),
                    ("marketing_opt_in", ErrorCode::ConsentRequired)
                ]
            ),
            (
                "Iracema Fontes Barreto",
                vec![("contact.phone", ErrorCode::PhoneLegacyMobile)]
            ),
        ]
    );
}

#[test]
fn references_between_files_resolve() {
    let agents: Vec<Agent> = load("agents.json");
    let properties: Vec<Property> = load("properties.json");
    let leads: Vec<Lead> = load("leads.json");
    let has_agent = |id| agents.iter().any(|a| a.id == id);
    let has_property = |id| properties.iter().any(|p| p.id == id);
    let has_lead = |id| leads.iter().any(|l| l.id == id);
    for d in load::<Deal>("deals.json") {
        assert!(
            has_lead(d.lead_id) && has_property(d.property_id),
            "deal {}",
            d.id
        );
        assert!(
            d.participants
                .iter()
                .filter_map(|p| p.agent_id)
                .all(has_agent),
            "deal {}",
            d.id
        );
    }
    for v in load::<Visit>("visits.json") {
        assert!(
            has_lead(v.lead_id) && has_property(v.property_id) && has_agent(v.agent_id),
            "visit {}",
            v.id
        );
    }
    for a in load::<Activity>("activities.json") {
        assert!(
            has_lead(a.lead_id) && a.property_id.is_none_or(has_property),
            "activity {}",
            a.id
        );
    }
    assert!(
        properties
            .iter()
            .filter_map(|p| p.listing_broker)
            .all(has_agent)
    );
    assert!(leads.iter().filter_map(|l| l.assigned_agent).all(has_agent));
}

#[test]
fn bundled_plans_validate_and_pay_every_deal_to_the_cent() {
    use realestate_crm::commission::{
        CommissionEngine, CommissionPlan, StatementContext, WithholdingTable,
    };
    use realestate_crm::domain::DealKind;
    #[derive(serde::Deserialize)]
    struct Plans {
        sale: CommissionPlan,
        lease: CommissionPlan,
    }
    let dir = format!("{}/examples/data", env!("CARGO_MANIFEST_DIR"));
    let plans: Plans =
        from_json(&std::fs::read_to_string(format!("{dir}/plans.json")).unwrap()).unwrap();
    let taxes: WithholdingTable =
        from_json(&std::fs::read_to_string(format!("{dir}/withholding.json")).unwrap()).unwrap();
    let sale = CommissionEngine::new(plans.sale, taxes.clone()).unwrap();
    let lease = CommissionEngine::new(plans.lease, taxes).unwrap();
    let on = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let pools: Vec<String> = load::<Deal>("deals.json")
        .iter()
        .map(|d| {
            let e = if d.kind == DealKind::Sale {
                &sale
            } else {
                &lease
            };
            let s = e.statement(d, &StatementContext::on(on)).unwrap();
            let gross: rust_decimal::Decimal = s.lines.iter().map(|l| l.gross.amount()).sum();
            assert_eq!(gross, s.pool.amount());
            assert!(s.ledger_entry().is_balanced());
            s.pool.amount().to_string()
        })
        .collect();
    // 1,120,000 · 6% = 67,200.00; the first rent 5,600.00; 700,000 · 6% = 42,000.00.
    assert_eq!(pools, ["67200.00", "5600.00", "42000.00"]);
}
