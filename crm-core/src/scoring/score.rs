//! Scoring leads: fit and engagement points, group and section caps, the combined 0–100 score,
//! its band, and the reasons behind it. All arithmetic is in integer thousandths of a point, so
//! the result does not depend on the order of activities or on the platform.

use super::fit;
use super::points::{Points, decayed, half_life_factor};
use super::rules::{Decay, EngagementCondition, RuleSet};
use crate::domain::{Activity, ActivityKind, Lead, LeadId, Property};
use crate::error::ValidationErrors;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Which section a reason belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// Who the lead is.
    Fit,
    /// What the lead did.
    Engagement,
}

/// One rule that contributed to a score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason<'s> {
    /// The rule's id.
    pub rule: &'s str,
    /// Its section.
    pub section: SectionKind,
    /// Its group.
    pub group: &'s str,
    /// How many times it applied (activities matched, listings repeated; 1 for fit rules).
    pub matched: u32,
    /// Points before decay: `points · matched`.
    pub points: f64,
    /// After decay (or the window): what the events are worth today.
    pub after_decay: f64,
    /// After the group's and the section's caps: what the rule adds to its section's score.
    pub after_caps: f64,
}

/// A lead's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeadScore<'s> {
    /// The lead.
    pub lead_id: LeadId,
    /// Fit points, within 0..=fit cap.
    pub fit: f64,
    /// Engagement points, within 0..=engagement cap.
    pub engagement: f64,
    /// The combined score, 0–100, to the thousandth.
    pub score: f64,
    /// The band the score falls in.
    pub band: &'s str,
    /// Every rule that contributed, by weight: the largest `after_caps` in magnitude first.
    pub reasons: Vec<Reason<'s>>,
}

/// A lead to score: the lead, its activities (any order) and, when known, the property it asked
/// about.
#[derive(Debug, Clone, Copy)]
pub struct LeadInput<'a> {
    /// The lead.
    pub lead: &'a Lead,
    /// Its activities.
    pub activities: &'a [Activity],
    /// The property of interest.
    pub property: Option<&'a Property>,
}

/// A lead's score without the details of its reasons (see [`Scorer::summarize_batch`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary<'a> {
    /// The lead.
    pub lead_id: LeadId,
    /// Fit points, within 0..=fit cap.
    pub fit: f64,
    /// Engagement points, within 0..=engagement cap.
    pub engagement: f64,
    /// The combined score, 0–100, to the thousandth.
    pub score: f64,
    /// The band's index in [`Scorer::band_names`].
    pub band: usize,
    /// The heaviest reasons' rules, as indices in [`Scorer::rule_ids`], heaviest first (the
    /// order of [`LeadScore::reasons`]).
    pub top: &'a [usize],
}

/// One lead's totals, in thousandths, and its band's index.
struct Totals {
    fit: i64,
    engagement: i64,
    score: i64,
    band: usize,
}

/// A validated rule set, ready to score many leads.
#[derive(Debug, Clone)]
pub struct Scorer {
    rules: RuleSet,
    ids: Vec<String>,
    groups: Vec<String>,
    /// For each rule (fit first, then engagement), the index of its group in its section.
    rule_group: Vec<usize>,
    bands: Vec<(String, i64)>,
}

/// Running totals of one rule for one lead.
struct Tally {
    matched: u32,
    points: i64,
    decayed: i64,
    capped: i64,
    remainder: i64,
}

const DAY: f64 = 86_400.0;

impl Scorer {
    /// Validates the rule set (every problem with its path) and prepares it.
    pub fn new(rules: RuleSet) -> Result<Self, ValidationErrors> {
        rules.validate()?;
        let ids = rules
            .fit
            .rules
            .iter()
            .map(|r| r.id.as_str())
            .chain(rules.engagement.rules.iter().map(|r| r.id.as_str()))
            .map(str::to_owned)
            .collect();
        let group_index = |groups: &[super::rules::Group], name: &str| {
            groups.iter().position(|g| g.name == name).unwrap_or(0)
        };
        let rule_group = rules
            .fit
            .rules
            .iter()
            .map(|r| group_index(&rules.fit.groups, &r.group))
            .chain(
                rules
                    .engagement
                    .rules
                    .iter()
                    .map(|r| group_index(&rules.engagement.groups, &r.group)),
            )
            .collect();
        let groups = rules
            .fit
            .rules
            .iter()
            .map(|r| r.group.as_str())
            .chain(rules.engagement.rules.iter().map(|r| r.group.as_str()))
            .map(str::to_owned)
            .collect();
        let bands = rules
            .bands
            .iter()
            .map(|b| (b.name.clone(), b.min.milli()))
            .collect();
        Ok(Self {
            rules,
            ids,
            groups,
            rule_group,
            bands,
        })
    }

