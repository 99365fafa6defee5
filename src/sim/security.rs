//! The per-device security hook: how a request datagram is decoded and checked, and how the
//! response is framed. v1/v2c community checking is built in ([`CommunitySecurity`]); SNMPv3
//! USM ([`super::UsmSecurity`]) plugs in through the same [`Security`] trait (it gets the
//! device index, so each device has its own engine ID and keys, and it answers discovery and
//! errors itself with Reports).

use crate::ber::Writer;
use crate::message::{self, Version};
use crate::pdu::{DecodedPdu, Pdu, PduType};
use crate::value::tag;
use std::any::Any;

/// Why a datagram got no answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropReason {
    /// Wrong community (or failed authentication): real agents stay silent.
    Auth,
    /// Not decodable, or not a request PDU.
    Invalid,
    /// A version or PDU kind this simulator does not serve (e.g. v3 without a hook).
    Unsupported,
}

/// What the responder needs to frame the reply to one request.
pub enum ReplyContext {
    /// v1/v2c: echo the version and the community the request used.
    Community {
        /// The request's version.
        version: Version,
        /// The request's community.
        community: Vec<u8>,
    },
    /// State of a custom [`Security`] implementation (e.g. v3 msgID, user, keys).
    Custom(Box<dyn Any + Send>),
}

/// A request accepted by [`Security::open`].
pub struct Incoming {
    /// The message version (v1 changes error semantics).
    pub version: Version,
    /// The request PDU.
    pub pdu: Pdu,
    /// How to frame the reply.
    pub reply: ReplyContext,
}

/// The outcome of [`Security::open`].
pub enum Opened {
    /// A request for the agent to answer.
    Request(Incoming),
    /// A finished reply the security layer produced itself (e.g. a v3 Report).
    Reply(Vec<u8>),
    /// No answer.
    Drop(DropReason),
}

/// A response PDU whose variable bindings are already encoded (the contents of the
/// VarBindList SEQUENCE), ready for a [`Security`] to frame.
pub struct ResponseBody<'a> {
    /// request-id.
    pub request_id: i32,
    /// error-status.
    pub error_status: i32,
    /// error-index.
    pub error_index: i32,
    /// Encoded VarBind elements, concatenated.
    pub varbinds: &'a [u8],
}

impl ResponseBody<'_> {
    /// Appends the encoded Response-PDU to `buf`.
    pub fn write(&self, buf: &mut Vec<u8>) {
        let pdu = {
            let mut w = Writer::new(buf);
            let pdu = w.begin(PduType::Response.tag());
            w.i64(tag::INTEGER, self.request_id as i64);
            w.i64(tag::INTEGER, self.error_status as i64);
            w.i64(tag::INTEGER, self.error_index as i64);
            w.header(tag::SEQUENCE, self.varbinds.len());
            pdu
        };
        buf.extend_from_slice(self.varbinds);
        Writer::new(buf).end(pdu);
    }
}

/// Decodes/authenticates requests and frames responses for the simulated devices.
///
/// Thread-safety: shared by every worker thread (`Send + Sync`); calls for one device may run
/// on several threads at once.
pub trait Security: Send + Sync {
    /// Decodes and checks a datagram sent to `device`.
    fn open(&self, device: usize, datagram: &[u8]) -> Opened;
    /// Frames `body` as the reply to a request `open` accepted, into `out` (cleared first).
    fn seal(&self, device: usize, reply: &ReplyContext, body: &ResponseBody<'_>, out: &mut Vec<u8>);
    /// Upper bound of the bytes `seal` adds around the Response-PDU (for size limits).
    fn overhead(&self, reply: &ReplyContext) -> usize;
}

/// v1/v2c with one community for every device. A wrong community is silently dropped; v3
/// messages are dropped as unsupported.
#[derive(Clone, Debug)]
pub struct CommunitySecurity {
    community: Vec<u8>,
}

impl CommunitySecurity {
    /// Accepts requests carrying `community`.
    pub fn new(community: impl AsRef<[u8]>) -> CommunitySecurity {
        CommunitySecurity {
            community: community.as_ref().to_vec(),
        }
    }
}

impl Security for CommunitySecurity {
    fn open(&self, _device: usize, datagram: &[u8]) -> Opened {
        let msg = match message::decode_community(datagram) {
            Ok(m) => m,
            Err(message::MessageError::WrongModel) => return Opened::Drop(DropReason::Unsupported),
            Err(_) => return Opened::Drop(DropReason::Invalid),
        };
        if msg.community != self.community.as_slice() {
            return Opened::Drop(DropReason::Auth);
        }
        let DecodedPdu::Pdu(pdu) = msg.pdu else {
            return Opened::Drop(DropReason::Invalid);
        };
        Opened::Request(Incoming {
            version: msg.version,
            pdu,
            reply: ReplyContext::Community {
                version: msg.version,
                community: self.community.clone(),
            },
        })
    }

    fn seal(
        &self,
        _device: usize,
        reply: &ReplyContext,
        body: &ResponseBody<'_>,
        out: &mut Vec<u8>,
    ) {
        out.clear();
        let (version, community) = match reply {
            ReplyContext::Community { version, community } => (*version, community.as_slice()),
            ReplyContext::Custom(_) => (Version::V2c, self.community.as_slice()),
        };
        let m = {
            let mut w = Writer::new(out);
            let m = w.begin(tag::SEQUENCE);
            w.i64(tag::INTEGER, version.code() as i64);
            w.bytes(tag::OCTET_STRING, community);
            m
        };
        body.write(out);
        Writer::new(out).end(m);
    }

    fn overhead(&self, _reply: &ReplyContext) -> usize {
        // SEQUENCE header (<= 5) + version (3) + community TLV (<= 5 + len) + PDU header (<= 5)
        // + request-id (<= 6) + error-status (3) + error-index (<= 6) + VarBindList header (<= 5).
        40 + self.community.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdu::encode_varbinds;
    use crate::value::{Value, VarBind};

    #[test]
    fn seal_matches_the_message_encoder() {
        let vbs = vec![VarBind::new(
            "1.3.6.1.2.1.1.5.0".parse().unwrap(),
            Value::from("x".repeat(300).as_str()),
        )];
        let mut list = Vec::new();
        encode_varbinds(&mut Writer::new(&mut list), &vbs);
        // Strip the VarBindList header to get the concatenated elements.
        let mut r = crate::ber::Reader::new(&list);
        let inner = r.read_tlv().unwrap().value;
        let sec = CommunitySecurity::new("public");
        let ctx = ReplyContext::Community {
            version: Version::V2c,
            community: b"public".to_vec(),
        };
        let mut out = Vec::new();
        let body = ResponseBody {
            request_id: 77,
            error_status: 0,
            error_index: 0,
            varbinds: inner,
        };
        sec.seal(0, &ctx, &body, &mut out);
        let pdu = Pdu {
            kind: PduType::Response,
            request_id: 77,
            error_status: 0,
            error_index: 0,
            varbinds: vbs,
        };
        let mut want = Vec::new();
        message::encode_community(&mut want, Version::V2c, b"public", &pdu);
        assert_eq!(out, want);
        assert!(out.len() <= inner.len() + sec.overhead(&ctx));
    }
}
