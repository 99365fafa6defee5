//! Incoming processing: tampering, MACs, security levels, padding, malformed headers.

use super::*;

/// Flips every byte of an authenticated message in turn (two ways): nothing is accepted.
#[test]
fn every_flipped_byte_is_rejected() {
    let salts = SaltSource::from_seed(1);
    let cases = [
        (AuthProtocol::Md5, None),
        (AuthProtocol::Sha1, Some(PrivProtocol::Aes128)),
        (AuthProtocol::Md5, Some(PrivProtocol::Des)),
        (AuthProtocol::Sha256, Some(PrivProtocol::Aes192)),
        (AuthProtocol::Sha512, Some(PrivProtocol::Aes256C)),
        (AuthProtocol::Sha224, Some(PrivProtocol::TripleDes)),
    ];
    for (a, p) in cases {
        let k = keys(a, p);
        let good = encode_as_agent(Some(&k), &sys_name_response(), &salts);
        assert!(process_incoming(&decode_v3(&good).unwrap(), Some(&k)).is_ok());
        for i in 0..good.len() {
            for mask in [0xffu8, 0x01, 0x80] {
                let mut bad = good.clone();
                bad[i] ^= mask;
                let verdict = decode_v3(&bad).and_then(|inc| process_incoming(&inc, Some(&k)));
                assert!(
                    verdict.is_err(),
                    "{a}/{p:?}: flipping byte {i} with {mask:#04x} was accepted"
                );
            }
        }
        // Truncated or extended messages too.
        for cut in 1..good.len() {
            let verdict = decode_v3(&good[..cut]).and_then(|inc| process_incoming(&inc, Some(&k)));
            assert!(verdict.is_err(), "{a}/{p:?}: truncated to {cut} accepted");
        }
        let mut longer = good.clone();
        longer.push(0);
        assert!(decode_v3(&longer).is_err());
    }
}

#[test]
fn missing_short_long_empty_or_zero_macs_are_rejected() {
    let k = keys(AuthProtocol::Sha1, None);
    const ZEROS: [u8; 12] = [0u8; 12];
    let raw = |mac: &'static [u8], strip: bool, sign: bool| {
        let r = Raw {
            flags: flags::AUTH,
            model: 3,
            usm: UsmParams {
                auth_params: mac,
                ..usm(1, 1)
            },
            strip_mac: strip,
            data: scoped_bytes(&sys_name_response()),
            sign: sign.then_some(&k),
        };
        r.build()
    };
    // A correct message built this way is accepted (so the failures below are the MAC's).
    let ok = raw(&[0u8; 12], false, true);
    assert!(process_incoming(&decode_v3(&ok).unwrap(), Some(&k)).is_ok());

    let run = |b: &[u8]| decode_v3(b).and_then(|i| process_incoming(&i, Some(&k)));
    assert!(
        matches!(run(&raw(&[], true, false)), Err(V3Error::Ber(_))),
        "stripped"
    );
    assert_eq!(
        run(&raw(&[], false, false)),
        Err(V3Error::WrongMacLength {
            expected: 12,
            actual: 0
        })
    );
    assert_eq!(
        run(&raw(&[1; 11], false, false)),
        Err(V3Error::WrongMacLength {
            expected: 12,
            actual: 11
        })
    );
    assert_eq!(
        run(&raw(&[1; 20], false, false)),
        Err(V3Error::WrongMacLength {
            expected: 12,
            actual: 20
        })
    );
    assert_eq!(
        run(&raw(&ZEROS, false, false)),
        Err(V3Error::AuthenticationFailed)
    );
    // The right MAC of another key.
    let other = AuthKey::from_bytes(AuthProtocol::Sha1, &[0x42; 20]).unwrap();
    let mut forged = raw(&[0u8; 12], false, false);
    let at = decode_v3(&forged).unwrap().mac_offset;
    other.sign(&mut forged, at).unwrap();
    assert_eq!(run(&forged), Err(V3Error::AuthenticationFailed));
    // Authenticated message but no keys to check it.
    assert_eq!(
        process_incoming(&decode_v3(&ok).unwrap(), None),
        Err(V3Error::MissingKeys)
    );
}

