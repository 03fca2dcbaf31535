//! Properties of duplicate detection: comparison is symmetric bit for bit, the pairs found do
//! not depend on the order of the book (even when large blocks fall back to the
//! sorted-neighbourhood window), normalisation is idempotent, two valid leads merge into a
//! valid lead, and no string in any contact field makes anything panic.

use chrono::{TimeZone, Utc};
use crm_core::dedupe::{
    BlockingConfig, DedupeConfig, compare, document_key, email_key, find_duplicates, find_existing,
    merge_plan, name_tokens, phone_key,
};
use crm_core::domain::{Contact, Lead, LeadId, LeadSource, Portal};
use proptest::prelude::*;
use std::collections::BTreeSet;

// Small vocabularies, so that random leads collide often: accents, particles, case and order
// vary; phones with and without the ninth digit; e-mails with case and +tags.
const NAMES: &[&str] = &[
    "Maria Silva",
    "maria da silva",
    "Silva, Maria",
    "MARIA JOSÉ DA SILVA",
    "Maria José Silva",
    "João Souza",
    "Joao de Souza",
    "Mariana Souza",
    "Maria Souza",
    "Fernando Lima",
    "Fernanda Lima",
    "J. Souza",
    "Marai Silva",
    "Conceição D'Ávila",
    "conceicao avila",
    "de",
    "",
];
const PHONES: &[&str] = &[
    "(11) 98765-4321",
    "11 8765-4321",
    "+55 11 98765 4321",
    "(11) 98765-4312",
    "(21) 3456-7890",
    "21 99876-5432",
    "0800 123 4567",
    "abc",
];
const EMAILS: &[&str] = &[
    "maria@example.com",
    "MARIA+zap@Example.com",
    "familia@example.com",
    "joao@example.com",
    "not-an-email",
];
const DOCUMENTS: &[&str] = &[
    "529.982.247-25",
    "52998224725",
    "123.456.789-09",
    "11.222.333/0001-81",
    "529.982.247-24",
];

fn pick(list: &'static [&'static str]) -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        2 => Just(None),
        5 => prop::sample::select(list).prop_map(|s| Some(s.to_owned())),
        1 => ".{0,30}".prop_map(Some),
    ]
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(NAMES).prop_map(str::to_owned),
        1 => ".{0,40}",
    ]
}

fn source() -> impl Strategy<Value = LeadSource> {
    prop_oneof![
        3 => Just(LeadSource::Website),
        1 => (prop::sample::select(&["zap", "OLX", "Viva Real"][..]), prop::sample::select(&["Z-1", "Z-2", " Z-1 "][..]))
            .prop_map(|(p, id)| LeadSource::Portal {
                portal: Portal::from_name(p),
                external_id: Some(id.to_owned()),
                temperature: None,
            }),
    ]
}

fn lead() -> impl Strategy<Value = Lead> {
    (
        name(),
        pick(PHONES),
        pick(EMAILS),
        pick(DOCUMENTS),
        source(),
        0u32..3,
        any::<[u8; 10]>(),
    )
        .prop_map(|(name, phone, email, document, source, day, random)| {
            let at = Utc
                .with_ymd_and_hms(2026, 1, day + 1, 9, 0, 0)
                .single()
                .unwrap_or_default();
            let contact = Contact {
                name,
                email,
                phone,
                document,
            };
            let mut lead = Lead::new(LeadId::from_parts(1, random), contact, at);
            lead.source = source;
            lead
        })
}

/// A book with distinct ids.
fn book(max: usize) -> impl Strategy<Value = Vec<Lead>> {
    prop::collection::vec(lead(), 0..max).prop_map(|mut leads| {
        for (i, l) in leads.iter_mut().enumerate() {
            l.id = LeadId::from_parts(i as u64 + 1, [7; 10]);
        }
        leads
    })
}

