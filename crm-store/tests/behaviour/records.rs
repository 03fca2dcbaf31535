//! Agents, properties, deals and visits: insert, get, versioned update, queries, references.

use super::fixtures::{self as fx, at};
use crm_core::ErrorCode;
use crm_core::domain::{
    AgentId, DealStatus, LeadId, ListingKind, PropertyId, PropertyStatus, VisitStatus,
};
use crm_store::{DealQuery, PageRequest, PropertyQuery, Store, StoreError, VisitQuery};

fn code<T: std::fmt::Debug>(r: Result<T, StoreError>) -> &'static str {
    r.expect_err("expected an error").code().as_str()
}

pub async fn agents(s: &dyn Store) {
    let t = fx::tenant();
    let mut a = fx::agent("  Mariana   Toledo ", 0);
    a.version = 7; // ignored on insert
    let stored = s.insert_agent(t, &a).await.unwrap();
    assert_eq!(stored.version, 1);
    assert_eq!(stored.name, "Mariana Toledo", "stored in normalised form");
    assert_eq!(stored.created_at, crm_store::prepare::micros(a.created_at));
    assert_eq!(s.get_agent(t, a.id).await.unwrap().as_ref(), Some(&stored));
    assert_eq!(code(s.insert_agent(t, &a).await), "store.duplicate");

    let mut changed = stored.clone();
    changed.team = Some("Zona Sul".into());
    let v2 = s.update_agent(t, &changed).await.unwrap();
    assert_eq!(v2.version, 2);
    assert_eq!(
        s.get_agent(t, a.id).await.unwrap().unwrap().team.as_deref(),
        Some("Zona Sul")
    );
    // The same stale copy again: conflict, nothing changed.
    let err = s.update_agent(t, &changed).await.unwrap_err();
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

    let mut missing = fx::agent("Ninguém", 1);
    missing.version = 1;
    assert_eq!(code(s.update_agent(t, &missing).await), "store.not_found");

    let mut bad = fx::agent("", 2);
    bad.email = "not-an-email".into();
    let err = s.insert_agent(t, &bad).await.unwrap_err();
    assert!(
        err.field_errors()
            .iter()
            .any(|e| e.path == "name" && e.code == ErrorCode::Required),
        "{err:?}"
    );
    assert!(
        err.field_errors().iter().any(|e| e.path == "email"),
        "{err:?}"
    );
    assert!(s.get_agent(t, bad.id).await.unwrap().is_none());

    let b = s
        .insert_agent(t, &fx::agent("Bruno Lima", -10))
        .await
        .unwrap();
    let listed = s.list_agents(t).await.unwrap();
    assert_eq!(
        listed.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![b.id, a.id],
        "ordered by created_at"
    );
    assert!(s.get_agent(t, fx::id::<AgentId>()).await.unwrap().is_none());
}

