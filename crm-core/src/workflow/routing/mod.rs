//! Lead routing: which team and which agent get a new lead, as a pure function of the lead,
//! the policy, the routing state, the agents' statuses, the clock and a seed — so every
//! assignment can be replayed and audited.
//!
//! 1. **Teams.** The policy's `match_order` (default territory → language → listing) is tried in
//!    turn; the first criterion that matches a team with an available agent wins. Territory uses
//!    the listing's address when a property is given, the lead's wanted cities and
//!    neighbourhoods otherwise, and prefers neighbourhood matches to city-only ones. Nothing
//!    matched → the catch-all teams (those with no territory, language or listing at all) →
//!    the `fallback_team`; nothing there either → [`Assignment::Unassigned`].
//! 2. **Between teams.** Several matching teams: a seeded draw in proportion to `capacity`
//!    ([`SplitMix64`], `draw = next % Σ capacity`, teams in policy order).
//! 3. **Within the team.** `round_robin`, `weighted_round_robin`, `least_loaded` or
//!    `random_weighted`, skipping agents who are paused, off duty (flag or weekly hours), at
//!    their `max_open_leads`, without the lead's language, or without a status. The cursor per
//!    team is explicit state: [`RoutingState`] in, [`RoutingDecision::new_state`] out.
//! 4. **Claim offers.** With a `claim` policy the lead is offered to `offer_to` agents at once
//!    and expires after `timeout_minutes`; [`resolve_offer`] records the claim or, once the
//!    offer expired unclaimed, moves down the fallback chain (`next_in_team`, `team:<id>`,
//!    `manager`, `pool`).
//!
//! Every decision carries its [`Reason`]s, in the order they were found.
//!
//! ```
//! use crm_core::domain::{AgentId, Contact, Lead, LeadId, from_json};
//! use crm_core::workflow::routing::{route, AgentStatus, Assignment, RoutingPolicy, RoutingState};
//! use chrono::{TimeZone, Utc};
//! let a1 = "0190f3a0-0000-7000-8000-000000000001";
//! let a2 = "0190f3a0-0000-7000-8000-000000000002";
//! let policy: RoutingPolicy = from_json(&format!(r#"{{"teams": [{{"id": "geral",
//!     "members": [{{"agent_id": "{a1}"}}, {{"agent_id": "{a2}"}}]}}]}}"#)).unwrap();
//! let now = Utc.with_ymd_and_hms(2026, 11, 26, 14, 0, 0).unwrap();
//! let agents = [AgentStatus::available(a1.parse().unwrap()), AgentStatus::available(a2.parse().unwrap())];
//! let lead = Lead::new(LeadId::from_parts(1, [1; 10]), Contact::new("Ana").with_phone("11987654321"), now);
//! let first = route(&lead, None, &policy, &RoutingState::default(), &agents, now, 7).unwrap();
//! assert_eq!(first.assignment, Assignment::Assigned { agent_id: a1.parse().unwrap() });
//! let second = route(&lead, None, &policy, &first.new_state, &agents, now, 7).unwrap();
//! assert_eq!(second.assignment, Assignment::Assigned { agent_id: a2.parse().unwrap() });
//! assert_eq!(second.new_state.cursors["geral"], 0);
//! ```

mod policy;
mod prng;
mod select;
mod status;
#[cfg(test)]
mod tests;

pub use policy::{
    ClaimMode, ClaimPolicy, FallbackStep, MAX_OFFER_TO, MAX_TIMEOUT_MINUTES, MAX_WEIGHT,
    MatchCriterion, Member, Method, RoutingPolicy, Team, Territories,
};
pub use prng::SplitMix64;
pub use status::{AgentStatus, Day, SAO_PAULO_OFFSET_MINUTES, WeeklyHours, WorkingInterval};

