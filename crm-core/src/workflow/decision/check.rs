//! The static check: gaps (input combinations no row covers) and overlaps (pairs of rows that
//! can both match) of a decision table, before it is used.
//!
//! Each input's column is seen in one domain:
//! - **ordered** (declared `number` or `date`, or undeclared with every test value a decimal,
//!   or every one a date/instant): each cell is a union of intervals, exactly, for `eq`, `ne`,
//!   `lt`, `lte`, `gt`, `gte`, `between`, `in`, `not_in` and `"-"`; the domain is continuous
//!   (there is always a value strictly between two bounds);
//! - **finite set** (declared `text` or `bool`, an input with allowed `values`, or undeclared
//!   otherwise): each cell is a set or the complement of a set, exactly, for `eq`, `ne`, `in`,
//!   `not_in` and `"-"`; an open text domain also has "every other value".
//!
//! Other cells (`contains`, `empty`, `not_empty`, ordered comparisons of text, values that do
//! not fit the column's domain) are not analysed: they are listed in
//! [`TableReport::not_analysed`], count as covering nothing for gaps (so a gap may be reported
//! that such a cell actually covers, but "no gap" is always true), and a pair of rows with such
//! a cell is never reported as overlapping (so every overlap reported is real). Absent (missing
//! or null) input values are outside every domain.

use super::{Cell, DecisionTable, HitPolicy, InputType, Row, fits, is_number, is_time, same};
use crate::workflow::condition::{Test, compare};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::cmp::Ordering;

/// Gaps found before the search stops (the report says `truncated`).
const MAX_GAPS: usize = 100;
/// Overlapping pairs reported before the check stops.
const MAX_OVERLAPS: usize = 1000;
/// Nodes of the gap search visited before it stops.
const MAX_NODES: usize = 200_000;

/// What [`DecisionTable::check`] found.
///
/// ```
/// use crm_core::workflow::DecisionTable;
/// let t = DecisionTable::from_json(r#"{"id": "t", "hit_policy": "unique",
///   "inputs": [{"name": "value", "field": "value", "type": "number"}], "outputs": [{"name": "plan"}],
///   "rows": [{"when": [{"op": "lte", "value": "500000"}], "then": ["standard"]},
///            {"when": [{"op": "gt", "value": "600000"}], "then": ["premium"]},
///            {"when": [{"op": "gte", "value": "1000000"}], "then": ["vip"]}]}"#).unwrap();
/// let report = t.check();
/// assert_eq!(report.gaps[0].description, "value in (500000, 600000]");
/// assert_eq!(report.overlaps[0].rows, [1, 2]);
/// assert_eq!(report.overlaps[0].description, "value >= 1000000");
/// assert!(!report.is_clean());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TableReport {
    /// Regions of the input space that no row covers (reported for every hit policy; an error
    /// at evaluation only for those that need a match).
    pub gaps: Vec<Gap>,
    /// Pairs of rows that can both match: for `unique` every such pair, for `any` those whose
    /// outputs differ; none for the other policies, where overlaps are intended.
    pub overlaps: Vec<Overlap>,
    /// Cells the check could not analyse exactly (see the module documentation).
    pub not_analysed: Vec<NotAnalysed>,
    /// Whether a limit stopped the search (100 gaps, 1000 overlaps or 200 000 search steps).
    pub truncated: bool,
}

impl TableReport {
    /// Whether nothing was found: no gap, no overlap, every cell analysed.
    ///
    /// ```
    /// assert!(crm_core::workflow::TableReport::default().is_clean());
    /// ```
    pub fn is_clean(&self) -> bool {
        self.gaps.is_empty() && self.overlaps.is_empty() && self.not_analysed.is_empty()
    }
}