pub async fn properties(s: &dyn Store) {
    let t = fx::tenant();
    let broker = s.insert_agent(t, &fx::agent("Captadora", 0)).await.unwrap();
    let mut sp = fx::property("São Paulo", 0);
    sp.listing_broker = Some(broker.id);
    let sp = s.insert_property(t, &sp).await.unwrap();
    assert_eq!(sp.version, 1);
    assert_eq!(sp.address.cep, "04089011", "CEP normalised to digits");
    let rio = s
        .insert_property(t, &fx::property("Rio de Janeiro", 1))
        .await
        .unwrap();
    let mut rented = fx::property("sao paulo", 2);
    rented.listing = ListingKind::Rent;
    rented.sale_price = None;
    rented.rent = Some(crm_core::Money::brl(rust_decimal::Decimal::new(450_000, 2)));
    let rented = s.insert_property(t, &rented).await.unwrap();

    let q = |f: fn(&mut PropertyQuery)| {
        let mut q = PropertyQuery::default();
        f(&mut q);
        q
    };
    let ids = |p: crm_store::Page<crm_core::domain::Property>| {
        p.items.into_iter().map(|p| p.id).collect::<Vec<_>>()
    };
    let by_city = s
        .find_properties(t, &q(|q| q.city = Some("SAO PAULO".into())))
        .await
        .unwrap();
    assert_eq!(
        ids(by_city),
        vec![sp.id, rented.id],
        "city ignores case and accents"
    );
    let for_rent = s
        .find_properties(t, &q(|q| q.listing = Some(ListingKind::Rent)))
        .await
        .unwrap();
    assert_eq!(ids(for_rent), vec![rented.id]);
    let mine = s
        .find_properties(
            t,
            &q(|q| q.listing_broker = Some(AgentId::from_uuid(uuid::Uuid::nil()))),
        )
        .await
        .unwrap();
    assert!(mine.items.is_empty());
    let mut mq = PropertyQuery {
        listing_broker: Some(broker.id),
        ..Default::default()
    };
    assert_eq!(ids(s.find_properties(t, &mq).await.unwrap()), vec![sp.id]);
    mq.listing_broker = None;
    mq.status = Some(PropertyStatus::Sold);
    assert!(s.find_properties(t, &mq).await.unwrap().items.is_empty());

    let mut sold = rio.clone();
    sold.status = PropertyStatus::Sold;
    let sold = s.update_property(t, &sold).await.unwrap();
    assert_eq!(sold.version, 2);
    assert_eq!(ids(s.find_properties(t, &mq).await.unwrap()), vec![rio.id]);
    assert_eq!(code(s.update_property(t, &rio).await), "store.conflict");
    let mut bad = fx::property("São Paulo", 3);
    bad.sale_price = None;
    let err = s.insert_property(t, &bad).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::PropertyPriceMissing);
    assert!(s.get_property(t, bad.id).await.unwrap().is_none());
    assert!(
        s.get_property(t, fx::id::<PropertyId>())
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn deals(s: &dyn Store) {
    let t = fx::tenant();
    let listing = s.insert_agent(t, &fx::agent("Listing", 0)).await.unwrap();
    let selling = s.insert_agent(t, &fx::agent("Selling", 0)).await.unwrap();
    let other = s.insert_agent(t, &fx::agent("Other", 0)).await.unwrap();
    let lead = s.insert_lead(t, &fx::lead("Comprador", 0)).await.unwrap();
    let prop = s
        .insert_property(t, &fx::property("São Paulo", 0))
        .await
        .unwrap();

    // References must exist in this tenant.
    let orphan = fx::deal(fx::id::<LeadId>(), prop.id, listing.id, selling.id, 0);
    let err = s.insert_deal(t, &orphan).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::StoreNotFound);
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
    let orphan = fx::deal(lead.id, fx::id::<PropertyId>(), listing.id, selling.id, 0);
    assert_eq!(code(s.insert_deal(t, &orphan).await), "store.not_found");

    let d1 = s
        .insert_deal(t, &fx::deal(lead.id, prop.id, listing.id, selling.id, 1))
        .await
        .unwrap();
    assert_eq!(d1.version, 1);
    assert_eq!(code(s.insert_deal(t, &d1).await), "store.duplicate");
    let d2 = s
        .insert_deal(t, &fx::deal(lead.id, prop.id, other.id, selling.id, 2))
        .await
        .unwrap();
    assert_eq!(s.get_deal(t, d1.id).await.unwrap().as_ref(), Some(&d1));

    let find = |q: DealQuery| async move {
        s.find_deals(t, &q)
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|d| d.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        find(DealQuery {
            agent: Some(selling.id),
            ..Default::default()
        })
        .await,
        vec![d1.id, d2.id]
    );
    assert_eq!(
        find(DealQuery {
            agent: Some(other.id),
            ..Default::default()
        })
        .await,
        vec![d2.id]
    );
    assert_eq!(
        find(DealQuery {
            lead_id: Some(lead.id),
            ..Default::default()
        })
        .await,
        vec![d1.id, d2.id]
    );
    assert_eq!(
        find(DealQuery {
            created_from: Some(at(2)),
            ..Default::default()
        })
        .await,
        vec![d2.id]
    );
    assert_eq!(
        find(DealQuery {
            created_to: Some(at(2)),
            ..Default::default()
        })
        .await,
        vec![d1.id]
    );

    let mut accepted = d1.clone();
    accepted.status = DealStatus::Accepted;
    accepted.accepted_on = chrono::NaiveDate::from_ymd_opt(2026, 11, 3);
    let accepted = s.update_deal(t, &accepted).await.unwrap();
    assert_eq!(accepted.version, 2);
    assert_eq!(
        find(DealQuery {
            status: Some(DealStatus::Accepted),
            ..Default::default()
        })
        .await,
        vec![d1.id]
    );
    assert_eq!(
        find(DealQuery {
            status: Some(DealStatus::Accepted),
            agent: Some(other.id),
            ..Default::default()
        })
        .await,
        Vec::<crm_core::domain::DealId>::new()
    );
    let mut stale = d1.clone();
    stale.updated_at = at(9);
    assert_eq!(code(s.update_deal(t, &stale).await), "store.conflict");
    assert_eq!(
        s.get_deal(t, d1.id).await.unwrap().unwrap().status,
        DealStatus::Accepted
    );

    let two = s
        .find_deals(
            t,
            &DealQuery {
                page: PageRequest::first(1),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(two.items.len(), 1);
    let rest = s
        .find_deals(
            t,
            &DealQuery {
                page: PageRequest {
                    limit: Some(1),
                    after: two.next,
                },
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(rest.items[0].id, d2.id);
    assert!(rest.next.is_none());
}

pub async fn visits(s: &dyn Store) {
    let t = fx::tenant();
    let ag = s.insert_agent(t, &fx::agent("Corretor", 0)).await.unwrap();
    let ag2 = s.insert_agent(t, &fx::agent("Corretora", 0)).await.unwrap();
    let lead = s.insert_lead(t, &fx::lead("Visitante", 0)).await.unwrap();
    let prop = s
        .insert_property(t, &fx::property("São Paulo", 0))
        .await
        .unwrap();

    let orphan = fx::visit(lead.id, prop.id, fx::id::<AgentId>(), 60);
    assert_eq!(code(s.insert_visit(t, &orphan).await), "store.not_found");

    let mut v1 = fx::visit(lead.id, prop.id, ag.id, 120);
    v1.note = Some("Cliente prefere andar alto".into());
    let v1 = s.insert_visit(t, &v1).await.unwrap();
    assert_eq!(v1.version, 1);
    let v0 = s
        .insert_visit(t, &fx::visit(lead.id, prop.id, ag2.id, 60))
        .await
        .unwrap();
    assert_eq!(s.get_visit(t, v1.id).await.unwrap().as_ref(), Some(&v1));

    let mut bad = fx::visit(lead.id, prop.id, ag.id, 200);
    bad.ends_at = bad.starts_at - chrono::Duration::minutes(5);
    assert_eq!(code(s.insert_visit(t, &bad).await), "validation.date.order");

    let find = |q: VisitQuery| async move {
        s.find_visits(t, &q)
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|v| v.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        find(VisitQuery {
            lead_id: Some(lead.id),
            ..Default::default()
        })
        .await,
        vec![v0.id, v1.id],
        "by starts_at"
    );
    assert_eq!(
        find(VisitQuery {
            agent_id: Some(ag.id),
            ..Default::default()
        })
        .await,
        vec![v1.id]
    );
    assert_eq!(
        find(VisitQuery {
            starts_from: Some(at(61)),
            starts_to: Some(at(121)),
            ..Default::default()
        })
        .await,
        vec![v1.id]
    );

    let mut done = v1.clone();
    done.status = VisitStatus::Done;
    let done = s.update_visit(t, &done).await.unwrap();
    assert_eq!(done.version, 2);
    assert_eq!(
        find(VisitQuery {
            status: Some(VisitStatus::Done),
            ..Default::default()
        })
        .await,
        vec![v1.id]
    );
    assert_eq!(code(s.update_visit(t, &v1).await), "store.conflict");
}
