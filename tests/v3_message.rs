//! SNMPv3 message processing against a real Net-SNMP snmpd (tests/common/snmpd.rs), over a
//! plain `std::net::UdpSocket`: discovery, then a GET of sysName.0 for every user the harness
//! configures (every auth x priv pair, authNoPriv per auth protocol, noAuthNoPriv), and the
//! reports the agent sends for wrong passwords, unknown users and stale time.

mod common;

use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use common::snmpd::{SecLevel, Snmpd, SnmpdOptions, V3User, SYS_NAME};
use snmpx::message::v3::{
    decode_v3, encode_discovery, encode_v3, parse_discovery, process_incoming, EngineClock,
    MsgGlobal, ReportKind, ScopedPdu, SecurityKeys, SecurityLevel, Timeliness, UsmParams, V3Error,
};
use snmpx::pdu::{Pdu, PduType};
use snmpx::usm::{AuthProtocol, Credentials, KeyCache, PrivProtocol, SaltSource};
use snmpx::{Oid, Value};

/// Net-SNMP enterprise (8072), format 4 (text), "snmpx-v3".
const ENGINE_HEX: &str = "80001f8804736e6d70782d7633";
const SYS_NAME_OID: &str = "1.3.6.1.2.1.1.5.0";

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// A manager's minimal state for one agent: what the engine will keep per target.
struct Manager {
    net: Net,
    cache: KeyCache,
    salts: SaltSource,
    engine_id: Vec<u8>,
    clock: EngineClock,
}

impl Manager {
    /// Binds a socket and runs discovery (RFC 3414 §4) against `agent`.
    fn discover(agent: SocketAddr) -> (Manager, snmpx::message::v3::Discovery) {
        let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
        sock.set_read_timeout(Some(Duration::from_millis(1500)))
            .unwrap();
        let mut m = Manager {
            net: Net {
                sock,
                agent,
                next_id: 1000,
                attempts: 3,
            },
            cache: KeyCache::new().unwrap(),
            salts: SaltSource::new().unwrap(),
            engine_id: Vec::new(),
            clock: EngineClock::new(0, 0, Instant::now()),
        };
        let reply = m
            .net
            .exchange(|msg_id, buf| encode_discovery(buf, msg_id, msg_id + 7).unwrap())
            .expect("no answer to discovery");
        let d = parse_discovery(&decode_v3(&reply).unwrap()).unwrap();
        m.engine_id = d.engine_id.clone();
        m.clock = EngineClock::new(d.engine_boots, d.engine_time, Instant::now());
        (m, d)
    }

    fn keys(&self, user: &V3User, creds: &Credentials) -> Option<SecurityKeys> {
        SecurityKeys::derive(&self.cache, user.name.as_bytes(), creds, &self.engine_id).unwrap()
    }

    /// GET sysName.0 as `user` with `keys`, using `time_offset` seconds on top of our estimate
    /// of the engine's time. Returns the raw answer.
    fn get_sys_name(
        &mut self,
        user: &str,
        keys: Option<&SecurityKeys>,
        time_offset: i64,
    ) -> Option<Vec<u8>> {
        let (boots, time) = self.clock.estimate(Instant::now());
        let time = (time as i64 + time_offset).max(0) as u32;
        let engine_id = self.engine_id.clone();
        let salts = &self.salts;
        let level = keys.map_or(SecurityLevel::NoAuthNoPriv, SecurityKeys::level);
        let oid: Oid = SYS_NAME_OID.parse().unwrap();
        self.net.exchange(|msg_id, buf| {
            let scoped = ScopedPdu::new(
                &engine_id,
                Pdu::request(
                    PduType::GetRequest,
                    msg_id ^ 0x5a5a,
                    std::slice::from_ref(&oid),
                ),
            );
            let usm = UsmParams {
                engine_id: &engine_id,
                engine_boots: boots,
                engine_time: time,
                user_name: user.as_bytes(),
                ..UsmParams::default()
            };
            let g = MsgGlobal::request(msg_id, level);
            encode_v3(buf, g, &usm, &scoped, keys, salts).unwrap();
        })
    }
}

/// The socket and msgID counter.
struct Net {
    sock: UdpSocket,
    agent: SocketAddr,
    next_id: i32,
    /// Transmissions per exchange.
    attempts: u32,
}

impl Net {
    /// Sends what `build` encodes for a fresh msgID and returns the datagram answering that
    /// msgID; up to 3 attempts, each a new encoding (new msgID, new salt). `None` if the agent
    /// stays silent.
    fn exchange(&mut self, mut build: impl FnMut(i32, &mut Vec<u8>)) -> Option<Vec<u8>> {
        let mut buf = Vec::new();
        let mut rx = vec![0u8; 65535];
        for _ in 0..self.attempts {
            let msg_id = self.next_id;
            self.next_id += 1;
            build(msg_id, &mut buf);
            self.sock.send_to(&buf, self.agent).unwrap();
            let deadline = Instant::now() + Duration::from_millis(1500);
            while Instant::now() < deadline {
                let Ok((n, from)) = self.sock.recv_from(&mut rx) else {
                    break;
                };
                if from != self.agent {
                    continue;
                }
                let d = &rx[..n];
                if decode_v3(d).is_ok_and(|i| i.global.msg_id == msg_id) {
                    return Some(d.to_vec());
                }
            }
        }
        None
    }
}

