//! `snmpx_request`: a reusable description of one operation (kind, OIDs, Set values, GetBulk
//! parameters) for `snmpx_session_execute` and the asynchronous submissions.

use super::guard::{borrow_mut, boundary, into_raw, out, slice, text, Live};
use super::oidtext::{oid_from_arcs, parse_oid};
use super::response::snmpx_value_type as T;
use super::result::{snmpx_result, Fail};
use crate::oid::Oid;
use crate::session::{Operation, Session};
use crate::value::{Value, VarBind};
use std::ffi::c_char;

/// Operation kinds for `snmpx_request_new`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum snmpx_request_kind {
    /// GetRequest (RFC 3416 §4.2.1).
    SNMPX_REQ_GET = 1,
    /// GetNextRequest (RFC 3416 §4.2.2).
    SNMPX_REQ_GET_NEXT = 2,
    /// GetBulkRequest (RFC 3416 §4.2.3; not on SNMPv1).
    SNMPX_REQ_GET_BULK = 3,
    /// SetRequest (RFC 3416 §4.2.5); give each OID a value.
    SNMPX_REQ_SET = 4,
    /// Walk of each OID's subtree with GetNext.
    SNMPX_REQ_WALK = 5,
    /// Walk of each OID's subtree with GetBulk (session max-repetitions).
    SNMPX_REQ_BULK_WALK = 6,
}

use snmpx_request_kind::*;

fn kind_of(code: u32) -> Result<snmpx_request_kind, Fail> {
    Ok(match code {
        1 => SNMPX_REQ_GET,
        2 => SNMPX_REQ_GET_NEXT,
        3 => SNMPX_REQ_GET_BULK,
        4 => SNMPX_REQ_SET,
        5 => SNMPX_REQ_WALK,
        6 => SNMPX_REQ_BULK_WALK,
        _ => return Err(Fail::invalid(format!("unknown request kind {code}"))),
    })
}

/// The operation a request describes, independent of C.
#[derive(Clone, Debug)]
pub(crate) struct RequestSpec {
    pub kind: snmpx_request_kind,
    /// OIDs with their Set values (`None`: no value given yet).
    pub bindings: Vec<(Oid, Option<Value>)>,
    pub bulk: Option<(u32, u32)>,
}

impl RequestSpec {
    pub(crate) fn new(kind: snmpx_request_kind, oids: Vec<Oid>) -> RequestSpec {
        RequestSpec {
            kind,
            bindings: oids.into_iter().map(|o| (o, None)).collect(),
            bulk: None,
        }
    }

    /// The engine operation, with GetBulk defaults taken from the session.
    pub(crate) fn operation(&self, session: &Session) -> Result<Operation, Fail> {
        if self.bindings.is_empty() {
            return Err(Fail::invalid("the request has no OID"));
        }
        let oids = || self.bindings.iter().map(|(o, _)| o.clone()).collect();
        Ok(match self.kind {
            SNMPX_REQ_GET => Operation::Get(oids()),
            SNMPX_REQ_GET_NEXT => Operation::GetNext(oids()),
            SNMPX_REQ_GET_BULK => {
                let p = session.params();
                let (non_repeaters, max_repetitions) =
                    self.bulk.unwrap_or((p.non_repeaters, p.max_repetitions));
                Operation::GetBulk {
                    non_repeaters,
                    max_repetitions,
                    oids: oids(),
                }
            }
            SNMPX_REQ_SET => {
                let mut vbs = Vec::with_capacity(self.bindings.len());
                for (i, (oid, v)) in self.bindings.iter().enumerate() {
                    let v = v.clone().ok_or_else(|| {
                        Fail::invalid(format!("Set binding {} ({oid}) has no value", i + 1))
                    })?;
                    vbs.push(VarBind::new(oid.clone(), v));
                }
                Operation::Set(vbs)
            }
            SNMPX_REQ_WALK | SNMPX_REQ_BULK_WALK => Operation::Walk {
                roots: oids(),
                bulk: self.kind == SNMPX_REQ_BULK_WALK,
                stream: false,
            },
        })
    }
}

