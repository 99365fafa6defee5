//! Incoming SNMPv3 messages: RFC 3412 §7.2 (prepareDataElements) and RFC 3414 §3.2
//! (processIncomingMsg) for a manager receiving Responses and Reports.

use super::{
    MsgGlobal, ScopedPdu, SecurityKeys, SecurityLevel, UsmParams, V3Error, MAX_ENGINE_COUNTER,
    MAX_ENGINE_ID_LEN, MAX_USER_NAME_LEN, MIN_MESSAGE_SIZE, USM_SECURITY_MODEL,
};
use crate::ber::{BerError, Reader};
use crate::message::Version;
use crate::pdu::{self, DecodedPdu, PduType};
use crate::usm;
use crate::value::tag;

/// The msgData of an incoming message, not yet trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MsgData<'a> {
    /// A plaintext ScopedPDU: the complete SEQUENCE element (identifier, length, content).
    Plaintext(&'a [u8]),
    /// encryptedPDU: the content of the OCTET STRING (the ciphertext).
    Encrypted(&'a [u8]),
}

/// An SNMPv3 message whose framing has been parsed but whose MAC has not been checked: nothing
/// in it may be acted upon before [`process_incoming`] succeeds (except what RFC 3414 §4
/// discovery takes from an unauthenticated Report).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncomingV3<'a> {
    /// The whole datagram (what the MAC covers).
    pub datagram: &'a [u8],
    /// msgGlobalData (its flags are a valid combination and the model is USM).
    pub global: MsgGlobal,
    /// The USM security parameters, borrowing from `datagram`.
    pub usm: UsmParams<'a>,
    /// Offset of msgAuthenticationParameters' content in `datagram`; its length is
    /// `usm.auth_params.len()`.
    pub mac_offset: usize,
    /// The scoped PDU, plaintext or encrypted.
    pub data: MsgData<'a>,
}

impl IncomingV3<'_> {
    /// The security level msgFlags states.
    pub fn level(&self) -> SecurityLevel {
        // decode_v3 rejected the one invalid combination.
        self.global.level().unwrap_or(SecurityLevel::NoAuthNoPriv)
    }
}

/// Parses an SNMPv3 message's framing (RFC 3412 §6; RFC 3414 §2.4) without verifying or
/// decrypting anything. Strict: no trailing data after the message or inside
/// msgSecurityParameters; msgID, msgMaxSize, msgFlags, engine boots/time, engine ID and user
/// name within their RFC ranges; the security model must be USM.
pub fn decode_v3(datagram: &[u8]) -> Result<IncomingV3<'_>, V3Error> {
    let mut r = Reader::new(datagram);
    let outer = r.expect(tag::SEQUENCE)?;
    r.finish()?;
    let base = outer.offset;
    let content = outer.value;
    let mut m = r.enter(outer)?;

    let version = m.read_i32(tag::INTEGER)?;
    if version != Version::V3.code() {
        return Err(V3Error::WrongVersion(version));
    }

    let mut g = m.sequence(tag::SEQUENCE)?;
    let msg_id = g.read_i32(tag::INTEGER)?;
    if msg_id < 0 {
        return Err(V3Error::InvalidHeader("negative msgID"));
    }
    let max_size = g.read_i32(tag::INTEGER)?;
    if max_size < MIN_MESSAGE_SIZE {
        return Err(V3Error::InvalidHeader("msgMaxSize below 484"));
    }
    let flag_octets = g.read_bytes(tag::OCTET_STRING)?;
    let [flags] = flag_octets else {
        return Err(V3Error::InvalidHeader("msgFlags is not one octet"));
    };
    let flags = *flags;
    let security_model = g.read_i32(tag::INTEGER)?;
    g.finish()?;
    if security_model < 1 {
        return Err(V3Error::InvalidHeader("msgSecurityModel out of range"));
    }
    if security_model != USM_SECURITY_MODEL {
        return Err(V3Error::WrongSecurityModel(security_model));
    }
    let global = MsgGlobal {
        msg_id,
        max_size,
        flags,
        security_model,
    };
    let level = global.level().ok_or(V3Error::InvalidFlags(flags))?;

    // msgSecurityParameters: an OCTET STRING holding exactly one UsmSecurityParameters.
    let sp = m.expect(tag::OCTET_STRING)?;
    let sp_base = base + sp.offset;
    let mut spr = m.enter(sp)?;
    let ut = spr.expect(tag::SEQUENCE)?;
    spr.finish()?;
    let u_base = sp_base + ut.offset;
    let mut u = spr.enter(ut)?;
    let engine_id = u.read_bytes(tag::OCTET_STRING)?;
    if engine_id.len() > MAX_ENGINE_ID_LEN {
        return Err(V3Error::InvalidUsmParams("engine ID longer than 32 octets"));
    }
    let engine_boots = engine_counter(u.read_i32(tag::INTEGER)?, "negative engine boots")?;
    let engine_time = engine_counter(u.read_i32(tag::INTEGER)?, "negative engine time")?;
    let user_name = u.read_bytes(tag::OCTET_STRING)?;
    if user_name.len() > MAX_USER_NAME_LEN {
        return Err(V3Error::InvalidUsmParams("user name longer than 32 octets"));
    }
    let mac = u.expect(tag::OCTET_STRING)?;
    let priv_params = u.read_bytes(tag::OCTET_STRING)?;
    u.finish()?;

    let start = m.position();
    let data = if level.has_priv() {
        MsgData::Encrypted(m.read_bytes(tag::OCTET_STRING)?)
    } else {
        m.expect(tag::SEQUENCE)?;
        MsgData::Plaintext(&content[start..m.position()])
    };
    m.finish()?;

    Ok(IncomingV3 {
        datagram,
        global,
        usm: UsmParams {
            engine_id,
            engine_boots,
            engine_time,
            user_name,
            auth_params: mac.value,
            priv_params,
        },
        mac_offset: u_base + mac.offset,
        data,
    })
}

