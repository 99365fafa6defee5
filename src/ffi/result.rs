//! `snmpx_result` codes, the mapping from [`Error`], and the `snmpx_error` detail object.

use super::guard::{borrow, boundary, out, Live};
use crate::error::Error;
use crate::oid::Oid;
use std::ffi::{c_char, CStr, CString};

/// The outcome of every fallible C function (a `uint32_t`; 0 is success). Values are fixed
/// and never reused. Ranges reserved for capabilities still to come: 32-63 SNMPv3 / USM
/// outcomes, 64-79 the MIB resolver. Functions that take a code take `uint32_t`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum snmpx_result {
    /// Success.
    SNMPX_OK = 0,
    /// A NULL pointer, an out-of-range code or an unusable argument value.
    SNMPX_E_INVALID = 1,
    /// `snmpx_init()` has not been called (or every init was matched by a shutdown).
    SNMPX_E_NOT_INITIALIZED = 2,
    /// The handle's runtime was stopped by the final `snmpx_shutdown()`.
    SNMPX_E_SHUTDOWN = 3,
    /// The handle belongs to the parent of a `fork()`; call `snmpx_init()` in the child.
    SNMPX_E_FORKED = 4,
    /// Not available in this build yet (MIB loading from the argument vector).
    SNMPX_E_NOT_SUPPORTED = 5,
    /// Called from a completion callback (an I/O thread) where it would block or deadlock.
    SNMPX_E_CALLBACK_THREAD = 6,
    /// An internal error was contained at the boundary (a bug: please report it).
    SNMPX_E_PANIC = 7,
    /// The output buffer is too small; the needed length was stored.
    SNMPX_E_BUFFER_TOO_SMALL = 8,
    /// The value is not of the type the accessor reads.
    SNMPX_E_WRONG_TYPE = 9,
    /// No such item (index out of range, no failed OID).
    SNMPX_E_NOT_FOUND = 10,
    /// Text that does not parse (an OID, a target, a command-line value).
    SNMPX_E_PARSE = 11,
    /// Arguments not usable together (GetBulk on SNMPv1, an unknown option, ...).
    SNMPX_E_USAGE = 12,
    /// No response after every retry.
    SNMPX_E_TIMEOUT = 13,
    /// The host name did not resolve.
    SNMPX_E_RESOLVE = 14,
    /// A socket error sending to the agent (no route, refused by a firewall, ...).
    SNMPX_E_CONNECTION = 15,
    /// The agent's response broke the protocol.
    SNMPX_E_DECODE = 16,
    /// A walk was ended by the agent's error-status (see `snmpx_error_agent_status`).
    /// Get/GetNext/GetBulk/Set report error-status as data in the response instead.
    SNMPX_E_AGENT = 17,
    /// A walk received an OID not after the previous one.
    SNMPX_E_NOT_INCREASING = 18,
    /// A walk hit a configured limit (request count, deadline).
    SNMPX_E_LIMIT = 19,
    /// The request was cancelled (`snmpx_session_cancel`, or the final `snmpx_shutdown`).
    SNMPX_E_CANCELLED = 20,
    /// Nothing listens at the agent's port: an ICMP port unreachable came back (returned at
    /// once instead of after every retry; `snmpx_config_set_fail_on_unreachable` turns it off).
    SNMPX_E_UNREACHABLE = 21,
    /// SNMPv3: the agent does not know the user (usmStatsUnknownUserNames).
    SNMPX_E_V3_UNKNOWN_USER = 32,
    /// SNMPv3: wrong authentication key or protocol (usmStatsWrongDigests).
    SNMPX_E_V3_AUTHENTICATION = 33,
    /// SNMPv3: the agent could not decrypt the request (usmStatsDecryptionErrors).
    SNMPX_E_V3_DECRYPTION = 34,
    /// SNMPv3: the user does not support the requested security level
    /// (usmStatsUnsupportedSecLevels).
    SNMPX_E_V3_UNSUPPORTED_LEVEL = 35,
    /// SNMPv3: the agent does not accept the security engine ID (usmStatsUnknownEngineIDs).
    SNMPX_E_V3_UNKNOWN_ENGINE_ID = 36,
    /// SNMPv3: still outside the agent's time window after a resync
    /// (usmStatsNotInTimeWindows).
    SNMPX_E_V3_NOT_IN_TIME_WINDOW = 37,
    /// SNMPv3: the agent answered with another Report-PDU (unknown context, ...).
    SNMPX_E_V3_REPORT = 38,
    /// An object name the MIB resolver does not know (unknown name or module, bad index).
    SNMPX_E_MIB_UNKNOWN_OBJECT = 64,
    /// A MIB directory or module could not be loaded (not found, syntax error, unresolved
    /// imports); details in the error.
    SNMPX_E_MIB_LOAD = 65,
}