    /// The rule set.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Scores one lead at `now`. Deterministic: the same inputs and `now` give the same score,
    /// whatever the order of the activities.
    ///
    /// ```
    /// use crm_core::scoring::{LeadInput, Scorer, default_rules};
    /// use crm_core::domain::{Activity, ActivityId, ActivityKind, Contact, Lead, LeadId, PropertyId};
    /// use chrono::{Duration, TimeZone, Utc};
    /// let now = Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap();
    /// let lead = Lead::new(LeadId::from_parts(1, [1; 10]), Contact::new("Ana").with_phone("11 98765-4321"), now);
    /// let view = |h| {
    ///     let mut a = Activity::new(ActivityId::from_parts(h, [2; 10]), lead.id, ActivityKind::ListingView, now - Duration::hours(h as i64));
    ///     a.property_id = Some(PropertyId::from_parts(1, [3; 10]));
    ///     a
    /// };
    /// let activities = [view(1), view(5), view(30)];
    /// let scorer = Scorer::new(default_rules().unwrap()).unwrap();
    /// let score = scorer.score(&LeadInput { lead: &lead, activities: &activities, property: None }, now);
    /// assert!(score.engagement > 0.0 && score.score <= 100.0);
    /// assert!(score.reasons.iter().any(|r| r.rule == "repeat_view"));
    /// ```
    pub fn score(&self, input: &LeadInput<'_>, now: DateTime<Utc>) -> LeadScore<'_> {
        self.score_with(input, now, &mut Vec::new())
    }

    /// Scores many leads at `now`, in order. Allocates only the results: the running totals
    /// of every lead share one buffer.
    pub fn score_batch(&self, inputs: &[LeadInput<'_>], now: DateTime<Utc>) -> Vec<LeadScore<'_>> {
        let mut tallies = Vec::with_capacity(self.ids.len());
        inputs
            .iter()
            .map(|i| self.score_with(i, now, &mut tallies))
            .collect()
    }

    /// Scores many leads at `now` without building their reasons: each lead's [`Summary`] —
    /// the numbers, its band's index and the rule indices of its `top` heaviest reasons — is
    /// handed to `keep`, in order. For hosts that keep a table of scores: nothing is allocated
    /// per lead. The summary agrees with [`Scorer::score`] exactly (same numbers, same band, the
    /// first `top` reasons' rules).
    ///
    /// ```
    /// use crm_core::scoring::{LeadInput, Scorer, default_rules};
    /// use crm_core::domain::{Contact, Lead, LeadId};
    /// use chrono::{TimeZone, Utc};
    /// let now = Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap();
    /// let lead = Lead::new(LeadId::from_parts(1, [1; 10]), Contact::new("Ana").with_phone("11 98765-4321"), now);
    /// let scorer = Scorer::new(default_rules().unwrap()).unwrap();
    /// let input = LeadInput { lead: &lead, activities: &[], property: None };
    /// let full = scorer.score(&input, now);
    /// let kept = scorer.summarize_batch(&[input], now, 2, |s| {
    ///     let rules: Vec<&str> = s.top.iter().map(|&i| scorer.rule_ids()[i].as_str()).collect();
    ///     (s.score, scorer.band_names()[s.band], rules)
    /// });
    /// let want: Vec<&str> = full.reasons.iter().take(2).map(|r| r.rule).collect();
    /// assert_eq!(kept, [(full.score, full.band, want)]);
    /// ```
    pub fn summarize_batch<R>(
        &self,
        inputs: &[LeadInput<'_>],
        now: DateTime<Utc>,
        top: usize,
        mut keep: impl FnMut(&Summary<'_>) -> R,
    ) -> Vec<R> {
        let mut tallies = Vec::with_capacity(self.ids.len());
        let mut order = Vec::with_capacity(self.ids.len());
        inputs
            .iter()
            .map(|input| {
                let t = self.tally(input, now, &mut tallies);
                by_weight(&tallies, &mut order);
                keep(&Summary {
                    lead_id: input.lead.id,
                    fit: Points::from_milli(t.fit).as_f64(),
                    engagement: Points::from_milli(t.engagement).as_f64(),
                    score: Points::from_milli(t.score).as_f64(),
                    band: t.band,
                    top: order.get(..top.min(order.len())).unwrap_or_default(),
                })
            })
            .collect()
    }

    /// Every rule's id, fit rules first, then engagement rules: what [`Summary::top`] indexes.
    pub fn rule_ids(&self) -> &[String] {
        &self.ids
    }

    /// The bands' names, in rule-set order: what [`Summary::band`] indexes.
    pub fn band_names(&self) -> Vec<&str> {
        self.bands.iter().map(|(n, _)| n.as_str()).collect()
    }

    fn score_with(
        &self,
        input: &LeadInput<'_>,
        now: DateTime<Utc>,
        tallies: &mut Vec<Tally>,
    ) -> LeadScore<'_> {
        let totals = self.tally(input, now, tallies);
        let n_fit = self.rules.fit.rules.len();
        let mut reasons: Vec<Reason> =
            Vec::with_capacity(tallies.iter().filter(|t| t.matched > 0).count());
        for (i, t) in tallies.iter().enumerate() {
            if t.matched == 0 {
                continue;
            }
            let (Some(rule), Some(group)) = (self.ids.get(i), self.groups.get(i)) else {
                continue;
            };
            reasons.push(Reason {
                rule: rule.as_str(),
                section: if i < n_fit {
                    SectionKind::Fit
                } else {
                    SectionKind::Engagement
                },
                group: group.as_str(),
                matched: t.matched,
                points: Points::from_milli(t.points).as_f64(),
                after_decay: Points::from_milli(t.decayed).as_f64(),
                after_caps: Points::from_milli(t.capped).as_f64(),
            });
        }
        // By weight; equal weights keep rule-set order (the sort is stable).
        reasons.sort_by(|a, b| b.after_caps.abs().total_cmp(&a.after_caps.abs()));
        LeadScore {
            lead_id: input.lead.id,
            fit: Points::from_milli(totals.fit).as_f64(),
            engagement: Points::from_milli(totals.engagement).as_f64(),
            score: Points::from_milli(totals.score).as_f64(),
            band: self.bands.get(totals.band).map_or("", |(n, _)| n.as_str()),
            reasons,
        }
    }

    /// Every rule's tally for one lead (in `tallies`, fit rules first) and the lead's totals.
    fn tally(&self, input: &LeadInput<'_>, now: DateTime<Utc>, tallies: &mut Vec<Tally>) -> Totals {
        let rules = &self.rules;
        let n_fit = rules.fit.rules.len();
        tallies.clear();
        for r in &rules.fit.rules {
            let hit = fit::holds(&r.when, input.lead, input.property, now);
            let p = if hit { r.points.milli() } else { 0 };
            tallies.push(Tally {
                matched: u32::from(hit),
                points: p,
                decayed: p,
                capped: p,
                remainder: 0,
            });
        }
        if !rules.engagement.rules.is_empty() {
            let factors = Factors::new(self, input.activities, now);
            for r in &rules.engagement.rules {
                let (matched, points, decayed) =
                    self.engagement(&r.when, r.points, input.activities, &factors, now);
                tallies.push(Tally {
                    matched,
                    points,
                    decayed,
                    capped: decayed,
                    remainder: 0,
                });
            }
        }
        let split = n_fit.min(tallies.len());
        let (fit_tallies, eng_tallies) = tallies.split_at_mut(split);
        let fit_groups = self.rule_group.get(..n_fit).unwrap_or_default();
        let eng_groups = self.rule_group.get(n_fit..).unwrap_or_default();
        let fit = cap_section(
            fit_tallies,
            fit_groups,
            &rules.fit.groups,
            rules.fit.cap.milli(),
        );
        let engagement = cap_section(
            eng_tallies,
            eng_groups,
            &rules.engagement.groups,
            rules.engagement.cap.milli(),
        );
        let score = combine(
            fit,
            engagement,
            rules.fit.cap.milli(),
            rules.engagement.cap.milli(),
            rules.weights,
        );
        let band = self
            .bands
            .iter()
            .position(|(_, min)| score >= *min)
            .unwrap_or(self.bands.len().saturating_sub(1));
        Totals {
            fit,
            engagement,
            score,
            band,
        }
    }

    /// Matches, points before decay and points after decay of one engagement rule.
    fn engagement(
        &self,
        c: &EngagementCondition,
        points: Points,
        activities: &[Activity],
        factors: &Factors,
        now: DateTime<Utc>,
    ) -> (u32, i64, i64) {
        let p = points.milli();
        let (mut matched, mut raw, mut dec) = (0u32, 0i64, 0i64);
        match c {
            EngagementCondition::Activity { kinds } => {
                let mask = kind_mask(kinds);
                for (i, a) in activities
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| mask & kind_bit(a.kind) != 0)
                {
                    if let Some(f) = factors.get(self, i, a, now) {
                        matched += 1;
                        raw = raw.saturating_add(p);
                        dec = dec.saturating_add(decayed(points, f));
                    }
                }
            }
            EngagementCondition::Recency { kinds, within_days } => {
                let limit = f64::from(*within_days) * DAY;
                let recent = activities.iter().any(|a| {
                    let age = age_seconds(a, now);
                    kinds.contains(&a.kind) && age.is_some_and(|s| s <= limit)
                });
                if recent {
                    (matched, raw, dec) = (1, p, p);
                }
            }
            EngagementCondition::RepeatView { min_views } => {
                let views = |prop| {
                    activities.iter().filter(move |a| {
                        a.kind == ActivityKind::ListingView && a.property_id == Some(prop)
                    })
                };
                for (i, a) in activities.iter().enumerate() {
                    let Some(prop) = a
                        .property_id
                        .filter(|_| a.kind == ActivityKind::ListingView)
                    else {
                        continue;
                    };
                    let first = !activities.iter().take(i).any(|b| {
                        b.kind == ActivityKind::ListingView && b.property_id == Some(prop)
                    });
                    if !first {
                        continue;
                    }
                    let counted = views(prop)
                        .filter(|v| self.factor(v, now).is_some())
                        .count();
                    let latest = views(prop)
                        .filter(|v| self.factor(v, now).is_some())
                        .max_by_key(|v| v.at);
                    if let (true, Some(latest)) = (counted >= *min_views as usize, latest) {
                        matched += 1;
                        raw = raw.saturating_add(p);
                        dec = dec.saturating_add(decayed(
                            points,
                            self.factor(latest, now).unwrap_or(0.0),
                        ));
                    }
                }
            }
        }
        (matched, raw, dec)
    }

    /// What an activity is worth today, or `None` when it does not count (in the future, or
    /// outside the window).
    fn factor(&self, a: &Activity, now: DateTime<Utc>) -> Option<f64> {
        let age = age_seconds(a, now)?;
        match self.rules.engagement.decay {
            Decay::None => Some(1.0),
            Decay::Window { days } => (age <= f64::from(days) * DAY).then_some(1.0),
            Decay::HalfLife { days } => Some(half_life_factor(age / (f64::from(days) * DAY))),
        }
    }
}

/// Whole seconds since the activity (rounded down), `None` for activities after `now`.
fn age_seconds(a: &Activity, now: DateTime<Utc>) -> Option<f64> {
    if a.at > now {
        return None;
    }
    let micros = now
        .timestamp_micros()
        .saturating_sub(a.at.timestamp_micros());
    Some(micros.div_euclid(1_000_000) as f64)
}

/// A bit per activity kind, so a rule's kinds are one mask test.
fn kind_bit(kind: ActivityKind) -> u16 {
    1 << (kind as u16)
}

/// The mask of a list of kinds.
pub(crate) fn kind_mask(kinds: &[ActivityKind]) -> u16 {
    kinds.iter().fold(0, |m, k| m | kind_bit(*k))
}

/// Each activity's decay factor, computed once per lead for the first 64 activities (on the
/// stack: no allocation) and on demand beyond them.
struct Factors {
    cached: [Option<f64>; 64],
}

impl Factors {
    fn new(scorer: &Scorer, activities: &[Activity], now: DateTime<Utc>) -> Self {
        let mut cached = [None; 64];
        for (slot, a) in cached.iter_mut().zip(activities) {
            *slot = scorer.factor(a, now);
        }
        Self { cached }
    }

    fn get(&self, scorer: &Scorer, i: usize, a: &Activity, now: DateTime<Utc>) -> Option<f64> {
        match self.cached.get(i) {
            Some(f) => *f,
            None => scorer.factor(a, now),
        }
    }
}

/// The matched rules' indices by weight: the largest capped points in magnitude first, equal
/// weights in rule-set order (the order of [`LeadScore::reasons`]).
fn by_weight(tallies: &[Tally], order: &mut Vec<usize>) {
    order.clear();
    order.extend(
        tallies
            .iter()
            .enumerate()
            .filter(|(_, t)| t.matched > 0)
            .map(|(i, _)| i),
    );
    order.sort_by_key(|&i| std::cmp::Reverse(tallies.get(i).map_or(0, |t| t.capped.abs())));
}

/// Caps each group's positive points, then the section's, spreading each cut over the positive
/// rules in proportion (largest remainder, so the reasons add up to the score exactly). Returns
/// the section's score, within 0..=cap.
fn cap_section(
    tallies: &mut [Tally],
    rule_group: &[usize],
    groups: &[super::rules::Group],
    cap: i64,
) -> i64 {
    // Each group's positive points in one pass (on the stack for up to 16 groups).
    let mut small = [0i64; 16];
    let mut large = Vec::new();
    let sums: &mut [i64] = if groups.len() <= small.len() {
        small.get_mut(..groups.len()).unwrap_or_default()
    } else {
        large.resize(groups.len(), 0);
        &mut large
    };
    for (t, g) in tallies.iter().zip(rule_group) {
        if let Some(sum) = sums.get_mut(*g) {
            *sum += t.capped.max(0);
        }
    }
    for (g, (group, &positive)) in groups.iter().zip(sums.iter()).enumerate() {
        if positive > group.cap.milli() {
            let member = |i: usize| rule_group.get(i) == Some(&g);
            scale(tallies, member, positive, group.cap.milli());
        }
    }
    let positive: i64 = tallies.iter().map(|t| t.capped.max(0)).sum();
    let negative: i64 = tallies.iter().map(|t| t.capped.min(0)).sum();
    if positive + negative > cap {
        scale(tallies, |_| true, positive, cap - negative);
    }
    (positive.min(cap - negative) + negative).clamp(0, cap)
}

/// Scales the positive `capped` values of the members, which sum to `sum`, so they sum to
/// `target`: each gets its floor, the leftover thousandths go to the largest remainders
/// (ties to the earlier rule).
fn scale(tallies: &mut [Tally], member: impl Fn(usize) -> bool, sum: i64, target: i64) {
    if sum <= 0 {
        return;
    }
    let mut given = 0i64;
    for (i, t) in tallies.iter_mut().enumerate() {
        if !member(i) || t.capped <= 0 {
            t.remainder = -1;
            continue;
        }
        let product = i128::from(t.capped) * i128::from(target);
        t.capped = i64::try_from(product / i128::from(sum)).unwrap_or(0);
        t.remainder = i64::try_from(product % i128::from(sum)).unwrap_or(0);
        given += t.capped;
    }
    let mut leftover = target - given;
    while leftover > 0 {
        let mut best: Option<usize> = None;
        for (i, t) in tallies.iter().enumerate() {
            if t.remainder >= 0
                && best.is_none_or(|b| tallies.get(b).is_some_and(|bt| t.remainder > bt.remainder))
            {
                best = Some(i);
            }
        }
        let Some(t) = best.and_then(|b| tallies.get_mut(b)) else {
            break;
        };
        t.capped += 1;
        t.remainder = -1;
        leftover -= 1;
    }
}

/// The combined score in thousandths: `100 · (w_f·fit/F + w_e·eng/E) / (w_f + w_e)`,
/// rounded half-even, within 0..=100.
fn combine(fit: i64, engagement: i64, fit_cap: i64, eng_cap: i64, w: super::rules::Weights) -> i64 {
    let (wf, we) = (i128::from(w.fit.milli()), i128::from(w.engagement.milli()));
    let (f, e, fc, ec) = (
        i128::from(fit),
        i128::from(engagement),
        i128::from(fit_cap),
        i128::from(eng_cap),
    );
    let num = 100_000 * (wf * f * ec + we * e * fc);
    let den = (wf + we) * fc * ec;
    if den <= 0 {
        return 0;
    }
    let (q, r) = (num / den, num % den);
    let q = match (2 * r).cmp(&den) {
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal if q % 2 == 1 => q + 1,
        _ => q,
    };
    i64::try_from(q).unwrap_or(0).clamp(0, 100_000)
}
