//! Malformed datagrams: each is dropped and counted as invalid, and the correct answer that
//! follows it still completes the request (a bad datagram loses nothing).

use super::*;
use snmpx::message::Version;

/// The agent sends `bad(good)` first, then `good`; the Get must succeed with exactly one
/// datagram counted invalid.
fn dropped_then_ok(bad: impl Fn(Vec<u8>) -> Vec<u8> + Send + 'static) {
    let agent = fake(move |req| {
        let good = response(req, 0, 0, echo(req));
        vec![Reply::Bytes(bad(good.clone())), Reply::Bytes(good)]
    });
    let c = client(agent.addr, Version::V2c);
    let r = bounded(Duration::from_secs(2), || c.s.get(&[SYS_NAME]));
    assert_eq!(r.unwrap()[0].value, Value::from("answer"));
    let st = settled(&c);
    assert_eq!(st.dropped_invalid, 1, "{st:?}");
    assert_eq!(st.responses_matched, 1);
}

#[test]
fn truncated_datagram() {
    dropped_then_ok(|mut g| {
        g.truncate(g.len() - 3);
        g
    });
}

#[test]
fn truncated_to_one_octet() {
    dropped_then_ok(|g| g[..1].to_vec());
}

#[test]
fn empty_datagram() {
    dropped_then_ok(|_| Vec::new());
}

#[test]
fn outer_length_larger_than_datagram() {
    dropped_then_ok(|mut g| {
        // 30 LL ...: claim more content than there is (short form max).
        g[1] = 0x7f;
        g
    });
}

#[test]
fn long_form_length_of_four_gigabytes() {
    dropped_then_ok(|g| {
        let mut b = vec![0x30, 0x84, 0xff, 0xff, 0xff, 0xff];
        b.extend_from_slice(&g[2..]);
        b
    });
}

#[test]
fn indefinite_length() {
    // X.690 §8.1.3.6 indefinite form, forbidden by RFC 3417 §8.
    dropped_then_ok(|g| {
        let mut b = vec![0x30, 0x80];
        b.extend_from_slice(&g[2..]);
        b.extend_from_slice(&[0, 0]);
        b
    });
}

#[test]
fn nested_sequence_bomb() {
    dropped_then_ok(|_| {
        let mut b = vec![0x05, 0x00];
        for _ in 0..2000 {
            let mut outer = vec![0x30, 0x82, (b.len() >> 8) as u8, b.len() as u8];
            outer.extend_from_slice(&b);
            b = outer;
            if b.len() > 60_000 {
                break;
            }
        }
        b
    });
}

#[test]
fn garbage_bytes() {
    dropped_then_ok(|g| g.iter().map(|b| b ^ 0x5a).collect());
}

#[test]
fn trailing_bytes_after_the_message() {
    dropped_then_ok(|mut g| {
        g.extend_from_slice(&[0x05, 0x00]);
        g
    });
}

/// Replaces the first occurrence of `from` with `to` (same length, so every enclosing
/// length stays right) in `g`.
fn patch(mut g: Vec<u8>, from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let at = g
        .windows(from.len())
        .position(|w| w == from)
        .expect("pattern present");
    g[at..at + from.len()].copy_from_slice(to);
    g
}

#[test]
fn oid_sub_identifier_overflow() {
    // sysName.0 = 06 08 2b 06 01 02 01 01 05 00: make the last arcs one 5-octet sub-id
    // above 2^32-1 (X.690 §8.19.2; RFC 2578 §7.1.3).
    dropped_then_ok(|g| {
        patch(
            g,
            &[0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x05, 0x00],
            &[0x06, 0x08, 0x2b, 0x06, 0x01, 0x9f, 0xff, 0xff, 0xff, 0x7f],
        )
    });
}

#[test]
fn oid_non_minimal_sub_identifier() {
    dropped_then_ok(|g| {
        patch(
            g,
            &[0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x05, 0x00],
            &[0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x80, 0x05, 0x00],
        )
    });
}

#[test]
fn oid_truncated_sub_identifier() {
    dropped_then_ok(|g| {
        patch(
            g,
            &[0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x05, 0x00],
            &[0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x05, 0x85],
        )
    });
}

#[test]
fn oid_with_more_than_128_arcs() {
    // 1.3 then 138 more arcs: 139 octets of content, 140 arcs (RFC 2578 §3.5: at most 128).
    dropped_then_ok(|_| {
        let mut oid = vec![0x2b];
        oid.extend(std::iter::repeat(0x03).take(138));
        let vb = tlv(0x30, &[tlv(0x06, &oid), tlv(0x05, &[])].concat());
        raw_response(&[0x01], &[vb])
    });
}

