//! Runs the shared business-calendar and SLA vectors in `tests/vectors/sla.json` against the
//! Rust API (`workflow::calendar`, `workflow::sla`).
//!
//! The expected values were worked by hand from the calendar rules (see the "sla.json" section
//! of `tests/vectors/README.md`). Instants are RFC 3339 with an offset and compare as instants;
//! errors compare by code (and by path when the case gives one), in order. Every case is run;
//! all failures are reported together.

use chrono::{DateTime, NaiveDate, Utc};
use realestate_crm::ErrorCode;
use realestate_crm::domain::from_json;
use realestate_crm::workflow::calendar::{BusinessCalendar, easter_sunday};
use realestate_crm::workflow::sla::{SlaPolicy, policies_from_json};
use serde_json::{Value, json};
use std::collections::BTreeMap;

const MIN_CASES: [(&str, usize); 9] = [
    ("add_business_minutes", 30),
    ("add_business_days", 8),
    ("business_minutes_between", 6),
    ("is_working_time", 6),
    ("holidays_in", 4),
    ("easter", 4),
    ("sla_check", 12),
    ("invalid_calendars", 6),
    ("invalid_policies", 8),
];

fn load() -> Value {
    let path = format!("{}/tests/vectors/sla.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let doc: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not valid JSON: {e}"));
    assert_eq!(doc.get("format"), Some(&json!(1)), "unknown vector format");
    doc
}

fn instant(case: &Value, key: &str) -> Result<DateTime<Utc>, String> {
    let text = case
        .get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("`{key}` is missing"))?;
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("`{key}` = {text:?}: {e}"))
}

fn optional_instant(case: &Value, key: &str) -> Result<Option<DateTime<Utc>>, String> {
    match case.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => instant(case, key).map(Some),
    }
}

fn u32_of(case: &Value, key: &str) -> Result<u32, String> {
    case.get(key)
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| format!("`{key}` is not a u32"))
}

struct Ctx {
    calendars: BTreeMap<String, BusinessCalendar>,
    policies: BTreeMap<String, SlaPolicy>,
}

impl Ctx {
    fn calendar(&self, case: &Value) -> Result<&BusinessCalendar, String> {
        let name = case.get("calendar").and_then(Value::as_str).unwrap_or("");
        self.calendars
            .get(name)
            .ok_or_else(|| format!("unknown calendar {name:?}"))
    }
}

fn expect_error(
    case: &Value,
    got: Result<DateTime<Utc>, realestate_crm::Error>,
) -> Result<(), String> {
    match (case.get("error").and_then(Value::as_str), got) {
        (Some(code), Err(e)) if e.code().as_str() == code => Ok(()),
        (Some(code), other) => Err(format!("expected error {code}, got {other:?}")),
        (None, Err(e)) => Err(format!("unexpected error {e}")),
        (None, Ok(t)) => {
            let want = instant(case, "expect")?;
            if t == want {
                Ok(())
            } else {
                Err(format!("expected {want}, got {t}"))
            }
        }
    }
}

fn want_errors(case: &Value) -> Result<Vec<(Option<String>, String)>, String> {
    case.get("errors")
        .and_then(Value::as_array)
        .ok_or("`errors` is not an array")?
        .iter()
        .map(|e| {
            let code = e
                .get("code")
                .and_then(Value::as_str)
                .ok_or("error without code")?;
            code.parse::<ErrorCode>()
                .map_err(|_| format!("{code:?} is not in the catalogue"))?;
            Ok((
                e.get("path").and_then(Value::as_str).map(str::to_owned),
                code.to_owned(),
            ))
        })
        .collect()
}

fn compare_errors(
    want: &[(Option<String>, String)],
    got: &[realestate_crm::FieldError],
) -> Result<(), String> {
    let ok = want.len() == got.len()
        && want.iter().zip(got).all(|((path, code), g)| {
            g.code.as_str() == code && path.as_ref().is_none_or(|p| *p == g.path)
        });
    if ok {
        Ok(())
    } else {
        let got: Vec<_> = got
            .iter()
            .map(|g| (g.path.clone(), g.code.as_str()))
            .collect();
        Err(format!("expected errors {want:?}, got {got:?}"))
    }
}

