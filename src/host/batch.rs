//! Batch loops a host calls with a whole column or list: one result per item, in order, never
//! stopping at the first problem. Large batches are split over the machine's cores.

use super::{HostError, ValueKind, canonical};
use crate::ErrorCode;
use crate::commission::{CommissionEngine, CommissionStatement, StatementContext};
use crate::domain::{Activity, Deal, Lead, Property};
use crate::scoring::{LeadInput, LeadScore, Scorer};
use chrono::{DateTime, Utc};

/// Below this many items a batch runs on the calling thread.
const PARALLEL_FROM: usize = 20_000;

/// Maps `f` over `items` in order, on several threads when the batch is large.
pub fn map_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || items.len() < PARALLEL_FROM {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for h in handles {
            // A worker can only fail by panicking; re-raise it on this thread so the
            // binding's guard reports it as `internal.panic`.
            match h.join() {
                Ok(part) => out.extend(part),
                Err(payload) => std::panic::resume_unwind(payload),
            }
        }
        out
    })
}

/// Checks every value: `None` for a valid one, its error code otherwise.
///
/// ```
/// use realestate_crm::host::{ValueKind, batch::check_many};
/// let codes = check_many(ValueKind::Cep, &["01310-100", "1310"]);
/// assert_eq!(codes[0], None);
/// assert_eq!(codes[1].unwrap().as_str(), "validation.cep.length");
/// ```
pub fn check_many<S: AsRef<str> + Sync>(kind: ValueKind, values: &[S]) -> Vec<Option<ErrorCode>> {
    map_parallel(values, |v| {
        canonical(kind, v.as_ref()).err().map(|e| e.code)
    })
}

/// The canonical text of every value, or its error code.
pub fn canonical_many<S: AsRef<str> + Sync>(
    kind: ValueKind,
    values: &[S],
) -> Vec<Result<String, ErrorCode>> {
    map_parallel(values, |v| canonical(kind, v.as_ref()).map_err(|e| e.code))
}

/// One statement per deal, in order, each its own result, on one context.
pub fn statements(
    engine: &CommissionEngine,
    deals: &[Deal],
    ctx: &StatementContext,
) -> Vec<Result<CommissionStatement, HostError>> {
    map_parallel(deals, |d| engine.statement(d, ctx).map_err(HostError::from))
}

/// Puts a book's activities in lead order: every lead's activities together (in their given
/// order), and for every lead the range of its activities. Activities of leads not in the book
/// are dropped. Nothing is copied.
pub fn group_by_lead(
    leads: &[Lead],
    activities: Vec<Activity>,
) -> (Vec<Activity>, Vec<std::ops::Range<usize>>) {
    if activities.is_empty() {
        return (activities, vec![0..0; leads.len()]);
    }
    let index: std::collections::HashMap<_, usize> =
        leads.iter().enumerate().map(|(i, l)| (l.id, i)).collect();
    let mut keyed: Vec<(usize, Activity)> = activities
        .into_iter()
        .filter_map(|a| index.get(&a.lead_id).map(|&i| (i, a)))
        .collect();
    keyed.sort_by_key(|(i, _)| *i);
    let mut ranges = vec![0..0; leads.len()];
    let mut start = 0;
    while start < keyed.len() {
        let lead = keyed.get(start).map_or(0, |(i, _)| *i);
        let mut end = start;
        while keyed.get(end).is_some_and(|(i, _)| *i == lead) {
            end += 1;
        }
        if let Some(r) = ranges.get_mut(lead) {
            *r = start..end;
        }
        start = end;
    }
    (keyed.into_iter().map(|(_, a)| a).collect(), ranges)
}

/// Scores every lead at `now`, with its activities (grouped by [`group_by_lead`]) and its
/// property of interest; in order, on several threads for large books.
pub fn score_many<'s>(
    scorer: &'s Scorer,
    leads: &[Lead],
    activities: &[Activity],
    ranges: &[std::ops::Range<usize>],
    properties: &[Option<&Property>],
    now: DateTime<Utc>,
) -> Vec<LeadScore<'s>> {
    let indices: Vec<usize> = (0..leads.len()).collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = if leads.len() < PARALLEL_FROM {
        leads.len().max(1)
    } else {
        leads.len().div_ceil(threads)
    };
    let run = |part: &[usize]| -> Vec<LeadScore<'s>> {
        let inputs: Vec<LeadInput<'_>> = part
            .iter()
            .filter_map(|&i| {
                let acts = ranges
                    .get(i)
                    .and_then(|r| activities.get(r.clone()))
                    .unwrap_or_default();
                Some(LeadInput {
                    lead: leads.get(i)?,
                    activities: acts,
                    property: properties.get(i).copied().flatten(),
                })
            })
            .collect();
        scorer.score_batch(&inputs, now)
    };
    if chunk >= leads.len() {
        return run(&indices);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = indices
            .chunks(chunk)
            .map(|part| scope.spawn(move || run(part)))
            .collect();
        let mut out = Vec::with_capacity(leads.len());
        for h in handles {
            match h.join() {
                Ok(part) => out.extend(part),
                Err(payload) => std::panic::resume_unwind(payload),
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_batches_keep_their_order() {
        let values: Vec<String> = (0..60_000)
            .map(|i| {
                if i % 3 == 0 {
                    "529.982.247-25".to_owned()
                } else {
                    format!("{i}")
                }
            })
            .collect();
        let codes = check_many(ValueKind::Cpf, &values);
        assert_eq!(codes.len(), values.len());
        for (i, c) in codes.iter().enumerate() {
            assert_eq!(c.is_none(), i % 3 == 0, "item {i}");
        }
    }
}
