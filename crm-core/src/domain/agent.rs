//! [`Agent`]: a broker (corretor) or staff member of the brokerage.

use super::checks::{MAX_NAME_CHARS, not_before, optional_parsed, optional_text, required_text};
use super::ids::AgentId;
use crate::error::ValidationErrors;
use crate::validation::{Creci, Email};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

fn active_default() -> bool {
    true
}

/// A broker of the agency, registered at the regional CRECI.
///
/// ```
/// use crm_core::domain::{Agent, AgentId};
/// use chrono::{TimeZone, Utc};
/// let at = Utc.with_ymd_and_hms(2026, 1, 10, 9, 0, 0).unwrap();
/// let agent = Agent::new(AgentId::from_parts(1, [4; 10]), "Fernanda Ribeiro", "creci/sp 123456-f", "fernanda@horizonte.com.br", at);
/// assert!(agent.validate().is_ok());
/// assert_eq!(agent.normalized().unwrap().creci, "CRECI-SP 123456-F");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agent {
    /// The agent's id.
    pub id: AgentId,
    /// Full name.
    pub name: String,
    /// CRECI registration (`CRECI-SP 123456-F`).
    pub creci: String,
    /// Work e-mail.
    pub email: String,
    /// Work phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Team within the agency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// Store or branch (loja, filial).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<String>,
    /// Whether the agent takes leads and deals.
    #[serde(default = "active_default")]
    pub active: bool,
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

impl Agent {
    /// An active agent with no phone, team or store.
    pub fn new(
        id: AgentId,
        name: impl Into<String>,
        creci: impl Into<String>,
        email: impl Into<String>,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            id,
            name: name.into(),
            creci: creci.into(),
            email: email.into(),
            phone: None,
            team: None,
            store: None,
            active: true,
            created_at: now,
            updated_at: now,
            version: 0,
        }
    }

    /// Every problem: name, a valid CRECI and e-mail, a valid phone when given, team and
    /// store lengths, and `updated_at` not before `created_at`.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        self.check(&mut errors);
        errors.into_result()
    }

    fn check(
        &self,
        errors: &mut ValidationErrors,
    ) -> (Option<Creci>, Option<Email>, Option<crate::Phone>) {
        required_text(errors, "name", &self.name, MAX_NAME_CHARS);
        let creci = errors.check("creci", Creci::parse(&self.creci));
        let email = errors.check("email", Email::parse(&self.email));
        let phone = optional_parsed(errors, "phone", &self.phone, crate::Phone::parse);
        optional_text(errors, "team", &self.team, MAX_NAME_CHARS);
        optional_text(errors, "store", &self.store, MAX_NAME_CHARS);
        not_before(
            errors,
            "updated_at",
            self.updated_at,
            "created_at",
            self.created_at,
        );
        (creci, email, phone)
    }

    /// A copy ready to store: CRECI as `CRECI-SP 123456-F`, e-mail with its domain
    /// lower-cased, phone in E.164, name trimmed.
    pub fn normalized(&self) -> Result<Agent, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let (creci, email, phone) = self.check(&mut errors);
        errors.into_result()?;
        let mut agent = self.clone();
        agent.name = self.name.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(c) = creci {
            agent.creci = c.formatted();
        }
        if let Some(e) = email {
            agent.email = e.as_str().to_owned();
        }
        agent.phone = phone.map(|p| p.as_str().to_owned());
        Ok(agent)
    }
}
