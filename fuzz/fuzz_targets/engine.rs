//! The sans-IO engine with requests in flight, driven by the input as a small program:
//! submissions (Get, GetNext, GetBulk, Set, walks, notifications) on five sessions (v2c with
//! an in-flight limit and small splits, v1 with backoff, SNMPv3 authPriv with discovery,
//! SNMPv3 authNoPriv with a configured engine and no source check, v2c with an overall
//! deadline); arbitrary datagrams from addresses and ports the input picks; correct,
//! mutated, truncated, misdirected and crafted answers (SNMPv3 ones sealed by the
//! simulator's USM agent, so they authenticate); replays; agent restarts; cancellations;
//! clock advances.
//!
//! Checked after every step: no panic; every completion is for a submitted operation and
//! arrives once; streaming pages only for live operations; the engine's in-flight count and
//! counters agree with ours; a successful SNMPv3 result holds only bindings the agent sealed
//! or the request's own (nothing forged gets through); a successful Get/GetNext/Set holds one
//! binding per request binding (Get/Set with the requested names); walk rows lie in a
//! requested subtree; replies come from the target where the source is checked; an operation
//! with an overall deadline is complete once the clock passes it. At the end the clock runs on
//! from timer to timer with no more answers and every operation must complete (no hang)
//! within a bounded time. `SNMPX_FUZZ_TRACE=1` prints every completion.
#![no_main]

#[path = "common/agent.rs"]
mod agent;

use agent::{oid, value, varbind_list_content, vary, Input, Mib, OIDS};
use libfuzzer_sys::fuzz_target;
use snmpx::engine::{Engine, Event, Operation, Params, V3Params};
use snmpx::message::v3::SecurityLevel;
use snmpx::message::{decode_community, encode_community, Version};
use snmpx::pdu::{DecodedPdu, ErrorStatus, Pdu, PduType};
use snmpx::sim::{Opened, ResponseBody, Security, UsmSecurity};
use snmpx::usm::{AuthProtocol, Credentials, KeyCache, PrivProtocol};
use snmpx::{Error, Oid, VarBind};
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

const MAX_SUBMITS: u64 = 48;
const MAX_STEPS: usize = 400;
const WIRE_KEEP: usize = 64;

fn creds_alice() -> Credentials {
    let aes = Some((PrivProtocol::Aes128, &b"alice-priv-pass"[..]));
    Credentials::from_passwords(AuthProtocol::Sha1, b"alice-auth-pass", aes).expect("valid")
}

fn creds_bob() -> Credentials {
    let des = Some((PrivProtocol::Des, &b"bob-priv-pass"[..]));
    Credentials::from_passwords(AuthProtocol::Md5, b"bob-auth-pass", des).expect("valid")
}

/// The agent side: USM for devices 0 and 1 (the v3 sessions' targets). Keys are derived once
/// per process and kept in its cache.
fn usm() -> &'static UsmSecurity {
    static U: OnceLock<UsmSecurity> = OnceLock::new();
    U.get_or_init(|| {
        let users = vec![
            (b"alice".to_vec(), creds_alice()),
            (b"bob".to_vec(), creds_bob()),
        ];
        UsmSecurity::new(users).expect("usm")
    })
}

/// The manager's key cache (pass-phrase expansion once per process).
fn key_cache() -> Arc<KeyCache> {
    static K: OnceLock<Arc<KeyCache>> = OnceLock::new();
    K.get_or_init(|| Arc::new(KeyCache::new().expect("key cache")))
        .clone()
}

/// `SNMPX_FUZZ_TRACE=1` prints every completion (to see what an input does).
fn trace() -> bool {
    static T: OnceLock<bool> = OnceLock::new();
    *T.get_or_init(|| std::env::var_os("SNMPX_FUZZ_TRACE").is_some())
}

