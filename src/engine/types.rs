//! The engine's public vocabulary: per-session parameters, operations, events and counters.

use crate::error::Error;
use crate::message::Version;
use crate::oid::Oid;
use crate::pdu::{ErrorStatus, TrapV1};
use crate::value::VarBind;
use std::net::SocketAddr;
use std::time::Duration;

/// Everything the engine needs to know about a session (shared by its operations).
#[derive(Clone, Debug)]
pub struct Params {
    /// A process-unique id; the per-session in-flight limit is kept under it.
    pub session_id: u64,
    /// The agent address.
    pub target: SocketAddr,
    /// v1 or v2c.
    pub version: Version,
    /// The community string.
    pub community: Vec<u8>,
    /// Time to wait for a response to one transmission.
    pub timeout: Duration,
    /// Retransmissions after the first send.
    pub retries: u32,
    /// Multiplier applied to the timeout after each retransmission (1.0 = constant).
    pub backoff: f64,
    /// Overall limit for one operation (all retries, all walk steps), if any.
    pub deadline: Option<Duration>,
    /// Maximum varbinds per request; larger Gets are split (default 60, like gosnmp).
    pub max_varbinds: usize,
    /// GetBulk max-repetitions used by bulk walks.
    pub max_repetitions: u32,
    /// GetBulk non-repeaters default.
    pub non_repeaters: u32,
    /// Accept responses only from the target address (on by default).
    pub check_source: bool,
    /// Requests in flight to this agent at once (0 = unlimited).
    pub max_in_flight: usize,
    /// Fail a walk whose OIDs do not increase (Net-SNMP's default; `-Cc` turns it off).
    pub check_increasing: bool,
    /// Maximum requests one walk may issue (0 = unlimited).
    pub walk_max_requests: u64,
}

impl Params {
    /// Defaults for a v2c session to `target` with community `public`.
    pub fn new(target: SocketAddr) -> Params {
        Params {
            session_id: 0,
            target,
            version: Version::V2c,
            community: b"public".to_vec(),
            timeout: Duration::from_secs(1),
            retries: 5,
            backoff: 1.0,
            deadline: None,
            max_varbinds: 60,
            max_repetitions: 10,
            non_repeaters: 0,
            check_source: true,
            max_in_flight: 0,
            check_increasing: true,
            walk_max_requests: 0,
        }
    }
}

/// One unit of work submitted to the engine.
#[derive(Clone, Debug)]
pub enum Operation {
    /// GetRequest for these OIDs (split into requests of at most `max_varbinds`).
    Get(Vec<Oid>),
    /// GetNextRequest for these OIDs (split likewise).
    GetNext(Vec<Oid>),
    /// GetBulkRequest (v2c/v3 only; RFC 3416 §4.2.3).
    GetBulk {
        /// non-repeaters.
        non_repeaters: u32,
        /// max-repetitions.
        max_repetitions: u32,
        /// The OIDs.
        oids: Vec<Oid>,
    },
    /// SetRequest (never split: a Set is atomic, RFC 3416 §4.2.5).
    Set(Vec<VarBind>),
    /// Walk every root's subtree in turn with GetNext, or GetBulk when `bulk`.
    Walk {
        /// The subtrees to walk, in order.
        roots: Vec<Oid>,
        /// Use GetBulk with the session's max-repetitions.
        bulk: bool,
        /// Deliver each response's rows as [`Event::Page`] instead of one final list.
        stream: bool,
    },
    /// InformRequest (acknowledged notification, v2c).
    Inform(Vec<VarBind>),
    /// SNMPv2-Trap (unacknowledged; completes once sent).
    TrapV2(Vec<VarBind>),
    /// v1 Trap (unacknowledged; completes once sent).
    TrapV1(TrapV1),
}

/// The result of a completed operation: the response's error-status, error-index and
/// varbinds (error-status is data here; the session layer maps it to [`Error::Agent`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The agent that answered.
    pub peer: SocketAddr,
    /// error-status (for split requests: the first non-zero status).
    pub status: ErrorStatus,
    /// error-index relative to the whole submitted list (1-based; 0 = none).
    pub index: u32,
    /// Bindings in request order (Get/GetNext/Set), or all rows of a walk.
    pub varbinds: Vec<VarBind>,
}

/// Identifies a submitted operation within its engine.
pub type OpId = u64;

/// What the engine hands back to its driver.
#[derive(Debug)]
pub enum Event<S> {
    /// Rows of a streaming walk (more follow until `Done`).
    Page {
        /// The submitter's context.
        ctx: S,
        /// The rows, in walk order.
        varbinds: Vec<VarBind>,
    },
    /// The operation finished.
    Done {
        /// Which operation.
        id: OpId,
        /// The submitter's context.
        ctx: S,
        /// Its result.
        result: Result<Response, Error>,
    },
}

/// A datagram to send.
#[derive(Debug)]
pub struct Transmit {
    /// Destination.
    pub dest: SocketAddr,
    /// The encoded message.
    pub data: Vec<u8>,
}

/// Number of round-trip-time histogram buckets: bucket i counts RTTs < 2^i microseconds.
pub const RTT_BUCKETS: usize = 24;

/// Counters a poller operator needs (DESIGN.md "Observability").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Operations submitted.
    pub submitted: u64,
    /// Operations completed (any outcome).
    pub completed: u64,
    /// Request PDUs sent for the first time.
    pub requests_sent: u64,
    /// Retransmissions.
    pub retransmissions: u64,
    /// Exchanges that ran out of retries.
    pub timeouts: u64,
    /// Responses matched to an outstanding request.
    pub responses_matched: u64,
    /// Datagrams dropped: no outstanding request with that id (late, duplicate, spoofed).
    pub dropped_unmatched: u64,
    /// Datagrams dropped: came from an address other than the request's target.
    pub dropped_wrong_source: u64,
    /// Datagrams dropped: undecodable, or the wrong version/community/PDU type.
    pub dropped_invalid: u64,
    /// Round-trip-time histogram (log2 microseconds).
    pub rtt_us_log2: [u64; RTT_BUCKETS],
}