/// The values of one input in a gap or overlap: `= sale`, `in (500000, 600000]`,
/// `not in {lease, sale}`, `any`.
///
/// ```
/// use crm_core::workflow::decision::GapCell;
/// let c = GapCell { input: "kind".into(), values: "= sale".into() };
/// assert_eq!(c.values, "= sale");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GapCell {
    /// The input's name.
    pub input: String,
    /// The values, described.
    pub values: String,
}

/// A region no row covers: one cell per input.
///
/// ```
/// use crm_core::workflow::DecisionTable;
/// let t = DecisionTable::from_json(r#"{"id": "t", "hit_policy": "first",
///   "inputs": [{"name": "kind", "field": "kind"}], "outputs": [{"name": "o"}],
///   "rows": [{"when": [{"op": "in", "values": ["sale", "lease"]}], "then": ["x"]}]}"#).unwrap();
/// assert_eq!(t.check().gaps[0].description, "kind not in {lease, sale}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    /// Per input (in input order), the uncovered values.
    pub cells: Vec<GapCell>,
    /// The cells that restrict something, as `kind = sale, value in (500000, 600000]`
    /// (`any input` when none does).
    pub description: String,
}

/// Two rows that can both match, and where.
///
/// ```
/// use crm_core::workflow::DecisionTable;
/// let t = DecisionTable::from_json(r#"{"id": "t", "hit_policy": "unique",
///   "inputs": [{"name": "n", "field": "n", "type": "number"}], "outputs": [{"name": "o"}],
///   "rows": [{"when": [{"op": "lte", "value": 10}], "then": ["a"]},
///            {"when": [{"op": "gte", "value": 10}], "then": ["b"]}]}"#).unwrap();
/// let o = &t.check().overlaps[0];
/// assert_eq!((o.rows, o.description.as_str()), ([0, 1], "n = 10"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overlap {
    /// The two rows (0-based, in table order).
    pub rows: [usize; 2],
    /// Per input, the values where both match.
    pub cells: Vec<GapCell>,
    /// The cells that restrict something, as for [`Gap::description`].
    pub description: String,
}

/// A cell the check treated as unknown.
///
/// ```
/// use crm_core::workflow::DecisionTable;
/// let t = DecisionTable::from_json(r#"{"id": "t", "hit_policy": "first",
///   "inputs": [{"name": "s", "field": "s"}], "outputs": [{"name": "o"}],
///   "rows": [{"when": [{"op": "contains", "value": "x"}], "then": ["a"]}]}"#).unwrap();
/// assert_eq!(t.check().not_analysed[0].path, "rows[0].when[0]");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotAnalysed {
    /// Where the cell is (`rows[3].when[1]`).
    pub path: String,
    /// Why it was not analysed.
    pub reason: String,
}

/// An interval bound: the value and whether it is included; `None` is unbounded.
type Bound = Option<(Value, bool)>;

#[derive(Debug, Clone)]
struct Interval {
    lo: Bound,
    hi: Bound,
}

#[derive(Debug, Clone)]
enum Region {
    Ordered(Vec<Interval>),
    Set {
        values: Vec<Value>,
        complement: bool,
    },
    Unknown(String),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Domain {
    Ordered(InputType),
    Set,
}

#[derive(Debug, Clone)]
enum Atom {
    Open(Option<Value>, Option<Value>),
    Point(Value),
    Listed(Value),
    Other,
}

struct Column {
    name: String,
    domain: Domain,
    /// The finite universe, when the domain is a closed set (bool, allowed values).
    universe: Option<Vec<Value>>,
    regions: Vec<Region>,
    atoms: Vec<Atom>,
    /// `cover[atom][row]`.
    cover: Vec<Vec<bool>>,
}

fn cmp(a: &Value, b: &Value) -> Ordering {
    compare(a, b).unwrap_or(Ordering::Equal)
}

/// A total order for sorting values (`compare` is partial across types, and sorting with a
/// partial order may panic): numbers, then instants, then booleans, then text, then the rest.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum SortKey {
    Number(rust_decimal::Decimal),
    Instant(i64),
    Bool(bool),
    Text(String),
    Other(String),
}

