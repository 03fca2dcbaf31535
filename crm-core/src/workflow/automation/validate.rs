//! Rule validation and loop detection.

use super::rule::{Rule, Trigger};
use crate::error::{ErrorCode, FieldError, ValidationErrors};
use crate::workflow::intent::Intent;
use std::collections::BTreeSet;

/// The longest time offset a trigger may have, in days (ten years).
pub const MAX_OFFSET_DAYS: u32 = 3650;

/// A change a rule's action makes to the record, as far as triggers can see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Produced<'a> {
    /// The record moves to this stage (and its `stage` field changes).
    Stage(&'a str),
    /// This field changes.
    Field(&'static str),
}

fn produced(intent: &Intent) -> Vec<Produced<'_>> {
    match intent {
        Intent::MoveStage { to } => vec![Produced::Stage(to), Produced::Field("stage")],
        Intent::AssignAgent { .. } | Intent::Route { .. } => {
            vec![Produced::Field("assigned_agent")]
        }
        Intent::AddTag { .. } => vec![Produced::Field("tags")],
        _ => Vec::new(),
    }
}

/// Whether a change can produce an event that `trigger` matches (conditions are ignored: a
/// loop is reported even when conditions might stop it).
fn can_trigger(trigger: &Trigger, change: Produced<'_>) -> bool {
    match (trigger, change) {
        (Trigger::StageChanged { from, to }, Produced::Stage(x)) => {
            to.as_deref().is_none_or(|t| t == x) && from.as_deref() != Some(x)
        }
        (Trigger::FieldChanged { field }, Produced::Field(f)) => {
            field == f
                || field
                    .strip_prefix(f)
                    .is_some_and(|r| r.starts_with(['.', '[']))
                || f.strip_prefix(field.as_str())
                    .is_some_and(|r| r.starts_with(['.', '[']))
        }
        _ => false,
    }
}

/// Whether rule `a`'s actions can start rule `b`.
pub(super) fn feeds(a: &Rule, b: &Rule) -> bool {
    a.actions
        .iter()
        .flat_map(produced)
        .any(|p| can_trigger(&b.trigger, p))
}

/// The cycles among the enabled rules: each is a set of rules (indexes, ascending) that can
/// trigger each other (a strongly connected component with a cycle), in order of first rule.
///
/// ```
/// use crm_core::workflow::{Rule, find_loops};
/// let rules: Vec<Rule> = serde_json::from_str(r#"[
///   {"id": "a", "trigger": {"type": "stage_changed", "to": "contacted"}, "actions": [{"type": "move_stage", "to": "qualified"}]},
///   {"id": "b", "trigger": {"type": "stage_changed", "to": "qualified"}, "actions": [{"type": "move_stage", "to": "contacted"}]},
///   {"id": "c", "trigger": {"type": "field_changed", "field": "assigned_agent"}, "actions": [{"type": "route"}]}
/// ]"#).unwrap();
/// assert_eq!(find_loops(&rules), vec![vec![0, 1], vec![2]]);
/// ```
pub fn find_loops(rules: &[Rule]) -> Vec<Vec<usize>> {
    let n = rules.len();
    let edges: Vec<Vec<usize>> = rules
        .iter()
        .map(|a| {
            (0..n)
                .filter(|&j| a.enabled && rules.get(j).is_some_and(|b| b.enabled && feeds(a, b)))
                .collect()
        })
        .collect();
    // Tarjan's strongly connected components, iteratively (no recursion on input size).
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut next = 0usize;
    let mut components: Vec<Vec<usize>> = Vec::new();
    for root in 0..n {
        if index.get(root) != Some(&usize::MAX) {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut child)) = work.last_mut() {
            if *child == 0 && index.get(v) == Some(&usize::MAX) {
                set(&mut index, v, next);
                set(&mut low, v, next);
                next += 1;
                stack.push(v);
                set(&mut on_stack, v, true);
            }
            let succ = edges.get(v).and_then(|e| e.get(*child)).copied();
            if let Some(w) = succ {
                *child += 1;
                if index.get(w) == Some(&usize::MAX) {
                    work.push((w, 0));
                } else if on_stack.get(w) == Some(&true) {
                    let m = get(&low, v).min(get(&index, w));
                    set(&mut low, v, m);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                let m = get(&low, parent).min(get(&low, v));
                set(&mut low, parent, m);
            }
            if get(&low, v) == get(&index, v) {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    set(&mut on_stack, w, false);
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                component.sort_unstable();
                let cyclic = component.len() > 1 || edges.get(v).is_some_and(|e| e.contains(&v));
                if cyclic {
                    components.push(component);
                }
            }
        }
    }
    components.sort();
    components
}

fn get<T: Copy + Default>(v: &[T], i: usize) -> T {
    v.get(i).copied().unwrap_or_default()
}

fn set<T>(v: &mut [T], i: usize, value: T) {
    if let Some(slot) = v.get_mut(i) {
        *slot = value;
    }
}

