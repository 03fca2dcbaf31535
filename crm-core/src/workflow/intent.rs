//! Intents: what the workflow engine asks the host to do. The engine never acts; the host
//! carries intents out (assigns, creates the task, sends the message) and records the outcome.

use crate::domain::{AgentId, LeadId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Who a notification goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Recipient {
    /// The agent who owns the record.
    Owner,
    /// A given agent.
    Agent {
        /// The agent.
        agent_id: AgentId,
    },
    /// The owner's manager.
    Manager,
    /// A team, by id.
    Team {
        /// The team's id.
        team: String,
    },
    /// The lead.
    Lead,
}

/// One thing for the host to do.
///
/// ```
/// use crm_core::workflow::Intent;
/// let i: Intent = serde_json::from_str(r#"{"type": "move_stage", "to": "contacted"}"#).unwrap();
/// assert_eq!(i, Intent::MoveStage { to: "contacted".into() });
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Intent {
    /// Assign the record to an agent.
    AssignAgent {
        /// The agent.
        agent_id: AgentId,
    },
    /// Route the lead again with the routing policy (to a team, when given).
    Route {
        /// Restrict to this team.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        team: Option<String>,
    },
    /// Create a task.
    CreateTask {
        /// What to do.
        title: String,
        /// When it is due.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due_at: Option<DateTime<Utc>>,
        /// Who does it (the owner when absent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        assignee: Option<Recipient>,
    },
    /// Send a message from a template.
    Notify {
        /// To whom.
        to: Recipient,
        /// The host's template id.
        template: String,
    },
    /// Move the record to a pipeline stage.
    MoveStage {
        /// The stage key.
        to: String,
    },
    /// Schedule a follow-up.
    ScheduleFollowUp {
        /// When.
        at: DateTime<Utc>,
        /// What about.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
    },
    /// Raise an escalation.
    Escalate {
        /// The escalation level (1 = first).
        level: u8,
        /// To whom.
        to: Recipient,
    },
    /// Tag the record.
    AddTag {
        /// The tag.
        tag: String,
    },
}

/// An intent about a given lead, as rules and SLAs return them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadIntent {
    /// The lead.
    pub lead_id: LeadId,
    /// What to do.
    pub intent: Intent,
}
