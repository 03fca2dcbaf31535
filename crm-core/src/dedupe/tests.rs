//! Scenario tests of duplicate detection: the cases of the issue, worked by hand.

use super::*;
use crate::domain::{Contact, LeadSource, Portal};
use chrono::{TimeZone, Utc};

fn lead(n: u8, name: &str, phone: Option<&str>, email: Option<&str>) -> Lead {
    let at = Utc
        .with_ymd_and_hms(2026, 1, u32::from(n % 28) + 1, 9, 0, 0)
        .unwrap();
    let mut contact = Contact::new(name);
    contact.phone = phone.map(str::to_owned);
    contact.email = email.map(str::to_owned);
    Lead::new(LeadId::from_parts(u64::from(n), [n; 10]), contact, at)
}

fn decide(a: &Lead, b: &Lead) -> (Decision, DecisionRule) {
    let s = compare(a, b, &DedupeConfig::default());
    let r = compare(b, a, &DedupeConfig::default());
    assert_eq!(s, r, "compare must be symmetric");
    assert_eq!(s.score.to_bits(), r.score.to_bits());
    (s.decision, s.rule)
}

const PHONE: Option<&str> = Some("(11) 98765-4321");

#[test]
fn accents_particles_and_order() {
    let a = lead(1, "José da Conceição", PHONE, None);
    let b = lead(2, "JOSE CONCEICAO", PHONE, None);
    assert_eq!(decide(&a, &b), (Decision::Match, DecisionRule::Score));
    let c = lead(3, "Conceição, José", PHONE, None);
    assert_eq!(decide(&a, &c), (Decision::Match, DecisionRule::Score));
    let s = compare(&a, &c, &DedupeConfig::default());
    // 9.8918 (name) + 13.0532 (phone)
    assert!((s.score - 22.945_031).abs() < 1e-5, "{}", s.score);
}

#[test]
fn ninth_digit() {
    let a = lead(1, "Ana Lima", Some("(21) 8765-4321"), None);
    let b = lead(2, "Ana Lima", Some("+55 21 98765-4321"), None);
    assert_eq!(decide(&a, &b).0, Decision::Match);
}

#[test]
fn family_members() {
    let shared = Some("familia@example.com");
    let maria = lead(1, "Maria Souza", PHONE, Some("maria@example.com"));
    let joao = lead(2, "João Souza", PHONE, Some("joao@example.com"));
    // −4.3205 + 13.0532 − 2.3218 = 6.41
    assert_eq!(
        decide(&maria, &joao),
        (Decision::NonMatch, DecisionRule::Score)
    );
    let maria = lead(1, "Maria Souza", PHONE, shared);
    let joao = lead(2, "João Souza", PHONE, shared);
    // −4.3205 + 13.0532 + 12.9658 = 21.70, capped
    assert_eq!(
        decide(&maria, &joao),
        (Decision::Review, DecisionRule::NamesDiffer)
    );
    let fernando = lead(3, "Fernando Lima", PHONE, None);
    let fernanda = lead(4, "Fernanda Lima", PHONE, None);
    assert_eq!(decide(&fernando, &fernanda).0, Decision::NonMatch);
    let mae = lead(5, "Maria Lima", PHONE, None);
    let filha = lead(6, "Mariana Lima", PHONE, None);
    assert_eq!(decide(&mae, &filha).0, Decision::NonMatch);
}

#[test]
fn common_names() {
    let a = lead(
        1,
        "Maria Silva",
        Some("11 98765-4321"),
        Some("maria.silva@example.com"),
    );
    let b = lead(
        2,
        "Maria da Silva",
        Some("11 91234-5678"),
        Some("msilva@example.com"),
    );
    // 9.8918 − 2.7368 − 2.3218 = 4.83
    assert_eq!(decide(&a, &b).0, Decision::NonMatch);
    let c = lead(3, "Maria Silva", None, Some("outra@example.com"));
    let d = lead(4, "Maria Silva", Some("11 91234-5678"), None);
    assert_eq!(decide(&c, &d).0, Decision::NonMatch);
}

#[test]
fn strong_keys_and_conflicts() {
    let mut a = lead(1, "Carlos Eduardo Lima", PHONE, None);
    let mut b = lead(2, "C. E. Lima", None, Some("cel@example.com"));
    a.contact.document = Some("529.982.247-25".into());
    b.contact.document = Some("52998224725".into());
    assert_eq!(
        decide(&a, &b),
        (Decision::Match, DecisionRule::SameDocument)
    );
    b.contact.document = Some("123.456.789-09".into());
    b.contact.phone = PHONE.map(str::to_owned);
    b.contact.name = a.contact.name.clone();
    // 9.8918 + 13.0532 − 9.9658 = 12.98: a review by score alone
    assert_eq!(decide(&a, &b), (Decision::Review, DecisionRule::Score));
    // with the e-mail too, 25.94: a match by score, capped by the conflict
    a.contact.email = Some("cel@example.com".into());
    assert_eq!(
        decide(&a, &b),
        (Decision::Review, DecisionRule::DocumentConflict)
    );
    // a CPF against a CNPJ is not compared
    b.contact.document = Some("11.222.333/0001-81".into());
    let s = compare(&a, &b, &DedupeConfig::default());
    assert_eq!(
        s.evidence_of(Field::Document).map(|e| e.outcome),
        Some(Outcome::Missing)
    );
    assert_eq!(s.decision, Decision::Match);
}