#[test]
fn security_level_downgrades_and_upgrades_are_rejected() {
    let salts = SaltSource::from_seed(5);
    let auth = keys(AuthProtocol::Sha256, None);
    let privk = keys(AuthProtocol::Sha256, Some(PrivProtocol::Aes128));
    let plain = encode_as_agent(None, &sys_name_response(), &salts);
    let signed = encode_as_agent(Some(&auth), &sys_name_response(), &salts);
    let sealed = encode_as_agent(Some(&privk), &sys_name_response(), &salts);
    let run = |b: &[u8], k: Option<&SecurityKeys>| process_incoming(&decode_v3(b).unwrap(), k);
    use SecurityLevel::*;
    let lvl = |expected, found| Err(V3Error::UnexpectedSecurityLevel { expected, found });
    // An unauthenticated Response to an authenticated request.
    assert_eq!(run(&plain, Some(&auth)), lvl(AuthNoPriv, NoAuthNoPriv));
    assert_eq!(run(&plain, Some(&privk)), lvl(AuthPriv, NoAuthNoPriv));
    // A plaintext Response to an authPriv request, even if correctly signed.
    let same_auth = privk.without_privacy();
    let signed_same = encode_as_agent(Some(&same_auth), &sys_name_response(), &salts);
    assert_eq!(run(&signed_same, Some(&privk)), lvl(AuthPriv, AuthNoPriv));
    // An encrypted Response to an authNoPriv request.
    assert_eq!(run(&sealed, Some(&same_auth)), lvl(AuthNoPriv, AuthPriv));
    // Matching levels work.
    assert!(run(&signed, Some(&auth)).is_ok());
    assert!(run(&sealed, Some(&privk)).is_ok());
    assert!(run(&plain, None).is_ok());
    // But Reports may come at a lower level (notInTimeWindows at authNoPriv, the others
    // unauthenticated).
    let report = report_pdu("1.3.6.1.6.3.15.1.1.5.0");
    let plain_report = encode_as_agent(None, &report, &salts);
    let r = run(&plain_report, Some(&privk)).unwrap();
    assert_eq!(r.report_kind(), Some(ReportKind::WrongDigests));
    assert_eq!(
        r.into_response(),
        Err(V3Error::Report(ReportKind::WrongDigests))
    );
    let signed_report = encode_as_agent(
        Some(&same_auth),
        &report_pdu("1.3.6.1.6.3.15.1.1.2.0"),
        &salts,
    );
    let r = run(&signed_report, Some(&privk)).unwrap();
    assert_eq!(r.report_kind(), Some(ReportKind::NotInTimeWindows));
}

#[test]
fn user_and_engine_must_be_the_keys_after_the_mac() {
    let salts = SaltSource::from_seed(5);
    let k = keys(AuthProtocol::Md5, None);
    // Same key octets, other user: the MAC verifies, the user does not match.
    let bob = SecurityKeys::new(b"bob", ENGINE, Arc::new(k.auth().clone()), None).unwrap();
    let mut buf = Vec::new();
    let g = MsgGlobal::request(1, SecurityLevel::AuthNoPriv);
    let u = UsmParams {
        user_name: b"bob",
        ..usm(1, 1)
    };
    encode_v3(&mut buf, g, &u, &sys_name_response(), Some(&bob), &salts).unwrap();
    let inc = decode_v3(&buf).unwrap();
    assert_eq!(process_incoming(&inc, Some(&k)), Err(V3Error::UnknownUser));
    // Same key octets, other engine.
    let e2 = SecurityKeys::new(
        USER,
        b"\x80\x00\x00\x00\x02",
        Arc::new(k.auth().clone()),
        None,
    )
    .unwrap();
    let u = UsmParams {
        engine_id: b"\x80\x00\x00\x00\x02",
        ..usm(1, 1)
    };
    encode_v3(&mut buf, g, &u, &sys_name_response(), Some(&e2), &salts).unwrap();
    let inc = decode_v3(&buf).unwrap();
    assert_eq!(
        process_incoming(&inc, Some(&k)),
        Err(V3Error::WrongEngineId)
    );
}