/// The pairs found, by lead id (smaller first), with decision and score bits.
fn found(leads: &[Lead], config: &DedupeConfig) -> BTreeSet<(LeadId, LeadId, String, u64)> {
    find_duplicates(leads, config)
        .into_iter()
        .map(|p| {
            let (x, y) = if p.a_id <= p.b_id {
                (p.a_id, p.b_id)
            } else {
                (p.b_id, p.a_id)
            };
            (x, y, format!("{:?}", p.decision), p.score.to_bits())
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn compare_is_symmetric(a in lead(), b in lead()) {
        let config = DedupeConfig::default();
        let ab = compare(&a, &b, &config);
        let ba = compare(&b, &a, &config);
        prop_assert_eq!(ab.score.to_bits(), ba.score.to_bits());
        prop_assert_eq!(&ab, &ba);
        // a lead is always its own duplicate when it has anything to compare
        let aa = compare(&a, &a, &config);
        prop_assert!(aa.score >= 0.0);
    }

    #[test]
    fn merge_plan_does_not_depend_on_argument_order(a in lead(), b in lead()) {
        let ab = merge_plan(&a, &b);
        let ba = merge_plan(&b, &a);
        if a.id != b.id {
            prop_assert_eq!(&ab, &ba);
        }
        // two valid leads merge into a valid lead
        if a.validate().is_ok() && b.validate().is_ok() {
            prop_assert!(ab.merged.validate().is_ok(), "{:?}", ab.merged.validate());
        }
        // one choice per field, the survivor's id and version
        prop_assert_eq!(ab.merged.id, ab.survivor);
        prop_assert!(ab.merged.created_at <= a.created_at.min(b.created_at));
    }

    #[test]
    fn normalisation_is_idempotent(s in ".{0,60}") {
        let once = name_tokens(&s);
        prop_assert_eq!(name_tokens(&once.join(" ")), once);
        if let Some(k) = email_key(&s) {
            prop_assert_eq!(email_key(&k), Some(k.clone()));
        }
        if let Some(k) = phone_key(&s) {
            prop_assert_eq!(phone_key(&k), Some(k.clone()));
        }
        if let Some(d) = document_key(&s) {
            prop_assert_eq!(document_key(d.as_str()), Some(d));
        }
    }

    #[test]
    fn no_string_panics(name in ".*", phone in ".*", email in ".*", document in ".*", id in ".*") {
        let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap_or_default();
        let mut a = Lead::new(LeadId::from_parts(1, [1; 10]), Contact {
            name: name.clone(), email: Some(email.clone()), phone: Some(phone.clone()), document: Some(document.clone()),
        }, at);
        a.source = LeadSource::Portal { portal: Portal::from_name(&name), external_id: Some(id), temperature: None };
        let b = Lead::new(LeadId::from_parts(2, [2; 10]), Contact {
            name: phone, email: Some(document), phone: Some(email), document: Some(name),
        }, at);
        let config = DedupeConfig::default();
        let _ = compare(&a, &b, &config);
        let _ = find_duplicates(&[a.clone(), b.clone(), a.clone()], &config);
        let _ = find_existing(&b, &[a.clone()], &config);
        let _ = merge_plan(&a, &b);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn find_duplicates_does_not_depend_on_order(leads in book(40), rotate in 0usize..40) {
        let config = DedupeConfig::default();
        // tiny blocks, so that the sorted-neighbourhood window is exercised too
        let windowed = DedupeConfig {
            blocking: BlockingConfig { max_block: 2, max_name_block: 2, window: 3 },
            ..DedupeConfig::default()
        };
        let mut reversed = leads.clone();
        reversed.reverse();
        let mut rotated = leads.clone();
        if !rotated.is_empty() {
            let n = rotate % rotated.len();
            rotated.rotate_left(n);
        }
        for c in [&config, &windowed] {
            let expected = found(&leads, c);
            prop_assert_eq!(&found(&reversed, c), &expected);
            prop_assert_eq!(&found(&rotated, c), &expected);
        }
        // every pair found is what compare says, and in order
        let pairs = find_duplicates(&leads, &config);
        for p in &pairs {
            prop_assert!(p.a < p.b);
            let s = compare(&leads[p.a], &leads[p.b], &config);
            prop_assert_eq!(s.score.to_bits(), p.score.to_bits());
            prop_assert_eq!(s.decision, p.decision);
        }
        for w in pairs.windows(2) {
            prop_assert!(w[0].score >= w[1].score);
        }
    }
}
