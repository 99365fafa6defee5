//! Fault injection with the in-process simulator under load: loss and duplication, an SNMPv3
//! agent restarting (new boots, new engine time) in the middle of a poll, an agent going
//! silent and coming back, closed ports (ICMP port unreachable) among live devices.
//!
//! Every request is accounted for: it succeeds with the value the simulator's model gives
//! for that device, or fails with the error the fault explains (a timeout after its retries,
//! or `Unreachable` for a closed port). Never a wrong value, never a lost completion. Every
//! loop is bounded in count and time; nothing asserts durations.

use snmpx::session::{Completion, CompletionQueue, Operation};
use snmpx::sim::{SimConfig, Simulator, UsmSecurity};
use snmpx::usm::{AuthProtocol, Credentials, PrivProtocol};
use snmpx::{Error, ErrorStatus, Oid, Runtime, Session, Value, VarBind, Version};
use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SYS_DESCR: &str = "1.3.6.1.2.1.1.1.0";
const SYS_NAME: &str = "1.3.6.1.2.1.1.5.0";
const IF_ENTRY: &str = "1.3.6.1.2.1.2.2.1";
/// Interfaces per simulated device (the synthetic model's default).
const IFACES: u32 = 4;
/// Bound on the wait for any batch of completions.
const BATCH_DEADLINE: Duration = Duration::from_secs(120);

fn oid(s: &str) -> Oid {
    s.parse().unwrap()
}

fn sys_name(device: usize) -> Value {
    Value::from(format!("dev-{device:06}").as_str())
}

/// The static columns 1-5 of ifTable (ifIndex, ifDescr, ifType, ifMtu, ifSpeed) as the
/// synthetic model defines them, in walk order.
fn if_static_columns() -> Vec<VarBind> {
    let mut rows = Vec::new();
    for col in 1..=5u32 {
        for i in 1..=IFACES {
            let v = match col {
                1 => Value::Integer(i as i32),
                2 => Value::from(format!("GigabitEthernet0/{i}").as_str()),
                3 => Value::Integer(6),
                4 => Value::Integer(1500),
                _ => Value::Gauge32(snmpx::sim::synthetic::IF_SPEED),
            };
            rows.push(VarBind::new(oid(&format!("{IF_ENTRY}.{col}.{i}")), v));
        }
    }
    rows
}

fn column_roots() -> Vec<Oid> {
    (1..=5).map(|c| oid(&format!("{IF_ENTRY}.{c}"))).collect()
}

/// Waits for exactly `n` completions (bounded by [`BATCH_DEADLINE`]).
fn collect(q: &CompletionQueue, n: usize) -> Vec<Completion> {
    let mut out = Vec::with_capacity(n);
    let deadline = Instant::now() + BATCH_DEADLINE;
    while out.len() < n && Instant::now() < deadline {
        q.wait(n - out.len(), Duration::from_millis(200), &mut out);
    }
    assert_eq!(out.len(), n, "every request completes");
    out
}

/// A loopback port with nothing bound to it on any address.
fn closed_port() -> u16 {
    let s = UdpSocket::bind("0.0.0.0:0").unwrap();
    s.local_addr().unwrap().port()
}

/// What each kind of request in the loss/duplication sweep should return.
#[derive(Clone, Copy, Debug)]
enum Kind {
    GetName,
    GetPair,
    Walk,
    BulkWalk,
}

const KINDS: [Kind; 4] = [Kind::GetName, Kind::GetPair, Kind::Walk, Kind::BulkWalk];

fn operation(k: Kind) -> Operation {
    match k {
        Kind::GetName => Operation::Get(vec![oid(SYS_NAME)]),
        Kind::GetPair => Operation::Get(vec![oid(SYS_DESCR), oid(SYS_NAME)]),
        Kind::Walk => Operation::Walk {
            roots: column_roots(),
            bulk: false,
            stream: false,
        },
        Kind::BulkWalk => Operation::Walk {
            roots: vec![oid(IF_ENTRY)],
            bulk: true,
            stream: false,
        },
    }
}

