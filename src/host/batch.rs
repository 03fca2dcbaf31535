//! Batch loops a host calls with a whole column or list: one result per item, in order, never
//! stopping at the first problem. Large batches are split over the machine's cores.

use super::{HostError, ValueKind, canonical};
use crate::ErrorCode;
use crate::commission::{CommissionEngine, CommissionStatement, StatementContext};
use crate::domain::{Activity, Deal, Lead, Property};
use crate::scoring::{LeadInput, LeadScore, Scorer, Summary};
use chrono::{DateTime, Utc};

/// Below this many items a batch runs on the calling thread.
const PARALLEL_FROM: usize = 20_000;

/// Maps `f` over `items` in order, on several threads when the batch is large.
pub fn map_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    map_parallel_with(items, || (), |(), item| f(item))
}

/// Maps `f` over `items` in order with a state each thread makes once with `init` (a
/// commission engine's own copy, so workers share no reference count), on several threads
/// when the batch is large.
///
/// ```
/// use realestate_crm::host::batch::map_parallel_with;
/// let items: Vec<u64> = (0..30_000).collect();
/// let out = map_parallel_with(&items, || 2u64, |k, x| k * x);
/// assert_eq!(out[29_999], 59_998);
/// ```
pub fn map_parallel_with<S, T: Sync, R: Send>(
    items: &[T],
    init: impl Fn() -> S + Sync,
    f: impl Fn(&S, &T) -> R + Sync,
) -> Vec<R> {
    let parts = on_cores(items.len(), |range| {
        let state = init();
        let part = items.get(range).unwrap_or_default();
        part.iter().map(|item| f(&state, item)).collect::<Vec<R>>()
    });
    concat(parts, items.len())
}

/// The parts one after the other (a single part as it is, not copied).
pub(crate) fn concat<R>(mut parts: Vec<Vec<R>>, len: usize) -> Vec<R> {
    if parts.len() == 1 {
        return parts.pop().unwrap_or_default();
    }
    let mut out = Vec::with_capacity(len);
    for part in parts {
        out.extend(part);
    }
    out
}

/// Runs `run` on one contiguous range of `0..rows` per core, each on its own thread (one range
/// on the calling thread below [`PARALLEL_FROM`] rows or on one core), and returns the results
/// in range order. A panicking worker is re-raised on the calling thread, for the binding's
/// guard to report as `internal.panic`. Every batch loop here splits its work with it.
pub(crate) fn on_cores<R: Send>(
    rows: usize,
    run: impl Fn(std::ops::Range<usize>) -> R + Sync,
) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if rows < PARALLEL_FROM || threads < 2 {
        return vec![run(0..rows)];
    }
    let chunk = rows.div_ceil(threads);
    let run = &run;
    std::thread::scope(|scope| {
        // The first range runs on the calling thread (warm, and otherwise idle while waiting).
        let handles: Vec<_> = (chunk..rows)
            .step_by(chunk)
            .map(|s| scope.spawn(move || run(s..(s + chunk).min(rows))))
            .collect();
        let mut parts = Vec::with_capacity(handles.len() + 1);
        parts.push(run(0..chunk.min(rows)));
        for h in handles {
            match h.join() {
                Ok(p) => parts.push(p),
                Err(payload) => std::panic::resume_unwind(payload),
            }
        }
        parts
    })
}

