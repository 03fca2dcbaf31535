//! The commission engine: statements, administration months, clawbacks, ledger entries.

use crate::api::{date, error_object, load, load_config, out, out_view};
use crate::arrow::columns::Keyed;
use crate::errors::{run, run_detached};
use pyo3::prelude::*;
use pyo3::types::PyList;
use realestate_crm::Money;
use realestate_crm::commission::{
    self, CommissionPlan, CommissionStatement, RentReceipt, StatementContext, WithholdingTable,
};
use realestate_crm::domain::{Deal, ParticipantRole, RecipientType};
use realestate_crm::host::{self, HostError};
use rust_decimal::Decimal;

/// A validated commission plan with its withholding table.
#[pyclass(frozen, module = "realestate_crm._native")]
pub struct CommissionEngine {
    inner: commission::CommissionEngine,
}

#[pymethods]
impl CommissionEngine {
    /// Loads and validates a plan (dict or JSON text) and a withholding table (list, JSON text
    /// or None); raises `ValidationError` with every problem.
    #[new]
    #[pyo3(signature = (plan, withholding = None))]
    fn new(
        py: Python<'_>,
        plan: &Bound<'_, PyAny>,
        withholding: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        run(py, || {
            let plan: CommissionPlan = load_config(plan).map_err(|e| e.at("plan"))?;
            let table: WithholdingTable = match withholding {
                Some(w) if !w.is_none() => load_config(w).map_err(|e| e.at("withholding"))?,
                _ => host::from_value(serde_json::json!([]))?,
            };
            let inner = commission::CommissionEngine::new(plan, table)?;
            Ok(Self { inner })
        })
    }