/// The varbinds a correct answer holds (for the bulk walk: the static columns are checked
/// and the counters only by name, since they move).
fn check_answer(k: Kind, device: usize, vbs: &[VarBind]) {
    match k {
        Kind::GetName => assert_eq!(vbs, [VarBind::new(oid(SYS_NAME), sys_name(device))]),
        Kind::GetPair => assert_eq!(
            vbs,
            [
                VarBind::new(
                    oid(SYS_DESCR),
                    Value::from(snmpx::sim::synthetic::SYS_DESCR)
                ),
                VarBind::new(oid(SYS_NAME), sys_name(device)),
            ]
        ),
        Kind::Walk => assert_eq!(vbs, if_static_columns().as_slice()),
        Kind::BulkWalk => {
            // ifEntry has 11 columns per interface in the model (1-10 and 16; 10 and 16
            // are counters).
            assert_eq!(vbs.len(), 11 * IFACES as usize, "device {device}: {vbs:?}");
            assert_eq!(&vbs[..5 * IFACES as usize], if_static_columns().as_slice());
            let mut prev: Option<&Oid> = None;
            for vb in vbs {
                assert!(vb.oid.starts_with(&oid(IF_ENTRY)));
                if let Some(p) = prev {
                    assert!(p < &vb.oid, "increasing");
                }
                prev = Some(&vb.oid);
            }
        }
    }
}

/// (a) 10% loss and 10% duplication, 500 devices, two Gets and two walks each: every request
/// ends with the model's value or a timeout after all its retries.
#[test]
fn loss_and_duplication_never_yield_a_wrong_value() {
    const DEVICES: usize = 500;
    let sim = Simulator::start(
        SimConfig::new(DEVICES)
            .loss(0.10)
            .duplicate(0.10)
            .seed(0xfa17),
    )
    .unwrap();
    let rt = Runtime::builder().shards(2).build().unwrap();
    let retries = 3;
    let sessions: Vec<Session> = (0..DEVICES)
        .map(|i| {
            Session::builder(&sim.addr_of(i).to_string())
                .timeout(Duration::from_millis(300))
                .retries(retries)
                .max_repetitions(8)
                .open(&rt)
                .unwrap()
        })
        .collect();
    let q = CompletionQueue::new().unwrap();
    let mut submitted = 0;
    for (i, s) in sessions.iter().enumerate() {
        for (k, kind) in KINDS.iter().enumerate() {
            s.submit_to_queue(operation(*kind), &q, (i * KINDS.len() + k) as u64)
                .unwrap();
            submitted += 1;
        }
    }
    let done = collect(&q, submitted);
    let (mut ok, mut timeouts) = (0, 0);
    let mut seen = vec![false; submitted];
    for c in &done {
        let (device, kind) = (
            c.tag as usize / KINDS.len(),
            KINDS[c.tag as usize % KINDS.len()],
        );
        assert!(!seen[c.tag as usize], "completed twice: {}", c.tag);
        seen[c.tag as usize] = true;
        match &c.result {
            Ok(r) => {
                assert_eq!(r.status, ErrorStatus::NoError);
                assert_eq!(r.peer, sim.addr_of(device));
                check_answer(kind, device, &r.varbinds);
                ok += 1;
            }
            Err(Error::Timeout { peer, attempts }) => {
                assert_eq!(*peer, sim.addr_of(device));
                assert_eq!(*attempts, retries + 1, "timed out only after every retry");
                timeouts += 1;
            }
            Err(e) => panic!("device {device} {kind:?}: unexpected {e}"),
        }
    }
    assert_eq!(ok + timeouts, submitted);
    let st = rt.stats();
    assert_eq!(st.submitted, submitted as u64);
    assert_eq!(st.completed, submitted as u64);
    // The faults happened: retransmissions recovered losses, duplicates were dropped.
    let ss = sim.stats();
    assert!(ss.dropped_loss > 0 && ss.duplicates > 0, "{ss:?}");
    assert!(st.retransmissions > 0 && st.dropped_unmatched > 0, "{st:?}");
    assert_eq!(st.dropped_wrong_source + st.dropped_invalid, 0, "{st:?}");
    eprintln!(
        "loss/dup sweep: {submitted} requests, {ok} ok, {timeouts} timeouts; \
         {} sent, {} retransmissions, {} duplicates dropped",
        st.requests_sent, st.retransmissions, st.dropped_unmatched
    );
}

fn v3_creds() -> Credentials {
    Credentials::from_passwords(
        AuthProtocol::Sha1,
        b"fault auth pass",
        Some((PrivProtocol::Aes128, b"fault priv pass")),
    )
    .unwrap()
}

/// A v3 simulator of `devices` on `port` whose engines have booted `boots` times (engine
/// time starts at 0: a restarted agent). Replies take 100 ms, so a poll is in flight for a
/// while.
fn v3_sim(devices: usize, port: u16, boots: u32) -> Simulator {
    let usm = UsmSecurity::new(vec![(b"poller".to_vec(), v3_creds())]).unwrap();
    usm.set_boots(boots);
    Simulator::start(
        SimConfig::new(devices)
            .port(port)
            .latency(Duration::from_millis(100))
            .security(Arc::new(usm)),
    )
    .unwrap()
}