/// Splits `0..rows` into one contiguous range per core (a single range below
/// [`PARALLEL_FROM`] rows) and runs `part` on each range on its own thread. The parts come back
/// in row order, each as its worker made it (never copied into one piece); the first error in
/// row order is returned, and a panicking worker is re-raised on the calling thread (for the
/// binding's guard to report as `internal.panic`).
///
/// ```
/// use realestate_crm::host::batch::in_parts;
/// let parts = in_parts(50_000, |r| Ok(r.map(|i| i as u64).sum::<u64>())).unwrap();
/// assert_eq!(parts.iter().sum::<u64>(), (0..50_000u64).sum::<u64>());
/// let err = in_parts(50_000, |r| if r.contains(&40_000) { Err(realestate_crm::host::HostError::input("x", "bad")) } else { Ok(()) });
/// assert!(err.is_err());
/// ```
pub fn in_parts<P: Send>(
    rows: usize,
    part: impl Fn(std::ops::Range<usize>) -> Result<P, HostError> + Sync,
) -> Result<Vec<P>, HostError> {
    on_cores(rows, part).into_iter().collect()
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
    map_parallel(values, |v| super::lines::code_of(kind, v.as_ref()))
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
    map_parallel_with(
        deals,
        || engine.unshared(),
        |engine, d| engine.statement(d, ctx).map_err(HostError::from),
    )
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
    let parts = on_cores(leads.len(), |range| {
        let inputs: Vec<LeadInput<'_>> = range
            .filter_map(|i| {
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
    });
    concat(parts, leads.len())
}

/// Rows read and scored per step by [`score_rows`]: small enough to stay in cache.
const ROW_CHUNK: usize = 1_024;

/// Scores a book read from a table's rows (`cells` through `layout`, see
/// [`rows::read_range`](super::rows::read_range)) at `now`, with every activity of the book
/// (grouped by `lead_id`). Rows are read and scored a chunk at a time on every core, so the
/// leads of a large book are never all in memory at once. The first row that does not read is
/// the error (`[12].contact.email`). Each score's [`Summary`] (with its `top` reasons' rules)
/// is handed to `keep` as soon as it is made, on the worker that made it, so a host keeps
/// only what it reports (its result columns) and no score's reasons are ever built. The kept
/// values come back as one part per worker, in row order (concatenated, the book's rows), so
/// a large book is never copied into one piece.
#[allow(clippy::too_many_arguments)]
pub fn score_rows<C, R>(
    scorer: &Scorer,
    layout: &super::rows::Layout,
    rows: usize,
    cells: &C,
    activities: Vec<Activity>,
    now: DateTime<Utc>,
    top: usize,
    keep: impl Fn(&Summary<'_>) -> R + Sync,
) -> Result<Vec<Vec<R>>, HostError>
where
    C: super::rows::Cells,
    R: Send,
{
    let (activities, by_lead) = index_by_lead(activities);
    let (activities, by_lead, keep) = (&activities, &by_lead, &keep);
    let part = |range: std::ops::Range<usize>| -> Result<Vec<R>, HostError> {
        let mut out = Vec::with_capacity(range.len());
        let mut start = range.start;
        while start < range.end {
            let end = (start + ROW_CHUNK).min(range.end);
            let leads: Vec<Lead> = super::rows::read_range(layout, start..end, cells)?;
            let inputs: Vec<LeadInput<'_>> = leads
                .iter()
                .map(|lead| LeadInput {
                    lead,
                    activities: by_lead
                        .get(&lead.id)
                        .and_then(|r| activities.get(r.clone()))
                        .unwrap_or_default(),
                    property: None,
                })
                .collect();
            out.extend(scorer.summarize_batch(&inputs, now, top, keep));
            start = end;
        }
        Ok(out)
    };
    in_parts(rows, part)
}

/// Activities grouped by lead (each lead's in their given order) and each lead's range.
fn index_by_lead(
    activities: Vec<Activity>,
) -> (
    Vec<Activity>,
    std::collections::HashMap<crate::domain::LeadId, std::ops::Range<usize>>,
) {
    use std::collections::HashMap;
    let mut counts: HashMap<crate::domain::LeadId, (usize, usize)> = HashMap::new();
    for a in &activities {
        counts.entry(a.lead_id).or_insert((0, 0)).1 += 1;
    }
    let mut next = 0;
    for slot in counts.values_mut() {
        slot.0 = next;
        next += slot.1;
    }
    let ranges = counts
        .iter()
        .map(|(id, &(start, len))| (*id, start..start + len))
        .collect();
    // Place every activity at its lead's next free position (a counting sort: stable).
    let mut keyed: Vec<(usize, Activity)> = activities
        .into_iter()
        .map(|a| {
            let slot = counts.get_mut(&a.lead_id).map_or(0, |s| {
                let at = s.0;
                s.0 += 1;
                at
            });
            (slot, a)
        })
        .collect();
    keyed.sort_unstable_by_key(|(slot, _)| *slot);
    (keyed.into_iter().map(|(_, a)| a).collect(), ranges)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scoring_rows_in_chunks_gives_the_scores_of_the_whole_book() {
        use crate::host::rows::{JsonCells, Layout};
        use serde_json::json;
        let n = 25_000; // above PARALLEL_FROM and many chunks per thread
        let ids: Vec<String> = (0..n)
            .map(|i| format!("0190f3a0-0000-7000-8000-{i:012x}"))
            .collect();
        let names = [
            "id",
            "contact.name",
            "contact.email",
            "timeline",
            "created_at",
            "updated_at",
        ];
        let timelines = ["immediate", "unknown", "within_3_months"];
        let columns: Vec<Vec<Option<serde_json::Value>>> = vec![
            ids.iter().map(|i| Some(json!(i))).collect(),
            (0..n).map(|_| Some(json!("Ana Souza"))).collect(),
            (0..n)
                .map(|i| (i % 2 == 0).then(|| json!(format!("a{i}@example.com"))))
                .collect(),
            (0..n).map(|i| Some(json!(timelines[i % 3]))).collect(),
            (0..n)
                .map(|_| Some(json!("2026-11-01T12:00:00Z")))
                .collect(),
            (0..n)
                .map(|_| Some(json!("2026-11-01T12:00:00Z")))
                .collect(),
        ];
        let acts: Vec<Activity> = (0..n)
            .step_by(7)
            .filter_map(|i| {
                serde_json::from_value(json!({"id": format!("0190f3a1-0000-7000-8000-{i:012x}"),
                    "lead_id": ids[i], "kind": "message", "at": "2026-11-25T10:00:00Z"}))
                .ok()
            })
            .collect();
        let scorer = Scorer::new(crate::scoring::default_rules().unwrap()).unwrap();
        let now = "2026-11-26T12:00:00Z".parse().unwrap();
        let layout = Layout::new(&names);
        let got = score_rows(
            &scorer,
            &layout,
            n,
            &JsonCells(&columns),
            acts.clone(),
            now,
            2,
            |s| (s.lead_id, s.score, s.band, s.top.to_vec()),
        )
        .unwrap()
        .concat();
        let leads: Vec<Lead> =
            super::super::rows::records_from_columns(&names, columns.clone()).unwrap();
        let (grouped, ranges) = group_by_lead(&leads, acts);
        let want = score_many(&scorer, &leads, &grouped, &ranges, &[], now);
        assert_eq!(got.len(), n);
        let bands = scorer.band_names();
        let ids = scorer.rule_ids();
        for (g, w) in got.iter().zip(&want) {
            let top: Vec<&str> = g.3.iter().map(|&i| ids[i].as_str()).collect();
            let want_top: Vec<&str> = w.reasons.iter().take(2).map(|r| r.rule).collect();
            assert_eq!(
                (g.0, g.1, bands[g.2], top),
                (w.lead_id, w.score, w.band, want_top)
            );
        }
        assert!(
            want.iter().any(|s| s.engagement > 0.0),
            "activities reached their leads"
        );
        // A bad cell far into the book names its row.
        let mut bad = columns;
        bad[3][20_001] = Some(json!("someday"));
        let err = score_rows(
            &scorer,
            &layout,
            n,
            &JsonCells(&bad),
            Vec::new(),
            now,
            3,
            |s| s.score,
        )
        .err();
        assert_eq!(
            err.and_then(|e| e.path),
            Some("[20001].timeline".to_owned())
        );
    }

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