/// A request under construction: a kind, OIDs (text or arcs), values for Set, GetBulk
/// parameters. Reusable: executing or submitting it copies what it needs, so one request
/// may be submitted to many sessions.
///
/// Ownership: created by `snmpx_request_new`, freed with `snmpx_request_free`.
/// Thread-safety: movable, not shareable while being modified; once built, several
/// threads may submit it at once.
pub struct snmpx_request {
    pub(crate) spec: RequestSpec,
    _live: Live,
}

/// A new, empty request of `kind` (`snmpx_request_kind`).
#[no_mangle]
pub unsafe extern "C" fn snmpx_request_new(
    kind: u32,
    request: *mut *mut snmpx_request,
) -> snmpx_result {
    boundary(|| {
        let request = out(request, "request")?;
        let r = snmpx_request {
            spec: RequestSpec::new(kind_of(kind)?, Vec::new()),
            _live: Live::new(),
        };
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { request.set(into_raw(r)) };
        Ok(())
    })
}

/// Frees a request (NULL is a no-op). Submitted operations are unaffected.
#[no_mangle]
pub unsafe extern "C" fn snmpx_request_free(request: *mut snmpx_request) {
    // SAFETY: C contract: NULL or a request from this library, freed once.
    unsafe { super::guard::free(request) }
}

fn with_request(
    request: *mut snmpx_request,
    f: impl FnOnce(&mut RequestSpec) -> Result<(), Fail>,
) -> snmpx_result {
    boundary(|| {
        // SAFETY: C contract: NULL or a live request used by one thread at a time.
        let r = unsafe { borrow_mut(request, "request") }?;
        f(&mut r.spec)
    })
}

/// Appends an OID given as text (`1.3.6.1.2.1.1.1.0` or `.1.3.6...`). Names such as
/// `SNMPv2-MIB::sysDescr.0` / `sysDescr.0` are resolved with the process-wide MIB resolver
/// (`SNMPX_E_MIB_UNKNOWN_OBJECT` when it does not know the name).
#[no_mangle]
pub unsafe extern "C" fn snmpx_request_add_oid(
    request: *mut snmpx_request,
    oid: *const c_char,
) -> snmpx_result {
    with_request(request, |r| {
        // SAFETY: C contract: NULL or a NUL-terminated string.
        let oid = parse_oid(unsafe { text(oid, "oid") }?)?;
        r.bindings.push((oid, None));
        Ok(())
    })
}

/// Appends an OID given as `len` numeric arcs.
#[no_mangle]
pub unsafe extern "C" fn snmpx_request_add_oid_arcs(
    request: *mut snmpx_request,
    arcs: *const u32,
    arcs_len: usize,
) -> snmpx_result {
    with_request(request, |r| {
        // SAFETY: C contract: `arcs_len` readable arcs.
        let oid = oid_from_arcs(unsafe { slice(arcs, arcs_len, "arcs") }?)?;
        r.bindings.push((oid, None));
        Ok(())
    })
}

/// GetBulk non-repeaters and max-repetitions (GET_BULK requests only; by default the
/// session's values are used).
#[no_mangle]
pub unsafe extern "C" fn snmpx_request_set_bulk(
    request: *mut snmpx_request,
    non_repeaters: u32,
    max_repetitions: u32,
) -> snmpx_result {
    with_request(request, |r| {
        if r.kind != SNMPX_REQ_GET_BULK {
            return Err(Fail::new(
                snmpx_result::SNMPX_E_USAGE,
                "GetBulk parameters on a request that is not GET_BULK",
            ));
        }
        r.bulk = Some((non_repeaters, max_repetitions));
        Ok(())
    })
}

/// Gives the most recently added OID of a SET request its value.
fn set_last(request: *mut snmpx_request, f: impl FnOnce() -> Result<Value, Fail>) -> snmpx_result {
    with_request(request, |r| {
        if r.kind != SNMPX_REQ_SET {
            return Err(Fail::new(
                snmpx_result::SNMPX_E_USAGE,
                "values are only for SET requests",
            ));
        }
        let last = r
            .bindings
            .last_mut()
            .ok_or_else(|| Fail::new(snmpx_result::SNMPX_E_USAGE, "add an OID before its value"))?;
        last.1 = Some(f()?);
        Ok(())
    })
}

