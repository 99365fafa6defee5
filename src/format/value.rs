//! Value rendering as Net-SNMP 5.9 prints it: the printer is chosen by the MIB object's
//! type (falling back to the value's own type), a value whose type disagrees with the MIB is
//! shown as `Wrong Type (should be ...): <value by its own type>`, and enums, DISPLAY-HINTs
//! and UNITS apply as in `sprint_realloc_*` of Net-SNMP's mib.c.

use super::hint::{format_hinted_integer, format_octets_with_hint};
use super::{exception_text, format_oid, OutputOptions, StringStyle};
use crate::mib::{BaseType, Mib};
use crate::value::Value;
use std::sync::Arc;

/// A value as the printers see it: SNMP types plus the Opaque-wrapped special types
/// Net-SNMP decodes (float, double, counter64, int64, uint64).
enum Var<'a> {
    Int(i32),
    Str(&'a [u8]),
    Null,
    Oid(&'a [u32]),
    Ip([u8; 4]),
    Counter(u32),
    Gauge(u32),
    Ticks(u32),
    Opaque(&'a [u8]),
    C64(u64),
    UInt(u32),
    OpaqueFloat(f32),
    OpaqueDouble(f64),
    OpaqueC64(u64),
    OpaqueI64(i64),
    OpaqueU64(u64),
    Bad,
}

fn var_of(v: &Value) -> Var<'_> {
    match v {
        Value::Integer(i) => Var::Int(*i),
        Value::OctetString(b) => Var::Str(b),
        Value::Null => Var::Null,
        Value::ObjectId(o) => Var::Oid(o.as_slice()),
        Value::IpAddress(a) => Var::Ip(*a),
        Value::Counter32(c) => Var::Counter(*c),
        Value::Gauge32(g) => Var::Gauge(*g),
        Value::TimeTicks(t) => Var::Ticks(*t),
        Value::Counter64(c) => Var::C64(*c),
        Value::Opaque(b) => opaque_special(b).unwrap_or(Var::Opaque(b)),
        Value::Unknown { tag: 0x47, data } if data.len() <= 5 => {
            Var::UInt(data.iter().fold(0u64, |a, &b| (a << 8) | b as u64) as u32)
        }
        _ => Var::Bad,
    }
}

/// Decodes the Opaque-wrapped types of the (expired) draft-perkins-opaque-01 that Net-SNMP
/// understands: `9f 78` float, `9f 79` double, `9f 76` counter64, `9f 7a` int64, `9f 7b` uint64.
fn opaque_special(b: &[u8]) -> Option<Var<'_>> {
    if b.len() < 3 || b[0] != 0x9f || b[2] as usize != b.len() - 3 || b[2] > 9 {
        return None;
    }
    let body = &b[3..];
    let uint = || body.iter().fold(0u128, |a, &x| (a << 8) | x as u128);
    match b[1] {
        0x78 if body.len() == 4 => {
            Some(Var::OpaqueFloat(f32::from_be_bytes(body.try_into().ok()?)))
        }
        0x79 if body.len() == 8 => {
            Some(Var::OpaqueDouble(f64::from_be_bytes(body.try_into().ok()?)))
        }
        0x76 if !body.is_empty() => Some(Var::OpaqueC64(uint() as u64)),
        0x7b if !body.is_empty() => Some(Var::OpaqueU64(uint() as u64)),
        0x7a if !body.is_empty() => {
            let bits = body.len() * 8;
            let v = uint() as i128;
            let v = if body[0] & 0x80 != 0 {
                v - (1i128 << bits)
            } else {
                v
            };
            Some(Var::OpaqueI64(v as i64))
        }
        _ => None,
    }
}

struct Ctx<'a> {
    mib: &'a Mib,
    opts: &'a OutputOptions,
    out: Vec<u8>,
}

/// What the MIB says about an object, for the printers.
struct Meta<'a> {
    enums: &'a [(i64, Arc<str>)],
    hint: Option<&'a str>,
    units: Option<&'a str>,
}

const NONE: Meta<'static> = Meta {
    enums: &[],
    hint: None,
    units: None,
};