use crate::domain::{AgentId, Lead, LeadId, Property, PropertyId};
use crate::error::{Error, ErrorCode, FieldError, ValidationErrors};
use chrono::{DateTime, Duration, Utc};
use select::{Availability, Facts};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Routing's memory between calls: the round-robin cursor of each team and the outstanding
/// claim offers. The host stores it (one per tenant) and passes it back in; routing never
/// changes it in place.
///
/// ```
/// use crm_core::domain::from_json;
/// use crm_core::workflow::routing::RoutingState;
/// let s: RoutingState = from_json(r#"{"cursors": {"zona_sul": 2}}"#).unwrap();
/// assert_eq!(s.cursors["zona_sul"], 2);
/// assert!(s.offers.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutingState {
    /// Per team id, the position to try next (reduced modulo the team's current size, so a team
    /// that changed size keeps working).
    #[serde(default)]
    pub cursors: BTreeMap<String, u64>,
    /// Offers waiting for a claim.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offers: Vec<Offer>,
    /// The id the next offer gets.
    #[serde(default)]
    pub next_offer_id: u64,
}

/// A lead offered to some agents, waiting for the first to claim it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Offer {
    /// The offer's id, unique within the state.
    pub id: u64,
    /// The lead offered.
    pub lead_id: LeadId,
    /// The team the agents belong to.
    pub team: String,
    /// The agents it is offered to now.
    pub agents: Vec<AgentId>,
    /// Every agent this lead was offered to so far (never offered again).
    pub offered_before: Vec<AgentId>,
    /// The lead's language, kept for the fallback steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// When the offer was made.
    pub offered_at: DateTime<Utc>,
    /// When it expires; a claim must come before.
    pub expires_at: DateTime<Utc>,
    /// The index of the fallback step to take when this offer expires.
    pub next_fallback: usize,
}

/// What routing decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Assignment {
    /// Offered to these agents; the first to claim before `expires_at` gets it.
    Offered {
        /// The offer's id, for [`resolve_offer`].
        offer_id: u64,
        /// Who may claim.
        agents: Vec<AgentId>,
        /// When the offer expires.
        expires_at: DateTime<Utc>,
    },
    /// Assigned to this agent.
    Assigned {
        /// The new owner.
        agent_id: AgentId,
    },
    /// No one; see why.
    Unassigned {
        /// Why.
        why: UnassignedWhy,
    },
}

/// Why a lead was left without an agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnassignedWhy {
    /// No criterion matched a team and there is no fallback team.
    NoTeamMatched,
    /// Teams matched, but none had an available agent.
    NoAgentAvailable,
    /// The fallback chain sent the lead to the shared pool.
    Pool,
    /// The fallback chain ran out.
    FallbackExhausted,
}

/// How a territory matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TerritoryLevel {
    /// By neighbourhood (bairro).
    Neighbourhood,
    /// By city.
    City,
}

/// Why an agent was passed over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SkipWhy {
    /// The agent is paused.
    Paused,
    /// Off duty: the host's flag, or outside the weekly hours.
    OffDuty,
    /// Holding `open_leads` of at most `max_open_leads`.
    AtCapacity {
        /// Leads held open.
        open_leads: u32,
        /// The member's cap.
        max_open_leads: u32,
    },
    /// No status was given for the agent.
    NoStatus,
    /// The agent does not list the lead's language.
    Language {
        /// The lead's language (primary subtag).
        language: String,
    },
    /// The lead was already offered to the agent.
    AlreadyOffered,
}

