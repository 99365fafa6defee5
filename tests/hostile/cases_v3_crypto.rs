//! SNMPv3 hostile agents, part 2: authentication (RFC 3414 §3.2 step 6, §6.3.2), privacy
//! (RFC 3414 §8.3.2, RFC 3826 §3.3.2), framing and matching of authenticated messages.
//! "Re-signed" below means the fake agent computed a valid MAC over the broken message with
//! the user's key, so the case tests the layer after authentication.

use super::cases_v3::{after_discovery, v3_get};
use super::v3::*;
use super::*;
use snmpx::message::v3::{decode_v3, SecurityLevel};
use snmpx::Error;

/// `m` with the first octet of its MAC flipped.
fn flip_mac(mut m: Vec<u8>) -> Vec<u8> {
    let at = decode_v3(&m).unwrap().mac_offset;
    m[at] ^= 0x01;
    m
}

/// Every request answered by `bad` then by the honest answer: the Get succeeds with the
/// honest value and exactly one datagram is counted by `counter`.
fn dropped_then_ok(
    level: SecurityLevel,
    protocols: Protocols,
    bad: impl Fn(&Agent, &V3Request) -> Vec<u8> + Send + 'static,
    counter: fn(&snmpx::session::Stats) -> u64,
) {
    let agent = v3_fake_with(
        protocols,
        after_discovery(move |a, r| {
            vec![
                Reply::Bytes(bad(a, r)),
                Reply::Bytes(a.response(r, r.echo())),
            ]
        }),
    );
    let c = v3_client_with(agent.addr, level, protocols);
    let r = v3_get(&c);
    assert_eq!(r.unwrap()[0].value, Value::from("answer"));
    let st = settled(&c);
    assert_eq!(counter(&st), 1, "{st:?}");
    assert_eq!(st.responses_matched, 1, "{st:?}");
}

/// Every request answered only by `bad`: the Get times out and `counter` counts both.
fn only_bad_times_out(
    level: SecurityLevel,
    bad: impl Fn(&Agent, &V3Request) -> Vec<u8> + Send + 'static,
    counter: fn(&snmpx::session::Stats) -> u64,
) {
    let agent = v3_fake(after_discovery(move |a, r| vec![Reply::Bytes(bad(a, r))]));
    let c = v3_client(agent.addr, level);
    let r = v3_get(&c);
    assert!(
        matches!(r, Err(Error::Timeout { peer, attempts: 2 }) if peer == agent.addr),
        "{r:?}"
    );
    let st = settled(&c);
    assert_eq!(counter(&st), 2, "{st:?}");
    assert_eq!(st.responses_matched, 0);
}

fn auth_failed(st: &snmpx::session::Stats) -> u64 {
    st.dropped_auth_failed
}

fn invalid(st: &snmpx::session::Stats) -> u64 {
    st.dropped_invalid
}

#[test]
fn flipped_mac_octet_then_the_real_answer() {
    dropped_then_ok(
        SecurityLevel::AuthPriv,
        SHA_AES,
        |a, r| flip_mac(a.response(r, r.echo())),
        auth_failed,
    );
}

#[test]
fn only_forged_macs_time_out() {
    only_bad_times_out(
        SecurityLevel::AuthNoPriv,
        |a, r| flip_mac(a.response(r, r.echo())),
        auth_failed,
    );
}

#[test]
fn flipped_payload_octet_breaks_the_mac() {
    // A tamperer without the key changes the answer's last octet (inside the value of an
    // authNoPriv response): the MAC no longer verifies, nothing forged is returned.
    only_bad_times_out(
        SecurityLevel::AuthNoPriv,
        |a, r| {
            let mut m = a.response(r, r.echo());
            let last = m.len() - 1;
            m[last] ^= 0x20;
            m
        },
        auth_failed,
    );
}

#[test]
fn short_mac_is_an_authentication_failure() {
    // 11 octets where HMAC-SHA-1-96 has 12 (RFC 3414 §7.3.2 step 1).
    dropped_then_ok(
        SecurityLevel::AuthNoPriv,
        SHA_AES,
        |a, r| {
            let h = a.header(r);
            let pdu = response_pdu(r.request_id(), r.echo());
            a.raw(&h, 0x01, 11, &[], &scoped_bytes(&h.engine_id, &pdu))
        },
        auth_failed,
    );
}

#[test]
fn empty_mac_with_the_auth_flag_is_an_authentication_failure() {
    dropped_then_ok(
        SecurityLevel::AuthNoPriv,
        SHA_AES,
        |a, r| {
            let h = a.header(r);
            let pdu = response_pdu(r.request_id(), r.echo());
            a.raw(&h, 0x01, 0, &[], &scoped_bytes(&h.engine_id, &pdu))
        },
        auth_failed,
    );
}

