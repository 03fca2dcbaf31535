//! The quickstart's routing section: today's new leads routed by territory, round robin within
//! the team, paused agents skipped, the cursor carried from one lead to the next.

use chrono::{DateTime, Utc};
use realestate_crm::domain::{Agent, Lead};
use realestate_crm::workflow::routing::{AgentStatus, Assignment};
use realestate_crm::workflow::{RoutingPolicy, RoutingState, route};

pub fn report(
    leads: &[Lead],
    agents: &[Agent],
    policy_json: &str,
    now: DateTime<Utc>,
) -> Result<(), String> {
    let policy: RoutingPolicy =
        realestate_crm::domain::from_json(policy_json).map_err(|e| format!("routing.json: {e}"))?;
    policy
        .validate()
        .map_err(|e| format!("routing.json: {e}"))?;
    // The host knows who is paused and how many open leads each agent holds.
    let statuses: Vec<AgentStatus> = agents
        .iter()
        .map(|a| {
            let open = leads
                .iter()
                .filter(|l| l.assigned_agent == Some(a.id))
                .count() as u32;
            AgentStatus {
                paused: !a.active,
                open_leads: open,
                ..AgentStatus::available(a.id)
            }
        })
        .collect();
    let name = |id| {
        agents
            .iter()
            .find(|a| a.id == id)
            .map_or("?", |a| a.name.as_str())
    };
    let mut state = RoutingState::default();
    println!(
        "\nrouting the book as if it arrived today (by territory, round robin in the team, seeded and replayable)"
    );
    for (i, lead) in leads.iter().enumerate() {
        let d = route(lead, None, &policy, &state, &statuses, now, i as u64)
            .map_err(|e| format!("{e} [{}]", e.code()))?;
        let outcome = match &d.assignment {
            Assignment::Assigned { agent_id } => format!(
                "→ {} ({})",
                name(*agent_id),
                d.team.as_deref().unwrap_or("-")
            ),
            Assignment::Offered { agents, .. } => format!("offered to {} agents", agents.len()),
            Assignment::Unassigned { why } => format!("unassigned: {why:?}"),
        };
        let reasons: Vec<String> = d
            .reasons
            .iter()
            .take(2)
            .map(|r| serde_json::to_string(r).unwrap_or_default())
            .collect();
        println!(
            "  {:<28} {outcome}\n      {}",
            lead.contact.name,
            reasons.join("\n      ")
        );
        state = d.new_state;
    }
    Ok(())
}
