//! The main job: load a small brokerage (agents, properties, leads, activities, deals and
//! visits as JSON under `examples/data/`), validate every record, and print a report of what
//! is wrong and of what would be stored.
//!
//! ```text
//! cargo run --example quickstart                 # the bundled brokerage
//! cargo run --example quickstart -- path/to/dir  # your own files, same layout
//! ```

use chrono::TimeZone;
use realestate_crm::commission::WithholdingTable;
use realestate_crm::domain::{
    Activity, Agent, BatchReport, Deal, Lead, ListingKind, Property, Validate, Visit, from_json,
    validate_batch,
};
use realestate_crm::{Cnpj, Creci, Money};
use serde::Deserialize;

mod commissions;
mod dedupe;
mod pricing;
mod routing;
mod scoring;
mod store;
mod workflow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `brokerage.json`: who the data belongs to.
#[derive(Deserialize)]
struct Brokerage {
    name: String,
    cnpj: String,
    creci: String,
    city: String,
    uf: String,
}

fn main() -> ExitCode {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data"));
    match run(&dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("quickstart: {message}");
            ExitCode::FAILURE
        }
    }
}

fn load<T: serde::de::DeserializeOwned>(dir: &Path, file: &str) -> Result<T, String> {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    from_json(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn run(dir: &Path) -> Result<(), String> {
    let brokerage: Brokerage = load(dir, "brokerage.json")?;
    let agents: Vec<Agent> = load(dir, "agents.json")?;
    let properties: Vec<Property> = load(dir, "properties.json")?;
    let leads: Vec<Lead> = load(dir, "leads.json")?;
    let activities: Vec<Activity> = load(dir, "activities.json")?;
    let deals: Vec<Deal> = load(dir, "deals.json")?;
    let visits: Vec<Visit> = load(dir, "visits.json")?;

    let cnpj = Cnpj::parse(&brokerage.cnpj).map_err(|e| format!("brokerage.cnpj: {e}"))?;
    let creci = Creci::parse(&brokerage.creci).map_err(|e| format!("brokerage.creci: {e}"))?;
    println!("realestate-crm quickstart: {}", brokerage.name);
    println!(
        "CNPJ {cnpj} · {creci} · {} ({})",
        brokerage.city, brokerage.uf
    );
    println!("data: {}\n", dir.display());

    println!(
        "{:<12} {:>7} {:>7} {:>9}",
        "records", "checked", "valid", "problems"
    );
    let mut flawed = 0;
    flawed += section("agents", &agents, |a| a.name.clone());
    flawed += section("properties", &properties, |p| {
        format!(
            "{} ({})",
            p.reference.clone().unwrap_or_else(|| p.id.to_string()),
            p.address.neighbourhood
        )
    });
    flawed += section("leads", &leads, |l| l.contact.name.clone());
    flawed += section("activities", &activities, |a| {
        format!("{:?} at {}", a.kind, a.at)
    });
    flawed += section("deals", &deals, |d| d.id.to_string());
    flawed += section("visits", &visits, |v| v.id.to_string());
    print_problems();

    println!("\nleads ready to store (canonical contact data)");
    for lead in leads.iter().filter_map(|l| l.normalized().ok()) {
        let c = &lead.contact;
        println!(
            "  {:<28} {:<16} {:<34} {}",
            c.name,
            c.phone.as_deref().unwrap_or("-"),
            c.email.as_deref().unwrap_or("-"),
            c.document.as_deref().unwrap_or("-"),
        );
    }

    let now = chrono::Utc
        .with_ymd_and_hms(2026, 11, 26, 12, 0, 0)
        .single()
        .ok_or("bad date")?;
    scoring::report(&leads, &activities, &properties, now)?;
    let rules_path = dir.join("automation.json");
    let rules_json = std::fs::read_to_string(&rules_path)
        .map_err(|e| format!("cannot read {}: {e}", rules_path.display()))?;
    let routing_path = dir.join("routing.json");
    let routing_json = std::fs::read_to_string(&routing_path)
        .map_err(|e| format!("cannot read {}: {e}", routing_path.display()))?;
    routing::report(&leads, &agents, &routing_json, now)?;
    workflow::report(&leads, &deals, &properties, &rules_json, now)?;
    let incoming: Vec<Lead> = load(dir, "incoming.json")?;
    dedupe::report(&leads, &incoming)?;
    portfolio(&properties);
    let plans: commissions::Plans = load(dir, "plans.json")?;
    let taxes: WithholdingTable = load(dir, "withholding.json")?;
    let ledger = commissions::report(&plans, taxes, &deals, &properties, &agents)?;
    let assumptions: pricing::Assumptions = load(dir, "pricing.json")?;
    pricing::report(&assumptions)?;
    store::report(store::Book {
        agents: &agents,
        properties: &properties,
        leads: &leads,
        activities: &activities,
        deals: &deals,
        visits: &visits,
        ledger,
        now,
    })?;
    println!("\n{flawed} record(s) need fixing before import; everything else is valid.");
    Ok(())
}

thread_local! {
    static PROBLEMS: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Prints one summary line and keeps the problems for [`print_problems`].
fn section<T: Validate>(name: &str, records: &[T], label: impl Fn(&T) -> String) -> usize {
    let report: BatchReport = validate_batch(records);
    println!(
        "{name:<12} {:>7} {:>7} {:>9}",
        report.checked,
        report.valid(),
        report.problem_count()
    );
    PROBLEMS.with_borrow_mut(|out| {
        for bad in &report.invalid {
            let who = records.get(bad.index).map(&label).unwrap_or_default();
            out.push(format!("{name}[{}] {who}", bad.index));
            for e in bad.errors.errors() {
                out.push(format!(
                    "    {:<20} {:<36} {}",
                    e.path,
                    e.code.as_str(),
                    e.message
                ));
            }
        }
    });
    report.invalid.len()
}

fn print_problems() {
    PROBLEMS.with_borrow(|lines| {
        if lines.is_empty() {
            println!("\nno problems found");
        } else {
            println!("\nproblems (path, code, message)");
            for line in lines {
                println!("  {line}");
            }
        }
    });
}

/// Asking prices per m² of the listings for sale.
fn portfolio(properties: &[Property]) {
    println!("\nlistings for sale, price per m² of private area");
    let mut rows: Vec<(&Property, Money)> = properties
        .iter()
        .filter(|p| p.listing.for_sale())
        .filter_map(|p| p.sale_price_per_m2().map(|m| (p, m)))
        .collect();
    rows.sort_by_key(|(_, m)| std::cmp::Reverse(m.amount()));
    for (p, per_m2) in rows {
        let price = p.sale_price.map(|m| m.to_brl_string()).unwrap_or_default();
        println!(
            "  {:<16} {:<22} {:>18} {:>14}/m²",
            p.address.neighbourhood,
            format!("{:?}", p.property_type),
            price,
            per_m2.to_brl_string()
        );
    }
    let rent = properties
        .iter()
        .filter(|p| p.listing.for_rent() && p.listing != ListingKind::Sale)
        .count();
    println!("  ({rent} listing(s) for rent)");
}
