//! Deterministic tests of [`Engine::on_unreachable`]: which requests an ICMP port
//! unreachable fails (only the one it quotes, only at the address it names) and which it
//! leaves alone.

use super::*;
use crate::message::v3::{decode_v3, SecurityLevel};
use crate::message::{decode_community, encode_community};
use crate::oid::Oid;
use crate::pdu::DecodedPdu;
use crate::usm::{Credentials, KeyCache};
use crate::value::{Value, VarBind};

const A: &str = "127.0.0.1:1161";
const B: &str = "127.0.0.2:1161";
const SYS_NAME: &str = "1.3.6.1.2.1.1.5.0";

type Done = Result<Response, Error>;

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

fn oid(s: &str) -> Oid {
    s.parse().unwrap()
}

struct Net {
    engine: Engine<u32>,
    now: Instant,
    next_id: u64,
}

impl Net {
    fn new() -> Net {
        let now = Instant::now();
        Net {
            engine: Engine::new(777, now, Arc::new(KeyCache::new().unwrap())),
            now,
            next_id: 1,
        }
    }

    fn params(&self, target: &str, f: impl FnOnce(&mut Params)) -> Arc<Params> {
        let mut p = Params::new(addr(target));
        p.timeout = Duration::from_secs(1);
        p.retries = 2;
        f(&mut p);
        Arc::new(p)
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

    fn done(&mut self) -> Vec<(OpId, Done)> {
        let mut v = vec![];
        while let Some(e) = self.engine.poll_event() {
            if let Event::Done { id, result, .. } = e {
                v.push((id, result));
            }
        }
        v
    }

    fn advance(&mut self, d: Duration) {
        self.now += d;
        self.engine.handle_timeout(self.now);
    }

    fn unreachable(&mut self, dest: &str, quoted: &[u8]) {
        self.engine.on_unreachable(addr(dest), quoted, self.now);
    }

    /// A v2c answer to request `t` carrying `name`.
    fn answer(&mut self, t: &Transmit, name: &str) {
        let m = decode_community(&t.data).unwrap();
        let DecodedPdu::Pdu(p) = m.pdu else { panic!() };
        let resp = Pdu {
            kind: PduType::Response,
            request_id: p.request_id,
            error_status: 0,
            error_index: 0,
            varbinds: vec![VarBind::new(oid(SYS_NAME), Value::from(name))],
        };
        let mut out = Vec::new();
        encode_community(&mut out, m.version, m.community, &resp);
        self.engine.handle_datagram(t.dest, &out, self.now);
    }
}

fn unreachable(at: &str) -> Error {
    Error::Unreachable { peer: addr(at) }
}

#[test]
fn fails_only_the_quoted_request_at_its_destination() {
    let mut n = Net::new();
    let (pa, pb) = (n.params(A, |_| {}), n.params(B, |_| {}));
    let (a1, a2, b1) = (n.get(&pa), n.get(&pa), n.get(&pb));
    let sent = n.sent();
    assert_eq!(sent.len(), 3);
    // Linux quotes the whole datagram; a router may quote less: 40 octets still name it.
    n.unreachable(A, &sent[0].data[..40]);
    assert_eq!(n.done(), vec![(a1, Err(unreachable(A)))]);
    // The same quote reported at another address names nothing there.
    n.unreachable(B, &sent[1].data);
    assert!(n.done().is_empty());
    n.answer(&sent[1], "a");
    n.answer(&sent[2], "b");
    let d = n.done();
    assert_eq!(d.len(), 2);
    assert_eq!(d[0].0, a2);
    assert_eq!(d[1].0, b1);
    assert!(d.iter().all(|(_, r)| r.is_ok()));
    let st = n.engine.stats();
    assert_eq!((st.icmp_unreachable, st.failed_unreachable), (2, 1));
    assert_eq!(st.timeouts, 0);
}

#[test]
fn a_report_about_an_earlier_transmission_fails_the_retransmitted_request() {
    let mut n = Net::new();
    let p = n.params(A, |_| {});
    let id = n.get(&p);
    let first = n.sent();
    n.advance(Duration::from_secs(1));
    assert_eq!(n.sent().len(), 1, "retransmitted");
    n.unreachable(A, &first[0].data);
    assert_eq!(n.done(), vec![(id, Err(unreachable(A)))]);
    // Nothing left: no timer fires a second completion.
    n.advance(Duration::from_secs(5));
    assert!(n.done().is_empty() && n.sent().is_empty());
    assert_eq!(n.engine.ops_in_flight(), 0);
}

#[test]
fn a_late_report_fails_nothing_new() {
    let mut n = Net::new();
    let p = n.params(A, |_| {});
    n.get(&p);
    let old = n.sent();
    n.answer(&old[0], "a");
    assert!(n.done()[0].1.is_ok());
    // The agent went away and came back; a new request is in flight when the report about
    // the old one arrives.
    let id = n.get(&p);
    let new = n.sent();
    n.unreachable(A, &old[0].data);
    assert!(n.done().is_empty());
    n.answer(&new[0], "a");
    assert_eq!(n.done()[0].0, id);
    let st = n.engine.stats();
    assert_eq!((st.icmp_unreachable, st.failed_unreachable), (1, 0));
}

#[test]
fn a_quote_without_an_id_fails_every_request_to_that_destination_only() {
    let mut n = Net::new();
    let (pa, pb) = (n.params(A, |_| {}), n.params(B, |_| {}));
    let walk = n.submit(
        &pa,
        Operation::Walk {
            roots: vec![oid("1.3.6.1.2.1.2.2")],
            bulk: false,
            stream: false,
        },
    );
    let get = n.get(&pa);
    let other = n.get(&pb);
    let sent = n.sent();
    // RFC 792's minimum quote: the UDP header only, no payload.
    n.unreachable(A, &[]);
    let mut d = n.done();
    d.sort_by_key(|(id, _)| *id);
    assert_eq!(
        d,
        vec![(walk, Err(unreachable(A))), (get, Err(unreachable(A)))]
    );
    n.answer(&sent[2], "b");
    assert_eq!(n.done()[0].0, other);
    assert_eq!(n.engine.stats().failed_unreachable, 2);
}

#[test]
fn sessions_that_wait_for_timeouts_ignore_reports() {
    let mut n = Net::new();
    let patient = n.params(A, |p| p.fail_on_unreachable = false);
    let eager = n.params(A, |_| {});
    let (slow, fast) = (n.get(&patient), n.get(&eager));
    let sent = n.sent();
    n.unreachable(A, &sent[0].data);
    n.unreachable(A, &sent[1].data);
    n.unreachable(A, &[]);
    assert_eq!(n.done(), vec![(fast, Err(unreachable(A)))]);
    for _ in 0..3 {
        n.advance(Duration::from_secs(1));
    }
    assert_eq!(
        n.done(),
        vec![(
            slow,
            Err(Error::Timeout {
                peer: addr(A),
                attempts: 3
            })
        )]
    );
    assert_eq!(n.engine.stats().failed_unreachable, 1);
}

fn v3_params(n: &Net, target: &str, f: impl FnOnce(&mut V3Params)) -> Arc<Params> {
    n.params(target, |p| {
        p.version = Version::V3;
        let mut v = V3Params::new(b"carol", SecurityLevel::NoAuthNoPriv, Credentials::none());
        f(&mut v);
        p.v3 = Some(Arc::new(v));
    })
}

fn msg_id(t: &Transmit) -> i32 {
    decode_v3(&t.data).unwrap().global.msg_id
}

#[test]
fn v3_discovery_to_a_closed_port_fails_its_waiters() {
    let mut n = Net::new();
    let pa = v3_params(&n, A, |_| {});
    let pb = v3_params(&n, B, |_| {});
    let (a1, a2, b1) = (n.get(&pa), n.get(&pa), n.get(&pb));
    let sent = n.sent();
    assert_eq!(sent.len(), 2, "one discovery per target");
    let to_a = sent.iter().find(|t| t.dest == addr(A)).unwrap();
    n.unreachable(A, &to_a.data);
    let mut d = n.done();
    d.sort_by_key(|(id, _)| *id);
    assert_eq!(
        d,
        vec![(a1, Err(unreachable(A))), (a2, Err(unreachable(A)))]
    );
    // The discovery to A is over (no retransmission), B's runs on.
    n.advance(Duration::from_secs(1));
    let again = n.sent();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].dest, addr(B));
    assert_eq!(n.engine.ops_in_flight(), 1);
    let _ = b1;
    // A new request to A starts a new discovery.
    n.get(&pa);
    assert_eq!(n.sent()[0].dest, addr(A));
}

