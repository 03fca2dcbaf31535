//! [`Deal`]: a proposal that becomes a sale or a lease, and who takes part in its fee.

use super::checks::{MAX_NAME_CHARS, optional_parsed, optional_text, positive_money};
use super::ids::{AgentId, DealId, LeadId, PropertyId};
use crate::error::{ErrorCode, FieldError, ValidationErrors};
use crate::money::Money;
use crate::validation::Document;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Sale or lease.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DealKind {
    /// A sale (compra e venda); the value is the price.
    Sale,
    /// A lease (locação); the value is the monthly rent.
    Lease,
}

/// Where the deal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DealStatus {
    /// An offer (proposta) under negotiation.
    #[default]
    Proposal,
    /// The offer was accepted; contracts are being prepared.
    Accepted,
    /// Signed: the result was reached and the fee is due (Civil Code art. 725).
    Closed,
    /// The offer was turned down.
    Rejected,
    /// Cancelled after acceptance or signature (distrato).
    Cancelled,
}

/// A participant's role in the deal's fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantRole {
    /// The brokerage itself (imobiliária).
    Agency,
    /// The broker who brought the listing in (captador).
    ListingBroker,
    /// The broker who closed with the buyer or tenant (corretor vendedor).
    SellingBroker,
    /// Another agency in a co-brokered deal (parceria).
    PartnerAgency,
    /// Whoever referred the client or the listing (indicação).
    Referral,
}

impl ParticipantRole {
    /// Whether the role is a broker of the agency, who must be an agent.
    pub fn is_broker(self) -> bool {
        matches!(
            self,
            ParticipantRole::ListingBroker | ParticipantRole::SellingBroker
        )
    }
}

/// Whether a recipient is taxed as a person or a company (it drives withholding).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecipientType {
    /// A person (pessoa física), identified by CPF.
    #[default]
    Individual,
    /// A company (pessoa jurídica), identified by CNPJ.
    Company,
}

/// Someone who takes part in a deal's fee.
///
/// ```
/// use crm_core::domain::{Participant, ParticipantRole, RecipientType};
/// let p = Participant::partner_agency("Imobiliária Horizonte Ltda", "11.222.333/0001-81");
/// assert_eq!(p.role, ParticipantRole::PartnerAgency);
/// assert_eq!(p.recipient, RecipientType::Company);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    /// What they did in the deal.
    pub role: ParticipantRole,
    /// The agent, for the agency's own brokers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<AgentId>,
    /// The name, for outside parties (partner agency, referrer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// CPF or CNPJ of the recipient, for tax withholding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// Person or company.
    #[serde(default)]
    pub recipient: RecipientType,
}

impl Participant {
    /// One of the agency's brokers, paid as an individual.
    pub fn broker(role: ParticipantRole, agent_id: AgentId) -> Self {
        Self {
            role,
            agent_id: Some(agent_id),
            name: None,
            document: None,
            recipient: RecipientType::Individual,
        }
    }

    /// The agency itself.
    pub fn agency() -> Self {
        Self {
            role: ParticipantRole::Agency,
            agent_id: None,
            name: None,
            document: None,
            recipient: RecipientType::Company,
        }
    }

    /// A partner agency, by name and CNPJ.
    pub fn partner_agency(name: impl Into<String>, cnpj: impl Into<String>) -> Self {
        Self {
            role: ParticipantRole::PartnerAgency,
            agent_id: None,
            name: Some(name.into()),
            document: Some(cnpj.into()),
            recipient: RecipientType::Company,
        }
    }

