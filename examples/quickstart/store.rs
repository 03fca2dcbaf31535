//! The quickstart's storage section: keep the brokerage in a store — an SQLite file by default,
//! PostgreSQL when `DATABASE_URL` is set (build with `--features postgres`) — then query it,
//! show optimistic concurrency, book the commission ledger, and answer an LGPD request.

use chrono::{DateTime, Utc};
use realestate_crm::commission::LedgerEntry;
use realestate_crm::domain::{Activity, Agent, Deal, Lead, Property, TenantId, Visit};
use realestate_crm::store::privacy::{Privacy, SubjectKey};
use realestate_crm::store::{
    LeadQuery, NewLedgerEntry, PageRequest, Store, StoreError, StoreOptions,
};
use std::path::PathBuf;
use std::sync::Arc;

/// What the store section needs from the rest of the quickstart.
pub struct Book<'a> {
    pub agents: &'a [Agent],
    pub properties: &'a [Property],
    pub leads: &'a [Lead],
    pub activities: &'a [Activity],
    pub deals: &'a [Deal],
    pub visits: &'a [Visit],
    pub ledger: Vec<LedgerEntry>,
    pub now: DateTime<Utc>,
}

/// Where the store lives: `DATABASE_URL` if set, else an SQLite file in the temp directory
/// (or `CRM_SQLITE_PATH`).
fn store_url() -> (String, String) {
    if let Some(url) = std::env::var("DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
    {
        let shown = url.split('@').next_back().unwrap_or(&url).to_owned();
        return (
            url,
            format!("PostgreSQL at {shown}, schema {}", pg_schema()),
        );
    }
    let path = std::env::var_os("CRM_SQLITE_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("realestate-crm-quickstart.db"));
    (
        format!("sqlite://{}", path.display()),
        format!("SQLite file {}", path.display()),
    )
}

/// The PostgreSQL schema the quickstart keeps its tables in (`CRM_PG_SCHEMA`).
fn pg_schema() -> String {
    std::env::var("CRM_PG_SCHEMA")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "crm_quickstart".to_owned())
}

fn err(what: &str) -> impl Fn(StoreError) -> String + '_ {
    move |e| format!("{what}: {e} [{}]", e.code())
}

pub fn report(book: Book<'_>) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(run(book))
}

