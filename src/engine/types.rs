//! The engine's public vocabulary: per-session parameters, operations, events and counters.

use crate::error::Error;
use crate::message::v3::{SecurityKeys, SecurityLevel};
use crate::message::Version;
use crate::oid::Oid;
use crate::pdu::{ErrorStatus, TrapV1};
use crate::usm::Credentials;
use crate::value::VarBind;
use parking_lot::Mutex;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Everything the engine needs to know about a session (shared by its operations).
///
/// `Debug` shows the community's length only: a community is the v1/v2c password (RFC 3584
/// §5.2 calls it a secret), and formatted parameters end up in logs.
#[derive(Clone)]
pub struct Params {
    /// A process-unique id; the per-session in-flight limit is kept under it.
    pub session_id: u64,
    /// The agent address.
    pub target: SocketAddr,
    /// The transport messages travel on (UDP unless the target said `tcp:`).
    pub transport: Transport,
    /// v1, v2c or v3.
    pub version: Version,
    /// The community string (v1/v2c). Kept inline up to 46 octets, next to the other
    /// parameters (one cache line less to fetch per request sent and per reply checked).
    pub community: crate::OctetString,
    /// The SNMPv3 user and options (required for, and only used by, v3).
    pub v3: Option<Arc<V3Params>>,
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
    /// Fail a request at once with [`Error::Unreachable`] when an ICMP port unreachable
    /// comes back for it (default true). False ignores the report and waits for the
    /// timeout, as Net-SNMP does (its tools keep retrying an agent that is starting).
    pub fail_on_unreachable: bool,
}

impl std::fmt::Debug for Params {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Params")
            .field("session_id", &self.session_id)
            .field("target", &self.target)
            .field("version", &self.version)
            .field(
                "community",
                &format_args!("<redacted, {} octets>", self.community.len()),
            )
            .field("v3", &self.v3)
            .field("timeout", &self.timeout)
            .field("retries", &self.retries)
            .field("backoff", &self.backoff)
            .field("deadline", &self.deadline)
            .field("max_varbinds", &self.max_varbinds)
            .field("max_repetitions", &self.max_repetitions)
            .field("non_repeaters", &self.non_repeaters)
            .field("check_source", &self.check_source)
            .field("max_in_flight", &self.max_in_flight)
            .field("check_increasing", &self.check_increasing)
            .field("walk_max_requests", &self.walk_max_requests)
            .finish()
    }
}

impl Params {
    /// Defaults for a v2c session to `target` with community `public`.
    pub fn new(target: SocketAddr) -> Params {
        Params {
            session_id: 0,
            target,
            transport: Transport::Udp,
            version: Version::V2c,
            community: b"public".as_slice().into(),
            v3: None,
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
            fail_on_unreachable: true,
        }
    }

    /// The stream connection this session's messages travel on: `Some(session_id)` for a
    /// stream transport (each TCP session has its own connection), `None` for UDP.
    #[inline]
    pub fn conn(&self) -> Option<u64> {
        match self.transport {
            Transport::Udp => None,
            Transport::Tcp => Some(self.session_id),
        }
    }
}

/// The transport mapping a session uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Transport {
    /// SNMP over UDP (RFC 3417 §3), the default.
    #[default]
    Udp,
    /// SNMP over TCP (RFC 3430): one connection per session; each message is one BER
    /// element on the stream. Requests are not retransmitted (TCP delivers or the
    /// connection fails); the session's timeout × (retries + 1) still bounds the wait.
    Tcp,
}

/// An SNMPv3 session's security settings (RFC 3411 §3.2: securityName, securityLevel; RFC
/// 3412 §6: contextEngineID, contextName; RFC 3414 §2.4: the authoritative engine).
///
/// The authoritative engine's ID, boots and time are learnt per target by the engine
/// (discovery, RFC 3414 §4) unless given here. Keys are derived from `credentials` through
/// the runtime's [`KeyCache`](crate::usm::KeyCache) (the pass-phrase expansion runs once per
/// pass phrase and hash; localisation once per engine ID) and remembered per session for the
/// last engine ID used.
///
/// Thread-safety: shareable. `Debug` never shows secrets.
pub struct V3Params {
    /// msgUserName (the USM securityName), at most 32 octets.
    pub user: Vec<u8>,
    /// The security level requests are sent at (the credentials may allow a higher one).
    pub level: SecurityLevel,
    /// Authentication and privacy protocols and secrets.
    pub credentials: Credentials,
    /// contextName (default empty).
    pub context_name: Vec<u8>,
    /// contextEngineID; `None` = the authoritative engine's ID (what Net-SNMP sends).
    pub context_engine_id: Option<Vec<u8>>,
    /// The authoritative (security) engine ID; `None` = discover it.
    pub security_engine_id: Option<Vec<u8>>,
    /// Initial snmpEngineBoots and snmpEngineTime; `None` = learn them (discovery, then a
    /// notInTimeWindow report to the first authenticated request if need be).
    pub boots_time: Option<(u32, u32)>,
    /// The session's keys for the last engine ID used.
    pub(crate) keys: Mutex<Option<Arc<SecurityKeys>>>,
}

