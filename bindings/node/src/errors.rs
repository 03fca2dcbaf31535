//! Core errors as JavaScript exceptions.
//!
//! The JavaScript package registers one factory at load (`setErrorFactory`): a function of
//! `(className, code, message, path, errorsJson)` that builds the subclass of `CrmError` the
//! facade names for the code (`ValidationError`, `WorkflowError`, …; `HostError::category`). Every failure of a native
//! call is built by it and thrown as is, so a caller gets the same class and `code` whether the
//! call was synchronous or returned a Promise (an async task rejects with the object built on the
//! JS thread in its `resolve`). Without a factory (the native module loaded on its own) the
//! error is a plain `Error` with the same `code`, `path` and `errors` properties.

use napi::bindgen_prelude::{FnArgs, FunctionRef, Unknown};
use napi::{Env, JsValue, Status};
use napi_derive::napi;
use realestate_crm::host::{HostError, guard};
use std::cell::RefCell;

type Factory =
    FunctionRef<FnArgs<(&'static str, String, String, Option<String>, String)>, Unknown<'static>>;

thread_local! {
    /// The factory of the JS thread (each worker thread loads its own copy of the addon state).
    static FACTORY: RefCell<Option<Factory>> = const { RefCell::new(None) };
}

/// Registers the function that builds error objects: `(code, message, path, errorsJson) =>
/// Error`. Called once by the package when it loads.
#[napi]
pub fn set_error_factory(
    #[napi(
        ts_arg_type = "(code: string, message: string, path: string | null, errors: string) => Error"
    )]
    factory: Factory,
) {
    FACTORY.with(|f| *f.borrow_mut() = Some(factory));
}

fn errors_json(e: &HostError) -> String {
    let list: Vec<serde_json::Value> = e
        .errors
        .iter()
        .map(|f| serde_json::json!({"path": f.path, "code": f.code.as_str(), "message": f.message}))
        .collect();
    serde_json::Value::Array(list).to_string()
}

/// The JavaScript error object of a host error, as a `napi::Error` that throws (or rejects
/// with) exactly that object.
pub fn to_js(env: &Env, e: HostError) -> napi::Error {
    match build(env, &e) {
        Ok(err) => err,
        Err(failed) => napi::Error::new(
            Status::GenericFailure,
            format!("{e} (and the error object could not be built: {failed})"),
        ),
    }
}

fn build(env: &Env, e: &HostError) -> napi::Result<napi::Error> {
    let from_factory = FACTORY.with(|f| -> napi::Result<Option<napi::Error>> {
        let slot = f.borrow();
        let Some(factory) = slot.as_ref() else {
            return Ok(None);
        };
        let func = factory.borrow_back(env)?;
        let obj = func.call(FnArgs::from((
            e.category().class_name(),
            e.code.clone(),
            e.message.clone(),
            e.path.clone(),
            errors_json(e),
        )))?;
        Ok(Some(napi::Error::from(obj)))
    })?;
    if let Some(err) = from_factory {
        return Ok(err);
    }
    let mut obj = env.create_error(napi::Error::new(Status::GenericFailure, e.to_string()))?;
    obj.set("name", e.category().class_name())?;
    obj.set("code", e.code.as_str())?;
    obj.set("path", e.path.as_deref())?;
    obj.set("errorsJson", errors_json(e))?;
    Ok(napi::Error::from(obj.to_unknown()))
}

/// Runs `f` under the facade's panic guard (a panic becomes `internal.panic`) and turns its
/// error into the JavaScript exception.
pub fn run<T>(env: &Env, f: impl FnOnce() -> Result<T, HostError>) -> napi::Result<T> {
    guard(f).map_err(|e| to_js(env, e))
}

/// Describes a host error as JSON (`{class, code, message, path, errors}`), for batch results
/// that hold a failure in an item's place (the package turns it into its error object).
pub fn envelope(e: &HostError) -> serde_json::Value {
    serde_json::json!({
        "class": e.category().class_name(),
        "code": e.code,
        "message": e.message,
        "path": e.path,
        "errors": e.errors.iter().map(|f| serde_json::json!({
            "path": f.path, "code": f.code.as_str(), "message": f.message
        })).collect::<Vec<_>>(),
    })
}

/// Panics inside the guard, so the tests can see a Rust panic surface as `internal.panic`.
#[napi(js_name = "_testPanic")]
#[allow(clippy::panic)]
pub fn test_panic(env: Env) -> napi::Result<()> {
    run(&env, || -> Result<(), HostError> {
        panic!("a test panic from _testPanic")
    })
}