use snmpx_result::*;

/// Every code, for name lookup.
const ALL: [(snmpx_result, &CStr); 31] = [
    (SNMPX_OK, c"success"),
    (SNMPX_E_INVALID, c"invalid argument"),
    (
        SNMPX_E_NOT_INITIALIZED,
        c"library not initialized (call snmpx_init)",
    ),
    (SNMPX_E_SHUTDOWN, c"library shut down"),
    (
        SNMPX_E_FORKED,
        c"handle belongs to the parent process (fork)",
    ),
    (SNMPX_E_NOT_SUPPORTED, c"not supported in this build yet"),
    (SNMPX_E_CALLBACK_THREAD, c"not allowed on a callback thread"),
    (SNMPX_E_PANIC, c"internal error"),
    (SNMPX_E_BUFFER_TOO_SMALL, c"buffer too small"),
    (SNMPX_E_WRONG_TYPE, c"wrong value type"),
    (SNMPX_E_NOT_FOUND, c"not found"),
    (SNMPX_E_PARSE, c"parse error"),
    (SNMPX_E_USAGE, c"usage error"),
    (SNMPX_E_TIMEOUT, c"timeout"),
    (SNMPX_E_RESOLVE, c"cannot resolve host"),
    (SNMPX_E_CONNECTION, c"connection error"),
    (SNMPX_E_DECODE, c"bad response"),
    (SNMPX_E_AGENT, c"agent returned an error-status"),
    (SNMPX_E_NOT_INCREASING, c"OID not increasing"),
    (SNMPX_E_LIMIT, c"walk limit reached"),
    (SNMPX_E_CANCELLED, c"request cancelled"),
    (SNMPX_E_UNREACHABLE, c"port unreachable"),
    (SNMPX_E_V3_UNKNOWN_USER, c"SNMPv3 unknown user name"),
    (SNMPX_E_V3_AUTHENTICATION, c"SNMPv3 authentication failure"),
    (SNMPX_E_V3_DECRYPTION, c"SNMPv3 decryption error"),
    (
        SNMPX_E_V3_UNSUPPORTED_LEVEL,
        c"SNMPv3 unsupported security level",
    ),
    (SNMPX_E_V3_UNKNOWN_ENGINE_ID, c"SNMPv3 unknown engine ID"),
    (SNMPX_E_V3_NOT_IN_TIME_WINDOW, c"SNMPv3 not in time window"),
    (SNMPX_E_V3_REPORT, c"SNMPv3 report"),
    (SNMPX_E_MIB_UNKNOWN_OBJECT, c"unknown object name"),
    (SNMPX_E_MIB_LOAD, c"MIB load error"),
];

