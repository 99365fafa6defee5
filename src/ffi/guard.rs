//! The panic boundary, argument checks and the live-handle count shared by every export.

use super::result::{snmpx_error, snmpx_result, Fail};
use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Handles (of every type) currently allocated and not yet freed.
static LIVE: AtomicUsize = AtomicUsize::new(0);

/// A zero-sized member of every owned handle: counts it while it lives.
pub(crate) struct Live(());

impl Live {
    pub(crate) fn new() -> Live {
        LIVE.fetch_add(1, Ordering::Relaxed);
        Live(())
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        LIVE.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Number of handles currently alive.
pub(crate) fn live_handles() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// Runs an export's body: a panic becomes `SNMPX_E_PANIC`, a failure its code. Nothing is
/// written anywhere on failure.
pub(crate) fn boundary<F>(f: F) -> snmpx_result
where
    F: FnOnce() -> Result<(), Fail>,
{
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => snmpx_result::SNMPX_OK,
        Ok(Err(fail)) => fail.code,
        Err(_) => snmpx_result::SNMPX_E_PANIC,
    }
}

/// Like [`boundary`], and on failure stores a new [`snmpx_error`] in `*err` when `err` is
/// not NULL (the only output written on failure).
pub(crate) fn boundary_err<F>(err: *mut *mut snmpx_error, f: F) -> snmpx_result
where
    F: FnOnce() -> Result<(), Fail>,
{
    let fail = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => return snmpx_result::SNMPX_OK,
        Ok(Err(fail)) => fail,
        Err(_) => Fail::new(
            snmpx_result::SNMPX_E_PANIC,
            "internal error: a panic was contained at the C boundary",
        ),
    };
    let code = fail.code;
    if !err.is_null() {
        let boxed = catch_unwind(AssertUnwindSafe(|| Box::new(snmpx_error::from_fail(fail))));
        if let Ok(e) = boxed {
            // SAFETY: `err` is non-NULL and, by the C contract, points to writable storage
            // for one pointer.
            unsafe { err.write(Box::into_raw(e)) };
        }
    }
    code
}

/// Borrows `*p`, or fails with `SNMPX_E_INVALID` naming the argument when it is NULL.
///
/// # Safety
/// A non-NULL `p` must point to a live `T` for `'a`.
pub(crate) unsafe fn borrow<'a, T>(p: *const T, what: &str) -> Result<&'a T, Fail> {
    // SAFETY: the caller guarantees a non-NULL `p` points to a live T.
    unsafe { p.as_ref() }.ok_or_else(|| Fail::null(what))
}

/// Mutably borrows `*p`, or fails with `SNMPX_E_INVALID` when it is NULL.
///
/// # Safety
/// A non-NULL `p` must point to a live `T` not otherwise borrowed for `'a`.
pub(crate) unsafe fn borrow_mut<'a, T>(p: *mut T, what: &str) -> Result<&'a mut T, Fail> {
    // SAFETY: the caller guarantees exclusive access to a live T behind a non-NULL `p`.
    unsafe { p.as_mut() }.ok_or_else(|| Fail::null(what))
}

/// Fails with `SNMPX_E_INVALID` when an output pointer is NULL (checked before any work,
/// so that outputs are written only on success).
pub(crate) fn out<T>(p: *mut T, what: &str) -> Result<Out<T>, Fail> {
    if p.is_null() {
        Err(Fail::null(what))
    } else {
        Ok(Out(p))
    }
}

/// A checked, non-NULL output location.
pub(crate) struct Out<T>(*mut T);

impl<T> Out<T> {
    /// Stores the value.
    ///
    /// # Safety
    /// The pointer given to [`out`] must be writable for one `T`.
    pub(crate) unsafe fn set(self, v: T) {
        // SAFETY: non-NULL (checked by `out`) and writable per the caller.
        unsafe { self.0.write(v) }
    }
}

/// A NUL-terminated UTF-8 argument.
///
/// # Safety
/// A non-NULL `p` must point to a NUL-terminated string live for `'a`.
pub(crate) unsafe fn text<'a>(p: *const c_char, what: &str) -> Result<&'a str, Fail> {
    if p.is_null() {
        return Err(Fail::null(what));
    }
    // SAFETY: non-NULL and NUL-terminated per the caller.
    let c = unsafe { CStr::from_ptr(p) };
    c.to_str().map_err(|_| {
        Fail::new(
            super::result::snmpx_result::SNMPX_E_INVALID,
            format!("{what} is not valid UTF-8"),
        )
    })
}

/// A `(pointer, length)` argument; NULL is allowed only with length 0.
///
/// # Safety
/// A non-NULL `p` must point to `len` readable `T`s live for `'a`.
pub(crate) unsafe fn slice<'a, T>(p: *const T, len: usize, what: &str) -> Result<&'a [T], Fail> {
    if len == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(Fail::null(what));
    }
    // SAFETY: non-NULL with `len` readable elements per the caller.
    Ok(unsafe { std::slice::from_raw_parts(p, len) })
}

/// Copies `s` plus a NUL into `(buf, cap)` and stores the text length (without NUL) in
/// `*len`. When it does not fit, stores the needed length and fails with
/// `SNMPX_E_BUFFER_TOO_SMALL` (snprintf-style size query; `buf` may be NULL if `cap` is 0).
///
/// # Safety
/// A non-NULL `buf` must be writable for `cap` bytes; a non-NULL `len` writable.
pub(crate) unsafe fn copy_text(
    s: &str,
    buf: *mut c_char,
    cap: usize,
    len: *mut usize,
) -> Result<(), Fail> {
    let len = out(len, "len")?;
    if cap > 0 && buf.is_null() {
        return Err(Fail::null("buf"));
    }
    let n = s.len();
    if n + 1 > cap {
        // SAFETY: checked non-NULL; writable per the caller.
        unsafe { len.set(n) };
        return Err(Fail::new(
            super::result::snmpx_result::SNMPX_E_BUFFER_TOO_SMALL,
            format!("{} bytes needed including the NUL", n + 1),
        ));
    }
    // SAFETY: `buf` is writable for `cap >= n + 1` bytes and does not overlap `s` (a Rust
    // string the caller cannot alias).
    unsafe {
        std::ptr::copy_nonoverlapping(s.as_ptr(), buf.cast::<u8>(), n);
        buf.add(n).write(0);
        len.set(n);
    }
    Ok(())
}

/// Frees a boxed handle (NULL is a no-op) inside the panic boundary.
///
/// # Safety
/// A non-NULL `p` must come from `Box::into_raw` of this library and not be freed yet.
pub(crate) unsafe fn free<T>(p: *mut T) {
    if p.is_null() {
        return;
    }
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: allocated by Box::into_raw in this library, freed exactly once per the caller.
        drop(unsafe { Box::from_raw(p) });
    }));
}

/// Moves a handle to the heap for C.
pub(crate) fn into_raw<T>(v: T) -> *mut T {
    Box::into_raw(Box::new(v))
}
