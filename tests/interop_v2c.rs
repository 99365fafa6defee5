//! Interop: every v1/v2c operation against a real Net-SNMP snmpd started by the harness.

mod common;

use common::snmpd::{self, Snmpd};
use snmpx::{Error, ErrorStatus, Oid, Runtime, Session, Value, VarBind, Version};
use std::collections::BTreeMap;
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const SYS_DESCR: &str = "1.3.6.1.2.1.1.1.0";
const SYS_OBJECT_ID: &str = "1.3.6.1.2.1.1.2.0";
const SYS_CONTACT: &str = "1.3.6.1.2.1.1.4.0";
const SYS_NAME: &str = "1.3.6.1.2.1.1.5.0";
const SYS_LOCATION: &str = "1.3.6.1.2.1.1.6.0";

/// One agent for the whole file (tests run in parallel against it).
fn agent() -> &'static Snmpd {
    static A: OnceLock<Snmpd> = OnceLock::new();
    A.get_or_init(Snmpd::start)
}

fn runtime() -> &'static Runtime {
    static R: OnceLock<Runtime> = OnceLock::new();
    R.get_or_init(|| Runtime::new().unwrap())
}

fn session(version: Version, community: &str) -> Session {
    Session::builder(&agent().target())
        .version(version)
        .community(community)
        .timeout(Duration::from_secs(2))
        .retries(2)
        .open(runtime())
        .unwrap()
}

fn oid(s: &str) -> Oid {
    s.parse().unwrap()
}

fn text(v: &Value) -> &str {
    v.as_str().expect("a text value")
}

#[test]
fn get_on_v1_and_v2c() {
    for v in [Version::V1, Version::V2c] {
        let s = session(v, snmpd::COMMUNITY_RO);
        let r = s.get(&[SYS_DESCR, SYS_NAME]).unwrap();
        assert_eq!(text(&r[0].value), snmpd::SYS_DESCR);
        assert_eq!(text(&r[1].value), snmpd::SYS_NAME);
        assert_eq!(r[1].oid, oid(SYS_NAME));
    }
}

#[test]
fn get_next_and_get_bulk() {
    let s = session(Version::V2c, snmpd::COMMUNITY_RO);
    let r = s.get_next(&[SYS_DESCR]).unwrap();
    assert_eq!(r[0].oid, oid(SYS_OBJECT_ID));
    assert!(matches!(r[0].value, Value::ObjectId(_)));
    // 1 non-repeater + 5 repetitions of 2 OIDs = 11 bindings.
    let r = s
        .get_bulk(
            1,
            5,
            &["1.3.6.1.2.1.1.3", "1.3.6.1.2.1.1", "1.3.6.1.2.1.2.2.1.1"],
        )
        .unwrap();
    assert_eq!(r.len(), 11);
    assert_eq!(r[0].oid, oid("1.3.6.1.2.1.1.3.0"));
    assert_eq!(r[1].oid, oid(SYS_DESCR));
    assert_eq!(r[3].oid, oid(SYS_OBJECT_ID));
    let v1 = session(Version::V1, snmpd::COMMUNITY_RO);
    assert!(matches!(
        v1.get_bulk(0, 5, &[SYS_DESCR]),
        Err(Error::Usage(_))
    ));
}

#[test]
fn no_such_values_and_v1_no_such_name() {
    let s = session(Version::V2c, snmpd::COMMUNITY_RO);
    let r = s
        .get(&["1.3.6.1.2.1.1.1.5", "1.3.6.1.2.1.1.99.0", SYS_NAME])
        .unwrap();
    assert_eq!(r[0].value, Value::NoSuchInstance);
    assert_eq!(r[1].value, Value::NoSuchObject);
    assert_eq!(text(&r[2].value), snmpd::SYS_NAME);
    let v1 = session(Version::V1, snmpd::COMMUNITY_RO);
    match v1.get(&[SYS_NAME, "1.3.6.1.2.1.1.99.0"]) {
        Err(Error::Agent {
            status,
            index,
            oid: Some(o),
            ..
        }) => {
            assert_eq!(status, ErrorStatus::NoSuchName);
            assert_eq!(index, 2);
            assert_eq!(o, oid("1.3.6.1.2.1.1.99.0"));
        }
        other => panic!("expected noSuchName, got {other:?}"),
    }
    // The end of the MIB is a value in v2c.
    let r = s.get_next(&["1.3.6.1.6.3.99"]).unwrap();
    assert_eq!(r[0].value, Value::EndOfMibView);
}

