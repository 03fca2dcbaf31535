//! The one tokio runtime a host process runs store calls on (feature `store`), and store
//! errors as [`HostError`]s.
//!
//! Bindings call [`block_on`] from their own threads (never from inside the runtime): the
//! runtime is a multi-thread one, built on first use and kept in a global. After `fork()` the
//! child has none of the parent's worker threads, so the runtime remembers the process id it was
//! built in and a child builds its own on first use; the parent's copy is leaked in the child
//! (dropping it would wait for threads that do not exist there). Stores opened before a fork
//! hold connections and tasks of the parent's runtime: open stores after forking (in each
//! worker), never share one across a fork.
//!
//! ```
//! let n = realestate_crm::host::runtime::block_on(async { 40 + 2 });
//! assert_eq!(n.ok(), Some(42));
//! ```

use super::HostError;
use crate::ErrorCode;
use crate::store::StoreError;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::runtime::Runtime;

/// The runtime and the process it was built in.
static RUNTIME: Mutex<Option<(u32, Arc<Runtime>)>> = Mutex::new(None);

/// The process's runtime, built (or rebuilt after a fork) when needed.
pub fn handle() -> Result<Arc<Runtime>, HostError> {
    let pid = std::process::id();
    let mut slot = RUNTIME.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((owner, rt)) = slot.as_ref() {
        if *owner == pid {
            return Ok(Arc::clone(rt));
        }
    }
    if let Some((_, stale)) = slot.take() {
        // Built in the parent before a fork: its threads are not in this process.
        std::mem::forget(stale);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("realestate-crm")
        .build()
        .map(Arc::new)
        .map_err(|e| {
            HostError::new(
                ErrorCode::StoreUnavailable,
                format!("the async runtime could not start: {e}"),
            )
        })?;
    *slot = Some((pid, Arc::clone(&rt)));
    Ok(rt)
}

/// Runs `fut` to completion on the process's runtime, blocking the calling thread. Must not be
/// called from a thread of the runtime itself.
pub fn block_on<F: Future>(fut: F) -> Result<F::Output, HostError> {
    let rt = handle()?;
    Ok(rt.block_on(fut))
}

impl From<StoreError> for HostError {
    fn from(e: StoreError) -> Self {
        let errors = e.field_errors().to_vec();
        let path = errors
            .first()
            .and_then(|f| (!f.path.is_empty()).then(|| f.path.clone()));
        Self {
            code: e.code().as_str().to_owned(),
            message: e.to_string(),
            path,
            errors,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::RecordKind;

    #[test]
    fn one_runtime_per_process() {
        let a = handle().ok().map(|r| Arc::as_ptr(&r));
        let b = handle().ok().map(|r| Arc::as_ptr(&r));
        assert!(a.is_some());
        assert_eq!(a, b);
        assert_eq!(block_on(async { 7 }).ok(), Some(7));
    }

    #[test]
    fn store_errors_keep_their_code() {
        let e = HostError::from(StoreError::Conflict {
            kind: RecordKind::Lead,
            id: uuid::Uuid::nil(),
            expected: 1,
            actual: Some(2),
        });
        assert_eq!(e.code, "store.conflict");
        assert!(e.errors.is_empty());
        let v = crate::ValidationErrors::from(
            crate::FieldError::new(ErrorCode::EmailFormat, "bad").at("contact.email"),
        );
        let e = HostError::from(StoreError::Validation(v));
        assert_eq!(e.path.as_deref(), Some("contact.email"));
        assert_eq!(e.errors.len(), 1);
    }
}
