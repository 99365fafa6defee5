//! Asynchronous requests: submission with a completion callback, completion queues polled
//! in batches with a pollable descriptor, completions, and cancellation by request id.

use super::guard::{borrow, borrow_mut, boundary, boundary_err, into_raw, out, Live};
use super::lifetime::not_on_callback_thread;
use super::request::snmpx_request;
use super::response::snmpx_response;
use super::result::{code_of, snmpx_error, snmpx_result, Fail};
use super::session::{session_ref, snmpx_session};
use crate::engine::Response;
use crate::error::Error;
use crate::session::{Completion, CompletionQueue};
use std::cell::Cell;
use std::ffi::{c_int, c_void};
use std::time::Duration;

/// The outcome of one asynchronous request: its id, the queue tag it was submitted with (0
/// for callbacks), a result code and either a response or an error.
///
/// Ownership: in a callback, borrowed for the duration of the call (do not free; take the
/// response with `snmpx_completion_take_response` to keep it). From `snmpx_cq_poll` /
/// `snmpx_cq_wait`, owned by the caller and freed with `snmpx_completion_free`.
/// Thread-safety: movable, not shareable (taking the response mutates it).
pub struct snmpx_completion {
    id: u64,
    tag: u64,
    code: snmpx_result,
    /// Inline, not boxed: a completion is one allocation (none when lent by
    /// `snmpx_cq_poll_each`); `snmpx_completion_take_response` boxes it when taken.
    response: Option<snmpx_response>,
    error: Option<Box<snmpx_error>>,
    _live: Live,
}

impl snmpx_completion {
    fn new(id: u64, tag: u64, result: Result<Response, Error>) -> snmpx_completion {
        let (code, response, error) = match result {
            Ok(r) => (snmpx_result::SNMPX_OK, Some(snmpx_response::new(r)), None),
            Err(e) => (
                code_of(&e),
                None,
                Some(Box::new(snmpx_error::from_fail(Fail::from(e)))),
            ),
        };
        snmpx_completion {
            id,
            tag,
            code,
            response,
            error,
            _live: Live::new(),
        }
    }

    fn from_queue(c: Completion) -> snmpx_completion {
        snmpx_completion::new(c.id, c.tag, c.result)
    }
}

/// A completion callback. Runs exactly once per successful submission, on one of the
/// library's I/O threads, with the `user_data` given at submission and a completion borrowed
/// for the duration of the call.
///
/// It must return quickly (it delays every other request on that thread) and must not:
/// call blocking operations (`snmpx_session_execute`, `snmpx_session_get`..., `snmpx_walk_next`,
/// `snmpx_cq_wait` with a timeout: they fail with `SNMPX_E_CALLBACK_THREAD`), call
/// `snmpx_shutdown` (same), free the session it was submitted on, `longjmp` out or let a
/// C++ exception escape. It may submit more requests, cancel requests, take the response and
/// free other objects.
pub type snmpx_callback =
    Option<unsafe extern "C" fn(user_data: *mut c_void, completion: *mut snmpx_completion)>;

/// Releases a submission's `user_data` once the library no longer needs it.
pub type snmpx_free_fn = Option<unsafe extern "C" fn(user_data: *mut c_void)>;

/// The user data of a callback submission; frees itself with the caller's function.
struct UserData {
    ptr: *mut c_void,
    free: snmpx_free_fn,
}

// SAFETY: snmpx_session_submit's contract: user_data may be used (by the callback) and
// freed (by free_fn) on a library I/O thread.
unsafe impl Send for UserData {}

impl Drop for UserData {
    fn drop(&mut self) {
        if let Some(f) = self.free {
            // SAFETY: the caller's free function with the caller's pointer, called once.
            unsafe { f(self.ptr) }
        }
    }
}

/// Submits a request; `callback` runs once with the outcome on an I/O thread (see
/// `snmpx_callback` for what it may do), possibly before this function returns. Ownership
/// of `user_data` passes to the library with the call: `free_fn` (if not NULL) is called
/// exactly once when it is no longer needed, after the callback, or before this function
/// returns if the submission fails (the callback then never runs). The request's id goes to
/// `*request_id`. May block while the runtime-wide in-flight cap (100,000) is reached.
#[no_mangle]
pub unsafe extern "C" fn snmpx_session_submit(
    session: *const snmpx_session,
    request: *const snmpx_request,
    callback: snmpx_callback,
    user_data: *mut c_void,
    free_fn: snmpx_free_fn,
    request_id: *mut u64,
    err: *mut *mut snmpx_error,
) -> snmpx_result {
    let ud = UserData {
        ptr: user_data,
        free: free_fn,
    };
    boundary_err(err, move || {
        // SAFETY: C contract: NULL or a live session / request.
        let (s, req) = unsafe { (session_ref(session)?, borrow(request, "request")?) };
        let request_id = out(request_id, "request_id")?;
        let cb = callback.ok_or_else(|| Fail::null("callback"))?;
        let op = req.spec.operation(s)?;
        let h = s.submit_with_id(op, move |id, result| {
            let ud = ud;
            let mut c = snmpx_completion::new(id, 0, result);
            // SAFETY: the caller's callback with its user data and a completion that lives
            // until the call returns.
            unsafe { cb(ud.ptr, &mut c) };
        })?;
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { request_id.set(h.id) };
        Ok(())
    })
}

