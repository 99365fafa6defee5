//! Deterministic engine tests: a simulated agent, network and clock.

use super::*;
use crate::message::{decode_community, encode_community};
use crate::oid::Oid;
use crate::pdu::ErrorStatus;
use crate::value::{Value, VarBind};
use std::collections::BTreeMap;

const AGENT: &str = "127.0.0.1:161";

fn oid(s: &str) -> Oid {
    s.parse().unwrap()
}

/// A tiny agent over a sorted MIB, answering from our own codec.
struct Agent {
    mib: BTreeMap<Oid, Value>,
    /// Respond tooBig when a request carries more varbinds than this (Get) or asks for
    /// more repetitions than this (GetBulk).
    too_big_over: usize,
}

impl Agent {
    fn new(n: u32) -> Agent {
        let mut mib = BTreeMap::new();
        mib.insert(oid("1.3.6.1.2.1.1.1.0"), Value::from("descr"));
        mib.insert(oid("1.3.6.1.2.1.1.5.0"), Value::from("name"));
        for i in 1..=n {
            mib.insert(oid(&format!("1.3.6.1.2.1.2.2.1.2.{i}")), Value::from("if"));
        }
        mib.insert(oid("1.3.6.1.2.1.31.1.1.1.1.1"), Value::from("x"));
        Agent {
            mib,
            too_big_over: usize::MAX,
        }
    }

    fn answer(&self, req: &[u8]) -> Vec<u8> {
        let m = decode_community(req).unwrap();
        let crate::pdu::DecodedPdu::Pdu(p) = m.pdu else {
            panic!()
        };
        let next = |o: &Oid| {
            self.mib
                .range::<Oid, _>((std::ops::Bound::Excluded(o), std::ops::Bound::Unbounded))
                .next()
                .map(|(k, v)| VarBind::new(k.clone(), v.clone()))
                .unwrap_or(VarBind::new(o.clone(), Value::EndOfMibView))
        };
        let mut status = 0;
        let vbs: Vec<VarBind> = match p.kind {
            PduType::GetRequest => p
                .varbinds
                .iter()
                .map(|vb| {
                    let v = self
                        .mib
                        .get(&vb.oid)
                        .cloned()
                        .unwrap_or(Value::NoSuchObject);
                    VarBind::new(vb.oid.clone(), v)
                })
                .collect(),
            PduType::GetNextRequest => p.varbinds.iter().map(|vb| next(&vb.oid)).collect(),
            PduType::GetBulkRequest => {
                let reps = p.error_index as usize;
                if reps > self.too_big_over {
                    status = 1;
                    vec![]
                } else {
                    let mut out = vec![];
                    let mut cur = p.varbinds[0].oid.clone();
                    for _ in 0..reps {
                        let vb = next(&cur);
                        cur = vb.oid.clone();
                        out.push(vb);
                    }
                    out
                }
            }
            _ => p.varbinds.clone(),
        };
        let (status, vbs) =
            if p.varbinds.len() > self.too_big_over && p.kind != PduType::GetBulkRequest {
                (1, p.varbinds.clone())
            } else {
                (status, vbs)
            };
        let resp = Pdu {
            kind: PduType::Response,
            request_id: p.request_id,
            error_status: status,
            error_index: 0,
            varbinds: vbs,
        };
        let mut out = Vec::new();
        encode_community(&mut out, m.version, m.community, &resp);
        out
    }
}

type Done = Result<Response, Error>;

struct Net {
    engine: Engine<u32>,
    now: Instant,
    params: Arc<Params>,
    next_id: u64,
}

impl Net {
    fn new(f: impl FnOnce(&mut Params)) -> Net {
        let mut p = Params::new(AGENT.parse().unwrap());
        p.timeout = Duration::from_secs(1);
        p.retries = 2;
        f(&mut p);
        let now = Instant::now();
        Net {
            engine: Engine::new(12345, now, Arc::new(crate::usm::KeyCache::new().unwrap())),
            now,
            params: Arc::new(p),
            next_id: 1,
        }
    }

    fn submit(&mut self, op: Operation) -> OpId {
        let id = self.next_id;
        self.next_id += 1;
        self.engine
            .submit(id, self.params.clone(), op, id as u32, self.now)
    }

    fn sent(&mut self) -> Vec<Vec<u8>> {
        std::iter::from_fn(|| self.engine.poll_transmit())
            .map(|t| t.data)
            .collect()
    }

