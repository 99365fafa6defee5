//! Unit tests of the renderer against the built-in table (the differential tests against
//! Net-SNMP's tools are in tests/mib_format.rs).

use super::*;
use crate::mib::builtin_mib;
use crate::oid::Oid;

fn mib() -> Mib {
    let (m, e) = builtin_mib();
    assert!(e.is_empty(), "{e:?}");
    m
}

fn line(m: &Mib, name: &str, v: Value, flags: &str) -> String {
    let oid: Oid = m.resolve(name).unwrap();
    format_varbind(
        m,
        &VarBind::new(oid, v),
        &OutputOptions::from_flags(flags).unwrap(),
    )
}

#[test]
fn scalars_and_enums() {
    let m = mib();
    assert_eq!(
        line(&m, "sysDescr.0", "Linux x".into(), ""),
        "SNMPv2-MIB::sysDescr.0 = STRING: Linux x"
    );
    assert_eq!(
        line(&m, "ifAdminStatus.3", Value::Integer(1), ""),
        "IF-MIB::ifAdminStatus.3 = INTEGER: up(1)"
    );
    assert_eq!(
        line(&m, "ifAdminStatus.3", Value::Integer(1), "q"),
        "IF-MIB::ifAdminStatus.3 up"
    );
    assert_eq!(
        line(&m, "ifAdminStatus.3", Value::Integer(1), "e"),
        "IF-MIB::ifAdminStatus.3 = INTEGER: 1"
    );
    assert_eq!(
        line(&m, "ifAdminStatus.3", Value::Integer(1), "Qs"),
        "ifAdminStatus.3 = up"
    );
    assert_eq!(
        line(&m, "ifAdminStatus.3", Value::Integer(9), "v"),
        "INTEGER: 9"
    );
    assert_eq!(
        line(&m, "sysUpTime.0", Value::TimeTicks(8_640_123), "n"),
        ".1.3.6.1.2.1.1.3.0 = Timeticks: (8640123) 1 day, 0:00:01.23"
    );
    assert_eq!(
        line(&m, "sysUpTime.0", Value::TimeTicks(8_640_123), "qt"),
        "SNMPv2-MIB::sysUpTime.0 8640123"
    );
    assert_eq!(
        line(&m, "sysUpTime.0", Value::TimeTicks(8_640_123), "qs"),
        "sysUpTime.0 1:0:00:01.23"
    );
    assert_eq!(
        line(&m, "ifHighSpeed.2", Value::Gauge32(1000), "s"),
        "ifHighSpeed.2 = Gauge32: 1000 Mbps"
    );
    assert_eq!(
        line(&m, "ifHighSpeed.2", Value::Gauge32(1000), "sU"),
        "ifHighSpeed.2 = Gauge32: 1000"
    );
    assert_eq!(
        line(
            &m,
            "ifPhysAddress.2",
            Value::OctetString(vec![0xee, 0x20, 0x3d, 0x08, 0x4d, 0xba].into()),
            ""
        ),
        "IF-MIB::ifPhysAddress.2 = STRING: ee:20:3d:8:4d:ba"
    );
}

#[test]
fn wrong_type_and_exceptions() {
    let m = mib();
    assert_eq!(
        line(&m, "ifAdminStatus.1", "up".into(), ""),
        "IF-MIB::ifAdminStatus.1 = Wrong Type (should be INTEGER): STRING: \"up\""
    );
    assert_eq!(
        line(&m, "sysUpTime.0", Value::Gauge32(5), "s"),
        "sysUpTime.0 = Wrong Type (should be Timeticks): Gauge32: 5"
    );
    assert_eq!(
        line(&m, "sysDescr.0", Value::NoSuchInstance, ""),
        "SNMPv2-MIB::sysDescr.0 = No Such Instance currently exists at this OID"
    );
}

#[test]
fn strings_hex_and_escapes() {
    let m = mib();
    // sysORDescr has a DisplayString hint; an unknown OID has none: guess hex vs text.
    let o: Oid = "1.3.6.1.4.1.99999.1".parse().unwrap();
    let opts = OutputOptions::default();
    let s = |v: Value, o2: &OutputOptions| format_varbind(&m, &VarBind::new(o.clone(), v), o2);
    assert_eq!(
        s(b"a\"b\\".to_vec().into(), &opts),
        "SNMPv2-SMI::enterprises.99999.1 = STRING: \"a\\\"b\\\\\""
    );
    let bytes: Vec<u8> = (0u8..17).collect();
    assert_eq!(
        s(bytes.clone().into(), &opts),
        "SNMPv2-SMI::enterprises.99999.1 = Hex-STRING: 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F \n10 "
    );
    assert_eq!(
        s(vec![].into(), &opts),
        "SNMPv2-SMI::enterprises.99999.1 = \"\""
    );
    let q = OutputOptions::from_flags("qa").unwrap();
    assert_eq!(
        s(vec![0x41, 0x00].into(), &q),
        "SNMPv2-SMI::enterprises.99999.1 \"A.\""
    );
    // Opaque float and double (draft-perkins-opaque).
    let f = Value::Opaque(vec![0x9f, 0x78, 0x04, 0x3f, 0xc0, 0x00, 0x00]);
    assert_eq!(
        s(f, &opts),
        "SNMPv2-SMI::enterprises.99999.1 = Opaque: Float: 1.500000"
    );
    let d = Value::Opaque(vec![0x9f, 0x79, 0x08, 0x40, 0x04, 0, 0, 0, 0, 0, 0]);
    assert_eq!(
        s(d, &opts),
        "SNMPv2-SMI::enterprises.99999.1 = Opaque: Float: 2.500000"
    );
}

#[test]
fn oid_styles() {
    let m = mib();
    let o = m.resolve("ifDescr.3").unwrap();
    let f = |flags: &str| format_oid(&m, &o, &OutputOptions::from_flags(flags).unwrap());
    assert_eq!(f(""), "IF-MIB::ifDescr.3");
    assert_eq!(f("s"), "ifDescr.3");
    assert_eq!(f("n"), ".1.3.6.1.2.1.2.2.1.2.3");
    assert_eq!(
        f("f"),
        ".iso.org.dod.internet.mgmt.mib-2.interfaces.ifTable.ifEntry.ifDescr.3"
    );
    assert_eq!(f("u"), "interfaces.ifTable.ifEntry.ifDescr.3");
    assert_eq!(f("X"), "IF-MIB::ifDescr[3]");
    assert_eq!(f("b"), "IF-MIB::ifDescr.3");
    assert!(OutputOptions::from_flags("z").is_err());
}