/// One step of the reasoning, in the order routing took it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[allow(missing_docs)] // fields are named for what they hold
pub enum Reason {
    /// A team covers the lead's territory.
    MatchedTerritory {
        team: String,
        level: TerritoryLevel,
        value: String,
    },
    /// A team serves the lead's language.
    MatchedLanguage { team: String, language: String },
    /// A team handles the listing.
    MatchedListing {
        team: String,
        property_id: PropertyId,
    },
    /// No team matched this criterion.
    NoMatch { criterion: MatchCriterion },
    /// A team with no territory, language or listing takes any lead no criterion placed.
    CatchAllTeam { team: String },
    /// A matched team had nobody available and was left out.
    TeamUnavailable { team: String },
    /// The fallback team was used.
    FallbackTeam { team: String },
    /// One team was left to choose from.
    OnlyTeam { team: String },
    /// Several teams: `draw` = next % `total` fell in `team`'s share of the capacities.
    ChoseTeamByCapacity {
        team: String,
        candidates: Vec<String>,
        capacities: Vec<u32>,
        draw: u64,
        total: u64,
    },
    /// An agent was passed over.
    SkippedAgent {
        team: String,
        agent_id: AgentId,
        why: SkipWhy,
    },
    /// Chosen in turn at `position` (of the members, or of the weighted sequence).
    ChoseAgent {
        team: String,
        agent_id: AgentId,
        method: Method,
        position: u64,
    },
    /// Chosen as the least loaded (`open_leads` / `weight`).
    LeastLoaded {
        team: String,
        agent_id: AgentId,
        open_leads: u32,
        weight: u32,
    },
    /// Chosen by a seeded draw: `draw` = next % `total` of the available weights.
    DrewAgent {
        team: String,
        agent_id: AgentId,
        draw: u64,
        total: u64,
    },
    /// The team's cursor moved.
    CursorMoved { team: String, from: u64, to: u64 },
    /// An offer was made.
    OfferMade {
        offer_id: u64,
        agents: Vec<AgentId>,
        expires_at: DateTime<Utc>,
    },
    /// The offer was claimed in time.
    Claimed { offer_id: u64, agent_id: AgentId },
    /// The offer expired without a claim.
    OfferExpired {
        offer_id: u64,
        expires_at: DateTime<Utc>,
    },
    /// A fallback step was taken.
    FallbackStep { index: usize, step: String },
    /// A fallback step found nobody and was passed.
    FallbackStepSkipped { index: usize, step: String },
    /// Assigned to the manager.
    EscalatedToManager { agent_id: AgentId },
    /// Left in the shared pool.
    SentToPool,
    /// The fallback chain ran out.
    FallbackExhausted,
}

/// A routing decision: the assignment, the team, the state to store and the reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingDecision {
    /// The lead routed.
    pub lead_id: LeadId,
    /// What was decided.
    pub assignment: Assignment,
    /// The team, when one was chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// The state after the decision; pass it to the next call.
    pub new_state: RoutingState,
    /// Why, step by step.
    pub reasons: Vec<Reason>,
}

/// What is routed: the lead, the listing it asked about and its language.
#[derive(Debug, Clone, Copy)]
pub struct LeadToRoute<'a> {
    /// The lead.
    pub lead: &'a Lead,
    /// The listing the lead asked about, if any (territory and listing matching).
    pub property: Option<&'a Property>,
    /// The lead's language (`pt-BR`, `en`), if known; leads carry none yet.
    pub language: Option<&'a str>,
}

fn check_inputs(policy: &RoutingPolicy, agents: &[AgentStatus]) -> Result<(), Error> {
    policy.validate()?;
    let mut errors = ValidationErrors::default();
    let mut seen = std::collections::BTreeSet::new();
    for (i, a) in agents.iter().enumerate() {
        if !seen.insert(a.agent_id) {
            errors.push(
                FieldError::new(
                    ErrorCode::RoutingAgentStatus,
                    format!("agent {} has two statuses", a.agent_id),
                )
                .at(&format!("agents[{i}].agent_id")),
            );
        }
        if let Some(h) = &a.working_hours {
            if let Err(e) = h.validate() {
                errors.extend_at(&format!("agents[{i}].working_hours"), e);
            }
        }
        if let Some(c) = &a.calendar {
            if let Err(e) = c.validate() {
                errors.extend_at(&format!("agents[{i}].calendar"), e);
            }
        }
    }
    errors.into_result().map_err(Error::from)
}

fn availability<'a>(
    agents: &'a [AgentStatus],
    now: DateTime<Utc>,
    language: Option<String>,
) -> Availability<'a> {
    Availability {
        statuses: agents.iter().map(|a| (a.agent_id, a)).collect(),
        now,
        language,
    }
}

