//! Properties of decision tables on random tables and records: `first` is the first of
//! `rule_order`'s matches, `collect`/`count` counts the matches, a table whose check reports
//! no gap never fails with `no_match` on a point of its domain, and nothing panics on random
//! JSON.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // generated fixtures: fail loudly

use crm_core::ErrorCode;
use crm_core::workflow::DecisionTable;
use proptest::prelude::*;
use serde_json::{Value, json};

const THRESHOLDS: [&str; 5] = ["0", "100", "500000", "1000000", "-250.5"];
const POINTS: [&str; 10] = [
    "0",
    "100",
    "500000",
    "1000000",
    "-250.5",
    "-1",
    "50",
    "100.01",
    "999999.99",
    "2000000",
];
const KINDS: [&str; 3] = ["sale", "lease", "swap"];
const KIND_POINTS: [&str; 4] = ["sale", "lease", "swap", "anything else"];

fn threshold() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(THRESHOLDS.to_vec()).prop_map(|s| json!(s)),
        (-3i64..3).prop_map(|n| json!(n * 100)),
    ]
}

fn number_cell() -> impl Strategy<Value = Value> {
    prop_oneof![
        2 => Just(json!("-")),
        1 => threshold().prop_map(|v| json!({"op": "lt", "value": v})),
        1 => threshold().prop_map(|v| json!({"op": "lte", "value": v})),
        1 => threshold().prop_map(|v| json!({"op": "gt", "value": v})),
        1 => threshold().prop_map(|v| json!({"op": "gte", "value": v})),
        1 => threshold().prop_map(|v| json!({"op": "eq", "value": v})),
        1 => threshold().prop_map(|v| json!({"op": "ne", "value": v})),
        1 => (threshold(), threshold()).prop_map(|(a, b)| {
            let (lo, hi) = if crm_core::workflow::compare(&a, &b) == Some(std::cmp::Ordering::Greater) { (b, a) } else { (a, b) };
            json!({"op": "between", "min": lo, "max": hi})
        }),
        1 => prop::collection::vec(threshold(), 1..3).prop_map(|v| json!({"op": "in", "values": v})),
        1 => prop::collection::vec(threshold(), 1..3).prop_map(|v| json!({"op": "not_in", "values": v})),
    ]
}

fn kind() -> impl Strategy<Value = Value> {
    prop::sample::select(KINDS.to_vec()).prop_map(|s| json!(s))
}

fn text_cell() -> impl Strategy<Value = Value> {
    prop_oneof![
        2 => Just(json!("-")),
        1 => kind().prop_map(|v| json!({"op": "eq", "value": v})),
        1 => kind().prop_map(|v| json!({"op": "ne", "value": v})),
        1 => prop::collection::vec(kind(), 1..3).prop_map(|v| json!({"op": "in", "values": v})),
        1 => prop::collection::vec(kind(), 1..3).prop_map(|v| json!({"op": "not_in", "values": v})),
    ]
}

fn bool_cell() -> impl Strategy<Value = Value> {
    prop_oneof![
        2 => Just(json!("-")),
        1 => any::<bool>().prop_map(|b| json!({"op": "eq", "value": b})),
    ]
}

fn rows() -> impl Strategy<Value = Vec<Value>> {
    prop::collection::vec(
        (number_cell(), text_cell(), bool_cell(), 0u8..4)
            .prop_map(|(n, t, b, o)| json!({"when": [n, t, b], "then": [format!("{o}")]})),
        1..9,
    )
}

fn make(policy: &str, aggregation: Option<&str>, rows: &[Value]) -> DecisionTable {
    let mut j = json!({
        "id": "random", "hit_policy": policy,
        "inputs": [{"name": "v", "field": "v", "type": "number"},
                   {"name": "k", "field": "k", "type": "text"},
                   {"name": "b", "field": "b", "type": "bool"}],
        "outputs": [{"name": "o"}],
        "rows": rows,
    });
    if let Some(a) = aggregation {
        j["aggregation"] = json!(a);
    }
    DecisionTable::from_json(&j.to_string()).unwrap()
}

