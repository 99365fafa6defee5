//! The identifiers in the first bytes of a request we sent, as an ICMP error quotes it.
//!
//! An ICMP error carries the start of the datagram that caused it (RFC 792: at least the
//! IP header and 8 octets, i.e. only the UDP header; RFC 1812 §4.3.2.3: as much as fits in
//! 576 octets; ICMPv6, RFC 4443 §3.1: as much as fits in 1280). The quoted bytes are a
//! prefix of one of our messages, so the outer lengths run past the end: this reader takes
//! each header on trust and only needs the fields it reads to be complete. Requests name
//! themselves early: the request-id is the first field of the PDU (RFC 3416 §3) and the
//! msgID the first field of msgGlobalData (RFC 3412 §6).

use crate::value::tag;

/// What a quoted message says about the request it belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuotedId {
    /// A v1/v2c message: the PDU's request-id.
    RequestId(i32),
    /// An SNMPv3 message: its msgID.
    MsgId(i32),
}

/// A cursor over a possibly truncated BER prefix.
struct Prefix<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl Prefix<'_> {
    /// Reads a tag and a definite length (not checked against the bytes left).
    fn header(&mut self) -> Option<(u8, usize)> {
        let t = *self.buf.get(self.pos)?;
        let first = *self.buf.get(self.pos + 1)?;
        self.pos += 2;
        if first < 0x80 {
            return Some((t, first as usize));
        }
        let n = (first & 0x7f) as usize;
        // 0x80 is the indefinite form, which we never send; more than 4 octets never fits.
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for _ in 0..n {
            len = (len << 8) | *self.buf.get(self.pos)? as usize;
            self.pos += 1;
        }
        Some((t, len))
    }

    /// A constructed header with tag `t`; its contents follow.
    fn enter(&mut self, t: u8) -> Option<()> {
        (self.header()?.0 == t).then_some(())
    }

    /// A complete primitive value with tag `t`.
    fn value(&mut self, t: u8) -> Option<&[u8]> {
        let (got, len) = self.header()?;
        if got != t {
            return None;
        }
        let v = self.buf.get(self.pos..self.pos.checked_add(len)?)?;
        self.pos += len;
        Some(v)
    }

    /// A complete INTEGER that fits an i32 (what we send as ids and versions).
    fn int(&mut self) -> Option<i32> {
        crate::ber::decode_i32(self.value(tag::INTEGER)?).ok()
    }
}

/// The request-id (v1/v2c) or msgID (v3) of the message `quoted` starts, if the prefix is
/// long enough to hold it and looks like one of our requests.
pub fn quoted_id(quoted: &[u8]) -> Option<QuotedId> {
    let mut p = Prefix {
        buf: quoted,
        pos: 0,
    };
    p.enter(tag::SEQUENCE)?;
    match p.int()? {
        0 | 1 => {
            p.value(tag::OCTET_STRING)?;
            let (pdu, _) = p.header()?;
            // Context-specific constructed tags [0]..[8] (RFC 3416 §3).
            if !(0xa0..=0xa8).contains(&pdu) {
                return None;
            }
            p.int().map(QuotedId::RequestId)
        }
        3 => {
            p.enter(tag::SEQUENCE)?;
            p.int().map(QuotedId::MsgId)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::{encode_community, v3::encode_discovery, Version};
    use crate::pdu::{Pdu, PduType};
    use crate::value::VarBind;

    fn get(rid: i32, community: &[u8]) -> Vec<u8> {
        let pdu = Pdu {
            kind: PduType::GetRequest,
            request_id: rid,
            error_status: 0,
            error_index: 0,
            varbinds: vec![VarBind::null("1.3.6.1.2.1.1.5.0".parse().unwrap())],
        };
        let mut out = Vec::new();
        encode_community(&mut out, Version::V2c, community, &pdu);
        out
    }

    #[test]
    fn request_id_from_whole_and_truncated_messages() {
        for rid in [0, 1, 127, 128, -5, i32::MAX, 0x1234_5678] {
            let m = get(rid, b"public");
            assert_eq!(quoted_id(&m), Some(QuotedId::RequestId(rid)));
            // The outer lengths run past a quote cut just after the request-id.
            let cut = 2 + 3 + 8 + 2 + 2 + m[16] as usize;
            assert_eq!(quoted_id(&m[..cut]), Some(QuotedId::RequestId(rid)));
            assert_eq!(quoted_id(&m[..cut - 1]), None, "request-id cut short");
        }
        // A long community (long-form lengths) still leaves the id within the quote.
        let m = get(77, &[b'c'; 300]);
        assert_eq!(quoted_id(&m[..330]), Some(QuotedId::RequestId(77)));
    }

    #[test]
    fn msg_id_of_v3_messages() {
        let mut m = Vec::new();
        encode_discovery(&mut m, 4242, 99).unwrap();
        assert_eq!(quoted_id(&m), Some(QuotedId::MsgId(4242)));
        assert_eq!(quoted_id(&m[..12]), Some(QuotedId::MsgId(4242)));
    }

    #[test]
    fn nothing_from_what_is_not_a_request_prefix() {
        // RFC 792's minimum quote: the UDP header only, no payload.
        assert_eq!(quoted_id(&[]), None);
        assert_eq!(quoted_id(&[0x30]), None);
        assert_eq!(
            quoted_id(&[0x30, 0x80, 0x02, 0x01, 0x01]),
            None,
            "indefinite"
        );
        assert_eq!(quoted_id(&[0x04, 0x03, 1, 2, 3]), None, "not a SEQUENCE");
        // Version 2 is not a version.
        let mut m = get(5, b"public");
        m[4] = 2;
        assert_eq!(quoted_id(&m), None);
        // A response-like tag outside [0]..[8].
        let mut m = get(5, b"public");
        m[13] = 0xa9;
        assert_eq!(quoted_id(&m), None);
        // Length of length beyond 4 octets.
        assert_eq!(quoted_id(&[0x30, 0x85, 1, 1, 1, 1, 1, 2, 1, 0]), None);
    }
}