/// Routes a lead with no known language; see [`route_lead`].
///
/// ```
/// use crm_core::domain::{Contact, Lead, LeadId, from_json};
/// use crm_core::workflow::routing::{route, Assignment, RoutingPolicy, RoutingState, UnassignedWhy};
/// use chrono::{TimeZone, Utc};
/// let policy: RoutingPolicy = from_json(r#"{"teams": [{"id": "a", "members": [{"agent_id": "0190f3a0-0000-7000-8000-000000000001"}]}]}"#).unwrap();
/// let now = Utc.with_ymd_and_hms(2026, 11, 26, 14, 0, 0).unwrap();
/// let lead = Lead::new(LeadId::from_parts(1, [1; 10]), Contact::new("Ana").with_phone("11987654321"), now);
/// // No status for the only agent: nobody can take it.
/// let d = route(&lead, None, &policy, &RoutingState::default(), &[], now, 1).unwrap();
/// assert_eq!(d.assignment, Assignment::Unassigned { why: UnassignedWhy::NoAgentAvailable });
/// ```
pub fn route(
    lead: &Lead,
    property: Option<&Property>,
    policy: &RoutingPolicy,
    state: &RoutingState,
    agents: &[AgentStatus],
    now: DateTime<Utc>,
    seed: u64,
) -> Result<RoutingDecision, Error> {
    route_lead(
        LeadToRoute {
            lead,
            property,
            language: None,
        },
        policy,
        state,
        agents,
        now,
        seed,
    )
}