    /// The plan as JSON-form data.
    fn plan<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.inner.plan())
    }

    /// The statement of one deal on a context (`{"as_of": date, "period_volumes": {...}}`).
    fn statement<'py>(
        &self,
        py: Python<'py>,
        deal: &Bound<'py, PyAny>,
        context: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let s = run(py, || {
            let deal: Deal = load(deal).map_err(|e| e.at("deal"))?;
            let ctx: StatementContext = load(context).map_err(|e| e.at("context"))?;
            Ok(self.inner.statement(&deal, &ctx)?)
        })?;
        out_view(py, &s)
    }

    /// One statement per deal on one context, with the interpreter released while computing;
    /// a deal that fails gives its exception object in its place (not raised). With
    /// `explain=False` the explanation trails are left out of the results (smaller, faster).
    #[pyo3(signature = (deals, context, explain = true))]
    fn statements<'py>(
        &self,
        py: Python<'py>,
        deals: &Bound<'py, PyAny>,
        context: &Bound<'py, PyAny>,
        explain: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let ctx: StatementContext = run(py, || load(context).map_err(|e| e.at("context")))?;
        let mut loaded: Vec<Result<Deal, HostError>> = Vec::new();
        for (i, d) in deals.try_iter()?.enumerate() {
            loaded.push(load(&d?).map_err(|e| e.at(&format!("[{i}]"))));
        }
        let results = run_detached(py, || {
            let engine = &self.inner;
            Ok(host::batch::map_parallel_with(
                &loaded,
                || engine.unshared(),
                |engine, d| match d {
                    Ok(deal) => if explain {
                        engine.statement(deal, &ctx)
                    } else {
                        engine.statement_without_trails(deal, &ctx)
                    }
                    .map_err(HostError::from)
                    .and_then(|s| crate::view::JsonView::of(&s)),
                    Err(e) => Err(e.clone()),
                },
            ))
        })?;
        let list = PyList::empty(py);
        for r in results {
            match r {
                Ok(v) => list.append(Bound::new(py, v)?)?,
                Err(e) => list.append(error_object(py, e))?,
            }
        }
        Ok(list)
    }

    /// The statements of many deals as one Arrow table, a row per statement line: `deal` (the
    /// deal's position), `deal_id`, `line`, `role`, `agent_id`, `recipient`, `currency`,
    /// `gross`, `withheld` and `net` (exact `decimal128`), and `error` (the code of a deal that
    /// failed, on a row of its own). `deals` is a list of records or Arrow data (a DataFrame
    /// with dotted columns and `participants` as a list of structs). Returns the table and
    /// every failure as `(position, exception)`.
    fn statement_lines<'py>(
        &self,
        py: Python<'py>,
        deals: &Bound<'py, PyAny>,
        context: &Bound<'py, PyAny>,
    ) -> PyResult<(crate::arrow::ArrowTable, Bound<'py, PyList>)> {
        let ctx: StatementContext = run(py, || load(context).map_err(|e| e.at("context")))?;
        let engine = &self.inner;
        let (table, failures) = if crate::arrow::is_arrow(deals) {
            // Deals read from the Arrow buffers a chunk at a time on every core, each chunk's
            // statements tabulated where they were computed.
            let table = crate::arrow::import(deals)?
                .map_err(|e| crate::errors::to_pyerr(py, e.at("deals")))?;
            run_detached(py, || {
                let (layout, cells) = table.rows();
                let parts = host::batch::in_parts(cells.rows(), |range| {
                    // Each worker its own engine: no reference count shared between threads.
                    let engine = &engine.unshared();
                    let mut part = LinePart::with_capacity(range.len());
                    let mut start = range.start;
                    while start < range.end {
                        let end = (start + 1_024).min(range.end);
                        match host::rows::read_range::<Deal, _>(&layout, start..end, &cells) {
                            Ok(chunk) => {
                                for (i, deal) in (start..end).zip(&chunk) {
                                    part.push(i, Ok(deal), engine, &ctx)?;
                                }
                            }
                            // A deal that does not read fails alone, as in a list of records:
                            // the chunk is read again deal by deal.
                            Err(_) => {
                                for i in start..end {
                                    let deal = host::rows::read_range::<Deal, _>(
                                        &layout,
                                        i..i + 1,
                                        &cells,
                                    )
                                    .and_then(|mut one| {
                                        one.pop().ok_or_else(|| {
                                            HostError::new(
                                                realestate_crm::ErrorCode::Panic,
                                                "a row read as no deal",
                                            )
                                        })
                                    });
                                    part.push(i, deal.as_ref(), engine, &ctx)?;
                                }
                            }
                        }
                        start = end;
                    }
                    part.finish()
                })?;
                lines_table(parts)
            })?
        } else {
            let mut loaded: Vec<Result<Deal, HostError>> = Vec::new();
            for (i, d) in deals.try_iter()?.enumerate() {
                loaded.push(load(&d?).map_err(|e| e.at(&format!("[{i}]"))));
            }
            run_detached(py, || {
                let parts = host::batch::in_parts(loaded.len(), |range| {
                    let engine = &engine.unshared();
                    let mut part = LinePart::with_capacity(range.len());
                    for (i, deal) in range.clone().zip(loaded.get(range).unwrap_or_default()) {
                        part.push(i, deal.as_ref(), engine, &ctx)?;
                    }
                    part.finish()
                })?;
                lines_table(parts)
            })?
        };
        let list = PyList::empty(py);
        for (i, e) in failures {
            list.append((i, error_object(py, e)))?;
        }
        Ok((table, list))
    }

    /// A lease's administration month for a rent receipt.
    fn administration<'py>(
        &self,
        py: Python<'py>,
        deal: &Bound<'py, PyAny>,
        receipt: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let a = run(py, || {
            let deal: Deal = load(deal).map_err(|e| e.at("deal"))?;
            let receipt: RentReceipt = load(receipt).map_err(|e| e.at("receipt"))?;
            Ok(self.inner.administration(&deal, &receipt)?)
        })?;
        out_view(py, &a)
    }

    /// The reversal of a statement after a cancellation on `cancelled_on`; `paid` is the gross
    /// paid so far per line (money objects), `None` meaning everything.
    #[pyo3(signature = (statement, cancelled_on, paid = None))]
    fn clawback<'py>(
        &self,
        py: Python<'py>,
        statement: &Bound<'py, PyAny>,
        cancelled_on: &Bound<'py, PyAny>,
        paid: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let r = run(py, || {
            let s: CommissionStatement = load(statement).map_err(|e| e.at("statement"))?;
            let on = date(cancelled_on, "cancelled_on")?;
            let paid: Option<Vec<Money>> = match paid {
                Some(p) if !p.is_none() => Some(load(p).map_err(|e| e.at("paid"))?),
                _ => None,
            };
            Ok(self.inner.clawback(&s, on, paid.as_deref())?)
        })?;
        out_view(py, &r)
    }

    /// The balanced ledger entry of a statement.
    fn ledger_entry<'py>(
        &self,
        py: Python<'py>,
        statement: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let e = run(py, || {
            let s: CommissionStatement = load(statement).map_err(|e| e.at("statement"))?;
            Ok(s.ledger_entry())
        })?;
        out_view(py, &e)
    }
}

