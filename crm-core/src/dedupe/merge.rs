//! The merge plan: which of two duplicate leads survives and, field by field, which value is
//! kept and why.

use super::normalize::{PortalKey, document_key, email_key, name_key, name_tokens, phone_key};
use crate::domain::{Consent, Lead, LeadId, NEW_STAGE};
use crate::validation::{Document, Email, Phone};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::cmp::Ordering;

/// Why the survivor was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurvivorReason {
    /// It was created first.
    Older,
    /// Created at the same instant, it has more of the fields filled in.
    MoreComplete,
    /// Created at the same instant and as complete, its id is the smaller.
    SmallerId,
    /// Both are the same record (the same id, created at the same instant, as complete).
    SameRecord,
}

/// Why a field's value was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MergeReason {
    /// The survivor's value (also when both records agree).
    SurvivorValue,
    /// The survivor had none; the other record's value fills it.
    FilledFromOther,
    /// The survivor's value is invalid and the other's is valid.
    ReplacedInvalid,
    /// The other record's name has every token of the survivor's and more.
    MoreComplete,
    /// Taken from the record updated more recently (a preference that changes with time,
    /// or the last update instant).
    MoreRecent,
    /// The survivor is still at the first stage (`new`) and the other record has moved on.
    FurtherAlong,
    /// Both records' items, the survivor's first, without repeats.
    Union,
    /// Marketing stays off: no marketing consent in force survives the merge (LGPD art. 8).
    ConsentRequired,
    /// A consent is revoked because the data subject revoked the same purpose, later than
    /// this consent was granted, in the other record (LGPD art. 8 §5).
    RevocationApplied,
}

/// One field of the merged lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldChoice {
    /// The field's path in the lead (`contact.phone`, `consents[2].revoked_at`).
    pub field: String,
    /// The value kept, as JSON (`null` for none).
    pub value: Value,
    /// The lead the value comes from (for a union, the survivor).
    pub from: LeadId,
    /// Why.
    pub reason: MergeReason,
    /// A value the other record held that the merged lead does not keep, so a host can move
    /// it to a note instead of losing it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discarded: Option<Value>,
}

/// How to merge two leads found to be the same.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergePlan {
    /// The lead that stays.
    pub survivor: LeadId,
    /// The lead merged into it (keep a redirect from this id to the survivor).
    pub absorbed: LeadId,
    /// Why the survivor is the survivor.
    pub survivor_reason: SurvivorReason,
    /// Every field of the merged lead, in the lead's field order.
    pub fields: Vec<FieldChoice>,
    /// The portal keys of both leads: keep them all pointing at the survivor, so a later
    /// re-delivery of either portal lead finds it.
    pub portal_keys: Vec<PortalKey>,
    /// The merged lead: the survivor's id and version with every choice applied.
    pub merged: Lead,
}

/// How many of the optional parts of a lead are filled in: e-mail, phone, document, portal
/// id, budget minimum and maximum, cities, neighbourhoods, property types, bedrooms,
/// timeline, consents and an assigned agent.
pub fn completeness(lead: &Lead) -> usize {
    let present = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    let c = &lead.contact;
    [
        present(&c.email),
        present(&c.phone),
        present(&c.document),
        lead.source.portal_key().is_some(),
        lead.budget.min.is_some(),
        lead.budget.max.is_some(),
        !lead.wanted_cities.is_empty(),
        !lead.wanted_neighbourhoods.is_empty(),
        !lead.property_types.is_empty(),
        lead.min_bedrooms.is_some(),
        lead.timeline != crate::domain::Timeline::Unknown,
        !lead.consents.is_empty(),
        lead.assigned_agent.is_some(),
    ]
    .into_iter()
    .filter(|p| *p)
    .count()
}

fn json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

struct Builder<'a> {
    survivor: &'a Lead,
    other: &'a Lead,
    fields: Vec<FieldChoice>,
}

