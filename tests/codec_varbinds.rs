//! The VarBind list decoder fills its result in place (a counting first pass, then each
//! VarBind decoded into its slot): these tests check that every shape of OID and value comes
//! out as it went in, lists longer than the count's cap, non-minimal lengths mid-list, and
//! that malformed lists are typed errors wherever the fault sits.

use snmpx::message::{decode_community, encode_community, Version};
use snmpx::pdu::{DecodedPdu, Pdu, PduType};
use snmpx::{OctetString, Oid, Value, VarBind};

fn encode(pdu: &Pdu) -> Vec<u8> {
    let mut buf = Vec::new();
    encode_community(&mut buf, Version::V2c, b"public", pdu);
    buf
}

fn response(varbinds: Vec<VarBind>) -> Pdu {
    Pdu {
        kind: PduType::Response,
        request_id: -7,
        error_status: 0,
        error_index: 0,
        varbinds,
    }
}

fn decoded(bytes: &[u8]) -> Pdu {
    match decode_community(bytes).unwrap().pdu {
        DecodedPdu::Pdu(p) => p,
        other => panic!("not a Pdu: {other:?}"),
    }
}

/// OIDs of 1 to 40 arcs (inline, the 15-arc boundary, heap), arcs of one to five octets, and
/// values of every kind and size (strings around the 46-octet inline limit, OID values).
fn varied() -> Vec<VarBind> {
    let mut out = Vec::new();
    for n in 1..=40u32 {
        let mut arcs = vec![1u32, 3];
        arcs.extend((0..n.saturating_sub(1)).map(|i| match i % 5 {
            0 => i,
            1 => 127,
            2 => 128,
            3 => 16_383 + i,
            _ => u32::MAX - i,
        }));
        arcs.truncate(n.max(2) as usize);
        let oid = Oid::from_slice(&arcs).unwrap();
        let value = match n % 8 {
            0 => Value::OctetString(OctetString::from_slice(&vec![b'x'; n as usize + 30])),
            1 => Value::Integer(i32::MIN + n as i32),
            2 => Value::ObjectId(oid.clone()),
            3 => Value::Counter64(u64::MAX - n as u64),
            4 => Value::OctetString(OctetString::from_slice(&vec![0x80; n as usize])),
            5 => Value::Gauge32(n),
            6 => Value::EndOfMibView,
            _ => Value::IpAddress([10, 0, 0, n as u8]),
        };
        out.push(VarBind::new(oid, value));
    }
    // The single-octet-arc fast path at its limits: 14 content octets (15 arcs, inline) and
    // 15 content octets (16 arcs, heap); the first octet split under 0, 1 and 2.
    for first in [0u32, 1, 2] {
        let mut arcs = vec![first, 39];
        arcs.extend(1..=13);
        out.push(VarBind::new(
            Oid::from_slice(&arcs).unwrap(),
            Value::from("fifteen"),
        ));
        arcs.push(14);
        out.push(VarBind::null(Oid::from_slice(&arcs).unwrap()));
    }
    out
}

#[test]
fn varied_varbinds_round_trip() {
    let pdu = response(varied());
    assert_eq!(decoded(&encode(&pdu)), pdu);
    // One varbind at a time too (the counting pass sees a list of one).
    for vb in varied() {
        let one = response(vec![vb]);
        assert_eq!(decoded(&encode(&one)), one);
    }
    // And none.
    let empty = response(Vec::new());
    assert_eq!(decoded(&encode(&empty)), empty);
}

/// The counting pass stops at 256; longer lists still decode whole.
#[test]
fn lists_longer_than_the_count_cap() {
    for n in [255usize, 256, 257, 600] {
        let vbs: Vec<VarBind> = (0..n)
            .map(|i| {
                VarBind::new(
                    format!("1.3.6.1.2.1.31.1.1.1.6.{}", i + 1).parse().unwrap(),
                    Value::Counter64(i as u64),
                )
            })
            .collect();
        let pdu = response(vbs);
        assert_eq!(decoded(&encode(&pdu)), pdu, "{n} varbinds");
    }
}

/// Re-encodes the VarBind at `index` of a v2c message made by [`encode`] with long-form
/// (non-minimal, 0x81 L) lengths for the VarBind and both its elements, fixing up the
/// enclosing lengths. Agents send such lengths; they must decode to the same values.
fn with_long_form_varbind(pdu: &Pdu, index: usize) -> Vec<u8> {
    let mut vbs_bytes = Vec::new();
    for (i, vb) in pdu.varbinds.iter().enumerate() {
        let mut one = Vec::new();
        encode_community(&mut one, Version::V2c, b"", &response(vec![vb.clone()]));
        let vb_bytes = last_varbind(&one);
        if i == index {
            vbs_bytes.extend(long_form(vb_bytes));
        } else {
            vbs_bytes.extend_from_slice(vb_bytes);
        }
    }
    let mut body = Vec::new();
    body.extend([0x02, 0x01, 0xf9]); // request-id -7
    body.extend([0x02, 0x01, 0x00, 0x02, 0x01, 0x00]);
    push_tlv(&mut body, 0x30, &vbs_bytes);
    let mut msg = Vec::new();
    msg.extend([0x02, 0x01, 0x01, 0x04, 0x06]);
    msg.extend(b"public");
    push_tlv(&mut msg, 0xa2, &body);
    let mut out = Vec::new();
    push_tlv(&mut out, 0x30, &msg);
    out
}