/// A pricing calculator by name (`financing`, `affordability`, `rent_adjustment`,
/// `closing_costs`, `ratio_study`, `price_per_m2`) on a JSON-form request.
#[pyfunction]
pub fn pricing<'py>(
    py: Python<'py>,
    calculator: &str,
    request: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let value = run(py, || crate::convert::to_json(request, Default::default()))?;
    let result = run_detached(py, || host::ops::pricing(calculator, value))?;
    crate::view::into_view(py, result)
}

/// The line rows of one part of a book (see [`CommissionEngine::statement_lines`]), built on
/// the worker that computed its statements.
struct LinePart {
    deal: Vec<u32>,
    deal_id: arrow_array::builder::StringBuilder,
    line: Vec<Option<u32>>,
    role: Keyed<ParticipantRole>,
    agent: arrow_array::builder::StringBuilder,
    recipient: Keyed<RecipientType>,
    currency: Keyed<realestate_crm::Currency>,
    gross: Vec<Option<Decimal>>,
    withheld: Vec<Option<Decimal>>,
    net: Vec<Option<Decimal>>,
    error: Keyed<String>,
    failures: Vec<(usize, HostError)>,
}

impl LinePart {
    /// An empty part for about `deals` deals.
    fn with_capacity(deals: usize) -> Self {
        let rows = deals * 3;
        Self {
            deal: Vec::with_capacity(rows),
            deal_id: arrow_array::builder::StringBuilder::with_capacity(rows, rows * 36),
            line: Vec::with_capacity(rows),
            role: Keyed::with_capacity(rows),
            agent: arrow_array::builder::StringBuilder::with_capacity(rows, rows * 36),
            recipient: Keyed::with_capacity(rows),
            currency: Keyed::with_capacity(rows),
            gross: Vec::with_capacity(rows),
            withheld: Vec::with_capacity(rows),
            net: Vec::with_capacity(rows),
            error: Keyed::with_capacity(rows),
            failures: Vec::new(),
        }
    }

    /// Computes the statement of the deal at position `at` (without its explanation trails)
    /// and appends its lines, or a row with its error code.
    fn push(
        &mut self,
        at: usize,
        deal: Result<&Deal, &HostError>,
        engine: &commission::CommissionEngine,
        ctx: &StatementContext,
    ) -> Result<(), HostError> {
        use std::fmt::Write as _;
        let pos = u32::try_from(at).unwrap_or(u32::MAX);
        let statement = deal.map_err(HostError::clone).and_then(|d| {
            engine
                .statement_without_trails(d, ctx)
                .map_err(HostError::from)
        });
        let s = match statement {
            Ok(s) => s,
            Err(e) => {
                self.deal.push(pos);
                match deal {
                    Ok(d) => {
                        let _ = write!(self.deal_id, "{}", d.id);
                        self.deal_id.append_value("");
                    }
                    Err(_) => self.deal_id.append_null(),
                }
                self.line.push(None);
                self.role.push_null();
                self.agent.append_null();
                self.recipient.push_null();
                self.currency.push_null();
                self.gross.push(None);
                self.withheld.push(None);
                self.net.push(None);
                self.error.push(e.code.clone(), |c| Ok(c.clone()))?;
                self.failures.push((at, e));
                return Ok(());
            }
        };
        let name = |v: &dyn erased_serialize::Name| v.json_name();
        let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
        let mut agent_text = [0u8; uuid::fmt::Hyphenated::LENGTH];
        let deal_id: &str = s.deal_id.as_uuid().hyphenated().encode_lower(&mut text);
        for l in &s.lines {
            self.deal.push(pos);
            self.deal_id.append_value(deal_id);
            self.line.push(u32::try_from(l.participant).ok());
            self.role.push(l.role, |r| name(r))?;
            match l.agent_id {
                Some(a) => self
                    .agent
                    .append_value(a.as_uuid().hyphenated().encode_lower(&mut agent_text)),
                None => self.agent.append_null(),
            }
            self.recipient.push(l.recipient, |r| name(r))?;
            self.currency
                .push(l.gross.currency(), |c| Ok(c.code().to_owned()))?;
            let w = l.withheld().map_err(HostError::from)?.amount();
            self.gross.push(Some(l.gross.amount()));
            self.withheld.push(Some(w));
            self.net.push(Some(l.net.amount()));
            self.error.push_null();
        }
        Ok(())
    }
}