impl V3Params {
    /// Settings for `user` with `credentials` at `level` (which must not exceed what the
    /// credentials allow: checked by the session builder and again when keys are derived).
    pub fn new(user: &[u8], level: SecurityLevel, credentials: Credentials) -> V3Params {
        V3Params {
            user: user.to_vec(),
            level,
            credentials,
            context_name: Vec::new(),
            context_engine_id: None,
            security_engine_id: None,
            boots_time: None,
            keys: Mutex::new(None),
        }
    }
}

impl std::fmt::Debug for V3Params {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("V3Params")
            .field("user", &String::from_utf8_lossy(&self.user))
            .field("level", &self.level)
            .field("credentials", &self.credentials)
            .field("context_name", &String::from_utf8_lossy(&self.context_name))
            .field("context_engine_id", &self.context_engine_id)
            .field("security_engine_id", &self.security_engine_id)
            .field("boots_time", &self.boots_time)
            .finish_non_exhaustive()
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

/// A message to send.
#[derive(Debug)]
pub struct Transmit {
    /// Destination.
    pub dest: SocketAddr,
    /// The encoded message.
    pub data: Vec<u8>,
    /// The stream connection to send it on ([`Params::conn`]); `None` = a UDP datagram.
    pub conn: Option<u64>,
}

/// A datagram as the engine queues it: with its own bytes (SNMPv3, re-encoded for every
/// transmission; traps), or lent from exchange `rid` at send time (v1/v2c: the exchange
/// keeps its encoded message for retransmissions, so nothing is copied per send).
pub(crate) enum Queued {
    Owned(Transmit),
    Lent {
        rid: i32,
        dest: SocketAddr,
        conn: Option<u64>,
    },
}

impl Queued {
    /// A transmission of exchange `rid`: with `owned` bytes (SNMPv3, re-encoded for it), or
    /// lending the exchange's encoded message.
    pub fn of_exchange(
        rid: i32,
        dest: SocketAddr,
        conn: Option<u64>,
        owned: Option<Vec<u8>>,
    ) -> Queued {
        match owned {
            Some(data) => Queued::Owned(Transmit { dest, data, conn }),
            None => Queued::Lent { rid, dest, conn },
        }
    }

    /// Destination.
    pub fn dest(&self) -> SocketAddr {
        match self {
            Queued::Owned(t) => t.dest,
            Queued::Lent { dest, .. } => *dest,
        }
    }

    /// The stream connection, `None` for a UDP datagram.
    pub fn conn(&self) -> Option<u64> {
        match self {
            Queued::Owned(t) => t.conn,
            Queued::Lent { conn, .. } => *conn,
        }
    }
}

/// Number of round-trip-time histogram buckets: bucket i counts RTTs < 2^i microseconds.
pub const RTT_BUCKETS: usize = 24;

/// Counters a poller operator needs (DESIGN.md "Observability").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
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
    /// SNMPv3 datagrams dropped because they failed authentication (wrong, short or empty
    /// MAC, tampered bytes, another user or engine, a lower security level than the request
    /// without being a Report; RFC 3414 §3.2 step 6). Never returned to a caller.
    pub dropped_auth_failed: u64,
    /// Authenticated SNMPv3 responses dropped as outside the time window (RFC 3414 §3.2
    /// step 7b).
    pub dropped_not_in_time_window: u64,
    /// SNMPv3 engine ID discoveries completed (RFC 3414 §4).
    pub v3_discoveries: u64,
    /// SNMPv3 boots/time resynchronisations (authenticated notInTimeWindows reports).
    pub v3_resyncs: u64,
    /// SNMPv3 Report-PDUs received for our requests.
    pub v3_reports: u64,
    /// ICMP / ICMPv6 port-unreachable reports read from the sockets' error queues
    /// (`IP_RECVERR`), whether or not they matched a request in flight.
    pub icmp_unreachable: u64,
    /// Operations failed with [`Error::Unreachable`] because of such a report.
    pub failed_unreachable: u64,
    /// Other entries of the sockets' error queues (host or network unreachable,
    /// fragmentation needed, ...): counted and ignored, the request runs on to its timeout.
    pub icmp_other: u64,
    /// Round-trip-time histogram (log2 microseconds).
    pub rtt_us_log2: [u64; RTT_BUCKETS],
}

impl Stats {
    /// Adds every counter of `other` to these (summing shards).
    pub fn add(&mut self, other: &Stats) {
        self.submitted += other.submitted;
        self.completed += other.completed;
        self.requests_sent += other.requests_sent;
        self.retransmissions += other.retransmissions;
        self.timeouts += other.timeouts;
        self.responses_matched += other.responses_matched;
        self.dropped_unmatched += other.dropped_unmatched;
        self.dropped_wrong_source += other.dropped_wrong_source;
        self.dropped_invalid += other.dropped_invalid;
        self.dropped_auth_failed += other.dropped_auth_failed;
        self.dropped_not_in_time_window += other.dropped_not_in_time_window;
        self.v3_discoveries += other.v3_discoveries;
        self.v3_resyncs += other.v3_resyncs;
        self.v3_reports += other.v3_reports;
        self.icmp_unreachable += other.icmp_unreachable;
        self.failed_unreachable += other.failed_unreachable;
        self.icmp_other += other.icmp_other;
        for (t, v) in self.rtt_us_log2.iter_mut().zip(other.rtt_us_log2.iter()) {
            *t += v;
        }
    }
}