impl SortKey {
    fn of(v: &Value) -> Self {
        match v {
            Value::Number(n) => match n.to_string().parse() {
                Ok(d) => SortKey::Number(d),
                Err(_) => SortKey::Other(n.to_string()),
            },
            Value::String(s) => {
                if let Ok(d) = crate::money::parse_decimal(s) {
                    SortKey::Number(d)
                } else if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
                    SortKey::Instant(t.timestamp_micros())
                } else if let Some(t) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .ok()
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                {
                    SortKey::Instant(t.and_utc().timestamp_micros())
                } else {
                    SortKey::Text(s.clone())
                }
            }
            Value::Bool(b) => SortKey::Bool(*b),
            other => SortKey::Other(other.to_string()),
        }
    }
}

fn full() -> Interval {
    Interval { lo: None, hi: None }
}

impl DecisionTable {
    /// The static check: gaps and overlaps (see the module documentation for what is analysed
    /// exactly). Run it on a validated table; an invalid one gives a partial report.
    ///
    /// ```
    /// use crm_core::workflow::DecisionTable;
    /// let t = DecisionTable::from_json(r#"{"id": "t", "hit_policy": "unique",
    ///   "inputs": [{"name": "kind", "field": "kind", "values": ["sale", "lease"]},
    ///              {"name": "value", "field": "value", "type": "number"}],
    ///   "outputs": [{"name": "plan"}],
    ///   "rows": [{"when": [{"op": "eq", "value": "sale"}, {"op": "lte", "value": "500000"}], "then": ["a"]},
    ///            {"when": [{"op": "eq", "value": "sale"}, {"op": "gt", "value": "600000"}], "then": ["b"]},
    ///            {"when": [{"op": "eq", "value": "lease"}, "-"], "then": ["c"]}]}"#).unwrap();
    /// let report = t.check();
    /// assert_eq!(report.gaps.len(), 1);
    /// assert_eq!(report.gaps[0].description, "kind = sale, value in (500000, 600000]");
    /// assert!(report.overlaps.is_empty());
    /// ```
    pub fn check(&self) -> TableReport {
        let mut report = TableReport::default();
        let columns: Vec<Column> = (0..self.inputs.len())
            .map(|k| self.column(k, &mut report))
            .collect();
        let mut search = Search {
            columns: &columns,
            nodes: 0,
            report: &mut report,
        };
        let alive: Vec<usize> = (0..self.rows.len()).collect();
        search.sweep(0, &alive, &mut Vec::new());
        if matches!(self.hit_policy, HitPolicy::Unique | HitPolicy::Any) {
            self.overlaps(&columns, &mut report);
        }
        report
    }