#[test]
fn long_mac_is_an_authentication_failure() {
    dropped_then_ok(
        SecurityLevel::AuthNoPriv,
        SHA_AES,
        |a, r| {
            let h = a.header(r);
            let pdu = response_pdu(r.request_id(), r.echo());
            a.raw(&h, 0x01, 20, &[], &scoped_bytes(&h.engine_id, &pdu))
        },
        auth_failed,
    );
}

#[test]
fn mac_stripped_answer_to_an_auth_priv_request_is_never_accepted() {
    // The real PDU, msgID and request-id, re-framed at noAuthNoPriv (MAC and encryption
    // removed): a Response below the request's level is refused (RFC 3412 §7.2 step 12c).
    only_bad_times_out(
        SecurityLevel::AuthPriv,
        |a, r| {
            let h = Header {
                level: SecurityLevel::NoAuthNoPriv,
                ..a.header(r)
            };
            a.message(&h, response_pdu(r.request_id(), r.echo()))
        },
        auth_failed,
    );
}

#[test]
fn mac_stripped_answer_to_an_auth_no_priv_request_then_the_real_one() {
    dropped_then_ok(
        SecurityLevel::AuthNoPriv,
        SHA_AES,
        |a, r| {
            let h = Header {
                level: SecurityLevel::NoAuthNoPriv,
                ..a.header(r)
            };
            a.message(&h, response_pdu(r.request_id(), r.echo()))
        },
        auth_failed,
    );
}

#[test]
fn authenticated_but_unencrypted_answer_to_an_auth_priv_request() {
    only_bad_times_out(
        SecurityLevel::AuthPriv,
        |a, r| {
            let h = Header {
                level: SecurityLevel::AuthNoPriv,
                ..a.header(r)
            };
            a.message(&h, response_pdu(r.request_id(), r.echo()))
        },
        auth_failed,
    );
}

#[test]
fn answer_signed_with_a_key_localized_to_another_engine() {
    // The MAC is valid for the same pass phrase at another engine ID (RFC 3414 §2.6: keys
    // are localized so one engine's key is useless at another).
    only_bad_times_out(
        SecurityLevel::AuthPriv,
        |a, r| {
            let mut m = a.response(r, r.echo());
            let inc = decode_v3(&m).unwrap();
            let at = inc.mac_offset;
            let other = a
                .keys(b"\x80\x00\x1f\x88\x04elsewhere", SecurityLevel::AuthNoPriv)
                .unwrap();
            other.auth().sign(&mut m, at).unwrap();
            m
        },
        auth_failed,
    );
}

#[test]
fn answer_naming_another_user() {
    // Re-signed with the right key but msgUserName is not the user we sent as.
    only_bad_times_out(
        SecurityLevel::AuthNoPriv,
        |a, r| {
            let h = Header {
                user: b"intruder".to_vec(),
                ..a.header(r)
            };
            let pdu = response_pdu(r.request_id(), r.echo());
            a.raw(&h, 0x01, 12, &[], &scoped_bytes(&h.engine_id, &pdu))
        },
        auth_failed,
    );
}

/// The authPriv answer to `r` framed by hand (re-signed): `plaintext` encrypted, then
/// `mutate` applied to (ciphertext, msgPrivacyParameters).
fn encrypted_answer(
    a: &Agent,
    r: &V3Request,
    pad: usize,
    mutate: impl Fn(&mut Vec<u8>, &mut Vec<u8>),
) -> Vec<u8> {
    let h = a.header(r);
    let mut pt = scoped_bytes(&h.engine_id, &response_pdu(r.request_id(), r.echo()));
    pt.extend(std::iter::repeat(0).take(pad));
    let (mut ct, params) = a.encrypt(&h, &pt);
    let mut params = params.to_vec();
    mutate(&mut ct, &mut params);
    let mac_len = a
        .keys(&a.engine_id, SecurityLevel::AuthNoPriv)
        .unwrap()
        .auth()
        .mac_len();
    a.raw(&h, 0x03, mac_len, &params, &tlv(0x04, &ct))
}

#[test]
fn hand_framed_encrypted_answer_is_accepted() {
    // The control for the privacy cases below: the same hand framing, nothing broken.
    let agent = v3_fake(after_discovery(|a, r| {
        vec![Reply::Bytes(encrypted_answer(a, r, 0, |_, _| {}))]
    }));
    let c = v3_client(agent.addr, SecurityLevel::AuthPriv);
    assert_eq!(v3_get(&c).unwrap()[0].value, Value::from("answer"));
}

