//! The quickstart's commission section: close the bundled deals under the agency's plans and
//! print each statement, a lease's first administration months, and a clawback.

use chrono::NaiveDate;
use realestate_crm::commission::{
    CommissionEngine, CommissionPlan, CommissionStatement, Explanation, LedgerEntry, RentReceipt,
    StatementContext, StatementLine, WithholdingTable,
};
use realestate_crm::domain::{Agent, Deal, DealKind, DealStatus, Participant, Property};
use realestate_crm::{Currency, Money};
use serde::Deserialize;

/// `plans.json`: the agency's sale and lease plans.
#[derive(Deserialize)]
pub struct Plans {
    sale: CommissionPlan,
    lease: CommissionPlan,
}

fn date(y: i32, m: u32, d: u32) -> Result<NaiveDate, String> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("bad date {y}-{m}-{d}"))
}

pub fn report(
    plans: &Plans,
    taxes: WithholdingTable,
    deals: &[Deal],
    properties: &[Property],
    agents: &[Agent],
) -> Result<Vec<LedgerEntry>, String> {
    let mut booked = Vec::new();
    let problems =
        |e: realestate_crm::ValidationErrors| format!("plans.json / withholding.json: {e}");
    let sale = CommissionEngine::new(plans.sale.clone(), taxes.clone()).map_err(problems)?;
    let lease = CommissionEngine::new(plans.lease.clone(), taxes).map_err(problems)?;
    let today = date(2026, 11, 26)?;
    println!(
        "\ncommissions (plans {} and {}; statements as of {today})",
        sale.plan().id,
        lease.plan().id
    );

    for deal in deals {
        // Close what is still open today, as the brokerage would on signing.
        let mut deal = deal.clone();
        if deal.closed_on.is_none() {
            deal.status = DealStatus::Closed;
            deal.closed_on = Some(today);
        }
        let place = properties
            .iter()
            .find(|p| p.id == deal.property_id)
            .map_or("?", |p| p.address.neighbourhood.as_str());
        let engine = if deal.kind == DealKind::Sale {
            &sale
        } else {
            &lease
        };
        let s = engine
            .statement(&deal, &StatementContext::on(today))
            .map_err(|e| format!("deal {}: {e} [{}]", deal.id, e.code()))?;
        let what = if deal.kind == DealKind::Sale {
            "sale"
        } else {
            "lease placement"
        };
        println!(
            "\n  {what} in {place}, closed {}: value {} → pool {}",
            s.date,
            s.base.to_brl_string(),
            s.pool.to_brl_string()
        );
        println!("    pool: {}", pool_story(&s));
        print_lines(&s.lines, &deal.participants, agents);
        let entry = s.ledger_entry();
        println!(
            "    ledger: {} postings, balanced: {}",
            entry.postings.len(),
            entry.is_balanced()
        );
        booked.push(entry);

        if deal.kind == DealKind::Lease {
            // The tenant moves in on the signing day: a partial first month, then a full one.
            let first = RentReceipt {
                period_start: today,
                period_end: date(2026, 11, 30)?,
                received: None,
            };
            let second = RentReceipt {
                period_start: date(2026, 12, 1)?,
                period_end: date(2026, 12, 31)?,
                received: None,
            };
            for receipt in [first, second] {
                let a = lease
                    .administration(&deal, &receipt)
                    .map_err(|e| e.to_string())?;
                println!(
                    "    administration {}..{} ({}/{} days): rent {} · {} = fee {}; landlord receives {}",
                    a.period_start,
                    a.period_end,
                    a.days,
                    a.days_in_month,
                    a.rent_received.to_brl_string(),
                    format_fraction(a.rate),
                    a.fee.to_brl_string(),
                    a.landlord_net.to_brl_string()
                );
            }
        }
        if deal
            .participants
            .iter()
            .any(|p| p.role == realestate_crm::domain::ParticipantRole::PartnerAgency)
        {
            // The co-brokered sale falls through 33 days later (distrato).
            let cancelled = date(2026, 12, 29)?;
            let r = engine
                .clawback(&s, cancelled, None)
                .map_err(|e| e.to_string())?;
            println!(
                "    cancelled {cancelled}, {} days after closing: {} of the commission comes back ({})",
                r.days_elapsed,
                format_fraction(r.fraction),
                r.total_gross.to_brl_string()
            );
            for l in &r.lines {
                let p = deal.participants.get(l.participant);
                println!(
                    "      {:<58} gives back {:>15}",
                    p.map(|p| who(p, agents)).unwrap_or_default(),
                    (-l.net).to_brl_string()
                );
            }
        }
    }
    Ok(booked)
}