fn v3_sessions(rt: &Runtime, sim: &Simulator) -> Vec<Session> {
    (0..sim.devices())
        .map(|i| {
            Session::builder(&sim.addr_of(i).to_string())
                .version(Version::V3)
                .user("poller")
                .auth("SHA", "fault auth pass")
                .privacy("AES", "fault priv pass")
                .timeout(Duration::from_millis(400))
                .retries(2)
                .open(rt)
                .unwrap()
        })
        .collect()
}

/// One round of `Get sysName` to every session; returns the completions by device.
fn poll_round(sessions: &[Session], q: &CompletionQueue) -> Vec<Completion> {
    for (i, s) in sessions.iter().enumerate() {
        s.submit_to_queue(Operation::Get(vec![oid(SYS_NAME)]), q, i as u64)
            .unwrap();
    }
    let mut done = collect(q, sessions.len());
    done.sort_by_key(|c| c.tag);
    done
}

fn assert_all_ok(round: &[Completion], what: &str) {
    for c in round {
        match &c.result {
            Ok(r) => assert_eq!(r.varbinds[0].value, sys_name(c.tag as usize), "{what}"),
            Err(e) => panic!("{what}: device {}: {e}", c.tag),
        }
    }
}

/// (b) The agent restarts (boots 1 -> 2, engine time back to 0) while a v3 poll is in
/// flight: only requests of that round may fail, and only with what a restart explains;
/// the next rounds succeed on the same sessions after one resync per agent.
#[test]
fn v3_agent_restart_in_the_middle_of_a_poll_recovers() {
    const DEVICES: usize = 200;
    let port = closed_port();
    let rt = Runtime::builder().shards(2).build().unwrap();
    let sim = v3_sim(DEVICES, port, 1);
    let sessions = v3_sessions(&rt, &sim);
    let q = CompletionQueue::new().unwrap();
    assert_all_ok(&poll_round(&sessions, &q), "before the restart");
    // Submit a round and restart the agent under it, once it holds every request (its
    // replies wait out the latency and die with it).
    let before = sim.stats();
    for (i, s) in sessions.iter().enumerate() {
        s.submit_to_queue(Operation::Get(vec![oid(SYS_NAME)]), &q, i as u64)
            .unwrap();
    }
    let t0 = Instant::now();
    while sim.stats().received < before.received + DEVICES as u64
        && t0.elapsed() < Duration::from_secs(10)
    {
        std::thread::sleep(Duration::from_millis(1));
    }
    let answered_by_old = sim.stats().replies_sent - before.replies_sent;
    drop(sim);
    let sim = v3_sim(DEVICES, port, 2);
    let during = collect(&q, DEVICES);
    let mut failed = 0;
    for c in &during {
        match &c.result {
            Ok(r) => assert_eq!(r.varbinds[0].value, sys_name(c.tag as usize)),
            // Sent while nothing listened (ICMP), or answered by neither agent.
            Err(Error::Unreachable { .. } | Error::Timeout { .. }) => failed += 1,
            Err(e) => panic!("device {}: {e} is not explained by a restart", c.tag),
        }
    }
    for round in 0..3 {
        assert_all_ok(
            &poll_round(&sessions, &q),
            &format!("round {round} after the restart"),
        );
    }
    let st = rt.stats();
    assert_eq!(st.submitted, st.completed);
    assert!(st.v3_resyncs >= 1, "the new boots were learnt: {st:?}");
    assert!(st.v3_resyncs <= DEVICES as u64 * 2, "{st:?}");
    assert_eq!(st.dropped_auth_failed, 0, "{st:?}");
    drop(sim);
    eprintln!(
        "v3 restart: {} of {DEVICES} requests in flight at the restart, {failed} failed; \
         {} resyncs",
        DEVICES as u64 - answered_by_old,
        st.v3_resyncs
    );
}

