//! SNMPv3 in the engine: per-target engine discovery (RFC 3414 §4) and clocks (RFC 3414
//! §2.3), per-transmission encoding (a new msgID, salt and time estimate for every
//! transmission), verification of incoming messages and Report handling.
//!
//! State is per target address, owned by the engine (one per shard), never per user and
//! never global: `targets` maps an agent address to the engine ID discovered there, the
//! discovery in flight with the exchanges waiting on it, and one clock per authoritative
//! engine ID seen at that address.

use super::{attempt_timeout, first_wait, Engine, Exchange, Params, PeerKey, Transmit};
use crate::error::Error;
use crate::message::v3::{
    decode_v3, encode_discovery, encode_v3, parse_discovery, process_incoming, EngineClock,
    IncomingV3, MsgGlobal, ReportKind, ScopedPdu, SecurityKeys, SecurityLevel, Timeliness,
    UsmParams, V3Error,
};
use crate::pdu::{Pdu, PduType};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

/// Clocks kept per target address (one per authoritative engine ID seen there); bounded so
/// spoofed discovery answers cannot grow the table.
const MAX_CLOCKS_PER_TARGET: usize = 4;

/// What the engine knows about the SNMPv3 engine(s) at one address.
#[derive(Default)]
pub(super) struct TargetV3 {
    /// The engine ID learnt by discovery (or from an unknownEngineIDs report).
    discovered: Option<Vec<u8>>,
    /// The discovery in flight (its pseudo request-id in `Engine::discoveries`).
    discovering: Option<i32>,
    /// Exchanges waiting for the discovery to finish.
    waiters: Vec<i32>,
    /// One clock per authoritative engine ID, most recent last.
    clocks: Vec<(Vec<u8>, Clock)>,
}

/// Our notion of one authoritative engine's boots/time.
#[derive(Clone, Copy)]
struct Clock {
    clock: EngineClock,
    /// False while the values come only from an unauthenticated source (a discovery Report)
    /// or the session's options: they are then used for outgoing messages, and the first
    /// authenticated message from the engine replaces them (RFC 3414 §3.2 step 7b updates
    /// the local notion only from authenticated messages).
    synced: bool,
}

impl TargetV3 {
    fn clock_mut(&mut self, engine_id: &[u8]) -> Option<&mut Clock> {
        self.clocks
            .iter_mut()
            .find(|(id, _)| id == engine_id)
            .map(|(_, c)| c)
    }

    fn set_clock(&mut self, engine_id: &[u8], clock: Clock) {
        if let Some(c) = self.clock_mut(engine_id) {
            *c = clock;
            return;
        }
        if self.clocks.len() >= MAX_CLOCKS_PER_TARGET {
            self.clocks.remove(0);
        }
        self.clocks.push((engine_id.to_vec(), clock));
    }
}

impl Discovery {
    /// The agent address the discovery goes to.
    pub(super) fn target(&self) -> SocketAddr {
        self.target
    }
}

/// A discovery request in flight (a pseudo-exchange with its own timer).
pub(super) struct Discovery {
    target: SocketAddr,
    /// The stream connection it was sent on (`None` = UDP).
    conn: Option<u64>,
    /// Timeout, retries and source check come from the first session that needed it.
    params: Arc<Params>,
    attempts: u32,
    serial: u64,
    msg_ids: Vec<i32>,
}

/// The v3 part of an exchange.
pub(super) struct ExV3 {
    /// The scoped PDU (request-id fixed for the exchange; the context engine ID is filled in
    /// at each transmission).
    scoped: ScopedPdu,
    /// The keys of the latest transmission (a response is verified with them).
    keys: Option<Arc<SecurityKeys>>,
    /// Every msgID this exchange was sent with: a response to any of them is accepted.
    pub(super) msg_ids: Vec<i32>,
    /// A notInTimeWindows report already caused one resync and resend.
    resynced: bool,
    /// An unknownEngineIDs report already caused one rediscovery and resend.
    rediscovered: bool,
    /// Waiting for the target's discovery.
    pub(super) awaiting_engine: bool,
}

