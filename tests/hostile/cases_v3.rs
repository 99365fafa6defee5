//! SNMPv3 hostile agents, part 1: discovery (RFC 3414 §4), unknown engines, the time window
//! (RFC 3414 §2.3, §3.2 step 7) and Report-PDUs (RFC 3412 §7.2, RFC 3414 §3.2).

use super::v3::*;
use super::*;
use snmpx::message::v3::{ReportKind, SecurityLevel};
use snmpx::pdu::{Pdu, PduType};
use snmpx::Error;
use std::sync::Mutex;

/// A Get of sysName.0 that must end within 3 s.
pub fn v3_get(c: &Client) -> Result<Vec<VarBind>, Error> {
    bounded(Duration::from_secs(3), || c.s.get(&[SYS_NAME]))
}

/// Discovery answered honestly; every other request by `f`.
pub fn after_discovery(
    f: impl Fn(&Agent, &V3Request) -> Vec<Reply> + Send + 'static,
) -> impl Fn(&Agent, &V3Request) -> Vec<Reply> + Send + 'static {
    move |a, r| {
        if r.is_discovery() {
            vec![Reply::Bytes(a.discovery_report(r))]
        } else {
            f(a, r)
        }
    }
}

fn timeout_at(r: &Result<Vec<VarBind>, Error>, peer: SocketAddr) -> bool {
    matches!(r, Err(Error::Timeout { peer: p, attempts: 2 }) if *p == peer)
}

#[test]
fn authpriv_get_through_the_fake_agent() {
    // The baseline every other v3 case breaks one thing of.
    let agent = v3_fake(honest);
    let c = v3_client(agent.addr, SecurityLevel::AuthPriv);
    let r = v3_get(&c).unwrap();
    assert_eq!(r[0].value, Value::from("answer"));
    let st = settled(&c);
    assert_eq!((st.v3_discoveries, st.responses_matched), (1, 1), "{st:?}");
    assert_eq!(
        st.dropped_invalid + st.dropped_auth_failed + st.dropped_unmatched,
        0
    );
}

#[test]
fn silent_agent_fails_discovery_with_a_timeout() {
    let agent = v3_fake(|_, _| Vec::new());
    let c = v3_client(agent.addr, SecurityLevel::AuthPriv);
    let r = v3_get(&c);
    assert!(timeout_at(&r, agent.addr), "{r:?}");
    let st = settled(&c);
    assert_eq!((st.requests_sent, st.retransmissions), (1, 1), "{st:?}");
    assert_eq!(agent.received.load(Ordering::Relaxed), 2);
}

/// Discovery answered only by `bad`; the Get must time out (after the discovery's 2
/// attempts) with `check` true of the counters.
fn discovery_fails(
    bad: impl Fn(&Agent, &V3Request) -> Reply + Send + 'static,
    check: impl Fn(&snmpx::session::Stats) -> bool,
) {
    let agent = v3_fake(move |a, r| {
        if r.is_discovery() {
            vec![bad(a, r)]
        } else {
            panic!("no request may follow a failed discovery")
        }
    });
    let c = v3_client(agent.addr, SecurityLevel::AuthPriv);
    let r = v3_get(&c);
    assert!(timeout_at(&r, agent.addr), "{r:?}");
    let st = settled(&c);
    assert_eq!(st.v3_discoveries, 0);
    assert!(check(&st), "{st:?}");
    assert_eq!(agent.received.load(Ordering::Relaxed), 2);
}

#[test]
fn discovery_report_without_an_engine_id() {
    discovery_fails(
        |a, r| {
            let h = Header {
                engine_id: Vec::new(),
                ..a.header(r)
            };
            Reply::Bytes(a.message(&h, report_pdu(r.request_id(), stat::UNKNOWN_ENGINE_IDS)))
        },
        |st| st.dropped_invalid == 2,
    );
}