/// The bytes of the one VarBind in a one-VarBind message: the varbind list is the last
/// element, so its single SEQUENCE ends the message; walk the nesting from the top.
fn last_varbind(msg: &[u8]) -> &[u8] {
    let mut r = snmpx::ber::Reader::new(msg);
    let mut m = r.sequence(0x30).unwrap();
    m.read_tlv().unwrap(); // version
    m.read_tlv().unwrap(); // community
    let pdu = m.read_tlv().unwrap();
    let mut p = snmpx::ber::Reader::new(pdu.value);
    for _ in 0..3 {
        p.read_tlv().unwrap();
    }
    let list = p.read_tlv().unwrap();
    list.value
}

/// A VarBind's bytes with every length in the 0x81 form.
fn long_form(vb: &[u8]) -> Vec<u8> {
    let mut r = snmpx::ber::Reader::new(vb);
    let seq = r.read_tlv().unwrap();
    let mut inner = snmpx::ber::Reader::new(seq.value);
    let mut content = Vec::new();
    while !inner.is_empty() {
        let t = inner.read_tlv().unwrap();
        content.extend([t.tag, 0x81, t.value.len() as u8]);
        content.extend_from_slice(t.value);
    }
    let mut out = vec![0x30, 0x81, content.len() as u8];
    out.extend(content);
    out
}

fn push_tlv(out: &mut Vec<u8>, tag: u8, content: &[u8]) {
    out.push(tag);
    match content.len() {
        n if n < 0x80 => out.push(n as u8),
        n if n < 0x100 => out.extend([0x81, n as u8]),
        n => out.extend([0x82, (n >> 8) as u8, n as u8]),
    }
    out.extend_from_slice(content);
}

#[test]
fn long_form_lengths_mid_list_decode_the_same() {
    let pdu = response(varied()[..12].to_vec());
    // The hand-built framing with short forms everywhere matches the encoder's bytes.
    assert_eq!(decoded(&with_long_form_varbind(&pdu, usize::MAX)), pdu);
    for index in [0, 5, 11] {
        assert_eq!(
            decoded(&with_long_form_varbind(&pdu, index)),
            pdu,
            "long form at {index}"
        );
    }
}

/// A fault in any VarBind, first, middle or last, is a typed error (never a panic, never a
/// partial list).
#[test]
fn a_bad_varbind_anywhere_fails_the_message() {
    let pdu = response(varied()[..10].to_vec());
    let good = encode(&pdu);
    let list_start = good.len() - last_list_len(&good);
    let mut starts = Vec::new();
    let mut r = snmpx::ber::Reader::new(&good[list_start..]);
    while !r.is_empty() {
        starts.push(list_start + r.position());
        r.read_tlv().unwrap();
    }
    for &at in [starts[0], starts[4], starts[9]].iter() {
        // 1. The OID's first octet made 0x80 (non-minimal sub-identifier, X.690 §8.19.2).
        let mut bad = good.clone();
        bad[at + 4] = 0x80;
        assert!(decode_community(&bad).is_err(), "bad OID at {at}");
        // 2. The name's tag changed from OBJECT IDENTIFIER to OCTET STRING.
        let mut bad = good.clone();
        bad[at + 2] = 0x04;
        assert!(decode_community(&bad).is_err(), "bad name tag at {at}");
        // 3. The VarBind's tag made a high tag number (X.690 §8.1.2.4).
        let mut bad = good.clone();
        bad[at] = 0x3f;
        assert!(decode_community(&bad).is_err(), "high tag at {at}");
    }
}

/// Length of the varbind list's content (it ends the message).
fn last_list_len(msg: &[u8]) -> usize {
    let mut r = snmpx::ber::Reader::new(msg);
    let mut m = r.sequence(0x30).unwrap();
    m.read_tlv().unwrap();
    m.read_tlv().unwrap();
    let pdu = m.read_tlv().unwrap();
    let mut p = snmpx::ber::Reader::new(pdu.value);
    for _ in 0..3 {
        p.read_tlv().unwrap();
    }
    p.read_tlv().unwrap().value.len()
}