fn point() -> impl Strategy<Value = Value> {
    (
        prop_oneof![
            prop::sample::select(POINTS.to_vec()).prop_map(|s| json!(s)),
            (-400i64..400).prop_map(|n| json!(n)),
        ],
        prop::sample::select(KIND_POINTS.to_vec()),
        any::<bool>(),
    )
        .prop_map(|(v, k, b)| json!({"v": v, "k": k, "b": b}))
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::String),
        prop::sample::select(POINTS.to_vec()).prop_map(|s| json!(s)),
        prop::sample::select(KIND_POINTS.to_vec()).prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec!["v", "k", "b", "value", "amount", "x"])
                    .prop_map(str::to_owned),
                inner,
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn first_is_the_first_of_rule_order(rows in rows(), record in point()) {
        let ordered = make("rule_order", None, &rows).evaluate(&record).unwrap();
        match make("first", None, &rows).evaluate(&record) {
            Ok(d) => {
                prop_assert_eq!(d.matched_rows.first(), ordered.matched_rows.first());
                prop_assert_eq!(d.outputs.first(), ordered.outputs.first());
            }
            Err(e) => {
                prop_assert_eq!(e.code(), ErrorCode::DecisionNoMatch);
                prop_assert!(ordered.matched_rows.is_empty());
            }
        }
    }

    #[test]
    fn collect_count_counts_the_matches(rows in rows(), record in point()) {
        let ordered = make("rule_order", None, &rows).evaluate(&record).unwrap();
        let count = make("collect", Some("count"), &rows).evaluate(&record).unwrap();
        prop_assert_eq!(count.aggregate, Some(json!(ordered.matched_rows.len().to_string())));
        prop_assert_eq!(&count.matched_rows, &ordered.matched_rows);
        let sum = make("collect", Some("sum"), &rows).evaluate(&record).unwrap();
        let expected: u32 = count.outputs.iter().map(|o| o["o"].as_str().unwrap().parse::<u32>().unwrap()).sum();
        prop_assert_eq!(sum.aggregate, Some(json!(expected.to_string())));
    }

    #[test]
    fn no_gap_means_a_match_everywhere(rows in rows(), records in prop::collection::vec(point(), 16)) {
        let table = make("first", None, &rows);
        let report = table.check();
        prop_assert!(report.not_analysed.is_empty());
        for record in &records {
            let result = table.evaluate(record);
            if report.gaps.is_empty() {
                prop_assert!(result.is_ok(), "no gap reported, yet {record} matches nothing: {report:?}");
            }
        }
    }

    #[test]
    fn reported_overlaps_are_real(rows in rows(), records in prop::collection::vec(point(), 16)) {
        // Every pair of rows that both match a point must be reported by the unique check.
        let report = make("unique", None, &rows).check();
        let ordered = make("rule_order", None, &rows);
        for record in &records {
            let m = ordered.evaluate(record).unwrap().matched_rows;
            for (i, a) in m.iter().enumerate() {
                for b in m.iter().skip(i + 1) {
                    prop_assert!(report.overlaps.iter().any(|o| o.rows == [*a, *b]),
                        "rows {a} and {b} both match {record} but no overlap is reported");
                }
            }
        }
    }

    #[test]
    fn never_panics_on_random_records(rows in rows(), record in arbitrary_json()) {
        for policy in ["unique", "first", "any", "rule_order"] {
            let _ = make(policy, None, &rows).evaluate(&record);
        }
        let _ = make("collect", Some("sum"), &rows).evaluate(&record);
        if let Some(map) = record.as_object() {
            let _ = make("first", None, &rows).evaluate_inputs(map);
        }
    }

    #[test]
    fn never_panics_on_random_tables(j in arbitrary_json()) {
        if let Ok(t) = serde_json::from_value::<DecisionTable>(j.clone()) {
            let _ = t.validate();
            let _ = t.check();
            let _ = t.evaluate(&j);
        }
    }
}