    fn check(&self, errors: &mut ValidationErrors) {
        if self.role.is_broker() && self.agent_id.is_none() {
            errors.push(
                FieldError::new(
                    ErrorCode::DealParticipantAgent,
                    "a listing or selling broker must be one of the agents",
                )
                .at("agent_id"),
            );
        }
        let outside = matches!(
            self.role,
            ParticipantRole::PartnerAgency | ParticipantRole::Referral
        );
        if outside && self.agent_id.is_none() && super::checks::present(&self.name).is_none() {
            errors.push(
                FieldError::new(ErrorCode::Required, "an outside participant needs a name")
                    .at("name"),
            );
        }
        optional_text(errors, "name", &self.name, MAX_NAME_CHARS);
        if let Some(doc) = optional_parsed(errors, "document", &self.document, Document::parse) {
            let fits = match self.recipient {
                RecipientType::Individual => doc.is_cpf(),
                RecipientType::Company => doc.is_cnpj(),
            };
            if !fits {
                errors.push(
                    FieldError::new(
                        ErrorCode::DealRecipientDocument,
                        "a company is identified by a CNPJ and a person by a CPF",
                    )
                    .at("document"),
                );
            }
        }
    }
}

/// A deal on a property with a lead.
///
/// ```
/// use crm_core::{Money, domain::*};
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use rust_decimal_macros::dec;
/// let at = Utc.with_ymd_and_hms(2026, 9, 1, 15, 0, 0).unwrap();
/// let day = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
/// let mut deal = Deal::new(
///     DealId::from_parts(1, [3; 10]), LeadId::from_parts(1, [1; 10]), PropertyId::from_parts(1, [2; 10]),
///     DealKind::Sale, Money::brl(dec!(780000)), day, at,
/// );
/// deal.participants = vec![
///     Participant::agency(),
///     Participant::broker(ParticipantRole::SellingBroker, AgentId::from_parts(1, [4; 10])),
/// ];
/// assert!(deal.validate().is_ok());
/// deal.status = DealStatus::Closed;
/// assert_eq!(deal.validate().unwrap_err().errors()[0].path, "closed_on");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deal {
    /// The deal's id.
    pub id: DealId,
    /// The buyer or tenant.
    pub lead_id: LeadId,
    /// The property.
    pub property_id: PropertyId,
    /// Sale or lease.
    pub kind: DealKind,
    /// Where it stands.
    #[serde(default)]
    pub status: DealStatus,
    /// The price of a sale or the monthly rent of a lease.
    pub value: Money,
    /// Months of a lease (30 is usual).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease_months: Option<u16>,
    /// When the offer was made.
    #[serde(deserialize_with = "super::date::deserialize")]
    pub proposed_on: NaiveDate,
    /// When it was accepted.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::date::deserialize_option"
    )]
    pub accepted_on: Option<NaiveDate>,
    /// When the contract was signed.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::date::deserialize_option"
    )]
    pub closed_on: Option<NaiveDate>,
    /// When it was cancelled or rejected.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::date::deserialize_option"
    )]
    pub cancelled_on: Option<NaiveDate>,
    /// Who takes part in the fee.
    #[serde(default)]
    pub participants: Vec<Participant>,
    /// When the record was created.
    #[serde(deserialize_with = "super::instant::deserialize")]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[serde(deserialize_with = "super::instant::deserialize")]
    pub updated_at: DateTime<Utc>,
    /// Optimistic-concurrency version.
    #[serde(default)]
    pub version: u64,
}

