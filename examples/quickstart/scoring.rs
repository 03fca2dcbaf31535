//! The quickstart's scoring section: the book of leads ranked by score, with the top reasons.

use chrono::{DateTime, Utc};
use realestate_crm::domain::{Activity, Lead, Property};
use realestate_crm::scoring::{LeadInput, LeadScore, Scorer, default_rules};

pub fn report(
    leads: &[Lead],
    activities: &[Activity],
    properties: &[Property],
    now: DateTime<Utc>,
) -> Result<(), String> {
    let rules = default_rules().map_err(|e| e.to_string())?;
    let scorer = Scorer::new(rules).map_err(|e| e.to_string())?;
    // Each lead's activities, and the listing it touched last as its property of interest.
    let per_lead: Vec<Vec<Activity>> = leads
        .iter()
        .map(|l| {
            activities
                .iter()
                .filter(|a| a.lead_id == l.id)
                .cloned()
                .collect()
        })
        .collect();
    let inputs: Vec<LeadInput<'_>> = leads
        .iter()
        .zip(&per_lead)
        .map(|(lead, acts)| {
            let property = acts
                .iter()
                .filter(|a| a.property_id.is_some())
                .max_by_key(|a| a.at)
                .and_then(|a| properties.iter().find(|p| Some(p.id) == a.property_id));
            LeadInput {
                lead,
                activities: acts,
                property,
            }
        })
        .collect();
    let mut scores: Vec<(LeadScore, &Lead)> = scorer
        .score_batch(&inputs, now)
        .into_iter()
        .zip(leads)
        .collect();
    scores.sort_by(|a, b| b.0.score.total_cmp(&a.0.score));
    println!(
        "\nleads ranked by score (rule set {}, as of {now})",
        scorer.rules().id
    );
    println!(
        "  {:<30} {:>6} {:>4} {:>5} {:>5}  top reasons",
        "lead", "score", "band", "fit", "eng"
    );
    for (s, lead) in scores {
        let reasons: Vec<String> = s
            .reasons
            .iter()
            .filter(|r| r.after_caps != 0.0)
            .take(3)
            .map(|r| format!("{} {:+}", r.rule, r.after_caps))
            .collect();
        println!(
            "  {:<30} {:>6.2} {:>4} {:>5.1} {:>5.1}  {}",
            lead.contact.name,
            s.score,
            s.band,
            s.fit,
            s.engagement,
            reasons.join(", ")
        );
    }
    Ok(())
}