impl Builder<'_> {
    fn push<T: Serialize>(
        &mut self,
        field: &str,
        value: &T,
        from_other: bool,
        reason: MergeReason,
        discarded: Option<Value>,
    ) {
        self.fields.push(FieldChoice {
            field: field.to_owned(),
            value: json(value),
            from: if from_other {
                self.other.id
            } else {
                self.survivor.id
            },
            reason,
            discarded,
        });
    }
}

fn blank(v: &Option<String>) -> bool {
    v.as_deref().is_none_or(|s| s.trim().is_empty())
}

/// A contact value (e-mail, phone, document): the survivor's when valid; the other's when
/// the survivor has none, or has an invalid one and the other's is valid. Valid means what
/// [`Lead::validate`] accepts (so an 8-digit mobile from before the ninth digit is not), so
/// the merged lead validates whenever one of the two values did. `key` gives the matching
/// form (`None` when even matching cannot read it); a value is discarded only when it is
/// another address, number or document, not the same one written differently.
fn contact_value(
    s: &Option<String>,
    o: &Option<String>,
    valid: impl Fn(&str) -> bool,
    key: impl Fn(&str) -> Option<String>,
) -> (Option<String>, bool, MergeReason, Option<Value>) {
    let s_key = s.as_deref().and_then(&key);
    let o_key = o.as_deref().and_then(&key);
    let differs = match (&s_key, &o_key) {
        (Some(a), Some(b)) => a != b,
        _ => s.as_deref().map(str::trim) != o.as_deref().map(str::trim),
    };
    if blank(s) {
        if blank(o) {
            return (s.clone(), false, MergeReason::SurvivorValue, None);
        }
        return (o.clone(), true, MergeReason::FilledFromOther, None);
    }
    let s_valid = s.as_deref().is_some_and(&valid);
    let o_valid = o.as_deref().is_some_and(&valid);
    if !s_valid && o_valid {
        let discarded = differs.then(|| json(s));
        return (o.clone(), true, MergeReason::ReplacedInvalid, discarded);
    }
    let discarded = (!blank(o) && differs).then(|| json(o));
    (s.clone(), false, MergeReason::SurvivorValue, discarded)
}

/// A preference: the other's when the survivor's is unset, the more recently updated
/// record's when it is set and differs, the survivor's otherwise.
fn preference<T: PartialEq + Clone + Serialize>(
    s: &T,
    o: &T,
    other_more_recent: bool,
    is_set: impl Fn(&T) -> bool,
) -> (T, bool, MergeReason, Option<Value>) {
    if !is_set(s) && is_set(o) {
        return (o.clone(), true, MergeReason::FilledFromOther, None);
    }
    if other_more_recent && is_set(o) && o != s {
        return (o.clone(), true, MergeReason::MoreRecent, Some(json(s)));
    }
    let discarded = (is_set(o) && o != s).then(|| json(o));
    (s.clone(), false, MergeReason::SurvivorValue, discarded)
}

/// The survivor's items then the other's that are new by `key`.
fn union<T: Clone>(s: &[T], o: &[T], key: impl Fn(&T) -> String) -> (Vec<T>, bool) {
    let mut out: Vec<T> = s.to_vec();
    let mut seen: Vec<String> = s.iter().map(&key).collect();
    let mut added = false;
    for item in o {
        let k = key(item);
        if !seen.contains(&k) {
            seen.push(k);
            out.push(item.clone());
            added = true;
        }
    }
    (out, added)
}

fn place_key(s: &str) -> String {
    let k = name_key(s);
    if k.is_empty() { s.trim().to_owned() } else { k }
}

