//! Deterministic SNMPv3 engine tests: the simulator's USM agent ([`UsmSecurity::open_at`])
//! on a simulated network and clock. Discovery and its coalescing, retransmission
//! re-encoding, time sync, reports, tampering, key caching.

use super::*;
use crate::ber::{Reader, Writer};
use crate::message::v3::{decode_v3, process_incoming, SecurityLevel};
use crate::oid::Oid;
use crate::pdu::encode_varbinds;
use crate::sim::{Opened, ResponseBody, Security, UsmSecurity};
use crate::usm::{AuthProtocol, Credentials, KeyCache, PrivProtocol};
use crate::value::{Value, VarBind};

const USER: &[u8] = b"alice";
const AUTH_PW: &[u8] = b"alice-auth-pass";
const PRIV_PW: &[u8] = b"alice-priv-pass";
const SYS_NAME: &str = "1.3.6.1.2.1.1.5.0";

fn oid(s: &str) -> Oid {
    s.parse().unwrap()
}

fn creds(level: SecurityLevel) -> Credentials {
    match level {
        SecurityLevel::NoAuthNoPriv => Credentials::none(),
        SecurityLevel::AuthNoPriv => {
            Credentials::from_passwords(AuthProtocol::Sha1, AUTH_PW, None).unwrap()
        }
        SecurityLevel::AuthPriv => Credentials::from_passwords(
            AuthProtocol::Sha1,
            AUTH_PW,
            Some((PrivProtocol::Aes128, PRIV_PW)),
        )
        .unwrap(),
    }
}

/// Device `i` of the simulated agent answers at 127.0.0.1:(2000 + i).
fn addr(dev: usize) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 2000 + dev as u16))
}

type Done = Result<Response, Error>;

/// The engine, a USM agent for many devices, and a clock.
struct V3Net {
    engine: Engine<u32>,
    agent: UsmSecurity,
    keys: Arc<KeyCache>,
    start: Instant,
    now: Instant,
    next_id: u64,
}

impl V3Net {
    fn new() -> V3Net {
        let now = Instant::now();
        let keys = Arc::new(KeyCache::new().unwrap());
        let agent = UsmSecurity::new(vec![
            (USER.to_vec(), creds(SecurityLevel::AuthPriv)),
            (b"bob".to_vec(), creds(SecurityLevel::AuthNoPriv)),
            (b"carol".to_vec(), Credentials::none()),
        ])
        .unwrap();
        V3Net {
            engine: Engine::new(0x5eed_0000_1234, now, keys.clone()),
            agent,
            keys,
            start: now,
            now,
            next_id: 1,
        }
    }

    fn params(&self, dev: usize, user: &[u8], level: SecurityLevel) -> Params {
        let mut p = Params::new(addr(dev));
        p.version = Version::V3;
        p.timeout = Duration::from_secs(1);
        p.retries = 2;
        p.v3 = Some(Arc::new(V3Params::new(user, level, creds(level))));
        p
    }

    fn submit(&mut self, p: &Arc<Params>, op: Operation) -> OpId {
        let id = self.next_id;
        self.next_id += 1;
        self.engine.submit(id, p.clone(), op, id as u32, self.now)
    }

    fn get(&mut self, p: &Arc<Params>) -> OpId {
        self.submit(p, Operation::Get(vec![oid(SYS_NAME)]))
    }

    fn sent(&mut self) -> Vec<Transmit> {
        std::iter::from_fn(|| self.engine.poll_transmit()).collect()
    }

    fn agent_time(&self) -> u32 {
        self.now.duration_since(self.start).as_secs() as u32
    }

    /// The agent's answer to `t` (a report, a response, or nothing).
    fn answer(&self, t: &Transmit) -> Option<Vec<u8>> {
        let dev = (t.dest.port() - 2000) as usize;
        match self.agent.open_at(dev, &t.data, self.agent_time()) {
            Opened::Reply(b) => Some(b),
            Opened::Drop(_) => None,
            Opened::Request(inc) => {
                let vbs: Vec<VarBind> = inc
                    .pdu
                    .varbinds
                    .iter()
                    .map(|vb| {
                        VarBind::new(vb.oid.clone(), Value::from(format!("dev{dev}").as_str()))
                    })
                    .collect();
                let mut list = Vec::new();
                encode_varbinds(&mut Writer::new(&mut list), &vbs);
                let inner = Reader::new(&list).read_tlv().unwrap().value.to_vec();
                let body = ResponseBody {
                    request_id: inc.pdu.request_id,
                    error_status: 0,
                    error_index: 0,
                    varbinds: &inner,
                };
                let mut out = Vec::new();
                self.agent.seal(dev, &inc.reply, &body, &mut out);
                Some(out)
            }
        }
    }

