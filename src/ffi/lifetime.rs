//! Library lifetime: reference-counted `snmpx_init` / `snmpx_shutdown`, the default runtime,
//! the version and the live-handle count.

use super::guard::{boundary, live_handles};
use super::result::{snmpx_result, Fail};
use crate::session::Runtime;
use std::ffi::c_char;
use std::sync::{Mutex, MutexGuard};

/// The library's one piece of global state: how many `snmpx_init` calls are outstanding and
/// the runtime they share. Guarded by a lock taken only by init, shutdown and session open.
struct Lib {
    count: u64,
    runtime: Option<Runtime>,
}

static LIB: Mutex<Lib> = Mutex::new(Lib {
    count: 0,
    runtime: None,
});

fn lib() -> MutexGuard<'static, Lib> {
    // Every export runs inside catch_unwind, so a poisoned lock only means a contained
    // panic elsewhere; the state itself is always consistent between statements.
    LIB.lock().unwrap_or_else(|e| e.into_inner())
}

/// The runtime new sessions use, or `SNMPX_E_NOT_INITIALIZED`.
pub(crate) fn current_runtime() -> Result<Runtime, Fail> {
    lib().runtime.clone().ok_or_else(|| {
        Fail::new(
            snmpx_result::SNMPX_E_NOT_INITIALIZED,
            "snmpx_init() has not been called",
        )
    })
}

/// Fails with `SNMPX_E_CALLBACK_THREAD` on an I/O thread (inside a completion callback),
/// where waiting would deadlock: the thread would wait for itself.
pub(crate) fn not_on_callback_thread(what: &str) -> Result<(), Fail> {
    if crate::transport::on_shard_thread() {
        return Err(Fail::new(
            snmpx_result::SNMPX_E_CALLBACK_THREAD,
            format!("{what} cannot be called from a completion callback"),
        ));
    }
    Ok(())
}

/// Initializes the library, or adds one reference if it already is. Every successful call
/// must be matched by one `snmpx_shutdown()`. The first call starts the I/O thread; later
/// calls only count. Thread-safe; may be called again after the final shutdown. In a
/// `fork()` child, the call replaces the parent's runtime with a fresh one.
#[no_mangle]
pub extern "C" fn snmpx_init() -> snmpx_result {
    boundary(|| {
        let mut lib = lib();
        let usable = lib
            .runtime
            .as_ref()
            .is_some_and(|rt| rt.inner.check_usable().is_ok());
        if !usable {
            lib.runtime = Some(Runtime::new()?);
        }
        lib.count += 1;
        Ok(())
    })
}

/// Drops one reference taken by `snmpx_init()`. The last one stops the runtime: requests
/// still in flight complete with `SNMPX_E_CANCELLED` (their callbacks run before this
/// returns), and sessions opened before it fail with `SNMPX_E_SHUTDOWN` from then on (they
/// must still be freed). Other handles (responses, queues, configs) stay readable.
/// `SNMPX_E_NOT_INITIALIZED` if there is no reference to drop; `SNMPX_E_CALLBACK_THREAD`
/// from a completion callback.
#[no_mangle]
pub extern "C" fn snmpx_shutdown() -> snmpx_result {
    boundary(|| {
        not_on_callback_thread("snmpx_shutdown")?;
        let last = {
            let mut lib = lib();
            if lib.count == 0 {
                return Err(Fail::new(
                    snmpx_result::SNMPX_E_NOT_INITIALIZED,
                    "snmpx_shutdown() without a matching snmpx_init()",
                ));
            }
            lib.count -= 1;
            if lib.count == 0 {
                lib.runtime.take()
            } else {
                None
            }
        };
        // Stopped outside the lock: cancelled callbacks may call into the library.
        if let Some(rt) = last {
            rt.shutdown();
        }
        Ok(())
    })
}

/// Number of outstanding `snmpx_init()` references.
#[no_mangle]
pub extern "C" fn snmpx_init_count() -> u64 {
    lib().count
}

/// Number of library handles of any type currently allocated and not freed (configs,
/// sessions, requests, responses, completions, queues, walks, errors, owned varbinds): a
/// leak check for tests.
#[no_mangle]
pub extern "C" fn snmpx_live_handles() -> usize {
    live_handles()
}

/// The library version as static text, e.g. "0.1.0" (the SNMPX_VERSION_* macros give the
/// version the header was generated for).
#[no_mangle]
pub extern "C" fn snmpx_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}