/// Encrypts `plaintext` as msgData with `k` and signs: for the padding tests.
fn sealed_with_plaintext(k: &SecurityKeys, plaintext: &[u8], salt: u64) -> Vec<u8> {
    let (ct, params) = crate::usm::encrypt(k.privacy().unwrap(), 3, 44, salt, plaintext);
    Raw {
        flags: flags::AUTH | flags::PRIV,
        model: 3,
        usm: UsmParams {
            auth_params: &[0u8; 48][..k.auth().mac_len()],
            priv_params: &params,
            ..usm(3, 44)
        },
        strip_mac: false,
        data: octets(&ct),
        sign: Some(k),
    }
    .build()
}

#[test]
fn cbc_padding_is_the_only_trailing_data_allowed() {
    let scoped = sys_name_response();
    let pt = scoped_bytes(&scoped);
    let run = |b: &[u8], k: &SecurityKeys| process_incoming(&decode_v3(b).unwrap(), Some(k));
    for p in [PrivProtocol::Des, PrivProtocol::TripleDes] {
        let k = keys(AuthProtocol::Sha1, Some(p));
        for extra in 0..24usize {
            let mut padded = pt.clone();
            padded.extend(std::iter::repeat(0xee).take(extra));
            let got = run(&sealed_with_plaintext(&k, &padded, extra as u64), &k);
            // The cipher pads to 8 itself; what follows the scopedPDU after decryption is
            // then (extra + pad) octets, allowed only while under one block.
            let trailing = (pt.len() + extra).div_ceil(8) * 8 - pt.len();
            if trailing < 8 {
                assert_eq!(got.as_ref(), Ok(&scoped), "{p} extra {extra}");
            } else {
                assert_eq!(
                    got,
                    Err(V3Error::Ber(crate::ber::BerError::TrailingData(trailing))),
                    "{p} extra {extra}"
                );
            }
        }
    }
    for p in [PrivProtocol::Aes128, PrivProtocol::Aes256C] {
        let k = keys(AuthProtocol::Sha1, Some(p));
        assert_eq!(
            run(&sealed_with_plaintext(&k, &pt, 1), &k).as_ref(),
            Ok(&scoped)
        );
        for extra in 1..9 {
            let mut padded = pt.clone();
            padded.extend(std::iter::repeat(0).take(extra));
            assert!(
                run(&sealed_with_plaintext(&k, &padded, 1), &k).is_err(),
                "{p} {extra}"
            );
        }
    }
}

#[test]
fn wrong_privacy_key_is_a_decryption_error() {
    let salts = SaltSource::from_seed(3);
    for p in PrivProtocol::ALL {
        let k = keys(AuthProtocol::Sha1, Some(p));
        let buf = encode_as_agent(Some(&k), &sys_name_response(), &salts);
        // Same auth key, other privacy key.
        let m: Vec<u8> = (0..p.key_material_len()).map(|i| i as u8 ^ 0x5a).collect();
        let wrong = SecurityKeys::new(
            USER,
            ENGINE,
            Arc::new(k.auth().clone()),
            Some(Arc::new(PrivKey::from_bytes(p, &m).unwrap())),
        )
        .unwrap();
        let got = process_incoming(&decode_v3(&buf).unwrap(), Some(&wrong));
        assert!(
            matches!(
                got,
                Err(V3Error::DecryptionFailed(_)) | Err(V3Error::Ber(_))
            ),
            "{p}: {got:?}"
        );
    }
    // Malformed privacy parameters and ciphertext lengths.
    let k = keys(AuthProtocol::Md5, Some(PrivProtocol::Des));
    let bad_params = Raw {
        flags: 3,
        model: 3,
        usm: UsmParams {
            auth_params: &[0; 12],
            priv_params: &[1, 2, 3],
            ..usm(1, 1)
        },
        strip_mac: false,
        data: octets(&[0u8; 16]),
        sign: Some(&k),
    };
    assert!(matches!(
        process_incoming(&decode_v3(&bad_params.build()).unwrap(), Some(&k)),
        Err(V3Error::DecryptionFailed(_))
    ));
    let bad_len = Raw {
        usm: UsmParams {
            auth_params: &[0; 12],
            priv_params: &[1; 8],
            ..usm(1, 1)
        },
        data: octets(&[0u8; 15]),
        ..bad_params
    };
    assert!(matches!(
        process_incoming(&decode_v3(&bad_len.build()).unwrap(), Some(&k)),
        Err(V3Error::DecryptionFailed(_))
    ));
}