#[test]
fn discovery_answered_with_a_response_pdu() {
    // RFC 3414 §4: the engine ID comes from a Report; a Response is not a discovery answer.
    discovery_fails(
        |a, r| Reply::Bytes(a.message(&a.header(r), response_pdu(r.request_id(), Vec::new()))),
        |st| st.dropped_invalid == 2,
    );
}

#[test]
fn discovery_answered_with_an_authenticated_report() {
    // The probe carries no keys: a message claiming authentication cannot be verified.
    discovery_fails(
        |a, r| Reply::Bytes(a.report(r, stat::UNKNOWN_ENGINE_IDS, SecurityLevel::AuthNoPriv)),
        |st| st.dropped_invalid == 2,
    );
}

#[test]
fn discovery_answer_from_another_port() {
    discovery_fails(
        |a, r| Reply::FromOtherPort(a.discovery_report(r)),
        |st| st.dropped_wrong_source == 2,
    );
}

#[test]
fn discovery_answer_with_a_bogus_msg_id() {
    discovery_fails(
        |a, r| {
            let h = Header {
                msg_id: r.msg_id ^ 0x40,
                level: SecurityLevel::NoAuthNoPriv,
                ..a.header(r)
            };
            Reply::Bytes(a.message(&h, report_pdu(r.request_id(), stat::UNKNOWN_ENGINE_IDS)))
        },
        |st| st.dropped_unmatched == 2,
    );
}

#[test]
fn discovery_answer_with_an_engine_id_of_33_octets() {
    // RFC 3411 §5 SnmpEngineID is SIZE(5..32); framed by hand since our encoder refuses it.
    discovery_fails(
        |a, r| {
            let h = Header {
                engine_id: vec![0x80; 33],
                ..a.header(r)
            };
            let pdu = report_pdu(r.request_id(), stat::UNKNOWN_ENGINE_IDS);
            Reply::Bytes(a.raw(&h, 0, 0, &[], &scoped_bytes(&h.engine_id, &pdu)))
        },
        |st| st.dropped_invalid == 2,
    );
}

#[test]
fn duplicated_discovery_answer_counts_once() {
    let agent = v3_fake(|a, r| {
        if r.is_discovery() {
            let d = a.discovery_report(r);
            vec![Reply::Bytes(d.clone()), Reply::Bytes(d)]
        } else {
            vec![Reply::Bytes(a.response(r, r.echo()))]
        }
    });
    let c = v3_client(agent.addr, SecurityLevel::AuthPriv);
    assert!(v3_get(&c).is_ok());
    let st = settled(&c);
    assert_eq!((st.v3_discoveries, st.dropped_unmatched), (1, 1), "{st:?}");
}

#[test]
fn discovery_answered_with_another_usm_report() {
    // Some agents answer the probe with unknownUserNames; the engine ID is in the USM
    // parameters either way (RFC 3414 §4), so discovery succeeds.
    let agent = v3_fake(|a, r| {
        if r.is_discovery() {
            vec![Reply::Bytes(a.report(
                r,
                stat::UNKNOWN_USER_NAMES,
                SecurityLevel::NoAuthNoPriv,
            ))]
        } else {
            vec![Reply::Bytes(a.response(r, r.echo()))]
        }
    });
    let c = v3_client(agent.addr, SecurityLevel::AuthPriv);
    assert!(v3_get(&c).is_ok());
    assert_eq!(settled(&c).v3_discoveries, 1);
}

#[test]
fn unknown_engine_id_reports_forever_end_in_a_typed_error() {
    // The agent rejects the engine ID it announced, every time: one rediscovery and resend,
    // then UnknownEngineId; never an endless loop.
    let agent = v3_fake(after_discovery(|a, r| {
        vec![Reply::Bytes(a.report(
            r,
            stat::UNKNOWN_ENGINE_IDS,
            SecurityLevel::NoAuthNoPriv,
        ))]
    }));
    let c = v3_client(agent.addr, SecurityLevel::AuthPriv);
    let r = v3_get(&c);
    assert!(
        matches!(r, Err(Error::UnknownEngineId { peer }) if peer == agent.addr),
        "{r:?}"
    );
    let st = settled(&c);
    assert_eq!(st.v3_reports, 2, "{st:?}");
    assert_eq!(agent.received.load(Ordering::Relaxed), 3);
}

