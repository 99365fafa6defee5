//! The C ABI (`include/snmpx.h`, generated from this module by cbindgen): handle casting,
//! NULL checks, panic containment, error-code mapping and callback plumbing. No protocol
//! logic lives here.
//!
//! Contract for every function (stated once here and in the header):
//! - Every exported symbol starts with `snmpx_`. Handles are opaque and created by
//!   `_new`/`_open` functions, destroyed by `_free` functions that accept NULL.
//! - Receiver first, then inputs, then outputs; every buffer is followed by its `size_t`
//!   length. Outputs are written only on success (exception: the needed length of a text
//!   output whose buffer is too small).
//! - Every fallible function returns `snmpx_result` (0 = success). A NULL pointer where an
//!   object or an output is required gives `SNMPX_E_INVALID`; no function crashes on NULL.
//! - Details of a failure go to an optional `snmpx_error **err` (NULL to ignore), never to a
//!   thread-local "last error": a goroutine or task may change OS thread between two calls.
//! - An agent's error-status in a response, and noSuchObject / noSuchInstance /
//!   endOfMibView values, are data, not failed calls.
//! - Every export runs inside a panic boundary: an internal bug gives `SNMPX_E_PANIC`
//!   instead of unwinding into C.
//! - Non-NULL pointers must point to live objects of the right type (a freed or foreign
//!   pointer is undefined behaviour, as in any C library).

#![deny(unsafe_op_in_unsafe_fn)]
#![allow(non_camel_case_types, clippy::missing_safety_doc)]

mod argv;
mod asynch;
mod config;
mod guard;
mod lifetime;
mod mibtext;
mod oidtext;
mod request;
mod response;
mod result;
mod session;
mod v3config;
mod walk;

pub use asynch::{
    snmpx_callback, snmpx_completion, snmpx_completion_visitor, snmpx_cq, snmpx_free_fn,
};
pub use config::{snmpx_config, snmpx_snmp_version};
pub use request::{snmpx_request, snmpx_request_kind};
pub use response::{snmpx_error_status, snmpx_response, snmpx_value_type, snmpx_varbind};
pub use result::{snmpx_error, snmpx_result};
pub use session::snmpx_session;
pub use v3config::{snmpx_auth_protocol, snmpx_priv_protocol, snmpx_security_level};
pub use walk::snmpx_walk;
