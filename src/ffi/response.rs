//! `snmpx_response` (error-status, error-index, varbinds) and `snmpx_varbind` accessors.

use super::guard::{borrow, boundary, copy_text, out, Live};
use super::result::{snmpx_result, Fail};
use crate::engine::Response;
use crate::value::{Value, VarBind};
use std::ffi::c_char;

/// Value types: the BER tag each SNMP type encodes with (RFC 2578 §7.1, RFC 3416 §3).
/// `snmpx_varbind_type` may also return a tag not listed here (kept as-is).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum snmpx_value_type {
    /// INTEGER / Integer32.
    SNMPX_TYPE_INTEGER = 0x02,
    /// OCTET STRING.
    SNMPX_TYPE_OCTET_STRING = 0x04,
    /// NULL.
    SNMPX_TYPE_NULL = 0x05,
    /// OBJECT IDENTIFIER.
    SNMPX_TYPE_OBJECT_ID = 0x06,
    /// IpAddress.
    SNMPX_TYPE_IP_ADDRESS = 0x40,
    /// Counter32.
    SNMPX_TYPE_COUNTER32 = 0x41,
    /// Gauge32 / Unsigned32.
    SNMPX_TYPE_GAUGE32 = 0x42,
    /// TimeTicks.
    SNMPX_TYPE_TIMETICKS = 0x43,
    /// Opaque.
    SNMPX_TYPE_OPAQUE = 0x44,
    /// Counter64.
    SNMPX_TYPE_COUNTER64 = 0x46,
    /// The noSuchObject exception (data, not an error).
    SNMPX_TYPE_NO_SUCH_OBJECT = 0x80,
    /// The noSuchInstance exception (data, not an error).
    SNMPX_TYPE_NO_SUCH_INSTANCE = 0x81,
    /// The endOfMibView exception (data, not an error).
    SNMPX_TYPE_END_OF_MIB_VIEW = 0x82,
}

/// The agent's error-status values (RFC 3416 §3). A response may carry other codes too.
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum snmpx_error_status {
    /// noError.
    SNMPX_ERRSTAT_NO_ERROR = 0,
    /// tooBig.
    SNMPX_ERRSTAT_TOO_BIG = 1,
    /// noSuchName (SNMPv1).
    SNMPX_ERRSTAT_NO_SUCH_NAME = 2,
    /// badValue (SNMPv1).
    SNMPX_ERRSTAT_BAD_VALUE = 3,
    /// readOnly (SNMPv1).
    SNMPX_ERRSTAT_READ_ONLY = 4,
    /// genErr.
    SNMPX_ERRSTAT_GEN_ERR = 5,
    /// noAccess.
    SNMPX_ERRSTAT_NO_ACCESS = 6,
    /// wrongType.
    SNMPX_ERRSTAT_WRONG_TYPE = 7,
    /// wrongLength.
    SNMPX_ERRSTAT_WRONG_LENGTH = 8,
    /// wrongEncoding.
    SNMPX_ERRSTAT_WRONG_ENCODING = 9,
    /// wrongValue.
    SNMPX_ERRSTAT_WRONG_VALUE = 10,
    /// noCreation.
    SNMPX_ERRSTAT_NO_CREATION = 11,
    /// inconsistentValue.
    SNMPX_ERRSTAT_INCONSISTENT_VALUE = 12,
    /// resourceUnavailable.
    SNMPX_ERRSTAT_RESOURCE_UNAVAILABLE = 13,
    /// commitFailed.
    SNMPX_ERRSTAT_COMMIT_FAILED = 14,
    /// undoFailed.
    SNMPX_ERRSTAT_UNDO_FAILED = 15,
    /// authorizationError.
    SNMPX_ERRSTAT_AUTHORIZATION_ERROR = 16,
    /// notWritable.
    SNMPX_ERRSTAT_NOT_WRITABLE = 17,
    /// inconsistentName.
    SNMPX_ERRSTAT_INCONSISTENT_NAME = 18,
}

/// The result of a completed request: the agent's error-status and error-index (data: a
/// non-zero status is not a failed call) and its variable bindings (for walks, every row).
///
/// Ownership: owned by the caller that received it (blocking calls, completions via
/// `snmpx_completion_take_response`); freed with `snmpx_response_free`. Varbinds obtained
/// from it are borrowed views valid until the response is freed.
/// Thread-safety: immutable; shareable between threads.
pub struct snmpx_response {
    pub(crate) resp: Response,
    _live: Live,
}