#[test]
fn v3_discovery_runs_on_for_a_patient_waiter() {
    let mut n = Net::new();
    let patient = v3_params(&n, A, |_| {});
    let patient = Arc::new(Params {
        fail_on_unreachable: false,
        ..(*patient).clone()
    });
    let eager = v3_params(&n, A, |_| {});
    let (slow, fast) = (n.get(&patient), n.get(&eager));
    let sent = n.sent();
    assert_eq!(sent.len(), 1);
    n.unreachable(A, &sent[0].data);
    assert_eq!(n.done(), vec![(fast, Err(unreachable(A)))]);
    for _ in 0..3 {
        n.advance(Duration::from_secs(1));
    }
    let d = n.done();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].0, slow);
    assert!(matches!(d[0].1, Err(Error::Timeout { .. })), "{d:?}");
}

#[test]
fn v3_request_is_named_by_any_of_its_msg_ids() {
    let mut n = Net::new();
    // A known engine: no discovery, the request goes out at once.
    let p = v3_params(&n, A, |v| {
        v.security_engine_id = Some(b"\x80\x00\x1f\x88\x04test".to_vec());
        v.boots_time = Some((1, 100));
    });
    let other = v3_params(&n, B, |v| {
        v.security_engine_id = Some(b"\x80\x00\x1f\x88\x04test".to_vec());
        v.boots_time = Some((1, 100));
    });
    let id = n.get(&p);
    let b = n.get(&other);
    let first = n.sent();
    assert_eq!(first.len(), 2);
    n.advance(Duration::from_secs(1));
    let second = n.sent();
    assert_eq!(second.len(), 2);
    assert_ne!(msg_id(&first[0]), msg_id(&second[0]), "re-encoded");
    // A v1/v2c-shaped quote with the same number as the msgID names nothing.
    let mut fake = Vec::new();
    let pdu = Pdu {
        kind: PduType::GetRequest,
        request_id: msg_id(&first[0]),
        error_status: 0,
        error_index: 0,
        varbinds: vec![],
    };
    encode_community(&mut fake, Version::V2c, b"public", &pdu);
    n.unreachable(A, &fake);
    assert!(n.done().is_empty());
    // The quote of B's request reported at A names nothing either.
    n.unreachable(A, &first[1].data);
    assert!(n.done().is_empty());
    // The first transmission's msgID still names the exchange.
    n.unreachable(A, &first[0].data[..30]);
    assert_eq!(n.done(), vec![(id, Err(unreachable(A)))]);
    assert_eq!(n.engine.ops_in_flight(), 1);
    n.unreachable(B, &second[1].data);
    assert_eq!(n.done(), vec![(b, Err(unreachable(B)))]);
    let st = n.engine.stats();
    assert_eq!((st.icmp_unreachable, st.failed_unreachable), (4, 2));
}

#[test]
fn other_icmp_errors_are_counted_only() {
    let mut n = Net::new();
    let p = n.params(A, |_| {});
    n.get(&p);
    n.sent();
    n.engine.on_other_icmp();
    assert!(n.done().is_empty());
    assert_eq!(n.engine.stats().icmp_other, 1);
    assert_eq!(n.engine.ops_in_flight(), 1);
}
