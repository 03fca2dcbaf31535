//! Workflow: pipelines, automation rules, decision tables, routing, calendars and SLAs.

use crate::api::{date, instant, load, load_config, out, out_view};
use crate::convert::{Options, to_json, to_py};
use crate::errors::run;
use chrono::SecondsFormat;
use pyo3::prelude::*;
use realestate_crm::domain::{AgentId, Lead, Property};
use realestate_crm::host::{self, HostError};
use realestate_crm::workflow::automation::{Event, Rule};
use realestate_crm::workflow::calendar::{self, BusinessCalendar as CoreCalendar};
use realestate_crm::workflow::routing::{AgentStatus, LeadToRoute, RoutingPolicy, RoutingState};
use realestate_crm::workflow::sla::{SlaPolicy as CoreSla, policies_from_json};
use realestate_crm::workflow::{self as wf, EvalContext, TransitionContext};

fn json_text(obj: &Bound<'_, PyAny>) -> Result<String, HostError> {
    Ok(crate::convert::config_json(obj)?.to_string())
}

/// A validated pipeline.
#[pyclass(frozen, module = "realestate_crm._native")]
pub struct Pipeline {
    inner: wf::Pipeline,
}

#[pymethods]
impl Pipeline {
    /// `"sales"`, `"rentals"`, `"deals"` (the shipped pipelines) or a pipeline (dict or JSON
    /// text), loaded and validated.
    #[new]
    fn new(py: Python<'_>, pipeline: &Bound<'_, PyAny>) -> PyResult<Self> {
        run(py, || {
            let inner = match pipeline.extract::<String>().ok().as_deref() {
                Some("sales") => wf::Pipeline::default_sales()?,
                Some("rentals") => wf::Pipeline::default_rentals()?,
                Some("deals") => wf::Pipeline::default_deals()?,
                _ => wf::Pipeline::from_json(&json_text(pipeline)?)?,
            };
            Ok(Self { inner })
        })
    }

    /// The pipeline as JSON-form data.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        out(py, &self.inner)
    }

    /// The stages reachable from `stage`.
    fn targets(&self, stage: &str) -> Vec<String> {
        self.inner
            .targets(stage)
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    /// The field that holds a record's stage (`stage`, or `status` for deals).
    fn stage_field(&self) -> &'static str {
        self.inner.applies_to.stage_field()
    }

    /// Moves a record (lead or deal, JSON form) to `to`: `(moved_record, transition)`.
    fn transition<'py>(
        &self,
        py: Python<'py>,
        record: &Bound<'py, PyAny>,
        to: &str,
        context: &Bound<'py, PyAny>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
        let (after, t) = run(py, || {
            let record = to_json(record, Options::default()).map_err(|e| e.at("record"))?;
            let ctx: TransitionContext = load(context).map_err(|e| e.at("context"))?;
            Ok(self.inner.transition(&record, to, &ctx)?)
        })?;
        Ok((to_py(py, &after)?, out_view(py, &t)?))
    }
}

/// A validated set of automation rules (loops refused).
#[pyclass(frozen, module = "realestate_crm._native")]
pub struct RuleSet {
    rules: Vec<Rule>,
}

fn evaluate_with(
    rules: &[Rule],
    event: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
    cal: Option<&BusinessCalendar>,
    depth: u32,
) -> Result<serde_json::Value, HostError> {
    let event: Event = load(event).map_err(|e| e.at("event"))?;
    let mut ctx = EvalContext::at(instant(now, "now")?);
    if let Some(c) = cal {
        ctx = ctx.with_calendar(&c.inner);
    }
    ctx.depth = depth;
    host::to_value(&wf::evaluate(&event, rules, &ctx))
}

#[pymethods]
impl RuleSet {
    /// Loads and validates rules (a list or JSON text); raises `ValidationError` with every
    /// problem (loops at the cycle's first rule).
    #[new]
    fn new(py: Python<'_>, rules: &Bound<'_, PyAny>) -> PyResult<Self> {
        run(py, || {
            let rules: Vec<Rule> = load_config(rules).map_err(|e| e.at("rules"))?;
            let set = wf::RuleSet::new(rules)?;
            Ok(Self {
                rules: set.rules().to_vec(),
            })
        })
    }

    /// Evaluates an event: the fired rules, their intents and a trace entry per rule.
    #[pyo3(signature = (event, now, calendar = None, depth = 0))]
    fn evaluate<'py>(
        &self,
        py: Python<'py>,
        event: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        calendar: Option<PyRef<'py, BusinessCalendar>>,
        depth: u32,
    ) -> PyResult<Bound<'py, PyAny>> {
        let v = run(py, || {
            evaluate_with(&self.rules, event, now, calendar.as_deref(), depth)
        })?;
        to_py(py, &v)
    }
}