/// Chooses the survivor of two leads (the older `created_at`; then the more complete; then
/// the smaller id) and plans the merge, field by field:
///
/// - `contact.name`: the survivor's, or the other's when it has every token of the
///   survivor's and more (`more_complete`) or the survivor's is blank.
/// - `contact.email`, `contact.phone`, `contact.document`: the survivor's when valid; the
///   other's when the survivor has none or has an invalid one and the other's is valid
///   (valid as [`Lead::validate`] has it: an 8-digit mobile from before the ninth digit is
///   replaced by the other record's 9-digit form of it).
/// - `source`: the survivor's (the first touch); both portal keys are listed in
///   `portal_keys`.
/// - `interest`, `budget`, `timeline`, `min_bedrooms`: the other's fills an unset one
///   (`filled_from_other`); otherwise, as preferences change, the more recently updated
///   record's when set (`more_recent`).
/// - `wanted_cities`, `wanted_neighbourhoods` (compared without accents or case),
///   `property_types`, `consents`: the union, the survivor's first. A consent in force is
///   revoked when the other record revoked the same purpose after it was granted.
/// - `marketing_opt_in`: on if either was on and a marketing consent in force survives.
/// - `stage`: the survivor's, unless it is `new` and the other's is not.
/// - `assigned_agent`: the survivor's, or the other's when it has none.
/// - `id`, `created_at`, `version`: the survivor's; `updated_at`: the later one.
///
/// Every field not kept from the other record is reported in `discarded`.
///
/// ```
/// use crm_core::dedupe::{merge_plan, MergeReason};
/// use crm_core::domain::{Contact, Lead, LeadId};
/// use chrono::{TimeZone, Utc};
/// let older = Lead::new(LeadId::from_parts(1, [1; 10]),
///     Contact::new("Maria Silva").with_phone("11 98765-4321"),
///     Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap());
/// let newer = Lead::new(LeadId::from_parts(2, [2; 10]),
///     Contact::new("Maria José da Silva").with_email("maria@example.com"),
///     Utc.with_ymd_and_hms(2026, 2, 1, 9, 0, 0).unwrap());
/// let plan = merge_plan(&newer, &older);
/// assert_eq!(plan.survivor, older.id);
/// assert_eq!(plan.merged.contact.name, "Maria José da Silva");
/// assert_eq!(plan.merged.contact.email.as_deref(), Some("maria@example.com"));
/// let email = plan.fields.iter().find(|f| f.field == "contact.email").unwrap();
/// assert_eq!((email.from, email.reason), (newer.id, MergeReason::FilledFromOther));
/// ```
pub fn merge_plan(a: &Lead, b: &Lead) -> MergePlan {
    let (survivor, other, survivor_reason) = choose_survivor(a, b);
    let mut plan = Builder {
        survivor,
        other,
        fields: Vec::new(),
    };
    let (s, o) = (survivor, other);
    let mut merged = s.clone();

    plan.push("id", &s.id, false, MergeReason::SurvivorValue, None);

    // contact.name
    let s_tokens = name_tokens(&s.contact.name);
    let o_tokens = name_tokens(&o.contact.name);
    let o_covers = {
        let mut rest = o_tokens.clone();
        s_tokens
            .iter()
            .all(|t| match rest.iter().position(|x| x == t) {
                Some(i) => {
                    rest.swap_remove(i);
                    true
                }
                None => false,
            })
    };
    let names_differ = name_key(&s.contact.name) != name_key(&o.contact.name)
        || s.contact.name.trim() != o.contact.name.trim();
    let same_tokens = {
        let (mut x, mut y) = (s_tokens.clone(), o_tokens.clone());
        x.sort_unstable();
        y.sort_unstable();
        x == y
    };
    if s.contact.name.trim().is_empty() && !o.contact.name.trim().is_empty() {
        merged.contact.name = o.contact.name.clone();
        plan.push(
            "contact.name",
            &o.contact.name,
            true,
            MergeReason::FilledFromOther,
            None,
        );
    } else if o_covers && o_tokens.len() > s_tokens.len() {
        merged.contact.name = o.contact.name.clone();
        plan.push(
            "contact.name",
            &o.contact.name,
            true,
            MergeReason::MoreComplete,
            Some(json(&s.contact.name)),
        );
    } else {
        let discarded = (names_differ && !same_tokens && !o.contact.name.trim().is_empty())
            .then(|| json(&o.contact.name));
        plan.push(
            "contact.name",
            &s.contact.name,
            false,
            MergeReason::SurvivorValue,
            discarded,
        );
    }

    let (email, from_o, reason, discarded) = contact_value(
        &s.contact.email,
        &o.contact.email,
        Email::is_valid,
        email_key,
    );
    plan.push("contact.email", &email, from_o, reason, discarded);
    merged.contact.email = email;
    let (phone, from_o, reason, discarded) = contact_value(
        &s.contact.phone,
        &o.contact.phone,
        Phone::is_valid,
        phone_key,
    );
    plan.push("contact.phone", &phone, from_o, reason, discarded);
    merged.contact.phone = phone;
    let (document, from_o, reason, discarded) = contact_value(
        &s.contact.document,
        &o.contact.document,
        Document::is_valid,
        |d| document_key(d).map(|d| d.as_str().to_owned()),
    );
    plan.push("contact.document", &document, from_o, reason, discarded);
    merged.contact.document = document;

    let source_discarded = (s.source != o.source).then(|| json(&o.source));
    plan.push(
        "source",
        &s.source,
        false,
        MergeReason::SurvivorValue,
        source_discarded,
    );

    let recent = o.updated_at > s.updated_at;
    let (interest, from_o, reason, discarded) =
        preference(&s.interest, &o.interest, recent, |_| true);
    plan.push("interest", &interest, from_o, reason, discarded);
    merged.interest = interest;
    let (budget, from_o, reason, discarded) = preference(&s.budget, &o.budget, recent, |b| {
        b.min.is_some() || b.max.is_some()
    });
    plan.push("budget", &budget, from_o, reason, discarded);
    merged.budget = budget;

    let (cities, added) = union(&s.wanted_cities, &o.wanted_cities, |c| place_key(c));
    plan.push("wanted_cities", &cities, false, union_reason(added), None);
    merged.wanted_cities = cities;
    let (hoods, added) = union(&s.wanted_neighbourhoods, &o.wanted_neighbourhoods, |c| {
        place_key(c)
    });
    plan.push(
        "wanted_neighbourhoods",
        &hoods,
        false,
        union_reason(added),
        None,
    );
    merged.wanted_neighbourhoods = hoods;
    let (types, added) = union(&s.property_types, &o.property_types, |t| {
        json(t).to_string()
    });
    plan.push("property_types", &types, false, union_reason(added), None);
    merged.property_types = types;

    let (bedrooms, from_o, reason, discarded) =
        preference(&s.min_bedrooms, &o.min_bedrooms, recent, Option::is_some);
    plan.push("min_bedrooms", &bedrooms, from_o, reason, discarded);
    merged.min_bedrooms = bedrooms;
    let (timeline, from_o, reason, discarded) = preference(&s.timeline, &o.timeline, recent, |t| {
        *t != crate::domain::Timeline::Unknown
    });
    plan.push("timeline", &timeline, from_o, reason, discarded);
    merged.timeline = timeline;

    merge_consents(&mut plan, &mut merged);

    let want = s.marketing_opt_in || o.marketing_opt_in;
    let opt_in = want && merged.has_marketing_consent();
    let (from_o, reason) = match (opt_in, s.marketing_opt_in, want) {
        (true, true, _) => (false, MergeReason::SurvivorValue),
        (true, false, _) => (true, MergeReason::FilledFromOther),
        (false, _, true) => (false, MergeReason::ConsentRequired),
        (false, _, false) => (false, MergeReason::SurvivorValue),
    };
    plan.push("marketing_opt_in", &opt_in, from_o, reason, None);
    merged.marketing_opt_in = opt_in;

    if s.stage.trim() == NEW_STAGE && o.stage.trim() != NEW_STAGE && !o.stage.trim().is_empty() {
        plan.push(
            "stage",
            &o.stage,
            true,
            MergeReason::FurtherAlong,
            Some(json(&s.stage)),
        );
        merged.stage = o.stage.clone();
    } else {
        let discarded = (o.stage != s.stage).then(|| json(&o.stage));
        plan.push(
            "stage",
            &s.stage,
            false,
            MergeReason::SurvivorValue,
            discarded,
        );
    }

    match (s.assigned_agent, o.assigned_agent) {
        (None, Some(agent)) => {
            plan.push(
                "assigned_agent",
                &agent,
                true,
                MergeReason::FilledFromOther,
                None,
            );
            merged.assigned_agent = Some(agent);
        }
        (mine, theirs) => {
            let discarded = theirs.filter(|t| Some(*t) != mine).map(|t| json(&t));
            plan.push(
                "assigned_agent",
                &mine,
                false,
                MergeReason::SurvivorValue,
                discarded,
            );
        }
    }

    plan.push(
        "created_at",
        &s.created_at,
        false,
        MergeReason::SurvivorValue,
        None,
    );
    if o.updated_at > s.updated_at {
        plan.push(
            "updated_at",
            &o.updated_at,
            true,
            MergeReason::MoreRecent,
            None,
        );
        merged.updated_at = o.updated_at;
    } else {
        plan.push(
            "updated_at",
            &s.updated_at,
            false,
            MergeReason::SurvivorValue,
            None,
        );
    }
    plan.push(
        "version",
        &s.version,
        false,
        MergeReason::SurvivorValue,
        None,
    );

    let mut portal_keys: Vec<PortalKey> = Vec::new();
    for key in [PortalKey::of(&s.source), PortalKey::of(&o.source)]
        .into_iter()
        .flatten()
    {
        if !portal_keys.contains(&key) {
            portal_keys.push(key);
        }
    }

    MergePlan {
        survivor: s.id,
        absorbed: o.id,
        survivor_reason,
        fields: plan.fields,
        portal_keys,
        merged,
    }
}