#[test]
fn set_then_get_and_not_writable_names_the_failed_oid() {
    let s = session(Version::V2c, snmpd::COMMUNITY_RW);
    let who = format!("ops-{}", std::process::id());
    s.set(&[VarBind::new(oid(SYS_CONTACT), Value::from(who.as_str()))])
        .unwrap();
    assert_eq!(text(&s.get(&[SYS_CONTACT]).unwrap()[0].value), who);
    let bad = [
        VarBind::new(oid(SYS_CONTACT), Value::from("x")),
        VarBind::new(oid(SYS_LOCATION), Value::from("elsewhere")),
    ];
    match s.set(&bad) {
        Err(Error::Agent {
            status,
            index,
            oid: Some(o),
            ..
        }) => {
            assert_eq!(status, ErrorStatus::NotWritable);
            assert_eq!(index, 2);
            assert_eq!(o, oid(SYS_LOCATION));
        }
        other => panic!("expected notWritable, got {other:?}"),
    }
    // The whole Set failed atomically: sysContact is unchanged.
    assert_eq!(text(&s.get(&[SYS_CONTACT]).unwrap()[0].value), who);
    match s.set(&[VarBind::new(oid(SYS_CONTACT), Value::Integer(3))]) {
        Err(Error::Agent { status, .. }) => assert_eq!(status, ErrorStatus::WrongType),
        other => panic!("expected wrongType, got {other:?}"),
    }
    // The read-only community cannot write at all.
    let ro = session(Version::V2c, snmpd::COMMUNITY_RO);
    let r = ro.set(&[VarBind::new(oid(SYS_CONTACT), Value::from("y"))]);
    assert!(matches!(r, Err(Error::Agent { .. })), "{r:?}");
}