/// Evaluates rules loaded without validation (as a rule editor previews them).
#[pyfunction]
#[pyo3(signature = (rules, event, now, calendar = None, depth = 0))]
pub fn evaluate_rules<'py>(
    py: Python<'py>,
    rules: &Bound<'py, PyAny>,
    event: &Bound<'py, PyAny>,
    now: &Bound<'py, PyAny>,
    calendar: Option<PyRef<'py, BusinessCalendar>>,
    depth: u32,
) -> PyResult<Bound<'py, PyAny>> {
    let v = run(py, || {
        let rules: Vec<Rule> = load_config(rules).map_err(|e| e.at("rules"))?;
        evaluate_with(&rules, event, now, calendar.as_deref(), depth)
    })?;
    to_py(py, &v)
}

/// A validated decision table.
#[pyclass(frozen, module = "realestate_crm._native")]
pub struct DecisionTable {
    inner: wf::DecisionTable,
}

#[pymethods]
impl DecisionTable {
    /// Loads and validates a table (dict or JSON text).
    #[new]
    fn new(py: Python<'_>, table: &Bound<'_, PyAny>) -> PyResult<Self> {
        run(py, || {
            Ok(Self {
                inner: wf::DecisionTable::from_json(&json_text(table)?)?,
            })
        })
    }

    /// Evaluates a record (JSON form): outputs, matched and selected rows, aggregate.
    fn evaluate<'py>(
        &self,
        py: Python<'py>,
        record: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let d = run(py, || {
            let record = to_json(record, Options::default()).map_err(|e| e.at("record"))?;
            Ok(self.inner.evaluate(&record)?)
        })?;
        out(py, &d)
    }

    /// The static check: gaps, overlaps and cells not analysed.
    fn check<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        out(py, &self.inner.check())
    }
}

/// A business calendar (working hours in the agency's zone, holidays).
#[pyclass(frozen, module = "realestate_crm._native")]
pub struct BusinessCalendar {
    inner: CoreCalendar,
}

fn rfc3339(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

#[pymethods]
impl BusinessCalendar {
    /// A calendar from JSON-form data (`{}` or None: São Paulo's default).
    #[new]
    #[pyo3(signature = (calendar = None))]
    fn new(py: Python<'_>, calendar: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        run(py, || {
            let inner = match calendar {
                Some(c) if !c.is_none() => CoreCalendar::from_json(&json_text(c)?)?,
                _ => CoreCalendar::sao_paulo(),
            };
            Ok(Self { inner })
        })
    }

    /// `at` plus `minutes` business minutes (RFC 3339 text, UTC).
    fn add_business_minutes(
        &self,
        py: Python<'_>,
        at: &Bound<'_, PyAny>,
        minutes: u32,
    ) -> PyResult<String> {
        run(py, || {
            Ok(rfc3339(
                self.inner
                    .add_business_minutes(instant(at, "at")?, minutes)?,
            ))
        })
    }

    /// `at` plus `days` business days (RFC 3339 text, UTC).
    fn add_business_days(
        &self,
        py: Python<'_>,
        at: &Bound<'_, PyAny>,
        days: u32,
    ) -> PyResult<String> {
        run(py, || {
            Ok(rfc3339(
                self.inner.add_business_days(instant(at, "at")?, days)?,
            ))
        })
    }

    /// Business minutes from `start` to `end` (negative when `end` is earlier).
    fn business_minutes_between(
        &self,
        py: Python<'_>,
        start: &Bound<'_, PyAny>,
        end: &Bound<'_, PyAny>,
    ) -> PyResult<i64> {
        run(py, || {
            Ok(self
                .inner
                .business_minutes_between(instant(start, "start")?, instant(end, "end")?))
        })
    }

    /// Whether `at` is within working hours.
    fn is_working_time(&self, py: Python<'_>, at: &Bound<'_, PyAny>) -> PyResult<bool> {
        run(py, || Ok(self.inner.is_working_time(instant(at, "at")?)))
    }

    /// Whether a date is a holiday.
    fn is_holiday(&self, py: Python<'_>, day: &Bound<'_, PyAny>) -> PyResult<bool> {
        run(py, || Ok(self.inner.is_holiday(date(day, "day")?)))
    }

    /// Whether a date is a business day.
    fn is_business_day(&self, py: Python<'_>, day: &Bound<'_, PyAny>) -> PyResult<bool> {
        run(py, || Ok(self.inner.is_business_day(date(day, "day")?)))
    }

    /// The holidays of a year: `(date text, name)` in order.
    fn holidays_in(&self, year: i32) -> Vec<(String, &'static str)> {
        self.inner
            .holidays_in(year)
            .into_iter()
            .map(|(d, n)| (d.to_string(), n))
            .collect()
    }
}

/// Easter Sunday of a year (ISO date text), or None out of range.
#[pyfunction]
pub fn easter_sunday(year: i32) -> Option<String> {
    calendar::easter_sunday(year).map(|d| d.to_string())
}