fn creds_of(user: &V3User, auth_pass: &str, priv_pass: &str) -> Credentials {
    match user.level {
        SecLevel::NoAuthNoPriv => Credentials::none(),
        _ => {
            let auth: AuthProtocol = user.auth.unwrap().parse().unwrap();
            let privp = user
                .priv_
                .map(|p| (p.parse::<PrivProtocol>().unwrap(), priv_pass.as_bytes()));
            Credentials::from_passwords(auth, auth_pass.as_bytes(), privp).unwrap()
        }
    }
}

fn start_agent() -> Snmpd {
    Snmpd::start_with(SnmpdOptions {
        engine_id: Some(ENGINE_HEX.to_string()),
        ..SnmpdOptions::default()
    })
}

fn find_user(name: &str) -> V3User {
    Snmpd::v3_users()
        .into_iter()
        .find(|u| u.name == name)
        .unwrap_or_else(|| panic!("harness has no user {name}"))
}

#[test]
fn discovery_and_get_for_every_v3_user() {
    let agent = start_agent();
    let (mut m, d) = Manager::discover(agent.addr);
    assert_eq!(d.engine_id, unhex(ENGINE_HEX));
    assert_eq!(d.engine_id, agent.engine_id);
    assert_eq!(d.report, ReportKind::UnknownEngineIds);
    assert!(
        d.engine_boots >= 1,
        "Net-SNMP reports its boots in discovery"
    );

    let users = Snmpd::v3_users();
    assert_eq!(users.len(), 1 + 6 + 36);
    let mut failures = Vec::new();
    let mut passed = Vec::new();
    for user in &users {
        let creds = creds_of(user, &user.auth_pass, &user.priv_pass);
        let keys = m.keys(user, &creds);
        let outcome = match m.get_sys_name(&user.name, keys.as_ref(), 0) {
            None => Err("no answer".to_string()),
            Some(reply) => {
                let inc = decode_v3(&reply).unwrap();
                process_incoming(&inc, keys.as_ref())
                    .and_then(ScopedPdu::into_response)
                    .map_err(|e| e.to_string())
                    .and_then(|pdu| match pdu.varbinds.first().map(|v| &v.value) {
                        Some(Value::OctetString(s)) if s == SYS_NAME.as_bytes() => Ok(()),
                        other => Err(format!("unexpected value {other:?}")),
                    })
            }
        };
        match outcome {
            Ok(()) => passed.push(user.name.clone()),
            Err(e) => failures.push(format!("{}: {e}", user.name)),
        }
    }
    eprintln!("passed ({}): {}", passed.len(), passed.join(" "));
    assert!(failures.is_empty(), "failures:\n{}", failures.join("\n"));
}

#[test]
fn wrong_auth_password_gets_a_wrong_digests_report() {
    let agent = start_agent();
    let (mut m, _) = Manager::discover(agent.addr);
    for name in ["auth_sha", "priv_md5_aes", "priv_sha512_des"] {
        let user = find_user(name);
        let creds = creds_of(&user, "not-the-auth-password", &user.priv_pass);
        let keys = m.keys(&user, &creds).unwrap();
        let reply = m
            .get_sys_name(&user.name, Some(&keys), 0)
            .expect("Net-SNMP answers a wrong digest with a report");
        let inc = decode_v3(&reply).unwrap();
        // The report is unauthenticated (the agent cannot sign for a user whose MAC failed).
        assert_eq!(inc.level(), SecurityLevel::NoAuthNoPriv, "{name}");
        let scoped = process_incoming(&inc, Some(&keys)).unwrap();
        assert_eq!(
            scoped.report_kind(),
            Some(ReportKind::WrongDigests),
            "{name}"
        );
        assert_eq!(
            scoped.into_response(),
            Err(V3Error::Report(ReportKind::WrongDigests))
        );
    }
}

/// Reads a Counter32 from the agent with Net-SNMP's own snmpget (v2c).
fn counter(agent: &Snmpd, oid: &str) -> u64 {
    let out = agent
        .cli("snmpget")
        .args(["-v2c", "-c", "public", "-t", "1", "-r", "2", "-Oqv"])
        .arg(agent.target())
        .arg(oid)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim()
        .parse()
        .unwrap_or_else(|_| panic!("{oid}: {text}"))
}

const USM_STATS_DECRYPTION_ERRORS: &str = "1.3.6.1.6.3.15.1.1.6.0";
const SNMP_IN_ASN_PARSE_ERRS: &str = "1.3.6.1.2.1.11.6.0";