    fn deliver(&mut self, from: SocketAddr, data: &[u8]) {
        self.engine.handle_datagram(from, data, self.now);
    }

    fn advance(&mut self, d: Duration) {
        self.now += d;
        self.engine.handle_timeout(self.now);
    }

    fn done(&mut self) -> Vec<(OpId, Done)> {
        let mut v = vec![];
        while let Some(e) = self.engine.poll_event() {
            if let Event::Done { id, result, .. } = e {
                v.push((id, result));
            }
        }
        v
    }

    /// The agent answers everything until no operation is left.
    fn run(&mut self) -> Vec<(OpId, Done)> {
        let mut all = vec![];
        for _ in 0..1000 {
            let out = self.sent();
            for t in &out {
                if let Some(r) = self.answer(t) {
                    self.deliver(t.dest, &r);
                }
            }
            all.extend(self.done());
            if self.engine.ops_in_flight() == 0 {
                return all;
            }
            if out.is_empty() {
                self.advance(Duration::from_millis(100));
            }
        }
        panic!("did not finish");
    }
}

fn value_of(r: &Done) -> Value {
    r.as_ref().expect("operation should succeed").varbinds[0]
        .value
        .clone()
}

fn is_discovery(t: &Transmit) -> bool {
    decode_v3(&t.data).is_ok_and(|m| m.usm.engine_id.is_empty())
}

#[test]
fn discovery_then_get_at_every_level() {
    let mut n = V3Net::new();
    for (i, (user, level)) in [
        (&b"carol"[..], SecurityLevel::NoAuthNoPriv),
        (&b"bob"[..], SecurityLevel::AuthNoPriv),
        (USER, SecurityLevel::AuthPriv),
    ]
    .into_iter()
    .enumerate()
    {
        let p = Arc::new(n.params(i, user, level));
        n.get(&p);
        let r = n.run();
        assert_eq!(value_of(&r[0].1), Value::from(format!("dev{i}").as_str()));
    }
    let st = n.engine.stats();
    assert_eq!(st.v3_discoveries, 3);
    assert_eq!(st.responses_matched, 3);
    assert_eq!(
        st.requests_sent, 6,
        "one discovery and one request per target"
    );
}

#[test]
fn concurrent_first_requests_share_one_discovery() {
    let mut n = V3Net::new();
    let p = Arc::new(n.params(0, USER, SecurityLevel::AuthPriv));
    let q = Arc::new(n.params(0, b"bob", SecurityLevel::AuthNoPriv));
    for _ in 0..5 {
        n.get(&p);
    }
    n.get(&q);
    let first = n.sent();
    assert_eq!(first.len(), 1, "one discovery for six requests");
    assert!(is_discovery(&first[0]));
    // A request to another agent is not held up by this discovery.
    let other = Arc::new(n.params(1, USER, SecurityLevel::AuthPriv));
    n.get(&other);
    let d2 = n.sent();
    assert_eq!(d2.len(), 1);
    assert!(is_discovery(&d2[0]) && d2[0].dest == addr(1));
    let reply = n.answer(&first[0]).unwrap();
    n.deliver(addr(0), &reply);
    let requests = n.sent();
    assert_eq!(requests.len(), 6, "all waiting requests are released");
    assert!(requests
        .iter()
        .all(|t| !is_discovery(t) && t.dest == addr(0)));
    let r = n.run();
    assert_eq!(r.len(), 7);
    assert!(r.iter().all(|(_, d)| d.is_ok()));
    assert_eq!(n.engine.stats().v3_discoveries, 2);
}

#[test]
fn discovery_timeout_fails_every_waiter_naming_the_peer() {
    let mut n = V3Net::new();
    let p = Arc::new(n.params(0, USER, SecurityLevel::AuthPriv));
    for _ in 0..3 {
        n.get(&p);
    }
    let mut sends = 0;
    let mut done = vec![];
    for _ in 0..50 {
        let out = n.sent();
        assert!(out.iter().all(is_discovery));
        sends += out.len();
        done.extend(n.done());
        if done.len() == 3 {
            break;
        }
        n.advance(Duration::from_millis(250));
    }
    assert_eq!(
        sends, 3,
        "first send and two retries, shared by all waiters"
    );
    for (_, d) in &done {
        assert_eq!(
            d.as_ref().unwrap_err(),
            &Error::Timeout {
                peer: addr(0),
                attempts: 3
            }
        );
    }
    assert_eq!(n.engine.ops_in_flight(), 0);
}

