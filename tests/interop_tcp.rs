//! SNMP over TCP (RFC 3430) through the Session API: against the harness snmpd listening on
//! `tcp:127.0.0.1:PORT`, and against a scripted TCP relay in front of its UDP port that
//! closes connections, dribbles replies a few octets at a time, sends oversized or
//! malformed messages, or never answers.

mod common;

use common::snmpd::{self, Snmpd};
use snmpx::{Error, Oid, Runtime, Session, Transport, Value, VarBind, Version};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;
use std::time::Duration;

const SYS_DESCR: &str = "1.3.6.1.2.1.1.1.0";
const SYS_NAME: &str = "1.3.6.1.2.1.1.5.0";
const SYS_CONTACT: &str = "1.3.6.1.2.1.1.4.0";

fn agent() -> &'static Snmpd {
    static A: OnceLock<Snmpd> = OnceLock::new();
    A.get_or_init(Snmpd::start)
}

fn runtime() -> &'static Runtime {
    static R: OnceLock<Runtime> = OnceLock::new();
    R.get_or_init(|| Runtime::new().unwrap())
}

fn tcp_session(target: &str, community: &str) -> Result<Session, Error> {
    Session::builder(target)
        .version(Version::V2c)
        .community(community)
        .timeout(Duration::from_millis(500))
        .retries(1)
        .open(runtime())
}

fn oid(s: &str) -> Oid {
    s.parse().unwrap()
}

#[test]
fn get_next_bulk_and_set_over_tcp() {
    let s = tcp_session(&agent().tcp_target(), snmpd::COMMUNITY_RW).unwrap();
    assert_eq!(s.transport(), Transport::Tcp);
    assert_eq!(s.peer(), agent().addr);
    let r = s.get(&[SYS_DESCR, SYS_NAME]).unwrap();
    assert_eq!(r[0].value.as_str(), Some(snmpd::SYS_DESCR));
    assert_eq!(r[1].value.as_str(), Some(snmpd::SYS_NAME));
    let n = s.get_next(&["1.3.6.1.2.1.1.4"]).unwrap();
    assert_eq!(n[0].oid, oid(SYS_CONTACT));
    let b = s.get_bulk(0, 3, &["1.3.6.1.2.1.1"]).unwrap();
    assert_eq!(b.len(), 3);
    assert_eq!(b[0].oid, oid(SYS_DESCR));
    let v = Value::OctetString(b"tcp contact".to_vec().into());
    s.set(&[VarBind::new(oid(SYS_CONTACT), v.clone())]).unwrap();
    assert_eq!(s.get(&[SYS_CONTACT]).unwrap()[0].value, v);
}

#[test]
fn walks_over_tcp_match_udp() {
    let udp = Session::builder(&agent().target())
        .community(snmpd::COMMUNITY_STABLE)
        .open(runtime())
        .unwrap();
    let tcp = tcp_session(&agent().tcp_target(), snmpd::COMMUNITY_STABLE).unwrap();
    let names = |v: Vec<VarBind>| v.into_iter().map(|b| b.oid).collect::<Vec<_>>();
    let roots = ["1.3.6.1.2.1.1", "1.3.6.1.2.1.2", "1.3.6.1.6.3"];
    let want = names(udp.walk(&roots).unwrap());
    assert!(want.len() > 30, "{} rows", want.len());
    assert_eq!(names(tcp.walk(&roots).unwrap()), want);
    assert_eq!(names(tcp.bulk_walk(&roots).unwrap()), want);
    let streamed: Vec<Oid> = tcp
        .walk_iter(&roots, true)
        .unwrap()
        .map(|r| r.unwrap().oid)
        .collect();
    assert_eq!(streamed, want);
}

#[test]
fn snmpv3_over_tcp() {
    for user in Snmpd::v3_users()
        .into_iter()
        .filter(|u| matches!(u.name.as_str(), "noauth" | "auth_sha256" | "priv_sha_aes"))
    {
        let mut b = Session::builder(&agent().tcp_target())
            .version(Version::V3)
            .user(&user.name)
            .timeout(Duration::from_secs(1))
            .retries(1);
        if let Some(a) = user.auth {
            b = b.auth(a, &user.auth_pass);
        }
        if let Some(p) = user.priv_ {
            b = b.privacy(p, &user.priv_pass);
        }
        let s = b.open(runtime()).unwrap();
        let r = s.get(&[SYS_NAME]).unwrap();
        assert_eq!(r[0].value.as_str(), Some(snmpd::SYS_NAME), "{}", user.name);
        let rows = s.bulk_walk(&["1.3.6.1.2.1.1"]).unwrap();
        assert!(rows.len() >= 8, "{}: {} rows", user.name, rows.len());
    }
}