    fn column(&self, k: usize, report: &mut TableReport) -> Column {
        let input = self.inputs.get(k);
        let name = input.map(|i| i.name.clone()).unwrap_or_default();
        let cells: Vec<Option<&Cell>> = self.rows.iter().map(|r| r.when.get(k)).collect();
        let kind = input.and_then(|i| i.kind);
        let allowed = input.and_then(|i| i.values.clone());
        let mut universe = allowed.clone();
        let domain = if allowed.is_some() {
            Domain::Set
        } else {
            match kind {
                Some(InputType::Number) => Domain::Ordered(InputType::Number),
                Some(InputType::Date) => Domain::Ordered(InputType::Date),
                Some(InputType::Text) => Domain::Set,
                Some(InputType::Bool) => Domain::Set,
                None => infer(&cells),
            }
        };
        if universe.is_none()
            && (kind == Some(InputType::Bool)
                || (kind.is_none() && domain == Domain::Set && all_bool(&cells)))
        {
            universe = Some(vec![Value::Bool(false), Value::Bool(true)]);
        }
        let regions: Vec<Region> = cells
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                let region = match cell {
                    None => Region::Unknown("the row has no cell for this input".to_owned()),
                    Some(Cell::Any) => match domain {
                        Domain::Ordered(_) => Region::Ordered(vec![full()]),
                        Domain::Set => Region::Set {
                            values: Vec::new(),
                            complement: true,
                        },
                    },
                    Some(Cell::Test(t)) => match domain {
                        Domain::Ordered(kind) => ordered_region(t, kind),
                        Domain::Set => set_region(t),
                    },
                };
                let region = match (region, &universe) {
                    (Region::Set { values, complement }, Some(u)) => Region::Set {
                        values: u
                            .iter()
                            .filter(|v| values.iter().any(|w| same(v, w)) != complement)
                            .cloned()
                            .collect(),
                        complement: false,
                    },
                    (r, _) => r,
                };
                if let Region::Unknown(reason) = &region {
                    report.not_analysed.push(NotAnalysed {
                        path: format!("rows[{i}].when[{k}]"),
                        reason: reason.clone(),
                    });
                }
                region
            })
            .collect();
        let atoms = atoms(domain, universe.as_deref(), &regions);
        let cover = atoms
            .iter()
            .map(|a| regions.iter().map(|r| covers(r, a)).collect())
            .collect();
        Column {
            name,
            domain,
            universe,
            regions,
            atoms,
            cover,
        }
    }

    fn overlaps(&self, columns: &[Column], report: &mut TableReport) {
        for (a, row_a) in self.rows.iter().enumerate() {
            for (b, row_b) in self.rows.iter().enumerate().skip(a + 1) {
                if self.hit_policy == HitPolicy::Any && same_outputs(row_a, row_b) {
                    continue;
                }
                let mut cells = Vec::with_capacity(columns.len());
                let mut overlap = true;
                for column in columns {
                    let (Some(ra), Some(rb)) = (column.regions.get(a), column.regions.get(b))
                    else {
                        overlap = false;
                        break;
                    };
                    match intersect(ra, rb) {
                        Some(r) if !is_empty(&r) => cells.push(GapCell {
                            input: column.name.clone(),
                            values: describe(&r, column.universe.as_deref()),
                        }),
                        _ => {
                            overlap = false;
                            break;
                        }
                    }
                }
                if overlap {
                    if report.overlaps.len() >= MAX_OVERLAPS {
                        report.truncated = true;
                        return;
                    }
                    let description = describe_cells(&cells);
                    report.overlaps.push(Overlap {
                        rows: [a, b],
                        cells,
                        description,
                    });
                }
            }
        }
    }
}

fn same_outputs(a: &Row, b: &Row) -> bool {
    a.then.len() == b.then.len() && a.then.iter().zip(&b.then).all(|(x, y)| same(x, y))
}

fn test_bounds<'a>(cells: &[Option<&'a Cell>]) -> Vec<&'a Value> {
    cells
        .iter()
        .filter_map(|c| match c {
            Some(Cell::Test(t)) if !matches!(t, Test::Contains { .. }) => Some(t),
            _ => None,
        })
        .flat_map(super::test_values)
        .collect()
}

fn all_bool(cells: &[Option<&Cell>]) -> bool {
    let values = test_bounds(cells);
    !values.is_empty() && values.iter().all(|v| v.is_boolean())
}

fn infer(cells: &[Option<&Cell>]) -> Domain {
    let values = test_bounds(cells);
    if values.is_empty() || values.iter().all(|v| v.is_boolean()) {
        Domain::Set
    } else if values.iter().all(|v| is_number(v)) {
        Domain::Ordered(InputType::Number)
    } else if values.iter().all(|v| is_time(v)) {
        Domain::Ordered(InputType::Date)
    } else {
        Domain::Set
    }
}

fn point(v: &Value) -> Interval {
    Interval {
        lo: Some((v.clone(), true)),
        hi: Some((v.clone(), true)),
    }
}

