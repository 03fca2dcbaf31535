//! Decision tables: evaluating a 20-row table (unique, first and collect with sum) against a
//! deal record, and the static gap/overlap check of that table. Run with
//! `cargo bench --bench workflow_decision`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use realestate_crm::workflow::DecisionTable;
use serde_json::{Value, json};
use std::hint::black_box;

/// 20 rows: 9 value bands of sales, each for two city groups, a lease row and a refund row.
fn table(policy: &str, aggregation: Option<&str>) -> DecisionTable {
    let bounds = [
        "0", "150000", "300000", "500000", "750000", "1000000", "1500000", "2000000", "3000000",
    ];
    let mut rows = Vec::new();
    for (i, lo) in bounds.iter().enumerate() {
        let value = match bounds.get(i + 1) {
            Some(hi) => json!({"op": "between", "min": lo, "max": hi}),
            None => json!({"op": "gt", "value": lo}),
        };
        rows.push(
            json!({"when": ["sale", value, {"op": "in", "values": ["São Paulo", "Campinas"]}],
            "then": [format!("sp_{i}"), format!("{}", 600 - i * 25)]}),
        );
        rows.push(
            json!({"when": ["sale", value, {"op": "not_in", "values": ["São Paulo", "Campinas"]}],
            "then": [format!("br_{i}"), format!("{}", 550 - i * 25)]}),
        );
    }
    rows.push(json!({"when": ["lease", "-", "-"], "then": ["lease", "100"]}));
    rows.push(json!({"when": ["sale", {"op": "lt", "value": "0"}, "-"], "then": ["refund", "0"]}));
    for row in &mut rows {
        if let Some(kind) = row["when"][0].as_str().map(str::to_owned) {
            row["when"][0] = json!({"op": "eq", "value": kind});
        }
    }
    let mut j = json!({
        "id": "commission_plan_20", "hit_policy": policy,
        "inputs": [
            {"name": "kind", "field": "kind", "values": ["sale", "lease"]},
            {"name": "value", "field": "value.amount", "type": "number"},
            {"name": "city", "field": "address.city", "type": "text"}
        ],
        "outputs": [{"name": "plan"}, {"name": "points"}],
        "rows": rows,
    });
    if let Some(a) = aggregation {
        j["outputs"] = json!([{"name": "points"}]);
        for row in j["rows"].as_array_mut().into_iter().flatten() {
            let points = row["then"][1].clone();
            row["then"] = json!([points]);
        }
        j["aggregation"] = json!(a);
    }
    DecisionTable::from_json(&j.to_string()).unwrap()
}

fn deals() -> Vec<Value> {
    ["90000", "480000.50", "1250000", "2999999.99", "5400000"]
        .iter()
        .zip(["São Paulo", "Recife", "Campinas", "Curitiba", "São Paulo"])
        .map(|(v, c)| json!({"kind": "sale", "value": {"amount": v, "currency": "BRL"}, "address": {"city": c}}))
        .collect()
}

fn bench(c: &mut Criterion) {
    let unique = table("unique", None);
    assert_eq!(unique.rows.len(), 20);
    // `between` is inclusive at both ends: neighbouring bands share their boundary, which the
    // check reports as overlaps (and the deals below avoid).
    let report = unique.check();
    eprintln!(
        "check of the 20-row table: {} gap(s), {} overlap(s)",
        report.gaps.len(),
        report.overlaps.len()
    );
    let first = table("first", None);
    let collect = table("collect", Some("sum"));
    let deals = deals();
    let mut g = c.benchmark_group("decision_table_20_rows");
    g.throughput(Throughput::Elements(deals.len() as u64));
    g.bench_function("evaluate_unique", |b| {
        b.iter(|| {
            for d in &deals {
                black_box(unique.evaluate(black_box(d)).unwrap());
            }
        })
    });
    g.bench_function("evaluate_first", |b| {
        b.iter(|| {
            for d in &deals {
                black_box(first.evaluate(black_box(d)).unwrap());
            }
        })
    });
    g.bench_function("evaluate_collect_sum", |b| {
        b.iter(|| {
            for d in &deals {
                black_box(collect.evaluate(black_box(d)).unwrap());
            }
        })
    });
    g.throughput(Throughput::Elements(1));
    g.bench_function("check", |b| {
        b.iter(|| black_box(black_box(&unique).check()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
