//! Well-formed replies that break the protocol's rules for the request they answer.

use super::*;
use snmpx::message::Version;
use snmpx::{Error, ErrorStatus, Oid};

fn oid(s: &str) -> Oid {
    s.parse().unwrap()
}

fn decode_error(script: impl Fn(&Request) -> Vec<Reply> + Send + 'static, oids: &[&str]) -> String {
    let agent = fake(script);
    let c = client(agent.addr, Version::V2c);
    match bounded(Duration::from_secs(2), || c.s.get(oids)) {
        Err(Error::Decode { peer, reason }) => {
            assert_eq!(peer, agent.addr);
            reason
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn empty_varbind_list_in_a_get_response() {
    let why = decode_error(
        |req| vec![Reply::Bytes(response(req, 0, 0, Vec::new()))],
        &[SYS_NAME],
    );
    assert!(why.contains("expected 1 varbinds"), "{why}");
}

#[test]
fn extra_varbinds_in_a_get_response() {
    let why = decode_error(
        |req| {
            let mut v = echo(req);
            v.push(VarBind::new(oid(SYS_DESCR), Value::from("extra")));
            vec![Reply::Bytes(response(req, 0, 0, v))]
        },
        &[SYS_NAME],
    );
    assert!(why.contains("got 2"), "{why}");
}

#[test]
fn missing_varbinds_in_a_get_response() {
    let why = decode_error(
        |req| {
            let mut v = echo(req);
            v.pop();
            vec![Reply::Bytes(response(req, 0, 0, v))]
        },
        &[SYS_NAME, SYS_DESCR],
    );
    assert!(why.contains("expected 2"), "{why}");
}

#[test]
fn get_response_naming_other_objects() {
    let why = decode_error(
        |req| {
            let v = vec![VarBind::new(oid(SYS_DESCR), Value::from("x"))];
            vec![Reply::Bytes(response(req, 0, 0, v))]
        },
        &[SYS_NAME],
    );
    assert!(why.contains("was asked"), "{why}");
}

#[test]
fn error_index_out_of_range() {
    let agent = fake(|req| vec![Reply::Bytes(response(req, 5, 9, echo(req)))]);
    let c = client(agent.addr, Version::V2c);
    let r = bounded(Duration::from_secs(2), || c.s.get(&[SYS_NAME]));
    match r {
        Err(Error::Agent {
            status, index, oid, ..
        }) => {
            assert_eq!(status, ErrorStatus::GenErr);
            assert_eq!(index, 9);
            assert_eq!(oid, None, "no OID for an index outside the request");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn error_status_names_the_failed_object() {
    let agent = fake(|req| vec![Reply::Bytes(response(req, 17, 2, echo(req)))]);
    let c = client(agent.addr, Version::V2c);
    match bounded(Duration::from_secs(2), || c.s.get(&[SYS_NAME, SYS_DESCR])) {
        Err(Error::Agent {
            status, index, oid, ..
        }) => {
            assert_eq!(status, ErrorStatus::NotWritable);
            assert_eq!(index, 2);
            assert_eq!(oid.unwrap().to_string(), SYS_DESCR);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn too_big_without_varbinds_splits_the_get() {
    // tooBig (RFC 3416 §4.2.1) for any request of more than one varbind, with an empty list.
    let agent = fake(|req| {
        if req.pdu.varbinds.len() > 1 {
            vec![Reply::Bytes(response(req, 1, 0, Vec::new()))]
        } else {
            vec![Reply::Bytes(response(req, 0, 0, echo(req)))]
        }
    });
    let c = client(agent.addr, Version::V2c);
    let oids = [
        "1.3.6.1.2.1.1.1.0",
        "1.3.6.1.2.1.1.2.0",
        "1.3.6.1.2.1.1.3.0",
        SYS_NAME,
    ];
    let r = bounded(Duration::from_secs(2), || c.s.get(&oids)).unwrap();
    let got: Vec<String> = r.iter().map(|vb| vb.oid.to_string()).collect();
    assert_eq!(got, oids, "results in request order");
}

#[test]
fn too_big_with_varbinds_for_a_single_object_fails() {
    let agent = fake(|req| vec![Reply::Bytes(response(req, 1, 0, echo(req)))]);
    let c = client(agent.addr, Version::V2c);
    let r = bounded(Duration::from_secs(2), || c.s.get(&[SYS_NAME]));
    assert!(
        matches!(
            r,
            Err(Error::Agent {
                status: ErrorStatus::TooBig,
                ..
            })
        ),
        "{r:?}"
    );
}

#[test]
fn get_bulk_too_big_halves_max_repetitions() {
    let agent = fake(|req| {
        let reps = req.pdu.error_index; // GetBulk: max-repetitions travels in error-index
        if reps > 5 {
            return vec![Reply::Bytes(response(req, 1, 0, Vec::new()))];
        }
        let v = (1..=reps)
            .map(|i| VarBind::new(oid(&format!("1.3.6.1.2.1.2.2.1.2.{i}")), Value::from("if")))
            .collect();
        vec![Reply::Bytes(response(req, 0, 0, v))]
    });
    let c = client(agent.addr, Version::V2c);
    let r = bounded(Duration::from_secs(2), || {
        c.s.get_bulk(0, 40, &["1.3.6.1.2.1.2.2.1.2"])
    })
    .unwrap();
    // 40 -> 20 -> 10 -> 5.
    assert_eq!(r.len(), 5);
}

/// A walk script: answers GETNEXT/GETBULK on `1.3.6.1.4.1.9` with `next(n)`.
fn walk_agent(next: impl Fn(&Request) -> Vec<VarBind> + Send + 'static) -> Fake {
    fake(move |req| vec![Reply::Bytes(response(req, 0, 0, next(req)))])
}

#[test]
fn non_increasing_walk_is_an_error_not_a_truncation() {
    let agent = walk_agent(|_| vec![VarBind::new(oid("1.3.6.1.4.1.9.1"), Value::from("same"))]);
    let c = client(agent.addr, Version::V2c);
    let r = bounded(Duration::from_secs(2), || c.s.walk(&["1.3.6.1.4.1.9"]));
    assert!(matches!(r, Err(Error::NotIncreasing { .. })), "{r:?}");
}

#[test]
fn cycling_walk_is_an_error() {
    // 9.1 -> 9.2 -> 9.1 ...
    let agent = walk_agent(|req| {
        let asked = req.pdu.varbinds[0].oid.to_string();
        let next = if asked.ends_with(".9.1") {
            "1.3.6.1.4.1.9.2"
        } else {
            "1.3.6.1.4.1.9.1"
        };
        vec![VarBind::new(oid(next), Value::from("x"))]
    });
    let c = client(agent.addr, Version::V2c);
    let r = bounded(Duration::from_secs(2), || c.s.walk(&["1.3.6.1.4.1.9"]));
    assert!(matches!(r, Err(Error::NotIncreasing { .. })), "{r:?}");
}

#[test]
fn endless_walk_stops_at_the_request_limit() {
    let agent = walk_agent(|req| {
        let mut arcs = req.pdu.varbinds[0].oid.to_vec();
        arcs.push(1);
        arcs.truncate(100);
        vec![VarBind::new(
            Oid::from_slice(&arcs).unwrap(),
            Value::Integer(1),
        )]
    });
    let rt = Runtime::new().unwrap();
    let s = Session::builder(&agent.addr.to_string())
        .timeout(Duration::from_millis(200))
        .walk_max_requests(50)
        .open(&rt)
        .unwrap();
    let r = bounded(Duration::from_secs(5), || s.walk(&["1.3.6.1.4.1.9"]));
    assert!(matches!(r, Err(Error::Limit(_))), "{r:?}");
}

#[test]
fn empty_varbind_list_in_a_walk_is_an_error() {
    let agent = walk_agent(|_| Vec::new());
    let c = client(agent.addr, Version::V2c);
    let r = bounded(Duration::from_secs(2), || c.s.bulk_walk(&["1.3.6.1.4.1.9"]));
    assert!(matches!(r, Err(Error::Decode { .. })), "{r:?}");
}

#[test]
fn v2_exceptions_and_counter64_in_a_v1_reply_pass_through_as_values() {
    // RFC 2576 §4.3 forbids them in v1, but agents send them; they reach the caller as
    // values (never silently altered), like Net-SNMP's tools print them.
    let agent = fake(|req| {
        let v = vec![
            VarBind::new(req.pdu.varbinds[0].oid.clone(), Value::NoSuchObject),
            VarBind::new(req.pdu.varbinds[1].oid.clone(), Value::Counter64(u64::MAX)),
        ];
        vec![Reply::Bytes(response(req, 0, 0, v))]
    });
    let c = client(agent.addr, Version::V1);
    let r = bounded(Duration::from_secs(2), || c.s.get(&[SYS_NAME, SYS_DESCR])).unwrap();
    assert_eq!(r[0].value, Value::NoSuchObject);
    assert_eq!(r[1].value, Value::Counter64(u64::MAX));
}

#[test]
fn v1_no_such_name_ends_a_walk_cleanly() {
    let agent = fake(|req| {
        if req.n == 1 {
            let v = vec![VarBind::new(oid("1.3.6.1.4.1.9.1"), Value::Integer(7))];
            vec![Reply::Bytes(response(req, 0, 0, v))]
        } else {
            vec![Reply::Bytes(response(req, 2, 1, echo(req)))]
        }
    });
    let c = client(agent.addr, Version::V1);
    let r = bounded(Duration::from_secs(2), || c.s.walk(&["1.3.6.1.4.1.9"])).unwrap();
    assert_eq!(r.len(), 1);
}

#[test]
fn endless_bulk_walk_stops_at_the_request_limit() {
    // Every GetBulk answered with max-repetitions OIDs that keep increasing inside the
    // subtree (9.1, 9.2, 9.3 ...), forever.
    let agent = walk_agent(|req| {
        let asked = req.pdu.varbinds[0].oid.to_vec();
        let mut last = if asked.len() > 8 { asked[8] } else { 0 };
        (0..req.pdu.error_index.max(1))
            .map(|_| {
                last += 1;
                VarBind::new(
                    Oid::from_slice(&[1, 3, 6, 1, 4, 1, 9, 1, last]).unwrap(),
                    Value::Integer(1),
                )
            })
            .collect()
    });
    let rt = Runtime::new().unwrap();
    let s = Session::builder(&agent.addr.to_string())
        .timeout(Duration::from_millis(200))
        .walk_max_requests(20)
        .open(&rt)
        .unwrap();
    let r = bounded(Duration::from_secs(5), || s.bulk_walk(&["1.3.6.1.4.1.9"]));
    assert!(matches!(r, Err(Error::Limit(_))), "{r:?}");
    assert_eq!(agent.received.load(Ordering::Relaxed), 20);
}

#[test]
fn too_big_on_a_set_is_not_split() {
    // A Set is atomic (RFC 3416 §4.2.5): never split into smaller Sets, tooBig is the result.
    let agent = fake(|req| vec![Reply::Bytes(response(req, 1, 0, Vec::new()))]);
    let c = client(agent.addr, Version::V2c);
    let vbs = [
        VarBind::new(oid(SYS_NAME), Value::from("a")),
        VarBind::new(oid("1.3.6.1.2.1.1.6.0"), Value::from("b")),
    ];
    let r = bounded(Duration::from_secs(2), || c.s.set(&vbs));
    assert!(
        matches!(
            r,
            Err(Error::Agent {
                status: ErrorStatus::TooBig,
                ..
            })
        ),
        "{r:?}"
    );
    assert_eq!(agent.received.load(Ordering::Relaxed), 1);
}

#[test]
fn negative_error_index() {
    let agent = fake(|req| vec![Reply::Bytes(response(req, 5, -3, echo(req)))]);
    let c = client(agent.addr, Version::V2c);
    match bounded(Duration::from_secs(2), || c.s.get(&[SYS_NAME])) {
        Err(Error::Agent {
            status, index, oid, ..
        }) => {
            assert_eq!((status, index, oid), (ErrorStatus::GenErr, 0, None));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn unknown_error_status_is_kept() {
    // error-status 99 is outside RFC 3416's 0..18: kept as Other(99), never mapped to noError.
    let agent = fake(|req| vec![Reply::Bytes(response(req, 99, 1, echo(req)))]);
    let c = client(agent.addr, Version::V2c);
    match bounded(Duration::from_secs(2), || c.s.get(&[SYS_NAME])) {
        Err(Error::Agent { status, index, .. }) => {
            assert_eq!((status, index), (ErrorStatus::Other(99), 1));
        }
        other => panic!("{other:?}"),
    }
}