#[test]
fn engine_id_change_is_followed_once() {
    // A re-installed agent: requests to the old engine ID get unknownEngineIDs naming the
    // new one; the request is re-keyed for it and resent.
    const NEW_ID: &[u8] = b"\x80\x00\x1f\x88\x04reinstalled";
    let agent = v3_fake(after_discovery(|a, r| {
        let h = Header {
            engine_id: NEW_ID.to_vec(),
            ..a.header(r)
        };
        if r.engine_id == NEW_ID {
            vec![Reply::Bytes(
                a.message(&h, response_pdu(r.request_id(), r.echo())),
            )]
        } else {
            let h = Header {
                level: SecurityLevel::NoAuthNoPriv,
                ..h
            };
            vec![Reply::Bytes(
                a.message(&h, report_pdu(0, stat::UNKNOWN_ENGINE_IDS)),
            )]
        }
    }));
    let c = v3_client(agent.addr, SecurityLevel::AuthPriv);
    assert_eq!(v3_get(&c).unwrap()[0].value, Value::from("answer"));
    let st = settled(&c);
    assert_eq!((st.v3_reports, st.responses_matched), (1, 1), "{st:?}");
}

#[test]
fn not_in_time_window_forever_is_bounded() {
    // An agent that answers every request with an authenticated notInTimeWindows report:
    // one resync and resend (RFC 3414 §4), then a typed error, no endless resync loop.
    let agent = v3_fake(after_discovery(|a, r| {
        let h = Header {
            level: SecurityLevel::AuthNoPriv,
            time: r.time + 10_000,
            ..a.header(r)
        };
        vec![Reply::Bytes(a.message(
            &h,
            report_pdu(r.request_id(), stat::NOT_IN_TIME_WINDOWS),
        ))]
    }));
    let c = v3_client(agent.addr, SecurityLevel::AuthPriv);
    let r = v3_get(&c);
    assert!(
        matches!(r, Err(Error::NotInTimeWindow { peer }) if peer == agent.addr),
        "{r:?}"
    );
    let st = settled(&c);
    assert_eq!((st.v3_resyncs, st.v3_reports), (2, 2), "{st:?}");
    assert_eq!(agent.received.load(Ordering::Relaxed), 3);
}

#[test]
fn not_in_time_window_after_a_reboot_resyncs_once() {
    // Discovery said boots 5; the agent has rebooted (boots 6) by the time the Get arrives.
    let agent = v3_fake(after_discovery(|a, r| {
        let h = Header {
            boots: 6,
            ..a.header(r)
        };
        if r.boots == 6 {
            vec![Reply::Bytes(
                a.message(&h, response_pdu(r.request_id(), r.echo())),
            )]
        } else {
            let h = Header {
                level: SecurityLevel::AuthNoPriv,
                ..h
            };
            vec![Reply::Bytes(a.message(
                &h,
                report_pdu(r.request_id(), stat::NOT_IN_TIME_WINDOWS),
            ))]
        }
    }));
    let c = v3_client(agent.addr, SecurityLevel::AuthPriv);
    assert!(v3_get(&c).is_ok());
    let st = settled(&c);
    assert_eq!((st.v3_resyncs, st.responses_matched), (1, 1), "{st:?}");
}

