//! v1/v2c message decode (BER reader, PDU and value decoders): any bytes give a value or an
//! error, never a panic; what decodes re-encodes to something that decodes to the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use snmpx::message::{decode_community, encode_community};
use snmpx::pdu::DecodedPdu;

fuzz_target!(|data: &[u8]| {
    let Ok(msg) = decode_community(data) else {
        return;
    };
    if let DecodedPdu::Pdu(pdu) = &msg.pdu {
        let mut buf = Vec::new();
        encode_community(&mut buf, msg.version, msg.community, pdu);
        let again = decode_community(&buf).expect("our own encoding decodes");
        assert_eq!(again.pdu, msg.pdu);
    }
});