/// The complement of a set of points on the line, as open intervals between them.
fn between_points(points: &[&Value]) -> Vec<Interval> {
    let mut sorted: Vec<&Value> = points.to_vec();
    sorted.sort_by_cached_key(|v| SortKey::of(v));
    sorted.dedup_by(|a, b| same(a, b));
    let mut out = Vec::with_capacity(sorted.len() + 1);
    let mut lo: Bound = None;
    for p in sorted {
        out.push(Interval {
            lo: lo.take(),
            hi: Some((p.clone(), false)),
        });
        lo = Some((p.clone(), false));
    }
    out.push(Interval { lo, hi: None });
    out
}

fn ordered_region(t: &Test, kind: InputType) -> Region {
    let values = super::test_values(t);
    if let Some(bad) = values.iter().find(|v| !fits(kind, v)) {
        return Region::Unknown(format!("{bad} does not fit the column's ordered domain"));
    }
    let below = |v: &Value, incl: bool| Interval {
        lo: None,
        hi: Some((v.clone(), incl)),
    };
    let above = |v: &Value, incl: bool| Interval {
        lo: Some((v.clone(), incl)),
        hi: None,
    };
    let intervals = match t {
        Test::Eq { value } => vec![point(value)],
        Test::Ne { value } => between_points(&[value]),
        Test::Lt { value } => vec![below(value, false)],
        Test::Lte { value } => vec![below(value, true)],
        Test::Gt { value } => vec![above(value, false)],
        Test::Gte { value } => vec![above(value, true)],
        Test::Between { min, max } => vec![Interval {
            lo: Some((min.clone(), true)),
            hi: Some((max.clone(), true)),
        }],
        Test::In { values } => {
            let mut sorted: Vec<&Value> = values.iter().collect();
            sorted.sort_by_cached_key(|v| SortKey::of(v));
            sorted.dedup_by(|a, b| same(a, b));
            sorted.into_iter().map(point).collect()
        }
        Test::NotIn { values } => between_points(&values.iter().collect::<Vec<_>>()),
        Test::Contains { .. } => return Region::Unknown("`contains` is not analysed".to_owned()),
        Test::Empty | Test::NotEmpty => {
            return Region::Unknown("`empty` and `not_empty` are not analysed".to_owned());
        }
    };
    Region::Ordered(intervals)
}

fn set_region(t: &Test) -> Region {
    let (values, complement) = match t {
        Test::Eq { value } => (vec![value.clone()], false),
        Test::Ne { value } => (vec![value.clone()], true),
        Test::In { values } => (values.clone(), false),
        Test::NotIn { values } => (values.clone(), true),
        Test::Lt { .. } | Test::Lte { .. } | Test::Gt { .. } | Test::Gte { .. } => {
            return Region::Unknown(
                "an ordered comparison in a text or bool column is not analysed".to_owned(),
            );
        }
        Test::Between { .. } => {
            return Region::Unknown(
                "`between` in a text or bool column is not analysed".to_owned(),
            );
        }
        Test::Contains { .. } => return Region::Unknown("`contains` is not analysed".to_owned()),
        Test::Empty | Test::NotEmpty => {
            return Region::Unknown("`empty` and `not_empty` are not analysed".to_owned());
        }
    };
    let mut unique: Vec<Value> = Vec::with_capacity(values.len());
    for v in values {
        if !unique.iter().any(|w| same(&v, w)) {
            unique.push(v);
        }
    }
    Region::Set {
        values: unique,
        complement,
    }
}

