//! Inside routing: matching teams to a lead, checking who is available, choosing a team by
//! capacity and members by the team's method.

use super::policy::{MatchCriterion, Member, Method, RoutingPolicy, Team};
use super::prng::SplitMix64;
use super::status::AgentStatus;
use super::{Reason, SkipWhy, TerritoryLevel};
use crate::domain::{AgentId, Lead, Property, PropertyId};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A name folded for comparison: no accents, lower case, single spaces.
pub(super) fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut push_word = |word: &str| {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii() {
            out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            let stripped: String = word.nfd().filter(|c| !is_combining_mark(*c)).collect();
            out.push_str(&stripped.to_lowercase());
        }
    };
    name.split_whitespace().for_each(&mut push_word);
    out
}

/// The primary language subtag, lower case (`pt-BR` → `pt`).
pub(super) fn primary_language(tag: &str) -> String {
    tag.trim()
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// What routing knows about the lead, folded once.
pub(super) struct Facts {
    cities: Vec<(String, String)>,
    neighbourhoods: Vec<(String, String)>,
    listing: Option<PropertyId>,
    pub(super) language: Option<String>,
}

impl Facts {
    pub(super) fn new(lead: &Lead, property: Option<&Property>, language: Option<&str>) -> Facts {
        let pair = |s: &String| (fold(s), s.clone());
        let (cities, neighbourhoods) = match property {
            Some(p) => (
                vec![pair(&p.address.city)],
                vec![pair(&p.address.neighbourhood)],
            ),
            None => (
                lead.wanted_cities.iter().map(pair).collect(),
                lead.wanted_neighbourhoods.iter().map(pair).collect(),
            ),
        };
        let keep = |v: Vec<(String, String)>| -> Vec<(String, String)> {
            v.into_iter().filter(|(f, _)| !f.is_empty()).collect()
        };
        Facts {
            cities: keep(cities),
            neighbourhoods: keep(neighbourhoods),
            listing: property.map(|p| p.id),
            language: language.map(primary_language).filter(|l| !l.is_empty()),
        }
    }
}

fn find<'a>(names: &[String], facts: &'a [(String, String)]) -> Option<&'a str> {
    facts
        .iter()
        .find(|(f, _)| names.iter().any(|n| fold(n) == *f))
        .map(|(_, original)| original.as_str())
}

/// Teams matching one criterion, each with the reason; territory prefers neighbourhood matches
/// over city-only ones.
pub(super) fn matching(
    policy: &RoutingPolicy,
    criterion: MatchCriterion,
    facts: &Facts,
) -> Vec<(usize, Reason)> {
    let mut out = Vec::new();
    match criterion {
        MatchCriterion::Territory => {
            for (i, t) in policy.teams.iter().enumerate() {
                let tr = &t.territories;
                let city_ok = tr.cities.is_empty()
                    || facts.cities.is_empty()
                    || find(&tr.cities, &facts.cities).is_some();
                if let Some(n) = find(&tr.neighbourhoods, &facts.neighbourhoods) {
                    if city_ok {
                        out.push((i, territory(t, TerritoryLevel::Neighbourhood, n)));
                    }
                }
            }
            if out.is_empty() {
                for (i, t) in policy.teams.iter().enumerate() {
                    let tr = &t.territories;
                    if tr.neighbourhoods.is_empty() {
                        if let Some(c) = find(&tr.cities, &facts.cities) {
                            out.push((i, territory(t, TerritoryLevel::City, c)));
                        }
                    }
                }
            }
        }
        MatchCriterion::Language => {
            if let Some(lang) = &facts.language {
                for (i, t) in policy.teams.iter().enumerate() {
                    if t.territories
                        .languages
                        .iter()
                        .any(|l| primary_language(l) == *lang)
                    {
                        out.push((
                            i,
                            Reason::MatchedLanguage {
                                team: t.id.clone(),
                                language: lang.clone(),
                            },
                        ));
                    }
                }
            }
        }
        MatchCriterion::Listing => {
            if let Some(pid) = facts.listing {
                for (i, t) in policy.teams.iter().enumerate() {
                    if t.territories.listing_ids.contains(&pid) {
                        out.push((
                            i,
                            Reason::MatchedListing {
                                team: t.id.clone(),
                                property_id: pid,
                            },
                        ));
                    }
                }
            }
        }
    }
    out
}