#[test]
fn request_id_outside_integer32() {
    // Five content octets: 2^32, outside Integer32 (RFC 3416 §3 request-id range).
    dropped_then_ok(|_| {
        let vb = tlv(
            0x30,
            &[tlv(0x06, &[0x2b, 6, 1, 2, 1, 1, 5, 0]), tlv(0x05, &[])].concat(),
        );
        raw_response(&[0x01, 0, 0, 0, 0], &[vb])
    });
}

#[test]
fn integer_value_outside_integer32() {
    // A varbind INTEGER of 5 significant octets (RFC 2578 §7.1.1: Integer32).
    dropped_then_ok(|_| {
        let vb = tlv(
            0x30,
            &[
                tlv(0x06, &[0x2b, 6, 1, 2, 1, 1, 5, 0]),
                tlv(0x02, &[0x7f, 0, 0, 0, 0]),
            ]
            .concat(),
        );
        raw_response(&[0x01], &[vb])
    });
}

#[test]
fn counter32_above_2_pow_32() {
    // 41 05 01 00 00 00 00 = 2^32: one more than Counter32 holds.
    dropped_then_ok(|_| {
        let vb = tlv(
            0x30,
            &[
                tlv(0x06, &[0x2b, 6, 1, 2, 1, 1, 5, 0]),
                tlv(0x41, &[1, 0, 0, 0, 0]),
            ]
            .concat(),
        );
        raw_response(&[0x01], &[vb])
    });
}

#[test]
fn ip_address_of_five_octets() {
    // RFC 2578 §7.1.5: IpAddress is exactly 4 octets.
    dropped_then_ok(|_| {
        let vb = tlv(
            0x30,
            &[
                tlv(0x06, &[0x2b, 6, 1, 2, 1, 1, 5, 0]),
                tlv(0x40, &[10, 0, 0, 1, 9]),
            ]
            .concat(),
        );
        raw_response(&[0x01], &[vb])
    });
}

#[test]
fn constructed_value() {
    dropped_then_ok(|_| {
        let vb = tlv(
            0x30,
            &[
                tlv(0x06, &[0x2b, 6, 1, 2, 1, 1, 5, 0]),
                tlv(0x30, &tlv(0x05, &[])),
            ]
            .concat(),
        );
        raw_response(&[0x01], &[vb])
    });
}

#[test]
fn wrong_pdu_tag() {
    // A GetRequest (a0) where the Response (a2) belongs.
    dropped_then_ok(|mut g| {
        let at = g.iter().position(|&b| b == 0xa2).unwrap();
        g[at] = 0xa0;
        g
    });
}

#[test]
fn wrong_version() {
    // version 1 (v2c) -> 0 (v1): a v1 answer to a v2c request.
    dropped_then_ok(|mut g| {
        assert_eq!(&g[2..5], &[0x02, 0x01, 0x01]);
        g[4] = 0x00;
        g
    });
}

#[test]
fn wrong_community_echoed() {
    dropped_then_ok(|g| patch(g, b"public", b"PUBLIC"));
}

#[test]
fn datagram_of_64_kib() {
    // One OCTET STRING of 65,000 bytes: the largest answers still arrive whole.
    let agent = fake(|req| {
        let vb = VarBind::new(
            req.pdu.varbinds[0].oid.clone(),
            Value::OctetString(vec![b'x'; 65_000].into()),
        );
        vec![Reply::Bytes(response(req, 0, 0, vec![vb]))]
    });
    let c = client(agent.addr, Version::V2c);
    let r = bounded(Duration::from_secs(2), || c.s.get(&[SYS_NAME])).unwrap();
    assert_eq!(r[0].value.as_bytes().map(|b| b.len()), Some(65_000));
}

#[test]
fn response_tag_of_the_application_class() {
    // [APPLICATION 2] constructed (0x62) where the context-specific Response-PDU (0xa2,
    // RFC 3416 §3) belongs.
    dropped_then_ok(|mut g| {
        let at = g.iter().position(|&b| b == 0xa2).unwrap();
        g[at] = 0x62;
        g
    });
}

#[test]
fn response_tag_of_the_private_class() {
    dropped_then_ok(|mut g| {
        let at = g.iter().position(|&b| b == 0xa2).unwrap();
        g[at] = 0xe2;
        g
    });
}

#[test]
fn unknown_version_number() {
    // msgVersion 7: neither v1, v2c nor v3 (RFC 3412 §4.2.1 snmpInvalidMsgs).
    dropped_then_ok(|mut g| {
        assert_eq!(&g[2..5], &[0x02, 0x01, 0x01]);
        g[4] = 0x07;
        g
    });
}
