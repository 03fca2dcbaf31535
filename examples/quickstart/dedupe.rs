//! The quickstart's duplicate check: today's incoming leads against the book, as portal
//! deliveries are ingested, then the duplicate pairs in the whole book with their evidence and
//! a merge plan.

use realestate_crm::dedupe::{
    DedupeConfig, MergeReason, find_duplicates, find_existing, merge_plan,
};
use realestate_crm::domain::Lead;

pub fn report(book: &[Lead], incoming: &[Lead]) -> Result<(), String> {
    let config = DedupeConfig::default();
    println!("\nincoming leads (idempotent ingestion: the same portal lead twice is one lead)");
    for lead in incoming {
        match find_existing(lead, book, &config) {
            Some(m) => {
                let existing = book.get(m.index).map_or("?", |l| l.contact.name.as_str());
                println!(
                    "  {:<28} → existing lead {existing} (by {:?}, score {:.1})",
                    lead.contact.name, m.by, m.score.score
                );
            }
            None => println!("  {:<28} → new lead", lead.contact.name),
        }
    }

    let all: Vec<Lead> = book.iter().chain(incoming).cloned().collect();
    let pairs = find_duplicates(&all, &config);
    println!(
        "\nduplicates in the book with today's leads ({} pairs)",
        pairs.len()
    );
    for p in &pairs {
        let name = |i: usize| all.get(i).map_or("?", |l| l.contact.name.as_str());
        let evidence: Vec<String> = p
            .evidence
            .iter()
            .filter(|e| e.weight != 0.0)
            .map(|e| format!("{:?} {:?} {:+.1}", e.field, e.outcome, e.weight).to_lowercase())
            .collect();
        println!(
            "  {:?} {:>5.1}  {} ~ {}  [{}]",
            p.decision,
            p.score,
            name(p.a),
            name(p.b),
            evidence.join(", ")
        );
    }
    if let Some(p) = pairs.first() {
        if let (Some(a), Some(b)) = (all.get(p.a), all.get(p.b)) {
            let plan = merge_plan(a, b);
            let survivor = if plan.survivor == a.id { a } else { b };
            println!(
                "  merge plan for the first pair: keep {} ({:?})",
                survivor.contact.name, plan.survivor_reason
            );
            let kept = plan
                .fields
                .iter()
                .filter(|f| f.reason == MergeReason::SurvivorValue)
                .count();
            println!("    {kept} fields kept as the survivor has them; the others:");
            for f in plan
                .fields
                .iter()
                .filter(|f| f.reason != MergeReason::SurvivorValue)
            {
                println!(
                    "    {:<22} {:<40} {:?}",
                    f.field,
                    f.value.to_string(),
                    f.reason
                );
            }
        }
    }
    Ok(())
}
