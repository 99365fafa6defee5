//! The synthetic device model: the system group, `ifNumber`, `ifTable` and `ifXTable` for N
//! interfaces, and an optional virtual big table under `1.3.6.1.4.1.99999` for bulk-walk
//! benchmarks. One [`Mib`] is built per configuration and shared by every device; what differs
//! per device (sysName, sysUpTime, MAC addresses, octet counters) is computed on demand.

use super::mib::{Access, BigTable, Constraint, Dynamic, Entry, Mib, Source};
use crate::oid::Oid;
use crate::value::Value;

/// `sysDescr.0` of synthetic devices.
pub const SYS_DESCR: &str = "snmpx simulated device";
/// `sysObjectID.0` of synthetic devices (the simulator's private enterprise arc).
pub const SYS_OBJECT_ID: [u32; 8] = [1, 3, 6, 1, 4, 1, 99999, 2];
/// Default `sysContact.0` (writable).
pub const SYS_CONTACT: &str = "noc@example.net";
/// Default `sysLocation.0` (writable).
pub const SYS_LOCATION: &str = "simulated rack";
/// The big table's entry OID: cells are `BIG_TABLE_ENTRY.column.row`, columns 1..=4.
pub const BIG_TABLE_ENTRY: [u32; 9] = [1, 3, 6, 1, 4, 1, 99999, 1, 1];
/// ifSpeed of every interface (bits/s).
pub const IF_SPEED: u32 = 1_000_000_000;

const SYSTEM: [u32; 7] = [1, 3, 6, 1, 2, 1, 1];
const IF_NUMBER: [u32; 9] = [1, 3, 6, 1, 2, 1, 2, 1, 0];
const IF_ENTRY: [u32; 9] = [1, 3, 6, 1, 2, 1, 2, 2, 1];
const IFX_ENTRY: [u32; 10] = [1, 3, 6, 1, 2, 1, 31, 1, 1, 1];

fn oid(base: &[u32], suffix: &[u32]) -> Oid {
    let mut v = base.to_vec();
    v.extend_from_slice(suffix);
    Oid::from_slice(&v).expect("model OIDs are valid")
}

fn ro(o: Oid, v: Value) -> Entry {
    Entry {
        oid: o,
        source: Source::Static(v),
        access: Access::ReadOnly,
        constraint: Constraint::None,
    }
}

fn dynamic(o: Oid, d: Dynamic) -> Entry {
    Entry {
        oid: o,
        source: Source::Dynamic(d),
        access: Access::ReadOnly,
        constraint: Constraint::None,
    }
}

fn rw(o: Oid, source: Source, constraint: Constraint) -> Entry {
    Entry {
        oid: o,
        source,
        access: Access::ReadWrite,
        constraint,
    }
}

fn text(s: &str) -> Value {
    Value::OctetString(s.as_bytes().to_vec().into())
}

