//! Unit tests of SNMPv3 message processing. Keys are built from fixed localized-key octets
//! (no pass-phrase expansion) so the tests stay fast in debug builds; the interop tests in
//! tests/v3_message.rs derive them from pass phrases against a real snmpd.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::*;
use crate::ber::Writer;
use crate::oid::Oid;
use crate::pdu::Pdu;
use crate::usm::{AuthKey, AuthProtocol, PrivKey, PrivProtocol, SaltSource};
use crate::value::{tag, Value, VarBind};

mod incoming;
mod misc;
mod outgoing;

pub(super) const ENGINE: &[u8] = b"\x80\x00\x1f\x88\x80snmpx-test";
pub(super) const USER: &[u8] = b"alice";

pub(super) fn oid(s: &str) -> Oid {
    s.parse().unwrap()
}

pub(super) fn keys_for(
    auth: AuthProtocol,
    privp: Option<PrivProtocol>,
    user: &[u8],
    engine: &[u8],
) -> SecurityKeys {
    let a: Vec<u8> = (0..auth.key_len()).map(|i| (i * 13 + 7) as u8).collect();
    let auth_key = Arc::new(AuthKey::from_bytes(auth, &a).unwrap());
    let pk = privp.map(|p| {
        let m: Vec<u8> = (0..p.key_material_len())
            .map(|i| (i * 31 + 3) as u8)
            .collect();
        Arc::new(PrivKey::from_bytes(p, &m).unwrap())
    });
    SecurityKeys::new(user, engine, auth_key, pk).unwrap()
}

pub(super) fn keys(auth: AuthProtocol, privp: Option<PrivProtocol>) -> SecurityKeys {
    keys_for(auth, privp, USER, ENGINE)
}

/// Every security level x protocol combination: `None` is noAuthNoPriv.
pub(super) fn all_security() -> Vec<Option<SecurityKeys>> {
    let mut v = vec![None];
    for a in AuthProtocol::ALL {
        v.push(Some(keys(a, None)));
        for p in PrivProtocol::ALL {
            v.push(Some(keys(a, Some(p))));
        }
    }
    v
}

pub(super) fn response(request_id: i32, varbinds: Vec<VarBind>) -> ScopedPdu {
    ScopedPdu::new(
        ENGINE,
        Pdu {
            kind: PduType::Response,
            request_id,
            error_status: 0,
            error_index: 0,
            varbinds,
        },
    )
}

pub(super) fn sys_name_response() -> ScopedPdu {
    response(
        0x1234,
        vec![VarBind::new(
            oid("1.3.6.1.2.1.1.5.0"),
            Value::OctetString(b"snmpx-test".to_vec().into()),
        )],
    )
}

pub(super) fn usm(boots: u32, time: u32) -> UsmParams<'static> {
    UsmParams {
        engine_id: ENGINE,
        engine_boots: boots,
        engine_time: time,
        user_name: USER,
        ..UsmParams::default()
    }
}

pub(super) fn level_of(k: Option<&SecurityKeys>) -> SecurityLevel {
    k.map_or(SecurityLevel::NoAuthNoPriv, SecurityKeys::level)
}

/// Encodes `scoped` as an agent would send it (not reportable) with `k`.
pub(super) fn encode_as_agent(
    k: Option<&SecurityKeys>,
    scoped: &ScopedPdu,
    salts: &SaltSource,
) -> Vec<u8> {
    let mut g = MsgGlobal::request(77, level_of(k));
    g.flags &= !flags::REPORTABLE;
    let mut buf = Vec::new();
    encode_v3(&mut buf, g, &usm(3, 123_456), scoped, k, salts).unwrap();
    buf
}

pub(super) fn name(k: Option<&SecurityKeys>) -> String {
    match k {
        None => "noAuthNoPriv".into(),
        Some(k) => format!(
            "{}/{}",
            k.auth().protocol(),
            k.privacy()
                .map_or("-".to_string(), |p| p.protocol().to_string())
        ),
    }
}

pub(super) fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Builds a message field by field, independently of `encode_v3`, and signs it if `sign`.
pub(super) struct Raw<'a> {
    pub(super) flags: u8,
    pub(super) model: i64,
    pub(super) usm: UsmParams<'a>,
    /// Leave msgAuthenticationParameters out of the USM sequence altogether.
    pub(super) strip_mac: bool,
    /// The complete msgData element.
    pub(super) data: Vec<u8>,
    pub(super) sign: Option<&'a SecurityKeys>,
}

impl Raw<'_> {
    fn build(&self) -> Vec<u8> {
        let mut buf = Vec::new();
        let mut w = Writer::new(&mut buf);
        let m = w.begin(tag::SEQUENCE);
        w.i64(tag::INTEGER, 3);
        let g = w.begin(tag::SEQUENCE);
        w.i64(tag::INTEGER, 99);
        w.i64(tag::INTEGER, 65507);
        w.bytes(tag::OCTET_STRING, &[self.flags]);
        w.i64(tag::INTEGER, self.model);
        w.end(g);
        let sp = w.begin(tag::OCTET_STRING);
        let s = w.begin(tag::SEQUENCE);
        w.bytes(tag::OCTET_STRING, self.usm.engine_id);
        w.i64(tag::INTEGER, self.usm.engine_boots as i64);
        w.i64(tag::INTEGER, self.usm.engine_time as i64);
        w.bytes(tag::OCTET_STRING, self.usm.user_name);
        if !self.strip_mac {
            w.bytes(tag::OCTET_STRING, self.usm.auth_params);
        }
        w.bytes(tag::OCTET_STRING, self.usm.priv_params);
        w.end(s);
        w.end(sp);
        buf.extend_from_slice(&self.data);
        let mut w = Writer::new(&mut buf);
        w.end(m);
        if let Some(k) = self.sign {
            let at = decode_v3(&buf).unwrap().mac_offset;
            k.auth().sign(&mut buf, at).unwrap();
        }
        buf
    }
}

pub(super) fn scoped_bytes(s: &ScopedPdu) -> Vec<u8> {
    let mut v = Vec::new();
    encode::encode_scoped_pdu(&mut Writer::new(&mut v), s);
    v
}

pub(super) fn octets(content: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    Writer::new(&mut v).bytes(tag::OCTET_STRING, content);
    v
}

pub(super) fn report_pdu(oid_text: &str) -> ScopedPdu {
    ScopedPdu::new(
        ENGINE,
        Pdu {
            kind: PduType::Report,
            request_id: 0,
            error_status: 0,
            error_index: 0,
            varbinds: vec![VarBind::new(oid(oid_text), Value::Counter32(17))],
        },
    )
}
