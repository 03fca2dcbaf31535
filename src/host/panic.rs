//! A panic inside the library must never abort a host process (a notebook kernel, a web
//! worker): [`guard`] turns it into a [`HostError`] with code `internal.panic`.

use super::HostError;
use crate::ErrorCode;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs `f`, turning a panic into an `internal.panic` error that carries the panic message.
///
/// Every binding entry point calls the core through this guard. The core and the facade hold
/// no shared mutable state that a panic could leave half-updated, so resuming after one is sound.
///
/// ```
/// use realestate_crm::host::guard;
/// let ok: Result<u8, _> = guard(|| Ok(1));
/// assert_eq!(ok.ok(), Some(1));
/// ```
pub fn guard<T>(f: impl FnOnce() -> Result<T, HostError>) -> Result<T, HostError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".to_owned());
            Err(HostError::new(
                ErrorCode::Panic,
                format!("internal error (please report it): {what}"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::panic)]
    fn a_panic_becomes_an_internal_error() {
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let r: Result<(), HostError> = guard(|| panic!("boom"));
        std::panic::set_hook(prev);
        let e = r.err().map(|e| (e.code, e.message)).unwrap_or_default();
        assert_eq!(e.0, "internal.panic");
        assert!(e.1.contains("boom"));
    }
}