/// Every problem with a list of rules, each with its path (`[i].trigger.field`).
pub(super) fn check_rules(rules: &[Rule]) -> ValidationErrors {
    let mut errors = ValidationErrors::default();
    let mut ids = BTreeSet::new();
    for (i, rule) in rules.iter().enumerate() {
        let at = |p: &str| format!("[{i}].{p}");
        if rule.id.trim().is_empty() {
            errors.push(
                FieldError::new(ErrorCode::AutomationRuleId, "give the rule an id").at(&at("id")),
            );
        } else if !ids.insert(rule.id.as_str()) {
            errors.push(
                FieldError::new(
                    ErrorCode::AutomationRuleId,
                    format!("rule id `{}` is used twice", rule.id),
                )
                .at(&at("id")),
            );
        }
        check_trigger(&mut errors, &at("trigger"), &rule.trigger);
        if let Some(c) = &rule.conditions.before {
            if let Err(e) = c.validate() {
                errors.extend_at(&at("conditions.before"), e);
            }
            if matches!(
                rule.trigger,
                Trigger::LeadCreated
                    | Trigger::TimeAfter { .. }
                    | Trigger::ActivityRecorded { .. }
                    | Trigger::ScoreBandChanged { .. }
                    | Trigger::SlaBreached { .. }
            ) {
                errors.push(
                    FieldError::new(
                        ErrorCode::AutomationTrigger,
                        "this trigger's events carry no before record, so a `before` condition never holds",
                    )
                    .at(&at("conditions.before")),
                );
            }
        }
        if let Some(c) = &rule.conditions.after {
            if let Err(e) = c.validate() {
                errors.extend_at(&at("conditions.after"), e);
            }
        }
        if rule.actions.is_empty() {
            errors.push(
                FieldError::new(
                    ErrorCode::AutomationAction,
                    "give the rule at least one action",
                )
                .at(&at("actions")),
            );
        }
        for (j, action) in rule.actions.iter().enumerate() {
            let blank = |s: &str| s.trim().is_empty();
            let problem = match action {
                Intent::MoveStage { to } if blank(to) => Some(("to", "name the stage")),
                Intent::CreateTask { title, .. } if blank(title) => {
                    Some(("title", "give the task a title"))
                }
                Intent::Notify { template, .. } if blank(template) => {
                    Some(("template", "name the message template"))
                }
                Intent::AddTag { tag } if blank(tag) => Some(("tag", "name the tag")),
                Intent::Escalate { level: 0, .. } => Some(("level", "levels start at 1")),
                _ => None,
            };
            if let Some((field, message)) = problem {
                errors.push(
                    FieldError::new(ErrorCode::AutomationAction, message)
                        .at(&at(&format!("actions[{j}].{field}"))),
                );
            }
        }
    }
    for cycle in find_loops(rules) {
        let names: Vec<&str> = cycle
            .iter()
            .filter_map(|&i| rules.get(i).map(|r| r.id.as_str()))
            .collect();
        let first = cycle.first().copied().unwrap_or_default();
        let message = if let [one] = names.as_slice() {
            format!("rule `{one}` can trigger itself")
        } else {
            format!(
                "rules {} can trigger each other in a cycle",
                names.join(", ")
            )
        };
        errors.push(FieldError::new(ErrorCode::AutomationLoop, message).at(&format!("[{first}]")));
    }
    errors
}

fn check_trigger(errors: &mut ValidationErrors, path: &str, trigger: &Trigger) {
    let mut bad = |p: &str, message: &str| {
        errors.push(
            FieldError::new(ErrorCode::AutomationTrigger, message).at(&if p.is_empty() {
                path.to_owned()
            } else {
                format!("{path}.{p}")
            }),
        );
    };
    let blank = |o: &Option<String>| o.as_deref().is_some_and(|s| s.trim().is_empty());
    match trigger {
        Trigger::StageChanged { from, to } | Trigger::ScoreBandChanged { from, to } => {
            if blank(from) {
                bad("from", "`from` is blank; leave it out to match any");
            }
            if blank(to) {
                bad("to", "`to` is blank; leave it out to match any");
            }
            if from.is_some() && from == to {
                bad("", "`from` and `to` are the same, so nothing ever changes");
            }
        }
        Trigger::FieldChanged { field } if field.trim().is_empty() => {
            bad("field", "name the field");
        }
        Trigger::TimeAfter { field, offset } => {
            if field.trim().is_empty() {
                bad("field", "name the date field");
            }
            let days = match *offset {
                super::Offset::BusinessDays(d) | super::Offset::Days(d) => u64::from(d),
                super::Offset::Hours(h) => u64::from(h) / 24,
                super::Offset::Minutes(m) | super::Offset::BusinessMinutes(m) => {
                    u64::from(m) / (24 * 60)
                }
            };
            if offset.is_zero() || days > u64::from(MAX_OFFSET_DAYS) {
                bad(
                    "offset",
                    "the offset must be above zero and at most 3650 days",
                );
            }
        }
        Trigger::SlaBreached { sla } if blank(sla) => {
            bad("sla", "`sla` is blank; leave it out to match any");
        }
        _ => {}
    }
}