fn atoms(domain: Domain, universe: Option<&[Value]>, regions: &[Region]) -> Vec<Atom> {
    match domain {
        Domain::Ordered(_) => {
            let mut points: Vec<&Value> = Vec::new();
            for r in regions {
                if let Region::Ordered(ivs) = r {
                    for iv in ivs {
                        points.extend(iv.lo.iter().chain(iv.hi.iter()).map(|(v, _)| v));
                    }
                }
            }
            points.sort_by_cached_key(|v| SortKey::of(v));
            points.dedup_by(|a, b| same(a, b));
            let mut out = Vec::with_capacity(points.len() * 2 + 1);
            let mut lo: Option<Value> = None;
            for p in points {
                out.push(Atom::Open(lo.take(), Some(p.clone())));
                out.push(Atom::Point(p.clone()));
                lo = Some(p.clone());
            }
            out.push(Atom::Open(lo, None));
            out
        }
        Domain::Set => {
            if let Some(u) = universe {
                let mut out: Vec<Atom> = Vec::with_capacity(u.len());
                for v in u {
                    if !out
                        .iter()
                        .any(|a| matches!(a, Atom::Listed(w) if same(v, w)))
                    {
                        out.push(Atom::Listed(v.clone()));
                    }
                }
                return out;
            }
            let mut listed: Vec<Value> = Vec::new();
            for r in regions {
                if let Region::Set { values, .. } = r {
                    for v in values {
                        if !listed.iter().any(|w| same(v, w)) {
                            listed.push(v.clone());
                        }
                    }
                }
            }
            listed.sort_by_cached_key(SortKey::of);
            let mut out: Vec<Atom> = listed.into_iter().map(Atom::Listed).collect();
            out.push(Atom::Other);
            out
        }
    }
}

fn lo_below_point(lo: &Bound, p: &Value) -> bool {
    match lo {
        None => true,
        Some((x, incl)) => match cmp(x, p) {
            Ordering::Less => true,
            Ordering::Equal => *incl,
            Ordering::Greater => false,
        },
    }
}

fn hi_above_point(hi: &Bound, p: &Value) -> bool {
    match hi {
        None => true,
        Some((y, incl)) => match cmp(p, y) {
            Ordering::Less => true,
            Ordering::Equal => *incl,
            Ordering::Greater => false,
        },
    }
}

fn covers(region: &Region, atom: &Atom) -> bool {
    match (region, atom) {
        (Region::Ordered(ivs), Atom::Point(p)) => ivs
            .iter()
            .any(|iv| lo_below_point(&iv.lo, p) && hi_above_point(&iv.hi, p)),
        (Region::Ordered(ivs), Atom::Open(a, b)) => ivs.iter().any(|iv| {
            let lo_ok = match (&iv.lo, a) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some((x, _)), Some(a)) => cmp(x, a) != Ordering::Greater,
            };
            let hi_ok = match (&iv.hi, b) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some((y, _)), Some(b)) => cmp(b, y) != Ordering::Greater,
            };
            lo_ok && hi_ok
        }),
        (Region::Set { values, complement }, Atom::Listed(v)) => {
            values.iter().any(|w| same(v, w)) != *complement
        }
        (Region::Set { complement, .. }, Atom::Other) => *complement,
        _ => false,
    }
}

fn max_lo(a: &Bound, b: &Bound) -> Bound {
    match (a, b) {
        (None, x) | (x, None) => x.clone(),
        (Some((x, xi)), Some((y, yi))) => match cmp(x, y) {
            Ordering::Greater => a.clone(),
            Ordering::Less => b.clone(),
            Ordering::Equal => Some((x.clone(), *xi && *yi)),
        },
    }
}

fn min_hi(a: &Bound, b: &Bound) -> Bound {
    match (a, b) {
        (None, x) | (x, None) => x.clone(),
        (Some((x, xi)), Some((y, yi))) => match cmp(x, y) {
            Ordering::Less => a.clone(),
            Ordering::Greater => b.clone(),
            Ordering::Equal => Some((x.clone(), *xi && *yi)),
        },
    }
}

fn interval_empty(iv: &Interval) -> bool {
    match (&iv.lo, &iv.hi) {
        (Some((x, xi)), Some((y, yi))) => match cmp(x, y) {
            Ordering::Less => false,
            Ordering::Equal => !(*xi && *yi),
            Ordering::Greater => true,
        },
        _ => false,
    }
}