#[test]
fn many_threads_share_one_connection() {
    let s = tcp_session(&agent().tcp_target(), snmpd::COMMUNITY_RO).unwrap();
    let before = runtime().stats().responses_matched;
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let s = s.clone();
            thread::spawn(move || {
                for _ in 0..25 {
                    let r = s.get(&[SYS_NAME, SYS_DESCR]).unwrap();
                    assert_eq!(r[0].value.as_str(), Some(snmpd::SYS_NAME));
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert!(runtime().stats().responses_matched >= before + 200);
}

#[test]
fn large_get_over_tcp() {
    // 300 bindings: a response of about 20 kB, more than one TCP segment on loopback.
    let s = tcp_session(&agent().tcp_target(), snmpd::COMMUNITY_RO).unwrap();
    let oids = vec![SYS_DESCR; 300];
    let r = s.get(&oids).unwrap();
    assert_eq!(r.len(), 300);
    assert!(r.iter().all(|b| b.value.as_str() == Some(snmpd::SYS_DESCR)));
}

#[test]
fn refused_connection_fails_at_open() {
    // A port nobody listens on: bind, note it, close.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    match tcp_session(&format!("tcp:127.0.0.1:{port}"), "public") {
        Err(Error::Connection { peer, reason }) => {
            assert_eq!(peer.port(), port);
            assert_eq!(
                reason,
                format!("{}Connection refused", snmpx::CONNECT_FAILED)
            );
        }
        Err(e) => panic!("expected a connection error, got {e}"),
        Ok(_) => panic!("expected a connection error, got a session"),
    }
}

/// What the relay does with each connection it accepts (the last mode repeats).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    /// Forward each message to the agent's UDP port and write the reply back.
    Relay,
    /// Like `Relay`, writing replies 7 octets at a time with a pause between writes.
    Dribble,
    /// Read one message and close the connection without answering.
    CloseAfterOne,
    /// Read messages and never answer.
    Silent,
    /// Answer the first message with a header claiming a 70,000-octet message.
    Oversized,
    /// Answer with an INTEGER instead of a SEQUENCE.
    Garbage,
}

/// A scripted TCP agent in front of the harness snmpd's UDP port.
struct Relay {
    addr: SocketAddr,
    /// Messages received, over all connections.
    received: Arc<AtomicUsize>,
    /// Connections that reached end of file (the client closed them).
    eofs: Arc<AtomicUsize>,
    accepted: Arc<AtomicUsize>,
}

impl Relay {
    fn start(modes: Vec<Mode>) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let received = Arc::new(AtomicUsize::new(0));
        let eofs = Arc::new(AtomicUsize::new(0));
        let accepted = Arc::new(AtomicUsize::new(0));
        let (r, e, a) = (received.clone(), eofs.clone(), accepted.clone());
        let modes = Arc::new(Mutex::new(modes));
        let agent = agent().addr;
        thread::spawn(move || {
            // Bounded: a test opens at most a handful of connections.
            for stream in listener.incoming().take(16).flatten() {
                let n = a.fetch_add(1, Ordering::SeqCst);
                let mode = {
                    let m = modes.lock().unwrap();
                    m[n.min(m.len() - 1)]
                };
                let (r, e) = (r.clone(), e.clone());
                thread::spawn(move || serve(stream, mode, agent, &r, &e));
            }
        });
        Relay {
            addr,
            received,
            eofs,
            accepted,
        }
    }

    fn target(&self) -> String {
        format!("tcp:{}", self.addr)
    }
}

/// Reads one whole BER message (definite length) from the stream.
fn read_message(s: &mut TcpStream) -> Option<Vec<u8>> {
    let mut hdr = [0u8; 2];
    s.read_exact(&mut hdr).ok()?;
    let mut msg = hdr.to_vec();
    let len = if hdr[1] < 0x80 {
        hdr[1] as usize
    } else {
        let mut n = vec![0u8; (hdr[1] & 0x7f) as usize];
        s.read_exact(&mut n).ok()?;
        msg.extend_from_slice(&n);
        n.iter().fold(0, |a, &b| (a << 8) | b as usize)
    };
    let start = msg.len();
    msg.resize(start + len, 0);
    s.read_exact(&mut msg[start..]).ok()?;
    Some(msg)
}

fn serve(
    mut s: TcpStream,
    mode: Mode,
    agent: SocketAddr,
    received: &AtomicUsize,
    eofs: &AtomicUsize,
) {
    let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
    udp.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    // Bounded: no test sends more than a few hundred messages on one connection.
    for _ in 0..1000 {
        let Some(msg) = read_message(&mut s) else {
            eofs.fetch_add(1, Ordering::SeqCst);
            return;
        };
        received.fetch_add(1, Ordering::SeqCst);
        match mode {
            Mode::CloseAfterOne => return,
            Mode::Silent => continue,
            Mode::Oversized => {
                // 0x30 0x83 0x01 0x11 0x70: a SEQUENCE of 70,000 octets.
                let _ = s.write_all(&[0x30, 0x83, 0x01, 0x11, 0x70, 0x02, 0x01, 0x00]);
                continue;
            }
            Mode::Garbage => {
                let _ = s.write_all(&[0x02, 0x01, 0x00]);
                continue;
            }
            Mode::Relay | Mode::Dribble => {}
        }
        udp.send_to(&msg, agent).unwrap();
        let mut buf = vec![0u8; 65536];
        let Ok((n, _)) = udp.recv_from(&mut buf) else {
            continue;
        };
        if mode == Mode::Dribble {
            for chunk in buf[..n].chunks(7) {
                if s.write_all(chunk).is_err() {
                    return;
                }
                let _ = s.flush();
                thread::sleep(Duration::from_millis(2));
            }
        } else if s.write_all(&buf[..n]).is_err() {
            return;
        }
    }
}

