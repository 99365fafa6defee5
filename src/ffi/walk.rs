//! `snmpx_walk`: a streaming walk whose rows arrive as the agent answers.

use super::guard::{borrow, borrow_mut, boundary_err, into_raw, out, Live};
use super::lifetime::not_on_callback_thread;
use super::request::{snmpx_request, snmpx_request_kind};
use super::response::{snmpx_varbind, OwnedVarbind};
use super::result::{snmpx_error, snmpx_result, Fail};
use super::session::{session_ref, snmpx_session};
use crate::session::WalkIter;

/// A walk in progress. Rows are fetched as they are read, a page (one response) at a time.
///
/// Ownership: `snmpx_session_walk_start` / `snmpx_walk_free`; freeing an unfinished walk
/// cancels it. Thread-safety: movable, not shareable (one reader at a time).
pub struct snmpx_walk {
    iter: WalkIter,
    _live: Live,
}

/// Starts a streaming walk of the request's OIDs (a `SNMPX_REQ_WALK` or
/// `SNMPX_REQ_BULK_WALK` request).
#[no_mangle]
pub unsafe extern "C" fn snmpx_session_walk_start(
    session: *const snmpx_session,
    request: *const snmpx_request,
    walk: *mut *mut snmpx_walk,
    err: *mut *mut snmpx_error,
) -> snmpx_result {
    boundary_err(err, || {
        // SAFETY: C contract: NULL or a live session / request.
        let (s, req) = unsafe { (session_ref(session)?, borrow(request, "request")?) };
        let walk = out(walk, "walk")?;
        let bulk = match req.spec.kind {
            snmpx_request_kind::SNMPX_REQ_WALK => false,
            snmpx_request_kind::SNMPX_REQ_BULK_WALK => true,
            _ => return Err(Fail::invalid("a walk needs a WALK or BULK_WALK request")),
        };
        if req.spec.bindings.is_empty() {
            return Err(Fail::invalid("the request has no OID"));
        }
        let roots: Vec<_> = req.spec.bindings.iter().map(|(o, _)| o.clone()).collect();
        let iter = s.walk_iter(&roots, bulk)?;
        let h = snmpx_walk {
            iter,
            _live: Live::new(),
        };
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { walk.set(into_raw(h)) };
        Ok(())
    })
}

/// The next row: on `SNMPX_OK`, `*row` is an owned varbind (free with
/// `snmpx_varbind_free`), or NULL when the walk has ended. Blocks until the agent answers.
/// A failed walk returns its error once (rows before it were delivered), then ends.
/// `SNMPX_E_CALLBACK_THREAD` inside a completion callback.
#[no_mangle]
pub unsafe extern "C" fn snmpx_walk_next(
    walk: *mut snmpx_walk,
    row: *mut *mut snmpx_varbind,
    err: *mut *mut snmpx_error,
) -> snmpx_result {
    boundary_err(err, || {
        // SAFETY: C contract: NULL or a live walk used by one thread at a time.
        let w = unsafe { borrow_mut(walk, "walk") }?;
        let row = out(row, "row")?;
        not_on_callback_thread("snmpx_walk_next")?;
        let next = match w.iter.next() {
            None => std::ptr::null_mut(),
            Some(Ok(vb)) => OwnedVarbind::into_raw(vb),
            Some(Err(e)) => return Err(e.into()),
        };
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { row.set(next) };
        Ok(())
    })
}

/// Frees a walk (NULL is a no-op), cancelling it if it has not ended.
#[no_mangle]
pub unsafe extern "C" fn snmpx_walk_free(walk: *mut snmpx_walk) {
    // SAFETY: C contract: NULL or a walk from this library, freed once.
    unsafe { super::guard::free(walk) }
}