async fn run(book: Book<'_>) -> Result<(), String> {
    let (url, shown) = store_url();
    let options = StoreOptions {
        schema: Some(pg_schema()),
        ..StoreOptions::default()
    };
    let store: Arc<dyn Store> = realestate_crm::store::open(&url, &options)
        .await
        .map_err(err("opening the store"))?;
    // Each run books the brokerage as a new tenant, so runs never collide.
    let tenant = TenantId::from_uuid(uuid::Uuid::now_v7());
    println!("\nstore: {shown} ({}), tenant {tenant}", store.backend());

    // Only what validates goes in; the store validates again and would refuse the rest.
    let mut counts = [0usize; 6];
    for a in book.agents.iter().filter(|a| a.validate().is_ok()) {
        store.insert_agent(tenant, a).await.map_err(err("agent"))?;
        counts[0] += 1;
    }
    for p in book.properties.iter().filter(|p| p.validate().is_ok()) {
        store
            .insert_property(tenant, p)
            .await
            .map_err(err("property"))?;
        counts[1] += 1;
    }
    let leads: Vec<Lead> = book
        .leads
        .iter()
        .filter(|l| l.validate().is_ok())
        .cloned()
        .collect();
    let import = store
        .import_leads(tenant, &leads)
        .await
        .map_err(err("lead import"))?;
    counts[2] = import.inserted_count();
    let again = store
        .import_leads(tenant, &leads)
        .await
        .map_err(err("lead import"))?;
    let mut skipped = Vec::new();
    for a in book.activities.iter().filter(|a| a.validate().is_ok()) {
        match store.add_activity(tenant, a).await {
            Ok(_) => counts[3] += 1,
            Err(e) => skipped.push(format!("activity {}: {} ({e})", a.id, e.code())),
        }
    }
    let mut deals = Vec::new();
    for d in book.deals.iter().filter(|d| d.validate().is_ok()) {
        match store.insert_deal(tenant, d).await {
            Ok(stored) => deals.push(stored),
            Err(e) => skipped.push(format!("deal {}: {} ({e})", d.id, e.code())),
        }
    }
    counts[4] = deals.len();
    for v in book.visits.iter().filter(|v| v.validate().is_ok()) {
        match store.insert_visit(tenant, v).await {
            Ok(_) => counts[5] += 1,
            Err(e) => skipped.push(format!("visit {}: {} ({e})", v.id, e.code())),
        }
    }
    println!(
        "  stored {} agents, {} properties, {} leads, {} activities, {} deals, {} visits",
        counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]
    );
    println!(
        "  the same lead import again: {} new, {} already stored (portal deliveries are idempotent)",
        again.inserted_count(),
        again.existing.len()
    );
    for s in &skipped {
        println!("  not stored: {s}");
    }

    // Queries a CRM runs all day.
    let page = store
        .find_leads(
            tenant,
            &LeadQuery {
                page: PageRequest::first(3),
                ..Default::default()
            },
        )
        .await
        .map_err(err("lead list"))?;
    println!(
        "  first page of leads (3 per page, next cursor {}):",
        page.next.map_or("-".to_owned(), |c| c.to_string())
    );
    for l in &page.items {
        println!(
            "    {:<28} stage {:<12} created {}",
            l.contact.name,
            l.stage,
            l.created_at.format("%Y-%m-%d")
        );
    }
    if let Some(lead) = leads.iter().find(|l| l.contact.phone.is_some()) {
        let typed = lead.contact.phone.clone().unwrap_or_default();
        let found = store
            .find_leads(
                tenant,
                &LeadQuery {
                    phone: Some(typed.clone()),
                    ..Default::default()
                },
            )
            .await
            .map_err(err("phone search"))?;
        println!(
            "  phone {typed:?} finds {:?}",
            found
                .items
                .iter()
                .map(|l| l.contact.name.as_str())
                .collect::<Vec<_>>()
        );
    }

    // Two people edit the same deal: the second save is refused, nothing is lost.
    if let Some(deal) = deals.first() {
        let (mut mine, mut theirs) = (deal.clone(), deal.clone());
        mine.updated_at = book.now;
        theirs.updated_at = book.now;
        store
            .update_deal(tenant, &mine)
            .await
            .map_err(err("deal update"))?;
        match store.update_deal(tenant, &theirs).await {
            Err(e) => println!(
                "  a second edit of deal {} from a stale copy: {} (reload and retry)",
                deal.id,
                e.code()
            ),
            Ok(_) => return Err("a stale update was accepted".to_owned()),
        }
    }

    // The commission ledger: append-only, and a retry books nothing twice.
    let entries: Vec<NewLedgerEntry> = book
        .ledger
        .iter()
        .filter(|e| deals.iter().any(|d| d.id == e.deal_id))
        .map(|e| NewLedgerEntry {
            id: uuid::Uuid::now_v7(),
            recorded_at: book.now,
            entry: e.clone(),
        })
        .collect();
    store
        .append_ledger(tenant, &entries)
        .await
        .map_err(err("ledger"))?;
    store
        .append_ledger(tenant, &entries)
        .await
        .map_err(err("ledger retry"))?;
    let ledger = store
        .ledger_page(tenant, None, 1000)
        .await
        .map_err(err("ledger"))?;
    let owed = client_total(&ledger);
    println!(
        "  ledger: {} entries after a retried append; clients owe {}",
        ledger.len(),
        owed.to_brl_string()
    );

    // Routing cursors shared by every instance of the service.
    let turns: Vec<u64> = futures_turns(store.as_ref(), tenant).await?;
    println!("  round-robin cursor for team zona_sul hands out {turns:?}");

    // LGPD: a data subject asks for their data, then for erasure.
    if let Some(subject) = leads.iter().find_map(|l| l.contact.email.clone()) {
        let key = SubjectKey::Email(subject.clone());
        let export = store
            .export_subject(tenant, &key, book.now)
            .await
            .map_err(err("LGPD export"))?;
        let json = serde_json::to_string(&export).map_err(|e| e.to_string())?;
        println!(
            "  LGPD export for {subject}: {} lead(s), {} activities, {} visits, {} deals ({} bytes of JSON)",
            export.leads.len(),
            export.activities.len(),
            export.visits.len(),
            export.deals.len(),
            json.len()
        );
        let erased = store
            .erase_subject(tenant, &key, "dpo@quickstart", book.now)
            .await
            .map_err(err("LGPD erasure"))?;
        let left = store
            .find_leads(
                tenant,
                &LeadQuery {
                    email: Some(subject.clone()),
                    ..Default::default()
                },
            )
            .await
            .map_err(err("search"))?;
        let after = client_total(
            &store
                .ledger_page(tenant, None, 1000)
                .await
                .map_err(err("ledger"))?,
        );
        println!(
            "  erased {} lead(s); searching {subject} now finds {}; ledger still says clients owe {}",
            erased.leads.len(),
            left.items.len(),
            after.to_brl_string()
        );
    }
    Ok(())
}

async fn futures_turns(store: &dyn Store, tenant: TenantId) -> Result<Vec<u64>, String> {
    let mut turns = Vec::new();
    for _ in 0..4 {
        turns.push(
            store
                .next_cursor(tenant, "team:zona_sul")
                .await
                .map_err(err("cursor"))?,
        );
    }
    Ok(turns)
}

fn client_total(entries: &[realestate_crm::store::StoredLedgerEntry]) -> realestate_crm::Money {
    use realestate_crm::commission::Account;
    let amounts = entries
        .iter()
        .flat_map(|e| e.entry.postings.iter())
        .filter(|p| p.account == Account::Client)
        .map(|p| p.amount);
    realestate_crm::Money::sum(realestate_crm::Currency::BRL, amounts)
        .unwrap_or_else(|_| realestate_crm::Money::brl(rust_decimal::Decimal::ZERO))
}