/// Binds the simulator's port on every loopback address and never answers.
struct BlackHole(#[allow(dead_code)] UdpSocket);

impl BlackHole {
    fn at(port: u16) -> BlackHole {
        BlackHole(UdpSocket::bind((Ipv4Addr::UNSPECIFIED, port)).unwrap())
    }
}

/// (c) The agent goes silent (the port is held but nothing answers: timeouts), then is
/// stopped (nothing listens: fast `Unreachable`), then comes back: the same sessions work.
#[test]
fn agent_silent_then_stopped_then_back() {
    const DEVICES: usize = 100;
    let port = closed_port();
    let start = || Simulator::start(SimConfig::new(DEVICES).port(port)).unwrap();
    let rt = Runtime::new().unwrap();
    let sim = start();
    let sessions: Vec<Session> = (0..DEVICES)
        .map(|i| {
            Session::builder(&sim.addr_of(i).to_string())
                .timeout(Duration::from_millis(150))
                .retries(1)
                .open(&rt)
                .unwrap()
        })
        .collect();
    let q = CompletionQueue::new().unwrap();
    assert_all_ok(&poll_round(&sessions, &q), "before");
    drop(sim);

    let hole = BlackHole::at(port);
    for c in poll_round(&sessions, &q) {
        assert_eq!(
            c.result.unwrap_err(),
            Error::Timeout {
                peer: sessions[c.tag as usize].peer(),
                attempts: 2
            }
        );
    }
    drop(hole);
    for c in poll_round(&sessions, &q) {
        assert_eq!(
            c.result.unwrap_err(),
            Error::Unreachable {
                peer: sessions[c.tag as usize].peer()
            }
        );
    }
    let sim = start();
    for round in 0..2 {
        assert_all_ok(&poll_round(&sessions, &q), &format!("back, round {round}"));
    }
    let st = rt.stats();
    assert_eq!(st.submitted, st.completed);
    assert_eq!(st.timeouts, DEVICES as u64, "{st:?}");
    assert_eq!(st.failed_unreachable, DEVICES as u64, "{st:?}");
    drop(sim);
}

/// (d) Closed ports among live devices under load: each request to a closed port fails with
/// `Unreachable` (or, should the kernel rate-limit its ICMP errors, a timeout), and none of
/// the live devices' requests is disturbed, though the reports arrive on the same sockets
/// between their datagrams (and a pending report fails the next send once, which must be
/// retried).
#[test]
fn closed_ports_among_live_devices_under_load() {
    const LIVE: usize = 500;
    const DEAD: usize = 100;
    const ROUNDS: usize = 4;
    let sim = Simulator::start(SimConfig::new(LIVE)).unwrap();
    let dead_port = closed_port();
    let rt = Runtime::builder().shards(2).build().unwrap();
    let open = |a: SocketAddr| {
        Session::builder(&a.to_string())
            .timeout(Duration::from_secs(2))
            .retries(1)
            .open(&rt)
            .unwrap()
    };
    let live: Vec<Session> = (0..LIVE).map(|i| open(sim.addr_of(i))).collect();
    let dead: Vec<Session> = (0..DEAD)
        .map(|i| open(SocketAddr::from(([127, 3, 0, 1 + i as u8], dead_port))))
        .collect();
    let q = CompletionQueue::new().unwrap();
    let mut submitted = 0;
    for _ in 0..ROUNDS {
        // Interleaved, so reports for dead targets land between live requests.
        for (i, s) in live.iter().enumerate() {
            s.submit_to_queue(Operation::Get(vec![oid(SYS_NAME)]), &q, i as u64)
                .unwrap();
            if i % (LIVE / DEAD) == 0 {
                let d = i / (LIVE / DEAD);
                dead[d]
                    .submit_to_queue(Operation::Get(vec![oid(SYS_NAME)]), &q, (LIVE + d) as u64)
                    .unwrap();
                submitted += 1;
            }
            submitted += 1;
        }
    }
    let done = collect(&q, submitted);
    let (mut unreachable, mut timeouts) = (0, 0);
    for c in &done {
        let t = c.tag as usize;
        if t < LIVE {
            match &c.result {
                Ok(r) => assert_eq!(r.varbinds[0].value, sys_name(t)),
                Err(e) => panic!("live device {t}: {e}"),
            }
        } else {
            let peer = dead[t - LIVE].peer();
            match &c.result {
                Err(Error::Unreachable { peer: p }) if *p == peer => unreachable += 1,
                Err(Error::Timeout { peer: p, .. }) if *p == peer => timeouts += 1,
                other => panic!("closed port {peer}: {other:?}"),
            }
        }
    }
    assert_eq!(unreachable + timeouts, DEAD * ROUNDS);
    assert!(unreachable > 0, "no ICMP report was used");
    let st = rt.stats();
    assert_eq!(st.submitted, submitted as u64);
    assert_eq!(st.completed, submitted as u64);
    assert_eq!(st.failed_unreachable, unreachable as u64);
    eprintln!(
        "closed ports under load: {} live ok, {unreachable} unreachable, {timeouts} timeouts, \
         {} ICMP reports",
        LIVE * ROUNDS,
        st.icmp_unreachable
    );
}
