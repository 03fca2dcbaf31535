//! LGPD consent records: what a data subject agreed to, when, under which text, and whether
//! they took it back (Lei 13.709/2018, art. 7 and 8).

use super::checks::{MAX_NAME_CHARS, not_before, optional_text, required_text};
use crate::error::ValidationErrors;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a consent is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentPurpose {
    /// Newsletters, offers and other marketing messages.
    Marketing,
    /// Being contacted about the enquiry itself (calls, messages from the broker).
    Contact,
    /// Sharing data with partners (another agency, a bank for financing).
    DataSharing,
    /// Automated profiling such as lead scoring.
    Profiling,
}

/// One consent, provable (the text version agreed to) and revocable.
///
/// ```
/// use crm_core::domain::{Consent, ConsentPurpose};
/// use chrono::{TimeZone, Utc};
/// let granted = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
/// let mut c = Consent::new(ConsentPurpose::Marketing, granted, "politica-v3");
/// assert!(c.is_active_at(granted));
/// c.revoked_at = Some(Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).unwrap());
/// assert!(!c.is_active_at(Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap()));
/// assert!(c.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    /// What the consent covers.
    pub purpose: ConsentPurpose,
    /// When it was given.
    pub granted_at: DateTime<Utc>,
    /// When it was withdrawn, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
    /// The version of the text the subject agreed to, so the consent can be proven.
    pub text_version: String,
    /// Where it was collected (site form, portal, WhatsApp…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
}

impl Consent {
    /// A consent granted at `granted_at` under `text_version`.
    pub fn new(
        purpose: ConsentPurpose,
        granted_at: DateTime<Utc>,
        text_version: impl Into<String>,
    ) -> Self {
        Self {
            purpose,
            granted_at,
            revoked_at: None,
            text_version: text_version.into(),
            channel: None,
        }
    }

    /// Whether the consent is in force at `now`: granted by then and not yet revoked.
    pub fn is_active_at(&self, now: DateTime<Utc>) -> bool {
        self.granted_at <= now && self.revoked_at.is_none_or(|r| r > now)
    }

    /// Whether it has been withdrawn at any time.
    pub fn is_revoked(&self) -> bool {
        self.revoked_at.is_some()
    }

    /// Every problem: a text version is required, and revocation cannot precede the grant.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        required_text(
            &mut errors,
            "text_version",
            &self.text_version,
            MAX_NAME_CHARS,
        );
        optional_text(&mut errors, "channel", &self.channel, MAX_NAME_CHARS);
        if let Some(revoked) = self.revoked_at {
            not_before(
                &mut errors,
                "revoked_at",
                revoked,
                "granted_at",
                self.granted_at,
            );
        }
        errors.into_result()
    }
}