/// The value part of a varbind as Net-SNMP prints it after ` = `.
pub fn format_value(mib: &Mib, oid: &[u32], v: &Value, opts: &OutputOptions) -> String {
    if let Some(t) = exception_text(v) {
        return t.to_string();
    }
    let mut c = Ctx {
        mib,
        opts,
        out: Vec::with_capacity(48),
    };
    let var = var_of(v);
    let node = mib.deepest(oid).0;
    match mib.data(node) {
        Some(d) => {
            let meta = Meta {
                enums: &d.enums,
                hint: d.hint.as_deref(),
                units: if opts.no_units {
                    None
                } else {
                    d.units.as_deref()
                },
            };
            c.by_base(d.base, &var, &meta);
        }
        None => c.by_type(&var, &NONE),
    }
    String::from_utf8_lossy(&c.out).into_owned()
}

/// An OCTET STRING rendered through `hint` (with the `STRING: ` prefix unless quick), as
/// Net-SNMP does for hinted string indexes in `-OX` form.
pub(crate) fn octets_with_hint(bytes: &[u8], hint: &str, opts: &OutputOptions) -> Vec<u8> {
    let mib = Mib::empty();
    let mut c = Ctx {
        mib: &mib,
        opts,
        out: Vec::new(),
    };
    let meta = Meta {
        enums: &[],
        hint: Some(hint),
        units: None,
    };
    c.octet_string(&Var::Str(bytes), &meta);
    c.out
}

