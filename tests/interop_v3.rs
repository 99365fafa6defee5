//! SNMPv3 end to end (engine, runtime, Session API) against real Net-SNMP snmpd agents
//! started by the harness (tests/common/snmpd.rs): every user the agent supports, wrong
//! passwords, two agents with one user name, many threads and versions at once, a
//! tampering relay, agent restart and explicit engine parameters.

mod common;

use common::snmpd::{Snmpd, SnmpdOptions, V3User, SYS_NAME};
use snmpx::{Error, Oid, Runtime, Session, Value, VarBind, Version};
use std::time::Duration;

const SYS_NAME_OID: &str = "1.3.6.1.2.1.1.5.0";
const SYS_CONTACT_OID: &str = "1.3.6.1.2.1.1.4.0";
const SYSTEM: &str = "1.3.6.1.2.1.1";
const ENGINE_ID_OID: &str = "1.3.6.1.6.3.10.2.1.1.0";

fn oid(s: &str) -> Oid {
    s.parse().unwrap()
}

fn find_user(name: &str) -> V3User {
    Snmpd::v3_users()
        .into_iter()
        .find(|u| u.name == name)
        .unwrap_or_else(|| panic!("harness has no user {name}"))
}

/// A v3 session builder for `user` with the given pass phrases.
fn v3(target: &str, user: &V3User, auth_pass: &str, priv_pass: &str) -> snmpx::SessionBuilder {
    let mut b = Session::builder(target)
        .version(Version::V3)
        .user(&user.name)
        .timeout(Duration::from_millis(500))
        .retries(2);
    if let Some(a) = user.auth {
        // Net-SNMP spellings, in mixed case to exercise the case-insensitive parsers.
        b = b.auth(&a.to_ascii_lowercase(), auth_pass);
    }
    if let Some(p) = user.priv_ {
        b = b.privacy(p, priv_pass);
    }
    b
}

fn open_user(rt: &Runtime, agent: &Snmpd, user: &V3User) -> Session {
    v3(&agent.target(), user, &user.auth_pass, &user.priv_pass)
        .open(rt)
        .unwrap_or_else(|e| panic!("{}: {e}", user.name))
}

fn oids_of(rows: &[VarBind]) -> Vec<Oid> {
    rows.iter().map(|v| v.oid.clone()).collect()
}

#[test]
fn every_user_does_get_get_next_get_bulk_walk_bulk_walk_and_set() {
    let agent = Snmpd::start();
    let rt = Runtime::new().unwrap();
    let v2 = Session::builder(&agent.target())
        .community("public")
        .open(&rt)
        .unwrap();
    let reference = oids_of(&v2.walk(&[SYSTEM]).unwrap());
    assert!(reference.len() > 10);
    let users = Snmpd::v3_users();
    assert_eq!(users.len(), 43);
    let mut failures = Vec::new();
    for user in &users {
        let s = open_user(&rt, &agent, user);
        let outcome = (|| -> Result<(), String> {
            let got = s.get(&[SYS_NAME_OID]).map_err(|e| format!("get: {e}"))?;
            if got[0].value != Value::from(SYS_NAME) {
                return Err(format!("get: {:?}", got[0].value));
            }
            let walk = s.walk(&[SYSTEM]).map_err(|e| format!("walk: {e}"))?;
            if oids_of(&walk) != reference {
                return Err(format!("walk: {} rows vs {}", walk.len(), reference.len()));
            }
            let next = s
                .get_next(&[SYSTEM])
                .map_err(|e| format!("get_next: {e}"))?;
            if next[0].oid != reference[0] {
                return Err(format!("get_next: {}", next[0].oid));
            }
            let gb = s
                .get_bulk(0, 5, &[SYSTEM])
                .map_err(|e| format!("get_bulk: {e}"))?;
            if oids_of(&gb) != reference[..5] {
                return Err(format!("get_bulk: {:?}", oids_of(&gb)));
            }
            let bulk = s
                .bulk_walk(&[SYSTEM])
                .map_err(|e| format!("bulk_walk: {e}"))?;
            if oids_of(&bulk) != reference {
                return Err(format!("bulk_walk: {} rows", bulk.len()));
            }
            let contact = format!("contact of {}", user.name);
            let vb = VarBind::new(oid(SYS_CONTACT_OID), Value::from(contact.as_str()));
            s.set(&[vb]).map_err(|e| format!("set: {e}"))?;
            let back = s
                .get(&[SYS_CONTACT_OID])
                .map_err(|e| format!("get after set: {e}"))?;
            if back[0].value != Value::from(contact.as_str()) {
                return Err(format!("set did not stick: {:?}", back[0].value));
            }
            Ok(())
        })();
        if let Err(e) = outcome {
            failures.push(format!("{}: {e}", user.name));
        }
    }
    assert!(failures.is_empty(), "failures:\n{}", failures.join("\n"));
    let st = rt.stats();
    assert_eq!(st.dropped_auth_failed, 0);
    assert_eq!(st.v3_discoveries, 1, "one discovery for one agent: {st:?}");
    assert_eq!(st.timeouts, 0);
}

