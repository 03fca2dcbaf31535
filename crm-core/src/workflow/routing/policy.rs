//! The routing policy as data: teams, their members and territories, the order of matching,
//! the method within a team and claim offers; and its validation, every problem by path.

use crate::domain::{AgentId, PropertyId};
use crate::error::{ErrorCode, FieldError, ValidationErrors};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The largest member weight.
pub const MAX_WEIGHT: u32 = 100;
/// The most agents one offer may go to at once.
pub const MAX_OFFER_TO: u32 = 50;
/// The longest claim timeout: one week, in minutes.
pub const MAX_TIMEOUT_MINUTES: u32 = 7 * 24 * 60;

/// Adds a problem when `ok` is false; the path and message are only built then.
macro_rules! check {
    ($errors:expr, $ok:expr, $path:expr, $code:expr, $msg:expr $(,)?) => {
        if !$ok {
            $errors.push(FieldError::new($code, $msg).at(&$path));
        }
    };
}

fn one() -> u32 {
    1
}

fn default_match_order() -> Vec<MatchCriterion> {
    vec![
        MatchCriterion::Territory,
        MatchCriterion::Language,
        MatchCriterion::Listing,
    ]
}

/// How leads are routed to teams and agents. Load it with [`crate::domain::from_json`] (shape,
/// unknown fields refused) and check it with [`RoutingPolicy::validate`] (every problem by
/// path); [`super::route`] validates it again on every call.
///
/// ```
/// use crm_core::domain::from_json;
/// use crm_core::workflow::routing::{Method, RoutingPolicy};
/// let policy: RoutingPolicy = from_json(r#"{
///   "teams": [{"id": "zona_sul", "method": "round_robin", "capacity": 2,
///              "territories": {"neighbourhoods": ["Moema", "Vila Mariana"]},
///              "members": [{"agent_id": "0190f3a0-0000-7000-8000-000000000001"},
///                          {"agent_id": "0190f3a0-0000-7000-8000-000000000002", "max_open_leads": 12}]}],
///   "claim": {"mode": "first_to_claim", "offer_to": 2, "timeout_minutes": 5, "fallback": ["next_in_team", "pool"]}
/// }"#).unwrap();
/// assert!(policy.validate().is_ok());
/// assert_eq!(policy.teams[0].method, Method::RoundRobin);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutingPolicy {
    /// The teams, in priority order (ties between teams are broken by capacity, not order).
    pub teams: Vec<Team>,
    /// Which criteria pick teams, in order; the first that matches a team with an available
    /// agent wins. Default: territory, language, listing.
    #[serde(default = "default_match_order")]
    pub match_order: Vec<MatchCriterion>,
    /// The team for leads no criterion matched (or whose matched teams had nobody available).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_team: Option<String>,
    /// The agency's manager, the `manager` fallback for teams without their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<AgentId>,
    /// Offer leads to be claimed instead of assigning them; absent means assign directly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim: Option<ClaimPolicy>,
}

/// A criterion that matches leads to teams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchCriterion {
    /// The listing's (or else the lead's wanted) neighbourhood, then city.
    Territory,
    /// The lead's language.
    Language,
    /// The listing the lead asked about.
    Listing,
}

/// A team of agents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Team {
    /// A short unique key (`zona_sul`).
    pub id: String,
    /// The agents, in round-robin order.
    pub members: Vec<Member>,
    /// What the team covers.
    #[serde(default)]
    pub territories: Territories,
    /// Relative weight when several teams match (default 1).
    #[serde(default = "one")]
    pub capacity: u32,
    /// How a member is chosen (default round robin).
    #[serde(default)]
    pub method: Method,
    /// The team's manager, the `manager` fallback for this team's offers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<AgentId>,
}

/// One agent in a team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// The agent.
    pub agent_id: AgentId,
    /// Share of the team's leads, 1..=100 (default 1); used by weighted methods and as the
    /// divisor of the load in `least_loaded`.
    #[serde(default = "one")]
    pub weight: u32,
    /// The most open leads the agent may hold; at that number they are skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_open_leads: Option<u32>,
    /// Languages the agent speaks (`pt`, `en`, `es-AR`); empty means any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
}

/// What a team covers. Names compare without case, accents or extra spaces; languages by
/// their primary subtag (`pt-BR` matches `pt`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Territories {
    /// Cities (municípios).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cities: Vec<String>,
    /// Neighbourhoods (bairros); with `cities` too, only within those cities.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub neighbourhoods: Vec<String>,
    /// Listings the team handles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub listing_ids: Vec<PropertyId>,
    /// Languages the team serves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
}

