//! `realestate-crm` for Node: the native addon under the npm package of the same name.
//!
//! Thin conversions only. Plain values (documents, decimal text, codes) cross as JS strings,
//! numbers and booleans; records, configurations and results cross as JSON text, which the
//! package's JavaScript layer (`lib/`) writes with `JSON.stringify` and reads with
//! `JSON.parse` (V8's JSON is much faster than building objects property by property through
//! N-API). Instants are RFC 3339 text here and `Date` objects in the package; money and rates
//! are decimal text everywhere, and a JS number where the core keeps a decimal is refused
//! (`realestate_crm::host::text`). Every call runs under the facade's panic guard, failures are
//! the package's coded error objects ([`errors`]), and heavy batches have Promise-returning
//! variants that run on the libuv thread pool ([`task`]).

// napi-derive registers the exported functions only outside `cfg(test)`, so the unit-test build
// sees them as unused.
#![cfg_attr(test, allow(dead_code))]

/// mimalloc instead of the system allocator for the addon's own allocations: batch calls build
/// and free many small JSON values and strings on several threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod commission;
mod dedupe;
mod errors;
mod json;
mod money;
mod records;
mod scoring;
mod store;
mod task;
mod validate;
mod workflow;

/// The version of the native addon (the crate's version).
#[napi_derive::napi]
pub fn native_version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
