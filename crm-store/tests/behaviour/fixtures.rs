//! Valid, varied records for the suite: CPFs with real check digits, mobile numbers, e-mails.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use crm_core::Money;
use crm_core::domain::{
    Activity, ActivityId, ActivityKind, Address, Agent, AgentId, Contact, Deal, DealId, DealKind,
    Lead, LeadId, LeadSource, ListingKind, Participant, ParticipantRole, Portal, Property,
    PropertyId, PropertyType, TenantId, Visit, VisitId,
};
use rust_decimal::Decimal;
use std::sync::atomic::{AtomicU64, Ordering};
use uuid::Uuid;

static SEQ: AtomicU64 = AtomicU64::new(1);

/// A number no other fixture in this process got.
pub fn seq() -> u64 {
    SEQ.fetch_add(1, Ordering::Relaxed)
}

/// A fresh tenant.
pub fn tenant() -> TenantId {
    TenantId::from_uuid(Uuid::now_v7())
}

/// A fresh typed id.
pub fn id<T: From<Uuid>>() -> T {
    T::from(Uuid::now_v7())
}

/// A fixed instant plus `minutes` (with sub-microsecond noise the store must cut).
pub fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 12, 0, 0)
        .single()
        .unwrap()
        + Duration::minutes(minutes)
        + Duration::nanoseconds(123)
}

/// A valid CPF (bare digits) built from `n` with its two check digits.
pub fn cpf(n: u64) -> String {
    let base: Vec<u32> = format!("{:09}", (n * 7919 + 100_000_000) % 1_000_000_000)
        .chars()
        .map(|c| c.to_digit(10).unwrap())
        .collect();
    // Avoid the all-equal digits CPFs that are refused.
    let mut digits = base.clone();
    if digits.iter().all(|d| *d == digits[0]) {
        digits[8] = (digits[8] + 1) % 10;
    }
    let dv = |ds: &[u32]| {
        let len = ds.len() as u32 + 1;
        let sum: u32 = ds
            .iter()
            .enumerate()
            .map(|(i, d)| d * (len - i as u32))
            .sum();
        let r = sum % 11;
        if r < 2 { 0 } else { 11 - r }
    };
    let d1 = dv(&digits);
    digits.push(d1);
    let d2 = dv(&digits);
    digits.push(d2);
    digits
        .iter()
        .map(|d| char::from_digit(*d, 10).unwrap())
        .collect()
}

/// Formats a bare CPF as `123.456.789-09`.
pub fn masked_cpf(bare: &str) -> String {
    format!(
        "{}.{}.{}-{}",
        &bare[0..3],
        &bare[3..6],
        &bare[6..9],
        &bare[9..11]
    )
}

/// A valid São Paulo mobile number in E.164, from `n`.
pub fn phone(n: u64) -> String {
    format!("+55119{:08}", (n * 7_654_321 + 12_345_678) % 100_000_000)
}

/// The same number written the way people type it: `(11) 9XXXX-XXXX`.
pub fn typed_phone(e164: &str) -> String {
    let local = &e164[5..];
    format!("({}) {}-{}", &e164[3..5], &local[..5], &local[5..])
}

/// A lead with name, e-mail, phone and CPF, created `minutes` after the base instant.
pub fn lead(name: &str, minutes: i64) -> Lead {
    let n = seq();
    let contact = Contact::new(name)
        .with_email(format!("Lead{n}.Teste@Exemplo.com.br"))
        .with_phone(typed_phone(&phone(n)))
        .with_document(masked_cpf(&cpf(n)));
    Lead::new(id(), contact, at(minutes))
}

/// A lead delivered by a portal under its own lead id.
pub fn portal_lead(name: &str, portal: Portal, portal_id: &str, minutes: i64) -> Lead {
    let mut l = lead(name, minutes);
    l.source = LeadSource::Portal {
        portal,
        external_id: Some(portal_id.to_owned()),
        temperature: None,
    };
    l
}

/// A broker.
pub fn agent(name: &str, minutes: i64) -> Agent {
    let n = seq();
    let mut a = Agent::new(
        id(),
        name,
        "CRECI-SP 184372-F",
        format!("corretor{n}@imobiliaria.com.br"),
        at(minutes),
    );
    a.phone = Some(typed_phone(&phone(n + 500)));
    a
}

/// A flat for sale in the given city (with a CEP of the right state).
pub fn property(city: &str, minutes: i64) -> Property {
    let (cep, uf) = if city.starts_with("Rio") {
        ("22041-001", "RJ")
    } else {
        ("04089-011", "SP")
    };
    let mut p = Property::new(
        id(),
        ListingKind::Sale,
        PropertyType::Apartment,
        Address::new(cep, "Alameda dos Maracatins", city, uf),
        at(minutes),
    );
    p.sale_price = Some(Money::brl(Decimal::new(85_000_000, 2)));
    p.address.neighbourhood = "Moema".into();
    p.address.number = Some("1187".into());
    p.private_area_m2 = Some(Decimal::new(845, 1));
    p.bedrooms = 2;
    p
}

/// A sale deal of `lead` on `property`, co-brokered by two agents.
pub fn deal(
    lead: LeadId,
    property: PropertyId,
    listing: AgentId,
    selling: AgentId,
    minutes: i64,
) -> Deal {
    let mut d = Deal::new(
        id::<DealId>(),
        lead,
        property,
        DealKind::Sale,
        Money::brl(Decimal::new(85_000_000, 2)),
        NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        at(minutes),
    );
    d.participants = vec![
        Participant::agency(),
        Participant::broker(ParticipantRole::ListingBroker, listing),
        Participant::broker(ParticipantRole::SellingBroker, selling),
    ];
    d
}

/// A visit of `lead` to `property` with `agent`, starting `minutes` after the base instant.
pub fn visit(lead: LeadId, property: PropertyId, agent: AgentId, minutes: i64) -> Visit {
    Visit::new(
        id::<VisitId>(),
        lead,
        property,
        agent,
        at(minutes),
        at(minutes + 45),
    )
}

/// A note-taking call on a lead.
pub fn activity(lead: LeadId, minutes: i64, note: &str) -> Activity {
    let mut a = Activity::new(id::<ActivityId>(), lead, ActivityKind::Call, at(minutes));
    a.note = Some(note.to_owned());
    a
}
