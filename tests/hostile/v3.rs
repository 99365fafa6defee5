//! A scripted SNMPv3 fake agent: the authoritative side of USM built on the library's own
//! message code (`message::v3`) and USM cryptography (`usm`), so a case can start from an
//! authentic message (right MAC, right encryption) and then break exactly one thing: flip a
//! MAC octet, shorten or strip the MAC, change the privacy parameters, pad the plaintext
//! wrongly, replay an earlier answer, report notInTimeWindow forever...
//!
//! The agent decodes and (with the user's keys) verifies and decrypts each request, hands it
//! to the case's script and sends whatever [`Reply`]s the script returns.

use super::{tlv, Reply};
use snmpx::ber::Writer;
use snmpx::message::v3::{
    decode_v3, encode_v3, process_incoming, MsgGlobal, ScopedPdu, SecurityKeys, SecurityLevel,
    UsmParams, MAX_MESSAGE_SIZE, USM_SECURITY_MODEL,
};
use snmpx::oid::Oid;
use snmpx::pdu::{encode_pdu, Pdu, PduType};
use snmpx::usm::{AuthProtocol, Credentials, KeyCache, PrivProtocol, SaltSource};
use snmpx::{Runtime, Session, Value, VarBind, Version};
use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The one USM user the fake agent knows.
pub const USER: &str = "hostile";
/// Its authentication pass phrase.
pub const AUTH_PASS: &str = "hostile-auth-pass";
/// Its privacy pass phrase.
pub const PRIV_PASS: &str = "hostile-priv-pass";
/// The fake agent's snmpEngineID (Net-SNMP enterprise, text format).
pub const ENGINE_ID: &[u8] = b"\x80\x00\x1f\x88\x04hostile";

/// usmStats leaves (RFC 3414 §5).
pub mod stat {
    /// usmStatsUnsupportedSecLevels.
    pub const UNSUPPORTED_SEC_LEVELS: u32 = 1;
    /// usmStatsNotInTimeWindows.
    pub const NOT_IN_TIME_WINDOWS: u32 = 2;
    /// usmStatsUnknownUserNames.
    pub const UNKNOWN_USER_NAMES: u32 = 3;
    /// usmStatsUnknownEngineIDs.
    pub const UNKNOWN_ENGINE_IDS: u32 = 4;
    /// usmStatsWrongDigests.
    pub const WRONG_DIGESTS: u32 = 5;
    /// usmStatsDecryptionErrors.
    pub const DECRYPTION_ERRORS: u32 = 6;
}

/// The protocols the agent's user (and the client session) use.
#[derive(Clone, Copy)]
pub struct Protocols {
    pub auth: AuthProtocol,
    pub privacy: PrivProtocol,
}

/// SHA-1 and AES-128, the common choice.
pub const SHA_AES: Protocols = Protocols {
    auth: AuthProtocol::Sha1,
    privacy: PrivProtocol::Aes128,
};

/// MD5 and DES (CBC: padding and ciphertext-length cases).
pub const MD5_DES: Protocols = Protocols {
    auth: AuthProtocol::Md5,
    privacy: PrivProtocol::Des,
};

/// What the agent knows: its engine, its clock (fixed unless a case says otherwise) and its
/// user's keys. Scripts use it to build authentic replies.
pub struct Agent {
    pub engine_id: Vec<u8>,
    pub boots: u32,
    pub time: u32,
    creds: Credentials,
    cache: KeyCache,
    salts: SaltSource,
}

/// One request as the agent decoded it.
pub struct V3Request {
    /// 1 for the first datagram the agent received, 2 for the next...
    pub n: usize,
    pub msg_id: i32,
    pub level: SecurityLevel,
    /// msgAuthoritativeEngineID the request was sent to (empty: discovery, RFC 3414 §4).
    pub engine_id: Vec<u8>,
    pub boots: u32,
    pub time: u32,
    /// The PDU, if the agent could verify and decrypt the request.
    pub pdu: Option<Pdu>,
}