#[test]
fn retransmission_is_reencoded_and_a_reply_to_any_transmission_completes() {
    let mut n = V3Net::new();
    let p = Arc::new(n.params(0, USER, SecurityLevel::AuthPriv));
    n.get(&p);
    let disc = n.sent();
    let reply = n.answer(&disc[0]).unwrap();
    n.deliver(addr(0), &reply);
    let first = n.sent().remove(0);
    n.advance(Duration::from_secs(1));
    let second = n.sent().remove(0);
    n.advance(Duration::from_secs(1));
    let third = n.sent().remove(0);
    let (a, b) = (
        decode_v3(&first.data).unwrap(),
        decode_v3(&second.data).unwrap(),
    );
    assert_ne!(a.global.msg_id, b.global.msg_id, "new msgID");
    assert_ne!(a.usm.priv_params, b.usm.priv_params, "new salt");
    assert_ne!(first.data, second.data);
    assert_ne!(second.data, third.data);
    // The agent sees the same request-id in every transmission.
    let dev_keys = |m: &crate::message::v3::IncomingV3<'_>| {
        let e = n.agent.engine_id(0);
        crate::message::v3::SecurityKeys::derive(&n.keys, USER, &creds(SecurityLevel::AuthPriv), &e)
            .unwrap()
            .map(|k| process_incoming(m, Some(&k)).unwrap().pdu.request_id)
    };
    assert_eq!(dev_keys(&a), dev_keys(&b));
    // The answer to the FIRST transmission completes the exchange; later ones are dropped.
    let r1 = n.answer(&first).unwrap();
    n.deliver(addr(0), &r1);
    let d = n.done();
    assert_eq!(d.len(), 1);
    assert_eq!(value_of(&d[0].1), Value::from("dev0"));
    let r3 = n.answer(&third).unwrap();
    n.deliver(addr(0), &r3);
    assert!(n.done().is_empty());
    let st = n.engine.stats();
    assert_eq!(st.retransmissions, 2);
    assert_eq!(st.dropped_unmatched, 1);
}

#[test]
fn not_in_time_window_resyncs_once_then_fails_typed() {
    let mut n = V3Net::new();
    let p = Arc::new(n.params(0, USER, SecurityLevel::AuthPriv));
    n.get(&p);
    assert!(n.run()[0].1.is_ok());
    // The agent restarts: boots 1 -> 2, time from 0.
    n.agent.set_boots(2);
    n.get(&p);
    let r = n.run();
    assert_eq!(value_of(&r[0].1), Value::from("dev0"));
    assert_eq!(n.engine.stats().v3_resyncs, 1);
    assert_eq!(n.engine.stats().v3_discoveries, 1);
    // An agent whose boots move again between the report and the resend: one resync only.
    n.get(&p);
    let req = n.sent().remove(0);
    n.agent.set_boots(3);
    let rep = n.answer(&req).unwrap();
    n.deliver(addr(0), &rep);
    let resent = n.sent().remove(0);
    n.agent.set_boots(4);
    let rep2 = n.answer(&resent).unwrap();
    n.deliver(addr(0), &rep2);
    let d = n.done();
    assert_eq!(d[0].1, Err(Error::NotInTimeWindow { peer: addr(0) }));
    assert_eq!(n.engine.stats().v3_resyncs, 3);
}