/// Submits a request whose completion goes to `queue` with `tag` (any value; Go uses it for
/// its own lookup). The request's id goes to `*request_id`. Never blocks except at the
/// runtime-wide in-flight cap.
#[no_mangle]
pub unsafe extern "C" fn snmpx_session_submit_cq(
    session: *const snmpx_session,
    request: *const snmpx_request,
    queue: *const snmpx_cq,
    tag: u64,
    request_id: *mut u64,
    err: *mut *mut snmpx_error,
) -> snmpx_result {
    boundary_err(err, || {
        // SAFETY: C contract: NULL or a live session / request / queue.
        let (s, req, q) = unsafe {
            (
                session_ref(session)?,
                borrow(request, "request")?,
                borrow(queue, "queue")?,
            )
        };
        let request_id = out(request_id, "request_id")?;
        let op = req.spec.operation(s)?;
        let h = s.submit_to_queue(op, &q.queue, tag)?;
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { request_id.set(h.id) };
        Ok(())
    })
}

/// Cancels a request submitted on this session: it completes with `SNMPX_E_CANCELLED`
/// unless it has already completed (then nothing happens). Returns once the cancellation is
/// queued; the completion follows on the usual path.
#[no_mangle]
pub unsafe extern "C" fn snmpx_session_cancel(
    session: *const snmpx_session,
    request_id: u64,
) -> snmpx_result {
    boundary(|| {
        // SAFETY: C contract: NULL or a live session.
        let s = unsafe { session_ref(session) }?;
        s.cancel_id(request_id)?;
        Ok(())
    })
}

/// A completion queue: completions of `snmpx_session_submit_cq` wait here until polled.
/// Its descriptor (`snmpx_cq_fd`) is readable while completions are waiting, for
/// poll/epoll/select/libuv loops; draining the queue makes it unreadable again.
///
/// Ownership: `snmpx_cq_new` / `snmpx_cq_free`. Freeing it with requests still pending is
/// safe: their completions are dropped. It does not need `snmpx_init()`.
/// Thread-safety: shareable; any thread may poll, submit to it, or wait on it.
pub struct snmpx_cq {
    queue: CompletionQueue,
    _live: Live,
}

/// A new, empty completion queue.
#[no_mangle]
pub unsafe extern "C" fn snmpx_cq_new(queue: *mut *mut snmpx_cq) -> snmpx_result {
    boundary(|| {
        let queue = out(queue, "queue")?;
        let q = CompletionQueue::new().map_err(|e| {
            Fail::new(
                snmpx_result::SNMPX_E_CONNECTION,
                format!("cannot create the queue's eventfd: {e}"),
            )
        })?;
        let h = snmpx_cq {
            queue: q,
            _live: Live::new(),
        };
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { queue.set(into_raw(h)) };
        Ok(())
    })
}

/// Frees a queue (NULL is a no-op); the descriptor is closed.
#[no_mangle]
pub unsafe extern "C" fn snmpx_cq_free(queue: *mut snmpx_cq) {
    // SAFETY: C contract: NULL or a queue from this library, freed once.
    unsafe { super::guard::free(queue) }
}

/// The queue's descriptor: readable (POLLIN) while completions are waiting. Owned by the
/// queue: do not read from or close it.
#[no_mangle]
pub unsafe extern "C" fn snmpx_cq_fd(queue: *const snmpx_cq, fd: *mut c_int) -> snmpx_result {
    boundary(|| {
        // SAFETY: C contract: NULL or a live queue.
        let q = unsafe { borrow(queue, "queue") }?;
        let fd = out(fd, "fd")?;
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { fd.set(q.queue.fd()) };
        Ok(())
    })
}

thread_local! {
    /// A drained batch between the queue and its consumer, reused by every poll on this
    /// thread (a batch of 256 completions would otherwise be one large allocation per poll).
    static BATCH: Cell<Vec<Completion>> = const { Cell::new(Vec::new()) };
}

