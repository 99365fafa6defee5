//! Outgoing SNMPv3 messages: RFC 3412 §6 framing, RFC 3414 §3.1 outgoing processing.

use super::{
    MsgGlobal, ScopedPdu, SecurityKeys, SecurityLevel, UsmParams, V3Error, MAX_ENGINE_COUNTER,
    MAX_ENGINE_ID_LEN, MAX_USER_NAME_LEN, MIN_MESSAGE_SIZE, USM_SECURITY_MODEL,
};
use crate::ber::{Mark, Writer};
use crate::message::Version;
use crate::pdu::{self, Pdu, PduType};
use crate::usm::{self, SaltSource};
use crate::value::tag;

/// The longest MAC any authentication protocol carries (HMAC-SHA-512's 48 octets).
const MAX_MAC_LEN: usize = 48;

/// Encodes an SNMPv3 request into `buf` (cleared first).
///
/// * noAuthNoPriv (`security` is `None`): the scoped PDU in plaintext, empty
///   msgAuthenticationParameters and msgPrivacyParameters.
/// * authNoPriv: msgAuthenticationParameters is first written as `mac_len` zero octets, its
///   offset remembered while encoding, then the HMAC over the whole message is written there
///   (RFC 3414 §3.1.1 step 8, §6.3.1, §7.3.1; RFC 7860 §4.2.1).
/// * authPriv: the encoded scoped PDU is encrypted with the next salt of `salts` into the
///   encryptedPDU OCTET STRING and the salt goes to msgPrivacyParameters (RFC 3414 §8.1.1,
///   RFC 3826 §3.1.1), then the message is signed as above.
///
/// `global`'s auth/priv flag bits must state the level `security` gives (the reportable bit
/// is the caller's). `usm.auth_params` and `usm.priv_params` are ignored. With keys, `usm`'s
/// engine ID and user name must be the ones the keys belong to. Each call with privacy takes
/// a new salt, so a retransmission is never byte-identical to the message it repeats.
pub fn encode_v3(
    buf: &mut Vec<u8>,
    global: MsgGlobal,
    usm: &UsmParams<'_>,
    scoped: &ScopedPdu,
    security: Option<&SecurityKeys>,
    salts: &SaltSource,
) -> Result<(), V3Error> {
    encode_message(
        buf,
        global,
        usm,
        ScopedRef::of(scoped),
        security,
        Some(salts),
    )
}

/// Like [`encode_v3`], with the PDU already encoded (`pdu_tlv`: one complete PDU element),
/// for responders that build the PDU's bindings in place (the agent simulator). Any flags
/// and PDU type are accepted: the caller frames responses and reports as it needs.
#[allow(clippy::too_many_arguments)]
pub fn encode_v3_raw(
    buf: &mut Vec<u8>,
    global: MsgGlobal,
    usm: &UsmParams<'_>,
    context_engine_id: &[u8],
    context_name: &[u8],
    pdu_tlv: &[u8],
    security: Option<&SecurityKeys>,
    salts: &SaltSource,
) -> Result<(), V3Error> {
    let scoped = ScopedRef {
        context_engine_id,
        context_name,
        pdu: PduRef::Raw(pdu_tlv),
    };
    encode_message(buf, global, usm, scoped, security, Some(salts))
}

/// The PDU of a scoped PDU being encoded.
#[derive(Clone, Copy)]
enum PduRef<'a> {
    Pdu(&'a Pdu),
    Raw(&'a [u8]),
}

/// A scoped PDU being encoded, by reference.
#[derive(Clone, Copy)]
struct ScopedRef<'a> {
    context_engine_id: &'a [u8],
    context_name: &'a [u8],
    pdu: PduRef<'a>,
}