#[test]
fn unauthenticated_not_in_time_window_reports_are_not_believed() {
    // Anyone can send a noAuth report: it must not move the clock (RFC 3414 §3.2 step 7b
    // updates it only from authenticated messages) nor fail the request.
    let boots_seen = Arc::new(Mutex::new(Vec::new()));
    let seen = boots_seen.clone();
    let agent = v3_fake(after_discovery(move |a, r| {
        seen.lock().unwrap().push(r.boots);
        let h = Header {
            level: SecurityLevel::NoAuthNoPriv,
            boots: 99,
            ..a.header(r)
        };
        vec![Reply::Bytes(
            a.message(&h, report_pdu(0, stat::NOT_IN_TIME_WINDOWS)),
        )]
    }));
    let c = v3_client(agent.addr, SecurityLevel::AuthPriv);
    let r = v3_get(&c);
    assert!(timeout_at(&r, agent.addr), "{r:?}");
    let st = settled(&c);
    assert_eq!((st.dropped_auth_failed, st.v3_resyncs), (2, 0), "{st:?}");
    assert_eq!(*boots_seen.lock().unwrap(), vec![5, 5]);
}

/// Two Gets: the first answered honestly (syncing the clock at boots 5, time 1000), every
/// later request by `second`. Returns the client and the second Get's result.
fn second_get(
    second: impl Fn(&Agent, &V3Request) -> Vec<Reply> + Send + 'static,
) -> (V3Fake, Client, Result<Vec<VarBind>, Error>) {
    let agent = v3_fake(after_discovery(move |a, r| {
        if r.n == 2 {
            vec![Reply::Bytes(a.response(r, r.echo()))]
        } else {
            second(a, r)
        }
    }));
    let c = v3_client(agent.addr, SecurityLevel::AuthPriv);
    v3_get(&c).unwrap();
    let r = v3_get(&c);
    (agent, c, r)
}

#[test]
fn authentic_response_from_an_earlier_boot_is_outside_the_window() {
    // RFC 3414 §3.2 step 7b: boots lower than ours -> notInTimeWindow, dropped.
    let (agent, c, r) = second_get(|a, r| {
        let h = Header {
            boots: 4,
            ..a.header(r)
        };
        vec![Reply::Bytes(
            a.message(&h, response_pdu(r.request_id(), r.echo())),
        )]
    });
    assert!(timeout_at(&r, agent.addr), "{r:?}");
    assert_eq!(settled(&c).dropped_not_in_time_window, 2);
}

#[test]
fn authentic_response_with_a_stale_engine_time_is_outside_the_window() {
    // Same boots, time more than 150 s behind our estimate (RFC 3414 §2.2.3).
    let (agent, c, r) = second_get(|a, r| {
        let h = Header {
            time: 1000 - 500,
            ..a.header(r)
        };
        vec![Reply::Bytes(
            a.message(&h, response_pdu(r.request_id(), r.echo())),
        )]
    });
    assert!(timeout_at(&r, agent.addr), "{r:?}");
    assert_eq!(settled(&c).dropped_not_in_time_window, 2);
}

#[test]
fn replayed_earlier_response_is_not_the_answer_to_a_new_request() {
    // An attacker replays the first (valid, authenticated) response to the second Get: its
    // msgID belongs to a finished exchange, so it is unmatched and never returned.
    let first = Arc::new(Mutex::new(Vec::new()));
    let keep = first.clone();
    let agent = v3_fake(after_discovery(move |a, r| {
        if r.n == 2 {
            let vbs = vec![VarBind::new(
                SYS_NAME.parse().unwrap(),
                Value::from("first"),
            )];
            let m = a.response(r, vbs);
            *keep.lock().unwrap() = m.clone();
            vec![Reply::Bytes(m)]
        } else {
            vec![Reply::Bytes(keep.lock().unwrap().clone())]
        }
    }));
    let c = v3_client(agent.addr, SecurityLevel::AuthPriv);
    assert_eq!(v3_get(&c).unwrap()[0].value, Value::from("first"));
    let r = v3_get(&c);
    assert!(timeout_at(&r, agent.addr), "{r:?}");
    let st = settled(&c);
    assert_eq!(
        (st.dropped_unmatched, st.responses_matched),
        (2, 1),
        "{st:?}"
    );
}

