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