impl snmpx_response {
    pub(crate) fn new(resp: Response) -> snmpx_response {
        snmpx_response {
            resp,
            _live: Live::new(),
        }
    }
}

/// One variable binding: an OID and a typed value.
///
/// Ownership: either a borrowed view into a response (never freed by the caller) or, from
/// `snmpx_walk_next`, owned and freed with `snmpx_varbind_free`. Accessors' outputs (arcs,
/// bytes) are borrowed from the varbind.
/// Thread-safety: immutable; shareable between threads.
pub struct snmpx_varbind {
    // Opaque to C: a `snmpx_varbind *` points at a `VarBind` (a view into a response, or the
    // first field of an `OwnedVarbind`).
    _opaque: [u8; 0],
}

/// An owned varbind (walk rows): the binding plus its live-handle count. The binding is the
/// first field of this repr(C) struct, so a pointer to it is a pointer to its `VarBind`.
#[repr(C)]
pub(crate) struct OwnedVarbind {
    vb: VarBind,
    _live: Live,
}

impl OwnedVarbind {
    /// Moves a row to the heap and returns the pointer C receives.
    pub(crate) fn into_raw(vb: VarBind) -> *mut snmpx_varbind {
        super::guard::into_raw(OwnedVarbind {
            vb,
            _live: Live::new(),
        })
        .cast()
    }
}

fn view(vb: &VarBind) -> *const snmpx_varbind {
    (vb as *const VarBind).cast()
}

/// Frees a response (NULL is a no-op); its varbind views become invalid.
#[no_mangle]
pub unsafe extern "C" fn snmpx_response_free(response: *mut snmpx_response) {
    // SAFETY: C contract: NULL or a response from this library, freed once.
    unsafe { super::guard::free(response) }
}

/// Runs an accessor on a response.
fn with_response(
    response: *const snmpx_response,
    f: impl FnOnce(&Response) -> Result<(), Fail>,
) -> snmpx_result {
    boundary(|| {
        // SAFETY: C contract: NULL or a live response.
        let r = unsafe { borrow(response, "response") }?;
        f(&r.resp)
    })
}

/// The agent's error-status (`snmpx_error_status` values; 0 = noError).
#[no_mangle]
pub unsafe extern "C" fn snmpx_response_error_status(
    response: *const snmpx_response,
    status: *mut i32,
) -> snmpx_result {
    with_response(response, |r| {
        let status = out(status, "status")?;
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { status.set(r.status.code()) };
        Ok(())
    })
}

/// The agent's error-index (1-based position in the request; 0 = none).
#[no_mangle]
pub unsafe extern "C" fn snmpx_response_error_index(
    response: *const snmpx_response,
    index: *mut u32,
) -> snmpx_result {
    with_response(response, |r| {
        let index = out(index, "index")?;
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { index.set(r.index) };
        Ok(())
    })
}

/// The OID the error-index points at (the failed object of a Set, say), as arcs borrowed
/// from the response. `SNMPX_E_NOT_FOUND` when error-status is noError or the index is 0
/// or out of range.
#[no_mangle]
pub unsafe extern "C" fn snmpx_response_failed_oid(
    response: *const snmpx_response,
    arcs: *mut *const u32,
    len: *mut usize,
) -> snmpx_result {
    with_response(response, |r| {
        let (arcs, len) = (out(arcs, "arcs")?, out(len, "len")?);
        let vb = (r.status.code() != 0)
            .then(|| (r.index as usize).checked_sub(1))
            .flatten()
            .and_then(|i| r.varbinds.get(i))
            .ok_or_else(|| Fail::new(snmpx_result::SNMPX_E_NOT_FOUND, "no failed OID"))?;
        // SAFETY: both checked non-NULL, writable per the C contract.
        unsafe {
            arcs.set(vb.oid.as_slice().as_ptr());
            len.set(vb.oid.len());
        }
        Ok(())
    })
}

/// Number of varbinds.
#[no_mangle]
pub unsafe extern "C" fn snmpx_response_varbind_count(
    response: *const snmpx_response,
    count: *mut usize,
) -> snmpx_result {
    with_response(response, |r| {
        let count = out(count, "count")?;
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { count.set(r.varbinds.len()) };
        Ok(())
    })
}

