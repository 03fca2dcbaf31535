//! [`Lead`]: a person or company interested in buying or renting, with what they want, where
//! they came from, what they consented to and where they are in the pipeline.

use super::checks::{MAX_NAME_CHARS, not_before, required_text};
use super::consent::{Consent, ConsentPurpose};
use super::contact::{Contact, require_channel};
use super::ids::{AgentId, LeadId};
use super::property::PropertyType;
use super::source::LeadSource;
use crate::error::{ErrorCode, FieldError, ValidationErrors};
use crate::money::Money;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Whether the lead wants to buy or to rent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interest {
    /// Wants to buy.
    #[default]
    Buy,
    /// Wants to rent.
    Rent,
}

/// When the lead means to move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Timeline {
    /// Now.
    #[serde(rename = "immediate")]
    Immediate,
    /// Within three months.
    #[serde(rename = "within_3_months")]
    Within3Months,
    /// Within six months.
    #[serde(rename = "within_6_months")]
    Within6Months,
    /// Within a year.
    #[serde(rename = "within_12_months")]
    Within12Months,
    /// In more than a year.
    #[serde(rename = "over_12_months")]
    Over12Months,
    /// Not known.
    #[default]
    #[serde(rename = "unknown")]
    Unknown,
}

/// A budget range; either end may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetRange {
    /// The least the lead would pay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Money>,
    /// The most the lead would pay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Money>,
}

impl BudgetRange {
    /// Whether `price` falls inside the range (open ends accept anything; another currency
    /// never matches).
    ///
    /// ```
    /// use crm_core::{Money, domain::BudgetRange};
    /// use rust_decimal_macros::dec;
    /// let b = BudgetRange { min: Some(Money::brl(dec!(400000))), max: Some(Money::brl(dec!(600000))) };
    /// assert!(b.contains(Money::brl(dec!(550000))));
    /// assert!(!b.contains(Money::brl(dec!(650000))));
    /// ```
    pub fn contains(&self, price: Money) -> bool {
        let above_min = self
            .min
            .is_none_or(|m| m.currency() == price.currency() && price.amount() >= m.amount());
        let below_max = self
            .max
            .is_none_or(|m| m.currency() == price.currency() && price.amount() <= m.amount());
        above_min && below_max
    }

    /// Every problem: no negative ends, one currency, min ≤ max.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        super::checks::non_negative_money(&mut errors, "min", &self.min);
        super::checks::non_negative_money(&mut errors, "max", &self.max);
        if let (Some(min), Some(max)) = (self.min, self.max) {
            if min.currency() != max.currency() {
                errors.push(
                    FieldError::new(
                        ErrorCode::CurrencyMismatch,
                        format!(
                            "min is in {} but max is in {}",
                            min.currency(),
                            max.currency()
                        ),
                    )
                    .at("max"),
                );
            } else if min.amount() > max.amount() {
                errors.push(
                    FieldError::new(
                        ErrorCode::LeadBudgetOrder,
                        format!("min {min} is above max {max}"),
                    )
                    .at("max"),
                );
            }
        }
        errors.into_result()
    }
}

/// The default stage of a new lead, the first stage of the default pipelines.
pub const NEW_STAGE: &str = "new";

fn new_stage() -> String {
    NEW_STAGE.to_owned()
}

/// A lead. Contact values are kept as received; [`Lead::validate`] reports every problem and
/// [`Lead::normalized`] gives the canonical copy to store.
///
/// ```
/// use crm_core::domain::{Contact, Lead, LeadId, LeadSource, Portal};
/// use chrono::{TimeZone, Utc};
/// let at = Utc.with_ymd_and_hms(2026, 11, 2, 14, 30, 0).unwrap();
/// let mut lead = Lead::new(LeadId::from_parts(1, [1; 10]), Contact::new("Carlos Eduardo Lima"), at);
/// lead.source = LeadSource::Portal { portal: Portal::Zap, external_id: Some("ZAP-88123".into()), temperature: None };
/// let errors = lead.validate().unwrap_err();
/// assert!(errors.contains("contact", crm_core::ErrorCode::LeadContactMissing));
/// lead.contact.phone = Some("11 98765 4321".into());
/// assert!(lead.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lead {
    /// The lead's id.
    pub id: LeadId,
    /// How to reach the lead.
    pub contact: Contact,
    /// Where the lead came from.
    #[serde(default)]
    pub source: LeadSource,
    /// Buy or rent.
    #[serde(default)]
    pub interest: Interest,
    /// What the lead can pay (total price to buy, monthly rent to rent).
    #[serde(default)]
    pub budget: BudgetRange,
    /// Cities the lead would live in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wanted_cities: Vec<String>,
    /// Neighbourhoods (bairros) the lead would live in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wanted_neighbourhoods: Vec<String>,
    /// Property types the lead considers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub property_types: Vec<PropertyType>,
    /// Fewest bedrooms the lead accepts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_bedrooms: Option<u8>,
    /// When the lead means to move.
    #[serde(default)]
    pub timeline: Timeline,
    /// LGPD consents, in the order given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consents: Vec<Consent>,
    /// Whether the lead is subscribed to marketing messages; needs an active marketing consent.
    #[serde(default)]
    pub marketing_opt_in: bool,
    /// The pipeline stage key.
    #[serde(default = "new_stage")]
    pub stage: String,
    /// The agent who owns the lead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_agent: Option<AgentId>,
    /// When the lead was created.
    #[serde(deserialize_with = "super::instant::deserialize")]
    pub created_at: DateTime<Utc>,
    /// When the lead last changed.
    #[serde(deserialize_with = "super::instant::deserialize")]
    pub updated_at: DateTime<Utc>,
    /// Optimistic-concurrency version, increased by the store on every update.
    #[serde(default)]
    pub version: u64,
}

