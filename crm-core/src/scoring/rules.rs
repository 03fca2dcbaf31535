//! Rule sets as data: fit rules on the lead (and the property of interest), engagement rules on
//! activities, groups with caps, a section cap, time decay, weights and bands.

use super::points::Points;
use crate::domain::{ActivityKind, ConsentPurpose, Interest, LeadTemperature, Timeline};
use crate::money::Rate;
use serde::{Deserialize, Serialize};

/// A scoring rule set. Read it with [`crate::domain::from_json`]; check it with
/// [`RuleSet::validate`] (or build a [`super::Scorer`], which does).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// A stable id, quoted on scores.
    pub id: String,
    /// Who the lead is: profile and, when given, the property of interest.
    pub fit: Section<FitCondition>,
    /// What the lead did: activities, decayed or windowed.
    pub engagement: EngagementSection,
    /// How fit and engagement combine into the 0–100 score.
    #[serde(default)]
    pub weights: Weights,
    /// Bands from the highest threshold down; the last must start at 0.
    pub bands: Vec<Band>,
}

/// A section of rules in groups, each group capped, the section capped too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section<C> {
    /// The most the section can score; also its scale in the combined score.
    pub cap: Points,
    /// Groups of rules with their caps.
    pub groups: Vec<Group>,
    /// The rules.
    pub rules: Vec<Rule<C>>,
}

/// The engagement section: rules plus how time discounts events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EngagementSection {
    /// The most the section can score.
    pub cap: Points,
    /// How old events count.
    pub decay: Decay,
    /// Groups of rules with their caps.
    pub groups: Vec<Group>,
    /// The rules.
    pub rules: Vec<Rule<EngagementCondition>>,
}

/// A group of rules whose positive points are capped together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Its name, referred to by rules.
    pub name: String,
    /// The most its rules' positive points add up to.
    pub cap: Points,
}

/// One rule: when `when` holds, `points` (negative for signals against).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule<C> {
    /// A stable id, quoted in explanations.
    pub id: String,
    /// The group it belongs to.
    pub group: String,
    /// Points when it applies (per matching activity for activity rules).
    pub points: Points,
    /// The condition.
    pub when: C,
}

/// How time discounts an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Decay {
    /// Every activity counts fully, whatever its age.
    None,
    /// Only activities within the last `days` count (an activity exactly `days` old counts).
    Window {
        /// The window in days.
        days: u32,
    },
    /// An activity's points halve every `days` days: `points · 2^(−age / days)`.
    HalfLife {
        /// The half-life in days.
        days: u32,
    },
}

/// Conditions on the lead and, when given, the property of interest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum FitCondition {
    /// The property's price (to buy) or rent (to rent) is within the lead's budget, allowing
    /// `tolerance` above the maximum.
    BudgetFits {
        /// How far above the budget's maximum still fits (`"10%"`); none when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tolerance: Option<Rate>,
    },
    /// The property's neighbourhood is one the lead wants (ignoring case and accents).
    NeighbourhoodMatch,
    /// The property's city is one the lead wants (ignoring case and accents).
    CityMatch,
    /// The property's type is one the lead wants.
    PropertyTypeMatch,
    /// The property has at least the lead's minimum bedrooms.
    BedroomsFit,
    /// At least `min_fields` of: e-mail, phone, CPF/CNPJ, a budget, wanted places, property
    /// types, minimum bedrooms, a known timeline.
    ProfileComplete {
        /// How many of the eight.
        min_fields: u8,
    },
    /// The lead has a valid phone.
    ValidPhone,
    /// The lead has a valid e-mail.
    ValidEmail,
    /// The lead has a valid CPF or CNPJ.
    ValidDocument,
    /// The lead holds a consent for `purpose` in force at `now`.
    Consent {
        /// The purpose.
        purpose: ConsentPurpose,
    },
    /// The lead came from one of these sources (`website`, `referral`, `walk_in`,
    /// `phone_call`, `social`, `portal`, `other`) or, with `portals`, one of these portals.
    Source {
        /// Source kinds.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        sources: Vec<String>,
        /// Portal keys (`zap`, `viva_real`, `olx`, `quinto_andar`, …).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        portals: Vec<String>,
    },
    /// The portal sent this temperature.
    PortalTemperature {
        /// The temperature.
        temperature: LeadTemperature,
    },
    /// The lead means to move within one of these timelines.
    Timeline {
        /// Timelines.
        timelines: Vec<Timeline>,
    },
    /// The lead wants to buy, or to rent.
    Interest {
        /// Which.
        interest: Interest,
    },
}

/// Conditions on a lead's activities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum EngagementCondition {
    /// Each activity of these kinds scores, decayed by its age.
    Activity {
        /// Activity kinds.
        kinds: Vec<ActivityKind>,
    },
    /// Each listing viewed at least `min_views` times scores once, decayed by the age of its
    /// latest view.
    RepeatView {
        /// Views of the same listing needed.
        min_views: u32,
    },
    /// Scores once when an activity of these kinds happened within the last `within_days` days
    /// (no further decay).
    Recency {
        /// Activity kinds.
        kinds: Vec<ActivityKind>,
        /// How recent, in days.
        within_days: u32,
    },
}

/// How fit and engagement combine: `100 · (w_f · fit/fit_cap + w_e · engagement/engagement_cap)
/// / (w_f + w_e)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// Weight of fit.
    pub fit: Points,
    /// Weight of engagement.
    pub engagement: Points,
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            fit: Points::whole(1),
            engagement: Points::whole(1),
        }
    }
}

/// A band: scores at or above `min` (and below the previous band's) get `name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// The band's name (`A`, `Hot`…).
    pub name: String,
    /// The lowest score in the band, 0–100.
    pub min: Points,
}