#[test]
fn replies_dribbled_over_many_reads_are_reassembled() {
    let relay = Relay::start(vec![Mode::Dribble]);
    let s = tcp_session(&relay.target(), snmpd::COMMUNITY_RO).unwrap();
    let r = s.get(&[SYS_DESCR, SYS_NAME]).unwrap();
    assert_eq!(r[0].value.as_str(), Some(snmpd::SYS_DESCR));
    // A bulk reply of a few hundred octets arrives in dozens of 7-octet writes.
    let rows = s.bulk_walk(&["1.3.6.1.2.1.1.9"]).unwrap();
    assert!(!rows.is_empty());
}

#[test]
fn agent_closing_mid_request_is_an_error_then_reconnects() {
    let relay = Relay::start(vec![Mode::CloseAfterOne, Mode::Relay]);
    let s = tcp_session(&relay.target(), snmpd::COMMUNITY_RO).unwrap();
    match s.get(&[SYS_NAME]) {
        Err(Error::Connection { peer, reason }) => {
            assert_eq!(peer, relay.addr);
            assert_eq!(reason, snmpx::CLOSED_BY_PEER);
        }
        other => panic!("expected the connection to fail, got {other:?}"),
    }
    // The next request opens a new connection and works.
    let r = s.get(&[SYS_NAME]).unwrap();
    assert_eq!(r[0].value.as_str(), Some(snmpd::SYS_NAME));
    assert_eq!(relay.accepted.load(Ordering::SeqCst), 2);
}

#[test]
fn no_retransmission_on_tcp_but_the_same_total_wait() {
    let relay = Relay::start(vec![Mode::Silent]);
    let s = Session::builder(&relay.target())
        .timeout(Duration::from_millis(100))
        .retries(3)
        .open(runtime())
        .unwrap();
    match s.get(&[SYS_NAME]) {
        Err(Error::Timeout { peer, attempts }) => {
            assert_eq!(peer, relay.addr);
            assert_eq!(attempts, 1);
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    // One message on the wire, where UDP would have sent four.
    assert_eq!(relay.received.load(Ordering::SeqCst), 1);
}

#[test]
fn oversized_message_closes_the_connection_with_a_decode_error() {
    let relay = Relay::start(vec![Mode::Oversized, Mode::Garbage, Mode::Relay]);
    let s = tcp_session(&relay.target(), snmpd::COMMUNITY_RO).unwrap();
    match s.get(&[SYS_NAME]) {
        Err(Error::Decode { peer, reason }) => {
            assert_eq!(peer, relay.addr);
            assert!(reason.contains("exceeds the limit of 65507"), "{reason}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    match s.get(&[SYS_NAME]) {
        Err(Error::Decode { reason, .. }) => assert!(reason.contains("tag 0x02"), "{reason}"),
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(s.get(&[SYS_NAME]).unwrap().len(), 1);
    assert_eq!(relay.accepted.load(Ordering::SeqCst), 3);
}

#[test]
fn dropping_the_session_closes_its_connection() {
    let relay = Relay::start(vec![Mode::Relay]);
    let s = tcp_session(&relay.target(), snmpd::COMMUNITY_RO).unwrap();
    let s2 = s.clone();
    s.get(&[SYS_NAME]).unwrap();
    drop(s);
    s2.get(&[SYS_NAME]).unwrap();
    assert_eq!(relay.eofs.load(Ordering::SeqCst), 0);
    drop(s2);
    // Bounded wait for the relay to see the close (not a timing assertion: 5 s of slack).
    for _ in 0..500 {
        if relay.eofs.load(Ordering::SeqCst) == 1 {
            break;
        }
        thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(relay.eofs.load(Ordering::SeqCst), 1);
}

#[test]
fn v3_discovery_on_a_closed_connection_says_so() {
    let relay = Relay::start(vec![Mode::CloseAfterOne, Mode::Relay]);
    let s = Session::builder(&relay.target())
        .version(Version::V3)
        .user("noauth")
        .timeout(Duration::from_millis(500))
        .open(runtime())
        .unwrap();
    match s.get(&[SYS_NAME]) {
        Err(Error::Connection { reason, .. }) => {
            assert_eq!(
                reason,
                format!("{}{}", snmpx::DISCOVERY_FAILED, snmpx::CLOSED_BY_PEER)
            );
        }
        other => panic!("expected the discovery to fail, got {other:?}"),
    }
    // Reconnected: discovery and the request both go over the new connection.
    assert_eq!(
        s.get(&[SYS_NAME]).unwrap()[0].value.as_str(),
        Some(snmpd::SYS_NAME)
    );
}