/// The varbind at `index` (0-based), borrowed from the response. `SNMPX_E_NOT_FOUND` when
/// out of range.
#[no_mangle]
pub unsafe extern "C" fn snmpx_response_varbind(
    response: *const snmpx_response,
    index: usize,
    varbind: *mut *const snmpx_varbind,
) -> snmpx_result {
    with_response(response, |r| {
        let varbind = out(varbind, "varbind")?;
        let vb = r.varbinds.get(index).ok_or_else(|| {
            Fail::new(
                snmpx_result::SNMPX_E_NOT_FOUND,
                format!("index {index} >= {}", r.varbinds.len()),
            )
        })?;
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { varbind.set(view(vb)) };
        Ok(())
    })
}

/// Runs an accessor on a varbind.
pub(super) fn with_varbind(
    varbind: *const snmpx_varbind,
    f: impl FnOnce(&VarBind) -> Result<(), Fail>,
) -> snmpx_result {
    boundary(|| {
        // SAFETY: C contract: NULL or a live varbind, which points at a VarBind (a view into
        // a response, or the first field of a repr(C) OwnedVarbind).
        let v = unsafe { borrow(varbind.cast::<VarBind>(), "varbind") }?;
        f(v)
    })
}

fn wrong_type(v: &Value, want: &str) -> Fail {
    Fail::new(
        snmpx_result::SNMPX_E_WRONG_TYPE,
        format!("value is {}, not {want}", v.type_name()),
    )
}

/// Frees a varbind returned by `snmpx_walk_next` (NULL is a no-op). Never call it on a
/// view borrowed from a response.
#[no_mangle]
pub unsafe extern "C" fn snmpx_varbind_free(varbind: *mut snmpx_varbind) {
    // SAFETY: C contract: NULL or an owned varbind from snmpx_walk_next, whose
    // `snmpx_varbind` is the first field of a boxed, repr(C) OwnedVarbind.
    unsafe { super::guard::free(varbind.cast::<OwnedVarbind>()) }
}

/// The varbind's OID as arcs borrowed from the varbind.
#[no_mangle]
pub unsafe extern "C" fn snmpx_varbind_oid(
    varbind: *const snmpx_varbind,
    arcs: *mut *const u32,
    len: *mut usize,
) -> snmpx_result {
    with_varbind(varbind, |vb| {
        let (arcs, len) = (out(arcs, "arcs")?, out(len, "len")?);
        // SAFETY: both checked non-NULL, writable per the C contract.
        unsafe {
            arcs.set(vb.oid.as_slice().as_ptr());
            len.set(vb.oid.len());
        }
        Ok(())
    })
}

/// The varbind's OID as numeric text (`1.3.6.1.2.1.1.1.0`) into `buf` (see
/// `snmpx_varbind_format` for the buffer convention).
#[no_mangle]
pub unsafe extern "C" fn snmpx_varbind_oid_text(
    varbind: *const snmpx_varbind,
    buf: *mut c_char,
    buf_len: usize,
    len: *mut usize,
) -> snmpx_result {
    with_varbind(varbind, |vb| {
        // SAFETY: C contract: `buf` writable for `buf_len` bytes, `len` writable.
        unsafe { copy_text(&vb.oid.to_string(), buf, buf_len, len) }
    })
}

/// The value's type: a `snmpx_value_type` value, or the raw BER tag of a type this library
/// does not interpret.
#[no_mangle]
pub unsafe extern "C" fn snmpx_varbind_type(
    varbind: *const snmpx_varbind,
    value_type: *mut u32,
) -> snmpx_result {
    with_varbind(varbind, |vb| {
        let value_type = out(value_type, "value_type")?;
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { value_type.set(vb.value.tag() as u32) };
        Ok(())
    })
}

/// The value as a signed integer: INTEGER, Counter32, Gauge32, TimeTicks, and Counter64
/// values that fit. `SNMPX_E_WRONG_TYPE` otherwise.
#[no_mangle]
pub unsafe extern "C" fn snmpx_varbind_int64(
    varbind: *const snmpx_varbind,
    value: *mut i64,
) -> snmpx_result {
    with_varbind(varbind, |vb| {
        let value = out(value, "value")?;
        let v = vb
            .value
            .as_i64()
            .ok_or_else(|| wrong_type(&vb.value, "an integer that fits int64"))?;
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { value.set(v) };
        Ok(())
    })
}

