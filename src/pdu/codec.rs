//! BER encoding and decoding of values, variable bindings and PDUs (RFC 3416 §3, RFC 1157 §4.1).

use super::{Pdu, PduType, TrapV1};
use crate::ber::{self, BerError, Reader, Tlv, Writer};
use crate::octets::OctetString;
use crate::oid::Oid;
use crate::value::{tag, Value, VarBind};

/// Either PDU shape a message can carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodedPdu {
    /// Every kind but the v1 Trap.
    Pdu(Pdu),
    /// A v1 Trap.
    TrapV1(TrapV1),
}

/// Encodes one value.
pub fn encode_value(w: &mut Writer<'_>, v: &Value) {
    match v {
        Value::Integer(i) => w.i64(tag::INTEGER, *i as i64),
        Value::OctetString(b) => w.bytes(tag::OCTET_STRING, b),
        Value::Null => w.null(tag::NULL),
        Value::ObjectId(o) => w.oid(tag::OBJECT_IDENTIFIER, o),
        Value::IpAddress(a) => w.bytes(tag::IP_ADDRESS, a),
        Value::Counter32(u) => w.u64(tag::COUNTER32, *u as u64),
        Value::Gauge32(u) => w.u64(tag::GAUGE32, *u as u64),
        Value::TimeTicks(u) => w.u64(tag::TIMETICKS, *u as u64),
        Value::Opaque(b) => w.bytes(tag::OPAQUE, b),
        Value::Counter64(u) => w.u64(tag::COUNTER64, *u),
        Value::NoSuchObject => w.null(tag::NO_SUCH_OBJECT),
        Value::NoSuchInstance => w.null(tag::NO_SUCH_INSTANCE),
        Value::EndOfMibView => w.null(tag::END_OF_MIB_VIEW),
        Value::Unknown { tag, data } => w.bytes(*tag, data),
    }
}

/// Decodes one value from its TLV. Unknown primitive tags are kept as [`Value::Unknown`];
/// constructed tags are rejected (no SNMP value is constructed).
pub fn decode_value(t: Tlv<'_>) -> Result<Value, BerError> {
    let mut v = Value::Null;
    decode_value_into(t, &mut v)?;
    Ok(v)
}

/// [`decode_value`] writing into `out` where it lies (the VarBind list decoder fills the slot
/// it pushed). On error `out` is left as it was or holds a partial value; either way the
/// caller discards it. The common types come first.
#[inline(always)]
fn decode_value_into(t: Tlv<'_>, out: &mut Value) -> Result<(), BerError> {
    let c = t.value;
    match t.tag {
        tag::INTEGER => *out = Value::Integer(ber::decode_i32(c)?),
        tag::OCTET_STRING => {
            if c.len() <= OctetString::INLINE_CAPACITY {
                *out = Value::OctetString(OctetString::new());
                if let Value::OctetString(s) = out {
                    s.fill_inline(c);
                }
            } else {
                *out = Value::OctetString(OctetString::from_slice(c));
            }
        }
        tag::COUNTER32 => *out = Value::Counter32(ber::decode_u32(c)?),
        tag::GAUGE32 => *out = Value::Gauge32(ber::decode_u32(c)?),
        tag::TIMETICKS => *out = Value::TimeTicks(ber::decode_u32(c)?),
        tag::COUNTER64 => *out = Value::Counter64(ber::decode_u64(c)?),
        tag::OBJECT_IDENTIFIER => {
            *out = Value::ObjectId(Oid::PLACEHOLDER);
            if let Value::ObjectId(o) = out {
                ber::decode_oid_into(c, o)?;
            }
        }
        _ => *out = decode_rare_value(t)?,
    }
    Ok(())
}

/// [`decode_value_into`] for the types rarely seen in responses, kept out of the hot path.
#[inline(never)]
fn decode_rare_value(t: Tlv<'_>) -> Result<Value, BerError> {
    let c = t.value;
    Ok(match t.tag {
        tag::NULL => {
            ber::decode_null(c)?;
            Value::Null
        }
        tag::IP_ADDRESS => {
            // RFC 2578 §7.1.5: IpAddress is exactly 4 octets.
            let a: [u8; 4] = c
                .try_into()
                .map_err(|_| BerError::BadLength("IpAddress must be 4 octets"))?;
            Value::IpAddress(a)
        }
        tag::OPAQUE => Value::Opaque(c.to_vec()),
        tag::NO_SUCH_OBJECT => {
            ber::decode_null(c)?;
            Value::NoSuchObject
        }
        tag::NO_SUCH_INSTANCE => {
            ber::decode_null(c)?;
            Value::NoSuchInstance
        }
        tag::END_OF_MIB_VIEW => {
            ber::decode_null(c)?;
            Value::EndOfMibView
        }
        t if t & 0x20 != 0 => return Err(BerError::Invalid("constructed value")),
        t => Value::Unknown {
            tag: t,
            data: c.to_vec(),
        },
    })
}

/// Encodes a VarBindList. Inlined into the PDU encoders (it stopped being inlined when the
/// decoder in this file grew: ~20 instructions more per encoded Get).
#[inline(always)]
pub fn encode_varbinds(w: &mut Writer<'_>, vbs: &[VarBind]) {
    let list = w.begin(tag::SEQUENCE);
    for vb in vbs {
        let m = w.begin(tag::SEQUENCE);
        w.oid(tag::OBJECT_IDENTIFIER, &vb.oid);
        encode_value(w, &vb.value);
        w.end(m);
    }
    w.end(list);
}