#[test]
fn explicit_engine_id_and_boots_time_skip_discovery() {
    let mut n = V3Net::new();
    let mut p = n.params(0, USER, SecurityLevel::AuthPriv);
    let mut v = V3Params::new(
        USER,
        SecurityLevel::AuthPriv,
        creds(SecurityLevel::AuthPriv),
    );
    v.security_engine_id = Some(n.agent.engine_id(0));
    v.boots_time = Some((1, 0));
    p.v3 = Some(Arc::new(v));
    let p = Arc::new(p);
    n.get(&p);
    let first = n.sent();
    assert!(
        !is_discovery(&first[0]),
        "no discovery with an explicit engine ID"
    );
    let reply = n.answer(&first[0]).unwrap();
    n.deliver(addr(0), &reply);
    assert_eq!(value_of(&n.done()[0].1), Value::from("dev0"));
    assert_eq!(n.engine.stats().v3_discoveries, 0);
    // Wrong explicit boots: one resync.
    let mut p2 = n.params(0, USER, SecurityLevel::AuthPriv);
    let mut v = V3Params::new(
        USER,
        SecurityLevel::AuthPriv,
        creds(SecurityLevel::AuthPriv),
    );
    v.security_engine_id = Some(n.agent.engine_id(1));
    v.boots_time = Some((7, 1000));
    p2.target = addr(1);
    p2.v3 = Some(Arc::new(v));
    let p2 = Arc::new(p2);
    n.get(&p2);
    assert!(n.run()[0].1.is_ok());
    assert_eq!(n.engine.stats().v3_resyncs, 1);
    // A wrong explicit engine ID: unknownEngineIDs, typed, no rediscovery.
    let mut p3 = n.params(2, USER, SecurityLevel::AuthPriv);
    let mut v = V3Params::new(
        USER,
        SecurityLevel::AuthPriv,
        creds(SecurityLevel::AuthPriv),
    );
    v.security_engine_id = Some(b"\x80\x00\x1f\x88\x04wrong".to_vec());
    p3.v3 = Some(Arc::new(v));
    let p3 = Arc::new(p3);
    n.get(&p3);
    let r = n.run();
    assert_eq!(r[0].1, Err(Error::UnknownEngineId { peer: addr(2) }));
}

#[test]
fn reports_map_to_typed_errors() {
    let mut n = V3Net::new();
    let cases: Vec<(&[u8], SecurityLevel, Credentials, Error)> = vec![
        (
            b"mallory",
            SecurityLevel::NoAuthNoPriv,
            Credentials::none(),
            Error::UnknownUser {
                peer: addr(0),
                user: "mallory".into(),
            },
        ),
        (
            USER,
            SecurityLevel::AuthNoPriv,
            Credentials::from_passwords(AuthProtocol::Sha1, b"wrong password", None).unwrap(),
            Error::AuthenticationFailed { peer: addr(0) },
        ),
        (
            b"bob",
            SecurityLevel::AuthPriv,
            creds(SecurityLevel::AuthPriv),
            Error::UnsupportedSecurityLevel { peer: addr(0) },
        ),
    ];
    for (user, level, c, want) in cases {
        let mut p = n.params(0, user, level);
        p.v3 = Some(Arc::new(V3Params::new(user, level, c)));
        let p = Arc::new(p);
        n.get(&p);
        let r = n.run();
        assert_eq!(r[0].1.as_ref().unwrap_err(), &want);
    }
    assert_eq!(n.engine.stats().v3_reports, 3);
    assert_eq!(n.engine.stats().timeouts, 0);
}

#[test]
fn tampered_and_forged_messages_are_dropped_and_counted_never_returned() {
    let mut n = V3Net::new();
    let p = Arc::new(n.params(0, USER, SecurityLevel::AuthPriv));
    n.get(&p);
    let d = n.sent();
    let rep = n.answer(&d[0]).unwrap();
    n.deliver(addr(0), &rep);
    let req = n.sent().remove(0);
    let good = n.answer(&req).unwrap();
    // Every single-byte flip of the authenticated response is rejected.
    for i in 0..good.len() {
        let mut bad = good.clone();
        bad[i] ^= 0x04;
        n.deliver(addr(0), &bad);
        assert!(n.done().is_empty(), "byte {i} accepted");
    }
    let st = n.engine.stats().clone();
    let dropped = st.dropped_auth_failed
        + st.dropped_invalid
        + st.dropped_unmatched
        + st.dropped_not_in_time_window;
    assert_eq!(dropped, good.len() as u64);
    assert!(st.dropped_auth_failed > good.len() as u64 / 2, "{st:?}");
    // A forged unauthenticated notInTimeWindows report cannot move the clock.
    let m = decode_v3(&req.data).unwrap();
    let forged = forged_report(m.global.msg_id, &n.agent.engine_id(0), 99, 99_999);
    n.deliver(addr(0), &forged);
    assert!(n.done().is_empty());
    assert_eq!(n.engine.stats().v3_resyncs, 0);
    // The genuine response still completes the exchange.
    n.deliver(addr(0), &good);
    assert_eq!(value_of(&n.done()[0].1), Value::from("dev0"));
    // And the next request is sent with the agent's real boots, not the forged ones.
    n.get(&p);
    let next = n.sent().remove(0);
    assert_eq!(decode_v3(&next.data).unwrap().usm.engine_boots, 1);
}