/// How a team picks among its available members.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Members in turn; the cursor points at the next one to try.
    #[default]
    RoundRobin,
    /// Interleaved weighted round robin: round r takes, in order, every member whose weight is
    /// above r (weights 2, 1, 3 give A B C A C C); the cursor points into that sequence.
    WeightedRoundRobin,
    /// The member with the fewest open leads per unit of weight; ties go to the first from the
    /// cursor, and the cursor moves past the one chosen.
    LeastLoaded,
    /// A seeded draw in proportion to the weights of the available members.
    RandomWeighted,
}

/// Claim offers: the lead is offered to some agents at once and the first to claim it gets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimPolicy {
    /// Only `first_to_claim`.
    pub mode: ClaimMode,
    /// How many agents each offer goes to, 1..=50 (default 1).
    #[serde(default = "one")]
    pub offer_to: u32,
    /// Minutes an offer stays open, 1..=10080.
    pub timeout_minutes: u32,
    /// What happens when an offer times out, in order: `next_in_team`, `team:<id>`, `manager`,
    /// `pool`. After the last step the lead is left unassigned.
    #[serde(default)]
    pub fallback: Vec<String>,
}

/// The claim mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimMode {
    /// The first offered agent to claim gets the lead.
    FirstToClaim,
}

/// One step of a claim fallback chain, parsed from its text.
///
/// ```
/// use crm_core::workflow::routing::FallbackStep;
/// assert_eq!(FallbackStep::parse("team:centro"), Some(FallbackStep::Team("centro".into())));
/// assert_eq!(FallbackStep::parse("pool"), Some(FallbackStep::Pool));
/// assert_eq!(FallbackStep::parse("team:"), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FallbackStep {
    /// Offer to the next agents of the same team not yet offered.
    NextInTeam,
    /// Offer to agents of another team.
    Team(String),
    /// Assign to the team's manager, or the agency's.
    Manager,
    /// Leave the lead in the shared pool.
    Pool,
}

impl FallbackStep {
    /// Parses `next_in_team`, `team:<id>`, `manager` or `pool`.
    pub fn parse(text: &str) -> Option<FallbackStep> {
        match text.trim() {
            "next_in_team" => Some(FallbackStep::NextInTeam),
            "manager" => Some(FallbackStep::Manager),
            "pool" => Some(FallbackStep::Pool),
            other => other
                .strip_prefix("team:")
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .map(|id| FallbackStep::Team(id.to_owned())),
        }
    }
}

impl RoutingPolicy {
    /// The team with this id.
    ///
    /// ```
    /// use crm_core::domain::from_json;
    /// use crm_core::workflow::routing::RoutingPolicy;
    /// let p: RoutingPolicy = from_json(r#"{"teams": [{"id": "a", "members": []}]}"#).unwrap();
    /// assert!(p.team("a").is_some() && p.team("b").is_none());
    /// ```
    pub fn team(&self, id: &str) -> Option<&Team> {
        self.teams.iter().find(|t| t.id == id)
    }

