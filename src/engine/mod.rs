//! The sans-IO request engine: a deterministic state machine of every request in flight.
//!
//! It takes submissions, datagrams and the current time, and yields datagrams to send, the
//! next deadline and completion events. It opens no socket and reads no clock, so every
//! behaviour (loss, duplication, reordering, late replies, tooBig, SNMPv3 discovery, time
//! sync and reports) is unit-tested on a simulated network and clock (see `tests.rs` and
//! `tests_v3.rs`).

mod ids;
mod ops;
mod timers;
mod types;
mod unreach;
mod v3;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_unreach;
#[cfg(test)]
mod tests_v3;

pub use ids::{IdAllocator, IntMap};
pub(crate) use types::Queued;
pub use types::{
    Event, OpId, Operation, Params, Response, Stats, Transmit, Transport, V3Params, RTT_BUCKETS,
};

use crate::error::Error;
use crate::message::{self, MessageError, Version};
use crate::pdu::{DecodedPdu, Pdu, PduType};
use crate::usm::{KeyCache, SaltSource};
use ops::OpKind;
use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Prefix of the [`Error::Connection`] reason given to requests whose SNMPv3 engine
/// discovery (RFC 3414 §4) failed because its stream connection failed.
pub const DISCOVERY_FAILED: &str = "SNMPv3 engine discovery failed: ";

/// Where SNMPv3 state lives: the agent address and, for a stream transport, the connection.
pub(crate) type PeerKey = (SocketAddr, Option<u64>);

/// One operation in progress.
struct Op<S> {
    ctx: S,
    params: Arc<Params>,
    deadline: Option<Instant>,
    kind: OpKind,
    /// Request-ids of this op's exchanges in flight or waiting for a slot.
    exchanges: ids::Rids,
}

/// One request PDU and its retransmissions, keyed by request-id.
struct Exchange {
    op: OpId,
    /// Which part of the op's varbind list this exchange carries (split Gets).
    range: (usize, usize),
    target: SocketAddr,
    attempts: u32,
    /// Unique per transmission, so stale timer entries are recognised.
    serial: u64,
    sent_at: Instant,
    /// The encoded message (v1/v2c; v3 is re-encoded for every transmission).
    data: Vec<u8>,
    /// False while waiting for a per-session in-flight slot (or a v3 discovery).
    started: bool,
    /// SNMPv3 state (msgIDs, keys, scoped PDU).
    v3: Option<Box<v3::ExV3>>,
}

/// Per-session in-flight accounting (only for sessions with a limit).
#[derive(Default)]
struct SessionSlots {
    in_flight: usize,
    waiting: VecDeque<i32>,
}

/// The engine. `S` is the submitter's context, returned with each event.
pub struct Engine<S> {
    ops: IntMap<OpId, Op<S>>,
    exchanges: IntMap<i32, Exchange>,
    slots: IntMap<u64, SessionSlots>,
    timers: timers::Timers,
    ids: IdAllocator,
    next_serial: u64,
    out: VecDeque<types::Queued>,
    events: VecDeque<Event<S>>,
    pool: Vec<Vec<u8>>,
    stats: Stats,
    /// The time given by the latest call (the engine reads no clock of its own).
    now: Instant,
    /// SNMPv3 state per target address (and stream connection: each TCP session discovers
    /// over its own connection).
    targets: HashMap<PeerKey, v3::TargetV3>,
    /// SNMPv3 discoveries in flight, by their pseudo request-id.
    discoveries: IntMap<i32, v3::Discovery>,
    /// msgID -> request-id of the exchange (or discovery) it was sent for.
    msg_ids: IntMap<i32, i32>,
    msg_alloc: IdAllocator,
    /// The runtime's key cache (shared by every shard).
    keys: Arc<KeyCache>,
    salts: SaltSource,
    /// Operations to fail once the current call is done (errors found deep in a send path).
    deferred: Vec<(OpId, Error)>,
}

