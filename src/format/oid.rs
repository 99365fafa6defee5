//! OID rendering (`-On -Of -Os -OS -Ou -OX -Ob -OE`), following Net-SNMP 5.9's
//! `netsnmp_sprint_realloc_objid_tree`: build the full dotted label path with the index
//! broken down, then cut it according to the style.

use super::value::octets_with_hint;
use super::{OidStyle, OutputOptions};
use crate::mib::{IndexPart, Mib};

const TOP: u32 = 0;

/// Net-SNMP's list of prefixes `-Ou` removes (mib_prefixes in mib.c).
const UCD_PREFIXES: &[&str] = &[
    ".1.3.6.1.2.1",
    ".iso.org.dod.internet.mgmt.mib-2",
    ".iso.org.dod.internet.experimental",
    ".iso.org.dod.internet.private",
    ".iso.org.dod.internet.snmpParties",
    ".iso.org.dod.internet.snmpSecrets",
];

fn printable(a: u32) -> bool {
    (0x20..0x7f).contains(&a)
}

/// Formats `oid` as Net-SNMP would with `opts`.
pub fn format_oid(mib: &Mib, oid: &[u32], opts: &OutputOptions) -> String {
    let numeric = opts.oid == OidStyle::Numeric;
    let mut buf = String::with_capacity(96);
    buf.push('.');
    let mut cur = TOP;
    let mut known = 0usize;
    for (i, &a) in oid.iter().enumerate() {
        let Some(c) = mib.child(cur, a) else { break };
        cur = c;
        known += 1;
        let n = mib.node(c);
        match (&n.label, numeric) {
            (Some(l), false) => buf.push_str(l),
            _ => push_u32(&mut buf, n.subid),
        }
        if i + 1 < oid.len() {
            buf.push('.');
        }
    }
    let mut end_of_known = 0usize;
    if known < oid.len() {
        end_of_known = buf.len();
        let breakdown = !numeric && !opts.no_index_breakdown;
        let decoded = if breakdown {
            mib.decode(oid, opts.extended_index)
        } else {
            crate::mib::Decoded {
                node: cur,
                known,
                unknown_child: None,
                index: Vec::new(),
                rest: oid[known..].to_vec(),
                stopped_in_item: false,
            }
        };
        let x = opts.extended_index;
        if let Some(c) = decoded.unknown_child {
            push_u32(&mut buf, c);
            buf.push('.');
        }
        for part in &decoded.index {
            if x {
                if buf.ends_with('.') {
                    buf.pop();
                }
                buf.push('[');
            }
            match part {
                IndexPart::Integer { value, label } => match label {
                    Some(l) => buf.push_str(l),
                    None => push_u32(&mut buf, *value),
                },
                IndexPart::String { arcs, quote } => {
                    if arcs.is_empty() {
                        if opts.escape_quotes {
                            buf.push_str("\\\"\\\"");
                        } else {
                            buf.push_str("\"\"");
                        }
                    } else {
                        if opts.escape_quotes {
                            buf.push('\\');
                        }
                        buf.push(*quote);
                        for &a in arcs {
                            buf.push(if printable(a) { a as u8 as char } else { '.' });
                        }
                        if opts.escape_quotes {
                            buf.push('\\');
                        }
                        buf.push(*quote);
                    }
                }
                IndexPart::Hinted { bytes, node } => {
                    let hint = mib.data(*node).and_then(|d| d.hint.clone());
                    let text = octets_with_hint(bytes, hint.as_deref().unwrap_or(""), opts);
                    buf.push_str(&String::from_utf8_lossy(&text));
                }
                IndexPart::InetAddress(t) => {
                    buf.push('"');
                    buf.push_str(t);
                    buf.push('"');
                }
                IndexPart::IpAddress(a) => {
                    buf.push_str(&format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3]))
                }
                IndexPart::NetworkAddress(t, ip) => {
                    push_u32(&mut buf, *t);
                    buf.push('.');
                    match ip {
                        Some(a) => buf.push_str(&format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3])),
                        None => break,
                    }
                }
                IndexPart::Oid { arcs, implied } => {
                    if x {
                        buf.push_str(&format_oid(mib, arcs, opts));
                    } else {
                        if !implied {
                            push_u32(&mut buf, arcs.len() as u32);
                            if !arcs.is_empty() {
                                buf.push('.');
                            }
                        }
                        for (i, a) in arcs.iter().enumerate() {
                            if i > 0 {
                                buf.push('.');
                            }
                            push_u32(&mut buf, *a);
                        }
                    }
                }
            }
            buf.push(if x { ']' } else { '.' });
        }
        if x && decoded.stopped_in_item {
            if buf.ends_with('.') {
                buf.pop();
            }
            buf.push('[');
        }
        if !buf.ends_with('.') {
            buf.push('.');
        }
        for a in &decoded.rest {
            push_u32(&mut buf, *a);
            buf.push('.');
        }
        buf.pop();
    }
    match opts.oid {
        OidStyle::Full | OidStyle::Numeric => buf,
        OidStyle::Ucd => {
            for p in UCD_PREFIXES {
                if buf.len() > p.len() && buf.starts_with(p) {
                    return buf[p.len() + 1..].to_string();
                }
            }
            buf
        }
        OidStyle::Suffix | OidStyle::Module => {
            let b = buf.as_bytes();
            let mut cp: isize = if end_of_known != 0 {
                end_of_known as isize - 2
            } else {
                let mut c = b.len() as isize - 1;
                while c >= 0 && !b[c as usize].is_ascii_alphabetic() {
                    c -= 1;
                }
                c
            };
            while cp >= 0 && b[cp as usize] != b'.' {
                cp -= 1;
            }
            let start = (cp + 1) as usize;
            let mut out = String::with_capacity(buf.len() + 24);
            if opts.oid == OidStyle::Module && start > 0 {
                let deepest = mib.deepest(oid).0;
                if let Some(m) = mib.module_of(deepest) {
                    out.push_str(m);
                    out.push_str("::");
                }
            }
            out.push_str(&buf[start..]);
            out
        }
    }
}

fn push_u32(buf: &mut String, v: u32) {
    use std::fmt::Write;
    let _ = write!(buf, "{v}");
}