/// Parses `snmpwalk -On -Oe -Ot -Ox` output into OID -> normalised value text.
fn parse_netsnmp_walk(out: &str) -> Vec<(Oid, String)> {
    let mut rows: Vec<(Oid, String)> = Vec::new();
    for line in out.lines() {
        if line.starts_with('.') {
            let (o, v) = line.split_once(" = ").expect("OID = value");
            // snmpwalk repeats the last OID with this text when it reaches endOfMibView.
            if v.starts_with("No more variables left in this MIB View") {
                continue;
            }
            rows.push((oid(o), v.to_string()));
        } else if line == "End of MIB" {
            // snmpwalk's v1 end-of-walk marker (noSuchName), not a value.
            continue;
        } else if let Some(last) = rows.last_mut() {
            last.1.push(' ');
            last.1.push_str(line);
        }
    }
    for r in &mut rows {
        r.1 = r.1.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    rows
}

/// Our value rendered the way `-Oe -Ot -Ox` prints it (normalised whitespace).
fn render(v: &Value) -> String {
    match v {
        Value::Integer(i) => format!("INTEGER: {i}"),
        Value::OctetString(b) if b.is_empty() => "\"\"".into(),
        Value::OctetString(b) => {
            let hex: Vec<String> = b.iter().map(|x| format!("{x:02X}")).collect();
            format!("Hex-STRING: {}", hex.join(" "))
        }
        Value::ObjectId(o) => format!("OID: .{o}"),
        Value::TimeTicks(t) => t.to_string(),
        Value::Counter32(c) => format!("Counter32: {c}"),
        Value::Gauge32(g) => format!("Gauge32: {g}"),
        Value::Counter64(c) => format!("Counter64: {c}"),
        Value::IpAddress(a) => format!("IpAddress: {}.{}.{}.{}", a[0], a[1], a[2], a[3]),
        // RFC-draft Opaque float (9f 78 04 + IEEE 754 single), as UCD-SNMP-MIB uses it.
        Value::Opaque(b) if b.len() == 7 && b[..3] == [0x9f, 0x78, 0x04] => {
            let f = f32::from_be_bytes([b[3], b[4], b[5], b[6]]);
            format!("Opaque: Float: {f:.6}")
        }
        other => format!("{other:?}"),
    }
}

fn netsnmp_walk(version: &str) -> Vec<(Oid, String)> {
    let out = agent()
        .cli("snmpwalk")
        .args([
            "-v",
            version,
            "-c",
            snmpd::COMMUNITY_STABLE,
            "-On",
            "-Oe",
            "-Ot",
            "-Ox",
        ])
        .args([agent().target(), ".1".to_string()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    parse_netsnmp_walk(&String::from_utf8(out.stdout).unwrap())
}

/// The whole agent, object by object, against Net-SNMP's own snmpwalk. OIDs must match
/// exactly; values must match wherever Net-SNMP's two walks (before and after ours) agree.
#[test]
fn whole_agent_walk_matches_netsnmp_snmpwalk() {
    for (version, ver_arg) in [(Version::V2c, "2c"), (Version::V1, "1")] {
        let before = netsnmp_walk(ver_arg);
        let s = session(version, snmpd::COMMUNITY_STABLE);
        let ours = s.walk(&["1"]).unwrap();
        let ours_bulk = if version == Version::V2c {
            Some(s.bulk_walk(&["1"]).unwrap())
        } else {
            None
        };
        let after = netsnmp_walk(ver_arg);
        assert!(before.len() > 500, "agent walk is suspiciously small");
        // nsCacheTable (NET-SNMP-AGENT-MIB, 1.3.6.1.4.1.8072.1.5.3) reports whether each of the
        // agent's data caches is loaded, which every walk (ours included) changes: a value can
        // read the same before and after Net-SNMP's walks and differently during ours.
        let volatile: Oid = "1.3.6.1.4.1.8072.1.5.3".parse().unwrap();
        let stable: BTreeMap<&Oid, &String> = before
            .iter()
            .zip(&after)
            .filter(|(b, a)| b == a && !b.0.starts_with(&volatile))
            .map(|(b, _)| (&b.0, &b.1))
            .collect();
        let names: Vec<&Oid> = before.iter().map(|r| &r.0).collect();
        for rows in [Some(&ours), ours_bulk.as_ref()].into_iter().flatten() {
            let got: Vec<&Oid> = rows.iter().map(|v| &v.oid).collect();
            if let Some(i) = (0..got.len().max(names.len())).find(|&i| got.get(i) != names.get(i)) {
                let from = i.saturating_sub(2);
                panic!(
                    "{version}: ours {:?}\nnetsnmp {:?}\nwalks differ at row {i}: ours {:?}, Net-SNMP {:?} (ours {} rows, Net-SNMP {})",
                    &got[from..got.len().min(i + 2)],
                    &names[from..names.len().min(i + 2)],
                    got.get(i),
                    names.get(i),
                    got.len(),
                    names.len()
                );
            }
            assert_eq!(got, names, "{version}: OIDs differ");
            let mut compared = 0;
            for vb in rows.iter() {
                if let Some(expect) = stable.get(&vb.oid) {
                    assert_eq!(
                        &render(&vb.value),
                        *expect,
                        "{version}: value of {}",
                        vb.oid
                    );
                    compared += 1;
                }
            }
            assert!(
                compared * 10 > names.len() * 8,
                "too few stable values compared"
            );
        }
    }
}

#[test]
fn multi_root_bulk_walk_covers_every_root_in_order() {
    let s = session(Version::V2c, snmpd::COMMUNITY_STABLE);
    let roots = [
        "1.3.6.1.2.1.2.2.1.2",
        "1.3.6.1.2.1.1",
        "1.3.6.1.6.3.15.1.2.2.1.3",
    ];
    let all = s.bulk_walk(&roots).unwrap();
    let mut expect = Vec::new();
    for r in roots {
        let one = s.walk(&[r]).unwrap();
        assert!(!one.is_empty(), "{r} is empty");
        expect.extend(one.into_iter().map(|v| v.oid));
    }
    assert_eq!(all.into_iter().map(|v| v.oid).collect::<Vec<_>>(), expect);
    // Streaming form gives the same rows.
    let streamed: Vec<Oid> = s
        .walk_iter(&roots, true)
        .unwrap()
        .map(|r| r.unwrap().oid)
        .collect();
    assert_eq!(streamed, expect);
}

#[test]
fn walk_of_a_leaf_falls_back_to_get_like_snmpwalk() {
    let s = session(Version::V2c, snmpd::COMMUNITY_RO);
    let r = s.walk(&[SYS_NAME]).unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!(text(&r[0].value), snmpd::SYS_NAME);
    assert!(s.walk(&["1.3.6.1.2.1.1.99"]).unwrap().is_empty());
}

#[test]
fn large_get_is_split_and_keeps_order() {
    let s = session(Version::V2c, snmpd::COMMUNITY_STABLE);
    let rows = s.walk(&["1.3.6.1.2.1.1.9"]).unwrap();
    let mut oids: Vec<Oid> = rows.iter().map(|v| v.oid.clone()).collect();
    while oids.len() < 150 {
        oids.extend_from_within(..oids.len().min(150 - oids.len()));
    }
    oids.reverse();
    let small = Session::builder(&agent().target())
        .community(snmpd::COMMUNITY_STABLE)
        .max_varbinds(7)
        .open(runtime())
        .unwrap();
    let got = small.get(&oids).unwrap();
    assert_eq!(
        got.iter().map(|v| &v.oid).collect::<Vec<_>>(),
        oids.iter().collect::<Vec<_>>()
    );
    let by_oid: BTreeMap<&Oid, &Value> = rows.iter().map(|v| (&v.oid, &v.value)).collect();
    for vb in &got {
        assert_eq!(by_oid[&vb.oid], &vb.value);
    }
}

#[test]
fn timeout_against_a_silent_port_names_the_peer() {
    let silent = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let target = silent.local_addr().unwrap();
    let s = Session::builder(&target.to_string())
        .timeout(Duration::from_millis(200))
        .retries(2)
        .open(runtime())
        .unwrap();
    let t0 = Instant::now();
    let r = s.get(&[SYS_DESCR]);
    let took = t0.elapsed();
    match r {
        Err(Error::Timeout { peer, attempts }) => {
            assert_eq!(peer, target);
            assert_eq!(attempts, 3);
        }
        other => panic!("expected timeout, got {other:?}"),
    }
    assert!(
        took >= Duration::from_millis(600),
        "gave up early: {took:?}"
    );
    assert!(
        took < Duration::from_millis(600 + 700),
        "gave up late: {took:?}"
    );
    // All three transmissions reached the socket, with the same request-id.
    let mut buf = [0u8; 1500];
    silent
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let mut seen = Vec::new();
    while let Ok((n, _)) = silent.recv_from(&mut buf) {
        seen.push(buf[..n].to_vec());
    }
    assert_eq!(seen.len(), 3);
    assert!(seen.iter().all(|d| d == &seen[0]));
}

#[test]
fn unresolvable_host_is_a_typed_error() {
    match Session::builder("no-such-host.invalid").open(runtime()) {
        Err(Error::Resolve { host, .. }) => assert_eq!(host, "no-such-host.invalid"),
        Err(e) => panic!("expected resolve error, got {e:?}"),
        Ok(_) => panic!("expected resolve error, got a session"),
    }
}

#[test]
fn wrong_community_times_out() {
    let s = Session::builder(&agent().target())
        .community("nope")
        .timeout(Duration::from_millis(150))
        .retries(1)
        .open(runtime())
        .unwrap();
    assert!(matches!(s.get(&[SYS_DESCR]), Err(Error::Timeout { .. })));
}

#[test]
fn netsnmp_cli_sees_the_same_sysname() {
    // Guards the harness itself: the CLI and the library read the same agent.
    let out: std::process::Output = agent()
        .cli("snmpget")
        .args(["-v2c", "-c", "public", "-Oqv", &agent().target(), SYS_NAME])
        .output()
        .unwrap();
    let cli = String::from_utf8_lossy(&out.stdout)
        .trim()
        .trim_matches('"')
        .to_string();
    let lib = session(Version::V2c, "public").get(&[SYS_NAME]).unwrap();
    assert_eq!(cli, text(&lib[0].value));
    let _ = Command::new("true");
}
