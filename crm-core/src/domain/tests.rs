//! Record validation: every cross-field rule, worked by hand, on records read from JSON as a
//! host would send them.

use super::*;
use crate::ErrorCode;
use crate::money::Money;
use rust_decimal_macros::dec;

fn lead_json(extra: &str) -> String {
    format!(
        r#"{{
        "id": "0193a1b2-0000-7000-8000-000000000001",
        "contact": {{"name": "Juliana Pereira Santos", "email": "juliana.santos@exemplo.com.br",
                     "phone": "(11) 98765-4321", "document": "529.982.247-25"}},
        "created_at": "2026-11-02T14:30:00Z",
        "updated_at": "2026-11-03T09:00:00Z"{extra}
    }}"#
    )
}

fn lead(extra: &str) -> Lead {
    from_json(&lead_json(extra)).unwrap_or_else(|e| panic!("fixture does not load: {e}"))
}

fn problems(r: Result<(), crate::ValidationErrors>) -> Vec<(String, ErrorCode)> {
    r.err()
        .map(|e| e.into_iter().map(|f| (f.path, f.code)).collect())
        .unwrap_or_default()
}

#[test]
fn a_complete_lead_is_valid_and_normalises() {
    let l = lead("");
    assert_eq!(problems(l.validate()), []);
    assert_eq!(l.stage, "new");
    assert_eq!(l.source, LeadSource::Website);
    let n = l.normalized().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(n.contact.phone.as_deref(), Some("+5511987654321"));
    assert_eq!(n.contact.document.as_deref(), Some("52998224725"));
    // normalising twice changes nothing
    assert_eq!(n.normalized().ok().as_ref(), Some(&n));
}

#[test]
fn a_lead_reports_every_problem_at_once() {
    let l = lead(
        r#", "source": {"type": "portal", "portal": "OLX"},
        "budget": {"min": "900000", "max": "650000"},
        "min_bedrooms": 40,
        "marketing_opt_in": true,
        "consents": [{"purpose": "marketing", "granted_at": "2026-10-01T10:00:00Z",
                      "revoked_at": "2026-09-01T10:00:00Z", "text_version": "v4"}]"#,
    );
    let mut l = l;
    l.contact.document = Some("529.982.247-24".into());
    l.contact.phone = Some("(20) 98765-4321".into());
    l.updated_at = l.created_at - chrono::Duration::hours(1);
    assert_eq!(
        problems(l.validate()),
        [
            ("contact.phone".to_owned(), ErrorCode::PhoneAreaCode),
            ("contact.document".to_owned(), ErrorCode::CpfCheckDigit),
            ("budget.max".to_owned(), ErrorCode::LeadBudgetOrder),
            (
                "source.external_id".to_owned(),
                ErrorCode::LeadPortalIdMissing
            ),
            ("min_bedrooms".to_owned(), ErrorCode::NumberRange),
            ("consents[0].revoked_at".to_owned(), ErrorCode::DateOrder),
            ("marketing_opt_in".to_owned(), ErrorCode::ConsentRequired),
            ("updated_at".to_owned(), ErrorCode::DateOrder),
        ]
    );
    assert!(l.normalized().is_err());
}

#[test]
fn a_lead_needs_a_channel_and_blank_values_count_as_absent() {
    let mut l = lead("");
    l.contact.email = Some("   ".into());
    l.contact.phone = None;
    assert_eq!(
        problems(l.validate()),
        [("contact".to_owned(), ErrorCode::LeadContactMissing)]
    );
    l.contact.phone = Some("+1 415 555 0132".into());
    assert_eq!(problems(l.validate()), []);
    assert_eq!(l.normalized().ok().and_then(|n| n.contact.email), None);
}

