//! Tenant isolation through the store's API: tenant B tries every read and every write on
//! tenant A's ids and sees nothing and changes nothing.

use super::fixtures::{self as fx, at};
use super::ledger::entry;
use crm_core::ErrorCode;
use crm_core::domain::{ConsentPurpose, Portal};
use crm_store::privacy::{Privacy, SubjectKey};
use crm_store::{
    AuditEvent, AuditQuery, DealQuery, LeadQuery, NewLedgerEntry, PropertyQuery, RecordKind, Store,
    VisitQuery,
};

pub async fn tenant_b_sees_and_changes_nothing_of_tenant_a(s: &dyn Store) {
    let a = fx::tenant();
    let b = fx::tenant();
    // Tenant A's book.
    let agent = s
        .insert_agent(a, &fx::agent("Corretora A", 0))
        .await
        .unwrap();
    let lead = s
        .insert_lead(a, &fx::portal_lead("Cliente A", Portal::Zap, "Z-ISO", 0))
        .await
        .unwrap();
    let prop = s
        .insert_property(a, &fx::property("São Paulo", 0))
        .await
        .unwrap();
    let deal = s
        .insert_deal(a, &fx::deal(lead.id, prop.id, agent.id, agent.id, 0))
        .await
        .unwrap();
    let mut v = fx::visit(lead.id, prop.id, agent.id, 60);
    v.note = Some("nota de A".into());
    let visit = s.insert_visit(a, &v).await.unwrap();
    let act = s
        .add_activity(a, &fx::activity(lead.id, 5, "ligação de A"))
        .await
        .unwrap();
    let ledger = s
        .append_ledger(
            a,
            &[NewLedgerEntry {
                id: uuid::Uuid::now_v7(),
                recorded_at: at(9),
                entry: entry(deal.id, 990_000),
            }],
        )
        .await
        .unwrap();
    let event = AuditEvent {
        id: uuid::Uuid::now_v7(),
        at: at(9),
        actor: "agent:a".into(),
        action: "lead.update".into(),
        record_kind: RecordKind::Lead,
        record_id: lead.id.as_uuid(),
        detail: serde_json::Value::Null,
    };
    s.append_audit(a, &event).await.unwrap();
    s.add_to_counter(a, "open", 5).await.unwrap();
    s.next_cursor(a, "rr").await.unwrap();
    s.save_routing_state(a, &Default::default(), 0)
        .await
        .unwrap();

    // Every read from B: nothing.
    assert!(s.get_agent(b, agent.id).await.unwrap().is_none());
    assert!(s.get_lead(b, lead.id).await.unwrap().is_none());
    assert!(s.get_property(b, prop.id).await.unwrap().is_none());
    assert!(s.get_deal(b, deal.id).await.unwrap().is_none());
    assert!(s.get_visit(b, visit.id).await.unwrap().is_none());
    assert!(s.list_agents(b).await.unwrap().is_empty());
    assert!(s.list_activities(b, lead.id).await.unwrap().is_empty());
    assert!(
        s.find_lead_by_portal(b, &Portal::Zap, "Z-ISO")
            .await
            .unwrap()
            .is_none()
    );
    let email = lead.contact.email.clone();
    for q in [
        LeadQuery::default(),
        LeadQuery {
            email: email.clone(),
            ..Default::default()
        },
        LeadQuery {
            name: Some("Cliente".into()),
            ..Default::default()
        },
        LeadQuery {
            document: lead.contact.document.clone(),
            ..Default::default()
        },
    ] {
        assert!(s.find_leads(b, &q).await.unwrap().items.is_empty());
    }
    assert!(
        s.find_properties(b, &PropertyQuery::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert!(
        s.find_deals(
            b,
            &DealQuery {
                agent: Some(agent.id),
                ..Default::default()
            }
        )
        .await
        .unwrap()
        .items
        .is_empty()
    );
    assert!(
        s.find_visits(b, &VisitQuery::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert!(s.ledger_for_deal(b, deal.id).await.unwrap().is_empty());
    assert!(s.ledger_page(b, None, 100).await.unwrap().is_empty());
    assert!(
        s.find_audit(b, &AuditQuery::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert_eq!(s.counter(b, "open").await.unwrap(), 0);
    assert_eq!(s.load_routing_state(b).await.unwrap().version, 0);
    let export = s
        .export_subject(b, &SubjectKey::Email(email.clone().unwrap()), at(10))
        .await
        .unwrap();
    assert!(export.leads.is_empty());

    // Every write from B on A's ids: not found, nothing changed.
    let nf = |r: Result<_, crm_store::StoreError>| {
        let e: crm_store::StoreError = r.map(|_: ()| ()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::StoreNotFound, "{e:?}");
    };
    nf(s.update_agent(b, &agent).await.map(|_| ()));
    nf(s.update_lead(b, &lead).await.map(|_| ()));
    nf(s.update_property(b, &prop).await.map(|_| ()));
    nf(s.update_deal(b, &deal).await.map(|_| ()));
    nf(s.update_visit(b, &visit).await.map(|_| ()));
    nf(s.add_activity(b, &fx::activity(lead.id, 6, "intrusa"))
        .await
        .map(|_| ()));
    nf(s.erase_lead(b, lead.id, at(10)).await.map(|_| ()));
    nf(
        s.insert_deal(b, &fx::deal(lead.id, prop.id, agent.id, agent.id, 1))
            .await
            .map(|_| ()),
    );
    nf(
        s.revoke_consent(b, lead.id, ConsentPurpose::Marketing, "b", at(10))
            .await
            .map(|_| ()),
    );
    let erased = s
        .erase_subject(b, &SubjectKey::Email(email.clone().unwrap()), "b", at(10))
        .await
        .unwrap();
    assert!(erased.leads.is_empty());
    // B's own portal lead with A's portal id is B's business, not a duplicate of A's.
    s.insert_lead(b, &fx::portal_lead("Cliente B", Portal::Zap, "Z-ISO", 0))
        .await
        .unwrap();
    // B may even use A's ids for its own records: they are different rows.
    let mut own = fx::agent("Corretor B", 0);
    own.id = agent.id;
    s.insert_agent(b, &own).await.unwrap();
    let mut copy = lead.clone();
    copy.source = crm_core::domain::LeadSource::Website;
    let b_import = s.import_leads(b, &[copy]).await.unwrap();
    assert_eq!(b_import.inserted, vec![0], "A's lead id is new in B");

    // A's book is exactly as it was.
    assert_eq!(s.get_agent(a, agent.id).await.unwrap().unwrap(), agent);
    assert_eq!(s.get_lead(a, lead.id).await.unwrap().unwrap(), lead);
    assert_eq!(s.get_property(a, prop.id).await.unwrap().unwrap(), prop);
    assert_eq!(s.get_deal(a, deal.id).await.unwrap().unwrap(), deal);
    assert_eq!(s.get_visit(a, visit.id).await.unwrap().unwrap(), visit);
    assert_eq!(s.list_activities(a, lead.id).await.unwrap(), vec![act]);
    assert_eq!(s.ledger_for_deal(a, deal.id).await.unwrap(), ledger);
    assert_eq!(
        s.find_audit(a, &AuditQuery::default()).await.unwrap().items,
        vec![{
            let mut e = event.clone();
            e.at = crm_store::prepare::micros(e.at);
            e
        }]
    );
    assert_eq!(s.counter(a, "open").await.unwrap(), 5);
    assert_eq!(
        s.find_lead_by_portal(a, &Portal::Zap, "Z-ISO")
            .await
            .unwrap()
            .unwrap()
            .id,
        lead.id
    );
    assert_eq!(
        s.find_leads(a, &LeadQuery::default()).await.unwrap().items,
        vec![lead]
    );
}