impl ExV3 {
    pub(super) fn new(p: &Params, pdu: Pdu) -> ExV3 {
        let context_name = p.v3.as_ref().map_or(Vec::new(), |v| v.context_name.clone());
        ExV3 {
            scoped: ScopedPdu {
                context_engine_id: Vec::new(),
                context_name,
                pdu,
            },
            keys: None,
            msg_ids: Vec::new(),
            resynced: false,
            rediscovered: false,
            awaiting_engine: false,
        }
    }
}

/// True for the reasons [`process_incoming`] rejects a message that are authentication
/// failures (counted in `dropped_auth_failed`), as opposed to undecodable input.
fn is_auth_failure(e: &V3Error) -> bool {
    matches!(
        e,
        V3Error::AuthenticationFailed
            | V3Error::WrongMacLength { .. }
            | V3Error::UnknownUser
            | V3Error::WrongEngineId
            | V3Error::MissingKeys
            | V3Error::UnexpectedSecurityLevel { .. }
    )
}

fn v3_usage(e: impl std::fmt::Display) -> Error {
    Error::Usage(format!("SNMPv3: {e}"))
}

impl<S: Clone> Engine<S> {
    /// True when a v3 request to `p.target` can be encoded now (engine ID given or known).
    pub(super) fn engine_known(&self, p: &Params) -> bool {
        p.v3.as_ref()
            .is_some_and(|v| v.security_engine_id.is_some())
            || self
                .targets
                .get(&(p.target, p.conn()))
                .is_some_and(|t| t.discovered.is_some())
    }

    /// Parks exchange `rid` until the target's engine ID is known, starting a discovery
    /// unless one is in flight (concurrent first requests share one discovery).
    pub(super) fn await_engine(&mut self, rid: i32, params: &Arc<Params>, now: Instant) {
        if let Some(x) = self.exchanges.get_mut(&rid).and_then(|e| e.v3.as_mut()) {
            x.awaiting_engine = true;
        }
        let key = (params.target, params.conn());
        let t = self.targets.entry(key).or_default();
        t.waiters.push(rid);
        if t.discovering.is_some() {
            return;
        }
        let (exchanges, discoveries) = (&self.exchanges, &self.discoveries);
        let drid = self
            .ids
            .allocate(|id| exchanges.contains_key(&id) || discoveries.contains_key(&id));
        self.discoveries.insert(
            drid,
            Discovery {
                target: params.target,
                conn: params.conn(),
                params: params.clone(),
                attempts: 0,
                serial: 0,
                msg_ids: Vec::new(),
            },
        );
        if let Some(t) = self.targets.get_mut(&key) {
            t.discovering = Some(drid);
        }
        self.send_discovery(drid, now);
    }

    /// Sends (or resends, with a new msgID) the discovery request of RFC 3414 §4.
    fn send_discovery(&mut self, drid: i32, now: Instant) {
        let msg_ids = &self.msg_ids;
        let msg_id = self.msg_alloc.allocate(|m| msg_ids.contains_key(&m));
        let serial = self.serial();
        let Some(d) = self.discoveries.get_mut(&drid) else {
            return;
        };
        let wait = if d.conn.is_some() {
            first_wait(&d.params)
        } else {
            attempt_timeout(&d.params, d.attempts)
        };
        d.attempts += 1;
        d.serial = serial;
        d.msg_ids.push(msg_id);
        let (dest, conn, first) = (d.target, d.conn, d.attempts == 1);
        self.msg_ids.insert(msg_id, drid);
        let mut data = self.pool.pop().unwrap_or_default();
        if encode_discovery(&mut data, msg_id, drid).is_err() {
            // Only out-of-range ids fail, and ours are in range; end rather than loop.
            self.end_discovery(drid, Err(v3_usage("cannot encode discovery")), now);
            return;
        }
        self.timers.push((now + wait, serial, drid));
        if first {
            self.stats.requests_sent += 1;
        } else {
            self.stats.retransmissions += 1;
        }
        self.out
            .push_back(super::types::Queued::Owned(Transmit { dest, data, conn }));
    }

