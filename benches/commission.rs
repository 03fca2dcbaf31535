//! Statement computation for a four-participant co-brokered sale with marginal tiers and
//! withholding (IRRF on the partner agency, ISS on the agency, the progressive table on the
//! brokers), with and without the explanation trails, and reading that deal with serde (from JSON text, and from a JSON value as the
//! hosts' row readers hand it). Run with `cargo bench --bench commission`.

use chrono::{NaiveDate, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use realestate_crm::Money;
use realestate_crm::commission::{
    CommissionEngine, CommissionPlan, StatementContext, WithholdingTable,
};
use realestate_crm::domain::*;
use rust_decimal::Decimal;
use std::hint::black_box;

const PLAN: &str = r#"{"id": "parceria-2026", "applies_to": "sale",
  "pool": {"type": "tiered", "mode": "marginal", "tiers": [
    {"from": "0", "to": "500000", "rate": "6%"}, {"from": "500000", "to": "1500000", "rate": "5%"},
    {"from": "1500000", "to": null, "rate": "4%"}]},
  "split": {"first": [{"role": "partner_agency", "percent_of_pool": "50%"}],
            "then": [{"role": "agency", "share": "50%"}, {"role": "listing_broker", "share": "20%"},
                     {"role": "selling_broker", "share": "30%"}]},
  "accelerators": [{"role": "selling_broker", "from_volume": "3000000", "share": "35%"}],
  "limits": [{"role": "selling_broker", "min": "500.00", "max": "40000.00"}]}"#;

const TAXES: &str = r#"[
  {"tax": "IRRF", "recipient": "company", "roles": ["partner_agency"], "valid_from": "2020-01-01", "rate": "1.5%", "min_tax": "10.00"},
  {"tax": "ISS", "roles": ["agency"], "valid_from": "2020-01-01", "rate": "5%"},
  {"tax": "IRRF", "recipient": "individual", "valid_from": "2025-05-01", "brackets": [
    {"up_to": "2428.80", "rate": "0", "deduction": "0"}, {"up_to": "2826.65", "rate": "7.5%", "deduction": "182.16"},
    {"up_to": "3751.05", "rate": "15%", "deduction": "394.16"}, {"up_to": "4664.68", "rate": "22.5%", "deduction": "675.49"},
    {"rate": "27.5%", "deduction": "908.73"}]}]"#;

fn statement(c: &mut Criterion) {
    let plan: CommissionPlan = from_json(PLAN).unwrap_or_else(|e| panic!("{e}"));
    let taxes: WithholdingTable = from_json(TAXES).unwrap_or_else(|e| panic!("{e}"));
    let engine = CommissionEngine::new(plan, taxes).unwrap_or_else(|e| panic!("{e}"));
    let on = NaiveDate::from_ymd_opt(2026, 5, 20).unwrap_or_default();
    let mut deal = Deal::new(
        DealId::from_parts(1, [1; 10]),
        LeadId::from_parts(1, [2; 10]),
        PropertyId::from_parts(1, [3; 10]),
        DealKind::Sale,
        Money::brl(Decimal::new(127_500_000, 2)),
        on,
        Utc.with_ymd_and_hms(2026, 5, 20, 12, 0, 0)
            .single()
            .unwrap_or_default(),
    );
    deal.closed_on = Some(on);
    deal.participants = vec![
        Participant::agency(),
        Participant::broker(
            ParticipantRole::ListingBroker,
            AgentId::from_parts(1, [4; 10]),
        ),
        Participant::broker(
            ParticipantRole::SellingBroker,
            AgentId::from_parts(1, [5; 10]),
        ),
        Participant::partner_agency(
            "Paulista Prime Negócios Imobiliários Ltda",
            "11.222.333/0001-81",
        ),
    ];
    let ctx = StatementContext::on(on);
    c.bench_function(
        "statement: 4 participants, marginal tiers, withholding",
        |b| b.iter(|| engine.statement(black_box(&deal), black_box(&ctx))),
    );
    c.bench_function("statement without trails: the same deal", |b| {
        b.iter(|| engine.statement_without_trails(black_box(&deal), black_box(&ctx)))
    });
    let s = engine
        .statement(&deal, &ctx)
        .unwrap_or_else(|e| panic!("{e}"));
    c.bench_function("ledger entry of that statement", |b| {
        b.iter(|| black_box(&s).ledger_entry())
    });
    let text = serde_json::to_string(&deal).unwrap_or_else(|e| panic!("{e}"));
    c.bench_function("read a deal from JSON text (4 participants)", |b| {
        b.iter(|| from_json::<Deal>(black_box(&text)))
    });
    let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    c.bench_function("read a deal from a JSON value (4 participants)", |b| {
        b.iter(|| <Deal as serde::Deserialize>::deserialize(black_box(&value)))
    });
    c.bench_function("engine construction (plan + table validation)", |b| {
        b.iter(|| {
            let plan: CommissionPlan = from_json(black_box(PLAN)).unwrap_or_else(|e| panic!("{e}"));
            CommissionEngine::new(plan, WithholdingTable::none())
        })
    });
}

criterion_group!(benches, statement);
criterion_main!(benches);