fn intersect(a: &Region, b: &Region) -> Option<Region> {
    match (a, b) {
        (Region::Ordered(xs), Region::Ordered(ys)) => {
            let mut out = Vec::new();
            for x in xs {
                for y in ys {
                    let iv = Interval {
                        lo: max_lo(&x.lo, &y.lo),
                        hi: min_hi(&x.hi, &y.hi),
                    };
                    if !interval_empty(&iv) {
                        out.push(iv);
                    }
                }
            }
            Some(Region::Ordered(out))
        }
        (
            Region::Set {
                values: xs,
                complement: xc,
            },
            Region::Set {
                values: ys,
                complement: yc,
            },
        ) => {
            let has = |list: &[Value], v: &Value| list.iter().any(|w| same(v, w));
            Some(match (xc, yc) {
                (false, false) => Region::Set {
                    values: xs.iter().filter(|v| has(ys, v)).cloned().collect(),
                    complement: false,
                },
                (false, true) => Region::Set {
                    values: xs.iter().filter(|v| !has(ys, v)).cloned().collect(),
                    complement: false,
                },
                (true, false) => Region::Set {
                    values: ys.iter().filter(|v| !has(xs, v)).cloned().collect(),
                    complement: false,
                },
                (true, true) => {
                    let mut union = xs.clone();
                    union.extend(ys.iter().filter(|v| !has(xs, v)).cloned());
                    Region::Set {
                        values: union,
                        complement: true,
                    }
                }
            })
        }
        _ => None,
    }
}

