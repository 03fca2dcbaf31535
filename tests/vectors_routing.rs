//! Runs the shared lead-routing vectors in `tests/vectors/routing.json` against the Rust API.
//!
//! The expectations were worked by hand (the seeded draws checked with an independent
//! SplitMix64 in `tests/vectors/tools/make_routing_vectors.py`); see the "routing.json" section
//! of `tests/vectors/README.md`. Each case loads its policy and agent statuses with
//! `domain::from_json`, then runs its steps in order, carrying the routing state from one step
//! to the next. Every case is run; all failures are reported together.

use chrono::{DateTime, Utc};
use realestate_crm::ErrorCode;
use realestate_crm::domain::{AgentId, Lead, Property, from_json};
use realestate_crm::workflow::routing::{
    AgentStatus, Assignment, LeadToRoute, Reason, RoutingDecision, RoutingPolicy, RoutingState,
    resolve_offer, route_lead,
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::collections::BTreeMap;

const MIN_CASES: usize = 30;
const MIN_POLICIES: usize = 10;

fn load() -> Value {
    let path = format!("{}/tests/vectors/routing.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let doc: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not valid JSON: {e}"));
    assert_eq!(doc.get("format"), Some(&json!(1)), "unknown vector format");
    doc
}

fn load_as<T: DeserializeOwned>(what: &str, v: &Value) -> Result<T, String> {
    from_json::<T>(&v.to_string()).map_err(|e| format!("the {what} does not load: {e}"))
}

fn errors_of(err: &realestate_crm::Error) -> Vec<(String, String)> {
    err.field_errors()
        .into_iter()
        .map(|e| (e.path, e.code.as_str().to_owned()))
        .collect()
}

fn want_errors(v: &Value) -> Result<Vec<(String, String)>, String> {
    v.as_array()
        .ok_or("`errors` is not an array")?
        .iter()
        .map(|e| {
            let path = e
                .get("path")
                .and_then(Value::as_str)
                .ok_or("error without path")?;
            let code = e
                .get("code")
                .and_then(Value::as_str)
                .ok_or("error without code")?;
            code.parse::<ErrorCode>()
                .map_err(|_| format!("expected code {code:?} is not in the catalogue"))?;
            Ok((path.to_owned(), code.to_owned()))
        })
        .collect()
}

fn check_decision(expect: &Value, d: &RoutingDecision) -> Result<(), String> {
    if let Some(a) = expect.get("assignment") {
        let want: Assignment = load_as("expected assignment", a)?;
        if want != d.assignment {
            return Err(format!("assignment: want {want:?}, got {:?}", d.assignment));
        }
    }
    if let Some(t) = expect.get("team") {
        let got = d.team.as_deref();
        if t.as_str() != got {
            return Err(format!("team: want {t}, got {got:?}"));
        }
    }
    if let Some(c) = expect.get("cursors") {
        let want: BTreeMap<String, u64> = load_as("expected cursors", c)?;
        if want != d.new_state.cursors {
            return Err(format!(
                "cursors: want {want:?}, got {:?}",
                d.new_state.cursors
            ));
        }
    }
    if let Some(n) = expect.get("offers").and_then(Value::as_u64) {
        if d.new_state.offers.len() as u64 != n {
            return Err(format!(
                "outstanding offers: want {n}, got {}",
                d.new_state.offers.len()
            ));
        }
    }
    for r in expect
        .get("reasons_include")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let want: Reason = load_as("expected reason", r)?;
        if !d.reasons.contains(&want) {
            return Err(format!("missing reason {want:?} in {:?}", d.reasons));
        }
    }
    Ok(())
}