/// Builds the synthetic model with `interfaces` interfaces and a big table of `big_rows` rows
/// (0 = no big table).
pub fn build(interfaces: u32, big_rows: u32) -> Mib {
    let mut e = Vec::with_capacity(8 + 20 * interfaces as usize);
    let sys = |n: u32| oid(&SYSTEM, &[n, 0]);
    e.push(ro(sys(1), text(SYS_DESCR)));
    e.push(ro(
        sys(2),
        Value::ObjectId(Oid::from_slice(&SYS_OBJECT_ID).expect("valid")),
    ));
    e.push(dynamic(sys(3), Dynamic::SysUpTime));
    e.push(rw(
        sys(4),
        Source::Static(text(SYS_CONTACT)),
        Constraint::MaxLen(255),
    ));
    e.push(rw(
        sys(5),
        Source::Dynamic(Dynamic::SysName),
        Constraint::MaxLen(255),
    ));
    e.push(rw(
        sys(6),
        Source::Static(text(SYS_LOCATION)),
        Constraint::MaxLen(255),
    ));
    e.push(ro(sys(7), Value::Integer(72)));
    e.push(ro(
        Oid::from_slice(&IF_NUMBER).expect("valid"),
        Value::Integer(interfaces as i32),
    ));
    for i in 1..=interfaces {
        let col = |c: u32| oid(&IF_ENTRY, &[c, i]);
        let xcol = |c: u32| oid(&IFX_ENTRY, &[c, i]);
        e.push(ro(col(1), Value::Integer(i as i32)));
        e.push(ro(col(2), text(&format!("GigabitEthernet0/{i}"))));
        e.push(ro(col(3), Value::Integer(6)));
        e.push(ro(col(4), Value::Integer(1500)));
        e.push(ro(col(5), Value::Gauge32(IF_SPEED)));
        e.push(dynamic(col(6), Dynamic::PhysAddress { if_index: i }));
        e.push(rw(
            col(7),
            Source::Static(Value::Integer(1)),
            Constraint::IntRange(1, 3),
        ));
        e.push(ro(col(8), Value::Integer(1)));
        e.push(ro(col(9), Value::TimeTicks(0)));
        for (c, out, wide) in [(10, false, false), (16, true, false)] {
            e.push(dynamic(
                col(c),
                Dynamic::Octets {
                    if_index: i,
                    out,
                    wide,
                },
            ));
        }
        e.push(ro(xcol(1), text(&format!("Gi0/{i}"))));
        for (c, out, wide) in [(6, false, true), (10, true, true)] {
            e.push(dynamic(
                xcol(c),
                Dynamic::Octets {
                    if_index: i,
                    out,
                    wide,
                },
            ));
        }
        e.push(ro(xcol(15), Value::Gauge32(IF_SPEED / 1_000_000)));
        e.push(rw(
            xcol(18),
            Source::Static(text("")),
            Constraint::MaxLen(64),
        ));
    }
    let big = (big_rows > 0).then(|| BigTable {
        entry: Oid::from_slice(&BIG_TABLE_ENTRY).expect("valid"),
        rows: big_rows,
    });
    Mib::from_entries(e, big)
}

/// A 64-bit mix of the inputs (SplitMix64 finaliser): stable per-device "randomness" that
/// needs no storage.
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    let mut z = a
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(b)
        .wrapping_add(0x6A09_E667_F3BC_C909);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Evaluates a dynamic value for `device` at `elapsed_ms` milliseconds after the start.
pub(crate) fn eval(d: Dynamic, device: usize, elapsed_ms: u64, name_prefix: &str) -> Value {
    let dev = device as u64;
    match d {
        Dynamic::SysName => {
            Value::OctetString(format!("{name_prefix}{device:06}").into_bytes().into())
        }
        Dynamic::SysUpTime => {
            // Booted up to ~100 days before the simulator started.
            let boot_cs = mix(dev, 1) % 864_000_000;
            Value::TimeTicks((boot_cs + elapsed_ms / 10) as u32)
        }
        Dynamic::PhysAddress { if_index } => {
            let d = (dev as u32).to_be_bytes();
            Value::OctetString(vec![0x02, d[1], d[2], d[3], 0x00, if_index as u8].into())
        }
        Dynamic::Octets { if_index, out, .. } => {
            let h = mix(dev, ((if_index as u64) << 1) | out as u64);
            let base = h % (1 << 40);
            // 0.1% .. 10% of line rate, in bytes per second.
            let rate = (IF_SPEED as u64 / 8) * (1 + (h >> 40) % 100) / 1000;
            let v = base + rate * elapsed_ms / 1000;
            match d {
                Dynamic::Octets { wide: true, .. } => Value::Counter64(v),
                _ => Value::Counter32(v as u32),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_shape() {
        let m = build(4, 0);
        assert_eq!(m.len(), 8 + 4 * 16);
        assert!(m.entries().windows(2).all(|w| w[0].oid < w[1].oid));
        let m = build(2, 10_000);
        assert_eq!(m.big_table_rows(), 10_000);
    }

    #[test]
    fn counters_move_and_agree() {
        let io = |wide| Dynamic::Octets {
            if_index: 2,
            out: false,
            wide,
        };
        let a = eval(io(true), 7, 1_000, "d").as_u64().unwrap();
        let b = eval(io(true), 7, 2_000, "d").as_u64().unwrap();
        assert!(b > a);
        let c32 = eval(io(false), 7, 2_000, "d").as_u64().unwrap();
        assert_eq!(c32, b & 0xffff_ffff);
        assert_ne!(eval(io(true), 8, 1_000, "d"), eval(io(true), 7, 1_000, "d"));
        assert_eq!(
            eval(Dynamic::SysName, 123, 0, "dev-").as_str(),
            Some("dev-000123")
        );
    }
}