    /// Every problem, each with its path (`teams[1].members[0].weight`): at least one team;
    /// team ids present and unique; members present, each agent once per team, weights
    /// 1..=100, `max_open_leads` not zero; capacities not zero; no blank territory name; each
    /// criterion once in `match_order`; a known `fallback_team`; `offer_to` 1..=50,
    /// `timeout_minutes` 1..=10080, and fallback steps that parse and name known teams, with a
    /// manager for `manager`.
    ///
    /// ```
    /// use crm_core::{ErrorCode, domain::from_json};
    /// use crm_core::workflow::routing::RoutingPolicy;
    /// let p: RoutingPolicy = from_json(r#"{"teams": [{"id": "a", "members": [], "capacity": 0}],
    ///   "claim": {"mode": "first_to_claim", "timeout_minutes": 5, "fallback": ["team:b"]}}"#).unwrap();
    /// let e = p.validate().unwrap_err();
    /// assert!(e.contains("teams[0].members", ErrorCode::RoutingTeam));
    /// assert!(e.contains("teams[0].capacity", ErrorCode::RoutingTeam));
    /// assert!(e.contains("claim.fallback[0]", ErrorCode::RoutingFallback));
    /// ```
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        check!(
            errors,
            !self.teams.is_empty(),
            "teams",
            ErrorCode::RoutingTeam,
            "a policy needs at least one team",
        );
        let mut ids = BTreeSet::new();
        for (i, team) in self.teams.iter().enumerate() {
            let at = format!("teams[{i}]");
            check_team(&mut errors, &at, team);
            if !team.id.trim().is_empty() && !ids.insert(team.id.as_str()) {
                errors.push(
                    FieldError::new(
                        ErrorCode::RoutingTeam,
                        format!("team id `{}` is used twice", team.id),
                    )
                    .at(&format!("{at}.id")),
                );
            }
        }
        let mut seen = BTreeSet::new();
        for (i, c) in self.match_order.iter().enumerate() {
            check!(
                errors,
                seen.insert(*c),
                &format!("match_order[{i}]"),
                ErrorCode::RoutingMatchOrder,
                "this criterion is already in the match order",
            );
        }
        if let Some(id) = &self.fallback_team {
            check!(
                errors,
                self.team(id).is_some(),
                "fallback_team",
                ErrorCode::RoutingTeam,
                format!("no team has the id `{id}`"),
            );
        }
        if let Some(claim) = &self.claim {
            self.check_claim(&mut errors, claim);
        }
        errors.into_result()
    }

    fn check_claim(&self, errors: &mut ValidationErrors, claim: &ClaimPolicy) {
        check!(
            errors,
            (1..=MAX_OFFER_TO).contains(&claim.offer_to),
            "claim.offer_to",
            ErrorCode::RoutingClaim,
            format!("must be within 1..={MAX_OFFER_TO}"),
        );
        check!(
            errors,
            (1..=MAX_TIMEOUT_MINUTES).contains(&claim.timeout_minutes),
            "claim.timeout_minutes",
            ErrorCode::RoutingClaim,
            format!("must be within 1..={MAX_TIMEOUT_MINUTES}"),
        );
        for (i, text) in claim.fallback.iter().enumerate() {
            let at = format!("claim.fallback[{i}]");
            match FallbackStep::parse(text) {
                None => errors.push(
                    FieldError::new(
                        ErrorCode::RoutingFallback,
                        format!(
                            "`{}` is not next_in_team, team:<id>, manager or pool",
                            crate::money::truncate_text(text)
                        ),
                    )
                    .at(&at),
                ),
                Some(FallbackStep::Team(id)) => check!(
                    errors,
                    self.team(&id).is_some(),
                    &at,
                    ErrorCode::RoutingFallback,
                    format!("no team has the id `{id}`"),
                ),
                Some(FallbackStep::Manager) => check!(
                    errors,
                    self.manager.is_some() || self.teams.iter().all(|t| t.manager.is_some()),
                    &at,
                    ErrorCode::RoutingFallback,
                    "`manager` needs the policy's manager or a manager on every team",
                ),
                Some(_) => {}
            }
        }
    }
}

fn blank_names(errors: &mut ValidationErrors, at: impl Fn() -> String, names: &[String]) {
    for (k, name) in names.iter().enumerate() {
        check!(
            errors,
            !name.trim().is_empty(),
            &format!("{}[{k}]", at()),
            ErrorCode::Required,
            "is required",
        );
    }
}

fn check_team(errors: &mut ValidationErrors, at: &str, team: &Team) {
    check!(
        errors,
        !team.id.trim().is_empty(),
        &format!("{at}.id"),
        ErrorCode::RoutingTeam,
        "a team needs an id",
    );
    check!(
        errors,
        !team.members.is_empty(),
        &format!("{at}.members"),
        ErrorCode::RoutingTeam,
        "a team needs at least one member",
    );
    check!(
        errors,
        team.capacity > 0,
        &format!("{at}.capacity"),
        ErrorCode::RoutingTeam,
        "must be at least 1 (pause the members to stop a team)",
    );
    let mut agents = BTreeSet::new();
    for (j, m) in team.members.iter().enumerate() {
        let mat = || format!("{at}.members[{j}]");
        check!(
            errors,
            !m.agent_id.is_nil(),
            &format!("{}.agent_id", mat()),
            ErrorCode::RoutingMember,
            "the nil UUID is not an agent",
        );
        check!(
            errors,
            agents.insert(m.agent_id),
            &format!("{}.agent_id", mat()),
            ErrorCode::RoutingMember,
            format!("agent {} is already a member of this team", m.agent_id),
        );
        check!(
            errors,
            (1..=MAX_WEIGHT).contains(&m.weight),
            &format!("{}.weight", mat()),
            ErrorCode::RoutingMember,
            format!("must be within 1..={MAX_WEIGHT}"),
        );
        check!(
            errors,
            m.max_open_leads != Some(0),
            &format!("{}.max_open_leads", mat()),
            ErrorCode::RoutingMember,
            "must be at least 1 (pause the agent to stop new leads)",
        );
        blank_names(errors, || format!("{}.languages", mat()), &m.languages);
    }
    let t = &team.territories;
    blank_names(errors, || format!("{at}.territories.cities"), &t.cities);
    blank_names(
        errors,
        || format!("{at}.territories.neighbourhoods"),
        &t.neighbourhoods,
    );
    blank_names(
        errors,
        || format!("{at}.territories.languages"),
        &t.languages,
    );
}