fn run_case(case: &Value) -> Result<(), String> {
    let policy: RoutingPolicy = load_as("policy", &case["policy"])?;
    let agents: Vec<AgentStatus> = load_as("agents", &case["agents"])?;
    let mut state: RoutingState = match case.get("state") {
        Some(s) => load_as("state", s)?,
        None => RoutingState::default(),
    };
    let steps = case["steps"].as_array().ok_or("`steps` is not an array")?;
    for (i, step) in steps.iter().enumerate() {
        let fail = |e: String| format!("step {i}: {e}");
        let now: DateTime<Utc> = load_as("now", &step["now"]).map_err(fail)?;
        let seed = step["seed"]
            .as_u64()
            .ok_or_else(|| fail("no seed".into()))?;
        let step_agents: Vec<AgentStatus> = match step.get("agents") {
            Some(a) => load_as("agents", a).map_err(fail)?,
            None => agents.clone(),
        };
        let result = match step["call"].as_str() {
            Some("route") => {
                let lead: Lead = load_as("lead", &step["lead"]).map_err(fail)?;
                let property: Option<Property> = match step.get("property") {
                    Some(p) => Some(load_as("property", p).map_err(fail)?),
                    None => None,
                };
                let input = LeadToRoute {
                    lead: &lead,
                    property: property.as_ref(),
                    language: step.get("language").and_then(Value::as_str),
                };
                route_lead(input, &policy, &state, &step_agents, now, seed)
            }
            Some("resolve") => {
                let offer_id = step["offer_id"]
                    .as_u64()
                    .ok_or_else(|| fail("no offer_id".into()))?;
                let claimed_by: Option<AgentId> =
                    load_as("claimed_by", &step["claimed_by"]).map_err(fail)?;
                resolve_offer(
                    &policy,
                    &state,
                    offer_id,
                    claimed_by,
                    &step_agents,
                    now,
                    seed,
                )
            }
            other => return Err(fail(format!("unknown call {other:?}"))),
        };
        let expect = &step["expect"];
        match (result, expect.get("error"), expect.get("errors")) {
            (Err(e), Some(code), _) => {
                if Some(e.code().as_str()) != code.as_str() {
                    return Err(fail(format!("want error {code}, got {e}")));
                }
            }
            (Err(e), None, Some(errs)) => {
                let want = want_errors(errs).map_err(fail)?;
                if errors_of(&e) != want {
                    return Err(fail(format!(
                        "errors: want {want:?}, got {:?}",
                        errors_of(&e)
                    )));
                }
            }
            (Err(e), None, None) => return Err(fail(format!("unexpected error {e}"))),
            (Ok(d), None, None) => {
                check_decision(expect, &d).map_err(fail)?;
                // The decision must survive a JSON round trip (hosts store it).
                let text = serde_json::to_string(&d).map_err(|e| fail(e.to_string()))?;
                let back: RoutingDecision =
                    serde_json::from_str(&text).map_err(|e| fail(e.to_string()))?;
                if back != d {
                    return Err(fail("the decision does not round-trip through JSON".into()));
                }
                state = d.new_state;
            }
            (Ok(d), _, _) => return Err(fail(format!("want an error, got {:?}", d.assignment))),
        }
    }
    Ok(())
}

fn run_policy(case: &Value) -> Result<(), String> {
    let want = want_errors(&case["expect"]["errors"])?;
    let got = match from_json::<RoutingPolicy>(&case["policy"].to_string()) {
        Err(e) => vec![(e.path, e.code.as_str().to_owned())],
        Ok(p) => match p.validate() {
            Ok(()) => Vec::new(),
            Err(errors) => errors
                .errors()
                .iter()
                .map(|e| (e.path.clone(), e.code.as_str().to_owned()))
                .collect(),
        },
    };
    if got == want {
        Ok(())
    } else {
        Err(format!("want {want:?}, got {got:?}"))
    }
}

#[test]
fn routing_vectors() {
    let doc = load();
    let cases = doc["cases"].as_array().expect("cases");
    let policies = doc["policies"].as_array().expect("policies");
    assert!(cases.len() >= MIN_CASES, "only {} cases", cases.len());
    assert!(
        policies.len() >= MIN_POLICIES,
        "only {} policies",
        policies.len()
    );
    let mut failures = Vec::new();
    for case in cases {
        if let Err(e) = run_case(case) {
            failures.push(format!("{}: {e}", case["id"]));
        }
    }
    for case in policies {
        if let Err(e) = run_policy(case) {
            failures.push(format!("{}: {e}", case["id"]));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing vectors:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