/// The code for a library error.
pub(crate) fn code_of(e: &Error) -> snmpx_result {
    match e {
        Error::Timeout { .. } => SNMPX_E_TIMEOUT,
        Error::Resolve { .. } => SNMPX_E_RESOLVE,
        Error::Connection { .. } => SNMPX_E_CONNECTION,
        Error::Unreachable { .. } => SNMPX_E_UNREACHABLE,
        Error::Agent { .. } => SNMPX_E_AGENT,
        Error::Usage(_) => SNMPX_E_USAGE,
        Error::Parse(_) => SNMPX_E_PARSE,
        Error::Decode { .. } => SNMPX_E_DECODE,
        Error::NotIncreasing { .. } => SNMPX_E_NOT_INCREASING,
        Error::Limit(_) => SNMPX_E_LIMIT,
        Error::Cancelled => SNMPX_E_CANCELLED,
        Error::Closed => SNMPX_E_SHUTDOWN,
        Error::Forked => SNMPX_E_FORKED,
        Error::UnknownUser { .. } => SNMPX_E_V3_UNKNOWN_USER,
        Error::AuthenticationFailed { .. } => SNMPX_E_V3_AUTHENTICATION,
        Error::DecryptionError { .. } => SNMPX_E_V3_DECRYPTION,
        Error::UnsupportedSecurityLevel { .. } => SNMPX_E_V3_UNSUPPORTED_LEVEL,
        Error::UnknownEngineId { .. } => SNMPX_E_V3_UNKNOWN_ENGINE_ID,
        Error::NotInTimeWindow { .. } => SNMPX_E_V3_NOT_IN_TIME_WINDOW,
        Error::Report { .. } => SNMPX_E_V3_REPORT,
        Error::Mib(_) => SNMPX_E_MIB_UNKNOWN_OBJECT,
    }
}

/// A failed call inside the boundary: its code and, for `snmpx_error`, the details.
#[derive(Debug)]
pub(crate) struct Fail {
    pub code: snmpx_result,
    message: String,
    agent: Option<(i32, u32, Option<Oid>)>,
}

impl Fail {
    pub(crate) fn new(code: snmpx_result, message: impl Into<String>) -> Fail {
        Fail {
            code,
            message: message.into(),
            agent: None,
        }
    }

    /// `SNMPX_E_INVALID` for a NULL argument.
    pub(crate) fn null(what: &str) -> Fail {
        Fail::new(SNMPX_E_INVALID, format!("{what} is NULL"))
    }

    /// `SNMPX_E_INVALID` with a message.
    pub(crate) fn invalid(message: impl Into<String>) -> Fail {
        Fail::new(SNMPX_E_INVALID, message)
    }

    /// The message (for tests).
    #[cfg(test)]
    pub(crate) fn message(&self) -> &str {
        &self.message
    }
}

impl From<Error> for Fail {
    fn from(e: Error) -> Fail {
        let agent = match &e {
            Error::Agent {
                status, index, oid, ..
            } => Some((status.code(), *index, oid.clone())),
            _ => None,
        };
        Fail {
            code: code_of(&e),
            message: e.to_string(),
            agent,
        }
    }
}

/// A NUL-free C string from any text (interior NULs, impossible in our messages, become '?').
pub(crate) fn c_string(s: &str) -> CString {
    CString::new(s.replace('\0', "?")).unwrap_or_default()
}

/// Details of a failed call or completion: its code, a message, and for `SNMPX_E_AGENT` the
/// agent's error-status, error-index and the failed OID.
///
/// Ownership: returned through an optional `snmpx_error **err` argument, which is written
/// only when the call fails; the caller frees it with `snmpx_error_free`. Errors borrowed
/// from a completion (`snmpx_completion_error`) are owned by the completion.
/// Thread-safety: immutable; shareable.
pub struct snmpx_error {
    pub(crate) code: snmpx_result,
    message: CString,
    agent: Option<(i32, u32, Option<Oid>)>,
    _live: Live,
}

impl snmpx_error {
    pub(crate) fn from_fail(f: Fail) -> snmpx_error {
        snmpx_error {
            code: f.code,
            message: c_string(&f.message),
            agent: f.agent,
            _live: Live::new(),
        }
    }
}

/// A static English description of a result code ("timeout", ...); never NULL. Unknown
/// codes give "unknown result code".
#[no_mangle]
pub extern "C" fn snmpx_result_message(code: u32) -> *const c_char {
    ALL.iter()
        .find(|(c, _)| *c as u32 == code)
        .map_or(c"unknown result code", |(_, t)| *t)
        .as_ptr()
}

