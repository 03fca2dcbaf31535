//! The commission ledger and the audit log: append-only, idempotent by id, in order.

use super::fixtures::{self as fx, at};
use crm_core::commission::{Account, EntryKind, LedgerEntry, Posting};
use crm_core::domain::{DealId, ParticipantRole};
use crm_core::{ErrorCode, Money};
use crm_store::{AuditEvent, AuditQuery, NewLedgerEntry, PageRequest, RecordKind, Store};
use rust_decimal::Decimal;

/// A balanced commission entry: the client owes `cents`, split 70/30 between two brokers.
pub fn entry(deal: DealId, cents: i64) -> LedgerEntry {
    let total = Money::brl(Decimal::new(cents, 2));
    let first = Money::brl(Decimal::new(cents * 7 / 10, 2));
    let second = Money::brl(Decimal::new(cents - cents * 7 / 10, 2));
    LedgerEntry {
        deal_id: deal,
        kind: EntryKind::Commission,
        plan_id: "padrao-2026".into(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 11, 18).unwrap(),
        memo: "Comissão de venda".into(),
        postings: vec![
            Posting {
                account: Account::Client,
                amount: total,
            },
            Posting {
                account: Account::Participant {
                    index: 1,
                    role: ParticipantRole::ListingBroker,
                    agent_id: Some(fx::id()),
                },
                amount: -first,
            },
            Posting {
                account: Account::Tax { tax: "IRRF".into() },
                amount: -second,
            },
        ],
    }
}

/// The sum of the client's postings over entries: what the ledger says clients owe.
pub fn client_total(entries: &[crm_store::StoredLedgerEntry]) -> Decimal {
    entries
        .iter()
        .flat_map(|e| e.entry.postings.iter())
        .filter(|p| p.account == Account::Client)
        .map(|p| p.amount.amount())
        .sum()
}

pub async fn append_only_and_idempotent(s: &dyn Store) {
    let t = fx::tenant();
    let deal_a: DealId = fx::id();
    let deal_b: DealId = fx::id();
    let e1 = NewLedgerEntry {
        id: uuid::Uuid::now_v7(),
        recorded_at: at(0),
        entry: entry(deal_a, 5_100_000),
    };
    let e2 = NewLedgerEntry {
        id: uuid::Uuid::now_v7(),
        recorded_at: at(1),
        entry: entry(deal_b, 1_234_567),
    };
    let stored = s.append_ledger(t, &[e1.clone(), e2.clone()]).await.unwrap();
    assert_eq!(stored.len(), 2);
    assert!(stored[0].seq < stored[1].seq);
    assert_eq!(stored[0].entry, e1.entry);
    assert_eq!(
        stored[0].recorded_at,
        crm_store::prepare::micros(e1.recorded_at)
    );

    // A retry of the same entry is a no-op returning what is stored.
    let again = s.append_ledger(t, &[e1.clone()]).await.unwrap();
    assert_eq!(again, vec![stored[0].clone()]);
    // The same id with another entry is refused; nothing of the batch is written.
    let e3 = NewLedgerEntry {
        id: uuid::Uuid::now_v7(),
        recorded_at: at(2),
        entry: entry(deal_a, 100),
    };
    let mut changed = e1.clone();
    changed.entry.memo = "outra coisa".into();
    let err = s
        .append_ledger(t, &[e3.clone(), changed])
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::StoreDuplicate);
    assert_eq!(
        s.ledger_for_deal(t, deal_a).await.unwrap().len(),
        1,
        "all or none"
    );

    // Unbalanced entries never enter.
    let mut unbalanced = e3.clone();
    unbalanced.entry.postings[0].amount = Money::brl(Decimal::new(101, 2));
    let err = s.append_ledger(t, &[unbalanced]).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::StoreLedgerUnbalanced);
    let mut mixed = e3.clone();
    mixed.entry.postings[1].amount = Money::new(Decimal::new(-70, 2), "USD".parse().unwrap());
    assert_eq!(
        s.append_ledger(t, &[mixed]).await.unwrap_err().code(),
        ErrorCode::StoreLedgerUnbalanced
    );

    let stored3 = s.append_ledger(t, &[e3.clone()]).await.unwrap();
    let for_a = s.ledger_for_deal(t, deal_a).await.unwrap();
    assert_eq!(
        for_a.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![e1.id, e3.id]
    );
    assert_eq!(client_total(&for_a), Decimal::new(5_100_100, 2));

    let page = s.ledger_page(t, None, 2).await.unwrap();
    assert_eq!(
        page.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![e1.id, e2.id]
    );
    let rest = s.ledger_page(t, Some(page[1].seq), 2).await.unwrap();
    assert_eq!(rest, stored3);
    assert_eq!(
        s.ledger_page(t, None, 0).await.unwrap_err().code(),
        ErrorCode::NumberRange
    );
}

pub async fn audit_log(s: &dyn Store) {
    let t = fx::tenant();
    let lead: uuid::Uuid = uuid::Uuid::now_v7();
    let ev = |minutes, actor: &str, action: &str, record| AuditEvent {
        id: uuid::Uuid::now_v7(),
        at: at(minutes),
        actor: actor.into(),
        action: action.into(),
        record_kind: RecordKind::Lead,
        record_id: record,
        detail: serde_json::json!({ "fields": ["stage"] }),
    };
    let e2 = ev(5, "agent:ana", "lead.update", lead);
    let e1 = ev(1, "portal:zap", "lead.create", lead);
    let other = ev(3, "agent:ana", "lead.update", uuid::Uuid::now_v7());
    for e in [&e2, &e1, &other] {
        s.append_audit(t, e).await.unwrap();
    }
    assert_eq!(
        s.append_audit(t, &e1).await.unwrap_err().code(),
        ErrorCode::StoreDuplicate
    );
    let trail = s
        .find_audit(
            t,
            &AuditQuery {
                record_id: Some(lead),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        trail.items.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![e1.id, e2.id],
        "by time"
    );
    assert_eq!(trail.items[0].detail, e1.detail);
    assert_eq!(trail.items[0].at, crm_store::prepare::micros(e1.at));
    let by_ana = s
        .find_audit(
            t,
            &AuditQuery {
                actor: Some("agent:ana".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        by_ana.items.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![other.id, e2.id]
    );
    let window = s
        .find_audit(
            t,
            &AuditQuery {
                from: Some(at(2)),
                to: Some(at(5)),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        window.items.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![other.id]
    );
    let first = s
        .find_audit(
            t,
            &AuditQuery {
                page: PageRequest::first(2),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(first.items.len(), 2);
    let next = AuditQuery {
        page: PageRequest {
            limit: Some(2),
            after: first.next,
        },
        ..Default::default()
    };
    assert_eq!(
        s.find_audit(t, &next)
            .await
            .unwrap()
            .items
            .iter()
            .map(|e| e.id)
            .collect::<Vec<_>>(),
        vec![e2.id]
    );
}
