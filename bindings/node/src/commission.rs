//! The commission engine: statements (one, or a batch on the thread pool), administration
//! months, clawbacks and ledger entries.

use crate::errors::{envelope, run};
use crate::json::{date, load, load_opt, out};
use crate::task::Job;
use napi::Env;
use napi::bindgen_prelude::AsyncTask;
use napi_derive::napi;
use realestate_crm::Money;
use realestate_crm::commission::{
    self, CommissionPlan, CommissionStatement, RentReceipt, StatementContext, WithholdingTable,
};
use realestate_crm::domain::Deal;
use realestate_crm::host::{self, HostError, text};
use std::sync::Arc;

/// A validated commission plan with its withholding table.
#[napi(js_name = "NativeCommissionEngine")]
pub struct CommissionEngine {
    inner: Arc<commission::CommissionEngine>,
}

/// Statements of a batch: `results` in order (null where a deal failed) and the failures as
/// `[index, {code, message, path, errors}]` pairs.
fn batch(
    engine: &commission::CommissionEngine,
    deals: &str,
    context: &str,
    explain: bool,
) -> Result<String, HostError> {
    let ctx: StatementContext = load(context, "context")?;
    // Each deal is read and its statement written as JSON text on a worker; the array is
    // assembled from the pieces (no JSON tree of the whole batch is built).
    let list = text::array_items(deals).map_err(|e| e.at("deals"))?;
    // Each worker its own engine copy: no reference count shared between threads.
    let results = host::batch::map_parallel_with(
        &list,
        || engine.unshared(),
        |engine, d| {
            let deal: Deal = text::from_text(d)?;
            let s = if explain {
                engine.statement(&deal, &ctx)
            } else {
                engine.statement_without_trails(&deal, &ctx)
            }
            .map_err(HostError::from)?;
            out(&s)
        },
    );
    let size: usize = results
        .iter()
        .map(|r| r.as_ref().map_or(4, String::len) + 1)
        .sum();
    let mut text = String::with_capacity(size + 32);
    let mut failures = Vec::new();
    text.push_str("{\"results\":[");
    for (i, r) in results.into_iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        match r {
            Ok(s) => text.push_str(&s),
            Err(e) => {
                text.push_str("null");
                failures.push(serde_json::json!([i, envelope(&e.at(&format!("[{i}]")))]));
            }
        }
    }
    text.push_str("],\"failures\":");
    text.push_str(&out(&failures)?);
    text.push('}');
    Ok(text)
}

#[napi]
impl CommissionEngine {
    /// Loads and validates a plan and a withholding table (JSON text; `null` for none).
    #[napi(constructor)]
    pub fn new(env: Env, plan: String, withholding: Option<String>) -> napi::Result<Self> {
        run(&env, || {
            let plan: CommissionPlan = load(&plan, "plan")?;
            let table: WithholdingTable = load_opt(withholding.as_deref(), "withholding")?
                .map_or_else(|| host::from_value(serde_json::json!([])), Ok)?;
            Ok(Self {
                inner: Arc::new(commission::CommissionEngine::new(plan, table)?),
            })
        })
    }

    /// The plan as JSON text.
    #[napi]
    pub fn plan(&self, env: Env) -> napi::Result<String> {
        run(&env, || out(self.inner.plan()))
    }

    /// The statement of one deal on a context (`{as_of, period_volumes?}`), as JSON text.
    #[napi]
    pub fn statement(&self, env: Env, deal: String, context: String) -> napi::Result<String> {
        run(&env, || {
            let deal: Deal = load(&deal, "deal")?;
            let ctx: StatementContext = load(&context, "context")?;
            out(&self.inner.statement(&deal, &ctx)?)
        })
    }

    /// One statement per deal (a JSON array) on one context: `{results, failures}` as JSON text.
    #[napi]
    pub fn statements(
        &self,
        env: Env,
        deals: String,
        context: String,
        explain: bool,
    ) -> napi::Result<String> {
        run(&env, || batch(&self.inner, &deals, &context, explain))
    }

    /// `statements` on the libuv thread pool (parsing included).
    #[napi(ts_return_type = "Promise<string>")]
    pub fn statements_async(
        &self,
        deals: String,
        context: String,
        explain: bool,
    ) -> AsyncTask<Job<String>> {
        let engine = Arc::clone(&self.inner);
        AsyncTask::new(Job::new(move || batch(&engine, &deals, &context, explain)))
    }

    /// A lease's administration month for a rent receipt (`{period_start, period_end,
    /// received?}`).
    #[napi]
    pub fn administration(&self, env: Env, deal: String, receipt: String) -> napi::Result<String> {
        run(&env, || {
            let deal: Deal = load(&deal, "deal")?;
            let receipt: RentReceipt = load(&receipt, "receipt")?;
            out(&self.inner.administration(&deal, &receipt)?)
        })
    }

    /// The reversal of a statement after a cancellation on `cancelledOn` (`YYYY-MM-DD`);
    /// `paid` is the gross paid so far per line (JSON array of money), null for everything.
    #[napi]
    pub fn clawback(
        &self,
        env: Env,
        statement: String,
        cancelled_on: String,
        paid: Option<String>,
    ) -> napi::Result<String> {
        run(&env, || {
            let s: CommissionStatement = load(&statement, "statement")?;
            let on = date(&cancelled_on, "cancelled_on")?;
            let paid: Option<Vec<Money>> = load_opt(paid.as_deref(), "paid")?;
            out(&self.inner.clawback(&s, on, paid.as_deref())?)
        })
    }

    /// The balanced ledger entry of a statement.
    #[napi]
    pub fn ledger_entry(&self, env: Env, statement: String) -> napi::Result<String> {
        run(&env, || {
            let s: CommissionStatement = load(&statement, "statement")?;
            out(&s.ledger_entry())
        })
    }
}

/// A pricing calculator by name (`financing`, `affordability`, `rent_adjustment`,
/// `closing_costs`, `ratio_study`, `price_per_m2`) on a JSON request; the result as JSON text.
#[napi]
pub fn pricing(env: Env, calculator: String, request: String) -> napi::Result<String> {
    run(&env, || {
        let input = text::parse(&request)?;
        text::check_pricing_request(&calculator, &input)?;
        out(&host::ops::pricing(&calculator, input)?)
    })
}