    fn deliver(&mut self, from: &str, data: &[u8]) {
        self.engine
            .handle_datagram(from.parse().unwrap(), data, self.now);
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

    /// Runs until no op is left: the agent answers every datagram (unless `drop` says so).
    fn run(&mut self, agent: &Agent) -> Vec<(OpId, Done)> {
        let mut all = vec![];
        for _ in 0..10_000 {
            let out = self.sent();
            for d in &out {
                let r = agent.answer(d);
                self.deliver(AGENT, &r);
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

fn ok(r: &Done) -> &Response {
    r.as_ref().expect("operation should succeed")
}

fn request_id(d: &[u8]) -> i32 {
    match decode_community(d).unwrap().pdu {
        crate::pdu::DecodedPdu::Pdu(p) => p.request_id,
        _ => panic!(),
    }
}

#[test]
fn get_round_trip() {
    let mut n = Net::new(|_| {});
    let agent = Agent::new(3);
    n.submit(Operation::Get(vec![
        oid("1.3.6.1.2.1.1.5.0"),
        oid("1.3.6.1.2.1.1.9.0"),
    ]));
    let r = n.run(&agent);
    let vbs = &ok(&r[0].1).varbinds;
    assert_eq!(vbs[0].value, Value::from("name"));
    assert_eq!(vbs[1].value, Value::NoSuchObject);
    assert_eq!(n.engine.stats().responses_matched, 1);
}

#[test]
fn loss_then_retransmission_with_same_request_id() {
    let mut n = Net::new(|_| {});
    let agent = Agent::new(1);
    n.submit(Operation::Get(vec![oid("1.3.6.1.2.1.1.1.0")]));
    let first = n.sent();
    assert_eq!(first.len(), 1);
    n.advance(Duration::from_millis(999));
    assert!(n.sent().is_empty(), "no retransmission before the timeout");
    n.advance(Duration::from_millis(1));
    let second = n.sent();
    assert_eq!(
        second, first,
        "v1/v2c retransmission is byte-identical, same request-id"
    );
    // The reply to the FIRST transmission completes the exchange.
    n.deliver(AGENT, &agent.answer(&first[0]));
    let d = n.done();
    assert_eq!(d.len(), 1);
    ok(&d[0].1);
    // The reply to the second transmission is late: dropped, no second completion.
    n.deliver(AGENT, &agent.answer(&second[0]));
    assert!(n.done().is_empty());
    assert_eq!(n.engine.stats().dropped_unmatched, 1);
    assert_eq!(n.engine.stats().retransmissions, 1);
}

#[test]
fn timeout_after_all_retries_names_the_peer() {
    let mut n = Net::new(|p| p.retries = 2);
    n.submit(Operation::Get(vec![oid("1.3.6.1.2.1.1.1.0")]));
    let start = n.now;
    let mut sends = n.sent().len();
    let mut done = vec![];
    while done.is_empty() {
        n.advance(Duration::from_millis(10));
        sends += n.sent().len();
        done = n.done();
    }
    assert_eq!(sends, 3);
    assert_eq!(n.now - start, Duration::from_secs(3));
    match &done[0].1 {
        Err(Error::Timeout { peer, attempts }) => {
            assert_eq!(peer.to_string(), AGENT);
            assert_eq!(*attempts, 3);
        }
        other => panic!("expected timeout, got {other:?}"),
    }
    assert_eq!(n.engine.ops_in_flight(), 0);
}

#[test]
fn exponential_backoff_and_overall_deadline() {
    let mut n = Net::new(|p| {
        p.retries = 10;
        p.backoff = 2.0;
        p.deadline = Some(Duration::from_millis(5500));
    });
    n.submit(Operation::Get(vec![oid("1.3.6.1.2.1.1.1.0")]));
    n.sent();
    let start = n.now;
    let mut times = vec![];
    let mut done = vec![];
    while done.is_empty() {
        n.advance(Duration::from_millis(50));
        if !n.sent().is_empty() {
            times.push((n.now - start).as_millis());
        }
        done = n.done();
    }
    // 1 s, then 2 s, then the deadline (5.5 s) cuts the 4 s wait short.
    assert_eq!(times, vec![1000, 3000]);
    assert_eq!((n.now - start).as_millis(), 5500);
    assert!(matches!(done[0].1, Err(Error::Timeout { .. })));
}

#[test]
fn duplicate_reply_completes_once() {
    let mut n = Net::new(|_| {});
    let agent = Agent::new(1);
    n.submit(Operation::Get(vec![oid("1.3.6.1.2.1.1.1.0")]));
    let d = n.sent();
    let r = agent.answer(&d[0]);
    n.deliver(AGENT, &r);
    n.deliver(AGENT, &r);
    assert_eq!(n.done().len(), 1);
    assert_eq!(n.engine.stats().dropped_unmatched, 1);
}

#[test]
fn wrong_source_is_dropped_unless_check_is_off() {
    let agent = Agent::new(1);
    for check in [true, false] {
        let mut n = Net::new(|p| p.check_source = check);
        n.submit(Operation::Get(vec![oid("1.3.6.1.2.1.1.1.0")]));
        let d = n.sent();
        n.deliver("127.0.0.2:161", &agent.answer(&d[0]));
        let done = n.done();
        if check {
            assert!(done.is_empty());
            assert_eq!(n.engine.stats().dropped_wrong_source, 1);
            // The real agent's reply still completes it.
            n.deliver(AGENT, &agent.answer(&d[0]));
            assert_eq!(n.done().len(), 1);
        } else {
            assert_eq!(done.len(), 1);
        }
    }
}

#[test]
fn reordered_replies_match_by_request_id() {
    let mut n = Net::new(|_| {});
    let agent = Agent::new(1);
    let a = n.submit(Operation::Get(vec![oid("1.3.6.1.2.1.1.1.0")]));
    let b = n.submit(Operation::Get(vec![oid("1.3.6.1.2.1.1.5.0")]));
    let d = n.sent();
    assert_ne!(request_id(&d[0]), request_id(&d[1]));
    n.deliver(AGENT, &agent.answer(&d[1]));
    n.deliver(AGENT, &agent.answer(&d[0]));
    let done: BTreeMap<OpId, Done> = n.done().into_iter().collect();
    assert_eq!(ok(&done[&a]).varbinds[0].value, Value::from("descr"));
    assert_eq!(ok(&done[&b]).varbinds[0].value, Value::from("name"));
}

#[test]
fn garbage_and_wrong_community_are_dropped() {
    let mut n = Net::new(|_| {});
    let agent = Agent::new(1);
    n.submit(Operation::Get(vec![oid("1.3.6.1.2.1.1.1.0")]));
    let d = n.sent();
    let good = agent.answer(&d[0]);
    for cut in 0..good.len() {
        n.deliver(AGENT, &good[..cut]);
    }
    let mut forged = good.clone();
    let pos = good.windows(6).position(|w| w == b"public").unwrap();
    forged[pos] = b'P';
    n.deliver(AGENT, &forged);
    assert!(n.done().is_empty());
    assert_eq!(n.engine.stats().dropped_invalid, good.len() as u64 + 1);
    n.deliver(AGENT, &good);
    assert_eq!(n.done().len(), 1);
}

#[test]
fn large_get_is_split_and_results_keep_request_order() {
    let mut n = Net::new(|p| p.max_varbinds = 60);
    let agent = Agent::new(150);
    let oids: Vec<Oid> = (1..=150)
        .rev()
        .map(|i| oid(&format!("1.3.6.1.2.1.2.2.1.2.{i}")))
        .collect();
    n.submit(Operation::Get(oids.clone()));
    assert_eq!(n.engine.out.len(), 3);
    let r = n.run(&agent);
    let got: Vec<Oid> = ok(&r[0].1).varbinds.iter().map(|v| v.oid.clone()).collect();
    assert_eq!(got, oids);
}

#[test]
fn too_big_get_splits_until_it_fits() {
    let mut n = Net::new(|_| {});
    let mut agent = Agent::new(10);
    agent.too_big_over = 3;
    let oids: Vec<Oid> = (1..=10)
        .map(|i| oid(&format!("1.3.6.1.2.1.2.2.1.2.{i}")))
        .collect();
    n.submit(Operation::Get(oids.clone()));
    let r = n.run(&agent);
    let resp = ok(&r[0].1);
    assert_eq!(resp.status, ErrorStatus::NoError);
    assert_eq!(
        resp.varbinds
            .iter()
            .map(|v| v.oid.clone())
            .collect::<Vec<_>>(),
        oids
    );
    assert!(resp.varbinds.iter().all(|v| v.value == Value::from("if")));
}

#[test]
fn too_big_single_varbind_is_reported() {
    let mut n = Net::new(|_| {});
    let mut agent = Agent::new(1);
    agent.too_big_over = 0;
    n.submit(Operation::Get(vec![oid("1.3.6.1.2.1.1.1.0")]));
    let r = n.run(&agent);
    assert_eq!(ok(&r[0].1).status, ErrorStatus::TooBig);
}

#[test]
fn too_big_set_fails_without_splitting() {
    // RFC 3416 §4.2.5: a Set is atomic, so tooBig ends it; it is never resent in halves
    // (one half could be applied while the other fails).
    let mut n = Net::new(|_| {});
    let mut agent = Agent::new(1);
    agent.too_big_over = 1;
    let vbs: Vec<VarBind> = (1..=4)
        .map(|i| vb(&format!("1.3.6.1.2.1.1.{i}.0")))
        .collect();
    n.submit(Operation::Set(vbs));
    let out = n.sent();
    assert_eq!(out.len(), 1);
    n.deliver(AGENT, &agent.answer(&out[0]));
    assert!(n.sent().is_empty(), "no split halves sent");
    let r = n.done();
    assert_eq!(ok(&r[0].1).status, ErrorStatus::TooBig);
    assert_eq!(n.engine.ops_in_flight(), 0);
}

#[test]
fn too_big_bulk_halves_max_repetitions() {
    let mut n = Net::new(|_| {});
    let mut agent = Agent::new(50);
    agent.too_big_over = 6;
    n.submit(Operation::GetBulk {
        non_repeaters: 0,
        max_repetitions: 50,
        oids: vec![oid("1.3.6.1.2.1.2.2.1.2")],
    });
    let r = n.run(&agent);
    // 50 -> 25 -> 12 -> 6.
    assert_eq!(ok(&r[0].1).varbinds.len(), 6);
    assert_eq!(n.engine.stats().requests_sent, 4);
}

#[test]
fn bulk_refused_on_v1() {
    let mut n = Net::new(|p| p.version = Version::V1);
    n.submit(Operation::GetBulk {
        non_repeaters: 0,
        max_repetitions: 5,
        oids: vec![oid("1.3.6.1.2.1.1")],
    });
    assert!(n.sent().is_empty());
    assert!(matches!(n.done()[0].1, Err(Error::Usage(_))));
    n.submit(Operation::Walk {
        roots: vec![oid("1.3.6.1.2.1.1")],
        bulk: true,
        stream: false,
    });
    assert!(matches!(n.done()[0].1, Err(Error::Usage(_))));
}

fn walk(n: &mut Net, agent: &Agent, roots: &[&str], bulk: bool) -> Done {
    n.submit(Operation::Walk {
        roots: roots.iter().map(|r| oid(r)).collect(),
        bulk,
        stream: false,
    });
    n.run(agent).remove(0).1
}

#[test]
fn walks_stop_at_subtree_end_and_cover_every_root() {
    let agent = Agent::new(25);
    for bulk in [false, true] {
        let mut n = Net::new(|p| p.max_repetitions = 7);
        let r = walk(
            &mut n,
            &agent,
            &["1.3.6.1.2.1.2.2.1.2", "1.3.6.1.2.1.1"],
            bulk,
        );
        let vbs = &ok(&r).varbinds;
        assert_eq!(vbs.len(), 27);
        assert_eq!(vbs[24].oid, oid("1.3.6.1.2.1.2.2.1.2.25"));
        assert_eq!(vbs[25].oid, oid("1.3.6.1.2.1.1.1.0"));
        // Walking to the end of the MIB stops on endOfMibView.
        let r = walk(&mut n, &agent, &["1.3.6.1.2.1.31"], bulk);
        assert_eq!(ok(&r).varbinds.len(), 1);
    }
}

#[test]
fn walk_of_a_leaf_falls_back_to_get() {
    let agent = Agent::new(1);
    let mut n = Net::new(|_| {});
    let r = walk(&mut n, &agent, &["1.3.6.1.2.1.1.5.0"], false);
    assert_eq!(
        ok(&r).varbinds,
        vec![VarBind::new(oid("1.3.6.1.2.1.1.5.0"), Value::from("name"))]
    );
    // A root with nothing inside and no instance gives nothing (no exception rows).
    let r = walk(&mut n, &agent, &["1.3.6.1.2.1.1.3"], false);
    assert!(ok(&r).varbinds.is_empty());
}

#[test]
fn walk_limits_are_errors_not_truncation() {
    let agent = Agent::new(100);
    let mut n = Net::new(|p| p.walk_max_requests = 10);
    let r = walk(&mut n, &agent, &["1.3.6.1.2.1.2"], false);
    assert!(matches!(r, Err(Error::Limit(_))), "{r:?}");
}

/// Plays a scripted agent: each GetNext gets the next canned response.
fn scripted(n: &mut Net, replies: Vec<(i32, Vec<VarBind>)>, version: Version) -> Done {
    n.submit(Operation::Walk {
        roots: vec![oid("1.3.6.1.2.1.2")],
        bulk: false,
        stream: false,
    });
    for (status, vbs) in replies {
        let d = n.sent();
        assert_eq!(d.len(), 1, "walk should have one request in flight");
        let resp = Pdu {
            kind: PduType::Response,
            request_id: request_id(&d[0]),
            error_status: status,
            error_index: if status != 0 { 1 } else { 0 },
            varbinds: vbs,
        };
        let mut out = vec![];
        encode_community(&mut out, version, b"public", &resp);
        n.deliver(AGENT, &out);
        let done = n.done();
        if let Some((_, r)) = done.into_iter().next() {
            return r;
        }
    }
    panic!("walk did not finish")
}

fn vb(s: &str) -> VarBind {
    VarBind::new(oid(s), Value::Integer(1))
}

#[test]
fn walk_rejects_non_increasing_and_empty_and_errors() {
    let mut n = Net::new(|_| {});
    let r = scripted(
        &mut n,
        vec![
            (0, vec![vb("1.3.6.1.2.1.2.5")]),
            (0, vec![vb("1.3.6.1.2.1.2.3")]),
        ],
        Version::V2c,
    );
    assert!(matches!(r, Err(Error::NotIncreasing { .. })), "{r:?}");
    // With the check off a decreasing OID is accepted, but an equal one still fails.
    let mut n = Net::new(|p| p.check_increasing = false);
    let r = scripted(
        &mut n,
        vec![
            (0, vec![vb("1.3.6.1.2.1.2.5")]),
            (0, vec![vb("1.3.6.1.2.1.2.3")]),
            (0, vec![vb("1.3.6.1.2.1.2.3")]),
        ],
        Version::V2c,
    );
    assert!(matches!(r, Err(Error::NotIncreasing { .. })), "{r:?}");
    let mut n = Net::new(|_| {});
    let r = scripted(&mut n, vec![(0, vec![])], Version::V2c);
    assert!(matches!(r, Err(Error::Decode { .. })), "{r:?}");
    let mut n = Net::new(|_| {});
    let r = scripted(
        &mut n,
        vec![
            (0, vec![vb("1.3.6.1.2.1.2.1")]),
            (5, vec![vb("1.3.6.1.2.1.2.1")]),
        ],
        Version::V2c,
    );
    match r {
        Err(Error::Agent {
            status,
            oid: Some(o),
            ..
        }) => {
            assert_eq!(status, ErrorStatus::GenErr);
            assert_eq!(o, self::oid("1.3.6.1.2.1.2.1"));
        }
        other => panic!("expected agent error, got {other:?}"),
    }
}

#[test]
fn v1_no_such_name_ends_the_walk() {
    let mut n = Net::new(|p| p.version = Version::V1);
    let r = scripted(
        &mut n,
        vec![
            (0, vec![vb("1.3.6.1.2.1.2.1")]),
            (2, vec![vb("1.3.6.1.2.1.2.1")]),
        ],
        Version::V1,
    );
    assert_eq!(ok(&r).varbinds, vec![vb("1.3.6.1.2.1.2.1")]);
}

#[test]
fn per_session_in_flight_limit_queues_requests() {
    let mut n = Net::new(|p| {
        p.max_in_flight = 2;
        p.session_id = 7;
    });
    let agent = Agent::new(1);
    for _ in 0..5 {
        n.submit(Operation::Get(vec![oid("1.3.6.1.2.1.1.1.0")]));
    }
    let first = n.sent();
    assert_eq!(first.len(), 2);
    n.deliver(AGENT, &agent.answer(&first[0]));
    assert_eq!(
        n.sent().len(),
        1,
        "a freed slot starts exactly one waiting request"
    );
    let rest = n.run(&agent);
    assert_eq!(rest.len(), 5);
    assert!(n.engine.slots.is_empty());
}

#[test]
fn request_ids_are_unique_while_outstanding() {
    let mut n = Net::new(|_| {});
    for _ in 0..2000 {
        n.submit(Operation::Get(vec![oid("1.3.6.1.2.1.1.1.0")]));
    }
    let ids: std::collections::HashSet<i32> = n.sent().iter().map(|d| request_id(d)).collect();
    assert_eq!(ids.len(), 2000);
    assert!(ids.iter().all(|&i| i > 0));
}

#[test]
fn cancel_and_fail_all_complete_everything_once() {
    let mut n = Net::new(|_| {});
    let a = n.submit(Operation::Get(vec![oid("1.3.6.1.2.1.1.1.0")]));
    n.submit(Operation::Get(vec![oid("1.3.6.1.2.1.1.1.0")]));
    assert!(n.engine.cancel(a));
    assert!(!n.engine.cancel(a));
    n.engine.fail_all(Error::Cancelled);
    let d = n.done();
    assert_eq!(d.len(), 2);
    assert!(d.iter().all(|(_, r)| matches!(r, Err(Error::Cancelled))));
    assert!(n.engine.exchanges.is_empty() && n.engine.ops_in_flight() == 0);
    // Their queued datagrams are dropped unsent, and their timers fire into nothing.
    n.advance(Duration::from_secs(10));
    assert!(n.sent().is_empty() && n.done().is_empty());
}

#[test]
fn streaming_walk_emits_pages() {
    let agent = Agent::new(20);
    let mut n = Net::new(|p| p.max_repetitions = 5);
    n.submit(Operation::Walk {
        roots: vec![oid("1.3.6.1.2.1.2")],
        bulk: true,
        stream: true,
    });
    let mut rows = 0;
    let mut pages = 0;
    for _ in 0..100 {
        for d in n.sent() {
            let r = agent.answer(&d);
            n.deliver(AGENT, &r);
        }
        while let Some(e) = n.engine.poll_event() {
            match e {
                Event::Page { varbinds, .. } => {
                    pages += 1;
                    rows += varbinds.len();
                }
                Event::Done { result, .. } => {
                    assert!(ok(&result).varbinds.is_empty());
                    assert_eq!((rows, pages), (20, 4));
                    return;
                }
            }
        }
    }
    panic!("walk did not finish");
}

#[test]
fn set_is_never_split_and_traps_complete_at_once() {
    let mut n = Net::new(|p| p.max_varbinds = 2);
    let vbs: Vec<VarBind> = (1..=3)
        .map(|i| vb(&format!("1.3.6.1.2.1.1.{i}.0")))
        .collect();
    n.submit(Operation::Set(vbs.clone()));
    assert!(matches!(n.done()[0].1, Err(Error::Usage(_))));
    n.submit(Operation::TrapV2(vbs));
    assert_eq!(n.sent().len(), 1);
    assert!(n.done()[0].1.is_ok());
    assert_eq!(n.engine.ops_in_flight(), 0);
}

/// Regression (engine fuzz target): the fallback Get of a walk that found nothing took the
/// first binding of the answer whatever its name, so a reply naming another object put a row
/// outside the subtree into the walk's result. It is now a decode error, as for a Get.
#[test]
fn walk_fallback_get_answer_must_name_the_root() {
    let mut n = Net::new(|_| {});
    let agent = Agent::new(1);
    n.submit(Operation::Walk {
        roots: vec![oid("1.3.6.1.2.1.1.1.0")],
        bulk: false,
        stream: false,
    });
    // The GetNext of the leaf leaves the subtree: nothing found, so a Get of the root follows.
    let getnext = n.sent();
    n.deliver(AGENT, &agent.answer(&getnext[0]));
    let get = n.sent();
    assert_eq!(get.len(), 1);
    let resp = Pdu {
        kind: PduType::Response,
        request_id: request_id(&get[0]),
        error_status: 0,
        error_index: 0,
        varbinds: vec![VarBind::new(oid("1.3.6.1.2.1.1.5.0"), Value::from("other"))],
    };
    let mut d = Vec::new();
    encode_community(&mut d, Version::V2c, b"public", &resp);
    n.deliver(AGENT, &d);
    let done = n.done();
    assert_eq!(done.len(), 1);
    match &done[0].1 {
        Err(Error::Decode { reason, .. }) => {
            assert!(reason.contains("1.3.6.1.2.1.1.5.0 where 1.3.6.1.2.1.1.1.0 was asked"))
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(n.engine.ops_in_flight(), 0);
}