fn union_reason(added: bool) -> MergeReason {
    if added {
        MergeReason::Union
    } else {
        MergeReason::SurvivorValue
    }
}

fn choose_survivor<'a>(a: &'a Lead, b: &'a Lead) -> (&'a Lead, &'a Lead, SurvivorReason) {
    match a.created_at.cmp(&b.created_at) {
        Ordering::Less => return (a, b, SurvivorReason::Older),
        Ordering::Greater => return (b, a, SurvivorReason::Older),
        Ordering::Equal => {}
    }
    match completeness(a).cmp(&completeness(b)) {
        Ordering::Greater => return (a, b, SurvivorReason::MoreComplete),
        Ordering::Less => return (b, a, SurvivorReason::MoreComplete),
        Ordering::Equal => {}
    }
    match a.id.cmp(&b.id) {
        Ordering::Less => (a, b, SurvivorReason::SmallerId),
        Ordering::Greater => (b, a, SurvivorReason::SmallerId),
        Ordering::Equal => (a, b, SurvivorReason::SameRecord),
    }
}

/// The union of the consents, then revocations carried across: a consent in force from one
/// record is revoked at the other record's latest revocation of the same purpose when that
/// revocation came after the consent was granted.
fn merge_consents(plan: &mut Builder<'_>, merged: &mut Lead) {
    let (s, o) = (plan.survivor, plan.other);
    // (consent, came from the other record)
    let mut consents: Vec<(Consent, bool)> =
        s.consents.iter().map(|c| (c.clone(), false)).collect();
    let mut added = false;
    for c in &o.consents {
        if !s.consents.contains(c) {
            consents.push((c.clone(), true));
            added = true;
        }
    }
    let latest_revocation = |lead: &Lead, purpose| {
        lead.consents
            .iter()
            .filter(|c| c.purpose == purpose)
            .filter_map(|c| c.revoked_at)
            .max()
    };
    let mut revocations: Vec<(usize, bool)> = Vec::new();
    for (i, (consent, from_other)) in consents.iter_mut().enumerate() {
        if consent.revoked_at.is_some() {
            continue;
        }
        let other_record = if *from_other { s } else { o };
        if let Some(at) =
            latest_revocation(other_record, consent.purpose).filter(|at| *at >= consent.granted_at)
        {
            consent.revoked_at = Some(at);
            revocations.push((i, !*from_other));
        }
    }
    let list: Vec<Consent> = consents.into_iter().map(|(c, _)| c).collect();
    plan.push("consents", &list, false, union_reason(added), None);
    for (i, revoked_by_other) in revocations {
        if let Some(c) = list.get(i) {
            plan.push(
                &format!("consents[{i}].revoked_at"),
                &c.revoked_at,
                revoked_by_other,
                MergeReason::RevocationApplied,
                None,
            );
        }
    }
    merged.consents = list;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Consent, ConsentPurpose, Contact, Interest, LeadSource, Portal};
    use chrono::{TimeZone, Utc};

    fn at(month: u32, day: u32) -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, month, day, 12, 0, 0).unwrap()
    }

    fn lead(n: u8, name: &str, created: chrono::DateTime<Utc>) -> Lead {
        Lead::new(
            LeadId::from_parts(u64::from(n), [n; 10]),
            Contact::new(name),
            created,
        )
    }

    fn choice<'a>(plan: &'a MergePlan, field: &str) -> &'a FieldChoice {
        plan.fields.iter().find(|f| f.field == field).unwrap()
    }

    #[test]
    fn survivor_rules() {
        let a = lead(2, "Ana", at(1, 1));
        let b = lead(1, "Ana", at(1, 2));
        assert_eq!(merge_plan(&b, &a).survivor_reason, SurvivorReason::Older);
        assert_eq!(merge_plan(&b, &a).survivor, a.id);
        // same instant: the more complete
        let mut c = lead(3, "Ana", at(1, 1));
        c.contact.phone = Some("11 98765-4321".into());
        let plan = merge_plan(&a, &c);
        assert_eq!(
            (plan.survivor, plan.survivor_reason),
            (c.id, SurvivorReason::MoreComplete)
        );
        // then the smaller id
        let d = lead(1, "Ana", at(1, 1));
        let plan = merge_plan(&a, &d);
        assert_eq!(
            (plan.survivor, plan.survivor_reason),
            (d.id, SurvivorReason::SmallerId)
        );
        assert_eq!(
            merge_plan(&a, &a).survivor_reason,
            SurvivorReason::SameRecord
        );
    }

    #[test]
    fn contact_values() {
        let mut s = lead(1, "Maria Silva", at(1, 1));
        s.contact.phone = Some("11 8765-432".into()); // invalid
        s.contact.email = Some("maria@example.com".into());
        let mut o = lead(2, "Maria Silva", at(2, 1));
        o.contact.phone = Some("(11) 98765-4321".into());
        o.contact.email = Some("MARIA+zap@example.com".into());
        o.contact.document = Some("529.982.247-25".into());
        let plan = merge_plan(&s, &o);
        let phone = choice(&plan, "contact.phone");
        assert_eq!(phone.reason, MergeReason::ReplacedInvalid);
        assert_eq!(phone.discarded, Some(Value::from("11 8765-432")));
        // same match key: nothing discarded
        let email = choice(&plan, "contact.email");
        assert_eq!(
            (email.reason, email.discarded.clone()),
            (MergeReason::SurvivorValue, None)
        );
        assert_eq!(
            choice(&plan, "contact.document").reason,
            MergeReason::FilledFromOther
        );
        assert_eq!(
            plan.merged.contact.document.as_deref(),
            Some("529.982.247-25")
        );
        assert!(
            plan.merged.validate().is_ok(),
            "{:?}",
            plan.merged.validate()
        );
    }

    #[test]
    fn preferences_follow_the_more_recent_record() {
        let mut s = lead(1, "Ana", at(1, 1));
        s.interest = Interest::Buy;
        let mut o = lead(2, "Ana", at(2, 1));
        o.interest = Interest::Rent;
        o.min_bedrooms = Some(2);
        let plan = merge_plan(&s, &o);
        assert_eq!(choice(&plan, "interest").reason, MergeReason::MoreRecent);
        assert_eq!(plan.merged.interest, Interest::Rent);
        assert_eq!(choice(&plan, "min_bedrooms").value, Value::from(2));
        // the survivor updated later keeps its own
        s.updated_at = at(3, 1);
        let plan = merge_plan(&s, &o);
        assert_eq!(plan.merged.interest, Interest::Buy);
        assert_eq!(
            choice(&plan, "interest").discarded,
            Some(Value::from("rent"))
        );
        assert_eq!(
            choice(&plan, "min_bedrooms").reason,
            MergeReason::FilledFromOther
        );
    }

    #[test]
    fn consents_union_and_revocation() {
        let mut s = lead(1, "Ana", at(1, 1));
        s.contact.email = Some("ana@example.com".into());
        s.consents = vec![Consent::new(ConsentPurpose::Marketing, at(1, 1), "v1")];
        s.marketing_opt_in = true;
        let mut o = lead(2, "Ana", at(2, 1));
        let mut revoked = Consent::new(ConsentPurpose::Marketing, at(2, 1), "v2");
        revoked.revoked_at = Some(at(3, 1));
        o.consents = vec![revoked.clone()];
        let plan = merge_plan(&s, &o);
        assert_eq!(plan.merged.consents.len(), 2);
        assert_eq!(
            plan.merged.consents.first().and_then(|c| c.revoked_at),
            Some(at(3, 1))
        );
        let r = choice(&plan, "consents[0].revoked_at");
        assert_eq!((r.reason, r.from), (MergeReason::RevocationApplied, o.id));
        assert!(!plan.merged.marketing_opt_in);
        assert_eq!(
            choice(&plan, "marketing_opt_in").reason,
            MergeReason::ConsentRequired
        );
        // a consent granted after the revocation stays in force
        s.consents = vec![Consent::new(ConsentPurpose::Marketing, at(4, 1), "v3")];
        let plan = merge_plan(&s, &o);
        assert!(plan.merged.marketing_opt_in);
        assert!(plan.merged.validate().is_ok());
    }

    #[test]
    fn lists_stage_agent_and_portal_keys() {
        let mut s = lead(1, "Ana", at(1, 1));
        s.wanted_cities = vec!["São Paulo".into()];
        s.source = LeadSource::Portal {
            portal: Portal::Zap,
            external_id: Some("Z-1".into()),
            temperature: None,
        };
        let mut o = lead(2, "Ana", at(2, 1));
        o.wanted_cities = vec!["sao paulo".into(), "Santos".into()];
        o.stage = "visit_scheduled".into();
        o.assigned_agent = Some(crate::domain::AgentId::from_parts(9, [9; 10]));
        o.source = LeadSource::Portal {
            portal: Portal::Olx,
            external_id: Some("O-7".into()),
            temperature: None,
        };
        let plan = merge_plan(&o, &s);
        assert_eq!(plan.merged.wanted_cities, ["São Paulo", "Santos"]);
        assert_eq!(choice(&plan, "wanted_cities").reason, MergeReason::Union);
        assert_eq!(plan.merged.stage, "visit_scheduled");
        assert_eq!(choice(&plan, "stage").reason, MergeReason::FurtherAlong);
        assert_eq!(plan.merged.assigned_agent, o.assigned_agent);
        assert_eq!(plan.portal_keys.len(), 2);
        assert_eq!(plan.merged.source, s.source);
        assert!(choice(&plan, "source").discarded.is_some());
    }
}
