//! `realestate_crm._native`: the native module under the `realestate_crm` Python package.
//!
//! Thin conversions only: Python objects become the core's JSON form (decimals as text, dates
//! and instants as ISO 8601, ids as UUID text), the core decides, results come back as plain
//! Python data that the pure-Python package wraps in records with `Decimal`, `date`,
//! `datetime` and `UUID` fields. Every call runs under the facade's panic guard
//! (`realestate_crm::host::guard`), and batch calls release the interpreter while Rust works.

use pyo3::prelude::*;

/// mimalloc instead of the system allocator: batch calls build and free many small JSON trees,
/// which glibc's allocator handles badly (its consolidation passes dominated a batch of
/// statements); mimalloc is the allocator polars and others ship for the same reason.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod api;
mod arrow;
mod commission;
mod convert;
mod dedupe;
mod errors;
mod fields;
mod money;
mod pyde;
mod records;
mod scoring;
mod store;
mod validate;
mod view;
mod workflow;

/// The native module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<view::JsonView>()?;
    m.add_class::<arrow::ArrowTable>()?;
    m.add_function(wrap_pyfunction!(validate::parse_cpf, m)?)?;
    m.add_function(wrap_pyfunction!(validate::parse_cnpj, m)?)?;
    m.add_function(wrap_pyfunction!(validate::parse_document, m)?)?;
    m.add_function(wrap_pyfunction!(validate::parse_cep, m)?)?;
    m.add_function(wrap_pyfunction!(validate::parse_uf, m)?)?;
    m.add_function(wrap_pyfunction!(validate::parse_phone, m)?)?;
    m.add_function(wrap_pyfunction!(validate::parse_email, m)?)?;
    m.add_function(wrap_pyfunction!(validate::parse_creci, m)?)?;
    m.add_function(wrap_pyfunction!(validate::is_valid, m)?)?;
    m.add_function(wrap_pyfunction!(validate::is_valid_cpf, m)?)?;
    m.add_function(wrap_pyfunction!(validate::check, m)?)?;
    m.add_function(wrap_pyfunction!(validate::canonical, m)?)?;
    m.add_function(wrap_pyfunction!(validate::check_many, m)?)?;
    m.add_function(wrap_pyfunction!(validate::canonical_many, m)?)?;
    m.add_function(wrap_pyfunction!(money::round_decimal, m)?)?;
    m.add_function(wrap_pyfunction!(money::allocate, m)?)?;
    m.add_function(wrap_pyfunction!(money::parse_rate, m)?)?;
    m.add_function(wrap_pyfunction!(money::currency_info, m)?)?;
    m.add_function(wrap_pyfunction!(money::money_op, m)?)?;
    m.add_function(wrap_pyfunction!(money::to_decimal, m)?)?;
    m.add_class::<commission::CommissionEngine>()?;
    m.add_function(wrap_pyfunction!(commission::pricing, m)?)?;
    m.add_class::<scoring::Scorer>()?;
    m.add_function(wrap_pyfunction!(scoring::records_from_columns, m)?)?;
    m.add_function(wrap_pyfunction!(dedupe::dedupe_config, m)?)?;
    m.add_function(wrap_pyfunction!(dedupe::compare_leads, m)?)?;
    m.add_function(wrap_pyfunction!(dedupe::find_duplicates, m)?)?;
    m.add_function(wrap_pyfunction!(dedupe::find_existing, m)?)?;
    m.add_function(wrap_pyfunction!(dedupe::merge_plan, m)?)?;
    m.add_function(wrap_pyfunction!(dedupe::match_key, m)?)?;
    m.add_function(wrap_pyfunction!(dedupe::field_weights, m)?)?;
    m.add_class::<workflow::Pipeline>()?;
    m.add_class::<workflow::RuleSet>()?;
    m.add_function(wrap_pyfunction!(workflow::evaluate_rules, m)?)?;
    m.add_class::<workflow::DecisionTable>()?;
    m.add_class::<workflow::BusinessCalendar>()?;
    m.add_function(wrap_pyfunction!(workflow::easter_sunday, m)?)?;
    m.add_class::<workflow::SlaPolicy>()?;
    m.add_function(wrap_pyfunction!(workflow::validate_sla_policies, m)?)?;
    m.add_function(wrap_pyfunction!(workflow::route_lead, m)?)?;
    m.add_function(wrap_pyfunction!(workflow::resolve_offer, m)?)?;
    m.add_function(wrap_pyfunction!(workflow::routing_policy, m)?)?;
    m.add_class::<store::NativeStore>()?;
    m.add_function(wrap_pyfunction!(records::record_problems, m)?)?;
    m.add_function(wrap_pyfunction!(records::records_problems, m)?)?;
    m.add_function(wrap_pyfunction!(records::record_round_trip, m)?)?;
    m.add_function(wrap_pyfunction!(records::record_normalized, m)?)?;
    m.add_function(wrap_pyfunction!(records::to_json_form, m)?)?;
    m.add_function(wrap_pyfunction!(records::_test_panic, m)?)?;
    Ok(())
}
