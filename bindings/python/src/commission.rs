//! The commission engine: statements, administration months, clawbacks, ledger entries.

use crate::api::{date, error_object, load, load_config, out, out_view};
use crate::errors::{run, run_detached};
use pyo3::prelude::*;
use pyo3::types::PyList;
use realestate_crm::Money;
use realestate_crm::commission::{
    self, CommissionPlan, CommissionStatement, RentReceipt, StatementContext, WithholdingTable,
};
use realestate_crm::domain::Deal;
use realestate_crm::host::{self, HostError};

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
            Ok(host::batch::map_parallel(&loaded, |d| match d {
                Ok(deal) => self
                    .inner
                    .statement(deal, &ctx)
                    .map_err(HostError::from)
                    .and_then(|mut s| {
                        if !explain {
                            s.pool_trail.clear();
                            for line in &mut s.lines {
                                line.trail.clear();
                            }
                        }
                        crate::view::JsonView::of(&s)
                    }),
                Err(e) => Err(e.clone()),
            }))
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
        let loaded: Vec<Result<Deal, HostError>> = if crate::arrow::is_arrow(deals) {
            crate::arrow::records_of(deals, |_| Ok(Vec::new()))?
                .map_err(|e| crate::errors::to_pyerr(py, e.at("deals")))?
                .into_iter()
                .map(Ok)
                .collect()
        } else {
            let mut loaded = Vec::new();
            for (i, d) in deals.try_iter()?.enumerate() {
                loaded.push(load(&d?).map_err(|e| e.at(&format!("[{i}]"))));
            }
            loaded
        };
        let (table, failures) = run_detached(py, || {
            let results = host::batch::map_parallel(&loaded, |d| match d {
                Ok(deal) => self.inner.statement(deal, &ctx).map_err(HostError::from),
                Err(e) => Err(e.clone()),
            });
            lines_table(&loaded, results)
        })?;
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

/// The line rows of [`CommissionEngine::statement_lines`] and the failures by position.
#[allow(clippy::type_complexity)]
fn lines_table(
    deals: &[Result<Deal, HostError>],
    results: Vec<Result<CommissionStatement, HostError>>,
) -> Result<(crate::arrow::ArrowTable, Vec<(usize, HostError)>), HostError> {
    use crate::arrow::columns::{Keyed, decimals};
    use arrow_array::builder::StringBuilder;
    use arrow_array::{ArrayRef, RecordBatch, UInt32Array};
    use arrow_schema::{Field, Schema};
    use std::fmt::Write as _;
    use std::sync::Arc;

    let rows: usize = results
        .iter()
        .map(|r| r.as_ref().map_or(1, |s| s.lines.len()))
        .sum();
    let mut deal = Vec::with_capacity(rows);
    let mut deal_id = StringBuilder::with_capacity(rows, rows * 36);
    let mut line = Vec::with_capacity(rows);
    let mut role = Keyed::new();
    let mut agent = StringBuilder::with_capacity(rows, rows * 36);
    let mut recipient = Keyed::new();
    let mut currency = Keyed::new();
    let (mut gross, mut withheld, mut net) = (
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
    );
    let mut error: Keyed<String> = Keyed::new();
    let mut failures = Vec::new();
    let mut id = String::with_capacity(36);
    let name = |v: &dyn erased_serialize::Name| v.json_name();
    for (i, r) in results.into_iter().enumerate() {
        let pos = u32::try_from(i).unwrap_or(u32::MAX);
        match r {
            Ok(s) => {
                id.clear();
                let _ = write!(id, "{}", s.deal_id);
                for l in &s.lines {
                    deal.push(pos);
                    deal_id.append_value(&id);
                    line.push(u32::try_from(l.participant).ok());
                    role.push(l.role, |r| name(r))?;
                    match l.agent_id {
                        Some(a) => agent.append_value(a.to_string()),
                        None => agent.append_null(),
                    }
                    recipient.push(l.recipient, |r| name(r))?;
                    currency.push(l.gross.currency(), |c| Ok(c.code().to_owned()))?;
                    let w = l.withheld().map_err(HostError::from)?.amount();
                    gross.push(Some(l.gross.amount()));
                    withheld.push(Some(w));
                    net.push(Some(l.net.amount()));
                    error.push_null();
                }
            }
            Err(e) => {
                deal.push(pos);
                match deals.get(i).and_then(|d| d.as_ref().ok()) {
                    Some(d) => deal_id.append_value(d.id.to_string()),
                    None => deal_id.append_null(),
                }
                line.push(None);
                role.push_null();
                agent.append_null();
                recipient.push_null();
                currency.push_null();
                gross.push(None);
                withheld.push(None);
                net.push(None);
                error.push(e.code.clone(), |c| Ok(c.clone()))?;
                failures.push((i, e));
            }
        }
    }
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("deal", Arc::new(UInt32Array::from(deal))),
        ("deal_id", Arc::new(deal_id.finish())),
        ("line", Arc::new(UInt32Array::from(line))),
        ("role", role.finish()?),
        ("agent_id", Arc::new(agent.finish())),
        ("recipient", recipient.finish()?),
        ("currency", currency.finish()?),
        ("gross", decimals(&gross)?),
        ("withheld", decimals(&withheld)?),
        ("net", decimals(&net)?),
        ("error", error.finish()?),
    ];
    let fields: Vec<Field> = columns
        .iter()
        .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(
        schema.clone(),
        columns.into_iter().map(|(_, a)| a).collect(),
    )
    .map_err(|e| HostError::new(realestate_crm::ErrorCode::Panic, e.to_string()))?;
    Ok((crate::arrow::ArrowTable::new(schema, vec![batch]), failures))
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