/// Routes a lead: chooses the team and the agent (or makes a claim offer) and says why.
///
/// Errors: the policy's or the statuses' validation problems (`validation.routing.*`, by path,
/// statuses under `agents[i]`), or `workflow.routing.offer_pending` when the lead already has
/// an outstanding offer.
///
/// ```
/// use crm_core::domain::{Contact, Lead, LeadId, from_json};
/// use crm_core::workflow::routing::{route_lead, AgentStatus, Assignment, LeadToRoute, RoutingPolicy, RoutingState};
/// use chrono::{TimeZone, Utc};
/// let pt = "0190f3a0-0000-7000-8000-000000000001";
/// let en = "0190f3a0-0000-7000-8000-000000000002";
/// let policy: RoutingPolicy = from_json(&format!(r#"{{"teams": [
///   {{"id": "geral", "members": [{{"agent_id": "{pt}"}}]}},
///   {{"id": "international", "territories": {{"languages": ["en"]}}, "members": [{{"agent_id": "{en}"}}]}}],
///   "fallback_team": "geral"}}"#)).unwrap();
/// let now = Utc.with_ymd_and_hms(2026, 11, 26, 14, 0, 0).unwrap();
/// let agents = [AgentStatus::available(pt.parse().unwrap()), AgentStatus::available(en.parse().unwrap())];
/// let lead = Lead::new(LeadId::from_parts(1, [1; 10]), Contact::new("John").with_phone("11987654321"), now);
/// let d = route_lead(LeadToRoute { lead: &lead, property: None, language: Some("en-GB") },
///                    &policy, &RoutingState::default(), &agents, now, 1).unwrap();
/// assert_eq!(d.team.as_deref(), Some("international"));
/// assert_eq!(d.assignment, Assignment::Assigned { agent_id: en.parse().unwrap() });
/// ```
pub fn route_lead(
    input: LeadToRoute<'_>,
    policy: &RoutingPolicy,
    state: &RoutingState,
    agents: &[AgentStatus],
    now: DateTime<Utc>,
    seed: u64,
) -> Result<RoutingDecision, Error> {
    check_inputs(policy, agents)?;
    let lead_id = input.lead.id;
    if state.offers.iter().any(|o| o.lead_id == lead_id) {
        return Err(FieldError::new(
            ErrorCode::RoutingOfferPending,
            format!("lead {lead_id} already has an outstanding offer"),
        )
        .into());
    }
    let facts = Facts::new(input.lead, input.property, input.language);
    let avail = availability(agents, now, facts.language.clone());
    let mut rng = SplitMix64::new(seed);
    let mut reasons = Vec::new();
    let mut any_matched = false;
    let mut team_index = None;
    let rounds = policy
        .match_order
        .iter()
        .map(|c| (Some(*c), select::matching(policy, *c, &facts)))
        .chain(std::iter::once((None, select::catch_all(policy))));
    for (criterion, matched) in rounds {
        if matched.is_empty() {
            if let Some(criterion) = criterion {
                reasons.push(Reason::NoMatch { criterion });
            }
            continue;
        }
        any_matched = true;
        let mut candidates = Vec::new();
        for (i, why) in matched {
            reasons.push(why);
            match policy.teams.get(i) {
                Some(t) if avail.any_available(t, &[]) => candidates.push(i),
                Some(t) => reasons.push(Reason::TeamUnavailable { team: t.id.clone() }),
                None => {}
            }
        }
        if let Some(i) = select::choose_team(policy, &candidates, &mut rng, &mut reasons) {
            team_index = Some(i);
            break;
        }
    }
    if team_index.is_none() {
        if let Some(fallback) = &policy.fallback_team {
            any_matched = true;
            reasons.push(Reason::FallbackTeam {
                team: fallback.clone(),
            });
            if let Some((i, t)) = policy
                .teams
                .iter()
                .enumerate()
                .find(|(_, t)| t.id == *fallback)
            {
                if avail.any_available(t, &[]) {
                    team_index = Some(i);
                } else {
                    reasons.push(Reason::TeamUnavailable { team: t.id.clone() });
                }
            }
        }
    }
    let mut new_state = state.clone();
    let Some(team) = team_index.and_then(|i| policy.teams.get(i)) else {
        let why = if any_matched {
            UnassignedWhy::NoAgentAvailable
        } else {
            UnassignedWhy::NoTeamMatched
        };
        return Ok(RoutingDecision {
            lead_id,
            assignment: Assignment::Unassigned { why },
            team: None,
            new_state,
            reasons,
        });
    };
    let count = policy
        .claim
        .as_ref()
        .map_or(1, |c| usize::try_from(c.offer_to).unwrap_or(1));
    let cursor = state.cursors.get(&team.id).copied().unwrap_or(0);
    let (chosen, cursor) = select::pick(team, cursor, count, &[], &avail, &mut rng, &mut reasons);
    new_state.cursors.insert(team.id.clone(), cursor);
    let assignment = match (&policy.claim, chosen.first()) {
        (_, None) => Assignment::Unassigned {
            why: UnassignedWhy::NoAgentAvailable,
        },
        (None, Some(agent_id)) => Assignment::Assigned {
            agent_id: *agent_id,
        },
        (Some(claim), Some(_)) => make_offer(
            &mut new_state,
            &mut reasons,
            claim,
            lead_id,
            &team.id,
            chosen.clone(),
            chosen,
            facts.language,
            now,
            0,
        ),
    };
    Ok(RoutingDecision {
        lead_id,
        assignment,
        team: Some(team.id.clone()),
        new_state,
        reasons,
    })
}

#[allow(clippy::too_many_arguments)]
fn make_offer(
    state: &mut RoutingState,
    reasons: &mut Vec<Reason>,
    claim: &ClaimPolicy,
    lead_id: LeadId,
    team: &str,
    agents: Vec<AgentId>,
    offered_before: Vec<AgentId>,
    language: Option<String>,
    now: DateTime<Utc>,
    next_fallback: usize,
) -> Assignment {
    let id = state.next_offer_id;
    state.next_offer_id = id.wrapping_add(1);
    let expires_at = now + Duration::minutes(i64::from(claim.timeout_minutes));
    reasons.push(Reason::OfferMade {
        offer_id: id,
        agents: agents.clone(),
        expires_at,
    });
    state.offers.push(Offer {
        id,
        lead_id,
        team: team.to_owned(),
        agents: agents.clone(),
        offered_before,
        language,
        offered_at: now,
        expires_at,
        next_fallback,
    });
    Assignment::Offered {
        offer_id: id,
        agents,
        expires_at,
    }
}

