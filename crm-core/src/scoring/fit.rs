//! Fit conditions: who the lead is, and how the property of interest suits them.

use super::rules::FitCondition;
use crate::domain::{ConsentPurpose, Interest, Lead, LeadSource, Property};
use crate::validation::{Document, Email, Phone};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

/// Whether `condition` holds for the lead (and property, for the property conditions, which
/// never hold without one).
pub(crate) fn holds(
    condition: &FitCondition,
    lead: &Lead,
    property: Option<&Property>,
    now: DateTime<Utc>,
) -> bool {
    match condition {
        FitCondition::BudgetFits { tolerance } => {
            property.is_some_and(|p| budget_fits(lead, p, tolerance.map(|t| t.value())))
        }
        FitCondition::NeighbourhoodMatch => property.is_some_and(|p| {
            lead.wanted_neighbourhoods
                .iter()
                .any(|n| same_place(n, &p.address.neighbourhood))
        }),
        FitCondition::CityMatch => property.is_some_and(|p| {
            lead.wanted_cities
                .iter()
                .any(|c| same_place(c, &p.address.city))
        }),
        FitCondition::PropertyTypeMatch => {
            property.is_some_and(|p| lead.property_types.contains(&p.property_type))
        }
        FitCondition::BedroomsFit => {
            property.is_some_and(|p| lead.min_bedrooms.is_none_or(|b| p.bedrooms >= b))
        }
        FitCondition::ProfileComplete { min_fields } => profile_fields(lead) >= *min_fields,
        FitCondition::ValidPhone => lead.contact.phone.as_deref().is_some_and(Phone::is_valid),
        FitCondition::ValidEmail => lead.contact.email.as_deref().is_some_and(Email::is_valid),
        FitCondition::ValidDocument => lead
            .contact
            .document
            .as_deref()
            .is_some_and(Document::is_valid),
        FitCondition::Consent { purpose } => has_consent(lead, *purpose, now),
        FitCondition::Source { sources, portals } => {
            let kind = source_kind(&lead.source);
            let by_kind = sources.iter().any(|s| s == kind);
            let by_portal = match &lead.source {
                LeadSource::Portal { portal, .. } => {
                    portals.iter().any(|p| p.as_str() == portal.key())
                }
                _ => false,
            };
            by_kind || by_portal
        }
        FitCondition::PortalTemperature { temperature } => {
            matches!(&lead.source, LeadSource::Portal { temperature: Some(t), .. } if t == temperature)
        }
        FitCondition::Timeline { timelines } => timelines.contains(&lead.timeline),
        FitCondition::Interest { interest } => lead.interest == *interest,
    }
}

fn budget_fits(lead: &Lead, p: &Property, tolerance: Option<Decimal>) -> bool {
    let price = match lead.interest {
        Interest::Buy => p.sale_price,
        Interest::Rent => p.rent,
    };
    let Some(price) = price else { return false };
    let b = lead.budget;
    if b.min.is_none() && b.max.is_none() {
        return false;
    }
    let above_min = b
        .min
        .is_none_or(|m| m.currency() == price.currency() && price.amount() >= m.amount());
    let below_max = b.max.is_none_or(|m| {
        let limit = tolerance
            .and_then(|t| t.checked_add(Decimal::ONE))
            .and_then(|f| m.amount().checked_mul(f))
            .unwrap_or(m.amount());
        m.currency() == price.currency() && price.amount() <= limit
    });
    above_min && below_max
}

/// How many of the eight profile fields the lead filled in.
pub(crate) fn profile_fields(lead: &Lead) -> u8 {
    // Not blank: some character that is not white space (what `trim` would keep).
    let filled = |v: &Option<String>| {
        v.as_deref()
            .is_some_and(|s| s.chars().any(|c| !c.is_whitespace()))
    };
    [
        filled(&lead.contact.email),
        filled(&lead.contact.phone),
        filled(&lead.contact.document),
        lead.budget.min.is_some() || lead.budget.max.is_some(),
        !lead.wanted_cities.is_empty() || !lead.wanted_neighbourhoods.is_empty(),
        !lead.property_types.is_empty(),
        lead.min_bedrooms.is_some(),
        lead.timeline != crate::domain::Timeline::Unknown,
    ]
    .iter()
    .filter(|f| **f)
    .count() as u8
}

fn has_consent(lead: &Lead, purpose: ConsentPurpose, now: DateTime<Utc>) -> bool {
    lead.consents
        .iter()
        .any(|c| c.purpose == purpose && c.is_active_at(now))
}

/// The source's kind as rule sets name it.
pub(crate) fn source_kind(s: &LeadSource) -> &'static str {
    match s {
        LeadSource::Website => "website",
        LeadSource::Referral { .. } => "referral",
        LeadSource::WalkIn => "walk_in",
        LeadSource::PhoneCall => "phone_call",
        LeadSource::Social => "social",
        LeadSource::Portal { .. } => "portal",
        LeadSource::Other { .. } => "other",
    }
}

/// Whether two place names are the same, ignoring case, accents and surrounding or repeated
/// spaces ("São Paulo" = "sao  paulo"), without allocating.
pub(crate) fn same_place(a: &str, b: &str) -> bool {
    fold(a).eq(fold(b))
}

fn fold(s: &str) -> impl Iterator<Item = char> + '_ {
    s.split_whitespace()
        .flat_map(|w| w.chars().chain(std::iter::once(' ')))
        .flat_map(char::to_lowercase)
        .map(base_letter)
}

/// The letter without its accent, for the accented letters Portuguese (and Spanish) use.
pub(crate) fn base_letter(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ã' | 'ä' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_compare_without_case_accents_or_spacing() {
        assert!(same_place("São Paulo", "sao  paulo"));
        assert!(same_place(" Vila Mariana", "VILA MARIANA "));
        assert!(same_place("Jardim Paulistânia", "jardim paulistania"));
        assert!(!same_place("Moema", "Moemas"));
        assert!(!same_place("Itaim", "Itaim Bibi"));
    }
}
