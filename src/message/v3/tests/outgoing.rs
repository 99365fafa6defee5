//! Encoding: round trips at every level, the discovery golden test, salts, argument checks.

use super::*;

#[test]
fn round_trip_every_level_and_protocol() {
    let salts = SaltSource::from_seed(42);
    // A big value so the message needs long-form lengths; a long engine ID and user name so
    // the USM parameters do too (the MAC offset must follow the inserted length octets).
    let long_engine = [0xabu8; 32];
    let long_user = [b'u'; 32];
    let big = response(
        0x7fff_fff0,
        vec![
            VarBind::new(
                oid("1.3.6.1.2.1.1.1.0"),
                Value::OctetString(vec![b'x'; 300].into()),
            ),
            VarBind::new(oid("1.3.6.1.2.1.1.3.0"), Value::TimeTicks(4_000_000_000)),
        ],
    );
    for k in all_security() {
        for (engine, user, scoped) in [
            (ENGINE, USER, sys_name_response()),
            (&long_engine[..], &long_user[..], big.clone()),
        ] {
            let k = k.as_ref().map(|k| {
                keys_for(
                    k.auth().protocol(),
                    k.privacy().map(|p| p.protocol()),
                    user,
                    engine,
                )
            });
            let u = UsmParams {
                engine_id: engine,
                engine_boots: 7,
                engine_time: 2_147_483_647,
                user_name: user,
                ..UsmParams::default()
            };
            let g = MsgGlobal::request(2_147_483_647, level_of(k.as_ref()));
            let mut buf = Vec::new();
            encode_v3(&mut buf, g, &u, &scoped, k.as_ref(), &salts).unwrap();
            let inc = decode_v3(&buf).unwrap_or_else(|e| panic!("{}: {e}", name(k.as_ref())));
            assert_eq!(inc.global, g);
            assert_eq!(inc.level(), level_of(k.as_ref()));
            assert_eq!(inc.usm.engine_id, engine);
            assert_eq!(inc.usm.user_name, user);
            assert_eq!(
                (inc.usm.engine_boots, inc.usm.engine_time),
                (7, 2_147_483_647)
            );
            let mac_len = k.as_ref().map_or(0, |k| k.auth().mac_len());
            assert_eq!(inc.usm.auth_params.len(), mac_len);
            assert_eq!(
                &buf[inc.mac_offset..inc.mac_offset + mac_len],
                inc.usm.auth_params
            );
            if mac_len > 0 {
                assert_ne!(
                    inc.usm.auth_params,
                    &[0u8; 48][..mac_len],
                    "MAC not written"
                );
            }
            let has_priv = k.as_ref().is_some_and(|k| k.privacy().is_some());
            assert_eq!(inc.usm.priv_params.len(), if has_priv { 8 } else { 0 });
            assert_eq!(matches!(inc.data, MsgData::Encrypted(_)), has_priv);
            let got = process_incoming(&inc, k.as_ref())
                .unwrap_or_else(|e| panic!("{}: {e}", name(k.as_ref())));
            assert_eq!(got, scoped, "{}", name(k.as_ref()));
            // The same message through the snmp-parser oracle.
            oracle_check(&buf, &g, &u, has_priv, &scoped);
        }
    }
}

/// Cross-checks our framing with snmp-parser's independent decoder.
fn oracle_check(buf: &[u8], g: &MsgGlobal, u: &UsmParams<'_>, encrypted: bool, scoped: &ScopedPdu) {
    use snmp_parser::{ScopedPduData, SecurityParameters};
    let (rest, m) = snmp_parser::parse_snmp_v3(buf).expect("snmp-parser rejects our message");
    assert!(rest.is_empty());
    assert_eq!(m.version, 3);
    assert_eq!(m.header_data.msg_id, g.msg_id as u32);
    assert_eq!(m.header_data.msg_max_size, g.max_size as u32);
    assert_eq!(m.header_data.msg_flags, g.flags);
    let SecurityParameters::USM(p) = &m.security_params else {
        panic!("not USM")
    };
    assert_eq!(p.msg_authoritative_engine_id, u.engine_id);
    assert_eq!(p.msg_authoritative_engine_boots, u.engine_boots);
    assert_eq!(p.msg_authoritative_engine_time, u.engine_time);
    assert_eq!(p.msg_user_name.as_bytes(), u.user_name);
    match (&m.data, encrypted) {
        (ScopedPduData::Encrypted(_), true) => {}
        (ScopedPduData::Plaintext(s), false) => {
            assert_eq!(s.ctx_engine_id, &scoped.context_engine_id[..]);
            assert_eq!(s.data.pdu_type().0, (scoped.pdu.kind.tag() & 0x1f) as u32);
        }
        _ => panic!("msgData form does not match the privacy flag"),
    }
}

