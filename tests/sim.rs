//! The agent simulator (`snmpx::sim`) answering our own client, plain sockets and Net-SNMP's
//! tools; plus the `snmpx demo` command end to end.

mod common;

use snmpx::message::{decode_community, encode_community};
use snmpx::pdu::{DecodedPdu, Pdu, PduType};
use snmpx::sim::{walkfile, Addressing, Misbehaviour, SimConfig, SimError, SimStats, Simulator};
use snmpx::{Error, ErrorStatus, Oid, Runtime, Session, Value, VarBind, Version};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SYS_DESCR: &str = "1.3.6.1.2.1.1.1.0";
const SYS_UPTIME: &str = "1.3.6.1.2.1.1.3.0";
const SYS_CONTACT: &str = "1.3.6.1.2.1.1.4.0";
const SYS_NAME: &str = "1.3.6.1.2.1.1.5.0";
const IF_TABLE: &str = "1.3.6.1.2.1.2.2";
const IFX_TABLE: &str = "1.3.6.1.2.1.31.1.1";

fn oid(s: &str) -> Oid {
    s.parse().unwrap()
}

/// The simulator's counters once `ok` holds for them (workers publish after each loop turn,
/// just after sending, so a client can see a reply before its count); gives up after 5 s.
fn stats_when(sim: &Simulator, ok: impl Fn(&SimStats) -> bool) -> SimStats {
    let t0 = Instant::now();
    loop {
        let s = sim.stats();
        if ok(&s) || t0.elapsed() > Duration::from_secs(5) {
            return s;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn session(rt: &Runtime, addr: SocketAddr) -> Session {
    Session::builder(&addr.to_string())
        .timeout(Duration::from_millis(500))
        .retries(3)
        .open(rt)
        .unwrap()
}

#[test]
fn synthetic_device_answers_get_next_bulk_set_and_walk() {
    let sim = Simulator::start(SimConfig::new(10)).unwrap();
    let rt = Runtime::new().unwrap();
    let s = session(&rt, sim.addr_of(3));
    let r = s.get(&[SYS_DESCR, SYS_NAME, SYS_UPTIME]).unwrap();
    assert_eq!(r[0].value.as_str(), Some(snmpx::sim::synthetic::SYS_DESCR));
    assert_eq!(r[1].value.as_str(), Some("dev-000003"));
    let Value::TimeTicks(t0) = r[2].value else {
        panic!("sysUpTime is {:?}", r[2].value)
    };
    // Missing objects are v2c exceptions.
    let r = s
        .get(&["1.3.6.1.2.1.1.1.7", "1.3.6.1.2.1.1.1", "1.3.6.1.9.9.9"])
        .unwrap();
    assert_eq!(r[0].value, Value::NoSuchInstance);
    assert_eq!(r[1].value, Value::NoSuchObject);
    assert_eq!(r[2].value, Value::NoSuchObject);
    // GetNext and the end of the MIB.
    let r = s.get_next(&[SYS_DESCR, "1.3.6.1.9"]).unwrap();
    assert_eq!(r[0].oid, oid("1.3.6.1.2.1.1.2.0"));
    assert_eq!(r[1].value, Value::EndOfMibView);
    // GetBulk: one non-repeater, then 3 repetitions of two columns.
    let r = s
        .get_bulk(
            1,
            3,
            &[SYS_DESCR, "1.3.6.1.2.1.2.2.1.2", "1.3.6.1.2.1.2.2.1.8"],
        )
        .unwrap();
    let oids: Vec<String> = r.iter().map(|v| v.oid.to_string()).collect();
    assert_eq!(
        oids,
        [
            "1.3.6.1.2.1.1.2.0",
            "1.3.6.1.2.1.2.2.1.2.1",
            "1.3.6.1.2.1.2.2.1.8.1",
            "1.3.6.1.2.1.2.2.1.2.2",
            "1.3.6.1.2.1.2.2.1.8.2",
            "1.3.6.1.2.1.2.2.1.2.3",
            "1.3.6.1.2.1.2.2.1.8.3",
        ]
    );
    assert_eq!(r[1].value.as_str(), Some("GigabitEthernet0/1"));
    // SET: writable, read-only, wrong type, wrong length; all-or-nothing.
    let contact = VarBind::new(oid(SYS_CONTACT), Value::from("ops@example.org"));
    assert_eq!(
        s.set(std::slice::from_ref(&contact)).unwrap(),
        vec![contact.clone()]
    );
    assert_eq!(s.get(&[SYS_CONTACT]).unwrap()[0], contact);
    let agent_status = |r: Result<Vec<VarBind>, Error>| match r {
        Err(Error::Agent { status, index, .. }) => (status, index),
        other => panic!("expected an agent error, got {other:?}"),
    };
    let descr = VarBind::new(oid(SYS_DESCR), Value::from("x"));
    let again = VarBind::new(oid(SYS_CONTACT), Value::from("changed"));
    assert_eq!(
        agent_status(s.set(&[again.clone(), descr])),
        (ErrorStatus::NotWritable, 2)
    );
    assert_eq!(
        s.get(&[SYS_CONTACT]).unwrap()[0],
        contact,
        "failed SET changed a value"
    );
    let bad_type = VarBind::new(oid(SYS_CONTACT), Value::Integer(5));
    assert_eq!(
        agent_status(s.set(&[bad_type])),
        (ErrorStatus::WrongType, 1)
    );
    let admin = VarBind::new(oid("1.3.6.1.2.1.2.2.1.7.2"), Value::Integer(9));
    assert_eq!(agent_status(s.set(&[admin])), (ErrorStatus::WrongValue, 1));
    let long = VarBind::new(oid(SYS_CONTACT), Value::from("x".repeat(256).as_str()));
    assert_eq!(agent_status(s.set(&[long])), (ErrorStatus::WrongLength, 1));
    // Other devices keep their own values.
    let other = session(&rt, sim.addr_of(4));
    assert_eq!(
        other.get(&[SYS_CONTACT]).unwrap()[0].value.as_str(),
        Some(snmpx::sim::synthetic::SYS_CONTACT)
    );
    // Walks: 11 ifTable columns and 5 ifXTable columns of 4 interfaces.
    let w = s.walk(&[IF_TABLE]).unwrap();
    assert_eq!(w.len(), 11 * 4);
    let bw = s.bulk_walk(&[IF_TABLE, IFX_TABLE]).unwrap();
    assert_eq!(bw.len(), 16 * 4);
    assert_eq!(
        &bw[..w.len()].iter().map(|v| &v.oid).collect::<Vec<_>>(),
        &w.iter().map(|v| &v.oid).collect::<Vec<_>>()
    );
    // sysUpTime moves with real time.
    std::thread::sleep(Duration::from_millis(30));
    let Value::TimeTicks(t1) = s.get(&[SYS_UPTIME]).unwrap()[0].value else {
        panic!()
    };
    assert!(t1 > t0, "sysUpTime did not move: {t0} -> {t1}");
    let st = stats_when(&sim, |s| s.answered == s.received);
    assert!(st.received >= 12 && st.answered == st.received, "{st:?}");
}

#[test]
fn v1_semantics() {
    let sim = Simulator::start(SimConfig::new(2)).unwrap();
    let rt = Runtime::new().unwrap();
    let s = Session::builder(&sim.addr_of(1).to_string())
        .version(Version::V1)
        .timeout(Duration::from_millis(500))
        .open(&rt)
        .unwrap();
    assert_eq!(
        s.get(&[SYS_NAME]).unwrap()[0].value.as_str(),
        Some("dev-000001")
    );
    match s.get(&[SYS_NAME, "1.3.6.1.2.1.1.1.5"]) {
        Err(Error::Agent { status, index, .. }) => {
            assert_eq!((status, index), (ErrorStatus::NoSuchName, 2))
        }
        other => panic!("{other:?}"),
    }
    match s.set(&[VarBind::new(oid(SYS_DESCR), Value::from("x"))]) {
        Err(Error::Agent { status, .. }) => assert_eq!(status, ErrorStatus::NoSuchName),
        other => panic!("{other:?}"),
    }
    match s.set(&[VarBind::new(oid(SYS_CONTACT), Value::Integer(1))]) {
        Err(Error::Agent { status, .. }) => assert_eq!(status, ErrorStatus::BadValue),
        other => panic!("{other:?}"),
    }
    // Counter64 objects are invisible to v1: the ifXTable walk skips the HC counters.
    let w = s.walk(&[IFX_TABLE]).unwrap();
    assert_eq!(w.len(), 3 * 4);
    assert!(w.iter().all(|v| !matches!(v.value, Value::Counter64(_))));
    match s.get(&["1.3.6.1.2.1.31.1.1.1.6.1"]) {
        Err(Error::Agent { status, .. }) => assert_eq!(status, ErrorStatus::NoSuchName),
        other => panic!("{other:?}"),
    }
}

/// Sends `pdu` from a plain socket and returns the reply and where it came from.
fn raw_request(
    sock: &UdpSocket,
    to: SocketAddr,
    community: &[u8],
    pdu: &Pdu,
) -> Option<(Pdu, SocketAddr)> {
    let mut buf = Vec::new();
    encode_community(&mut buf, Version::V2c, community, pdu);
    sock.send_to(&buf, to).unwrap();
    let mut rx = [0u8; 65536];
    let (n, from) = sock.recv_from(&mut rx).ok()?;
    let msg = decode_community(&rx[..n]).unwrap();
    let DecodedPdu::Pdu(p) = msg.pdu else {
        panic!()
    };
    Some((p, from))
}

/// Sends a GET for sysName.0 from a plain socket.
fn raw_get(
    sock: &UdpSocket,
    to: SocketAddr,
    community: &[u8],
    request_id: i32,
) -> Option<(Pdu, SocketAddr)> {
    let pdu = Pdu::request(PduType::GetRequest, request_id, &[oid(SYS_NAME)]);
    raw_request(sock, to, community, &pdu)
}

#[test]
fn replies_come_from_the_address_asked() {
    let sim = Simulator::start(SimConfig::new(100).base(Ipv4Addr::new(127, 1, 0, 1))).unwrap();
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let to: SocketAddr = (Ipv4Addr::new(127, 1, 0, 5), sim.port()).into();
    assert_eq!(sim.addr_of(4), to);
    let (p, from) = raw_get(&sock, to, b"public", 4242).unwrap();
    assert_eq!(from, to);
    assert_eq!(p.request_id, 4242);
    assert_eq!(p.varbinds[0].value.as_str(), Some("dev-000004"));
    // Outside the fleet's range: no device, no answer.
    sock.set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let beyond: SocketAddr = (Ipv4Addr::new(127, 1, 0, 200), sim.port()).into();
    assert!(raw_get(&sock, beyond, b"public", 1).is_none());
    assert!(stats_when(&sim, |s| s.dropped_invalid >= 1).dropped_invalid >= 1);
    assert!(sim.fd_count() <= 4, "fds: {}", sim.fd_count());
}

#[test]
fn per_port_mode() {
    let sim = Simulator::start(
        SimConfig::new(5)
            .addressing(Addressing::PerPort(IpAddr::V4(Ipv4Addr::LOCALHOST)))
            .threads(2),
    )
    .unwrap();
    let rt = Runtime::new().unwrap();
    for i in 0..5 {
        let a = sim.addr_of(i);
        assert_eq!(a.ip(), IpAddr::V4(Ipv4Addr::LOCALHOST));
        let name = session(&rt, a).get(&[SYS_NAME]).unwrap();
        assert_eq!(name[0].value.as_str(), Some(format!("dev-{i:06}").as_str()));
    }
    // IPv6 loopback, if the host has it.
    if UdpSocket::bind("[::1]:0").is_ok() {
        let sim6 = Simulator::start(
            SimConfig::new(2).addressing(Addressing::PerPort("::1".parse().unwrap())),
        )
        .unwrap();
        let s = session(&rt, sim6.addr_of(1));
        assert_eq!(
            s.get(&[SYS_NAME]).unwrap()[0].value.as_str(),
            Some("dev-000001")
        );
    }
}

#[test]
fn refuses_non_loopback_addresses() {
    for cfg in [
        SimConfig::new(1).base(Ipv4Addr::new(10, 0, 0, 1)),
        SimConfig::new(1).addressing(Addressing::PerPort("192.0.2.1".parse().unwrap())),
        SimConfig::new(10).base(Ipv4Addr::new(127, 255, 255, 250)),
        SimConfig::new(1).loss(1.5),
    ] {
        assert!(matches!(Simulator::start(cfg), Err(SimError::Config(_))));
    }
}

#[test]
fn two_thousand_devices_concurrently() {
    let n = 2000;
    let sim = Simulator::start(SimConfig::new(n).threads(2)).unwrap();
    let rt = Runtime::new().unwrap();
    let ok = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    for i in 0..n {
        let s = session(&rt, sim.addr_of(i));
        let (ok, done) = (ok.clone(), done.clone());
        let want = format!("dev-{i:06}");
        let op = snmpx::session::Operation::Get(vec![oid(SYS_NAME), oid(SYS_DESCR)]);
        s.submit(op, move |r| {
            if let Ok(resp) = r {
                if resp.varbinds[0].value.as_str() == Some(want.as_str()) {
                    ok.fetch_add(1, Ordering::Relaxed);
                }
            }
            done.fetch_add(1, Ordering::Relaxed);
        })
        .unwrap();
    }
    let t0 = Instant::now();
    while done.load(Ordering::Relaxed) < n && t0.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(ok.load(Ordering::Relaxed), n);
}

#[test]
fn latency_does_not_serialize_replies() {
    let sim = Simulator::start(SimConfig::new(100).latency(Duration::from_millis(50))).unwrap();
    let rt = Runtime::new().unwrap();
    let done = Arc::new(AtomicUsize::new(0));
    let ok = Arc::new(AtomicUsize::new(0));
    let t0 = Instant::now();
    for i in 0..1000 {
        let s = session(&rt, sim.addr_of(i % 100));
        let (ok, done) = (ok.clone(), done.clone());
        s.submit(
            snmpx::session::Operation::Get(vec![oid(SYS_NAME)]),
            move |r| {
                if r.is_ok() {
                    ok.fetch_add(1, Ordering::Relaxed);
                }
                done.fetch_add(1, Ordering::Relaxed);
            },
        )
        .unwrap();
    }
    while done.load(Ordering::Relaxed) < 1000 && t0.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(2));
    }
    let took = t0.elapsed();
    assert_eq!(ok.load(Ordering::Relaxed), 1000);
    assert!(
        took >= Duration::from_millis(50),
        "replies came too early: {took:?}"
    );
    assert!(
        took < Duration::from_secs(5),
        "1,000 replies with 50 ms latency took {took:?}"
    );
}

#[test]
fn loss_is_recovered_by_retransmission() {
    let sim = Simulator::start(SimConfig::new(20).loss(0.3).seed(7)).unwrap();
    let rt = Runtime::new().unwrap();
    for i in 0..100 {
        let s = Session::builder(&sim.addr_of(i % 20).to_string())
            .timeout(Duration::from_millis(50))
            .retries(20)
            .open(&rt)
            .unwrap();
        s.get(&[SYS_NAME]).unwrap();
    }
    assert!(rt.stats().retransmissions > 0);
    let st = stats_when(&sim, |s| s.answered >= 100);
    assert!(
        st.dropped_loss > 0 && st.dropped_loss == st.dropped,
        "{st:?}"
    );
}

#[test]
fn wrong_community_times_out() {
    let sim = Simulator::start(SimConfig::new(2).community("secret")).unwrap();
    let rt = Runtime::new().unwrap();
    let s = Session::builder(&sim.addr_of(0).to_string())
        .community("public")
        .timeout(Duration::from_millis(100))
        .retries(1)
        .open(&rt)
        .unwrap();
    assert!(matches!(s.get(&[SYS_NAME]), Err(Error::Timeout { .. })));
    assert_eq!(stats_when(&sim, |s| s.dropped_auth >= 2).dropped_auth, 2);
    let good = Session::builder(&sim.addr_of(0).to_string())
        .community("secret")
        .open(&rt)
        .unwrap();
    assert!(good.get(&[SYS_NAME]).is_ok());
}

#[test]
fn misbehaviours() {
    let rt = Runtime::new().unwrap();
    let quick = |sim: &Simulator| {
        Session::builder(&sim.addr_of(0).to_string())
            .timeout(Duration::from_millis(100))
            .retries(1)
            .open(&rt)
            .unwrap()
    };
    let start = |m| Simulator::start(SimConfig::new(2).misbehave(m, 1.0)).unwrap();

    let sim = start(Misbehaviour::NonIncreasing);
    assert!(matches!(
        quick(&sim).walk(&[IF_TABLE]),
        Err(Error::NotIncreasing { .. })
    ));
    assert!(quick(&sim).get(&[SYS_NAME]).is_ok(), "GET is not affected");

    for m in [
        Misbehaviour::WrongRequestId,
        Misbehaviour::Truncate,
        Misbehaviour::Garble,
        Misbehaviour::WrongPort,
        Misbehaviour::WrongAddress,
    ] {
        let sim = start(m);
        let r = quick(&sim).get(&[SYS_NAME]);
        assert!(matches!(r, Err(Error::Timeout { .. })), "{m:?}: {r:?}");
        assert!(
            stats_when(&sim, |s| s.misbehaved >= 2).misbehaved >= 2,
            "{m:?}"
        );
    }
    // A multi-homed-agent opt-out accepts the reply from the other address.
    let sim = start(Misbehaviour::WrongAddress);
    let lax = Session::builder(&sim.addr_of(0).to_string())
        .check_source(false)
        .timeout(Duration::from_millis(200))
        .open(&rt)
        .unwrap();
    assert!(lax.get(&[SYS_NAME]).is_ok());

    let sim = start(Misbehaviour::BulkTooBig {
        max_varbinds: 5,
        max_bytes: 65_000,
    });
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let bulk = |reps| Pdu::get_bulk(9, 0, reps, &[oid(IF_TABLE)]);
    let (p, _) = raw_request(&sock, sim.addr_of(0), b"public", &bulk(10)).unwrap();
    assert_eq!((p.status(), p.varbinds.len()), (ErrorStatus::TooBig, 0));
    let (p, _) = raw_request(&sock, sim.addr_of(0), b"public", &bulk(5)).unwrap();
    assert_eq!((p.status(), p.varbinds.len()), (ErrorStatus::NoError, 5));
    // Our client recovers from tooBig by asking for fewer repetitions.
    assert!(quick(&sim).get_bulk(0, 10, &[IF_TABLE]).unwrap().len() <= 5);
    assert_eq!(quick(&sim).get_bulk(0, 5, &[IF_TABLE]).unwrap().len(), 5);
}

#[test]
fn duplicates_and_bounded_lifetime() {
    let sim = Simulator::start(
        SimConfig::new(1)
            .duplicate(1.0)
            .duration(Duration::from_millis(400)),
    )
    .unwrap();
    let rt = Runtime::new().unwrap();
    let s = session(&rt, sim.addr_of(0));
    for _ in 0..5 {
        s.get(&[SYS_NAME]).unwrap();
    }
    let st = stats_when(&sim, |s| s.replies_sent == 10);
    assert_eq!((st.answered, st.duplicates, st.replies_sent), (5, 5, 10));
    let t0 = Instant::now();
    sim.wait();
    assert!(!sim.is_running());
    assert!(t0.elapsed() < Duration::from_secs(5));
}

#[test]
fn big_table_bulk_walk() {
    let sim = Simulator::start(SimConfig::new(1).big_table(10_000)).unwrap();
    let rt = Runtime::new().unwrap();
    let s = Session::builder(&sim.addr_of(0).to_string())
        .max_repetitions(100)
        .open(&rt)
        .unwrap();
    let rows = s.bulk_walk(&["1.3.6.1.4.1.99999"]).unwrap();
    assert_eq!(rows.len(), 40_000);
    assert_eq!(rows[1].oid, oid("1.3.6.1.4.1.99999.1.1.1.2"));
    assert_eq!(rows[10_000].value.as_str(), Some("row-1"));
}

#[test]
fn message_size_limit_cuts_bulk_and_refuses_big_gets() {
    let sim = Simulator::start(SimConfig::new(1).big_table(1000).max_message_size(484)).unwrap();
    let rt = Runtime::new().unwrap();
    let s = session(&rt, sim.addr_of(0));
    let r = s.get_bulk(0, 200, &["1.3.6.1.4.1.99999"]).unwrap();
    assert!(!r.is_empty() && r.len() < 200, "{} varbinds", r.len());
    let many: Vec<String> = (1..=60)
        .map(|i| format!("1.3.6.1.4.1.99999.1.1.2.{i}"))
        .collect();
    match s.get(&many) {
        Err(Error::Agent { status, .. }) => assert_eq!(status, ErrorStatus::TooBig),
        // The engine may split a tooBig Get and succeed; either way it is not silent.
        Ok(vbs) => assert_eq!(vbs.len(), 60),
        other => panic!("{other:?}"),
    }
}

/// The walk-file differential: walk a synthetic device, write the rows as `snmpwalk -On`
/// text, serve that text, walk again: the rows must be identical.
#[test]
fn recorded_walk_replays_exactly() {
    let sim = Simulator::start(SimConfig::new(1).interfaces(3)).unwrap();
    let rt = Runtime::new().unwrap();
    let first = session(&rt, sim.addr_of(0)).walk(&["1.3.6.1"]).unwrap();
    assert_eq!(first.len(), 8 + 3 * 16);
    let mut text: String = first
        .iter()
        .map(|v| walkfile::format_line(v) + "\n")
        .collect();
    // Hand-written records in every tricky form.
    text.push_str(concat!(
        ".1.3.6.1.4.1.1.1.0 = STRING: \"multi\nline \\\"quoted\\\" \\\\ text\"\n",
        ".1.3.6.1.4.1.1.2.0 = Hex-STRING: 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F \n10 11 \n",
        ".1.3.6.1.4.1.1.3.0 = \"\"\n",
        ".1.3.6.1.4.1.1.4.0 = IpAddress: 10.1.2.3\n",
        ".1.3.6.1.4.1.1.5.0 = Counter64: 18446744073709551615\n",
        ".1.3.6.1.4.1.1.6.0 = INTEGER: down(2)\n",
        ".1.3.6.1.4.1.1.7.0 = Timeticks: (8640000) 1 day, 0:00:00.00\n",
        ".1.3.6.1.4.1.1.8.0 = Gauge32: 7\n",
        ".1.3.6.1.4.1.1.9.0 = OID: .1.3.6.1.4.1.8072\n",
        ".1.3.6.1.4.1.1.9.0 = No more variables left in this MIB View (It is past the end of the MIB tree)\n",
    ));
    let dir = std::env::temp_dir().join(format!("snmpx-sim-walk-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("device.walk");
    std::fs::write(&path, &text).unwrap();
    let rec = Simulator::start(SimConfig::new(3).walk_file(&path)).unwrap();
    assert!(rec.walk_skipped().is_empty(), "{:?}", rec.walk_skipped());
    let second = session(&rt, rec.addr_of(2))
        .bulk_walk(&["1.3.6.1"])
        .unwrap();
    assert_eq!(&second[..first.len()], &first[..]);
    let extra = &second[first.len()..];
    let want = [
        Value::from("multi\nline \"quoted\" \\ text"),
        Value::OctetString((0u8..18).collect()),
        Value::from(""),
        Value::IpAddress([10, 1, 2, 3]),
        Value::Counter64(u64::MAX),
        Value::Integer(2),
        Value::TimeTicks(8_640_000),
        Value::Gauge32(7),
        Value::ObjectId(oid("1.3.6.1.4.1.8072")),
    ];
    assert_eq!(
        extra.iter().map(|v| v.value.clone()).collect::<Vec<_>>(),
        want
    );
    // The text the simulator serves prints back as the file's own lines.
    let reprinted: String = second
        .iter()
        .map(|v| walkfile::format_line(v) + "\n")
        .collect();
    assert!(text.starts_with(&reprinted[..reprinted.len() / 2]));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Net-SNMP differential: record a real snmpd with `snmpwalk -On`, serve the recording, walk
/// the simulator with `snmpwalk -On` again: the two outputs are identical.
#[test]
fn netsnmp_walk_of_recording_matches_the_recording() {
    let agent = common::snmpd::Snmpd::start();
    let out = agent
        .cli("snmpwalk")
        .args([
            "-v2c",
            "-c",
            common::snmpd::COMMUNITY_STABLE,
            "-On",
            &agent.target(),
            ".1",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recorded = String::from_utf8(out.stdout).unwrap();
    assert!(recorded.lines().count() > 100);
    let sim = Simulator::start(SimConfig::new(2).walk_text(recorded.clone())).unwrap();
    assert!(sim.walk_skipped().is_empty(), "{:?}", sim.walk_skipped());
    let target = sim.addr_of(1).to_string();
    let again = agent
        .cli("snmpwalk")
        .args(["-v2c", "-c", "public", "-On", &target, ".1"])
        .output()
        .unwrap();
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let replayed = String::from_utf8(again.stdout).unwrap();
    let diff: Vec<(&str, &str)> = recorded
        .lines()
        .zip(replayed.lines())
        .filter(|(a, b)| a != b)
        .take(5)
        .collect();
    assert!(diff.is_empty(), "first differences: {diff:#?}");
    assert_eq!(recorded.lines().count(), replayed.lines().count());
    // Our formatter prints what snmpwalk prints.
    let rt = Runtime::new().unwrap();
    let ours: String = session(&rt, sim.addr_of(0))
        .bulk_walk(&["1.3.6.1"])
        .unwrap()
        .iter()
        .map(|v| walkfile::format_line(v) + "\n")
        .collect();
    let theirs: String = replayed
        .lines()
        .filter(|l| !l.contains("No more variables"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(ours, theirs);
}

#[test]
fn demo_command_runs() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_snmpx"))
        .args(["demo", "--devices", "500"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "demo failed: {stderr}");
    assert!(stderr.contains("500 devices"), "{stderr}");
    assert!(stderr.contains("7500 requests"), "{stderr}");
}

#[test]
fn poll_command_writes_records_and_reports_failures() {
    let sim = Simulator::start(SimConfig::new(3)).unwrap();
    let dir = std::env::temp_dir().join(format!("snmpx-sim-poll-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let targets = dir.join("targets.csv");
    let dead: SocketAddr = (Ipv4Addr::new(127, 1, 0, 250), sim.port()).into();
    std::fs::write(
        &targets,
        format!(
            "host,version,community,oids\n{},2c,public\n{},1,public,{SYS_NAME}\n",
            sim.addr_of(0),
            sim.addr_of(2)
        ),
    )
    .unwrap();
    let run = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_snmpx"))
            .arg("poll")
            .arg("--targets")
            .arg(&targets)
            .args(["--timeout", "0.2", "--retries", "1"])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = run(&[
        "--oids",
        &format!("{SYS_NAME},{SYS_DESCR}"),
        "--walk",
        IF_TABLE,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // Device 0: 2 GETs + 44 ifTable rows; device 2 (its own OID list): 1 + 44.
    assert_eq!(lines.len(), 2 + 44 + 1 + 44, "{text}");
    assert!(text.contains(&format!(
        "{{\"host\":\"{}\",\"oid\":\"{SYS_NAME}\",\"type\":\"STRING\",\"value\":\"dev-000002\"}}",
        sim.addr_of(2)
    )));
    // A dead target: an error record, exit status 1, a summary on stderr.
    let mut t = std::fs::read_to_string(&targets).unwrap();
    t.push_str(&format!("{dead},2c,public\n"));
    std::fs::write(&targets, t).unwrap();
    let out = run(&["--format", "csv", "--sequential"]);
    assert_eq!(out.status.code(), Some(1));
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.starts_with("host,oid,type,value,error\n"), "{csv}");
    assert!(csv.contains(&format!("{dead},,,,timeout")), "{csv}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("3 devices (2 ok, 1 failed)"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