impl Ctx<'_> {
    fn s(&mut self, s: &str) {
        self.out.extend_from_slice(s.as_bytes());
    }

    fn prefix(&mut self, s: &str) {
        if !self.opts.quick {
            self.s(s);
        }
    }

    fn units(&mut self, m: &Meta) {
        if let Some(u) = m.units {
            self.s(" ");
            self.s(u);
        }
    }

    /// `Wrong Type (should be X): ` then the value by its own type (no MIB decoration).
    fn wrong(&mut self, should: &str, v: &Var) {
        if !self.opts.quick_equals {
            self.s("Wrong Type (should be ");
            self.s(should);
            self.s("): ");
        }
        self.by_type(v, &NONE);
    }

    fn by_base(&mut self, b: BaseType, v: &Var, m: &Meta) {
        match b {
            BaseType::ObjectId => self.object_id(v, m),
            BaseType::OctetString => self.octet_string(v, m),
            BaseType::Integer | BaseType::Integer32 => self.integer(v, m),
            BaseType::NetworkAddress => self.network_address(v),
            BaseType::IpAddress => self.ip_address(v),
            BaseType::Counter32 => self.counter(v, m),
            BaseType::Gauge32 | BaseType::Unsigned32 => self.gauge(v, m),
            BaseType::TimeTicks => self.timeticks(v, m),
            BaseType::Opaque => self.opaque(v, m),
            BaseType::Null => self.null(v),
            BaseType::Bits => self.bits(v, m),
            BaseType::Counter64 => self.counter64(v, m),
            BaseType::UInteger32 => self.uinteger(v, m),
            BaseType::Other => self.by_type(v, m),
        }
    }

    fn by_type(&mut self, v: &Var, m: &Meta) {
        match v {
            Var::Int(_) => self.integer(v, m),
            Var::Str(_) => self.octet_string(v, m),
            Var::Opaque(_) => self.opaque(v, m),
            Var::Oid(_) => self.object_id(v, m),
            Var::Ticks(_) => self.timeticks(v, m),
            Var::Gauge(_) => self.gauge(v, m),
            Var::Counter(_) => self.counter(v, m),
            Var::Ip(_) => self.ip_address(v),
            Var::Null => self.null(v),
            Var::UInt(_) => self.uinteger(v, m),
            Var::C64(_) | Var::OpaqueC64(_) | Var::OpaqueI64(_) | Var::OpaqueU64(_) => {
                self.counter64(v, m)
            }
            Var::OpaqueFloat(_) => self.float(v, m),
            Var::OpaqueDouble(_) => self.double(v, m),
            Var::Bad => self.s("Variable has bad type"),
        }
    }

    fn integer(&mut self, v: &Var, m: &Meta) {
        let &Var::Int(i) = v else {
            return self.wrong("INTEGER", v);
        };
        let label = m.enums.iter().find(|(n, _)| *n == i as i64).map(|e| &*e.1);
        self.prefix("INTEGER: ");
        match label {
            Some(l) if !self.opts.numeric_enums => {
                self.s(l);
                if !self.opts.quick {
                    self.s(&format!("({i})"));
                }
            }
            _ => match m.hint {
                Some(h) => self.s(&format_hinted_integer(i as i64, false, h)),
                None => self.s(&i.to_string()),
            },
        }
        self.units(m);
    }

    fn uinteger(&mut self, v: &Var, m: &Meta) {
        let &Var::UInt(u) = v else {
            return self.wrong("UInteger32", v);
        };
        let label = m.enums.iter().find(|(n, _)| *n == u as i64).map(|e| &*e.1);
        match label {
            Some(l) if !self.opts.numeric_enums => {
                self.s(l);
                if !self.opts.quick {
                    self.s(&format!("({u})"));
                }
            }
            _ => match m.hint {
                Some(h) => self.s(&format_hinted_integer(u as i64, true, h)),
                None => self.s(&u.to_string()),
            },
        }
        self.units(m);
    }

    fn gauge(&mut self, v: &Var, m: &Meta) {
        let &Var::Gauge(g) = v else {
            return self.wrong("Gauge32 or Unsigned32", v);
        };
        self.prefix("Gauge32: ");
        match m.hint {
            Some(h) => self.s(&format_hinted_integer(g as i64, true, h)),
            None => self.s(&g.to_string()),
        }
        self.units(m);
    }

    fn counter(&mut self, v: &Var, m: &Meta) {
        let &Var::Counter(c) = v else {
            return self.wrong("Counter32", v);
        };
        self.prefix("Counter32: ");
        self.s(&c.to_string());
        self.units(m);
    }

    fn counter64(&mut self, v: &Var, m: &Meta) {
        let text = match *v {
            Var::C64(c) => {
                self.prefix("Counter64: ");
                c.to_string()
            }
            Var::OpaqueC64(c) => {
                self.prefix("Opaque: Counter64: ");
                c.to_string()
            }
            Var::OpaqueU64(c) => {
                self.prefix("Opaque: UInt64: ");
                c.to_string()
            }
            Var::OpaqueI64(c) => {
                self.prefix("Opaque: Int64: ");
                c.to_string()
            }
            _ => return self.wrong("Counter64", v),
        };
        self.s(&text);
        self.units(m);
    }

    fn timeticks(&mut self, v: &Var, m: &Meta) {
        let &Var::Ticks(t) = v else {
            return self.wrong("Timeticks", v);
        };
        if self.opts.numeric_timeticks {
            self.s(&t.to_string());
            return;
        }
        if !self.opts.quick {
            self.s(&format!("Timeticks: ({t}) "));
        }
        self.s(&uptime_string(t, self.opts.quick));
        self.units(m);
    }

    fn ip_address(&mut self, v: &Var) {
        let Var::Ip(a) = v else {
            return self.wrong("IpAddress", v);
        };
        self.prefix("IpAddress: ");
        self.s(&format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3]));
    }

    fn network_address(&mut self, v: &Var) {
        let Var::Ip(a) = v else {
            return self.wrong("NetworkAddress", v);
        };
        self.prefix("Network Address: ");
        let t: Vec<String> = a.iter().map(|b| format!("{b:02X}")).collect();
        self.s(&t.join(":"));
    }

    fn null(&mut self, v: &Var) {
        if !matches!(v, Var::Null) {
            return self.wrong("NULL", v);
        }
        self.s("NULL");
    }

    fn object_id(&mut self, v: &Var, m: &Meta) {
        let Var::Oid(arcs) = v else {
            return self.wrong("OBJECT IDENTIFIER", v);
        };
        self.prefix("OID: ");
        let text = format_oid(self.mib, arcs, self.opts);
        self.s(&text);
        self.units(m);
    }

    fn opaque(&mut self, v: &Var, m: &Meta) {
        match v {
            Var::OpaqueC64(_) | Var::OpaqueI64(_) | Var::OpaqueU64(_) => self.counter64(v, m),
            Var::OpaqueFloat(_) => self.float(v, m),
            Var::OpaqueDouble(_) => self.double(v, m),
            Var::Opaque(b) => {
                self.prefix("OPAQUE: ");
                self.hex(b);
                self.units(m);
            }
            _ => self.wrong("Opaque", v),
        }
    }

    fn float(&mut self, v: &Var, m: &Meta) {
        let &Var::OpaqueFloat(f) = v else {
            return self.wrong("Float", v);
        };
        self.prefix("Opaque: Float: ");
        self.s(&format!("{f:.6}"));
        self.units(m);
    }

    fn double(&mut self, v: &Var, m: &Meta) {
        let &Var::OpaqueDouble(f) = v else {
            return self.wrong("Double", v);
        };
        self.prefix("Opaque: Float: ");
        self.s(&format!("{f:.6}"));
        self.units(m);
    }

    fn bits(&mut self, v: &Var, m: &Meta) {
        let Var::Str(b) = v else {
            return self.wrong("BITS", v);
        };
        if self.opts.quick {
            self.s("\"");
            self.hex(b);
            self.s("\"");
            return;
        }
        self.s("BITS: ");
        self.hex(b);
        for (i, byte) in b.iter().enumerate() {
            for bit in 0..8 {
                if byte & (0x80 >> bit) != 0 {
                    let n = (i * 8 + bit) as i64;
                    match m.enums.iter().find(|(e, _)| *e == n) {
                        Some((_, l)) if !self.opts.numeric_enums => self.s(&format!("{l}({n}) ")),
                        _ => self.s(&format!("{n} ")),
                    }
                }
            }
        }
    }

    fn octet_string(&mut self, v: &Var, m: &Meta) {
        let Var::Str(b) = v else {
            return self.wrong("OCTET STRING", v);
        };
        if let Some(h) = m.hint {
            let start = self.out.len();
            self.prefix("STRING: ");
            match format_octets_with_hint(b, h, self.opts) {
                Some(t) => {
                    self.out.extend_from_slice(&t);
                    self.units(m);
                }
                None => {
                    self.out.truncate(start);
                    self.s(&format!("(Bad hint ignored: {h}) "));
                    let plain = Meta {
                        enums: m.enums,
                        hint: None,
                        units: None,
                    };
                    self.octet_string(v, &plain);
                }
            }
            return;
        }
        let hex = match self.opts.strings {
            StringStyle::Guess => b.iter().any(|&c| !is_print(c) && !is_space(c)),
            StringStyle::Ascii => false,
            StringStyle::Hex => true,
        };
        if b.is_empty() {
            self.s("\"\"");
            return;
        }
        if hex {
            if self.opts.quick {
                self.s("\"");
            } else {
                self.s("Hex-STRING: ");
            }
            self.hex(b);
            if self.opts.quick {
                self.s("\"");
            }
        } else {
            self.prefix("STRING: ");
            self.s("\"");
            for &c in b.iter() {
                if is_print(c) || is_space(c) {
                    if c == b'\\' || c == b'"' {
                        self.out.push(b'\\');
                    }
                    self.out.push(c);
                } else {
                    self.out.push(b'.');
                }
            }
            self.s("\"");
        }
        self.units(m);
    }

    /// Net-SNMP 5.9's hex dump: `XX ` per octet, a newline after each full line of 16 when
    /// more follow, and with `-OT` the printable text of each line in brackets.
    fn hex(&mut self, b: &[u8]) {
        let per_line = match self.opts.hex_output_length {
            0 => b.len().max(1),
            n => n,
        };
        let mut chunks = b.chunks(per_line).peekable();
        while let Some(line) = chunks.next() {
            for x in line {
                self.s(&format!("{x:02X} "));
            }
            if self.opts.hex_text {
                self.s("  [");
                for &c in line {
                    self.out
                        .push(if is_print(c) || is_space(c) { c } else { b'.' });
                }
                self.s("]");
            }
            if line.len() == per_line && chunks.peek().is_some() {
                self.s("\n");
            }
        }
    }
}

/// C `isprint` in the "C" locale.
fn is_print(c: u8) -> bool {
    (0x20..0x7f).contains(&c)
}

/// C `isspace` in the "C" locale.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// `1 day, 0:00:01.23` (or `1:0:00:01.23` when quick).
fn uptime_string(t: u32, quick: bool) -> String {
    let centis = t % 100;
    let mut s = t / 100;
    let days = s / 86_400;
    s %= 86_400;
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    if quick {
        format!("{days}:{h}:{m:02}:{sec:02}.{centis:02}")
    } else if days == 0 {
        format!("{h}:{m:02}:{sec:02}.{centis:02}")
    } else if days == 1 {
        format!("1 day, {h}:{m:02}:{sec:02}.{centis:02}")
    } else {
        format!("{days} days, {h}:{m:02}:{sec:02}.{centis:02}")
    }
}