impl<S: Clone> Engine<S> {
    /// A new engine; `seed` randomises the first request-id and msgID (RFC 3416 and RFC
    /// 3412 leave the choice to us; a random start makes ids of a restarted process
    /// unpredictable) and the first privacy salt (RFC 3826 §3.1.2.1: a pseudo-random start,
    /// then incremented). `now` is the clock's reading at creation; `keys` is the cache v3
    /// keys are derived through (one per runtime, shared by its shards).
    pub fn new(seed: u64, now: Instant, keys: Arc<KeyCache>) -> Engine<S> {
        let mix = seed
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(31)
            .wrapping_add(0x2545_F491_4F6C_DD1D);
        Engine {
            ops: IntMap::default(),
            exchanges: IntMap::default(),
            slots: IntMap::default(),
            timers: timers::Timers::default(),
            ids: IdAllocator::new(seed as u32),
            next_serial: 1,
            out: VecDeque::new(),
            events: VecDeque::new(),
            pool: Vec::new(),
            stats: Stats::default(),
            now,
            targets: HashMap::new(),
            discoveries: IntMap::default(),
            msg_ids: IntMap::default(),
            msg_alloc: IdAllocator::new((seed >> 32) as u32),
            keys,
            salts: SaltSource::from_seed(mix),
            deferred: Vec::new(),
        }
    }

    /// Submits an operation under `id`, which the caller keeps unique among live operations
    /// (the runtime draws ids from one counter). Invalid requests complete at once with a
    /// usage error event; a duplicate live id completes with a usage error too.
    pub fn submit(
        &mut self,
        id: OpId,
        params: Arc<Params>,
        op: Operation,
        ctx: S,
        now: Instant,
    ) -> OpId {
        self.now = now;
        self.stats.submitted += 1;
        let op = if self.ops.contains_key(&id) {
            Err(Error::Usage(format!("operation id {id} is already in use")))
        } else {
            Ok(op)
        };
        let deadline = params.deadline.map(|d| now + d);
        let kind = match op.and_then(|op| ops::validate(&params, op)) {
            Ok(k) => k,
            Err(e) => {
                self.stats.completed += 1;
                self.events.push_back(Event::Done {
                    id,
                    ctx,
                    result: Err(e),
                });
                return id;
            }
        };
        self.ops.insert(
            id,
            Op {
                ctx,
                params,
                deadline,
                kind,
                exchanges: ids::Rids::default(),
            },
        );
        self.start_op(id, now);
        self.settle();
        id
    }

    /// Fails the operations whose errors were found inside a send path.
    fn settle(&mut self) {
        while let Some((id, e)) = self.deferred.pop() {
            self.finish(id, Err(e));
        }
    }

    /// Cancels an operation: it completes with [`Error::Cancelled`]. False if unknown/finished.
    pub fn cancel(&mut self, id: OpId) -> bool {
        if self.ops.contains_key(&id) {
            self.finish(id, Err(Error::Cancelled));
            self.settle();
            true
        } else {
            false
        }
    }

    /// Completes every operation with `err` (used at shutdown and on fatal driver errors).
    pub fn fail_all(&mut self, err: Error) {
        self.end_discoveries(None, &err);
        let ids: Vec<OpId> = self.ops.keys().copied().collect();
        for id in ids {
            self.finish(id, Err(err.clone()));
        }
        self.settle();
    }

    /// Fails every UDP operation to `target` with `err` (a send to it failed).
    pub fn fail_target(&mut self, target: SocketAddr, err: Error) {
        self.end_discoveries(Some((target, None)), &err);
        let ids: Vec<OpId> = self
            .ops
            .iter()
            .filter(|(_, o)| o.params.target == target && o.params.conn().is_none())
            .map(|(id, _)| *id)
            .collect();
        for id in ids {
            self.finish(id, Err(err.clone()));
        }
        self.settle();
    }