/// What Net-SNMP 5.9.3 does with a message whose MAC verifies but which was encrypted with
/// the wrong privacy key: it decrypts to garbage, logs "security service 3 error parsing
/// ScopedPDU", counts snmpInASNParseErrs (not usmStatsDecryptionErrors) and sends *nothing*
/// back (no decryptionErrors report), for DES and AES alike. So a wrong privacy password
/// shows up as a timeout at the manager. This test pins that behaviour.
#[test]
fn wrong_priv_password_is_dropped_silently() {
    let agent = start_agent();
    let (mut m, _) = Manager::discover(agent.addr);
    m.net.attempts = 1;
    let before = counter(&agent, USM_STATS_DECRYPTION_ERRORS);
    let before_asn = counter(&agent, SNMP_IN_ASN_PARSE_ERRS);
    let names = ["priv_sha_aes", "priv_md5_des", "priv_sha256_aes256c"];
    for name in names {
        let user = find_user(name);
        let creds = creds_of(&user, &user.auth_pass, "not-the-priv-password");
        let keys = m.keys(&user, &creds).unwrap();
        if let Some(reply) = m.get_sys_name(&user.name, Some(&keys), 0) {
            let inc = decode_v3(&reply).unwrap();
            panic!(
                "{name}: Net-SNMP answered a wrong privacy key with {:?}",
                process_incoming(&inc, Some(&keys)).map(|s| s.report_kind())
            );
        }
    }
    let after = counter(&agent, USM_STATS_DECRYPTION_ERRORS);
    let after_asn = counter(&agent, SNMP_IN_ASN_PARSE_ERRS);
    assert_eq!(after, before, "usmStatsDecryptionErrors");
    assert_eq!(
        after_asn - before_asn,
        names.len() as u64,
        "snmpInASNParseErrs"
    );
    assert!(agent.log().contains("error parsing ScopedPDU"));
}

#[test]
fn unknown_user_and_stale_time_reports() {
    let agent = start_agent();
    let (mut m, _) = Manager::discover(agent.addr);

    // An unknown user at noAuthNoPriv.
    let reply = m.get_sys_name("nobody-here", None, 0).expect("report");
    let scoped = process_incoming(&decode_v3(&reply).unwrap(), None).unwrap();
    assert_eq!(scoped.report_kind(), Some(ReportKind::UnknownUserNames));

    // Time 1000 s ahead of the agent's: an authenticated notInTimeWindows report (RFC 3414
    // §3.2 step 7a) carrying the engine's real boots/time; after it the request works.
    let user = find_user("priv_sha256_aes");
    let keys = m
        .keys(&user, &creds_of(&user, &user.auth_pass, &user.priv_pass))
        .unwrap();
    let reply = m
        .get_sys_name(&user.name, Some(&keys), 1000)
        .expect("report");
    let inc = decode_v3(&reply).unwrap();
    assert_eq!(inc.level(), SecurityLevel::AuthNoPriv);
    let scoped = process_incoming(&inc, Some(&keys)).unwrap();
    assert_eq!(scoped.report_kind(), Some(ReportKind::NotInTimeWindows));
    let now = Instant::now();
    assert_eq!(
        m.clock
            .on_authentic(inc.usm.engine_boots, inc.usm.engine_time, now),
        Timeliness::InWindow
    );
    let (_, est) = m.clock.estimate(now);
    assert!(est.abs_diff(inc.usm.engine_time) <= 2);

    let reply = m.get_sys_name(&user.name, Some(&keys), 0).expect("answer");
    let inc = decode_v3(&reply).unwrap();
    let pdu = process_incoming(&inc, Some(&keys))
        .unwrap()
        .into_response()
        .unwrap();
    assert_eq!(
        pdu.varbinds[0].value,
        Value::OctetString(SYS_NAME.as_bytes().to_vec().into())
    );
    assert_eq!(
        m.clock
            .on_authentic(inc.usm.engine_boots, inc.usm.engine_time, Instant::now()),
        Timeliness::InWindow
    );
}

/// Real authenticated responses from snmpd (including a DES one, padded by Net-SNMP): each
/// is accepted as received, and rejected with any single byte flipped.
#[test]
fn real_responses_resist_tampering() {
    let agent = start_agent();
    let (mut m, _) = Manager::discover(agent.addr);
    for name in ["auth_md5", "priv_sha_des", "priv_sha512_aes256c"] {
        let user = find_user(name);
        let keys = m
            .keys(&user, &creds_of(&user, &user.auth_pass, &user.priv_pass))
            .unwrap();
        let good = m.get_sys_name(&user.name, Some(&keys), 0).expect("answer");
        let run = |b: &[u8]| decode_v3(b).and_then(|i| process_incoming(&i, Some(&keys)));
        let pdu = run(&good).unwrap().into_response().unwrap();
        assert_eq!(pdu.kind, PduType::Response);
        for i in 0..good.len() {
            for mask in [0x01u8, 0xff] {
                let mut bad = good.clone();
                bad[i] ^= mask;
                assert!(
                    run(&bad).is_err(),
                    "{name}: byte {i} ^ {mask:#04x} accepted"
                );
            }
        }
    }
}
