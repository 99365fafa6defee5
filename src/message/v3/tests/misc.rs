//! Reports, discovery answers, the engine clock and key derivation.

use super::*;

#[test]
fn report_oids_map_to_kinds() {
    let cases = [
        ("1.3.6.1.6.3.15.1.1.1.0", ReportKind::UnsupportedSecLevels),
        ("1.3.6.1.6.3.15.1.1.2.0", ReportKind::NotInTimeWindows),
        ("1.3.6.1.6.3.15.1.1.3.0", ReportKind::UnknownUserNames),
        ("1.3.6.1.6.3.15.1.1.4.0", ReportKind::UnknownEngineIds),
        ("1.3.6.1.6.3.15.1.1.5.0", ReportKind::WrongDigests),
        ("1.3.6.1.6.3.15.1.1.6.0", ReportKind::DecryptionErrors),
        ("1.3.6.1.6.3.15.1.1.6", ReportKind::DecryptionErrors),
        ("1.3.6.1.6.3.11.2.1.1.0", ReportKind::UnknownSecurityModels),
        ("1.3.6.1.6.3.11.2.1.2.0", ReportKind::InvalidMsgs),
        ("1.3.6.1.6.3.11.2.1.3.0", ReportKind::UnknownPduHandlers),
        ("1.3.6.1.6.3.12.1.4.0", ReportKind::UnavailableContexts),
        ("1.3.6.1.6.3.12.1.5.0", ReportKind::UnknownContexts),
    ];
    for (o, want) in cases {
        assert_eq!(report_kind(&report_pdu(o).pdu), Some(want.clone()), "{o}");
        assert!(want.to_string().contains(want.name()));
    }
    for o in [
        "1.3.6.1.6.3.15.1.1.7.0",
        "1.3.6.1.6.3.15.1.1.1.1",
        "1.3.6.1.2.1.1.5.0",
    ] {
        assert_eq!(
            report_kind(&report_pdu(o).pdu),
            Some(ReportKind::Other(Some(oid(o))))
        );
    }
    let mut empty = report_pdu("1.3.6.1.6.3.15.1.1.1.0");
    empty.pdu.varbinds.clear();
    assert_eq!(report_kind(&empty.pdu), Some(ReportKind::Other(None)));
    assert_eq!(report_kind(&sys_name_response().pdu), None);
    assert!(sys_name_response().into_response().is_ok());
}

#[test]
fn discovery_report_gives_engine_id_boots_and_time() {
    let salts = SaltSource::from_seed(0);
    let mut report = report_pdu("1.3.6.1.6.3.15.1.1.4.0");
    report.context_engine_id = ENGINE.to_vec();
    let mut buf = Vec::new();
    let mut g = MsgGlobal::request(4242, SecurityLevel::NoAuthNoPriv);
    g.flags = 0;
    let u = UsmParams {
        user_name: b"",
        ..usm(12, 3456)
    };
    encode_v3(&mut buf, g, &u, &report, None, &salts).unwrap();
    let d = parse_discovery(&decode_v3(&buf).unwrap()).unwrap();
    assert_eq!(
        d,
        Discovery {
            engine_id: ENGINE.to_vec(),
            engine_boots: 12,
            engine_time: 3456,
            report: ReportKind::UnknownEngineIds
        }
    );
    // A Response, or a Report without an engine ID, is not a discovery answer.
    encode_v3(&mut buf, g, &u, &sys_name_response(), None, &salts).unwrap();
    assert!(matches!(
        parse_discovery(&decode_v3(&buf).unwrap()),
        Err(V3Error::NotDiscovery(_))
    ));
    encode_v3(&mut buf, g, &UsmParams::default(), &report, None, &salts).unwrap();
    assert!(matches!(
        parse_discovery(&decode_v3(&buf).unwrap()),
        Err(V3Error::NotDiscovery(_))
    ));
}

#[test]
fn engine_clock_follows_rfc_3414_timeliness() {
    let t0 = Instant::now();
    let s = |n: u64| t0 + Duration::from_secs(n);
    let mut c = EngineClock::new(5, 1000, t0);
    assert_eq!(c.estimate(s(0)), (5, 1000));
    assert_eq!(c.estimate(s(30)), (5, 1030));
    // In window: up to 150 s behind our estimate.
    assert_eq!(c.on_authentic(5, 1030 - 150, s(30)), Timeliness::InWindow);
    assert_eq!(
        c.on_authentic(5, 1030 - 151, s(30)),
        Timeliness::NotInTimeWindow
    );
    // Older boots: out.
    assert_eq!(
        c.on_authentic(4, 99_999, s(30)),
        Timeliness::NotInTimeWindow
    );
    // Newer time with the same boots moves the clock forward.
    assert_eq!(c.on_authentic(5, 2000, s(30)), Timeliness::InWindow);
    assert_eq!(c.estimate(s(40)), (5, 2010));
    assert_eq!(c.latest_received(), 2000);
    // A reboot (boots + 1) resets time.
    assert_eq!(c.on_authentic(6, 3, s(50)), Timeliness::InWindow);
    assert_eq!(c.estimate(s(50)), (6, 3));
    // Boots at its maximum: never in window (RFC 3414 §2.2.3: the engine must be re-keyed).
    let mut maxed = EngineClock::new(MAX_ENGINE_COUNTER, 0, t0);
    assert_eq!(
        maxed.on_authentic(MAX_ENGINE_COUNTER, 1, s(1)),
        Timeliness::NotInTimeWindow
    );
    // The estimate saturates instead of overflowing.
    let late = EngineClock::new(1, MAX_ENGINE_COUNTER - 1, t0);
    assert_eq!(late.estimate(s(100)), (1, MAX_ENGINE_COUNTER));
}

#[test]
fn keys_derive_from_a_cache_and_hide_secrets() {
    let cache = crate::usm::KeyCache::new().unwrap();
    let creds = crate::usm::Credentials::from_passwords(
        AuthProtocol::Md5,
        b"maplesyrup",
        Some((PrivProtocol::Des, b"maplesyrup")),
    )
    .unwrap();
    let engine = [0u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
    let k = SecurityKeys::derive(&cache, USER, &creds, &engine)
        .unwrap()
        .unwrap();
    assert_eq!(k.level(), SecurityLevel::AuthPriv);
    assert_eq!(k.without_privacy().level(), SecurityLevel::AuthNoPriv);
    // RFC 3414 A.3.1: maplesyrup, MD5, engine 00..02.
    assert_eq!(
        hex(k.auth().localized_key().as_bytes()),
        "526f5eed9fcce26f8964c2930787d82b"
    );
    let dbg = format!("{k:?}");
    assert!(
        !dbg.contains("526f5eed") && !dbg.contains("82, 111"),
        "{dbg}"
    );
    let none = crate::usm::Credentials::none();
    assert!(SecurityKeys::derive(&cache, USER, &none, &engine)
        .unwrap()
        .is_none());
    assert!(SecurityKeys::derive(&cache, USER, &creds, &[]).is_err());
    assert!(SecurityKeys::new(&[b'x'; 33], &engine, Arc::new(k.auth().clone()), None).is_err());
    assert_eq!(cache.expansions(), 1);
}
