//! `snmpx_session`: opening sessions and the blocking operations.

use super::config::{options, snmpx_config};
use super::guard::{borrow, boundary, boundary_err, copy_text, into_raw, out, slice, text, Live};
use super::lifetime::{current_runtime, not_on_callback_thread};
use super::oidtext::parse_oid;
use super::request::{snmpx_request, snmpx_request_kind, RequestSpec};
use super::response::snmpx_response;
use super::result::{snmpx_error, snmpx_result, Fail};
use crate::oid::Oid;
use crate::session::Session;
use std::ffi::c_char;

/// A session: one agent with its credentials and options, on the library's runtime.
///
/// Ownership: created by `snmpx_session_open`, freed with `snmpx_session_free` (after the
/// last call using it has returned; requests still in flight are not cancelled by the free
/// and complete normally).
/// Thread-safety: shareable. Any number of threads may call the blocking operations and
/// submit on one session at once; a blocking call holds no lock while it waits.
/// After the final `snmpx_shutdown()` every operation fails with `SNMPX_E_SHUTDOWN`.
pub struct snmpx_session {
    pub(crate) session: Session,
    _live: Live,
}

/// Borrows a session argument.
///
/// # Safety
/// `s` must be NULL or a live session.
pub(crate) unsafe fn session_ref<'a>(s: *const snmpx_session) -> Result<&'a Session, Fail> {
    // SAFETY: per this function's contract.
    unsafe { borrow(s, "session") }.map(|s| &s.session)
}

/// Opens a session from a configuration (resolving the target once). Needs `snmpx_init()`.
/// Fails with `SNMPX_E_RESOLVE` for an unknown host, `SNMPX_E_USAGE` for a malformed target.
#[no_mangle]
pub unsafe extern "C" fn snmpx_session_open(
    config: *const snmpx_config,
    session: *mut *mut snmpx_session,
    err: *mut *mut snmpx_error,
) -> snmpx_result {
    boundary_err(err, || {
        // SAFETY: C contract: NULL or a live config.
        let opts = unsafe { options(config) }?;
        let session = out(session, "session")?;
        let rt = current_runtime()?;
        let s = opts.builder().open(&rt)?;
        let h = snmpx_session {
            session: s,
            _live: Live::new(),
        };
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { session.set(into_raw(h)) };
        Ok(())
    })
}

/// Frees a session (NULL is a no-op).
#[no_mangle]
pub unsafe extern "C" fn snmpx_session_free(session: *mut snmpx_session) {
    // SAFETY: C contract: NULL or a session from this library, freed once, no call using
    // it still running.
    unsafe { super::guard::free(session) }
}

/// The agent's resolved address as text (`127.0.0.1:161`, `[::1]:161`); buffer convention
/// of `snmpx_varbind_format`.
#[no_mangle]
pub unsafe extern "C" fn snmpx_session_peer(
    session: *const snmpx_session,
    buf: *mut c_char,
    buf_len: usize,
    len: *mut usize,
) -> snmpx_result {
    boundary(|| {
        // SAFETY: C contract: NULL or a live session.
        let s = unsafe { session_ref(session) }?;
        // SAFETY: C contract: `buf` writable for `buf_len` bytes, `len` writable.
        unsafe { copy_text(&s.peer().to_string(), buf, buf_len, len) }
    })
}

/// Runs `spec` on the session and waits for it.
pub(crate) fn run_blocking(s: &Session, spec: &RequestSpec) -> Result<Box<snmpx_response>, Fail> {
    not_on_callback_thread("a blocking operation")?;
    let op = spec.operation(s)?;
    let resp = s.request(op)?;
    Ok(Box::new(snmpx_response::new(resp)))
}

/// Parses `count` text OIDs.
///
/// # Safety
/// `oids` must be NULL or point to `count` pointers, each NULL or NUL-terminated.
pub(crate) unsafe fn text_oids(oids: *const *const c_char, count: usize) -> Result<Vec<Oid>, Fail> {
    // SAFETY: per this function's contract.
    let ptrs = unsafe { slice(oids, count, "oids") }?;
    if ptrs.is_empty() {
        return Err(Fail::invalid("no OID given"));
    }
    ptrs.iter()
        .enumerate()
        // SAFETY: per this function's contract, each entry is NULL or NUL-terminated.
        .map(|(i, p)| parse_oid(unsafe { text(*p, &format!("oids[{i}]")) }?))
        .collect()
}

