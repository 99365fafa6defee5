//! ICMP port unreachable through the real stack: the shard's sockets read the kernel's report
//! (`IP_RECVERR`) and the request fails with `Error::Unreachable` long before its timeout;
//! other targets are not affected; sessions that opt out (and the Net-SNMP-compatible tools)
//! wait for the timeout as Net-SNMP does.

use snmpx::sim::{SimConfig, Simulator, UsmSecurity};
use snmpx::usm::{AuthProtocol, Credentials, PrivProtocol};
use snmpx::{Error, Runtime, Session, Value, Version};
use std::net::{SocketAddr, UdpSocket};
use std::process::Command;
use std::time::{Duration, Instant};

const SYS_NAME: &str = "1.3.6.1.2.1.1.5.0";
const IF_TABLE: &str = "1.3.6.1.2.1.2.2";
/// Long enough that a run that waited for it could not pass as fast.
const LONG: Duration = Duration::from_secs(10);

/// A loopback port with nothing bound to it.
fn closed(ip: &str) -> Option<SocketAddr> {
    let s = UdpSocket::bind((ip, 0)).ok()?;
    let a = s.local_addr().ok()?;
    drop(s);
    Some(a)
}

fn builder(target: SocketAddr) -> snmpx::SessionBuilder {
    Session::builder(&target.to_string())
        .timeout(LONG)
        .retries(2)
}

/// Runs `f` and checks it failed with `Unreachable` naming `target`, before the first
/// timeout would have expired (timeout x retries would be 30 s).
fn expect_unreachable<T: std::fmt::Debug>(
    target: SocketAddr,
    f: impl FnOnce() -> Result<T, Error>,
) {
    let t0 = Instant::now();
    let r = f();
    assert_eq!(
        r.unwrap_err(),
        Error::Unreachable { peer: target },
        "to {target}"
    );
    assert!(t0.elapsed() < LONG, "failed only after {:?}", t0.elapsed());
}

#[test]
fn v1_and_v2c_to_a_closed_port_fail_fast_with_a_typed_error() {
    let rt = Runtime::new().unwrap();
    let target = closed("127.0.0.1").unwrap();
    for v in [Version::V1, Version::V2c] {
        let s = builder(target).version(v).open(&rt).unwrap();
        expect_unreachable(target, || s.get(&[SYS_NAME]));
        expect_unreachable(target, || s.walk(&[IF_TABLE]));
        if v == Version::V2c {
            expect_unreachable(target, || s.bulk_walk(&[IF_TABLE]));
        }
    }
    let st = rt.stats();
    assert_eq!(st.failed_unreachable, 5, "{st:?}");
    assert!(st.icmp_unreachable >= 5, "{st:?}");
    assert_eq!(st.timeouts + st.retransmissions, 0, "{st:?}");
    assert!(Error::Unreachable { peer: target }.is_unreachable());
}

#[test]
fn v3_discovery_and_v3_requests_to_a_closed_port_fail_fast() {
    let rt = Runtime::new().unwrap();
    let target = closed("127.0.0.1").unwrap();
    // Discovery (RFC 3414 §4) is the first thing sent: it meets the closed port.
    let s = builder(target)
        .version(Version::V3)
        .user("alice")
        .auth("SHA", "alice-auth-pass")
        .privacy("AES", "alice-priv-pass")
        .open(&rt)
        .unwrap();
    expect_unreachable(target, || s.get(&[SYS_NAME]));
    // With the engine known no discovery is sent: the authenticated request itself.
    let s = builder(target)
        .version(Version::V3)
        .user("alice")
        .auth("SHA", "alice-auth-pass")
        .security_engine_id([0x80, 0, 0x1f, 0x88, 4, b't', b'e', b's', b't'])
        .engine_boots_time(1, 1)
        .open(&rt)
        .unwrap();
    expect_unreachable(target, || s.get(&[SYS_NAME]));
    let st = rt.stats();
    assert_eq!(st.failed_unreachable, 2, "{st:?}");
    assert_eq!(st.v3_discoveries, 0, "{st:?}");
}

#[test]
fn ipv6_closed_port_fails_fast_too() {
    let Some(target) = closed("::1") else {
        eprintln!("no IPv6 loopback here: skipped");
        return;
    };
    let rt = Runtime::new().unwrap();
    let s = builder(target).open(&rt).unwrap();
    expect_unreachable(target, || s.get(&[SYS_NAME]));
}

