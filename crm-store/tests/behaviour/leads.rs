//! Leads: versioned writes, every query the CRM needs, keyset pages, portal idempotency, bulk
//! import, activities.

use super::fixtures::{self as fx, at};
use crm_core::ErrorCode;
use crm_core::domain::{Lead, LeadId, Portal};
use crm_store::{Cursor, LeadQuery, PageRequest, Store, StoreError};

fn ids(page: &crm_store::Page<Lead>) -> Vec<LeadId> {
    page.items.iter().map(|l| l.id).collect()
}

pub async fn insert_get_update(s: &dyn Store) {
    let t = fx::tenant();
    let mut lead = fx::lead("  Ana   Souza ", 0);
    lead.contact.email = Some(" Ana.Souza@Exemplo.COM.br ".into());
    let stored = s.insert_lead(t, &lead).await.unwrap();
    assert_eq!(stored.version, 1);
    assert_eq!(stored.contact.name, "Ana Souza");
    assert_eq!(
        stored.contact.email.as_deref(),
        Some("Ana.Souza@exemplo.com.br"),
        "domain lower-cased"
    );
    assert!(
        stored
            .contact
            .phone
            .as_deref()
            .unwrap()
            .starts_with("+5511")
    );
    assert_eq!(
        stored.contact.document.as_deref().map(str::len),
        Some(11),
        "CPF stored bare"
    );
    assert_eq!(
        stored.created_at,
        crm_store::prepare::micros(lead.created_at),
        "cut to microseconds"
    );
    assert_ne!(stored.created_at, lead.created_at);
    let got = s.get_lead(t, lead.id).await.unwrap().unwrap();
    assert_eq!(
        got, stored,
        "what is read back is exactly what insert returned"
    );

    let mut moved = got.clone();
    moved.stage = "contacted".into();
    moved.updated_at = at(5);
    let v2 = s.update_lead(t, &moved).await.unwrap();
    assert_eq!(v2.version, 2);
    assert_eq!(s.get_lead(t, lead.id).await.unwrap().unwrap(), v2);
    let err = s.update_lead(t, &moved).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::StoreConflict);
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                expected: 1,
                actual: Some(2),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(s.get_lead(t, lead.id).await.unwrap().unwrap().version, 2);

    let err = s.insert_lead(t, &lead).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::StoreDuplicate);
    let mut ghost = fx::lead("Fantasma", 0);
    ghost.version = 1;
    assert_eq!(
        s.update_lead(t, &ghost).await.unwrap_err().code(),
        ErrorCode::StoreNotFound
    );
    assert!(s.get_lead(t, ghost.id).await.unwrap().is_none());
}

pub async fn invalid_records_are_refused_with_paths(s: &dyn Store) {
    let t = fx::tenant();
    let mut bad = fx::lead("Carlos", 0);
    bad.contact.document = Some("529.982.247-24".into());
    bad.contact.email = Some("carlos@".into());
    let err = s.insert_lead(t, &bad).await.unwrap_err();
    let problems = err.field_errors();
    assert!(
        problems
            .iter()
            .any(|e| e.path == "contact.document" && e.code == ErrorCode::CpfCheckDigit),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|e| e.path == "contact.email"),
        "{problems:?}"
    );
    assert!(
        s.get_lead(t, bad.id).await.unwrap().is_none(),
        "nothing written"
    );

    // Bad query arguments are typed errors too.
    let q = LeadQuery {
        email: Some("nope@".into()),
        ..Default::default()
    };
    let err = s.find_leads(t, &q).await.unwrap_err();
    assert!(
        err.field_errors().iter().any(|e| e.path == "email"),
        "{err:?}"
    );
    let q = LeadQuery {
        page: PageRequest::first(0),
        ..Default::default()
    };
    assert_eq!(
        s.find_leads(t, &q).await.unwrap_err().code(),
        ErrorCode::NumberRange
    );
    let q = LeadQuery {
        page: PageRequest::first(5000),
        ..Default::default()
    };
    assert_eq!(
        s.find_leads(t, &q).await.unwrap_err().code(),
        ErrorCode::NumberRange
    );
    assert_eq!(
        "c1.12.zz".parse::<Cursor>().unwrap_err().code,
        ErrorCode::StoreCursor
    );
}