#[test]
fn malformed_headers_are_rejected() {
    let base = || Raw {
        flags: flags::REPORTABLE,
        model: 3,
        usm: usm(1, 1),
        strip_mac: false,
        data: scoped_bytes(&sys_name_response()),
        sign: None,
    };
    assert!(decode_v3(&base().build()).is_ok());
    let r = Raw { model: 2, ..base() };
    assert_eq!(
        decode_v3(&r.build()).err(),
        Some(V3Error::WrongSecurityModel(2))
    );
    let r = Raw { model: 0, ..base() };
    assert!(matches!(
        decode_v3(&r.build()),
        Err(V3Error::InvalidHeader(_))
    ));
    let r = Raw {
        flags: flags::PRIV,
        ..base()
    };
    assert_eq!(
        decode_v3(&r.build()).err(),
        Some(V3Error::InvalidFlags(flags::PRIV))
    );
    // Priv flag with plaintext data: the OCTET STRING is missing.
    let r = Raw { flags: 3, ..base() };
    assert!(matches!(decode_v3(&r.build()), Err(V3Error::Ber(_))));
    // Trailing data inside the message after the scoped PDU, or after the message.
    let mut r = base();
    r.data.extend_from_slice(&[4, 0]);
    assert!(matches!(decode_v3(&r.build()), Err(V3Error::Ber(_))));
    let mut b = base().build();
    b.push(0);
    assert!(matches!(decode_v3(&b), Err(V3Error::Ber(_))));
    // Oversized engine ID and user name.
    let r = Raw {
        usm: UsmParams {
            engine_id: &[1; 33],
            ..usm(1, 1)
        },
        ..base()
    };
    assert!(matches!(
        decode_v3(&r.build()),
        Err(V3Error::InvalidUsmParams(_))
    ));
    let r = Raw {
        usm: UsmParams {
            user_name: &[b'a'; 33],
            ..usm(1, 1)
        },
        ..base()
    };
    assert!(matches!(
        decode_v3(&r.build()),
        Err(V3Error::InvalidUsmParams(_))
    ));
    // A v2c message and garbage.
    let mut v2 = Vec::new();
    crate::message::encode_community(
        &mut v2,
        crate::Version::V2c,
        b"public",
        &sys_name_response().pdu,
    );
    assert_eq!(decode_v3(&v2).err(), Some(V3Error::WrongVersion(1)));
    assert!(decode_v3(&[]).is_err());
    assert!(decode_v3(&[0x30, 0x00]).is_err());
}

/// Hand-patches msgGlobalData fields of an encoded noAuthNoPriv message.
#[test]
fn header_ranges() {
    let mut buf = Vec::new();
    encode_discovery(&mut buf, 0x0100_0000, 1).unwrap();
    // msgID 02 04 01 00 00 00 at offset 7; make it negative.
    assert_eq!(&buf[7..13], &[2, 4, 1, 0, 0, 0]);
    let mut neg = buf.clone();
    neg[9] = 0x81;
    assert!(matches!(decode_v3(&neg), Err(V3Error::InvalidHeader(_))));
    // msgMaxSize 02 03 00 ff e3 (65507) -> 484 is the least allowed.
    assert_eq!(&buf[13..18], &[2, 3, 0, 0xff, 0xe3]);
    let mut small = buf.clone();
    small[15..18].copy_from_slice(&[0x00, 0x01, 0xe4]);
    assert!(decode_v3(&small).is_ok());
    small[15..18].copy_from_slice(&[0x00, 0x01, 0xe3]);
    assert!(matches!(decode_v3(&small), Err(V3Error::InvalidHeader(_))));
}