#[test]
fn wrong_auth_password_is_an_authentication_error_and_correct_credentials_work_after() {
    let agent = Snmpd::start();
    let rt = Runtime::new().unwrap();
    for name in ["auth_sha", "priv_md5_aes", "priv_sha512_aes256c"] {
        let user = find_user(name);
        let bad = v3(
            &agent.target(),
            &user,
            "not-the-auth-password",
            &user.priv_pass,
        )
        .open(&rt)
        .unwrap();
        let e = bad.get(&[SYS_NAME_OID]).unwrap_err();
        assert_eq!(
            e,
            Error::AuthenticationFailed { peer: agent.addr },
            "{name}"
        );
        assert!(e.to_string().contains("authentication"), "{e}");
        // Same runtime and target state, a new session with the right pass phrase.
        let good = open_user(&rt, &agent, &user);
        assert_eq!(
            good.get(&[SYS_NAME_OID]).unwrap()[0].value,
            Value::from(SYS_NAME)
        );
        // The bad session still fails: no key of the good one leaks into it.
        assert!(matches!(
            bad.get(&[SYS_NAME_OID]),
            Err(Error::AuthenticationFailed { .. })
        ));
        assert_eq!(
            good.get(&[SYS_NAME_OID]).unwrap()[0].value,
            Value::from(SYS_NAME)
        );
    }
    let st = rt.stats();
    assert_eq!(
        st.timeouts, 0,
        "an authentication error is not a hang: {st:?}"
    );
    assert_eq!(st.v3_reports, 6);
    assert_eq!(st.dropped_auth_failed, 0);
    // And on a new runtime.
    let rt2 = Runtime::new().unwrap();
    let s = open_user(&rt2, &agent, &find_user("priv_md5_aes"));
    assert_eq!(
        s.get(&[SYS_NAME_OID]).unwrap()[0].value,
        Value::from(SYS_NAME)
    );
}

/// Net-SNMP drops a request encrypted with the wrong privacy key without a report (see
/// tests/v3_message.rs), so the call times out; the error names the agent.
#[test]
fn wrong_priv_password_times_out_naming_the_peer_and_correct_credentials_work_after() {
    let agent = Snmpd::start();
    let rt = Runtime::new().unwrap();
    for name in ["priv_sha_aes", "priv_md5_des"] {
        let user = find_user(name);
        let bad = v3(
            &agent.target(),
            &user,
            &user.auth_pass,
            "not-the-priv-password",
        )
        .timeout(Duration::from_millis(200))
        .retries(1)
        .open(&rt)
        .unwrap();
        let e = bad.get(&[SYS_NAME_OID]).unwrap_err();
        assert_eq!(
            e,
            Error::Timeout {
                peer: agent.addr,
                attempts: 2
            },
            "{name}"
        );
        assert!(e.to_string().contains(&agent.addr.to_string()), "{e}");
        let good = open_user(&rt, &agent, &user);
        assert_eq!(
            good.get(&[SYS_NAME_OID]).unwrap()[0].value,
            Value::from(SYS_NAME)
        );
        let rt2 = Runtime::new().unwrap();
        let fresh = open_user(&rt2, &agent, &user);
        assert_eq!(
            fresh.get(&[SYS_NAME_OID]).unwrap()[0].value,
            Value::from(SYS_NAME)
        );
    }
}

