//! Replies that do not belong to the request: wrong request-id, wrong source, duplicates,
//! late replies, replies to an earlier transmission.

use super::*;
use snmpx::message::Version;
use snmpx::Error;

#[test]
fn mismatched_request_id_is_dropped() {
    let agent = fake(|req| {
        vec![
            Reply::Bytes(response_with(
                req,
                req.pdu.request_id ^ 0x5555,
                0,
                0,
                echo(req),
            )),
            Reply::Bytes(response(req, 0, 0, echo(req))),
        ]
    });
    let c = client(agent.addr, Version::V2c);
    assert!(bounded(Duration::from_secs(2), || c.s.get(&[SYS_NAME])).is_ok());
    let st = settled(&c);
    assert_eq!(st.dropped_unmatched, 1, "{st:?}");
}

#[test]
fn only_wrong_request_ids_time_out() {
    let agent = fake(|req| {
        vec![Reply::Bytes(response_with(
            req,
            req.pdu.request_id.wrapping_add(1),
            0,
            0,
            echo(req),
        ))]
    });
    let c = client(agent.addr, Version::V2c);
    let r = bounded(Duration::from_secs(2), || c.s.get(&[SYS_NAME]));
    assert!(
        matches!(r, Err(Error::Timeout { peer, attempts: 2 }) if peer == agent.addr),
        "{r:?}"
    );
    assert_eq!(settled(&c).dropped_unmatched, 2);
}

#[test]
fn reply_from_another_port_is_dropped() {
    let agent = fake(|req| vec![Reply::FromOtherPort(response(req, 0, 0, echo(req)))]);
    let c = client(agent.addr, Version::V2c);
    let r = bounded(Duration::from_secs(2), || c.s.get(&[SYS_NAME]));
    assert!(matches!(r, Err(Error::Timeout { .. })), "{r:?}");
    assert_eq!(settled(&c).dropped_wrong_source, 2);
}

#[test]
fn reply_from_another_address_is_dropped() {
    // Same port number, another source address (127.0.0.2).
    let agent = fake(|req| vec![Reply::FromOtherAddress(response(req, 0, 0, echo(req)))]);
    let c = client(agent.addr, Version::V2c);
    let r = bounded(Duration::from_secs(2), || c.s.get(&[SYS_NAME]));
    assert!(
        matches!(r, Err(Error::Timeout { peer, attempts: 2 }) if peer == agent.addr),
        "{r:?}"
    );
    assert_eq!(settled(&c).dropped_wrong_source, 2);
}

#[test]
fn reply_from_another_port_accepted_when_source_check_is_off() {
    let agent = fake(|req| vec![Reply::FromOtherPort(response(req, 0, 0, echo(req)))]);
    let rt = Runtime::new().unwrap();
    let s = Session::builder(&agent.addr.to_string())
        .timeout(Duration::from_millis(200))
        .retries(1)
        .check_source(false)
        .open(&rt)
        .unwrap();
    assert!(bounded(Duration::from_secs(2), || s.get(&[SYS_NAME])).is_ok());
}

#[test]
fn duplicated_replies_complete_once() {
    let agent = fake(|req| {
        let r = response(req, 0, 0, echo(req));
        vec![
            Reply::Bytes(r.clone()),
            Reply::Bytes(r.clone()),
            Reply::Bytes(r),
        ]
    });
    let c = client(agent.addr, Version::V2c);
    let done = Arc::new(AtomicUsize::new(0));
    let d = done.clone();
    c.s.submit(
        snmpx::session::Operation::Get(vec![SYS_NAME.parse().unwrap()]),
        move |r| {
            assert!(r.is_ok());
            d.fetch_add(1, Ordering::Relaxed);
        },
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(done.load(Ordering::Relaxed), 1);
    let st = settled(&c);
    assert_eq!(
        (st.responses_matched, st.dropped_unmatched),
        (1, 2),
        "{st:?}"
    );
}

#[test]
fn late_reply_after_the_timeout_completes_nothing() {
    // Every answer arrives 700 ms late: after 200 ms x 2 attempts the call has timed out.
    let agent = fake(|req| {
        vec![Reply::Delayed(
            Duration::from_millis(700),
            response(req, 0, 0, echo(req)),
        )]
    });
    let c = client(agent.addr, Version::V2c);
    let r = bounded(Duration::from_secs(2), || c.s.get(&[SYS_NAME]));
    assert!(
        matches!(r, Err(Error::Timeout { attempts: 2, .. })),
        "{r:?}"
    );
    std::thread::sleep(Duration::from_millis(900));
    let st = settled(&c);
    assert_eq!(st.completed, 1);
    assert_eq!(st.dropped_unmatched, 2, "both late answers dropped: {st:?}");
}

#[test]
fn reply_to_the_first_transmission_after_a_retransmission_is_accepted() {
    // The first transmission's answer arrives at 300 ms, after the 200 ms retransmission.
    let agent = fake(|req| {
        if req.n == 1 {
            vec![Reply::Delayed(
                Duration::from_millis(300),
                response(req, 0, 0, echo(req)),
            )]
        } else {
            Vec::new()
        }
    });
    let rt = Runtime::new().unwrap();
    let s = Session::builder(&agent.addr.to_string())
        .timeout(Duration::from_millis(200))
        .retries(3)
        .open(&rt)
        .unwrap();
    let r = bounded(Duration::from_secs(2), || s.get(&[SYS_NAME]));
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(agent.received.load(Ordering::Relaxed), 2);
    assert_eq!(rt.stats().retransmissions, 1);
}

#[test]
fn silent_agent_times_out_within_the_budget() {
    let agent = fake(|_| Vec::new());
    let c = client(agent.addr, Version::V2c);
    let t0 = Instant::now();
    let r = c.s.get(&[SYS_NAME]);
    let took = t0.elapsed();
    assert!(
        matches!(r, Err(Error::Timeout { attempts: 2, .. })),
        "{r:?}"
    );
    assert!(
        took >= Duration::from_millis(400) && took < Duration::from_secs(2),
        "{took:?}"
    );
    assert_eq!(agent.received.load(Ordering::Relaxed), 2);
}