impl Deal {
    /// A new proposal with no participants yet.
    pub fn new(
        id: DealId,
        lead_id: LeadId,
        property_id: PropertyId,
        kind: DealKind,
        value: Money,
        proposed_on: NaiveDate,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            id,
            lead_id,
            property_id,
            kind,
            status: DealStatus::default(),
            value,
            lease_months: if kind == DealKind::Lease {
                Some(30)
            } else {
                None
            },
            proposed_on,
            accepted_on: None,
            closed_on: None,
            cancelled_on: None,
            participants: Vec::new(),
            created_at: now,
            updated_at: now,
            version: 0,
        }
    }

    /// Every problem with the deal, each with its path: a value above zero, a lease term,
    /// the dates its status needs in order, at least one participant, brokers who are agents,
    /// no agent twice in a role and one agency at most, a selling broker once closed, and each
    /// participant's document fitting its recipient type.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        positive_money(&mut errors, "value", &self.value);
        if self.kind == DealKind::Lease && self.lease_months.is_none_or(|m| m == 0) {
            errors.push(
                FieldError::new(ErrorCode::Required, "a lease needs its term in months")
                    .at("lease_months"),
            );
        }
        self.check_dates(&mut errors);
        self.check_participants(&mut errors);
        super::checks::not_before(
            &mut errors,
            "updated_at",
            self.updated_at,
            "created_at",
            self.created_at,
        );
        errors.into_result()
    }

    fn check_dates(&self, errors: &mut ValidationErrors) {
        let needs =
            |errors: &mut ValidationErrors, date: Option<NaiveDate>, path: &str, status: &str| {
                if date.is_none() {
                    errors.push(
                        FieldError::new(
                            ErrorCode::Required,
                            format!("a {status} deal needs this date"),
                        )
                        .at(path),
                    );
                }
            };
        match self.status {
            DealStatus::Proposal => {}
            DealStatus::Accepted => needs(errors, self.accepted_on, "accepted_on", "accepted"),
            DealStatus::Closed => needs(errors, self.closed_on, "closed_on", "closed"),
            DealStatus::Rejected | DealStatus::Cancelled => needs(
                errors,
                self.cancelled_on,
                "cancelled_on",
                "rejected or cancelled",
            ),
        }
        let mut previous = ("proposed_on", self.proposed_on);
        for (path, date) in [
            ("accepted_on", self.accepted_on),
            ("closed_on", self.closed_on),
        ] {
            if let Some(d) = date {
                if d < previous.1 {
                    errors.push(
                        FieldError::new(
                            ErrorCode::DateOrder,
                            format!("{d} is before {} ({})", previous.0, previous.1),
                        )
                        .at(path),
                    );
                }
                previous = (path, d);
            }
        }
        if let Some(d) = self.cancelled_on.filter(|d| *d < self.proposed_on) {
            errors.push(
                FieldError::new(
                    ErrorCode::DateOrder,
                    format!("{d} is before proposed_on ({})", self.proposed_on),
                )
                .at("cancelled_on"),
            );
        }
    }

    fn check_participants(&self, errors: &mut ValidationErrors) {
        if self.participants.is_empty() {
            errors.push(
                FieldError::new(
                    ErrorCode::DealParticipantsMissing,
                    "a deal needs at least one participant",
                )
                .at("participants"),
            );
        }
        let mut agencies = 0;
        for (i, p) in self.participants.iter().enumerate() {
            let path = format!("participants[{i}]");
            let mut nested = ValidationErrors::default();
            p.check(&mut nested);
            errors.extend_at(&path, nested);
            if p.role == ParticipantRole::Agency {
                agencies += 1;
                if agencies > 1 {
                    errors.push(
                        FieldError::new(
                            ErrorCode::DealRoleDuplicate,
                            "a deal has one agency; use partner_agency",
                        )
                        .at(&format!("{path}.role")),
                    );
                }
            }
            let twice = p.agent_id.is_some()
                && self
                    .participants
                    .iter()
                    .take(i)
                    .any(|q| q.role == p.role && q.agent_id == p.agent_id);
            if twice {
                errors.push(
                    FieldError::new(
                        ErrorCode::DealRoleDuplicate,
                        "this agent already holds this role in the deal",
                    )
                    .at(&format!("{path}.agent_id")),
                );
            }
        }
        let has_seller = self
            .participants
            .iter()
            .any(|p| p.role == ParticipantRole::SellingBroker);
        if self.status == DealStatus::Closed && !has_seller {
            errors.push(
                FieldError::new(
                    ErrorCode::DealSellingBroker,
                    "a closed deal names the broker who closed it",
                )
                .at("participants"),
            );
        }
    }
}
