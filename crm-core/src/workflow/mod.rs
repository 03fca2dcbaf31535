//! Workflow rules: pipelines and their transitions, automation rules, decision tables, lead
//! routing and SLAs in business time. Pure: the engine decides and returns *intents* (assign
//! this agent, create this task, notify, move this stage, schedule this follow-up); the host
//! carries them out. Nothing here sends, stores or reads the clock: `now` and seeds are inputs.

pub mod condition;
pub mod intent;

pub use condition::{Condition, FieldTest, Test, compare, lookup};
pub use intent::{Intent, LeadIntent, Recipient};