impl V3Request {
    /// True for an RFC 3414 §4 discovery probe.
    pub fn is_discovery(&self) -> bool {
        self.engine_id.is_empty()
    }

    /// The request's request-id (0 if it could not be read).
    pub fn request_id(&self) -> i32 {
        self.pdu.as_ref().map_or(0, |p| p.request_id)
    }

    /// The request's OIDs answered with a string each.
    pub fn echo(&self) -> Vec<VarBind> {
        self.pdu.as_ref().map_or(Vec::new(), |p| {
            p.varbinds
                .iter()
                .map(|vb| VarBind::new(vb.oid.clone(), Value::from("answer")))
                .collect()
        })
    }
}

/// The USM header fields of a message the agent builds (defaults: the agent's own).
#[derive(Clone)]
pub struct Header {
    pub msg_id: i32,
    pub level: SecurityLevel,
    pub engine_id: Vec<u8>,
    pub boots: u32,
    pub time: u32,
    pub user: Vec<u8>,
}

impl Agent {
    fn new(protocols: Protocols) -> Agent {
        Agent {
            engine_id: ENGINE_ID.to_vec(),
            boots: 5,
            time: 1000,
            creds: Credentials::from_passwords(
                protocols.auth,
                AUTH_PASS.as_bytes(),
                Some((protocols.privacy, PRIV_PASS.as_bytes())),
            )
            .unwrap(),
            cache: KeyCache::new().unwrap(),
            salts: SaltSource::new().unwrap(),
        }
    }

    /// The user's keys at `engine_id` and `level` (`None` at noAuthNoPriv).
    pub fn keys(&self, engine_id: &[u8], level: SecurityLevel) -> Option<SecurityKeys> {
        if !level.has_auth() || engine_id.is_empty() {
            return None;
        }
        let k = SecurityKeys::derive(&self.cache, USER.as_bytes(), &self.creds, engine_id)
            .unwrap()
            .unwrap();
        Some(if level.has_priv() {
            k
        } else {
            k.without_privacy()
        })
    }

    /// The header of a reply to `req`: its msgID and level, the agent's engine and clock.
    pub fn header(&self, req: &V3Request) -> Header {
        Header {
            msg_id: req.msg_id,
            level: req.level,
            engine_id: self.engine_id.clone(),
            boots: self.boots,
            time: self.time,
            user: USER.as_bytes().to_vec(),
        }
    }

    /// A complete message: `pdu` framed, encrypted and signed as `h.level` requires, with
    /// the keys of `h.engine_id` (RFC 3414 §3.1).
    pub fn message(&self, h: &Header, pdu: Pdu) -> Vec<u8> {
        let keys = self.keys(&h.engine_id, h.level);
        let global = MsgGlobal {
            msg_id: h.msg_id,
            max_size: MAX_MESSAGE_SIZE,
            flags: h.level.flag_bits(),
            security_model: USM_SECURITY_MODEL,
        };
        let usm = UsmParams {
            engine_id: &h.engine_id,
            engine_boots: h.boots,
            engine_time: h.time,
            user_name: &h.user,
            ..UsmParams::default()
        };
        let scoped = ScopedPdu::new(&h.engine_id, pdu);
        let mut out = Vec::new();
        encode_v3(&mut out, global, &usm, &scoped, keys.as_ref(), &self.salts).unwrap();
        out
    }

    /// The authentic Response to `req` (its level, msgID and request-id) with `vbs`.
    pub fn response(&self, req: &V3Request, vbs: Vec<VarBind>) -> Vec<u8> {
        self.message(&self.header(req), response_pdu(req.request_id(), vbs))
    }

    /// A Report-PDU naming usmStats `leaf`, at `level` (unauthenticated at noAuthNoPriv,
    /// as agents send every report but notInTimeWindows; RFC 3414 §3.2).
    pub fn report(&self, req: &V3Request, leaf: u32, level: SecurityLevel) -> Vec<u8> {
        let h = Header {
            level,
            ..self.header(req)
        };
        self.message(&h, report_pdu(req.request_id(), leaf))
    }