impl<'a> ScopedRef<'a> {
    fn of(s: &'a ScopedPdu) -> ScopedRef<'a> {
        ScopedRef {
            context_engine_id: &s.context_engine_id,
            context_name: &s.context_name,
            pdu: PduRef::Pdu(&s.pdu),
        }
    }

    fn len_hint(&self) -> usize {
        let pdu = match self.pdu {
            PduRef::Pdu(p) => p.varbinds.len() * 32,
            PduRef::Raw(r) => r.len(),
        };
        64 + self.context_engine_id.len() + self.context_name.len() + pdu
    }
}

/// Encodes the discovery request of RFC 3414 §4 into `buf` (cleared first): a reportable
/// noAuthNoPriv GetRequest with an empty msgAuthoritativeEngineID, msgUserName,
/// contextEngineID and contextName and an empty variable-bindings list. Byte for byte what
/// Net-SNMP 5.9's tools send, up to the two ids. The agent answers with a Report
/// (usmStatsUnknownEngineIDs) carrying its engine ID, boots and time: see
/// [`super::parse_discovery`].
pub fn encode_discovery(buf: &mut Vec<u8>, msg_id: i32, request_id: i32) -> Result<(), V3Error> {
    let scoped = ScopedPdu {
        context_engine_id: Vec::new(),
        context_name: Vec::new(),
        pdu: Pdu {
            kind: PduType::GetRequest,
            request_id,
            error_status: 0,
            error_index: 0,
            varbinds: Vec::new(),
        },
    };
    let global = MsgGlobal::request(msg_id, SecurityLevel::NoAuthNoPriv);
    encode_message(
        buf,
        global,
        &UsmParams::default(),
        ScopedRef::of(&scoped),
        None,
        None,
    )
}

/// Checks the arguments of an outgoing message against each other and the RFC ranges.
fn check(
    global: &MsgGlobal,
    usm: &UsmParams<'_>,
    scoped: ScopedRef<'_>,
    security: Option<&SecurityKeys>,
) -> Result<SecurityLevel, V3Error> {
    let level = security.map_or(SecurityLevel::NoAuthNoPriv, SecurityKeys::level);
    match global.level() {
        Some(l) if l == level => {}
        Some(_) => return Err(V3Error::Encode("msgFlags contradict the keys given")),
        None => return Err(V3Error::InvalidFlags(global.flags)),
    }
    if global.security_model != USM_SECURITY_MODEL {
        return Err(V3Error::Encode("msgSecurityModel must be USM (3)"));
    }
    if global.msg_id < 0 {
        return Err(V3Error::Encode("msgID must be 0..2147483647"));
    }
    if global.max_size < MIN_MESSAGE_SIZE {
        return Err(V3Error::Encode("msgMaxSize must be at least 484"));
    }
    if usm.engine_id.len() > MAX_ENGINE_ID_LEN {
        return Err(V3Error::Encode("engine ID longer than 32 octets"));
    }
    if usm.user_name.len() > MAX_USER_NAME_LEN {
        return Err(V3Error::Encode("user name longer than 32 octets"));
    }
    if usm.engine_boots > MAX_ENGINE_COUNTER || usm.engine_time > MAX_ENGINE_COUNTER {
        return Err(V3Error::Encode("engine boots/time above 2147483647"));
    }
    if let Some(k) = security {
        if k.user_name() != usm.user_name {
            return Err(V3Error::Encode("keys belong to another user"));
        }
        if k.engine_id() != usm.engine_id {
            return Err(V3Error::Encode("keys are localized to another engine"));
        }
    }
    if let PduRef::Pdu(p) = scoped.pdu {
        if p.kind == PduType::TrapV1 {
            return Err(V3Error::UnexpectedPdu(PduType::TrapV1));
        }
    }
    Ok(level)
}

fn encode_message(
    buf: &mut Vec<u8>,
    global: MsgGlobal,
    usm: &UsmParams<'_>,
    scoped: ScopedRef<'_>,
    security: Option<&SecurityKeys>,
    salts: Option<&SaltSource>,
) -> Result<(), V3Error> {
    check(&global, usm, scoped, security)?;
    buf.clear();

    // authPriv: encrypt first, since msgPrivacyParameters (before msgData) comes out of it.
    let encrypted = match security.and_then(SecurityKeys::privacy) {
        Some(pkey) => {
            let salts = salts.ok_or(V3Error::Encode("privacy needs a salt source"))?;
            let mut pt = Vec::with_capacity(scoped.len_hint());
            encode_scoped(&mut Writer::new(&mut pt), scoped);
            let salt = salts.next_salt();
            let params =
                usm::encrypt_in_place(pkey, usm.engine_boots, usm.engine_time, salt, &mut pt);
            Some((pt, params))
        }
        None => None,
    };

    let mut w = Writer::new(buf);
    // Offset of the MAC placeholder; kept right as enclosing lengths are patched in front of it.
    let mut mac_at: Option<usize> = None;
    let msg = w.begin(tag::SEQUENCE);
    w.i64(tag::INTEGER, Version::V3.code() as i64);
    let g = w.begin(tag::SEQUENCE);
    w.i64(tag::INTEGER, global.msg_id as i64);
    w.i64(tag::INTEGER, global.max_size as i64);
    w.bytes(tag::OCTET_STRING, &[global.flags]);
    w.i64(tag::INTEGER, global.security_model as i64);
    w.end(g);

    let sp = w.begin(tag::OCTET_STRING);
    let u = w.begin(tag::SEQUENCE);
    w.bytes(tag::OCTET_STRING, usm.engine_id);
    w.i64(tag::INTEGER, usm.engine_boots as i64);
    w.i64(tag::INTEGER, usm.engine_time as i64);
    w.bytes(tag::OCTET_STRING, usm.user_name);
    match security {
        Some(k) => {
            let n = k.auth().mac_len();
            w.bytes(tag::OCTET_STRING, &[0u8; MAX_MAC_LEN][..n]);
            mac_at = Some(w.len() - n);
        }
        None => w.bytes(tag::OCTET_STRING, &[]),
    }
    match &encrypted {
        Some((_, params)) => w.bytes(tag::OCTET_STRING, params),
        None => w.bytes(tag::OCTET_STRING, &[]),
    }
    end_enclosing(&mut w, u, &mut mac_at);
    end_enclosing(&mut w, sp, &mut mac_at);

    match &encrypted {
        Some((ct, _)) => w.bytes(tag::OCTET_STRING, ct),
        None => encode_scoped(&mut w, scoped),
    }
    end_enclosing(&mut w, msg, &mut mac_at);

    if let (Some(k), Some(at)) = (security, mac_at) {
        k.auth().sign(buf, at)?;
    }
    Ok(())
}

/// Closes a constructed element that encloses the MAC placeholder: if its length needed the
/// long form, [`Writer::end`] inserted octets before the placeholder, which moves it.
fn end_enclosing(w: &mut Writer<'_>, mark: Mark, mac_at: &mut Option<usize>) {
    let before = w.len();
    w.end(mark);
    if let Some(at) = mac_at {
        *at += w.len() - before;
    }
}

/// Encodes a ScopedPDU (RFC 3412 §6) (for the unit tests).
#[cfg(test)]
pub(super) fn encode_scoped_pdu(w: &mut Writer<'_>, scoped: &ScopedPdu) {
    encode_scoped(w, ScopedRef::of(scoped))
}

/// Encodes a ScopedPDU (RFC 3412 §6).
fn encode_scoped(w: &mut Writer<'_>, scoped: ScopedRef<'_>) {
    let s = w.begin(tag::SEQUENCE);
    w.bytes(tag::OCTET_STRING, scoped.context_engine_id);
    w.bytes(tag::OCTET_STRING, scoped.context_name);
    match scoped.pdu {
        PduRef::Pdu(p) => pdu::encode_pdu(w, p),
        PduRef::Raw(r) => w.raw(r),
    }
    w.end(s);
}