/// An unauthenticated usmStatsNotInTimeWindows report for `msg_id` claiming boots/time.
fn forged_report(msg_id: i32, engine_id: &[u8], boots: u32, time: u32) -> Vec<u8> {
    use crate::message::v3::{encode_v3, MsgGlobal, ScopedPdu, UsmParams};
    let pdu = Pdu {
        kind: PduType::Report,
        request_id: 0,
        error_status: 0,
        error_index: 0,
        varbinds: vec![VarBind::new(
            oid("1.3.6.1.6.3.15.1.1.2.0"),
            Value::Counter32(1),
        )],
    };
    let usm = UsmParams {
        engine_id,
        engine_boots: boots,
        engine_time: time,
        user_name: USER,
        ..UsmParams::default()
    };
    let mut g = MsgGlobal::request(msg_id, SecurityLevel::NoAuthNoPriv);
    g.flags = 0;
    let mut out = Vec::new();
    let salts = crate::usm::SaltSource::from_seed(1);
    encode_v3(
        &mut out,
        g,
        &usm,
        &ScopedPdu::new(engine_id, pdu),
        None,
        &salts,
    )
    .unwrap();
    out
}

#[test]
fn keys_are_expanded_once_for_many_engines() {
    let mut n = V3Net::new();
    let one = Credentials::from_passwords(
        AuthProtocol::Sha1,
        AUTH_PW,
        Some((PrivProtocol::Aes128, AUTH_PW)),
    )
    .unwrap();
    // The agent knows "dave" with one pass phrase for both keys.
    n.agent = UsmSecurity::new(vec![(b"dave".to_vec(), one.clone())]).unwrap();
    for dev in 0..40 {
        let mut p = n.params(dev, b"dave", SecurityLevel::AuthPriv);
        p.v3 = Some(Arc::new(V3Params::new(
            b"dave",
            SecurityLevel::AuthPriv,
            one.clone(),
        )));
        let p = Arc::new(p);
        n.get(&p);
        n.get(&p);
    }
    let r = n.run();
    assert_eq!(r.len(), 80);
    assert!(r.iter().all(|(_, d)| d.is_ok()));
    assert_eq!(n.keys.expansions(), 1, "one pass phrase, expanded once");
    assert_eq!(n.keys.localizations(), 40, "localized once per engine");
    assert_eq!(n.engine.stats().v3_discoveries, 40);
}

#[test]
fn notifications_are_refused_on_v3_and_bad_settings_are_usage_errors() {
    let mut n = V3Net::new();
    let p = Arc::new(n.params(0, USER, SecurityLevel::AuthPriv));
    n.submit(&p, Operation::TrapV2(vec![]));
    n.submit(&p, Operation::Inform(vec![]));
    let mut no_user = n.params(0, USER, SecurityLevel::AuthPriv);
    no_user.v3 = None;
    n.submit(&Arc::new(no_user), Operation::Get(vec![oid(SYS_NAME)]));
    let d = n.done();
    assert_eq!(d.len(), 3);
    for (_, r) in &d[..2] {
        let e = r.as_ref().unwrap_err().to_string();
        assert!(e.contains("SNMPv1 or SNMPv2c"), "{e}");
    }
    assert!(matches!(d[2].1, Err(Error::Usage(_))));
    assert!(n.sent().is_empty());
}

#[test]
fn same_seed_same_datagrams() {
    let run = || {
        let mut n = V3Net::new();
        // Same engine seed and agent keys; the agent's salts are random, so compare only
        // what the engine sends.
        let p = Arc::new(n.params(0, b"bob", SecurityLevel::AuthNoPriv));
        n.get(&p);
        let mut sent = vec![];
        for _ in 0..3 {
            let out = n.sent();
            for t in &out {
                sent.push(t.data.clone());
                if let Some(r) = n.answer(t) {
                    n.deliver(t.dest, &r);
                }
            }
        }
        sent
    };
    let (a, b) = (run(), run());
    assert_eq!(a.len(), 2);
    // The discovery is identical; the signed request differs only in its engine time if a
    // second boundary passed, which the simulated clock does not.
    assert_eq!(a, b);
}

#[test]
fn v3_security_is_send_and_sync_and_hides_secrets() {
    fn check<T: Send + Sync>() {}
    check::<UsmSecurity>();
    let v = V3Params::new(
        USER,
        SecurityLevel::AuthPriv,
        creds(SecurityLevel::AuthPriv),
    );
    let dbg = format!("{v:?}");
    assert!(dbg.contains("alice") && dbg.contains("AuthPriv"), "{dbg}");
    assert!(!dbg.contains("alice-auth-pass") && !dbg.contains("alice-priv-pass"));
}
