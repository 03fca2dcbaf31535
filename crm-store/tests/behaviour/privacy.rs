//! LGPD: export everything about a data subject; erase them so no query finds their name,
//! e-mail, phone or CPF while the ledger's totals stay; record and revoke consent.

use super::fixtures::{self as fx, at};
use super::ledger::{client_total, entry};
use crm_core::ErrorCode;
use crm_core::domain::{Consent, ConsentPurpose, Lead, LeadId};
use crm_store::privacy::{ERASED_NAME, Privacy, SubjectKey};
use crm_store::{AuditQuery, LeadQuery, NewLedgerEntry, Store, VisitQuery};

async fn finds(s: &dyn Store, t: crm_core::domain::TenantId, q: LeadQuery) -> Vec<LeadId> {
    s.find_leads(t, &q)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|l| l.id)
        .collect()
}

pub async fn export_and_erase(s: &dyn Store) {
    let t = fx::tenant();
    let agent = s.insert_agent(t, &fx::agent("Corretor", 0)).await.unwrap();
    let prop = s
        .insert_property(t, &fx::property("São Paulo", 0))
        .await
        .unwrap();
    // The subject came in twice: once from the site, once from a portal, same CPF.
    let first = s
        .insert_lead(t, &fx::lead("Helena Quintão Barros", 0))
        .await
        .unwrap();
    let mut second = fx::portal_lead(
        "Helena Q. Barros",
        crm_core::domain::Portal::Zap,
        "Z-LGPD",
        5,
    );
    second.contact.document = first.contact.document.clone();
    let second = s.insert_lead(t, &second).await.unwrap();
    let bystander = s
        .insert_lead(t, &fx::lead("Outra Pessoa Barros", 6))
        .await
        .unwrap();
    s.add_activity(
        t,
        &fx::activity(first.id, 1, "Helena pediu retorno no celular pessoal"),
    )
    .await
    .unwrap();
    let mut v = fx::visit(second.id, prop.id, agent.id, 90);
    v.note = Some("Helena virá com o marido".into());
    let visit = s.insert_visit(t, &v).await.unwrap();
    let deal = s
        .insert_deal(t, &fx::deal(first.id, prop.id, agent.id, agent.id, 10))
        .await
        .unwrap();
    s.append_ledger(
        t,
        &[NewLedgerEntry {
            id: uuid::Uuid::now_v7(),
            recorded_at: at(20),
            entry: entry(deal.id, 4_500_000),
        }],
    )
    .await
    .unwrap();
    let ledger_before = s.ledger_page(t, None, 1000).await.unwrap();

    // Export by CPF (masked, as a person would type it): both leads and everything around them.
    let cpf = fx::masked_cpf(first.contact.document.as_deref().unwrap());
    let export = s
        .export_subject(t, &SubjectKey::Document(cpf.clone()), at(30))
        .await
        .unwrap();
    let mut exported: Vec<LeadId> = export.leads.iter().map(|l| l.id).collect();
    exported.sort();
    let mut expected = vec![first.id, second.id];
    expected.sort();
    assert_eq!(exported, expected);
    assert_eq!(export.activities.len(), 1);
    assert_eq!(export.visits, vec![visit.clone()]);
    assert_eq!(
        export.deals.iter().map(|d| d.id).collect::<Vec<_>>(),
        vec![deal.id]
    );
    assert_eq!(export.ledger.len(), 1);
    let json = serde_json::to_string(&export).unwrap();
    assert!(
        json.contains("Helena Quintão Barros"),
        "the export is one JSON document with the data"
    );

    // Erase by e-mail of one lead: only that lead. Then by CPF: the rest.
    let email = second.contact.email.clone().unwrap();
    let report = s
        .erase_subject(
            t,
            &SubjectKey::Email(email.clone()),
            "dpo@imobiliaria",
            at(40),
        )
        .await
        .unwrap();
    assert_eq!(report.leads, vec![second.id]);
    let report = s
        .erase_subject(
            t,
            &SubjectKey::Document(cpf.clone()),
            "dpo@imobiliaria",
            at(41),
        )
        .await
        .unwrap();
    assert_eq!(report.leads, vec![first.id]);

    for lead in [&first, &second] {
        let erased = s.get_lead(t, lead.id).await.unwrap().unwrap();
        assert_eq!(erased.contact.name, ERASED_NAME);
        assert!(
            erased.contact.email.is_none()
                && erased.contact.phone.is_none()
                && erased.contact.document.is_none()
        );
        assert_eq!(erased.version, lead.version + 1);
        assert_eq!(erased.stage, lead.stage, "business data kept");
        for q in [
            LeadQuery {
                email: lead.contact.email.clone(),
                ..Default::default()
            },
            LeadQuery {
                phone: lead.contact.phone.clone(),
                ..Default::default()
            },
            LeadQuery {
                document: lead.contact.document.clone(),
                ..Default::default()
            },
        ] {
            assert!(finds(s, t, q).await.is_empty());
        }
    }
    for name in ["Helena", "Quintão", "quintao"] {
        assert!(
            finds(
                s,
                t,
                LeadQuery {
                    name: Some(name.into()),
                    ..Default::default()
                }
            )
            .await
            .is_empty(),
            "{name}"
        );
    }
    assert_eq!(
        finds(
            s,
            t,
            LeadQuery {
                name: Some("Barros".into()),
                ..Default::default()
            }
        )
        .await,
        vec![bystander.id]
    );
    assert!(
        s.list_activities(t, first.id)
            .await
            .unwrap()
            .iter()
            .all(|a| a.note.is_none())
    );
    let visits = s
        .find_visits(
            t,
            &VisitQuery {
                lead_id: Some(second.id),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(visits.items.iter().all(|v| v.note.is_none()));
    let json =
        serde_json::to_string(&s.find_leads(t, &LeadQuery::default()).await.unwrap()).unwrap();
    assert!(
        !json.contains("Helena") && !json.contains(&email),
        "no trace in what the store hands out"
    );

    // The ledger is untouched; the audit trail records the erasures.
    let ledger_after = s.ledger_page(t, None, 1000).await.unwrap();
    assert_eq!(ledger_after, ledger_before);
    assert_eq!(
        client_total(&ledger_after),
        rust_decimal::Decimal::new(4_500_000, 2)
    );
    let trail = s
        .find_audit(
            t,
            &AuditQuery {
                record_id: Some(first.id.as_uuid()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(
        trail
            .items
            .iter()
            .any(|e| e.action == "lgpd.erase" && e.actor == "dpo@imobiliaria")
    );
    // Nothing more to erase.
    assert!(
        s.erase_subject(t, &SubjectKey::Document(cpf), "dpo", at(50))
            .await
            .unwrap()
            .leads
            .is_empty()
    );
    assert_eq!(
        s.get_lead(t, bystander.id).await.unwrap().unwrap(),
        bystander
    );
}

pub async fn consent(s: &dyn Store) {
    let t = fx::tenant();
    let lead: Lead = s.insert_lead(t, &fx::lead("Consentida", 0)).await.unwrap();
    let consent = Consent::new(ConsentPurpose::Marketing, at(1), "politica-v3");
    let with = s.record_consent(t, lead.id, consent, "site").await.unwrap();
    assert_eq!(with.version, 2);
    assert_eq!(with.consents.len(), 1);
    let mut opted = with.clone();
    opted.marketing_opt_in = true;
    let opted = s.update_lead(t, &opted).await.unwrap();
    assert!(opted.has_marketing_consent());

    let revoked = s
        .revoke_consent(t, lead.id, ConsentPurpose::Marketing, "lead", at(60))
        .await
        .unwrap();
    assert!(!revoked.marketing_opt_in);
    assert_eq!(
        revoked.consents[0].revoked_at,
        Some(crm_store::prepare::micros(at(60)))
    );
    let trail = s
        .find_audit(
            t,
            &AuditQuery {
                record_id: Some(lead.id.as_uuid()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let actions: Vec<&str> = trail.items.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["consent.record", "consent.revoke"]);
    let missing = s
        .revoke_consent(t, fx::id(), ConsentPurpose::Marketing, "x", at(61))
        .await
        .unwrap_err();
    assert_eq!(missing.code(), ErrorCode::StoreNotFound);
}