    /// A discovery timer fired: resend, or fail every waiting operation.
    pub(super) fn discovery_timer(&mut self, drid: i32, serial: u64, now: Instant) {
        let Some(d) = self.discoveries.get(&drid) else {
            return;
        };
        if d.serial != serial {
            return;
        }
        // Over a stream nothing is resent: the one timer covered every try.
        if d.attempts > d.params.retries || d.conn.is_some() {
            let err = Error::Timeout {
                peer: d.target,
                attempts: d.attempts,
            };
            self.end_discovery(drid, Err(err), now);
        } else {
            self.send_discovery(drid, now);
        }
    }

    /// Ends a discovery: releases its waiters to be sent (`Ok`) or fails their operations.
    pub(super) fn end_discovery(&mut self, drid: i32, result: Result<(), Error>, now: Instant) {
        let Some(d) = self.discoveries.remove(&drid) else {
            return;
        };
        for m in &d.msg_ids {
            self.msg_ids.remove(m);
        }
        let waiters = match self.targets.get_mut(&(d.target, d.conn)) {
            Some(t) => {
                t.discovering = None;
                std::mem::take(&mut t.waiters)
            }
            None => Vec::new(),
        };
        for rid in waiters {
            let Some(ex) = self.exchanges.get_mut(&rid) else {
                continue;
            };
            match ex.v3.as_mut() {
                Some(x) if x.awaiting_engine => x.awaiting_engine = false,
                _ => continue,
            }
            let op_id = ex.op;
            match &result {
                Ok(()) => {
                    let Some(params) = self.ops.get(&op_id).map(|o| o.params.clone()) else {
                        continue;
                    };
                    self.admit(rid, &params, now);
                }
                Err(e) => {
                    if e.is_timeout() {
                        self.stats.timeouts += 1;
                    }
                    self.finish(op_id, Err(e.clone()));
                }
            }
        }
    }

    /// An ICMP port unreachable answered discovery `drid` (sent to `dest`): the operations
    /// waiting for it fail with [`Error::Unreachable`], except those of sessions that wait
    /// for timeouts (`fail_on_unreachable` off), for which the discovery runs on.
    pub(super) fn unreachable_discovery(&mut self, drid: i32, dest: SocketAddr, now: Instant) {
        // ICMP errors come from the UDP sockets: a discovery over a stream is not concerned.
        if self.discoveries.get(&drid).map(|d| (d.target, d.conn)) != Some((dest, None)) {
            return;
        }
        let waiters = self
            .targets
            .get(&(dest, None))
            .map(|t| t.waiters.clone())
            .unwrap_or_default();
        let mut patient = false;
        for rid in waiters {
            let Some(op_id) = self.exchanges.get(&rid).map(|e| e.op) else {
                continue;
            };
            match self.ops.get(&op_id) {
                Some(op) if op.params.fail_on_unreachable => self.fail_unreachable(op_id, dest),
                Some(_) => patient = true,
                None => {}
            }
        }
        if !patient {
            self.end_discovery(drid, Err(Error::Unreachable { peer: dest }), now);
        }
    }

    /// Fails the discoveries in flight to `target` (all when `None`) with `err`.
    pub(super) fn end_discoveries(&mut self, target: Option<PeerKey>, err: &Error) {
        let ids: Vec<i32> = self
            .discoveries
            .iter()
            .filter(|(_, d)| target.map_or(true, |t| (d.target, d.conn) == t))
            .map(|(id, _)| *id)
            .collect();
        for id in ids {
            self.end_discovery(id, Err(err.clone()), self.now);
        }
    }

    /// Records an engine ID for `target` (from discovery or an unknownEngineIDs report, both
    /// unauthenticated), with the boots/time it came with as an unsynced first estimate.
    fn install_engine(&mut self, target: PeerKey, id: &[u8], boots: u32, time: u32) {
        let now = self.now;
        let t = self.targets.entry(target).or_default();
        t.discovered = Some(id.to_vec());
        match t.clock_mut(id) {
            Some(c) if c.synced => {}
            _ => t.set_clock(
                id,
                Clock {
                    clock: EngineClock::new(boots, time, now),
                    synced: false,
                },
            ),
        }
    }