/// The most completions a thread keeps room for between polls.
const BATCH_KEEP: usize = 4096;

/// Takes up to `capacity` completions from the queue (waiting up to `timeout` for the first
/// when given) into this thread's reusable batch, lets `f` consume them, and puts the
/// batch's storage back. A nested poll from `f` (a visitor) gets a fresh batch.
fn with_batch<R>(
    q: &snmpx_cq,
    timeout: Option<Duration>,
    capacity: usize,
    f: impl FnOnce(&mut Vec<Completion>) -> R,
) -> R {
    let mut got = BATCH.with(Cell::take);
    match timeout {
        Some(t) => q.queue.wait(capacity, t, &mut got),
        None => q.queue.poll(capacity, &mut got),
    };
    let r = f(&mut got);
    got.clear(); // anything `f` left is dropped
    if got.capacity() <= BATCH_KEEP {
        BATCH.with(|b| b.set(got));
    }
    r
}

/// Moves up to `capacity` completions into `completions` (owned by the caller: free each
/// with `snmpx_completion_free`) and stores how many in `*count`.
fn drain(
    q: &snmpx_cq,
    timeout: Option<Duration>,
    completions: *mut *mut snmpx_completion,
    capacity: usize,
    count: *mut usize,
) -> Result<(), Fail> {
    let count = out(count, "count")?;
    if capacity > 0 && completions.is_null() {
        return Err(Fail::null("completions"));
    }
    let n = with_batch(q, timeout, capacity, |got| {
        let n = got.len();
        for (i, c) in got.drain(..).enumerate() {
            let p = into_raw(snmpx_completion::from_queue(c));
            // SAFETY: `completions` is non-NULL with room for `capacity >= n` pointers.
            unsafe { completions.add(i).write(p) };
        }
        n
    });
    // SAFETY: checked non-NULL, writable per the C contract.
    unsafe { count.set(n) };
    Ok(())
}

/// Takes up to `capacity` waiting completions without blocking; `*count` may be 0.
#[no_mangle]
pub unsafe extern "C" fn snmpx_cq_poll(
    queue: *const snmpx_cq,
    completions: *mut *mut snmpx_completion,
    capacity: usize,
    count: *mut usize,
) -> snmpx_result {
    boundary(|| {
        // SAFETY: C contract: NULL or a live queue.
        let q = unsafe { borrow(queue, "queue") }?;
        drain(q, None, completions, capacity, count)
    })
}

/// Like `snmpx_cq_poll`, but waits up to `timeout_seconds` (fractions allowed, at most
/// 86400) for at least one completion; `*count` is 0 if none came.
/// `SNMPX_E_CALLBACK_THREAD` with a non-zero timeout inside a completion callback.
#[no_mangle]
pub unsafe extern "C" fn snmpx_cq_wait(
    queue: *const snmpx_cq,
    timeout_seconds: f64,
    completions: *mut *mut snmpx_completion,
    capacity: usize,
    count: *mut usize,
) -> snmpx_result {
    boundary(|| {
        // SAFETY: C contract: NULL or a live queue.
        let q = unsafe { borrow(queue, "queue") }?;
        if !(timeout_seconds.is_finite() && (0.0..=86_400.0).contains(&timeout_seconds)) {
            return Err(Fail::invalid("timeout must be in 0..=86400 seconds"));
        }
        if timeout_seconds > 0.0 {
            not_on_callback_thread("snmpx_cq_wait")?;
        }
        let t = Duration::from_secs_f64(timeout_seconds);
        drain(q, Some(t), completions, capacity, count)
    })
}

/// A visitor of `snmpx_cq_poll_each`: called once per completion, with the `user_data`
/// given to the poll and a completion lent for the duration of the call.
pub type snmpx_completion_visitor =
    Option<unsafe extern "C" fn(user_data: *mut c_void, completion: *mut snmpx_completion)>;

/// Takes up to `capacity` waiting completions without blocking and lends each, in order,
/// to `visit` (on the calling thread, before this function returns); `*count` is how many
/// (0 if none were waiting). No completion handle is allocated: each is freed by the library
/// when `visit` returns, so `visit` must not free it or keep pointers into it, but may take
/// its response (`snmpx_completion_take_response`) to keep it. Meant for language bindings
/// that copy every outcome out at once (the Go package serialises a whole batch this way).
/// Draining the queue makes its descriptor unreadable, as with `snmpx_cq_poll`.
#[no_mangle]
pub unsafe extern "C" fn snmpx_cq_poll_each(
    queue: *const snmpx_cq,
    capacity: usize,
    visit: snmpx_completion_visitor,
    user_data: *mut c_void,
    count: *mut usize,
) -> snmpx_result {
    boundary(|| {
        // SAFETY: C contract: NULL or a live queue.
        let q = unsafe { borrow(queue, "queue") }?;
        let count = out(count, "count")?;
        let visit = visit.ok_or_else(|| Fail::null("visit"))?;
        let n = with_batch(q, None, capacity, |got| {
            let n = got.len();
            for c in got.drain(..) {
                let mut c = snmpx_completion::from_queue(c);
                // SAFETY: the caller's visitor with its user data and a completion that
                // lives until the call returns.
                unsafe { visit(user_data, &mut c) };
            }
            n
        });
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { count.set(n) };
        Ok(())
    })
}

