//! Workflow: pipelines, automation rules, decision tables, routing, calendars and SLAs.
//! Configuration and records cross as JSON text, instants as RFC 3339 text.

use crate::errors::run;
use crate::json::{date, instant, instant_text, load, load_opt, out};
use napi::Env;
use napi_derive::napi;
use realestate_crm::domain::{AgentId, Lead, Property};
use realestate_crm::host::{self, HostError, text};
use realestate_crm::workflow::automation::{Event, Rule};
use realestate_crm::workflow::calendar::{self, BusinessCalendar as CoreCalendar};
use realestate_crm::workflow::routing::{AgentStatus, LeadToRoute, RoutingPolicy, RoutingState};
use realestate_crm::workflow::sla::{SlaPolicy as CoreSla, policies_from_json};
use realestate_crm::workflow::{self as wf, EvalContext, TransitionContext};

/// A validated pipeline.
#[napi(js_name = "NativePipeline")]
pub struct Pipeline {
    inner: wf::Pipeline,
}

#[napi]
impl Pipeline {
    /// `"sales"`, `"rentals"`, `"deals"` (the shipped pipelines) or a pipeline as JSON text.
    #[napi(constructor)]
    pub fn new(env: Env, pipeline: String) -> napi::Result<Self> {
        run(&env, || {
            let inner = match pipeline.as_str() {
                "sales" => wf::Pipeline::default_sales()?,
                "rentals" => wf::Pipeline::default_rentals()?,
                "deals" => wf::Pipeline::default_deals()?,
                json => wf::Pipeline::from_json(json)?,
            };
            Ok(Self { inner })
        })
    }

    /// The pipeline as JSON text.
    #[napi]
    pub fn to_json_text(&self, env: Env) -> napi::Result<String> {
        run(&env, || out(&self.inner))
    }

    /// The stages reachable from `stage`.
    #[napi]
    pub fn targets(&self, env: Env, stage: String) -> napi::Result<Vec<String>> {
        run(&env, || {
            Ok(self
                .inner
                .targets(&stage)
                .into_iter()
                .map(str::to_owned)
                .collect())
        })
    }

    /// The field that holds a record's stage (`stage`, or `status` for deals).
    #[napi]
    pub fn stage_field(&self) -> &'static str {
        self.inner.applies_to.stage_field()
    }

    /// Moves a record (JSON text) to `to`: `{"record": …, "transition": …}` as JSON text.
    #[napi]
    pub fn transition(
        &self,
        env: Env,
        record: String,
        to: String,
        context: String,
    ) -> napi::Result<String> {
        run(&env, || {
            let record = text::parse(&record).map_err(|e| e.at("record"))?;
            let ctx: TransitionContext = load(&context, "context")?;
            let (after, t) = self.inner.transition(&record, &to, &ctx)?;
            out(&serde_json::json!({"record": after, "transition": host::to_value(&t)?}))
        })
    }
}

fn rules_of(json: &str) -> Result<Vec<Rule>, HostError> {
    load(json, "rules")
}

fn evaluate_with(
    rules: &[Rule],
    event: &str,
    now: &str,
    cal: Option<&BusinessCalendar>,
    depth: u32,
) -> Result<String, HostError> {
    let event: Event = load(event, "event")?;
    let mut ctx = EvalContext::at(instant(now, "now")?);
    if let Some(c) = cal {
        ctx = ctx.with_calendar(&c.inner);
    }
    ctx.depth = depth;
    out(&wf::evaluate(&event, rules, &ctx))
}

/// A validated set of automation rules (loops refused).
#[napi(js_name = "NativeRuleSet")]
pub struct RuleSet {
    rules: Vec<Rule>,
}

#[napi]
impl RuleSet {
    /// Loads and validates rules (a JSON array); throws with every problem.
    #[napi(constructor)]
    pub fn new(env: Env, rules: String) -> napi::Result<Self> {
        run(&env, || {
            let set = wf::RuleSet::new(rules_of(&rules)?)?;
            Ok(Self {
                rules: set.rules().to_vec(),
            })
        })
    }

    /// Evaluates an event (JSON) at `now` (RFC 3339): fired rules, intents and the trace, as
    /// JSON text.
    #[napi]
    pub fn evaluate(
        &self,
        env: Env,
        event: String,
        now: String,
        calendar: Option<&BusinessCalendar>,
        depth: Option<u32>,
    ) -> napi::Result<String> {
        run(&env, || {
            evaluate_with(&self.rules, &event, &now, calendar, depth.unwrap_or(0))
        })
    }
}

/// Evaluates rules loaded without validation (as a rule editor previews a draft).
#[napi]
pub fn evaluate_rules(
    env: Env,
    rules: String,
    event: String,
    now: String,
    calendar: Option<&BusinessCalendar>,
    depth: Option<u32>,
) -> napi::Result<String> {
    run(&env, || {
        evaluate_with(
            &rules_of(&rules)?,
            &event,
            &now,
            calendar,
            depth.unwrap_or(0),
        )
    })
}