pub async fn queries(s: &dyn Store) {
    let t = fx::tenant();
    let agent = s.insert_agent(t, &fx::agent("Dona", 0)).await.unwrap();
    let mut jose = fx::lead("José da Silva Araújo", 0);
    jose.assigned_agent = Some(agent.id);
    jose.stage = "qualified".into();
    let jose = s.insert_lead(t, &jose).await.unwrap();
    let maria = s
        .insert_lead(t, &fx::lead("Maria Araujo", 10))
        .await
        .unwrap();
    let mut pedro = fx::lead("Pedro Álvares", 20);
    pedro.stage = "qualified".into();
    let pedro = s.insert_lead(t, &pedro).await.unwrap();

    let find = |q: LeadQuery| async move { ids(&s.find_leads(t, &q).await.unwrap()) };
    assert_eq!(
        find(LeadQuery::default()).await,
        vec![jose.id, maria.id, pedro.id],
        "by created_at"
    );
    assert_eq!(
        find(LeadQuery {
            stage: Some("qualified".into()),
            ..Default::default()
        })
        .await,
        vec![jose.id, pedro.id]
    );
    assert_eq!(
        find(LeadQuery {
            stage: Some("qualified".into()),
            assigned_agent: Some(agent.id),
            ..Default::default()
        })
        .await,
        vec![jose.id]
    );
    assert_eq!(
        find(LeadQuery {
            created_from: Some(at(10)),
            created_to: Some(at(20)),
            ..Default::default()
        })
        .await,
        vec![maria.id],
        "from inclusive, to exclusive"
    );
    // Normalised look-ups: case, masks and typed phone formats all find the stored lead.
    let email = maria.contact.email.clone().unwrap().to_uppercase();
    assert_eq!(
        find(LeadQuery {
            email: Some(email),
            ..Default::default()
        })
        .await,
        vec![maria.id]
    );
    let typed = fx::typed_phone(pedro.contact.phone.as_deref().unwrap());
    assert_eq!(
        find(LeadQuery {
            phone: Some(typed),
            ..Default::default()
        })
        .await,
        vec![pedro.id]
    );
    let masked = fx::masked_cpf(jose.contact.document.as_deref().unwrap());
    assert_eq!(
        find(LeadQuery {
            document: Some(masked),
            ..Default::default()
        })
        .await,
        vec![jose.id]
    );
    // Name contains, ignoring case and accents.
    assert_eq!(
        find(LeadQuery {
            name: Some("ARAUJO".into()),
            ..Default::default()
        })
        .await,
        vec![jose.id, maria.id]
    );
    assert_eq!(
        find(LeadQuery {
            name: Some("álvar".into()),
            ..Default::default()
        })
        .await,
        vec![pedro.id]
    );
    assert_eq!(
        find(LeadQuery {
            name: Some("ara%jo".into()),
            ..Default::default()
        })
        .await,
        Vec::<LeadId>::new(),
        "no wildcards"
    );
    let err = s
        .find_leads(
            t,
            &LeadQuery {
                name: Some(" % _ ".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Required, "nothing to search for");
    assert_eq!(
        find(LeadQuery {
            name: Some("silva".into()),
            stage: Some("new".into()),
            ..Default::default()
        })
        .await,
        Vec::<LeadId>::new()
    );
    // A valid CPF nobody has.
    assert_eq!(
        find(LeadQuery {
            document: Some(fx::cpf(999_999)),
            ..Default::default()
        })
        .await,
        Vec::<LeadId>::new()
    );
}

pub async fn keyset_pagination(s: &dyn Store) {
    let t = fx::tenant();
    let mut all = Vec::new();
    // Two leads share one created_at: the id breaks the tie.
    for m in [0, 1, 1, 2, 3, 4, 5] {
        all.push(s.insert_lead(t, &fx::lead("Página", m)).await.unwrap());
    }
    all.sort_by_key(|l| (l.created_at, l.id));
    let expected: Vec<LeadId> = all.iter().map(|l| l.id).collect();

    let mut seen = Vec::new();
    let mut query = LeadQuery {
        page: PageRequest::first(3),
        ..Default::default()
    };
    let mut pages = 0;
    loop {
        let page = s.find_leads(t, &query).await.unwrap();
        pages += 1;
        seen.extend(ids(&page));
        match page.next {
            Some(next) => {
                // The cursor travels as text.
                let text = next.to_string();
                query.page.after = Some(text.parse().unwrap());
            }
            None => break,
        }
        // A lead inserted between pages, before the cursor, is not seen and nothing repeats.
        if pages == 1 {
            s.insert_lead(t, &fx::lead("Página", -100)).await.unwrap();
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, expected);
    // A full last page does not promise a next one.
    let q = LeadQuery {
        page: PageRequest::first(8),
        ..Default::default()
    };
    let page = s.find_leads(t, &q).await.unwrap();
    assert_eq!(page.items.len(), 8);
    assert!(page.next.is_none());
}

pub async fn portal_idempotency(s: &dyn Store) {
    let t = fx::tenant();
    let first = s
        .insert_lead(t, &fx::portal_lead("Rita", Portal::Zap, " ZAP-77 ", 0))
        .await
        .unwrap();
    // The same portal lead again (a re-delivery under a new id): refused, naming the stored one.
    let again = fx::portal_lead("Rita Cardoso", Portal::Zap, "ZAP-77", 1);
    let err = s.insert_lead(t, &again).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::StoreDuplicate);
    assert!(
        matches!(&err, StoreError::Duplicate { existing, .. } if *existing == first.id.as_uuid()),
        "{err:?}"
    );
    // Another portal's id with the same text is another lead.
    s.insert_lead(t, &fx::portal_lead("Rui", Portal::Olx, "ZAP-77", 2))
        .await
        .unwrap();
    let found = s
        .find_lead_by_portal(t, &Portal::Zap, "ZAP-77")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, first.id);
    assert!(
        s.find_lead_by_portal(t, &Portal::VivaReal, "ZAP-77")
            .await
            .unwrap()
            .is_none()
    );
    // Updating a lead onto another lead's portal key is refused.
    let mut olx = s
        .find_lead_by_portal(t, &Portal::Olx, "ZAP-77")
        .await
        .unwrap()
        .unwrap();
    olx.source = first.source.clone();
    assert_eq!(
        s.update_lead(t, &olx).await.unwrap_err().code(),
        ErrorCode::StoreDuplicate
    );
}

pub async fn bulk_import(s: &dyn Store) {
    let t = fx::tenant();
    let stored = s
        .insert_lead(
            t,
            &fx::portal_lead("Já Existe", Portal::VivaReal, "VR-1", 0),
        )
        .await
        .unwrap();
    let batch = vec![
        fx::portal_lead("Nova Um", Portal::VivaReal, "VR-2", 1),
        fx::portal_lead("Já Existe (de novo)", Portal::VivaReal, "VR-1", 2),
        fx::lead("Sem Portal", 3),
        fx::portal_lead("Nova Um (repetida no lote)", Portal::VivaReal, "VR-2", 4),
        stored.clone(),
    ];
    let report = s.import_leads(t, &batch).await.unwrap();
    assert_eq!(report.inserted, vec![0, 2]);
    assert_eq!(report.existing, vec![1, 3, 4]);
    assert_eq!(
        report.ids,
        vec![batch[0].id, stored.id, batch[2].id, batch[0].id, stored.id]
    );
    // Importing the same batch again changes nothing.
    let again = s.import_leads(t, &batch).await.unwrap();
    assert!(again.inserted.is_empty());
    assert_eq!(again.ids, report.ids);
    let all = s.find_leads(t, &LeadQuery::default()).await.unwrap();
    assert_eq!(all.items.len(), 3);
    assert!(all.items.iter().all(|l| l.version == 1));
    assert_eq!(
        s.get_lead(t, stored.id).await.unwrap().unwrap(),
        stored,
        "existing lead left unchanged"
    );

    // One invalid lead fails the whole import, with its position in the path.
    let mut bad = fx::lead("Inválida", 5);
    bad.contact.email = Some("x@".into());
    let batch = vec![fx::lead("Boa", 5), bad];
    let err = s.import_leads(t, &batch).await.unwrap_err();
    assert!(
        err.field_errors()
            .iter()
            .any(|e| e.path == "[1].contact.email"),
        "{err:?}"
    );
    assert!(
        s.get_lead(t, batch[0].id).await.unwrap().is_none(),
        "nothing written"
    );

    // A larger import pages back exactly.
    let many: Vec<Lead> = (0..1200)
        .map(|i| fx::portal_lead("Lote", Portal::Olx, &format!("OLX-{i}"), 10 + i))
        .collect();
    let report = s.import_leads(t, &many).await.unwrap();
    assert_eq!(report.inserted.len(), 1200);
    let q = LeadQuery {
        page: PageRequest::first(1000),
        created_from: Some(at(10)),
        ..Default::default()
    };
    let page = s.find_leads(t, &q).await.unwrap();
    assert_eq!(page.items.len(), 1000);
    let q2 = LeadQuery {
        page: PageRequest {
            limit: Some(1000),
            after: page.next,
        },
        ..q
    };
    assert_eq!(s.find_leads(t, &q2).await.unwrap().items.len(), 200);
}

pub async fn activities(s: &dyn Store) {
    let t = fx::tenant();
    let lead = s.insert_lead(t, &fx::lead("Ativa", 0)).await.unwrap();
    let late = s
        .add_activity(t, &fx::activity(lead.id, 30, "retornar amanhã"))
        .await
        .unwrap();
    let early = s
        .add_activity(t, &fx::activity(lead.id, 10, "primeiro contato"))
        .await
        .unwrap();
    assert_eq!(early.at, crm_store::prepare::micros(fx::at(10)));
    let list = s.list_activities(t, lead.id).await.unwrap();
    assert_eq!(list, vec![early.clone(), late]);
    assert_eq!(
        s.add_activity(t, &early).await.unwrap_err().code(),
        ErrorCode::StoreDuplicate
    );
    let orphan = fx::activity(fx::id(), 0, "x");
    let err = s.add_activity(t, &orphan).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::NotFound {
                kind: crm_store::RecordKind::Lead,
                ..
            }
        ),
        "{err:?}"
    );
    let mut listing_view = fx::activity(lead.id, 40, "viu anúncio");
    listing_view.kind = crm_core::domain::ActivityKind::ListingView;
    assert!(
        s.add_activity(t, &listing_view).await.is_err(),
        "a listing view must name its property"
    );
    assert!(s.list_activities(t, fx::id()).await.unwrap().is_empty());
}