#[test]
fn privacy_parameters_of_7_octets() {
    // RFC 3826 §3.3.2 step 1 (and RFC 3414 §8.3.2 step 1): exactly 8 octets.
    dropped_then_ok(
        SecurityLevel::AuthPriv,
        SHA_AES,
        |a, r| encrypted_answer(a, r, 0, |_, p| p.truncate(7)),
        invalid,
    );
}

#[test]
fn privacy_parameters_of_9_octets() {
    dropped_then_ok(
        SecurityLevel::AuthPriv,
        SHA_AES,
        |a, r| encrypted_answer(a, r, 0, |_, p| p.push(0)),
        invalid,
    );
}

#[test]
fn empty_privacy_parameters() {
    dropped_then_ok(
        SecurityLevel::AuthPriv,
        SHA_AES,
        |a, r| encrypted_answer(a, r, 0, |_, p| p.clear()),
        invalid,
    );
}

#[test]
fn empty_encrypted_pdu() {
    dropped_then_ok(
        SecurityLevel::AuthPriv,
        SHA_AES,
        |a, r| encrypted_answer(a, r, 0, |c, _| c.clear()),
        invalid,
    );
}

#[test]
fn ciphertext_decrypting_to_garbage() {
    // The first ciphertext octet flipped (and re-signed): the plaintext no longer starts
    // with the ScopedPDU's SEQUENCE (RFC 3414 §3.2 step 8: decryptionError, dropped).
    dropped_then_ok(
        SecurityLevel::AuthPriv,
        SHA_AES,
        |a, r| encrypted_answer(a, r, 0, |c, _| c[0] ^= 0x01),
        invalid,
    );
}

#[test]
fn ciphertext_under_another_engines_privacy_key() {
    dropped_then_ok(
        SecurityLevel::AuthPriv,
        SHA_AES,
        |a, r| {
            let h = a.header(r);
            let pdu = response_pdu(r.request_id(), r.echo());
            let other = Header {
                engine_id: b"\x80\x00\x1f\x88\x04elsewhere".to_vec(),
                ..h.clone()
            };
            let (ct, params) = a.encrypt(&other, &scoped_bytes(&h.engine_id, &pdu));
            a.raw(&h, 0x03, 12, &params, &tlv(0x04, &ct))
        },
        invalid,
    );
}

#[test]
fn des_ciphertext_not_a_multiple_of_8_octets() {
    // RFC 3414 §8.3.2 step 2: a CBC ciphertext is whole blocks.
    dropped_then_ok(
        SecurityLevel::AuthPriv,
        MD5_DES,
        |a, r| {
            encrypted_answer(a, r, 0, |c, _| {
                let n = c.len() - 3;
                c.truncate(n)
            })
        },
        invalid,
    );
}

#[test]
fn des_padding_of_a_whole_block_or_more() {
    // RFC 3414 §8.1.1.2 pads to the next multiple of 8: at most 7 octets may follow the
    // ScopedPDU after decryption; 8 or more is not padding.
    dropped_then_ok(
        SecurityLevel::AuthPriv,
        MD5_DES,
        |a, r| encrypted_answer(a, r, 8, |_, _| {}),
        invalid,
    );
}

#[test]
fn encrypted_flag_with_a_plaintext_scoped_pdu() {
    // privFlag set but msgData is a plaintext ScopedPDU instead of encryptedPDU.
    dropped_then_ok(
        SecurityLevel::AuthPriv,
        SHA_AES,
        |a, r| {
            let h = a.header(r);
            let pdu = response_pdu(r.request_id(), r.echo());
            a.raw(&h, 0x03, 12, &[0; 8], &scoped_bytes(&h.engine_id, &pdu))
        },
        invalid,
    );
}

#[test]
fn privacy_flag_without_authentication() {
    // msgFlags 0x02: privacy without authentication (RFC 3412 §7.2 step 5).
    dropped_then_ok(
        SecurityLevel::AuthPriv,
        SHA_AES,
        |a, r| {
            let h = a.header(r);
            let pdu = response_pdu(r.request_id(), r.echo());
            let (ct, params) = a.encrypt(&h, &scoped_bytes(&h.engine_id, &pdu));
            a.raw(&h, 0x02, 0, &params, &tlv(0x04, &ct))
        },
        invalid,
    );
}

#[test]
fn truncated_v3_answer() {
    dropped_then_ok(
        SecurityLevel::AuthPriv,
        SHA_AES,
        |a, r| {
            let mut m = a.response(r, r.echo());
            m.truncate(m.len() - 5);
            m
        },
        invalid,
    );
}