fn is_empty(r: &Region) -> bool {
    match r {
        Region::Ordered(ivs) => ivs.is_empty(),
        Region::Set { values, complement } => !complement && values.is_empty(),
        Region::Unknown(_) => false,
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn show_set(values: &[Value]) -> String {
    let mut sorted: Vec<&Value> = values.iter().collect();
    sorted.sort_by_cached_key(|v| SortKey::of(v));
    let parts: Vec<String> = sorted.into_iter().map(show).collect();
    format!("{{{}}}", parts.join(", "))
}

fn describe_interval(iv: &Interval) -> String {
    match (&iv.lo, &iv.hi) {
        (None, None) => "any".to_owned(),
        (None, Some((y, incl))) => format!("{} {}", if *incl { "<=" } else { "<" }, show(y)),
        (Some((x, incl)), None) => format!("{} {}", if *incl { ">=" } else { ">" }, show(x)),
        (Some((x, xi)), Some((y, yi))) if same(x, y) && *xi && *yi => format!("= {}", show(x)),
        (Some((x, xi)), Some((y, yi))) => format!(
            "in {}{}, {}{}",
            if *xi { "[" } else { "(" },
            show(x),
            show(y),
            if *yi { "]" } else { ")" }
        ),
    }
}

fn describe(r: &Region, universe: Option<&[Value]>) -> String {
    match r {
        Region::Ordered(ivs) => {
            let parts: Vec<String> = ivs.iter().map(describe_interval).collect();
            if parts.is_empty() {
                "nothing".to_owned()
            } else {
                parts.join(" or ")
            }
        }
        Region::Set { values, complement } => match (complement, values.as_slice()) {
            (true, []) => "any".to_owned(),
            (true, [one]) => format!("!= {}", show(one)),
            (true, many) => format!("not in {}", show_set(many)),
            (false, _) if universe.is_some_and(|u| u.len() == values.len() && u.len() > 1) => {
                "any".to_owned()
            }
            (false, []) => "nothing".to_owned(),
            (false, [one]) => format!("= {}", show(one)),
            (false, many) => format!("in {}", show_set(many)),
        },
        Region::Unknown(_) => "unknown".to_owned(),
    }
}

fn describe_cells(cells: &[GapCell]) -> String {
    let parts: Vec<String> = cells
        .iter()
        .filter(|c| c.values != "any")
        .map(|c| format!("{} {}", c.input, c.values))
        .collect();
    if parts.is_empty() {
        "any input".to_owned()
    } else {
        parts.join(", ")
    }
}

impl Column {
    /// The region made of a group of this column's atoms (indices ascending).
    fn region_of(&self, group: &[usize]) -> Region {
        match self.domain {
            Domain::Ordered(_) => {
                let mut ivs: Vec<Interval> = Vec::new();
                let mut last: Option<usize> = None;
                for &a in group {
                    let Some(atom) = self.atoms.get(a) else {
                        continue;
                    };
                    let (lo, hi): (Bound, Bound) = match atom {
                        Atom::Open(x, y) => {
                            (x.clone().map(|v| (v, false)), y.clone().map(|v| (v, false)))
                        }
                        Atom::Point(p) => (Some((p.clone(), true)), Some((p.clone(), true))),
                        _ => continue,
                    };
                    match (last, ivs.last_mut()) {
                        (Some(l), Some(iv)) if l + 1 == a => iv.hi = hi,
                        _ => ivs.push(Interval { lo, hi }),
                    }
                    last = Some(a);
                }
                Region::Ordered(ivs)
            }
            Domain::Set => {
                let has_other = group
                    .iter()
                    .any(|&a| matches!(self.atoms.get(a), Some(Atom::Other)));
                let listed = |inside: bool| -> Vec<Value> {
                    self.atoms
                        .iter()
                        .enumerate()
                        .filter_map(|(i, atom)| match atom {
                            Atom::Listed(v) if group.contains(&i) == inside => Some(v.clone()),
                            _ => None,
                        })
                        .collect()
                };
                if has_other {
                    Region::Set {
                        values: listed(false),
                        complement: true,
                    }
                } else {
                    Region::Set {
                        values: listed(true),
                        complement: false,
                    }
                }
            }
        }
    }
}

struct Search<'a> {
    columns: &'a [Column],
    nodes: usize,
    report: &'a mut TableReport,
}

impl Search<'_> {
    /// Splits the space input by input, following the rows still alive (covering every input so
    /// far); a part where no row is alive is a gap.
    fn sweep(&mut self, k: usize, alive: &[usize], prefix: &mut Vec<Vec<usize>>) {
        if self.report.truncated {
            return;
        }
        self.nodes += 1;
        if self.nodes > MAX_NODES || self.report.gaps.len() >= MAX_GAPS {
            self.report.truncated = true;
            return;
        }
        let Some(column) = self.columns.get(k) else {
            if alive.is_empty() {
                self.gap(prefix);
            }
            return;
        };
        if alive.is_empty() {
            self.gap(prefix);
            return;
        }
        let mut groups: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
        for (a, cover) in column.cover.iter().enumerate() {
            let next: Vec<usize> = alive
                .iter()
                .copied()
                .filter(|&r| cover.get(r).copied().unwrap_or(false))
                .collect();
            match groups.iter_mut().find(|(rows, _)| *rows == next) {
                Some((_, atoms)) => atoms.push(a),
                None => groups.push((next, vec![a])),
            }
        }
        for (next, atoms) in groups {
            prefix.push(atoms);
            self.sweep(k + 1, &next, prefix);
            prefix.pop();
            if self.report.truncated {
                return;
            }
        }
    }

    fn gap(&mut self, prefix: &[Vec<usize>]) {
        let cells: Vec<GapCell> = self
            .columns
            .iter()
            .enumerate()
            .map(|(k, column)| GapCell {
                input: column.name.clone(),
                values: match prefix.get(k) {
                    Some(group) if group.len() < column.atoms.len() => {
                        describe(&column.region_of(group), column.universe.as_deref())
                    }
                    _ => "any".to_owned(),
                },
            })
            .collect();
        let description = describe_cells(&cells);
        self.report.gaps.push(Gap { cells, description });
    }
}
