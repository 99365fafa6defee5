//! The raw BER reader on arbitrary TLV trees: every element is read, constructed ones are
//! entered (up to the depth limit) and every primitive goes through each typed decoder.
//!
//! Checked: no panic; an element's content is the slice its offset names and ends where the
//! next begins; entering is refused only beyond `MAX_DEPTH`; whatever a typed decoder accepts
//! re-encodes (minimally, with our writer) to something that decodes to the same value; the
//! tree re-encoded with minimal lengths reads back as the same tree; and PDU decode on the
//! input gives a PDU that round-trips, or an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use snmpx::ber::{self, BerError, Reader, Writer, MAX_DEPTH};
use snmpx::pdu::{decode_pdu, decode_value, encode_pdu, encode_value, DecodedPdu};

/// One element of the tree as read: tag and either content or children.
#[derive(Debug, PartialEq, Eq)]
enum Node {
    Prim(u8, Vec<u8>),
    Cons(u8, Vec<Node>),
    /// A constructed element too deep to enter, kept as raw content.
    Deep(u8, Vec<u8>),
}

/// Reads every element of `r` (over `buf`); stops at the first error.
fn walk(mut r: Reader<'_>, buf: &[u8], depth: u8, out: &mut Vec<Node>) -> Result<(), BerError> {
    while !r.is_empty() {
        let before = r.position();
        let t = r.read_tlv()?;
        // The content is where the offset says and the element ends at the new position.
        assert_eq!(&buf[t.offset..t.offset + t.value.len()], t.value);
        assert_eq!(t.offset + t.value.len(), r.position());
        assert!(
            t.offset > before && t.offset - before <= 6,
            "header of 2..=6 octets"
        );
        if t.tag & 0x20 != 0 {
            match r.enter(t) {
                Ok(sub) => {
                    let mut kids = Vec::new();
                    let res = walk(sub, t.value, depth + 1, &mut kids);
                    out.push(Node::Cons(t.tag, kids));
                    res?;
                }
                Err(BerError::TooDeep) => {
                    assert!(depth >= MAX_DEPTH, "refused to enter at depth {depth}");
                    out.push(Node::Deep(t.tag, t.value.to_vec()));
                }
                Err(e) => panic!("enter failed with {e:?}"),
            }
        } else {
            primitives(t);
            out.push(Node::Prim(t.tag, t.value.to_vec()));
        }
    }
    Ok(())
}

/// Every typed decoder on one primitive; accepted values must round-trip.
fn primitives(t: ber::Tlv<'_>) {
    let c = t.value;
    if let Ok(v) = ber::decode_i32(c) {
        let mut b = Vec::new();
        Writer::new(&mut b).i64(0x02, v as i64);
        assert_eq!(ber::decode_i32(&b[2..]), Ok(v));
    }
    if let Ok(v) = ber::decode_u32(c) {
        let mut b = Vec::new();
        Writer::new(&mut b).u64(0x41, v as u64);
        assert_eq!(ber::decode_u32(&b[2..]), Ok(v));
    }
    if let Ok(v) = ber::decode_u64(c) {
        let mut b = Vec::new();
        Writer::new(&mut b).u64(0x46, v);
        assert_eq!(ber::decode_u64(&b[2..]), Ok(v));
    }
    if ber::decode_null(c).is_ok() {
        assert!(c.is_empty());
    }
    if let Ok(o) = ber::decode_oid(c) {
        let mut b = Vec::new();
        Writer::new(&mut b).oid(0x06, &o);
        let again = Reader::new(&b)
            .read_oid(0x06)
            .expect("our OID encoding reads back");
        assert_eq!(again, o);
        // A decoded OID prints and parses back to itself.
        assert_eq!(o.to_string().parse::<snmpx::Oid>().ok(), Some(o));
    }
    if let Ok(v) = decode_value(t) {
        let mut b = Vec::new();
        encode_value(&mut Writer::new(&mut b), &v);
        let tlv = Reader::new(&b)
            .read_tlv()
            .expect("our value encoding reads back");
        assert_eq!(decode_value(tlv), Ok(v));
    }
}

/// The tree with minimal lengths.
fn encode(nodes: &[Node], w: &mut Writer<'_>) {
    for n in nodes {
        match n {
            Node::Prim(tag, c) | Node::Deep(tag, c) => w.bytes(*tag, c),
            Node::Cons(tag, kids) => {
                let m = w.begin(*tag);
                encode(kids, w);
                w.end(m);
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut tree = Vec::new();
    if walk(Reader::new(data), data, 0, &mut tree).is_ok() {
        let mut b = Vec::new();
        encode(&tree, &mut Writer::new(&mut b));
        let mut again = Vec::new();
        walk(Reader::new(&b), &b, 0, &mut again).expect("minimal re-encoding reads back");
        assert_eq!(again, tree);
    }
    // The PDU decoder on the same bytes.
    if let Ok(DecodedPdu::Pdu(p)) = decode_pdu(&mut Reader::new(data)) {
        let mut b = Vec::new();
        encode_pdu(&mut Writer::new(&mut b), &p);
        let again = decode_pdu(&mut Reader::new(&b)).expect("our PDU encoding decodes");
        assert_eq!(again, DecodedPdu::Pdu(p));
    }
});
