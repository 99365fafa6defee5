//! The one error type of the public API.

use crate::message::v3::ReportKind;
use crate::oid::Oid;
use crate::pdu::ErrorStatus;
use std::net::SocketAddr;

/// Everything a call can fail with. An agent's error-status is reported as [`Error::Agent`]
/// by the convenience calls; noSuchObject/noSuchInstance/endOfMibView are values, not errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// No response arrived within the timeout after all retries.
    #[error("timeout: no response from {peer} after {attempts} attempt(s)")]
    Timeout {
        /// The agent address.
        peer: SocketAddr,
        /// Transmissions made.
        attempts: u32,
    },
    /// The host name could not be resolved or the target text is not an address.
    #[error("cannot resolve host {host:?}: {reason}")]
    Resolve {
        /// The host as given.
        host: String,
        /// What the resolver said.
        reason: String,
    },
    /// A socket-level failure sending to the agent (no route, a firewall's EPERM, ...).
    #[error("connection error with {peer}: {reason}")]
    Connection {
        /// The agent address.
        peer: SocketAddr,
        /// The OS error text.
        reason: String,
    },
    /// Nothing listens at the agent's port: an ICMP (or ICMPv6) port unreachable came back
    /// for a request to `peer` (RFC 1122 §4.1.3.3 asks UDP to pass ICMP errors up to the
    /// application; the shard's sockets read them with `IP_RECVERR`). Returned as soon as the
    /// report arrives instead of after every retry; sessions that turn
    /// [`fail_on_unreachable`](crate::SessionBuilder::fail_on_unreachable) off wait for the
    /// timeout instead, as Net-SNMP does.
    #[error("port unreachable: no agent listens at {peer} (ICMP port unreachable)")]
    Unreachable {
        /// The agent address (the destination the ICMP error quotes).
        peer: SocketAddr,
    },
    /// The agent answered with a non-zero error-status (RFC 3416 §3).
    #[error("agent {peer} returned {status} at index {index}{}", failed_oid(.oid))]
    Agent {
        /// The agent address.
        peer: SocketAddr,
        /// error-status.
        status: ErrorStatus,
        /// error-index (1-based; 0 when the agent gave none).
        index: u32,
        /// The OID at error-index in the request, when the index is in range.
        oid: Option<Oid>,
    },
    /// The call's arguments are not usable (bad option, GetBulk on v1, bad value text, ...).
    #[error("usage: {0}")]
    Usage(String),
    /// Text that does not parse (an OID, a host form, a value).
    #[error("parse error: {0}")]
    Parse(String),
    /// A response matched the request but breaks the protocol (wrong varbind count, ...).
    #[error("bad response from {peer}: {reason}")]
    Decode {
        /// The agent address.
        peer: SocketAddr,
        /// What was wrong.
        reason: String,
    },
    /// A walk received an OID not after the previous one (Net-SNMP's "OID not increasing").
    #[error("OID not increasing: {previous} >= {next}")]
    NotIncreasing {
        /// The last OID accepted.
        previous: Box<Oid>,
        /// The OID received after it.
        next: Box<Oid>,
    },
    /// A walk hit a configured limit (request count or deadline) before finishing.
    #[error("walk stopped before its end: {0}")]
    Limit(String),
    /// SNMPv3: the agent does not know the user (usmStatsUnknownUserNames report, RFC 3414
    /// §3.2 step 4).
    #[error("SNMPv3: agent {peer} does not know user {user:?} (usmStatsUnknownUserNames)")]
    UnknownUser {
        /// The agent address.
        peer: SocketAddr,
        /// The user name as sent.
        user: String,
    },
    /// SNMPv3: the agent could not authenticate the request: wrong authentication pass phrase,
    /// key or protocol (usmStatsWrongDigests report, RFC 3414 §3.2 step 6).
    #[error(
        "SNMPv3 authentication failed at {peer}: wrong authentication password, key or \
         protocol (usmStatsWrongDigests)"
    )]
    AuthenticationFailed {
        /// The agent address.
        peer: SocketAddr,
    },
    /// SNMPv3: the agent could not decrypt the request: wrong privacy pass phrase, key or
    /// protocol (usmStatsDecryptionErrors report, RFC 3414 §3.2 step 8). Net-SNMP's agent
    /// sends no report in that case, so the call times out instead.
    #[error(
        "SNMPv3 decryption failed at {peer}: wrong privacy password, key or protocol \
         (usmStatsDecryptionErrors)"
    )]
    DecryptionError {
        /// The agent address.
        peer: SocketAddr,
    },
    /// SNMPv3: the user may not use the security level requested
    /// (usmStatsUnsupportedSecLevels report, RFC 3414 §3.2 step 5).
    #[error("SNMPv3: agent {peer} does not allow this security level for the user (usmStatsUnsupportedSecLevels)")]
    UnsupportedSecurityLevel {
        /// The agent address.
        peer: SocketAddr,
    },
    /// SNMPv3: the agent does not accept the engine ID the request was sent to and a
    /// rediscovery did not help, or the session's explicit security engine ID is wrong
    /// (usmStatsUnknownEngineIDs report, RFC 3414 §3.2 step 3).
    #[error("SNMPv3: agent {peer} reports an unknown engine ID (usmStatsUnknownEngineIDs)")]
    UnknownEngineId {
        /// The agent address.
        peer: SocketAddr,
    },
    /// SNMPv3: the request was outside the agent's time window even after resynchronising
    /// boots/time once (usmStatsNotInTimeWindows report, RFC 3414 §3.2 step 7).
    #[error("SNMPv3: request not in the time window of {peer} after a resync (usmStatsNotInTimeWindows)")]
    NotInTimeWindow {
        /// The agent address.
        peer: SocketAddr,
    },
    /// SNMPv3: the agent answered with another Report-PDU (unknown context, unknown security
    /// model, invalid message, ...; RFC 3412 §7.2).
    #[error("SNMPv3: agent {peer} reported {report}")]
    Report {
        /// The agent address.
        peer: SocketAddr,
        /// What was reported.
        report: ReportKind,
    },
    /// An object name did not resolve with the MIB resolver (unknown name or module, bad
    /// index); nothing was sent.
    #[error("{0}")]
    Mib(#[from] crate::mib::ResolveError),
    /// The request was cancelled before it completed.
    #[error("request cancelled")]
    Cancelled,
    /// The runtime has shut down.
    #[error("runtime is shut down")]
    Closed,
    /// The runtime was created in another process (this one is a fork() child).
    #[error(
        "runtime belongs to the parent process (fork detected); create a new Runtime in the child"
    )]
    Forked,
}

fn failed_oid(oid: &Option<Oid>) -> String {
    match oid {
        Some(o) => format!(" (failed object {o})"),
        None => String::new(),
    }
}

impl Error {
    /// True for [`Error::Timeout`].
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// True for [`Error::Unreachable`] (ICMP port unreachable: nothing listens there).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, Error::Unreachable { .. })
    }

    /// True for the SNMPv3 security errors an agent reports (unknown user, authentication,
    /// decryption, security level, engine ID, time window, other reports).
    pub fn is_security(&self) -> bool {
        matches!(
            self,
            Error::UnknownUser { .. }
                | Error::AuthenticationFailed { .. }
                | Error::DecryptionError { .. }
                | Error::UnsupportedSecurityLevel { .. }
                | Error::UnknownEngineId { .. }
                | Error::NotInTimeWindow { .. }
                | Error::Report { .. }
        )
    }
}

/// Shorthand for `Result<T, snmpx::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