/// A validated decision table.
#[napi(js_name = "NativeDecisionTable")]
pub struct DecisionTable {
    inner: wf::DecisionTable,
}

#[napi]
impl DecisionTable {
    /// Loads and validates a table (JSON text).
    #[napi(constructor)]
    pub fn new(env: Env, table: String) -> napi::Result<Self> {
        run(&env, || {
            Ok(Self {
                inner: wf::DecisionTable::from_json(&table)?,
            })
        })
    }

    /// Evaluates a record (JSON text): outputs, matched and selected rows, aggregate.
    #[napi]
    pub fn evaluate(&self, env: Env, record: String) -> napi::Result<String> {
        run(&env, || {
            let record = text::parse(&record).map_err(|e| e.at("record"))?;
            out(&self.inner.evaluate(&record)?)
        })
    }

    /// The static check: gaps, overlaps and cells not analysed.
    #[napi]
    pub fn check(&self, env: Env) -> napi::Result<String> {
        run(&env, || out(&self.inner.check()))
    }
}

/// A business calendar (working hours in the agency's zone, holidays).
#[napi(js_name = "NativeBusinessCalendar")]
pub struct BusinessCalendar {
    inner: CoreCalendar,
}

/// A holiday.
#[napi(object)]
pub struct Holiday {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Its name.
    pub name: String,
}

#[napi]
impl BusinessCalendar {
    /// A calendar from JSON text (null or `{}`: São Paulo's default).
    #[napi(constructor)]
    pub fn new(env: Env, calendar: Option<String>) -> napi::Result<Self> {
        run(&env, || {
            let inner = match calendar.as_deref() {
                None | Some("null") => CoreCalendar::sao_paulo(),
                Some(json) => CoreCalendar::from_json(json)?,
            };
            Ok(Self { inner })
        })
    }

    /// `at` plus `minutes` business minutes (RFC 3339 in, RFC 3339 UTC out).
    #[napi]
    pub fn add_business_minutes(&self, env: Env, at: String, minutes: u32) -> napi::Result<String> {
        run(&env, || {
            Ok(instant_text(
                self.inner
                    .add_business_minutes(instant(&at, "at")?, minutes)?,
            ))
        })
    }

    /// `at` plus `days` business days.
    #[napi]
    pub fn add_business_days(&self, env: Env, at: String, days: u32) -> napi::Result<String> {
        run(&env, || {
            Ok(instant_text(
                self.inner.add_business_days(instant(&at, "at")?, days)?,
            ))
        })
    }

    /// Business minutes from `start` to `end` (negative when `end` is earlier).
    #[napi]
    pub fn business_minutes_between(
        &self,
        env: Env,
        start: String,
        end: String,
    ) -> napi::Result<i64> {
        run(&env, || {
            Ok(self
                .inner
                .business_minutes_between(instant(&start, "start")?, instant(&end, "end")?))
        })
    }

    /// Whether `at` is within working hours.
    #[napi]
    pub fn is_working_time(&self, env: Env, at: String) -> napi::Result<bool> {
        run(&env, || Ok(self.inner.is_working_time(instant(&at, "at")?)))
    }

    /// Whether a date (`YYYY-MM-DD`) is a holiday.
    #[napi]
    pub fn is_holiday(&self, env: Env, day: String) -> napi::Result<bool> {
        run(&env, || Ok(self.inner.is_holiday(date(&day, "day")?)))
    }

    /// Whether a date is a business day.
    #[napi]
    pub fn is_business_day(&self, env: Env, day: String) -> napi::Result<bool> {
        run(&env, || Ok(self.inner.is_business_day(date(&day, "day")?)))
    }

    /// The holidays of a year, in order.
    #[napi]
    pub fn holidays_in(&self, env: Env, year: i32) -> napi::Result<Vec<Holiday>> {
        run(&env, || {
            Ok(self
                .inner
                .holidays_in(year)
                .into_iter()
                .map(|(d, n)| Holiday {
                    date: d.to_string(),
                    name: n.to_owned(),
                })
                .collect())
        })
    }
}

/// Easter Sunday of a year (`YYYY-MM-DD`), or null out of range.
#[napi]
pub fn easter_sunday(env: Env, year: i32) -> napi::Result<Option<String>> {
    run(&env, || {
        Ok(calendar::easter_sunday(year).map(|d| d.to_string()))
    })
}

/// A validated SLA policy.
#[napi(js_name = "NativeSlaPolicy")]
pub struct SlaPolicy {
    inner: CoreSla,
}

#[napi]
impl SlaPolicy {
    /// Loads and validates one policy (JSON text).
    #[napi(constructor)]
    pub fn new(env: Env, policy: String) -> napi::Result<Self> {
        run(&env, || {
            let inner: CoreSla = load(&policy, "")?;
            inner.validate()?;
            Ok(Self { inner })
        })
    }