/// A part's columns, built on its worker: the money columns at the part's own scale, with
/// the amounts kept in case another part needs a larger scale.
struct FinishedPart {
    columns: Vec<(&'static str, arrow_array::ArrayRef)>,
    scale: u32,
    money: [Vec<Option<Decimal>>; 3],
    failures: Vec<(usize, HostError)>,
}

/// The money columns' positions in [`FinishedPart::columns`].
const MONEY_COLUMNS: [usize; 3] = [7, 8, 9];

impl LinePart {
    /// The part's columns (built where the part was computed, so the cores share this work).
    fn finish(self) -> Result<FinishedPart, HostError> {
        use crate::arrow::columns::{decimals_at, max_scale};
        use arrow_array::UInt32Array;
        use std::sync::Arc;

        let mut p = self;
        let scale = [&p.gross, &p.withheld, &p.net]
            .into_iter()
            .filter_map(|v| max_scale(v))
            .max()
            .unwrap_or(2);
        let columns: Vec<(&'static str, arrow_array::ArrayRef)> = vec![
            (
                "deal",
                Arc::new(UInt32Array::from(std::mem::take(&mut p.deal))),
            ),
            ("deal_id", Arc::new(p.deal_id.finish())),
            (
                "line",
                Arc::new(UInt32Array::from(std::mem::take(&mut p.line))),
            ),
            ("role", p.role.finish()?),
            ("agent_id", Arc::new(p.agent.finish())),
            ("recipient", p.recipient.finish()?),
            ("currency", p.currency.finish()?),
            ("gross", decimals_at(&p.gross, scale)?),
            ("withheld", decimals_at(&p.withheld, scale)?),
            ("net", decimals_at(&p.net, scale)?),
            ("error", p.error.finish()?),
        ];
        Ok(FinishedPart {
            columns,
            scale,
            money: [p.gross, p.withheld, p.net],
            failures: p.failures,
        })
    }
}

/// The lines table of a book from its parts (one record batch per part, the money columns at
/// one scale across all of them: a part built at a smaller scale is rebuilt at the largest)
/// and the failures by position.
#[allow(clippy::type_complexity)]
fn lines_table(
    parts: Vec<FinishedPart>,
) -> Result<(crate::arrow::ArrowTable, Vec<(usize, HostError)>), HostError> {
    use crate::arrow::columns::decimals_at;
    use arrow_array::RecordBatch;
    use arrow_schema::{Field, Schema};
    use std::sync::Arc;

    let scale = parts.iter().map(|p| p.scale).max().unwrap_or(2);
    let mut schema = None;
    let mut batches = Vec::with_capacity(parts.len());
    let mut failures = Vec::new();
    for mut p in parts {
        if p.scale != scale {
            for (at, money) in MONEY_COLUMNS.iter().zip(&p.money) {
                if let Some(column) = p.columns.get_mut(*at) {
                    column.1 = decimals_at(money, scale)?;
                }
            }
        }
        let schema = schema
            .get_or_insert_with(|| {
                let fields: Vec<Field> = p
                    .columns
                    .iter()
                    .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
                    .collect();
                Arc::new(Schema::new(fields))
            })
            .clone();
        let batch = RecordBatch::try_new(schema, p.columns.into_iter().map(|(_, a)| a).collect())
            .map_err(|e| HostError::new(realestate_crm::ErrorCode::Panic, e.to_string()))?;
        batches.push(batch);
        failures.append(&mut p.failures);
    }
    let schema = schema
        .ok_or_else(|| HostError::new(realestate_crm::ErrorCode::Panic, "no part of the book"))?;
    Ok((crate::arrow::ArrowTable::new(schema, batches), failures))
}

/// Enum values by their JSON names (`listing_broker`).
mod erased_serialize {
    use realestate_crm::host::{HostError, to_value};

    /// A value whose JSON form is a name.
    pub trait Name {
        /// The name (the JSON text of anything else).
        fn json_name(&self) -> Result<String, HostError>;
    }

    impl<T: serde::Serialize> Name for T {
        fn json_name(&self) -> Result<String, HostError> {
            Ok(match to_value(self)? {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            })
        }
    }
}
