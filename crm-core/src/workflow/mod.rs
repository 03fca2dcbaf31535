//! Workflow rules: pipelines and their transitions, automation rules, decision tables, lead
//! routing and SLAs in business time. Pure: the engine decides and returns *intents* (assign
//! this agent, create this task, notify, move this stage, schedule this follow-up); the host
//! carries them out. Nothing here sends, stores or reads the clock: `now` and seeds are inputs.

pub mod automation;
pub mod calendar;
pub mod condition;
pub mod decision;
mod holidays;
pub mod intent;
pub mod pipeline;
pub mod routing;
pub mod sla;

pub use automation::{
    Conditions, EvalContext, Evaluation, Event, EventKind, Fired, Offset, Rule, RuleSet, Side,
    TraceEntry, Trigger, Why, evaluate, find_loops,
};
pub use calendar::{BusinessCalendar, HolidayRules, WorkingDay, easter_sunday};
pub use condition::{Condition, FieldTest, Test, compare, lookup};
pub use decision::{Aggregation, Decision, DecisionTable, Gap, HitPolicy, Overlap, TableReport};
pub use intent::{Intent, LeadIntent, Recipient};
pub use pipeline::{
    AppliesTo, Guard, Pipeline, Stage, StageKind, Transition, TransitionContext, TransitionRule,
};
pub use routing::{RoutingDecision, RoutingPolicy, RoutingState, resolve_offer, route, route_lead};
pub use sla::{SlaDuration, SlaPolicy, SlaState, SlaStatus};