/// Frees a completion taken from a queue (NULL is a no-op). Never call it on the
/// completion a callback receives.
#[no_mangle]
pub unsafe extern "C" fn snmpx_completion_free(completion: *mut snmpx_completion) {
    // SAFETY: C contract: NULL or a completion from snmpx_cq_poll/wait, freed once.
    unsafe { super::guard::free(completion) }
}

fn with_completion(
    completion: *const snmpx_completion,
    f: impl FnOnce(&snmpx_completion) -> Result<(), Fail>,
) -> snmpx_result {
    boundary(|| {
        // SAFETY: C contract: NULL or a live completion.
        f(unsafe { borrow(completion, "completion") }?)
    })
}

/// The request id (as returned at submission).
#[no_mangle]
pub unsafe extern "C" fn snmpx_completion_id(
    completion: *const snmpx_completion,
    request_id: *mut u64,
) -> snmpx_result {
    with_completion(completion, |c| {
        let request_id = out(request_id, "request_id")?;
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { request_id.set(c.id) };
        Ok(())
    })
}

/// The tag given to `snmpx_session_submit_cq` (0 for callback submissions).
#[no_mangle]
pub unsafe extern "C" fn snmpx_completion_tag(
    completion: *const snmpx_completion,
    tag: *mut u64,
) -> snmpx_result {
    with_completion(completion, |c| {
        let tag = out(tag, "tag")?;
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { tag.set(c.tag) };
        Ok(())
    })
}

/// The request's outcome: `SNMPX_OK` (a response is available; its error-status may still
/// be non-zero) or the failure code (an error is available).
#[no_mangle]
pub unsafe extern "C" fn snmpx_completion_result(
    completion: *const snmpx_completion,
    code: *mut u32,
) -> snmpx_result {
    with_completion(completion, |c| {
        let code = out(code, "code")?;
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { code.set(c.code as u32) };
        Ok(())
    })
}

/// The response, borrowed from the completion. `SNMPX_E_NOT_FOUND` if the request failed
/// or the response was taken.
#[no_mangle]
pub unsafe extern "C" fn snmpx_completion_response(
    completion: *const snmpx_completion,
    response: *mut *const snmpx_response,
) -> snmpx_result {
    with_completion(completion, |c| {
        let response = out(response, "response")?;
        let r = c
            .response
            .as_ref()
            .ok_or_else(|| Fail::new(snmpx_result::SNMPX_E_NOT_FOUND, "no response"))?;
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { response.set(r) };
        Ok(())
    })
}

/// Moves the response out of the completion; the caller frees it with
/// `snmpx_response_free`. `SNMPX_E_NOT_FOUND` if there is none (failed, or already taken).
#[no_mangle]
pub unsafe extern "C" fn snmpx_completion_take_response(
    completion: *mut snmpx_completion,
    response: *mut *mut snmpx_response,
) -> snmpx_result {
    boundary(|| {
        // SAFETY: C contract: NULL or a live completion not used by another thread.
        let c = unsafe { borrow_mut(completion, "completion") }?;
        let response = out(response, "response")?;
        let r = c
            .response
            .take()
            .ok_or_else(|| Fail::new(snmpx_result::SNMPX_E_NOT_FOUND, "no response"))?;
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { response.set(into_raw(r)) };
        Ok(())
    })
}

/// The error of a failed request, borrowed from the completion. `SNMPX_E_NOT_FOUND` if the
/// request succeeded.
#[no_mangle]
pub unsafe extern "C" fn snmpx_completion_error(
    completion: *const snmpx_completion,
    error: *mut *const snmpx_error,
) -> snmpx_result {
    with_completion(completion, |c| {
        let error = out(error, "error")?;
        let e = c
            .error
            .as_deref()
            .ok_or_else(|| Fail::new(snmpx_result::SNMPX_E_NOT_FOUND, "no error"))?;
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { error.set(e) };
        Ok(())
    })
}