/// Teams with no territory, language or listing at all: they take any lead no criterion
/// placed, before the fallback team.
pub(super) fn catch_all(policy: &RoutingPolicy) -> Vec<(usize, Reason)> {
    policy
        .teams
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            let tr = &t.territories;
            tr.cities.is_empty()
                && tr.neighbourhoods.is_empty()
                && tr.listing_ids.is_empty()
                && tr.languages.is_empty()
        })
        .map(|(i, t)| (i, Reason::CatchAllTeam { team: t.id.clone() }))
        .collect()
}

fn territory(t: &Team, level: TerritoryLevel, value: &str) -> Reason {
    Reason::MatchedTerritory {
        team: t.id.clone(),
        level,
        value: value.to_owned(),
    }
}

/// Who may take a lead now.
pub(super) struct Availability<'a> {
    pub(super) statuses: BTreeMap<AgentId, &'a AgentStatus>,
    pub(super) now: DateTime<Utc>,
    pub(super) language: Option<String>,
}

impl Availability<'_> {
    /// Why a member cannot take the lead, or `None` when they can.
    pub(super) fn skip(&self, m: &Member, exclude: &[AgentId]) -> Option<SkipWhy> {
        if exclude.contains(&m.agent_id) {
            return Some(SkipWhy::AlreadyOffered);
        }
        let Some(s) = self.statuses.get(&m.agent_id) else {
            return Some(SkipWhy::NoStatus);
        };
        if s.paused {
            return Some(SkipWhy::Paused);
        }
        if !s.is_on_duty(self.now) {
            return Some(SkipWhy::OffDuty);
        }
        if let Some(max) = m.max_open_leads {
            if s.open_leads >= max {
                return Some(SkipWhy::AtCapacity {
                    open_leads: s.open_leads,
                    max_open_leads: max,
                });
            }
        }
        if let Some(lang) = &self.language {
            if !m.languages.is_empty() && !m.languages.iter().any(|l| primary_language(l) == *lang)
            {
                return Some(SkipWhy::Language {
                    language: lang.clone(),
                });
            }
        }
        None
    }

    pub(super) fn any_available(&self, team: &Team, exclude: &[AgentId]) -> bool {
        team.members.iter().any(|m| self.skip(m, exclude).is_none())
    }

    fn open_leads(&self, id: &AgentId) -> u32 {
        self.statuses.get(id).map_or(0, |s| s.open_leads)
    }
}

/// Chooses among candidate teams (each with an available agent) by capacity.
pub(super) fn choose_team(
    policy: &RoutingPolicy,
    candidates: &[usize],
    rng: &mut SplitMix64,
    reasons: &mut Vec<Reason>,
) -> Option<usize> {
    match candidates {
        [] => None,
        [only] => {
            if let Some(t) = policy.teams.get(*only) {
                reasons.push(Reason::OnlyTeam { team: t.id.clone() });
            }
            Some(*only)
        }
        _ => {
            let teams: Vec<(usize, &Team)> = candidates
                .iter()
                .filter_map(|&i| policy.teams.get(i).map(|t| (i, t)))
                .collect();
            let total: u64 = teams.iter().map(|(_, t)| u64::from(t.capacity)).sum();
            let draw = rng.below(total);
            let mut acc = 0u64;
            let mut chosen = teams.last().map(|(i, _)| *i);
            for (i, t) in &teams {
                acc += u64::from(t.capacity);
                if draw < acc {
                    chosen = Some(*i);
                    break;
                }
            }
            let name = chosen
                .and_then(|i| policy.teams.get(i))
                .map(|t| t.id.clone())
                .unwrap_or_default();
            reasons.push(Reason::ChoseTeamByCapacity {
                team: name,
                candidates: teams.iter().map(|(_, t)| t.id.clone()).collect(),
                capacities: teams.iter().map(|(_, t)| t.capacity).collect(),
                draw,
                total,
            });
            chosen
        }
    }
}

/// The interleaved weighted round-robin sequence of member indices.
pub(super) fn weighted_slots(members: &[Member]) -> Vec<usize> {
    let rounds = members.iter().map(|m| m.weight).max().unwrap_or(0);
    let mut slots = Vec::new();
    for r in 0..rounds {
        for (i, m) in members.iter().enumerate() {
            if m.weight > r {
                slots.push(i);
            }
        }
    }
    slots
}

