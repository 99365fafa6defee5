//! The simulated side of the `engine` fuzz target: a small MIB answered correctly (v1/v2c
//! with our own codec, SNMPv3 through the simulator's USM agent), and the byte cursor the
//! input is read with.

use snmpx::ber::{Reader, Writer};
use snmpx::pdu::{encode_varbinds, Pdu, PduType};
use snmpx::{Oid, Value, VarBind};
use std::collections::BTreeMap;
use std::ops::Bound;

/// Reads the fuzz input front to back; past the end every read yields zeros.
pub struct Input<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Input<'a> {
    pub fn new(data: &'a [u8]) -> Input<'a> {
        Input { data, pos: 0 }
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    pub fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    pub fn u16(&mut self) -> u16 {
        u16::from_be_bytes([self.byte(), self.byte()])
    }

    pub fn u32(&mut self) -> u32 {
        u32::from_be_bytes([self.byte(), self.byte(), self.byte(), self.byte()])
    }

    /// Up to `n` bytes (fewer at the end of the input).
    pub fn bytes(&mut self, n: usize) -> &'a [u8] {
        let start = self.pos.min(self.data.len());
        let end = start.saturating_add(n).min(self.data.len());
        self.pos = end;
        &self.data[start..end]
    }

    /// One of `items`, chosen by the next byte.
    pub fn pick<'b, T>(&mut self, items: &'b [T]) -> &'b T {
        &items[self.byte() as usize % items.len()]
    }
}

/// OIDs requests and crafted answers are built from: present objects, a missing one, the
/// roots of non-empty and empty subtrees, and the top of the tree.
pub const OIDS: &[&str] = &[
    "1.3.6.1.2.1.1",
    "1.3.6.1.2.1.1.1.0",
    "1.3.6.1.2.1.1.5.0",
    "1.3.6.1.2.1.1.9.0",
    "1.3.6.1.2.1.2.2.1.2",
    "1.3.6.1.2.1.2.2.1.2.3",
    "1.3.6.1.2.1.31",
    "1.3.6.1.4.1",
    "1.3",
];

pub fn oid(s: &str) -> Oid {
    s.parse().expect("valid OID literal")
}

/// A correct agent over a small sorted MIB.
pub struct Mib {
    objects: BTreeMap<Oid, Value>,
}

impl Mib {
    pub fn new() -> Mib {
        let mut objects = BTreeMap::new();
        objects.insert(oid("1.3.6.1.2.1.1.1.0"), Value::from("descr"));
        objects.insert(oid("1.3.6.1.2.1.1.3.0"), Value::TimeTicks(4711));
        objects.insert(oid("1.3.6.1.2.1.1.5.0"), Value::from("name"));
        for i in 1..=4u32 {
            let o = oid("1.3.6.1.2.1.2.2.1.2").join(&[i]).expect("valid");
            objects.insert(o, Value::from("eth"));
            let o = oid("1.3.6.1.2.1.2.2.1.10").join(&[i]).expect("valid");
            objects.insert(o, Value::Counter32(i * 1000));
        }
        objects.insert(oid("1.3.6.1.2.1.31.1.1.1.6.1"), Value::Counter64(1 << 40));
        Mib { objects }
    }

    fn next(&self, o: &Oid) -> VarBind {
        self.objects
            .range::<Oid, _>((Bound::Excluded(o), Bound::Unbounded))
            .next()
            .map(|(k, v)| VarBind::new(k.clone(), v.clone()))
            .unwrap_or_else(|| VarBind::new(o.clone(), Value::EndOfMibView))
    }

    /// The (error-status, bindings) a correct v2c agent answers `req` with (v1: exceptions
    /// become noSuchName, as RFC 2576 §4.1.2.3 maps them).
    pub fn answer(&self, req: &Pdu, v1: bool) -> (i32, i32, Vec<VarBind>) {
        let vbs: Vec<VarBind> = match req.kind {
            PduType::GetRequest => req
                .varbinds
                .iter()
                .map(|vb| {
                    let v = self.objects.get(&vb.oid).cloned();
                    VarBind::new(vb.oid.clone(), v.unwrap_or(Value::NoSuchObject))
                })
                .collect(),
            PduType::GetNextRequest => req.varbinds.iter().map(|vb| self.next(&vb.oid)).collect(),
            PduType::GetBulkRequest => {
                let nr = (req.error_status.max(0) as usize).min(req.varbinds.len());
                let reps = req.error_index.clamp(0, 50) as usize;
                let mut out: Vec<VarBind> = req.varbinds[..nr]
                    .iter()
                    .map(|vb| self.next(&vb.oid))
                    .collect();
                let mut cur: Vec<Oid> = req.varbinds[nr..].iter().map(|v| v.oid.clone()).collect();
                for _ in 0..reps {
                    for c in cur.iter_mut() {
                        let vb = self.next(c);
                        *c = vb.oid.clone();
                        out.push(vb);
                    }
                }
                out
            }
            _ => req.varbinds.clone(),
        };
        if v1 {
            if let Some(i) = vbs.iter().position(|vb| vb.value.is_exception()) {
                return (2, i as i32 + 1, req.varbinds.clone());
            }
        }
        (0, 0, vbs)
    }
}

/// A value of the type `kind` selects, with content from the input.
pub fn value(kind: u8, inp: &mut Input<'_>) -> Value {
    match kind % 15 {
        0 => Value::Integer(inp.u32() as i32),
        1 => {
            let n = inp.byte() as usize % 12;
            Value::OctetString(inp.bytes(n).into())
        }
        2 => Value::Null,
        3 => Value::ObjectId(oid(inp.pick(OIDS))),
        4 => Value::IpAddress([127, 0, 0, inp.byte()]),
        5 => Value::Counter32(inp.u32()),
        6 => Value::Gauge32(inp.u32()),
        7 => Value::TimeTicks(inp.u32()),
        8 => Value::Opaque(inp.bytes(3).to_vec()),
        9 => Value::Counter64(((inp.u32() as u64) << 32) | inp.u32() as u64),
        10 => Value::NoSuchObject,
        11 => Value::NoSuchInstance,
        12 => Value::EndOfMibView,
        13 => Value::Unknown {
            tag: 0x47,
            data: inp.bytes(2).to_vec(),
        },
        _ => Value::from("x"),
    }
}

/// An OID derived from `base` as the input says: itself, one arc deeper, a listed OID, its
/// parent, or the next sibling.
pub fn vary(base: &Oid, inp: &mut Input<'_>) -> Oid {
    let arcs = base.as_slice();
    match inp.byte() % 6 {
        0 | 1 => base.clone(),
        2 => base
            .join(&[inp.byte() as u32])
            .unwrap_or_else(|_| base.clone()),
        3 => oid(inp.pick(OIDS)),
        4 if arcs.len() > 2 => Oid::from_slice(&arcs[..arcs.len() - 1]).expect("prefix"),
        _ => {
            let mut a = arcs.to_vec();
            let last = a.len() - 1;
            a[last] = a[last].wrapping_add(1);
            Oid::from_slice(&a).unwrap_or_else(|_| base.clone())
        }
    }
}

/// The contents of an encoded VarBindList (the SEQUENCE's value), as
/// [`snmpx::sim::ResponseBody`] wants it.
pub fn varbind_list_content(vbs: &[VarBind]) -> Vec<u8> {
    let mut list = Vec::new();
    encode_varbinds(&mut Writer::new(&mut list), vbs);
    let inner = Reader::new(&list)
        .read_tlv()
        .expect("our own encoding")
        .value
        .to_vec();
    inner
}