    /// The policy's state for a clock started at `startedAt`, met at `metAt` (or not yet),
    /// seen at `now`; JSON text.
    #[napi]
    pub fn check(
        &self,
        env: Env,
        started_at: String,
        now: String,
        calendar: &BusinessCalendar,
        met_at: Option<String>,
    ) -> napi::Result<String> {
        run(&env, || {
            let met = match met_at.as_deref() {
                Some(m) => Some(instant(m, "met_at")?),
                None => None,
            };
            out(&self.inner.check(
                instant(&started_at, "started_at")?,
                met,
                instant(&now, "now")?,
                &calendar.inner,
            )?)
        })
    }

    /// The policy as JSON text.
    #[napi]
    pub fn to_json_text(&self, env: Env) -> napi::Result<String> {
        run(&env, || out(&self.inner))
    }
}

/// Validates a list of SLA policies (JSON text); throws with every problem.
#[napi]
pub fn validate_sla_policies(env: Env, policies: String) -> napi::Result<()> {
    run(&env, || {
        policies_from_json(&policies)?;
        Ok(())
    })
}

/// The arguments of `routeLead`, as JSON text where structured.
#[napi(object)]
pub struct RouteRequest {
    /// The lead (JSON).
    pub lead: String,
    /// The routing policy (JSON).
    pub policy: String,
    /// The routing state from the previous call (JSON), or null for a fresh one.
    pub state: Option<String>,
    /// The agents' statuses (a JSON array).
    pub agents: String,
    /// RFC 3339.
    pub now: String,
    /// The seed of weighted draws (a safe integer).
    pub seed: i64,
    /// The property of interest (JSON), if any.
    pub property: Option<String>,
    /// The lead's language, if known.
    pub language: Option<String>,
}

fn seed_of(seed: i64) -> Result<u64, HostError> {
    u64::try_from(seed).map_err(|_| HostError::input("seed", "a seed is a non-negative integer"))
}

/// Routes a lead: the assignment (or offer), the team, the reasons and the new state (JSON
/// text).
#[napi]
pub fn route_lead(env: Env, request: RouteRequest) -> napi::Result<String> {
    run(&env, || {
        let lead: Lead = load(&request.lead, "lead")?;
        let policy: RoutingPolicy = load(&request.policy, "policy")?;
        let state: RoutingState = load_opt(request.state.as_deref(), "state")?.unwrap_or_default();
        let agents: Vec<AgentStatus> = load(&request.agents, "agents")?;
        let property: Option<Property> = load_opt(request.property.as_deref(), "property")?;
        let input = LeadToRoute {
            lead: &lead,
            property: property.as_ref(),
            language: request.language.as_deref(),
        };
        out(&wf::route_lead(
            input,
            &policy,
            &state,
            &agents,
            instant(&request.now, "now")?,
            seed_of(request.seed)?,
        )?)
    })
}

/// The arguments of `resolveOffer`.
#[napi(object)]
pub struct ResolveRequest {
    /// The routing policy (JSON).
    pub policy: String,
    /// The routing state holding the offer (JSON).
    pub state: String,
    /// The offer's id.
    pub offer_id: i64,
    /// The agent who claimed it (a UUID), or null when it timed out.
    pub claimed_by: Option<String>,
    /// The agents' statuses (a JSON array).
    pub agents: String,
    /// RFC 3339.
    pub now: String,
    /// The seed of weighted draws.
    pub seed: i64,
}

/// Resolves a claim offer: claimed by an agent, or timed out to the next fallback step.
#[napi]
pub fn resolve_offer(env: Env, request: ResolveRequest) -> napi::Result<String> {
    run(&env, || {
        let policy: RoutingPolicy = load(&request.policy, "policy")?;
        let state: RoutingState = load(&request.state, "state")?;
        let claimed: Option<AgentId> = match request.claimed_by {
            Some(c) => Some(
                host::from_value(serde_json::Value::String(c)).map_err(|e| e.at("claimed_by"))?,
            ),
            None => None,
        };
        let agents: Vec<AgentStatus> = load(&request.agents, "agents")?;
        let offer_id = u64::try_from(request.offer_id)
            .map_err(|_| HostError::input("offer_id", "an offer id is a non-negative integer"))?;
        out(&wf::resolve_offer(
            &policy,
            &state,
            offer_id,
            claimed,
            &agents,
            instant(&request.now, "now")?,
            seed_of(request.seed)?,
        )?)
    })
}

/// Loads and validates a routing policy, giving back its JSON form.
#[napi]
pub fn routing_policy(env: Env, policy: String) -> napi::Result<String> {
    run(&env, || {
        let p: RoutingPolicy = load(&policy, "")?;
        p.validate()?;
        out(&p)
    })
}