/// Picks up to `count` members of `team`, skipping `exclude`; records reasons and returns the
/// chosen agents and the team's new cursor.
pub(super) fn pick(
    team: &Team,
    cursor: u64,
    count: usize,
    exclude: &[AgentId],
    avail: &Availability<'_>,
    rng: &mut SplitMix64,
    reasons: &mut Vec<Reason>,
) -> (Vec<AgentId>, u64) {
    let members = &team.members;
    let mut skipped: Vec<AgentId> = Vec::new();
    let mut note_skip = |m: &Member, why: SkipWhy, reasons: &mut Vec<Reason>| {
        if !skipped.contains(&m.agent_id) {
            skipped.push(m.agent_id);
            reasons.push(Reason::SkippedAgent {
                team: team.id.clone(),
                agent_id: m.agent_id,
                why,
            });
        }
    };
    let mut chosen: Vec<AgentId> = Vec::new();
    let mut new_cursor = cursor;
    match team.method {
        Method::RoundRobin | Method::WeightedRoundRobin => {
            let slots: Vec<usize> = if team.method == Method::RoundRobin {
                (0..members.len()).collect()
            } else {
                weighted_slots(members)
            };
            let len = slots.len() as u64;
            if len == 0 {
                return (chosen, cursor);
            }
            let start = cursor % len;
            let mut last = None;
            for off in 0..len {
                let pos = (start + off) % len;
                let Some(m) = usize::try_from(pos)
                    .ok()
                    .and_then(|p| slots.get(p))
                    .and_then(|&i| members.get(i))
                else {
                    continue;
                };
                if chosen.contains(&m.agent_id) {
                    continue;
                }
                match avail.skip(m, exclude) {
                    Some(why) => note_skip(m, why, reasons),
                    None => {
                        chosen.push(m.agent_id);
                        last = Some(pos);
                        reasons.push(Reason::ChoseAgent {
                            team: team.id.clone(),
                            agent_id: m.agent_id,
                            method: team.method,
                            position: pos,
                        });
                        if chosen.len() >= count {
                            break;
                        }
                    }
                }
            }
            if let Some(pos) = last {
                new_cursor = (pos + 1) % len;
                reasons.push(Reason::CursorMoved {
                    team: team.id.clone(),
                    from: start,
                    to: new_cursor,
                });
            }
        }
        Method::LeastLoaded => {
            let n = members.len() as u64;
            if n == 0 {
                return (chosen, cursor);
            }
            let start = cursor % n;
            let mut pool: Vec<(u64, &Member)> = Vec::new();
            for (i, m) in members.iter().enumerate() {
                match avail.skip(m, exclude) {
                    Some(why) => note_skip(m, why, reasons),
                    None => pool.push(((i as u64 + n - start) % n, m)),
                }
            }
            // Fewest open leads per unit of weight (cross-multiplied, exact), then rotation.
            pool.sort_by(|(da, a), (db, b)| {
                let la = u64::from(avail.open_leads(&a.agent_id)) * u64::from(b.weight);
                let lb = u64::from(avail.open_leads(&b.agent_id)) * u64::from(a.weight);
                la.cmp(&lb).then(da.cmp(db))
            });
            let mut last = None;
            for (dist, m) in pool.into_iter().take(count) {
                chosen.push(m.agent_id);
                last = Some((start + dist) % n);
                reasons.push(Reason::LeastLoaded {
                    team: team.id.clone(),
                    agent_id: m.agent_id,
                    open_leads: avail.open_leads(&m.agent_id),
                    weight: m.weight,
                });
            }
            if let Some(pos) = last {
                new_cursor = (pos + 1) % n;
                reasons.push(Reason::CursorMoved {
                    team: team.id.clone(),
                    from: start,
                    to: new_cursor,
                });
            }
        }
        Method::RandomWeighted => {
            let mut pool: Vec<&Member> = Vec::new();
            for m in members {
                match avail.skip(m, exclude) {
                    Some(why) => note_skip(m, why, reasons),
                    None => pool.push(m),
                }
            }
            while chosen.len() < count && !pool.is_empty() {
                let total: u64 = pool.iter().map(|m| u64::from(m.weight)).sum();
                let draw = rng.below(total);
                let mut acc = 0u64;
                let mut at = pool.len().saturating_sub(1);
                for (k, m) in pool.iter().enumerate() {
                    acc += u64::from(m.weight);
                    if draw < acc {
                        at = k;
                        break;
                    }
                }
                if at >= pool.len() {
                    break;
                }
                let m = pool.remove(at);
                chosen.push(m.agent_id);
                reasons.push(Reason::DrewAgent {
                    team: team.id.clone(),
                    agent_id: m.agent_id,
                    draw,
                    total,
                });
            }
        }
    }
    (chosen, new_cursor)
}