    /// Fails every operation carried by stream connection `conn` (its session's TCP
    /// connection broke or could not be made) with `err`.
    pub fn fail_conn(&mut self, conn: u64, err: Error) {
        let keys: Vec<PeerKey> = self
            .targets
            .keys()
            .filter(|k| k.1 == Some(conn))
            .copied()
            .collect();
        // Requests waiting for an SNMPv3 discovery on the connection learn that it was the
        // discovery that failed (Net-SNMP reports those as an unknown engine ID).
        let disc_err = match &err {
            Error::Connection { peer, reason } => Error::Connection {
                peer: *peer,
                reason: format!("{DISCOVERY_FAILED}{reason}"),
            },
            other => other.clone(),
        };
        for k in keys {
            self.end_discoveries(Some(k), &disc_err);
        }
        let ids: Vec<OpId> = self
            .ops
            .iter()
            .filter(|(_, o)| o.params.conn() == Some(conn))
            .map(|(id, _)| *id)
            .collect();
        for id in ids {
            self.finish(id, Err(err.clone()));
        }
        self.settle();
    }

    /// True while any operation of stream connection `conn` is in flight.
    pub fn conn_busy(&self, conn: u64) -> bool {
        self.ops.values().any(|o| o.params.conn() == Some(conn))
    }

    /// Forgets the SNMPv3 state learnt over stream connection `conn` (its session closed).
    pub fn forget_conn(&mut self, conn: u64) {
        self.targets.retain(|k, _| k.1 != Some(conn));
    }

    /// Feeds one received datagram.
    pub fn handle_datagram(&mut self, from: SocketAddr, data: &[u8], now: Instant) {
        self.handle_message(from, None, data, now);
    }

    /// Feeds one message read from stream connection `conn` (a TCP session's connection to
    /// `from`). It can only complete requests that were sent on that connection.
    pub fn handle_stream(&mut self, conn: u64, from: SocketAddr, data: &[u8], now: Instant) {
        self.handle_message(from, Some(conn), data, now);
    }

    fn handle_message(&mut self, from: SocketAddr, via: Option<u64>, data: &[u8], now: Instant) {
        self.now = now;
        let msg = match message::decode_community(data) {
            Ok(m) => m,
            Err(MessageError::WrongModel) => {
                self.handle_v3(from, via, data, now);
                self.settle();
                return;
            }
            Err(_) => {
                self.stats.dropped_invalid += 1;
                return;
            }
        };
        let pdu = match msg.pdu {
            DecodedPdu::Pdu(p) if p.kind == PduType::Response => p,
            _ => {
                self.stats.dropped_invalid += 1;
                return;
            }
        };
        let Some(ex) = self.exchanges.get(&pdu.request_id) else {
            self.stats.dropped_unmatched += 1;
            return;
        };
        let Some(op) = self.ops.get(&ex.op) else {
            self.stats.dropped_unmatched += 1;
            return;
        };
        if !ex.started {
            self.stats.dropped_unmatched += 1;
            return;
        }
        // Source check (DESIGN.md: on by default): a reply must come from the target, and
        // on the transport (and connection) the request went out on (RFC 3430 §2).
        if (op.params.check_source && from != ex.target) || op.params.conn() != via {
            self.stats.dropped_wrong_source += 1;
            return;
        }
        if msg.version != op.params.version || msg.community != &op.params.community[..] {
            self.stats.dropped_invalid += 1;
            return;
        }
        self.complete_exchange(pdu.request_id, pdu, from, now);
        self.settle();
    }