#[test]
fn portal_redelivery() {
    let source = LeadSource::Portal {
        portal: Portal::VivaReal,
        external_id: Some("VR-1001".into()),
        temperature: None,
    };
    let mut first = lead(1, "Beatriz Rocha", Some("31 99888-7766"), None);
    first.source = source.clone();
    let mut again = lead(2, "Bia Rocha", None, Some("bia@example.com"));
    again.source = LeadSource::Portal {
        portal: Portal::from_name("vivareal"),
        external_id: Some(" VR-1001 ".into()),
        temperature: None,
    };
    assert_eq!(
        decide(&first, &again),
        (Decision::Match, DecisionRule::SamePortalLead)
    );
    let other = lead(3, "Beatriz Rocha", Some("31 99888-7766"), None);
    let book = vec![other, first.clone()];
    let found = find_existing(&again, &book, &DedupeConfig::default());
    assert_eq!(
        found.map(|m| (m.index, m.by)),
        Some((1, MatchedBy::PortalKey))
    );
    // without the portal key, the best comparison
    let plain = lead(4, "Beatriz Rocha", Some("31 99888-7766"), None);
    let found = find_existing(&plain, &book, &DedupeConfig::default()).unwrap();
    assert_eq!((found.index, found.by), (1, MatchedBy::Comparison)); // older of the two
    assert_eq!(found.score.decision, Decision::Match);
    assert!(find_existing(&lead(5, "Zé", None, None), &book, &DedupeConfig::default()).is_none());
}

#[test]
fn phone_typo_goes_to_review() {
    let a = lead(1, "Rafael Gomes Pereira", Some("11 98765-4321"), None);
    let b = lead(2, "Rafael Gomes Pereira", Some("11 98765-4312"), None);
    // a swap of neighbours: 1 − 1/13 = 0.923; 9.8918 + (−2.7368 + 15.7901 · 0.4872) = 14.85
    let s = compare(&a, &b, &DedupeConfig::default());
    assert_eq!(
        s.evidence_of(Field::Phone).map(|e| e.outcome),
        Some(Outcome::Similar)
    );
    assert!((s.score - 14.848_3).abs() < 1e-3, "{}", s.score);
    assert_eq!(s.decision, Decision::Review);
    let pairs = find_duplicates(&[a, b], &DedupeConfig::default());
    assert_eq!(pairs.len(), 1);
}

#[test]
fn oversized_blocks_are_reported_and_still_find_duplicates() {
    let mut leads: Vec<Lead> = (0..60)
        .map(|i| {
            lead(
                i,
                &format!(
                    "Pessoa {}",
                    ["Ana", "Bia", "Caio", "Davi", "Eva", "Gil"][usize::from(i % 6)]
                ),
                Some("11 99999-9999"),
                None,
            )
        })
        .collect();
    leads.push(lead(100, "Ana Pessoa", Some("11 99999-9999"), None));
    let report = find_duplicates_report(&leads, &DedupeConfig::default());
    assert!(
        report
            .oversized_blocks
            .iter()
            .any(|b| b.kind == BlockKind::Phone && b.size == 61)
    );
    assert!(report.candidates < 61 * 60 / 2);
    // "Ana Pessoa" with the ten "Pessoa Ana" sharing the phone: they sort next to each other
    let ana = leads.len() - 1;
    assert!(
        report
            .pairs
            .iter()
            .any(|p| p.b == ana && p.decision == Decision::Match)
    );
}

#[test]
fn results_serialise_in_snake_case() {
    let a = lead(1, "Ana Lima", PHONE, None);
    let b = lead(2, "Ana Lima", PHONE, None);
    let pairs = find_duplicates(&[a.clone(), b.clone()], &DedupeConfig::default());
    let json = serde_json::to_value(&pairs).unwrap();
    assert_eq!(json[0]["decision"], "match");
    assert_eq!(json[0]["rule"], "score");
    assert_eq!(json[0]["evidence"][1]["field"], "portal_id");
    assert_eq!(json[0]["evidence"][1]["outcome"], "missing");
    let back: Vec<CandidatePair> = serde_json::from_value(json).unwrap();
    assert_eq!(back, pairs);
    let plan = serde_json::to_value(merge_plan(&a, &b)).unwrap();
    assert_eq!(plan["survivor_reason"], "older");
    assert_eq!(plan["fields"][0]["reason"], "survivor_value");
}