    /// The answer to a discovery probe (RFC 3414 §4): an unauthenticated
    /// usmStatsUnknownEngineIDs report carrying the engine ID, boots and time.
    pub fn discovery_report(&self, req: &V3Request) -> Vec<u8> {
        self.report(req, stat::UNKNOWN_ENGINE_IDS, SecurityLevel::NoAuthNoPriv)
    }

    /// A message framed by hand so any field can be wrong: `mac_len` octets of MAC (signed
    /// with the user's key when `flags` has the auth bit and the lengths allow it),
    /// `priv_params` and `msg_data` (the complete msgData element) as given.
    pub fn raw(
        &self,
        h: &Header,
        flags: u8,
        mac_len: usize,
        priv_params: &[u8],
        msg_data: &[u8],
    ) -> Vec<u8> {
        let int = |v: i64| {
            let b = v.to_be_bytes();
            let skip = b
                .iter()
                .take(7)
                .zip(&b[1..])
                .take_while(|(x, n)| (**x == 0 && **n < 0x80) || (**x == 0xff && **n >= 0x80))
                .count();
            tlv(0x02, &b[skip..])
        };
        let global = tlv(
            0x30,
            &[
                int(h.msg_id as i64),
                int(MAX_MESSAGE_SIZE as i64),
                tlv(0x04, &[flags]),
                int(USM_SECURITY_MODEL as i64),
            ]
            .concat(),
        );
        let usm = tlv(
            0x30,
            &[
                tlv(0x04, &h.engine_id),
                int(h.boots as i64),
                int(h.time as i64),
                tlv(0x04, &h.user),
                tlv(0x04, &vec![0u8; mac_len]),
                tlv(0x04, priv_params),
            ]
            .concat(),
        );
        let mut msg = tlv(
            0x30,
            &[int(3), global, tlv(0x04, &usm), msg_data.to_vec()].concat(),
        );
        if flags & 1 != 0 {
            if let (Ok(inc), Some(k)) = (
                decode_v3(&msg),
                self.keys(&h.engine_id, SecurityLevel::AuthNoPriv),
            ) {
                let at = inc.mac_offset;
                if mac_len == k.auth().mac_len() {
                    k.auth().sign(&mut msg, at).unwrap();
                }
            }
        }
        msg
    }

    /// Encrypts `plaintext` with the user's privacy key at the agent's engine and the
    /// header's boots/time; returns (ciphertext, msgPrivacyParameters).
    pub fn encrypt(&self, h: &Header, plaintext: &[u8]) -> (Vec<u8>, [u8; 8]) {
        let k = self.keys(&h.engine_id, SecurityLevel::AuthPriv).unwrap();
        snmpx::usm::encrypt(
            k.privacy().unwrap(),
            h.boots,
            h.time,
            self.salts.next_salt(),
            plaintext,
        )
    }
}

/// A Response-PDU.
pub fn response_pdu(request_id: i32, vbs: Vec<VarBind>) -> Pdu {
    Pdu {
        kind: PduType::Response,
        request_id,
        error_status: 0,
        error_index: 0,
        varbinds: vbs,
    }
}

/// A Report-PDU naming usmStats `leaf` (RFC 3414 §5) with a Counter32.
pub fn report_pdu(request_id: i32, leaf: u32) -> Pdu {
    let oid = Oid::from_slice(&[1, 3, 6, 1, 6, 3, 15, 1, 1, leaf, 0]).unwrap();
    Pdu {
        kind: PduType::Report,
        request_id,
        error_status: 0,
        error_index: 0,
        varbinds: vec![VarBind::new(oid, Value::Counter32(1))],
    }
}

/// The encoded ScopedPDU (RFC 3412 §6) of `pdu` in the agent's default context.
pub fn scoped_bytes(engine_id: &[u8], pdu: &Pdu) -> Vec<u8> {
    let mut p = Vec::new();
    encode_pdu(&mut Writer::new(&mut p), pdu);
    tlv(0x30, &[tlv(0x04, engine_id), tlv(0x04, b""), p].concat())
}

