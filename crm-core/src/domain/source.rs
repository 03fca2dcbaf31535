//! Where a lead came from: the site, a referral, a walk-in, or a listing portal with the
//! portal's own lead id (deliveries are retried, so that id makes ingestion idempotent).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A listing portal. Known portals have their own variant; any other is kept by name.
///
/// Read from text tolerantly: `"ZAP Imóveis"`, `"zap"` and `"ZAP"` are all [`Portal::Zap`].
///
/// ```
/// use crm_core::domain::Portal;
/// assert_eq!(Portal::from_name("Viva Real"), Portal::VivaReal);
/// assert_eq!(Portal::from_name("QuintoAndar"), Portal::QuintoAndar);
/// assert_eq!(Portal::from_name("Chaves na Mão"), Portal::Other("Chaves na Mão".into()));
/// assert_eq!(serde_json::to_string(&Portal::VivaReal).unwrap(), "\"viva_real\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum Portal {
    /// ZAP Imóveis.
    Zap,
    /// Viva Real.
    VivaReal,
    /// OLX.
    Olx,
    /// QuintoAndar.
    QuintoAndar,
    /// Imovelweb.
    ImovelWeb,
    /// Any other portal, by name.
    Other(String),
}

impl Portal {
    /// The portal for a name, ignoring case, accents, spaces and punctuation.
    pub fn from_name(name: &str) -> Portal {
        let key: String = name
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .map(|c| match c {
                'ó' | 'ô' | 'õ' => 'o',
                'á' | 'â' | 'ã' | 'à' => 'a',
                'é' | 'ê' => 'e',
                'í' => 'i',
                'ú' => 'u',
                'ç' => 'c',
                other => other,
            })
            .collect();
        match key.as_str() {
            "zap" | "zapimoveis" => Portal::Zap,
            "vivareal" => Portal::VivaReal,
            "olx" | "olximoveis" => Portal::Olx,
            "quintoandar" => Portal::QuintoAndar,
            "imovelweb" => Portal::ImovelWeb,
            _ => Portal::Other(name.trim().to_owned()),
        }
    }

    /// The stable key used in JSON: `zap`, `viva_real`, `olx`, `quinto_andar`, `imovelweb`,
    /// or the other portal's name.
    pub fn key(&self) -> &str {
        match self {
            Portal::Zap => "zap",
            Portal::VivaReal => "viva_real",
            Portal::Olx => "olx",
            Portal::QuintoAndar => "quinto_andar",
            Portal::ImovelWeb => "imovelweb",
            Portal::Other(name) => name,
        }
    }
}

impl From<String> for Portal {
    fn from(s: String) -> Self {
        Portal::from_name(&s)
    }
}

impl From<Portal> for String {
    fn from(p: Portal) -> Self {
        p.key().to_owned()
    }
}

impl fmt::Display for Portal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A portal's own estimate of how ready a lead is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadTemperature {
    /// Ready to act.
    Hot,
    /// Interested.
    Warm,
    /// Browsing.
    Cold,
}

/// Where a lead came from. JSON: `{"type": "portal", "portal": "zap", "external_id": "Z-123"}`.
///
/// ```
/// use crm_core::domain::{LeadSource, Portal};
/// let s: LeadSource = serde_json::from_str(r#"{"type":"portal","portal":"ZAP","external_id":"z-1"}"#).unwrap();
/// assert_eq!(s, LeadSource::Portal { portal: Portal::Zap, external_id: Some("z-1".into()), temperature: None });
/// assert_eq!(s.portal_key(), Some((&Portal::Zap, "z-1")));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum LeadSource {
    /// The brokerage's own site.
    #[default]
    Website,
    /// Referred by someone (a client, a partner).
    Referral {
        /// Who referred the lead.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        referrer: Option<String>,
    },
    /// Came into the office.
    WalkIn,
    /// Called the office.
    PhoneCall,
    /// Social networks (Instagram, Facebook…).
    Social,
    /// A listing portal.
    Portal {
        /// Which portal.
        portal: Portal,
        /// The portal's own id for this lead; required, it makes re-deliveries idempotent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        external_id: Option<String>,
        /// The portal's temperature for the lead, when it sends one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        temperature: Option<LeadTemperature>,
    },
    /// Anything else, by name.
    Other {
        /// What the source is.
        name: String,
    },
}

impl LeadSource {
    /// For portal leads, the portal and its lead id: the idempotency key of ingestion.
    pub fn portal_key(&self) -> Option<(&Portal, &str)> {
        match self {
            LeadSource::Portal {
                portal,
                external_id: Some(id),
                ..
            } if !id.trim().is_empty() => Some((portal, id.trim())),
            _ => None,
        }
    }
}