/// Settles an outstanding offer: a claim made before `expires_at` assigns the lead; with no
/// claim, once `now` reached `expires_at`, the offer expires and the fallback chain continues
/// from where it stood (`next_in_team` and `team:<id>` make a new offer to agents not offered
/// before; `manager` assigns to the team's manager or the agency's; `pool` leaves the lead in
/// the shared pool; a step that finds nobody is passed; after the last step the lead is left
/// unassigned).
///
/// Errors: validation problems as for [`route_lead`]; `workflow.routing.offer_unknown`,
/// `workflow.routing.claim_not_offered`, `workflow.routing.offer_expired` (a claim at or after
/// `expires_at`) and `workflow.routing.offer_not_expired` (no claim, before `expires_at`).
///
/// ```
/// use crm_core::domain::{Contact, Lead, LeadId, from_json};
/// use crm_core::workflow::routing::*;
/// use chrono::{Duration, TimeZone, Utc};
/// let (a1, a2, boss) = ("0190f3a0-0000-7000-8000-000000000001", "0190f3a0-0000-7000-8000-000000000002", "0190f3a0-0000-7000-8000-0000000000ff");
/// let policy: RoutingPolicy = from_json(&format!(r#"{{"teams": [{{"id": "geral", "manager": "{boss}",
///   "members": [{{"agent_id": "{a1}"}}, {{"agent_id": "{a2}"}}]}}],
///   "claim": {{"mode": "first_to_claim", "offer_to": 1, "timeout_minutes": 5, "fallback": ["next_in_team", "manager"]}}}}"#)).unwrap();
/// let now = Utc.with_ymd_and_hms(2026, 11, 26, 14, 0, 0).unwrap();
/// let agents = [AgentStatus::available(a1.parse().unwrap()), AgentStatus::available(a2.parse().unwrap())];
/// let lead = Lead::new(LeadId::from_parts(1, [1; 10]), Contact::new("Ana").with_phone("11987654321"), now);
/// let d = route(&lead, None, &policy, &RoutingState::default(), &agents, now, 1).unwrap();
/// let Assignment::Offered { offer_id, .. } = d.assignment else { panic!() };
/// // Nobody claimed in 5 minutes: offered to the next agent of the team.
/// let later = now + Duration::minutes(5);
/// let d = resolve_offer(&policy, &d.new_state, offer_id, None, &agents, later, 1).unwrap();
/// let Assignment::Offered { offer_id, agents: to, .. } = d.assignment else { panic!() };
/// assert_eq!(to, vec![a2.parse().unwrap()]);
/// // The next agent claims within the timeout.
/// let d = resolve_offer(&policy, &d.new_state, offer_id, Some(a2.parse().unwrap()), &agents, later + Duration::minutes(1), 1).unwrap();
/// assert_eq!(d.assignment, Assignment::Assigned { agent_id: a2.parse().unwrap() });
/// assert!(d.new_state.offers.is_empty());
/// ```
pub fn resolve_offer(
    policy: &RoutingPolicy,
    state: &RoutingState,
    offer_id: u64,
    claimed_by: Option<AgentId>,
    agents: &[AgentStatus],
    now: DateTime<Utc>,
    seed: u64,
) -> Result<RoutingDecision, Error> {
    check_inputs(policy, agents)?;
    let Some(pos) = state.offers.iter().position(|o| o.id == offer_id) else {
        return Err(FieldError::new(
            ErrorCode::RoutingOfferUnknown,
            format!("no outstanding offer has id {offer_id}"),
        )
        .into());
    };
    let mut new_state = state.clone();
    let offer = new_state.offers.remove(pos);
    let mut reasons = Vec::new();
    if let Some(agent_id) = claimed_by {
        if !offer.agents.contains(&agent_id) {
            return Err(FieldError::new(
                ErrorCode::RoutingClaimNotOffered,
                format!("offer {offer_id} was not made to agent {agent_id}"),
            )
            .into());
        }
        if now >= offer.expires_at {
            return Err(FieldError::new(
                ErrorCode::RoutingOfferExpired,
                format!("offer {offer_id} expired at {}", offer.expires_at),
            )
            .into());
        }
        reasons.push(Reason::Claimed { offer_id, agent_id });
        return Ok(RoutingDecision {
            lead_id: offer.lead_id,
            assignment: Assignment::Assigned { agent_id },
            team: Some(offer.team),
            new_state,
            reasons,
        });
    }
    if now < offer.expires_at {
        return Err(FieldError::new(
            ErrorCode::RoutingOfferNotExpired,
            format!("offer {offer_id} is open until {}", offer.expires_at),
        )
        .into());
    }
    reasons.push(Reason::OfferExpired {
        offer_id,
        expires_at: offer.expires_at,
    });
    let avail = availability(agents, now, offer.language.clone());
    let mut rng = SplitMix64::new(seed);
    let fallback: &[String] = policy.claim.as_ref().map_or(&[], |c| &c.fallback);
    let count = policy
        .claim
        .as_ref()
        .map_or(1, |c| usize::try_from(c.offer_to).unwrap_or(1));
    for (index, text) in fallback.iter().enumerate().skip(offer.next_fallback) {
        reasons.push(Reason::FallbackStep {
            index,
            step: text.clone(),
        });
        let skipped = Reason::FallbackStepSkipped {
            index,
            step: text.clone(),
        };
        let team_id = match FallbackStep::parse(text) {
            Some(FallbackStep::NextInTeam) => offer.team.clone(),
            Some(FallbackStep::Team(id)) => id,
            Some(FallbackStep::Manager) => {
                let manager = policy
                    .team(&offer.team)
                    .and_then(|t| t.manager)
                    .or(policy.manager);
                match manager {
                    Some(agent_id) => {
                        reasons.push(Reason::EscalatedToManager { agent_id });
                        return Ok(RoutingDecision {
                            lead_id: offer.lead_id,
                            assignment: Assignment::Assigned { agent_id },
                            team: Some(offer.team),
                            new_state,
                            reasons,
                        });
                    }
                    None => {
                        reasons.push(skipped);
                        continue;
                    }
                }
            }
            Some(FallbackStep::Pool) => {
                reasons.push(Reason::SentToPool);
                return Ok(RoutingDecision {
                    lead_id: offer.lead_id,
                    assignment: Assignment::Unassigned {
                        why: UnassignedWhy::Pool,
                    },
                    team: Some(offer.team),
                    new_state,
                    reasons,
                });
            }
            None => {
                reasons.push(skipped);
                continue;
            }
        };
        let Some(team) = policy.team(&team_id) else {
            reasons.push(skipped);
            continue;
        };
        let cursor = new_state.cursors.get(&team.id).copied().unwrap_or(0);
        let (chosen, cursor) = select::pick(
            team,
            cursor,
            count,
            &offer.offered_before,
            &avail,
            &mut rng,
            &mut reasons,
        );
        if chosen.is_empty() {
            reasons.push(skipped);
            continue;
        }
        new_state.cursors.insert(team.id.clone(), cursor);
        let mut before = offer.offered_before.clone();
        before.extend(chosen.iter().copied());
        let Some(claim) = &policy.claim else { break };
        let assignment = make_offer(
            &mut new_state,
            &mut reasons,
            claim,
            offer.lead_id,
            &team.id,
            chosen,
            before,
            offer.language.clone(),
            now,
            index + 1,
        );
        return Ok(RoutingDecision {
            lead_id: offer.lead_id,
            assignment,
            team: Some(team.id.clone()),
            new_state,
            reasons,
        });
    }
    reasons.push(Reason::FallbackExhausted);
    Ok(RoutingDecision {
        lead_id: offer.lead_id,
        assignment: Assignment::Unassigned {
            why: UnassignedWhy::FallbackExhausted,
        },
        team: Some(offer.team),
        new_state,
        reasons,
    })
}