#[test]
fn discovery_request_is_byte_identical_to_net_snmp() {
    // What `snmpget -v3 -l noAuthNoPriv -u x` (Net-SNMP 5.9.3) sent to a UDP listener:
    // msgID 0x19f178b5, request-id 0x682e2e26, msgMaxSize 65507, flags reportable.
    const NET_SNMP: &str = "303e0201033011020419f178b5020300ffe30401040201030410300e04000201\
                            00020100040004000400301404000400a00e0204682e2e260201000201003000";
    let mut buf = Vec::new();
    encode_discovery(&mut buf, 0x19f1_78b5, 0x682e_2e26).unwrap();
    assert_eq!(hex(&buf), NET_SNMP);
    // And it decodes as what it is.
    let inc = decode_v3(&buf).unwrap();
    assert_eq!(
        inc.global,
        MsgGlobal::request(0x19f1_78b5, SecurityLevel::NoAuthNoPriv)
    );
    assert_eq!(inc.usm, UsmParams::default());
    let s = process_incoming(&inc, None).unwrap();
    assert_eq!(s.pdu.kind, PduType::GetRequest);
    assert_eq!(s.pdu.request_id, 0x682e_2e26);
    assert!(s.pdu.varbinds.is_empty() && s.context_engine_id.is_empty());
    assert!(encode_discovery(&mut buf, -1, 1).is_err());
}

#[test]
fn every_salt_is_new_so_no_packet_repeats() {
    let salts = SaltSource::from_seed(9);
    for p in PrivProtocol::ALL {
        let k = keys(AuthProtocol::Sha1, Some(p));
        let a = encode_as_agent(Some(&k), &sys_name_response(), &salts);
        let b = encode_as_agent(Some(&k), &sys_name_response(), &salts);
        assert_ne!(a, b, "{p}");
        let (ia, ib) = (decode_v3(&a).unwrap(), decode_v3(&b).unwrap());
        assert_ne!(ia.usm.priv_params, ib.usm.priv_params);
        assert_eq!(
            process_incoming(&ia, Some(&k)).unwrap(),
            process_incoming(&ib, Some(&k)).unwrap()
        );
    }
}

#[test]
fn encode_checks_its_arguments() {
    let salts = SaltSource::from_seed(0);
    let k = keys(AuthProtocol::Sha1, None);
    let mut buf = Vec::new();
    let s = sys_name_response();
    let e = |g: MsgGlobal, u: &UsmParams<'_>, k: Option<&SecurityKeys>| {
        encode_v3(&mut Vec::new(), g, u, &s, k, &salts).err()
    };
    let auth = MsgGlobal::request(1, SecurityLevel::AuthNoPriv);
    let none = MsgGlobal::request(1, SecurityLevel::NoAuthNoPriv);
    assert!(matches!(
        e(none, &usm(0, 0), Some(&k)),
        Some(V3Error::Encode(_))
    ));
    assert!(matches!(
        e(auth, &usm(0, 0), None),
        Some(V3Error::Encode(_))
    ));
    let mut privonly = none;
    privonly.flags |= flags::PRIV;
    assert_eq!(
        e(privonly, &usm(0, 0), None),
        Some(V3Error::InvalidFlags(0x06))
    );
    let other_user = UsmParams {
        user_name: b"mallory",
        ..usm(0, 0)
    };
    assert!(matches!(
        e(auth, &other_user, Some(&k)),
        Some(V3Error::Encode(_))
    ));
    let other_engine = UsmParams {
        engine_id: b"\x80\0\0\0\x09",
        ..usm(0, 0)
    };
    assert!(matches!(
        e(auth, &other_engine, Some(&k)),
        Some(V3Error::Encode(_))
    ));
    assert!(matches!(
        e(auth, &usm(0x8000_0000, 0), Some(&k)),
        Some(V3Error::Encode(_))
    ));
    let mut small = none;
    small.max_size = 483;
    assert!(matches!(
        e(small, &usm(0, 0), None),
        Some(V3Error::Encode(_))
    ));
    assert!(e(none, &usm(0, 0), None).is_none());
    assert!(encode_v3(&mut buf, auth, &usm(0, 0), &s, Some(&k), &salts).is_ok());
}