    /// A verified response for exchange `rid`: count it and hand it to its operation.
    fn complete_exchange(&mut self, rid: i32, pdu: Pdu, from: SocketAddr, now: Instant) {
        let ex = self.remove_exchange(rid).expect("exchange present");
        self.stats.responses_matched += 1;
        let us = now.saturating_duration_since(ex.sent_at).as_micros() as u64;
        let bucket = (64 - us.leading_zeros() as usize).min(RTT_BUCKETS - 1);
        self.stats.rtt_us_log2[bucket] += 1;
        let op_id = ex.op;
        self.recycle(ex.data);
        self.on_response(op_id, ex.range, pdu, from, now);
    }

    /// Fires every timer due at `now`: retransmissions and timeouts.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.now = now;
        while let Some((_, serial, rid)) = self.timers.pop_due(now) {
            let Some(ex) = self.exchanges.get(&rid) else {
                if self.discoveries.contains_key(&rid) {
                    self.discovery_timer(rid, serial, now);
                }
                continue;
            };
            if ex.serial != serial || !ex.started {
                continue;
            }
            let op_id = ex.op;
            let Some(op) = self.ops.get(&op_id) else {
                continue;
            };
            let params = op.params.clone();
            let op_deadline = op.deadline;
            let attempts = ex.attempts;
            let expired = op_deadline.is_some_and(|d| now >= d);
            // A stream transport is not retransmitted on: its one timer covers every try.
            if attempts > params.retries || expired || params.conn().is_some() {
                self.stats.timeouts += 1;
                let err = if expired && op.kind.is_walk() {
                    Error::Limit(format!("walk deadline of {:?} reached", params.deadline))
                } else {
                    Error::Timeout {
                        peer: params.target,
                        attempts,
                    }
                };
                self.finish(op_id, Err(err));
                continue;
            }
            // Retransmit with the same request-id (RFC 3416 §4.1 leaves ids to the sender;
            // keeping it lets a reply to any transmission complete the exchange). SNMPv3 is
            // re-encoded: a new msgID (the old ones stay mapped to the exchange), a new salt
            // and a fresh time estimate, so no two transmissions are byte-identical.
            let data = if ex.v3.is_some() {
                match self.encode_v3(rid, now) {
                    Ok(d) => Some(d),
                    Err(e) => {
                        self.finish(op_id, Err(e));
                        continue;
                    }
                }
            } else {
                None
            };
            let wait = attempt_timeout(&params, attempts);
            let serial = self.serial();
            let ex = self.exchanges.get_mut(&rid).expect("checked above");
            ex.attempts += 1;
            ex.serial = serial;
            let mut at = now + wait;
            if let Some(d) = op_deadline {
                at = at.min(d);
            }
            let dest = ex.target;
            self.timers.push((at, serial, rid));
            self.stats.retransmissions += 1;
            self.out
                .push_back(types::Queued::of_exchange(rid, dest, None, data));
        }
        self.settle();
    }

    /// The earliest pending timer (may be a stale entry: waking early is harmless).
    pub fn next_deadline(&self) -> Option<Instant> {
        self.timers.peek().map(|(at, _, _)| at)
    }

    /// The next datagram to send.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        while let Some(q) = self.out.pop_front() {
            match q {
                types::Queued::Owned(t) => return Some(t),
                types::Queued::Lent { rid, dest, conn } => {
                    // An exchange completed or cancelled since has nothing left to send.
                    if let Some(ex) = self.exchanges.get(&rid) {
                        let data = ex.data.clone();
                        return Some(Transmit { dest, data, conn });
                    }
                }
            }
        }
        None
    }

    /// Moves every queued datagram to `into`, for a driver that sends them in one batch
    /// with [`payload`](Self::payload) (lent bytes are not copied), then hands owned
    /// buffers back with [`recycle_queued`](Self::recycle_queued).
    pub(crate) fn take_queued(&mut self, into: &mut Vec<types::Queued>) {
        into.extend(self.out.drain(..));
    }

    /// The bytes of a queued datagram; `None` if its exchange is gone (nothing to send).
    pub(crate) fn payload<'a>(&'a self, q: &'a types::Queued) -> Option<&'a [u8]> {
        match q {
            types::Queued::Owned(t) => Some(&t.data),
            types::Queued::Lent { rid, .. } => self.exchanges.get(rid).map(|e| &e.data[..]),
        }
    }

    /// Takes back the buffers of sent datagrams.
    pub(crate) fn recycle_queued(&mut self, sent: &mut Vec<types::Queued>) {
        for q in sent.drain(..) {
            if let types::Queued::Owned(t) = q {
                self.recycle(t.data);
            }
        }
    }

    /// True while datagrams wait for [`poll_transmit`](Self::poll_transmit).
    pub fn has_transmit(&self) -> bool {
        !self.out.is_empty()
    }

    /// The next completion event.
    pub fn poll_event(&mut self) -> Option<Event<S>> {
        self.events.pop_front()
    }

    /// Returns a sent datagram's buffer for reuse.
    pub fn recycle(&mut self, mut buf: Vec<u8>) {
        if self.pool.len() < 1024 && buf.capacity() <= 65536 {
            buf.clear();
            self.pool.push(buf);
        }
    }

    /// The counters.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Operations not yet completed.
    pub fn ops_in_flight(&self) -> usize {
        self.ops.len()
    }

    fn serial(&mut self) -> u64 {
        self.next_serial += 1;
        self.next_serial
    }

    /// Encodes what `out` names (its request-id is assigned here) and sends it, or queues
    /// it behind the session's in-flight limit.
    fn launch(&mut self, op_id: OpId, out: ops::Outgoing, range: (usize, usize), now: Instant) {
        let (exchanges, discoveries) = (&self.exchanges, &self.discoveries);
        let rid = self
            .ids
            .allocate(|id| exchanges.contains_key(&id) || discoveries.contains_key(&id));
        let mut data = Vec::new();
        let op = self.ops.get_mut(&op_id).expect("launch for a live op");
        let params = op.params.clone();
        op.exchanges.push(rid);
        let v3 = if params.version == Version::V3 {
            let mut pdu = out.into_pdu(&op.kind, range);
            pdu.request_id = rid;
            Some(Box::new(v3::ExV3::new(&params, pdu)))
        } else {
            data = self.pool.pop().unwrap_or_default();
            let (v, c) = (params.version, &params.community);
            match out {
                ops::Outgoing::Pdu(mut pdu) => {
                    pdu.request_id = rid;
                    message::encode_community(&mut data, v, c, &pdu);
                }
                ops::Outgoing::Part(kind) => {
                    let vbs = ops::request_part(&op.kind, range);
                    message::encode_community_request(&mut data, v, c, kind, rid, vbs);
                }
            }
            None
        };
        let is_v3 = v3.is_some();
        let ex = Exchange {
            op: op_id,
            range,
            target: params.target,
            attempts: 0,
            serial: 0,
            sent_at: now,
            data,
            started: false,
            v3,
        };
        self.exchanges.insert(rid, ex);
        if is_v3 && !self.engine_known(&params) {
            self.await_engine(rid, &params, now);
            return;
        }
        self.admit(rid, &params, now);
    }

    /// Sends exchange `rid`, or queues it behind its session's in-flight limit.
    fn admit(&mut self, rid: i32, params: &Params, now: Instant) {
        if params.max_in_flight > 0 {
            let slots = self.slots.entry(params.session_id).or_default();
            if slots.in_flight >= params.max_in_flight {
                slots.waiting.push_back(rid);
                return;
            }
            slots.in_flight += 1;
        }
        self.transmit_first(rid, params, now);
    }

    fn transmit_first(&mut self, rid: i32, params: &Params, now: Instant) {
        let v3_data = match self.exchanges.get(&rid) {
            Some(ex) if ex.v3.is_some() => match self.encode_v3(rid, now) {
                Ok(d) => Some(d),
                Err(e) => {
                    // Started, so removal frees its slot; the op fails when this call ends.
                    let ex = self.exchanges.get_mut(&rid).expect("exchange exists");
                    ex.started = true;
                    self.deferred.push((ex.op, e));
                    return;
                }
            },
            _ => None,
        };
        let serial = self.serial();
        let ex = self.exchanges.get_mut(&rid).expect("exchange exists");
        ex.started = true;
        ex.attempts = 1;
        ex.serial = serial;
        ex.sent_at = now;
        let mut at = now + first_wait(params);
        if let Some(d) = self.ops.get(&ex.op).and_then(|o| o.deadline) {
            at = at.min(d);
        }
        self.timers.push((at, serial, rid));
        self.stats.requests_sent += 1;
        let (dest, conn) = (ex.target, params.conn());
        self.out
            .push_back(types::Queued::of_exchange(rid, dest, conn, v3_data));
    }

    /// Removes an exchange, frees its session slot and starts a waiting one if any.
    fn remove_exchange(&mut self, rid: i32) -> Option<Exchange> {
        let mut ex = self.exchanges.remove(&rid)?;
        if let Some(x) = ex.v3.take() {
            let conn = self.ops.get(&ex.op).and_then(|o| o.params.conn());
            self.forget_v3((ex.target, conn), rid, &x);
        }
        let op = self.ops.get_mut(&ex.op);
        let params = op.as_ref().map(|o| o.params.clone());
        if let Some(op) = op {
            op.exchanges.remove(rid);
        }
        if let Some(p) = params.filter(|p| p.max_in_flight > 0) {
            self.release_slot(&p, ex.started, rid);
        }
        Some(ex)
    }

    fn release_slot(&mut self, p: &Params, started: bool, rid: i32) {
        let Some(slots) = self.slots.get_mut(&p.session_id) else {
            return;
        };
        if !started {
            slots.waiting.retain(|&r| r != rid);
            return;
        }
        slots.in_flight -= 1;
        while let Some(next) = slots.waiting.pop_front() {
            if self.exchanges.contains_key(&next) {
                slots.in_flight += 1;
                self.transmit_first(next, p, self.now);
                return;
            }
        }
        if slots.in_flight == 0 {
            self.slots.remove(&p.session_id);
        }
    }

    /// Completes an op: removes its exchanges and emits the Done event.
    fn finish(&mut self, op_id: OpId, result: Result<Response, Error>) {
        let Some(op) = self.ops.get(&op_id) else {
            return;
        };
        let rids = op.exchanges.clone();
        for &rid in rids.as_slice() {
            if let Some(ex) = self.remove_exchange(rid) {
                self.recycle(ex.data);
            }
        }
        let op = self.ops.remove(&op_id).expect("op present");
        self.stats.completed += 1;
        self.events.push_back(Event::Done {
            id: op_id,
            ctx: op.ctx,
            result,
        });
    }
}

/// The wait for transmission number `attempts + 1` under exponential backoff.
fn attempt_timeout(p: &Params, attempts: u32) -> Duration {
    if p.backoff <= 1.0 {
        return p.timeout;
    }
    let f = p.backoff.powi(attempts.min(16) as i32);
    p.timeout.mul_f64(f).min(Duration::from_secs(3600))
}

/// How long the first transmission waits: one timeout on UDP; on a stream transport, where
/// nothing is retransmitted (RFC 3430 §2.4: TCP itself retransmits), the time every try
/// would have taken, so a timeout takes as long as on UDP (and as Net-SNMP's tools).
fn first_wait(p: &Params) -> Duration {
    if p.conn().is_none() {
        return p.timeout;
    }
    (0..=p.retries.min(64))
        .map(|a| attempt_timeout(p, a))
        .fold(Duration::ZERO, |t, w| t.saturating_add(w))
}

/// True for versions that have GetBulk (RFC 3416 §4.2.3; not in v1).
fn has_bulk(v: Version) -> bool {
    v != Version::V1
}
