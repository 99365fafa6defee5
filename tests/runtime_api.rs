//! The runtime's concurrency surface against a real snmpd: shared sessions across threads,
//! callbacks, the completion queue and its fd, back-pressure, cancellation, shutdown,
//! notifications, and few sockets for many sessions.

mod common;

use common::snmpd::{self, Snmpd};
use snmpx::engine::Operation;
use snmpx::message::decode_community;
use snmpx::pdu::{DecodedPdu, Pdu, PduType};
use snmpx::session::CompletionQueue;
use snmpx::{Error, Oid, Runtime, Session, Value, VarBind, Version};
use std::net::UdpSocket;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

const SYS_NAME: &str = "1.3.6.1.2.1.1.5.0";
const SYS_DESCR: &str = "1.3.6.1.2.1.1.1.0";

fn agent() -> &'static Snmpd {
    static A: OnceLock<Snmpd> = OnceLock::new();
    A.get_or_init(Snmpd::start)
}

fn oid(s: &str) -> Oid {
    s.parse().unwrap()
}

fn open(rt: &Runtime, target: &str) -> Session {
    Session::builder(target)
        .timeout(Duration::from_secs(2))
        .retries(2)
        .open(rt)
        .unwrap()
}

#[test]
fn many_threads_share_one_session_and_get_right_answers() {
    let rt = Runtime::new().unwrap();
    let s = open(&rt, &agent().target());
    let threads: Vec<_> = (0..32)
        .map(|i| {
            let s = s.clone();
            std::thread::spawn(move || {
                for j in 0..50 {
                    let (o, want) = if (i + j) % 2 == 0 {
                        (SYS_NAME, snmpd::SYS_NAME)
                    } else {
                        (SYS_DESCR, snmpd::SYS_DESCR)
                    };
                    let r = s.get(&[o]).unwrap();
                    assert_eq!(r[0].oid, oid(o));
                    assert_eq!(r[0].value.as_str(), Some(want));
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let st = rt.stats();
    assert_eq!(st.completed, 32 * 50);
    assert_eq!(st.timeouts, 0);
    assert_eq!(st.responses_matched, 32 * 50);
}

#[test]
fn callbacks_and_completion_queue_deliver_every_result_once() {
    let rt = Runtime::new().unwrap();
    let s = open(&rt, &agent().target());
    let n = 300;
    let hits = Arc::new(AtomicUsize::new(0));
    for _ in 0..n {
        let hits = hits.clone();
        s.submit(Operation::Get(vec![oid(SYS_NAME)]), move |r| {
            let r = r.unwrap();
            assert_eq!(r.varbinds[0].value.as_str(), Some(snmpd::SYS_NAME));
            hits.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap();
    }
    let q = CompletionQueue::new().unwrap();
    for tag in 0..n as u64 {
        s.submit_to_queue(Operation::Get(vec![oid(SYS_DESCR)]), &q, tag)
            .unwrap();
    }
    let mut tags = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while tags.len() < n && Instant::now() < deadline {
        // The fd is readable while completions wait: poll(2) on it like an event loop would.
        let mut pfd = libc::pollfd {
            fd: q.fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        let ready = unsafe { libc::poll(&mut pfd, 1, 1000) };
        if ready <= 0 {
            continue;
        }
        out.clear();
        assert!(q.poll(64, &mut out) > 0, "fd readable but queue empty");
        for c in out.drain(..) {
            assert_eq!(
                c.result.unwrap().varbinds[0].value.as_str(),
                Some(snmpd::SYS_DESCR)
            );
            assert!(tags.insert(c.tag), "tag {} delivered twice", c.tag);
        }
    }
    assert_eq!(tags.len(), n);
    assert!(q.is_empty());
    let mut pfd = libc::pollfd {
        fd: q.fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd.
    assert_eq!(
        unsafe { libc::poll(&mut pfd, 1, 0) },
        0,
        "fd readable on an empty queue"
    );
    while hits.load(Ordering::SeqCst) < n && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(hits.load(Ordering::SeqCst), n);
}

#[test]
fn back_pressure_caps_requests_in_flight() {
    let rt = Runtime::builder().max_in_flight(4).build().unwrap();
    let s = open(&rt, &agent().target());
    let q = CompletionQueue::new().unwrap();
    let max_seen = Arc::new(AtomicUsize::new(0));
    let probe = {
        let (rt, max_seen) = (rt.clone(), max_seen.clone());
        std::thread::spawn(move || {
            let t0 = Instant::now();
            while t0.elapsed() < Duration::from_secs(3) {
                max_seen.fetch_max(rt.in_flight(), Ordering::SeqCst);
                std::thread::yield_now();
            }
        })
    };
    for tag in 0..200 {
        s.submit_to_queue(Operation::Get(vec![oid(SYS_NAME)]), &q, tag)
            .unwrap();
    }
    let mut out = Vec::new();
    while out.len() < 200 {
        q.wait(200, Duration::from_secs(5), &mut out);
    }
    probe.join().unwrap();
    assert!(out.iter().all(|c| c.result.is_ok()));
    assert!(max_seen.load(Ordering::SeqCst) <= 4, "cap exceeded");
}

#[test]
fn cancel_and_shutdown_complete_in_flight_requests() {
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let target = silent.local_addr().unwrap().to_string();
    let rt = Runtime::new().unwrap();
    let s = Session::builder(&target)
        .timeout(Duration::from_secs(30))
        .open(&rt)
        .unwrap();
    let q = CompletionQueue::new().unwrap();
    let h = s
        .submit_to_queue(Operation::Get(vec![oid(SYS_NAME)]), &q, 1)
        .unwrap();
    s.cancel(h).unwrap();
    let mut out = Vec::new();
    q.wait(1, Duration::from_secs(5), &mut out);
    assert!(matches!(out[0].result, Err(Error::Cancelled)));
    // A blocking call in flight at shutdown completes with Cancelled, not a hang.
    let s2 = s.clone();
    let t = std::thread::spawn(move || s2.get(&[SYS_NAME]));
    std::thread::sleep(Duration::from_millis(200));
    rt.shutdown();
    assert!(matches!(t.join().unwrap(), Err(Error::Cancelled)));
    assert!(matches!(s.get(&[SYS_NAME]), Err(Error::Closed)));
}

#[test]
fn dropping_a_walk_iterator_cancels_the_walk() {
    let rt = Runtime::new().unwrap();
    let s = open(&rt, &agent().target());
    let mut it = s.walk_iter(&["1"], false).unwrap();
    assert!(it.next().unwrap().is_ok());
    drop(it);
    let t0 = Instant::now();
    while rt.in_flight() > 0 && t0.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(rt.in_flight(), 0);
}

/// A notification receiver on loopback: decodes what we send; acknowledges informs.
fn receive(sock: &UdpSocket, ack: bool) -> Pdu {
    let mut buf = [0u8; 65536];
    sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let (n, from) = sock.recv_from(&mut buf).unwrap();
    let msg = decode_community(&buf[..n]).unwrap();
    let DecodedPdu::Pdu(pdu) = msg.pdu else {
        panic!("expected a v2 PDU")
    };
    if ack {
        let mut resp = pdu.clone();
        resp.kind = PduType::Response;
        let mut out = Vec::new();
        snmpx::message::encode_community(&mut out, msg.version, msg.community, &resp);
        sock.send_to(&out, from).unwrap();
    }
    pdu
}

#[test]
fn traps_and_informs_are_sent_with_the_rfc_3416_prefix() {
    let rx = UdpSocket::bind("127.0.0.1:0").unwrap();
    let rt = Runtime::new().unwrap();
    let s = open(&rt, &rx.local_addr().unwrap().to_string());
    let trap_oid = oid("1.3.6.1.6.3.1.1.5.4");
    let extra = [VarBind::new(
        oid("1.3.6.1.2.1.2.2.1.1.3"),
        Value::Integer(3),
    )];
    s.send_trap(4242, &trap_oid, &extra).unwrap();
    let p = receive(&rx, false);
    assert_eq!(p.kind, PduType::TrapV2);
    assert_eq!(
        p.varbinds[0],
        VarBind::new(oid("1.3.6.1.2.1.1.3.0"), Value::TimeTicks(4242))
    );
    assert_eq!(p.varbinds[1].value, Value::ObjectId(trap_oid.clone()));
    assert_eq!(p.varbinds[2], extra[0]);
    let s2 = s.clone();
    let t = {
        let trap_oid = trap_oid.clone();
        std::thread::spawn(move || s2.inform(7, &trap_oid, &[]))
    };
    let p = receive(&rx, true);
    assert_eq!(p.kind, PduType::InformRequest);
    t.join().unwrap().unwrap();
    // v1 trap on a v1 session.
    let v1 = Session::builder(&rx.local_addr().unwrap().to_string())
        .version(Version::V1)
        .open(&rt)
        .unwrap();
    let trap = snmpx::pdu::TrapV1 {
        enterprise: oid("1.3.6.1.4.1.8072"),
        agent_addr: [127, 0, 0, 1],
        generic_trap: 6,
        specific_trap: 1,
        timestamp: 5,
        varbinds: vec![],
    };
    v1.send_trap_v1(trap.clone()).unwrap();
    let mut buf = [0u8; 2048];
    let (n, _) = rx.recv_from(&mut buf).unwrap();
    assert_eq!(
        decode_community(&buf[..n]).unwrap().pdu,
        DecodedPdu::TrapV1(trap)
    );
}

/// Sockets do not grow with sessions: 5,000 sessions on one runtime add no descriptors.
#[test]
fn sessions_do_not_open_sockets() {
    let count_fds = || std::fs::read_dir("/proc/self/fd").unwrap().count();
    let rt = Runtime::new().unwrap();
    let before = count_fds();
    let sessions: Vec<Session> = (0..5000)
        .map(|i| open(&rt, &format!("127.0.{}.{}:161", i / 250, 1 + i % 250)))
        .collect();
    assert_eq!(count_fds(), before);
    drop(sessions);
    // And one session against the real agent still works.
    let s = open(&rt, &agent().target());
    assert!(s.get(&[SYS_NAME]).is_ok());
}

#[test]
fn names_resolve_through_the_mib_and_unknown_names_send_nothing() {
    let rt = Runtime::new().unwrap();
    let s = open(&rt, &agent().target());
    let by_name = s.get(&["SNMPv2-MIB::sysName.0", "sysDescr.0"]).unwrap();
    let by_number = s.get(&[SYS_NAME, "1.3.6.1.2.1.1.1.0"]).unwrap();
    assert_eq!(by_name, by_number);
    let sent = rt.stats().requests_sent;
    match s.get(&["noSuchThingAnywhere.0"]) {
        Err(snmpx::Error::Mib(e)) => assert!(e.to_string().contains("noSuchThingAnywhere")),
        other => panic!("expected a MIB error, got {other:?}"),
    }
    assert_eq!(rt.stats().requests_sent, sent, "nothing was sent");
}

/// True when `fd` is readable right now.
fn readable(fd: std::os::fd::RawFd) -> bool {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd, zero timeout.
    let n = unsafe { libc::poll(&mut p, 1, 0) };
    n == 1 && p.revents & libc::POLLIN != 0
}

#[test]
fn completion_queue_fd_is_readable_exactly_while_completions_wait() {
    let rt = Runtime::new().unwrap();
    let s = open(&rt, &agent().target());
    let q = CompletionQueue::new().unwrap();
    s.submit_to_queue(Operation::Get(vec![oid(SYS_NAME)]), &q, 7)
        .unwrap();
    let t0 = Instant::now();
    while q.is_empty() && t0.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(1));
    }
    // The fd is asked for only after the completion arrived: it must still be readable.
    let fd = q.fd();
    assert!(readable(fd));
    let mut out = Vec::new();
    assert_eq!(q.poll(16, &mut out), 1);
    assert_eq!(out[0].tag, 7);
    assert!(!readable(fd), "drained queue leaves the fd unreadable");
    s.submit_to_queue(Operation::Get(vec![oid(SYS_NAME)]), &q, 8)
        .unwrap();
    let t0 = Instant::now();
    while !readable(fd) && t0.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(1));
    }
    assert!(readable(fd));
    assert_eq!(q.wait(16, Duration::from_secs(5), &mut out), 1);
    assert!(!readable(fd));
}

#[test]
fn a_blocking_call_from_a_callback_is_refused_not_deadlocked() {
    let rt = Runtime::new().unwrap();
    let s = open(&rt, &agent().target());
    let inner = s.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    s.submit(Operation::Get(vec![oid(SYS_NAME)]), move |r| {
        assert!(r.is_ok());
        let _ = tx.send(inner.get(&[SYS_DESCR]));
    })
    .unwrap();
    let nested = rx.recv_timeout(Duration::from_secs(10)).unwrap();
    assert!(matches!(nested, Err(Error::Usage(_))), "{nested:?}");
}