#[test]
fn v3_answer_with_trailing_bytes() {
    dropped_then_ok(
        SecurityLevel::AuthPriv,
        SHA_AES,
        |a, r| {
            let mut m = a.response(r, r.echo());
            m.extend_from_slice(&[0x05, 0x00]);
            m
        },
        invalid,
    );
}

#[test]
fn unknown_security_model() {
    // msgSecurityModel 2 (RFC 3412 §7.2 step 4: snmpUnknownSecurityModels).
    dropped_then_ok(
        SecurityLevel::AuthPriv,
        SHA_AES,
        |a, r| {
            let mut m = a.response(r, r.echo());
            // msgFlags (04 01 03, authPriv) is followed by the model (02 01 03).
            let at = m
                .windows(6)
                .position(|w| w == [0x04, 0x01, 0x03, 0x02, 0x01, 0x03])
                .expect("msgFlags and msgSecurityModel");
            m[at + 5] = 0x02;
            m
        },
        invalid,
    );
}

#[test]
fn duplicated_v3_answer_completes_once() {
    let agent = v3_fake(after_discovery(|a, r| {
        let m = a.response(r, r.echo());
        vec![Reply::Bytes(m.clone()), Reply::Bytes(m)]
    }));
    let c = v3_client(agent.addr, SecurityLevel::AuthPriv);
    assert!(v3_get(&c).is_ok());
    let st = settled(&c);
    assert_eq!(
        (st.responses_matched, st.dropped_unmatched),
        (1, 1),
        "{st:?}"
    );
}

#[test]
fn late_v3_answers_complete_nothing() {
    let agent = v3_fake(after_discovery(|a, r| {
        vec![Reply::Delayed(
            Duration::from_millis(700),
            a.response(r, r.echo()),
        )]
    }));
    let c = v3_client(agent.addr, SecurityLevel::AuthPriv);
    let r = v3_get(&c);
    assert!(
        matches!(r, Err(Error::Timeout { attempts: 2, .. })),
        "{r:?}"
    );
    std::thread::sleep(Duration::from_millis(900));
    let st = c.rt.stats();
    assert_eq!(
        (st.dropped_unmatched, st.responses_matched),
        (2, 0),
        "{st:?}"
    );
}

#[test]
fn v3_answer_to_the_first_transmission_after_a_retransmission() {
    // Each transmission has its own msgID (and salt); an answer to any of them completes
    // the exchange.
    let agent = v3_fake(after_discovery(|a, r| {
        if r.n == 2 {
            vec![Reply::Delayed(
                Duration::from_millis(300),
                a.response(r, r.echo()),
            )]
        } else {
            Vec::new()
        }
    }));
    let rt = Runtime::new().unwrap();
    let s = Session::builder(&agent.addr.to_string())
        .version(Version::V3)
        .user(USER)
        .auth("SHA", AUTH_PASS)
        .privacy("AES", PRIV_PASS)
        .timeout(Duration::from_millis(200))
        .retries(3)
        .open(&rt)
        .unwrap();
    assert!(bounded(Duration::from_secs(3), || s.get(&[SYS_NAME])).is_ok());
    assert_eq!(agent.received.load(Ordering::Relaxed), 3);
}

#[test]
fn v3_answer_from_another_address() {
    let agent = v3_fake(after_discovery(|a, r| {
        vec![Reply::FromOtherAddress(a.response(r, r.echo()))]
    }));
    let c = v3_client(agent.addr, SecurityLevel::AuthPriv);
    let r = v3_get(&c);
    assert!(matches!(r, Err(Error::Timeout { .. })), "{r:?}");
    assert_eq!(settled(&c).dropped_wrong_source, 2);
}

#[test]
fn v3_answer_of_64_kib() {
    // An authPriv answer near the largest UDP payload (65,507): decrypted and returned whole.
    let agent = v3_fake(after_discovery(|a, r| {
        let vbs = vec![VarBind::new(
            SYS_NAME.parse().unwrap(),
            Value::OctetString(vec![b'x'; 65_000].into()),
        )];
        let m = a.response(r, vbs);
        assert!(m.len() > 65_000 && m.len() <= 65_507, "{}", m.len());
        vec![Reply::Bytes(m)]
    }));
    let c = v3_client(agent.addr, SecurityLevel::AuthPriv);
    let r = v3_get(&c).unwrap();
    assert_eq!(r[0].value.as_bytes().map(<[u8]>::len), Some(65_000));
}
