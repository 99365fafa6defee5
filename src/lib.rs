//! snmpx: a thread-safe, high-throughput SNMP manager library.
//!
//! Layers (see docs/ARCHITECTURE.md): [`ber`] bytes <-> TLVs; [`oid`] and [`value`] the data
//! types; [`pdu`] and [`message`] the protocol units and framing; [`engine`] the sans-IO
//! state machine of requests in flight; `transport` the shard threads that drive it;
//! [`session`] the API users see ([`Runtime`], [`Session`]); [`ffi`] the C ABI over it.
//!
//! ```no_run
//! use snmpx::{Runtime, Session};
//! let rt = Runtime::new().unwrap();
//! let s = Session::builder("127.0.0.1:161").community("public").open(&rt).unwrap();
//! for vb in s.get(&["1.3.6.1.2.1.1.1.0"]).unwrap() {
//!     println!("{} = {:?}", vb.oid, vb.value);
//! }
//! ```

pub mod ber;
pub mod engine;
pub mod error;
pub mod ffi;
pub mod format;
pub mod message;
pub mod mib;
pub mod octets;
pub mod oid;
pub mod pdu;
pub mod session;
pub mod sim;
mod transport;
pub mod usm;
pub mod value;

pub use error::{Error, Result};
pub use message::Version;
pub use octets::OctetString;
pub use oid::{Oid, OidError};
pub use pdu::ErrorStatus;
pub use session::{
    PacketTrace, Runtime, RuntimeBuilder, Session, SessionBuilder, Transport, CLOSED_BY_PEER,
    CONNECT_FAILED, DISCOVERY_FAILED,
};
pub use value::{Value, VarBind};

/// The README's Rust example, compiled by `cargo test` so it cannot drift from the API.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