#[test]
fn a_closed_port_does_not_disturb_other_targets() {
    let sim = Simulator::start(SimConfig::new(20)).unwrap();
    let rt = Runtime::new().unwrap();
    let target = closed("127.0.0.1").unwrap();
    let dead = builder(target).open(&rt).unwrap();
    let live: Vec<Session> = (0..20)
        .map(|i| builder(sim.addr_of(i)).open(&rt).unwrap())
        .collect();
    // Interleave: each round a request to the closed port, then one to every device.
    for _ in 0..5 {
        let d = std::thread::scope(|sc| {
            let h = sc.spawn(|| dead.get(&[SYS_NAME]));
            for (i, s) in live.iter().enumerate() {
                let r = s.get(&[SYS_NAME]).unwrap();
                assert_eq!(r[0].value, Value::from(format!("dev-{i:06}").as_str()));
            }
            h.join().unwrap()
        });
        assert_eq!(d.unwrap_err(), Error::Unreachable { peer: target });
    }
    let st = rt.stats();
    assert_eq!(st.failed_unreachable, 5, "{st:?}");
    assert_eq!(st.timeouts, 0, "{st:?}");
}

#[test]
fn opting_out_waits_for_the_timeout_like_net_snmp() {
    let rt = Runtime::new().unwrap();
    let target = closed("127.0.0.1").unwrap();
    let s = Session::builder(&target.to_string())
        .timeout(Duration::from_millis(200))
        .retries(1)
        .fail_on_unreachable(false)
        .open(&rt)
        .unwrap();
    assert_eq!(
        s.get(&[SYS_NAME]).unwrap_err(),
        Error::Timeout {
            peer: target,
            attempts: 2
        }
    );
    let st = rt.stats();
    assert!(st.icmp_unreachable >= 1, "the report was read: {st:?}");
    assert_eq!(st.failed_unreachable, 0, "{st:?}");
}

/// The Net-SNMP-compatible snmpget keeps retrying a closed port, as Net-SNMP does: an agent
/// that starts on that port during the retries answers.
#[test]
fn netsnmp_snmpget_still_reaches_an_agent_that_starts_during_its_retries() {
    let port = closed("0.0.0.0").unwrap().port();
    let child = Command::new(env!("CARGO_BIN_EXE_snmpx"))
        .args([
            "snmpget", "-v2c", "-c", "public", "-On", "-t", "1", "-r", "9",
        ])
        .arg(format!("127.1.0.1:{port}"))
        .arg(format!(".{SYS_NAME}"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Let the first requests meet the closed port (and their ICMP errors) before starting.
    std::thread::sleep(Duration::from_millis(300));
    let sim = Simulator::start(SimConfig::new(1).port(port)).unwrap();
    let out = child.wait_with_output().unwrap();
    drop(sim);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!(".{SYS_NAME} = STRING: \"dev-000000\"\n")
    );
    assert!(out.status.success());
}

#[test]
fn a_v3_agent_restarted_on_a_closed_port_is_reached_again() {
    let rt = Runtime::new().unwrap();
    let port = closed("0.0.0.0").unwrap().port();
    let creds = Credentials::from_passwords(
        AuthProtocol::Sha1,
        b"alice-auth-pass",
        Some((PrivProtocol::Aes128, b"alice-priv-pass")),
    )
    .unwrap();
    let start = || {
        let usm = UsmSecurity::new(vec![(b"alice".to_vec(), creds.clone())]).unwrap();
        Simulator::start(
            SimConfig::new(1)
                .port(port)
                .security(std::sync::Arc::new(usm)),
        )
        .unwrap()
    };
    let sim = start();
    let target = sim.addr_of(0);
    let s = builder(target)
        .version(Version::V3)
        .user("alice")
        .auth("SHA", "alice-auth-pass")
        .privacy("AES", "alice-priv-pass")
        .open(&rt)
        .unwrap();
    assert!(s.get(&[SYS_NAME]).is_ok());
    drop(sim);
    expect_unreachable(target, || s.get(&[SYS_NAME]));
    let _sim = start();
    let r = s.get(&[SYS_NAME]).unwrap();
    assert_eq!(r[0].value, Value::from("dev-000000"));
}