/// Encodes a request/response-shaped PDU.
pub fn encode_pdu(w: &mut Writer<'_>, pdu: &Pdu) {
    encode_request_pdu(
        w,
        pdu.kind,
        pdu.request_id,
        pdu.error_status,
        pdu.error_index,
        &pdu.varbinds,
    );
}

/// Encodes a PDU from its parts (RFC 3416 §3), for callers that keep the bindings elsewhere.
pub fn encode_request_pdu(
    w: &mut Writer<'_>,
    kind: PduType,
    request_id: i32,
    error_status: i32,
    error_index: i32,
    varbinds: &[VarBind],
) {
    let m = w.begin(kind.tag());
    w.i64(tag::INTEGER, request_id as i64);
    w.i64(tag::INTEGER, error_status as i64);
    w.i64(tag::INTEGER, error_index as i64);
    encode_varbinds(w, varbinds);
    w.end(m);
}

/// Encodes a v1 Trap-PDU (RFC 1157 §4.1.6).
pub fn encode_trap_v1(w: &mut Writer<'_>, t: &TrapV1) {
    let m = w.begin(PduType::TrapV1.tag());
    w.oid(tag::OBJECT_IDENTIFIER, &t.enterprise);
    w.bytes(tag::IP_ADDRESS, &t.agent_addr);
    w.i64(tag::INTEGER, t.generic_trap as i64);
    w.i64(tag::INTEGER, t.specific_trap as i64);
    w.u64(tag::TIMETICKS, t.timestamp as u64);
    encode_varbinds(w, &t.varbinds);
    w.end(m);
}

/// Decodes a VarBindList's content.
///
/// VarBinds are decoded where they lie: the vector is first filled with as many placeholders
/// as a cheap first pass counts elements, then each VarBind is decoded into its slot. No
/// 128-byte VarBind is built on the stack and copied into the vector (those copies, and the
/// stalls of reading back what was just written in smaller pieces, were most of the time).
fn decode_varbinds(r: &mut Reader<'_>) -> Result<Vec<VarBind>, BerError> {
    let mut list = r.sequence(tag::SEQUENCE)?;
    // Each counted element consumes real bytes and the count stops at 256, so the
    // reservation is bounded by the data and by a constant, never by a claimed length.
    let counted = list.count_elements(256);
    let mut out = Vec::with_capacity(counted);
    out.resize_with(counted, VarBind::placeholder);
    let mut n = 0;
    while !list.is_empty() {
        // VarBind ::= SEQUENCE { name ObjectName, value ObjectSyntax } (RFC 3416 §3).
        // `Reader::read_pair`'s two halves, called here directly: through its `Result` the
        // decode measured 20.3 instead of 15.8 ns per varbind (benches/codec.rs).
        let (name, value) = match list.read_pair_short(tag::SEQUENCE, tag::OBJECT_IDENTIFIER) {
            Some(pair) => pair,
            None => list.read_pair_general(tag::SEQUENCE, tag::OBJECT_IDENTIFIER)?,
        };
        if n == out.len() {
            // More elements than counted (past the count's cap): grow as needed.
            out.push(VarBind::placeholder());
        }
        if let Some(vb) = out.get_mut(n) {
            ber::decode_oid_into(name, &mut vb.oid)?;
            decode_value_into(value, &mut vb.value)?;
        }
        n += 1;
    }
    // Fewer than counted only if the count misread malformed data the real read accepted.
    out.truncate(n);
    Ok(out)
}

/// Decodes one PDU (the next element of `r`); the reader must hold nothing after it.
pub fn decode_pdu(r: &mut Reader<'_>) -> Result<DecodedPdu, BerError> {
    let t = r.read_tlv()?;
    let kind = PduType::from_tag(t.tag).ok_or(BerError::UnexpectedTag {
        expected: PduType::Response.tag(),
        found: t.tag,
    })?;
    let mut p = r.enter(t)?;
    let out = if kind == PduType::TrapV1 {
        let enterprise = p.read_oid(tag::OBJECT_IDENTIFIER)?;
        let agent_addr: [u8; 4] = p
            .read_bytes(tag::IP_ADDRESS)?
            .try_into()
            .map_err(|_| BerError::BadLength("IpAddress must be 4 octets"))?;
        let generic_trap = p.read_i32(tag::INTEGER)?;
        let specific_trap = p.read_i32(tag::INTEGER)?;
        let timestamp = ber::decode_u32(p.read_bytes(tag::TIMETICKS)?)?;
        let varbinds = decode_varbinds(&mut p)?;
        DecodedPdu::TrapV1(TrapV1 {
            enterprise,
            agent_addr,
            generic_trap,
            specific_trap,
            timestamp,
            varbinds,
        })
    } else {
        let request_id = p.read_i32(tag::INTEGER)?;
        let error_status = p.read_i32(tag::INTEGER)?;
        let error_index = p.read_i32(tag::INTEGER)?;
        let varbinds = decode_varbinds(&mut p)?;
        DecodedPdu::Pdu(Pdu {
            kind,
            request_id,
            error_status,
            error_index,
            varbinds,
        })
    };
    p.finish()?;
    Ok(out)
}