    /// The session's keys at `engine_id` (`None` for noAuthNoPriv), from the session's memo
    /// or derived through the runtime's key cache.
    fn session_keys(
        &self,
        p: &Params,
        engine_id: &[u8],
    ) -> Result<Option<Arc<SecurityKeys>>, Error> {
        let v = p.v3.as_ref().ok_or_else(|| v3_usage("no user settings"))?;
        if v.level == SecurityLevel::NoAuthNoPriv {
            return Ok(None);
        }
        let mut memo = v.keys.lock();
        if let Some(k) = memo.as_ref().filter(|k| k.engine_id() == engine_id) {
            return Ok(Some(k.clone()));
        }
        let k = SecurityKeys::derive(&self.keys, &v.user, &v.credentials, engine_id)
            .map_err(v3_usage)?
            .ok_or_else(|| v3_usage(format!("{} needs authentication credentials", v.level)))?;
        let k = match (v.level, k.level()) {
            (SecurityLevel::AuthNoPriv, SecurityLevel::AuthPriv) => k.without_privacy(),
            (SecurityLevel::AuthPriv, SecurityLevel::AuthNoPriv) => {
                return Err(v3_usage("authPriv needs privacy credentials"))
            }
            _ => k,
        };
        let k = Arc::new(k);
        *memo = Some(k.clone());
        Ok(Some(k))
    }

    /// Encodes the next transmission of v3 exchange `rid`: a new msgID (kept mapped to the
    /// exchange), a new salt and the current estimate of the engine's boots/time; the
    /// request-id stays the exchange's.
    pub(super) fn encode_v3(&mut self, rid: i32, now: Instant) -> Result<Vec<u8>, Error> {
        let ex = self.exchanges.get(&rid).expect("v3 exchange");
        let params = self.ops[&ex.op].params.clone();
        let v = params
            .v3
            .as_ref()
            .ok_or_else(|| v3_usage("no user settings"))?;
        let engine_id = match &v.security_engine_id {
            Some(e) => e.clone(),
            None => self
                .targets
                .get(&(params.target, params.conn()))
                .and_then(|t| t.discovered.clone())
                .ok_or_else(|| v3_usage("engine ID not discovered"))?,
        };
        let t = self
            .targets
            .entry((params.target, params.conn()))
            .or_default();
        let (boots, time) = match t.clock_mut(&engine_id) {
            Some(c) => c.clock.estimate(now),
            None => match v.boots_time {
                Some((b, tm)) => {
                    let clock = EngineClock::new(b, tm, now);
                    t.set_clock(
                        &engine_id,
                        Clock {
                            clock,
                            synced: false,
                        },
                    );
                    clock.estimate(now)
                }
                None => (0, 0),
            },
        };
        let keys = self.session_keys(&params, &engine_id)?;
        let msg_ids = &self.msg_ids;
        let msg_id = self.msg_alloc.allocate(|m| msg_ids.contains_key(&m));
        let ex = self.exchanges.get_mut(&rid).expect("v3 exchange");
        let x = ex.v3.as_mut().expect("v3 exchange");
        let context = v.context_engine_id.as_ref().unwrap_or(&engine_id);
        if x.scoped.context_engine_id != *context {
            x.scoped.context_engine_id.clone_from(context);
        }
        let usm = UsmParams {
            engine_id: &engine_id,
            engine_boots: boots,
            engine_time: time,
            user_name: &v.user,
            ..UsmParams::default()
        };
        let mut buf = self.pool.pop().unwrap_or_default();
        let global = MsgGlobal::request(msg_id, v.level);
        encode_v3(
            &mut buf,
            global,
            &usm,
            &x.scoped,
            keys.as_deref(),
            &self.salts,
        )
        .map_err(|e| v3_usage(format!("cannot encode the request: {e}")))?;
        x.keys = keys;
        x.msg_ids.push(msg_id);
        self.msg_ids.insert(msg_id, rid);
        Ok(buf)
    }