fn print_lines(lines: &[StatementLine], participants: &[Participant], agents: &[Agent]) {
    println!(
        "    {:<58} {:>15} {:>24} {:>15}",
        "participant", "gross", "withheld", "net"
    );
    for l in lines {
        let p = participants.get(l.participant);
        let withheld: Vec<String> = l
            .withholdings
            .iter()
            .map(|w| format!("{} {}", w.tax, w.amount.to_brl_string()))
            .collect();
        let withheld = if withheld.is_empty() {
            "-".to_owned()
        } else {
            withheld.join(", ")
        };
        let notes: Vec<&str> = l.trail.iter().filter_map(note).collect();
        println!(
            "    {:<58} {:>15} {:>24} {:>15}{}",
            p.map(|p| who(p, agents)).unwrap_or_default(),
            l.gross.to_brl_string(),
            withheld,
            l.net.to_brl_string(),
            if notes.is_empty() {
                String::new()
            } else {
                format!("  ({})", notes.join(", "))
            }
        );
    }
    let c = lines.first().map_or(Currency::BRL, |l| l.gross.currency());
    let sum = |f: fn(&StatementLine) -> Money| {
        Money::sum(c, lines.iter().map(f))
            .map(|m| m.to_brl_string())
            .unwrap_or_default()
    };
    println!(
        "    {:<58} {:>15} {:>24} {:>15}",
        "total",
        sum(|l| l.gross),
        "",
        sum(|l| l.net)
    );
}

/// The notable steps of a line's trail, in a few words.
fn note(e: &Explanation) -> Option<&'static str> {
    match e {
        Explanation::TopShare { .. } => Some("off the top"),
        Explanation::VacantShareReceived { .. } => Some("took a vacant share"),
        Explanation::Accelerated { .. } => Some("accelerated"),
        Explanation::Capped { .. } => Some("capped"),
        Explanation::RaisedToMinimum { .. } => Some("raised to minimum"),
        Explanation::LimitsSettled { .. } => Some("settled limits"),
        Explanation::EqualShare { .. } => Some("equal share, art. 728"),
        _ => None,
    }
}

/// How the pool was reached, in one line.
fn pool_story(s: &CommissionStatement) -> String {
    let parts: Vec<String> = s
        .pool_trail
        .iter()
        .filter_map(|e| match e {
            Explanation::PoolPercentage { rate, base } => Some(format!(
                "{} × {}",
                base.to_brl_string(),
                format_fraction(*rate)
            )),
            Explanation::PoolMarginalSlice {
                tier, slice, rate, ..
            } => Some(format!(
                "tier {tier}: {} × {}",
                Money::brl(*slice).to_brl_string(),
                format_fraction(*rate)
            )),
            Explanation::PoolFlatTier { tier, rate, .. } => {
                Some(format!("flat tier {tier} at {}", format_fraction(*rate)))
            }
            Explanation::PoolFirstRent { rent, share } => Some(format!(
                "first rent {} × {}",
                rent.to_brl_string(),
                format_fraction(*share)
            )),
            Explanation::PoolFixed { amount } => Some(format!("fixed {}", amount.to_brl_string())),
            Explanation::TopShareSkipped { role, .. } => Some(format!("no {role:?} in the deal")),
            Explanation::Remainder { amount } => {
                Some(format!("remainder {}", amount.to_brl_string()))
            }
            _ => None,
        })
        .collect();
    parts.join("; ")
}

fn format_fraction(f: rust_decimal::Decimal) -> String {
    let pct = (f * rust_decimal::Decimal::ONE_HUNDRED)
        .round_dp(2)
        .normalize();
    format!("{pct}%")
}

/// "selling broker: Fernanda Ribeiro": the role and whoever holds it.
pub fn who(p: &Participant, agents: &[Agent]) -> String {
    let role = serde_json::to_value(p.role)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
        .unwrap_or_default();
    let agent = p
        .agent_id
        .and_then(|id| agents.iter().find(|a| a.id == id))
        .map(|a| a.name.as_str());
    match (agent, p.name.as_deref()) {
        (Some(name), _) | (None, Some(name)) => format!("{role}: {name}"),
        (None, None) => role,
    }
}