/// Value of the last added OID (SET): INTEGER.
#[no_mangle]
pub unsafe extern "C" fn snmpx_request_value_int(
    request: *mut snmpx_request,
    value: i32,
) -> snmpx_result {
    set_last(request, || Ok(Value::Integer(value)))
}

/// Value of the last added OID (SET): an unsigned type, `SNMPX_TYPE_COUNTER32`,
/// `SNMPX_TYPE_GAUGE32`, `SNMPX_TYPE_TIMETICKS` (at most 2^32-1) or `SNMPX_TYPE_COUNTER64`.
#[no_mangle]
pub unsafe extern "C" fn snmpx_request_value_unsigned(
    request: *mut snmpx_request,
    value_type: u32,
    value: u64,
) -> snmpx_result {
    set_last(request, || {
        let small = || {
            u32::try_from(value).map_err(|_| Fail::invalid(format!("{value} does not fit 32 bits")))
        };
        Ok(match value_type {
            t if t == T::SNMPX_TYPE_COUNTER32 as u32 => Value::Counter32(small()?),
            t if t == T::SNMPX_TYPE_GAUGE32 as u32 => Value::Gauge32(small()?),
            t if t == T::SNMPX_TYPE_TIMETICKS as u32 => Value::TimeTicks(small()?),
            t if t == T::SNMPX_TYPE_COUNTER64 as u32 => Value::Counter64(value),
            t => {
                return Err(Fail::invalid(format!(
                    "type {t:#x} is not an unsigned type"
                )))
            }
        })
    })
}

/// Value of the last added OID (SET): octets, of type `SNMPX_TYPE_OCTET_STRING`,
/// `SNMPX_TYPE_OPAQUE` or `SNMPX_TYPE_IP_ADDRESS` (exactly 4 octets).
#[no_mangle]
pub unsafe extern "C" fn snmpx_request_value_bytes(
    request: *mut snmpx_request,
    value_type: u32,
    data: *const u8,
    data_len: usize,
) -> snmpx_result {
    set_last(request, || {
        // SAFETY: C contract: `data_len` readable bytes (NULL only with length 0).
        let b = unsafe { slice(data, data_len, "data") }?;
        Ok(match value_type {
            t if t == T::SNMPX_TYPE_OCTET_STRING as u32 => Value::OctetString(b.into()),
            t if t == T::SNMPX_TYPE_OPAQUE as u32 => Value::Opaque(b.to_vec()),
            t if t == T::SNMPX_TYPE_IP_ADDRESS as u32 => Value::IpAddress(
                b.try_into()
                    .map_err(|_| Fail::invalid("an IpAddress is exactly 4 octets"))?,
            ),
            t => return Err(Fail::invalid(format!("type {t:#x} is not an octet type"))),
        })
    })
}

/// Value of the last added OID (SET): an OBJECT IDENTIFIER given as numeric text.
#[no_mangle]
pub unsafe extern "C" fn snmpx_request_value_oid(
    request: *mut snmpx_request,
    value: *const c_char,
) -> snmpx_result {
    set_last(request, || {
        // SAFETY: C contract: NULL or a NUL-terminated string.
        Ok(Value::ObjectId(parse_oid(unsafe {
            text(value, "value")
        }?)?))
    })
}

/// Value of the last added OID (SET): an OBJECT IDENTIFIER given as arcs.
#[no_mangle]
pub unsafe extern "C" fn snmpx_request_value_oid_arcs(
    request: *mut snmpx_request,
    arcs: *const u32,
    arcs_len: usize,
) -> snmpx_result {
    set_last(request, || {
        // SAFETY: C contract: `arcs_len` readable arcs.
        Ok(Value::ObjectId(oid_from_arcs(unsafe {
            slice(arcs, arcs_len, "arcs")
        }?)?))
    })
}
