//! The quickstart's workflow section: move a few leads through the sales pipeline, run the
//! agency's automation rules on each change, and print the intents with their reasons.

use chrono::{DateTime, Utc};
use realestate_crm::Money;
use realestate_crm::domain::{Deal, Lead, Property};
use realestate_crm::workflow::{EvalContext, Event, Pipeline, RuleSet, TransitionContext};
use rust_decimal::Decimal;

pub fn report(
    leads: &[Lead],
    deals: &[Deal],
    properties: &[Property],
    rules_json: &str,
    now: DateTime<Utc>,
) -> Result<(), String> {
    let pipeline = Pipeline::default_sales().map_err(|e| e.to_string())?;
    let rules = RuleSet::from_json(rules_json).map_err(|e| format!("automation.json: {e}"))?;
    println!(
        "\npipeline {} ({} stages) and {} automation rules",
        pipeline.id,
        pipeline.stages.len(),
        rules.rules().len()
    );
    let property = properties.first().map(|p| p.id);
    // (lead, moves to make): Aline's proposal names no property or value, so its guards refuse it.
    let plans: [(usize, &[&str]); 3] = [
        (7, &["contacted", "visit_scheduled", "proposal"]),
        (6, &["visit_scheduled", "proposal"]),
        (9, &["lost"]),
    ];
    for (index, moves) in plans {
        let Some(mut lead) = leads.get(index).cloned() else {
            continue;
        };
        println!("  {} (stage {})", lead.contact.name, lead.stage);
        for to in moves {
            let mut ctx =
                TransitionContext::at(now).with_reason("sem retorno após três tentativas");
            if *to == "proposal" && index == 6 {
                if let Some(p) = property {
                    ctx = ctx.with_proposal(p, Money::brl(Decimal::new(2_150_000, 0)));
                }
            }
            match pipeline.transition_lead(&lead, to, &ctx) {
                Ok((after, transition)) => {
                    let event = Event::stage_changed(&lead, &after, now);
                    let evaluation = rules.evaluate(&event, &EvalContext::at(now));
                    let intents: Vec<String> = evaluation
                        .intents()
                        .map(|(rule, intent)| {
                            format!(
                                "{rule}: {}",
                                serde_json::to_string(intent).unwrap_or_default()
                            )
                        })
                        .collect();
                    println!(
                        "    {} → {} ({:?})",
                        transition.from, transition.to, transition.kind
                    );
                    for i in &intents {
                        println!("      intent {i}");
                    }
                    if intents.is_empty() {
                        let why: Vec<String> = evaluation
                            .trace
                            .iter()
                            .take(1)
                            .map(|t| format!("{}: {}", t.rule_id, t.why))
                            .collect();
                        println!("      no rule fired ({} …)", why.join("; "));
                    }
                    lead = after;
                }
                Err(e) => {
                    let problems: Vec<String> = e
                        .field_errors()
                        .iter()
                        .map(|f| format!("{} {}", f.path, f.message))
                        .collect();
                    println!(
                        "    {} → {to} refused [{}]: {}",
                        lead.stage,
                        e.code(),
                        problems.join("; ")
                    );
                }
            }
        }
    }
    deal_moves(deals, now)
}

/// The deals pipeline: sign the accepted sale, accept and sign the lease, and try a distrato
/// without a reason (refused by the guard).
fn deal_moves(deals: &[Deal], now: DateTime<Utc>) -> Result<(), String> {
    let pipeline = Pipeline::default_deals().map_err(|e| e.to_string())?;
    println!("  deals pipeline ({} stages)", pipeline.stages.len());
    let plans: [(usize, &[(&str, bool)]); 3] = [
        (2, &[("closed", true)]),
        (1, &[("accepted", false), ("closed", true)]),
        (0, &[("cancelled", false)]),
    ];
    for (index, moves) in plans {
        let Some(mut deal) = deals.get(index).cloned() else {
            continue;
        };
        for (to, accepted) in moves {
            let mut ctx = TransitionContext::at(now);
            if *accepted {
                ctx = ctx.with_proposal_accepted();
            }
            match pipeline.transition_deal(&deal, to, &ctx) {
                Ok((after, t)) => {
                    println!(
                        "    {:?} deal {}: {} → {} ({:?})",
                        deal.kind,
                        short(&deal),
                        t.from,
                        t.to,
                        t.kind
                    );
                    deal = after;
                }
                Err(e) => {
                    let problems: Vec<String> =
                        e.field_errors().iter().map(|f| f.message.clone()).collect();
                    println!(
                        "    {:?} deal {}: → {to} refused [{}]: {}",
                        deal.kind,
                        short(&deal),
                        e.code(),
                        problems.join("; ")
                    );
                }
            }
        }
    }
    Ok(())
}

fn short(d: &Deal) -> String {
    d.id.to_string().chars().take(8).collect()
}