#[test]
fn marketing_needs_an_unrevoked_marketing_consent() {
    let consent =
        r#"{"purpose": "contact", "granted_at": "2026-10-01T10:00:00Z", "text_version": "v4"}"#;
    let l = lead(&format!(
        r#", "marketing_opt_in": true, "consents": [{consent}]"#
    ));
    assert_eq!(
        problems(l.validate()),
        [("marketing_opt_in".to_owned(), ErrorCode::ConsentRequired)]
    );
    let consent =
        r#"{"purpose": "marketing", "granted_at": "2026-10-01T10:00:00Z", "text_version": "v4"}"#;
    let l = lead(&format!(
        r#", "marketing_opt_in": true, "consents": [{consent}]"#
    ));
    assert_eq!(problems(l.validate()), []);
}

#[test]
fn budgets_in_two_currencies_are_a_mismatch() {
    let l = lead(r#", "budget": {"min": {"amount": "1000", "currency": "USD"}, "max": "5000"}"#);
    assert_eq!(
        problems(l.validate()),
        [("budget.max".to_owned(), ErrorCode::CurrencyMismatch)]
    );
    let l = lead(r#", "budget": {"min": "-1"}"#);
    assert_eq!(
        problems(l.validate()),
        [("budget.min".to_owned(), ErrorCode::MoneyNegative)]
    );
}

#[test]
fn json_shape_errors_name_the_path() {
    let bad = lead_json(r#", "budget": {"max": 650000.5}"#);
    let err = from_json::<Lead>(&bad).err().map(|e| (e.path, e.code));
    assert_eq!(err, Some(("budget.max".to_owned(), ErrorCode::Json)));
    let bad = lead_json(r#", "interest": "lease""#);
    assert_eq!(
        from_json::<Lead>(&bad).err().map(|e| e.path),
        Some("interest".to_owned())
    );
    let bad = lead_json(r#", "budjet": {}"#);
    assert!(
        from_json::<Lead>(&bad).is_err(),
        "unknown fields are refused, not dropped"
    );
}

#[test]
fn lead_json_round_trips() {
    let l = lead(
        r#", "source": {"type": "portal", "portal": "viva real", "external_id": "VR-1", "temperature": "hot"}"#,
    );
    let json = serde_json::to_string(&l).unwrap_or_default();
    assert!(json.contains(r#""portal":"viva_real""#), "{json}");
    assert_eq!(from_json::<Lead>(&json).ok(), Some(l));
}

fn property(extra: &str) -> Property {
    let json = format!(
        r#"{{
        "id": "0193a1b2-0000-7000-8000-0000000000a1",
        "listing": "sale", "property_type": "apartment",
        "sale_price": "1250000", "private_area_m2": "84.5", "total_area_m2": "120",
        "bedrooms": 3, "suites": 1, "bathrooms": 2, "parking_spaces": 2,
        "address": {{"cep": "04538-133", "street": "Avenida Brigadeiro Faria Lima", "number": "3400",
                     "neighbourhood": "Itaim Bibi", "city": "São Paulo", "uf": "sp"}},
        "location": {{"latitude": -23.5859, "longitude": -46.6822}},
        "created_at": "2026-10-05T10:00:00Z", "updated_at": "2026-10-05T10:00:00Z"{extra}
    }}"#
    );
    from_json(&json).unwrap_or_else(|e| panic!("fixture does not load: {e}"))
}

#[test]
fn a_complete_property_is_valid() {
    let p = property("");
    assert_eq!(problems(p.validate()), []);
    // 1,250,000 / 84.5 = 14792.899… → 14792.90
    assert_eq!(p.sale_price_per_m2(), Some(Money::brl(dec!(14792.90))));
    let n = p.normalized().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (n.address.cep.as_str(), n.address.uf.as_str()),
        ("04538133", "SP")
    );
}

#[test]
fn property_cross_field_rules() {
    let mut p = property("");
    p.listing = ListingKind::SaleAndRent;
    p.private_area_m2 = Some(dec!(130));
    p.suites = 4;
    p.condo_fee = Some(Money::brl(dec!(-10)));
    p.address.cep = "20040-002".into();
    p.location = Some(GeoPoint {
        latitude: -23.5,
        longitude: 200.0,
    });
    assert_eq!(
        problems(p.validate()),
        [
            ("rent".to_owned(), ErrorCode::PropertyPriceMissing),
            ("condo_fee".to_owned(), ErrorCode::MoneyNegative),
            ("private_area_m2".to_owned(), ErrorCode::PropertyAreaOrder),
            ("suites".to_owned(), ErrorCode::PropertySuites),
            ("address.cep".to_owned(), ErrorCode::AddressCepUfMismatch),
            ("location.longitude".to_owned(), ErrorCode::GeoRange),
        ]
    );
}

#[test]
fn property_areas_and_prices_must_be_positive() {
    let mut p = property("");
    p.sale_price = Some(Money::brl(dec!(0)));
    p.private_area_m2 = Some(dec!(0));
    p.total_area_m2 = None;
    assert_eq!(
        problems(p.validate()),
        [
            ("sale_price".to_owned(), ErrorCode::NumberRange),
            ("private_area_m2".to_owned(), ErrorCode::NumberRange),
        ]
    );
    p.private_area_m2 = None;
    assert!(problems(p.validate()).contains(&("private_area_m2".to_owned(), ErrorCode::Required)));
    // suites within bedrooms but above bathrooms
    let mut p = property("");
    p.bathrooms = 0;
    assert_eq!(
        problems(p.validate()),
        [("suites".to_owned(), ErrorCode::PropertySuites)]
    );
}

fn deal(extra: &str) -> Deal {
    let json = format!(
        r#"{{
        "id": "0193a1b2-0000-7000-8000-0000000000d1",
        "lead_id": "0193a1b2-0000-7000-8000-000000000001",
        "property_id": "0193a1b2-0000-7000-8000-0000000000a1",
        "kind": "sale", "value": "780000", "proposed_on": "2026-09-01",
        "participants": [
            {{"role": "agency", "recipient": "company"}},
            {{"role": "listing_broker", "agent_id": "0193a1b2-0000-7000-8000-0000000000b1"}},
            {{"role": "selling_broker", "agent_id": "0193a1b2-0000-7000-8000-0000000000b2", "document": "52998224725"}}
        ],
        "created_at": "2026-09-01T15:00:00Z", "updated_at": "2026-09-20T15:00:00Z"{extra}
    }}"#
    );
    from_json(&json).unwrap_or_else(|e| panic!("fixture does not load: {e}"))
}

#[test]
fn a_closed_deal_needs_its_dates_in_order() {
    let d = deal(r#", "status": "closed", "accepted_on": "2026-09-05", "closed_on": "2026-09-20""#);
    assert_eq!(problems(d.validate()), []);
    let d = deal(r#", "status": "closed", "accepted_on": "2026-09-05""#);
    assert_eq!(
        problems(d.validate()),
        [("closed_on".to_owned(), ErrorCode::Required)]
    );
    let d =
        deal(r#", "status": "accepted", "accepted_on": "2026-08-30", "closed_on": "2026-08-29""#);
    assert_eq!(
        problems(d.validate()),
        [
            ("accepted_on".to_owned(), ErrorCode::DateOrder),
            ("closed_on".to_owned(), ErrorCode::DateOrder)
        ]
    );
    let d = deal(r#", "status": "cancelled""#);
    assert_eq!(
        problems(d.validate()),
        [("cancelled_on".to_owned(), ErrorCode::Required)]
    );
}

#[test]
fn deal_participant_rules() {
    let mut d = deal(r#", "status": "closed", "closed_on": "2026-09-20""#);
    d.participants
        .retain(|p| p.role != ParticipantRole::SellingBroker);
    d.participants.push(Participant::agency());
    d.participants.push(Participant {
        agent_id: None,
        ..Participant::agency()
    });
    let listing = d.participants.get(1).cloned();
    d.participants.extend(listing);
    d.participants
        .push(Participant::partner_agency("", "52998224725"));
    d.participants.push(Participant {
        role: ParticipantRole::SellingBroker,
        ..Participant::agency()
    });
    assert_eq!(
        problems(d.validate()),
        [
            (
                "participants[2].role".to_owned(),
                ErrorCode::DealRoleDuplicate
            ),
            (
                "participants[3].role".to_owned(),
                ErrorCode::DealRoleDuplicate
            ),
            (
                "participants[4].agent_id".to_owned(),
                ErrorCode::DealRoleDuplicate
            ),
            ("participants[5].name".to_owned(), ErrorCode::Required),
            (
                "participants[5].document".to_owned(),
                ErrorCode::DealRecipientDocument
            ),
            (
                "participants[6].agent_id".to_owned(),
                ErrorCode::DealParticipantAgent
            ),
        ]
    );
    d.participants.clear();
    assert_eq!(
        problems(d.validate()),
        [
            (
                "participants".to_owned(),
                ErrorCode::DealParticipantsMissing
            ),
            ("participants".to_owned(), ErrorCode::DealSellingBroker),
        ]
    );
}

#[test]
fn a_lease_needs_a_term_and_a_positive_rent() {
    let mut d = deal("");
    d.kind = DealKind::Lease;
    d.value = Money::brl(dec!(0));
    assert_eq!(
        problems(d.validate()),
        [
            ("value".to_owned(), ErrorCode::NumberRange),
            ("lease_months".to_owned(), ErrorCode::Required)
        ]
    );
    d.value = Money::brl(dec!(4500));
    d.lease_months = Some(30);
    assert_eq!(problems(d.validate()), []);
}

#[test]
fn agents_and_their_registrations() {
    let json = r#"{"id": "0193a1b2-0000-7000-8000-0000000000b1", "name": "  Fernanda   Ribeiro ",
        "creci": "creci/sp f-98765", "email": "Fernanda@Horizonte-Imoveis.COM.BR", "phone": "11 3456 7890",
        "created_at": "2026-01-10T09:00:00Z", "updated_at": "2026-01-10T09:00:00Z"}"#;
    let a: Agent = from_json(json).unwrap_or_else(|e| panic!("{e}"));
    assert!(a.active, "agents are active unless the JSON says otherwise");
    let n = a.normalized().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(n.name, "Fernanda Ribeiro");
    assert_eq!(n.creci, "CRECI-SP 98765-F");
    assert_eq!(n.email, "Fernanda@horizonte-imoveis.com.br");
    assert_eq!(n.phone.as_deref(), Some("+551134567890"));
    let mut bad = a;
    bad.creci = "CRECI 12345".into();
    bad.email = "fernanda".into();
    bad.name = " ".into();
    assert_eq!(
        problems(bad.validate()),
        [
            ("name".to_owned(), ErrorCode::Required),
            ("creci".to_owned(), ErrorCode::CreciUf),
            ("email".to_owned(), ErrorCode::EmailFormat),
        ]
    );
}

#[test]
fn batch_validation_keeps_going() {
    let good = lead("");
    let mut bad = lead("");
    bad.contact.name = String::new();
    let report = validate_batch(&[good.clone(), bad, good]);
    assert_eq!(
        (report.checked, report.valid(), report.problem_count()),
        (3, 2, 1)
    );
    assert_eq!(report.invalid.first().map(|r| r.index), Some(1));
}

#[test]
fn long_texts_are_refused_not_truncated() {
    let mut l = lead("");
    l.contact.name = "a".repeat(MAX_NAME_CHARS + 1);
    assert_eq!(
        problems(l.validate()),
        [("contact.name".to_owned(), ErrorCode::TextTooLong)]
    );
}

/// The deal of the commission bench, as JSON text, with `from` replaced by `to`.
fn bench_deal_json(from: &str, to: &str) -> String {
    use chrono::{NaiveDate, TimeZone, Utc};
    let on = NaiveDate::from_ymd_opt(2026, 5, 20).unwrap_or_default();
    let mut d = Deal::new(
        DealId::from_parts(1, [1; 10]),
        LeadId::from_parts(1, [2; 10]),
        PropertyId::from_parts(1, [3; 10]),
        DealKind::Sale,
        Money::brl(dec!(1275000.00)),
        on,
        Utc.with_ymd_and_hms(2026, 5, 20, 12, 0, 0)
            .single()
            .unwrap_or_default(),
    );
    d.closed_on = Some(on);
    d.participants = vec![
        Participant::agency(),
        Participant::broker(
            ParticipantRole::ListingBroker,
            AgentId::from_parts(1, [4; 10]),
        ),
        Participant::partner_agency("Paulista Prime Ltda", "11.222.333/0001-81"),
    ];
    let json = serde_json::to_string(&d).unwrap_or_default();
    assert!(json.contains(from), "{from} is not in {json}");
    json.replacen(from, to, 1)
}

#[test]
fn reading_a_deal_keeps_every_error_message() {
    // The messages, paths and positions below are those of the readers before dates, ids and
    // currency codes were read without copies (chrono's `Deserialize`, ids and codes read
    // through a `String`).
    let err = |from: &str, to: &str| {
        from_json::<Deal>(&bench_deal_json(from, to))
            .err()
            .map(|e| (e.path, e.message))
            .unwrap_or_default()
    };
    let e = |path: &str, message: &str| (path.to_owned(), message.to_owned());
    assert_eq!(
        err(
            "\"proposed_on\":\"2026-05-20\"",
            "\"proposed_on\":\"2026-02-30\""
        ),
        e("proposed_on", "input is out of range at line 1 column 256")
    );
    assert_eq!(
        err("\"closed_on\":\"2026-05-20\"", "\"closed_on\":5"),
        e(
            "closed_on",
            "invalid type: integer `5`, expected a formatted date string at line 1 column 270"
        )
    );
    assert_eq!(
        err("00000000-0001-7101-8101-010101010101", "not-an-id"),
        e(
            "id",
            "`not-an-id` is not a deal id (a UUID) at line 1 column 17"
        )
    );
    assert_eq!(
        err(
            "\"id\":\"00000000-0001-7101-8101-010101010101\"",
            "\"id\":42"
        ),
        e(
            "id",
            "invalid type: integer `42`, expected a string at line 1 column 8"
        )
    );
    assert_eq!(
        err("00000000-0001-7404-8404-040404040404", "zz"),
        e(
            "participants[1].agent_id",
            "`zz` is not a agent id (a UUID) at line 1 column 378"
        )
    );
    assert_eq!(
        err("\"currency\":\"BRL\"", "\"currency\":\"BRLL\""),
        e(
            "value.currency",
            "`BRLL` is not an ISO 4217 currency code at line 1 column 230"
        )
    );
    assert_eq!(
        err("\"currency\":\"BRL\"", "\"currency\":5"),
        e(
            "value.currency",
            "invalid type: integer `5`, expected a string at line 1 column 224"
        )
    );
    // And what chrono and the id and code readers accept still reads.
    for (from, to) in [
        (
            "\"closed_on\":\"2026-05-20\"",
            "\"closed_on\":\"2026-5-20\"",
        ),
        ("\"closed_on\":\"2026-05-20\"", "\"closed_on\":null"),
        ("\"currency\":\"BRL\"", "\"currency\":\" brl \""),
        ("\"currency\":\"BRL\"", "\"currency\":\"B\\u0052L\""),
        (
            "00000000-0001-7101-8101-010101010101",
            " 00000000-0001-7101-8101-010101010101 ",
        ),
    ] {
        let read = from_json::<Deal>(&bench_deal_json(from, to));
        assert_eq!(
            read.map(|d| (d.id, d.value.currency())).ok(),
            Some((DealId::from_parts(1, [1; 10]), crate::Currency::BRL)),
            "{to}"
        );
    }
}