/// Two agents with different engine IDs, one user name and the same pass phrases: the keys
/// are localized per engine and the state is per target, so every answer comes from the
/// agent asked (each reports its own snmpEngineID.0).
#[test]
fn two_agents_same_user_different_engine_ids_sequential_and_threaded() {
    let start = |hex: &str| {
        Snmpd::start_with(SnmpdOptions {
            engine_id: Some(hex.to_string()),
            ..SnmpdOptions::default()
        })
    };
    let a = start("80001f8804736e6d70782d41");
    let b = start("80001f8804736e6d70782d42");
    assert_ne!(a.engine_id, b.engine_id);
    let rt = Runtime::builder().shards(2).build().unwrap();
    let user = find_user("priv_sha_aes");
    let sa = open_user(&rt, &a, &user);
    let sb = open_user(&rt, &b, &user);
    let check = |s: &Session, agent: &Snmpd| -> Result<(), String> {
        let r = s
            .get(&[ENGINE_ID_OID, SYS_NAME_OID])
            .map_err(|e| e.to_string())?;
        if r[0].value != Value::OctetString(agent.engine_id.clone().into()) {
            return Err(format!("answer from the wrong agent: {:?}", r[0].value));
        }
        Ok(())
    };
    for _ in 0..40 {
        check(&sa, &a).unwrap();
        check(&sb, &b).unwrap();
    }
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|sc| {
        for t in 0..8 {
            let (sa, sb, a, b, failures) = (&sa, &sb, &a, &b, &failures);
            sc.spawn(move || {
                for i in 0..40 {
                    let r = if (i + t) % 2 == 0 {
                        check(sa, a)
                    } else {
                        check(sb, b)
                    };
                    if let Err(e) = r {
                        failures.lock().unwrap().push(e);
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{failures:?}");
    let st = rt.stats();
    assert_eq!(st.v3_discoveries, 2, "{st:?}");
    assert_eq!(st.dropped_auth_failed + st.timeouts, 0, "{st:?}");
}

/// 64 threads share sessions of every version (v1, v2c and several v3 users at every
/// security level) on a two-shard runtime for a bounded run: no errors, no wrong answers.
#[test]
fn sixty_four_threads_share_sessions_of_mixed_versions() {
    let agent = Snmpd::start();
    let rt = Runtime::builder().shards(2).build().unwrap();
    let mut sessions = Vec::new();
    for v in [Version::V1, Version::V2c] {
        sessions.push(
            Session::builder(&agent.target())
                .version(v)
                .community("public")
                .timeout(Duration::from_secs(2))
                .open(&rt)
                .unwrap(),
        );
    }
    for name in [
        "noauth",
        "auth_md5",
        "auth_sha256",
        "priv_sha_aes",
        "priv_md5_des",
        "priv_sha224_aes192",
        "priv_sha512_aes256c",
    ] {
        let user = find_user(name);
        sessions.push(
            v3(&agent.target(), &user, &user.auth_pass, &user.priv_pass)
                .timeout(Duration::from_secs(2))
                .open(&rt)
                .unwrap(),
        );
    }
    let errors = std::sync::atomic::AtomicU64::new(0);
    let wrong = std::sync::atomic::AtomicU64::new(0);
    let done = std::sync::atomic::AtomicU64::new(0);
    std::thread::scope(|sc| {
        for t in 0..64usize {
            let (sessions, agent, errors, wrong, done) =
                (&sessions, &agent, &errors, &wrong, &done);
            sc.spawn(move || {
                for i in 0..30usize {
                    let s = &sessions[(t + i) % sessions.len()];
                    match s.get(&[SYS_NAME_OID, ENGINE_ID_OID]) {
                        Ok(r)
                            if r[0].value == Value::from(SYS_NAME)
                                && r[1].value
                                    == Value::OctetString(agent.engine_id.clone().into()) =>
                        {
                            done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                        Ok(r) => {
                            eprintln!("wrong answer: {r:?}");
                            wrong.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                        Err(e) => {
                            eprintln!("error: {e}");
                            errors.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                    }
                }
            });
        }
    });
    assert_eq!(errors.into_inner(), 0);
    assert_eq!(wrong.into_inner(), 0);
    assert_eq!(done.into_inner(), 64 * 30);
    let st = rt.stats();
    assert_eq!(st.dropped_auth_failed, 0, "{st:?}");
    // Sessions on each shard share that shard's view of the agent: at most one discovery
    // per shard.
    assert!(st.v3_discoveries <= 2, "{st:?}");
}

/// Restarting the agent raises its boots and resets its time: the next request gets an
/// authenticated notInTimeWindow report, the engine resyncs once and the call succeeds. An
/// agent that comes back with a new engine ID (Net-SNMP picks a new one when it starts
/// without its persistent state) is recovered by the unknownEngineIDs report naming it.
#[test]
fn agent_restart_is_recovered() {
    let mut fixed = Snmpd::start();
    let rt = Runtime::new().unwrap();
    let s = open_user(&rt, &fixed, &find_user("priv_sha256_aes"));
    let noauth = open_user(&rt, &fixed, &find_user("noauth"));
    assert_eq!(
        s.get(&[SYS_NAME_OID]).unwrap()[0].value,
        Value::from(SYS_NAME)
    );
    let before = rt.stats();
    fixed.restart(true);
    assert_eq!(
        s.get(&[SYS_NAME_OID]).unwrap()[0].value,
        Value::from(SYS_NAME)
    );
    assert_eq!(
        noauth.get(&[SYS_NAME_OID]).unwrap()[0].value,
        Value::from(SYS_NAME)
    );
    let after = rt.stats();
    assert_eq!(after.v3_resyncs - before.v3_resyncs, 1, "{after:?}");
    assert_eq!(after.v3_discoveries, 1, "same engine ID: no rediscovery");
    assert_eq!(after.timeouts, 0, "{after:?}");

    // The agent comes back with another engine ID.
    let mut roaming = Snmpd::start();
    let s = open_user(&rt, &roaming, &find_user("priv_sha_des"));
    let old_id = roaming.engine_id.clone();
    assert_eq!(
        s.get(&[ENGINE_ID_OID]).unwrap()[0].value,
        Value::OctetString(old_id.clone().into())
    );
    roaming.restart(false);
    assert_ne!(roaming.engine_id, old_id);
    let r = s.get(&[ENGINE_ID_OID]).unwrap();
    assert_eq!(
        r[0].value,
        Value::OctetString(roaming.engine_id.clone().into())
    );
    let st = rt.stats();
    assert_eq!(st.timeouts, 0, "{st:?}");
}

/// Explicit engine ID (no discovery), wrong initial boots/time (one resync), explicit context
/// engine ID, and the typed errors of the other reports.
#[test]
fn explicit_engine_parameters_and_report_errors() {
    let agent = Snmpd::start();
    let rt = Runtime::new().unwrap();
    let user = find_user("priv_sha_aes192c");
    let s = v3(&agent.target(), &user, &user.auth_pass, &user.priv_pass)
        .security_engine_id(&agent.engine_id)
        .context_engine_id(&agent.engine_id)
        .engine_boots_time(0, 5)
        .open(&rt)
        .unwrap();
    assert_eq!(
        s.get(&[SYS_NAME_OID]).unwrap()[0].value,
        Value::from(SYS_NAME)
    );
    assert!(s.walk(&[SYSTEM]).unwrap().len() > 10);
    let st = rt.stats();
    assert_eq!(st.v3_discoveries, 0, "{st:?}");
    assert_eq!(st.v3_resyncs, 1, "{st:?}");

    let peer = agent.addr;
    let target = agent.target();
    // A wrong explicit engine ID is not "rediscovered" away.
    let e = v3(&target, &user, &user.auth_pass, &user.priv_pass)
        .security_engine_id(b"\x80\x00\x1f\x88\x04nope")
        .open(&rt)
        .unwrap()
        .get(&[SYS_NAME_OID])
        .unwrap_err();
    assert_eq!(e, Error::UnknownEngineId { peer });
    // An unknown user.
    let mut nobody = find_user("auth_md5");
    nobody.name = "nobody-here".into();
    let e = v3(&target, &nobody, &nobody.auth_pass, "")
        .open(&rt)
        .unwrap()
        .get(&[SYS_NAME_OID])
        .unwrap_err();
    assert_eq!(
        e,
        Error::UnknownUser {
            peer,
            user: "nobody-here".into()
        }
    );
    // An authNoPriv user asked for authPriv.
    let auth_only = find_user("auth_sha");
    let e = Session::builder(&target)
        .version(Version::V3)
        .user(&auth_only.name)
        .auth("SHA", &auth_only.auth_pass)
        .privacy("AES", "some-priv-password")
        .open(&rt)
        .unwrap()
        .get(&[SYS_NAME_OID])
        .unwrap_err();
    assert_eq!(e, Error::UnsupportedSecurityLevel { peer });
    // A context the agent does not have: Net-SNMP 5.9 drops the request silently.
    let e = v3(&target, &user, &user.auth_pass, &user.priv_pass)
        .context_name("no-such-context")
        .timeout(Duration::from_millis(100))
        .retries(0)
        .open(&rt)
        .unwrap()
        .get(&[SYS_NAME_OID])
        .unwrap_err();
    assert_eq!(e, Error::Timeout { peer, attempts: 1 });
    // Notifications stay v1/v2c, and the error says so.
    let e = s
        .send_trap(1, &oid("1.3.6.1.6.3.1.1.5.1"), &[])
        .unwrap_err();
    assert!(e.to_string().contains("v1 or SNMPv2c"), "{e}");
    assert!(s.inform(1, &oid("1.3.6.1.6.3.1.1.5.1"), &[]).is_err());
}

/// Builder checks: names in Net-SNMP spellings, case-insensitively; bad input is a usage
/// error at open, never a panic.
#[test]
fn builder_checks_v3_options() {
    let rt = Runtime::new().unwrap();
    let ok = Session::builder("127.0.0.1:1")
        .version(Version::V3)
        .user("u")
        .auth("sha-256", "long enough")
        .privacy("aes-256-c", "long enough too")
        .security_level_name("AUTHPRIV")
        .open(&rt);
    assert!(ok.is_ok());
    let err = |b: snmpx::SessionBuilder| match b.open(&rt) {
        Err(Error::Usage(m)) => m,
        Err(e) => panic!("not a usage error: {e}"),
        Ok(_) => panic!("accepted"),
    };
    let base = || Session::builder("127.0.0.1:1").version(Version::V3);
    assert!(err(base()).contains("user name"));
    assert!(err(base().user("u").auth("SHA-999", "long enough")).contains("SHA-999"));
    assert!(err(base().user("u").auth("SHA", "short")).contains("shorter"));
    assert!(err(base().user("u").privacy("AES", "long enough")).contains("authentication"));
    assert!(err(base().user("u").security_level_name("authPriv")).contains("authPriv"));
    assert!(err(base().user("u").security_level_name("loud")).contains("loud"));
    assert!(err(base().user("x".repeat(33))).contains("32"));
    assert!(err(Session::builder("127.0.0.1:1").user("u")).contains("Version::V3"));
    // authNoPriv from authPriv secrets: allowed (sends at the lower level).
    assert!(base()
        .user("u")
        .auth("md5", "long enough")
        .privacy("des", "long enough")
        .security_level_name("authNoPriv")
        .open(&rt)
        .is_ok());
}

/// A UDP relay on loopback between the manager and an agent that flips one byte of the
/// authenticated responses `tamper(n)` selects (n counts authenticated responses from 0).
struct Relay {
    addr: std::net::SocketAddr,
    tampered: std::sync::Arc<std::sync::atomic::AtomicU64>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Relay {
    fn start(agent: std::net::SocketAddr, tamper: fn(u64) -> bool) -> Relay {
        use std::sync::atomic::Ordering;
        let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        sock.set_read_timeout(Some(Duration::from_millis(20)))
            .unwrap();
        let addr = sock.local_addr().unwrap();
        let tampered = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (t2, s2) = (tampered.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let mut buf = vec![0u8; 65535];
            let mut client = None;
            let mut authenticated = 0u64;
            // Bounded: the relay lives at most 60 s even if the test forgets to stop it.
            let deadline = std::time::Instant::now() + Duration::from_secs(60);
            while !s2.load(Ordering::Relaxed) && std::time::Instant::now() < deadline {
                let Ok((n, from)) = sock.recv_from(&mut buf) else {
                    continue;
                };
                let mut d = buf[..n].to_vec();
                if from != agent {
                    client = Some(from);
                    let _ = sock.send_to(&d, agent);
                    continue;
                }
                let Some(c) = client else { continue };
                let auth = snmpx::message::v3::decode_v3(&d).is_ok_and(|m| m.level().has_auth());
                if auth {
                    if tamper(authenticated) {
                        // A byte of the value (plaintext) or of the ciphertext: the message
                        // still parses, only its MAC no longer verifies.
                        let at = d.len() - 1 - (authenticated as usize % 4);
                        d[at] ^= 0x20;
                        t2.fetch_add(1, Ordering::Relaxed);
                    }
                    authenticated += 1;
                }
                let _ = sock.send_to(&d, c);
            }
        });
        Relay {
            addr,
            tampered,
            stop,
            thread: Some(thread),
        }
    }

    fn tampered(&self) -> u64 {
        self.tampered.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Every tampered authenticated response is rejected and counted, never returned; a call
/// succeeds only from an untampered retransmission, or times out naming the peer.
#[test]
fn tampering_relay_responses_are_rejected_and_counted() {
    let agent = Snmpd::start();
    for name in ["priv_sha_aes", "auth_md5", "priv_sha512_des"] {
        let user = find_user(name);
        // Every other authenticated response is tampered: the first answer to each request
        // is, the answer to its retransmission is not.
        let relay = Relay::start(agent.addr, |n| n % 2 == 0);
        let rt = Runtime::new().unwrap();
        let s = v3(
            &relay.addr.to_string(),
            &user,
            &user.auth_pass,
            &user.priv_pass,
        )
        .timeout(Duration::from_millis(150))
        .retries(3)
        .open(&rt)
        .unwrap();
        for _ in 0..5 {
            let r = s.get(&[SYS_NAME_OID]).unwrap();
            assert_eq!(r[0].value, Value::from(SYS_NAME), "{name}");
        }
        let st = rt.stats();
        assert_eq!(relay.tampered(), 5, "{name}");
        assert_eq!(st.dropped_auth_failed, 5, "{name}: {st:?}");
        assert_eq!(st.retransmissions, 5, "{name}: {st:?}");
        assert_eq!(st.responses_matched, 5, "{name}: {st:?}");
        drop(relay);

        // Everything tampered: the call times out naming the relay it was sent to.
        let relay = Relay::start(agent.addr, |_| true);
        let rt = Runtime::new().unwrap();
        let s = v3(
            &relay.addr.to_string(),
            &user,
            &user.auth_pass,
            &user.priv_pass,
        )
        .timeout(Duration::from_millis(100))
        .retries(2)
        .open(&rt)
        .unwrap();
        let e = s.get(&[SYS_NAME_OID]).unwrap_err();
        assert_eq!(
            e,
            Error::Timeout {
                peer: relay.addr,
                attempts: 3
            },
            "{name}"
        );
        let st = rt.stats();
        assert_eq!(relay.tampered(), 3, "{name}");
        assert_eq!(st.dropped_auth_failed, 3, "{name}: {st:?}");
        assert_eq!(st.responses_matched, 0, "{name}: {st:?}");
    }
}

/// 1,000 simulated v3 devices, each its own engine ID, one credential set shared by every
/// session: the pass phrase is expanded once (RFC 3414 A.2, the 1 MiB hash) and localized
/// once per engine; every answer comes from the device asked.
#[test]
fn thousand_v3_targets_share_one_key_expansion() {
    use snmpx::session::{Completion, CompletionQueue, Operation};
    use snmpx::sim::{SimConfig, Simulator, UsmSecurity};
    use snmpx::usm::{AuthProtocol, Credentials, PrivProtocol};
    const N: usize = 1000;
    const PASS: &[u8] = b"fleet pass phrase";
    let creds =
        Credentials::from_passwords(AuthProtocol::Sha1, PASS, Some((PrivProtocol::Aes128, PASS)))
            .unwrap();
    let usm = UsmSecurity::new(vec![(b"fleet".to_vec(), creds)]).unwrap();
    let sim = Simulator::start(
        SimConfig::new(N)
            .threads(2)
            .security(std::sync::Arc::new(usm)),
    )
    .unwrap();
    let rt = Runtime::builder().shards(2).build().unwrap();
    let sessions: Vec<Session> = (0..N)
        .map(|i| {
            Session::builder(&sim.addr_of(i).to_string())
                .version(Version::V3)
                .user("fleet")
                .auth("SHA", PASS)
                .privacy("AES", PASS)
                .timeout(Duration::from_secs(1))
                .retries(3)
                .open(&rt)
                .unwrap()
        })
        .collect();
    assert_eq!(
        rt.key_cache().expansions(),
        1,
        "expanded at the first open only"
    );
    let q = CompletionQueue::new().unwrap();
    for (i, s) in sessions.iter().enumerate() {
        s.submit_to_queue(Operation::Get(vec![oid(SYS_NAME_OID)]), &q, i as u64)
            .unwrap();
    }
    let mut out: Vec<Completion> = Vec::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while out.len() < N && std::time::Instant::now() < deadline {
        q.wait(N, Duration::from_millis(200), &mut out);
    }
    assert_eq!(out.len(), N);
    for c in &out {
        let r = c
            .result
            .as_ref()
            .unwrap_or_else(|e| panic!("device {}: {e}", c.tag));
        assert_eq!(
            r.varbinds[0].value,
            Value::from(format!("dev-{:06}", c.tag).as_str())
        );
        assert_eq!(r.peer, sim.addr_of(c.tag as usize));
    }
    let keys = rt.key_cache();
    assert_eq!(
        keys.expansions(),
        1,
        "one pass phrase, expanded once for 1,000 engines"
    );
    assert_eq!(keys.localizations(), N as u64, "localized once per engine");
    let st = rt.stats();
    assert_eq!(st.v3_discoveries, N as u64, "{st:?}");
    assert_eq!(st.dropped_auth_failed, 0, "{st:?}");
}
