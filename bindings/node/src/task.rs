//! Heavy batches off the event loop: a [`Job`] runs its work on the libuv thread pool (napi's
//! `AsyncTask`, a Promise in JS) and settles the Promise on the JS thread, where a failure
//! becomes the same coded error object a synchronous call throws.

use crate::errors::to_js;
use napi::bindgen_prelude::{ToNapiValue, TypeName, Uint8Array};
use napi::{Env, Task};
use realestate_crm::ErrorCode;
use realestate_crm::host::{HostError, guard};

type Work<T> = Box<dyn FnOnce() -> Result<T, HostError> + Send>;

/// Work for the thread pool: everything it needs is owned (converted from JS before it starts).
pub struct Job<T: Send + 'static> {
    work: Option<Work<T>>,
}

impl<T: Send + 'static> Job<T> {
    /// A job running `work` under the panic guard.
    pub fn new(work: impl FnOnce() -> Result<T, HostError> + Send + 'static) -> Self {
        Self {
            work: Some(Box::new(work)),
        }
    }
}

/// How a job's output becomes a JS value on the JS thread.
pub trait Settle: Send + Sized + 'static {
    /// The JS value the Promise resolves with.
    type Js: ToNapiValue + TypeName;
    /// Converts the output.
    fn settle(self) -> Self::Js;
}

impl Settle for String {
    type Js = String;
    fn settle(self) -> String {
        self
    }
}

impl Settle for Vec<u8> {
    type Js = Uint8Array;
    fn settle(self) -> Uint8Array {
        Uint8Array::new(self)
    }
}

impl<T: Settle> Task for Job<T> {
    type Output = Result<T, HostError>;
    type JsValue = T::Js;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let work = self.work.take();
        Ok(guard(move || match work {
            Some(work) => work(),
            None => Err(HostError::new(ErrorCode::Panic, "a job ran twice")),
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        output.map(Settle::settle).map_err(|e| to_js(&env, e))
    }
}