#[test]
fn replayed_response_ahead_of_the_real_one_loses_to_it() {
    let first = Arc::new(Mutex::new(Vec::new()));
    let keep = first.clone();
    let agent = v3_fake(after_discovery(move |a, r| {
        let value = if r.n == 2 { "first" } else { "second" };
        let vbs = vec![VarBind::new(SYS_NAME.parse().unwrap(), Value::from(value))];
        let m = a.response(r, vbs);
        if r.n == 2 {
            *keep.lock().unwrap() = m.clone();
            vec![Reply::Bytes(m)]
        } else {
            vec![Reply::Bytes(keep.lock().unwrap().clone()), Reply::Bytes(m)]
        }
    }));
    let c = v3_client(agent.addr, SecurityLevel::AuthPriv);
    assert_eq!(v3_get(&c).unwrap()[0].value, Value::from("first"));
    assert_eq!(v3_get(&c).unwrap()[0].value, Value::from("second"));
    assert_eq!(settled(&c).dropped_unmatched, 1);
}

/// The Get's outcome when every request is answered with an unauthenticated report naming
/// `oid_arcs` (a usmStats leaf or any other object), plus the report count.
fn reported(
    pdu: impl Fn(i32) -> Pdu + Send + 'static,
) -> (SocketAddr, Result<Vec<VarBind>, Error>) {
    let agent = v3_fake(after_discovery(move |a, r| {
        let h = Header {
            level: SecurityLevel::NoAuthNoPriv,
            ..a.header(r)
        };
        vec![Reply::Bytes(a.message(&h, pdu(r.request_id())))]
    }));
    let c = v3_client(agent.addr, SecurityLevel::AuthPriv);
    let r = v3_get(&c);
    let st = settled(&c);
    assert_eq!(st.v3_reports, 1, "{st:?}");
    assert_eq!(agent.received.load(Ordering::Relaxed), 2, "no resend");
    (agent.addr, r)
}

#[test]
fn unknown_user_report() {
    let (peer, r) = reported(|rid| report_pdu(rid, stat::UNKNOWN_USER_NAMES));
    assert!(
        matches!(&r, Err(Error::UnknownUser { peer: p, user }) if *p == peer && user == USER),
        "{r:?}"
    );
}

#[test]
fn unsupported_security_level_report() {
    let (peer, r) = reported(|rid| report_pdu(rid, stat::UNSUPPORTED_SEC_LEVELS));
    assert!(
        matches!(r, Err(Error::UnsupportedSecurityLevel { peer: p }) if p == peer),
        "{r:?}"
    );
}

#[test]
fn wrong_digests_report() {
    let (peer, r) = reported(|rid| report_pdu(rid, stat::WRONG_DIGESTS));
    assert!(
        matches!(r, Err(Error::AuthenticationFailed { peer: p }) if p == peer),
        "{r:?}"
    );
}

#[test]
fn decryption_errors_report() {
    let (peer, r) = reported(|rid| report_pdu(rid, stat::DECRYPTION_ERRORS));
    assert!(
        matches!(r, Err(Error::DecryptionError { peer: p }) if p == peer),
        "{r:?}"
    );
}

#[test]
fn unknown_context_report() {
    // snmpUnknownContexts (RFC 3413 §3.2): not a USM report; surfaces as Report{kind}.
    let (peer, r) = reported(|rid| {
        let mut p = report_pdu(rid, 0);
        p.varbinds[0].oid = "1.3.6.1.6.3.12.1.5.0".parse().unwrap();
        p
    });
    assert!(
        matches!(&r, Err(Error::Report { peer: p, report: ReportKind::UnknownContexts }) if *p == peer),
        "{r:?}"
    );
}

#[test]
fn report_without_varbinds() {
    let (_, r) = reported(|rid| {
        let mut p = report_pdu(rid, 0);
        p.varbinds.clear();
        p
    });
    assert!(
        matches!(
            r,
            Err(Error::Report {
                report: ReportKind::Other(None),
                ..
            })
        ),
        "{r:?}"
    );
}