fn engine_counter(v: i32, why: &'static str) -> Result<u32, V3Error> {
    if v < 0 {
        return Err(V3Error::InvalidUsmParams(why));
    }
    let v = v as u32;
    debug_assert!(v <= MAX_ENGINE_COUNTER);
    Ok(v)
}

/// Authenticates, decrypts and decodes an incoming message (RFC 3414 §3.2 steps 6-8, RFC
/// 3412 §7.2), as the manager that sent a request with `keys` (`None`: noAuthNoPriv).
///
/// Order: if the message claims authentication, its MAC is verified (in constant time)
/// before anything else is looked at; a wrong, short, stripped or empty MAC is an error.
/// Then its user and engine must be those of the keys, then it is decrypted if encrypted,
/// then the scoped PDU is decoded (strictly; after CBC decryption up to 7 octets of padding
/// may follow it).
///
/// Security level: a message above the request's level cannot be processed (no keys for
/// it); one below it is accepted only if it carries a Report-PDU (agents report
/// unknownEngineIDs, unknownUserNames, wrongDigests ... without authentication, and
/// notInTimeWindows at authNoPriv). Reports come back as a [`ScopedPdu`] holding the
/// Report; see [`ScopedPdu::report_kind`] and [`ScopedPdu::into_response`].
///
/// Every error means: drop the datagram and count it; never hand it to a caller. Matching
/// by msgID, the PDU class and the timeliness window (see [`super::EngineClock`]) are the
/// caller's.
pub fn process_incoming(
    incoming: &IncomingV3<'_>,
    keys: Option<&SecurityKeys>,
) -> Result<ScopedPdu, V3Error> {
    let level = incoming.level();
    let expected = keys.map_or(SecurityLevel::NoAuthNoPriv, SecurityKeys::level);
    if level.has_auth() {
        let k = keys.ok_or(V3Error::MissingKeys)?;
        k.auth().verify(
            incoming.datagram,
            incoming.mac_offset,
            incoming.usm.auth_params.len(),
        )?;
        if incoming.usm.user_name != k.user_name() {
            return Err(V3Error::UnknownUser);
        }
        if incoming.usm.engine_id != k.engine_id() {
            return Err(V3Error::WrongEngineId);
        }
    }
    if level > expected {
        return Err(V3Error::UnexpectedSecurityLevel {
            expected,
            found: level,
        });
    }
    let scoped = match incoming.data {
        MsgData::Plaintext(bytes) => decode_scoped(bytes, false)?,
        MsgData::Encrypted(ct) => {
            // level is authPriv and not above expected, so the keys have a privacy key.
            let p = keys
                .and_then(SecurityKeys::privacy)
                .ok_or(V3Error::MissingKeys)?;
            let u = &incoming.usm;
            let pt = usm::decrypt(p, u.engine_boots, u.engine_time, u.priv_params, ct)?;
            decode_decrypted(&pt, p.protocol().is_cbc())?
        }
    };
    if level < expected && scoped.pdu.kind != PduType::Report {
        return Err(V3Error::UnexpectedSecurityLevel {
            expected,
            found: level,
        });
    }
    Ok(scoped)
}

/// Decodes a decrypted scoped PDU. Data that does not even begin with a SEQUENCE that fits
/// is a decryption error (wrong key or salt); errors inside it are BER errors.
fn decode_decrypted(pt: &[u8], cbc_padded: bool) -> Result<ScopedPdu, V3Error> {
    let mut probe = Reader::new(pt);
    if probe.expect(tag::SEQUENCE).is_err() {
        return Err(V3Error::DecryptionFailed(
            "decrypted data is not a scopedPDU",
        ));
    }
    decode_scoped(pt, cbc_padded)
}

/// Decodes a ScopedPDU element (RFC 3412 §6). Nothing may follow it, except, after CBC
/// decryption (`cbc_padded`), up to 7 octets of the sender's padding (RFC 3414 §8.1.1.2).
pub(super) fn decode_scoped(bytes: &[u8], cbc_padded: bool) -> Result<ScopedPdu, V3Error> {
    let mut r = Reader::new(bytes);
    let t = r.expect(tag::SEQUENCE)?;
    if !r.is_empty() {
        let rest = bytes.len() - r.position();
        if !(cbc_padded && rest < 8) {
            return Err(BerError::TrailingData(rest).into());
        }
    }
    let mut s = r.enter(t)?;
    let context_engine_id = s.read_bytes(tag::OCTET_STRING)?.to_vec();
    let context_name = s.read_bytes(tag::OCTET_STRING)?.to_vec();
    let pdu = match pdu::decode_pdu(&mut s)? {
        DecodedPdu::Pdu(p) => p,
        DecodedPdu::TrapV1(_) => return Err(V3Error::UnexpectedPdu(PduType::TrapV1)),
    };
    s.finish()?;
    Ok(ScopedPdu {
        context_engine_id,
        context_name,
        pdu,
    })
}