/// The error's result code.
#[no_mangle]
pub unsafe extern "C" fn snmpx_error_code(err: *const snmpx_error, code: *mut u32) -> snmpx_result {
    boundary(|| {
        // SAFETY: C contract: `err` is NULL or a live snmpx_error.
        let e = unsafe { borrow(err, "err") }?;
        let code = out(code, "code")?;
        // SAFETY: `code` checked non-NULL, writable per the C contract.
        unsafe { code.set(e.code as u32) };
        Ok(())
    })
}

/// The error's message: a NUL-terminated string owned by `err`, valid until it is freed.
#[no_mangle]
pub unsafe extern "C" fn snmpx_error_message(
    err: *const snmpx_error,
    message: *mut *const c_char,
) -> snmpx_result {
    boundary(|| {
        // SAFETY: C contract: `err` is NULL or a live snmpx_error.
        let e = unsafe { borrow(err, "err") }?;
        let message = out(message, "message")?;
        // SAFETY: checked non-NULL, writable per the C contract.
        unsafe { message.set(e.message.as_ptr()) };
        Ok(())
    })
}

/// For `SNMPX_E_AGENT` errors: the agent's error-status (`snmpx_error_status` values) and
/// 1-based error-index. `SNMPX_E_NOT_FOUND` for other errors.
#[no_mangle]
pub unsafe extern "C" fn snmpx_error_agent_status(
    err: *const snmpx_error,
    status: *mut i32,
    index: *mut u32,
) -> snmpx_result {
    boundary(|| {
        // SAFETY: C contract: `err` is NULL or a live snmpx_error.
        let e = unsafe { borrow(err, "err") }?;
        let (status, index) = (out(status, "status")?, out(index, "index")?);
        let (s, i, _) = e
            .agent
            .as_ref()
            .ok_or_else(|| Fail::new(SNMPX_E_NOT_FOUND, "not an agent error"))?;
        // SAFETY: both checked non-NULL, writable per the C contract.
        unsafe {
            status.set(*s);
            index.set(*i);
        }
        Ok(())
    })
}

/// For `SNMPX_E_AGENT` errors that name one: the failed OID's arcs, owned by `err`.
/// `SNMPX_E_NOT_FOUND` when there is none.
#[no_mangle]
pub unsafe extern "C" fn snmpx_error_failed_oid(
    err: *const snmpx_error,
    arcs: *mut *const u32,
    len: *mut usize,
) -> snmpx_result {
    boundary(|| {
        // SAFETY: C contract: `err` is NULL or a live snmpx_error.
        let e = unsafe { borrow(err, "err") }?;
        let (arcs, len) = (out(arcs, "arcs")?, out(len, "len")?);
        let oid = e
            .agent
            .as_ref()
            .and_then(|(_, _, o)| o.as_ref())
            .ok_or_else(|| Fail::new(SNMPX_E_NOT_FOUND, "no failed OID"))?;
        // SAFETY: both checked non-NULL, writable per the C contract.
        unsafe {
            arcs.set(oid.as_slice().as_ptr());
            len.set(oid.len());
        }
        Ok(())
    })
}

/// Frees an error (NULL is a no-op).
#[no_mangle]
pub unsafe extern "C" fn snmpx_error_free(err: *mut snmpx_error) {
    // SAFETY: C contract: NULL or an error from this library, freed once.
    unsafe { super::guard::free(err) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_message_and_unique_value() {
        for (i, (c, text)) in ALL.iter().enumerate() {
            // Dense within each range: 0-21 general, 32.. SNMPv3, 64.. MIB.
            let want = match i {
                0..=21 => i,
                22..=28 => 32 + (i - 22),
                _ => 64 + (i - 29),
            };
            assert_eq!(*c as u32, want as u32, "codes are fixed and never reused");
            // SAFETY: static NUL-terminated text.
            let got = unsafe { std::ffi::CStr::from_ptr(snmpx_result_message(*c as u32)) };
            assert_eq!(got, *text);
        }
        // SAFETY: static NUL-terminated text.
        let unknown = unsafe { std::ffi::CStr::from_ptr(snmpx_result_message(9999)) };
        assert_eq!(unknown.to_str().unwrap(), "unknown result code");
    }
}