/// Shared body of the text-OID blocking calls.
unsafe fn blocking_text(
    session: *const snmpx_session,
    kind: snmpx_request_kind,
    bulk: Option<(u32, u32)>,
    oids: *const *const c_char,
    count: usize,
    response: *mut *mut snmpx_response,
    err: *mut *mut snmpx_error,
) -> snmpx_result {
    boundary_err(err, || {
        // SAFETY: C contract: NULL or a live session.
        let s = unsafe { session_ref(session) }?;
        let response = out(response, "response")?;
        // SAFETY: C contract: `count` OID strings.
        let mut spec = RequestSpec::new(kind, unsafe { text_oids(oids, count) }?);
        spec.bulk = bulk;
        let r = run_blocking(s, &spec)?;
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { response.set(Box::into_raw(r)) };
        Ok(())
    })
}

/// Runs a request and waits for its response. The agent's error-status is data in the
/// response (call succeeds); timeouts, transport problems and bad input are failures.
/// `SNMPX_E_CALLBACK_THREAD` inside a completion callback.
#[no_mangle]
pub unsafe extern "C" fn snmpx_session_execute(
    session: *const snmpx_session,
    request: *const snmpx_request,
    response: *mut *mut snmpx_response,
    err: *mut *mut snmpx_error,
) -> snmpx_result {
    boundary_err(err, || {
        // SAFETY: C contract: NULL or a live session / request.
        let (s, req) = unsafe { (session_ref(session)?, borrow(request, "request")?) };
        let response = out(response, "response")?;
        let r = run_blocking(s, &req.spec)?;
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { response.set(Box::into_raw(r)) };
        Ok(())
    })
}

/// GetRequest for `count` OIDs given as text; waits. Missing objects are values
/// (noSuchObject / noSuchInstance), not failures. See `snmpx_session_execute`.
#[no_mangle]
pub unsafe extern "C" fn snmpx_session_get(
    session: *const snmpx_session,
    oids: *const *const c_char,
    count: usize,
    response: *mut *mut snmpx_response,
    err: *mut *mut snmpx_error,
) -> snmpx_result {
    let k = snmpx_request_kind::SNMPX_REQ_GET;
    // SAFETY: arguments passed through under the same C contract.
    unsafe { blocking_text(session, k, None, oids, count, response, err) }
}

/// GetNextRequest for `count` OIDs given as text; waits.
#[no_mangle]
pub unsafe extern "C" fn snmpx_session_get_next(
    session: *const snmpx_session,
    oids: *const *const c_char,
    count: usize,
    response: *mut *mut snmpx_response,
    err: *mut *mut snmpx_error,
) -> snmpx_result {
    let k = snmpx_request_kind::SNMPX_REQ_GET_NEXT;
    // SAFETY: arguments passed through under the same C contract.
    unsafe { blocking_text(session, k, None, oids, count, response, err) }
}

/// GetBulkRequest with explicit non-repeaters and max-repetitions; waits. `SNMPX_E_USAGE`
/// on an SNMPv1 session.
#[no_mangle]
pub unsafe extern "C" fn snmpx_session_get_bulk(
    session: *const snmpx_session,
    non_repeaters: u32,
    max_repetitions: u32,
    oids: *const *const c_char,
    count: usize,
    response: *mut *mut snmpx_response,
    err: *mut *mut snmpx_error,
) -> snmpx_result {
    let k = snmpx_request_kind::SNMPX_REQ_GET_BULK;
    let b = Some((non_repeaters, max_repetitions));
    // SAFETY: arguments passed through under the same C contract.
    unsafe { blocking_text(session, k, b, oids, count, response, err) }
}

/// Walks each OID's subtree with GetNext and returns every row in one response; waits.
/// Never silently truncated: an error-status mid-walk fails with `SNMPX_E_AGENT`, a
/// non-increasing OID with `SNMPX_E_NOT_INCREASING`.
#[no_mangle]
pub unsafe extern "C" fn snmpx_session_walk(
    session: *const snmpx_session,
    oids: *const *const c_char,
    count: usize,
    response: *mut *mut snmpx_response,
    err: *mut *mut snmpx_error,
) -> snmpx_result {
    let k = snmpx_request_kind::SNMPX_REQ_WALK;
    // SAFETY: arguments passed through under the same C contract.
    unsafe { blocking_text(session, k, None, oids, count, response, err) }
}

/// Like `snmpx_session_walk` with GetBulk (the session's max-repetitions).
#[no_mangle]
pub unsafe extern "C" fn snmpx_session_bulk_walk(
    session: *const snmpx_session,
    oids: *const *const c_char,
    count: usize,
    response: *mut *mut snmpx_response,
    err: *mut *mut snmpx_error,
) -> snmpx_result {
    let k = snmpx_request_kind::SNMPX_REQ_BULK_WALK;
    // SAFETY: arguments passed through under the same C contract.
    unsafe { blocking_text(session, k, None, oids, count, response, err) }
}
