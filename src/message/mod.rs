//! Per-version message framing. v1 and v2c wrap a PDU with a version and a community
//! (RFC 1157 §4, RFC 1901 §3); SNMPv3 (RFC 3412 §6 with the USM, RFC 3414) is in [`v3`].

use crate::ber::{BerError, Reader, Writer};
use crate::pdu::{self, DecodedPdu, Pdu, PduType, TrapV1};
use crate::value::tag;
use crate::value::VarBind;

mod quoted;
pub mod v3;

pub use quoted::{quoted_id, QuotedId};

/// The SNMP message version (the `version` field's value, RFC 3412 §6 numbering).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    /// SNMPv1 (`version-1(0)`).
    V1,
    /// SNMPv2c (`version-2c(1)`, RFC 1901).
    V2c,
    /// SNMPv3 (`3`, RFC 3412).
    V3,
}

impl Version {
    /// The wire value of the version field.
    pub fn code(self) -> i32 {
        match self {
            Version::V1 => 0,
            Version::V2c => 1,
            Version::V3 => 3,
        }
    }

    /// The version for a wire value.
    pub fn from_code(c: i32) -> Option<Version> {
        match c {
            0 => Some(Version::V1),
            1 => Some(Version::V2c),
            3 => Some(Version::V3),
            _ => None,
        }
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Version::V1 => "1",
            Version::V2c => "2c",
            Version::V3 => "3",
        })
    }
}

impl std::str::FromStr for Version {
    type Err = String;
    /// Accepts Net-SNMP's `-v` spellings: `1`, `2c`, `2`, `3` (and `v1`, `v2c`, `v3`).
    fn from_str(s: &str) -> Result<Version, String> {
        match s.trim().to_ascii_lowercase().trim_start_matches('v') {
            "1" => Ok(Version::V1),
            "2c" | "2" => Ok(Version::V2c),
            "3" => Ok(Version::V3),
            _ => Err(format!("invalid SNMP version {s:?} (expected 1, 2c or 3)")),
        }
    }
}

/// A decoded v1/v2c message, borrowing the community from the datagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityMessage<'a> {
    /// v1 or v2c.
    pub version: Version,
    /// The community string.
    pub community: &'a [u8],
    /// The PDU.
    pub pdu: DecodedPdu,
}

/// Encodes a v1/v2c message carrying `pdu` into `buf` (cleared first).
pub fn encode_community(buf: &mut Vec<u8>, version: Version, community: &[u8], pdu: &Pdu) {
    community_message(buf, version, community, |w| pdu::encode_pdu(w, pdu));
}

/// Encodes a v1/v2c message carrying a PDU given by its parts (see
/// [`encode_community`]); the bindings are borrowed, so a request needs no PDU of its own.
pub fn encode_community_request(
    buf: &mut Vec<u8>,
    version: Version,
    community: &[u8],
    kind: PduType,
    request_id: i32,
    varbinds: &[VarBind],
) {
    community_message(buf, version, community, |w| {
        pdu::encode_request_pdu(w, kind, request_id, 0, 0, varbinds)
    });
}

/// The community message envelope (RFC 3416 §3 / RFC 1157 §4) around `body`, into `buf`
/// (cleared first).
fn community_message(
    buf: &mut Vec<u8>,
    version: Version,
    community: &[u8],
    body: impl FnOnce(&mut Writer<'_>),
) {
    buf.clear();
    let mut w = Writer::new(buf);
    let m = w.begin(tag::SEQUENCE);
    w.i64(tag::INTEGER, version.code() as i64);
    w.bytes(tag::OCTET_STRING, community);
    body(&mut w);
    w.end(m);
}

/// Encodes a v1 Trap message (RFC 1157 §4.1.6) into `buf` (cleared first).
pub fn encode_trap_v1(buf: &mut Vec<u8>, community: &[u8], trap: &TrapV1) {
    community_message(buf, Version::V1, community, |w| {
        pdu::encode_trap_v1(w, trap)
    });
}

/// Why a datagram is not a message we can use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MessageError {
    /// Malformed BER.
    #[error("malformed message: {0}")]
    Ber(#[from] BerError),
    /// A version field we do not speak.
    #[error("unsupported SNMP version {0}")]
    UnsupportedVersion(i32),
    /// A v3 message handed to the community decoder (or the reverse).
    #[error("message is SNMPv3, not community-based")]
    WrongModel,
}

/// Peeks the version field of a message without decoding the rest.
pub fn peek_version(datagram: &[u8]) -> Result<Version, MessageError> {
    let mut r = Reader::new(datagram);
    let mut seq = r.sequence(tag::SEQUENCE)?;
    let v = seq.read_i32(tag::INTEGER)?;
    Version::from_code(v).ok_or(MessageError::UnsupportedVersion(v))
}

/// Decodes a complete v1/v2c message. Trailing bytes after the message are rejected.
pub fn decode_community(datagram: &[u8]) -> Result<CommunityMessage<'_>, MessageError> {
    let mut r = Reader::new(datagram);
    let mut seq = r.sequence(tag::SEQUENCE)?;
    r.finish()?;
    let v = seq.read_i32(tag::INTEGER)?;
    let version = match Version::from_code(v) {
        Some(Version::V3) => return Err(MessageError::WrongModel),
        Some(v) => v,
        None => return Err(MessageError::UnsupportedVersion(v)),
    };
    let community = seq.read_bytes(tag::OCTET_STRING)?;
    let pdu = pdu::decode_pdu(&mut seq)?;
    seq.finish()?;
    Ok(CommunityMessage {
        version,
        community,
        pdu,
    })
}