/// A running fake v3 agent; stops when dropped (and after 60 s regardless).
pub struct V3Fake {
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
    pub received: Arc<AtomicUsize>,
}

impl Drop for V3Fake {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Starts a fake agent with SHA/AES keys answering with `script`.
pub fn v3_fake(script: impl Fn(&Agent, &V3Request) -> Vec<Reply> + Send + 'static) -> V3Fake {
    v3_fake_with(SHA_AES, script)
}

/// Starts a fake agent for `protocols` answering with `script`.
pub fn v3_fake_with(
    protocols: Protocols,
    script: impl Fn(&Agent, &V3Request) -> Vec<Reply> + Send + 'static,
) -> V3Fake {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let other = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_millis(20)))
        .unwrap();
    let addr = sock.local_addr().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let received = Arc::new(AtomicUsize::new(0));
    let (stop2, received2) = (stop.clone(), received.clone());
    let agent = Agent::new(protocols);
    // Derive the keys once before the client's first request arrives.
    let _ = agent.keys(ENGINE_ID, SecurityLevel::AuthPriv);
    std::thread::spawn(move || {
        let t0 = Instant::now();
        let mut buf = vec![0u8; 65536];
        while !stop2.load(Ordering::Relaxed) && t0.elapsed() < Duration::from_secs(60) {
            let Ok((n, from)) = sock.recv_from(&mut buf) else {
                continue;
            };
            let Ok(inc) = decode_v3(&buf[..n]) else {
                continue;
            };
            let level = inc.level();
            let keys = agent.keys(inc.usm.engine_id, level);
            let pdu = process_incoming(&inc, keys.as_ref()).ok().map(|s| s.pdu);
            let k = received2.fetch_add(1, Ordering::Relaxed) + 1;
            let req = V3Request {
                n: k,
                msg_id: inc.global.msg_id,
                level,
                engine_id: inc.usm.engine_id.to_vec(),
                boots: inc.usm.engine_boots,
                time: inc.usm.engine_time,
                pdu,
            };
            for r in script(&agent, &req) {
                let _ = match r {
                    Reply::Bytes(b) => sock.send_to(&b, from),
                    Reply::FromOtherPort(b) => other.send_to(&b, from),
                    Reply::FromOtherAddress(b) => super::send_from_other_address(&b, from),
                    Reply::Delayed(d, b) => {
                        let s = sock.try_clone().unwrap();
                        std::thread::spawn(move || {
                            std::thread::sleep(d);
                            let _ = s.send_to(&b, from);
                        });
                        Ok(0)
                    }
                };
            }
        }
    });
    V3Fake {
        addr,
        stop,
        received,
    }
}

/// The usual script: discovery answered, every request answered authentically.
pub fn honest(agent: &Agent, req: &V3Request) -> Vec<Reply> {
    if req.is_discovery() {
        vec![Reply::Bytes(agent.discovery_report(req))]
    } else {
        vec![Reply::Bytes(agent.response(req, req.echo()))]
    }
}

/// A v3 session for the fake agent's user at `level`, 200 ms x (1 retry + 1).
pub fn v3_client(addr: SocketAddr, level: SecurityLevel) -> super::Client {
    v3_client_with(addr, level, SHA_AES)
}

/// As [`v3_client`] with other protocols.
pub fn v3_client_with(addr: SocketAddr, level: SecurityLevel, p: Protocols) -> super::Client {
    let rt = Runtime::new().unwrap();
    let s = Session::builder(&addr.to_string())
        .version(Version::V3)
        .user(USER)
        .security_level(level)
        .auth_protocol(p.auth)
        .auth_password(AUTH_PASS)
        .priv_protocol(p.privacy)
        .priv_password(PRIV_PASS)
        .timeout(Duration::from_millis(200))
        .retries(1)
        .open(&rt)
        .unwrap();
    super::Client { rt, s }
}