    /// Re-encodes and sends exchange `rid` at once (after a resync or rediscovery), with a
    /// fresh timer; the attempt count is unchanged.
    fn resend_now(&mut self, rid: i32, now: Instant) {
        let data = match self.encode_v3(rid, now) {
            Ok(d) => d,
            Err(e) => {
                if let Some(op) = self.exchanges.get(&rid).map(|x| x.op) {
                    self.finish(op, Err(e));
                }
                return;
            }
        };
        let serial = self.serial();
        let ex = self.exchanges.get_mut(&rid).expect("live exchange");
        ex.serial = serial;
        ex.sent_at = now;
        let dest = ex.target;
        let op = &self.ops[&ex.op];
        let mut at = now + first_wait(&op.params);
        if let Some(d) = op.deadline {
            at = at.min(d);
        }
        let conn = op.params.conn();
        self.timers.push((at, serial, rid));
        self.stats.retransmissions += 1;
        self.out
            .push_back(super::types::Queued::Owned(Transmit { dest, data, conn }));
    }

    /// Handles an SNMPv3 datagram: match by msgID, verify (MAC first), check the time window,
    /// then complete the exchange, handle a Report, or drop and count.
    pub(super) fn handle_v3(
        &mut self,
        from: SocketAddr,
        via: Option<u64>,
        data: &[u8],
        now: Instant,
    ) {
        let Ok(inc) = decode_v3(data) else {
            self.stats.dropped_invalid += 1;
            return;
        };
        let Some(&rid) = self.msg_ids.get(&inc.global.msg_id) else {
            self.stats.dropped_unmatched += 1;
            return;
        };
        if self.discoveries.contains_key(&rid) {
            self.on_discovery_reply(rid, from, via, &inc, now);
            return;
        }
        let Some(ex) = self.exchanges.get(&rid) else {
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
        if (op.params.check_source && from != ex.target) || op.params.conn() != via {
            self.stats.dropped_wrong_source += 1;
            return;
        }
        let target = (ex.target, via);
        let keys = ex.v3.as_ref().and_then(|x| x.keys.clone());
        let scoped = match process_incoming(&inc, keys.as_deref()) {
            Ok(s) => s,
            Err(e) if is_auth_failure(&e) => {
                self.stats.dropped_auth_failed += 1;
                return;
            }
            Err(_) => {
                self.stats.dropped_invalid += 1;
                return;
            }
        };
        let authentic = inc.level().has_auth();
        if let Some(kind) = scoped.report_kind() {
            self.on_report(rid, kind, &inc, authentic, now);
            return;
        }
        // RFC 3412 §7.2 step 12: a Response must carry the request's request-id.
        if scoped.pdu.kind != PduType::Response || scoped.pdu.request_id != rid {
            self.stats.dropped_invalid += 1;
            return;
        }
        if authentic && !self.timely(target, &inc, now) {
            self.stats.dropped_not_in_time_window += 1;
            return;
        }
        self.complete_exchange(rid, scoped.pdu, from, now);
    }

    /// RFC 3414 §3.2 step 7b for an authenticated message from the engine we sent to: update
    /// our notion of its clock if the message is newer, then check the 150 s window. An
    /// unsynced clock (from discovery) is simply replaced by the authenticated values.
    fn timely(&mut self, target: PeerKey, inc: &IncomingV3<'_>, now: Instant) -> bool {
        let u = &inc.usm;
        let t = self.targets.entry(target).or_default();
        match t.clock_mut(u.engine_id) {
            Some(c) if c.synced => {
                c.clock.on_authentic(u.engine_boots, u.engine_time, now) == Timeliness::InWindow
            }
            _ => {
                t.set_clock(
                    u.engine_id,
                    Clock {
                        clock: EngineClock::new(u.engine_boots, u.engine_time, now),
                        synced: true,
                    },
                );
                true
            }
        }
    }

    fn on_discovery_reply(
        &mut self,
        drid: i32,
        from: SocketAddr,
        via: Option<u64>,
        inc: &IncomingV3<'_>,
        now: Instant,
    ) {
        let d = &self.discoveries[&drid];
        let target = (d.target, d.conn);
        if (d.params.check_source && from != target.0) || d.conn != via {
            self.stats.dropped_wrong_source += 1;
            return;
        }
        match parse_discovery(inc) {
            Ok(disc) => {
                self.install_engine(target, &disc.engine_id, disc.engine_boots, disc.engine_time);
                self.stats.v3_discoveries += 1;
                self.end_discovery(drid, Ok(()), now);
            }
            Err(_) => self.stats.dropped_invalid += 1,
        }
    }

    /// A Report-PDU for exchange `rid` (RFC 3412 §7.2 step 12b; RFC 3414 §3.2).
    fn on_report(
        &mut self,
        rid: i32,
        kind: ReportKind,
        inc: &IncomingV3<'_>,
        authentic: bool,
        now: Instant,
    ) {
        let ex: &Exchange = &self.exchanges[&rid];
        let (op_id, peer) = (ex.op, ex.target);
        let x = ex.v3.as_ref().expect("v3 exchange");
        let (resynced, rediscovered) = (x.resynced, x.rediscovered);
        let params = self.ops[&op_id].params.clone();
        let key = (peer, params.conn());
        let v = params.v3.as_ref().expect("v3 session");
        let u = &inc.usm;
        let err = match kind {
            ReportKind::NotInTimeWindows => {
                // Sent at authNoPriv (RFC 3414 §3.2 step 7b); an unauthenticated one could
                // move our clock anywhere, so it is not believed.
                if !authentic {
                    self.stats.dropped_auth_failed += 1;
                    return;
                }
                self.stats.v3_reports += 1;
                self.stats.v3_resyncs += 1;
                let clock = Clock {
                    clock: EngineClock::new(u.engine_boots, u.engine_time, now),
                    synced: true,
                };
                self.targets
                    .entry(key)
                    .or_default()
                    .set_clock(u.engine_id, clock);
                if !resynced {
                    self.mark(rid, |x| x.resynced = true);
                    self.resend_now(rid, now);
                    return;
                }
                Error::NotInTimeWindow { peer }
            }
            ReportKind::UnknownEngineIds => {
                self.stats.v3_reports += 1;
                // The agent's engine ID changed (e.g. a re-installed agent): take the one
                // the report names and resend once, unless the session fixed the engine ID.
                if v.security_engine_id.is_none() && !rediscovered && !u.engine_id.is_empty() {
                    self.install_engine(key, u.engine_id, u.engine_boots, u.engine_time);
                    self.mark(rid, |x| x.rediscovered = true);
                    self.resend_now(rid, now);
                    return;
                }
                Error::UnknownEngineId { peer }
            }
            other => {
                self.stats.v3_reports += 1;
                match other {
                    ReportKind::UnknownUserNames => Error::UnknownUser {
                        peer,
                        user: String::from_utf8_lossy(&v.user).into_owned(),
                    },
                    ReportKind::WrongDigests => Error::AuthenticationFailed { peer },
                    ReportKind::DecryptionErrors => Error::DecryptionError { peer },
                    ReportKind::UnsupportedSecLevels => Error::UnsupportedSecurityLevel { peer },
                    report => Error::Report { peer, report },
                }
            }
        };
        self.finish(op_id, Err(err));
    }

    fn mark(&mut self, rid: i32, f: impl FnOnce(&mut ExV3)) {
        if let Some(x) = self.exchanges.get_mut(&rid).and_then(|e| e.v3.as_mut()) {
            f(x);
        }
    }

    /// Forgets the msgIDs of a removed exchange and takes it off its discovery's wait list.
    pub(super) fn forget_v3(&mut self, target: PeerKey, rid: i32, x: &ExV3) {
        for m in &x.msg_ids {
            self.msg_ids.remove(m);
        }
        if x.awaiting_engine {
            if let Some(t) = self.targets.get_mut(&target) {
                t.waiters.retain(|&r| r != rid);
            }
        }
    }
}