impl Lead {
    /// A new lead from the website, at stage `new`, created and updated at `now`.
    pub fn new(id: LeadId, contact: Contact, now: DateTime<Utc>) -> Self {
        Self {
            id,
            contact,
            source: LeadSource::default(),
            interest: Interest::default(),
            budget: BudgetRange::default(),
            wanted_cities: Vec::new(),
            wanted_neighbourhoods: Vec::new(),
            property_types: Vec::new(),
            min_bedrooms: None,
            timeline: Timeline::default(),
            consents: Vec::new(),
            marketing_opt_in: false,
            stage: new_stage(),
            assigned_agent: None,
            created_at: now,
            updated_at: now,
            version: 0,
        }
    }

    /// Whether the lead has a marketing consent that was never revoked.
    pub fn has_marketing_consent(&self) -> bool {
        self.consents
            .iter()
            .any(|c| c.purpose == ConsentPurpose::Marketing && !c.is_revoked())
    }

    /// Every problem with the lead, each with its path:
    /// the contact's values (`contact.phone`, …), an e-mail or a phone to reach the lead
    /// (`contact`), the budget (`budget.max`), a portal lead's id (`source.external_id`),
    /// each consent (`consents[1].revoked_at`), marketing only with consent
    /// (`marketing_opt_in`), a sensible bedroom count, a stage, and `updated_at` not before
    /// `created_at`.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        self.check(&mut errors);
        errors.into_result()
    }

    fn check(&self, errors: &mut ValidationErrors) -> super::contact::Parsed {
        let mut contact_errors = ValidationErrors::default();
        let parsed = self.contact.check(&mut contact_errors);
        errors.extend_at("contact", contact_errors);
        require_channel(errors, "contact", &self.contact);
        if let Err(e) = self.budget.validate() {
            errors.extend_at("budget", e);
        }
        match &self.source {
            LeadSource::Portal { external_id, .. } => errors.ensure(
                external_id.as_deref().is_some_and(|s| !s.trim().is_empty()),
                "source.external_id",
                ErrorCode::LeadPortalIdMissing,
                "a portal lead needs the portal's lead id so a re-delivery is not a new lead",
            ),
            LeadSource::Other { name } => {
                required_text(errors, "source.name", name, MAX_NAME_CHARS)
            }
            _ => {}
        }
        for (i, city) in self.wanted_cities.iter().enumerate() {
            required_text(errors, &format!("wanted_cities[{i}]"), city, MAX_NAME_CHARS);
        }
        for (i, n) in self.wanted_neighbourhoods.iter().enumerate() {
            required_text(
                errors,
                &format!("wanted_neighbourhoods[{i}]"),
                n,
                MAX_NAME_CHARS,
            );
        }
        if let Some(b) = self.min_bedrooms.filter(|b| *b > 20) {
            errors.push(
                FieldError::new(ErrorCode::NumberRange, format!("{b} bedrooms is above 20"))
                    .at("min_bedrooms"),
            );
        }
        for (i, consent) in self.consents.iter().enumerate() {
            if let Err(e) = consent.validate() {
                errors.extend_at(&format!("consents[{i}]"), e);
            }
        }
        errors.ensure(
            !self.marketing_opt_in || self.has_marketing_consent(),
            "marketing_opt_in",
            ErrorCode::ConsentRequired,
            "marketing messages need a marketing consent that has not been revoked",
        );
        required_text(errors, "stage", &self.stage, MAX_NAME_CHARS);
        not_before(
            errors,
            "updated_at",
            self.updated_at,
            "created_at",
            self.created_at,
        );
        parsed
    }

    /// A copy ready to store: the contact in canonical form (see [`Contact::normalized`]),
    /// the portal id trimmed. Fails with every problem found.
    pub fn normalized(&self) -> Result<Lead, ValidationErrors> {
        self.validate()?;
        let mut lead = self.clone();
        lead.contact = self.contact.normalized()?;
        if let LeadSource::Portal {
            external_id: Some(id),
            ..
        } = &mut lead.source
        {
            *id = id.trim().to_owned();
        }
        Ok(lead)
    }
}
