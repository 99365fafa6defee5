//! Hostile agents (issue 7): scripted fake agents on loopback answer each request with
//! whatever bytes a case wants. Every case asserts the exact typed outcome, the counters that
//! explain it, and that the call ends (bounded timeouts, no hang).
//!
//! 114 cases (docs/RELIABILITY.md, "Hostile agents", has the table):
//! - `cases_framing` (25): malformed v1/v2c datagrams (truncation, lengths, indefinite
//!   form, nesting bombs, OIDs, integer ranges, PDU tag and class, version, community, 64 KiB);
//! - `cases_matching` (9): wrong request-id, source port or address, duplicates, late
//!   replies, a reply to an earlier transmission;
//! - `cases_semantics` (19): varbind lists, error-status/index, tooBig (Get, GetBulk, Set),
//!   walks that do not increase, cycle or never end, v2 types in v1;
//! - `cases_v3` (31): SNMPv3 discovery, unknown engines, the time window, Reports, replays
//!   (a fake USM agent, `v3.rs`, built on the library's own message and USM code);
//! - `cases_v3_crypto` (30): MACs (flipped, short, long, empty, stripped, another engine's
//!   key), privacy (parameters length, empty or garbled ciphertext, DES length and padding),
//!   framing and matching of authenticated messages, 64 KiB authPriv answers.

mod cases_framing;
mod cases_matching;
mod cases_semantics;
mod cases_v3;
mod cases_v3_crypto;
mod v3;

use snmpx::message::{decode_community, encode_community, Version};
use snmpx::pdu::{DecodedPdu, Pdu, PduType};
use snmpx::{Runtime, Session, Value, VarBind};
use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const SYS_NAME: &str = "1.3.6.1.2.1.1.5.0";
pub const SYS_DESCR: &str = "1.3.6.1.2.1.1.1.0";

/// What the fake agent saw: the request (decoded) and which one it is (1 = first datagram).
pub struct Request {
    pub pdu: Pdu,
    pub version: Version,
    pub n: usize,
}

/// A reply: bytes, optionally sent from another socket (a different source port).
pub enum Reply {
    Bytes(Vec<u8>),
    FromOtherPort(Vec<u8>),
    /// Sent from 127.0.0.2 (another source address), same port number when it is free.
    FromOtherAddress(Vec<u8>),
    /// Sent after a delay, without holding up the agent.
    Delayed(Duration, Vec<u8>),
}

/// A fake agent answering with a script; stops when dropped (and after 60 s regardless).
pub struct Fake {
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
    pub received: Arc<AtomicUsize>,
}

impl Drop for Fake {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

pub fn fake(script: impl Fn(&Request) -> Vec<Reply> + Send + 'static) -> Fake {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let other = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_millis(20)))
        .unwrap();
    let addr = sock.local_addr().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let received = Arc::new(AtomicUsize::new(0));
    let (stop2, received2) = (stop.clone(), received.clone());
    std::thread::spawn(move || {
        let t0 = Instant::now();
        let mut buf = vec![0u8; 65536];
        while !stop2.load(Ordering::Relaxed) && t0.elapsed() < Duration::from_secs(60) {
            let Ok((n, from)) = sock.recv_from(&mut buf) else {
                continue;
            };
            let Ok(msg) = decode_community(&buf[..n]) else {
                continue;
            };
            let DecodedPdu::Pdu(pdu) = msg.pdu else {
                continue;
            };
            let k = received2.fetch_add(1, Ordering::Relaxed) + 1;
            let req = Request {
                pdu,
                version: msg.version,
                n: k,
            };
            for r in script(&req) {
                let _ = match r {
                    Reply::Bytes(b) => sock.send_to(&b, from),
                    Reply::FromOtherPort(b) => other.send_to(&b, from),
                    Reply::FromOtherAddress(b) => send_from_other_address(&b, from),
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
    Fake {
        addr,
        stop,
        received,
    }
}

/// Sends `bytes` to `to` from 127.0.0.2 (a source address other than the agent's).
pub fn send_from_other_address(bytes: &[u8], to: SocketAddr) -> std::io::Result<usize> {
    UdpSocket::bind("127.0.0.2:0")?.send_to(bytes, to)
}

/// A Response to `req` with these varbinds (v2c/v1 as the request, community "public").
pub fn response(req: &Request, status: i32, index: i32, vbs: Vec<VarBind>) -> Vec<u8> {
    response_with(req, req.pdu.request_id, status, index, vbs)
}

pub fn response_with(
    req: &Request,
    request_id: i32,
    status: i32,
    index: i32,
    vbs: Vec<VarBind>,
) -> Vec<u8> {
    let pdu = Pdu {
        kind: PduType::Response,
        request_id,
        error_status: status,
        error_index: index,
        varbinds: vbs,
    };
    let mut buf = Vec::new();
    encode_community(&mut buf, req.version, b"public", &pdu);
    buf
}

/// The request's OIDs answered with a string value each.
pub fn echo(req: &Request) -> Vec<VarBind> {
    req.pdu
        .varbinds
        .iter()
        .map(|vb| VarBind::new(vb.oid.clone(), Value::from("answer")))
        .collect()
}

pub struct Client {
    pub rt: Runtime,
    pub s: Session,
}

/// A client for `addr` with a short timeout: 200 ms x (1 retry + 1).
pub fn client(addr: SocketAddr, version: Version) -> Client {
    let rt = Runtime::new().unwrap();
    let s = Session::builder(&addr.to_string())
        .version(version)
        .community("public")
        .timeout(Duration::from_millis(200))
        .retries(1)
        .open(&rt)
        .unwrap();
    Client { rt, s }
}

/// Runs `f` and checks it returned within `limit` (no hang).
pub fn bounded<T>(limit: Duration, f: impl FnOnce() -> T) -> T {
    let t0 = Instant::now();
    let r = f();
    assert!(t0.elapsed() < limit, "call took {:?}", t0.elapsed());
    r
}

/// The stats once the shard has published them for everything completed so far.
pub fn settled(c: &Client) -> snmpx::session::Stats {
    let t0 = Instant::now();
    loop {
        let st = c.rt.stats();
        if st.completed >= st.submitted || t0.elapsed() > Duration::from_secs(2) {
            return st;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// One BER element with a minimal definite length (X.690 §8.1.3).
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(content);
    out
}

/// A v2c Response built from raw parts: `rid` is the request-id INTEGER's content octets and
/// each varbind is given as raw bytes (so cases can put anything inside).
pub fn raw_response(rid: &[u8], varbinds: &[Vec<u8>]) -> Vec<u8> {
    let vbl = tlv(0x30, &varbinds.concat());
    let pdu = tlv(
        0xa2,
        &[tlv(0x02, rid), tlv(0x02, &[0]), tlv(0x02, &[0]), vbl].concat(),
    );
    tlv(0x30, &[tlv(0x02, &[1]), tlv(0x04, b"public"), pdu].concat())
}