#[test]
fn report_with_a_bogus_request_id_is_matched_by_msg_id() {
    // RFC 3412 §7.2 step 12 matches Reports to the outstanding request by msgID: an agent
    // that could not read the (encrypted) PDU cannot echo its request-id. A Report can only
    // fail the request with its kind, never answer it.
    let (_, r) = reported(|rid| report_pdu(rid ^ 0x5a5a, stat::UNKNOWN_USER_NAMES));
    assert!(matches!(r, Err(Error::UnknownUser { .. })), "{r:?}");
}

#[test]
fn report_with_a_bogus_msg_id_is_dropped() {
    let agent = v3_fake(after_discovery(|a, r| {
        let h = Header {
            msg_id: r.msg_id.wrapping_add(1) & i32::MAX,
            level: SecurityLevel::NoAuthNoPriv,
            ..a.header(r)
        };
        vec![
            Reply::Bytes(a.message(&h, report_pdu(r.request_id(), stat::WRONG_DIGESTS))),
            Reply::Bytes(a.response(r, r.echo())),
        ]
    }));
    let c = v3_client(agent.addr, SecurityLevel::AuthPriv);
    assert!(v3_get(&c).is_ok());
    let st = settled(&c);
    assert_eq!((st.dropped_unmatched, st.v3_reports), (1, 0), "{st:?}");
}

#[test]
fn report_from_another_port_is_dropped() {
    let agent = v3_fake(after_discovery(|a, r| {
        vec![Reply::FromOtherPort(a.report(
            r,
            stat::WRONG_DIGESTS,
            SecurityLevel::NoAuthNoPriv,
        ))]
    }));
    let c = v3_client(agent.addr, SecurityLevel::AuthPriv);
    let r = v3_get(&c);
    assert!(timeout_at(&r, agent.addr), "{r:?}");
    let st = settled(&c);
    assert_eq!((st.dropped_wrong_source, st.v3_reports), (2, 0), "{st:?}");
}

#[test]
fn authentic_response_with_a_wrong_request_id_is_dropped() {
    // RFC 3412 §7.2 step 12: a Response must carry the request's request-id.
    let agent = v3_fake(after_discovery(|a, r| {
        let pdu = response_pdu(r.request_id() ^ 0x0f0f, r.echo());
        vec![Reply::Bytes(a.message(&a.header(r), pdu))]
    }));
    let c = v3_client(agent.addr, SecurityLevel::AuthPriv);
    let r = v3_get(&c);
    assert!(timeout_at(&r, agent.addr), "{r:?}");
    assert_eq!(settled(&c).dropped_invalid, 2);
}

#[test]
fn authentic_message_carrying_a_request_pdu_is_dropped() {
    // RFC 3412 §7.2 step 12: only a Response or Report answers a request.
    let agent = v3_fake(after_discovery(|a, r| {
        let mut pdu = response_pdu(r.request_id(), r.echo());
        pdu.kind = PduType::GetRequest;
        vec![Reply::Bytes(a.message(&a.header(r), pdu))]
    }));
    let c = v3_client(agent.addr, SecurityLevel::AuthPriv);
    let r = v3_get(&c);
    assert!(timeout_at(&r, agent.addr), "{r:?}");
    assert_eq!(settled(&c).dropped_invalid, 2);
}

#[test]
fn v2c_response_carrying_the_v3_request_id_is_dropped() {
    // The request-id is right but the message model is not the session's.
    let agent = v3_fake(after_discovery(|_, r| {
        let mut b = Vec::new();
        snmpx::message::encode_community(
            &mut b,
            Version::V2c,
            b"public",
            &response_pdu(r.request_id(), r.echo()),
        );
        vec![Reply::Bytes(b)]
    }));
    let c = v3_client(agent.addr, SecurityLevel::AuthPriv);
    let r = v3_get(&c);
    assert!(timeout_at(&r, agent.addr), "{r:?}");
    assert_eq!(settled(&c).dropped_invalid, 2);
}