/// The value as an unsigned integer: Counter32, Gauge32, TimeTicks, Counter64 and
/// non-negative INTEGERs. `SNMPX_E_WRONG_TYPE` otherwise.
#[no_mangle]
pub unsafe extern "C" fn snmpx_varbind_uint64(
    varbind: *const snmpx_varbind,
    value: *mut u64,
) -> snmpx_result {
    with_varbind(varbind, |vb| {
        let value = out(value, "value")?;
        let v = vb
            .value
            .as_u64()
            .ok_or_else(|| wrong_type(&vb.value, "a non-negative integer"))?;
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { value.set(v) };
        Ok(())
    })
}

/// The value's octets, borrowed from the varbind: OCTET STRING, Opaque, IpAddress (4
/// octets) and uninterpreted types. Not NUL-terminated. `SNMPX_E_WRONG_TYPE` otherwise.
#[no_mangle]
pub unsafe extern "C" fn snmpx_varbind_bytes(
    varbind: *const snmpx_varbind,
    data: *mut *const u8,
    len: *mut usize,
) -> snmpx_result {
    with_varbind(varbind, |vb| {
        let (data, len) = (out(data, "data")?, out(len, "len")?);
        let b: &[u8] = match &vb.value {
            Value::OctetString(b) => b,
            Value::Opaque(b) => b,
            Value::Unknown { data, .. } => data,
            Value::IpAddress(a) => a,
            other => return Err(wrong_type(other, "a string of octets")),
        };
        // SAFETY: both checked non-NULL, writable per the C contract.
        unsafe {
            data.set(b.as_ptr());
            len.set(b.len());
        }
        Ok(())
    })
}

/// An OBJECT IDENTIFIER value's arcs, borrowed from the varbind. `SNMPX_E_WRONG_TYPE` for
/// other types.
#[no_mangle]
pub unsafe extern "C" fn snmpx_varbind_oid_value(
    varbind: *const snmpx_varbind,
    arcs: *mut *const u32,
    len: *mut usize,
) -> snmpx_result {
    with_varbind(varbind, |vb| {
        let (arcs, len) = (out(arcs, "arcs")?, out(len, "len")?);
        let o = vb
            .value
            .as_oid()
            .ok_or_else(|| wrong_type(&vb.value, "an OBJECT IDENTIFIER"))?;
        // SAFETY: both checked non-NULL, writable per the C contract.
        unsafe {
            arcs.set(o.as_slice().as_ptr());
            len.set(o.len());
        }
        Ok(())
    })
}

/// The binding as one line of text, the way `snmpget -On` prints it:
/// `.1.3.6.1.2.1.1.5.0 = STRING: "name"`. (The MIB-aware, option-driven rendering comes
/// with the MIB resolver.) Buffer convention, for every text output: the text and a NUL are
/// written to `buf` and its length (without the NUL) to `*len`; if `buf_len` is too small,
/// only `*len` is written and `SNMPX_E_BUFFER_TOO_SMALL` returned, so a first call with
/// `buf = NULL, buf_len = 0` asks for the size.
#[no_mangle]
pub unsafe extern "C" fn snmpx_varbind_format(
    varbind: *const snmpx_varbind,
    buf: *mut c_char,
    buf_len: usize,
    len: *mut usize,
) -> snmpx_result {
    with_varbind(varbind, |vb| {
        let line = crate::sim::walkfile::format_line(vb);
        // SAFETY: C contract: `buf` writable for `buf_len` bytes, `len` writable.
        unsafe { copy_text(&line, buf, buf_len, len) }
    })
}

/// The value alone as text, as `snmpget -On` prints it after ` = ` (`STRING: "name"`,
/// `INTEGER: 5`, ...). Same buffer convention as `snmpx_varbind_format`.
#[no_mangle]
pub unsafe extern "C" fn snmpx_varbind_value_format(
    varbind: *const snmpx_varbind,
    buf: *mut c_char,
    buf_len: usize,
    len: *mut usize,
) -> snmpx_result {
    with_varbind(varbind, |vb| {
        let text = crate::sim::walkfile::format_value(&vb.value);
        // SAFETY: C contract: `buf` writable for `buf_len` bytes, `len` writable.
        unsafe { copy_text(&text, buf, buf_len, len) }
    })
}
