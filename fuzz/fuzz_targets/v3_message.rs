//! SNMPv3 framing and processing with real keys: any bytes give an error or a scoped PDU;
//! nothing that fails authentication is ever returned (a random MAC must not verify).
#![no_main]

use libfuzzer_sys::fuzz_target;
use snmpx::message::v3::{decode_v3, process_incoming, SecurityKeys};
use snmpx::usm::{AuthProtocol, Credentials, KeyCache, PrivProtocol};
use std::sync::OnceLock;

const ENGINE: &[u8] = b"\x80\x00\x1f\x88\x80fuzzengine";

fn keys() -> &'static SecurityKeys {
    static K: OnceLock<SecurityKeys> = OnceLock::new();
    K.get_or_init(|| {
        let cache = KeyCache::new().unwrap();
        let creds = Credentials::from_passwords(
            AuthProtocol::Sha1,
            b"authpass1",
            Some((PrivProtocol::Aes128, b"privpass1")),
        )
        .unwrap();
        SecurityKeys::derive(&cache, b"fuzz", &creds, ENGINE)
            .unwrap()
            .unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(incoming) = decode_v3(data) else {
        return;
    };
    let level = incoming.level();
    // Without keys: only noAuthNoPriv messages may pass.
    if process_incoming(&incoming, None).is_ok() {
        assert!(!level.has_auth());
    }
    // With keys: a message claiming authentication must carry a valid MAC, which random
    // input cannot forge.
    if process_incoming(&incoming, Some(keys())).is_ok() {
        assert!(!level.has_auth(), "a fuzzed MAC verified");
    }
});