fn addr(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

/// The five sessions. v3 targets: device 0 at port 2002, device 1 at port 2003.
fn sessions() -> Vec<Arc<Params>> {
    let mut s0 = Params::new(addr(2000));
    s0.session_id = 1;
    s0.retries = 2;
    s0.max_in_flight = 2;
    s0.max_varbinds = 2;
    s0.max_repetitions = 4;
    s0.walk_max_requests = 40;

    let mut s1 = Params::new(addr(2001));
    s1.session_id = 2;
    s1.version = Version::V1;
    s1.community = b"private".as_slice().into();
    s1.retries = 1;
    s1.backoff = 2.0;
    s1.check_increasing = false;
    s1.walk_max_requests = 40;

    let mut s2 = Params::new(addr(2002));
    s2.session_id = 3;
    s2.version = Version::V3;
    s2.retries = 2;
    s2.walk_max_requests = 40;
    s2.v3 = Some(Arc::new(V3Params::new(
        b"alice",
        SecurityLevel::AuthPriv,
        creds_alice(),
    )));

    let mut s3 = Params::new(addr(2003));
    s3.session_id = 4;
    s3.version = Version::V3;
    s3.retries = 1;
    s3.check_source = false;
    s3.max_in_flight = 1;
    s3.walk_max_requests = 40;
    let mut v3 = V3Params::new(b"bob", SecurityLevel::AuthNoPriv, creds_bob());
    v3.security_engine_id = Some(usm().engine_id(1));
    v3.boots_time = Some((1, 0));
    s3.v3 = Some(Arc::new(v3));

    let mut s4 = Params::new(addr(2000));
    s4.session_id = 5;
    s4.deadline = Some(Duration::from_secs(3));
    s4.retries = 5;
    s4.walk_max_requests = 40;

    [s0, s1, s2, s3, s4].into_iter().map(Arc::new).collect()
}

/// What we remember of a submitted operation.
struct Sub {
    session: usize,
    op: Operation,
    at: Instant,
}

struct World {
    engine: Engine<u64>,
    sessions: Vec<Arc<Params>>,
    mib: Mib,
    start: Instant,
    now: Instant,
    /// Agent clock offset (seconds) and whether the agent "restarted".
    agent_offset: u32,
    next_id: u64,
    subs: HashMap<u64, Sub>,
    done: HashSet<u64>,
    /// Datagrams the engine sent (most recent last).
    wire: Vec<(SocketAddr, Vec<u8>)>,
    /// Datagrams delivered to the engine, for replays.
    delivered: Vec<(SocketAddr, Vec<u8>)>,
    /// Every binding the USM agent sealed into an authenticated response.
    sealed: HashSet<VarBind>,
}

impl World {
    fn new() -> World {
        let start = Instant::now();
        usm().set_boots(1);
        World {
            engine: Engine::new(0x5eed, start, key_cache()),
            sessions: sessions(),
            mib: Mib::new(),
            start,
            now: start,
            agent_offset: 0,
            next_id: 1,
            subs: HashMap::new(),
            done: HashSet::new(),
            wire: Vec::new(),
            delivered: Vec::new(),
            sealed: HashSet::new(),
        }
    }

    fn agent_time(&self) -> u32 {
        let secs = self.now.duration_since(self.start).as_secs() as u32;
        secs.wrapping_add(self.agent_offset) & 0x7fff_ffff
    }

    fn submit(&mut self, inp: &mut Input<'_>) {
        if self.next_id > MAX_SUBMITS {
            return;
        }
        let session = inp.byte() as usize % self.sessions.len();
        let kind = inp.byte();
        let n = 1 + inp.byte() as usize % 4;
        let oids: Vec<Oid> = (0..n).map(|_| oid(inp.pick(OIDS))).collect();
        let op = match kind % 10 {
            0 | 1 => Operation::Get(oids),
            2 => Operation::GetNext(oids),
            3 => Operation::GetBulk {
                non_repeaters: inp.byte() as u32 % 3,
                max_repetitions: inp.byte() as u32 % 8,
                oids,
            },
            4 => {
                let vbs = oids
                    .into_iter()
                    .map(|o| VarBind::new(o, value(kind / 10, inp)));
                Operation::Set(vbs.collect())
            }
            5 | 6 => Operation::Walk {
                roots: oids,
                bulk: kind % 10 == 6,
                stream: false,
            },
            7 => Operation::Walk {
                roots: oids,
                bulk: inp.byte() % 2 == 0,
                stream: true,
            },
            8 => Operation::Inform(oids.into_iter().map(VarBind::null).collect()),
            _ => Operation::TrapV2(oids.into_iter().map(VarBind::null).collect()),
        };
        let id = self.next_id;
        self.next_id += 1;
        self.subs.insert(
            id,
            Sub {
                session,
                op: op.clone(),
                at: self.now,
            },
        );
        let params = self.sessions[session].clone();
        self.engine.submit(id, params, op, id, self.now);
    }

    fn deliver(&mut self, from: SocketAddr, data: Vec<u8>) {
        self.engine.handle_datagram(from, &data, self.now);
        if self.delivered.len() < 32 {
            self.delivered.push((from, data));
        }
    }

    /// The agent's answer to a datagram the engine sent: correct (`crafted` false) or with
    /// request-id, status, index and bindings taken from the input.
    fn answer(
        &mut self,
        dest: SocketAddr,
        req: &[u8],
        crafted: bool,
        inp: &mut Input<'_>,
    ) -> Option<Vec<u8>> {
        if dest.port() >= 2002 {
            let dev = (dest.port() - 2002) as usize;
            return match usm().open_at(dev, req, self.agent_time()) {
                Opened::Reply(b) => Some(b),
                Opened::Drop(_) => None,
                Opened::Request(inc) => {
                    let (rid, status, index, vbs) =
                        self.response_fields(&inc.pdu, false, crafted, inp);
                    self.sealed.extend(vbs.iter().cloned());
                    let list = varbind_list_content(&vbs);
                    let body = ResponseBody {
                        request_id: rid,
                        error_status: status,
                        error_index: index,
                        varbinds: &list,
                    };
                    let mut out = Vec::new();
                    usm().seal(dev, &inc.reply, &body, &mut out);
                    Some(out)
                }
            };
        }
        let msg = decode_community(req).ok()?;
        let DecodedPdu::Pdu(pdu) = msg.pdu else {
            return None;
        };
        let v1 = msg.version == Version::V1;
        let (rid, status, index, vbs) = self.response_fields(&pdu, v1, crafted, inp);
        let (mut version, mut community) = (msg.version, msg.community.to_vec());
        if crafted {
            match inp.byte() % 8 {
                0 => version = if v1 { Version::V2c } else { Version::V1 },
                1 => community = b"wrong".to_vec(),
                _ => {}
            }
        }
        let resp = Pdu {
            kind: if crafted && inp.byte() % 16 == 0 {
                PduType::Report
            } else {
                PduType::Response
            },
            request_id: rid,
            error_status: status,
            error_index: index,
            varbinds: vbs,
        };
        let mut out = Vec::new();
        encode_community(&mut out, version, &community, &resp);
        Some(out)
    }

    fn response_fields(
        &self,
        req: &Pdu,
        v1: bool,
        crafted: bool,
        inp: &mut Input<'_>,
    ) -> (i32, i32, i32, Vec<VarBind>) {
        let (status, index, vbs) = self.mib.answer(req, v1);
        if !crafted {
            return (req.request_id, status, index, vbs);
        }
        let rid = match inp.byte() % 8 {
            0 => req.request_id.wrapping_add(1),
            1 => inp.u32() as i32,
            _ => req.request_id,
        };
        let sel = inp.byte();
        let status = if sel % 3 == 0 {
            (sel / 3) as i32 % 20
        } else {
            0
        };
        let index = inp.byte() as i32 - 2;
        let n = inp.byte() as usize % 6;
        let base: Vec<Oid> = if vbs.is_empty() {
            req.varbinds.iter().map(|v| v.oid.clone()).collect()
        } else {
            vbs.iter().map(|v| v.oid.clone()).collect()
        };
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let b = base
                .get(i % base.len().max(1))
                .cloned()
                .unwrap_or_else(|| oid("1.3"));
            let o = vary(&b, inp);
            let kind = inp.byte();
            out.push(VarBind::new(o, value(kind, inp)));
        }
        (rid, status, index, out)
    }

    fn step(&mut self, inp: &mut Input<'_>) {
        match inp.byte() % 12 {
            0 | 1 => self.submit(inp),
            2..=4 => {
                // An answer to something the engine sent.
                if self.wire.is_empty() {
                    return;
                }
                // Indexes past the end pick the latest transmission.
                let i = (inp.byte() as usize).min(self.wire.len() - 1);
                let (dest, req) = self.wire[i].clone();
                let mode = inp.byte() % 8;
                let Some(mut d) = self.answer(dest, &req, mode == 4 || mode == 5, inp) else {
                    return;
                };
                let mut from = dest;
                match mode {
                    1 if !d.is_empty() => {
                        let at = inp.u16() as usize % d.len();
                        d[at] ^= inp.byte() | 1;
                    }
                    2 => d.truncate(inp.u16() as usize % (d.len() + 1)),
                    3 => from = addr(dest.port().wrapping_add(1 + inp.byte() as u16 % 4)),
                    6 if !d.is_empty() => {
                        // Overwrite a few octets with input bytes.
                        let at = inp.u16() as usize % d.len();
                        let patch = inp.bytes(4);
                        for (i, b) in patch.iter().enumerate() {
                            if let Some(x) = d.get_mut(at + i) {
                                *x = *b;
                            }
                        }
                    }
                    _ => {}
                }
                self.deliver(from, d);
            }
            5 => {
                // Arbitrary bytes from an address the input picks.
                let from = match inp.byte() % 4 {
                    0 => SocketAddr::from(([127, 0, 0, inp.byte()], inp.u16())),
                    1 => SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, 2000)),
                    _ => addr(2000 + inp.byte() as u16 % 4),
                };
                let n = inp.byte() as usize;
                let d = inp.bytes(n).to_vec();
                self.deliver(from, d);
            }
            6 => {
                // Our own request echoed back (a request PDU, not a response).
                if let Some((dest, req)) = self.wire.last().cloned() {
                    self.deliver(dest, req);
                }
            }
            7 => {
                if !self.delivered.is_empty() {
                    let (f, d) = self.delivered[inp.byte() as usize % self.delivered.len()].clone();
                    self.engine.handle_datagram(f, &d, self.now);
                }
            }
            8 | 9 => {
                let ms = match inp.byte() % 4 {
                    0 => inp.u16() as u64 * 4,
                    1 => 1000,
                    _ => inp.byte() as u64 * 10,
                };
                self.now += Duration::from_millis(ms);
                self.engine.handle_timeout(self.now);
                self.check_deadlines();
            }
            10 => {
                let id = 1 + inp.byte() as u64 % self.next_id;
                let live = self.subs.contains_key(&id) && !self.done.contains(&id);
                assert_eq!(self.engine.cancel(id), live, "cancel({id}) of a live op");
            }
            _ => match inp.byte() % 3 {
                0 => {
                    // Agent restart: new boots, engine time from zero.
                    usm().set_boots(2 + inp.byte() as u32 % 3);
                    self.agent_offset = 0u32.wrapping_sub(self.agent_time());
                }
                1 => self.agent_offset = self.agent_offset.wrapping_add(inp.u16() as u32),
                _ => {
                    let target = addr(2000 + inp.byte() as u16 % 4);
                    let err = Error::Connection {
                        peer: target,
                        reason: "port unreachable".into(),
                    };
                    self.engine.fail_target(target, err);
                }
            },
        }
    }

    /// Drains what the engine produced and checks the invariants.
    fn settle(&mut self) {
        while let Some(t) = self.engine.poll_transmit() {
            if self.wire.len() >= WIRE_KEEP {
                self.wire.remove(0);
            }
            self.wire.push((t.dest, t.data));
        }
        while let Some(ev) = self.engine.poll_event() {
            match ev {
                Event::Page { ctx, varbinds } => {
                    let sub = self.subs.get(&ctx).expect("page for a submitted op");
                    assert!(!self.done.contains(&ctx), "page after completion");
                    assert!(
                        matches!(sub.op, Operation::Walk { stream: true, .. }),
                        "page for a non-streaming op"
                    );
                    self.check_rows(ctx, &varbinds);
                }
                Event::Done { id, ctx, result } => {
                    if trace() {
                        eprintln!(
                            "op {id}: {:?}\n  -> {result:?}",
                            self.subs.get(&id).map(|s| &s.op)
                        );
                    }
                    assert_eq!(id, ctx);
                    assert!(
                        self.subs.contains_key(&id),
                        "completion of an unknown op {id}"
                    );
                    assert!(self.done.insert(id), "op {id} completed twice");
                    if let Ok(r) = &result {
                        self.check_ok(id, r);
                    }
                }
            }
        }
        let live = self.subs.len() - self.done.len();
        assert_eq!(self.engine.ops_in_flight(), live, "in-flight count");
        let st = self.engine.stats();
        assert_eq!(st.submitted, self.subs.len() as u64);
        assert_eq!(st.completed, self.done.len() as u64);
    }

    fn check_rows(&self, id: u64, rows: &[VarBind]) {
        let sub = &self.subs[&id];
        let params = &self.sessions[sub.session];
        if params.version == Version::V3 {
            // An error-status answer carries the request's own bindings when the agent's
            // do not line up with them; anything else must have come from the agent.
            let asked: Vec<VarBind> = match &sub.op {
                Operation::Get(o) | Operation::GetNext(o) => {
                    o.iter().cloned().map(VarBind::null).collect()
                }
                Operation::Set(v) => v.clone(),
                _ => Vec::new(),
            };
            for vb in rows {
                assert!(
                    self.sealed.contains(vb) || asked.contains(vb),
                    "a v3 binding the agent never sealed: {vb:?}"
                );
            }
        }
        if let Operation::Walk { roots, .. } = &sub.op {
            for vb in rows {
                assert!(
                    roots.iter().any(|r| vb.oid.starts_with(r)),
                    "walk row {} outside its roots: {:?}",
                    vb.oid,
                    sub.op
                );
            }
        }
    }

    fn check_ok(&self, id: u64, r: &snmpx::engine::Response) {
        self.check_rows(id, &r.varbinds);
        let sub = &self.subs[&id];
        let params = &self.sessions[sub.session];
        if params.check_source {
            assert_eq!(r.peer, params.target, "answer from another address");
        }
        if r.status != ErrorStatus::NoError {
            return;
        }
        let request: Vec<&Oid> = match &sub.op {
            Operation::Get(o) | Operation::GetNext(o) => o.iter().collect(),
            Operation::Set(v) => v.iter().map(|vb| &vb.oid).collect(),
            _ => return,
        };
        assert_eq!(
            r.varbinds.len(),
            request.len(),
            "one binding per requested binding"
        );
        if !matches!(sub.op, Operation::GetNext(_)) {
            for (vb, o) in r.varbinds.iter().zip(request) {
                assert_eq!(&vb.oid, o, "Get/Set answer names another object");
            }
        }
    }

    /// An op of the session with an overall deadline (no in-flight limit, no discovery) is
    /// complete once the clock has passed the deadline.
    fn check_deadlines(&mut self) {
        self.settle();
        for (id, sub) in &self.subs {
            let Some(d) = self.sessions[sub.session].deadline else {
                continue;
            };
            if self.now >= sub.at + d {
                assert!(self.done.contains(id), "op {id} outlived its deadline");
            }
        }
    }

    /// No more answers: the clock runs from timer to timer until every op has completed.
    fn drain(&mut self) {
        let from = self.now;
        for _ in 0..100_000 {
            self.settle();
            if self.engine.ops_in_flight() == 0 {
                assert_eq!(self.done.len(), self.subs.len());
                return;
            }
            let Some(t) = self.engine.next_deadline() else {
                panic!("ops in flight but no timer: they would never complete");
            };
            self.now = self.now.max(t);
            assert!(
                self.now.duration_since(from) < Duration::from_secs(3600),
                "ops still in flight an hour after the last answer"
            );
            self.engine.handle_timeout(self.now);
        }
        panic!("timers fired 100,000 times without completing every op");
    }
}

fuzz_target!(|data: &[u8]| {
    let mut inp = Input::new(data);
    let mut w = World::new();
    let mut steps = 0;
    while !inp.is_empty() && steps < MAX_STEPS {
        w.step(&mut inp);
        w.settle();
        steps += 1;
    }
    w.drain();
});