fn run(kind: &str, case: &Value, ctx: &Ctx) -> Result<(), String> {
    match kind {
        "add_business_minutes" => {
            let cal = ctx.calendar(case)?;
            let got = cal.add_business_minutes(instant(case, "from")?, u32_of(case, "minutes")?);
            expect_error(case, got)
        }
        "add_business_days" => {
            let cal = ctx.calendar(case)?;
            let got = cal.add_business_days(instant(case, "from")?, u32_of(case, "days")?);
            expect_error(case, got)
        }
        "business_minutes_between" => {
            let cal = ctx.calendar(case)?;
            let got = cal.business_minutes_between(instant(case, "from")?, instant(case, "to")?);
            let want = case
                .get("expect")
                .and_then(Value::as_i64)
                .ok_or("`expect`")?;
            (got == want)
                .then_some(())
                .ok_or(format!("expected {want}, got {got}"))
        }
        "is_working_time" => {
            let cal = ctx.calendar(case)?;
            let got = cal.is_working_time(instant(case, "at")?);
            let want = case
                .get("expect")
                .and_then(Value::as_bool)
                .ok_or("`expect`")?;
            (got == want)
                .then_some(())
                .ok_or(format!("expected {want}, got {got}"))
        }
        "holidays_in" => {
            let cal = ctx.calendar(case)?;
            let year = case.get("year").and_then(Value::as_i64).ok_or("`year`")?;
            let year = i32::try_from(year).map_err(|e| e.to_string())?;
            let got: Vec<String> = cal
                .holidays_in(year)
                .iter()
                .map(|(d, _)| d.to_string())
                .collect();
            let want: Vec<String> =
                serde_json::from_value(case.get("expect").cloned().unwrap_or_default())
                    .map_err(|e| e.to_string())?;
            for d in &want {
                let date: NaiveDate = d.parse().map_err(|e| format!("{d}: {e}"))?;
                if !cal.is_holiday(date) || cal.is_business_day(date) {
                    return Err(format!("{d} listed but not a closed holiday"));
                }
            }
            (got == want)
                .then_some(())
                .ok_or(format!("expected {want:?}, got {got:?}"))
        }
        "easter" => {
            let year = case.get("year").and_then(Value::as_i64).ok_or("`year`")?;
            let got = easter_sunday(i32::try_from(year).map_err(|e| e.to_string())?)
                .map(|d| d.to_string());
            let want = case
                .get("expect")
                .and_then(Value::as_str)
                .map(str::to_owned);
            (got == want)
                .then_some(())
                .ok_or(format!("expected {want:?}, got {got:?}"))
        }
        "sla_check" => {
            let cal = ctx.calendar(case)?;
            let name = case.get("policy").and_then(Value::as_str).unwrap_or("");
            let policy = ctx
                .policies
                .get(name)
                .ok_or(format!("unknown policy {name:?}"))?;
            let status = policy
                .check(
                    instant(case, "started_at")?,
                    optional_instant(case, "met_at")?,
                    instant(case, "now")?,
                    cal,
                )
                .map_err(|e| format!("check failed: {e}"))?;
            let expect = case.get("expect").ok_or("`expect`")?;
            let mut problems = Vec::new();
            if status.deadline != instant(expect, "deadline")? {
                problems.push(format!("deadline {}", status.deadline));
            }
            let state = serde_json::to_value(status.state).map_err(|e| e.to_string())?;
            if Some(&state) != expect.get("state") {
                problems.push(format!("state {state}"));
            }
            if Some(status.business_minutes_left_or_over)
                != expect
                    .get("business_minutes_left_or_over")
                    .and_then(Value::as_i64)
            {
                problems.push(format!(
                    "left_or_over {}",
                    status.business_minutes_left_or_over
                ));
            }
            if Some(&json!(status.escalations_due)) != expect.get("escalations_due") {
                problems.push(format!("escalations_due {:?}", status.escalations_due));
            }
            let want_intents: Vec<Value> = status
                .escalations_due
                .iter()
                .filter_map(|&i| policy.escalate.get(i))
                .map(|s| json!(s.intent))
                .collect();
            if want_intents != status.intents.iter().map(|i| json!(i)).collect::<Vec<_>>() {
                problems.push("intents do not match the due steps".into());
            }
            if expect.get("next_check_at").is_some()
                && status.next_check_at != optional_instant(expect, "next_check_at")?
            {
                problems.push(format!("next_check_at {:?}", status.next_check_at));
            }
            if problems.is_empty() {
                Ok(())
            } else {
                Err(problems.join("; "))
            }
        }
        "invalid_calendars" => {
            let want = want_errors(case)?;
            let text = case.get("calendar").ok_or("`calendar`")?.to_string();
            let got = match BusinessCalendar::from_json(&text) {
                Ok(_) => Vec::new(),
                Err(e) => e.field_errors(),
            };
            compare_errors(&want, &got)
        }
        "invalid_policies" => {
            let want = want_errors(case)?;
            let text = case.get("policies").ok_or("`policies`")?.to_string();
            let got = match policies_from_json(&text) {
                Ok(_) => Vec::new(),
                Err(e) => e.field_errors(),
            };
            compare_errors(&want, &got)
        }
        other => Err(format!("unknown case kind {other}")),
    }
}

#[test]
fn sla_vectors() {
    let doc = load();
    let mut calendars = BTreeMap::new();
    for (name, v) in doc
        .get("calendars")
        .and_then(Value::as_object)
        .expect("calendars")
    {
        let cal = BusinessCalendar::from_json(&v.to_string())
            .unwrap_or_else(|e| panic!("calendar {name} does not load: {e}"));
        calendars.insert(name.clone(), cal);
    }
    let mut policies = BTreeMap::new();
    for (name, v) in doc
        .get("policies")
        .and_then(Value::as_object)
        .expect("policies")
    {
        let p: SlaPolicy = from_json(&v.to_string())
            .unwrap_or_else(|e| panic!("policy {name} does not load: {e}"));
        p.validate()
            .unwrap_or_else(|e| panic!("policy {name} is invalid: {e}"));
        policies.insert(name.clone(), p);
    }
    let ctx = Ctx {
        calendars,
        policies,
    };
    let mut failures = Vec::new();
    let mut ids = std::collections::BTreeSet::new();
    for (kind, min) in MIN_CASES {
        let cases = doc
            .get(kind)
            .and_then(Value::as_array)
            .unwrap_or_else(|| panic!("no {kind}"));
        assert!(
            cases.len() >= min,
            "{kind}: {} cases, expected at least {min}",
            cases.len()
        );
        for case in cases {
            let id = case
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_owned();
            assert!(ids.insert(id.clone()), "duplicate id {id}");
            if let Err(e) = run(kind, case, &ctx) {
                failures.push(format!("{id}: {e}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing case(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
