//! The scoped PDU decode after decryption: the input (after a selector octet) is the
//! plaintext a sender encrypted, framed in a correctly signed authPriv message with real
//! keys (AES-128 and AES-256 CFB, DES and 3DES CBC, chosen by the selector), so
//! `process_incoming` gets past the MAC and the decryption to the scoped PDU decoder; the same
//! bytes also go in as the plaintext scoped PDU of a noAuthNoPriv message.
//!
//! Checked: no panic; an accepted plaintext is one scoped PDU element followed by nothing
//! (CFB) or by less than a cipher block of padding (CBC, RFC 3414 §8.1.1.2); what is accepted
//! re-encodes with `encode_v3` to a message that decodes to the same scoped PDU.
#![no_main]

use libfuzzer_sys::fuzz_target;
use snmpx::ber::{Reader, Writer};
use snmpx::message::v3::{
    decode_v3, encode_v3, process_incoming, MsgGlobal, ScopedPdu, SecurityKeys, SecurityLevel,
    UsmParams, MAX_MESSAGE_SIZE, USM_SECURITY_MODEL,
};
use snmpx::usm::{self, AuthProtocol, Credentials, KeyCache, PrivProtocol, SaltSource};
use snmpx::value::tag;
use std::sync::OnceLock;

const ENGINE: &[u8] = b"\x80\x00\x1f\x88\x80scopedfuzz";
const USER: &[u8] = b"fuzzer";
const BOOTS: u32 = 7;
const TIME: u32 = 12345;
const PROTOCOLS: [PrivProtocol; 4] = [
    PrivProtocol::Aes128,
    PrivProtocol::Des,
    PrivProtocol::TripleDes,
    PrivProtocol::Aes256,
];

fn keys() -> &'static [SecurityKeys] {
    static K: OnceLock<Vec<SecurityKeys>> = OnceLock::new();
    K.get_or_init(|| {
        let cache = KeyCache::new().expect("key cache");
        PROTOCOLS
            .iter()
            .map(|&p| {
                let creds = Credentials::from_passwords(
                    AuthProtocol::Sha256,
                    b"fuzz-auth-pass",
                    Some((p, b"fuzz-priv-pass")),
                )
                .expect("valid credentials");
                SecurityKeys::derive(&cache, USER, &creds, ENGINE)
                    .expect("derive")
                    .expect("authPriv keys")
            })
            .collect()
    })
}

fn salts() -> &'static SaltSource {
    static S: OnceLock<SaltSource> = OnceLock::new();
    S.get_or_init(|| SaltSource::from_seed(0x5a17))
}

/// msgGlobalData and msgSecurityParameters (with a zero MAC of `mac_len` octets) for a
/// response at `flags`.
fn header(w: &mut Writer<'_>, flags: u8, mac_len: usize, priv_params: &[u8]) {
    w.i64(tag::INTEGER, 3);
    let g = w.begin(tag::SEQUENCE);
    w.i64(tag::INTEGER, 4242);
    w.i64(tag::INTEGER, MAX_MESSAGE_SIZE as i64);
    w.bytes(tag::OCTET_STRING, &[flags]);
    w.i64(tag::INTEGER, USM_SECURITY_MODEL as i64);
    w.end(g);
    let sp = w.begin(tag::OCTET_STRING);
    let u = w.begin(tag::SEQUENCE);
    w.bytes(tag::OCTET_STRING, ENGINE);
    w.i64(tag::INTEGER, BOOTS as i64);
    w.i64(tag::INTEGER, TIME as i64);
    w.bytes(tag::OCTET_STRING, USER);
    w.bytes(tag::OCTET_STRING, &vec![0; mac_len]);
    w.bytes(tag::OCTET_STRING, priv_params);
    w.end(u);
    w.end(sp);
}

/// An authPriv message carrying `plaintext` encrypted and signed with `k`.
fn sealed(k: &SecurityKeys, plaintext: &[u8], salt: u64) -> Vec<u8> {
    let p = k.privacy().expect("privacy key");
    let (ct, params) = usm::encrypt(p, BOOTS, TIME, salt, plaintext);
    let mut msg = Vec::new();
    let mut w = Writer::new(&mut msg);
    let m = w.begin(tag::SEQUENCE);
    header(&mut w, 0x03, k.auth().mac_len(), &params);
    w.bytes(tag::OCTET_STRING, &ct);
    w.end(m);
    let off = decode_v3(&msg).expect("our framing decodes").mac_offset;
    k.auth().sign(&mut msg, off).expect("sign");
    msg
}

/// A noAuthNoPriv message whose msgData is `plaintext` as it stands.
fn plain(plaintext: &[u8]) -> Vec<u8> {
    let mut msg = Vec::new();
    let mut w = Writer::new(&mut msg);
    let m = w.begin(tag::SEQUENCE);
    header(&mut w, 0x00, 0, &[]);
    w.raw(plaintext);
    w.end(m);
    msg
}

/// Re-encodes an accepted scoped PDU with `encode_v3` and checks it decodes the same.
fn round_trip(s: &ScopedPdu, k: Option<&SecurityKeys>) {
    let level = k.map_or(SecurityLevel::NoAuthNoPriv, SecurityKeys::level);
    let global = MsgGlobal {
        msg_id: 4242,
        max_size: MAX_MESSAGE_SIZE,
        flags: level.flag_bits(),
        security_model: USM_SECURITY_MODEL,
    };
    let usm = UsmParams {
        engine_id: ENGINE,
        engine_boots: BOOTS,
        engine_time: TIME,
        user_name: USER,
        ..UsmParams::default()
    };
    let mut buf = Vec::new();
    encode_v3(&mut buf, global, &usm, s, k, salts()).expect("an accepted scoped PDU encodes");
    let inc = decode_v3(&buf).expect("our encoding decodes");
    let again = process_incoming(&inc, k).expect("our encoding processes");
    assert_eq!(&again, s);
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, pt)) = data.split_first() else {
        return;
    };
    let k = &keys()[sel as usize % PROTOCOLS.len()];
    let msg = sealed(k, pt, sel as u64);
    let inc = decode_v3(&msg).expect("our framing decodes");
    if let Ok(s) = process_incoming(&inc, Some(k)) {
        // What was decrypted: the plaintext, zero-padded to the block size for CBC (the
        // padding may even complete a truncated element). It holds one scoped PDU element,
        // followed by nothing (CFB) or by less than a block (CBC, RFC 3414 §8.1.1.2).
        let cbc = k.privacy().expect("privacy").protocol().is_cbc();
        let mut decrypted = pt.to_vec();
        if cbc {
            decrypted.resize(pt.len().div_ceil(8) * 8, 0);
        }
        let mut r = Reader::new(&decrypted);
        let t = r
            .read_tlv()
            .expect("an accepted plaintext starts with an element");
        assert_eq!(t.tag, tag::SEQUENCE);
        let rest = decrypted.len() - r.position();
        assert!(
            rest == 0 || (cbc && rest < 8),
            "{rest} octets after the scoped PDU"
        );
        round_trip(&s, Some(k));
    }
    if let Ok(inc) = decode_v3(&plain(pt)) {
        if let Ok(s) = process_incoming(&inc, None) {
            round_trip(&s, None);
        }
    }
});