/// A validated SLA policy.
#[pyclass(frozen, module = "realestate_crm._native")]
pub struct SlaPolicy {
    inner: CoreSla,
}

#[pymethods]
impl SlaPolicy {
    /// Loads and validates one policy.
    #[new]
    fn new(py: Python<'_>, policy: &Bound<'_, PyAny>) -> PyResult<Self> {
        run(py, || {
            let inner: CoreSla = load_config(policy)?;
            inner.validate()?;
            Ok(Self { inner })
        })
    }

    /// The policy's state for a clock started at `started_at`, met at `met_at`, seen at `now`.
    #[pyo3(signature = (started_at, now, calendar, met_at = None))]
    fn check<'py>(
        &self,
        py: Python<'py>,
        started_at: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        calendar: PyRef<'py, BusinessCalendar>,
        met_at: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let s = run(py, || {
            let met = match met_at {
                Some(m) if !m.is_none() => Some(instant(m, "met_at")?),
                _ => None,
            };
            Ok(self.inner.check(
                instant(started_at, "started_at")?,
                met,
                instant(now, "now")?,
                &calendar.inner,
            )?)
        })?;
        out_view(py, &s)
    }

    /// The policy as JSON-form data.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        out(py, &self.inner)
    }
}

/// Validates a list of SLA policies (JSON text or list); raises with every problem.
#[pyfunction]
pub fn validate_sla_policies(py: Python<'_>, policies: &Bound<'_, PyAny>) -> PyResult<()> {
    run(py, || {
        policies_from_json(&json_text(policies)?)?;
        Ok(())
    })
}

/// Routes a lead: the assignment (or offer), the team, the reasons and the new state.
#[pyfunction]
#[pyo3(signature = (lead, policy, state, agents, now, seed, property = None, language = None))]
#[allow(clippy::too_many_arguments)]
pub fn route_lead<'py>(
    py: Python<'py>,
    lead: &Bound<'py, PyAny>,
    policy: &Bound<'py, PyAny>,
    state: Option<&Bound<'py, PyAny>>,
    agents: &Bound<'py, PyAny>,
    now: &Bound<'py, PyAny>,
    seed: u64,
    property: Option<&Bound<'py, PyAny>>,
    language: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let d = run(py, || {
        let lead: Lead = load(lead).map_err(|e| e.at("lead"))?;
        let policy: RoutingPolicy = load_config(policy).map_err(|e| e.at("policy"))?;
        let state: RoutingState = match state {
            Some(s) if !s.is_none() => load(s).map_err(|e| e.at("state"))?,
            _ => RoutingState::default(),
        };
        let agents: Vec<AgentStatus> = load(agents).map_err(|e| e.at("agents"))?;
        let property: Option<Property> = match property {
            Some(p) if !p.is_none() => Some(load(p).map_err(|e| e.at("property"))?),
            _ => None,
        };
        let input = LeadToRoute {
            lead: &lead,
            property: property.as_ref(),
            language,
        };
        Ok(wf::route_lead(
            input,
            &policy,
            &state,
            &agents,
            instant(now, "now")?,
            seed,
        )?)
    })?;
    out_view(py, &d)
}

/// Resolves a claim offer: claimed by an agent, or timed out to the next fallback step.
#[pyfunction]
#[pyo3(signature = (policy, state, offer_id, claimed_by, agents, now, seed))]
#[allow(clippy::too_many_arguments)]
pub fn resolve_offer<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
    state: &Bound<'py, PyAny>,
    offer_id: u64,
    claimed_by: Option<&Bound<'py, PyAny>>,
    agents: &Bound<'py, PyAny>,
    now: &Bound<'py, PyAny>,
    seed: u64,
) -> PyResult<Bound<'py, PyAny>> {
    let d = run(py, || {
        let policy: RoutingPolicy = load_config(policy).map_err(|e| e.at("policy"))?;
        let state: RoutingState = load(state).map_err(|e| e.at("state"))?;
        let claimed: Option<AgentId> = match claimed_by {
            Some(c) if !c.is_none() => Some(load(c).map_err(|e| e.at("claimed_by"))?),
            _ => None,
        };
        let agents: Vec<AgentStatus> = load(agents).map_err(|e| e.at("agents"))?;
        Ok(wf::resolve_offer(
            &policy,
            &state,
            offer_id,
            claimed,
            &agents,
            instant(now, "now")?,
            seed,
        )?)
    })?;
    out_view(py, &d)
}

/// Loads and validates a routing policy, giving back its JSON form.
#[pyfunction]
pub fn routing_policy<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let p = run(py, || {
        let p: RoutingPolicy = load_config(policy)?;
        p.validate()?;
        Ok(p)
    })?;
    out(py, &p)
}
