//! The caller-driven runtime (`RuntimeBuilder::caller_driven`): no I/O thread, the blocking
//! caller drives the sockets. Against a real snmpd: every blocking operation on UDP and TCP,
//! v2c and v3; several threads taking turns; timeouts; refusal of asynchronous submission;
//! shutdown; and the packet trace hook running in the caller's thread.

mod common;

use common::snmpd::{self, Snmpd};
use snmpx::engine::Operation;
use snmpx::session::CompletionQueue;
use snmpx::{Error, Oid, Runtime, Session, Value, VarBind, Version};
use std::net::UdpSocket;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

const SYS_NAME: &str = "1.3.6.1.2.1.1.5.0";
const SYS_DESCR: &str = "1.3.6.1.2.1.1.1.0";

fn agent() -> &'static Snmpd {
    static A: OnceLock<Snmpd> = OnceLock::new();
    A.get_or_init(Snmpd::start)
}

fn runtime() -> Runtime {
    Runtime::builder().caller_driven(true).build().unwrap()
}

fn open(rt: &Runtime, target: &str, community: &str) -> Session {
    Session::builder(target)
        .community(community)
        .timeout(Duration::from_secs(1))
        .retries(2)
        .open(rt)
        .unwrap()
}

#[test]
fn blocking_operations_on_udp_and_tcp() {
    let rt = runtime();
    assert_eq!(rt.shard_count(), 1);
    for target in [agent().target(), agent().tcp_target()] {
        let s = open(&rt, &target, snmpd::COMMUNITY_RW);
        let r = s.get(&[SYS_NAME, SYS_DESCR]).unwrap();
        assert_eq!(r[0].value.as_str(), Some(snmpd::SYS_NAME));
        assert_eq!(r[1].value.as_str(), Some(snmpd::SYS_DESCR));
        let walk = s.walk(&["1.3.6.1.2.1.1.9"]).unwrap();
        assert_eq!(s.bulk_walk(&["1.3.6.1.2.1.1.9"]).unwrap(), walk);
        assert!(walk.len() >= 8);
        let c = VarBind::new(
            "1.3.6.1.2.1.1.4.0".parse::<Oid>().unwrap(),
            Value::OctetString(b"caller".to_vec().into()),
        );
        s.set(std::slice::from_ref(&c)).unwrap();
    }
    let st = rt.stats();
    assert!(st.responses_matched >= 10, "{st:?}");
}

#[test]
fn snmpv3_discovery_and_requests() {
    let rt = runtime();
    let u = Snmpd::v3_users()
        .into_iter()
        .find(|u| u.name == "priv_sha_aes")
        .unwrap();
    for target in [agent().target(), agent().tcp_target()] {
        let s = Session::builder(&target)
            .version(Version::V3)
            .user(&u.name)
            .auth(u.auth.unwrap(), &u.auth_pass)
            .privacy(u.priv_.unwrap(), &u.priv_pass)
            .open(&rt)
            .unwrap();
        let r = s.get(&[SYS_NAME]).unwrap();
        assert_eq!(r[0].value.as_str(), Some(snmpd::SYS_NAME));
    }
}

#[test]
fn threads_take_turns_driving() {
    let rt = runtime();
    let s = open(&rt, &agent().target(), snmpd::COMMUNITY_RO);
    let ok = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let (s, ok) = (s.clone(), ok.clone());
            std::thread::spawn(move || {
                for j in 0..40 {
                    let (o, want) = if (i + j) % 2 == 0 {
                        (SYS_NAME, snmpd::SYS_NAME)
                    } else {
                        (SYS_DESCR, snmpd::SYS_DESCR)
                    };
                    let r = s.get(&[o]).unwrap();
                    assert_eq!(r[0].value.as_str(), Some(want));
                    ok.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(ok.load(Ordering::Relaxed), 320);
}

#[test]
fn a_timeout_is_driven_by_the_caller_too() {
    let rt = runtime();
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let s = Session::builder(&silent.local_addr().unwrap().to_string())
        .timeout(Duration::from_millis(50))
        .retries(2)
        .open(&rt)
        .unwrap();
    match s.get(&[SYS_NAME]) {
        Err(Error::Timeout { attempts, .. }) => assert_eq!(attempts, 3),
        other => panic!("expected a timeout, got {other:?}"),
    }
    let mut buf = [0u8; 1500];
    silent.set_nonblocking(true).unwrap();
    let mut seen = 0;
    while silent.recv(&mut buf).is_ok() {
        seen += 1;
    }
    assert_eq!(seen, 3, "one send and two retransmissions");
}

#[test]
fn asynchronous_submission_is_refused() {
    let rt = runtime();
    let s = open(&rt, &agent().target(), snmpd::COMMUNITY_RO);
    let op = || Operation::Get(vec![SYS_NAME.parse().unwrap()]);
    assert!(matches!(s.submit(op(), |_| {}), Err(Error::Usage(_))));
    let q = CompletionQueue::new().unwrap();
    assert!(matches!(
        s.submit_to_queue(op(), &q, 1),
        Err(Error::Usage(_))
    ));
    assert!(matches!(
        s.walk_iter(&["1.3.6.1.2.1.1"], true),
        Err(Error::Usage(_))
    ));
    // Blocking calls still work, and nothing was left in flight.
    assert_eq!(s.get(&[SYS_NAME]).unwrap().len(), 1);
    assert_eq!(rt.in_flight(), 0);
}

#[test]
fn shutdown_then_calls_are_refused() {
    let rt = runtime();
    let s = open(&rt, &agent().target(), snmpd::COMMUNITY_RO);
    s.get(&[SYS_NAME]).unwrap();
    rt.shutdown();
    assert!(matches!(s.get(&[SYS_NAME]), Err(Error::Closed)));
}

#[test]
fn shutdown_from_another_thread_cancels_the_driving_caller() {
    let rt = runtime();
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let s = Session::builder(&silent.local_addr().unwrap().to_string())
        .timeout(Duration::from_secs(30))
        .retries(0)
        .open(&rt)
        .unwrap();
    let t = std::thread::spawn(move || s.get(&[SYS_NAME]));
    // Wait (bounded) until the request is on the wire, then shut down.
    let mut buf = [0u8; 1500];
    silent
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    silent.recv(&mut buf).expect("the request arrives");
    rt.shutdown();
    assert!(matches!(t.join().unwrap(), Err(Error::Cancelled)));
}

#[test]
fn packet_trace_runs_in_the_calling_thread() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let me = std::thread::current().id();
    let log = seen.clone();
    let rt = Runtime::builder()
        .caller_driven(true)
        .packet_trace(move |t| {
            let here = std::thread::current().id() == me;
            log.lock().unwrap().push((t.sent, t.data.len(), here));
        })
        .build()
        .unwrap();
    let s = open(&rt, &agent().target(), snmpd::COMMUNITY_RO);
    s.get(&[SYS_NAME]).unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(seen[0].0 && !seen[1].0);
    assert!(seen.iter().all(|e| e.2 && e.1 > 20));
}
